/* bfk-application.c: the application's lifecycle, actions and shortcuts. */
#include <glib/gi18n.h>
#include <glib-unix.h>
#include <locale.h>

#include "bfk-application.h"
#include "bfk-error-text.h"
#include "bfk-pages.h"
#include "bfk-preferences-window.h"
#include "bfk-resources.h"
#include "bfk-welcome-window.h"
#include "bfk-window.h"

struct _BfkApplication
{
  AdwApplication  parent_instance;

  GHashTable     *overrides;
  BfkBackend     *backend;
  BfkSession     *session;
  BfkWindow      *window;
  gboolean        stopping;
  struct _Stopping *stop;    /* the backend's stop in flight, or NULL */
};

G_DEFINE_FINAL_TYPE (BfkApplication, bfk_application, ADW_TYPE_APPLICATION)

void
bfk_ui_init (void)
{
  const gchar *dir = g_getenv ("BAFOKA_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, dir && *dir ? dir : BFK_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  /* A static library's resources are linked only when referenced. */
  g_resources_register (bfk_get_resource ());
}

BfkApplication *
bfk_application_new (GHashTable *overrides)
{
  BfkApplication *self = g_object_new (BFK_TYPE_APPLICATION,
                                       "application-id", "org.bafoka.Console",
                                       "flags", G_APPLICATION_NON_UNIQUE,
                                       "resource-base-path", "/org/bafoka/Console",
                                       NULL);

  self->overrides = overrides;
  return self;
}

BfkSession *
bfk_application_get_session (BfkApplication *self)
{
  g_return_val_if_fail (BFK_IS_APPLICATION (self), NULL);
  return self->session;
}

GtkWindow *
bfk_application_get_main_window (BfkApplication *self)
{
  g_return_val_if_fail (BFK_IS_APPLICATION (self), NULL);
  return GTK_WINDOW (self->window);
}

gboolean
bfk_application_needs_welcome (BfkApplication *self)
{
  g_autofree gchar *conf = bfk_config_file_path ();
  g_auto(GStrv) env = g_get_environ ();

  if (g_hash_table_size (self->overrides) > 0 || g_file_test (conf, G_FILE_TEST_EXISTS))
    return FALSE;
  for (guint i = 0; env[i]; i++)
    if (g_str_has_prefix (env[i], "BAFOKA_NETWORK=") || g_str_has_prefix (env[i], "BAFOKA_RPC_URL=")
        || g_str_has_prefix (env[i], "BAFOKA_DATA_DIR="))
      return FALSE;
  return TRUE;
}

static void
started (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(BfkApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (BFK_BACKEND (source) != self->backend)
    return;   /* a restart replaced it */
  if (!bfk_backend_start_finish (self->backend, result, &error)
      || !bfk_session_open_store (self->session, &error))
    {
      if (self->window && !self->stopping)
        {
          g_autofree gchar *text = bfk_error_text_explain (error);

          bfk_window_show_failure (self->window, text);
        }
      return;
    }
  if (self->window)
    bfk_window_show_pages (self->window);
}

/* The window is rebuilt for each session: its pages hold the session's
 * store.  A configuration that does not load still gets a window, which
 * says why and offers the preferences. */
static void
start_backend (BfkApplication *self)
{
  g_autoptr(GError) error = NULL;
  BfkConfig *config = bfk_config_load (self->overrides, &error);

  g_application_hold (G_APPLICATION (self));
  if (self->window)
    gtk_window_destroy (GTK_WINDOW (self->window));
  g_clear_object (&self->session);
  g_clear_object (&self->backend);
  if (config)
    {
      self->backend = bfk_backend_new (config);
      self->session = bfk_session_new (self->backend);
    }
  self->window = bfk_window_new (GTK_APPLICATION (self), self->session);
  g_object_add_weak_pointer (G_OBJECT (self->window), (gpointer *) &self->window);
  gtk_window_present (GTK_WINDOW (self->window));
  g_application_release (G_APPLICATION (self));
  if (!config)
    {
      g_autofree gchar *text = bfk_error_text_explain (error);

      bfk_window_show_failure (self->window, text);
      return;
    }
  bfk_window_show_starting (self->window);
  bfk_backend_start_async (self->backend, NULL, started, g_object_ref (self));
}

/* A stop in flight: one at a time, whoever asks (a restart, the quit). */
typedef struct _Stopping
{
  BfkApplication *self;
  gboolean        done;
  gboolean        restart;   /* start again once stopped */
} Stopping;

static void
stopping_free (Stopping *s)
{
  g_application_release (G_APPLICATION (s->self));
  g_object_unref (s->self);
  g_free (s);
}

static void
stopped (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Stopping *s = user_data;
  BfkApplication *self = s->self;
  g_autoptr(GError) error = NULL;

  if (!bfk_backend_stop_finish (BFK_BACKEND (source), result, &error))
    g_warning ("Stopping the backend: %s", error->message);
  s->done = TRUE;
  if (!s->restart)
    return;   /* the quit waits for it, and frees it */
  self->stop = NULL;
  self->stopping = FALSE;
  start_backend (self);
  stopping_free (s);
}

/* Stops the backend, or joins the stop already on its way; with restart,
 * starts it again afterwards. */
static Stopping *
stop_backend (BfkApplication *self,
              gboolean        restart)
{
  if (self->stop)
    {
      self->stop->restart = restart;
      return self->stop;
    }
  self->stop = g_new0 (Stopping, 1);
  self->stop->self = g_object_ref (self);
  self->stop->restart = restart;
  self->stopping = TRUE;
  g_application_hold (G_APPLICATION (self));
  bfk_backend_stop_async (self->backend, stopped, self->stop);
  return self->stop;
}

void
bfk_application_open_console (BfkApplication *self)
{
  g_return_if_fail (BFK_IS_APPLICATION (self));

  if (self->backend && bfk_backend_get_state (self->backend) != BFK_BACKEND_STOPPED)
    stop_backend (self, TRUE);
  else
    start_backend (self);
}

static void
restart_backend_action (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  bfk_application_open_console (BFK_APPLICATION (user_data));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  BfkApplication *self = user_data;
  const gchar *developers[] = { "The Bafoka Console developers", NULL };
  GtkWidget *about = adw_about_window_new ();

  g_object_set (about,
                "application-name", _("Bafoka Console"),
                "application-icon", "org.bafoka.Console",
                "version", PACKAGE_VERSION,
                "developer-name", _("Troc-Service Bafoka"),
                "comments", _("The operator console of Troc-Service Bafoka: village communities "
                              "trading services in their own currency, from WhatsApp."),
                "license-type", GTK_LICENSE_GPL_3_0,
                "developers", developers,
                "translator-credits", _("translator-credits"),
                "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data);

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "about", about_action },
  { "preferences", preferences_action },
  { "restart-backend", restart_backend_action },
};

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  BfkApplication *self = user_data;
  BfkPreferencesWindow *window;

  /* Without a session too: a configuration that does not load is put
   * right here. */
  window = bfk_preferences_window_new (gtk_application_get_active_window (GTK_APPLICATION (self)),
                                       self->session);
  gtk_window_present (GTK_WINDOW (window));
}

/* SIGTERM and SIGINT quit like Ctrl+Q: the backend stops cleanly first. */
static gboolean
on_quit_signal (gpointer user_data)
{
  g_application_quit (G_APPLICATION (user_data));
  return G_SOURCE_CONTINUE;
}

static void
bfk_application_startup (GApplication *application)
{
  BfkApplication *self = BFK_APPLICATION (application);
  const gchar *quit_accels[] = { "<Control>q", NULL };
  const gchar *preferences_accels[] = { "<Control>comma", NULL };
  guint n;
  const BfkPageInfo *pages = bfk_pages_get (&n);

  G_APPLICATION_CLASS (bfk_application_parent_class)->startup (application);
  g_unix_signal_add (SIGTERM, on_quit_signal, self);
  g_unix_signal_add (SIGINT, on_quit_signal, self);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", preferences_accels);
  /* Alt+1 … Alt+9: the pages in the sidebar's order. */
  for (guint i = 0; i < n && i < 9; i++)
    {
      g_autofree gchar *detailed = g_strdup_printf ("win.show-page('%s')", pages[i].name);
      g_autofree gchar *accel = g_strdup_printf ("<Alt>%u", i + 1);
      const gchar *accels[] = { accel, NULL };

      gtk_application_set_accels_for_action (GTK_APPLICATION (self), detailed, accels);
    }
}

/* The console's window opens before the assistant's closes, so that the
 * application never runs out of windows in between. */
static void
welcome_finished (BfkWelcomeWindow *welcome,
                  BfkApplication   *self)
{
  bfk_application_open_console (self);
  gtk_window_destroy (GTK_WINDOW (welcome));
}

static void
bfk_application_activate (GApplication *application)
{
  BfkApplication *self = BFK_APPLICATION (application);

  if (self->window)
    {
      gtk_window_present (GTK_WINDOW (self->window));
      return;
    }
  if (bfk_application_needs_welcome (self))
    {
      GtkWindow *welcome = gtk_application_get_active_window (GTK_APPLICATION (self));

      if (BFK_IS_WELCOME_WINDOW (welcome))
        {
          gtk_window_present (welcome);
          return;
        }
      welcome = GTK_WINDOW (bfk_welcome_window_new (GTK_APPLICATION (self)));
      g_signal_connect_object (welcome, "finished", G_CALLBACK (welcome_finished), self, 0);
      gtk_window_present (welcome);
      return;
    }
  bfk_application_open_console (self);
}

static void
bfk_application_shutdown (GApplication *application)
{
  BfkApplication *self = BFK_APPLICATION (application);

  /* The backend finishes what it is writing before the process ends. */
  if (self->stop || (self->backend && bfk_backend_get_state (self->backend) != BFK_BACKEND_STOPPED))
    {
      /* A restart on its way becomes the last stop. */
      Stopping *s = stop_backend (self, FALSE);

      while (!s->done)
        g_main_context_iteration (NULL, TRUE);
      self->stop = NULL;
      stopping_free (s);
    }
  G_APPLICATION_CLASS (bfk_application_parent_class)->shutdown (application);
}

static void
bfk_application_dispose (GObject *object)
{
  BfkApplication *self = BFK_APPLICATION (object);

  g_clear_object (&self->session);
  g_clear_object (&self->backend);
  g_clear_pointer (&self->overrides, g_hash_table_unref);
  G_OBJECT_CLASS (bfk_application_parent_class)->dispose (object);
}

static void
bfk_application_class_init (BfkApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = bfk_application_dispose;
  app_class->startup = bfk_application_startup;
  app_class->activate = bfk_application_activate;
  app_class->shutdown = bfk_application_shutdown;
}

static void
bfk_application_init (BfkApplication *self)
{
}
