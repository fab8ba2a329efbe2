/* test-bafokactl-ops.c: a coordinator and an admin at work with bafokactl:
 * enrolling members one by one and from a spreadsheet, approving a backer
 * who recharges within its cap, and reading the operations back.  The
 * chain is a local node that the test runs for the data dir, which
 * bafokactl finds and uses, as it would the console's. */
#include "bfk-chain-error.h"
#include "bfk-test-chain.h"
#include "bfk-test-ctl.h"

#include <string.h>
#include <unistd.h>

static gchar *data_dir;
static BfkLocalNode *node;
static BfkRpcClient *rpc;
static BfkAddress contract;
static gchar *backer_keystore;
static gchar *password_file;
static gchar *marie;   /* Marie's address */

static gchar *
write_file (const gchar *name,
            const gchar *contents)
{
  gchar *path = g_build_filename (data_dir, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  return path;
}

static guint64
balance_of (const gchar *address)
{
  BfkAddress a;
  BfkU256 v;

  g_assert_true (bfk_address_parse (address, &a, NULL));
  g_assert_true (bfk_contract_read_uint (rpc, &contract, "balanceOf", &a, &v, NULL));
  return bfk_u256_to_u64 (v);
}

static guint
count_operations (void)
{
  g_auto(BfkCtlRun) r = { 0 };

  bfk_ctl_run (&r, data_dir, "--json", "tx", "--limit", "1000", NULL);
  g_assert_cmpint (r.status, ==, 0);
  return json_array_get_length (json_node_get_array (bfk_ctl_run_json (&r)));
}

static void
test_member_add (void)
{
  g_auto(BfkCtlRun) r = { 0 };
  JsonObject *o, *member, *op;

  bfk_ctl_run (&r, data_dir, "--json", "member", "add", "--phone", "+237 699 00 11 22",
               "--name", "Marie", "--community", "1", NULL);
  g_assert_cmpint (r.status, ==, 0);
  o = bfk_ctl_run_object (&r);
  member = json_object_get_object_member (o, "member");
  op = json_object_get_object_member (o, "operation");
  g_assert_cmpstr (json_object_get_string_member (member, "phone"), ==, "+237699001122");
  g_assert_cmpstr (json_object_get_string_member (op, "state"), ==, "confirmed");
  g_assert_cmpstr (json_object_get_string_member (op, "kind"), ==, "register_member");
  /* Staff see summaries: the number is masked there. */
  g_assert_null (strstr (json_object_get_string_member (op, "summary"), "699001122"));
  marie = g_strdup (json_object_get_string_member (member, "address"));
  g_assert_cmpuint (balance_of (marie), ==, 1000);

  bfk_ctl_run (&r, data_dir, "member", "add", "--phone", "+237699001122", "--name", "Marie2",
               "--community", "1", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "already registered"));
  g_assert_cmpuint (count_operations (), ==, 1);
}

static void
test_import_csv (void)
{
  g_autofree gchar *csv = write_file ("village.csv",
                                      "phone,name,community\r\n"
                                      "+237600000001,Awa,2\r\n"
                                      "+237600000002,Bob_1,1\r\n"
                                      "not-a-phone,Xavier,1\r\n"
                                      "+237699001122,Marie,1\r\n"
                                      "+237600000003,\"Chantal\",3\r\n"
                                      "+237600000004,Dieu,9\r\n");
  g_auto(BfkCtlRun) r = { 0 };
  JsonObject *o;
  JsonArray *problems;

  bfk_ctl_run (&r, data_dir, "--json", "import", "members", "--csv", csv, NULL);
  g_assert_cmpint (r.status, ==, 0);
  o = bfk_ctl_run_object (&r);
  g_assert_cmpint (json_object_get_int_member (o, "added"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (o, "duplicates"), ==, 1);
  problems = json_object_get_array_member (o, "problems");
  g_assert_cmpuint (json_array_get_length (problems), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (problems, 0), "line"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (problems, 1), "line"), ==, 7);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "operations")), ==, 3);

  /* The same file again adds nobody. */
  bfk_ctl_run (&r, data_dir, "import", "members", "--csv", csv, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "Enrolled 0 members"));
  g_assert_cmpuint (count_operations (), ==, 4);
}

/* One entry of bafokactl's audit log, as --json lists it. */
static void
assert_audit_entry (JsonObject  *e,
                    const gchar *action,
                    const gchar *actor,
                    const gchar *subject,
                    const gchar *result_prefix)
{
  g_assert_cmpstr (json_object_get_string_member (e, "source"), ==, "bafokactl");
  g_assert_cmpstr (json_object_get_string_member (e, "action"), ==, action);
  g_assert_cmpint (g_ascii_strcasecmp (json_object_get_string_member (e, "actor_address"), actor), ==, 0);
  g_assert_cmpint (g_ascii_strcasecmp (json_object_get_string_member (e, "subject"), subject), ==, 0);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (e, "result"), result_prefix));
  g_assert_cmpstr (json_object_get_string_member (e, "os_user"), ==, g_get_user_name ());
}

/* The approval (signed by anvil's first account, the local operator) and
 * the recharge (signed by the backer) are in the log, newest first, after
 * the recharge refused before the approval. */
static void
assert_audited (const gchar *backer)
{
  g_auto(BfkCtlRun) r = { 0 };
  JsonArray *log;

  bfk_ctl_run (&r, data_dir, "--json", "audit", NULL);
  g_assert_cmpint (r.status, ==, 0);
  log = json_node_get_array (bfk_ctl_run_json (&r));
  g_assert_cmpuint (json_array_get_length (log), ==, 3);
  assert_audit_entry (json_array_get_object_element (log, 0), "recharge", backer, marie, "queued op ");
  assert_audit_entry (json_array_get_object_element (log, 1), "approve_backer",
                      "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", backer, "queued op ");
  assert_audit_entry (json_array_get_object_element (log, 2), "recharge", backer, marie,
                      "failed: This key is not an approved backer");

  bfk_ctl_run (&r, data_dir, "--json", "audit", "--action", "approve_backer", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (bfk_ctl_run_json (&r))), ==, 1);
  bfk_ctl_run (&r, data_dir, "audit", "--limit", "1", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "recharge"));
  g_assert_null (strstr (r.out, "approve_backer"));
}

static void
test_backer_and_recharge (void)
{
  g_auto(BfkCtlRun) r = { 0 };
  g_autoptr(JsonNode) params = NULL;
  g_autoptr(JsonNode) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree gchar *set_balance = NULL;
  const gchar *backer;
  JsonArray *list;

  bfk_ctl_run (&r, data_dir, "--json", "--password-file", password_file, "keystore", "new", "--light",
               "--out", backer_keystore, NULL);
  g_assert_cmpint (r.status, ==, 0);
  backer = g_strdup (json_object_get_string_member (bfk_ctl_run_object (&r), "address"));

  /* The backer pays its own gas. */
  set_balance = g_strdup_printf ("[\"%s\", \"0x56bc75e2d63100000\"]", backer);
  params = json_from_string (set_balance, NULL);
  result = bfk_rpc_client_call (rpc, "anvil_setBalance", params, &error);
  g_assert_no_error (error);

  /* Not approved yet: refused before anything is queued. */
  bfk_ctl_run (&r, data_dir, "recharge", "--member", "Marie", "--amount", "10",
               "--backer-keystore", backer_keystore, "--backer-password-file", password_file, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "not an approved backer"));

  bfk_ctl_run (&r, data_dir, "--json", "backer", "approve", backer, "--community", "1",
               "--weekly-cap", "500", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (json_object_get_string_member (bfk_ctl_run_object (&r), "state"), ==, "confirmed");

  bfk_ctl_run (&r, data_dir, "--json", "backers", NULL);
  g_assert_cmpint (r.status, ==, 0);
  list = json_node_get_array (bfk_ctl_run_json (&r));
  g_assert_cmpuint (json_array_get_length (list), ==, 1);
  g_assert_true (json_object_get_boolean_member (json_array_get_object_element (list, 0), "active"));
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (list, 0), "left_this_week"), ==, 500);

  bfk_ctl_run (&r, data_dir, "--json", "recharge", "--member", "+237699001122", "--amount", "200",
               "--backer-keystore", backer_keystore, "--backer-password-file", password_file, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (json_object_get_string_member (bfk_ctl_run_object (&r), "state"), ==, "confirmed");
  g_assert_cmpuint (balance_of (marie), ==, 1200);
  assert_audited (backer);

  /* Over the cap, another community, a bad amount: each a sentence, nothing queued. */
  bfk_ctl_run (&r, data_dir, "recharge", "--member", "Marie", "--amount", "301",
               "--backer-keystore", backer_keystore, "--backer-password-file", password_file, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "300 more this week"));
  bfk_ctl_run (&r, data_dir, "recharge", "--member", "Awa", "--amount", "5",
               "--backer-keystore", backer_keystore, "--backer-password-file", password_file, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "serves community 1"));
  bfk_ctl_run (&r, data_dir, "recharge", "--member", "Marie", "--amount", "1,5",
               "--backer-keystore", backer_keystore, "--backer-password-file", password_file, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "whole number"));
  g_assert_cmpuint (balance_of (marie), ==, 1200);
  g_assert_cmpuint (count_operations (), ==, 6);

  bfk_ctl_run (&r, data_dir, "--json", "backer", "revoke", backer, NULL);
  g_assert_cmpint (r.status, ==, 0);
  bfk_ctl_run (&r, data_dir, "--json", "backers", NULL);
  list = json_node_get_array (bfk_ctl_run_json (&r));
  g_assert_false (json_object_get_boolean_member (json_array_get_object_element (list, 0), "active"));
  g_free ((gchar *) backer);
}

static void
test_tx_and_status (void)
{
  g_auto(BfkCtlRun) r = { 0 };
  JsonArray *ops;
  JsonObject *outbox;

  bfk_ctl_run (&r, data_dir, "--json", "tx", NULL);
  g_assert_cmpint (r.status, ==, 0);
  ops = json_node_get_array (bfk_ctl_run_json (&r));
  g_assert_cmpuint (json_array_get_length (ops), ==, 7);
  /* Newest first: the revocation, then the recharge. */
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (ops, 0), "kind"), ==, "revoke_backer");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (ops, 1), "kind"), ==, "recharge");
  for (guint i = 0; i < json_array_get_length (ops); i++)
    {
      JsonObject *op = json_array_get_object_element (ops, i);

      g_assert_cmpstr (json_object_get_string_member (op, "state"), ==, "confirmed");
      g_assert_cmpuint (strlen (json_object_get_string_member (op, "tx")), ==, 66);
    }

  bfk_ctl_run (&r, data_dir, "--json", "status", NULL);
  g_assert_cmpint (r.status, ==, 0);
  outbox = json_object_get_object_member (bfk_ctl_run_object (&r), "outbox");
  g_assert_cmpint (json_object_get_int_member (outbox, "confirmed"), ==, 7);
  g_assert_cmpint (json_object_get_int_member (outbox, "members"), ==, 4);
}

int
main (int argc, char **argv)
{
  g_auto(BfkCtlRun) r = { 0 };
  int status;

  g_test_init (&argc, &argv, NULL);
  node = bfk_ctl_test_node_start ("bafokactl-ops-XXXXXX", &data_dir);
  if (!node)
    return 0;
  rpc = bfk_rpc_client_new (bfk_local_node_get_url (node));

  bfk_ctl_run (&r, data_dir, "--json", "deploy", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (bfk_address_parse (json_object_get_string_member (bfk_ctl_run_object (&r), "address"),
                                    &contract, NULL));
  backer_keystore = g_build_filename (data_dir, "backer.json", NULL);
  password_file = write_file ("password", "un mot de passe\n");

  g_test_add_func ("/bafokactl-ops/member-add", test_member_add);
  g_test_add_func ("/bafokactl-ops/import-csv", test_import_csv);
  g_test_add_func ("/bafokactl-ops/backer-and-recharge", test_backer_and_recharge);
  g_test_add_func ("/bafokactl-ops/tx-and-status", test_tx_and_status);
  status = g_test_run ();

  bfk_rpc_client_unref (rpc);
  bfk_local_node_stop (node, 0, NULL);
  bfk_local_node_free (node);
  g_free (marie);
  g_free (backer_keystore);
  g_free (password_file);
  g_free (data_dir);
  return status;
}
