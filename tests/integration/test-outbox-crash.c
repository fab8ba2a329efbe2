/* test-outbox-crash.c: kill -9 at random moments, and a node stopped in
 * the middle of a burst: every operation lands exactly once.
 *
 * The outbox is driven by outbox-driver, a separate process that this test
 * kills with SIGKILL at a random delay (the seed is printed: re-run with
 * --seed to replay the same delays) and starts again. */
#include "bfk-chain-error.h"
#include "bfk-test-chain.h"
#include "outbox-test-util.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <sys/wait.h>

#define N_OPS 500
#define N_KILLS 3
#define DRIVER_BATCH "25"

typedef struct
{
  gchar         *node_dir;
  gchar         *data_dir;
  BfkLocalNode  *node;
  guint16        port;
  BfkRpcClient  *rpc;
  BfkAddress     contract;
  guint64        deploy_block;
  BfkAddress     operator_address;
  guint64        members_before;
  BfkStore      *store;
} Crash;

static gchar *driver_path;

static void
start_node (Crash *c)
{
  g_autoptr(GError) error = NULL;
  /* Only the dump at exit (see test_node_stopped_mid_burst). */
  BfkLocalNodeOptions options = { .data_dir = c->node_dir, .port = c->port,
                                  .state_interval_s = 3600 };

  c->node = bfk_local_node_start (&options, NULL, &error);
  g_assert_no_error (error);
  c->port = bfk_local_node_get_port (c->node);
}

static void
stop_node (Crash *c)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (bfk_local_node_stop (c->node, 0, &error));
  g_assert_no_error (error);
  g_clear_pointer (&c->node, bfk_local_node_free);
}

static gboolean
crash_init (Crash *c)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkSender) deployer = NULL;
  g_autoptr(BfkReceipt) receipt = NULL;
  g_autoptr(GBytes) code = bfk_contract_creation_code ();
  g_autofree gchar *anvil = bfk_test_find_tool ("anvil");
  g_autofree gchar *db = NULL;
  g_auto(BfkPrivateKey) key = { 0 };

  if (anvil == NULL)
    return FALSE;
  g_setenv ("BAFOKA_ANVIL", anvil, TRUE);
  c->node_dir = g_dir_make_tmp ("bafoka-crash-node-XXXXXX", NULL);
  c->data_dir = g_dir_make_tmp ("bafoka-crash-data-XXXXXX", NULL);
  start_node (c);
  c->rpc = bfk_rpc_client_new (bfk_local_node_get_url (c->node));
  bfk_rpc_client_set_revert_decoder (c->rpc, bfk_contract_describe_revert, NULL, NULL);

  g_assert_true (bfk_private_key_from_hex (&key, BFK_LOCAL_NODE_DEV_PRIVATE_KEY, NULL));
  g_assert_true (bfk_private_key_to_address (&key, &c->operator_address, NULL));
  deployer = bfk_sender_new (c->rpc, BFK_LOCAL_NODE_CHAIN_ID, &key, &error);
  g_assert_no_error (error);
  receipt = bfk_sender_transact (deployer, NULL, code, NULL, &error);
  g_assert_no_error (error);
  c->contract = receipt->contract_address;
  c->deploy_block = receipt->block_number;

  db = g_build_filename (c->data_dir, "bafoka.db", NULL);
  c->store = bfk_store_open (db, FALSE, &error);
  g_assert_no_error (error);
  return TRUE;
}

static void
crash_clear (Crash *c)
{
  g_clear_pointer (&c->store, bfk_store_close);
  g_clear_pointer (&c->rpc, bfk_rpc_client_unref);
  if (c->node != NULL)
    stop_node (c);
  outbox_test_remove_tree (c->node_dir);
  outbox_test_remove_tree (c->data_dir);
  g_free (c->node_dir);
  g_free (c->data_dir);
}

/* 500 registrations in one transaction, as an import would write them. */
static void
enqueue_burst (Crash *c)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (bfk_store_begin (c->store, &error));
  for (guint i = 0; i < N_OPS; i++)
    {
      BfkAddress member;

      outbox_test_random_address (&member);
      outbox_test_enqueue_register (c->store, c->rpc, &c->operator_address, &c->contract,
                                    &member, 1 + i % 3);
    }
  g_assert_true (bfk_store_commit (c->store, &error));
  g_assert_no_error (error);
}

static GPid
spawn_driver (Crash *c)
{
  g_autoptr(GError) error = NULL;
  g_autofree gchar *url = g_strdup_printf ("http://127.0.0.1:%u", c->port);
  const gchar *argv[] = { driver_path, c->data_dir, url, DRIVER_BATCH, NULL };
  GPid pid = 0;

  g_spawn_async (NULL, (gchar **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, &error);
  g_assert_no_error (error);
  return pid;
}

static gint
wait_driver (GPid pid)
{
  int status = 0;

  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_spawn_close_pid (pid);
  return status;
}

static void
assert_exit_ok (gint status)
{
  g_autoptr(GError) error = NULL;

  g_spawn_check_wait_status (status, &error);
  g_assert_no_error (error);
}

/* Every operation confirmed once; on chain, one registration each, no
 * duplicate event, and the operator's nonces contiguous. */
static void
assert_landed_once (Crash   *c,
                    guint64  n_ops,
                    guint64  nonce_expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) logs = NULL;
  g_autoptr(GHashTable) members = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) hashes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) ops = NULL;
  BfkLogFilter filter = { .addresses = &c->contract, .n_addresses = 1 };
  guint64 head = 0, registered = 0, members_on_chain = 0;

  ops = bfk_outbox_list_recent (c->store, 0, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < ops->len; i++)
    {
      BfkOpInfo *op = g_ptr_array_index (ops, i);

      if (op->state != BFK_OP_CONFIRMED)
        g_test_message ("operation %" G_GINT64_FORMAT " (nonce %" G_GUINT64_FORMAT ", %u attempts) "
                        "is %s: %s", op->id, op->nonce, op->attempts,
                        bfk_op_state_to_string (op->state), op->reason);
    }
  g_assert_cmpuint (outbox_test_count (c->store, BFK_OP_CONFIRMED), ==, n_ops);
  g_assert_cmpuint (ops->len, ==, n_ops);
  for (guint i = 0; i < ops->len; i++)
    {
      BfkOpInfo *op = g_ptr_array_index (ops, i);

      g_assert_cmpint (op->state, ==, BFK_OP_CONFIRMED);
      g_assert_true (g_hash_table_add (hashes, g_strdup (op->tx_hash)));
    }

  g_assert_true (bfk_rpc_client_get_block_number (c->rpc, &head, &error));
  logs = bfk_rpc_client_get_logs_chunked (c->rpc, &filter, c->deploy_block, head, 0, NULL, NULL,
                                          NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < logs->len; i++)
    {
      const BfkLog *log = &g_array_index (logs, BfkLog, i);
      BfkEvent e;

      g_assert_true (bfk_event_decode (&log->topics[0][0], log->n_topics,
                                       g_bytes_get_data (log->data, NULL),
                                       g_bytes_get_size (log->data), &e, &error));
      if (e.kind == BFK_EVENT_MEMBER_REGISTERED)
        {
          registered++;
          g_assert_true (g_hash_table_add (members, bfk_address_to_string (&e.member)));
        }
      bfk_event_clear (&e);
    }
  g_assert_cmpuint (registered, ==, n_ops);

  for (guint64 id = 1; id <= 3; id++)
    {
      BfkCommunityInfo info = { 0 };

      g_assert_true (bfk_contract_read_community (c->rpc, &c->contract, id, &info, &error));
      members_on_chain += info.members;
      bfk_community_info_clear (&info);
    }
  g_assert_cmpuint (members_on_chain, ==, n_ops);
  /* The deployment, then one transaction per operation. */
  g_assert_cmpuint (outbox_test_chain_nonce (c->rpc, &c->operator_address), ==, nonce_expected);
}

static void
test_kill_nine (void)
{
  Crash c = { 0 };
  GPid pid;

  if (!crash_init (&c))
    {
      g_test_skip ("anvil not found");
      return;
    }
  enqueue_burst (&c);

  for (guint k = 0; k < N_KILLS; k++)
    {
      guint delay_ms = (guint) g_test_rand_int_range (30, 300);

      pid = spawn_driver (&c);
      g_usleep (delay_ms * 1000);
      kill (pid, SIGKILL);
      wait_driver (pid);
      /* A batch the dead driver had on the wire may still be arriving:
       * anvil can strand transactions that arrive out of order at the same
       * moment (foundry-rs/foundry#10122), which a restarted backend would
       * hardly race with. */
      g_usleep (100 * 1000);
      g_test_message ("kill %u after %u ms: %" G_GUINT64_FORMAT " of %d confirmed", k + 1,
                      delay_ms, outbox_test_count (c.store, BFK_OP_CONFIRMED), N_OPS);
    }

  pid = spawn_driver (&c);
  assert_exit_ok (wait_driver (pid));
  assert_landed_once (&c, N_OPS, 1 + N_OPS);
  crash_clear (&c);
}

static void
test_node_stopped_mid_burst (void)
{
  Crash c = { 0 };
  guint delay_ms = (guint) g_test_rand_int_range (30, 200);
  guint64 confirmed_at_stop;
  GPid pid;

  if (!crash_init (&c))
    {
      g_test_skip ("anvil not found");
      return;
    }
  enqueue_burst (&c);

  pid = spawn_driver (&c);
  g_usleep (delay_ms * 1000);
  /* The driver is frozen, and anvil given time to finish the batch it
   * already received, before anvil writes its state file: a transaction
   * mined while anvil dumps its state comes back from the file as done
   * (nonce used, member registered) with no receipt, which no client can
   * tell from another writer's.  The driver's connections die with anvil
   * all the same, and what it signed but did not send stays unsent. */
  kill (pid, SIGSTOP);
  g_usleep (300 * 1000);
  stop_node (&c);
  kill (pid, SIGCONT);
  confirmed_at_stop = outbox_test_count (c.store, BFK_OP_CONFIRMED);
  g_usleep (500 * 1000);
  /* The driver waits for the node rather than failing. */
  g_assert_cmpint (waitpid (pid, NULL, WNOHANG), ==, 0);
  start_node (&c);
  assert_exit_ok (wait_driver (pid));
  g_test_message ("anvil stopped after %u ms, with %" G_GUINT64_FORMAT " of %d confirmed",
                  delay_ms, confirmed_at_stop, N_OPS);
  assert_landed_once (&c, N_OPS, 1 + N_OPS);
  crash_clear (&c);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree gchar *anvil = NULL;
  g_autofree gchar *here = g_path_get_dirname (argv[0]);
  int rc;

  g_test_init (&argc, &argv, NULL);
  if ((anvil = bfk_test_find_tool ("anvil")) == NULL)
    {
      g_print ("1..0 # SKIP anvil not found\n");
      return 0;
    }
  /* Built beside this test (meson's depends: makes sure of it). */
  driver_path = g_build_filename (here, "outbox-driver", NULL);
  if (!g_file_test (driver_path, G_FILE_TEST_IS_EXECUTABLE))
    g_error ("outbox-driver not found at %s", driver_path);

  g_test_add_func ("/outbox-crash/kill-nine", test_kill_nine);
  g_test_add_func ("/outbox-crash/node-stopped-mid-burst", test_node_stopped_mid_burst);
  rc = g_test_run ();
  g_free (driver_path);
  return rc;
}
