/* bfk-unlock-dialog.h: hands a backer's key to the backend, from its V3
 * keystore file and password, so that the console may sign with it.
 *
 * The keystore is decrypted off the main thread (scrypt takes a second or
 * more); a wrong password or another backer's file says so and keeps the
 * dialog open with what was chosen.  "unlocked" is emitted once the
 * backend holds the key, and the dialog closes.
 */
#pragma once

#include <adwaita.h>

#include "bfk-session.h"

G_BEGIN_DECLS

#define BFK_TYPE_UNLOCK_DIALOG (bfk_unlock_dialog_get_type ())

G_DECLARE_FINAL_TYPE (BfkUnlockDialog, bfk_unlock_dialog, BFK, UNLOCK_DIALOG, AdwWindow)

/* expected: the backer whose key is wanted (NULL: any). */
BfkUnlockDialog *bfk_unlock_dialog_new      (GtkWindow        *parent,
                                             BfkSession       *session,
                                             const BfkAddress *expected);
/* What the file chooser sets; the tests set it directly. */
void             bfk_unlock_dialog_set_file (BfkUnlockDialog  *self,
                                             GFile            *file);

G_END_DECLS
