/* test-follower.c: the follower against a real anvil.  A community's life is
 * sent through the C client, then followed into a store, whose figures must
 * be the contract's: every log stored once, balances equal to getMember,
 * communities to getCommunity, exchanges to getExchange.  The same with tiny
 * chunks, and across two reorganisations (evm_revert to a snapshot, and
 * anvil_reorg at the same height). */
#include "bfk-follower.h"
#include "bfk-hex.h"
#include "bfk-test-chain.h"
#include "bfk-test-tmp.h"

#include <string.h>

static BfkTestChain *chain;
static gchar *tmp_dir;
static BfkStore *store;
static BfkFollower *follower;
static BfkAddress alice, bob, carol;
static BfkPrivateKey backer_key;
static BfkAddress backer;
static BfkSender *backer_sender;
static guint announced;

static gint64 deadline;

/* g_test_expect_message does not see structured logging in GLib 2.74: this
 * writer takes the one warning a test expects, and passes on the rest. */
static gchar *expected_warning;
static guint caught_warnings;

static GLogWriterOutput
writer (GLogLevelFlags   level,
        const GLogField *fields,
        gsize            n_fields,
        gpointer         user_data)
{
  for (gsize i = 0; expected_warning && i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0
        && (level & G_LOG_LEVEL_WARNING)
        && g_pattern_match_simple (expected_warning, fields[i].value))
      {
        caught_warnings++;
        return G_LOG_WRITER_HANDLED;
      }
  return g_log_writer_default (level, fields, n_fields, user_data);
}

/* --- chain helpers ---------------------------------------------------------- */

static void
ok (BfkSender *sender,
    GBytes    *data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkReceipt) receipt = bfk_test_chain_transact (chain, sender, data, &error);

  g_assert_no_error (error);
  g_assert_true (receipt->status);
}

static void
random_address (BfkAddress *a)
{
  g_auto(BfkPrivateKey) k = { 0 };

  g_assert_true (bfk_private_key_generate (&k, NULL));
  g_assert_true (bfk_private_key_to_address (&k, a, NULL));
}

static guint64
exchange_count (void)
{
  return bfk_test_chain_read_uint (chain, "exchangeCount", NULL);
}

static guint64
propose (const BfkAddress *payer,
         const BfkAddress *provider,
         guint64           amount)
{
  ok (chain->operator, bfk_contract_encode_propose_exchange (payer, provider, bfk_u256_from_u64 (amount),
                                                             (guint64) deadline));
  return exchange_count ();
}

static JsonNode *
rpc (const gchar *method,
     JsonNode    *params)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) owned = params;
  JsonNode *result = bfk_rpc_client_call (chain->rpc, method, owned, &error);

  g_assert_no_error (error);
  return result;
}

static JsonNode *
params_of (JsonNode *first,
           JsonNode *second)
{
  JsonArray *array = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  json_array_add_element (array, first);
  if (second)
    json_array_add_element (array, second);
  json_node_take_array (node, array);
  return node;
}

/* After the chain went back, the senders' nonce counters are ahead of it. */
static void
renew_senders (void)
{
  g_autoptr(GError) error = NULL;

  bfk_sender_free (chain->operator);
  chain->operator = bfk_sender_new (chain->rpc, BFK_LOCAL_NODE_CHAIN_ID, &chain->operator_key, &error);
  g_assert_no_error (error);
  bfk_sender_free (backer_sender);
  backer_sender = bfk_sender_new (chain->rpc, BFK_LOCAL_NODE_CHAIN_ID, &backer_key, &error);
  g_assert_no_error (error);
}

static guint64
head (void)
{
  g_autoptr(GError) error = NULL;
  guint64 n = 0;

  g_assert_true (bfk_rpc_client_get_block_number (chain->rpc, &n, &error));
  return n;
}

/* --- store helpers ------------------------------------------------------------ */

static BfkStore *
open_store (const gchar *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree gchar *path = g_build_filename (tmp_dir, name, NULL);
  BfkStore *s = bfk_store_open (path, FALSE, &error);

  g_assert_no_error (error);
  return s;
}

static gint64
account_count (const BfkAddress *a)
{
  g_autofree gchar *text = bfk_address_to_string (a);

  return bfk_test_query_int (store, "SELECT count(*) FROM accounts WHERE address = ?", text);
}

static void
on_event (const BfkEvent *event,
          gboolean        confirmed,
          gpointer        user_data)
{
  g_assert_true (confirmed);   /* depth 0 */
  announced++;
}

static void
on_progress (guint64  done,
             guint64  total,
             gpointer user_data)
{
  guint64 *last = user_data;

  g_assert_cmpuint (done, <=, total);
  g_assert_cmpuint (done, >, *last);
  *last = done;
}

static BfkFollowerReport
step (BfkFollower *f)
{
  g_autoptr(GError) error = NULL;
  BfkFollowerReport report;

  g_assert_true (bfk_follower_step (f, NULL, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.synced, ==, report.head);
  g_assert_cmpuint (report.lag, ==, 0);
  return report;
}

/* Every log of the contract is stored once; the derived figures are the
 * contract's. */
static void
assert_matches_chain (BfkStore    *s,
                      BfkFollower *f)
{
  BfkLogFilter filter = { .addresses = &chain->contract, .n_addresses = 1 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) logs = bfk_rpc_client_get_logs (chain->rpc, &filter, chain->deploy_block, head (), &error);
  g_autoptr(GArray) communities = NULL;
  guint64 members = 0;

  g_assert_no_error (error);
  g_assert_cmpint (bfk_test_query_int (s, "SELECT count(*) FROM events", NULL), ==, logs->len);
  for (guint i = 0; i < logs->len; i++)
    {
      const BfkLog *log = &g_array_index (logs, BfkLog, i);
      g_autofree gchar *hash = bfk_hex_encode (log->block_hash, 32);
      g_autofree gchar *sql = g_strdup_printf ("SELECT count(*) FROM events WHERE block_hash = ?"
                                               " AND log_index = %u AND block_number = %" G_GUINT64_FORMAT,
                                               log->log_index, log->block_number);

      g_assert_cmpint (bfk_test_query_int (s, sql, hash), ==, 1);
    }

  g_assert_cmpint (bfk_follower_reconcile (f, 0, NULL, &error), ==, 0);
  g_assert_no_error (error);

  communities = bfk_contract_read_communities (chain->rpc, &chain->contract, &error);
  g_assert_no_error (error);
  g_assert_cmpint (bfk_test_query_int (s, "SELECT count(*) FROM communities", NULL), ==, communities->len);
  for (guint i = 0; i < communities->len; i++)
    {
      const BfkCommunityInfo *c = &g_array_index (communities, BfkCommunityInfo, i);
      g_autofree gchar *sql = g_strdup_printf ("SELECT count(*) FROM communities WHERE id = %" G_GUINT64_FORMAT
                                               " AND name = ? AND members = %" G_GUINT64_FORMAT
                                               " AND supply = %" G_GUINT64_FORMAT
                                               " AND exchanges = %" G_GUINT64_FORMAT,
                                               c->id, c->members, bfk_u256_to_u64 (c->supply), c->exchanges);

      g_assert_cmpint (bfk_test_query_int (s, sql, c->name), ==, 1);
      members += c->members;
    }
  g_assert_cmpint (bfk_test_query_int (s, "SELECT count(*) FROM accounts", NULL), ==, members);

  g_assert_cmpint (bfk_test_query_int (s, "SELECT count(*) FROM exchanges", NULL), ==, exchange_count ());
  for (guint64 id = 1; id <= exchange_count (); id++)
    {
      BfkExchangeInfo info;
      g_autofree gchar *sql = NULL;

      g_assert_true (bfk_contract_read_exchange (chain->rpc, &chain->contract, id, &info, &error));
      sql = g_strdup_printf ("SELECT state FROM exchanges WHERE id = %" G_GUINT64_FORMAT
                             " AND amount = %" G_GUINT64_FORMAT, id, bfk_u256_to_u64 (info.amount));
      g_assert_cmpint (bfk_test_query_int (s, sql, NULL), ==, info.state);
    }
}

/* --- tests -------------------------------------------------------------------- */

static void
test_follow (void)
{
  g_autoptr(GError) error = NULL;
  BfkFollowerReport report;
  guint64 progress = 0, id;

  random_address (&alice);
  random_address (&bob);
  random_address (&carol);
  ok (chain->operator, bfk_contract_encode_register_member (&alice, 1));
  ok (chain->operator, bfk_contract_encode_register_member (&bob, 1));
  ok (chain->operator, bfk_contract_encode_register_member (&carol, 2));

  id = propose (&alice, &bob, 300);
  ok (chain->operator, bfk_contract_encode_accept_exchange (id));
  ok (chain->operator, bfk_contract_encode_complete_exchange (id));
  ok (chain->operator, bfk_contract_encode_rate_exchange (id, &alice, 4));
  id = propose (&alice, &bob, 100);
  ok (chain->operator, bfk_contract_encode_decline_exchange (id));
  id = propose (&bob, &alice, 50);
  ok (chain->operator, bfk_contract_encode_cancel_exchange (id));
  propose (&bob, &alice, 25);   /* left open: escrow */

  bfk_test_chain_funded_key (chain, &backer_key, &backer);
  backer_sender = bfk_sender_new (chain->rpc, BFK_LOCAL_NODE_CHAIN_ID, &backer_key, &error);
  g_assert_no_error (error);
  ok (chain->operator, bfk_contract_encode_approve_backer (&backer, 1, bfk_u256_from_u64 (500)));
  ok (backer_sender, bfk_contract_encode_recharge (&alice, bfk_u256_from_u64 (200)));

  bfk_follower_set_event_func (follower, on_event, NULL);
  bfk_follower_set_progress_func (follower, on_progress, &progress);
  report = step (follower);
  g_assert_cmpuint (report.head, ==, head ());
  g_assert_cmpuint (progress, ==, report.head - chain->deploy_block + 1);
  bfk_follower_set_progress_func (follower, NULL, NULL);
  /* 3 communities of the constructor, 3 members, 4 proposals and their
   * ends, a rating, a backer, a recharge (and the deployer's roles). */
  g_assert_cmpuint (report.new_events, >=, 3 + 3 + 4 + 3 + 1 + 1 + 1 + 1);
  g_assert_cmpuint (report.new_events, ==, announced);
  g_assert_cmpuint (report.newly_confirmed, ==, report.new_events);
  g_assert_cmpuint (report.reorgs, ==, 0);
  assert_matches_chain (store, follower);

  g_assert_cmpint (bfk_test_chain_read_uint (chain, "balanceOf", &alice), ==, 1000 - 300 + 200);
  g_assert_cmpint (bfk_test_chain_read_uint (chain, "escrowOf", &bob), ==, 25);

  /* Again, with nothing new: nothing is added. */
  report = step (follower);
  g_assert_cmpuint (report.new_events, ==, 0);
  g_assert_cmpuint (report.newly_confirmed, ==, 0);
  assert_matches_chain (store, follower);
}

/* The store of a follower reading 1 and 3 blocks at a time equals the one
 * read in one chunk, table by table. */
static void
test_small_windows (void)
{
  /* Not blocks: a small window's chunk ends stay recorded. */
  const gchar *tables[] = { "events", "communities", "accounts", "exchanges", "backers" };
  guint64 windows[] = { 1, 3 };

  for (gsize w = 0; w < G_N_ELEMENTS (windows); w++)
    {
      g_autofree gchar *name = g_strdup_printf ("window-%" G_GUINT64_FORMAT ".db", windows[w]);
      g_autofree gchar *path = g_build_filename (tmp_dir, name, NULL);
      g_autofree gchar *attach = g_strdup_printf ("ATTACH DATABASE '%s' AS other", path);
      g_autoptr(BfkStore) s = open_store (name);
      g_autoptr(BfkFollower) f = bfk_follower_new (s, chain->rpc, &chain->contract, chain->deploy_block, 0);
      g_autoptr(GError) error = NULL;
      BfkFollowerReport report;

      bfk_follower_set_window (f, windows[w]);
      report = step (f);
      g_assert_cmpuint (report.new_events, ==, bfk_test_query_int (store, "SELECT count(*) FROM events", NULL));
      assert_matches_chain (s, f);

      g_assert_true (bfk_store_exec (store, attach, &error));
      g_assert_no_error (error);
      for (gsize t = 0; t < G_N_ELEMENTS (tables); t++)
        {
          g_autofree gchar *diff = g_strdup_printf (
              "SELECT (SELECT count(*) FROM (SELECT * FROM main.%s EXCEPT SELECT * FROM other.%s))"
              " + (SELECT count(*) FROM (SELECT * FROM other.%s EXCEPT SELECT * FROM main.%s))",
              tables[t], tables[t], tables[t], tables[t]);

          g_assert_cmpint (bfk_test_query_int (store, diff, NULL), ==, 0);
        }
      g_assert_true (bfk_store_exec (store, "DETACH DATABASE other", &error));
    }
}

static void
test_reconcile_difference (void)
{
  g_autofree gchar *address = bfk_address_to_string (&alice);
  g_autofree gchar *update = g_strdup_printf ("UPDATE accounts SET balance = balance + 7 WHERE address = '%s'",
                                              address);
  g_autofree gchar *undo = g_strdup_printf ("UPDATE accounts SET balance = balance - 7 WHERE address = '%s'",
                                            address);
  g_autoptr(GError) error = NULL;

  g_assert_true (bfk_store_exec (store, update, &error));
  expected_warning = g_strdup_printf ("*Reconciliation: %s has balance 907 and escrow 0 in the store,"
                                      " but 900 and 0 on chain*", address);
  g_assert_cmpint (bfk_follower_reconcile (follower, 0, NULL, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpuint (caught_warnings, ==, 1);
  g_clear_pointer (&expected_warning, g_free);
  g_assert_true (bfk_store_exec (store, undo, &error));
  /* A sample of one account, however chosen, agrees again. */
  g_assert_cmpint (bfk_follower_reconcile (follower, 1, NULL, &error), ==, 0);
}

/* evm_snapshot, more transactions followed, evm_revert and other
 * transactions: the old ones are rolled back, the new ones read. */
static void
test_reorg_revert (void)
{
  g_autoptr(JsonNode) snapshot = rpc ("evm_snapshot", NULL);
  g_autoptr(JsonNode) reverted = NULL;
  guint64 fork = head () + 1;
  BfkAddress dave, erin;
  BfkFollowerReport report;
  guint64 id;

  random_address (&dave);
  random_address (&erin);
  ok (chain->operator, bfk_contract_encode_register_member (&dave, 1));
  id = propose (&dave, &alice, 40);
  ok (chain->operator, bfk_contract_encode_accept_exchange (id));
  ok (backer_sender, bfk_contract_encode_recharge (&bob, bfk_u256_from_u64 (10)));
  report = step (follower);
  g_assert_cmpuint (report.new_events, ==, 4);
  g_assert_cmpint (account_count (&dave), ==, 1);
  assert_matches_chain (store, follower);

  reverted = rpc ("evm_revert", params_of (json_node_copy (snapshot), NULL));
  g_assert_true (json_node_get_boolean (reverted));
  g_assert_cmpuint (head (), ==, fork - 1);
  renew_senders ();
  /* A shorter new chain: two blocks where there were four. */
  ok (chain->operator, bfk_contract_encode_register_member (&erin, 1));
  ok (backer_sender, bfk_contract_encode_recharge (&erin, bfk_u256_from_u64 (30)));

  report = step (follower);
  g_assert_cmpuint (report.reorgs, ==, 1);
  g_assert_cmpuint (report.rolled_back_from, ==, fork);
  g_assert_cmpuint (report.new_events, ==, 2);
  g_assert_cmpint (account_count (&dave), ==, 0);
  g_assert_cmpint (account_count (&erin), ==, 1);
  assert_matches_chain (store, follower);
}

/* anvil_reorg replaces the last blocks at the same height: only the hashes
 * tell. */
static void
test_reorg_same_height (void)
{
  g_autoptr(JsonNode) result = NULL;
  guint64 before;
  BfkAddress frank, gina;
  BfkFollowerReport report;

  random_address (&frank);
  random_address (&gina);
  ok (chain->operator, bfk_contract_encode_register_member (&frank, 2));
  ok (chain->operator, bfk_contract_encode_propose_exchange (&alice, &bob, bfk_u256_from_u64 (60),
                                                             (guint64) deadline));
  report = step (follower);
  g_assert_cmpuint (report.new_events, ==, 2);
  before = head ();

  result = rpc ("anvil_reorg", params_of (json_node_init_int (json_node_alloc (), 2),
                                          json_node_init_array (json_node_alloc (), json_array_new ())));
  g_assert_cmpuint (head (), ==, before);
  renew_senders ();
  ok (chain->operator, bfk_contract_encode_register_member (&gina, 2));

  report = step (follower);
  g_assert_cmpuint (report.reorgs, ==, 1);
  g_assert_cmpuint (report.rolled_back_from, ==, before - 1);
  g_assert_cmpint (account_count (&frank), ==, 0);
  g_assert_cmpint (account_count (&gina), ==, 1);
  g_assert_cmpint (bfk_test_chain_read_uint (chain, "escrowOf", &alice), ==, 0);
  assert_matches_chain (store, follower);
}

/* A follower on the same data after a restart carries on where it was. */
static void
test_restart (void)
{
  g_autoptr(BfkFollower) again = bfk_follower_new (store, chain->rpc, &chain->contract, chain->deploy_block, 0);
  BfkFollowerReport report;
  BfkAddress hugo;

  random_address (&hugo);
  ok (chain->operator, bfk_contract_encode_register_member (&hugo, 3));
  report = step (again);
  g_assert_cmpuint (report.new_events, ==, 1);
  g_assert_cmpuint (report.reorgs, ==, 0);
  assert_matches_chain (store, again);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  g_log_set_writer_func (writer, NULL, NULL);
  chain = bfk_test_chain_new ();
  if (chain == NULL)
    return 0;
  deadline = g_get_real_time () / G_USEC_PER_SEC + 86400;
  tmp_dir = bfk_test_make_tmp_dir ("bafoka-follower-XXXXXX");
  store = open_store ("bafoka.db");
  follower = bfk_follower_new (store, chain->rpc, &chain->contract, chain->deploy_block, 0);

  g_test_add_func ("/follower/follow", test_follow);
  g_test_add_func ("/follower/small-windows", test_small_windows);
  g_test_add_func ("/follower/reconcile-difference", test_reconcile_difference);
  g_test_add_func ("/follower/reorg-revert", test_reorg_revert);
  g_test_add_func ("/follower/reorg-same-height", test_reorg_same_height);
  g_test_add_func ("/follower/restart", test_restart);
  status = g_test_run ();

  bfk_follower_free (follower);
  bfk_store_close (store);
  g_clear_pointer (&backer_sender, bfk_sender_free);
  bfk_private_key_wipe (&backer_key);
  bfk_test_chain_free (chain);
  bfk_test_remove_dir (tmp_dir);
  g_free (tmp_dir);
  return status;
}
