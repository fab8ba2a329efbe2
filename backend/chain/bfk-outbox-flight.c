/* bfk-outbox-flight.c: what is signed and sent but not yet settled.
 * Receipts are asked for, in one batch, only where the chain has used the
 * nonce; mined operations are confirmed at depth, or put back in flight
 * when their block left the chain.  What is not mined is tended: sent
 * again, bumped, filled, or given up when another writer used its nonce;
 * this is also where an attempt stranded by anvil's automine is noticed
 * and replaced.
 *
 * Kept apart from bfk-outbox.c because these rules (when to wait, resend,
 * bump or give up) are the driver's subtlest, and read best together.
 */
#include "bfk-outbox-private.h"
#include "bfk-outbox-rpc.h"

#include <string.h>

/* How long the node's pending count may leave out a transaction it took
 * before the driver acts on it. */
#define UNCOUNTED_WAIT_MS 50

/* --- receipts ------------------------------------------------------------- */

/* The receipts of every attempt of ops: for each op, the mined one or
 * NULL (an array of BfkOutboxReceipt*, owned by the result). */
static GPtrArray *
receipts_of (Step       *s,
             GPtrArray  *ops,
             GError    **error)
{
  g_autoptr(GArray) hashes = g_array_new (FALSE, FALSE, sizeof (BfkOutboxHash));
  g_autoptr(GPtrArray) receipts = NULL;
  g_autoptr(GPtrArray) found = g_ptr_array_new_full (ops->len, g_free);
  guint next = 0;

  for (guint i = 0; i < ops->len; i++)
    {
      BfkOutboxOp *op = g_ptr_array_index (ops, i);

      for (guint j = 0; j < op->attempts->len; j++)
        g_array_append_vals (hashes, ((BfkOutboxAttempt *) g_ptr_array_index (op->attempts, j))->hash, 1);
    }
  if (hashes->len > 0 && (receipts = bfk_outbox_rpc_receipts (s->outbox->rpc, hashes, error)) == NULL)
    return NULL;

  for (guint i = 0; i < ops->len; i++)
    {
      BfkOutboxOp *op = g_ptr_array_index (ops, i);
      gpointer mined = NULL;

      /* One nonce: at most one of them can be mined. */
      for (guint j = 0; j < op->attempts->len; j++, next++)
        if (mined == NULL && g_ptr_array_index (receipts, next) != NULL)
          mined = g_steal_pointer (&g_ptr_array_index (receipts, next));
      g_ptr_array_add (found, mined);
    }
  return g_steal_pointer (&found);
}

/* receipts_of for operations in flight: only those whose nonce the chain
 * has used are asked about.  A signer's nonces are used in order, so an
 * operation at or above its mined count cannot have a receipt yet; while
 * the node works through a burst, the step asks one count per signer
 * instead of hundreds of receipts. */
static GPtrArray *
receipts_in_flight (Step       *s,
                    GPtrArray  *ops,
                    GError    **error)
{
  g_autoptr(GPtrArray) asked = g_ptr_array_new ();
  g_autoptr(GPtrArray) receipts = NULL;
  g_autoptr(GPtrArray) found = g_ptr_array_new_full (ops->len, g_free);
  guint next = 0;

  for (guint i = 0; i < ops->len; i++)
    {
      BfkOutboxOp *op = g_ptr_array_index (ops, i);
      guint64 mined;

      if (!bfk_outbox_signer_nonce (s, &op->signer, FALSE, &mined, error))
        return NULL;
      if (op->nonce < mined)
        g_ptr_array_add (asked, op);
    }
  if ((receipts = receipts_of (s, asked, error)) == NULL)
    return NULL;
  for (guint i = 0; i < ops->len; i++)
    {
      gboolean was_asked = next < asked->len
                           && g_ptr_array_index (asked, next) == g_ptr_array_index (ops, i);

      g_ptr_array_add (found,
                       was_asked ? g_steal_pointer (&g_ptr_array_index (receipts, next++)) : NULL);
    }
  return g_steal_pointer (&found);
}

/* Where a mined operation goes, and why when it failed. */
static BfkOpState
settle (Step                   *s,
        BfkOutboxOp            *op,
        const BfkOutboxReceipt *receipt,
        gchar                 **reason)
{
  const BfkOutboxAttempt *winner = bfk_outbox_op_attempt (op, receipt->tx_hash);

  *reason = NULL;
  if (winner != NULL && bfk_outbox_is_filler (winner))
    {
      *reason = g_strdup (op->reason);
      return BFK_OP_FAILED;
    }
  if (!receipt->status)
    {
      *reason = bfk_outbox_rpc_revert_reason (s->outbox->rpc, op, receipt,
                                              winner ? winner->gas_limit : 0);
      return BFK_OP_FAILED;
    }
  return s->outbox->config.confirmations == 0 ? BFK_OP_CONFIRMED : BFK_OP_MINED;
}

/* Loads what is in flight; settles what was mined; returns the rest. */
GPtrArray *
bfk_outbox_collect_receipts (Step     *s,
                             GError  **error)
{
  BfkOutbox *outbox = s->outbox;
  g_autoptr(GPtrArray) ops = bfk_outbox_store_load (outbox->store, BFK_OP_SIGNED, NULL, 0, error);
  g_autoptr(GPtrArray) sent = NULL;
  g_autoptr(GPtrArray) receipts = NULL;
  g_autoptr(GPtrArray) waiting = g_ptr_array_new_with_free_func ((GDestroyNotify) bfk_outbox_op_free);
  g_autoptr(GPtrArray) reasons = NULL;
  g_autoptr(GArray) states = NULL;
  gboolean ok;

  if (ops == NULL || (sent = bfk_outbox_store_load (outbox->store, BFK_OP_SENT, NULL, 0, error)) == NULL)
    return NULL;
  g_ptr_array_extend_and_steal (ops, g_steal_pointer (&sent));
  /* On their way in the pipe: counted, and left alone. */
  for (guint i = ops->len; i-- > 0;)
    if (bfk_outbox_is_piped (outbox, g_ptr_array_index (ops, i)))
      {
        bfk_outbox_count_in_flight (s, &((BfkOutboxOp *) g_ptr_array_index (ops, i))->signer);
        g_ptr_array_remove_index (ops, i);
      }
  if (ops->len == 0)
    return g_steal_pointer (&waiting);
  if ((receipts = receipts_in_flight (s, ops, error)) == NULL)
    return NULL;

  /* The reasons of failures need the node: asked before the transaction. */
  reasons = g_ptr_array_new_full (ops->len, g_free);
  states = g_array_sized_new (FALSE, FALSE, sizeof (BfkOpState), ops->len);
  for (guint i = 0; i < ops->len; i++)
    {
      BfkOutboxReceipt *receipt = g_ptr_array_index (receipts, i);
      BfkOpState state = BFK_OP_SENT;
      gchar *reason = NULL;

      if (receipt != NULL)
        state = settle (s, g_ptr_array_index (ops, i), receipt, &reason);
      g_array_append_val (states, state);
      g_ptr_array_add (reasons, reason);
    }

  ok = bfk_outbox_begin_answers (s, error);
  for (guint i = 0; ok && i < ops->len; i++)
    {
      BfkOutboxReceipt *receipt = g_ptr_array_index (receipts, i);

      if (receipt != NULL)
        ok = bfk_outbox_store_mark_mined (outbox->store, g_ptr_array_index (ops, i), receipt,
                                          g_array_index (states, BfkOpState, i),
                                          g_ptr_array_index (reasons, i), s->changes, error);
    }
  if (!bfk_outbox_finish (s, ok, error))
    return NULL;

  for (guint i = 0; i < ops->len; i++)
    if (g_ptr_array_index (receipts, i) == NULL)
      {
        BfkOutboxOp *op = g_steal_pointer (&g_ptr_array_index (ops, i));

        bfk_outbox_count_in_flight (s, &op->signer);
        g_ptr_array_add (waiting, op);
      }
  return g_steal_pointer (&waiting);
}

static gint
compare_nonces (const BfkOutboxOp *x,
                const BfkOutboxOp *y)
{
  gint c = memcmp (x->signer.bytes, y->signer.bytes, BFK_ADDRESS_SIZE);

  if (c != 0)
    return c;
  return x->nonce < y->nonce ? -1 : x->nonce > y->nonce;
}

static gint
compare_ops (gconstpointer a,
             gconstpointer b)
{
  return compare_nonces (*(BfkOutboxOp * const *) a, *(BfkOutboxOp * const *) b);
}

static gint
compare_outgoing (gconstpointer a,
                  gconstpointer b)
{
  return compare_nonces (((const Outgoing *) a)->op, ((const Outgoing *) b)->op);
}

/* Mined operations deep enough are confirmed, if their receipt still says
 * the same block; a block that left the chain puts them in flight again. */
gboolean
bfk_outbox_confirm_at_depth (Step     *s,
                             GError  **error)
{
  BfkOutbox *outbox = s->outbox;
  g_autoptr(GPtrArray) mined = bfk_outbox_store_load (outbox->store, BFK_OP_MINED, NULL, 0, error);
  g_autoptr(GPtrArray) deep = g_ptr_array_new ();
  g_autoptr(GPtrArray) receipts = NULL;
  guint64 head = 0;
  gboolean ok;

  if (mined == NULL)
    return FALSE;
  if (mined->len == 0)
    return TRUE;
  head = s->head;
  for (guint i = 0; i < mined->len; i++)
    {
      BfkOutboxOp *op = g_ptr_array_index (mined, i);

      if (op->block_number + outbox->config.confirmations <= head)
        g_ptr_array_add (deep, op);
    }
  if (deep->len == 0)
    return TRUE;
  if ((receipts = receipts_of (s, deep, error)) == NULL)
    return FALSE;

  ok = bfk_outbox_begin_answers (s, error);
  for (guint i = 0; ok && i < deep->len; i++)
    {
      BfkOutboxOp *op = g_ptr_array_index (deep, i);
      BfkOutboxReceipt *receipt = g_ptr_array_index (receipts, i);

      if (receipt == NULL)
        ok = bfk_outbox_store_unmine (outbox->store, op, s->changes, error);
      else if (memcmp (receipt->block_hash, op->block_hash, BFK_HASH_SIZE) == 0)
        ok = bfk_outbox_store_mark_confirmed (outbox->store, op, s->changes, error);
      else
        ok = bfk_outbox_store_mark_mined (outbox->store, op, receipt, BFK_OP_MINED, NULL,
                                          s->changes, error);
    }
  return bfk_outbox_finish (s, ok, error);
}

/* --- what is in flight and not mined -------------------------------------- */

typedef enum
{
  TEND_WAIT,
  TEND_RESEND,    /* the same bytes again */
  TEND_BUMP,      /* a new attempt with higher fees */
  TEND_FILL,      /* a filler at the nonce */
  TEND_CANCEL,    /* the operator cancels it: a filler at the nonce, and it fails */
  TEND_GIVE_UP,   /* the nonce is used, and by none of our attempts that the node knows */
} Tend;

/* What to do with an attempt the node took but its pending count leaves
 * out.  A count taken while a block is being mined can miss a transaction
 * for a moment: nothing before UNCOUNTED_WAIT_MS.  After that, a node that
 * restarted, or dropped it from its pool, gets the same bytes again.  A
 * node that answers that it has it already, yet still leaves it out, has
 * it stranded: anvil's automine keeps a transaction that arrived while the
 * one before it was being mined waiting forever for that one
 * (foundry-rs/foundry#10122).  Replacing the lowest such transaction, with
 * higher fees, is taken afresh and frees those after it. */
static Tend
tend_uncounted (Step                   *s,
                const BfkOutboxOp      *op,
                const BfkOutboxAttempt *last,
                guint64                 latest)
{
  GHashTable *table = s->outbox->uncounted;
  Uncounted *u = g_hash_table_lookup (table, &last->id);
  gint64 now = g_get_monotonic_time ();

  if (u == NULL)
    {
      u = g_new0 (Uncounted, 1);
      u->id = last->id;
      u->since = now;
      g_hash_table_insert (table, &u->id, u);
    }
  if (now - u->since < UNCOUNTED_WAIT_MS * G_TIME_SPAN_MILLISECOND)
    return TEND_WAIT;
  if (u->known && op->nonce == latest)
    {
      g_hash_table_remove (table, &last->id);
      return TEND_BUMP;
    }
  if (u->resent)
    return TEND_WAIT;
  u->resent = TRUE;
  return TEND_RESEND;
}

static gboolean
decide (Step         *s,
        BfkOutboxOp  *op,
        Tend         *tend,
        GError      **error)
{
  BfkOutboxAttempt *last = bfk_outbox_op_last (op);
  gint64 now = bfk_store_now ();
  guint64 count;

  *tend = TEND_WAIT;
  if (last == NULL)
    return TRUE;
  if (bfk_outbox_op_is_filling (op) && !bfk_outbox_is_filler (last) && last->sent_at == 0)
    {
      *tend = TEND_FILL;
      return TRUE;
    }
  /* The operator's requests come before the driver's own timing. */
  if (op->request == BFK_OUTBOX_REQUEST_CANCEL && !bfk_outbox_op_is_filling (op))
    {
      *tend = TEND_CANCEL;
      return TRUE;
    }
  if (op->request == BFK_OUTBOX_REQUEST_BUMP)
    {
      *tend = TEND_BUMP;
      return TRUE;
    }
  switch (bfk_outbox_op_is_filling (op) ? BFK_FAILURE_NONE : op->failure_class)
    {
    case BFK_FAILURE_NONCE_TOO_LOW:
      /* None of our attempts has a receipt, yet the nonce is used. */
      if (!bfk_outbox_signer_nonce (s, &op->signer, FALSE, &count, error))
        return FALSE;
      *tend = count > op->nonce ? TEND_GIVE_UP : TEND_RESEND;
      return TRUE;
    case BFK_FAILURE_UNDERPRICED:
    case BFK_FAILURE_FEE_CAP_TOO_LOW:
      *tend = TEND_BUMP;
      return TRUE;
    default:
      break;
    }
  if (last->sent_at == 0 || s->force_resend)
    *tend = TEND_RESEND;
  else if (now - last->sent_at >= (gint64) s->outbox->config.resend_after_s)
    *tend = TEND_BUMP;
  else
    {
      /* A node that restarted, or dropped it from its pool, no longer
       * counts it as pending: the same bytes go again.  A node that still
       * leaves it out after that has it, but stranded: anvil's automine
       * keeps a transaction that arrived while the one before it was being
       * mined waiting forever for that one (foundry-rs/foundry#10122).  A
       * replacement is taken afresh. */
      guint64 latest;

      if (!bfk_outbox_signer_nonce (s, &op->signer, TRUE, &count, error)
          || !bfk_outbox_signer_nonce (s, &op->signer, FALSE, &latest, error))
        return FALSE;
      if (count <= op->nonce)
        *tend = tend_uncounted (s, op, last, latest);
      else
        g_hash_table_remove (s->outbox->uncounted, &last->id);
    }
  return TRUE;
}

/* Operations whose nonce the chain counts as used while the node has no
 * receipt of any of their attempts: another writer with the same key, or
 * ours mined on a node that lost its record of it (an anvil restarted from
 * a state file).  Sending it again with a new nonce could do it twice, so
 * it ends replaced, for a person to check; a filler's operation had failed
 * already. */
static gboolean
give_up (Step       *s,
         GPtrArray  *lost,
         GError    **error)
{
  BfkOutbox *outbox = s->outbox;
  g_autoptr(GPtrArray) receipts = NULL;
  gboolean ok;

  /* Mined since the receipts were asked for: the next step settles it. */
  if ((receipts = receipts_of (s, lost, error)) == NULL)
    return FALSE;
  ok = bfk_outbox_begin (s, error);
  for (guint i = 0; ok && i < lost->len; i++)
    {
      BfkOutboxOp *op = g_ptr_array_index (lost, i);
      g_autofree gchar *reason = NULL;

      if (g_ptr_array_index (receipts, i) != NULL)
        continue;
      if (bfk_outbox_op_is_filling (op))
        {
          ok = bfk_outbox_store_mark_final (outbox->store, op, BFK_OP_FAILED,
                                            op->failure_class, op->reason, s->changes, error);
          continue;
        }
      reason = g_strdup_printf ("Nonce %" G_GUINT64_FORMAT " was used by a transaction the node "
                                "has no record of as ours: another program may use this key. "
                                "It was not sent again, so that it cannot happen twice: check "
                                "on chain, and enqueue it again if it did not happen",
                                op->nonce);
      g_warning ("Operation %" G_GINT64_FORMAT ": %s", op->id, reason);
      ok = bfk_outbox_store_mark_final (outbox->store, op, BFK_OP_REPLACED,
                                        BFK_FAILURE_NONCE_TOO_LOW, reason, s->changes, error);
    }
  return bfk_outbox_finish (s, ok, error);
}

/* Drops what the uncounted table says of attempts no longer waiting. */
static void
forget_counted (BfkOutbox  *outbox,
                GPtrArray  *waiting)
{
  g_autoptr(GHashTable) last_ids = NULL;
  GHashTableIter iter;
  gpointer key;

  if (g_hash_table_size (outbox->uncounted) == 0)
    return;
  last_ids = g_hash_table_new (g_int64_hash, g_int64_equal);
  for (guint i = 0; i < waiting->len; i++)
    {
      BfkOutboxAttempt *last = bfk_outbox_op_last (g_ptr_array_index (waiting, i));

      if (last != NULL)
        g_hash_table_add (last_ids, &last->id);
    }
  g_hash_table_iter_init (&iter, outbox->uncounted);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (last_ids, key))
      g_hash_table_iter_remove (&iter);
}

gboolean
bfk_outbox_tend_in_flight (Step       *s,
                           GPtrArray  *waiting,
                           GError    **error)
{
  BfkOutbox *outbox = s->outbox;
  g_autoptr(GArray) fresh = g_array_new (FALSE, FALSE, sizeof (Outgoing));
  g_autoptr(GArray) outgoing = g_array_new (FALSE, FALSE, sizeof (Outgoing));
  g_autoptr(GPtrArray) lost = g_ptr_array_new ();

  g_ptr_array_sort (waiting, compare_ops);
  for (guint i = 0; i < waiting->len; i++)
    {
      BfkOutboxOp *op = g_ptr_array_index (waiting, i);
      BfkOutboxAttempt *last = bfk_outbox_op_last (op);
      BfkOutboxAttempt *attempt;
      BfkFees fees;
      Tend tend;

      if (bfk_outbox_find_key (outbox, &op->signer) == NULL)
        continue;
      if (!decide (s, op, &tend, error))
        return FALSE;
      switch (tend)
        {
        case TEND_WAIT:
          break;
        case TEND_RESEND:
          bfk_outbox_add_outgoing (outgoing, op, last);
          break;
        case TEND_GIVE_UP:
          g_ptr_array_add (lost, op);
          break;
        case TEND_BUMP:
        case TEND_FILL:
        case TEND_CANCEL:
          if (!bfk_outbox_step_fees (s, error) || !bfk_fees_bump (&last->fees, &s->fees, &fees, error))
            return FALSE;
          attempt = bfk_outbox_sign_attempt (outbox, op, &fees, last->gas_limit,
                                             tend != TEND_BUMP || bfk_outbox_is_filler (last), error);
          if (attempt == NULL)
            return FALSE;
          if (tend == TEND_CANCEL)
            {
              /* Written with the filler's attempt, in one transaction: the
               * operation fails for this reason when the filler is mined. */
              op->failure_class = BFK_FAILURE_CANCELLED;
              g_free (op->reason);
              op->reason = g_strdup (BFK_OUTBOX_CANCEL_REASON);
              op->answers = BFK_OUTBOX_REQUEST_CANCEL;
            }
          else if (tend == TEND_BUMP && op->request == BFK_OUTBOX_REQUEST_BUMP)
            op->answers = BFK_OUTBOX_REQUEST_BUMP;
          bfk_outbox_add_outgoing (fresh, op, attempt);
          s->report->bumped_now += tend == TEND_BUMP;
          break;
        }
    }

  forget_counted (outbox, waiting);
  if (lost->len > 0 && !give_up (s, lost, error))
    return FALSE;

  if (!bfk_outbox_write_attempts (s, fresh, error))
    return FALSE;
  g_array_append_vals (outgoing, fresh->data, fresh->len);
  g_array_sort (outgoing, compare_outgoing);
  return bfk_outbox_send_outgoing (s, outgoing, error);
}
