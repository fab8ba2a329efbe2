/* bfk-application.h: the console application (org.bafoka.Console).
 *
 * It loads the configuration, starts the backend, and opens the window once
 * the backend runs; at quit it stops the backend before the process ends,
 * so that operations in flight stay consistent.  On a first run (no
 * bafoka.conf, no BAFOKA_* setting) it shows the welcome assistant first.
 */
#pragma once

#include <adwaita.h>

#include "bfk-session.h"

G_BEGIN_DECLS

#define BFK_TYPE_APPLICATION (bfk_application_get_type ())

G_DECLARE_FINAL_TYPE (BfkApplication, bfk_application, BFK, APPLICATION, AdwApplication)

/* overrides: the command line's settings (bfk-config-options.h), taken. */
BfkApplication *bfk_application_new             (GHashTable     *overrides);
/* Whether the welcome assistant is due: nothing configured yet. */
gboolean        bfk_application_needs_welcome   (BfkApplication *self);
/* Loads the configuration again, starts the backend, shows the window. */
void            bfk_application_open_console    (BfkApplication *self);
/* The running session, or NULL. */
BfkSession     *bfk_application_get_session     (BfkApplication *self);
GtkWindow      *bfk_application_get_main_window (BfkApplication *self);

/* Sets up what every process showing the console needs: translations and
 * the resources.  main () and the UI tests call it. */
void            bfk_ui_init                     (void);

G_END_DECLS
