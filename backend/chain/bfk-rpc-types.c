/* bfk-rpc-types.c: the typed Ethereum calls over bfk_rpc_client_call. */
#include "bfk-rpc-private.h"

#include <string.h>

#include "bfk-chain-error.h"
#include "bfk-hex.h"

/* --- parsing helpers ------------------------------------------------------ */

gboolean
bfk_rpc_parse_u64 (const gchar *text,
                   guint64     *out)
{
  guint64 v = 0;
  const gchar *p;

  if (text == NULL || text[0] != '0' || (text[1] != 'x' && text[1] != 'X') || text[2] == '\0')
    return FALSE;
  for (p = text + 2; *p; p++)
    {
      gint d = bfk_hex_digit_value (*p);

      if (d < 0 || v > (G_MAXUINT64 >> 4))
        return FALSE;
      v = (v << 4) | (guint64) d;
    }
  *out = v;
  return TRUE;
}

const gchar *
bfk_rpc_quantity (guint64 n,
                  gchar   buf[19])
{
  g_snprintf (buf, 19, "0x%" G_GINT64_MODIFIER "x", n);
  return buf;
}

/* The text of a JSON string node; NULL for anything else (or no node). */
static const gchar *
node_string (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static const gchar *
string_member (JsonObject  *object,
               const gchar *name)
{
  return node_string (json_object_get_member (object, name));
}

/* "0x…" to a U256; bfk_u256_parse alone would also take decimal. */
static gboolean
parse_u256 (const gchar *text,
            BfkU256     *out)
{
  return text != NULL && text[0] == '0' && text[1] == 'x' && bfk_u256_parse (text, out, NULL);
}

static gboolean
parse_hash (const gchar *text,
            guint8       out[BFK_HASH_SIZE])
{
  return text != NULL && text[0] == '0' && text[1] == 'x' &&
         strlen (text) == 2 + 2 * BFK_HASH_SIZE &&
         bfk_hex_decode_raw (text + 2, 2 * BFK_HASH_SIZE, out);
}

static gboolean
bad_member (const gchar  *name,
            GError      **error)
{
  g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_DECODE,
               "The node sent a missing or malformed “%s”.", name);
  return FALSE;
}

static gboolean
bad_result (const gchar  *method,
            GError      **error)
{
  g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_DECODE,
               "The node answered %s with a malformed result.", method);
  return FALSE;
}

gboolean
bfk_rpc_get_u64_member (JsonObject   *object,
                        const gchar  *name,
                        guint64      *out,
                        GError      **error)
{
  return bfk_rpc_parse_u64 (string_member (object, name), out) || bad_member (name, error);
}

gboolean
bfk_rpc_get_u256_member (JsonObject   *object,
                         const gchar  *name,
                         BfkU256      *out,
                         GError      **error)
{
  return parse_u256 (string_member (object, name), out) || bad_member (name, error);
}

gboolean
bfk_rpc_get_hash_member (JsonObject   *object,
                         const gchar  *name,
                         guint8        out[BFK_HASH_SIZE],
                         GError      **error)
{
  return parse_hash (string_member (object, name), out) || bad_member (name, error);
}

gboolean
bfk_rpc_result_u64 (JsonNode     *result,
                    const gchar  *method,
                    guint64      *out,
                    GError      **error)
{
  return bfk_rpc_parse_u64 (node_string (result), out) || bad_result (method, error);
}

gboolean
bfk_rpc_result_u256 (JsonNode     *result,
                     const gchar  *method,
                     BfkU256      *out,
                     GError      **error)
{
  return parse_u256 (node_string (result), out) || bad_result (method, error);
}

/* --- params --------------------------------------------------------------- */

JsonNode *
bfk_rpc_params_new (JsonArray **array)
{
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  *array = json_array_new ();
  json_node_take_array (node, *array);
  return node;
}

void
bfk_rpc_params_add_address (JsonArray        *array,
                            const BfkAddress *address)
{
  gchar buf[BFK_ADDRESS_STRING_SIZE];

  bfk_address_to_string_buf (address, buf);
  json_array_add_string_element (array, buf);
}

static void
set_address (JsonObject       *object,
             const gchar      *name,
             const BfkAddress *address)
{
  gchar buf[BFK_ADDRESS_STRING_SIZE];

  bfk_address_to_string_buf (address, buf);
  json_object_set_string_member (object, name, buf);
}

static void
set_bytes (JsonObject  *object,
           const gchar *name,
           GBytes      *bytes)
{
  gsize len = 0;
  const guint8 *data = bytes != NULL ? g_bytes_get_data (bytes, &len) : NULL;
  g_autofree gchar *hex = bfk_hex_encode (data, len);

  json_object_set_string_member (object, name, hex);
}

static const gchar *
tag_or_latest (const gchar *tag)
{
  return tag != NULL ? tag : "latest";
}

/* --- simple calls ---------------------------------------------------------- */

/* Calls method and parses its quantity result into u64 or, when that is
 * NULL, into u256. */
static gboolean
call_quantity (BfkRpcClient  *client,
               const gchar   *method,
               JsonNode      *params,
               guint64       *u64,
               BfkU256       *u256,
               GError       **error)
{
  g_autoptr(JsonNode) result = bfk_rpc_client_call (client, method, params, error);

  if (result == NULL)
    return FALSE;
  if (u64 != NULL)
    return bfk_rpc_result_u64 (result, method, u64, error);
  return bfk_rpc_result_u256 (result, method, u256, error);
}

/* [address, block tag]: the params of the per-account state queries. */
static JsonNode *
account_params (const BfkAddress *address,
                const gchar      *block_tag)
{
  JsonArray *array;
  JsonNode *params = bfk_rpc_params_new (&array);

  bfk_rpc_params_add_address (array, address);
  json_array_add_string_element (array, tag_or_latest (block_tag));
  return params;
}

gboolean
bfk_rpc_client_get_chain_id (BfkRpcClient  *client,
                             guint64       *chain_id,
                             GError       **error)
{
  return call_quantity (client, "eth_chainId", NULL, chain_id, NULL, error);
}

gboolean
bfk_rpc_client_check_chain_id (BfkRpcClient  *client,
                               guint64        expected,
                               GError       **error)
{
  guint64 actual = 0;

  if (!bfk_rpc_client_get_chain_id (client, &actual, error))
    return FALSE;
  if (actual != expected)
    {
      g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_CHAIN_ID_MISMATCH,
                   "The node at %s serves chain %" G_GUINT64_FORMAT ", but chain %"
                   G_GUINT64_FORMAT " is configured. Check the RPC URL and the chain id.",
                   bfk_rpc_client_get_display_url (client), actual, expected);
      return FALSE;
    }
  return TRUE;
}

gboolean
bfk_rpc_client_get_block_number (BfkRpcClient  *client,
                                 guint64       *number,
                                 GError       **error)
{
  return call_quantity (client, "eth_blockNumber", NULL, number, NULL, error);
}

gboolean
bfk_rpc_client_get_block (BfkRpcClient  *client,
                          const gchar   *block_tag,
                          BfkBlock      *block,
                          GError       **error)
{
  JsonArray *array;
  g_autoptr(JsonNode) params = bfk_rpc_params_new (&array);
  g_autoptr(JsonNode) result = NULL;
  JsonObject *object;
  const gchar *hash;

  json_array_add_string_element (array, tag_or_latest (block_tag));
  json_array_add_boolean_element (array, FALSE);
  result = bfk_rpc_client_call (client, "eth_getBlockByNumber", params, error);
  if (result == NULL)
    return FALSE;
  if (JSON_NODE_HOLDS_NULL (result))
    {
      g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_NODE,
                   "The node at %s has no block %s yet.",
                   bfk_rpc_client_get_display_url (client), tag_or_latest (block_tag));
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (result))
    return bad_result ("eth_getBlockByNumber", error);

  object = json_node_get_object (result);
  memset (block, 0, sizeof *block);
  if (!bfk_rpc_get_u64_member (object, "number", &block->number, error) ||
      !bfk_rpc_get_hash_member (object, "parentHash", block->parent_hash, error) ||
      !bfk_rpc_get_u64_member (object, "timestamp", &block->timestamp, error))
    return FALSE;
  /* Some nodes send a null hash for the pending block. */
  hash = string_member (object, "hash");
  if (hash != NULL && !bfk_rpc_get_hash_member (object, "hash", block->hash, error))
    return FALSE;
  if (string_member (object, "baseFeePerGas") != NULL)
    {
      if (!bfk_rpc_get_u256_member (object, "baseFeePerGas", &block->base_fee, error))
        return FALSE;
      block->has_base_fee = TRUE;
    }
  return TRUE;
}

gboolean
bfk_rpc_client_get_block_by_number (BfkRpcClient  *client,
                                    guint64        number,
                                    BfkBlock      *block,
                                    GError       **error)
{
  gchar buf[19];

  return bfk_rpc_client_get_block (client, bfk_rpc_quantity (number, buf), block, error);
}

gboolean
bfk_rpc_client_get_balance (BfkRpcClient      *client,
                            const BfkAddress  *address,
                            const gchar       *block_tag,
                            BfkU256           *balance,
                            GError           **error)
{
  g_autoptr(JsonNode) params = account_params (address, block_tag);

  return call_quantity (client, "eth_getBalance", params, NULL, balance, error);
}

gboolean
bfk_rpc_client_get_transaction_count (BfkRpcClient      *client,
                                      const BfkAddress  *address,
                                      const gchar       *block_tag,
                                      guint64           *count,
                                      GError           **error)
{
  g_autoptr(JsonNode) params = account_params (address, block_tag);

  return call_quantity (client, "eth_getTransactionCount", params, count, NULL, error);
}

gboolean
bfk_rpc_client_get_gas_price (BfkRpcClient  *client,
                              BfkU256       *price,
                              GError       **error)
{
  return call_quantity (client, "eth_gasPrice", NULL, NULL, price, error);
}

gboolean
bfk_rpc_client_get_max_priority_fee (BfkRpcClient  *client,
                                     BfkU256       *tip,
                                     GError       **error)
{
  return call_quantity (client, "eth_maxPriorityFeePerGas", NULL, NULL, tip, error);
}

/* --- fee history ----------------------------------------------------------- */

void
bfk_fee_history_free (BfkFeeHistory *history)
{
  if (history == NULL)
    return;
  g_free (history->base_fees);
  g_free (history->gas_used_ratios);
  g_free (history->rewards);
  g_free (history);
}

/* The array in node, when it has exactly len elements (any number when len
 * is negative); NULL otherwise. */
static JsonArray *
sized_array (JsonNode *node,
             gint64    len)
{
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  array = json_node_get_array (node);
  if (len >= 0 && json_array_get_length (array) != (guint64) len)
    return NULL;
  return array;
}

/* node: an array of exactly len "0x…" quantities, parsed into out. */
static gboolean
parse_u256_array (JsonNode *node,
                  guint     len,
                  BfkU256  *out)
{
  JsonArray *array = sized_array (node, len);

  if (array == NULL)
    return FALSE;
  for (guint i = 0; i < len; i++)
    if (!parse_u256 (node_string (json_array_get_element (array, i)), &out[i]))
      return FALSE;
  return TRUE;
}

/* node: n_blocks rows of n_percentiles quantities, parsed row by row. */
static gboolean
parse_rewards (JsonNode *node,
               guint     n_blocks,
               guint     n_percentiles,
               BfkU256  *out)
{
  JsonArray *rows = sized_array (node, n_blocks);

  if (rows == NULL)
    return FALSE;
  for (guint i = 0; i < n_blocks; i++)
    if (!parse_u256_array (json_array_get_element (rows, i), n_percentiles,
                           &out[i * n_percentiles]))
      return FALSE;
  return TRUE;
}

BfkFeeHistory *
bfk_rpc_client_get_fee_history (BfkRpcClient   *client,
                                guint           block_count,
                                const gchar    *newest_block,
                                const gdouble  *percentiles,
                                guint           n_percentiles,
                                GError        **error)
{
  JsonArray *array;
  JsonArray *pct;
  g_autoptr(JsonNode) params = bfk_rpc_params_new (&array);
  g_autoptr(JsonNode) result = NULL;
  g_autoptr(BfkFeeHistory) history = NULL;
  JsonObject *object;
  JsonArray *ratios;
  gchar buf[19];

  json_array_add_string_element (array, bfk_rpc_quantity (block_count, buf));
  json_array_add_string_element (array, tag_or_latest (newest_block));
  pct = json_array_new ();
  for (guint i = 0; i < n_percentiles; i++)
    json_array_add_double_element (pct, percentiles[i]);
  json_array_add_array_element (array, pct);

  result = bfk_rpc_client_call (client, "eth_feeHistory", params, error);
  if (result == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (result))
    {
      bad_result ("eth_feeHistory", error);
      return NULL;
    }
  object = json_node_get_object (result);

  history = g_new0 (BfkFeeHistory, 1);
  if (!bfk_rpc_get_u64_member (object, "oldestBlock", &history->oldest_block, error))
    return NULL;

  ratios = sized_array (json_object_get_member (object, "gasUsedRatio"), -1);
  if (ratios == NULL)
    {
      bad_member ("gasUsedRatio", error);
      return NULL;
    }
  history->n_blocks = json_array_get_length (ratios);
  history->n_percentiles = n_percentiles;

  history->base_fees = g_new0 (BfkU256, history->n_blocks + 1);
  history->gas_used_ratios = g_new0 (gdouble, MAX (history->n_blocks, 1));
  if (!parse_u256_array (json_object_get_member (object, "baseFeePerGas"),
                         history->n_blocks + 1, history->base_fees))
    {
      bad_member ("baseFeePerGas", error);
      return NULL;
    }
  for (guint i = 0; i < history->n_blocks; i++)
    history->gas_used_ratios[i] = json_array_get_double_element (ratios, i);

  if (n_percentiles > 0)
    {
      history->rewards = g_new0 (BfkU256, MAX (history->n_blocks * n_percentiles, 1));
      if (!parse_rewards (json_object_get_member (object, "reward"),
                          history->n_blocks, n_percentiles, history->rewards))
        {
          bad_member ("reward", error);
          return NULL;
        }
    }
  return g_steal_pointer (&history);
}

/* --- calls that execute code ------------------------------------------------ */

static JsonObject *
call_object (const BfkAddress *from,
             const BfkAddress *to,
             GBytes           *data)
{
  JsonObject *object = json_object_new ();

  if (from != NULL)
    set_address (object, "from", from);
  if (to != NULL)
    set_address (object, "to", to);
  /* "input" is the newer name; "data" is what every node still reads. */
  if (data != NULL)
    set_bytes (object, "data", data);
  return object;
}

gboolean
bfk_rpc_client_estimate_gas (BfkRpcClient      *client,
                             const BfkAddress  *from,
                             const BfkAddress  *to,
                             BfkU256            value,
                             GBytes            *data,
                             guint64           *gas,
                             GBytes           **revert_data,
                             GError           **error)
{
  JsonArray *array;
  g_autoptr(JsonNode) params = bfk_rpc_params_new (&array);
  g_autoptr(JsonNode) result = NULL;
  JsonObject *object = call_object (from, to, data);

  if (!bfk_u256_is_zero (value))
    {
      g_autofree gchar *q = bfk_u256_to_quantity (value);

      json_object_set_string_member (object, "value", q);
    }
  json_array_add_object_element (array, object);

  result = bfk_rpc_client_call_full (client, "eth_estimateGas", params, revert_data, error);
  return result != NULL && bfk_rpc_result_u64 (result, "eth_estimateGas", gas, error);
}

GBytes *
bfk_rpc_client_call_contract (BfkRpcClient      *client,
                              const BfkAddress  *from,
                              const BfkAddress  *to,
                              GBytes            *data,
                              const gchar       *block_tag,
                              GBytes           **revert_data,
                              GError           **error)
{
  JsonArray *array;
  g_autoptr(JsonNode) params = bfk_rpc_params_new (&array);
  g_autoptr(JsonNode) result = NULL;
  const gchar *hex;
  GBytes *out;

  json_array_add_object_element (array, call_object (from, to, data));
  json_array_add_string_element (array, tag_or_latest (block_tag));

  result = bfk_rpc_client_call_full (client, "eth_call", params, revert_data, error);
  if (result == NULL)
    return NULL;
  hex = node_string (result);
  if (hex == NULL || hex[0] != '0' || hex[1] != 'x' || (out = bfk_hex_decode (hex, NULL)) == NULL)
    {
      bad_result ("eth_call", error);
      return NULL;
    }
  return out;
}

/* --- sending --------------------------------------------------------------- */

static JsonNode *
raw_tx_params (const guint8 *raw,
               gsize         raw_len)
{
  JsonArray *array;
  JsonNode *params = bfk_rpc_params_new (&array);
  gchar *hex = g_malloc (2 * raw_len + 3);

  hex[0] = '0';
  hex[1] = 'x';
  bfk_hex_encode_to (raw, raw_len, hex + 2);
  json_array_add_string_element (array, hex);
  g_free (hex);
  return params;
}

static gboolean
hash_result (JsonNode      *result,
             guint8         hash[BFK_HASH_SIZE],
             GError       **error)
{
  return parse_hash (node_string (result), hash) || bad_result ("eth_sendRawTransaction", error);
}

gboolean
bfk_rpc_client_send_raw_transaction (BfkRpcClient  *client,
                                     const guint8  *raw,
                                     gsize          raw_len,
                                     guint8         hash[BFK_HASH_SIZE],
                                     GError       **error)
{
  g_autoptr(JsonNode) params = raw_tx_params (raw, raw_len);
  g_autoptr(JsonNode) result = NULL;

  result = bfk_rpc_client_call (client, "eth_sendRawTransaction", params, error);
  return result != NULL && hash_result (result, hash, error);
}

static void
send_result_free (BfkSendResult *result)
{
  g_clear_error (&result->error);
  g_free (result);
}

typedef struct
{
  BfkRpcClient   *client;
  GBytes * const *raw_txs;
  gsize           n;
  guint           batch_size;
  gsize           n_batches;
  gint            next_batch;   /* atomic */
  GPtrArray      *results;      /* filled in place: each slot by one thread */
} SendJob;

static void
send_batch (SendJob *job,
            gsize    batch)
{
  gsize first = batch * job->batch_size;
  gsize count = MIN (job->batch_size, job->n - first);
  g_autofree BfkRpcRequest *requests = g_new0 (BfkRpcRequest, count);
  g_autoptr(GPtrArray) responses = NULL;
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < count; i++)
    {
      gsize len = 0;
      const guint8 *raw = g_bytes_get_data (job->raw_txs[first + i], &len);

      requests[i].method = "eth_sendRawTransaction";
      requests[i].params = raw_tx_params (raw, len);
    }

  responses = bfk_rpc_client_call_batch (job->client, requests, count, &error);

  for (gsize i = 0; i < count; i++)
    {
      BfkSendResult *r = g_ptr_array_index (job->results, first + i);

      if (responses == NULL)
        r->error = g_error_copy (error);
      else
        {
          BfkRpcResponse *response = g_ptr_array_index (responses, i);

          if (response->error != NULL)
            r->error = g_steal_pointer (&response->error);
          else
            hash_result (response->result, r->hash, &r->error);
        }
      json_node_unref (requests[i].params);
    }
}

static gpointer
send_worker (gpointer data)
{
  SendJob *job = data;
  gint batch;

  while ((batch = g_atomic_int_add (&job->next_batch, 1)) < (gint) job->n_batches)
    send_batch (job, (gsize) batch);
  return NULL;
}

GPtrArray *
bfk_rpc_client_send_raw_transactions (BfkRpcClient    *client,
                                      GBytes * const  *raw_txs,
                                      gsize            n,
                                      guint            batch_size,
                                      guint            max_in_flight)
{
  SendJob job = { 0 };
  GPtrArray *threads;

  g_return_val_if_fail (client != NULL, NULL);
  g_return_val_if_fail (raw_txs != NULL || n == 0, NULL);

  job.client = client;
  job.raw_txs = raw_txs;
  job.n = n;
  job.batch_size = batch_size > 0 ? batch_size : 100;
  job.n_batches = (n + job.batch_size - 1) / job.batch_size;
  job.results = g_ptr_array_new_full ((guint) n, (GDestroyNotify) send_result_free);
  for (gsize i = 0; i < n; i++)
    g_ptr_array_add (job.results, g_new0 (BfkSendResult, 1));

  if (max_in_flight == 0)
    max_in_flight = 1;
  max_in_flight = (guint) MIN ((gsize) max_in_flight, job.n_batches);

  /* One request at a time keeps the nonces in order on the wire; more
   * threads, each with its own pooled connection, overlap the round trips. */
  threads = g_ptr_array_new ();
  for (guint i = 1; i < max_in_flight; i++)
    g_ptr_array_add (threads, g_thread_new ("bfk-rpc-send", send_worker, &job));
  send_worker (&job);
  for (guint i = 0; i < threads->len; i++)
    g_thread_join (g_ptr_array_index (threads, i));
  g_ptr_array_unref (threads);

  return job.results;
}

/* --- receipts -------------------------------------------------------------- */

void
bfk_receipt_free (BfkReceipt *receipt)
{
  if (receipt == NULL)
    return;
  g_clear_pointer (&receipt->logs, g_array_unref);
  g_free (receipt);
}

static BfkReceipt *
parse_receipt (JsonObject  *object,
               GError     **error)
{
  g_autoptr(BfkReceipt) receipt = g_new0 (BfkReceipt, 1);
  guint64 status = 0, index = 0;
  const gchar *contract;
  JsonNode *logs;

  if (!bfk_rpc_get_u64_member (object, "status", &status, error) ||
      !bfk_rpc_get_u64_member (object, "blockNumber", &receipt->block_number, error) ||
      !bfk_rpc_get_hash_member (object, "blockHash", receipt->block_hash, error) ||
      !bfk_rpc_get_hash_member (object, "transactionHash", receipt->tx_hash, error) ||
      !bfk_rpc_get_u64_member (object, "transactionIndex", &index, error) ||
      !bfk_rpc_get_u64_member (object, "gasUsed", &receipt->gas_used, error) ||
      !bfk_rpc_get_u64_member (object, "cumulativeGasUsed", &receipt->cumulative_gas_used, error))
    return NULL;
  receipt->status = status == 1;
  receipt->tx_index = (guint) index;

  /* Polygon's state-sync receipts, and some older nodes, leave it out. */
  if (string_member (object, "effectiveGasPrice") != NULL &&
      !bfk_rpc_get_u256_member (object, "effectiveGasPrice", &receipt->effective_gas_price, error))
    return NULL;

  contract = string_member (object, "contractAddress");
  if (contract != NULL)
    {
      if (!bfk_address_parse (contract, &receipt->contract_address, NULL))
        {
          bad_member ("contractAddress", error);
          return NULL;
        }
      receipt->has_contract_address = TRUE;
    }

  logs = json_object_get_member (object, "logs");
  if (logs == NULL || !JSON_NODE_HOLDS_ARRAY (logs))
    {
      bad_member ("logs", error);
      return NULL;
    }
  receipt->logs = bfk_rpc_parse_log_array (json_node_get_array (logs), error);
  if (receipt->logs == NULL)
    return NULL;
  return g_steal_pointer (&receipt);
}

gboolean
bfk_rpc_client_get_receipt (BfkRpcClient  *client,
                            const guint8   tx_hash[BFK_HASH_SIZE],
                            BfkReceipt   **receipt,
                            GError       **error)
{
  JsonArray *array;
  g_autoptr(JsonNode) params = bfk_rpc_params_new (&array);
  g_autoptr(JsonNode) result = NULL;
  gchar hex[2 + 2 * BFK_HASH_SIZE + 1] = "0x";

  g_return_val_if_fail (receipt != NULL, FALSE);

  *receipt = NULL;
  bfk_hex_encode_to (tx_hash, BFK_HASH_SIZE, hex + 2);
  json_array_add_string_element (array, hex);

  result = bfk_rpc_client_call (client, "eth_getTransactionReceipt", params, error);
  if (result == NULL)
    return FALSE;
  if (JSON_NODE_HOLDS_NULL (result))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (result))
    return bad_result ("eth_getTransactionReceipt", error);
  *receipt = parse_receipt (json_node_get_object (result), error);
  return *receipt != NULL;
}

BfkReceipt *
bfk_rpc_client_wait_for_receipt (BfkRpcClient  *client,
                                 const guint8   tx_hash[BFK_HASH_SIZE],
                                 guint          poll_interval_ms,
                                 guint          timeout_ms,
                                 GCancellable  *cancellable,
                                 GError       **error)
{
  gint64 deadline = timeout_ms > 0 ? g_get_monotonic_time () + (gint64) timeout_ms * 1000 : G_MAXINT64;

  for (;;)
    {
      g_autoptr(GError) local_error = NULL;
      BfkReceipt *receipt = NULL;
      gint64 now;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;

      if (bfk_rpc_client_get_receipt (client, tx_hash, &receipt, &local_error))
        {
          if (receipt != NULL)
            return receipt;
        }
      else if (!g_error_matches (local_error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_TRANSPORT) &&
               !g_error_matches (local_error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_TIMEOUT))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }

      now = g_get_monotonic_time ();
      if (now >= deadline)
        {
          g_autofree gchar *hex = bfk_hex_encode (tx_hash, BFK_HASH_SIZE);

          g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_TIMEOUT,
                       "Transaction %s was not mined within %u s%s%s.", hex, timeout_ms / 1000,
                       local_error != NULL ? "; last error: " : "",
                       local_error != NULL ? local_error->message : "");
          return NULL;
        }
      if (bfk_rpc_sleep_cancellable ((guint) MIN ((gint64) poll_interval_ms, (deadline - now) / 1000 + 1),
                                     cancellable))
        {
          g_cancellable_set_error_if_cancelled (cancellable, error);
          return NULL;
        }
    }
}
