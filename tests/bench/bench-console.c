/* bench-console.c: the console's window over a million members and a
 * million operations, under a display (tests/bench/run uses Xvfb).
 *
 * Fills a data folder (bench-fill.h), then opens the window on it with a
 * session whose backend is not started (no chain: the pages read the
 * store), and times what a person waits for:
 *   - the first frame of the Transactions page, from the window's creation
 *     (the models' indexes included) to a painted frame with its rows;
 *   - a search of "mar" typed in the Members page (187,500 members match),
 *     from the text to the painted frame that shows the first 10,000 and
 *     says there are more (BFK_MEMBER_MODEL_SEARCH_LIMIT);
 * and the peak RSS.  Targets (issue 5): < 1 s, < 150 ms, < 300 MB.
 * Prints one JSON object.
 *
 *   bench-console [--keep DIR]   fill DIR once and keep it, for profiling
 */
#include <sys/resource.h>

#include "bench-fill.h"
#include "bfk-member-model.h"
#include "bfk-test-ui.h"
#include "bfk-window.h"
#include "../lib/bfk-test-tmp.h"

#define N_ROWS 1000000

typedef struct
{
  GtkWidget *view;       /* a GtkColumnView */
  guint      want;       /* rows it must show; 0: any */
  gint64     painted;    /* monotonic µs of the first frame that did */
} Frame;

static guint
view_rows (GtkWidget *view)
{
  GListModel *model = G_LIST_MODEL (gtk_column_view_get_model (GTK_COLUMN_VIEW (view)));

  return model ? g_list_model_get_n_items (model) : 0;
}

static void
after_paint (GdkFrameClock *clock,
             Frame         *frame)
{
  guint rows = view_rows (frame->view);

  if (frame->painted == 0 && rows > 0 && (frame->want == 0 || rows == frame->want)
      && gtk_widget_get_mapped (frame->view))
    frame->painted = g_get_monotonic_time ();
}

static gboolean
frame_painted (gpointer data)
{
  return ((Frame *) data)->painted != 0;
}

/* Waits for the first painted frame of view showing want rows. */
static gint64
wait_painted (GtkWidget *view,
              guint      want)
{
  Frame frame = { view, want, 0 };
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (gtk_widget_get_root (view)));
  gulong id = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint), &frame);

  bfk_test_ui_wait (frame_painted, &frame, 60, "a painted frame");
  g_signal_handler_disconnect (clock, id);
  return frame.painted;
}

static GtkWidget *
page_view (BfkWindow   *window,
           const gchar *page)
{
  GtkWidget *view = bfk_test_ui_find (GTK_WIDGET (bfk_window_get_page (window, page)),
                                      GTK_TYPE_COLUMN_VIEW, NULL);

  if (!view)
    g_error ("bench-console: the %s page has no column view", page);
  return view;
}

int
main (int argc, char **argv)
{
  g_autoptr(GHashTable) overrides = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GtkApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree gchar *dir = NULL, *path = NULL;
  g_autoptr(BfkBackend) backend = NULL;
  g_autoptr(BfkSession) session = NULL;
  BfkStore *writer;
  BfkWindow *window;
  GtkWidget *members_view, *search;
  struct rusage usage;
  gint64 start, painted;
  gdouble fill_s, frame_ms, search_ms;
  gboolean keep;
  BfkConfig *config;

  bfk_ui_init ();
  if (!gtk_init_check ())
    g_error ("bench-console: no display (tests/bench/run starts Xvfb)");
  adw_init ();

  keep = argc == 3 && g_str_equal (argv[1], "--keep");
  dir = keep ? g_strdup (argv[2]) : bfk_test_make_tmp_dir ("bafoka-bench-console-XXXXXX");
  path = g_build_filename (dir, "bafoka.db", NULL);
  start = g_get_monotonic_time ();
  if (!keep || !g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_mkdir_with_parents (dir, 0700);
      writer = bfk_store_open (path, FALSE, &error);
      g_assert_no_error (error);
      bench_fill (writer, N_ROWS);
      bfk_store_close (writer);
    }
  fill_s = (g_get_monotonic_time () - start) / 1e6;

  g_hash_table_insert (overrides, "BAFOKA_DATA_DIR", dir);
  g_hash_table_insert (overrides, "BAFOKA_NETWORK", "local");
  config = bfk_config_load (overrides, &error);
  g_assert_no_error (error);
  backend = bfk_backend_new (config);
  app = gtk_application_new ("org.bafoka.Console.Bench", G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));

  /* The Transactions page's first frame, from nothing. */
  start = g_get_monotonic_time ();
  session = bfk_session_new (backend);
  bfk_session_open_store (session, &error);
  g_assert_no_error (error);
  window = bfk_window_new (app, session);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  bfk_window_show_pages (window);
  bfk_window_show_page (window, "transactions");
  gtk_window_present (GTK_WINDOW (window));
  painted = wait_painted (page_view (window, "transactions"), 0);
  frame_ms = (painted - start) / 1000.0;

  /* A search typed in the Members page. */
  bfk_window_show_page (window, "members");
  members_view = page_view (window, "members");
  wait_painted (members_view, 0);
  search = bfk_test_ui_find (GTK_WIDGET (bfk_window_get_page (window, "members")),
                             GTK_TYPE_SEARCH_ENTRY, NULL);
  g_assert_nonnull (search);
  /* The entry waits for typing to pause before it searches: that pause is
   * the person's, not the console's. */
  gtk_search_entry_set_search_delay (GTK_SEARCH_ENTRY (search), 0);
  start = g_get_monotonic_time ();
  gtk_editable_set_text (GTK_EDITABLE (search), "mar");
  painted = wait_painted (members_view, BFK_MEMBER_MODEL_SEARCH_LIMIT);
  search_ms = (painted - start) / 1000.0;

  getrusage (RUSAGE_SELF, &usage);
  g_print ("{\"bench\": \"console\", \"rows\": %d, \"fill_s\": %.1f,"
           " \"transactions_first_frame_ms\": %.1f, \"search_mar_frame_ms\": %.1f,"
           " \"search_mar_found\": %u, \"peak_rss_mib\": %.1f}\n",
           N_ROWS, fill_s, frame_ms, search_ms, view_rows (members_view), usage.ru_maxrss / 1024.0);

  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&session);
  if (!keep)
    bfk_test_remove_dir (dir);
  return 0;
}
