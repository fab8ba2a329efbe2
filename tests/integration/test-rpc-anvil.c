/* test-rpc-anvil.c: the JSON-RPC client, the fees and the local node
 * against a real anvil.
 *
 * Each node error class is provoked for real, so that the messages we match
 * are anvil's own; and the chain must survive a stop and a start over the
 * same data directory.
 */
#include "bfk-chain-error.h"
#include "bfk-fees.h"
#include "bfk-hex.h"
#include "bfk-key.h"
#include "bfk-local-node.h"
#include "bfk-rpc.h"
#include "bfk-tx.h"
#include "bfk-test-tmp.h"
#include "bfk-test-values.h"

#include <string.h>
#include <unistd.h>

#define ETHER G_GUINT64_CONSTANT (1000000000000000000)
#define RECIPIENT "0x000000000000000000000000000000000000bEEF"
#define FUNDED "0x0000000000000000000000000000000000001234"

typedef struct
{
  gchar        *dir;
  BfkLocalNode *node;
  BfkRpcClient *client;
} Fixture;

static void
fixture_start (Fixture *f)
{
  BfkLocalNodeOptions options = { 0 };
  g_autoptr(GError) error = NULL;

  options.data_dir = f->dir;
  f->node = bfk_local_node_start (&options, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (bfk_local_node_is_running (f->node));
  f->client = bfk_rpc_client_new (bfk_local_node_get_url (f->node));
}

static void
fixture_stop (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&f->client, bfk_rpc_client_unref);
  g_assert_true (bfk_local_node_stop (f->node, 0, &error));
  g_assert_no_error (error);
  g_assert_false (bfk_local_node_is_running (f->node));
  g_clear_pointer (&f->node, bfk_local_node_free);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->dir = bfk_test_make_tmp_dir ("bafoka-rpc-XXXXXX");
  fixture_start (f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->node != NULL)
    fixture_stop (f);
  bfk_test_remove_dir (f->dir);
  g_free (f->dir);
}

static GBytes *
sign_transfer (const gchar   *key_hex,
               guint64        nonce,
               const BfkFees *fees,
               guint64        value_wei)
{
  g_auto(BfkPrivateKey) key = { 0 };
  g_autoptr(GError) error = NULL;
  BfkTx tx = { 0 };
  GBytes *raw;

  g_assert_true (bfk_private_key_from_hex (&key, key_hex, &error));
  tx.type = BFK_TX_EIP1559;
  tx.chain_id = BFK_LOCAL_NODE_CHAIN_ID;
  tx.nonce = nonce;
  tx.gas_limit = 21000;
  tx.max_fee_per_gas = fees->max_fee_per_gas;
  tx.max_priority_fee_per_gas = fees->max_priority_fee_per_gas;
  tx.to = bfk_test_address (RECIPIENT);
  tx.has_to = TRUE;
  tx.value = bfk_u256_from_u64 (value_wei);
  raw = bfk_tx_sign (&tx, &key, NULL, &error);
  g_assert_no_error (error);
  return raw;
}

static gboolean
send (BfkRpcClient  *client,
      GBytes        *raw,
      guint8         hash[32],
      GError       **error)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (raw, &len);

  return bfk_rpc_client_send_raw_transaction (client, data, len, hash, error);
}

static void
call_ok (BfkRpcClient *client,
         const gchar  *method,
         const gchar  *params_json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) params = params_json != NULL ? json_from_string (params_json, &error) : NULL;
  g_autoptr(JsonNode) result = NULL;

  g_assert_no_error (error);
  result = bfk_rpc_client_call (client, method, params, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
}

static void
test_basics (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GPtrArray) responses = NULL;
  BfkAddress dev = bfk_test_address (BFK_LOCAL_NODE_DEV_ADDRESS);
  BfkAddress nowhere = bfk_test_address ("0x00000000000000000000000000000000DeaDBeef");
  BfkRpcRequest requests[] = { { "eth_chainId", NULL }, { "eth_blockNumber", NULL } };
  BfkBlock block;
  BfkFees fees;
  BfkU256 balance;
  guint64 n = 1;

  g_assert_cmpuint (bfk_local_node_get_chain_id (f->node), ==, 31337);
  g_assert_true (g_str_has_prefix (bfk_local_node_get_url (f->node), "http://127.0.0.1:"));

  g_assert_true (bfk_rpc_client_check_chain_id (f->client, 31337, &error));
  g_assert_no_error (error);
  g_assert_false (bfk_rpc_client_check_chain_id (f->client, 137, &error));
  g_assert_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_CHAIN_ID_MISMATCH);
  g_assert_nonnull (strstr (error->message, "serves chain 31337, but chain 137 is configured"));
  g_clear_error (&error);

  g_assert_true (bfk_rpc_client_get_block_number (f->client, &n, &error));
  g_assert_cmpuint (n, ==, 0);
  g_assert_true (bfk_rpc_client_get_block (f->client, "latest", &block, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (block.number, ==, 0);
  g_assert_true (block.has_base_fee);
  /* anvil's genesis base fee: 1 gwei. */
  bfk_test_assert_u256 (block.base_fee, "1000000000");

  g_assert_true (bfk_rpc_client_get_balance (f->client, &dev, NULL, &balance, &error));
  bfk_test_assert_u256 (balance, "10000000000000000000000");
  g_assert_true (bfk_rpc_client_get_transaction_count (f->client, &dev, "latest", &n, &error));
  g_assert_cmpuint (n, ==, 0);
  g_assert_true (bfk_rpc_client_get_transaction_count (f->client, &dev, "pending", &n, &error));
  g_assert_cmpuint (n, ==, 0);

  /* Empty chain: no history, the tip is eth_maxPriorityFeePerGas (1 gwei). */
  g_assert_true (bfk_fees_suggest (f->client, 31337, &fees, &error));
  g_assert_no_error (error);
  bfk_test_assert_u256 (fees.max_priority_fee_per_gas, "1000000000");
  bfk_test_assert_u256 (fees.max_fee_per_gas, "3000000000");

  /* A call to an address without code returns nothing, successfully. */
  out = bfk_rpc_client_call_contract (f->client, NULL, &nowhere, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (out), ==, 0);

  responses = bfk_rpc_client_call_batch (f->client, requests, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_node_get_string (((BfkRpcResponse *) responses->pdata[0])->result), ==, "0x7a69");
  g_assert_cmpstr (json_node_get_string (((BfkRpcResponse *) responses->pdata[1])->result), ==, "0x0");
}

static void
test_transfer_and_errors (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) raw = NULL;
  g_autoptr(GBytes) replacement = NULL;
  g_autoptr(BfkReceipt) receipt = NULL;
  g_autoptr(GBytes) revert = NULL;
  g_autoptr(GBytes) initcode = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GArray) logs = NULL;
  BfkAddress recipient = bfk_test_address (RECIPIENT);
  BfkFees fees, low, bumped;
  BfkU256 balance;
  guint8 hash[32], again[32];
  guint64 gas = 0;

  g_assert_true (bfk_fees_suggest (f->client, 31337, &fees, &error));

  raw = sign_transfer (BFK_LOCAL_NODE_DEV_PRIVATE_KEY, 0, &fees, ETHER);
  g_assert_true (send (f->client, raw, hash, &error));
  g_assert_no_error (error);
  receipt = bfk_rpc_client_wait_for_receipt (f->client, hash, 50, 10000, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (receipt->status);
  g_assert_cmpuint (receipt->block_number, ==, 1);
  g_assert_cmpuint (receipt->gas_used, ==, 21000);
  g_assert_cmpmem (receipt->tx_hash, 32, hash, 32);
  g_assert_false (receipt->has_contract_address);
  g_assert_cmpuint (receipt->logs->len, ==, 0);
  g_assert_true (bfk_rpc_client_get_balance (f->client, &recipient, NULL, &balance, &error));
  bfk_test_assert_u256 (balance, "1000000000000000000");

  /* The same transaction again: its nonce is used. */
  g_assert_false (send (f->client, raw, again, &error));
  g_assert_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_NONCE_TOO_LOW);
  g_clear_error (&error);

  /* A cap under the base fee. */
  low = (BfkFees) { bfk_u256_from_u64 (2), bfk_u256_from_u64 (1) };
  g_clear_pointer (&raw, g_bytes_unref);
  raw = sign_transfer (BFK_LOCAL_NODE_DEV_PRIVATE_KEY, 1, &low, 1);
  g_assert_false (send (f->client, raw, again, &error));
  g_assert_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_FEE_CAP_TOO_LOW);
  g_clear_error (&error);

  /* An account with nothing. */
  g_clear_pointer (&raw, g_bytes_unref);
  raw = sign_transfer ("0x0000000000000000000000000000000000000000000000000000000000000abc", 0, &fees, 1);
  g_assert_false (send (f->client, raw, again, &error));
  g_assert_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_INSUFFICIENT_FUNDS);
  g_clear_error (&error);

  /* A replacement at the same price is refused, a bumped one taken. */
  call_ok (f->client, "evm_setAutomine", "[false]");
  g_clear_pointer (&raw, g_bytes_unref);
  raw = sign_transfer (BFK_LOCAL_NODE_DEV_PRIVATE_KEY, 1, &fees, 2);
  g_assert_true (send (f->client, raw, hash, &error));
  g_assert_no_error (error);
  replacement = sign_transfer (BFK_LOCAL_NODE_DEV_PRIVATE_KEY, 1, &fees, 3);
  g_assert_false (send (f->client, replacement, again, &error));
  g_assert_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_UNDERPRICED);
  g_clear_error (&error);
  g_assert_true (bfk_fees_bump (&fees, NULL, &bumped, &error));
  g_clear_pointer (&replacement, g_bytes_unref);
  replacement = sign_transfer (BFK_LOCAL_NODE_DEV_PRIVATE_KEY, 1, &bumped, 3);
  g_assert_true (send (f->client, replacement, again, &error));
  g_assert_no_error (error);
  call_ok (f->client, "evm_mine", NULL);
  call_ok (f->client, "evm_setAutomine", "[true]");
  g_clear_pointer (&receipt, bfk_receipt_free);
  receipt = bfk_rpc_client_wait_for_receipt (f->client, again, 50, 10000, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (receipt->status);
  g_clear_pointer (&receipt, bfk_receipt_free);
  g_assert_true (bfk_rpc_client_get_receipt (f->client, hash, &receipt, &error));
  g_assert_null (receipt);

  /* Creation code that reverts with the 4 bytes 0xdeadbeef:
   * PUSH4 deadbeef PUSH1 0 MSTORE PUSH1 4 PUSH1 28 REVERT. */
  initcode = bfk_hex_decode ("0x63deadbeef6000526004601cfd", NULL);
  out = bfk_rpc_client_call_contract (f->client, NULL, NULL, initcode, NULL, &revert, &error);
  g_assert_null (out);
  g_assert_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_REVERTED);
  g_assert_cmpmem (g_bytes_get_data (revert, NULL), g_bytes_get_size (revert), "\xde\xad\xbe\xef", 4);
  g_clear_error (&error);
  g_clear_pointer (&revert, g_bytes_unref);
  g_assert_false (bfk_rpc_client_estimate_gas (f->client, NULL, NULL, BFK_U256_ZERO, initcode,
                                               &gas, &revert, &error));
  g_assert_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_REVERTED);
  g_assert_cmpuint (g_bytes_get_size (revert), ==, 4);
  g_clear_error (&error);

  g_assert_true (bfk_rpc_client_estimate_gas (f->client, NULL, &recipient, bfk_u256_from_u64 (1),
                                              NULL, &gas, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (gas, ==, 21000);

  /* Transfers log nothing. */
  logs = bfk_rpc_client_get_logs_chunked (f->client, NULL, 0, 2, 1, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (logs->len, ==, 0);
}

static void
test_state_persists (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) raw = NULL;
  g_autoptr(BfkReceipt) receipt = NULL;
  g_autoptr(BfkReceipt) again = NULL;
  BfkAddress dev = bfk_test_address (BFK_LOCAL_NODE_DEV_ADDRESS);
  BfkAddress funded = bfk_test_address (FUNDED);
  BfkAddress recipient = bfk_test_address (RECIPIENT);
  g_autofree gchar *state_path = g_strdup (bfk_local_node_get_state_path (f->node));
  BfkFees fees;
  BfkU256 balance;
  guint8 hash[32];
  guint64 n = 0, before = 0;

  g_assert_true (bfk_fees_suggest (f->client, 31337, &fees, &error));
  raw = sign_transfer (BFK_LOCAL_NODE_DEV_PRIVATE_KEY, 0, &fees, 5 * ETHER);
  g_assert_true (send (f->client, raw, hash, &error));
  receipt = bfk_rpc_client_wait_for_receipt (f->client, hash, 50, 10000, NULL, &error);
  g_assert_no_error (error);
  call_ok (f->client, "anvil_setBalance", "[\"" FUNDED "\", \"0x1234\"]");
  call_ok (f->client, "evm_mine", NULL);
  call_ok (f->client, "evm_mine", NULL);
  g_assert_true (bfk_rpc_client_get_block_number (f->client, &before, &error));
  g_assert_cmpuint (before, ==, 3);

  fixture_stop (f);
  g_assert_true (g_file_test (state_path, G_FILE_TEST_IS_REGULAR));
  fixture_start (f);

  g_assert_cmpstr (bfk_local_node_get_state_path (f->node), ==, state_path);
  g_assert_true (bfk_rpc_client_get_block_number (f->client, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, before);
  g_assert_true (bfk_rpc_client_get_balance (f->client, &funded, NULL, &balance, &error));
  bfk_test_assert_u256 (balance, "4660");
  g_assert_true (bfk_rpc_client_get_balance (f->client, &recipient, NULL, &balance, &error));
  bfk_test_assert_u256 (balance, "5000000000000000000");
  g_assert_true (bfk_rpc_client_get_transaction_count (f->client, &dev, "latest", &n, &error));
  g_assert_cmpuint (n, ==, 1);
  /* The receipts come back with the blocks. */
  g_assert_true (bfk_rpc_client_get_receipt (f->client, hash, &again, &error));
  g_assert_no_error (error);
  g_assert_nonnull (again);
  g_assert_cmpuint (again->block_number, ==, receipt->block_number);
  g_assert_cmpmem (again->block_hash, 32, receipt->block_hash, 32);
}

static void
test_missing_anvil (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkLocalNode) node = NULL;
  g_autofree gchar *saved = g_strdup (g_getenv ("BAFOKA_ANVIL"));

  g_setenv ("BAFOKA_ANVIL", "/nonexistent/anvil", TRUE);
  node = bfk_local_node_start (NULL, NULL, &error);
  g_assert_null (node);
  g_assert_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_LOCAL_NODE);
  g_assert_nonnull (strstr (error->message, "BAFOKA_ANVIL"));
  if (saved != NULL)
    g_setenv ("BAFOKA_ANVIL", saved, TRUE);
  else
    g_unsetenv ("BAFOKA_ANVIL");
}

static void
test_bad_state (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkLocalNode) node = NULL;
  g_autofree gchar *dir = g_dir_make_tmp ("bafoka-rpc-XXXXXX", NULL);
  g_autofree gchar *state = g_build_filename (dir, BFK_LOCAL_NODE_STATE_FILE, NULL);
  BfkLocalNodeOptions options = { 0 };

  g_assert_true (g_file_set_contents (state, "{not json", -1, NULL));
  options.data_dir = dir;
  node = bfk_local_node_start (&options, NULL, &error);
  g_assert_null (node);
  g_assert_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_LOCAL_NODE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "anvil exited"));
  g_assert_nonnull (strstr (error->message, "failed to parse json file"));
  bfk_test_remove_dir (dir);
}

static void
test_throwaway_chain_with_extra_args (void)
{
  const gchar * const extra[] = { "--base-fee", "7", NULL };
  BfkLocalNodeOptions options = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkLocalNode) node = NULL;
  g_autoptr(BfkRpcClient) client = NULL;
  BfkBlock block;

  options.extra_args = extra;
  options.chain_id = 1337;
  node = bfk_local_node_start (&options, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (bfk_local_node_get_state_path (node));
  client = bfk_rpc_client_new (bfk_local_node_get_url (node));
  g_assert_true (bfk_rpc_client_check_chain_id (client, 1337, &error));
  g_assert_true (bfk_rpc_client_get_block (client, NULL, &block, &error));
  g_assert_no_error (error);
  bfk_test_assert_u256 (block.base_fee, "7");
}

/* A backend that dies without stopping its node must not leave anvil
 * behind: it would hold the port and write its old state over the next
 * node's. */
static void
test_no_orphan (void)
{
  g_autofree gchar *dir = NULL;
  g_autofree gchar *url_path = NULL;
  g_autofree gchar *state_path = NULL;
  g_autofree gchar *url = NULL;
  g_autoptr(BfkRpcClient) client = NULL;
  gint64 deadline;

  if (g_test_subprocess ())
    {
      BfkLocalNodeOptions options = { 0 };
      BfkLocalNode *node;

      dir = g_strdup_printf ("%s/bafoka-orphan-%d", g_get_tmp_dir (), (int) getppid ());
      url_path = g_build_filename (dir, "url", NULL);
      options.data_dir = dir;
      node = bfk_local_node_start (&options, NULL, NULL);
      g_assert_nonnull (node);
      g_assert_true (g_file_set_contents (url_path, bfk_local_node_get_url (node), -1, NULL));
      /* A crash: nothing is cleaned up. */
      _exit (3);
    }

  dir = g_strdup_printf ("%s/bafoka-orphan-%d", g_get_tmp_dir (), (int) getpid ());
  url_path = g_build_filename (dir, "url", NULL);
  state_path = g_build_filename (dir, BFK_LOCAL_NODE_STATE_FILE, NULL);
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_failed ();
  g_assert_true (g_file_get_contents (url_path, &url, NULL, NULL));

  client = bfk_rpc_client_new (url);
  bfk_rpc_client_set_retries (client, 0, 0);
  bfk_rpc_client_set_timeout (client, 1000);
  deadline = g_get_monotonic_time () + 15 * G_TIME_SPAN_SECOND;
  for (;;)
    {
      g_autoptr(GError) error = NULL;
      guint64 chain_id = 0;

      if (!bfk_rpc_client_get_chain_id (client, &chain_id, &error))
        {
          g_assert_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_TRANSPORT);
          break;
        }
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (50 * 1000);
    }
  /* Stopped with SIGTERM, so it wrote its state on the way out. */
  g_assert_true (g_file_test (state_path, G_FILE_TEST_IS_REGULAR));
  bfk_test_remove_dir (dir);
}

int
main (int argc, char **argv)
{
  g_autofree gchar *anvil = NULL;

  anvil = bfk_local_node_find_anvil (NULL);
  if (anvil == NULL)
    {
      g_print ("1..0 # SKIP anvil not found\n");
      return 0;
    }

  g_test_init (&argc, &argv, NULL);
  g_test_add ("/rpc-anvil/basics", Fixture, NULL, fixture_setup, test_basics, fixture_teardown);
  g_test_add ("/rpc-anvil/transfer-and-errors", Fixture, NULL, fixture_setup,
              test_transfer_and_errors, fixture_teardown);
  g_test_add ("/rpc-anvil/state-persists", Fixture, NULL, fixture_setup,
              test_state_persists, fixture_teardown);
  g_test_add_func ("/rpc-anvil/missing-anvil", test_missing_anvil);
  g_test_add_func ("/rpc-anvil/bad-state", test_bad_state);
  g_test_add_func ("/rpc-anvil/throwaway-chain", test_throwaway_chain_with_extra_args);
  g_test_add_func ("/rpc-anvil/no-orphan", test_no_orphan);
  return g_test_run ();
}
