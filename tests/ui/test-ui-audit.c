/* test-ui-audit: the audit page over a running backend: entries recorded
 * through the backend are listed newest first, live, filtered by action
 * and by actor, and read two hundred at a time. */
#include "bfk-audit-page.h"
#include "bfk-test-ui.h"

static BfkTestUi *ui;

static void
record (const gchar *action,
        const gchar *subject,
        const gchar *detail,
        const gchar *result_text)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  bfk_backend_audit_async (ui->backend, action, subject, detail, result_text, NULL,
                           bfk_test_ui_store_result, &result);
  result = bfk_test_ui_wait_result (&result);
  g_assert_true (bfk_backend_audit_finish (ui->backend, result, &error));
  g_assert_no_error (error);
}

static GListModel *
rows_of (GtkWidget *page)
{
  GtkWidget *view = bfk_test_ui_find (page, GTK_TYPE_COLUMN_VIEW, "view");

  g_assert_nonnull (view);
  return G_LIST_MODEL (gtk_column_view_get_model (GTK_COLUMN_VIEW (view)));
}

typedef struct
{
  GListModel *rows;
  guint       n;
} Count;

static gboolean
has_rows (gpointer data)
{
  Count *c = data;

  return g_list_model_get_n_items (c->rows) == c->n;
}

/* Choices are sorted by action name: change_preference, reveal_phone,
 * take_over; actors by the latest entry. */
static void
select_filter (GtkWidget   *page,
               const gchar *id,
               guint        position)
{
  GtkDropDown *filter = GTK_DROP_DOWN (bfk_test_ui_find (page, GTK_TYPE_DROP_DOWN, id));

  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (filter)), >, position);
  gtk_drop_down_set_selected (filter, position);
  bfk_test_ui_spin (100);
}

static void
test_empty (void)
{
  GtkWidget *page = g_object_new (BFK_TYPE_AUDIT_PAGE, "session", ui->session, NULL);
  GtkWidget *empty;

  bfk_test_ui_show (ui, page, 1000, 600);
  g_assert_cmpuint (g_list_model_get_n_items (rows_of (page)), ==, 0);
  empty = bfk_test_ui_find (page, ADW_TYPE_STATUS_PAGE, "empty_page");
  g_assert_true (gtk_widget_get_mapped (empty));
  g_assert_nonnull (adw_status_page_get_description (ADW_STATUS_PAGE (empty)));
  {
    g_autofree gchar *shot = bfk_test_ui_screenshot (ui->window, "audit-empty");
  }
  gtk_window_destroy (ui->window);
  ui->window = NULL;
}

static void
test_list_filter_and_pages (void)
{
  GtkWidget *page = g_object_new (BFK_TYPE_AUDIT_PAGE, "session", ui->session, NULL);
  GtkWidget *more;
  GListModel *rows;
  Count c;

  record ("reveal_phone", "+237 6•• ••• •22", NULL, "ok");
  record ("change_preference", "language", "{\"language\":\"en\"}", "ok");
  record ("take_over", "+237 6•• ••• •55", NULL, "failed: no conversation with this number");
  bfk_test_ui_show (ui, page, 1000, 600);
  rows = rows_of (page);
  c.rows = rows;
  c.n = 3;
  bfk_test_ui_wait (has_rows, &c, 10, "three entries");
  /* Who did it: the operator's key, and this OS user. */
  g_assert_nonnull (bfk_test_ui_find (page, GTK_TYPE_LABEL, g_get_user_name ()));
  g_assert_nonnull (bfk_test_ui_find (page, GTK_TYPE_LABEL, "language"));

  /* Live: a new entry comes at the top. */
  record ("reveal_phone", "+237 6•• ••• •88", NULL, "ok");
  c.n = 4;
  bfk_test_ui_wait (has_rows, &c, 10, "the new entry");
  g_assert_nonnull (bfk_test_ui_find (page, GTK_TYPE_LABEL, "•88"));
  {
    g_autofree gchar *shot = bfk_test_ui_screenshot (ui->window, "audit");
  }

  /* Filters: by action, then by actor too (the operator did all). */
  select_filter (page, "action_filter", 2);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 2);
  select_filter (page, "actor_filter", 1);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 2);
  {
    g_autofree gchar *shot = bfk_test_ui_screenshot (ui->window, "audit-filtered");
  }
  gtk_drop_down_set_selected (GTK_DROP_DOWN (bfk_test_ui_find (page, GTK_TYPE_DROP_DOWN, "action_filter")), 0);
  bfk_test_ui_spin (100);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 4);

  /* Two hundred at a time. */
  for (guint i = 0; i < BFK_AUDIT_PAGE_SIZE; i++)
    {
      g_autofree gchar *subject = g_strdup_printf ("batch %u", i);

      record ("change_preference", subject, NULL, "ok");
    }
  /* Live, they all came at the top. */
  c.n = BFK_AUDIT_PAGE_SIZE + 4;
  bfk_test_ui_wait (has_rows, &c, 20, "the new entries");
  /* A filter reads again from the newest, a page at a time: 201 changes
   * of preference make a full page and one more. */
  select_filter (page, "action_filter", 1);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, BFK_AUDIT_PAGE_SIZE);
  more = bfk_test_ui_find (page, GTK_TYPE_BUTTON, "more_button");
  g_assert_true (gtk_widget_get_visible (more));
  g_signal_emit_by_name (more, "clicked");
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, BFK_AUDIT_PAGE_SIZE + 1);
  g_assert_false (gtk_widget_get_visible (more));
  gtk_window_destroy (ui->window);
  ui->window = NULL;
}

int
main (int argc, char **argv)
{
  int status;

  bfk_test_ui_init (&argc, &argv);
  g_test_add_func ("/ui/audit/empty", test_empty);
  g_test_add_func ("/ui/audit/list-filter-and-pages", test_list_filter_and_pages);
  ui = bfk_test_ui_new (NULL);
  status = g_test_run ();
  bfk_test_ui_free (ui);
  return status;
}
