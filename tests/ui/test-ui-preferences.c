/* test-ui-preferences: the preferences window over a running session: its
 * rows show the configuration, a changed confirmation depth is written to
 * bafoka.conf (owner-only) and audited, the token is a password row, and a
 * value the environment sets cannot be edited. */
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "bfk-preferences-window.h"
#include "bfk-test-ui.h"

static BfkTestUi *ui;
static gchar *config_home;

static GtkWidget *
row_named (GtkWidget   *window,
           const gchar *variable)
{
  GtkWidget *row = bfk_test_ui_find (window, ADW_TYPE_PREFERENCES_ROW, variable);

  g_assert_nonnull (row);
  g_assert_cmpstr (gtk_widget_get_name (row), ==, variable);
  return row;
}

static gboolean
audited (gpointer data)
{
  BfkStore *store = bfk_session_get_store (ui->session);
  sqlite3_stmt *stmt = bfk_store_prepare (store, "SELECT count(*) FROM audit WHERE action = 'change_preference' "
                                                 "AND subject = 'confirmations' AND detail = '0 → 5'", NULL);
  gint64 n;

  g_assert_nonnull (stmt);
  n = sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);
  return n > 0;
}

static void
test_preferences (void)
{
  BfkPreferencesWindow *window = bfk_preferences_window_new (NULL, ui->session);
  GtkWidget *depth_row, *spin, *data_row, *token_row, *number_row;
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree gchar *path = bfk_config_file_path ();
  g_autofree gchar *depth = NULL;
  g_autofree gchar *shot = NULL;
  GStatBuf st;
  guint changed = 99;

  gtk_window_present (GTK_WINDOW (window));
  bfk_test_ui_spin (500);

  /* The rows show the running configuration: the local network's. */
  depth_row = row_named (GTK_WIDGET (window), "BAFOKA_CONFIRMATIONS");
  spin = bfk_test_ui_find (depth_row, GTK_TYPE_SPIN_BUTTON, NULL);
  g_assert_nonnull (spin);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (spin)), ==, 0);
  data_row = row_named (GTK_WIDGET (window), "BAFOKA_DATA_DIR");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (data_row)), ==, ui->data_dir);
  g_assert_true (ADW_IS_COMBO_ROW (row_named (GTK_WIDGET (window), "BAFOKA_NETWORK")));
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (row_named (GTK_WIDGET (window), "BAFOKA_NETWORK"))),
                    ==, BFK_NETWORK_LOCAL);
  token_row = row_named (GTK_WIDGET (window), "TWILIO_AUTH_TOKEN");
  g_assert_true (ADW_IS_PASSWORD_ENTRY_ROW (token_row));

  /* Set by the environment: shown, not editable, and says by what. */
  number_row = row_named (GTK_WIDGET (window), "TWILIO_WHATSAPP_NUMBER");
  g_assert_false (gtk_widget_get_sensitive (number_row));
  g_assert_true (ADW_IS_ACTION_ROW (number_row));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (number_row)), !=, NULL);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (number_row)), "TWILIO_WHATSAPP_NUMBER"));

  /* Nothing changed: nothing written. */
  g_assert_true (bfk_preferences_window_save (window, &changed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changed, ==, 0);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 5);
  g_assert_true (bfk_preferences_window_save (window, &changed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changed, ==, 1);

  g_assert_true (g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, &error));
  depth = g_key_file_get_string (file, "bafoka", "confirmations", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (depth, ==, "5");
  /* Only what changed: the network's defaults stay the network's. */
  g_assert_false (g_key_file_has_key (file, "bafoka", "network", NULL));
  g_assert_false (g_key_file_has_key (file, "bafoka", "data_dir", NULL));
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  bfk_test_ui_wait (audited, NULL, 20, "the change_preference audit entry");

  shot = bfk_test_ui_screenshot (GTK_WINDOW (window), "preferences");
  g_assert_true (g_file_test (shot, G_FILE_TEST_EXISTS));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_custom_needs_a_node (void)
{
  BfkPreferencesWindow *window = bfk_preferences_window_new (NULL, ui->session);
  g_autoptr(GError) error = NULL;
  GtkWidget *network = row_named (GTK_WIDGET (window), "BAFOKA_NETWORK");
  GtkWidget *rpc = row_named (GTK_WIDGET (window), "BAFOKA_RPC_URL");

  adw_combo_row_set_selected (ADW_COMBO_ROW (network), BFK_NETWORK_CUSTOM);
  gtk_editable_set_text (GTK_EDITABLE (rpc), "");
  g_assert_false (bfk_preferences_window_save (window, NULL, &error));
  g_assert_error (error, BFK_CONFIG_ERROR, BFK_CONFIG_ERROR_INVALID);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree gchar *path = NULL;
  int status;

  /* Before anything asks GLib where the configuration is. */
  config_home = g_dir_make_tmp ("bafoka-prefs-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_CONFIG_HOME", config_home, TRUE);
  g_unsetenv ("BAFOKA_CONFIRMATIONS");
  g_setenv ("TWILIO_WHATSAPP_NUMBER", "+14155238886", TRUE);
  bfk_test_ui_init (&argc, &argv);
  g_test_add_func ("/ui/preferences/rows-and-save", test_preferences);
  g_test_add_func ("/ui/preferences/custom-needs-a-node", test_custom_needs_a_node);
  ui = bfk_test_ui_new (NULL);
  status = g_test_run ();
  bfk_test_ui_free (ui);
  path = bfk_config_file_path ();
  g_remove (path);
  {
    g_autofree gchar *dir = g_path_get_dirname (path);

    g_rmdir (dir);
    g_rmdir (config_home);
  }
  g_free (config_home);
  return status;
}
