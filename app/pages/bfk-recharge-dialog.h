/* bfk-recharge-dialog.h: a backer mints for a member, within its weekly cap.
 *
 * Pick the backer (its key unlocked here when the backend does not hold
 * it), the member, the amount; a confirmation says exactly what will
 * happen, then the recharge is queued, signed by the backer, and a toast
 * gives its operation (followed on the Transactions page).
 */
#pragma once

#include <adwaita.h>

#include "bfk-session.h"

G_BEGIN_DECLS

#define BFK_TYPE_RECHARGE_DIALOG (bfk_recharge_dialog_get_type ())

G_DECLARE_FINAL_TYPE (BfkRechargeDialog, bfk_recharge_dialog, BFK, RECHARGE_DIALOG, AdwWindow)

/* Opens the dialog over parent's window; member_phone (NULL: none) picks
 * the member, and the first backer of its community. */
BfkRechargeDialog *bfk_recharge_dialog_present       (GtkWidget         *parent,
                                                      BfkSession        *session,
                                                      const gchar       *member_phone);
/* Picks the backer of that address (EIP-55 or lower case). */
void               bfk_recharge_dialog_select_backer (BfkRechargeDialog *self,
                                                      const gchar       *address);
/* Picks a member by id. */
void               bfk_recharge_dialog_select_member (BfkRechargeDialog *self,
                                                      gint64             member_id);

G_END_DECLS
