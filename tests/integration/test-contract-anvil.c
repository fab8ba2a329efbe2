/* test-contract-anvil.c: the whole life of BafokaCommunity on a real anvil,
 * driven only through our C client, with balances cross-checked by cast. */
#include "bfk-chain-error.h"
#include "bfk-test-chain.h"

#include <string.h>

static BfkTestChain *chain;
static BfkAddress alice, bob, carol;   /* alice and bob in community 1, carol in 2 */
static BfkPrivateKey backer_key;
static BfkAddress backer;

/* Sends, asserts success, and returns the receipt's first event of kind. */
static void
transact_ok (BfkSender    *sender,
             GBytes       *data,
             BfkEventKind  kind,
             BfkEvent     *event_out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkReceipt) receipt = bfk_test_chain_transact (chain, sender, data, &error);
  gboolean found = FALSE;

  g_assert_no_error (error);
  g_assert_true (receipt->status);
  for (guint i = 0; i < receipt->logs->len && !found; i++)
    {
      const BfkLog *log = &g_array_index (receipt->logs, BfkLog, i);
      BfkEvent e;

      g_assert_true (bfk_event_decode (&log->topics[0][0], log->n_topics,
                                       g_bytes_get_data (log->data, NULL),
                                       g_bytes_get_size (log->data), &e, &error));
      g_assert_no_error (error);
      if (e.kind == kind)
        {
          found = TRUE;
          if (event_out)
            *event_out = e;
          else
            bfk_event_clear (&e);
        }
      else
        bfk_event_clear (&e);
    }
  g_assert_true (found);
}

static void
assert_reverts (BfkSender   *sender,
                GBytes      *data,
                const gchar *reason)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkReceipt) receipt = bfk_test_chain_transact (chain, sender, data, &error);

  g_assert_null (receipt);
  g_assert_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_REVERTED);
  if (!strstr (error->message, reason))
    g_error ("expected “%s” in “%s”", reason, error->message);
}

static guint64
balance (const BfkAddress *a)
{
  return bfk_test_chain_read_uint (chain, "balanceOf", a);
}

static void
random_address (BfkAddress *a)
{
  g_auto(BfkPrivateKey) k = { 0 };

  g_assert_true (bfk_private_key_generate (&k, NULL));
  g_assert_true (bfk_private_key_to_address (&k, a, NULL));
}

static void
test_communities (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) list = bfk_contract_read_communities (chain->rpc, &chain->contract, &error);
  static const gchar *names[][3] = {
    { "Fondjomenkwet", "Fonjoka", "FJK" },
    { "Banja", "Banjika", "BJK" },
    { "Bafouka", "Bafouka", "BFK" },
  };

  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      const BfkCommunityInfo *c = &g_array_index (list, BfkCommunityInfo, i);

      g_assert_cmpuint (c->id, ==, i + 1);
      g_assert_cmpstr (c->name, ==, names[i][0]);
      g_assert_cmpstr (c->currency_name, ==, names[i][1]);
      g_assert_cmpstr (c->currency_symbol, ==, names[i][2]);
      g_assert_cmpuint (c->members, ==, 0);
    }
  g_assert_cmpuint (bfk_test_chain_read_uint (chain, "INITIAL_GRANT", NULL), ==, 1000);
}

static void
test_register (void)
{
  BfkCommunityInfo one = { 0 }, two = { 0 };
  BfkEvent e;

  random_address (&alice);
  random_address (&bob);
  random_address (&carol);
  transact_ok (chain->operator, bfk_contract_encode_register_member (&alice, 1), BFK_EVENT_MEMBER_REGISTERED, &e);
  g_assert_true (bfk_address_equal (&e.member, &alice));
  g_assert_cmpuint (e.community_id, ==, 1);
  g_assert_cmpuint (bfk_u256_to_u64 (e.amount), ==, 1000);
  transact_ok (chain->operator, bfk_contract_encode_register_member (&bob, 1), BFK_EVENT_MEMBER_REGISTERED, NULL);
  transact_ok (chain->operator, bfk_contract_encode_register_member (&carol, 2), BFK_EVENT_MEMBER_REGISTERED, NULL);

  g_assert_cmpuint (balance (&alice), ==, 1000);
  g_assert_cmpuint (balance (&carol), ==, 1000);
  g_assert_cmpuint (bfk_test_chain_read_uint (chain, "communityOf", &bob), ==, 1);
  g_assert_cmpuint (bfk_test_chain_read_uint (chain, "communityOf", &carol), ==, 2);
  g_assert_true (bfk_contract_read_community (chain->rpc, &chain->contract, 1, &one, NULL));
  g_assert_true (bfk_contract_read_community (chain->rpc, &chain->contract, 2, &two, NULL));
  g_assert_cmpuint (one.members, ==, 2);
  g_assert_cmpuint (bfk_u256_to_u64 (one.supply), ==, 2000);
  g_assert_cmpuint (two.members, ==, 1);
  bfk_community_info_clear (&one);
  bfk_community_info_clear (&two);

  /* Granted once: a second registration reverts with its reason. */
  assert_reverts (chain->operator, bfk_contract_encode_register_member (&alice, 2), "AlreadyMember");
}

static void
test_exchange (void)
{
  guint64 deadline = (guint64) (g_get_real_time () / G_USEC_PER_SEC) + 3600;
  BfkExchangeInfo x;
  BfkEvent e;
  guint64 id;

  transact_ok (chain->operator,
               bfk_contract_encode_propose_exchange (&alice, &bob, bfk_u256_from_u64 (150), deadline),
               BFK_EVENT_EXCHANGE_PROPOSED, &e);
  id = e.exchange_id;
  g_assert_true (bfk_address_equal (&e.payer, &alice));
  g_assert_true (bfk_address_equal (&e.provider, &bob));
  g_assert_cmpuint (e.deadline, ==, deadline);
  g_assert_cmpuint (balance (&alice), ==, 850);
  g_assert_cmpuint (bfk_test_chain_read_uint (chain, "escrowOf", &alice), ==, 150);

  transact_ok (chain->operator, bfk_contract_encode_accept_exchange (id), BFK_EVENT_EXCHANGE_ACCEPTED, NULL);
  transact_ok (chain->operator, bfk_contract_encode_complete_exchange (id), BFK_EVENT_EXCHANGE_COMPLETED, &e);
  g_assert_cmpuint (bfk_u256_to_u64 (e.amount), ==, 150);

  /* The provider is paid: the fault of the old design is gone. */
  g_assert_cmpuint (balance (&alice), ==, 850);
  g_assert_cmpuint (balance (&bob), ==, 1150);
  g_assert_cmpuint (bfk_test_chain_read_uint (chain, "escrowOf", &alice), ==, 0);
  g_assert_true (bfk_contract_read_exchange (chain->rpc, &chain->contract, id, &x, NULL));
  g_assert_cmpint (x.state, ==, BFK_EXCHANGE_COMPLETED);
  g_assert_cmpuint (bfk_u256_to_u64 (x.amount), ==, 150);

  transact_ok (chain->operator, bfk_contract_encode_rate_exchange (id, &alice, 5), BFK_EVENT_EXCHANGE_RATED, &e);
  g_assert_true (bfk_address_equal (&e.ratee, &bob));
  g_assert_cmpuint (e.stars, ==, 5);
  transact_ok (chain->operator, bfk_contract_encode_rate_exchange (id, &bob, 4), BFK_EVENT_EXCHANGE_RATED, NULL);
  assert_reverts (chain->operator, bfk_contract_encode_rate_exchange (id, &bob, 4), "AlreadyRated");
  g_assert_cmpuint (bfk_test_chain_read_uint (chain, "reputationOf", &bob), ==, 5);
}

static void
test_backer_recharge (void)
{
  g_autoptr(BfkSender) sender = NULL;
  g_autoptr(GError) error = NULL;
  BfkEvent e;

  bfk_test_chain_funded_key (chain, &backer_key, &backer);
  sender = bfk_sender_new (chain->rpc, BFK_LOCAL_NODE_CHAIN_ID, &backer_key, &error);
  g_assert_no_error (error);

  /* Nobody mints before an admin approves. */
  assert_reverts (sender, bfk_contract_encode_recharge (&alice, bfk_u256_from_u64 (10)), "NotActiveBacker");

  transact_ok (chain->operator, bfk_contract_encode_approve_backer (&backer, 1, bfk_u256_from_u64 (500)),
               BFK_EVENT_BACKER_APPROVED, NULL);
  transact_ok (sender, bfk_contract_encode_recharge (&alice, bfk_u256_from_u64 (200)), BFK_EVENT_RECHARGED, &e);
  g_assert_true (bfk_address_equal (&e.backer, &backer));
  g_assert_true (bfk_address_equal (&e.member, &alice));
  g_assert_cmpuint (e.community_id, ==, 1);
  g_assert_cmpuint (balance (&alice), ==, 1050);

  /* Within the weekly cap only, and only in its own community. */
  assert_reverts (sender, bfk_contract_encode_recharge (&alice, bfk_u256_from_u64 (301)), "WeeklyCapExceeded");
  assert_reverts (sender, bfk_contract_encode_recharge (&carol, bfk_u256_from_u64 (1)), "WrongCommunity");
  g_assert_cmpuint (balance (&alice), ==, 1050);
  g_assert_cmpuint (balance (&carol), ==, 1000);
}

static void
test_cross_community (void)
{
  guint64 deadline = (guint64) (g_get_real_time () / G_USEC_PER_SEC) + 3600;
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkReceipt) receipt =
    bfk_test_chain_transact (chain, chain->operator,
                             bfk_contract_encode_propose_exchange (&alice, &carol, bfk_u256_from_u64 (10), deadline),
                             &error);

  g_assert_null (receipt);
  g_assert_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_REVERTED);
  g_test_message ("cross-community proposal: %s", error->message);
  g_assert_nonnull (strstr (error->message, "CrossCommunity"));
  g_assert_nonnull (strstr (error->message, "1"));
  g_assert_nonnull (strstr (error->message, "2"));
  g_assert_cmpuint (balance (&alice), ==, 1050);
  g_assert_cmpuint (bfk_test_chain_read_uint (chain, "escrowOf", &alice), ==, 0);
}

static void
test_events (void)
{
  g_autoptr(GError) error = NULL;
  BfkLogFilter filter = { .addresses = &chain->contract, .n_addresses = 1 };
  g_autoptr(GArray) logs = NULL;
  guint counts[BFK_EVENT_OTHER + 1] = { 0 };
  guint64 head;

  g_assert_true (bfk_rpc_client_get_block_number (chain->rpc, &head, &error));
  logs = bfk_rpc_client_get_logs_chunked (chain->rpc, &filter, chain->deploy_block, head, 4,
                                          NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < logs->len; i++)
    {
      const BfkLog *log = &g_array_index (logs, BfkLog, i);
      g_autofree gchar *line = NULL;
      BfkEvent e;

      g_assert_true (bfk_event_decode (&log->topics[0][0], log->n_topics,
                                       g_bytes_get_data (log->data, NULL),
                                       g_bytes_get_size (log->data), &e, &error));
      g_assert_no_error (error);
      line = bfk_event_describe (&e);
      g_test_message ("block %" G_GUINT64_FORMAT ": %s", log->block_number, line);
      counts[e.kind]++;
      if (e.kind == BFK_EVENT_COMMUNITY_ADDED && e.community_id == 2)
        g_assert_cmpstr (e.currency_name, ==, "Banjika");
      bfk_event_clear (&e);
    }
  g_assert_cmpuint (counts[BFK_EVENT_COMMUNITY_ADDED], ==, 3);
  g_assert_cmpuint (counts[BFK_EVENT_MEMBER_REGISTERED], ==, 3);
  g_assert_cmpuint (counts[BFK_EVENT_EXCHANGE_PROPOSED], ==, 1);
  g_assert_cmpuint (counts[BFK_EVENT_EXCHANGE_ACCEPTED], ==, 1);
  g_assert_cmpuint (counts[BFK_EVENT_EXCHANGE_COMPLETED], ==, 1);
  g_assert_cmpuint (counts[BFK_EVENT_EXCHANGE_RATED], ==, 2);
  g_assert_cmpuint (counts[BFK_EVENT_BACKER_APPROVED], ==, 1);
  g_assert_cmpuint (counts[BFK_EVENT_RECHARGED], ==, 1);
  /* The deployer's role grants are OpenZeppelin's events, outside the surface. */
  g_assert_cmpuint (counts[BFK_EVENT_OTHER], ==, 2);
}

/* An independent reader of the same chain agrees with ours. */
static void
test_cast_balances (void)
{
  const BfkAddress *who[] = { &alice, &bob, &carol };
  gchar contract[BFK_ADDRESS_STRING_SIZE];
  g_autofree gchar *probe = bfk_test_find_tool ("cast");

  if (!probe)
    {
      g_test_skip ("cast not found");
      return;
    }
  bfk_address_to_string_buf (&chain->contract, contract);
  for (gsize i = 0; i < G_N_ELEMENTS (who); i++)
    {
      gchar a[BFK_ADDRESS_STRING_SIZE];
      g_autofree gchar *out = NULL;
      g_autofree gchar *expected = NULL;

      bfk_address_to_string_buf (who[i], a);
      out = bfk_test_cast ("call", "--rpc-url", bfk_rpc_client_get_url (chain->rpc), contract,
                           "balanceOf(address)(uint256)", a, NULL);
      expected = g_strdup_printf ("%" G_GUINT64_FORMAT, balance (who[i]));
      g_assert_cmpstr (out, ==, expected);
    }
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  chain = bfk_test_chain_new ();
  if (!chain)
    return 0;
  g_test_add_func ("/contract/communities", test_communities);
  g_test_add_func ("/contract/register", test_register);
  g_test_add_func ("/contract/exchange", test_exchange);
  g_test_add_func ("/contract/backer-recharge", test_backer_recharge);
  g_test_add_func ("/contract/cross-community", test_cross_community);
  g_test_add_func ("/contract/events", test_events);
  g_test_add_func ("/contract/cast-balances", test_cast_balances);
  status = g_test_run ();
  bfk_private_key_wipe (&backer_key);
  bfk_test_chain_free (chain);
  return status;
}
