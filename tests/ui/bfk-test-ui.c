/* bfk-test-ui.c: a backend on anvil, a session, and screenshots, for the
 * console's UI tests. */
#include "bfk-test-ui.h"
#include "bfk-test-console.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <locale.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>

void
bfk_test_ui_init (int    *argc,
                  char ***argv)
{
  g_test_init (argc, argv, NULL);
  bfk_ui_init ();
  if (!gtk_init_check ())
    {
      printf ("1..0 # SKIP no display: run under xvfb-run (tools/test does)\n");
      exit (0);
    }
  adw_init ();
  /* AdwApplication loads the console's style sheet; these tests have none. */
  {
    GtkCssProvider *css = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (css, "/org/bafoka/Console/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
    g_object_unref (css);
  }
}

static gboolean
timed_out (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

void
bfk_test_ui_spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, timed_out, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

void
bfk_test_ui_wait (gboolean    (*check) (gpointer data),
                  gpointer      data,
                  guint         timeout_s,
                  const gchar  *what)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_s * G_USEC_PER_SEC;

  while (!check (data))
    {
      if (g_get_monotonic_time () > end)
        g_error ("Timed out after %u s waiting for %s", timeout_s, what);
      bfk_test_ui_spin (50);
    }
}

void
bfk_test_ui_store_result (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
has_result (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

GAsyncResult *
bfk_test_ui_wait_result (GAsyncResult **slot)
{
  bfk_test_ui_wait (has_result, slot, 120, "an asynchronous call");
  return g_steal_pointer (slot);
}

BfkTestUi *
bfk_test_ui_new (const gchar *const *settings)
{
  g_autoptr(GHashTable) overrides = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  BfkTestUi *ui = g_new0 (BfkTestUi, 1);
  BfkConfig *config;

  ui->data_dir = g_dir_make_tmp ("bafoka-ui-XXXXXX", &error);
  g_assert_no_error (error);
  g_hash_table_insert (overrides, g_strdup ("BAFOKA_DATA_DIR"), g_strdup (ui->data_dir));
  g_hash_table_insert (overrides, g_strdup ("BAFOKA_LISTEN"), g_strdup ("127.0.0.1:0"));
  for (guint i = 0; settings && settings[i] && settings[i + 1]; i += 2)
    g_hash_table_insert (overrides, g_strdup (settings[i]), g_strdup (settings[i + 1]));

  config = bfk_config_load (overrides, &error);
  g_assert_no_error (error);
  ui->backend = bfk_backend_new (config);
  ui->session = bfk_session_new (ui->backend);
  bfk_backend_start_async (ui->backend, NULL, bfk_test_ui_store_result, &result);
  result = bfk_test_ui_wait_result (&result);
  if (!bfk_backend_start_finish (ui->backend, result, &error))
    g_error ("The backend did not start: %s", error->message);
  bfk_session_open_store (ui->session, &error);
  g_assert_no_error (error);
  return ui;
}

/* The backend's data folder has folders of its own (the local node's
 * state), which bfk_test_remove_dir does not descend into. */
static void
rm_rf (const gchar *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const gchar *name;

  if (dir)
    {
      while ((name = g_dir_read_name (dir)))
        {
          g_autofree gchar *child = g_build_filename (path, name, NULL);

          rm_rf (child);
        }
    }
  g_remove (path);
}

void
bfk_test_ui_free (BfkTestUi *ui)
{
  g_autoptr(GAsyncResult) result = NULL;

  if (ui->window)
    gtk_window_destroy (ui->window);
  g_clear_object (&ui->session);
  bfk_backend_stop_async (ui->backend, bfk_test_ui_store_result, &result);
  result = bfk_test_ui_wait_result (&result);
  g_assert_true (bfk_backend_stop_finish (ui->backend, result, NULL));
  g_clear_object (&ui->backend);
  rm_rf (ui->data_dir);
  g_free (ui->data_dir);
  g_free (ui);
}

/* --- waiting for the chain --- */

typedef struct
{
  BfkTestUi   *ui;
  const gchar *sql;
  gint64       arg;
} Query;

/* One integer from a query on a fresh read-only connection, so that the
 * answer never comes from a stale snapshot. */
static gint64
query_int (BfkTestUi   *ui,
           const gchar *sql,
           gint64       arg)
{
  g_autofree gchar *path = g_build_filename (ui->data_dir, "bafoka.db", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_bind_parameter_count (stmt) > 0)
    sqlite3_bind_int64 (stmt, 1, arg);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

static gboolean
query_true (gpointer data)
{
  Query *q = data;

  return query_int (q->ui, q->sql, q->arg) > 0;
}

gint64
bfk_test_ui_add_member (BfkTestUi   *ui,
                        const gchar *phone,
                        const gchar *name,
                        guint64      community_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkMember) member = NULL;
  Query q = { ui, "SELECT count(*) FROM accounts a JOIN members m ON m.address = a.address "
                  "WHERE m.id = ?", 0 };

  bfk_backend_add_member_async (ui->backend, phone, name, community_id, NULL,
                                bfk_test_ui_store_result, &result);
  result = bfk_test_ui_wait_result (&result);
  member = bfk_backend_add_member_finish (ui->backend, result, NULL, &error);
  g_assert_no_error (error);
  q.arg = member->id;
  bfk_test_ui_wait (query_true, &q, 60, "a member's registration on chain");
  return member->id;
}

static gboolean
settled (gpointer data)
{
  BfkTestUi *ui = data;

  return query_int (ui, "SELECT count(*) FROM operations WHERE state NOT IN "
                        "('confirmed', 'failed', 'replaced')", 0) == 0
         && query_int (ui, "SELECT count(*) FROM operations o WHERE state = 'confirmed' AND "
                           "block_number > (SELECT coalesce(max(value), 0) FROM sync WHERE key = 'follower_block')", 0) == 0;
}

void
bfk_test_ui_settle (BfkTestUi *ui)
{
  bfk_test_ui_wait (settled, ui, 90, "the outbox and the follower to settle");
  bfk_test_ui_spin (600);   /* the session's change poll */
}

gchar *
bfk_test_ui_post_webhook (BfkTestUi   *ui,
                          const gchar *phone,
                          const gchar *body)
{
  g_autofree gchar *uri = g_strconcat (bfk_backend_get_listen_uri (ui->backend), "webhook", NULL);
  g_autofree gchar *sid = g_strdup_printf ("SMui%016" G_GINT64_MODIFIER "x%08x",
                                           g_get_real_time (), g_random_int ());
  gchar *answer;
  guint status = 0;

  answer = bfk_test_post_message (uri, phone, sid, body, &status);
  g_assert_cmpuint (status, ==, 200);
  return answer;
}

/* --- showing and rendering --- */

const gchar *
bfk_test_ui_language (void)
{
  const gchar *messages = setlocale (LC_MESSAGES, NULL);

  return messages && g_str_has_prefix (messages, "fr") ? "fr" : "en";
}

static gboolean
drawn (gpointer data)
{
  GtkWidget *widget = data;

  return gtk_widget_get_mapped (widget) && gtk_widget_get_width (widget) > 0;
}

GtkWindow *
bfk_test_ui_show (BfkTestUi *ui,
                  GtkWidget *widget,
                  gint       width,
                  gint       height)
{
  GtkWindow *window = GTK_WINDOW (adw_window_new ());

  adw_window_set_content (ADW_WINDOW (window), widget);
  gtk_window_set_default_size (window, width, height);
  gtk_window_present (window);
  bfk_test_ui_wait (drawn, widget, 10, "the window to be drawn");
  bfk_test_ui_spin (300);
  if (ui)
    ui->window = window;
  return window;
}

gchar *
bfk_test_ui_screenshot (GtkWindow   *window,
                        const gchar *name)
{
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree gchar *dir = NULL, *file = NULL;
  const gchar *build = g_getenv ("BAFOKA_BUILD_DIR");
  GskRenderer *renderer;
  gint width, height;

  bfk_test_ui_spin (400);   /* let lists and transitions finish */
  /* A window in the middle of a new layout (a resize, a page that grew)
   * has nothing to paint until its next frame: wait for one, a while. */
  for (guint attempt = 0; !node && attempt < 30; attempt++)
    {
      g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (GTK_WIDGET (window));
      GtkSnapshot *snapshot = gtk_snapshot_new ();

      if (attempt > 0)
        bfk_test_ui_spin (100);
      width = gtk_widget_get_width (GTK_WIDGET (window));
      height = gtk_widget_get_height (GTK_WIDGET (window));
      gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (snapshot);
    }
  g_assert_nonnull (node);
  renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_nonnull (texture);

  dir = g_build_filename (build ? build : ".", "screenshots", bfk_test_ui_language (), NULL);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  file = g_strconcat (dir, G_DIR_SEPARATOR_S, name, ".png", NULL);
  g_assert_true (gdk_texture_save_to_png (texture, file));
  g_test_message ("screenshot: %s", file);
  return g_steal_pointer (&file);
}

static gboolean
widget_matches (GtkWidget   *widget,
                const gchar *text)
{
  const gchar *candidates[4] = { 0 };

  if (!text)
    return TRUE;
  candidates[0] = gtk_buildable_get_buildable_id (GTK_BUILDABLE (widget));
  candidates[1] = gtk_widget_get_name (widget);
  if (GTK_IS_LABEL (widget))
    candidates[2] = gtk_label_get_label (GTK_LABEL (widget));
  else if (GTK_IS_BUTTON (widget))
    candidates[2] = gtk_button_get_label (GTK_BUTTON (widget));
  else if (ADW_IS_PREFERENCES_ROW (widget))
    candidates[2] = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget));
  for (guint i = 0; i < 3; i++)
    if (candidates[i] && strstr (candidates[i], text))
      return TRUE;
  return FALSE;
}

GtkWidget *
bfk_test_ui_find (GtkWidget   *root,
                  GType        type,
                  const gchar *text)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) && widget_matches (root, text))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = bfk_test_ui_find (child, type, text);

      if (found)
        return found;
    }
  return NULL;
}
