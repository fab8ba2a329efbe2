/* bfk-outbox-send.c: the driver's way out.  An attempt is signed here,
 * stored before it leaves, and sent: again, in order, from the pass
 * itself, or fresh, through the pipe (bfk_outbox_rpc_pipe), a thread that
 * sends chunks back to back while the next ones are prepared.  What the
 * node said of each attempt is recorded here too, refusals included,
 * since the pipe's answers land in whichever phase commits next.
 *
 * Kept apart from bfk-outbox.c because the pipe's lifetime (chunks pushed,
 * owned until recorded, dropped when the node goes away) is a concern of
 * its own that every phase touches only through these functions.
 */
#include "bfk-outbox-private.h"
#include "bfk-outbox-rpc.h"

#include "bfk-tx.h"

/* Transactions per HTTP request when sending again.  One request in
 * flight, so that the node sees the nonces in order (anvil strands
 * transactions that arrive out of order at once: see bfk-sender.c). */
#define SEND_CHUNK 100
/* Transactions that queued up in the pipe and go in one request. */
#define PIPE_REQUEST_MAX 250

/* --- signing and sending -------------------------------------------------- */

gboolean
bfk_outbox_is_filler (const BfkOutboxAttempt *attempt)
{
  return attempt->gas_limit == BFK_OUTBOX_FILLER_GAS;
}

const BfkOutboxAttempt *
bfk_outbox_op_attempt (const BfkOutboxOp *op,
                       const guint8       hash[BFK_HASH_SIZE])
{
  for (guint i = 0; i < op->attempts->len; i++)
    {
      const BfkOutboxAttempt *a = g_ptr_array_index (op->attempts, i);

      if (memcmp (a->hash, hash, BFK_HASH_SIZE) == 0)
        return a;
    }
  return NULL;
}

/* filler: a zero-value transfer to the signer itself, which burns the
 * operation's nonce without calling anything. */
BfkOutboxAttempt *
bfk_outbox_sign_attempt (BfkOutbox      *outbox,
                         BfkOutboxOp    *op,
                         const BfkFees  *fees,
                         guint64         gas_limit,
                         gboolean        filler,
                         GError        **error)
{
  const OutboxKey *key = bfk_outbox_find_key (outbox, &op->signer);
  g_autoptr(BfkOutboxAttempt) attempt = g_new0 (BfkOutboxAttempt, 1);
  BfkTx tx = {
    .type = BFK_TX_EIP1559,
    .chain_id = outbox->chain_id,
    .nonce = op->nonce,
    .gas_limit = filler ? BFK_OUTBOX_FILLER_GAS : gas_limit,
    .max_priority_fee_per_gas = fees->max_priority_fee_per_gas,
    .max_fee_per_gas = fees->max_fee_per_gas,
    .to = filler ? op->signer : op->target,
    .has_to = TRUE,
  };

  g_return_val_if_fail (key != NULL, NULL);
  if (!filler)
    tx.data = g_bytes_get_data (op->calldata, &tx.data_len);
  if (!bfk_tx_sign_into (&tx, &key->key, &outbox->scratch, outbox->buf, attempt->hash, error))
    return NULL;
  attempt->raw = g_bytes_new (outbox->buf->data, outbox->buf->len);
  attempt->gas_limit = tx.gas_limit;
  attempt->fees = *fees;
  return g_steal_pointer (&attempt);
}

/* Adds the attempts of fresh to the store, in the caller's transaction. */
static gboolean
add_attempts (Step     *s,
              GArray   *fresh,
              GError  **error)
{
  gboolean ok = TRUE;

  for (guint i = 0; ok && i < fresh->len; i++)
    {
      Outgoing *o = &g_array_index (fresh, Outgoing, i);

      ok = bfk_outbox_store_add_attempt (s->outbox->store, o->op, o->attempt, s->changes, error);
    }
  return ok;
}

/* Stores new attempts (in one transaction) before anything is sent. */
gboolean
bfk_outbox_write_attempts (Step     *s,
                           GArray   *fresh,
                           GError  **error)
{
  gboolean ok;

  if (fresh->len == 0)
    return TRUE;
  ok = bfk_outbox_begin (s, error);
  ok = ok && add_attempts (s, fresh, error);
  return bfk_outbox_finish (s, ok, error);
}

static gboolean
record_refusal (Step      *s,
                Outgoing  *o,
                GError    *refusal,
                GError   **error)
{
  BfkOutbox *outbox = s->outbox;
  BfkFailureClass klass = bfk_failure_class_from_error (refusal);

  switch (klass)
    {
    case BFK_FAILURE_REVERTED:
      /* Later nonces may be out already: the nonce is burnt by a filler
       * rather than given back. */
      if (!bfk_outbox_op_is_filling (o->op)
          && !bfk_outbox_store_set_filling (outbox->store, o->op, refusal->message, error))
        return FALSE;
      break;
    case BFK_FAILURE_UNREACHABLE:
      s->report->unreachable = TRUE;
      break;
    case BFK_FAILURE_INSUFFICIENT_FUNDS:
      outbox->funds_refused = TRUE;
      outbox->funds_refused_at = s->report->gas_balance;
      s->report->gas_state = BFK_GAS_PAUSED;
      break;
    default:
      break;
    }
  return bfk_outbox_store_mark_refused (outbox->store, o->op, o->attempt, klass,
                                        refusal->message, error);
}

/* The signed bytes of the attempts of outgoing, in order. */
static GPtrArray *
raws_of (GArray *outgoing)
{
  GPtrArray *raws = g_ptr_array_new_full (outgoing->len, (GDestroyNotify) g_bytes_unref);

  for (guint i = 0; i < outgoing->len; i++)
    g_ptr_array_add (raws, g_bytes_ref (g_array_index (outgoing, Outgoing, i).attempt->raw));
  return raws;
}

/* Records what the node said of each attempt of outgoing, in the caller's
 * transaction. */
static gboolean
record_sent (Step       *s,
             GArray     *outgoing,
             GPtrArray  *results,
             GError    **error)
{
  gboolean ok = TRUE;

  for (guint i = 0; ok && i < outgoing->len; i++)
    {
      Outgoing *o = &g_array_index (outgoing, Outgoing, i);
      BfkSendResult *r = g_ptr_array_index (results, i);

      if (r->error == NULL || bfk_outbox_error_is_known_tx (r->error))
        {
          Uncounted *u = g_hash_table_lookup (s->outbox->uncounted, &o->attempt->id);

          if (u != NULL)
            u->known = r->error != NULL;
          ok = bfk_outbox_store_mark_sent (s->outbox->store, o->op, o->attempt, s->changes, error);
        }
      else
        ok = record_refusal (s, o, r->error, error);
    }
  return ok;
}

/* Sends the attempts, in order, and records what the node said. */
gboolean
bfk_outbox_send_outgoing (Step     *s,
                          GArray   *outgoing,
                          GError  **error)
{
  g_autoptr(GPtrArray) raws = NULL;
  g_autoptr(GPtrArray) results = NULL;
  gboolean ok;

  if (outgoing->len == 0)
    return TRUE;
  raws = raws_of (outgoing);
  results = bfk_rpc_client_send_raw_transactions (s->outbox->rpc, (GBytes * const *) raws->pdata,
                                                  raws->len, SEND_CHUNK, 1);
  ok = bfk_outbox_begin_answers (s, error);
  ok = ok && record_sent (s, outgoing, results, error);
  return bfk_outbox_finish (s, ok, error);
}

/* A chunk handed to the pipe: it owns its operations until what the node
 * said of them is recorded. */
typedef struct
{
  GPtrArray *ops;         /* BfkOutboxOp*, owned */
  GArray    *outgoing;    /* of Outgoing, into ops */
} Piped;

static void
piped_free (BfkOutbox *outbox,
            Piped     *p)
{
  for (guint i = 0; i < p->outgoing->len; i++)
    g_hash_table_remove (outbox->piped, &g_array_index (p->outgoing, Outgoing, i).attempt->id);
  g_ptr_array_unref (p->ops);
  g_array_unref (p->outgoing);
  g_free (p);
}

/* Records what the node said of the chunks the pipe is done with, in the
 * caller's transaction; of all of them when wait. */
gboolean
bfk_outbox_record_piped (Step      *s,
                         gboolean   wait,
                         GError   **error)
{
  BfkOutbox *outbox = s->outbox;
  gboolean ok = TRUE;
  gpointer tag;
  GPtrArray *results;

  while (outbox->pipe_out > 0 && bfk_outbox_rpc_pipe_pop (outbox->pipe, wait, &tag, &results))
    {
      outbox->pipe_out--;
      /* Not sent (the pipe stopped): signed, they go again later. */
      if (results != NULL)
        ok = ok && record_sent (s, ((Piped *) tag)->outgoing, results, error);
      g_clear_pointer (&results, g_ptr_array_unref);
      piped_free (outbox, tag);
    }
  if (s->report->unreachable || s->report->gas_state == BFK_GAS_PAUSED)
    bfk_outbox_rpc_pipe_stop (outbox->pipe);
  return ok;
}

/* At the start of a pass: what the node said of the chunks sent since the
 * last one; a pipe that stopped (the node went away) and is empty ends, and
 * the next chunk starts a new one. */
gboolean
bfk_outbox_land_piped (Step     *s,
                       GError  **error)
{
  BfkOutbox *outbox = s->outbox;
  gboolean ok;

  if (outbox->pipe == NULL)
    return TRUE;
  if (outbox->pipe_out > 0)
    {
      ok = bfk_outbox_begin_answers (s, error);
      ok = ok && bfk_outbox_record_piped (s, FALSE, error);
      if (!bfk_outbox_finish (s, ok, error))
        return FALSE;
    }
  if (outbox->pipe_out == 0 && bfk_outbox_rpc_pipe_stopped (outbox->pipe))
    g_clear_pointer (&outbox->pipe, bfk_outbox_rpc_pipe_free);
  return TRUE;
}

/* Stops the pipe, forgets what it still held (the attempts are stored:
 * recovery asks the node about them) and ends its thread. */
void
bfk_outbox_close_pipe (BfkOutbox *outbox)
{
  if (outbox->pipe == NULL)
    return;
  bfk_outbox_rpc_pipe_stop (outbox->pipe);
  while (outbox->pipe_out > 0)
    {
      gpointer tag;
      GPtrArray *results;

      bfk_outbox_rpc_pipe_pop (outbox->pipe, TRUE, &tag, &results);
      g_clear_pointer (&results, g_ptr_array_unref);
      piped_free (outbox, tag);
      outbox->pipe_out--;
    }
  g_clear_pointer (&outbox->pipe, bfk_outbox_rpc_pipe_free);
}

/* One transaction for two things: what the node said of chunks sent
 * meanwhile, and the attempts of fresh, whose signed bytes are thus on
 * disk before fresh joins the pipe.  ops (taken) are the operations of
 * fresh.  Nothing more leaves once the node is down or the gas paused:
 * fresh waits, signed, for a later pass to send it again. */
gboolean
bfk_outbox_relay (Step       *s,
                  GArray     *fresh,
                  GPtrArray  *ops,
                  GError    **error)
{
  BfkOutbox *outbox = s->outbox;
  const BfkOutboxOp *first;
  g_autoptr(GPtrArray) raws = NULL;
  Piped *p;
  gboolean ok;

  if (fresh->len == 0)
    {
      g_ptr_array_unref (ops);
      return TRUE;
    }
  if (outbox->pipe == NULL)
    outbox->pipe = bfk_outbox_rpc_pipe_new (outbox->rpc, PIPE_REQUEST_MAX, outbox->config.mined_wait_ms);
  ok = bfk_outbox_begin (s, error);
  ok = ok && (outbox->pipe_out == 0 || bfk_outbox_record_piped (s, FALSE, error));
  ok = ok && add_attempts (s, fresh, error);
  if (!bfk_outbox_finish (s, ok, error) || s->report->unreachable || s->report->gas_state == BFK_GAS_PAUSED)
    {
      g_ptr_array_unref (ops);
      return ok;
    }
  p = g_new0 (Piped, 1);
  p->ops = ops;
  p->outgoing = g_array_ref (fresh);
  for (guint i = 0; i < fresh->len; i++)
    {
      gint64 id = g_array_index (fresh, Outgoing, i).attempt->id;

      g_hash_table_add (outbox->piped, g_memdup2 (&id, sizeof id));
    }
  first = g_array_index (fresh, Outgoing, 0).op;
  raws = raws_of (fresh);
  bfk_outbox_rpc_pipe_push (outbox->pipe, &first->signer, first->nonce, raws, p);
  outbox->pipe_out++;
  return TRUE;
}

/* Whether op's newest attempt is in the pipe. */
gboolean
bfk_outbox_is_piped (BfkOutbox   *outbox,
                     BfkOutboxOp *op)
{
  BfkOutboxAttempt *last = bfk_outbox_op_last (op);

  return last != NULL && g_hash_table_contains (outbox->piped, &last->id);
}

/* attempt, when new, joins its operation, which owns it from then on. */
void
bfk_outbox_add_outgoing (GArray           *array,
                         BfkOutboxOp      *op,
                         BfkOutboxAttempt *attempt)
{
  Outgoing o = { op, attempt };

  if (bfk_outbox_op_last (op) != attempt)
    g_ptr_array_add (op->attempts, attempt);
  g_array_append_val (array, o);
}
