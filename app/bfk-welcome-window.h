/* bfk-welcome-window.h: the first run's assistant.
 *
 * Three steps: the network (one click starts the local demo network);
 * the operator's key for a real network (a new one, a V3 keystore file,
 * or one already in the data folder, its password checked on the spot);
 * WhatsApp's Twilio credentials, or the simulator alone.  It then writes
 * bafoka.conf (bfk_config_save) and emits "finished": the application
 * opens the console.
 *
 * The backend unlocks the key at each start without asking: the password
 * is kept in a file that only its owner can read (0600), in the data
 * folder, and the keystore step says so.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define BFK_TYPE_WELCOME_WINDOW (bfk_welcome_window_get_type ())

G_DECLARE_FINAL_TYPE (BfkWelcomeWindow, bfk_welcome_window, BFK, WELCOME_WINDOW, AdwWindow)

BfkWelcomeWindow *bfk_welcome_window_new       (GtkApplication   *application);
/* "network", "keystore" or "whatsapp". */
const gchar      *bfk_welcome_window_get_step  (BfkWelcomeWindow *self);
/* The folder the keys and the password file go to (the default data
 * folder, $XDG_DATA_HOME/bafoka). */
const gchar      *bfk_welcome_window_get_data_dir (BfkWelcomeWindow *self);

G_END_DECLS
