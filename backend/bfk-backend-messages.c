/* bfk-backend-messages.c: messages to members, from the backend's threads.
 *
 *  - the courier thread hands queued messages to Twilio (bfk-courier.h),
 *    with its own store connection since it blocks on the network;
 *  - after each follower step, the follower's thread turns the new events
 *    into notices for the members concerned (bfk-notices.h);
 *  - before each outbox step, the outbox's thread queues the expiry of
 *    proposals nobody accepted in time (bfk-expiry.h).
 */
#include "bfk-backend-private.h"

#include "bfk-courier.h"
#include "bfk-expiry.h"
#include "bfk-messages.h"
#include "bfk-notices.h"

#define COURIER_IDLE_MS       2000
#define COURIER_BATCH         20
#define NOTICES_BATCH         500
#define MESSAGE_COUNTS_EVERY  (5 * G_USEC_PER_SEC)

static void
count_messages (BfkBackend *self,
                BfkStore   *store)
{
  guint64 counts[BFK_MESSAGE_N_STATUSES] = { 0 };
  g_autoptr(GError) error = NULL;

  if (!bfk_messages_count_by_status (store, counts, &error))
    {
      g_warning ("Cannot count the messages: %s", error->message);
      return;
    }
  for (guint s = 0; s < BFK_MESSAGE_N_STATUSES; s++)
    bfk_metrics_set (self->metrics, "bafoka_messages", (gdouble) counts[s],
                     bfk_message_status_to_string (s), NULL);
}

static gpointer
courier_thread (gpointer data)
{
  BfkBackend *self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkStore) store = bfk_store_open (self->db_path, FALSE, &error);
  BfkCourierSetup setup = {
    .client = self->twilio,
    .from = self->config->twilio_whatsapp_number,
    .template_sid = self->config->twilio_content_sid,
  };
  gint64 counted = 0;

  if (!store)
    {
      g_critical ("The courier cannot open the store: %s", error->message);
      return NULL;
    }
  /* A message claimed by a courier that died never reached Twilio, or did
   * just before the crash: sent again, it may arrive twice, never zero
   * times. */
  if (bfk_messages_requeue_stale (store, bfk_store_now () + 1, &error) < 0)
    g_warning ("Could not queue again the messages of an earlier run: %s", error->message);

  for (;;)
    {
      g_autoptr(GError) step_error = NULL;
      BfkCourierReport report = { 0 };
      gboolean ok = bfk_courier_step (store, &setup, bfk_store_now (), COURIER_BATCH, &report, &step_error);
      guint handled = report.sent + report.retried + report.failed + report.refused;

      if (!ok)
        g_warning ("The courier could not read its queue: %s", step_error->message);
      if (handled > 0)
        g_message ("WhatsApp: %u sent, %u to retry, %u failed, %u outside the 24-hour window",
                   report.sent, report.retried, report.failed, report.refused);
      if (handled > 0 || g_get_monotonic_time () - counted > MESSAGE_COUNTS_EVERY)
        {
          count_messages (self, store);
          counted = g_get_monotonic_time ();
        }
      /* A full batch: more are due now. */
      if (ok && handled == COURIER_BATCH)
        {
          if (bfk_backend_is_quitting (self))
            break;
          continue;
        }
      if (!bfk_backend_wait (self, COURIER_IDLE_MS, &self->courier_wake))
        break;
    }
  return NULL;
}

void
bfk_backend_messages_start (BfkBackend *self)
{
  g_autofree gchar *callback = NULL;

  if (!bfk_config_has_twilio (self->config))
    {
      g_message ("No Twilio credentials: the webhook takes only local callers (the simulator), "
                 "and messages to members are kept, not sent");
      return;
    }
  self->twilio = bfk_twilio_client_new (self->config->twilio_api_base, self->config->twilio_account_sid,
                                        self->config->twilio_auth_token);
  callback = bfk_config_public_url (self->config, "/webhook/status");
  bfk_twilio_client_set_status_callback (self->twilio, callback);
  self->courier_thread = g_thread_new ("bfk-courier", courier_thread, self);
}

void
bfk_backend_messages_join (BfkBackend *self)
{
  g_clear_pointer (&self->courier_thread, g_thread_join);
  g_clear_pointer (&self->twilio, bfk_twilio_client_unref);
}

void
bfk_backend_tell_members (BfkBackend *self,
                          BfkStore   *store)
{
  gboolean can_send = self->twilio != NULL;
  gboolean more = TRUE;
  guint total = 0;

  while (more && !bfk_backend_is_quitting (self))
    {
      g_autoptr(GError) error = NULL;
      guint queued = 0;

      if (!bfk_notices_step (store, can_send, NOTICES_BATCH, &queued, &more, &error))
        {
          g_warning ("Could not tell members what the chain did: %s", error->message);
          break;
        }
      total += queued;
    }
  if (total > 0 && can_send)
    bfk_backend_wake (self, &self->courier_wake);
}

BfkBotChain
bfk_backend_bot_chain (BfkBackend *self,
                       BfkStore   *store)
{
  return (BfkBotChain) {
    .store = store,
    .rpc = self->conn->rpc,
    .data_key = self->data_key,
    .operator_address = &self->operator,
    .contract = &self->conn->contract,
    /* Grows with CommunityAdded, from the follower's thread. */
    .n_communities = (guint) g_atomic_int_get (&self->n_communities),
  };
}

void
bfk_backend_expire_proposals (BfkBackend *self,
                              BfkStore   *store)
{
  g_autoptr(GArray) op_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) error = NULL;
  BfkBotChain chain = bfk_backend_bot_chain (self, store);

  if (!bfk_expiry_step (&chain, bfk_store_now (), 100, op_ids, &error))
    {
      g_warning ("Could not expire the proposals past their deadline: %s", error->message);
      return;
    }
  for (guint i = 0; i < op_ids->len; i++)
    bfk_backend_emit_queued (self, g_array_index (op_ids, gint64, i), NULL);
}
