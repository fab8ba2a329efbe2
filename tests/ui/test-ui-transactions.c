/* test-ui-transactions: the transactions page over a running backend:
 * registrations appear and end confirmed, the filters narrow the list, a
 * transaction held in the node's pool (automine off) is bumped through the
 * page's action and its confirmation dialog, and ends confirmed in place;
 * the chain events view lists what the follower read. */
#include <libsoup/soup.h>
#include <string.h>

#include "bfk-operation-item.h"
#include "bfk-operation-text.h"
#include "bfk-test-ui.h"
#include "bfk-transactions-page.h"

static BfkTestUi *ui;

/* The local node's URL: the config has none (the backend started the
 * node), but the backend records it in the data folder for bafokactl. */
static gchar *
node_url (void)
{
  g_autofree gchar *path = g_build_filename (ui->data_dir, "local-node.json", NULL);
  g_autofree gchar *text = NULL;
  g_autoptr(GRegex) regex = g_regex_new ("\"url\"\\s*:\\s*\"([^\"]+)\"", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;

  if (bfk_backend_get_config (ui->backend)->rpc_url)
    return g_strdup (bfk_backend_get_config (ui->backend)->rpc_url);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_true (g_regex_match (regex, text, 0, &match));
  return g_match_info_fetch (match, 1);
}

/* One JSON-RPC call to the local node, whose answer is not needed. */
static void
node_call (const gchar *method,
           const gchar *params)
{
  g_autoptr(SoupSession) soup = soup_session_new ();
  g_autofree gchar *url = node_url ();
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree gchar *body = g_strdup_printf ("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"%s\",\"params\":%s}",
                                            method, params);

  g_autoptr(GBytes) request = g_bytes_new (body, strlen (body));

  soup_message_set_request_body_from_bytes (msg, "application/json", request);
  answer = soup_session_send_and_read (soup, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_null (strstr (g_bytes_get_data (answer, NULL), "\"error\""));
}

static void
load_style (void)
{
  g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

  gtk_css_provider_load_from_resource (provider, "/org/bafoka/Console/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

typedef struct
{
  GtkWidget          *page;
  GtkSingleSelection *selection;
  GListModel         *model;
} Page;

static Page
show_page (void)
{
  Page p;
  GtkWidget *view;

  p.page = g_object_new (BFK_TYPE_TRANSACTIONS_PAGE, "session", ui->session, NULL);
  bfk_test_ui_show (ui, p.page, 1100, 640);
  view = bfk_test_ui_find (p.page, GTK_TYPE_COLUMN_VIEW, "view");
  g_assert_nonnull (view);
  p.selection = GTK_SINGLE_SELECTION (gtk_column_view_get_model (GTK_COLUMN_VIEW (view)));
  p.model = gtk_single_selection_get_model (p.selection);
  g_assert_nonnull (p.model);
  return p;
}

static BfkOperationItem *
item_at (Page  *p,
         guint  position)
{
  return g_list_model_get_item (p->model, position);
}

static void
select_filter (Page        *p,
               const gchar *id,
               guint        position)
{
  GtkWidget *filter = bfk_test_ui_find (p->page, GTK_TYPE_DROP_DOWN, id);

  g_assert_nonnull (filter);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (filter), position);
  bfk_test_ui_spin (100);
}

/* The state cells of class state_class under widget that say so. */
static guint
count_pills (GtkWidget   *widget,
             const gchar *state_class)
{
  guint n = 0;

  if (GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, state_class)
      && gtk_widget_get_mapped (widget))
    {
      g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (widget)), ==,
                       bfk_operation_state_label (state_class + strlen ("op-")));
      n++;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child;
       child = gtk_widget_get_next_sibling (child))
    n += count_pills (child, state_class);
  return n;
}

static void
test_list_and_filters (void)
{
  Page p = show_page ();
  GtkWidget *empty;

  g_assert_cmpuint (g_list_model_get_n_items (p.model), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(BfkOperationItem) item = item_at (&p, i);
      g_autoptr(BfkOperationItem) older = i < 2 ? item_at (&p, i + 1) : NULL;

      g_assert_cmpstr (bfk_operation_item_get_kind (item), ==, "register_member");
      g_assert_cmpstr (bfk_operation_item_get_state (item), ==, "confirmed");
      g_assert_nonnull (bfk_operation_item_get_fee_paid (item));
      /* Newest first. */
      if (older)
        g_assert_cmpint (bfk_operation_item_get_id (item), >, bfk_operation_item_get_id (older));
    }
  /* The cells say it in words, in green pills. */
  g_assert_cmpuint (count_pills (p.page, "op-confirmed"), ==, 3);
  g_assert_nonnull (bfk_test_ui_find (p.page, GTK_TYPE_LABEL, bfk_operation_kind_label ("register_member")));
  g_assert_nonnull (bfk_test_ui_find (p.page, GTK_TYPE_LABEL, "Awa"));
  g_assert_nonnull (bfk_test_ui_find (p.page, GTK_TYPE_LABEL, " ETH"));
  {
    g_autofree gchar *shot = bfk_test_ui_screenshot (ui->window, "transactions");
  }

  /* No failed operation: the page says why it is empty. */
  select_filter (&p, "state_filter", 1 + BFK_OP_FAILED);
  g_assert_cmpuint (g_list_model_get_n_items (p.model), ==, 0);
  empty = bfk_test_ui_find (p.page, ADW_TYPE_STATUS_PAGE, "empty_page");
  g_assert_true (gtk_widget_get_mapped (empty));
  select_filter (&p, "state_filter", 1 + BFK_OP_CONFIRMED);
  g_assert_cmpuint (g_list_model_get_n_items (p.model), ==, 3);
  /* Community 2, Banja: Awa's registration only. */
  select_filter (&p, "community_filter", 2);
  g_assert_cmpuint (g_list_model_get_n_items (p.model), ==, 1);
  {
    g_autoptr(BfkOperationItem) item = item_at (&p, 0);

    g_assert_cmpuint (bfk_operation_item_get_community_id (item), ==, 2);
  }
  select_filter (&p, "kind_filter", 1 + BFK_OP_RECHARGE);
  g_assert_cmpuint (g_list_model_get_n_items (p.model), ==, 0);
  select_filter (&p, "kind_filter", 1 + BFK_OP_REGISTER_MEMBER);
  g_assert_cmpuint (g_list_model_get_n_items (p.model), ==, 1);
  gtk_selection_model_select_item (GTK_SELECTION_MODEL (p.selection), 0, TRUE);
  bfk_test_ui_spin (400);
  {
    g_autofree gchar *shot = bfk_test_ui_screenshot (ui->window, "transactions-filtered");
  }
  /* A confirmed operation can be neither bumped nor cancelled, and the
   * greyed buttons say why. */
  {
    GtkWidget *bump = bfk_test_ui_find (p.page, GTK_TYPE_BUTTON, "bump_button");
    GtkWidget *cancel = bfk_test_ui_find (p.page, GTK_TYPE_BUTTON, "cancel_button");

    g_assert_true (gtk_widget_get_mapped (bump));
    g_assert_false (gtk_widget_get_sensitive (bump));
    g_assert_false (gtk_widget_get_sensitive (cancel));
    g_assert_nonnull (gtk_widget_get_tooltip_text (bump));
    g_assert_nonnull (gtk_widget_get_tooltip_text (cancel));
  }

  /* The chain events: three registrations, and the three communities. */
  {
    GtkWidget *views = bfk_test_ui_find (p.page, GTK_TYPE_STACK, "views");
    GtkWidget *events = bfk_test_ui_find (p.page, GTK_TYPE_LIST_BOX, "events_list");
    guint n = 0;

    gtk_stack_set_visible_child_name (GTK_STACK (views), "events");
    bfk_test_ui_spin (300);
    for (GtkWidget *row = gtk_widget_get_first_child (events); row; row = gtk_widget_get_next_sibling (row))
      n++;
    g_assert_cmpuint (n, >=, 3);
    g_assert_false (gtk_widget_get_visible (bfk_test_ui_find (p.page, GTK_TYPE_BOX, "filters")));
    {
      g_autofree gchar *shot = bfk_test_ui_screenshot (ui->window, "transactions-events");
    }
  }
  gtk_window_destroy (ui->window);
  ui->window = NULL;
}

typedef struct
{
  Page        *page;
  gint64       id;
  const gchar *state;
  gint         attempts;
} Expect;

/* The first row is operation id, in state, after at least attempts. */
static gboolean
first_row_is (gpointer data)
{
  Expect *e = data;
  g_autoptr(BfkOperationItem) item = item_at (e->page, 0);

  return item && bfk_operation_item_get_id (item) == e->id
         && g_strcmp0 (bfk_operation_item_get_state (item), e->state) == 0
         && bfk_operation_item_get_attempts (item) >= e->attempts;
}

/* With the automine off, a member's registration that stays in the
 * node's pool: its operation id, once the page shows it sent, on top.
 * e is then that row, sent once. */
static gint64
register_stuck (Expect      *e,
                const gchar *phone,
                const gchar *name,
                guint64      community_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkMember) member = NULL;
  gint64 op_id = 0;

  node_call ("evm_setAutomine", "[false]");
  bfk_backend_add_member_async (ui->backend, phone, name, community_id, NULL,
                                bfk_test_ui_store_result, &result);
  result = bfk_test_ui_wait_result (&result);
  member = bfk_backend_add_member_finish (ui->backend, result, &op_id, &error);
  g_assert_no_error (error);
  e->id = op_id;
  e->state = "sent";
  e->attempts = 1;
  /* The page follows it live, at the top. */
  bfk_test_ui_wait (first_row_is, e, 60, "the registration to be sent");
  return op_id;
}

/* The automine again, and what the pool holds mined. */
static void
mine_all (void)
{
  node_call ("evm_setAutomine", "[true]");
  node_call ("evm_mine", "[]");
}

static AdwMessageDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();   /* not ours */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

static void
on_toast (BfkSession  *session,
          const gchar *text,
          gchar      **last)
{
  g_free (*last);
  *last = g_strdup (text);
}

static gboolean
has_text (gpointer data)
{
  return *(gchar **) data != NULL;
}

static void
test_bump_stuck (void)
{
  Page p = show_page ();
  g_autofree gchar *toast = NULL;
  g_autofree gchar *expected = NULL;
  AdwMessageDialog *dialog;
  Expect e = { &p };
  gulong handler;
  /* The node keeps what it is sent in its pool: the transaction is stuck. */
  gint64 op_id = register_stuck (&e, "+237 670 00 00 01", "Jean", 1);

  gtk_selection_model_select_item (GTK_SELECTION_MODEL (p.selection), 0, TRUE);
  bfk_test_ui_spin (300);
  g_assert_true (gtk_widget_get_sensitive (bfk_test_ui_find (p.page, GTK_TYPE_BUTTON, "bump_button")));
  g_assert_true (gtk_widget_get_sensitive (bfk_test_ui_find (p.page, GTK_TYPE_BUTTON, "cancel_button")));
  {
    g_autofree gchar *shot = bfk_test_ui_screenshot (ui->window, "transactions-stuck");
  }

  handler = g_signal_connect (ui->session, "toast", G_CALLBACK (on_toast), &toast);
  g_assert_true (gtk_widget_activate_action (p.page, "transactions.bump", NULL));
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  expected = g_strdup_printf ("%" G_GINT64_FORMAT, op_id);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), expected));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "13"));
  {
    g_autofree gchar *shot = bfk_test_ui_screenshot (GTK_WINDOW (dialog), "transactions-bump-dialog");
  }
  adw_message_dialog_response (dialog, "confirm");
  gtk_window_destroy (GTK_WINDOW (dialog));
  bfk_test_ui_wait (has_text, &toast, 30, "the bump's toast");
  g_assert_nonnull (strstr (toast, expected));
  g_signal_handler_disconnect (ui->session, handler);

  /* Signed again with higher fees: a second attempt, still in the pool. */
  e.attempts = 2;
  bfk_test_ui_wait (first_row_is, &e, 60, "the bumped transaction to be sent");

  mine_all ();
  e.state = "confirmed";
  bfk_test_ui_wait (first_row_is, &e, 60, "the bumped transaction to be confirmed");
  /* Still selected, in place; and no longer bumpable. */
  g_assert_cmpuint (gtk_single_selection_get_selected (p.selection), ==, 0);
  bfk_test_ui_spin (300);
  g_assert_false (gtk_widget_get_sensitive (bfk_test_ui_find (p.page, GTK_TYPE_BUTTON, "bump_button")));
  gtk_window_destroy (ui->window);
  ui->window = NULL;
}

static void
test_fee_format (void)
{
  gboolean fr = g_str_equal (bfk_test_ui_language (), "fr");
  g_autofree gchar *fee = bfk_operation_format_fee ("124000000000000", BFK_NETWORK_POLYGON);
  g_autofree gchar *rounded = bfk_operation_format_fee ("1500000000000000000", BFK_NETWORK_LOCAL);
  g_autofree gchar *tiny = bfk_operation_format_fee ("1", BFK_NETWORK_AMOY);
  g_autofree gchar *none = bfk_operation_format_fee (NULL, BFK_NETWORK_LOCAL);

  g_assert_cmpstr (fee, ==, fr ? "0,000124 POL" : "0.000124 POL");
  g_assert_cmpstr (rounded, ==, fr ? "1,5 ETH" : "1.5 ETH");
  g_assert_cmpstr (tiny, ==, fr ? "< 0,000001 POL" : "< 0.000001 POL");
  g_assert_cmpstr (none, ==, "—");
}

/* The first label of class state_class under widget, mapped. */
static GtkWidget *
find_pill (GtkWidget   *widget,
           const gchar *state_class)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, state_class)
      && gtk_widget_get_mapped (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_pill (child, state_class);

      if (found)
        return found;
    }
  return NULL;
}

static void
test_cancel_stuck (void)
{
  Page p = show_page ();
  AdwMessageDialog *dialog;
  GtkWidget *pill;
  Expect e = { &p };

  register_stuck (&e, "+237 670 00 00 02", "Luc", 2);

  gtk_selection_model_select_item (GTK_SELECTION_MODEL (p.selection), 0, TRUE);
  bfk_test_ui_spin (200);
  g_assert_true (gtk_widget_activate_action (p.page, "transactions.cancel", NULL));
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "nonce"));
  adw_message_dialog_response (dialog, "confirm");
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* Wait for the replacement to be in the pool before mining it. */
  e.attempts = 2;
  bfk_test_ui_wait (first_row_is, &e, 60, "the replacement to be sent");
  mine_all ();
  e.state = "failed";
  bfk_test_ui_wait (first_row_is, &e, 60, "the cancelled transaction to end");
  bfk_test_ui_spin (300);
  /* The red pill says why when hovered. */
  pill = find_pill (p.page, "op-failed");
  g_assert_nonnull (pill);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (pill), ==, BFK_OUTBOX_CANCEL_REASON);
  {
    g_autofree gchar *shot = bfk_test_ui_screenshot (ui->window, "transactions-cancelled");
  }
  gtk_window_destroy (ui->window);
  ui->window = NULL;
}

int
main (int argc, char **argv)
{
  int status;

  bfk_test_ui_init (&argc, &argv);
  load_style ();
  g_test_add_func ("/ui/transactions/fee-format", test_fee_format);
  g_test_add_func ("/ui/transactions/list-and-filters", test_list_and_filters);
  g_test_add_func ("/ui/transactions/bump-stuck", test_bump_stuck);
  g_test_add_func ("/ui/transactions/cancel-stuck", test_cancel_stuck);
  ui = bfk_test_ui_new (NULL);
  bfk_test_ui_add_member (ui, "+237 699 00 11 22", "Marie", 1);
  bfk_test_ui_add_member (ui, "+237 677 33 44 55", "Paul", 1);
  bfk_test_ui_add_member (ui, "+237 655 66 77 88", "Awa", 2);
  bfk_test_ui_settle (ui);
  status = g_test_run ();
  bfk_test_ui_free (ui);
  return status;
}
