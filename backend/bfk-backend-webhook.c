/* bfk-backend-webhook.c: Twilio's calls, on the backend thread: POST
 * /webhook (a member's message) and POST /webhook/status (what became of
 * ours).
 *
 * Who may call: with a Twilio auth token configured, only requests that
 * carry Twilio's signature of BAFOKA_PUBLIC_URL + the path; without one (the
 * simulator, the tests), only callers on this machine.  Anything else gets
 * 403 and changes nothing.
 *
 * An admitted request is paused and handed to the webhook writer
 * (bfk-backend-writer.c), which stores it, runs the bot and commits; its
 * answer comes back here, and only then leaves.  The backend thread never
 * waits for SQLite, and HTTP and storing each get a core.
 */
#include "bfk-backend-private.h"

#include <string.h>

#include "bfk-form.h"
#include "bfk-messages.h"
#include "bfk-twilio-signature.h"

static const gdouble response_buckets[] = {
  0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1
};

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

/* --- answers from the writer ---------------------------------------------------- */

/* On the backend thread: each job's answer leaves, now that it is stored. */
void
bfk_backend_webhook_answer (BfkBackend *self,
                            GPtrArray  *jobs)
{
  gint64 now = g_get_monotonic_time ();

  for (guint i = 0; i < jobs->len; i++)
    {
      BfkWebhookJob *job = g_ptr_array_index (jobs, i);

      count (self, job->outcome);
      soup_server_message_set_status (job->msg, job->status, NULL);
      soup_server_message_set_response (job->msg, job->content_type, SOUP_MEMORY_TAKE, job->body,
                                        strlen (job->body));
      job->body = NULL;
      soup_server_message_unpause (job->msg);
      if (job->kind == BFK_WEBHOOK_MESSAGE)
        bfk_metrics_observe (self->metrics, "bafoka_bot_response_seconds",
                             (gdouble) (now - job->received_us) / G_USEC_PER_SEC, NULL);
    }
}

static void
hand_over (BfkBackend        *self,
           SoupServerMessage *msg,
           BfkWebhookKind     kind,
           BfkForm           *form,
           gint64             received_us)
{
  BfkWebhookJob *job = g_new0 (BfkWebhookJob, 1);

  job->kind = kind;
  job->msg = g_object_ref (msg);
  job->form = form;
  job->received_us = received_us;
  job->now_us = g_get_real_time ();
  soup_server_message_pause (msg);
  bfk_backend_writer_push (self, job);
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

void
bfk_backend_route_webhook (BfkBackend        *self,
                           SoupServerMessage *msg)
{
  gint64 received = g_get_monotonic_time ();
  BfkForm *form = admit (self, msg);

  if (!form)
    return;
  if (!bfk_form_lookup (form, "MessageSid") || !bfk_form_lookup (form, "From"))
    {
      count (self, "bad_request");
      respond_now (msg, SOUP_STATUS_BAD_REQUEST, "MessageSid and From are needed\n");
      bfk_form_free (form);
      return;
    }
  hand_over (self, msg, BFK_WEBHOOK_MESSAGE, form, received);
}

void
bfk_backend_route_status (BfkBackend        *self,
                          SoupServerMessage *msg)
{
  gint64 received = g_get_monotonic_time ();
  BfkForm *form = admit (self, msg);

  if (!form)
    return;
  if (!bfk_form_lookup (form, "MessageSid") || !bfk_form_lookup (form, "MessageStatus"))
    {
      count (self, "bad_request");
      respond_now (msg, SOUP_STATUS_BAD_REQUEST, "MessageSid and MessageStatus are needed\n");
      bfk_form_free (form);
      return;
    }
  hand_over (self, msg, BFK_WEBHOOK_STATUS, form, received);
}
