/* test-config-file: bfk_config_save writes bafoka.conf as bfk_config_load
 * reads it, owner-only, keeping what it was not asked to change. */
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "bfk-config.h"

static gchar *config_home;

static void
clear_env (void)
{
  const gchar *vars[] = { "BAFOKA_NETWORK", "BAFOKA_RPC_URL", "BAFOKA_CHAIN_ID", "BAFOKA_CONFIRMATIONS",
                          "BAFOKA_PROPOSAL_TTL", "TWILIO_AUTH_TOKEN", "BAFOKA_DATA_DIR", NULL };

  for (guint i = 0; vars[i]; i++)
    g_unsetenv (vars[i]);
}

static void
remove_file (void)
{
  g_autofree gchar *path = bfk_config_file_path ();

  g_remove (path);
}

static GHashTable *
values_new (const gchar *first, ...)
{
  GHashTable *values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  const gchar *name = first;
  va_list ap;

  va_start (ap, first);
  while (name)
    {
      const gchar *value = va_arg (ap, const gchar *);

      g_hash_table_insert (values, g_strdup (name), g_strdup (value));
      name = va_arg (ap, const gchar *);
    }
  va_end (ap);
  return values;
}

static void
test_path_and_keys (void)
{
  g_autofree gchar *path = bfk_config_file_path ();
  g_autofree gchar *expected = g_build_filename (config_home, "bafoka", "bafoka.conf", NULL);
  g_autofree gchar *a = bfk_config_file_key ("BAFOKA_RPC_URL");
  g_autofree gchar *b = bfk_config_file_key ("TWILIO_AUTH_TOKEN");

  g_assert_cmpstr (path, ==, expected);
  g_assert_cmpstr (a, ==, "rpc_url");
  g_assert_cmpstr (b, ==, "twilio_auth_token");
}

static void
test_save_then_load (void)
{
  g_autoptr(GHashTable) values = values_new ("BAFOKA_NETWORK", "amoy",
                                             "BAFOKA_CONFIRMATIONS", "7",
                                             "BAFOKA_PROPOSAL_TTL", "7200",
                                             "TWILIO_AUTH_TOKEN", "s3cret", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkConfig) config = NULL;
  g_autofree gchar *path = bfk_config_file_path ();
  GStatBuf st;

  remove_file ();
  g_assert_true (bfk_config_save (values, &error));
  g_assert_no_error (error);

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  config = bfk_config_load (NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (config->network, ==, BFK_NETWORK_AMOY);
  g_assert_cmpuint (config->chain_id, ==, 80002);   /* the preset, not written */
  g_assert_cmpuint (config->confirmations, ==, 7);
  g_assert_cmpuint (config->proposal_ttl, ==, 7200);
  g_assert_cmpstr (config->twilio_auth_token, ==, "s3cret");
}

static void
test_update_keeps_and_removes (void)
{
  g_autoptr(GHashTable) first = values_new ("BAFOKA_NETWORK", "custom", "BAFOKA_RPC_URL", "http://node:8545",
                                            "BAFOKA_CHAIN_ID", "42", NULL);
  g_autoptr(GHashTable) second = values_new ("BAFOKA_CHAIN_ID", "43", "BAFOKA_RPC_URL", "", NULL);
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree gchar *path = bfk_config_file_path ();
  g_autofree gchar *text = NULL;
  g_autofree gchar *dir = g_path_get_dirname (path);

  remove_file ();
  /* An operator's comment survives the console's writes. */
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, "# kept by hand\n[bafoka]\nlisten=0.0.0.0:9090\n", -1, NULL));
  g_chmod (path, 0644);
  g_assert_true (bfk_config_save (first, &error));
  g_assert_true (bfk_config_save (second, &error));
  g_assert_no_error (error);

  g_assert_true (g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, &error));
  g_assert_cmpstr (g_key_file_get_string (file, "bafoka", "network", NULL), ==, "custom");
  g_assert_cmpstr (g_key_file_get_string (file, "bafoka", "chain_id", NULL), ==, "43");
  g_assert_cmpstr (g_key_file_get_string (file, "bafoka", "listen", NULL), ==, "0.0.0.0:9090");
  g_assert_false (g_key_file_has_key (file, "bafoka", "rpc_url", NULL));
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "# kept by hand"));
  {
    GStatBuf st;

    g_assert_cmpint (g_stat (path, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 0777, ==, 0600);   /* tightened */
  }
}

static void
test_refuses_bad_values (void)
{
  g_autoptr(GHashTable) bad_network = values_new ("BAFOKA_NETWORK", "mumbai", NULL);
  g_autoptr(GHashTable) bad_name = values_new ("HOME", "/tmp", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree gchar *path = bfk_config_file_path ();

  remove_file ();
  g_assert_false (bfk_config_save (bad_network, &error));
  g_assert_error (error, BFK_CONFIG_ERROR, BFK_CONFIG_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (bfk_config_save (bad_name, &error));
  g_assert_error (error, BFK_CONFIG_ERROR, BFK_CONFIG_ERROR_INVALID);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  config_home = g_dir_make_tmp ("bafoka-config-XXXXXX", &error);
  g_assert_no_error (error);
  /* Before GLib reads it: g_get_user_config_dir () caches its answer. */
  g_setenv ("XDG_CONFIG_HOME", config_home, TRUE);
  clear_env ();
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/config-file/path-and-keys", test_path_and_keys);
  g_test_add_func ("/config-file/save-then-load", test_save_then_load);
  g_test_add_func ("/config-file/update-keeps-and-removes", test_update_keeps_and_removes);
  g_test_add_func ("/config-file/refuses-bad-values", test_refuses_bad_values);
  status = g_test_run ();
  remove_file ();
  {
    g_autofree gchar *dir = g_build_filename (config_home, "bafoka", NULL);

    g_rmdir (dir);
    g_rmdir (config_home);
  }
  g_free (config_home);
  return status;
}
