/* bfk-outbox-queue.c: queued operations on their way to the pipe.  Per
 * signer, in nonce order and in chunks, operations are estimated (with a
 * memo shared by operations alike), signed, and handed to the pipe; what
 * the chain says of their nonces (used by another writer, a gap, a revert
 * at estimation) is written once the chunks are out.
 *
 * Kept apart from bfk-outbox.c because signing what is queued is the one
 * phase that creates work, with its own budget and chunking.
 */
#include "bfk-outbox-private.h"
#include "bfk-outbox-rpc.h"

/* An estimate is exact for the state it ran on; the margin covers the state
 * changing a little before the transaction is mined. */
#define GAS_MARGIN_PERCENT 20
/* Queued operations estimated, signed and stored together.  Each chunk
 * joins the pipe (bfk_outbox_rpc_pipe) and is sent while the next one, of
 * this pass or of the next, is prepared: the node's work on the one
 * overlaps ours, and the disk's, on the next. */
#define SIGN_CHUNK 100
/* How long an estimate serves the operations like it. */
#define GAS_MEMO_S 10

/* --- what is queued -------------------------------------------------------- */

/* The memo of gas estimates, started afresh every GAS_MEMO_S: an estimate
 * is good for the state it ran on, and the margin covers a little
 * change. */
static GHashTable *
gas_memo (BfkOutbox *outbox)
{
  gint64 now = g_get_monotonic_time ();

  if (outbox->gas_memo == NULL || now - outbox->gas_memo_at >= GAS_MEMO_S * G_USEC_PER_SEC)
    {
      g_clear_pointer (&outbox->gas_memo, g_hash_table_unref);
      outbox->gas_memo = bfk_outbox_rpc_gas_memo_new ();
      outbox->gas_memo_at = now;
    }
  return outbox->gas_memo;
}

/* What signing a signer's queue found that moves nonces: written once its
 * chunks are out. */
typedef struct
{
  GPtrArray   *renonce;        /* queued, but the chain used their nonce */
  guint64      latest;         /* the chain's nonce count, for them */
  BfkOutboxOp *failed;         /* reverted at estimation, nothing before it in flight,
                                * or cancelled by the operator */
  BfkFailureClass failed_class;
  gchar       *failed_reason;
  guint64      gap;            /* queued nonces to move down by, from gap_from */
  guint64      gap_from;
  guint        signed_here;
  gboolean     stop;           /* an operation cannot be signed yet: none after it */
} Signing;

/* Estimates and signs the operations of chunk (a signer's, in nonce order)
 * into fresh, until one cannot be.  A revert at estimation is final only
 * when every earlier operation of the signer is mined: before that, it may
 * only mean that an earlier one (a registration before a proposal) has not
 * landed yet. */
static gboolean
sign_chunk (Step             *s,
            const OutboxKey  *key,
            GPtrArray        *chunk,
            Signing          *g,
            GArray           *fresh,
            GError          **error)
{
  BfkOutbox *outbox = s->outbox;
  guint n = chunk->len;
  g_autofree guint64 *gas = g_new0 (guint64, n);
  g_autofree GError **errors = g_new0 (GError *, n);
  guint64 latest = 0;
  gboolean ok = FALSE;

  if (!bfk_outbox_rpc_prepare (outbox->rpc, &key->address, chunk, gas_memo (outbox), &latest, gas,
                               errors, error))
    goto out;
  if (!bfk_outbox_step_fees (s, error))
    goto out;

  for (guint i = 0; i < n; i++)
    {
      BfkOutboxOp *op = g_ptr_array_index (chunk, i);
      gboolean first = g->signed_here == 0 && g->renonce->len == 0
                       && bfk_outbox_in_flight_count (s, &key->address) == 0;
      BfkOutboxAttempt *attempt;
      guint64 pending = 0;

      if (op->nonce < latest)
        {
          g_ptr_array_add (g->renonce, op);
          g->latest = MAX (g->latest, latest);
          continue;
        }
      if (first && op->nonce > latest)
        {
          /* Nothing of ours in flight below it, yet the chain is not
           * there: nonces were lost (a pending count that included
           * transactions the node dropped since).  Everything queued moves
           * down to close the gap. */
          if (!bfk_outbox_signer_nonce (s, &key->address, TRUE, &pending, error))
            goto out;
          if (op->nonce > pending)
            {
              g->gap = op->nonce - pending;
              g->gap_from = op->nonce;
              g->stop = TRUE;
              break;
            }
        }
      if (op->request == BFK_OUTBOX_REQUEST_CANCEL)
        {
          /* Never signed, so nothing to replace: it gives its nonce back
           * and those queued after it move down.  They are all queued,
           * since a signer's operations are signed in nonce order. */
          g->failed = op;
          g->failed_class = BFK_FAILURE_CANCELLED;
          g->failed_reason = g_strdup (BFK_OUTBOX_CANCEL_REASON);
          g->stop = TRUE;
          break;
        }
      if (errors[i] != NULL)
        {
          BfkFailureClass klass = bfk_failure_class_from_error (errors[i]);

          if (klass == BFK_FAILURE_UNREACHABLE)
            {
              g_propagate_error (error, g_steal_pointer (&errors[i]));
              goto out;
            }
          if (klass == BFK_FAILURE_REVERTED && first)
            {
              g->failed = op;
              g->failed_class = BFK_FAILURE_REVERTED;
              g->failed_reason = g_strdup (errors[i]->message);
            }
          else if (klass != BFK_FAILURE_REVERTED)
            g_debug ("Operation %" G_GINT64_FORMAT " cannot be estimated yet: %s",
                     op->id, errors[i]->message);
          g->stop = TRUE;
          break;
        }
      attempt = bfk_outbox_sign_attempt (outbox, op, &s->fees, gas[i] + gas[i] * GAS_MARGIN_PERCENT / 100,
                                         FALSE, error);
      if (attempt == NULL)
        goto out;
      bfk_outbox_add_outgoing (fresh, op, attempt);
      g->signed_here++;
    }
  ok = TRUE;

out:
  for (guint i = 0; i < n; i++)
    g_clear_error (&errors[i]);
  return ok;
}

/* Moves the operations of fresh out of keep[from, to) (the slots left NULL)
 * into an array of their own. */
static GPtrArray *
take_signed (GPtrArray *keep,
             guint      from,
             guint      to,
             GArray    *fresh)
{
  GPtrArray *ops = g_ptr_array_new_with_free_func ((GDestroyNotify) bfk_outbox_op_free);

  for (guint i = 0; i < fresh->len; i++)
    for (guint k = from; k < to; k++)
      if (g_ptr_array_index (keep, k) == g_array_index (fresh, Outgoing, i).op)
        {
          g_ptr_array_add (ops, g_ptr_array_index (keep, k));
          keep->pdata[k] = NULL;
          break;
        }
  return ops;
}

/* Signs and sends up to budget queued operations of key, in nonce order
 * and in chunks; keep receives the operations.  *n_signed counts the
 * attempts made; *more tells whether others may be queued behind. */
static gboolean
sign_queued_of (Step             *s,
                const OutboxKey  *key,
                guint             budget,
                GPtrArray        *keep,
                guint            *n_signed,
                gboolean         *more,
                GError          **error)
{
  BfkOutbox *outbox = s->outbox;
  g_autoptr(GPtrArray) ops = NULL;
  Signing g = { 0 };
  guint n, base;
  gboolean ok = TRUE;

  ops = bfk_outbox_store_load (outbox->store, BFK_OP_QUEUED, &key->address, budget, error);
  if (ops == NULL)
    return FALSE;
  base = keep->len;
  n = ops->len;
  *more = n == budget;
  g_ptr_array_extend_and_steal (keep, g_steal_pointer (&ops));

  g.renonce = g_ptr_array_new ();
  for (guint start = 0; ok && !g.stop && start < n; start += SIGN_CHUNK)
    {
      g_autoptr(GPtrArray) chunk = g_ptr_array_new ();
      g_autoptr(GArray) fresh = g_array_new (FALSE, FALSE, sizeof (Outgoing));

      guint end = MIN (n, start + SIGN_CHUNK);

      for (guint i = start; i < end; i++)
        g_ptr_array_add (chunk, g_ptr_array_index (keep, base + i));
      ok = sign_chunk (s, key, chunk, &g, fresh, error)
           && bfk_outbox_relay (s, fresh, take_signed (keep, base + start, base + end, fresh), error);
    }
  *n_signed = g.signed_here;

  if (ok && (g.renonce->len > 0 || g.failed != NULL || g.gap > 0))
    {
      ok = bfk_outbox_begin (s, error);
      for (guint i = 0; ok && i < g.renonce->len; i++)
        ok = bfk_outbox_store_renonce (outbox->store, g_ptr_array_index (g.renonce, i), g.latest,
                                       s->changes, error);
      if (ok && g.failed != NULL)
        ok = bfk_outbox_store_fail_unsigned (outbox->store, g.failed, g.failed_class,
                                             g.failed_reason, s->changes, error);
      if (ok && g.gap > 0)
        ok = bfk_outbox_store_shift (outbox->store, &key->address, g.gap_from, g.gap, error);
      ok = bfk_outbox_finish (s, ok, error);
    }
  g_ptr_array_unref (g.renonce);
  g_free (g.failed_reason);
  return ok;
}

gboolean
bfk_outbox_sign_queued (Step     *s,
                        GError  **error)
{
  BfkOutbox *outbox = s->outbox;
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func ((GDestroyNotify) bfk_outbox_op_free);
  guint budget = outbox->config.batch_size;
  guint cap = outbox->config.max_in_flight > 0 ? outbox->config.max_in_flight : budget;
  gboolean ok = TRUE;
  gboolean more = FALSE;

  for (guint k = 0; ok && k < outbox->keys->len; k++)
    {
      const OutboxKey *key = &g_array_index (outbox->keys, OutboxKey, k);
      guint flying = bfk_outbox_in_flight_count (s, &key->address);
      guint n_signed = 0;
      gboolean key_more = TRUE;

      /* Nodes keep only so many transactions of one sender in their pool. */
      if (flying < cap && budget > 0)
        {
          ok = sign_queued_of (s, key, MIN (budget, cap - flying), keep, &n_signed, &key_more,
                               error);
          budget -= MIN (budget, n_signed);
        }
      more = more || key_more;
    }

  /* The pipe sends while the next pass prepares what is queued behind; with
   * nothing behind, the pass waits for the node's answers and reports
   * them itself. */
  if (ok && !more && outbox->pipe_out > 0)
    {
      ok = bfk_outbox_begin_answers (s, error);
      ok = ok && bfk_outbox_record_piped (s, TRUE, error);
      ok = bfk_outbox_finish (s, ok, error);
    }
  return ok;
}
