/* bfk-rpc-logs.c: eth_getLogs, and the logs of receipts.
 *
 * The follower reads up to hundreds of thousands of logs at once, so the
 * parser avoids per-field allocations: fixed-size fields are decoded in
 * place, and the data of all logs of one answer share a single buffer, each
 * log holding a slice of it.
 */
#include "bfk-rpc-private.h"

#include <string.h>

#include "bfk-chain-error.h"
#include "bfk-hex.h"

/* Windows grow back after this many answers in a row without a "too
 * large", so one dense stretch of the chain does not slow the whole sync. */
#define GROW_AFTER_SUCCESSES 8
#define DEFAULT_WINDOW 2000

void
bfk_log_clear (BfkLog *log)
{
  g_clear_pointer (&log->data, g_bytes_unref);
}

void
bfk_log_copy (const BfkLog *src,
              BfkLog       *dest)
{
  *dest = *src;
  if (src->data != NULL)
    dest->data = g_bytes_ref (src->data);
}

static GArray *
log_array_new (guint reserved)
{
  GArray *array = g_array_sized_new (FALSE, FALSE, sizeof (BfkLog), reserved);

  g_array_set_clear_func (array, (GDestroyNotify) bfk_log_clear);
  return array;
}

static const gchar *
member_string (JsonObject  *object,
               const gchar *name,
               gsize       *len)
{
  JsonNode *node = json_object_get_member (object, name);
  const gchar *s;

  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  s = json_node_get_string (node);
  if (s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
    return NULL;
  *len = strlen (s + 2);
  return s + 2;
}

static gboolean
fixed_hex (JsonObject  *object,
           const gchar *name,
           guint8      *out,
           gsize        size)
{
  gsize len = 0;
  const gchar *digits = member_string (object, name, &len);

  return digits != NULL && len == 2 * size && bfk_hex_decode_raw (digits, len, out);
}

/* A null is allowed for the position of a pending log. */
static gboolean
optional_u64 (JsonObject  *object,
              const gchar *name,
              guint64     *out)
{
  JsonNode *node = json_object_get_member (object, name);

  *out = 0;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (JSON_NODE_TYPE (node) != JSON_NODE_VALUE || json_node_get_value_type (node) != G_TYPE_STRING)
    return FALSE;
  return bfk_rpc_parse_u64 (json_node_get_string (node), out);
}

static gboolean
optional_hash (JsonObject  *object,
               const gchar *name,
               guint8       out[BFK_HASH_SIZE])
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      memset (out, 0, BFK_HASH_SIZE);
      return TRUE;
    }
  return fixed_hex (object, name, out, BFK_HASH_SIZE);
}

static gboolean
bad_log (const gchar  *what,
         GError      **error)
{
  g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_DECODE,
               "The node sent a log with a missing or malformed %s.", what);
  return FALSE;
}

gboolean
bfk_rpc_parse_log_object (JsonObject   *object,
                          BfkLog       *log,
                          GByteArray   *arena,
                          gsize        *data_offset,
                          gsize        *data_len,
                          GError      **error)
{
  JsonNode *topics;
  JsonNode *removed;
  const gchar *digits;
  gsize len = 0;
  guint64 v;

  memset (log, 0, sizeof *log);

  if (!fixed_hex (object, "address", log->address.bytes, BFK_ADDRESS_SIZE))
    return bad_log ("address", error);

  topics = json_object_get_member (object, "topics");
  if (topics == NULL || !JSON_NODE_HOLDS_ARRAY (topics))
    return bad_log ("topic list", error);
  else
    {
      JsonArray *array = json_node_get_array (topics);
      guint n = json_array_get_length (array);

      if (n > 4)
        return bad_log ("topic list", error);
      for (guint i = 0; i < n; i++)
        {
          JsonNode *t = json_array_get_element (array, i);
          const gchar *s;

          if (JSON_NODE_TYPE (t) != JSON_NODE_VALUE || json_node_get_value_type (t) != G_TYPE_STRING)
            return bad_log ("topic", error);
          s = json_node_get_string (t);
          if (s[0] != '0' || s[1] != 'x' || strlen (s) != 2 + 2 * BFK_HASH_SIZE ||
              !bfk_hex_decode_raw (s + 2, 2 * BFK_HASH_SIZE, log->topics[i]))
            return bad_log ("topic", error);
        }
      log->n_topics = n;
    }

  digits = member_string (object, "data", &len);
  if (digits == NULL || len % 2 != 0)
    return bad_log ("data", error);
  *data_offset = arena->len;
  *data_len = len / 2;
  g_byte_array_set_size (arena, arena->len + len / 2);
  if (!bfk_hex_decode_raw (digits, len, arena->data + *data_offset))
    return bad_log ("data", error);

  if (!optional_u64 (object, "blockNumber", &log->block_number))
    return bad_log ("block number", error);
  if (!optional_hash (object, "blockHash", log->block_hash))
    return bad_log ("block hash", error);
  if (!optional_hash (object, "transactionHash", log->tx_hash))
    return bad_log ("transaction hash", error);
  if (!optional_u64 (object, "transactionIndex", &v) || v > G_MAXUINT)
    return bad_log ("transaction index", error);
  log->tx_index = (guint) v;
  if (!optional_u64 (object, "logIndex", &v) || v > G_MAXUINT)
    return bad_log ("log index", error);
  log->log_index = (guint) v;

  removed = json_object_get_member (object, "removed");
  if (removed != NULL && JSON_NODE_TYPE (removed) == JSON_NODE_VALUE &&
      json_node_get_value_type (removed) == G_TYPE_BOOLEAN)
    log->removed = json_node_get_boolean (removed);
  return TRUE;
}

GArray *
bfk_rpc_parse_log_array (JsonArray  *array,
                         GError    **error)
{
  guint n = json_array_get_length (array);
  g_autoptr(GArray) logs = log_array_new (n);
  g_autofree gsize *spans = g_new (gsize, 2 * (gsize) MAX (n, 1));
  GByteArray *arena = g_byte_array_new ();
  g_autoptr(GBytes) shared = NULL;

  g_array_set_size (logs, n);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      BfkLog *log = &g_array_index (logs, BfkLog, i);

      if (!JSON_NODE_HOLDS_OBJECT (element) ||
          !bfk_rpc_parse_log_object (json_node_get_object (element), log, arena,
                                     &spans[2 * i], &spans[2 * i + 1], error))
        {
          if (!JSON_NODE_HOLDS_OBJECT (element))
            bad_log ("body", error);
          /* The rest have no data yet: clear_func copes with NULL. */
          memset (log, 0, sizeof *log);
          g_array_set_size (logs, i);
          g_byte_array_unref (arena);
          return NULL;
        }
    }

  /* Only now, once the buffer stops moving, can slices point into it. */
  shared = g_byte_array_free_to_bytes (arena);
  for (guint i = 0; i < n; i++)
    g_array_index (logs, BfkLog, i).data = g_bytes_new_from_bytes (shared, spans[2 * i], spans[2 * i + 1]);
  return g_steal_pointer (&logs);
}

GArray *
bfk_rpc_parse_logs (const gchar  *json_text,
                    gssize        len,
                    GError      **error)
{
  /* Mutable: sealing every node of a big answer costs a tenth more. */
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  g_return_val_if_fail (json_text != NULL, NULL);

  if (!json_parser_load_from_data (parser, json_text, len, &local_error))
    {
      g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_DECODE,
                   "The logs are not valid JSON: %s", local_error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    root = json_object_get_member (json_node_get_object (root), "result");
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_DECODE,
                   "The logs are not a JSON array.");
      return NULL;
    }
  return bfk_rpc_parse_log_array (json_node_get_array (root), error);
}

/* --- eth_getLogs ----------------------------------------------------------- */

static JsonNode *
topic_node (const guint8 topic[BFK_HASH_SIZE])
{
  gchar hex[2 + 2 * BFK_HASH_SIZE + 1] = "0x";
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  bfk_hex_encode_to (topic, BFK_HASH_SIZE, hex + 2);
  json_node_set_string (node, hex);
  return node;
}

static JsonNode *
filter_params (const BfkLogFilter *filter,
               guint64             from_block,
               guint64             to_block)
{
  JsonNode *params = json_node_new (JSON_NODE_ARRAY);
  JsonArray *array = json_array_new ();
  JsonObject *object = json_object_new ();
  gchar buf[19];

  json_node_take_array (params, array);
  json_object_set_string_member (object, "fromBlock", bfk_rpc_quantity (from_block, buf));
  json_object_set_string_member (object, "toBlock", bfk_rpc_quantity (to_block, buf));

  if (filter != NULL && filter->n_addresses > 0)
    {
      JsonArray *addresses = json_array_new ();

      for (gsize i = 0; i < filter->n_addresses; i++)
        {
          gchar hex[2 + 2 * BFK_ADDRESS_SIZE + 1] = "0x";

          bfk_hex_encode_to (filter->addresses[i].bytes, BFK_ADDRESS_SIZE, hex + 2);
          json_array_add_string_element (addresses, hex);
        }
      json_object_set_array_member (object, "address", addresses);
    }

  if (filter != NULL)
    {
      guint last = 0;

      for (guint i = 0; i < 4; i++)
        if (filter->n_topics[i] > 0)
          last = i + 1;
      if (last > 0)
        {
          JsonArray *topics = json_array_new ();

          for (guint i = 0; i < last; i++)
            {
              if (filter->n_topics[i] == 0)
                json_array_add_null_element (topics);
              else if (filter->n_topics[i] == 1)
                json_array_add_element (topics, topic_node (filter->topics[i][0]));
              else
                {
                  JsonArray *alternatives = json_array_new ();

                  for (gsize j = 0; j < filter->n_topics[i]; j++)
                    json_array_add_element (alternatives, topic_node (filter->topics[i][j]));
                  json_array_add_array_element (topics, alternatives);
                }
            }
          json_object_set_array_member (object, "topics", topics);
        }
    }

  json_array_add_object_element (array, object);
  return params;
}

GArray *
bfk_rpc_client_get_logs (BfkRpcClient        *client,
                         const BfkLogFilter  *filter,
                         guint64              from_block,
                         guint64              to_block,
                         GError             **error)
{
  g_autoptr(JsonNode) params = filter_params (filter, from_block, to_block);
  g_autoptr(JsonNode) result = NULL;

  result = bfk_rpc_client_call (client, "eth_getLogs", params, error);
  if (result == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (result))
    {
      g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_DECODE,
                   "The node answered eth_getLogs with something that is not a list.");
      return NULL;
    }
  return bfk_rpc_parse_log_array (json_node_get_array (result), error);
}

/* Public Polygon endpoints and the big providers each word it their own way:
 * "block range is too large", "exceed maximum block range: 1000", "query
 * returned more than 10000 results", "Log response size exceeded", "query
 * timeout exceeded"; -32005 is EIP-1474's "limit exceeded". */
gboolean
bfk_rpc_error_is_range_too_large (const GError *error)
{
  static const gchar * const needles[] = {
    "block range",
    "range is too large",
    "range too large",
    "too large",
    "more than",
    "too many",
    "exceed",
    "response size",
    "limit",
    "(code -32005)",
    NULL
  };
  g_autofree gchar *lower = NULL;

  if (!g_error_matches (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_NODE))
    return FALSE;
  lower = g_ascii_strdown (error->message, -1);
  for (guint i = 0; needles[i] != NULL; i++)
    if (strstr (lower, needles[i]) != NULL)
      return TRUE;
  return FALSE;
}

GArray *
bfk_rpc_client_get_logs_chunked (BfkRpcClient        *client,
                                 const BfkLogFilter  *filter,
                                 guint64              from_block,
                                 guint64              to_block,
                                 guint64              window,
                                 BfkLogsProgress      progress,
                                 gpointer             user_data,
                                 GCancellable        *cancellable,
                                 GError             **error)
{
  g_autoptr(GArray) all = log_array_new (0);
  guint64 initial = window > 0 ? window : DEFAULT_WINDOW;
  guint64 total, start;
  guint successes = 0;

  g_return_val_if_fail (client != NULL, NULL);

  if (from_block > to_block)
    return g_steal_pointer (&all);

  window = initial;
  total = to_block - from_block + 1;
  start = from_block;
  while (start <= to_block)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(GArray) logs = NULL;
      guint64 end;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;

      end = to_block - start < window ? to_block : start + window - 1;
      logs = bfk_rpc_client_get_logs (client, filter, start, end, &local_error);
      if (logs == NULL)
        {
          if (window > 1 && bfk_rpc_error_is_range_too_large (local_error))
            {
              window = MAX (window / 2, 1);
              successes = 0;
              g_debug ("eth_getLogs over %" G_GUINT64_FORMAT " blocks refused; trying %"
                       G_GUINT64_FORMAT, end - start + 1, window);
              continue;
            }
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }

      /* Move, not copy: the logs' data stay with their shared buffer. */
      g_array_append_vals (all, logs->data, logs->len);
      g_array_set_clear_func (logs, NULL);
      g_clear_pointer (&logs, g_array_unref);

      if (progress != NULL)
        progress (end - from_block + 1, total, user_data);
      if (end == to_block)
        break;
      start = end + 1;

      if (window < initial && ++successes >= GROW_AFTER_SUCCESSES)
        {
          window = MIN (window * 2, initial);
          successes = 0;
        }
    }
  return g_steal_pointer (&all);
}
