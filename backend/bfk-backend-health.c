/* bfk-backend-health.c: what /healthz and /metrics report, and the
 * console's status call. */
#include "bfk-backend-private.h"

#include <string.h>

static const gdouble confirmation_buckets[] = { 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600 };

const gchar *
bfk_gas_state_to_string (BfkGasState state)
{
  switch (state)
    {
    case BFK_GAS_OK:
      return "ok";
    case BFK_GAS_LOW:
      return "low";
    case BFK_GAS_PAUSED:
      return "paused";
    default:
      return "unknown";
    }
}

static void
collect_process (BfkMetrics *metrics,
                 gpointer    user_data)
{
  bfk_metrics_set (metrics, "process_resident_memory_bytes", (gdouble) bfk_metrics_process_rss (), NULL);
}

/* The families, in the order /metrics lists them.  The confirmation time is
 * the only histogram. */
static const struct
{
  const gchar   *name;
  BfkMetricType  type;
  const gchar   *label;
  const gchar   *help;
} families[] = {
  { "bafoka_operations", BFK_METRIC_GAUGE, "state", "Operations in the outbox, by state" },
  { "bafoka_confirmation_seconds", BFK_METRIC_HISTOGRAM, NULL,
    "Time from the first send of an operation to its receipt" },
  { "bafoka_gas_used_total", BFK_METRIC_COUNTER, "kind", "Gas used by finished operations, by kind" },
  { "bafoka_fee_paid_wei_total", BFK_METRIC_COUNTER, "kind",
    "Fees paid by finished operations in wei, by kind" },
  { "bafoka_operation_outcomes_total", BFK_METRIC_COUNTER, "class",
    "Finished operations by outcome: success, or the class of failure" },
  { "bafoka_follower_lag_blocks", BFK_METRIC_GAUGE, NULL,
    "Blocks between the node's head and the last block whose events are stored" },
  { "bafoka_chain_head_block", BFK_METRIC_GAUGE, NULL, "The node's latest block" },
  { "bafoka_follower_synced_block", BFK_METRIC_GAUGE, NULL, "The last block whose events are stored" },
  { "bafoka_events_total", BFK_METRIC_COUNTER, "event", "Contract events stored, by event" },
  { "bafoka_reorgs_total", BFK_METRIC_COUNTER, NULL, "Chain reorganisations handled" },
  { "bafoka_reconcile_differences", BFK_METRIC_GAUGE, NULL,
    "Accounts whose derived balance differed from the chain at the last reconciliation" },
  { "bafoka_operator_gas_balance_wei", BFK_METRIC_GAUGE, NULL, "The operator key's balance for gas, in wei" },
  { "bafoka_operator_gas_state", BFK_METRIC_GAUGE, NULL, "0 ok, 1 low (a warning), 2 paused (too low to send)" },
  { "process_resident_memory_bytes", BFK_METRIC_GAUGE, NULL, "Resident memory size in bytes" },
};

void
bfk_backend_metrics_declare (BfkBackend *self)
{
  BfkMetrics *m = self->metrics;

  for (gsize i = 0; i < G_N_ELEMENTS (families); i++)
    {
      const gchar * const labels[] = { families[i].label, NULL };
      gboolean histogram = families[i].type == BFK_METRIC_HISTOGRAM;

      bfk_metrics_declare (m, families[i].name, families[i].type, families[i].help, labels,
                           histogram ? confirmation_buckets : NULL,
                           histogram ? G_N_ELEMENTS (confirmation_buckets) : 0);
    }
  bfk_metrics_add_collector (m, collect_process, NULL);

  /* Every series exists from the start, so that rates and alerts see a 0
   * before the first event rather than nothing. */
  for (guint s = 0; s < BFK_OP_N_STATES; s++)
    bfk_metrics_set (m, "bafoka_operations", 0, bfk_op_state_to_string (s), NULL);
  for (guint k = 0; k < BFK_OP_N_KINDS; k++)
    {
      bfk_metrics_add (m, "bafoka_gas_used_total", 0, bfk_op_kind_to_string (k), NULL);
      bfk_metrics_add (m, "bafoka_fee_paid_wei_total", 0, bfk_op_kind_to_string (k), NULL);
    }
  bfk_metrics_add (m, "bafoka_operation_outcomes_total", 0, "success", NULL);
  bfk_metrics_add (m, "bafoka_operation_outcomes_total", 0, "replaced", NULL);
  for (guint c = BFK_FAILURE_REVERTED; c < BFK_FAILURE_N_CLASSES; c++)
    bfk_metrics_add (m, "bafoka_operation_outcomes_total", 0, bfk_failure_class_to_string (c), NULL);
}

static const gchar *
overall_status (const BfkBackendHealth *h,
                const gchar            *rpc_error)
{
  if (rpc_error || !h->follower_ran)
    return "down";
  if (h->gas_state != BFK_GAS_OK || h->lag > BFK_BACKEND_LAG_DEGRADED || !h->outbox_ran)
    return "degraded";
  return "ok";
}

BfkBackendStatus *
bfk_backend_status_snapshot (BfkBackend *self)
{
  BfkBackendStatus *s = g_new0 (BfkBackendStatus, 1);
  const BfkBackendHealth *h = &self->health;

  s->metrics = bfk_metrics_render (self->metrics);
  s->chain_id = self->config->chain_id;
  s->twilio_configured = self->config->twilio_account_sid && self->config->twilio_auth_token;

  g_mutex_lock (&self->health_mutex);
  s->head = h->head;
  s->synced = h->synced;
  s->lag = h->lag;
  s->rpc_error = g_strdup (h->follower_error ? h->follower_error : h->outbox_error);
  memcpy (s->operations, h->operations, sizeof s->operations);
  s->gas_state = h->gas_state;
  s->gas_balance = h->gas_balance;
  s->status = overall_status (h, s->rpc_error);
  g_mutex_unlock (&self->health_mutex);
  return s;
}

void
bfk_backend_status_free (BfkBackendStatus *status)
{
  if (!status)
    return;
  g_free (status->rpc_error);
  g_free (status->metrics);
  g_free (status);
}

JsonNode *
bfk_backend_status_to_json (const BfkBackendStatus *s)
{
  JsonObject *root = json_object_new ();
  JsonObject *chain = json_object_new ();
  JsonObject *outbox = json_object_new ();
  JsonObject *twilio = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  g_autofree gchar *wei = bfk_u256_to_decimal (s->gas_balance);

  json_object_set_string_member (root, "status", s->status);

  json_object_set_int_member (chain, "chain_id", (gint64) s->chain_id);
  json_object_set_int_member (chain, "head", (gint64) s->head);
  json_object_set_int_member (chain, "synced", (gint64) s->synced);
  json_object_set_int_member (chain, "lag", (gint64) s->lag);
  json_object_set_string_member (chain, "rpc", s->rpc_error ? s->rpc_error : "ok");
  json_object_set_object_member (root, "chain", chain);

  for (guint i = 0; i < BFK_OP_N_STATES; i++)
    json_object_set_int_member (outbox, bfk_op_state_to_string (i), (gint64) s->operations[i]);
  json_object_set_string_member (outbox, "gas_state", bfk_gas_state_to_string (s->gas_state));
  /* Wei exceed JSON's safe integers: a decimal string. */
  json_object_set_string_member (outbox, "gas_balance_wei", wei);
  json_object_set_object_member (root, "outbox", outbox);

  json_object_set_boolean_member (twilio, "configured", s->twilio_configured);
  json_object_set_object_member (root, "twilio", twilio);

  json_node_take_object (node, root);
  return node;
}
