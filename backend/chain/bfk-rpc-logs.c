/* bfk-rpc-logs.c: eth_getLogs, and the fields of a log.
 *
 * The follower reads up to hundreds of thousands of logs at once.  An
 * eth_getLogs answer is read by the scanner of bfk-rpc-logs-scan.c, without
 * a json-glib tree; the logs of receipts come as json-glib objects.  Both
 * hand each member to the same rules, here.  Fixed-size fields are decoded
 * in place, and the data of all logs of one answer share a single buffer,
 * each log holding a slice of it.
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

GArray *
bfk_rpc_log_array_new (guint reserved)
{
  GArray *array = g_array_sized_new (FALSE, FALSE, sizeof (BfkLog), reserved);

  g_array_set_clear_func (array, (GDestroyNotify) bfk_log_clear);
  return array;
}

/* --- the fields of a log --------------------------------------------------- */

gboolean
bfk_rpc_bad_log (const gchar  *what,
                 GError      **error)
{
  g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_DECODE,
               "The node sent a log with a missing or malformed %s.", what);
  return FALSE;
}

/* The digits of a "0x…" string value; NULL for anything else. */
static const gchar *
hex_digits (const BfkRpcValue *v,
            gsize             *n_digits)
{
  if (v->kind != BFK_RPC_VALUE_STRING || v->len < 2 || v->text[0] != '0'
      || (v->text[1] != 'x' && v->text[1] != 'X'))
    return NULL;
  *n_digits = v->len - 2;
  return v->text + 2;
}

static gboolean
fixed_hex (const BfkRpcValue *v,
           guint8            *out,
           gsize              size)
{
  gsize n = 0;
  const gchar *digits = hex_digits (v, &n);

  return digits != NULL && n == 2 * size && bfk_hex_decode_raw (digits, n, out);
}

/* A quantity ("0x" and 1 to 16 digits) or, for a pending log, null. */
static gboolean
optional_u64 (const BfkRpcValue *v,
              guint64           *out)
{
  gsize n = 0;
  const gchar *digits = hex_digits (v, &n);

  *out = 0;
  if (v->kind == BFK_RPC_VALUE_NULL)
    return TRUE;
  if (digits == NULL || n == 0 || n > 16)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    {
      gint d = bfk_hex_digit_value (digits[i]);

      if (d < 0)
        return FALSE;
      *out = (*out << 4) | (guint64) d;
    }
  return TRUE;
}

static gboolean
optional_hash (const BfkRpcValue *v,
               guint8             out[BFK_HASH_SIZE])
{
  memset (out, 0, BFK_HASH_SIZE);
  return v->kind == BFK_RPC_VALUE_NULL || fixed_hex (v, out, BFK_HASH_SIZE);
}

static gboolean
optional_u32 (const BfkRpcValue *v,
              guint             *out)
{
  guint64 wide;

  if (!optional_u64 (v, &wide) || wide > G_MAXUINT)
    return FALSE;
  *out = (guint) wide;
  return TRUE;
}

/* Topic i of the log (the topics' array holds at most four). */
gboolean
bfk_rpc_log_topic (BfkRpcLogBuild     *b,
                   guint               i,
                   const BfkRpcValue  *v,
                   GError            **error)
{
  if (i >= 4)
    return bfk_rpc_bad_log ("topic list", error);
  if (!fixed_hex (v, b->log->topics[i], BFK_HASH_SIZE))
    return bfk_rpc_bad_log ("topic", error);
  b->log->n_topics = i + 1;
  return TRUE;
}

/* Marks field as read, unless it was before. */
static gboolean
first_time (BfkRpcLogBuild  *b,
            guint            field,
            GError         **error)
{
  if (b->seen & field)
    return bfk_rpc_bad_log ("member (given twice)", error);
  b->seen |= field;
  return TRUE;
}

gboolean
bfk_rpc_log_topics (BfkRpcLogBuild  *b,
                    GError         **error)
{
  return first_time (b, BFK_RPC_LOG_TOPICS, error);
}

guint
bfk_rpc_log_field (const gchar *name,
                   gsize        len)
{
  static const struct { const gchar *name; guint field; } fields[] = {
    { "address", BFK_RPC_LOG_ADDRESS },
    { "topics", BFK_RPC_LOG_TOPICS },
    { "data", BFK_RPC_LOG_DATA },
    { "blockNumber", BFK_RPC_LOG_BLOCK_NUMBER },
    { "blockHash", BFK_RPC_LOG_BLOCK_HASH },
    { "transactionHash", BFK_RPC_LOG_TX_HASH },
    { "transactionIndex", BFK_RPC_LOG_TX_INDEX },
    { "logIndex", BFK_RPC_LOG_LOG_INDEX },
    { "removed", BFK_RPC_LOG_REMOVED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (strlen (fields[i].name) == len && memcmp (fields[i].name, name, len) == 0)
      return fields[i].field;
  return 0;
}

/* A member of a log object other than the topics: field is bfk_rpc_log_field's. */
gboolean
bfk_rpc_log_member (BfkRpcLogBuild     *b,
                    guint               field,
                    const BfkRpcValue  *v,
                    GError            **error)
{
  BfkLog *log = b->log;
  gsize n = 0;
  const gchar *digits;

  if (!first_time (b, field, error))
    return FALSE;
  switch (field)
    {
    case BFK_RPC_LOG_ADDRESS:
      return fixed_hex (v, log->address.bytes, BFK_ADDRESS_SIZE) || bfk_rpc_bad_log ("address", error);
    case BFK_RPC_LOG_DATA:
      digits = hex_digits (v, &n);
      if (digits == NULL || n % 2 != 0)
        return bfk_rpc_bad_log ("data", error);
      b->data_offset = b->arena->len;
      b->data_len = n / 2;
      g_byte_array_set_size (b->arena, b->arena->len + n / 2);
      return bfk_hex_decode_raw (digits, n, b->arena->data + b->data_offset) || bfk_rpc_bad_log ("data", error);
    case BFK_RPC_LOG_BLOCK_NUMBER:
      return optional_u64 (v, &log->block_number) || bfk_rpc_bad_log ("block number", error);
    case BFK_RPC_LOG_BLOCK_HASH:
      return optional_hash (v, log->block_hash) || bfk_rpc_bad_log ("block hash", error);
    case BFK_RPC_LOG_TX_HASH:
      return optional_hash (v, log->tx_hash) || bfk_rpc_bad_log ("transaction hash", error);
    case BFK_RPC_LOG_TX_INDEX:
      return optional_u32 (v, &log->tx_index) || bfk_rpc_bad_log ("transaction index", error);
    case BFK_RPC_LOG_LOG_INDEX:
      return optional_u32 (v, &log->log_index) || bfk_rpc_bad_log ("log index", error);
    case BFK_RPC_LOG_REMOVED:
      log->removed = v->kind == BFK_RPC_VALUE_TRUE;
      return v->kind == BFK_RPC_VALUE_TRUE || v->kind == BFK_RPC_VALUE_FALSE || v->kind == BFK_RPC_VALUE_NULL
             || bfk_rpc_bad_log ("removed flag", error);
    default:
      g_assert_not_reached ();
    }
}

/* The members every log must have. */
gboolean
bfk_rpc_log_complete (const BfkRpcLogBuild  *b,
                      GError               **error)
{
  if (!(b->seen & BFK_RPC_LOG_ADDRESS))
    return bfk_rpc_bad_log ("address", error);
  if (!(b->seen & BFK_RPC_LOG_TOPICS))
    return bfk_rpc_bad_log ("topic list", error);
  if (!(b->seen & BFK_RPC_LOG_DATA))
    return bfk_rpc_bad_log ("data", error);
  return TRUE;
}

/* Gives each log its slice of the shared data, once the buffer stops
 * moving. spans holds (offset, length) per log. */
GArray *
bfk_rpc_logs_share_data (GArray      *logs,
                         GByteArray  *arena,
                         const gsize *spans)
{
  g_autoptr(GBytes) shared = g_byte_array_free_to_bytes (arena);

  for (guint i = 0; i < logs->len; i++)
    g_array_index (logs, BfkLog, i).data = g_bytes_new_from_bytes (shared, spans[2 * i],
                                                                   spans[2 * i + 1]);
  return logs;
}

/* --- logs as json-glib objects (receipts) ----------------------------------- */

static void
value_of_node (JsonNode    *node,
               BfkRpcValue *v)
{
  *v = (BfkRpcValue) { BFK_RPC_VALUE_OTHER, NULL, 0 };
  if (JSON_NODE_HOLDS_NULL (node))
    v->kind = BFK_RPC_VALUE_NULL;
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      v->kind = BFK_RPC_VALUE_STRING;
      v->text = json_node_get_string (node);
      v->len = strlen (v->text);
    }
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    v->kind = json_node_get_boolean (node) ? BFK_RPC_VALUE_TRUE : BFK_RPC_VALUE_FALSE;
}

gboolean
bfk_rpc_parse_log_object (JsonObject  *object,
                          BfkLog      *log,
                          GByteArray  *arena,
                          gsize       *data_offset,
                          gsize       *data_len,
                          GError     **error)
{
  BfkRpcLogBuild b = { log, arena, 0, 0, 0 };
  JsonObjectIter iter;
  const gchar *name;
  JsonNode *node;

  memset (log, 0, sizeof *log);
  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &node))
    {
      guint field = bfk_rpc_log_field (name, strlen (name));
      BfkRpcValue v;

      if (field == BFK_RPC_LOG_TOPICS)
        {
          JsonArray *topics;

          if (!JSON_NODE_HOLDS_ARRAY (node) || !bfk_rpc_log_topics (&b, error))
            return bfk_rpc_bad_log ("topic list", error);
          topics = json_node_get_array (node);
          for (guint i = 0; i < json_array_get_length (topics); i++)
            {
              value_of_node (json_array_get_element (topics, i), &v);
              if (!bfk_rpc_log_topic (&b, i, &v, error))
                return FALSE;
            }
        }
      else if (field != 0)
        {
          value_of_node (node, &v);
          if (!bfk_rpc_log_member (&b, field, &v, error))
            return FALSE;
        }
    }
  *data_offset = b.data_offset;
  *data_len = b.data_len;
  return bfk_rpc_log_complete (&b, error);
}

GArray *
bfk_rpc_parse_log_array (JsonArray  *array,
                         GError    **error)
{
  guint n = json_array_get_length (array);
  g_autoptr(GArray) logs = bfk_rpc_log_array_new (n);
  g_autofree gsize *spans = g_new (gsize, 2 * (gsize) MAX (n, 1));
  GByteArray *arena = g_byte_array_new ();

  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      BfkLog log;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        bfk_rpc_bad_log ("body", error);
      else if (bfk_rpc_parse_log_object (json_node_get_object (element), &log, arena,
                                         &spans[2 * i], &spans[2 * i + 1], error))
        {
          g_array_append_val (logs, log);
          continue;
        }
      g_byte_array_unref (arena);
      return NULL;
    }
  return bfk_rpc_logs_share_data (g_steal_pointer (&logs), arena, spans);
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
  g_autoptr(GString) answer = NULL;

  answer = bfk_rpc_client_call_text (client, "eth_getLogs", params, error);
  if (answer == NULL)
    return NULL;
  return bfk_rpc_scan_logs (client, answer->str, answer->len, error);
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
  g_autoptr(GArray) all = bfk_rpc_log_array_new (0);
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
