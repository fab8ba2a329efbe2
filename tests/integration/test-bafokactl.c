/* test-bafokactl.c: the command-line tool as scripts and people use it:
 * --json documents on stdout, state that survives a restart, keystores, and
 * clear failures. */
#include "bfk-test-chain.h"
#include "bfk-test-ctl.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

static gchar *data_dir;

static gchar *deployed;

static void
test_deploy_json (void)
{
  g_auto(BfkCtlRun) r = { 0 };
  g_autoptr(GList) members = NULL;
  JsonObject *o;

  bfk_ctl_run (&r, data_dir, "deploy", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  o = bfk_ctl_run_object (&r);

  /* Exactly the fields DESIGN.md fixes. */
  members = json_object_get_members (o);
  g_assert_cmpuint (g_list_length (members), ==, 4);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (o, "address"), "0x"));
  g_assert_cmpuint (strlen (json_object_get_string_member (o, "address")), ==, 42);
  g_assert_cmpuint (strlen (json_object_get_string_member (o, "tx")), ==, 66);
  g_assert_cmpint (json_object_get_int_member (o, "block"), >=, 1);
  g_assert_cmpint (json_object_get_int_member (o, "chain_id"), ==, 31337);
  deployed = g_strdup (json_object_get_string_member (o, "address"));
}

/* The first run stopped its anvil; the second finds the same chain and
 * contract in the data dir. */
static void
test_restart_finds_contract (void)
{
  g_auto(BfkCtlRun) r = { 0 };
  g_auto(BfkCtlRun) c = { 0 };
  JsonObject *o;
  JsonArray *list;

  bfk_ctl_run (&r, data_dir, "--json", "deploy", "--if-needed", NULL);
  g_assert_cmpint (r.status, ==, 0);
  o = bfk_ctl_run_object (&r);
  g_assert_cmpstr (json_object_get_string_member (o, "address"), ==, deployed);

  bfk_ctl_run (&c, data_dir, "communities", "--json", NULL);
  g_assert_cmpint (c.status, ==, 0);
  list = json_node_get_array (bfk_ctl_run_json (&c));
  g_assert_cmpuint (json_array_get_length (list), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (list, 0), "currency_name"),
                   ==, "Fonjoka");
}

static void
test_status (void)
{
  g_auto(BfkCtlRun) r = { 0 };
  g_auto(BfkCtlRun) human = { 0 };
  JsonObject *o, *contract, *operator;

  bfk_ctl_run (&r, data_dir, "status", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  o = bfk_ctl_run_object (&r);
  g_assert_cmpstr (json_object_get_string_member (o, "network"), ==, "local");
  contract = json_object_get_object_member (o, "contract");
  g_assert_cmpstr (json_object_get_string_member (contract, "address"), ==, deployed);
  g_assert_cmpint (json_object_get_int_member (contract, "communities"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (contract, "initial_grant"), ==, 1000);
  operator = json_object_get_object_member (o, "operator");
  g_assert_cmpstr (json_object_get_string_member (operator, "address"), ==, BFK_LOCAL_NODE_DEV_ADDRESS);

  bfk_ctl_run (&human, data_dir, "status", NULL);
  g_assert_cmpint (human.status, ==, 0);
  g_assert_nonnull (strstr (human.out, deployed));
  g_assert_nonnull (strstr (human.out, "3 communities"));
}

static gchar *
write_password (const gchar *name,
                const gchar *password)
{
  gchar *path = g_build_filename (data_dir, name, NULL);

  g_assert_true (g_file_set_contents (path, password, -1, NULL));
  return path;
}

static void
test_keystore (void)
{
  g_autofree gchar *good = write_password ("good-password", "mot de passe\n");
  g_autofree gchar *bad = write_password ("bad-password", "pas le bon\n");
  g_autofree gchar *path = g_build_filename (data_dir, "operator.json", NULL);
  g_auto(BfkCtlRun) made = { 0 };
  g_auto(BfkCtlRun) exported = { 0 };
  g_auto(BfkCtlRun) wrong = { 0 };
  g_autofree gchar *contents = NULL;
  JsonObject *o, *e;
  GStatBuf st;

  bfk_ctl_run (&made, data_dir, "--json", "--password-file", good, "keystore", "new", "--light", "--out", path, NULL);
  g_assert_cmpint (made.status, ==, 0);
  o = bfk_ctl_run_object (&made);
  g_assert_cmpstr (json_object_get_string_member (o, "path"), ==, path);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "\"scrypt\""));

  bfk_ctl_run (&exported, data_dir, "--json", "--password-file", good, "keystore", "export", path, NULL);
  g_assert_cmpint (exported.status, ==, 0);
  e = bfk_ctl_run_object (&exported);
  g_assert_cmpstr (json_object_get_string_member (e, "address"), ==, json_object_get_string_member (o, "address"));
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (e, "keystore"), "version"), ==, 3);
  g_assert_null (strstr (exported.out, "private_key"));

  /* A wrong password is a sentence and an exit status, never a crash. */
  bfk_ctl_run (&wrong, data_dir, "--json", "--password-file", bad, "keystore", "export", path, NULL);
  g_assert_cmpint (wrong.status, !=, 0);
  g_assert_nonnull (strstr (wrong.err, "Wrong password"));
  e = bfk_ctl_run_object (&wrong);
  g_assert_true (json_object_has_member (e, "error"));
}

static void
test_wrong_chain_id (void)
{
  g_autoptr(BfkLocalNode) node = NULL;
  BfkLocalNodeOptions options = { 0 };
  g_autoptr(GError) error = NULL;
  g_auto(BfkCtlRun) r = { 0 };

  node = bfk_local_node_start (&options, NULL, &error);
  g_assert_no_error (error);
  bfk_ctl_run (&r, data_dir, "--network", "custom", "--rpc-url", bfk_local_node_get_url (node), "--chain-id", "137",
               "status", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "31337"));
  g_assert_nonnull (strstr (r.err, "137"));
  bfk_local_node_stop (node, 0, NULL);
}

static void
test_node_down (void)
{
  g_auto(BfkCtlRun) r = { 0 };

  bfk_ctl_run (&r, data_dir, "--network", "custom", "--rpc-url", "http://127.0.0.1:9", "--chain-id", "31337",
               "status", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "Cannot reach"));
}

int
main (int argc, char **argv)
{
  g_autofree gchar *anvil = bfk_test_find_tool ("anvil");
  int status;

  g_test_init (&argc, &argv, NULL);
  if (!anvil)
    {
      g_print ("1..0 # SKIP anvil not found\n");
      return 0;
    }
  g_setenv ("BAFOKA_ANVIL", anvil, TRUE);
  g_unsetenv ("BAFOKA_KEYSTORE");
  g_unsetenv ("BAFOKA_KEYSTORE_PASSWORD_FILE");
  g_unsetenv ("BAFOKA_NETWORK");
  g_unsetenv ("BAFOKA_RPC_URL");
  g_setenv ("XDG_CONFIG_HOME", "/nonexistent", TRUE);
  data_dir = g_dir_make_tmp ("bafokactl-XXXXXX", NULL);

  g_test_add_func ("/bafokactl/deploy-json", test_deploy_json);
  g_test_add_func ("/bafokactl/restart-finds-contract", test_restart_finds_contract);
  g_test_add_func ("/bafokactl/status", test_status);
  g_test_add_func ("/bafokactl/keystore", test_keystore);
  g_test_add_func ("/bafokactl/wrong-chain-id", test_wrong_chain_id);
  g_test_add_func ("/bafokactl/node-down", test_node_down);
  status = g_test_run ();

  g_free (deployed);
  g_free (data_dir);
  return status;
}
