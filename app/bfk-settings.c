/* bfk-settings.c: GSettings when the schema is there, and nothing otherwise. */
#include "bfk-settings.h"

#define SCHEMA_ID "org.bafoka.Console"

GSettings *
bfk_settings_new (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source)
    schema = g_settings_schema_source_lookup (source, SCHEMA_ID, TRUE);
  return schema ? g_settings_new_full (schema, NULL, NULL) : NULL;
}

void
bfk_settings_restore_window (GSettings *settings,
                             GtkWindow *window)
{
  if (!settings)
    return;
  gtk_window_set_default_size (window, g_settings_get_int (settings, "width"),
                               g_settings_get_int (settings, "height"));
  if (g_settings_get_boolean (settings, "maximized"))
    gtk_window_maximize (window);
}

void
bfk_settings_save_window (GSettings *settings,
                          GtkWindow *window)
{
  gint width, height;

  if (!settings)
    return;
  g_settings_set_boolean (settings, "maximized", gtk_window_is_maximized (window));
  if (gtk_window_is_maximized (window))
    return;   /* keep the unmaximized size */
  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_int (settings, "width", width);
  g_settings_set_int (settings, "height", height);
}
