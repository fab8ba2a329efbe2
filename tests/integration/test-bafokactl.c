/* test-bafokactl.c: the command-line tool as scripts and people use it:
 * --json documents on stdout, state that survives a restart, keystores, and
 * clear failures. */
#include "bfk-test-chain.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

static gchar *bafokactl;
static gchar *data_dir;

typedef struct
{
  gint   status;  /* the exit status */
  gchar *out;
  gchar *err;
} Run;

static void
run_clear (Run *r)
{
  g_free (r->out);
  g_free (r->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/* Runs bafokactl with the test's data dir and the given arguments. */
static void
run (Run         *r,
     const gchar *first,
     ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  va_list ap;

  g_ptr_array_add (argv, bafokactl);
  g_ptr_array_add (argv, "--data-dir");
  g_ptr_array_add (argv, data_dir);
  va_start (ap, first);
  for (const gchar *a = first; a; a = va_arg (ap, const gchar *))
    g_ptr_array_add (argv, (gpointer) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (gchar **) argv->pdata, NULL, G_SPAWN_STDIN_FROM_DEV_NULL, NULL, NULL,
                &r->out, &r->err, &r->status, &error);
  g_assert_no_error (error);
  r->status = WIFEXITED (r->status) ? WEXITSTATUS (r->status) : -1;
  g_test_message ("stderr: %s", r->err);
}

static JsonObject *
stdout_object (Run        *r,
               JsonParser *parser)
{
  g_autoptr(GError) error = NULL;

  if (!json_parser_load_from_data (parser, r->out, -1, &error))
    g_error ("stdout is not one JSON document: %s\n%s", error->message, r->out);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_node_get_object (json_parser_get_root (parser));
}

static gchar *deployed;

static void
test_deploy_json (void)
{
  g_auto(Run) r = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GList) members = NULL;
  JsonObject *o;

  run (&r, "deploy", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  o = stdout_object (&r, parser);

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
  g_auto(Run) r = { 0 };
  g_auto(Run) c = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonParser) parser2 = json_parser_new ();
  JsonObject *o;
  JsonArray *list;

  run (&r, "--json", "deploy", "--if-needed", NULL);
  g_assert_cmpint (r.status, ==, 0);
  o = stdout_object (&r, parser);
  g_assert_cmpstr (json_object_get_string_member (o, "address"), ==, deployed);

  run (&c, "communities", "--json", NULL);
  g_assert_cmpint (c.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser2, c.out, -1, NULL));
  list = json_node_get_array (json_parser_get_root (parser2));
  g_assert_cmpuint (json_array_get_length (list), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (list, 0), "currency_name"),
                   ==, "Fonjoka");
}

static void
test_status (void)
{
  g_auto(Run) r = { 0 };
  g_auto(Run) human = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *o, *contract, *operator;

  run (&r, "status", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  o = stdout_object (&r, parser);
  g_assert_cmpstr (json_object_get_string_member (o, "network"), ==, "local");
  contract = json_object_get_object_member (o, "contract");
  g_assert_cmpstr (json_object_get_string_member (contract, "address"), ==, deployed);
  g_assert_cmpint (json_object_get_int_member (contract, "communities"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (contract, "initial_grant"), ==, 1000);
  operator = json_object_get_object_member (o, "operator");
  g_assert_cmpstr (json_object_get_string_member (operator, "address"), ==, BFK_LOCAL_NODE_DEV_ADDRESS);

  run (&human, "status", NULL);
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
  g_auto(Run) made = { 0 };
  g_auto(Run) exported = { 0 };
  g_auto(Run) wrong = { 0 };
  g_autoptr(JsonParser) p1 = json_parser_new ();
  g_autoptr(JsonParser) p2 = json_parser_new ();
  g_autoptr(JsonParser) p3 = json_parser_new ();
  g_autofree gchar *contents = NULL;
  JsonObject *o, *e;
  GStatBuf st;

  run (&made, "--json", "--password-file", good, "keystore", "new", "--light", "--out", path, NULL);
  g_assert_cmpint (made.status, ==, 0);
  o = stdout_object (&made, p1);
  g_assert_cmpstr (json_object_get_string_member (o, "path"), ==, path);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "\"scrypt\""));

  run (&exported, "--json", "--password-file", good, "keystore", "export", path, NULL);
  g_assert_cmpint (exported.status, ==, 0);
  e = stdout_object (&exported, p2);
  g_assert_cmpstr (json_object_get_string_member (e, "address"), ==, json_object_get_string_member (o, "address"));
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (e, "keystore"), "version"), ==, 3);
  g_assert_null (strstr (exported.out, "private_key"));

  /* A wrong password is a sentence and an exit status, never a crash. */
  run (&wrong, "--json", "--password-file", bad, "keystore", "export", path, NULL);
  g_assert_cmpint (wrong.status, !=, 0);
  g_assert_nonnull (strstr (wrong.err, "Wrong password"));
  e = stdout_object (&wrong, p3);
  g_assert_true (json_object_has_member (e, "error"));
}

static void
test_wrong_chain_id (void)
{
  g_autoptr(BfkLocalNode) node = NULL;
  BfkLocalNodeOptions options = { 0 };
  g_autoptr(GError) error = NULL;
  g_auto(Run) r = { 0 };

  node = bfk_local_node_start (&options, NULL, &error);
  g_assert_no_error (error);
  run (&r, "--network", "custom", "--rpc-url", bfk_local_node_get_url (node), "--chain-id", "137",
       "status", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "31337"));
  g_assert_nonnull (strstr (r.err, "137"));
  bfk_local_node_stop (node, 0, NULL);
}

static void
test_node_down (void)
{
  g_auto(Run) r = { 0 };

  run (&r, "--network", "custom", "--rpc-url", "http://127.0.0.1:9", "--chain-id", "31337",
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
  bafokactl = g_build_filename (g_getenv ("BAFOKA_BUILD_DIR"), "backend", "bafokactl", NULL);
  data_dir = g_dir_make_tmp ("bafokactl-XXXXXX", NULL);

  g_test_add_func ("/bafokactl/deploy-json", test_deploy_json);
  g_test_add_func ("/bafokactl/restart-finds-contract", test_restart_finds_contract);
  g_test_add_func ("/bafokactl/status", test_status);
  g_test_add_func ("/bafokactl/keystore", test_keystore);
  g_test_add_func ("/bafokactl/wrong-chain-id", test_wrong_chain_id);
  g_test_add_func ("/bafokactl/node-down", test_node_down);
  status = g_test_run ();

  g_free (deployed);
  g_free (bafokactl);
  g_free (data_dir);
  return status;
}
