/* bafoka-console: the operator console.
 *
 *   bafoka-console [settings]             the window
 *   bafoka-console --headless [settings]  the backend alone (bfk-headless.h)
 *
 * Without a display the console says so and runs headless.  A bad
 * configuration ends a headless run with one line and exit status 1; the
 * window shows it instead, with the preferences at hand.
 */
#include <glib/gi18n.h>
#include <gtk/gtk.h>

#include "bfk-application.h"
#include "bfk-config-options.h"
#include "bfk-headless.h"

static int
run_headless (GHashTable *overrides)
{
  g_autoptr(GError) error = NULL;
  BfkConfig *config = bfk_config_load (overrides, &error);

  if (!config)
    {
      g_printerr ("bafoka-console: %s\n", error->message);
      return 1;
    }
  return bfk_headless_run (config);
}

int
main (int argc, char **argv)
{
  g_autoptr(GHashTable) overrides = bfk_config_overrides_new ();
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkApplication) app = NULL;
  gboolean headless = FALSE;
  GOptionEntry entries[] = {
    { "headless", 0, 0, G_OPTION_ARG_NONE, &headless,
      N_("Run the backend alone: HTTP server, outbox and follower, no window"), NULL },
    { NULL }
  };
  GOptionGroup *settings = bfk_config_option_group_new (overrides);
  gchar *no_args[] = { argv[0], NULL };

  bfk_ui_init ();
  context = g_option_context_new (_("- the Bafoka operator console"));
  g_option_group_set_translation_domain (settings, GETTEXT_PACKAGE);
  g_option_group_add_entries (settings, entries);
  g_option_context_set_main_group (context, settings);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bafoka-console: %s\n", error->message);
      return 2;
    }
  if (!headless && !gtk_init_check ())
    {
      g_printerr ("bafoka-console: %s\n", _("No display: running the backend alone (as with --headless)"));
      headless = TRUE;
    }
  if (headless)
    {
      bfk_headless_install_log ();
      return run_headless (overrides);
    }

  app = bfk_application_new (g_hash_table_ref (overrides));
  /* The settings were parsed above; GApplication sees none of them. */
  return g_application_run (G_APPLICATION (app), 1, no_args);
}
