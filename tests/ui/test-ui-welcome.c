/* test-ui-welcome: the first-run assistant, without starting anything:
 * the demo network writes bafoka.conf with the local network and says it
 * is done; a new key's passwords must match; an existing keystore's wrong
 * password is refused and the form kept, the right one leads on and ends
 * with the key in bafoka.conf and its password in an owner-only file. */
#include <glib/gstdio.h>

#include "bfk-keystore.h"
#include "bfk-test-ui.h"
#include "bfk-welcome-window.h"

static gchar *home;

static void
on_finished (BfkWelcomeWindow *window,
             gboolean         *finished)
{
  *finished = TRUE;
}

static void
click (GtkWidget   *root,
       const gchar *id)
{
  GtkWidget *button = bfk_test_ui_find (root, GTK_TYPE_BUTTON, id);

  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
}

static GKeyFile *
read_conf (void)
{
  GKeyFile *file = g_key_file_new ();
  g_autofree gchar *path = bfk_config_file_path ();
  g_autoptr(GError) error = NULL;

  g_assert_true (g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, &error));
  return file;
}

static void
remove_conf (void)
{
  g_autofree gchar *path = bfk_config_file_path ();

  g_remove (path);
}

static BfkWelcomeWindow *
open_welcome (gboolean *finished)
{
  BfkWelcomeWindow *window = bfk_welcome_window_new (NULL);

  g_signal_connect (window, "finished", G_CALLBACK (on_finished), finished);
  gtk_window_present (GTK_WINDOW (window));
  bfk_test_ui_spin (400);
  return window;
}

static void
test_demo_network (void)
{
  gboolean finished = FALSE;
  BfkWelcomeWindow *window = open_welcome (&finished);
  g_autoptr(GKeyFile) conf = NULL;
  g_autofree gchar *shot = NULL;
  g_autofree gchar *network = NULL;

  remove_conf ();
  g_assert_cmpstr (bfk_welcome_window_get_step (window), ==, "network");
  shot = bfk_test_ui_screenshot (GTK_WINDOW (window), "welcome");
  click (GTK_WIDGET (window), "local_button");
  g_assert_true (finished);
  conf = read_conf ();
  network = g_key_file_get_string (conf, "bafoka", "network", NULL);
  g_assert_cmpstr (network, ==, "local");
  gtk_window_destroy (GTK_WINDOW (window));
  remove_conf ();
}

static void
test_new_key_passwords_differ (void)
{
  gboolean finished = FALSE;
  BfkWelcomeWindow *window = open_welcome (&finished);
  GtkWidget *error_label;
  g_autofree gchar *shot = NULL;

  click (GTK_WIDGET (window), "network_next");   /* Amoy, chosen by default */
  g_assert_cmpstr (bfk_welcome_window_get_step (window), ==, "keystore");
  gtk_editable_set_text (GTK_EDITABLE (bfk_test_ui_find (GTK_WIDGET (window), ADW_TYPE_PASSWORD_ENTRY_ROW,
                                                         "password_row")), "mango-tree-42");
  gtk_editable_set_text (GTK_EDITABLE (bfk_test_ui_find (GTK_WIDGET (window), ADW_TYPE_PASSWORD_ENTRY_ROW,
                                                         "confirm_row")), "mango-tree-24");
  click (GTK_WIDGET (window), "key_next");
  error_label = bfk_test_ui_find (GTK_WIDGET (window), GTK_TYPE_LABEL, "key_error");
  g_assert_true (gtk_widget_get_visible (error_label));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (error_label)), !=, "");
  g_assert_cmpstr (bfk_welcome_window_get_step (window), ==, "keystore");
  bfk_test_ui_spin (400);
  shot = bfk_test_ui_screenshot (GTK_WINDOW (window), "welcome-keystore");
  g_assert_false (finished);
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
reached (gpointer data)
{
  gpointer *args = data;

  return g_strcmp0 (bfk_welcome_window_get_step (args[0]), args[1]) == 0
         || gtk_widget_get_visible (args[2]);
}

static void
test_existing_key (void)
{
  g_auto(BfkPrivateKey) key = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree gchar *dir = g_build_filename (g_get_user_data_dir (), "bafoka", "keystores", NULL);
  g_autofree gchar *keystore = g_build_filename (dir, "operator.json", NULL);
  BfkScryptParams light = BFK_SCRYPT_LIGHT;
  gboolean finished = FALSE;
  BfkWelcomeWindow *window;
  GtkWidget *password, *error_label;
  g_autoptr(GKeyFile) conf = NULL;
  g_autofree gchar *conf_keystore = NULL, *password_file = NULL, *network = NULL, *written = NULL;
  gpointer args[3];
  GStatBuf st;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (bfk_private_key_generate (&key, &error));
  g_assert_true (bfk_keystore_save (keystore, &key, "right-password", 14, &light, &error));

  remove_conf ();
  window = open_welcome (&finished);
  click (GTK_WIDGET (window), "network_next");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (bfk_test_ui_find (GTK_WIDGET (window), GTK_TYPE_CHECK_BUTTON,
                                                                   "existing_check")), TRUE);
  password = bfk_test_ui_find (GTK_WIDGET (window), ADW_TYPE_PASSWORD_ENTRY_ROW, "password_row");
  error_label = bfk_test_ui_find (GTK_WIDGET (window), GTK_TYPE_LABEL, "key_error");

  gtk_editable_set_text (GTK_EDITABLE (password), "wrong-password");
  click (GTK_WIDGET (window), "key_next");
  args[0] = window;
  args[1] = "whatsapp";
  args[2] = error_label;
  bfk_test_ui_wait (reached, args, 30, "the password's check");
  g_assert_cmpstr (bfk_welcome_window_get_step (window), ==, "keystore");
  g_assert_true (gtk_widget_get_visible (error_label));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (password)), ==, "wrong-password");

  gtk_editable_set_text (GTK_EDITABLE (password), "right-password");
  click (GTK_WIDGET (window), "key_next");
  g_assert_false (gtk_widget_get_visible (error_label));
  bfk_test_ui_wait (reached, args, 30, "the password's check");
  g_assert_cmpstr (bfk_welcome_window_get_step (window), ==, "whatsapp");

  click (GTK_WIDGET (window), "skip_button");
  g_assert_true (finished);
  conf = read_conf ();
  network = g_key_file_get_string (conf, "bafoka", "network", NULL);
  conf_keystore = g_key_file_get_string (conf, "bafoka", "keystore", NULL);
  password_file = g_key_file_get_string (conf, "bafoka", "keystore_password_file", NULL);
  g_assert_cmpstr (network, ==, "amoy");
  g_assert_cmpstr (conf_keystore, ==, keystore);
  g_assert_false (g_key_file_has_key (conf, "bafoka", "twilio_auth_token", NULL));
  g_assert_nonnull (password_file);
  g_assert_cmpint (g_stat (password_file, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (g_file_get_contents (password_file, &written, NULL, NULL));
  g_assert_cmpstr (written, ==, "right-password\n");
  gtk_window_destroy (GTK_WINDOW (window));
  g_remove (password_file);
  g_remove (keystore);
  g_rmdir (dir);
  remove_conf ();
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree gchar *config = NULL, *data = NULL;
  int status;

  /* Before GLib caches where the configuration and the data go. */
  home = g_dir_make_tmp ("bafoka-welcome-XXXXXX", &error);
  g_assert_no_error (error);
  config = g_build_filename (home, "config", NULL);
  data = g_build_filename (home, "data", NULL);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  g_setenv ("XDG_DATA_HOME", data, TRUE);
  bfk_test_ui_init (&argc, &argv);
  g_test_add_func ("/ui/welcome/demo-network", test_demo_network);
  g_test_add_func ("/ui/welcome/new-key-passwords-differ", test_new_key_passwords_differ);
  g_test_add_func ("/ui/welcome/existing-key", test_existing_key);
  status = g_test_run ();
  {
    g_autofree gchar *a = g_build_filename (config, "bafoka", NULL);
    g_autofree gchar *b = g_build_filename (data, "bafoka", NULL);

    g_rmdir (a);
    g_rmdir (config);
    g_rmdir (b);
    g_rmdir (data);
    g_rmdir (home);
  }
  g_free (home);
  return status;
}
