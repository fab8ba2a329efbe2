/* bfk-preferences-window.h: the settings of bafoka.conf, in a window.
 *
 * It shows the running configuration; saving writes what changed to
 * $XDG_CONFIG_HOME/bafoka/bafoka.conf (bfk_config_save, owner-only), and
 * records one "change_preference" audit entry per key (the Twilio token's
 * value never: only "set" or "cleared").  A value that an environment
 * variable sets wins over the file, so its row cannot be edited and says
 * which variable sets it.  The backend reads the file when it starts:
 * "Apply and Restart" saves and restarts it (app.restart-backend).
 */
#pragma once

#include <adwaita.h>

#include "bfk-session.h"

G_BEGIN_DECLS

#define BFK_TYPE_PREFERENCES_WINDOW (bfk_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (BfkPreferencesWindow, bfk_preferences_window, BFK, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

/* session may be NULL (a configuration that did not load): the values are
 * then read from the file. */
BfkPreferencesWindow *bfk_preferences_window_new  (GtkWindow            *parent,
                                                   BfkSession           *session);
/* Writes the changed values and audits each; FALSE with error when a value
 * is wrong or the file cannot be written (nothing is then written).  The
 * number of keys changed goes to n_changed (may be NULL). */
gboolean              bfk_preferences_window_save (BfkPreferencesWindow *self,
                                                   guint                *n_changed,
                                                   GError              **error);

G_END_DECLS
