/* bfk-backend-chain.c: the outbox driver and the follower, each on its own
 * thread with its own store connection, since both block on the network
 * (SQLite's WAL and busy timeout serialise their writes).  They report to
 * the backend: health, metrics, and signals for the console. */
#include "bfk-backend-private.h"

#include <string.h>

/* Pacing: quick while there is work, slower when idle or when the node is
 * down; a reconciliation of balances every few minutes. */
#define BUSY_MS             200
#define IDLE_MS             1500
#define RETRY_MS            2000
#define GAS_PAUSED_MS       5000
#define COUNTS_EVERY_US     (5 * G_USEC_PER_SEC)
#define PROGRESS_EVERY_US   (G_USEC_PER_SEC / 4)
#define RECONCILE_EVERY_US  (300 * G_USEC_PER_SEC)
#define RECONCILE_SAMPLE    200
#define EXPIRY_EVERY_US     (5 * G_USEC_PER_SEC)

/* --- reporting ----------------------------------------------------------------- */

static void
set_error_text (gchar       **slot,
                const GError *error,
                const gchar  *what)
{
  g_autofree gchar *text = error ? g_strdup (error->message) : g_strdup (what);

  /* Log each new problem once, not every retry. */
  if (text && g_strcmp0 (*slot, text) != 0)
    g_warning ("%s", text);
  else if (!text && *slot)
    g_message ("The node answers again");
  g_free (*slot);
  *slot = g_steal_pointer (&text);
}

void
bfk_backend_emit_queued (BfkBackend  *self,
                         gint64       op_id,
                         const gchar *summary)
{
  GValue v[5] = { G_VALUE_INIT, G_VALUE_INIT, G_VALUE_INIT, G_VALUE_INIT, G_VALUE_INIT };

  g_value_set_int64 (g_value_init (&v[0], G_TYPE_INT64), op_id);
  g_value_set_int (g_value_init (&v[1], G_TYPE_INT), BFK_OP_QUEUED);
  g_value_set_int (g_value_init (&v[2], G_TYPE_INT), BFK_OP_QUEUED);
  g_value_set_string (g_value_init (&v[3], G_TYPE_STRING), summary);
  g_value_init (&v[4], G_TYPE_STRING);
  bfk_backend_emit (self, SIGNAL_OPERATION_CHANGED, v, G_N_ELEMENTS (v));
}

/* --- the outbox thread -------------------------------------------------------------- */

typedef struct
{
  BfkBackend *self;
  GHashTable *sent_at;      /* op id → monotonic time of its first send */
  BfkGasState gas_state;
  gboolean    gas_known;
} OutboxWorker;

static gchar *
describe_change (BfkOpState       state,
                 const BfkOpInfo *info)
{
  switch (state)
    {
    case BFK_OP_SIGNED:
      return g_strdup_printf ("nonce %" G_GUINT64_FORMAT, info->nonce);
    case BFK_OP_SENT:
      return g_strdup_printf ("tx %s, attempt %u", info->tx_hash ? info->tx_hash : "?", info->attempts);
    case BFK_OP_MINED:
    case BFK_OP_CONFIRMED:
      return g_strdup_printf ("block %" G_GUINT64_FORMAT ", gas %" G_GUINT64_FORMAT ", tx %s",
                              info->block_number, info->gas_used, info->tx_hash ? info->tx_hash : "?");
    case BFK_OP_FAILED:
      return g_strdup_printf ("%s: %s", bfk_failure_class_to_string (info->failure_class),
                              info->reason ? info->reason : "no reason given");
    default:
      return NULL;
    }
}

static void
count_confirmation_time (OutboxWorker    *w,
                         BfkOpState       old_state,
                         BfkOpState       new_state,
                         const BfkOpInfo *info)
{
  gint64 *sent;
  gdouble seconds = -1;

  if (new_state == BFK_OP_SENT && !g_hash_table_contains (w->sent_at, &info->id))
    {
      /* { id, time }: the key is the first field, the value the whole. */
      sent = g_new (gint64, 2);
      sent[0] = info->id;
      sent[1] = g_get_monotonic_time ();
      g_hash_table_insert (w->sent_at, sent, sent);
      return;
    }
  /* The receipt: MINED, or straight to CONFIRMED when the depth is 0. */
  if (new_state != BFK_OP_MINED && !(new_state == BFK_OP_CONFIRMED && old_state < BFK_OP_MINED))
    return;
  sent = g_hash_table_lookup (w->sent_at, &info->id);
  if (sent)
    seconds = (gdouble) (g_get_monotonic_time () - sent[1]) / G_USEC_PER_SEC;
  else if (info->sent_at > 0 && info->mined_at >= info->sent_at)
    /* Sent before a restart: the stored times, to the second. */
    seconds = (gdouble) (info->mined_at - info->sent_at);
  g_hash_table_remove (w->sent_at, &info->id);
  if (seconds >= 0)
    bfk_metrics_observe (w->self->metrics, "bafoka_confirmation_seconds", seconds, NULL);
}

static void
count_outcome (OutboxWorker    *w,
               BfkOpState       new_state,
               const BfkOpInfo *info)
{
  BfkMetrics *m = w->self->metrics;
  const gchar *kind = bfk_op_kind_to_string (info->kind);
  const gchar *klass;

  switch (new_state)
    {
    case BFK_OP_CONFIRMED:
      klass = "success";
      break;
    case BFK_OP_FAILED:
      klass = bfk_failure_class_to_string (info->failure_class);
      break;
    case BFK_OP_REPLACED:
      klass = "replaced";
      break;
    default:
      return;
    }
  g_hash_table_remove (w->sent_at, &info->id);
  bfk_metrics_add (m, "bafoka_operation_outcomes_total", 1, klass, NULL);
  /* A mined revert pays for its gas too. */
  if (info->gas_used > 0)
    bfk_metrics_add (m, "bafoka_gas_used_total", (gdouble) info->gas_used, kind, NULL);
  if (info->fee_paid)
    bfk_metrics_add (m, "bafoka_fee_paid_wei_total", g_ascii_strtod (info->fee_paid, NULL), kind, NULL);
}

static void
on_operation (gint64           op_id,
              BfkOpState       old_state,
              BfkOpState       new_state,
              const BfkOpInfo *info,
              gpointer         user_data)
{
  OutboxWorker *w = user_data;
  GValue v[5] = { G_VALUE_INIT, G_VALUE_INIT, G_VALUE_INIT, G_VALUE_INIT, G_VALUE_INIT };

  count_confirmation_time (w, old_state, new_state, info);
  count_outcome (w, new_state, info);

  g_value_set_int64 (g_value_init (&v[0], G_TYPE_INT64), op_id);
  g_value_set_int (g_value_init (&v[1], G_TYPE_INT), old_state);
  g_value_set_int (g_value_init (&v[2], G_TYPE_INT), new_state);
  g_value_set_string (g_value_init (&v[3], G_TYPE_STRING), info->summary);
  g_value_take_string (g_value_init (&v[4], G_TYPE_STRING), describe_change (new_state, info));
  bfk_backend_emit (w->self, SIGNAL_OPERATION_CHANGED, v, G_N_ELEMENTS (v));
}

static void
update_counts (BfkBackend *self,
               BfkStore   *store)
{
  guint64 counts[BFK_OP_N_STATES] = { 0 };
  g_autoptr(GError) error = NULL;

  if (!bfk_outbox_count_by_state (store, counts, &error))
    {
      g_warning ("Cannot count the operations: %s", error->message);
      return;
    }
  g_mutex_lock (&self->health_mutex);
  memcpy (self->health.operations, counts, sizeof counts);
  g_mutex_unlock (&self->health_mutex);
  for (guint s = 0; s < BFK_OP_N_STATES; s++)
    bfk_metrics_set (self->metrics, "bafoka_operations", (gdouble) counts[s],
                     bfk_op_state_to_string (s), NULL);
}

static void
report_gas (OutboxWorker          *w,
            const BfkOutboxReport *report)
{
  BfkBackend *self = w->self;
  GValue v[2] = { G_VALUE_INIT, G_VALUE_INIT };
  g_autofree gchar *wei = bfk_u256_to_decimal (report->gas_balance);

  bfk_metrics_set (self->metrics, "bafoka_operator_gas_balance_wei",
                   g_ascii_strtod (wei, NULL), NULL);
  bfk_metrics_set (self->metrics, "bafoka_operator_gas_state", report->gas_state, NULL);
  if (w->gas_known && w->gas_state == report->gas_state)
    return;
  /* The first report matters only when it is bad news. */
  if (w->gas_known || report->gas_state != BFK_GAS_OK)
    {
      if (report->gas_state != BFK_GAS_OK)
        g_warning ("The operator's gas is %s: %s wei", bfk_gas_state_to_string (report->gas_state), wei);
      g_value_set_int (g_value_init (&v[0], G_TYPE_INT), report->gas_state);
      g_value_set_string (g_value_init (&v[1], G_TYPE_STRING), wei);
      bfk_backend_emit (self, SIGNAL_GAS_WARNING, v, G_N_ELEMENTS (v));
    }
  w->gas_known = TRUE;
  w->gas_state = report->gas_state;
}

static void
report_step (OutboxWorker          *w,
             gboolean               ok,
             const BfkOutboxReport *report,
             const GError          *error)
{
  BfkBackend *self = w->self;

  g_mutex_lock (&self->health_mutex);
  self->health.outbox_ran |= ok;
  if (!ok)
    set_error_text (&self->health.outbox_error, error, NULL);
  else
    {
      set_error_text (&self->health.outbox_error, NULL,
                      report->unreachable ? "The node does not answer: operations wait" : NULL);
      self->health.gas_state = report->gas_state;
      self->health.gas_balance = report->gas_balance;
    }
  g_mutex_unlock (&self->health_mutex);
  if (ok && !report->unreachable)
    report_gas (w, report);
}

static guint
next_delay (gboolean               ok,
            const BfkOutboxReport *report)
{
  if (!ok || report->unreachable)
    return RETRY_MS;
  if (report->gas_state == BFK_GAS_PAUSED)
    return GAS_PAUSED_MS;
  return report->pending ? BUSY_MS : IDLE_MS;
}

static void
drive_outbox (BfkBackend *self,
              BfkOutbox  *outbox,
              BfkStore   *store,
              OutboxWorker *w)
{
  gint64 counted = 0;
  gint64 expired = 0;

  for (;;)
    {
      g_autoptr(GError) error = NULL;

      bfk_backend_take_keys (self, outbox);
      if (bfk_outbox_recover (outbox, self->cancellable, &error))
        break;
      report_step (w, FALSE, NULL, error);
      if (!bfk_backend_wait (self, RETRY_MS, NULL))
        return;
    }

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      BfkOutboxReport report = { 0 };
      gboolean ok;

      if (g_get_monotonic_time () - expired > EXPIRY_EVERY_US)
        {
          bfk_backend_expire_proposals (self, store);
          expired = g_get_monotonic_time ();
        }
      bfk_backend_take_keys (self, outbox);
      ok = bfk_outbox_step (outbox, self->cancellable, &report, &error);
      guint moved = report.signed_now + report.sent_now + report.mined_now + report.confirmed_now
                    + report.failed_now + report.bumped_now;
      gint64 now = g_get_monotonic_time ();

      if (bfk_backend_is_quitting (self))
        return;
      report_step (w, ok, &report, error);
      if (moved > 0 || now - counted > COUNTS_EVERY_US)
        {
          update_counts (self, store);
          counted = now;
        }
      if (!bfk_backend_wait (self, next_delay (ok, &report), &self->outbox_wake))
        return;
    }
}

static gpointer
outbox_thread (gpointer data)
{
  BfkBackend *self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkStore) store = bfk_store_open (self->db_path, FALSE, &error);
  g_autoptr(BfkOutbox) outbox = NULL;
  BfkOutboxConfig config;
  OutboxWorker w = { self, NULL, BFK_GAS_OK, FALSE };

  if (!store)
    {
      g_critical ("The outbox cannot open the store: %s", error->message);
      return NULL;
    }
  w.sent_at = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, g_free);
  bfk_outbox_config_init (&config, self->conn->chain_id, self->config->confirmations);
  outbox = bfk_outbox_new (store, self->conn->rpc, self->conn->chain_id, &config);
  bfk_outbox_add_key (outbox, &self->operator_key);
  bfk_outbox_set_observer (outbox, on_operation, &w);
  update_counts (self, store);

  drive_outbox (self, outbox, store, &w);

  g_clear_pointer (&outbox, bfk_outbox_free);
  g_hash_table_unref (w.sent_at);
  return NULL;
}

/* --- the follower thread ---------------------------------------------------------- */

typedef struct
{
  BfkBackend *self;
  gint64      progress_at;
} FollowerWorker;

static void
note_community (BfkBackend *self,
                guint64     id)
{
  guint known;

  /* Enrolment checks community ids against what the chain has. */
  do
    known = (guint) g_atomic_int_get (&self->n_communities);
  while (id > known
         && !g_atomic_int_compare_and_exchange (&self->n_communities, known, (guint) id));
}

static void
on_event (const BfkEvent *event,
          gboolean        confirmed,
          gpointer        user_data)
{
  FollowerWorker *w = user_data;
  GValue v[4] = { G_VALUE_INIT, G_VALUE_INIT, G_VALUE_INIT, G_VALUE_INIT };

  if (event->kind == BFK_EVENT_COMMUNITY_ADDED)
    note_community (w->self, event->community_id);
  bfk_metrics_add (w->self->metrics, "bafoka_events_total", 1, event->event_name, NULL);

  g_value_set_string (g_value_init (&v[0], G_TYPE_STRING), event->event_name);
  g_value_take_string (g_value_init (&v[1], G_TYPE_STRING), bfk_event_describe (event));
  g_value_set_uint64 (g_value_init (&v[2], G_TYPE_UINT64), event->block_number);
  g_value_set_boolean (g_value_init (&v[3], G_TYPE_BOOLEAN), confirmed);
  bfk_backend_emit (w->self, SIGNAL_EVENT, v, G_N_ELEMENTS (v));
}

static void
on_progress (guint64  done,
             guint64  total,
             gpointer user_data)
{
  FollowerWorker *w = user_data;
  GValue v[2] = { G_VALUE_INIT, G_VALUE_INIT };
  gint64 now = g_get_monotonic_time ();

  /* A long catch-up reports per chunk: a few updates a second are enough. */
  if (done < total && now - w->progress_at < PROGRESS_EVERY_US)
    return;
  w->progress_at = now;
  g_value_set_uint64 (g_value_init (&v[0], G_TYPE_UINT64), done);
  g_value_set_uint64 (g_value_init (&v[1], G_TYPE_UINT64), total);
  bfk_backend_emit (w->self, SIGNAL_SYNC_PROGRESS, v, G_N_ELEMENTS (v));
}

static void
report_follower (BfkBackend              *self,
                 gboolean                 ok,
                 const BfkFollowerReport *report,
                 const GError            *error)
{
  g_mutex_lock (&self->health_mutex);
  if (!ok)
    set_error_text (&self->health.follower_error, error, NULL);
  else
    {
      set_error_text (&self->health.follower_error, NULL, NULL);
      self->health.follower_ran = TRUE;
      self->health.head = report->head;
      self->health.synced = report->synced;
      self->health.lag = report->lag;
    }
  g_mutex_unlock (&self->health_mutex);
  if (!ok)
    return;
  bfk_metrics_set (self->metrics, "bafoka_chain_head_block", (gdouble) report->head, NULL);
  bfk_metrics_set (self->metrics, "bafoka_follower_synced_block", (gdouble) report->synced, NULL);
  bfk_metrics_set (self->metrics, "bafoka_follower_lag_blocks", (gdouble) report->lag, NULL);
  if (report->reorgs > 0)
    {
      bfk_metrics_add (self->metrics, "bafoka_reorgs_total", report->reorgs, NULL);
      g_warning ("Reorganisation: events from block %" G_GUINT64_FORMAT " rolled back and read again",
                 report->rolled_back_from);
    }
}

static void
reconcile (BfkBackend  *self,
           BfkFollower *follower)
{
  g_autoptr(GError) error = NULL;
  gint differences = bfk_follower_reconcile (follower, RECONCILE_SAMPLE, self->cancellable, &error);

  if (differences < 0)
    {
      if (!bfk_backend_is_quitting (self))
        g_warning ("Reconciliation failed: %s", error->message);
      return;
    }
  bfk_metrics_set (self->metrics, "bafoka_reconcile_differences", differences, NULL);
  if (differences > 0)
    g_warning ("Reconciliation: %d accounts differ from the chain", differences);
}

static gpointer
follower_thread (gpointer data)
{
  BfkBackend *self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkStore) store = bfk_store_open (self->db_path, FALSE, &error);
  g_autoptr(BfkFollower) follower = NULL;
  FollowerWorker w = { self, 0 };
  gint64 reconciled = g_get_monotonic_time ();

  if (!store)
    {
      g_critical ("The follower cannot open the store: %s", error->message);
      return NULL;
    }
  follower = bfk_follower_new (store, self->conn->rpc, &self->conn->contract,
                               self->conn->deploy_block, self->config->confirmations);
  bfk_follower_set_event_func (follower, on_event, &w);
  bfk_follower_set_progress_func (follower, on_progress, &w);

  for (;;)
    {
      g_autoptr(GError) step_error = NULL;
      BfkFollowerReport report = { 0 };
      gboolean ok = bfk_follower_step (follower, self->cancellable, &report, &step_error);
      guint delay = !ok ? RETRY_MS : report.lag > 0 ? BUSY_MS : IDLE_MS;

      if (bfk_backend_is_quitting (self))
        break;
      report_follower (self, ok, &report, step_error);
      if (ok)
        bfk_backend_tell_members (self, store);
      if (ok && g_get_monotonic_time () - reconciled > RECONCILE_EVERY_US)
        {
          reconcile (self, follower);
          reconciled = g_get_monotonic_time ();
        }
      if (!bfk_backend_wait (self, delay, NULL))
        break;
    }
  g_clear_pointer (&follower, bfk_follower_free);
  return NULL;
}

/* --- the backend's side --------------------------------------------------------- */

void
bfk_backend_chain_start (BfkBackend *self)
{
  self->outbox_thread = g_thread_new ("bfk-outbox", outbox_thread, self);
  self->follower_thread = g_thread_new ("bfk-follower", follower_thread, self);
}

void
bfk_backend_chain_join (BfkBackend *self)
{
  g_clear_pointer (&self->outbox_thread, g_thread_join);
  g_clear_pointer (&self->follower_thread, g_thread_join);
  bfk_backend_forget_signers (self);
}
