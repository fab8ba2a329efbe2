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

/* What an estimate of op serves, as a key of a memo: its kind and the last
 * word of its calldata; NULL when it serves only op. */
static GBytes *
estimate_key (const BfkOutboxOp *op)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (op->calldata, &len);
  guint8 key[1 + 32];

  if (!gas_is_well_known (op->kind) || len < 32)
    return NULL;
  key[0] = (guint8) op->kind;
  memcpy (key + 1, data + len - 32, 32);
  return g_bytes_new (key, sizeof key);
}

GHashTable *
bfk_outbox_rpc_gas_memo_new (void)
{
  return g_hash_table_new_full (g_bytes_hash, g_bytes_equal, (GDestroyNotify) g_bytes_unref,
                                g_free);
}

gboolean
bfk_outbox_rpc_prepare (BfkRpcClient      *rpc,
                        const BfkAddress  *signer,
                        GPtrArray         *ops,
                        GHashTable        *memo,
                        guint64           *latest_nonce,
                        guint64           *gas,
                        GError           **errors,
                        GError           **error)
{
  guint n = ops->len + 1;
  g_autofree BfkRpcRequest *requests = g_new0 (BfkRpcRequest, n);
  g_autofree gint *template = g_new (gint, ops->len);
  g_autofree guint64 *known = g_new0 (guint64, ops->len);
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

      g_autoptr(GBytes) key = memo != NULL ? estimate_key (op) : NULL;
      guint64 *memorised = key != NULL ? g_hash_table_lookup (memo, key) : NULL;

      template[i] = -1;
      if (memorised != NULL)
        known[i] = *memorised;
      for (guint t = 0; known[i] == 0 && gas_is_well_known (op->kind) && t < i && template[i] < 0; t++)
        if (template[t] < 0 && known[t] == 0 && same_estimate (g_ptr_array_index (ops, t), op))
          template[i] = (gint) t;
      requests[i + 1].method = template[i] >= 0 || known[i] > 0 ? "eth_call" : "eth_estimateGas";
      requests[i + 1].params = call_params (signer, &op->target, op->calldata,
                                            template[i] >= 0 || known[i] > 0);
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
      else if (known[i] > 0)
        gas[i] = known[i];
      else if (template[i] >= 0)
        gas[i] = gas[template[i]];
      else if (bfk_rpc_result_u64 (r->result, "eth_estimateGas", &gas[i], &errors[i])
               && memo != NULL && gas[i] > 0)
        {
          GBytes *key = estimate_key (g_ptr_array_index (ops, i));

          if (key != NULL)
            g_hash_table_insert (memo, key, g_memdup2 (&gas[i], sizeof gas[i]));
        }
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

/* Unmined transactions below a chunk that keep the node's miner busy for
 * longer than the chunk takes to arrive: anvil mines a block at a time,
 * each in a fraction of a millisecond; a request arrives in less. */
#define MINING_AHEAD 8

typedef struct
{
  BfkAddress  signer;
  guint64     first_nonce;
  GPtrArray  *raws;       /* NULL: the end of the queue */
  GPtrArray  *results;    /* NULL: not sent */
  gpointer    tag;
} PipeChunk;

struct _BfkOutboxPipe
{
  BfkRpcClient *rpc;
  guint         per_request;
  guint         gate_ms;
  GAsyncQueue  *todo;
  GAsyncQueue  *done;
  GThread      *thread;
  gint          stopped;    /* atomic */
};

static void
result_free (BfkSendResult *r)
{
  g_clear_error (&r->error);
  g_free (r);
}

static void
pipe_chunk_free (PipeChunk *c)
{
  g_clear_pointer (&c->raws, g_ptr_array_unref);
  g_clear_pointer (&c->results, g_ptr_array_unref);
  g_free (c);
}

/* Holds chunk c until the node can take it safely: once the chain has
 * mined every nonce below it, or while it still has several below it to
 * mine, so that the one just below is not being mined as c arrives (anvil
 * strands a transaction that arrives then: foundry-rs/foundry#10122).  At
 * most gate_ms; then it goes anyway. */
static void
pipe_gate (BfkOutboxPipe   *pipe,
           const PipeChunk *c)
{
  gint64 deadline = g_get_monotonic_time () + pipe->gate_ms * G_TIME_SPAN_MILLISECOND;
  guint64 latest;

  while (g_get_monotonic_time () < deadline
         && bfk_rpc_client_get_transaction_count (pipe->rpc, &c->signer, "latest", &latest, NULL)
         && latest < c->first_nonce && c->first_nonce - latest < MINING_AHEAD)
    g_usleep (500);
}

/* Whether every transaction of a sent chunk failed to reach the node. */
static gboolean
unreachable (GPtrArray *results)
{
  for (guint i = 0; i < results->len; i++)
    {
      BfkSendResult *r = g_ptr_array_index (results, i);

      if (r->error == NULL || bfk_failure_class_from_error (r->error) != BFK_FAILURE_UNREACHABLE)
        return FALSE;
    }
  return results->len > 0;
}

/* Sends the chunks of batch in one request (gated first when the pipe
 * waited for them), and hands them over with their answers. */
static void
pipe_send (BfkOutboxPipe *pipe,
           GPtrArray     *batch,
           gboolean       waited)
{
  g_autoptr(GPtrArray) raws = g_ptr_array_new ();
  g_autoptr(GPtrArray) results = NULL;
  guint next = 0;

  if (!g_atomic_int_get (&pipe->stopped))
    {
      for (guint i = 0; i < batch->len; i++)
        {
          PipeChunk *c = g_ptr_array_index (batch, i);

          g_ptr_array_extend (raws, c->raws, NULL, NULL);
        }
      if (waited && pipe->gate_ms > 0)
        pipe_gate (pipe, g_ptr_array_index (batch, 0));
      results = bfk_rpc_client_send_raw_transactions (pipe->rpc, (GBytes * const *) raws->pdata,
                                                      raws->len, raws->len, 1);
      if (unreachable (results))
        g_atomic_int_set (&pipe->stopped, TRUE);
      g_ptr_array_set_free_func (results, NULL);
    }
  for (guint i = 0; i < batch->len; i++)
    {
      PipeChunk *c = g_ptr_array_index (batch, i);

      if (results != NULL)
        {
          c->results = g_ptr_array_new_full (c->raws->len, (GDestroyNotify) result_free);
          for (guint j = 0; j < c->raws->len; j++)
            g_ptr_array_add (c->results, g_ptr_array_index (results, next++));
        }
      g_async_queue_push (pipe->done, c);
    }
}

static gpointer
pipe_thread (gpointer data)
{
  BfkOutboxPipe *pipe = data;
  /* The first chunk may follow transactions of an earlier pass. */
  gboolean waited = TRUE;

  for (;;)
    {
      g_autoptr(GPtrArray) batch = g_ptr_array_new ();
      PipeChunk *c = g_async_queue_try_pop (pipe->todo);
      gboolean end = FALSE;
      guint total = 0;

      if (c == NULL)
        {
          c = g_async_queue_pop (pipe->todo);
          waited = TRUE;
        }
      /* Chunks that queued up meanwhile go together, as one request. */
      while (c != NULL)
        {
          if (c->raws == NULL)
            {
              pipe_chunk_free (c);
              end = TRUE;
              break;
            }
          g_ptr_array_add (batch, c);
          total += c->raws->len;
          c = total < pipe->per_request ? g_async_queue_try_pop (pipe->todo) : NULL;
        }
      if (batch->len > 0)
        pipe_send (pipe, batch, waited);
      waited = FALSE;
      if (end)
        return NULL;
    }
}

BfkOutboxPipe *
bfk_outbox_rpc_pipe_new (BfkRpcClient *rpc,
                         guint         per_request,
                         guint         gate_ms)
{
  BfkOutboxPipe *pipe = g_new0 (BfkOutboxPipe, 1);

  pipe->rpc = bfk_rpc_client_ref (rpc);
  pipe->per_request = per_request;
  pipe->gate_ms = gate_ms;
  pipe->todo = g_async_queue_new ();
  pipe->done = g_async_queue_new ();
  pipe->thread = g_thread_new ("bfk-outbox-send", pipe_thread, pipe);
  return pipe;
}

void
bfk_outbox_rpc_pipe_push (BfkOutboxPipe    *pipe,
                          const BfkAddress *signer,
                          guint64           first_nonce,
                          GPtrArray        *raws,
                          gpointer          tag)
{
  PipeChunk *c = g_new0 (PipeChunk, 1);

  c->signer = *signer;
  c->first_nonce = first_nonce;
  c->raws = g_ptr_array_ref (raws);
  c->tag = tag;
  g_async_queue_push (pipe->todo, c);
}

gboolean
bfk_outbox_rpc_pipe_pop (BfkOutboxPipe  *pipe,
                         gboolean        wait,
                         gpointer       *tag,
                         GPtrArray     **results)
{
  PipeChunk *c = wait ? g_async_queue_pop (pipe->done) : g_async_queue_try_pop (pipe->done);

  if (c == NULL)
    return FALSE;
  *tag = c->tag;
  *results = g_steal_pointer (&c->results);
  pipe_chunk_free (c);
  return TRUE;
}

void
bfk_outbox_rpc_pipe_stop (BfkOutboxPipe *pipe)
{
  g_atomic_int_set (&pipe->stopped, TRUE);
}

gboolean
bfk_outbox_rpc_pipe_stopped (BfkOutboxPipe *pipe)
{
  return g_atomic_int_get (&pipe->stopped);
}

void
bfk_outbox_rpc_pipe_free (BfkOutboxPipe *pipe)
{
  if (pipe == NULL)
    return;
  g_async_queue_push (pipe->todo, g_new0 (PipeChunk, 1));
  g_thread_join (pipe->thread);
  g_async_queue_unref (pipe->todo);
  g_async_queue_unref (pipe->done);
  bfk_rpc_client_unref (pipe->rpc);
  g_free (pipe);
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
