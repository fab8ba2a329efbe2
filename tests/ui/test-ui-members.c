/* test-ui-members: the Members page over a running backend: the empty
 * state, five members in two communities, the search, the community
 * filter, sorting (and its setting), revealing a number (recorded in the
 * audit log) and a member's own page. */
#include "bfk-audit.h"
#include "bfk-member-item.h"
#include "bfk-member-view.h"
#include "bfk-members-page.h"
#include "bfk-settings.h"
#include "bfk-test-ui.h"

#define MARIE "+237699001122"

static BfkTestUi *ui;
static BfkMembersPage *page;
static GtkWindow *window;
static gint64 marie_id;

static GtkWidget *
find (const gchar *id)
{
  GtkWidget *widget = bfk_test_ui_find (GTK_WIDGET (page), GTK_TYPE_WIDGET, id);

  g_assert_nonnull (widget);
  return widget;
}

static GListModel *
rows (void)
{
  return G_LIST_MODEL (gtk_column_view_get_model (GTK_COLUMN_VIEW (find ("column_view"))));
}

typedef struct
{
  guint        n;
  const gchar *child;   /* of list_stack, or NULL */
} Expect;

static gboolean
shows (gpointer data)
{
  const Expect *expect = data;
  GtkStack *list_stack = GTK_STACK (find ("list_stack"));

  return g_list_model_get_n_items (rows ()) == expect->n &&
         (!expect->child || g_strcmp0 (gtk_stack_get_visible_child_name (list_stack), expect->child) == 0);
}

static void
wait_rows (guint        n,
           const gchar *child)
{
  Expect expect = { n, child };

  bfk_test_ui_wait (shows, &expect, 10, "the members listed");
}

static BfkMemberItem *
row (guint position)
{
  GObject *item = g_list_model_get_item (rows (), position);

  g_object_unref (item);  /* the model holds it while it is on a page */
  return BFK_MEMBER_ITEM (item);
}

static GPtrArray *
reveals (void)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *entries = bfk_audit_list (bfk_session_get_store (ui->session), "reveal_phone", NULL, 0, 0, 0, &error);

  g_assert_no_error (error);
  return entries;
}

static gboolean
n_reveals_is (gpointer data)
{
  g_autoptr(GPtrArray) entries = reveals ();

  return entries->len == GPOINTER_TO_UINT (data);
}

static void
test_empty (void)
{
  page = g_object_ref_sink (g_object_new (BFK_TYPE_MEMBERS_PAGE, "session", ui->session, NULL));
  window = bfk_test_ui_show (ui, GTK_WIDGET (page), 1100, 700);
  wait_rows (0, "empty");
  {
    g_autofree gchar *shot = bfk_test_ui_screenshot (window, "members-empty");
  }
}

static void
test_list (void)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree gchar *a = NULL, *shot = NULL;

  marie_id = bfk_test_ui_add_member (ui, "+237 699 00 11 22", "Marie", 1);
  bfk_test_ui_add_member (ui, "+237 677 33 44 55", "Paul", 1);
  bfk_test_ui_add_member (ui, "+237 690 12 34 56", "Jean", 1);
  bfk_test_ui_add_member (ui, "+237 655 66 77 88", "Awa", 2);
  bfk_test_ui_add_member (ui, "+237 671 98 76 54", "Fatou", 2);
  /* A conversation for Marie's page: the bot answers her. */
  a = bfk_test_ui_post_webhook (ui, "+237699001122", "Bonjour");
  bfk_test_ui_settle (ui);

  /* The session's "changed" refreshes the page by itself. */
  wait_rows (5, "list");
  g_assert_cmpstr (bfk_member_item_get_name (row (0)), ==, "Awa");
  g_assert_cmpstr (bfk_member_item_get_name (row (4)), ==, "Paul");
  bfk_test_ui_spin (300);
  shot = bfk_test_ui_screenshot (window, "members");

  /* Masked until revealed. */
  g_assert_nonnull (bfk_test_ui_find (find ("column_view"), GTK_TYPE_LABEL, "+2376•• ••• •88"));
  g_assert_null (bfk_test_ui_find (find ("column_view"), GTK_TYPE_LABEL, "+237655667788"));

  /* Revealing Awa's number writes to the audit log first. */
  entries = reveals ();
  g_assert_cmpuint (entries->len, ==, 0);
  g_signal_emit_by_name (bfk_test_ui_find (find ("column_view"), GTK_TYPE_BUTTON, "reveal-phone"), "clicked");
  bfk_test_ui_wait (n_reveals_is, GUINT_TO_POINTER (1), 10, "the reveal recorded");
  g_clear_pointer (&entries, g_ptr_array_unref);
  entries = reveals ();
  {
    BfkAuditEntry *entry = g_ptr_array_index (entries, 0);
    g_autofree gchar *awa_id = g_strdup_printf ("%" G_GINT64_FORMAT, bfk_member_item_get_id (row (0)));

    g_assert_cmpstr (entry->source, ==, "console");
    g_assert_cmpstr (entry->subject, ==, "+2376•• ••• •88");
    g_assert_cmpstr (entry->detail, ==, awa_id);
    g_assert_true (bfk_members_page_is_phone_revealed (page, bfk_member_item_get_id (row (0))));
  }
  bfk_test_ui_spin (100);
  g_assert_nonnull (bfk_test_ui_find (find ("column_view"), GTK_TYPE_LABEL, "+237655667788"));
}

static void
test_search_and_filter (void)
{
  GtkEditable *search = GTK_EDITABLE (find ("search_entry"));
  GtkDropDown *dropdown = GTK_DROP_DOWN (find ("community_dropdown"));
  GListModel *names = gtk_drop_down_get_model (dropdown);
  sqlite3_stmt *stmt;
  g_autofree gchar *second = NULL;
  guint position = 0;

  gtk_editable_set_text (search, "mar");
  wait_rows (1, "list");
  g_assert_cmpstr (bfk_member_item_get_name (row (0)), ==, "Marie");
  /* Digits find the number. */
  gtk_editable_set_text (search, "3344");
  wait_rows (1, "list");
  g_assert_cmpstr (bfk_member_item_get_name (row (0)), ==, "Paul");
  gtk_editable_set_text (search, "zzz");
  wait_rows (0, "no-results");
  {
    g_autofree gchar *shot = bfk_test_ui_screenshot (window, "members-no-results");
  }
  gtk_editable_set_text (search, "");
  wait_rows (5, "list");

  /* "All communities", then each community by name. */
  stmt = bfk_store_prepare (bfk_session_get_store (ui->session), "SELECT name FROM communities WHERE id = 2", NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  second = g_strdup ((const gchar *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  g_assert_cmpuint (g_list_model_get_n_items (names), >=, 3);
  for (guint i = 1; i < g_list_model_get_n_items (names); i++)
    if (g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (names), i), second) == 0)
      position = i;
  g_assert_cmpuint (position, >, 0);
  gtk_drop_down_set_selected (dropdown, position);
  wait_rows (2, "list");
  g_assert_cmpstr (bfk_member_item_get_name (row (0)), ==, "Awa");
  g_assert_cmpstr (bfk_member_item_get_name (row (1)), ==, "Fatou");
  gtk_drop_down_set_selected (dropdown, 0);
  wait_rows (5, "list");
}

static void
test_sort (void)
{
  GtkColumnView *view = GTK_COLUMN_VIEW (find ("column_view"));
  GListModel *columns = gtk_column_view_get_columns (view);
  g_autoptr(GtkColumnViewColumn) phone = g_list_model_get_item (columns, 1);
  g_autoptr(GtkColumnViewColumn) balance = g_list_model_get_item (columns, 3);
  g_autoptr(GtkColumnViewColumn) name = g_list_model_get_item (columns, 0);
  g_autoptr(GSettings) settings = bfk_settings_new ();
  g_autofree gchar *key = NULL;

  /* Only what the model sorts in SQL can be clicked. */
  g_assert_null (gtk_column_view_column_get_sorter (phone));
  g_assert_nonnull (gtk_column_view_column_get_sorter (balance));

  gtk_column_view_sort_by_column (view, balance, GTK_SORT_DESCENDING);
  bfk_test_ui_spin (100);
  g_assert_cmpuint (g_list_model_get_n_items (rows ()), ==, 5);
  for (guint i = 0; i + 1 < 5; i++)
    {
      gint64 b0 = bfk_member_item_get_balance (row (i)), b1 = bfk_member_item_get_balance (row (i + 1));

      g_assert_true (b0 > b1 || (b0 == b1 && bfk_member_item_get_id (row (i)) > bfk_member_item_get_id (row (i + 1))));
    }
  /* Equal balances go by id, descending: the last added first. */
  g_assert_cmpstr (bfk_member_item_get_name (row (0)), ==, "Fatou");
  g_assert_nonnull (settings);
  g_free (key);
  key = g_settings_get_string (settings, "members-sort-column");
  g_assert_cmpstr (key, ==, "balance");
  g_assert_false (g_settings_get_boolean (settings, "members-sort-ascending"));

  gtk_column_view_sort_by_column (view, name, GTK_SORT_DESCENDING);
  bfk_test_ui_spin (100);
  g_assert_cmpstr (bfk_member_item_get_name (row (0)), ==, "Paul");
  g_assert_cmpstr (bfk_member_item_get_name (row (4)), ==, "Awa");

  gtk_column_view_sort_by_column (view, name, GTK_SORT_ASCENDING);
  bfk_test_ui_spin (100);
  g_assert_cmpstr (bfk_member_item_get_name (row (0)), ==, "Awa");
  g_free (key);
  key = g_settings_get_string (settings, "members-sort-column");
  g_assert_cmpstr (key, ==, "name");
  g_assert_true (g_settings_get_boolean (settings, "members-sort-ascending"));
}

static void
test_member (void)
{
  GtkStack *stack = GTK_STACK (find ("stack"));
  BfkMemberView *view = BFK_MEMBER_VIEW (find ("member_view"));
  guint position = G_MAXUINT;
  AdwActionRow *phone_row;
  GtkWidget *focus;
  g_autofree gchar *shot = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (rows ()); i++)
    if (bfk_member_item_get_id (row (i)) == marie_id)
      position = i;
  g_assert_cmpuint (position, !=, G_MAXUINT);
  g_signal_emit_by_name (find ("column_view"), "activate", position);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "member");
  g_assert_cmpint (bfk_member_view_get_member_id (view), ==, marie_id);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (bfk_test_ui_find (GTK_WIDGET (view), GTK_TYPE_LABEL, "name_label"))),
                   ==, "Marie");
  phone_row = ADW_ACTION_ROW (bfk_test_ui_find (GTK_WIDGET (view), ADW_TYPE_ACTION_ROW, "phone_row"));
  g_assert_cmpstr (adw_action_row_get_subtitle (phone_row), ==, "+2376•• ••• •22");
  /* Her registration is among her transactions; no exchange yet. */
  g_assert_true (ADW_IS_ACTION_ROW (gtk_widget_get_first_child (bfk_test_ui_find (GTK_WIDGET (view), GTK_TYPE_LIST_BOX,
                                                                                  "operations_list"))));
  g_assert_false (ADW_IS_ACTION_ROW (gtk_widget_get_first_child (bfk_test_ui_find (GTK_WIDGET (view), GTK_TYPE_LIST_BOX,
                                                                                   "exchanges_list"))));
  /* Her "Bonjour" is in the conversation. */
  g_assert_nonnull (bfk_test_ui_find (GTK_WIDGET (view), GTK_TYPE_LABEL, "Bonjour"));
  /* Without the Backers page's action, Recharge cannot be pressed. */
  g_assert_false (gtk_widget_get_sensitive (bfk_test_ui_find (GTK_WIDGET (view), GTK_TYPE_BUTTON, "recharge_button")));
  bfk_test_ui_spin (400);
  shot = bfk_test_ui_screenshot (window, "member");
  {
    GtkScrolledWindow *scroller = GTK_SCROLLED_WINDOW (bfk_test_ui_find (GTK_WIDGET (view), GTK_TYPE_SCROLLED_WINDOW, NULL));
    GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (scroller);
    g_autofree gchar *history = NULL;

    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
    bfk_test_ui_spin (300);
    history = bfk_test_ui_screenshot (window, "member-history");
    gtk_adjustment_set_value (adjustment, 0);
  }

  g_signal_emit_by_name (bfk_test_ui_find (GTK_WIDGET (view), GTK_TYPE_BUTTON, "reveal_button"), "clicked");
  bfk_test_ui_wait (n_reveals_is, GUINT_TO_POINTER (2), 10, "the second reveal recorded");
  bfk_test_ui_spin (50);
  g_assert_cmpstr (adw_action_row_get_subtitle (phone_row), ==, MARIE);
  g_assert_false (gtk_widget_get_visible (bfk_test_ui_find (GTK_WIDGET (view), GTK_TYPE_BUTTON, "reveal_button")));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "members.show-list", NULL));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "list");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "members.search", NULL));
  focus = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_nonnull (focus);
  g_assert_true (gtk_widget_is_ancestor (focus, find ("search_entry")));
}

int
main (int argc, char **argv)
{
  int status;

  /* The sort is remembered in GSettings: in memory, not the tester's. */
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  bfk_test_ui_init (&argc, &argv);
  g_test_add_func ("/ui/members/empty", test_empty);
  g_test_add_func ("/ui/members/list", test_list);
  g_test_add_func ("/ui/members/search-and-filter", test_search_and_filter);
  g_test_add_func ("/ui/members/sort", test_sort);
  g_test_add_func ("/ui/members/member", test_member);
  ui = bfk_test_ui_new (NULL);
  status = g_test_run ();
  bfk_test_ui_free (ui);  /* and the window */
  g_clear_object (&page);
  return status;
}
