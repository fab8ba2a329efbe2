/* test-rpc.c: the JSON-RPC client against canned answers.
 *
 * A SoupServer runs in its own thread with its own GMainContext (as in
 * libsoup's tests/test-utils.c), so that the client's blocking calls on the
 * test's thread have someone to talk to.  Each test sets how the server
 * answers, and counts what it receives.
 */
#include "bfk-chain-error.h"
#include "bfk-hex.h"
#include "bfk-rpc-private.h"
#include "../lib/bfk-test-values.h"

#include <libsoup/soup.h>
#include <string.h>

/* --- the server ------------------------------------------------------------ */

typedef struct _TestServer TestServer;

/* Returns the whole answer to one request object (NULL: leave it out of a
 * batch); may set *status for a single request, whose body is then the
 * returned text as it is. */
typedef gchar *(*RespondFunc) (TestServer  *server,
                               const gchar *method,
                               JsonArray   *params,
                               const gchar *id,
                               guint       *status);

struct _TestServer
{
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  SoupServer   *soup;
  gchar        *url;
  GMutex        lock;
  GCond         cond;
  gboolean      ready;
  RespondFunc   respond;
  gpointer      data;         /* for the respond function */
  guint         delay_ms;     /* answer this late */
  gint          requests;     /* HTTP requests, atomic */
  gint          items;        /* JSON-RPC requests, batches counted by item */
  GMutex        log_lock;
  GPtrArray    *methods;      /* under log_lock */
};

static gboolean
send_later (gpointer user_data)
{
  SoupServerMessage *msg = user_data;

  soup_server_message_unpause (msg);
  return G_SOURCE_REMOVE;
}

/* Counts and logs one JSON-RPC request object and returns its answer. */
static gchar *
answer_one (TestServer *server,
            JsonObject *request,
            guint      *status)
{
  g_autofree gchar *id = json_to_string (json_object_get_member (request, "id"), FALSE);
  const gchar *method = json_object_get_string_member (request, "method");

  g_atomic_int_inc (&server->items);
  g_mutex_lock (&server->log_lock);
  g_ptr_array_add (server->methods, g_strdup (method));
  g_mutex_unlock (&server->log_lock);
  return server->respond (server, method, json_object_get_array_member (request, "params"), id, status);
}

static void
server_callback (SoupServer        *soup,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  TestServer *server = user_data;
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GString) answer = g_string_new (NULL);
  JsonNode *root;
  guint status = 200;

  g_atomic_int_inc (&server->requests);

  if (!json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                   (gssize) g_bytes_get_size (body), NULL))
    {
      soup_server_message_set_status (msg, 400, NULL);
      return;
    }
  root = json_parser_get_root (parser);

  if (JSON_NODE_HOLDS_OBJECT (root))
    {
      g_autofree gchar *text = answer_one (server, json_node_get_object (root), &status);

      g_string_append (answer, text);
    }
  else
    {
      JsonArray *array = json_node_get_array (root);
      gboolean first = TRUE;

      /* Answers in reverse order: the client must match them by id. */
      g_string_append_c (answer, '[');
      for (gint i = (gint) json_array_get_length (array) - 1; i >= 0; i--)
        {
          guint ignored = 200;
          g_autofree gchar *text = answer_one (server, json_array_get_object_element (array, (guint) i),
                                               &ignored);

          if (text == NULL)
            continue;
          if (!first)
            g_string_append_c (answer, ',');
          g_string_append (answer, text);
          first = FALSE;
        }
      g_string_append_c (answer, ']');
    }

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                    answer->str, answer->len);
  if (server->delay_ms > 0)
    {
      GSource *source = g_timeout_source_new (server->delay_ms);

      soup_server_message_pause (msg);
      g_source_set_callback (source, send_later, g_object_ref (msg), g_object_unref);
      g_source_attach (source, server->context);
      g_source_unref (source);
    }
}

static gpointer
server_thread (gpointer user_data)
{
  TestServer *server = user_data;
  g_autoptr(GError) error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (server->context);

  server->soup = soup_server_new (NULL, NULL);
  soup_server_add_handler (server->soup, NULL, server_callback, server, NULL);
  soup_server_listen_local (server->soup, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server->soup);
  g_assert_nonnull (uris);
  server->url = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_mutex_lock (&server->lock);
  server->ready = TRUE;
  g_cond_signal (&server->cond);
  g_mutex_unlock (&server->lock);

  g_main_loop_run (server->loop);

  soup_server_disconnect (server->soup);
  g_clear_object (&server->soup);
  /* Let the paused messages and closing connections finish. */
  while (g_main_context_pending (server->context))
    g_main_context_iteration (server->context, FALSE);
  g_main_context_pop_thread_default (server->context);
  return NULL;
}

static TestServer *
test_server_new (RespondFunc respond,
                 gpointer    data)
{
  TestServer *server = g_new0 (TestServer, 1);

  server->respond = respond;
  server->data = data;
  server->context = g_main_context_new ();
  server->loop = g_main_loop_new (server->context, FALSE);
  server->methods = g_ptr_array_new_with_free_func (g_free);
  g_mutex_init (&server->lock);
  g_mutex_init (&server->log_lock);
  g_cond_init (&server->cond);

  server->thread = g_thread_new ("test-server", server_thread, server);
  g_mutex_lock (&server->lock);
  while (!server->ready)
    g_cond_wait (&server->cond, &server->lock);
  g_mutex_unlock (&server->lock);
  return server;
}

static void
test_server_free (TestServer *server)
{
  g_main_loop_quit (server->loop);
  g_thread_join (server->thread);
  g_main_loop_unref (server->loop);
  g_main_context_unref (server->context);
  g_ptr_array_unref (server->methods);
  g_mutex_clear (&server->lock);
  g_mutex_clear (&server->log_lock);
  g_cond_clear (&server->cond);
  g_free (server->url);
  g_free (server);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestServer, test_server_free)

static BfkRpcClient *
client_for (TestServer *server)
{
  BfkRpcClient *client = bfk_rpc_client_new (server->url);

  /* Fast retries: the tests count them, they need not wait for them. */
  bfk_rpc_client_set_retries (client, 3, 5);
  return client;
}

static gchar *
ok (const gchar *id,
    const gchar *result)
{
  return g_strdup_printf ("{\"jsonrpc\":\"2.0\",\"id\":%s,\"result\":%s}", id, result);
}

static gchar *
fail (const gchar *id,
      gint         code,
      const gchar *message,
      const gchar *data)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree gchar *error = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_int_value (b, code);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  if (data != NULL)
    {
      json_builder_set_member_name (b, "data");
      json_builder_add_string_value (b, data);
    }
  json_builder_end_object (b);
  node = json_builder_get_root (b);
  error = json_to_string (node, FALSE);
  return g_strdup_printf ("{\"jsonrpc\":\"2.0\",\"id\":%s,\"error\":%s}", id, error);
}

/* --- canned chain ------------------------------------------------------------ */

#define BLOCK_HASH "0x00898034dc2e840c69d65a3d839dff04620900a73122005153f86a48b36a29ec"
#define PARENT_HASH "0x22d6127dad03c8df90582174c12e67eebfa694c82c530f1fa11b855984f8dbad"
#define TX_HASH "0xea8caf79de75d4e1d2b36df3eae3275b6a71da9c4942884cc68a15065ef1f42b"
#define TRANSFER_TOPIC "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef"
#define FROM_TOPIC "0x000000000000000000000000f39fd6e51aad88f6f4ce6ab8827279cfffb92266"

#define LOG_JSON \
  "{\"address\":\"0x5fbdb2315678afecb367f032d93f642f64180aa3\"," \
  "\"topics\":[\"" TRANSFER_TOPIC "\",\"" FROM_TOPIC "\"]," \
  "\"data\":\"0x00000000000000000000000000000000000000000000000000000000000003e8\"," \
  "\"blockHash\":\"" BLOCK_HASH "\",\"blockNumber\":\"0x1\",\"blockTimestamp\":\"0x6b05242e\"," \
  "\"transactionHash\":\"" TX_HASH "\",\"transactionIndex\":\"0x0\",\"logIndex\":\"0x2\",\"removed\":false}"

static gchar *
respond_chain (TestServer  *server,
               const gchar *method,
               JsonArray   *params,
               const gchar *id,
               guint       *status)
{
  if (g_str_equal (method, "eth_chainId"))
    return ok (id, "\"0x13882\"");
  if (g_str_equal (method, "eth_blockNumber"))
    return ok (id, "\"0x2a\"");
  if (g_str_equal (method, "eth_getBlockByNumber"))
    {
      const gchar *tag = json_array_get_string_element (params, 0);

      if (g_str_equal (tag, "0x3e8"))
        return ok (id, "null");
      return ok (id, "{\"hash\":\"" BLOCK_HASH "\",\"parentHash\":\"" PARENT_HASH "\","
                     "\"number\":\"0x1\",\"timestamp\":\"0x6b05242e\",\"baseFeePerGas\":\"0x342770c0\","
                     "\"gasLimit\":\"0x1c9c380\",\"transactions\":[]}");
    }
  if (g_str_equal (method, "eth_getBalance"))
    return ok (id, "\"0x21e19e0c9bab2400000\"");
  if (g_str_equal (method, "eth_getTransactionCount"))
    return ok (id, g_str_equal (json_array_get_string_element (params, 1), "pending")
                   ? "\"0x7\"" : "\"0x5\"");
  if (g_str_equal (method, "eth_gasPrice"))
    return ok (id, "\"0x77359400\"");
  if (g_str_equal (method, "eth_maxPriorityFeePerGas"))
    return ok (id, "\"0x3b9aca00\"");
  if (g_str_equal (method, "eth_feeHistory"))
    return ok (id, "{\"oldestBlock\":\"0x28\",\"baseFeePerGas\":[\"0x10\",\"0x11\",\"0x12\"],"
                   "\"gasUsedRatio\":[0.5,0.25],\"reward\":[[\"0x1\",\"0x2\"],[\"0x3\",\"0x4\"]]}");
  if (g_str_equal (method, "eth_estimateGas"))
    return ok (id, "\"0x5208\"");
  if (g_str_equal (method, "eth_call"))
    return ok (id, "\"0x00000000000000000000000000000000000000000000000000000000000003e8\"");
  if (g_str_equal (method, "eth_sendRawTransaction"))
    return ok (id, "\"" TX_HASH "\"");
  if (g_str_equal (method, "eth_getTransactionReceipt"))
    return ok (id, "{\"type\":\"0x2\",\"status\":\"0x1\",\"cumulativeGasUsed\":\"0xa410\","
                   "\"logs\":[" LOG_JSON "],\"transactionHash\":\"" TX_HASH "\","
                   "\"transactionIndex\":\"0x3\",\"blockHash\":\"" BLOCK_HASH "\","
                   "\"blockNumber\":\"0x1\",\"gasUsed\":\"0x5208\",\"effectiveGasPrice\":\"0x77359400\","
                   "\"from\":\"0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266\",\"to\":null,"
                   "\"contractAddress\":\"0x5fbdb2315678afecb367f032d93f642f64180aa3\"}");
  return fail (id, -32601, "Method not found", NULL);
}

static void
assert_hash (const guint8 *hash,
             const gchar  *hex)
{
  g_autofree gchar *s = bfk_hex_encode (hash, 32);

  g_assert_cmpstr (s, ==, hex);
}

static void
dev_address (BfkAddress *address)
{
  g_assert_true (bfk_address_parse ("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", address, NULL));
}

static void
test_typed_calls (void)
{
  g_autoptr(TestServer) server = test_server_new (respond_chain, NULL);
  g_autoptr(BfkRpcClient) client = client_for (server);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) out = NULL;
  BfkAddress address;
  BfkBlock block;
  BfkU256 v;
  guint64 n = 0;

  dev_address (&address);

  g_assert_true (bfk_rpc_client_get_chain_id (client, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 80002);
  g_assert_true (bfk_rpc_client_get_block_number (client, &n, &error));
  g_assert_cmpuint (n, ==, 42);

  g_assert_true (bfk_rpc_client_get_block (client, NULL, &block, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (block.number, ==, 1);
  g_assert_cmpuint (block.timestamp, ==, 0x6b05242e);
  g_assert_true (block.has_base_fee);
  bfk_test_assert_u256 (block.base_fee, "875000000");
  assert_hash (block.hash, BLOCK_HASH);
  assert_hash (block.parent_hash, PARENT_HASH);

  /* A block that does not exist yet. */
  g_assert_false (bfk_rpc_client_get_block_by_number (client, 1000, &block, &error));
  g_assert_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_NODE);
  g_clear_error (&error);

  g_assert_true (bfk_rpc_client_get_balance (client, &address, NULL, &v, &error));
  bfk_test_assert_u256 (v, "10000000000000000000000");
  g_assert_true (bfk_rpc_client_get_transaction_count (client, &address, "latest", &n, &error));
  g_assert_cmpuint (n, ==, 5);
  g_assert_true (bfk_rpc_client_get_transaction_count (client, &address, "pending", &n, &error));
  g_assert_cmpuint (n, ==, 7);
  g_assert_true (bfk_rpc_client_get_gas_price (client, &v, &error));
  bfk_test_assert_u256 (v, "2000000000");
  g_assert_true (bfk_rpc_client_get_max_priority_fee (client, &v, &error));
  bfk_test_assert_u256 (v, "1000000000");

  g_assert_true (bfk_rpc_client_estimate_gas (client, &address, &address, bfk_u256_from_u64 (1),
                                              NULL, &n, NULL, &error));
  g_assert_cmpuint (n, ==, 21000);

  out = bfk_rpc_client_call_contract (client, NULL, &address, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (out), ==, 32);
  g_assert_cmpuint (((const guint8 *) g_bytes_get_data (out, NULL))[31], ==, 0xe8);
  g_assert_no_error (error);
}

static void
test_fee_history (void)
{
  g_autoptr(TestServer) server = test_server_new (respond_chain, NULL);
  g_autoptr(BfkRpcClient) client = client_for (server);
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkFeeHistory) history = NULL;
  const gdouble pct[] = { 25.0, 75.0 };

  history = bfk_rpc_client_get_fee_history (client, 2, "latest", pct, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->oldest_block, ==, 40);
  g_assert_cmpuint (history->n_blocks, ==, 2);
  bfk_test_assert_u256 (history->base_fees[2], "18");
  g_assert_cmpfloat (history->gas_used_ratios[1], ==, 0.25);
  bfk_test_assert_u256 (history->rewards[0 * 2 + 1], "2");
  bfk_test_assert_u256 (history->rewards[1 * 2 + 0], "3");
}

static void
test_send_and_receipt (void)
{
  g_autoptr(TestServer) server = test_server_new (respond_chain, NULL);
  g_autoptr(BfkRpcClient) client = client_for (server);
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkReceipt) receipt = NULL;
  const guint8 raw[] = { 0x02, 0xf8, 0x70 };
  guint8 hash[32];
  BfkLog *log;
  gsize len;

  g_assert_true (bfk_rpc_client_send_raw_transaction (client, raw, sizeof raw, hash, &error));
  g_assert_no_error (error);
  assert_hash (hash, TX_HASH);

  g_assert_true (bfk_rpc_client_get_receipt (client, hash, &receipt, &error));
  g_assert_no_error (error);
  g_assert_nonnull (receipt);
  g_assert_true (receipt->status);
  g_assert_cmpuint (receipt->block_number, ==, 1);
  g_assert_cmpuint (receipt->tx_index, ==, 3);
  g_assert_cmpuint (receipt->gas_used, ==, 21000);
  g_assert_cmpuint (receipt->cumulative_gas_used, ==, 42000);
  bfk_test_assert_u256 (receipt->effective_gas_price, "2000000000");
  g_assert_true (receipt->has_contract_address);
  g_assert_cmpuint (receipt->contract_address.bytes[0], ==, 0x5f);
  assert_hash (receipt->block_hash, BLOCK_HASH);
  assert_hash (receipt->tx_hash, TX_HASH);
  g_assert_cmpuint (receipt->logs->len, ==, 1);
  log = &g_array_index (receipt->logs, BfkLog, 0);
  g_assert_cmpuint (log->n_topics, ==, 2);
  assert_hash (log->topics[0], TRANSFER_TOPIC);
  g_assert_cmpuint (log->log_index, ==, 2);
  g_assert_cmpuint (((const guint8 *) g_bytes_get_data (log->data, &len))[31], ==, 0xe8);
  g_assert_cmpuint (len, ==, 32);
}

/* --- errors -------------------------------------------------------------------- */

typedef struct
{
  gint         code;
  const gchar *message;
  const gchar *data;
} CannedError;

static gchar *
respond_error (TestServer  *server,
               const gchar *method,
               JsonArray   *params,
               const gchar *id,
               guint       *status)
{
  const CannedError *e = server->data;

  return fail (id, e->code, e->message, e->data);
}

static void
test_error_classes (void)
{
  /* The first five are anvil 1.7.1's own words, the others geth's and Bor's. */
  static const struct
  {
    CannedError  error;
    gint         expected;
  } cases[] = {
    { { -32003, "nonce too low", NULL }, BFK_CHAIN_ERROR_NONCE_TOO_LOW },
    { { -32003, "replacement transaction underpriced", NULL }, BFK_CHAIN_ERROR_UNDERPRICED },
    { { -32003, "max fee per gas less than block base fee", NULL }, BFK_CHAIN_ERROR_FEE_CAP_TOO_LOW },
    { { -32003, "Insufficient funds for gas * price + value", NULL }, BFK_CHAIN_ERROR_INSUFFICIENT_FUNDS },
    { { 3, "execution reverted: custom error 0xdeadbeef", "0xdeadbeef" }, BFK_CHAIN_ERROR_REVERTED },
    { { -32000, "nonce too low: next nonce 5, tx nonce 3", NULL }, BFK_CHAIN_ERROR_NONCE_TOO_LOW },
    { { -32000, "transaction underpriced", NULL }, BFK_CHAIN_ERROR_UNDERPRICED },
    { { -32000, "transaction gas price below minimum: gas tip cap 1000000000, minimum needed 25000000000", NULL },
      BFK_CHAIN_ERROR_UNDERPRICED },
    { { -32000, "max fee per gas less than block base fee: address 0xf39F, maxFeePerGas: 1, baseFee: 7", NULL },
      BFK_CHAIN_ERROR_FEE_CAP_TOO_LOW },
    { { -32000, "fee cap less than block base fee", NULL }, BFK_CHAIN_ERROR_FEE_CAP_TOO_LOW },
    { { -32000, "insufficient funds for gas * price + value: balance 0, tx cost 21000", NULL },
      BFK_CHAIN_ERROR_INSUFFICIENT_FUNDS },
    { { -32000, "execution reverted", NULL }, BFK_CHAIN_ERROR_REVERTED },
    { { -32015, "VM Exception while processing transaction", "0xdeadbeef" }, BFK_CHAIN_ERROR_REVERTED },
    { { -32000, "already known", NULL }, BFK_CHAIN_ERROR_NODE },
    { { -32601, "Method not found", NULL }, BFK_CHAIN_ERROR_NODE },
    { { -32602, "invalid value: string \"0x1\", expected a valid hex string", "0x12" }, BFK_CHAIN_ERROR_NODE },
  };
  CannedError current;
  g_autoptr(TestServer) server = test_server_new (respond_error, &current);
  g_autoptr(BfkRpcClient) client = client_for (server);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) result = NULL;
      gint before = g_atomic_int_get (&server->requests);

      current = cases[i].error;
      result = bfk_rpc_client_call (client, "eth_sendRawTransaction", NULL, &error);
      g_assert_null (result);
      g_test_message ("%s → %s", cases[i].error.message, error->message);
      g_assert_error (error, BFK_CHAIN_ERROR, cases[i].expected);
      /* Never retried, though the client has retries to spare. */
      g_assert_cmpint (g_atomic_int_get (&server->requests), ==, before + 1);
      if (cases[i].expected != BFK_CHAIN_ERROR_REVERTED)
        g_assert_nonnull (strstr (error->message, cases[i].error.message));
    }
  g_assert_cmpuint (bfk_rpc_client_get_request_count (client), ==, G_N_ELEMENTS (cases));
}

static gchar *
decode_revert (const guint8 *data,
               gsize         len,
               gpointer      user_data)
{
  gint *calls = user_data;

  (*calls)++;
  if (len == 4 && data[0] == 0xde)
    return g_strdup ("NotAMember(0xf39F…)");
  return NULL;
}

static void
test_revert (void)
{
  /* Error(string) with "no", as solc encodes require(false, "no"). */
  CannedError error_string = {
    3, "execution reverted: no",
    "0x08c379a0"
    "0000000000000000000000000000000000000000000000000000000000000020"
    "0000000000000000000000000000000000000000000000000000000000000002"
    "6e6f000000000000000000000000000000000000000000000000000000000000"
  };
  CannedError custom = { 3, "execution reverted: custom error 0xdeadbeef", "0xdeadbeef" };
  CannedError bare = { 3, "execution reverted", "0x" };
  CannedError current = error_string;
  g_autoptr(TestServer) server = test_server_new (respond_error, &current);
  g_autoptr(BfkRpcClient) client = client_for (server);
  BfkAddress to;
  gint calls = 0;

  dev_address (&to);

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) revert = NULL;
    g_autoptr(GBytes) out = bfk_rpc_client_call_contract (client, NULL, &to, NULL, NULL, &revert, &error);

    g_assert_null (out);
    g_assert_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_REVERTED);
    g_assert_cmpstr (error->message, ==, "no");
    g_assert_nonnull (revert);
    g_assert_cmpuint (g_bytes_get_size (revert), ==, 4 + 96);
  }

  current = bare;
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) revert = NULL;
    guint64 gas = 0;

    g_assert_false (bfk_rpc_client_estimate_gas (client, NULL, &to, BFK_U256_ZERO, NULL, &gas, &revert, &error));
    g_assert_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_REVERTED);
    g_assert_cmpstr (error->message, ==, "reverted without a reason");
    g_assert_nonnull (revert);
    g_assert_cmpuint (g_bytes_get_size (revert), ==, 0);
  }

  /* The contract bindings' decoder words custom errors. */
  current = custom;
  bfk_rpc_client_set_revert_decoder (client, decode_revert, &calls, NULL);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) revert = NULL;
    g_autoptr(GBytes) out = bfk_rpc_client_call_contract (client, NULL, &to, NULL, NULL, &revert, &error);

    g_assert_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_REVERTED);
    g_assert_cmpstr (error->message, ==, "NotAMember(0xf39F…)");
    g_assert_cmpint (calls, ==, 1);
    g_assert_cmpmem (g_bytes_get_data (revert, NULL), g_bytes_get_size (revert), "\xde\xad\xbe\xef", 4);
  }

  /* A decoder that does not know the error leaves the default. */
  current = error_string;
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) out = bfk_rpc_client_call_contract (client, NULL, &to, NULL, NULL, NULL, &error);

    g_assert_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_REVERTED);
    g_assert_nonnull (strstr (error->message, "no"));
    g_assert_cmpint (calls, ==, 2);
  }
}

static gchar *
respond_mismatch (TestServer  *server,
                  const gchar *method,
                  JsonArray   *params,
                  const gchar *id,
                  guint       *status)
{
  return ok (id, "\"0x13882\"");
}

static void
test_chain_id_mismatch (void)
{
  g_autoptr(TestServer) server = test_server_new (respond_mismatch, NULL);
  g_autoptr(BfkRpcClient) client = client_for (server);
  g_autoptr(GError) error = NULL;

  g_assert_true (bfk_rpc_client_check_chain_id (client, 80002, &error));
  g_assert_no_error (error);
  g_assert_false (bfk_rpc_client_check_chain_id (client, 137, &error));
  g_assert_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_CHAIN_ID_MISMATCH);
  g_assert_nonnull (strstr (error->message, "serves chain 80002, but chain 137 is configured"));
}

/* --- transport ------------------------------------------------------------------ */

static gchar *
respond_http (TestServer  *server,
              const gchar *method,
              JsonArray   *params,
              const gchar *id,
              guint       *status)
{
  *status = GPOINTER_TO_UINT (server->data);
  return g_strdup ("<html><body>Bad gateway</body></html>");
}

static void
test_http_errors (void)
{
  g_autoptr(TestServer) server = test_server_new (respond_http, GUINT_TO_POINTER (502));
  g_autoptr(BfkRpcClient) client = client_for (server);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) result = NULL;

  result = bfk_rpc_client_call (client, "eth_chainId", NULL, &error);
  g_assert_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_TRANSPORT);
  g_assert_nonnull (strstr (error->message, "HTTP 502"));
  /* The node answered: not a transport failure to retry. */
  g_assert_cmpint (g_atomic_int_get (&server->requests), ==, 1);
  g_clear_error (&error);

  /* A rate limit says "later": retried with backoff, then reported. */
  server->data = GUINT_TO_POINTER (429);
  result = bfk_rpc_client_call (client, "eth_chainId", NULL, &error);
  g_assert_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_TRANSPORT);
  g_assert_nonnull (strstr (error->message, "429"));
  g_assert_cmpint (g_atomic_int_get (&server->requests), ==, 1 + 4);
}

/* A JSON-RPC error with an HTTP error status, as some providers send. */
static gchar *
respond_error_400 (TestServer  *server,
                   const gchar *method,
                   JsonArray   *params,
                   const gchar *id,
                   guint       *status)
{
  *status = 400;
  return fail (id, -32602, "invalid params", NULL);
}

static void
test_json_error_with_http_status (void)
{
  g_autoptr(TestServer) server = test_server_new (respond_error_400, NULL);
  g_autoptr(BfkRpcClient) client = client_for (server);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) result = bfk_rpc_client_call (client, "eth_call", NULL, &error);

  g_assert_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_NODE);
  g_assert_nonnull (strstr (error->message, "invalid params"));
  g_assert_cmpint (g_atomic_int_get (&server->requests), ==, 1);
}

static guint16
free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) addr = g_inet_socket_address_new (lo, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (socket, addr, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static void
test_connection_refused (void)
{
  g_autofree gchar *url = g_strdup_printf ("http://127.0.0.1:%u/", free_port ());
  g_autoptr(BfkRpcClient) client = bfk_rpc_client_new (url);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) result = NULL;
  gint64 start;
  gint64 elapsed_ms;

  bfk_rpc_client_set_retries (client, 3, 20);
  start = g_get_monotonic_time ();
  result = bfk_rpc_client_call (client, "eth_chainId", NULL, &error);
  elapsed_ms = (g_get_monotonic_time () - start) / 1000;

  g_assert_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_TRANSPORT);
  g_assert_true (g_str_has_prefix (error->message, "Cannot reach the node at http://127.0.0.1:"));
  g_assert_nonnull (strstr (error->message, "Check that it runs and the URL is right."));
  /* 1 + 3 attempts, after 20 + 40 + 80 ms of backoff. */
  g_assert_cmpuint (bfk_rpc_client_get_request_count (client), ==, 4);
  g_assert_cmpint (elapsed_ms, >=, 140);
}

/* A bare TCP server whose first connection is dropped unanswered, as a
 * node restarting or a flaky proxy does; the next ones get an answer. */
typedef struct
{
  GSocket *listener;
  GThread *thread;
  guint16  port;
  gint     accepted;
  guint    connections;
} RawServer;

static gpointer
raw_server_thread (gpointer user_data)
{
  RawServer *raw = user_data;

  for (guint i = 0; i < raw->connections; i++)
    {
      g_autoptr(GSocket) conn = g_socket_accept (raw->listener, NULL, NULL);
      g_autoptr(GString) request = g_string_new (NULL);
      const gchar *body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"0x7a69\"}";
      g_autofree gchar *reply = NULL;
      gchar buf[4096];
      gssize n;
      const gchar *headers_end;

      if (conn == NULL)
        break;
      g_atomic_int_inc (&raw->accepted);
      if (i == 0)
        {
          g_socket_close (conn, NULL);
          continue;
        }

      /* Read the headers and a body of Content-Length bytes. */
      while ((headers_end = strstr (request->str, "\r\n\r\n")) == NULL &&
             (n = g_socket_receive (conn, buf, sizeof buf, NULL, NULL)) > 0)
        g_string_append_len (request, buf, n);
      if (headers_end != NULL)
        {
          const gchar *cl = strstr (request->str, "Content-Length: ");
          gsize want = (gsize) (headers_end - request->str) + 4 +
                       (cl != NULL ? g_ascii_strtoull (cl + 16, NULL, 10) : 0);

          while (request->len < want && (n = g_socket_receive (conn, buf, sizeof buf, NULL, NULL)) > 0)
            g_string_append_len (request, buf, n);
        }
      reply = g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                               "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
                               strlen (body), body);
      for (gsize off = 0, len = strlen (reply); off < len; off += (gsize) n)
        if ((n = g_socket_send (conn, reply + off, len - off, NULL, NULL)) <= 0)
          break;
      g_socket_shutdown (conn, FALSE, TRUE, NULL);
      g_socket_close (conn, NULL);
    }
  return NULL;
}

static void
test_retry_after_dropped_connection (void)
{
  RawServer raw = { 0 };
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) addr = g_inet_socket_address_new (lo, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(BfkRpcClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree gchar *url = NULL;
  guint64 chain_id = 0;

  raw.listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (raw.listener, addr, TRUE, &error));
  g_assert_true (g_socket_listen (raw.listener, &error));
  bound = g_socket_get_local_address (raw.listener, &error);
  raw.port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  raw.connections = 2;
  raw.thread = g_thread_new ("raw-server", raw_server_thread, &raw);

  url = g_strdup_printf ("http://127.0.0.1:%u/", raw.port);
  client = bfk_rpc_client_new (url);
  bfk_rpc_client_set_retries (client, 2, 10);
  g_assert_true (bfk_rpc_client_get_chain_id (client, &chain_id, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (chain_id, ==, 31337);
  g_assert_cmpuint (bfk_rpc_client_get_request_count (client), ==, 2);

  g_thread_join (raw.thread);
  g_assert_cmpint (raw.accepted, ==, 2);
  g_socket_close (raw.listener, NULL);
  g_object_unref (raw.listener);
}

static void
test_timeout (void)
{
  g_autoptr(TestServer) server = test_server_new (respond_chain, NULL);
  g_autoptr(BfkRpcClient) client = client_for (server);
  g_autoptr(GError) error = NULL;
  guint64 n = 0;
  gint64 start;

  server->delay_ms = 1500;
  bfk_rpc_client_set_timeout (client, 200);
  bfk_rpc_client_set_retries (client, 1, 10);
  start = g_get_monotonic_time ();
  g_assert_false (bfk_rpc_client_get_block_number (client, &n, &error));
  g_assert_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_TIMEOUT);
  g_assert_cmpuint (bfk_rpc_client_get_request_count (client), ==, 2);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 1400 * G_TIME_SPAN_MILLISECOND);
}

static void
test_redact_url (void)
{
  static const gchar * const cases[][2] = {
    { "http://127.0.0.1:8545", "http://127.0.0.1:8545" },
    { "https://rpc-amoy.polygon.technology/", "https://rpc-amoy.polygon.technology/" },
    { "https://polygon-mainnet.g.alchemy.com/v2/AbCdEfGhIjKlMnOpQrStUvWx", "https://polygon-mainnet.g.alchemy.com/v2/***" },
    { "https://user:secret@node.example/rpc?key=123", "https://node.example/rpc" },
    { "127.0.0.1:8545", "127.0.0.1:8545" },
    { "user:pw@localhost:8545?k=1", "localhost:8545" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree gchar *r = bfk_rpc_redact_url (cases[i][0]);

      g_assert_cmpstr (r, ==, cases[i][1]);
    }
}

/* --- batches ------------------------------------------------------------------- */

static gchar *
respond_batch (TestServer  *server,
               const gchar *method,
               JsonArray   *params,
               const gchar *id,
               guint       *status)
{
  if (g_str_equal (method, "eth_sendRawTransaction"))
    {
      /* The "hash" is the raw transaction padded to 32 bytes; one nonce is
       * stale. */
      const gchar *raw = json_array_get_string_element (params, 0);
      g_autofree gchar *hash = g_strdup_printf ("\"0x%64s\"", raw + 2);

      for (gchar *p = hash; *p; p++)
        if (*p == ' ')
          *p = '0';
      if (g_str_equal (raw, "0x0007"))
        return fail (id, -32003, "nonce too low", NULL);
      return ok (id, hash);
    }
  if (g_str_equal (method, "eth_dropped"))
    return NULL;
  return respond_chain (server, method, params, id, status);
}

static void
test_batch (void)
{
  g_autoptr(TestServer) server = test_server_new (respond_batch, NULL);
  g_autoptr(BfkRpcClient) client = client_for (server);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) responses = NULL;
  BfkRpcRequest requests[] = {
    { "eth_chainId", NULL },
    { "eth_blockNumber", NULL },
    { "eth_nope", NULL },
    { "eth_dropped", NULL },
  };
  BfkRpcResponse *r;

  responses = bfk_rpc_client_call_batch (client, requests, G_N_ELEMENTS (requests), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (responses->len, ==, 4);
  g_assert_cmpint (g_atomic_int_get (&server->requests), ==, 1);

  r = g_ptr_array_index (responses, 0);
  g_assert_no_error (r->error);
  g_assert_cmpstr (json_node_get_string (r->result), ==, "0x13882");
  r = g_ptr_array_index (responses, 1);
  g_assert_cmpstr (json_node_get_string (r->result), ==, "0x2a");
  r = g_ptr_array_index (responses, 2);
  g_assert_null (r->result);
  g_assert_error (r->error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_NODE);
  g_assert_nonnull (strstr (r->error->message, "Method not found"));
  r = g_ptr_array_index (responses, 3);
  g_assert_error (r->error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_NODE);
}

static void
test_send_many (void)
{
  g_autoptr(TestServer) server = test_server_new (respond_batch, NULL);
  g_autoptr(BfkRpcClient) client = client_for (server);
  g_autoptr(GPtrArray) raws = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GPtrArray) results = NULL;
  const guint n = 250;

  for (guint i = 0; i < n; i++)
    {
      guint8 raw[2] = { (guint8) (i >> 8), (guint8) i };

      g_ptr_array_add (raws, g_bytes_new (raw, sizeof raw));
    }

  results = bfk_rpc_client_send_raw_transactions (client, (GBytes * const *) raws->pdata, n, 100, 2);
  g_assert_cmpuint (results->len, ==, n);
  /* 100 + 100 + 50, one HTTP request each. */
  g_assert_cmpint (g_atomic_int_get (&server->requests), ==, 3);
  g_assert_cmpint (g_atomic_int_get (&server->items), ==, (gint) n);

  for (guint i = 0; i < n; i++)
    {
      BfkSendResult *r = g_ptr_array_index (results, i);

      if (i == 7)
        {
          g_assert_error (r->error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_NONCE_TOO_LOW);
          continue;
        }
      g_assert_no_error (r->error);
      g_assert_cmpuint (r->hash[30], ==, (guint8) (i >> 8));
      g_assert_cmpuint (r->hash[31], ==, (guint8) i);
    }
}

static void
test_send_many_unreachable (void)
{
  g_autofree gchar *url = g_strdup_printf ("http://127.0.0.1:%u/", free_port ());
  g_autoptr(BfkRpcClient) client = bfk_rpc_client_new (url);
  g_autoptr(GPtrArray) raws = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GPtrArray) results = NULL;

  bfk_rpc_client_set_retries (client, 0, 0);
  for (guint i = 0; i < 5; i++)
    g_ptr_array_add (raws, g_bytes_new ("\x01", 1));
  results = bfk_rpc_client_send_raw_transactions (client, (GBytes * const *) raws->pdata, 5, 2, 1);
  g_assert_cmpuint (results->len, ==, 5);
  for (guint i = 0; i < 5; i++)
    g_assert_error (((BfkSendResult *) g_ptr_array_index (results, i))->error,
                    BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_TRANSPORT);
  g_assert_cmpuint (bfk_rpc_client_get_request_count (client), ==, 3);
}

/* --- receipts --------------------------------------------------------------------- */

static gchar *
respond_receipt_later (TestServer  *server,
                       const gchar *method,
                       JsonArray   *params,
                       const gchar *id,
                       guint       *status)
{
  gint *polls = server->data;

  if (g_str_equal (method, "eth_getTransactionReceipt") && g_atomic_int_add (polls, 1) < 2)
    return ok (id, "null");
  return respond_chain (server, method, params, id, status);
}

static void
test_wait_for_receipt (void)
{
  gint polls = 0;
  g_autoptr(TestServer) server = test_server_new (respond_receipt_later, &polls);
  g_autoptr(BfkRpcClient) client = client_for (server);
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkReceipt) receipt = NULL;
  guint8 hash[32];

  g_assert_true (bfk_hex_decode_fixed (TX_HASH, hash, 32, NULL));
  g_assert_true (bfk_rpc_client_get_receipt (client, hash, &receipt, &error));
  g_assert_null (receipt);

  receipt = bfk_rpc_client_wait_for_receipt (client, hash, 20, 5000, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (receipt);
  g_assert_cmpint (polls, ==, 3);
}

static gpointer
cancel_soon (gpointer data)
{
  g_usleep (100 * 1000);
  g_cancellable_cancel (data);
  return NULL;
}

static void
test_wait_for_receipt_cancel_and_timeout (void)
{
  gint polls = -1000000;
  g_autoptr(TestServer) server = test_server_new (respond_receipt_later, &polls);
  g_autoptr(BfkRpcClient) client = client_for (server);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkReceipt) receipt = NULL;
  GThread *thread;
  guint8 hash[32] = { 0 };
  gint64 start = g_get_monotonic_time ();

  thread = g_thread_new ("cancel", cancel_soon, cancellable);
  receipt = bfk_rpc_client_wait_for_receipt (client, hash, 10000, 0, cancellable, &error);
  g_thread_join (thread);
  g_assert_null (receipt);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_TIME_SPAN_SECOND);
  g_clear_error (&error);

  receipt = bfk_rpc_client_wait_for_receipt (client, hash, 30, 200, NULL, &error);
  g_assert_null (receipt);
  g_assert_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_TIMEOUT);
}

/* --- logs ----------------------------------------------------------------------------- */

typedef struct
{
  guint64  max_range;
  gboolean result_wording;   /* "query returned more than …" instead */
  GArray  *ranges;           /* of guint64 pairs asked */
} LogsNode;

static gchar *
respond_logs (TestServer  *server,
              const gchar *method,
              JsonArray   *params,
              const gchar *id,
              guint       *status)
{
  LogsNode *node = server->data;
  JsonObject *filter = json_array_get_object_element (params, 0);
  guint64 from = 0, to = 0;
  GString *out;

  g_assert_cmpstr (method, ==, "eth_getLogs");
  g_assert_true (bfk_rpc_parse_u64 (json_object_get_string_member (filter, "fromBlock"), &from));
  g_assert_true (bfk_rpc_parse_u64 (json_object_get_string_member (filter, "toBlock"), &to));
  g_array_append_val (node->ranges, from);
  g_array_append_val (node->ranges, to);

  if (to - from + 1 > node->max_range)
    {
      if (node->result_wording)
        return fail (id, -32005, "query returned more than 10000 results", NULL);
      return fail (id, -32000, "block range is too large", NULL);
    }

  /* One log per block, its number in the data. */
  out = g_string_new ("[");
  for (guint64 b = from; b <= to; b++)
    g_string_append_printf (out, "%s{\"address\":\"0x5fbdb2315678afecb367f032d93f642f64180aa3\","
                            "\"topics\":[\"" TRANSFER_TOPIC "\"],\"data\":\"0x%016" G_GINT64_MODIFIER "x\","
                            "\"blockNumber\":\"0x%" G_GINT64_MODIFIER "x\",\"blockHash\":\"" BLOCK_HASH "\","
                            "\"transactionHash\":\"" TX_HASH "\",\"transactionIndex\":\"0x0\","
                            "\"logIndex\":\"0x0\",\"removed\":false}",
                            b == from ? "" : ",", b, b);
  g_string_append_c (out, ']');
  {
    g_autofree gchar *list = g_string_free (out, FALSE);

    return ok (id, list);
  }
}

typedef struct
{
  guint64 last_done;
  guint64 total;
  guint   calls;
} Progress;

static void
on_progress (guint64  done,
             guint64  total,
             gpointer user_data)
{
  Progress *p = user_data;

  g_assert_cmpuint (done, >, p->last_done);
  p->last_done = done;
  p->total = total;
  p->calls++;
}

static void
check_chunked (gboolean result_wording)
{
  LogsNode node = { 100, result_wording, g_array_new (FALSE, FALSE, sizeof (guint64)) };
  g_autoptr(TestServer) server = test_server_new (respond_logs, &node);
  g_autoptr(BfkRpcClient) client = client_for (server);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) logs = NULL;
  Progress progress = { 0 };
  BfkAddress contract;
  guint8 topic[32];
  const guint8 (*topics)[32] = (const guint8 (*)[32]) &topic;
  BfkLogFilter filter = { 0 };

  g_assert_true (bfk_address_parse ("0x5fbdb2315678afecb367f032d93f642f64180aa3", &contract, NULL));
  g_assert_true (bfk_hex_decode_fixed (TRANSFER_TOPIC, topic, 32, NULL));
  filter.addresses = &contract;
  filter.n_addresses = 1;
  filter.topics[0] = topics;
  filter.n_topics[0] = 1;

  logs = bfk_rpc_client_get_logs_chunked (client, &filter, 10, 1009, 400,
                                          on_progress, &progress, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (logs->len, ==, 1000);
  for (guint i = 0; i < logs->len; i++)
    {
      BfkLog *log = &g_array_index (logs, BfkLog, i);
      const guint8 *data = g_bytes_get_data (log->data, NULL);

      g_assert_cmpuint (log->block_number, ==, 10 + i);
      g_assert_cmpuint (g_bytes_get_size (log->data), ==, 8);
      g_assert_cmpuint (data[7], ==, (guint8) (10 + i));
    }
  g_assert_cmpuint (progress.last_done, ==, 1000);
  g_assert_cmpuint (progress.total, ==, 1000);

  /* 400 and 200 refused, then windows of 100; after 8 good ones the window
   * tries 200 again, is refused, and goes back to 100. */
  g_assert_cmpuint (g_array_index (node.ranges, guint64, 0), ==, 10);
  g_assert_cmpuint (g_array_index (node.ranges, guint64, 1), ==, 409);
  g_assert_cmpuint (g_array_index (node.ranges, guint64, 3), ==, 209);
  g_assert_cmpuint (g_array_index (node.ranges, guint64, 5), ==, 109);
  g_assert_cmpuint (g_array_index (node.ranges, guint64, 2 * 10 + 1) - g_array_index (node.ranges, guint64, 2 * 10), ==, 199);
  g_assert_cmpuint (progress.calls, ==, 10);
  /* Each refused window is a JSON-RPC error: never retried. */
  g_assert_cmpint (g_atomic_int_get (&server->requests), ==, (gint) node.ranges->len / 2);
  g_array_unref (node.ranges);
}

static void
test_logs_chunked (void)
{
  check_chunked (FALSE);
}

static void
test_logs_chunked_result_limit (void)
{
  check_chunked (TRUE);
}

static void
test_logs_chunked_other_error (void)
{
  CannedError e = { -32602, "invalid filter: address is not an address", NULL };
  g_autoptr(TestServer) server = test_server_new (respond_error, &e);
  g_autoptr(BfkRpcClient) client = client_for (server);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) logs = NULL;

  logs = bfk_rpc_client_get_logs_chunked (client, NULL, 0, 5000, 1000, NULL, NULL, NULL, &error);
  g_assert_null (logs);
  g_assert_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_NODE);
  g_assert_cmpint (g_atomic_int_get (&server->requests), ==, 1);
}

static void
test_parse_logs (void)
{
  const gchar *text = "[" LOG_JSON ","
    "{\"address\":\"0x0000000000000000000000000000000000000001\",\"topics\":[],\"data\":\"0x\","
    "\"blockNumber\":null,\"blockHash\":null,\"transactionHash\":\"" TX_HASH "\","
    "\"transactionIndex\":\"0x1\",\"logIndex\":\"0xff\",\"removed\":true}]";
  g_autofree gchar *response = g_strdup_printf ("{\"jsonrpc\":\"2.0\",\"id\":9,\"result\":%s}", text);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) logs = bfk_rpc_parse_logs (text, -1, &error);
  g_autoptr(GArray) again = NULL;
  BfkLog *log;
  BfkLog copy;

  g_assert_no_error (error);
  g_assert_cmpuint (logs->len, ==, 2);

  log = &g_array_index (logs, BfkLog, 0);
  g_assert_cmpuint (log->address.bytes[0], ==, 0x5f);
  g_assert_cmpuint (log->address.bytes[19], ==, 0xa3);
  g_assert_cmpuint (log->n_topics, ==, 2);
  assert_hash (log->topics[0], TRANSFER_TOPIC);
  assert_hash (log->topics[1], FROM_TOPIC);
  g_assert_cmpuint (g_bytes_get_size (log->data), ==, 32);
  g_assert_cmpuint (log->block_number, ==, 1);
  assert_hash (log->block_hash, BLOCK_HASH);
  assert_hash (log->tx_hash, TX_HASH);
  g_assert_cmpuint (log->tx_index, ==, 0);
  g_assert_cmpuint (log->log_index, ==, 2);
  g_assert_false (log->removed);

  log = &g_array_index (logs, BfkLog, 1);
  g_assert_cmpuint (log->n_topics, ==, 0);
  g_assert_cmpuint (g_bytes_get_size (log->data), ==, 0);
  g_assert_cmpuint (log->block_number, ==, 0);
  g_assert_cmpuint (log->tx_index, ==, 1);
  g_assert_cmpuint (log->log_index, ==, 255);
  g_assert_true (log->removed);

  /* A copy outlives the array. */
  bfk_log_copy (&g_array_index (logs, BfkLog, 0), &copy);
  g_clear_pointer (&logs, g_array_unref);
  g_assert_cmpuint (((const guint8 *) g_bytes_get_data (copy.data, NULL))[31], ==, 0xe8);
  bfk_log_clear (&copy);

  /* A whole JSON-RPC response is accepted too. */
  again = bfk_rpc_parse_logs (response, (gssize) strlen (response), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->len, ==, 2);
}

static void
test_parse_logs_malformed (void)
{
  static const gchar * const bad[] = {
    /* Not JSON, or not all of it. */
    "",
    "   ",
    "{\"jsonrpc\":\"2.0\"",
    "[",
    "[" LOG_JSON,
    "[" LOG_JSON ",]",
    "[" LOG_JSON "] x",
    "[" LOG_JSON "][]",
    "{\"result\":[]",
    "{\"result\":[] \"id\":1}",
    "{\"result\":[],}",
    "{result:[]}",
    "{\"result\":[],\"id\":01}",
    "{\"result\":[],\"id\":1.}",
    "{\"result\":[],\"id\":-}",
    "{\"result\":[],\"id\":1e}",
    "{\"result\":[],\"id\":+1}",
    "{\"result\":[],\"id\":tru}",
    "{\"result\":[],\"id\":nul}",
    "{\"result\":[],\"id\":\"\\x\"}",
    "{\"result\":[],\"id\":\"\\u12\"}",
    "{\"result\":[],\"id\":\"\\ud800\"}",
    "{\"result\":[],\"id\":\"\\udc00x\"}",
    "{\"result\":[],\"id\":\"a\tb\"}",
    "{\"result\":[],\"id\":\"\xff\xfe\"}",
    "{\"result\":[],\"id\":[1,2}",
    "{\"result\":[],\"id\":{\"a\" 1}}",
    "{\"result\":[],\"result\":[]}",
    "[{\"address\":\"0x5fbdb2315678afecb367f032d93f642f64180aa3\" \"topics\":[],\"data\":\"0x\"}]",
    "[{\"address\":\"0x5fbdb2315678afecb367f032d93f642f64180aa3\",\"topics\":[,],\"data\":\"0x\"}]",
    /* JSON, but not logs. */
    "{\"result\":5}",
    "{\"result\":null}",
    "{}",
    "7",
    "\"logs\"",
    "[" LOG_JSON ",7]",
    "[[]]",
    "[{\"address\":\"0x12\",\"topics\":[],\"data\":\"0x\"}]",
    "[{\"topics\":[],\"data\":\"0x\"}]",
    "[{\"address\":\"0x5fbdb2315678afecb367f032d93f642f64180aa3\",\"data\":\"0x\"}]",
    "[{\"address\":\"0x5fbdb2315678afecb367f032d93f642f64180aa3\",\"topics\":[]}]",
    "[{\"address\":\"0x5fbdb2315678afecb367f032d93f642f64180aa3\",\"topics\":[\"0x12\"],\"data\":\"0x\"}]",
    "[{\"address\":\"0x5fbdb2315678afecb367f032d93f642f64180aa3\",\"topics\":null,\"data\":\"0x\"}]",
    "[{\"address\":\"0x5fbdb2315678afecb367f032d93f642f64180aa3\",\"topics\":[null],\"data\":\"0x\"}]",
    "[{\"address\":\"0x5fbdb2315678afecb367f032d93f642f64180aa3\",\"topics\":[\"" TRANSFER_TOPIC "\",\""
      TRANSFER_TOPIC "\",\"" TRANSFER_TOPIC "\",\"" TRANSFER_TOPIC "\",\"" TRANSFER_TOPIC "\"],\"data\":\"0x\"}]",
    "[{\"address\":\"0x5fbdb2315678afecb367f032d93f642f64180aa3\",\"topics\":[],\"data\":\"0x123\"}]",
    "[{\"address\":\"0x5fbdb2315678afecb367f032d93f642f64180aa3\",\"topics\":[],\"data\":\"0xzz\"}]",
    "[{\"address\":\"0x5fbdb2315678afecb367f032d93f642f64180aa3\",\"topics\":[],\"data\":\"00\"}]",
    "[{\"address\":\"0x5fbdb2315678afecb367f032d93f642f64180aa3\",\"topics\":[],\"data\":\"0x\",\"blockNumber\":\"12\"}]",
    "[{\"address\":\"0x5fbdb2315678afecb367f032d93f642f64180aa3\",\"topics\":[],\"data\":\"0x\",\"blockNumber\":\"0x\"}]",
    "[{\"address\":\"0x5fbdb2315678afecb367f032d93f642f64180aa3\",\"topics\":[],\"data\":\"0x\",\"blockNumber\":\"0x10000000000000000\"}]",
    "[{\"address\":\"0x5fbdb2315678afecb367f032d93f642f64180aa3\",\"topics\":[],\"data\":\"0x\",\"blockNumber\":12}]",
    "[{\"address\":\"0x5fbdb2315678afecb367f032d93f642f64180aa3\",\"topics\":[],\"data\":\"0x\",\"logIndex\":\"0x100000000\"}]",
    "[{\"address\":\"0x5fbdb2315678afecb367f032d93f642f64180aa3\",\"topics\":[],\"data\":\"0x\",\"blockHash\":\"0x12\"}]",
    "[{\"address\":\"0x5fbdb2315678afecb367f032d93f642f64180aa3\",\"topics\":[],\"data\":\"0x\",\"removed\":\"true\"}]",
    "[{\"address\":\"0x5fbdb2315678afecb367f032d93f642f64180aa3\",\"topics\":[],\"data\":\"0x\",\"data\":\"0x\"}]",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GArray) logs = bfk_rpc_parse_logs (bad[i], -1, &error);

      if (logs != NULL)
        g_error ("accepted: %s", bad[i]);
      g_assert_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_DECODE);
    }
}

/* Escaped strings mean what they spell; members we do not read may hold
 * anything JSON allows; white space may stand between any two tokens. */
static void
test_parse_logs_escapes (void)
{
  const gchar *text =
    " {\"jsonrpc\" : \"2.0\" , \"id\" : -1.5e+3 , \"extra\" : [ {\"a\" : [ true , false , null , 0 , "
    "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\" ] } , \"\xc3\xa9\" ] ,\n"
    "\t\"result\" : [ {\r\n \"addr\\u0065ss\" : \"\\u0030x5fbdb2315678afecb367f032d93f642f64180aa3\" ,"
    " \"topics\" : [ \"" TRANSFER_TOPIC "\" ] , \"data\" : \"0x00\\u0066f\" ,"
    " \"blockNumber\" : \"0X1a\" , \"removed\" : null , \"blockTimestamp\" : {\"nested\":[[[]]]} } ] } \n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) logs = bfk_rpc_parse_logs (text, -1, &error);
  BfkLog *log;
  const guint8 *data;
  gsize len = 0;

  g_assert_no_error (error);
  g_assert_cmpuint (logs->len, ==, 1);
  log = &g_array_index (logs, BfkLog, 0);
  g_assert_cmpuint (log->address.bytes[0], ==, 0x5f);
  g_assert_cmpuint (log->n_topics, ==, 1);
  assert_hash (log->topics[0], TRANSFER_TOPIC);
  data = g_bytes_get_data (log->data, &len);
  g_assert_cmpuint (len, ==, 2);
  g_assert_cmpuint (data[0], ==, 0x00);
  g_assert_cmpuint (data[1], ==, 0xff);
  g_assert_cmpuint (log->block_number, ==, 0x1a);
  g_assert_false (log->removed);

  /* An empty result, and a length that stops before a NUL-free tail. */
  g_clear_pointer (&logs, g_array_unref);
  logs = bfk_rpc_parse_logs ("{\"result\":[]}garbage", 13, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (logs->len, ==, 0);
}

/* A JSON-RPC error answer is the node's error, classified as any other. */
static void
test_parse_logs_error_answer (void)
{
  static const gchar *answer =
    "{\"jsonrpc\":\"2.0\",\"id\":3,\"error\":{\"code\":-32005,"
    "\"message\":\"query returned more than 10000 results\"}}";
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) logs = bfk_rpc_parse_logs (answer, -1, &error);

  g_assert_null (logs);
  g_assert_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_NODE);
  g_assert_nonnull (strstr (error->message, "more than 10000 results"));
  g_assert_true (bfk_rpc_error_is_range_too_large (error));
  g_clear_error (&error);

  /* A null error is no error; an error that is not an object is one. */
  logs = bfk_rpc_parse_logs ("{\"error\":null,\"result\":[]}", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (logs->len, ==, 0);
  g_clear_pointer (&logs, g_array_unref);
  logs = bfk_rpc_parse_logs ("{\"result\":[],\"error\":\"busy\"}", -1, &error);
  g_assert_null (logs);
  g_assert_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_NODE);
}

/* Every prefix of an answer, and every answer with one byte changed, is
 * either refused with an error or read: never a crash (the parser reads
 * what any node, or anyone in between, sends). */
static void
test_parse_logs_mangled (void)
{
  g_autofree gchar *answer = g_strdup ("{\"jsonrpc\":\"2.0\",\"id\":9,\"result\":[" LOG_JSON ","
                                       LOG_JSON "]}");
  static const gchar replacements[] = "\"\\{}[],:0x-e. \xff\x01nt";
  gsize len = strlen (answer);
  guint read = 0;

  for (gsize cut = 0; cut < len; cut++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree gchar *copy = g_strndup (answer, cut);
      g_autoptr(GArray) logs = bfk_rpc_parse_logs (copy, (gssize) cut, &error);

      g_assert_null (logs);
      g_assert_nonnull (error);
    }
  for (gsize at = 0; at < len; at++)
    for (guint r = 0; r < sizeof replacements - 1; r++)
      {
        g_autoptr(GError) error = NULL;
        g_autofree gchar *copy = g_strdup (answer);
        g_autoptr(GArray) logs = NULL;

        copy[at] = replacements[r];
        logs = bfk_rpc_parse_logs (copy, (gssize) len, &error);
        g_assert_true ((logs == NULL) != (error == NULL));
        read += logs != NULL;
      }
  /* Some changes keep it valid (a digit for a digit). */
  g_assert_cmpuint (read, >, 0);
}

/* Nesting deeper than the scanner follows is refused, not recursed into. */
static void
test_parse_logs_deep (void)
{
  g_autoptr(GString) text = g_string_new ("{\"id\":");
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) logs = NULL;

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (text, '[');
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (text, ']');
  g_string_append (text, ",\"result\":[]}");
  logs = bfk_rpc_parse_logs (text->str, (gssize) text->len, &error);
  g_assert_null (logs);
  g_assert_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_DECODE);
}

/* Several threads share one client, as the backend's workers do. */
static gpointer
hammer (gpointer data)
{
  BfkRpcClient *client = data;

  for (guint i = 0; i < 50; i++)
    {
      g_autoptr(GError) error = NULL;
      guint64 n = 0;

      g_assert_true (bfk_rpc_client_get_block_number (client, &n, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (n, ==, 42);
    }
  return NULL;
}

static void
test_threads (void)
{
  g_autoptr(TestServer) server = test_server_new (respond_chain, NULL);
  g_autoptr(BfkRpcClient) client = client_for (server);
  GThread *threads[4];

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("hammer", hammer, client);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
  g_assert_cmpint (g_atomic_int_get (&server->requests), ==, 200);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rpc/typed-calls", test_typed_calls);
  g_test_add_func ("/rpc/fee-history", test_fee_history);
  g_test_add_func ("/rpc/send-and-receipt", test_send_and_receipt);
  g_test_add_func ("/rpc/error-classes", test_error_classes);
  g_test_add_func ("/rpc/revert", test_revert);
  g_test_add_func ("/rpc/chain-id-mismatch", test_chain_id_mismatch);
  g_test_add_func ("/rpc/http-errors", test_http_errors);
  g_test_add_func ("/rpc/json-error-with-http-status", test_json_error_with_http_status);
  g_test_add_func ("/rpc/connection-refused", test_connection_refused);
  g_test_add_func ("/rpc/retry-after-dropped-connection", test_retry_after_dropped_connection);
  g_test_add_func ("/rpc/timeout", test_timeout);
  g_test_add_func ("/rpc/redact-url", test_redact_url);
  g_test_add_func ("/rpc/batch", test_batch);
  g_test_add_func ("/rpc/send-many", test_send_many);
  g_test_add_func ("/rpc/send-many-unreachable", test_send_many_unreachable);
  g_test_add_func ("/rpc/wait-for-receipt", test_wait_for_receipt);
  g_test_add_func ("/rpc/wait-for-receipt-cancel-and-timeout", test_wait_for_receipt_cancel_and_timeout);
  g_test_add_func ("/rpc/logs-chunked", test_logs_chunked);
  g_test_add_func ("/rpc/logs-chunked-result-limit", test_logs_chunked_result_limit);
  g_test_add_func ("/rpc/logs-chunked-other-error", test_logs_chunked_other_error);
  g_test_add_func ("/rpc/parse-logs", test_parse_logs);
  g_test_add_func ("/rpc/parse-logs-malformed", test_parse_logs_malformed);
  g_test_add_func ("/rpc/parse-logs-escapes", test_parse_logs_escapes);
  g_test_add_func ("/rpc/parse-logs-error-answer", test_parse_logs_error_answer);
  g_test_add_func ("/rpc/parse-logs-mangled", test_parse_logs_mangled);
  g_test_add_func ("/rpc/parse-logs-deep", test_parse_logs_deep);
  g_test_add_func ("/rpc/threads", test_threads);
  return g_test_run ();
}
