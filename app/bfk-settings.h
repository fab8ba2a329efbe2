/* bfk-settings.h: the console's remembered state (data/org.bafoka.Console.gschema.xml). */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* NULL when the schema is not installed (a console run from a build tree
 * without GSETTINGS_SCHEMA_DIR): the console then just forgets. */
GSettings *bfk_settings_new             (void);
void       bfk_settings_restore_window  (GSettings *settings,
                                         GtkWindow *window);
void       bfk_settings_save_window     (GSettings *settings,
                                         GtkWindow *window);

G_END_DECLS
