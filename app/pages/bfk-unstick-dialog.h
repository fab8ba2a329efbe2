/* bfk-unstick-dialog.h: asks before bumping or cancelling a stuck
 * transaction, then asks the backend and toasts what it said.
 */
#pragma once

#include <adwaita.h>

#include "bfk-session.h"

G_BEGIN_DECLS

/* Presents a modal AdwMessageDialog (bfk_confirm_present) over parent's
 * window that states what action will do to operation op_id (in state,
 * "queued" … "sent"); its "confirm" response calls
 * bfk_backend_unstick_async.  Returns the dialog (owned by GTK). */
AdwMessageDialog *bfk_unstick_dialog_present (GtkWidget      *parent,
                                              BfkSession     *session,
                                              gint64          op_id,
                                              const gchar    *state,
                                              BfkStuckAction  action);

G_END_DECLS
