/* bfk-backend-webhook.c: Twilio's calls: POST /webhook (a member's message)
 * and POST /webhook/status (what became of ours).
 *
 * Who may call: with a Twilio auth token configured, only requests that
 * carry Twilio's signature of BAFOKA_PUBLIC_URL + the path; without one (the
 * simulator, the tests), only callers on this machine.  Anything else gets
 * 403 and changes nothing.
 *
 * Group commit.  Every answer waits for its message to be on disk, and a
 * commit costs an fsync.  So the first request of a main-loop iteration
 * opens a transaction, each request of that iteration is handled inside it
 * (in its own savepoint) and paused, and an idle callback at the same
 * priority as the sockets commits once and answers them all.  Under load one
 * fsync serves every request that arrived together; alone, a request waits
 * for nothing but its own commit.
 */
#include "bfk-backend-private.h"

#include <string.h>

#include "bfk-form.h"
#include "bfk-inbound.h"
#include "bfk-messages.h"
#include "bfk-twilio-signature.h"
#include "bfk-twiml.h"

static const gdouble response_buckets[] = {
  0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1
};

typedef struct
{
  SoupServerMessage *msg;
  guint              status;
  gchar             *content_type;
  gchar             *body;
  gint64             received_us;    /* monotonic */
  gboolean           bot;            /* a /webhook message: its time is the bot's */
} Pending;

static void
pending_free (Pending *p)
{
  g_object_unref (p->msg);
  g_free (p->content_type);
  g_free (p->body);
  g_free (p);
}

void
bfk_backend_webhook_declare (BfkBackend *self)
{
  const gchar * const outcome[] = { "outcome", NULL };
  const gchar * const status[] = { "status", NULL };

  bfk_metrics_declare (self->metrics, "bafoka_bot_response_seconds", BFK_METRIC_HISTOGRAM,
                       "Time from a WhatsApp message's arrival to its TwiML answer, committed",
                       NULL, response_buckets, G_N_ELEMENTS (response_buckets));
  bfk_metrics_declare (self->metrics, "bafoka_webhook_requests_total", BFK_METRIC_COUNTER,
                       "Twilio webhook calls, by outcome", outcome, NULL, 0);
  bfk_metrics_declare (self->metrics, "bafoka_messages", BFK_METRIC_GAUGE,
                       "WhatsApp messages, both ways, by status", status, NULL, 0);
  for (guint s = 0; s < BFK_MESSAGE_N_STATUSES; s++)
    bfk_metrics_set (self->metrics, "bafoka_messages", 0, bfk_message_status_to_string (s), NULL);
}

static void
count (BfkBackend  *self,
       const gchar *outcome)
{
  bfk_metrics_add (self->metrics, "bafoka_webhook_requests_total", 1, outcome, NULL);
}

static void
respond_now (SoupServerMessage *msg,
             guint              status,
             const gchar       *text)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_COPY, text, strlen (text));
}

/* --- the batch ---------------------------------------------------------------- */

static void
finish_batch (BfkBackend *self,
              gboolean    committed)
{
  g_autoptr(GPtrArray) batch = g_steal_pointer (&self->batch);
  g_autoptr(GArray) op_ids = g_steal_pointer (&self->batch_ops);
  gint64 now = g_get_monotonic_time ();

  for (guint i = 0; i < batch->len; i++)
    {
      Pending *p = g_ptr_array_index (batch, i);

      if (committed)
        {
          soup_server_message_set_status (p->msg, p->status, NULL);
          soup_server_message_set_response (p->msg, p->content_type, SOUP_MEMORY_TAKE, p->body,
                                            strlen (p->body));
          p->body = NULL;
        }
      else
        /* Nothing of it was kept: Twilio sends it again later. */
        respond_now (p->msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "The message could not be stored\n");
      soup_server_message_unpause (p->msg);
      if (p->bot)
        bfk_metrics_observe (self->metrics, "bafoka_bot_response_seconds",
                             (gdouble) (now - p->received_us) / G_USEC_PER_SEC, NULL);
    }
  if (committed && op_ids->len > 0)
    {
      for (guint i = 0; i < op_ids->len; i++)
        bfk_backend_emit_queued (self, g_array_index (op_ids, gint64, i), NULL);
      bfk_backend_wake_outbox (self);
    }
}

static gboolean
commit_batch (gpointer data)
{
  BfkBackend *self = data;
  g_autoptr(GError) error = NULL;
  gboolean committed = bfk_store_commit (self->store, &error);

  if (!committed)
    {
      g_warning ("Could not store a batch of %u WhatsApp messages: %s", self->batch->len, error->message);
      bfk_store_rollback (self->store);
    }
  self->batch_source = 0;
  finish_batch (self, committed);
  return G_SOURCE_REMOVE;
}

/* The open batch's transaction, begun with the first request of it. */
static gboolean
batch_begin (BfkBackend  *self,
             GError     **error)
{
  GSource *idle;

  if (self->batch)
    return TRUE;
  if (!bfk_store_begin (self->store, error))
    return FALSE;
  self->batch = g_ptr_array_new_with_free_func ((GDestroyNotify) pending_free);
  self->batch_ops = g_array_new (FALSE, FALSE, sizeof (gint64));
  /* At the sockets' priority: it runs in the same iteration as the
   * requests that are ready, after them, and is never starved by them. */
  idle = g_idle_source_new ();
  g_source_set_priority (idle, G_PRIORITY_DEFAULT);
  g_source_set_callback (idle, commit_batch, self, NULL);
  g_source_set_static_name (idle, "[bfk] webhook commit");
  self->batch_source = g_source_attach (idle, self->context);
  g_source_unref (idle);
  return TRUE;
}

static void
batch_answer (BfkBackend        *self,
              SoupServerMessage *msg,
              guint              status,
              const gchar       *content_type,
              gchar             *body,
              gint64             received_us,
              gboolean           bot)
{
  Pending *p = g_new0 (Pending, 1);

  p->msg = g_object_ref (msg);
  p->status = status;
  p->content_type = g_strdup (content_type);
  p->body = body;
  p->received_us = received_us;
  p->bot = bot;
  g_ptr_array_add (self->batch, p);
  soup_server_message_pause (msg);
}

/* --- who is calling ------------------------------------------------------------ */

static gboolean
from_loopback (SoupServerMessage *msg)
{
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);

  return G_IS_INET_SOCKET_ADDRESS (remote)
         && g_inet_address_get_is_loopback (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote)));
}

/* The form of a request, when the caller may make it; else it answers. */
static BfkForm *
admit (BfkBackend        *self,
       SoupServerMessage *msg)
{
  SoupMessageBody *request = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (request);
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkForm) form = NULL;
  const gchar *token = self->config->twilio_auth_token;
  gsize len;
  const gchar *data = g_bytes_get_data (bytes, &len);

  form = bfk_form_decode (data, len, &error);
  if (!form)
    {
      count (self, "bad_request");
      respond_now (msg, SOUP_STATUS_BAD_REQUEST, error->message);
      return NULL;
    }
  if (token && *token)
    {
      GUri *uri = soup_server_message_get_uri (msg);
      const gchar *query = g_uri_get_query (uri);
      g_autofree gchar *path = query ? g_strconcat (g_uri_get_path (uri), "?", query, NULL)
                                     : g_strdup (g_uri_get_path (uri));
      g_autofree gchar *url = bfk_config_public_url (self->config, path);
      const gchar *signature = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                             "X-Twilio-Signature");

      if (!bfk_twilio_signature_validate (token, url, form, signature))
        {
          count (self, "forbidden");
          respond_now (msg, SOUP_STATUS_FORBIDDEN, "Bad or missing X-Twilio-Signature\n");
          return NULL;
        }
    }
  else if (!from_loopback (msg))
    {
      count (self, "forbidden");
      respond_now (msg, SOUP_STATUS_FORBIDDEN,
                   "Without TWILIO_AUTH_TOKEN, only this machine may post to the webhook\n");
      return NULL;
    }
  return g_steal_pointer (&form);
}

/* --- the routes ------------------------------------------------------------------ */

static const gchar *const fate_names[] = {
  [BFK_INBOUND_ANSWERED] = "answered",
  [BFK_INBOUND_REPLAYED] = "replayed",
  [BFK_INBOUND_WARNED] = "rate_warned",
  [BFK_INBOUND_DROPPED] = "rate_dropped",
};

void
bfk_backend_route_webhook (BfkBackend        *self,
                           SoupServerMessage *msg)
{
  gint64 received = g_get_monotonic_time ();
  g_autoptr(BfkForm) form = admit (self, msg);
  g_autoptr(GError) error = NULL;
  g_auto(BfkInboundResult) result = { 0 };
  BfkInboundSetup setup = {
    .chain = {
      .store = self->store,
      .rpc = self->conn->rpc,
      .data_key = self->data_key,
      .operator_address = &self->operator,
      .contract = &self->conn->contract,
      .n_communities = (guint) g_atomic_int_get (&self->n_communities),
    },
    .rate_limit = self->rate_limit,
    .proposal_ttl = (gint64) self->config->proposal_ttl,
  };
  BfkInboundMessage message = { 0 };
  const gchar *media;

  if (!form)
    return;
  message.message_sid = bfk_form_lookup (form, "MessageSid");
  message.from = bfk_form_lookup (form, "From");
  message.body = bfk_form_lookup (form, "Body");
  media = bfk_form_lookup (form, "NumMedia");
  message.n_media = media ? (guint) g_ascii_strtoull (media, NULL, 10) : 0;
  message.now_us = g_get_real_time ();
  if (!message.message_sid || !message.from)
    {
      count (self, "bad_request");
      respond_now (msg, SOUP_STATUS_BAD_REQUEST, "MessageSid and From are needed\n");
      return;
    }

  if (!batch_begin (self, &error) || !bfk_inbound_handle (&setup, &message, &result, &error))
    {
      gboolean bad = error->domain == BFK_MEMBER_ERROR || error->domain == G_IO_ERROR;

      count (self, bad ? "bad_request" : "error");
      if (!bad)
        g_warning ("A WhatsApp message could not be handled: %s", error->message);
      respond_now (msg, bad ? SOUP_STATUS_BAD_REQUEST : SOUP_STATUS_INTERNAL_SERVER_ERROR, error->message);
      return;
    }
  count (self, fate_names[result.fate]);
  g_array_append_vals (self->batch_ops, result.op_ids->data, result.op_ids->len);
  batch_answer (self, msg, SOUP_STATUS_OK, BFK_TWIML_CONTENT_TYPE, g_steal_pointer (&result.twiml),
                received, TRUE);
}

void
bfk_backend_route_status (BfkBackend        *self,
                          SoupServerMessage *msg)
{
  gint64 received = g_get_monotonic_time ();
  g_autoptr(BfkForm) form = admit (self, msg);
  g_autoptr(GError) error = NULL;
  const gchar *sid;
  const gchar *status;
  const gchar *code;

  if (!form)
    return;
  sid = bfk_form_lookup (form, "MessageSid");
  status = bfk_form_lookup (form, "MessageStatus");
  code = bfk_form_lookup (form, "ErrorCode");
  if (!sid || !status)
    {
      count (self, "bad_request");
      respond_now (msg, SOUP_STATUS_BAD_REQUEST, "MessageSid and MessageStatus are needed\n");
      return;
    }
  if (!batch_begin (self, &error)
      || !bfk_messages_update_status (self->store, sid, status, code ? atoi (code) : 0, NULL, &error))
    {
      /* A status we do not know, or of a message we never sent (or whose
       * sid is not stored yet): Twilio must not retry it forever. */
      gboolean ignored = error->domain == BFK_MESSAGE_ERROR;

      count (self, ignored ? "status_ignored" : "error");
      if (!ignored)
        {
          g_warning ("A delivery status could not be stored: %s", error->message);
          respond_now (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, error->message);
          return;
        }
    }
  else
    count (self, "status");
  batch_answer (self, msg, SOUP_STATUS_OK, "text/plain", g_strdup ("OK\n"), received, FALSE);
}
