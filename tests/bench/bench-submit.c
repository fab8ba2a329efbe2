/* bench-submit.c: how fast the C client gets registerMember transactions
 * mined by anvil (automine), against two points of comparison measured in the
 * same run, each on its own fresh anvil and deployment:
 *
 *   c        bfk_sender_send_pipelined (local nonce counter, JSON-RPC batches),
 *            then the receipts confirmed in batches of eth_getTransactionReceipt;
 *            timed from the first signature to the last receipt seen mined;
 *   ethers   tests/bench/ethers-register.mjs: ethers v6 used the usual way,
 *            one `await contract.registerMember(...)` after the other;
 *   ceiling  what anvil itself accepts: pre-signed transactions, each in its
 *            own eth_sendRawTransaction request, from several connections at
 *            once (curl multi); timed from the first request to the last
 *            answer, and also to the last receipt.
 *
 * Every transaction is checked: each receipt's status, and on chain the
 * community's member count (and communityOf of every member for c and
 * ceiling).  Prints one JSON object. */
#include <string.h>

#include <curl/curl.h>

#include "bfk-chain-error.h"
#include "bfk-contract.h"
#include "bfk-fees.h"
#include "bfk-hex.h"
#include "bfk-local-node.h"
#include "bfk-sender.h"
#include "bfk-tx.h"

#define COMMUNITY_ID 1
#define CONFIRM_TIMEOUT_US (20 * G_USEC_PER_SEC)
/* Receipts asked for in one JSON-RPC batch: each answer is about 1 KiB. */
#define RECEIPT_BATCH 500

static gint opt_count = 1000;
static gint opt_connections = 16;
static gchar *opt_url = NULL;
static gchar **opt_anvil_args = NULL;
static gchar **opt_only = NULL;
static gchar *opt_node = NULL;
static gchar *opt_ethers_mode = NULL;
static gchar *opt_ethers_tuned_mode = NULL;
static gint opt_batch_size = 0;
static gint opt_in_flight = 0;

static GOptionEntry entries[] = {
  { "count", 'n', 0, G_OPTION_ARG_INT, &opt_count, "Transactions per measurement (1000)", "N" },
  { "connections", 0, 0, G_OPTION_ARG_INT, &opt_connections,
    "Parallel connections of the ceiling measurement (16)", "K" },
  { "only", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt_only, "Run only c, ethers or ceiling (repeatable)",
    "WHAT" },
  { "url", 0, 0, G_OPTION_ARG_STRING, &opt_url,
    "Use this node (dev account 0 funded) instead of starting anvil", "URL" },
  { "anvil-arg", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt_anvil_args,
    "One more argument for anvil (repeatable)", "ARG" },
  { "ethers-mode", 0, 0, G_OPTION_ARG_STRING, &opt_ethers_mode,
    "ethers-register.mjs flags (noncemanager; see the script)", "MODE" },
  { "ethers-tuned-mode", 0, 0, G_OPTION_ARG_STRING, &opt_ethers_tuned_mode,
    "Flags of a second, tuned ethers run (noncemanager,nobatch; \"\" for none)", "MODE" },
  { "batch-size", 0, 0, G_OPTION_ARG_INT, &opt_batch_size,
    "c: sign here and send with this batch size instead of bfk_sender_send_pipelined", "B" },
  { "in-flight", 0, 0, G_OPTION_ARG_INT, &opt_in_flight,
    "c: sign here and send with this many batches in flight (with --batch-size)", "F" },
  { "node", 0, 0, G_OPTION_ARG_FILENAME, &opt_node, "The node.js to run ethers with (node)", "PATH" },
  { NULL }
};

static gdouble
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / (gdouble) G_USEC_PER_SEC;
}

static gboolean
wanted (const gchar *what)
{
  return opt_only == NULL || g_strv_contains ((const gchar * const *) opt_only, what);
}

/* --- a fresh chain with the contract ------------------------------------------ */

typedef struct
{
  BfkLocalNode *node;
  BfkRpcClient *rpc;
  BfkSender    *sender;
  BfkPrivateKey key;
  guint64       chain_id;
  BfkAddress    contract;
  guint64       gas_limit;
} Chain;

static void
chain_clear (Chain *chain)
{
  g_clear_pointer (&chain->sender, bfk_sender_free);
  g_clear_pointer (&chain->rpc, bfk_rpc_client_unref);
  if (chain->node != NULL)
    bfk_local_node_stop (chain->node, 5000, NULL);
  g_clear_pointer (&chain->node, bfk_local_node_free);
  bfk_private_key_wipe (&chain->key);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Chain, chain_clear)

static void
random_address (BfkAddress *out)
{
  if (!bfk_secure_random (out->bytes, sizeof out->bytes, NULL))
    g_error ("no random bytes");
}

static gboolean
chain_setup (Chain   *chain,
             GError **error)
{
  g_autoptr(GBytes) code = bfk_contract_creation_code ();
  g_autoptr(BfkReceipt) receipt = NULL;
  g_autoptr(GBytes) probe = NULL;
  BfkAddress member;
  guint64 gas;
  const gchar *url = opt_url;

  if (url == NULL)
    {
      BfkLocalNodeOptions options = {
        .extra_args = (const gchar * const *) opt_anvil_args,
      };

      chain->node = bfk_local_node_start (&options, NULL, error);
      if (chain->node == NULL)
        return FALSE;
      url = bfk_local_node_get_url (chain->node);
    }
  chain->rpc = bfk_rpc_client_new (url);
  bfk_rpc_client_set_revert_decoder (chain->rpc, bfk_contract_describe_revert, NULL, NULL);
  if (!bfk_private_key_from_hex (&chain->key, BFK_LOCAL_NODE_DEV_PRIVATE_KEY, error) ||
      !bfk_rpc_client_get_chain_id (chain->rpc, &chain->chain_id, error))
    return FALSE;
  chain->sender = bfk_sender_new (chain->rpc, chain->chain_id, &chain->key, error);
  if (chain->sender == NULL)
    return FALSE;
  receipt = bfk_sender_transact (chain->sender, NULL, code, NULL, error);
  if (receipt == NULL)
    return FALSE;
  chain->contract = receipt->contract_address;

  /* Every first registration writes the same slots, so one estimate fits
   * all; the margin is the sender's usual one. */
  random_address (&member);
  probe = bfk_contract_encode_register_member (&member, COMMUNITY_ID);
  if (!bfk_rpc_client_estimate_gas (chain->rpc, bfk_sender_get_address (chain->sender),
                                    &chain->contract, BFK_U256_ZERO, probe, &gas, NULL, error))
    return FALSE;
  chain->gas_limit = gas + gas / 5;
  return TRUE;
}

static gboolean
read_member_count (Chain    *chain,
                   guint64  *count,
                   GError  **error)
{
  BfkCommunityInfo info = { 0 };

  if (!bfk_contract_read_community (chain->rpc, &chain->contract, COMMUNITY_ID, &info, error))
    return FALSE;
  *count = info.members;
  bfk_community_info_clear (&info);
  return TRUE;
}

/* --- confirming -------------------------------------------------------------- */

static JsonNode *
hash_params (const guint8 *hash)
{
  gchar hex[2 + 2 * BFK_HASH_SIZE + 1] = "0x";
  JsonArray *array = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  bfk_hex_encode_to (hash, BFK_HASH_SIZE, hex + 2);
  json_array_add_string_element (array, hex);
  json_node_take_array (node, array);
  return node;
}

/* Waits until every transaction has a receipt, asking for all those still
 * missing in JSON-RPC batches (one round trip per RECEIPT_BATCH, not one per
 * transaction).  FALSE when one failed or did not come in time. */
static gboolean
confirm_receipts (BfkRpcClient  *rpc,
                  const guint8  *hashes,
                  gsize          n,
                  guint         *rounds,
                  GError       **error)
{
  g_autoptr(GArray) pending = g_array_sized_new (FALSE, FALSE, sizeof (gsize), (guint) n);
  gint64 deadline = g_get_monotonic_time () + CONFIRM_TIMEOUT_US;

  for (gsize i = 0; i < n; i++)
    g_array_append_val (pending, i);
  *rounds = 0;

  while (pending->len > 0)
    {
      g_autoptr(GArray) still = g_array_new (FALSE, FALSE, sizeof (gsize));

      (*rounds)++;
      for (guint first = 0; first < pending->len; first += RECEIPT_BATCH)
        {
          guint count = MIN (RECEIPT_BATCH, pending->len - first);
          g_autofree BfkRpcRequest *requests = g_new0 (BfkRpcRequest, count);
          g_autoptr(GPtrArray) responses = NULL;

          for (guint j = 0; j < count; j++)
            {
              gsize i = g_array_index (pending, gsize, first + j);

              requests[j].method = "eth_getTransactionReceipt";
              requests[j].params = hash_params (hashes + i * BFK_HASH_SIZE);
            }
          responses = bfk_rpc_client_call_batch (rpc, requests, count, error);
          for (guint j = 0; j < count; j++)
            json_node_unref (requests[j].params);
          if (responses == NULL)
            return FALSE;

          for (guint j = 0; j < count; j++)
            {
              BfkRpcResponse *r = g_ptr_array_index (responses, j);
              gsize i = g_array_index (pending, gsize, first + j);
              const gchar *status;

              if (r->error != NULL)
                {
                  g_propagate_error (error, g_steal_pointer (&r->error));
                  return FALSE;
                }
              if (JSON_NODE_HOLDS_NULL (r->result))
                {
                  g_array_append_val (still, i);
                  continue;
                }
              status = JSON_NODE_HOLDS_OBJECT (r->result)
                ? json_object_get_string_member_with_default (json_node_get_object (r->result),
                                                              "status", NULL)
                : NULL;
              if (g_strcmp0 (status, "0x1") != 0)
                {
                  g_autofree gchar *hex = bfk_hex_encode (hashes + i * BFK_HASH_SIZE, BFK_HASH_SIZE);

                  g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_REVERTED,
                               "Transaction %" G_GSIZE_FORMAT " (%s) failed: status %s",
                               i, hex, status ? status : "missing");
                  return FALSE;
                }
            }
        }

      g_array_unref (pending);
      pending = g_steal_pointer (&still);
      if (pending->len > 0)
        {
          if (g_get_monotonic_time () > deadline)
            {
              g_autoptr(JsonNode) pool = bfk_rpc_client_call (rpc, "txpool_status", NULL, NULL);
              g_autofree gchar *pool_text = pool ? json_to_string (pool, FALSE) : g_strdup ("?");

              g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_TIMEOUT,
                           "%u transactions still not mined (the first: number %" G_GSIZE_FORMAT
                           "); txpool_status: %s", pending->len,
                           g_array_index (pending, gsize, 0), pool_text);
              return FALSE;
            }
          g_usleep (2000);
        }
    }
  return TRUE;
}

/* communityOf of every member, in batches of eth_call. */
static gboolean
verify_members (Chain            *chain,
                const BfkAddress *members,
                gsize             n,
                GError          **error)
{
  gchar to[BFK_ADDRESS_STRING_SIZE];
  guint64 count = 0;

  if (!read_member_count (chain, &count, error))
    return FALSE;
  if (count != n)
    {
      g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_NODE,
                   "Community %d has %" G_GUINT64_FORMAT " members, not %" G_GSIZE_FORMAT,
                   COMMUNITY_ID, count, n);
      return FALSE;
    }
  if (members == NULL)
    return TRUE;

  bfk_address_to_string_buf (&chain->contract, to);
  for (gsize first = 0; first < n; first += RECEIPT_BATCH)
    {
      gsize batch = MIN (RECEIPT_BATCH, n - first);
      g_autofree BfkRpcRequest *requests = g_new0 (BfkRpcRequest, batch);
      g_autoptr(GPtrArray) responses = NULL;

      for (gsize j = 0; j < batch; j++)
        {
          /* encode_view takes the arguments. */
          BfkAbiValue *args =
            bfk_abi_value_new_tuple_of (bfk_abi_value_new_address (&members[first + j]), NULL);
          g_autoptr(GBytes) data = bfk_contract_encode_view ("communityOf", args, error);
          g_autofree gchar *hex = NULL;
          JsonObject *call = json_object_new ();
          JsonArray *params = json_array_new ();

          if (data == NULL)
            return FALSE;
          hex = bfk_hex_encode (g_bytes_get_data (data, NULL), g_bytes_get_size (data));
          json_object_set_string_member (call, "to", to);
          json_object_set_string_member (call, "data", hex);
          json_array_add_object_element (params, call);
          json_array_add_string_element (params, "latest");
          requests[j].method = "eth_call";
          requests[j].params = json_node_init_array (json_node_alloc (), params);
          json_array_unref (params);
        }
      responses = bfk_rpc_client_call_batch (chain->rpc, requests, batch, error);
      for (gsize j = 0; j < batch; j++)
        json_node_unref (requests[j].params);
      if (responses == NULL)
        return FALSE;
      for (gsize j = 0; j < batch; j++)
        {
          BfkRpcResponse *r = g_ptr_array_index (responses, j);
          g_autoptr(GBytes) out = NULL;
          g_autoptr(BfkAbiValue) value = NULL;

          if (r->error != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&r->error));
              return FALSE;
            }
          out = bfk_hex_decode (json_node_get_string (r->result), error);
          if (out == NULL || (value = bfk_contract_decode_view ("communityOf", out, error)) == NULL)
            return FALSE;
          if (bfk_abi_value_get_uint64 (bfk_abi_value_get_child (value, 0)) != COMMUNITY_ID)
            {
              g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_NODE,
                           "Member %" G_GSIZE_FORMAT " is not in community %d", first + j, COMMUNITY_ID);
              return FALSE;
            }
        }
    }
  return TRUE;
}

static GBytes **
make_calldata (const BfkAddress *members,
               gsize             n)
{
  GBytes **calldata = g_new0 (GBytes *, n + 1);

  for (gsize i = 0; i < n; i++)
    calldata[i] = bfk_contract_encode_register_member (&members[i], COMMUNITY_ID);
  return calldata;
}

static void
free_calldata (GBytes **calldata)
{
  for (gsize i = 0; calldata[i] != NULL; i++)
    g_bytes_unref (calldata[i]);
  g_free (calldata);
}

/* Signs one registerMember per member, with consecutive nonces from the
 * sender's next one, as bfk_sender_send_pipelined does. */
static GPtrArray *
sign_all (Chain            *chain,
          const BfkFees    *fees,
          const BfkAddress *members,
          gsize             n,
          guint8           *hashes,
          GError          **error)
{
  g_autoptr(GPtrArray) raws = g_ptr_array_new_full ((guint) n, (GDestroyNotify) g_bytes_unref);
  g_autoptr(GByteArray) buf = g_byte_array_new ();
  BfkRlpWriter scratch;

  bfk_rlp_writer_init (&scratch);
  for (gsize i = 0; i < n; i++)
    {
      g_autoptr(GBytes) data = bfk_contract_encode_register_member (&members[i], COMMUNITY_ID);
      BfkTx tx = {
        .type = BFK_TX_EIP1559,
        .chain_id = chain->chain_id,
        .nonce = bfk_sender_get_next_nonce (chain->sender) + i,
        .gas_limit = chain->gas_limit,
        .max_priority_fee_per_gas = fees->max_priority_fee_per_gas,
        .max_fee_per_gas = fees->max_fee_per_gas,
        .to = chain->contract,
        .has_to = TRUE,
      };

      tx.data = g_bytes_get_data (data, &tx.data_len);
      if (!bfk_tx_sign_into (&tx, &chain->key, &scratch, buf, hashes + i * BFK_HASH_SIZE, error))
        {
          bfk_rlp_writer_clear (&scratch);
          return NULL;
        }
      g_ptr_array_add (raws, g_bytes_new (buf->data, buf->len));
    }
  bfk_rlp_writer_clear (&scratch);
  return g_steal_pointer (&raws);
}

/* The same as bfk_sender_send_pipelined, with the batch size and the
 * number of batches in flight chosen: to find the best ones. */
static gboolean
send_direct (Chain            *chain,
             const BfkAddress *members,
             gsize             n,
             guint8           *hashes,
             GError          **error)
{
  g_autoptr(GPtrArray) raws = NULL;
  g_autoptr(GPtrArray) results = NULL;
  BfkFees fees;

  if (!bfk_fees_suggest (chain->rpc, chain->chain_id, &fees, error) ||
      (raws = sign_all (chain, &fees, members, n, hashes, error)) == NULL)
    return FALSE;
  results = bfk_rpc_client_send_raw_transactions (chain->rpc, (GBytes * const *) raws->pdata, n,
                                                  (guint) opt_batch_size, (guint) opt_in_flight);
  for (gsize i = 0; i < n; i++)
    {
      BfkSendResult *r = g_ptr_array_index (results, i);

      if (r->error != NULL)
        {
          g_propagate_prefixed_error (error, g_steal_pointer (&r->error),
                                      "Transaction %" G_GSIZE_FORMAT ": ", i);
          return FALSE;
        }
    }
  return TRUE;
}

/* --- c: the sender, pipelined ----------------------------------------------- */

static JsonObject *
bench_c (gsize    n,
         GError **error)
{
  g_auto(Chain) chain = { 0 };
  g_autofree BfkAddress *members = g_new (BfkAddress, n);
  g_autofree guint8 *hashes = g_malloc (n * BFK_HASH_SIZE);
  g_autoptr(GPtrArray) sent = NULL;
  GBytes **calldata;
  JsonObject *out;
  gint64 start;
  gdouble send_s, total_s;
  guint rounds, requests_before;
  gboolean direct = opt_batch_size > 0 || opt_in_flight > 0;

  if (!chain_setup (&chain, error))
    return NULL;
  for (gsize i = 0; i < n; i++)
    random_address (&members[i]);
  calldata = make_calldata (members, n);

  requests_before = bfk_rpc_client_get_request_count (chain.rpc);
  start = g_get_monotonic_time ();
  if (direct)
    {
      gboolean ok = send_direct (&chain, members, n, hashes, error);

      send_s = seconds_since (start);
      free_calldata (calldata);
      if (!ok)
        return NULL;
    }
  else
    {
      sent = bfk_sender_send_pipelined (chain.sender, &chain.contract, calldata, n, chain.gas_limit,
                                        error);
      send_s = seconds_since (start);
      free_calldata (calldata);
      if (sent == NULL)
        return NULL;
      for (gsize i = 0; i < n; i++)
        memcpy (hashes + i * BFK_HASH_SIZE, g_bytes_get_data (g_ptr_array_index (sent, i), NULL),
                BFK_HASH_SIZE);
    }
  if (!confirm_receipts (chain.rpc, hashes, n, &rounds, error))
    return NULL;
  total_s = seconds_since (start);

  if (!verify_members (&chain, members, n, error))
    return NULL;

  out = json_object_new ();
  json_object_set_int_member (out, "count", (gint64) n);
  json_object_set_string_member (out, "path", direct ? "send_raw_transactions" : "sender");
  if (direct)
    {
      json_object_set_int_member (out, "batch_size", opt_batch_size);
      json_object_set_int_member (out, "in_flight", opt_in_flight);
    }
  json_object_set_double_member (out, "seconds", total_s);
  json_object_set_double_member (out, "tx_per_s", n / total_s);
  json_object_set_double_member (out, "sign_and_send_s", send_s);
  json_object_set_double_member (out, "confirm_s", total_s - send_s);
  json_object_set_int_member (out, "receipt_rounds", rounds);
  json_object_set_int_member (out, "http_requests",
                              bfk_rpc_client_get_request_count (chain.rpc) - requests_before);
  return out;
}

/* --- ethers ------------------------------------------------------------------- */

static gchar *
source_dir (void)
{
  const gchar *env = g_getenv ("BAFOKA_SOURCE_DIR");

  return g_strdup (env != NULL && env[0] != '\0' ? env : BENCH_SOURCE_DIR);
}

static JsonObject *
bench_ethers (gsize         n,
              const gchar  *mode,
              GError      **error)
{
  g_auto(Chain) chain = { 0 };
  g_autofree gchar *src = source_dir ();
  g_autofree gchar *script = g_build_filename (src, "tests", "bench", "ethers-register.mjs", NULL);
  g_autofree gchar *contract = NULL;
  g_autofree gchar *count = g_strdup_printf ("%" G_GSIZE_FORMAT, n);
  g_autofree gchar *stdout_text = NULL;
  g_autoptr(GSubprocess) node = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *result;
  guint64 members = 0;

  if (!chain_setup (&chain, error))
    return NULL;
  contract = bfk_address_to_string (&chain.contract);

  node = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, error,
                           opt_node ? opt_node : "node", script,
                           bfk_rpc_client_get_url (chain.rpc), contract,
                           BFK_LOCAL_NODE_DEV_PRIVATE_KEY, count, mode, NULL);
  if (node == NULL ||
      !g_subprocess_communicate_utf8 (node, NULL, NULL, &stdout_text, NULL, error))
    return NULL;
  if (!g_subprocess_get_successful (node))
    {
      g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_NODE, "ethers-register.mjs failed");
      return NULL;
    }
  if (!json_parser_load_from_data (parser, stdout_text, -1, error))
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_DECODE, "ethers-register.mjs: %s", stdout_text);
      return NULL;
    }

  /* ethers checked the last receipt; the count on chain covers the rest. */
  if (!read_member_count (&chain, &members, error))
    return NULL;
  if (members != n)
    {
      g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_NODE,
                   "ethers: %" G_GUINT64_FORMAT " members on chain, not %" G_GSIZE_FORMAT, members, n);
      return NULL;
    }
  result = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
  return result;
}

/* --- ceiling: pre-signed, one request per transaction, in parallel ------------- */

typedef struct
{
  CURL              *easy;
  struct curl_slist *headers;
  GString           *body;
  GString           *answer;
  gsize              index;
} Slot;

static size_t
slot_write (char   *ptr,
            size_t  size,
            size_t  nmemb,
            void   *data)
{
  g_string_append_len (((Slot *) data)->answer, ptr, (gssize) (size * nmemb));
  return size * nmemb;
}

static void
slot_start (Slot     *slot,
            CURLM    *multi,
            GBytes   *raw,
            gsize     index)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (raw, &len);
  gsize at;

  slot->index = index;
  g_string_truncate (slot->answer, 0);
  g_string_printf (slot->body,
                   "{\"jsonrpc\":\"2.0\",\"id\":%" G_GSIZE_FORMAT
                   ",\"method\":\"eth_sendRawTransaction\",\"params\":[\"0x", index);
  at = slot->body->len;
  g_string_set_size (slot->body, at + 2 * len);
  bfk_hex_encode_to (data, len, slot->body->str + at);
  g_string_set_size (slot->body, at + 2 * len);
  g_string_append (slot->body, "\"]}");
  curl_easy_setopt (slot->easy, CURLOPT_POSTFIELDS, slot->body->str);
  curl_easy_setopt (slot->easy, CURLOPT_POSTFIELDSIZE, (long) slot->body->len);
  curl_multi_add_handle (multi, slot->easy);
}

/* Sends every raw transaction in its own HTTP request, with k requests in
 * flight on k kept-alive connections. */
static gboolean
send_parallel (const gchar *url,
               GPtrArray   *raws,
               guint        k,
               GError     **error)
{
  CURLM *multi = curl_multi_init ();
  g_autofree Slot *slots = g_new0 (Slot, k);
  gsize next = 0, done = 0;
  gboolean ok = TRUE;

  curl_multi_setopt (multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long) k);
  for (guint i = 0; i < k; i++)
    {
      Slot *s = &slots[i];

      s->easy = curl_easy_init ();
      s->body = g_string_sized_new (512);
      s->answer = g_string_sized_new (128);
      s->headers = curl_slist_append (NULL, "Content-Type: application/json");
      curl_easy_setopt (s->easy, CURLOPT_URL, url);
      curl_easy_setopt (s->easy, CURLOPT_HTTPHEADER, s->headers);
      curl_easy_setopt (s->easy, CURLOPT_WRITEFUNCTION, slot_write);
      curl_easy_setopt (s->easy, CURLOPT_WRITEDATA, s);
      curl_easy_setopt (s->easy, CURLOPT_PRIVATE, s);
      curl_easy_setopt (s->easy, CURLOPT_TCP_NODELAY, 1L);
      if (next < raws->len)
        {
          slot_start (s, multi, g_ptr_array_index (raws, next), next);
          next++;
        }
    }

  while (done < raws->len && ok)
    {
      CURLMsg *msg;
      int running, left;

      curl_multi_perform (multi, &running);
      while ((msg = curl_multi_info_read (multi, &left)) != NULL)
        {
          Slot *s;

          if (msg->msg != CURLMSG_DONE)
            continue;
          curl_easy_getinfo (msg->easy_handle, CURLINFO_PRIVATE, (char **) &s);
          curl_multi_remove_handle (multi, s->easy);
          if (msg->data.result != CURLE_OK || strstr (s->answer->str, "\"result\"") == NULL)
            {
              g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_NODE,
                           "Transaction %" G_GSIZE_FORMAT " was refused: %s %s", s->index,
                           curl_easy_strerror (msg->data.result), s->answer->str);
              ok = FALSE;
              break;
            }
          done++;
          if (next < raws->len)
            {
              slot_start (s, multi, g_ptr_array_index (raws, next), next);
              next++;
            }
        }
      if (ok && done < raws->len)
        curl_multi_poll (multi, NULL, 0, 100, NULL);
    }

  for (guint i = 0; i < k; i++)
    {
      curl_multi_remove_handle (multi, slots[i].easy);
      curl_easy_cleanup (slots[i].easy);
      curl_slist_free_all (slots[i].headers);
      g_string_free (slots[i].body, TRUE);
      g_string_free (slots[i].answer, TRUE);
    }
  curl_multi_cleanup (multi);
  return ok;
}

static JsonObject *
bench_ceiling (gsize    n,
               GError **error)
{
  g_auto(Chain) chain = { 0 };
  g_autofree BfkAddress *members = g_new (BfkAddress, n);
  g_autofree guint8 *hashes = g_malloc (n * BFK_HASH_SIZE);
  g_autoptr(GPtrArray) raws = NULL;
  BfkFees fees;
  JsonObject *out;
  gint64 start;
  gdouble accept_s, total_s;
  guint rounds;

  if (!chain_setup (&chain, error) || !bfk_fees_suggest (chain.rpc, chain.chain_id, &fees, error))
    return NULL;
  for (gsize i = 0; i < n; i++)
    random_address (&members[i]);
  raws = sign_all (&chain, &fees, members, n, hashes, error);
  if (raws == NULL)
    return NULL;

  start = g_get_monotonic_time ();
  if (!send_parallel (bfk_rpc_client_get_url (chain.rpc), raws, (guint) opt_connections, error))
    return NULL;
  accept_s = seconds_since (start);
  if (!confirm_receipts (chain.rpc, hashes, n, &rounds, error))
    return NULL;
  total_s = seconds_since (start);
  if (!verify_members (&chain, members, n, error))
    return NULL;

  out = json_object_new ();
  json_object_set_int_member (out, "count", (gint64) n);
  json_object_set_int_member (out, "connections", opt_connections);
  json_object_set_double_member (out, "accept_s", accept_s);
  json_object_set_double_member (out, "tx_per_s", n / accept_s);
  json_object_set_double_member (out, "mined_s", total_s);
  json_object_set_double_member (out, "mined_tx_per_s", n / total_s);
  return out;
}

/* ------------------------------------------------------------------------------- */

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- registerMember submission benchmark");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) report = json_object_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree gchar *line = NULL;
  JsonObject *c = NULL, *ethers = NULL, *ethers_tuned = NULL, *ceiling = NULL;
  gsize n;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    g_error ("%s", error->message);
  if (opt_count <= 0 || opt_connections <= 0)
    g_error ("--count and --connections must be positive");
  if (opt_url != NULL && wanted ("ethers"))
    g_error ("--url measures one node: use it with --only c or --only ceiling");
  n = (gsize) opt_count;
  curl_global_init (CURL_GLOBAL_DEFAULT);

  json_object_set_string_member (report, "bench", "submit");
  json_object_set_int_member (report, "count", (gint64) n);
  if (wanted ("c"))
    {
      if ((c = bench_c (n, &error)) == NULL)
        g_error ("c: %s", error->message);
      json_object_set_object_member (report, "c", c);
    }
  if (wanted ("ethers"))
    {
      const gchar *tuned = opt_ethers_tuned_mode ? opt_ethers_tuned_mode : "noncemanager,nobatch";

      if ((ethers = bench_ethers (n, opt_ethers_mode ? opt_ethers_mode : "noncemanager", &error)) == NULL)
        g_error ("ethers: %s", error->message);
      json_object_set_object_member (report, "ethers", ethers);
      if (tuned[0] != '\0')
        {
          if ((ethers_tuned = bench_ethers (n, tuned, &error)) == NULL)
            g_error ("ethers (%s): %s", tuned, error->message);
          json_object_set_object_member (report, "ethers_tuned", ethers_tuned);
        }
    }
  if (wanted ("ceiling"))
    {
      if ((ceiling = bench_ceiling (n, &error)) == NULL)
        g_error ("ceiling: %s", error->message);
      json_object_set_object_member (report, "ceiling", ceiling);
    }
  if (c != NULL && ethers != NULL)
    json_object_set_double_member (report, "c_vs_ethers",
                                   json_object_get_double_member (c, "tx_per_s") /
                                   json_object_get_double_member (ethers, "tx_per_s"));
  if (c != NULL && ethers_tuned != NULL)
    json_object_set_double_member (report, "c_vs_ethers_tuned",
                                   json_object_get_double_member (c, "tx_per_s") /
                                   json_object_get_double_member (ethers_tuned, "tx_per_s"));
  if (c != NULL && ceiling != NULL)
    json_object_set_double_member (report, "c_vs_ceiling",
                                   json_object_get_double_member (c, "tx_per_s") /
                                   json_object_get_double_member (ceiling, "tx_per_s"));

  root = json_node_init_object (json_node_alloc (), report);
  line = json_to_string (root, FALSE);
  g_print ("%s\n", line);
  return 0;
}
