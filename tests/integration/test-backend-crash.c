/* test-backend-crash.c: issue 3 §5 through the real product.  500 members
 * imported with bafokactl, then bafoka-console --headless killed with
 * SIGKILL at a random moment three times in a row, and started again until
 * everything is done: every registration lands exactly once.
 *
 * The delays come from the test's random seed (printed in the TAP header:
 * re-run with --seed to replay them).  When the console dies its anvil gets
 * SIGTERM from the local node's guard and writes its state; this test makes
 * itself a child subreaper so that the orphaned anvil becomes its child,
 * and waits for it before the next start.  (A start that came sooner would
 * wait for it too, on the state file's lock.) */
#include "bfk-test-chain.h"
#include "bfk-members.h"
#include "outbox-test-util.h"

#include <errno.h>
#include <fcntl.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define N_MEMBERS 500
#define N_KILLS 3
#define N_COMMUNITIES 3

static gchar *build_dir;
static gchar *anvil;

typedef struct
{
  gchar      *data_dir;
  gchar     **env;
  gchar      *csv;
  BfkAddress  contract;
  guint64     deploy_block;
  BfkAddress  operator_address;
} Crash;

typedef struct
{
  GPid     pid;
  gchar   *log;
  guint16  port;
} Console;

/* --- processes ------------------------------------------------------------------ */

static gchar **
product_env (const gchar *data_dir)
{
  gchar **env = g_get_environ ();
  const gchar *unset[] = { "BAFOKA_NETWORK", "BAFOKA_RPC_URL", "BAFOKA_CHAIN_ID", "BAFOKA_KEYSTORE",
                           "BAFOKA_KEYSTORE_PASSWORD_FILE", "BAFOKA_CONTRACT" };

  for (gsize i = 0; i < G_N_ELEMENTS (unset); i++)
    env = g_environ_unsetenv (env, unset[i]);
  env = g_environ_setenv (env, "BAFOKA_DATA_DIR", data_dir, TRUE);
  env = g_environ_setenv (env, "BAFOKA_ANVIL", anvil, TRUE);
  /* Port 0: the console logs the one it got. */
  return g_environ_setenv (env, "BAFOKA_LISTEN", "127.0.0.1:0", TRUE);
}

/* Runs bafokactl with args (NULL-terminated) and --json; returns its
 * parsed output. */
static JsonNode *
run_ctl (Crash        *c,
         const gchar **args)
{
  g_autofree gchar *ctl = g_build_filename (build_dir, "backend", "bafokactl", NULL);
  g_autoptr(GStrvBuilder) argv = g_strv_builder_new ();
  g_auto(GStrv) command = NULL;
  g_autofree gchar *out = NULL, *err = NULL;
  g_autoptr(GError) error = NULL;
  gint status = 0;

  g_strv_builder_add (argv, ctl);
  g_strv_builder_addv (argv, args);
  g_strv_builder_add (argv, "--json");
  command = g_strv_builder_end (argv);
  g_spawn_sync (NULL, command, c->env, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("bafokactl %s failed: %s", args[0], err);
  return json_from_string (out, &error);
}

/* The console must not outlive a test that aborts. */
static void
die_with_test (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static void
console_start (Crash   *c,
               Console *console)
{
  g_autofree gchar *path = g_build_filename (build_dir, "app", "bafoka-console", NULL);
  const gchar *argv[] = { path, "--headless", NULL };
  g_autoptr(GError) error = NULL;
  static guint n;
  gint fd;

  console->log = g_strdup_printf ("%s/console-%u.log", c->data_dir, n++);
  fd = open (console->log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_spawn_async_with_fds (NULL, (gchar **) argv, c->env,
                          G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL, die_with_test,
                          NULL, &console->pid, -1, -1, fd, &error);
  g_assert_no_error (error);
  close (fd);
  console->port = 0;
}

static gboolean
console_exited (Console *console,
                gint    *status)
{
  pid_t r = waitpid (console->pid, status, WNOHANG);

  g_assert_cmpint (r, >=, 0);
  return r == console->pid;
}

static guint
healthz_status (guint16 port)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree gchar *uri = g_strdup_printf ("http://127.0.0.1:%u/healthz", port);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  g_autoptr(GBytes) body = soup_session_send_and_read (session, msg, NULL, NULL);

  return body ? soup_message_get_status (msg) : 0;
}

/* Waits until /healthz answers; the port comes from the "listening on" line. */
static void
console_wait_healthy (Console *console)
{
  const gchar *marker = "listening on http://127.0.0.1:";
  gint64 end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  gint status;

  while (g_get_monotonic_time () < end)
    {
      g_autofree gchar *log = NULL;
      const gchar *at;

      /* Written line by line: a partial read is fine, the next try sees more. */
      if (!g_file_get_contents (console->log, &log, NULL, NULL))
        log = g_strdup ("");
      at = strstr (log, marker);

      if (console_exited (console, &status))
        g_error ("The console exited (status %d): %s", status, log);
      if (at && console->port == 0)
        console->port = (guint16) g_ascii_strtoull (at + strlen (marker), NULL, 10);
      if (console->port != 0 && healthz_status (console->port) != 0)
        return;
      g_usleep (10 * 1000);
    }
  g_error ("/healthz never answered");
}

static void
console_clear (Console *console)
{
  g_spawn_close_pid (console->pid);
  g_clear_pointer (&console->log, g_free);
}

/* The anvil of a console killed by SIGKILL is ours now (subreaper): waits
 * until it has written its state and exited.  Returns how many ended. */
static guint
wait_orphans (void)
{
  gint64 end = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  guint n = 0;

  for (;;)
    {
      gint status = 0;
      pid_t pid = waitpid (-1, &status, WNOHANG);

      if (pid < 0 && errno == ECHILD)
        return n;
      g_assert_cmpint (pid, >=, 0);
      if (pid > 0)
        {
          /* SIGTERM is a clean exit for anvil, its state written. */
          if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
            g_error ("The orphaned anvil %d ended with status 0x%x", pid, status);
          n++;
          continue;
        }
      if (g_get_monotonic_time () > end)
        g_error ("The orphaned anvil did not exit within 30 s");
      g_usleep (10 * 1000);
    }
}

/* --- the store, read-only, as bafokactl reads it while a console runs -------- */

static BfkStore *
open_store (Crash *c)
{
  g_autofree gchar *db = g_build_filename (c->data_dir, "bafoka.db", NULL);
  g_autoptr(GError) error = NULL;
  BfkStore *store = bfk_store_open (db, TRUE, &error);

  g_assert_no_error (error);
  return store;
}

/* One row of integers: SELECT a, b, ... with an optional text parameter. */
static void
query_ints (BfkStore    *store,
            const gchar *sql,
            const gchar *param,
            gint64      *out,
            gint         n)
{
  sqlite3_stmt *stmt = NULL;
  gint rc = sqlite3_prepare_v2 (bfk_store_get_db (store), sql, -1, &stmt, NULL);

  g_assert_cmpint (rc, ==, SQLITE_OK);
  if (param)
    sqlite3_bind_text (stmt, 1, param, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_count (stmt), ==, n);
  for (gint i = 0; i < n; i++)
    out[i] = sqlite3_column_int64 (stmt, i);
  sqlite3_finalize (stmt);
}

static gint64
query_int (BfkStore    *store,
           const gchar *sql,
           const gchar *param)
{
  gint64 v = 0;

  query_ints (store, sql, param, &v, 1);
  return v;
}

static gchar *
describe_counts (const guint64 counts[BFK_OP_N_STATES])
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < BFK_OP_N_STATES; i++)
    if (counts[i] > 0)
      g_string_append_printf (s, "%s%s %" G_GUINT64_FORMAT, s->len ? ", " : "",
                              bfk_op_state_to_string (i), counts[i]);
  return g_string_free (s, FALSE);
}

static void
count_states (Crash   *c,
              guint64  counts[BFK_OP_N_STATES])
{
  g_autoptr(BfkStore) store = open_store (c);
  g_autoptr(GError) error = NULL;

  g_assert_true (bfk_outbox_count_by_state (store, counts, &error));
  g_assert_no_error (error);
}

/* --- setting up ------------------------------------------------------------------ */

static void
write_csv (Crash *c)
{
  g_autoptr(GString) csv = g_string_new ("phone,name,community\n");
  g_autoptr(GError) error = NULL;

  for (guint i = 1; i <= N_MEMBERS; i++)
    g_string_append_printf (csv, "+2376%08u,m%04u,%u\n", 70000000 + i, i, 1 + i % N_COMMUNITIES);
  c->csv = g_build_filename (c->data_dir, "members.csv", NULL);
  g_file_set_contents (c->csv, csv->str, csv->len, &error);
  g_assert_no_error (error);
}

static void
crash_init (Crash *c)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) deployed = NULL, imported = NULL;
  JsonObject *o;

  c->data_dir = g_dir_make_tmp ("bafoka-backend-crash-XXXXXX", &error);
  g_assert_no_error (error);
  c->env = product_env (c->data_dir);
  g_assert_true (bfk_address_parse (BFK_LOCAL_NODE_DEV_ADDRESS, &c->operator_address, NULL));

  /* The import needs a contract: deploy it, as a first console would. */
  deployed = run_ctl (c, (const gchar *[]) { "deploy", "--if-needed", NULL });
  o = json_node_get_object (deployed);
  g_assert_true (bfk_address_parse (json_object_get_string_member (o, "address"), &c->contract, NULL));
  c->deploy_block = (guint64) json_object_get_int_member (o, "block");

  write_csv (c);
  imported = run_ctl (c, (const gchar *[]) { "import", "members", "--csv", c->csv, "--no-send", NULL });
  o = json_node_get_object (imported);
  g_assert_cmpint (json_object_get_int_member (o, "added"), ==, N_MEMBERS);
  g_assert_cmpint (json_object_get_int_member (o, "duplicates"), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "problems")), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "operations")), ==, N_MEMBERS);
  /* bafokactl stopped the anvil it started. */
  g_assert_cmpuint (wait_orphans (), ==, 0);
}

static void
crash_clear (Crash *c)
{
  outbox_test_remove_tree (c->data_dir);
  g_free (c->data_dir);
  g_free (c->csv);
  g_strfreev (c->env);
}

/* --- the checks ----------------------------------------------------------------- */

static BfkRpcClient *
running_node (Crash *c)
{
  g_autofree gchar *path = g_build_filename (c->data_dir, "local-node.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  BfkRpcClient *rpc;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  rpc = bfk_rpc_client_new (json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)),
                                                           "url"));
  bfk_rpc_client_set_revert_decoder (rpc, bfk_contract_describe_revert, NULL, NULL);
  return rpc;
}

/* Waits until no operation is pending and the follower has stored every
 * registration. */
static void
wait_all_done (Crash *c)
{
  g_autoptr(BfkStore) store = open_store (c);
  gint64 end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  guint64 counts[BFK_OP_N_STATES] = { 0 };
  gint64 events = 0;

  while (g_get_monotonic_time () < end)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (bfk_outbox_count_by_state (store, counts, &error));
      events = query_int (store, "SELECT count(*) FROM events WHERE kind = 'MemberRegistered'", NULL);
      if (counts[BFK_OP_QUEUED] + counts[BFK_OP_SIGNED] + counts[BFK_OP_SENT] + counts[BFK_OP_MINED] == 0
          && events >= N_MEMBERS)
        return;
      g_usleep (50 * 1000);
    }
  {
    g_autofree gchar *states = describe_counts (counts);

    g_error ("Not done after 60 s: %s; %" G_GINT64_FORMAT " registrations followed", states, events);
  }
}

/* The outbox: one confirmed registration per member, each its own
 * transaction, nonces 1 to 500 (0 is the deployment). */
static void
assert_outbox (BfkStore *store)
{
  g_autoptr(GPtrArray) ops = NULL;
  g_autoptr(GError) error = NULL;
  gint64 r[7];

  ops = bfk_outbox_list_recent (store, 0, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < ops->len; i++)
    {
      const BfkOpInfo *op = g_ptr_array_index (ops, i);

      if (op->state != BFK_OP_CONFIRMED)
        g_test_message ("operation %" G_GINT64_FORMAT " (nonce %" G_GUINT64_FORMAT ", %u attempts) is %s: %s",
                        op->id, op->nonce, op->attempts, bfk_op_state_to_string (op->state), op->reason);
    }
  g_assert_cmpuint (ops->len, ==, N_MEMBERS);

  query_ints (store,
              "SELECT count(*), count(DISTINCT tx_hash), count(DISTINCT member_id), "
              "       count(DISTINCT nonce), min(nonce), max(nonce), sum(attempts) "
              "FROM operations WHERE kind = 'register_member' AND state = 'confirmed'",
              NULL, r, G_N_ELEMENTS (r));
  g_assert_cmpint (r[0], ==, N_MEMBERS);
  g_assert_cmpint (r[1], ==, N_MEMBERS);
  g_assert_cmpint (r[2], ==, N_MEMBERS);
  g_assert_cmpint (r[3], ==, N_MEMBERS);
  g_assert_cmpint (r[4], ==, 1);
  g_assert_cmpint (r[5], ==, N_MEMBERS);
  g_test_message ("%" G_GINT64_FORMAT " attempts signed for %d operations", r[6], N_MEMBERS);
  /* Every member has its operation. */
  g_assert_cmpint (query_int (store, "SELECT count(*) FROM members m JOIN operations o ON o.member_id = m.id",
                              NULL), ==, N_MEMBERS);
}

/* The follower: one MemberRegistered per member, from its operation's
 * transaction, and the derived accounts hold the initial grant. */
static void
assert_follower (BfkStore *store,
                 gint64    grant)
{
  g_autofree gchar *grant_text = g_strdup_printf ("%" G_GINT64_FORMAT, grant);
  gint64 r[2];

  query_ints (store, "SELECT count(*), count(DISTINCT account) FROM events WHERE kind = 'MemberRegistered'",
              NULL, r, 2);
  g_assert_cmpint (r[0], ==, N_MEMBERS);
  g_assert_cmpint (r[1], ==, N_MEMBERS);
  g_assert_cmpint (query_int (store,
                              "SELECT count(*) FROM events e "
                              "JOIN members m ON m.address = e.account AND m.community_id = e.community_id "
                              "JOIN operations o ON o.member_id = m.id AND o.tx_hash = e.tx_hash "
                              "WHERE e.kind = 'MemberRegistered'", NULL), ==, N_MEMBERS);
  g_assert_cmpint (query_int (store,
                              "SELECT count(*) FROM accounts a "
                              "JOIN members m ON m.address = a.address AND m.community_id = a.community_id "
                              "WHERE a.balance = CAST (?1 AS INTEGER) AND a.escrow = 0", grant_text),
                   ==, N_MEMBERS);
}

/* The chain itself: 500 distinct MemberRegistered, each member in its
 * community, the communities' counts, and a few balances. */
static void
assert_chain (Crash        *c,
              BfkStore     *store,
              BfkRpcClient *rpc,
              gint64        grant)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) logs = NULL;
  g_autoptr(GArray) communities = NULL;
  g_autoptr(GHashTable) registered = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) members = NULL;
  BfkLogFilter filter = { .addresses = &c->contract, .n_addresses = 1 };
  guint64 head = 0, on_chain = 0;

  g_assert_true (bfk_rpc_client_get_block_number (rpc, &head, &error));
  logs = bfk_rpc_client_get_logs_chunked (rpc, &filter, c->deploy_block, head, 0, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < logs->len; i++)
    {
      const BfkLog *log = &g_array_index (logs, BfkLog, i);
      BfkEvent e = { 0 };
      gboolean twice;

      g_assert_true (bfk_event_decode (&log->topics[0][0], log->n_topics, g_bytes_get_data (log->data, NULL),
                                       g_bytes_get_size (log->data), &e, &error));
      twice = e.kind == BFK_EVENT_MEMBER_REGISTERED
              && !g_hash_table_add (registered, bfk_address_to_string (&e.member));
      bfk_event_clear (&e);
      g_assert_false (twice);
    }
  g_assert_cmpuint (g_hash_table_size (registered), ==, N_MEMBERS);

  communities = bfk_contract_read_communities (rpc, &c->contract, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < communities->len; i++)
    on_chain += g_array_index (communities, BfkCommunityInfo, i).members;
  g_assert_cmpuint (on_chain, ==, N_MEMBERS);

  members = bfk_members_list (store, 0, 10 * N_MEMBERS, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (members->len, ==, N_MEMBERS);
  for (guint i = 0; i < members->len; i++)
    {
      const BfkMember *m = g_ptr_array_index (members, i);
      g_autofree gchar *a = bfk_address_to_string (&m->address);
      BfkU256 community, balance;

      g_assert_true (g_hash_table_contains (registered, a));
      g_assert_true (bfk_contract_read_uint (rpc, &c->contract, "communityOf", &m->address, &community, &error));
      g_assert_cmpuint (bfk_u256_to_u64 (community), ==, m->community_id);
      /* The follower's balances against the contract's, for a sample. */
      if (i % 50 == 0)
        {
          g_assert_true (bfk_contract_read_uint (rpc, &c->contract, "balanceOf", &m->address, &balance, &error));
          g_assert_cmpuint (bfk_u256_to_u64 (balance), ==, (guint64) grant);
        }
    }
}

/* Nothing sent that the outbox does not know of: the chain's count of the
 * operator's transactions is the deployment plus one per nonce reserved. */
static void
assert_nonces (Crash        *c,
               BfkStore     *store,
               BfkRpcClient *rpc)
{
  g_autofree gchar *operator = bfk_address_to_string (&c->operator_address);
  gint64 reserved = query_int (store, "SELECT count(*) FROM operations WHERE signer = ?1 AND nonce IS NOT NULL",
                               operator);
  gint64 next = query_int (store, "SELECT next_nonce FROM signers WHERE address = ?1", operator);
  guint64 sent = outbox_test_chain_nonce (rpc, &c->operator_address);

  g_assert_cmpint (reserved, ==, N_MEMBERS);
  g_assert_cmpuint (sent, ==, 1 + (guint64) reserved);
  g_assert_cmpuint (sent, ==, (guint64) next);
}

static void
test_kill_nine_three_times (void)
{
  Crash c = { 0 };
  Console console = { 0 };
  guint64 counts[BFK_OP_N_STATES] = { 0 };
  g_autoptr(BfkStore) store = NULL;
  g_autoptr(BfkRpcClient) rpc = NULL;
  g_autoptr(GError) error = NULL;
  BfkU256 grant;
  gint64 start = g_get_monotonic_time ();
  gint status = 0;

  crash_init (&c);
  for (guint k = 1; k <= N_KILLS; k++)
    {
      guint delay_ms = (guint) g_test_rand_int_range (20, 300);
      g_autofree gchar *states = NULL;
      gint64 killed;
      gdouble anvil_s;

      console_start (&c, &console);
      console_wait_healthy (&console);
      g_usleep (delay_ms * 1000);
      g_assert_cmpint (kill (console.pid, SIGKILL), ==, 0);
      g_assert_cmpint (waitpid (console.pid, &status, 0), ==, console.pid);
      g_assert_true (WIFSIGNALED (status) && WTERMSIG (status) == SIGKILL);
      killed = g_get_monotonic_time ();
      /* Its anvil (and the guard that stops it) come to us. */
      g_assert_cmpuint (wait_orphans (), >=, 1);
      anvil_s = (g_get_monotonic_time () - killed) / 1e6;
      console_clear (&console);
      count_states (&c, counts);
      states = describe_counts (counts);
      g_test_message ("kill %u, %u ms after /healthz answered: %" G_GUINT64_FORMAT " of %d confirmed (%s); "
                      "anvil saved its state and exited in %.2f s",
                      k, delay_ms, counts[BFK_OP_CONFIRMED], N_MEMBERS, states, anvil_s);
      g_assert_cmpuint (counts[BFK_OP_FAILED] + counts[BFK_OP_REPLACED], ==, 0);
    }

  /* The last start runs to the end; the checks read its node. */
  console_start (&c, &console);
  console_wait_healthy (&console);
  wait_all_done (&c);
  g_test_message ("all %d confirmed and followed %.1f s after the import", N_MEMBERS,
                  (g_get_monotonic_time () - start) / 1e6);

  store = open_store (&c);
  rpc = running_node (&c);
  g_assert_true (bfk_contract_read_uint (rpc, &c.contract, "INITIAL_GRANT", NULL, &grant, &error));
  g_assert_no_error (error);
  assert_outbox (store);
  assert_follower (store, (gint64) bfk_u256_to_u64 (grant));
  assert_chain (&c, store, rpc, (gint64) bfk_u256_to_u64 (grant));
  assert_nonces (&c, store, rpc);
  g_clear_pointer (&store, bfk_store_close);

  /* A clean stop, which stops its anvil too. */
  g_assert_cmpint (kill (console.pid, SIGTERM), ==, 0);
  {
    gint64 end = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

    while (!console_exited (&console, &status))
      {
        if (g_get_monotonic_time () > end)
          g_error ("The console did not stop within 30 s of SIGTERM");
        g_usleep (20 * 1000);
      }
  }
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    {
      g_autofree gchar *log = NULL;

      g_file_get_contents (console.log, &log, NULL, NULL);
      g_error ("The console ended with status 0x%x: %s", status, log);
    }
  g_assert_cmpuint (wait_orphans (), ==, 0);
  console_clear (&console);
  crash_clear (&c);
}

int
main (int   argc,
      char *argv[])
{
  const gchar *build = g_getenv ("BAFOKA_BUILD_DIR");
  int rc;

  g_test_init (&argc, &argv, NULL);
  if ((anvil = bfk_test_find_tool ("anvil")) == NULL)
    {
      g_print ("1..0 # SKIP anvil not found\n");
      return 0;
    }
  build_dir = g_strdup (build ? build : ".");
  /* Orphans (the killed console's anvil) become ours, to wait for. */
  if (prctl (PR_SET_CHILD_SUBREAPER, 1) != 0)
    g_error ("PR_SET_CHILD_SUBREAPER: %s", g_strerror (errno));

  g_test_add_func ("/backend-crash/kill-nine-three-times", test_kill_nine_three_times);
  rc = g_test_run ();
  g_free (build_dir);
  g_free (anvil);
  return rc;
}
