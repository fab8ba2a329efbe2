/* bfk-outbox.c: the driver.
 *
 * A step is a few round trips, whatever the number of operations: the
 * head, balance and nonce counts in one JSON-RPC batch, receipts in
 * another, estimates in a third; and a few SQLite transactions, one per
 * phase.  The order inside a phase is always the same: ask the node, write
 * what was learnt (signed bytes before they leave), then send.  New
 * transactions leave through a pipe, a thread that sends them back to back
 * while the next ones are prepared, and whose answers are written by the
 * next phase that commits.  A kill between any two lines leaves rows that
 * bfk_outbox_recover can settle by asking the node again.
 *
 * A step that finds the world as the last one left it (same head, counts
 * and queue) does nothing but look, for FULL_PASS_MS: a driver called in a
 * loop then costs the node one request a step.
 *
 * This file holds the object, a step's bookkeeping (the node's counts,
 * asked once a step; the commits, which tell the observer), the gas watch
 * and the passes that bfk_outbox_step and bfk_outbox_recover run.  The
 * phases live beside it, sharing bfk-outbox-private.h: bfk-outbox-send.c
 * signs, stores and sends (the pipe), bfk-outbox-flight.c settles and
 * tends what is in flight, bfk-outbox-queue.c signs what is queued.
 */
#include "bfk-outbox.h"
#include "bfk-outbox-private.h"
#include "bfk-outbox-rpc.h"

#include "bfk-chain-error.h"

#include <string.h>

/* A pass that sees nothing new still looks at everything this often. */
#define FULL_PASS_MS 500

/* --- the object ----------------------------------------------------------- */

BfkOutbox *
bfk_outbox_new (BfkStore              *store,
                BfkRpcClient          *rpc,
                guint64                chain_id,
                const BfkOutboxConfig *config)
{
  BfkOutbox *outbox = g_new0 (BfkOutbox, 1);

  outbox->store = store;
  outbox->rpc = bfk_rpc_client_ref (rpc);
  outbox->chain_id = chain_id;
  outbox->config = *config;
  if (outbox->config.batch_size == 0)
    outbox->config.batch_size = 100;
  outbox->keys = g_array_new (FALSE, TRUE, sizeof (OutboxKey));
  outbox->buf = g_byte_array_new ();
  outbox->uncounted = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, g_free);
  outbox->piped = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  bfk_rlp_writer_init (&outbox->scratch);
  return outbox;
}

void
bfk_outbox_free (BfkOutbox *outbox)
{
  if (outbox == NULL)
    return;
  for (guint i = 0; i < outbox->keys->len; i++)
    bfk_private_key_wipe (&g_array_index (outbox->keys, OutboxKey, i).key);
  g_array_unref (outbox->keys);
  g_byte_array_unref (outbox->buf);
  g_hash_table_unref (outbox->uncounted);
  g_clear_pointer (&outbox->view, g_array_unref);
  g_clear_pointer (&outbox->gas_memo, g_hash_table_unref);
  bfk_outbox_close_pipe (outbox);
  g_hash_table_unref (outbox->piped);
  bfk_rlp_writer_clear (&outbox->scratch);
  bfk_rpc_client_unref (outbox->rpc);
  g_free (outbox);
}

void
bfk_outbox_add_key (BfkOutbox           *outbox,
                    const BfkPrivateKey *key)
{
  OutboxKey k = { .key = *key };

  if (!bfk_private_key_to_address (key, &k.address, NULL))
    return;
  for (guint i = 0; i < outbox->keys->len; i++)
    if (bfk_address_equal (&g_array_index (outbox->keys, OutboxKey, i).address, &k.address))
      {
        bfk_private_key_wipe (&k.key);
        return;
      }
  g_array_append_val (outbox->keys, k);
  bfk_private_key_wipe (&k.key);
}

void
bfk_outbox_set_observer (BfkOutbox         *outbox,
                         BfkOutboxObserver  observer,
                         gpointer           user_data)
{
  outbox->observer = observer;
  outbox->observer_data = user_data;
}

const OutboxKey *
bfk_outbox_find_key (BfkOutbox        *outbox,
                     const BfkAddress *address)
{
  for (guint i = 0; i < outbox->keys->len; i++)
    {
      const OutboxKey *k = &g_array_index (outbox->keys, OutboxKey, i);

      if (bfk_address_equal (&k->address, address))
        return k;
    }
  return NULL;
}

/* --- a step's bookkeeping ------------------------------------------------- */

static void
step_init (Step            *s,
           BfkOutbox       *outbox,
           BfkOutboxReport *report)
{
  *s = (Step) { .outbox = outbox, .report = report };
  s->changes = g_array_new (FALSE, FALSE, sizeof (BfkOutboxChange));
  s->in_flight = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  s->latest = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  s->pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static void
step_clear (Step *s)
{
  g_array_unref (s->changes);
  g_hash_table_unref (s->in_flight);
  g_hash_table_unref (s->latest);
  g_hash_table_unref (s->pending);
}

guint
bfk_outbox_in_flight_count (Step             *s,
                            const BfkAddress *signer)
{
  gchar key[BFK_ADDRESS_STRING_SIZE];

  bfk_address_to_string_buf (signer, key);
  return GPOINTER_TO_UINT (g_hash_table_lookup (s->in_flight, key));
}

void
bfk_outbox_count_in_flight (Step             *s,
                            const BfkAddress *signer)
{
  gchar key[BFK_ADDRESS_STRING_SIZE];

  bfk_address_to_string_buf (signer, key);
  g_hash_table_insert (s->in_flight, g_strdup (key),
                       GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (s->in_flight, key)) + 1));
}

static void
remember_nonce (GHashTable       *cache,
                const BfkAddress *signer,
                guint64           count)
{
  gchar key[BFK_ADDRESS_STRING_SIZE];

  bfk_address_to_string_buf (signer, key);
  g_hash_table_insert (cache, g_strdup (key), g_memdup2 (&count, sizeof count));
}

/* The signer's nonce count at tag, asked once per step. */
gboolean
bfk_outbox_signer_nonce (Step              *s,
                         const BfkAddress  *signer,
                         gboolean           pending,
                         guint64           *out,
                         GError           **error)
{
  GHashTable *cache = pending ? s->pending : s->latest;
  gchar key[BFK_ADDRESS_STRING_SIZE];
  guint64 *cached;

  bfk_address_to_string_buf (signer, key);
  if ((cached = g_hash_table_lookup (cache, key)) != NULL)
    {
      *out = *cached;
      return TRUE;
    }
  if (!bfk_rpc_client_get_transaction_count (s->outbox->rpc, signer, pending ? "pending" : "latest",
                                             out, error))
    return FALSE;
  remember_nonce (cache, signer, *out);
  return TRUE;
}

gboolean
bfk_outbox_step_fees (Step     *s,
                      GError  **error)
{
  if (!s->have_fees)
    s->have_fees = bfk_fees_suggest (s->outbox->rpc, s->outbox->chain_id, &s->fees, error);
  return s->have_fees;
}

static void
tally (BfkOutboxReport *report,
       BfkOpState       new_state)
{
  switch (new_state)
    {
    case BFK_OP_SIGNED:
      report->signed_now++;
      break;
    case BFK_OP_SENT:
      report->sent_now++;
      break;
    case BFK_OP_MINED:
      report->mined_now++;
      break;
    case BFK_OP_CONFIRMED:
      report->confirmed_now++;
      break;
    case BFK_OP_FAILED:
      report->failed_now++;
      break;
    default:
      break;
    }
}

/* A commit in WAL mode with synchronous=FULL waits for the disk.  One that
 * only records what the node said (taken, mined, confirmed) need not: the
 * node can be asked again after a power cut, which is what recovery does,
 * and the next commit that waits carries it to the disk with its own.
 * Signed bytes are always committed with the wait, before they leave.
 * SQLite takes the setting only outside a transaction. */
static gboolean
begin_commit (Step     *s,
              gboolean  durable,
              GError  **error)
{
  g_array_set_size (s->changes, 0);
  s->light = !durable;
  if (s->light && !bfk_store_exec (s->outbox->store, "PRAGMA synchronous = NORMAL", error))
    {
      s->light = FALSE;
      return FALSE;
    }
  return bfk_store_begin (s->outbox->store, error);
}

gboolean
bfk_outbox_begin (Step     *s,
                  GError  **error)
{
  return begin_commit (s, TRUE, error);
}

/* bfk_outbox_begin, for what the node said. */
gboolean
bfk_outbox_begin_answers (Step     *s,
                          GError  **error)
{
  return begin_commit (s, FALSE, error);
}

/* Commits when ok, then tells the observer what changed; rolls back
 * otherwise. */
gboolean
bfk_outbox_finish (Step     *s,
                   gboolean  ok,
                   GError  **error)
{
  BfkOutbox *outbox = s->outbox;

  if (ok)
    ok = bfk_store_commit (outbox->store, error);
  if (!ok)
    bfk_store_rollback (outbox->store);
  if (s->light)
    {
      s->light = FALSE;
      if (!bfk_store_exec (outbox->store, "PRAGMA synchronous = FULL", ok ? error : NULL))
        ok = FALSE;
    }
  if (!ok)
    {
      g_array_set_size (s->changes, 0);
      return FALSE;
    }
  for (guint i = 0; i < s->changes->len; i++)
    {
      const BfkOutboxChange *c = &g_array_index (s->changes, BfkOutboxChange, i);

      tally (s->report, c->new_state);
      if (outbox->observer != NULL)
        {
          g_autoptr(BfkOpInfo) info = bfk_outbox_get (outbox->store, c->op_id, NULL);

          if (info != NULL)
            outbox->observer (c->op_id, c->old_state, c->new_state, info, outbox->observer_data);
        }
    }
  g_array_set_size (s->changes, 0);
  return TRUE;
}


/* --- gas ------------------------------------------------------------------ */

/* The operator's balance (in the report) against the thresholds. */
static void
judge_gas (Step *s)
{
  BfkOutbox *outbox = s->outbox;
  const OutboxKey *operator;
  BfkGasState state = BFK_GAS_OK;
  BfkU256 balance = s->report->gas_balance;

  if (outbox->keys->len == 0)
    return;
  operator = &g_array_index (outbox->keys, OutboxKey, 0);

  if (outbox->funds_refused && bfk_u256_cmp (balance, outbox->funds_refused_at) <= 0)
    state = BFK_GAS_PAUSED;
  else if (bfk_u256_cmp (balance, outbox->config.gas_pause_below) < 0)
    state = BFK_GAS_PAUSED;
  else if (bfk_u256_cmp (balance, outbox->config.gas_warn_below) < 0)
    state = BFK_GAS_LOW;
  if (state != BFK_GAS_PAUSED)
    outbox->funds_refused = FALSE;

  if (state > outbox->gas_state)
    {
      g_autofree gchar *amount = bfk_u256_format_units (balance, 18, 4);
      gchar address[BFK_ADDRESS_STRING_SIZE];

      bfk_address_to_string_buf (&operator->address, address);
      if (state == BFK_GAS_PAUSED)
        g_warning ("The operator %s has %s left for gas, too little to pay: sending is paused "
                   "until it is refilled", address, amount);
      else
        g_warning ("The operator %s has only %s left for gas: refill it soon", address, amount);
    }
  else if (state < outbox->gas_state)
    g_message ("The operator's gas was refilled: sending %s",
               state == BFK_GAS_PAUSED ? "stays paused" : "goes on");
  outbox->gas_state = state;
  s->report->gas_state = state;
}

/* --- the passes ----------------------------------------------------------- */

/* One round trip at the start of a pass: the head, the operator's balance
 * (unless recovering) and the nonce counts of the keys. */
static gboolean
survey (Step      *s,
        gboolean   recovering,
        GError   **error)
{
  BfkOutbox *outbox = s->outbox;
  guint n = outbox->keys->len;
  g_autofree BfkAddress *signers = g_new0 (BfkAddress, MAX (n, 1));
  g_autofree guint64 *latest = g_new0 (guint64, MAX (n, 1));
  g_autofree guint64 *pending = g_new0 (guint64, MAX (n, 1));

  for (guint k = 0; k < n; k++)
    signers[k] = g_array_index (outbox->keys, OutboxKey, k).address;
  if (!bfk_outbox_rpc_survey (outbox->rpc, recovering || n == 0 ? NULL : &signers[0],
                              &s->report->gas_balance, signers, n, &s->head, latest, pending,
                              error))
    return FALSE;
  for (guint k = 0; k < n; k++)
    {
      remember_nonce (s->latest, &signers[k], latest[k]);
      remember_nonce (s->pending, &signers[k], pending[k]);
    }
  return TRUE;
}

/* Whether the world looks as it did at the start of the last full pass,
 * which was recent: same head, same gas state, same nonce counts, same
 * number of operations under way, nothing left out of a count.  Such a pass would
 * only load everything to do nothing; the pass after FULL_PASS_MS does it
 * anyway, for what time alone changes (a transaction not mined in time). */
static gboolean
unchanged (Step    *s,
           GError **error)
{
  BfkOutbox *outbox = s->outbox;
  g_autoptr(GArray) view = g_array_new (FALSE, FALSE, sizeof (guint64));
  GError *store_error = NULL;
  guint64 v;
  gint64 now = g_get_monotonic_time ();
  gboolean same;

  g_array_append_val (view, s->head);
  v = s->report->gas_state;
  g_array_append_val (view, v);
  v = bfk_outbox_store_count_pending (outbox->store, &store_error);
  if (store_error != NULL)
    {
      g_propagate_error (error, store_error);
      return FALSE;
    }
  g_array_append_val (view, v);
  for (guint k = 0; k < outbox->keys->len; k++)
    {
      const BfkAddress *signer = &g_array_index (outbox->keys, OutboxKey, k).address;

      bfk_outbox_signer_nonce (s, signer, FALSE, &v, NULL);
      g_array_append_val (view, v);
      bfk_outbox_signer_nonce (s, signer, TRUE, &v, NULL);
      g_array_append_val (view, v);
    }
  same = outbox->view != NULL && outbox->view->len == view->len
         && memcmp (outbox->view->data, view->data, view->len * sizeof (guint64)) == 0
         && now - outbox->full_pass_at < FULL_PASS_MS * G_TIME_SPAN_MILLISECOND
         && g_hash_table_size (outbox->uncounted) == 0 && outbox->pipe_out == 0;
  if (!same)
    {
      g_clear_pointer (&outbox->view, g_array_unref);
      outbox->view = g_steal_pointer (&view);
      outbox->full_pass_at = now;
    }
  return same;
}

static gboolean
run (Step      *s,
     gboolean   recovering,
     GCancellable *cancellable,
     GError   **error)
{
  g_autoptr(GPtrArray) waiting = NULL;

  if (!bfk_outbox_land_piped (s, error) || !survey (s, recovering, error))
    return FALSE;
  if (!recovering)
    {
      GError *local = NULL;

      judge_gas (s);
      if (unchanged (s, &local))
        return TRUE;
      if (local != NULL)
        {
          g_propagate_error (error, local);
          return FALSE;
        }
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error)
      || (waiting = bfk_outbox_collect_receipts (s, error)) == NULL
      || !bfk_outbox_confirm_at_depth (s, error))
    return FALSE;
  if (s->report->gas_state == BFK_GAS_PAUSED)
    return TRUE;
  if (g_cancellable_set_error_if_cancelled (cancellable, error)
      || !bfk_outbox_tend_in_flight (s, waiting, error))
    return FALSE;
  if (recovering || s->report->gas_state == BFK_GAS_PAUSED)
    return TRUE;
  return !g_cancellable_set_error_if_cancelled (cancellable, error) && bfk_outbox_sign_queued (s, error);
}

/* A node that does not answer is a state of the world, not an error of
 * the pass. */
static gboolean
run_pass (BfkOutbox        *outbox,
          gboolean          recovering,
          GCancellable     *cancellable,
          BfkOutboxReport  *report,
          GError          **error)
{
  g_autoptr(GError) local = NULL;
  GError *store_error = NULL;
  Step s;
  gboolean ok;

  step_init (&s, outbox, report);
  s.force_resend = recovering;
  ok = run (&s, recovering, cancellable, &local);
  step_clear (&s);
  /* A pass cut short is done again in full, whatever the next one sees. */
  if (!ok || report->unreachable)
    g_clear_pointer (&outbox->view, g_array_unref);
  if (!ok && bfk_failure_class_from_error (local) == BFK_FAILURE_UNREACHABLE)
    {
      report->unreachable = TRUE;
      ok = TRUE;
    }
  else if (!ok)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  report->pending = (guint) bfk_outbox_store_count_pending (outbox->store, &store_error);
  if (store_error != NULL)
    {
      g_propagate_error (error, store_error);
      return FALSE;
    }
  return ok;
}

gboolean
bfk_outbox_recover (BfkOutbox     *outbox,
                    GCancellable  *cancellable,
                    GError       **error)
{
  BfkOutboxReport report = { 0 };

  if (!run_pass (outbox, TRUE, cancellable, &report, error))
    return FALSE;
  if (report.unreachable)
    {
      g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_TRANSPORT,
                   "The node at %s does not answer: the outbox cannot check what it sent "
                   "before; it will when the node is back", bfk_rpc_client_get_url (outbox->rpc));
      return FALSE;
    }
  outbox->recovered = TRUE;
  return TRUE;
}

gboolean
bfk_outbox_step (BfkOutbox        *outbox,
                 GCancellable     *cancellable,
                 BfkOutboxReport  *report,
                 GError          **error)
{
  BfkOutboxReport local = { 0 };

  if (report == NULL)
    report = &local;
  *report = (BfkOutboxReport) { .gas_state = outbox->gas_state };

  /* Nothing is sent before the node has been asked about the past. */
  if (!outbox->recovered)
    {
      if (!run_pass (outbox, TRUE, cancellable, report, error))
        return FALSE;
      if (report->unreachable)
        return TRUE;
      outbox->recovered = TRUE;
      *report = (BfkOutboxReport) { .gas_state = outbox->gas_state };
    }
  return run_pass (outbox, FALSE, cancellable, report, error);
}
