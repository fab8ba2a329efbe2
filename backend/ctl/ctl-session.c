/* ctl-session.c */
#include "ctl-session.h"
#include "bfk-contract.h"
#include "bfk-follower.h"

#include <string.h>

/* Long enough for a congested Polygon; the local network takes seconds. */
#define DRIVE_TIMEOUT_S (30 * 60)

gboolean
ctl_session_open (Ctl         *ctl,
                  CtlSession  *s,
                  gboolean     need_operator,
                  GError     **error)
{
  BfkConfig *config = ctl_config (ctl);
  g_autofree gchar *db = g_build_filename (config->data_dir, "bafoka.db", NULL);
  BfkU256 count;

  memset (s, 0, sizeof *s);
  s->conn = bfk_connection_open (config, NULL, error);
  if (!s->conn || !bfk_connection_require_contract (s->conn, error))
    return FALSE;
  if (need_operator)
    {
      if (!ctl_operator_key (ctl, &s->operator_key, error)
          || !bfk_private_key_to_address (&s->operator_key, &s->operator, error))
        return FALSE;
      bfk_key_box_derive_data_key (&s->operator_key, s->data_key);
    }
  if (!bfk_contract_read_uint (s->conn->rpc, &s->conn->contract, "communityCount", NULL, &count, error))
    return FALSE;
  s->n_communities = (guint) bfk_u256_to_u64 (count);
  s->store = bfk_store_open (db, FALSE, error);
  return s->store != NULL;
}

void
ctl_session_close (CtlSession *s)
{
  g_clear_pointer (&s->lock, bfk_outbox_lock_release);
  g_clear_pointer (&s->store, bfk_store_close);
  g_clear_pointer (&s->conn, bfk_connection_close);
  bfk_private_key_wipe (&s->operator_key);
  memset (s->data_key, 0, sizeof s->data_key);
}

gboolean
ctl_session_take_outbox (CtlSession *s)
{
  if (!s->lock)
    s->lock = bfk_outbox_lock_acquire (s->conn->config->data_dir, NULL);
  return s->lock != NULL;
}

static gboolean
is_final (BfkOpState state)
{
  return state == BFK_OP_CONFIRMED || state == BFK_OP_FAILED || state == BFK_OP_REPLACED;
}

/* How many of the operations are final. */
static guint
count_final (BfkStore     *store,
             const gint64 *ids,
             guint         n,
             GError      **error)
{
  guint done = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BfkOpInfo) info = bfk_outbox_get (store, ids[i], error);

      if (!info)
        return G_MAXUINT;
      done += is_final (info->state);
    }
  return done;
}

gboolean
ctl_session_drive (Ctl                 *ctl,
                   CtlSession          *s,
                   const gint64        *ids,
                   guint                n,
                   const BfkPrivateKey *extra_key,
                   GError             **error)
{
  g_autoptr(BfkOutbox) outbox = NULL;
  BfkOutboxConfig config;
  gint64 deadline = g_get_monotonic_time () + DRIVE_TIMEOUT_S * G_USEC_PER_SEC;
  guint done = 0, shown = G_MAXUINT;

  if (!ctl_session_take_outbox (s))
    {
      ctl_progress (ctl, "A backend drives the outbox of this data folder: it will send the "
                    "queued operations.");
      return TRUE;
    }

  bfk_outbox_config_init (&config, s->conn->chain_id, s->conn->config->confirmations);
  outbox = bfk_outbox_new (s->store, s->conn->rpc, s->conn->chain_id, &config);
  bfk_outbox_add_key (outbox, &s->operator_key);
  if (extra_key)
    bfk_outbox_add_key (outbox, extra_key);
  if (!bfk_outbox_recover (outbox, NULL, error))
    return FALSE;

  while ((done = count_final (s->store, ids, n, error)) < n)
    {
      BfkOutboxReport report;

      if (done == G_MAXUINT || !bfk_outbox_step (outbox, NULL, &report, error))
        return FALSE;
      if (done != shown)
        ctl_progress (ctl, "Sending: %u of %u operations done", done, n);
      shown = done;
      if (report.gas_state == BFK_GAS_PAUSED)
        {
          g_set_error (error, BFK_CONFIG_ERROR, BFK_CONFIG_ERROR_INVALID,
                       "The operator has too little gas to send: add funds to it, and the "
                       "queued operations will go out on the next run");
          return FALSE;
        }
      if (g_get_monotonic_time () > deadline)
        {
          g_set_error (error, BFK_CONFIG_ERROR, BFK_CONFIG_ERROR_INVALID,
                       "Operations are still pending after %d minutes; they stay queued, "
                       "and “bafokactl tx” shows them", DRIVE_TIMEOUT_S / 60);
          return FALSE;
        }
      if (report.signed_now + report.sent_now + report.mined_now + report.confirmed_now == 0)
        g_usleep (200 * 1000);
    }
  return done != G_MAXUINT;
}

gboolean
ctl_session_sync (Ctl         *ctl,
                  CtlSession  *s,
                  GError     **error)
{
  g_autoptr(BfkFollower) follower = NULL;
  BfkFollowerReport report = { .lag = 1 };

  /* A running backend follows the chain itself; two followers on one
   * store would apply the same events twice. */
  if (!ctl_session_take_outbox (s))
    return TRUE;
  follower = bfk_follower_new (s->store, s->conn->rpc, &s->conn->contract, s->conn->deploy_block,
                               s->conn->config->confirmations);
  while (report.lag > 0)
    {
      if (!bfk_follower_step (follower, NULL, &report, error))
        return FALSE;
      if (report.lag > 0)
        ctl_progress (ctl, "Reading the chain: block %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT,
                      report.synced, report.head);
    }
  return TRUE;
}

void
ctl_add_operation_json (JsonBuilder     *b,
                        const BfkOpInfo *op)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, op->id);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, bfk_op_kind_to_string (op->kind));
  json_builder_set_member_name (b, "state");
  json_builder_add_string_value (b, bfk_op_state_to_string (op->state));
  json_builder_set_member_name (b, "summary");
  json_builder_add_string_value (b, op->summary);
  json_builder_set_member_name (b, "signer");
  json_builder_add_string_value (b, op->signer);
  json_builder_set_member_name (b, "nonce");
  json_builder_add_int_value (b, (gint64) op->nonce);
  json_builder_set_member_name (b, "tx");
  if (op->tx_hash)
    json_builder_add_string_value (b, op->tx_hash);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "block");
  if (op->block_number)
    json_builder_add_int_value (b, (gint64) op->block_number);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "attempts");
  json_builder_add_int_value (b, op->attempts);
  json_builder_set_member_name (b, "failure_class");
  if (op->failure_class != BFK_FAILURE_NONE)
    json_builder_add_string_value (b, bfk_failure_class_to_string (op->failure_class));
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "reason");
  if (op->reason)
    json_builder_add_string_value (b, op->reason);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "gas_used");
  json_builder_add_int_value (b, (gint64) op->gas_used);
  json_builder_set_member_name (b, "fee_paid_wei");
  if (op->fee_paid)
    json_builder_add_string_value (b, op->fee_paid);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "created_at");
  json_builder_add_int_value (b, op->created_at);
  json_builder_end_object (b);
}
