/* test-headless.c: bafoka-console --headless as an operator runs it: the
 * local network set up on the first run, /healthz and /metrics, a clean
 * stop on SIGTERM, the same contract after a restart, and one clear line
 * and a non-zero exit on each bad configuration. */
#include "bfk-test-chain.h"
#include "bfk-test-console.h"
#include "bfk-keystore.h"
#include "bfk-outbox.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

static gchar *data_dir;

static gchar *
recorded_contract (void)
{
  g_autofree gchar *path = g_build_filename (data_dir, "deployment-31337.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return g_strdup (json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)),
                                                  "address"));
}

static gchar *first_contract;

static void
stop_cleanly (BfkTestConsole *c)
{
  g_autofree gchar *log = NULL;
  gint64 start = g_get_monotonic_time ();
  gint status;

  g_subprocess_send_signal (c->process, SIGTERM);
  status = bfk_test_console_wait (c, 15);
  log = bfk_test_console_log (c);
  g_test_message ("stderr: %s", log);
  g_assert_cmpint (status, ==, 0);
  g_test_message ("stopped in %.2f s", (g_get_monotonic_time () - start) / 1e6);
  g_assert_nonnull (strstr (log, "Stopped"));
}

static void
test_run_and_stop (void)
{
  g_auto(BfkTestConsole) c = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree gchar *metrics = NULL, *type = NULL, *node_file = NULL, *node_json = NULL;
  g_autofree gchar *log = NULL;
  JsonObject *o, *chain, *outbox;
  const gchar *families[] = {
    "# TYPE bafoka_operations gauge\n",
    "bafoka_operations{state=\"confirmed\"} ",
    "# TYPE bafoka_confirmation_seconds histogram\n",
    "bafoka_confirmation_seconds_bucket{le=\"+Inf\"} ",
    "bafoka_confirmation_seconds_count ",
    "# TYPE bafoka_gas_used_total counter\n",
    "bafoka_gas_used_total{kind=\"register_member\"} ",
    "# TYPE bafoka_fee_paid_wei_total counter\n",
    "# TYPE bafoka_operation_outcomes_total counter\n",
    "bafoka_operation_outcomes_total{class=\"reverted\"} ",
    "# TYPE bafoka_follower_lag_blocks gauge\n",
    "# TYPE bafoka_operator_gas_balance_wei gauge\n",
    "# TYPE process_resident_memory_bytes gauge\n",
  };
  g_autoptr(BfkRpcClient) rpc = NULL;
  g_autoptr(JsonParser) node_parser = json_parser_new ();

  bfk_test_console_start (&c, data_dir, NULL);
  o = bfk_test_console_wait_healthy (&c, parser);

  chain = json_object_get_object_member (o, "chain");
  g_assert_cmpint (json_object_get_int_member (chain, "chain_id"), ==, 31337);
  g_assert_cmpint (json_object_get_int_member (chain, "head"), >=, 1);
  g_assert_cmpint (json_object_get_int_member (chain, "synced"), ==, json_object_get_int_member (chain, "head")
                   - json_object_get_int_member (chain, "lag"));
  g_assert_cmpstr (json_object_get_string_member (chain, "rpc"), ==, "ok");
  outbox = json_object_get_object_member (o, "outbox");
  for (guint s = 0; s < BFK_OP_N_STATES; s++)
    g_assert_true (json_object_has_member (outbox, bfk_op_state_to_string (s)));
  g_assert_cmpint (json_object_get_int_member (outbox, "queued"), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (outbox, "gas_state"), ==, "ok");
  g_assert_false (json_object_get_boolean_member (json_object_get_object_member (o, "twilio"), "configured"));

  g_assert_cmpuint (bfk_test_http_get (c.port, "/metrics", &metrics, &type), ==, SOUP_STATUS_OK);
  g_assert_true (g_str_has_prefix (type, "text/plain; version=0.0.4"));
  for (gsize i = 0; i < G_N_ELEMENTS (families); i++)
    if (!strstr (metrics, families[i]))
      g_error ("/metrics lacks “%s”:\n%s", families[i], metrics);
  g_assert_cmpuint (bfk_test_http_get (c.port, "/nowhere", NULL, NULL), ==, SOUP_STATUS_NOT_FOUND);

  /* The local node is this console's: it must go with it. */
  node_file = g_build_filename (data_dir, "local-node.json", NULL);
  g_assert_true (json_parser_load_from_file (node_parser, node_file, NULL));
  rpc = bfk_rpc_client_new (json_object_get_string_member (json_node_get_object (json_parser_get_root (node_parser)), "url"));
  bfk_rpc_client_set_retries (rpc, 0, 0);
  g_assert_true (bfk_rpc_client_check_chain_id (rpc, 31337, NULL));

  stop_cleanly (&c);
  log = bfk_test_console_log (&c);
  g_assert_nonnull (strstr (log, "Deployed the contract at"));
  g_assert_false (g_file_test (node_file, G_FILE_TEST_EXISTS));
  g_assert_false (bfk_rpc_client_check_chain_id (rpc, 31337, NULL));
  first_contract = recorded_contract ();
}

static void
test_restart_same_contract (void)
{
  g_auto(BfkTestConsole) c = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree gchar *log = NULL, *contract = NULL;

  g_assert_nonnull (first_contract);
  bfk_test_console_start (&c, data_dir, NULL);
  bfk_test_console_wait_healthy (&c, parser);
  stop_cleanly (&c);
  log = bfk_test_console_log (&c);
  g_assert_null (strstr (log, "Deployed the contract"));
  g_assert_nonnull (strstr (log, first_contract));
  contract = recorded_contract ();
  g_assert_cmpstr (contract, ==, first_contract);
}

/* A keystore of a fresh key (light scrypt) and a file with its password. */
static void
make_keystore (const gchar  *dir,
               const gchar  *password,
               gchar       **keystore_env,
               gchar       **password_env)
{
  g_autofree gchar *keystore = g_build_filename (dir, "operator.json", NULL);
  g_autofree gchar *pass = g_build_filename (dir, "operator.pass", NULL);
  g_auto(BfkPrivateKey) key = { 0 };
  g_autoptr(GError) error = NULL;

  bfk_private_key_generate (&key, &error);
  g_assert_no_error (error);
  bfk_keystore_save (keystore, &key, "right", 5, &BFK_SCRYPT_LIGHT, &error);
  g_assert_no_error (error);
  g_file_set_contents (pass, password, -1, &error);
  g_assert_no_error (error);
  *keystore_env = g_strconcat ("BAFOKA_KEYSTORE=", keystore, NULL);
  *password_env = g_strconcat ("BAFOKA_KEYSTORE_PASSWORD_FILE=", pass, NULL);
}

/* Runs a console on the custom network of a throw-away anvil, configured
 * for chain_id; it must fail, and its log is returned. */
static gchar *
run_custom_network (const gchar *chain_id)
{
  g_autoptr(BfkTestChain) chain = bfk_test_chain_new ();
  g_auto(BfkTestConsole) c = { 0 };
  g_autofree gchar *rpc = NULL, *keystore = NULL, *password = NULL;
  g_autofree gchar *chain_env = g_strconcat ("BAFOKA_CHAIN_ID=", chain_id, NULL);

  /* Its own data dir: the shared one records the local chain's contract. */
  c.dir = g_build_filename (data_dir, g_test_get_path (), NULL);
  g_mkdir_with_parents (c.dir, 0700);
  make_keystore (c.dir, "right\n", &keystore, &password);
  rpc = g_strconcat ("BAFOKA_RPC_URL=", bfk_rpc_client_get_url (chain->rpc), NULL);
  bfk_test_console_start (&c, c.dir, "BAFOKA_NETWORK=custom", rpc, chain_env, keystore, password, NULL);
  return bfk_test_console_expect_failure (&c);
}

static void
test_wrong_chain_id (void)
{
  g_autofree gchar *log = run_custom_network ("137");

  g_assert_nonnull (strstr (log, "serves chain 31337, but chain 137 is configured"));
}

static void
test_no_contract (void)
{
  /* A real network is never deployed to behind the operator's back. */
  g_autofree gchar *log = run_custom_network ("31337");

  g_assert_nonnull (strstr (log, "No contract is known on chain 31337"));
}

static void
test_port_in_use (void)
{
  g_auto(BfkTestConsole) c = { 0 };
  g_autoptr(GSocketService) holder = g_socket_service_new ();
  g_autoptr(GError) error = NULL;
  g_autofree gchar *log = NULL;

  c.port = bfk_test_free_port ();
  {
    g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
    g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, c.port);

    g_socket_listener_add_address (G_SOCKET_LISTENER (holder), address, G_SOCKET_TYPE_STREAM,
                                   G_SOCKET_PROTOCOL_TCP, NULL, NULL, &error);
    g_assert_no_error (error);
  }
  bfk_test_console_start (&c, data_dir, NULL);
  log = bfk_test_console_expect_failure (&c);
  g_assert_nonnull (strstr (log, "port is in use"));
  g_socket_service_stop (holder);
}

static void
test_wrong_password (void)
{
  g_auto(BfkTestConsole) c = { 0 };
  g_autofree gchar *keystore = NULL, *password = NULL, *log = NULL;

  make_keystore (data_dir, "wrong\n", &keystore, &password);
  bfk_test_console_start (&c, data_dir, keystore, password, NULL);
  log = bfk_test_console_expect_failure (&c);
  g_assert_nonnull (strstr (log, "Wrong password for the operator keystore"));
  /* Nothing was started for a key that does not open. */
  g_assert_null (strstr (log, "Deployed"));
}

static void
test_unreadable_keystore (void)
{
  g_auto(BfkTestConsole) c = { 0 };
  g_autofree gchar *keystore = NULL, *password = NULL, *log = NULL;

  make_keystore (data_dir, "right\n", &keystore, &password);
  bfk_test_console_start (&c, data_dir, "BAFOKA_KEYSTORE=/nonexistent/operator.json", password, NULL);
  log = bfk_test_console_expect_failure (&c);
  g_assert_nonnull (strstr (log, "Cannot read the operator keystore"));
}

/* Without a display, the console says so and runs the backend alone: here
 * on a listen address that cannot be bound, so that it ends at once with
 * the backend's one-line error. */
static void
test_without_display (void)
{
  g_autofree gchar *err = NULL;
  gint status = 0;
  g_autofree gchar *console = bfk_test_console_path ();
  const gchar *argv[] = { console, NULL };
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) env = g_get_environ ();

  env = g_environ_unsetenv (env, "DISPLAY");
  env = g_environ_unsetenv (env, "WAYLAND_DISPLAY");
  env = g_environ_setenv (env, "BAFOKA_DATA_DIR", data_dir, TRUE);
  env = g_environ_setenv (env, "BAFOKA_LISTEN", "256.0.0.1:1", TRUE);
  env = g_environ_setenv (env, "LC_ALL", "C.UTF-8", TRUE);
  env = g_environ_unsetenv (env, "LANGUAGE");
  g_spawn_sync (NULL, (gchar **) argv, env, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err,
                &status, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (err, "No display"));
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 1);
}

int
main (int argc, char **argv)
{
  g_autofree gchar *anvil = bfk_local_node_find_anvil (NULL);
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  if (!anvil)
    {
      g_print ("1..0 # SKIP anvil not found\n");
      return 0;
    }
  data_dir = g_dir_make_tmp ("bafoka-headless-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/headless/without-display", test_without_display);
  g_test_add_func ("/headless/run-and-stop", test_run_and_stop);
  g_test_add_func ("/headless/restart-same-contract", test_restart_same_contract);
  g_test_add_func ("/headless/wrong-chain-id", test_wrong_chain_id);
  g_test_add_func ("/headless/no-contract", test_no_contract);
  g_test_add_func ("/headless/port-in-use", test_port_in_use);
  g_test_add_func ("/headless/wrong-password", test_wrong_password);
  g_test_add_func ("/headless/unreadable-keystore", test_unreadable_keystore);
  status = g_test_run ();

  {
    g_autofree gchar *cmd = g_strdup_printf ("rm -rf '%s'", data_dir);

    g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL);
  }
  g_free (data_dir);
  return status;
}
