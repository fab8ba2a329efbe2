/* test-outbox.c: the outbox on a real anvil: a burst of registrations, a
 * revert at estimation and one on chain, a stuck transaction replaced with
 * higher fees, the lock, the gas pause, and a node that goes away. */
#include "bfk-chain-error.h"
#include "bfk-test-chain.h"
#include "outbox-test-util.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

static BfkTestChain *chain;
static BfkAddress operator_address;

typedef struct
{
  gchar     *dir;
  BfkStore  *store;
  BfkOutbox *outbox;
  guint      confirmed;    /* seen by the observer */
  guint      failed;
} Fixture;

static void
observe (gint64           op_id,
         BfkOpState       old_state,
         BfkOpState       new_state,
         const BfkOpInfo *info,
         gpointer         user_data)
{
  Fixture *f = user_data;

  g_assert_cmpint (info->id, ==, op_id);
  /* The info is read after the commit: a mined operation may already be
   * confirmed in it. */
  g_assert_cmpint (info->state, >=, new_state);
  g_assert_cmpint (old_state, !=, new_state);
  f->confirmed += new_state == BFK_OP_CONFIRMED;
  f->failed += new_state == BFK_OP_FAILED;
}

static void
fixture_init (Fixture               *f,
              BfkRpcClient          *rpc,
              const BfkOutboxConfig *config)
{
  g_autoptr(GError) error = NULL;
  g_autofree gchar *path = NULL;
  BfkOutboxConfig defaults;

  f->dir = g_dir_make_tmp ("bafoka-outbox-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "bafoka.db", NULL);
  f->store = bfk_store_open (path, FALSE, &error);
  g_assert_no_error (error);
  if (config == NULL)
    {
      bfk_outbox_config_init (&defaults, BFK_LOCAL_NODE_CHAIN_ID, 0);
      config = &defaults;
    }
  f->outbox = bfk_outbox_new (f->store, rpc, BFK_LOCAL_NODE_CHAIN_ID, config);
  bfk_outbox_add_key (f->outbox, &chain->operator_key);
  bfk_outbox_set_observer (f->outbox, observe, f);
}

static void
fixture_clear (Fixture *f)
{
  g_clear_pointer (&f->outbox, bfk_outbox_free);
  g_clear_pointer (&f->store, bfk_store_close);
  outbox_test_remove_tree (f->dir);
  g_free (f->dir);
}

static void
drive_ok (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (outbox_test_drive (f->outbox, 60, NULL, &error));
  g_assert_no_error (error);
}

static BfkOpInfo *
get_op (Fixture *f,
        gint64   id)
{
  g_autoptr(GError) error = NULL;
  BfkOpInfo *info = bfk_outbox_get (f->store, id, &error);

  g_assert_no_error (error);
  return info;
}

static guint64
community_members (BfkRpcClient     *rpc,
                   const BfkAddress *contract,
                   guint64           id)
{
  g_autoptr(GError) error = NULL;
  BfkCommunityInfo info = { 0 };
  guint64 n;

  g_assert_true (bfk_contract_read_community (rpc, contract, id, &info, &error));
  g_assert_no_error (error);
  n = info.members;
  bfk_community_info_clear (&info);
  return n;
}

static void
json_call (BfkRpcClient *rpc,
           const gchar  *method,
           const gchar  *params_json)
{
  g_autoptr(JsonNode) params = json_from_string (params_json, NULL);
  g_autoptr(JsonNode) result = NULL;
  g_autoptr(GError) error = NULL;

  result = bfk_rpc_client_call (rpc, method, params, &error);
  g_assert_no_error (error);
}

/* --- a burst ---------------------------------------------------------------- */

#define BURST 120

static void
test_burst (void)
{
  Fixture f = { 0 };
  g_autofree gint64 *ids = g_new0 (gint64, BURST);
  guint64 members = community_members (chain->rpc, &chain->contract, 1);
  guint64 nonce0 = outbox_test_chain_nonce (chain->rpc, &operator_address);
  g_autoptr(GPtrArray) recent = NULL;
  g_autoptr(GError) error = NULL;

  fixture_init (&f, chain->rpc, NULL);
  for (guint i = 0; i < BURST; i++)
    {
      BfkAddress member;

      outbox_test_random_address (&member);
      ids[i] = outbox_test_enqueue_register (f.store, chain->rpc, &operator_address,
                                             &chain->contract, &member, 1);
    }
  g_assert_cmpuint (outbox_test_count (f.store, BFK_OP_QUEUED), ==, BURST);
  drive_ok (&f);

  g_assert_cmpuint (outbox_test_count (f.store, BFK_OP_CONFIRMED), ==, BURST);
  g_assert_cmpuint (f.confirmed, ==, BURST);
  g_assert_cmpuint (community_members (chain->rpc, &chain->contract, 1), ==, members + BURST);
  /* One transaction per operation, at consecutive nonces. */
  g_assert_cmpuint (outbox_test_chain_nonce (chain->rpc, &operator_address), ==, nonce0 + BURST);
  for (guint i = 0; i < BURST; i++)
    {
      g_autoptr(BfkOpInfo) info = get_op (&f, ids[i]);

      g_assert_cmpuint (info->nonce, ==, nonce0 + i);
      g_assert_cmpuint (info->attempts, ==, 1);
      g_assert_nonnull (info->tx_hash);
      g_assert_cmpuint (info->gas_used, >, 21000);
      g_assert_nonnull (info->fee_paid);
      g_assert_cmpint (info->confirmed_at, >, 0);
    }

  recent = bfk_outbox_list_recent (f.store, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (recent->len, ==, 5);
  g_assert_cmpint (((BfkOpInfo *) g_ptr_array_index (recent, 0))->id, ==, ids[BURST - 1]);
  fixture_clear (&f);
}

/* 1,000 registrations enqueued in one transaction, then timed from the
 * first step to the last confirmation: a figure, not a pass mark (the
 * benchmark in tests/bench compares it with the raw client). */
static void
test_throughput (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  gint64 start;
  gdouble seconds;

  fixture_init (&f, chain->rpc, NULL);
  g_assert_true (bfk_store_begin (f.store, &error));
  for (guint i = 0; i < 1000; i++)
    {
      BfkAddress member;

      outbox_test_random_address (&member);
      outbox_test_enqueue_register (f.store, chain->rpc, &operator_address, &chain->contract,
                                    &member, 2);
    }
  g_assert_true (bfk_store_commit (f.store, &error));
  start = g_get_monotonic_time ();
  drive_ok (&f);
  seconds = (gdouble) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
  g_assert_cmpuint (f.confirmed, ==, 1000);
  g_test_message ("1000 operations confirmed in %.2f s: %.0f ops/s", seconds, 1000 / seconds);
  fixture_clear (&f);
}

/* --- reverts ---------------------------------------------------------------- */

static void
test_reverts (void)
{
  Fixture f = { 0 };
  g_autoptr(GBytes) cross = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkOpInfo) proposal = NULL;
  g_autoptr(BfkOpInfo) twice = NULL;
  BfkAddress a, c, later[3];
  gint64 proposal_id, twice_id, later_ids[3];
  guint64 nonce0;
  BfkOpRequest request = { .kind = BFK_OP_PROPOSE_EXCHANGE, .summary = "cross-community" };

  fixture_init (&f, chain->rpc, NULL);
  outbox_test_random_address (&a);
  outbox_test_random_address (&c);
  outbox_test_enqueue_register (f.store, chain->rpc, &operator_address, &chain->contract, &a, 1);
  outbox_test_enqueue_register (f.store, chain->rpc, &operator_address, &chain->contract, &c, 2);
  drive_ok (&f);
  nonce0 = outbox_test_chain_nonce (chain->rpc, &operator_address);

  /* A revert at estimation: nothing is signed, and its nonce goes to the
   * operations after it. */
  cross = bfk_contract_encode_propose_exchange (&a, &c, bfk_u256_from_u64 (10),
                                                (guint64) (g_get_real_time () / G_USEC_PER_SEC) + 86400);
  request.calldata = cross;
  proposal_id = bfk_outbox_enqueue (f.store, NULL, &operator_address, &chain->contract, &request,
                                    &error);
  g_assert_no_error (error);
  /* A revert on chain: the second registration of one member, sent in the
   * same batch as the first, estimated before the first is mined. */
  for (guint i = 0; i < 3; i++)
    {
      outbox_test_random_address (&later[i]);
      later_ids[i] = outbox_test_enqueue_register (f.store, NULL, &operator_address,
                                                   &chain->contract, &later[i], 1);
    }
  twice_id = outbox_test_enqueue_register (f.store, NULL, &operator_address, &chain->contract,
                                           &later[0], 1);
  drive_ok (&f);

  proposal = get_op (&f, proposal_id);
  g_assert_cmpint (proposal->state, ==, BFK_OP_FAILED);
  g_assert_cmpint (proposal->failure_class, ==, BFK_FAILURE_REVERTED);
  g_assert_cmpuint (proposal->attempts, ==, 0);
  if (strstr (proposal->reason, "CrossCommunity") == NULL)
    g_error ("unexpected reason: %s", proposal->reason);

  twice = get_op (&f, twice_id);
  g_assert_cmpint (twice->state, ==, BFK_OP_FAILED);
  g_assert_cmpint (twice->failure_class, ==, BFK_FAILURE_REVERTED);
  g_assert_cmpuint (twice->attempts, ==, 1);
  if (strstr (twice->reason, "AlreadyMember") == NULL)
    g_error ("unexpected reason: %s", twice->reason);

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(BfkOpInfo) info = get_op (&f, later_ids[i]);

      g_assert_cmpint (info->state, ==, BFK_OP_CONFIRMED);
      g_assert_cmpuint (info->nonce, ==, nonce0 + i);
    }
  /* Contiguous: three registrations and the reverted one, nothing for the
   * proposal. */
  g_assert_cmpuint (outbox_test_chain_nonce (chain->rpc, &operator_address), ==, nonce0 + 4);
  g_assert_cmpuint (f.failed, ==, 2);

  /* Not retried: more steps change nothing. */
  for (guint i = 0; i < 3; i++)
    {
      BfkOutboxReport report;

      g_assert_true (bfk_outbox_step (f.outbox, NULL, &report, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (report.signed_now + report.sent_now, ==, 0);
    }
  g_assert_cmpuint (outbox_test_chain_nonce (chain->rpc, &operator_address), ==, nonce0 + 4);
  fixture_clear (&f);
}

/* --- a stuck transaction ---------------------------------------------------- */

static guint
count_attempts (BfkStore    *store,
                gint64       op_id,
                const gchar *where)
{
  g_autofree gchar *sql = g_strdup_printf ("SELECT COUNT(*) FROM tx_attempts WHERE "
                                           "operation_id = %" G_GINT64_FORMAT " AND %s",
                                           op_id, where);
  sqlite3_stmt *stmt = NULL;
  guint n;

  g_assert_cmpint (sqlite3_prepare_v2 (bfk_store_get_db (store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = (guint) sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

static void
test_stuck_bumped (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkOpInfo) info = NULL;
  BfkOutboxConfig config;
  BfkOutboxReport report;
  BfkAddress member;
  guint64 nonce0 = outbox_test_chain_nonce (chain->rpc, &operator_address);
  gint64 id;
  g_autofree gchar *replaced = NULL;

  bfk_outbox_config_init (&config, BFK_LOCAL_NODE_CHAIN_ID, 0);
  config.resend_after_s = 1;
  fixture_init (&f, chain->rpc, &config);

  json_call (chain->rpc, "evm_setAutomine", "[false]");
  outbox_test_random_address (&member);
  id = outbox_test_enqueue_register (f.store, chain->rpc, &operator_address, &chain->contract,
                                     &member, 3);
  g_assert_true (bfk_outbox_step (f.outbox, NULL, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.sent_now, ==, 1);
  g_assert_cmpuint (report.pending, ==, 1);

  /* Not mined within resend_after_s: sent again, fees raised. */
  g_usleep (1100 * 1000);
  g_assert_true (bfk_outbox_step (f.outbox, NULL, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.bumped_now, ==, 1);
  info = get_op (&f, id);
  g_assert_cmpuint (info->attempts, ==, 2);
  g_assert_cmpint (info->state, ==, BFK_OP_SENT);
  g_clear_pointer (&info, bfk_op_info_free);

  json_call (chain->rpc, "evm_mine", "[]");
  json_call (chain->rpc, "evm_setAutomine", "[true]");
  drive_ok (&f);

  info = get_op (&f, id);
  g_assert_cmpint (info->state, ==, BFK_OP_CONFIRMED);
  g_assert_cmpuint (f.confirmed, ==, 1);
  /* The replacement was mined; the first attempt says so. */
  replaced = g_strdup_printf ("error = 'replaced by %s'", info->tx_hash);
  g_assert_cmpuint (count_attempts (f.store, id, replaced), ==, 1);
  g_assert_cmpuint (count_attempts (f.store, id, "error IS NULL"), ==, 1);
  g_assert_cmpuint (outbox_test_chain_nonce (chain->rpc, &operator_address), ==, nonce0 + 1);
  fixture_clear (&f);
}

/* A max fee under the next block's base fee: refused or left unmined,
 * then replaced with higher fees until it passes. */
static void
test_fee_cap_bumped (void)
{
  Fixture f = { 0 };
  g_autoptr(BfkOpInfo) info = NULL;
  BfkOutboxConfig config;
  BfkAddress member;
  gint64 id;

  bfk_outbox_config_init (&config, BFK_LOCAL_NODE_CHAIN_ID, 0);
  config.resend_after_s = 1;
  fixture_init (&f, chain->rpc, &config);
  json_call (chain->rpc, "anvil_setNextBlockBaseFeePerGas", "[\"0x2540be400\"]");  /* 10 gwei */

  outbox_test_random_address (&member);
  id = outbox_test_enqueue_register (f.store, chain->rpc, &operator_address, &chain->contract,
                                     &member, 1);
  drive_ok (&f);
  info = get_op (&f, id);
  g_assert_cmpint (info->state, ==, BFK_OP_CONFIRMED);
  g_assert_cmpuint (info->attempts, >, 1);
  g_test_message ("confirmed after %u attempts", info->attempts);
  fixture_clear (&f);
}

/* --- the lock ---------------------------------------------------------------- */

static void
test_lock (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree gchar *dir = g_dir_make_tmp ("bafoka-lock-XXXXXX", NULL);
  g_autofree gchar *pid = g_strdup_printf ("(pid %ld)", (long) getpid ());
  BfkOutboxLock *first = bfk_outbox_lock_acquire (dir, &error);
  BfkOutboxLock *second;

  g_assert_no_error (error);
  g_assert_nonnull (first);
  second = bfk_outbox_lock_acquire (dir, &error);
  g_assert_null (second);
  g_assert_error (error, BFK_OUTBOX_ERROR, BFK_OUTBOX_ERROR_LOCKED);
  g_assert_nonnull (strstr (error->message, pid));
  g_assert_nonnull (strstr (error->message, "operations were queued and it will send them"));
  g_clear_error (&error);

  bfk_outbox_lock_release (first);
  second = bfk_outbox_lock_acquire (dir, &error);
  g_assert_no_error (error);
  bfk_outbox_lock_release (second);
  outbox_test_remove_tree (dir);
}

/* --- gas ---------------------------------------------------------------------- */

/* The library logs structured: the gas warnings are counted here instead
 * of g_test_expect_message, which only sees g_log. */
static guint gas_warnings;

static GLogWriterOutput
count_gas_warnings (GLogLevelFlags   level,
                    const GLogField *fields,
                    gsize            n_fields,
                    gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_strcmp0 (fields[i].key, "MESSAGE") == 0 && (level & G_LOG_LEVEL_WARNING)
        && strstr (fields[i].value, "left for gas") != NULL)
      {
        gas_warnings++;
        return G_LOG_WRITER_HANDLED;
      }
  return g_log_writer_default (level, fields, n_fields, user_data);
}

static void
set_operator_balance (const gchar *wei_quantity)
{
  gchar a[BFK_ADDRESS_STRING_SIZE];
  g_autofree gchar *params = NULL;

  bfk_address_to_string_buf (&operator_address, a);
  params = g_strdup_printf ("[\"%s\", \"%s\"]", a, wei_quantity);
  json_call (chain->rpc, "anvil_setBalance", params);
}

static void
test_gas_pause (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  BfkOutboxConfig config;
  BfkOutboxReport report;
  BfkAddress member;

  bfk_outbox_config_init (&config, BFK_LOCAL_NODE_CHAIN_ID, 0);
  config.gas_warn_below = bfk_u256_from_u64 (G_GUINT64_CONSTANT (5000000000000000000));  /* 5 */
  config.gas_pause_below = bfk_u256_from_u64 (G_GUINT64_CONSTANT (1000000000000000000)); /* 1 */
  fixture_init (&f, chain->rpc, &config);
  outbox_test_random_address (&member);
  outbox_test_enqueue_register (f.store, chain->rpc, &operator_address, &chain->contract, &member, 1);

  set_operator_balance ("0x6f05b59d3b20000");   /* 0.5 ETH */
  g_assert_true (bfk_outbox_step (f.outbox, NULL, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (gas_warnings, ==, 1);
  g_assert_cmpint (report.gas_state, ==, BFK_GAS_PAUSED);
  g_assert_cmpuint (report.sent_now, ==, 0);
  g_assert_cmpuint (report.pending, ==, 1);
  /* Once per crossing: no second warning. */
  g_assert_true (bfk_outbox_step (f.outbox, NULL, &report, &error));
  g_assert_cmpint (report.gas_state, ==, BFK_GAS_PAUSED);
  g_assert_cmpuint (gas_warnings, ==, 1);

  set_operator_balance ("0x29a2241af62c0000");  /* 3 ETH: low, but sending */
  g_assert_true (bfk_outbox_step (f.outbox, NULL, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpint (report.gas_state, ==, BFK_GAS_LOW);
  g_assert_cmpuint (report.sent_now, ==, 1);
  g_assert_cmpuint (gas_warnings, ==, 1);   /* better than paused: no warning */
  drive_ok (&f);
  g_assert_cmpuint (f.confirmed, ==, 1);

  set_operator_balance ("0x21e19e0c9bab2400000");  /* 10,000 ETH again */
  fixture_clear (&f);
}

/* --- the node goes away ------------------------------------------------------ */

static void
test_node_down (void)
{
  g_autofree gchar *node_dir = g_dir_make_tmp ("bafoka-node-XXXXXX", NULL);
  BfkLocalNodeOptions options = { .data_dir = node_dir, .state_interval_s = 1 };
  g_autoptr(BfkLocalNode) node = NULL;
  g_autoptr(BfkRpcClient) rpc = NULL;
  g_autoptr(BfkSender) deployer = NULL;
  g_autoptr(BfkReceipt) receipt = NULL;
  g_autoptr(GBytes) code = bfk_contract_creation_code ();
  g_autoptr(GError) error = NULL;
  Fixture f = { 0 };
  BfkOutboxReport report;
  BfkAddress contract;
  guint down_steps = 0;

  node = bfk_local_node_start (&options, NULL, &error);
  g_assert_no_error (error);
  rpc = bfk_rpc_client_new (bfk_local_node_get_url (node));
  bfk_rpc_client_set_retries (rpc, 0, 10);
  bfk_rpc_client_set_connect_timeout (rpc, 500);
  bfk_rpc_client_set_revert_decoder (rpc, bfk_contract_describe_revert, NULL, NULL);
  deployer = bfk_sender_new (rpc, BFK_LOCAL_NODE_CHAIN_ID, &chain->operator_key, &error);
  g_assert_no_error (error);
  receipt = bfk_sender_transact (deployer, NULL, code, NULL, &error);
  g_assert_no_error (error);
  contract = receipt->contract_address;

  fixture_init (&f, rpc, NULL);
  for (guint i = 0; i < 20; i++)
    {
      BfkAddress member;

      outbox_test_random_address (&member);
      outbox_test_enqueue_register (f.store, rpc, &operator_address, &contract, &member, 1);
    }

  options.port = bfk_local_node_get_port (node);
  g_assert_true (bfk_local_node_stop (node, 0, &error));
  g_assert_no_error (error);
  g_clear_pointer (&node, bfk_local_node_free);

  /* Down: the steps say so, and nothing is lost. */
  for (guint i = 0; i < 3; i++)
    {
      g_assert_true (bfk_outbox_step (f.outbox, NULL, &report, &error));
      g_assert_no_error (error);
      g_assert_true (report.unreachable);
      g_assert_cmpuint (report.pending, ==, 20);
    }

  node = bfk_local_node_start (&options, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (outbox_test_drive (f.outbox, 60, &down_steps, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (outbox_test_count (f.store, BFK_OP_CONFIRMED), ==, 20);
  g_assert_cmpuint (community_members (rpc, &contract, 1), ==, 20);

  fixture_clear (&f);
  bfk_local_node_stop (node, 0, NULL);
  outbox_test_remove_tree (node_dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(BfkTestChain) owned = NULL;
  int rc;

  g_test_init (&argc, &argv, NULL);
  g_log_set_writer_func (count_gas_warnings, NULL, NULL);
  owned = chain = bfk_test_chain_new ();
  if (chain == NULL)
    return 0;
  g_assert_true (bfk_private_key_to_address (&chain->operator_key, &operator_address, NULL));

  g_test_add_func ("/outbox/burst", test_burst);
  g_test_add_func ("/outbox/throughput", test_throughput);
  g_test_add_func ("/outbox/reverts", test_reverts);
  g_test_add_func ("/outbox/stuck-bumped", test_stuck_bumped);
  g_test_add_func ("/outbox/fee-cap-bumped", test_fee_cap_bumped);
  g_test_add_func ("/outbox/lock", test_lock);
  g_test_add_func ("/outbox/gas-pause", test_gas_pause);
  g_test_add_func ("/outbox/node-down", test_node_down);
  rc = g_test_run ();
  return rc;
}
