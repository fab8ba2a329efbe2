/* test-ui-backers: the Communities and Backers pages and the Recharge
 * dialog over a real backend, driven through their actions as a person
 * would: a community is added and appears once the network has it; a
 * backer (a fresh key in a V3 keystore, given gas) is approved; the
 * recharge dialog unlocks its key (a wrong password first), picks a
 * member and mints 200, which lands on chain, in the store and in the
 * Members model. */
#include <json-glib/json-glib.h>

#include "bfk-backers-page.h"
#include "bfk-communities-page.h"
#include "bfk-contract.h"
#include "bfk-keystore.h"
#include "bfk-member-model.h"
#include "bfk-recharge-dialog.h"
#include "bfk-store-rows.h"
#include "bfk-test-ui.h"
#include "bfk-unlock-dialog.h"

#define PASSWORD "mango-tree-42"

static BfkTestUi *ui;
static gint64 marie_id;

/* --- helpers ----------------------------------------------------------------- */

static GtkWindow *
find_toplevel (GType type)
{
  g_autoptr(GList) windows = gtk_window_list_toplevels ();

  for (GList *l = windows; l; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

static gboolean
has_toplevel (gpointer type)
{
  return find_toplevel (GPOINTER_TO_SIZE (type)) != NULL;
}

static gboolean
no_toplevel (gpointer type)
{
  return find_toplevel (GPOINTER_TO_SIZE (type)) == NULL;
}

static AdwMessageDialog *
wait_confirmation (void)
{
  bfk_test_ui_wait (has_toplevel, GSIZE_TO_POINTER (ADW_TYPE_MESSAGE_DIALOG), 10, "the confirmation");
  return ADW_MESSAGE_DIALOG (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
}

static void
respond (AdwMessageDialog *dialog,
         const gchar      *response)
{
  GtkWindow *alive = GTK_WINDOW (dialog);

  /* The dialog closes itself after a response; should it stay, close it. */
  g_object_add_weak_pointer (G_OBJECT (alive), (gpointer *) &alive);
  adw_message_dialog_response (dialog, response);
  bfk_test_ui_spin (100);
  if (alive)
    {
      g_object_remove_weak_pointer (G_OBJECT (alive), (gpointer *) &alive);
      gtk_window_destroy (alive);
    }
}

static void
set_text (GtkWidget   *root,
          const gchar *id,
          const gchar *text)
{
  GtkWidget *w = bfk_test_ui_find (root, GTK_TYPE_EDITABLE, id);

  g_assert_nonnull (w);
  gtk_editable_set_text (GTK_EDITABLE (w), text);
}

static gint64
store_int (const gchar *sql,
           const gchar *text)
{
  BfkStore *store = bfk_session_get_store (ui->session);
  sqlite3_stmt *stmt = bfk_store_prepare (store, sql, NULL);
  gint64 v = -1;

  g_assert_nonnull (stmt);
  if (text)
    bfk_store_bind_text (stmt, 1, text);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    v = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return v;
}

typedef struct
{
  GtkWidget   *root;
  const gchar *text;
  const gchar *subtitle;   /* NULL: any */
} Find;

static gboolean
row_shows (gpointer data)
{
  Find *f = data;

  GtkWidget *row = bfk_test_ui_find (f->root, ADW_TYPE_ACTION_ROW, f->text);

  /* The row of the list (named after what it shows), with its figures. */
  return row && g_str_equal (gtk_widget_get_name (row), f->text)
         && (!f->subtitle || strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), f->subtitle));
}

static BfkRpcClient *
node_rpc (void)
{
  g_autofree gchar *path = g_build_filename (ui->data_dir, "local-node.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_file (parser, path, &error));
  return bfk_rpc_client_new (json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)),
                                                            "url"));
}

/* --- the tests ----------------------------------------------------------------- */

static gboolean
community_confirmed (gpointer data)
{
  return store_int ("SELECT count(*) FROM operations WHERE kind = 'add_community' AND state = 'confirmed'", NULL) == 1;
}

static void
test_add_community (void)
{
  GtkWidget *page = g_object_new (BFK_TYPE_COMMUNITIES_PAGE, "session", ui->session, NULL);
  GtkWindow *window = bfk_test_ui_show (NULL, page, 1000, 860);
  GtkWidget *add = bfk_test_ui_find (page, GTK_TYPE_BUTTON, "add_button");
  Find listed = { page, "Bansoa", "Bansika" };
  g_autofree gchar *shot = NULL;
  AdwMessageDialog *dialog;

  bfk_page_refresh (BFK_PAGE (page));
  g_assert_nonnull (bfk_test_ui_find (page, ADW_TYPE_ACTION_ROW, "Fondjomenkwet"));
  g_assert_null (bfk_test_ui_find (page, ADW_TYPE_ACTION_ROW, "Bansoa"));

  /* A symbol with a digit, or one taken, is refused before anything is asked. */
  set_text (page, "name_row", "Bansoa");
  set_text (page, "currency_row", "Bansika");
  set_text (page, "symbol_row", "B1");
  g_assert_false (gtk_widget_get_sensitive (add));
  set_text (page, "symbol_row", "fjk");
  g_assert_false (gtk_widget_get_sensitive (add));
  set_text (page, "symbol_row", "bsk");
  g_assert_true (gtk_widget_get_sensitive (add));

  gtk_widget_activate_action (page, "communities.add", NULL);
  dialog = wait_confirmation ();
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "Bansika (BSK)"));
  respond (dialog, "confirm");

  bfk_test_ui_wait (community_confirmed, NULL, 60, "the community's operation to be confirmed");
  bfk_test_ui_settle (ui);
  g_assert_cmpint (store_int ("SELECT count(*) FROM communities WHERE currency_symbol = ?", "BSK"), ==, 1);
  bfk_test_ui_wait (row_shows, &listed, 20, "the new community in the list");
  g_assert_cmpint (store_int ("SELECT count(*) FROM audit WHERE action = 'add_community' AND subject = ?", "Bansoa"),
                   ==, 1);
  /* The form is empty again, and the operation shows as confirmed. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (bfk_test_ui_find (page, GTK_TYPE_EDITABLE, "name_row"))), ==, "");
  g_assert_false (gtk_widget_get_sensitive (add));
  shot = bfk_test_ui_screenshot (window, "communities");
  gtk_window_destroy (window);
}

typedef struct
{
  BfkPrivateKey key;
  BfkAddress    address;
  gchar         text[BFK_ADDRESS_STRING_SIZE];
  gchar        *keystore;
} Backer;

static Backer backer;

static gboolean
backer_confirmed (gpointer data)
{
  return store_int ("SELECT count(*) FROM backers WHERE active = 1 AND address = ?", backer.text) == 1;
}

static gboolean
unlock_failed (gpointer data)
{
  GtkWidget *label = bfk_test_ui_find (data, GTK_TYPE_LABEL, "status_label");

  return gtk_widget_has_css_class (label, "error");
}

static gboolean
signer_held (gpointer data)
{
  return bfk_backend_has_signer (ui->backend, &backer.address);
}

static gboolean
action_enabled (gpointer data)
{
  GtkWidget *button = bfk_test_ui_find (data, GTK_TYPE_BUTTON, "recharge_button");

  return gtk_widget_get_sensitive (button);
}

static gboolean
recharge_confirmed (gpointer data)
{
  return store_int ("SELECT count(*) FROM operations WHERE kind = 'recharge' AND state = 'confirmed' AND signer = ?",
                    backer.text) == 1;
}

static void
test_backer_and_recharge (void)
{
  GtkWidget *page = g_object_new (BFK_TYPE_BACKERS_PAGE, "session", ui->session, NULL);
  GtkWindow *window = bfk_test_ui_show (NULL, page, 1000, 860);
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkRpcClient) rpc = node_rpc ();
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(BfkMemberModel) model = NULL;
  g_autofree gchar *shot = NULL, *search_shot = NULL, *confirm_shot = NULL, *short_text = NULL;
  Find left = { page, NULL, "500" };
  BfkRechargeDialog *recharge;
  BfkUnlockDialog *unlock;
  AdwMessageDialog *dialog;
  BfkAddress contract, marie;
  BfkU256 on_chain;
  gint64 before, after;

  bfk_page_refresh (BFK_PAGE (page));
  g_assert_true (gtk_widget_get_visible (bfk_test_ui_find (page, ADW_TYPE_STATUS_PAGE, "empty_page")));

  /* A fresh backer key, in a keystore file, with gas from anvil. */
  g_assert_true (bfk_private_key_generate (&backer.key, &error));
  g_assert_true (bfk_private_key_to_address (&backer.key, &backer.address, &error));
  bfk_address_to_string_buf (&backer.address, backer.text);
  backer.keystore = g_build_filename (ui->data_dir, "backer.json", NULL);
  g_assert_true (bfk_keystore_save (backer.keystore, &backer.key, PASSWORD, strlen (PASSWORD),
                                    &BFK_SCRYPT_LIGHT, &error));
  json_builder_begin_array (b);
  json_builder_add_string_value (b, backer.text);
  json_builder_add_string_value (b, "0x56bc75e2d63100000");   /* 100 ETH */
  json_builder_end_array (b);
  answer = bfk_rpc_client_call (rpc, "anvil_setBalance", json_builder_get_root (b), &error);
  g_assert_no_error (error);

  /* Approve it for Fondjomenkwet, 500 a week. */
  set_text (page, "address_row", backer.text);
  set_text (page, "cap_row", "0");
  g_assert_false (gtk_widget_get_sensitive (bfk_test_ui_find (page, GTK_TYPE_BUTTON, "approve_button")));
  set_text (page, "cap_row", "500");
  adw_combo_row_set_selected (ADW_COMBO_ROW (bfk_test_ui_find (page, ADW_TYPE_COMBO_ROW, "community_row")), 0);
  g_assert_true (gtk_widget_get_sensitive (bfk_test_ui_find (page, GTK_TYPE_BUTTON, "approve_button")));
  gtk_widget_activate_action (page, "backers.approve", NULL);
  dialog = wait_confirmation ();
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), backer.text));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "Fondjomenkwet"));
  respond (dialog, "confirm");
  bfk_test_ui_wait (backer_confirmed, NULL, 60, "the backer's approval");
  bfk_test_ui_settle (ui);
  g_assert_cmpint (store_int ("SELECT weekly_cap FROM backers WHERE address = ?", backer.text), ==, 500);
  left.text = backer.text;
  bfk_test_ui_wait (row_shows, &left, 20, "the backer's row");
  shot = bfk_test_ui_screenshot (window, "backers");

  /* The recharge, from the backer's row: its key is not held yet. */
  g_assert_false (bfk_backend_has_signer (ui->backend, &backer.address));
  gtk_widget_activate_action (page, "backers.recharge", "s", backer.text);
  bfk_test_ui_wait (has_toplevel, GSIZE_TO_POINTER (BFK_TYPE_RECHARGE_DIALOG), 10, "the recharge dialog");
  recharge = BFK_RECHARGE_DIALOG (find_toplevel (BFK_TYPE_RECHARGE_DIALOG));
  g_assert_false (gtk_widget_get_sensitive (bfk_test_ui_find (GTK_WIDGET (recharge), GTK_TYPE_BUTTON, "recharge_button")));
  g_assert_nonnull (gtk_widget_get_tooltip_text (bfk_test_ui_find (GTK_WIDGET (recharge), GTK_TYPE_BUTTON,
                                                                    "recharge_button")));

  gtk_widget_activate_action (GTK_WIDGET (recharge), "recharge.unlock", NULL);
  bfk_test_ui_wait (has_toplevel, GSIZE_TO_POINTER (BFK_TYPE_UNLOCK_DIALOG), 10, "the unlock dialog");
  unlock = BFK_UNLOCK_DIALOG (find_toplevel (BFK_TYPE_UNLOCK_DIALOG));
  {
    g_autoptr(GFile) file = g_file_new_for_path (backer.keystore);

    bfk_unlock_dialog_set_file (unlock, file);
  }
  /* A wrong password says so, and keeps the file chosen. */
  set_text (GTK_WIDGET (unlock), "password_row", "not-the-password");
  gtk_widget_activate_action (GTK_WIDGET (unlock), "unlock.unlock", NULL);
  bfk_test_ui_wait (unlock_failed, unlock, 30, "the wrong password to be told");
  g_assert_false (signer_held (NULL));
  g_assert_true (find_toplevel (BFK_TYPE_UNLOCK_DIALOG) == GTK_WINDOW (unlock));
  {
    g_autofree gchar *wrong = bfk_test_ui_screenshot (GTK_WINDOW (unlock), "unlock-wrong-password");
  }
  set_text (GTK_WIDGET (unlock), "password_row", PASSWORD);
  gtk_widget_activate_action (GTK_WIDGET (unlock), "unlock.unlock", NULL);
  bfk_test_ui_wait (signer_held, NULL, 30, "the backer's key in the backend");
  bfk_test_ui_wait (no_toplevel, GSIZE_TO_POINTER (BFK_TYPE_UNLOCK_DIALOG), 10, "the unlock dialog to close");

  /* Marie, 200. */
  set_text (GTK_WIDGET (recharge), "member_search", "mar");
  bfk_test_ui_spin (300);
  gtk_widget_activate_action (GTK_WIDGET (recharge), "recharge.pick-member", "x", marie_id);
  set_text (GTK_WIDGET (recharge), "amount_row", "600");
  bfk_test_ui_spin (300);
  g_assert_false (action_enabled (recharge));   /* above the weekly cap */
  set_text (GTK_WIDGET (recharge), "amount_row", "200");
  bfk_test_ui_wait (action_enabled, recharge, 20, "the recharge to be ready");
  search_shot = bfk_test_ui_screenshot (GTK_WINDOW (recharge), "recharge-dialog");

  before = store_int ("SELECT balance FROM accounts a JOIN members m ON m.address = a.address WHERE m.name = ?",
                      "Marie");
  gtk_widget_activate_action (GTK_WIDGET (recharge), "recharge.confirm", NULL);
  dialog = wait_confirmation ();
  short_text = g_strdup (adw_message_dialog_get_body (dialog));
  g_assert_nonnull (strstr (short_text, "Marie"));
  g_assert_nonnull (strstr (short_text, "Fondjomenkwet"));
  g_assert_nonnull (strstr (short_text, "200"));
  g_assert_nonnull (strstr (short_text, "300"));
  confirm_shot = bfk_test_ui_screenshot (GTK_WINDOW (dialog), "recharge-confirm");
  respond (dialog, "confirm");
  bfk_test_ui_wait (no_toplevel, GSIZE_TO_POINTER (BFK_TYPE_RECHARGE_DIALOG), 10, "the recharge dialog to close");

  bfk_test_ui_wait (recharge_confirmed, NULL, 60, "the recharge to be confirmed");
  bfk_test_ui_settle (ui);
  after = store_int ("SELECT balance FROM accounts a JOIN members m ON m.address = a.address WHERE m.name = ?",
                     "Marie");
  g_assert_cmpint (after, ==, before + 200);
  g_assert_cmpint (store_int ("SELECT count(*) FROM audit WHERE action = 'recharge' AND actor_address = ?",
                              backer.text), ==, 1);

  /* The chain agrees. */
  g_assert_true (bfk_address_parse (bfk_backend_get_contract (ui->backend), &contract, NULL));
  {
    g_autoptr(BfkMember) m = bfk_members_get (bfk_session_get_store (ui->session), marie_id, &error);

    g_assert_nonnull (m);
    marie = m->address;
  }
  g_assert_true (bfk_contract_read_uint (rpc, &contract, "balanceOf", &marie, &on_chain, &error));
  g_assert_cmpuint (bfk_u256_to_u64 (on_chain), ==, (guint64) after);
  g_assert_true (bfk_contract_read_uint (rpc, &contract, "rechargeableThisWeek", &backer.address, &on_chain, &error));
  g_assert_cmpuint (bfk_u256_to_u64 (on_chain), ==, 300);

  /* And the Members model. */
  model = bfk_member_model_new (bfk_session_get_store (ui->session), &error);
  bfk_member_model_set_search (model, "Marie");
  g_assert_true (bfk_member_model_refresh (model, &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1);
  {
    g_autoptr(BfkMemberItem) item = g_list_model_get_item (G_LIST_MODEL (model), 0);

    g_assert_cmpint (bfk_member_item_get_balance (item), ==, after);
  }

  /* The page reads what is left from the chain: 300 now. */
  left.subtitle = "300";
  bfk_test_ui_wait (row_shows, &left, 20, "what the backer has left this week");

  /* Revoke: the row says so, and recharging is over. */
  bfk_page_refresh (BFK_PAGE (page));
  gtk_widget_activate_action (page, "backers.revoke", "s", backer.text);
  dialog = wait_confirmation ();
  respond (dialog, "confirm");
  bfk_test_ui_settle (ui);
  g_assert_cmpint (store_int ("SELECT active FROM backers WHERE address = ?", backer.text), ==, 0);
  g_assert_cmpint (store_int ("SELECT count(*) FROM audit WHERE action = 'revoke_backer' AND subject = ?",
                              backer.text), ==, 1);
  gtk_window_destroy (window);
  bfk_private_key_wipe (&backer.key);
  g_free (backer.keystore);
}

int
main (int argc, char **argv)
{
  int status;

  bfk_test_ui_init (&argc, &argv);
  g_test_add_func ("/ui/backers/add-community", test_add_community);
  g_test_add_func ("/ui/backers/approve-and-recharge", test_backer_and_recharge);
  ui = bfk_test_ui_new (NULL);
  marie_id = bfk_test_ui_add_member (ui, "+237 699 00 11 22", "Marie", 1);
  bfk_test_ui_add_member (ui, "+237 677 33 44 55", "Paul", 1);
  bfk_test_ui_add_member (ui, "+237 655 66 77 88", "Awa", 2);
  bfk_test_ui_settle (ui);
  status = g_test_run ();
  bfk_test_ui_free (ui);
  return status;
}
