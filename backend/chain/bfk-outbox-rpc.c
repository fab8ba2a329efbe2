/* bfk-outbox-rpc.c: what the outbox asks the node, in JSON-RPC batches:
 * one round trip for the receipts of a whole batch, one for its gas
 * estimates and the signer's nonce, one for the nonce counts; and the
 * sending of signed transactions from a thread. */
#include "bfk-outbox-rpc.h"

#include "bfk-chain-error.h"
#include "bfk-hex.h"
#include "bfk-rpc-private.h"

#include <string.h>

/* Requests in one HTTP POST: a receipt answer is about 1 KiB. */
#define BATCH_CHUNK 200

static JsonNode *
hash_params (const guint8 hash[BFK_HASH_SIZE])
{
  JsonArray *array;
  JsonNode *node = bfk_rpc_params_new (&array);
  g_autofree gchar *hex = bfk_hex_encode (hash, BFK_HASH_SIZE);

  json_array_add_string_element (array, hex);
  return node;
}

/* The parameters of eth_estimateGas, or of eth_call on "latest". */
static JsonNode *
call_params (const BfkAddress *from,
             const BfkAddress *to,
             GBytes           *data,
             gboolean          with_block)
{
  JsonArray *array;
  JsonNode *node = bfk_rpc_params_new (&array);
  JsonObject *call = json_object_new ();
  gchar text[BFK_ADDRESS_STRING_SIZE];
  gsize len;
  const guint8 *bytes = g_bytes_get_data (data, &len);
  g_autofree gchar *hex = bfk_hex_encode (bytes, len);

  bfk_address_to_string_buf (from, text);
  json_object_set_string_member (call, "from", text);
  bfk_address_to_string_buf (to, text);
  json_object_set_string_member (call, "to", text);
  json_object_set_string_member (call, "data", hex);
  json_array_add_object_element (array, call);
  if (with_block)
    json_array_add_string_element (array, "latest");
  return node;
}

static void
free_params (BfkRpcRequest *requests,
             guint          n)
{
  for (guint i = 0; i < n; i++)
    g_clear_pointer (&requests[i].params, json_node_unref);
}

static gboolean
parse_receipt (JsonNode          *result,
               BfkOutboxReceipt  *out,
               GError           **error)
{
  JsonObject *object;
  guint64 status = 0;

  if (!JSON_NODE_HOLDS_OBJECT (result))
    {
      g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_DECODE,
                   "eth_getTransactionReceipt answered with something that is not a receipt");
      return FALSE;
    }
  object = json_node_get_object (result);
  memset (out, 0, sizeof *out);
  if (!bfk_rpc_get_u64_member (object, "status", &status, error)
      || !bfk_rpc_get_u64_member (object, "blockNumber", &out->block_number, error)
      || !bfk_rpc_get_hash_member (object, "blockHash", out->block_hash, error)
      || !bfk_rpc_get_hash_member (object, "transactionHash", out->tx_hash, error)
      || !bfk_rpc_get_u64_member (object, "gasUsed", &out->gas_used, error))
    return FALSE;
  out->status = status == 1;
  if (json_object_has_member (object, "effectiveGasPrice"))
    bfk_rpc_get_u256_member (object, "effectiveGasPrice", &out->effective_gas_price, NULL);
  return TRUE;
}

GPtrArray *
bfk_outbox_rpc_receipts (BfkRpcClient  *rpc,
                         GArray        *hashes,
                         GError       **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_full (hashes->len, g_free);

  for (guint first = 0; first < hashes->len; first += BATCH_CHUNK)
    {
      guint n = MIN (BATCH_CHUNK, hashes->len - first);
      g_autofree BfkRpcRequest *requests = g_new0 (BfkRpcRequest, n);
      g_autoptr(GPtrArray) responses = NULL;

      for (guint i = 0; i < n; i++)
        {
          requests[i].method = "eth_getTransactionReceipt";
          requests[i].params = hash_params (&g_array_index (hashes, BfkOutboxHash, first + i).bytes[0]);
        }
      responses = bfk_rpc_client_call_batch (rpc, requests, n, error);
      free_params (requests, n);
      if (responses == NULL)
        return NULL;

      for (guint i = 0; i < n; i++)
        {
          BfkRpcResponse *r = g_ptr_array_index (responses, i);
          g_autofree BfkOutboxReceipt *receipt = NULL;

          if (r->error != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&r->error));
              return NULL;
            }
          if (!JSON_NODE_HOLDS_NULL (r->result))
            {
              receipt = g_new0 (BfkOutboxReceipt, 1);
              if (!parse_receipt (r->result, receipt, error))
                return NULL;
            }
          g_ptr_array_add (out, g_steal_pointer (&receipt));
        }
    }
  return g_steal_pointer (&out);
}

/* Kinds whose gas hardly depends on the state: one estimate per batch
 * serves them all, and the others only run the call (eth_call executes
 * once; eth_estimateGas searches, executing several times).  "Hardly":
 * the first member of a community costs a third more (its counters go from
 * zero), so an estimate serves only the operations of its own community,
 * the last word of registerMember's calldata; and the batch's first of a
 * community, estimated before any of the batch, is the dearest case. */
static gboolean
gas_is_well_known (BfkOpKind kind)
{
  return kind == BFK_OP_REGISTER_MEMBER;
}

static gboolean
same_estimate (const BfkOutboxOp *a,
               const BfkOutboxOp *b)
{
  gsize la, lb;
  const guint8 *da = g_bytes_get_data (a->calldata, &la);
  const guint8 *db = g_bytes_get_data (b->calldata, &lb);

  return a->kind == b->kind && la == lb && la >= 32 && memcmp (da + la - 32, db + lb - 32, 32) == 0;
}

gboolean
bfk_outbox_rpc_prepare (BfkRpcClient      *rpc,
                        const BfkAddress  *signer,
                        GPtrArray         *ops,
                        guint64           *latest_nonce,
                        guint64           *gas,
                        GError           **errors,
                        GError           **error)
{
  guint n = ops->len + 1;
  g_autofree BfkRpcRequest *requests = g_new0 (BfkRpcRequest, n);
  g_autofree gint *template = g_new (gint, ops->len);
  g_autoptr(GPtrArray) responses = NULL;
  JsonArray *array;
  BfkRpcResponse *r;

  requests[0].method = "eth_getTransactionCount";
  requests[0].params = bfk_rpc_params_new (&array);
  bfk_rpc_params_add_address (array, signer);
  json_array_add_string_element (array, "latest");
  for (guint i = 0; i < ops->len; i++)
    {
      BfkOutboxOp *op = g_ptr_array_index (ops, i);

      template[i] = -1;
      for (guint t = 0; gas_is_well_known (op->kind) && t < i && template[i] < 0; t++)
        if (template[t] < 0 && same_estimate (g_ptr_array_index (ops, t), op))
          template[i] = (gint) t;
      requests[i + 1].method = template[i] >= 0 ? "eth_call" : "eth_estimateGas";
      requests[i + 1].params = call_params (signer, &op->target, op->calldata, template[i] >= 0);
    }
  responses = bfk_rpc_client_call_batch (rpc, requests, n, error);
  free_params (requests, n);
  if (responses == NULL)
    return FALSE;

  r = g_ptr_array_index (responses, 0);
  if (r->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&r->error));
      return FALSE;
    }
  if (!bfk_rpc_result_u64 (r->result, "eth_getTransactionCount", latest_nonce, error))
    return FALSE;

  for (guint i = 0; i < ops->len; i++)
    {
      r = g_ptr_array_index (responses, i + 1);
      gas[i] = 0;
      if (r->error != NULL)
        errors[i] = g_steal_pointer (&r->error);
      else if (template[i] >= 0)
        gas[i] = gas[template[i]];
      else
        bfk_rpc_result_u64 (r->result, "eth_estimateGas", &gas[i], &errors[i]);
      /* The template's own estimate failed: this one has no figure yet. */
      if (errors[i] == NULL && gas[i] == 0)
        g_set_error (&errors[i], BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_NODE,
                     "No gas estimate for this operation yet");
    }
  return TRUE;
}

gboolean
bfk_outbox_rpc_survey (BfkRpcClient      *rpc,
                       const BfkAddress  *balance_of,
                       BfkU256           *balance,
                       const BfkAddress  *signers,
                       guint              n,
                       guint64           *head,
                       guint64           *latest,
                       guint64           *pending,
                       GError           **error)
{
  guint first = balance_of != NULL ? 2 : 1;
  guint total = first + 2 * n;
  g_autofree BfkRpcRequest *requests = g_new0 (BfkRpcRequest, total);
  g_autoptr(GPtrArray) responses = NULL;
  JsonArray *array;

  requests[0].method = "eth_blockNumber";
  if (balance_of != NULL)
    {
      requests[1].method = "eth_getBalance";
      requests[1].params = bfk_rpc_params_new (&array);
      bfk_rpc_params_add_address (array, balance_of);
      json_array_add_string_element (array, "latest");
    }
  for (guint i = 0; i < 2 * n; i++)
    {
      requests[first + i].method = "eth_getTransactionCount";
      requests[first + i].params = bfk_rpc_params_new (&array);
      bfk_rpc_params_add_address (array, &signers[i / 2]);
      json_array_add_string_element (array, i % 2 == 0 ? "latest" : "pending");
    }
  responses = bfk_rpc_client_call_batch (rpc, requests, total, error);
  free_params (requests, total);
  if (responses == NULL)
    return FALSE;

  for (guint i = 0; i < total; i++)
    {
      BfkRpcResponse *r = g_ptr_array_index (responses, i);

      if (r->error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&r->error));
          return FALSE;
        }
    }
  if (!bfk_rpc_result_u64 (((BfkRpcResponse *) g_ptr_array_index (responses, 0))->result,
                           "eth_blockNumber", head, error))
    return FALSE;
  if (balance_of != NULL
      && !bfk_rpc_result_u256 (((BfkRpcResponse *) g_ptr_array_index (responses, 1))->result,
                               "eth_getBalance", balance, error))
    return FALSE;
  for (guint i = 0; i < 2 * n; i++)
    {
      BfkRpcResponse *r = g_ptr_array_index (responses, first + i);

      if (!bfk_rpc_result_u64 (r->result, "eth_getTransactionCount",
                               i % 2 == 0 ? &latest[i / 2] : &pending[i / 2], error))
        return FALSE;
    }
  return TRUE;
}

struct _BfkOutboxSend
{
  BfkRpcClient *rpc;
  GPtrArray    *raws;
  guint         chunk;
  GPtrArray    *results;
  GThread      *thread;
};

static gpointer
send_thread (gpointer data)
{
  BfkOutboxSend *send = data;

  send->results = bfk_rpc_client_send_raw_transactions (send->rpc,
                                                        (GBytes * const *) send->raws->pdata,
                                                        send->raws->len, send->chunk, 1);
  return NULL;
}

BfkOutboxSend *
bfk_outbox_rpc_send_start (BfkRpcClient *rpc,
                           GPtrArray    *raws,
                           guint         chunk)
{
  BfkOutboxSend *send = g_new0 (BfkOutboxSend, 1);

  send->rpc = bfk_rpc_client_ref (rpc);
  send->raws = g_ptr_array_ref (raws);
  send->chunk = chunk;
  send->thread = g_thread_new ("bfk-outbox-send", send_thread, send);
  return send;
}

GPtrArray *
bfk_outbox_rpc_send_finish (BfkOutboxSend *send)
{
  GPtrArray *results;

  g_thread_join (send->thread);
  results = send->results;
  g_ptr_array_unref (send->raws);
  bfk_rpc_client_unref (send->rpc);
  g_free (send);
  return results;
}

gchar *
bfk_outbox_rpc_revert_reason (BfkRpcClient           *rpc,
                              const BfkOutboxOp      *op,
                              const BfkOutboxReceipt *receipt,
                              guint64                 gas_limit)
{
  g_autoptr(GError) replay_error = NULL;
  g_autoptr(GBytes) out = NULL;
  gchar block[19];

  if (gas_limit > 0 && receipt->gas_used >= gas_limit)
    return g_strdup_printf ("The transaction ran out of gas (it used all %" G_GUINT64_FORMAT ")",
                            gas_limit);

  /* A receipt carries no reason: the call replayed on its block's state
   * gives the contract's revert data back. */
  bfk_rpc_quantity (receipt->block_number, block);
  out = bfk_rpc_client_call_contract (rpc, &op->signer, &op->target, op->calldata, block,
                                      NULL, &replay_error);
  if (g_error_matches (replay_error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_REVERTED))
    return g_strdup (replay_error->message);
  return g_strdup ("The contract refused it on chain (the reason could not be read back)");
}
