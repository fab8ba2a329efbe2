/* bfk-operation-details.h: the selected operation of the transactions page:
 * what it does, its nonce, block and failure, its hash (to the explorer, or
 * copied), and the buttons of the page's "transactions.bump" and
 * "transactions.cancel" actions.
 */
#pragma once

#include <adwaita.h>

#include "bfk-session.h"

G_BEGIN_DECLS

#define BFK_TYPE_OPERATION_DETAILS (bfk_operation_details_get_type ())

G_DECLARE_FINAL_TYPE (BfkOperationDetails, bfk_operation_details, BFK, OPERATION_DETAILS, AdwBin)

GtkWidget *bfk_operation_details_new  (void);
/* Reads operation op_id from the session's store again and shows it. */
void       bfk_operation_details_show (BfkOperationDetails *self,
                                       BfkSession          *session,
                                       gint64               op_id);

G_END_DECLS
