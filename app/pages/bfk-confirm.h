/* bfk-confirm.h: the question asked before anything changes the chain.
 *
 * An AdwMessageDialog, transient for parent's window, with "cancel" and
 * "confirm" responses: connect to "response::confirm".  The body says
 * exactly what will happen; it is presented before it is returned.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

AdwMessageDialog *bfk_confirm_present (GtkWidget   *parent,
                                       const gchar *heading,
                                       const gchar *body,
                                       const gchar *confirm_label,
                                       gboolean     destructive);

G_END_DECLS
