/* bfk-courier.c: the outbound half of Twilio. */
#include "bfk-courier.h"

#include <json-glib/json-glib.h>

#include "bfk-conversations.h"
#include "bfk-messages.h"

/* Template variables are a JSON object: {"1": "the text"}. */
static gchar *
template_variables (const gchar *text)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "1");
  json_builder_add_string_value (b, text);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

static gboolean
deliver (BfkStore              *store,
         const BfkCourierSetup *setup,
         const BfkMessage      *m,
         gint64                 now,
         BfkCourierReport      *report,
         GError               **error)
{
  BfkTwilioMessage out = { .from = setup->from, .to = m->phone };
  g_autoptr(BfkTwilioResult) result = NULL;
  g_autofree gchar *variables = NULL;
  guint max = setup->max_attempts ? setup->max_attempts : BFK_COURIER_MAX_ATTEMPTS;
  gboolean open = TRUE;

  if (m->kind == BFK_MESSAGE_TEXT
      && !bfk_conversations_window_open (store, m->phone, now, NULL, error))
    {
      if (error && *error)
        return FALSE;
      open = FALSE;
    }
  if (open)
    out.body = m->body;
  else if (setup->template_sid)
    {
      variables = template_variables (m->body);
      out.content_sid = setup->template_sid;
      out.content_variables = variables;
    }
  else
    {
      report->refused++;
      return bfk_messages_mark_failed (store, m->id, BFK_TWILIO_CODE_WINDOW_CLOSED,
                                       "Not sent: the member has not written in the last 24 hours, "
                                       "so WhatsApp allows only a template message, and none is "
                                       "configured (TWILIO_CONTENT_SID)", error);
    }

  result = bfk_twilio_client_send (setup->client, &out);
  switch (result->outcome)
    {
    case BFK_TWILIO_SENT:
      report->sent++;
      return bfk_messages_mark_sent (store, m->id, result->sid, result->status, error);
    case BFK_TWILIO_RETRYABLE:
      if (m->attempts + 1 < max)
        {
          guint64 wait_ms = bfk_twilio_backoff_ms (m->attempts + 1, result->retry_after_ms);

          report->retried++;
          return bfk_messages_schedule_retry (store, m->id, now + (gint64) (wait_ms / 1000),
                                              result->error_code, result->reason, error);
        }
      G_GNUC_FALLTHROUGH;
    case BFK_TWILIO_PERMANENT:
    default:
      report->failed++;
      return bfk_messages_mark_failed (store, m->id, result->error_code, result->reason, error);
    }
}

gboolean
bfk_courier_step (BfkStore              *store,
                  const BfkCourierSetup *setup,
                  gint64                 now,
                  guint                  limit,
                  BfkCourierReport      *report,
                  GError               **error)
{
  g_autoptr(GPtrArray) due = bfk_messages_claim_due (store, now, limit, error);

  *report = (BfkCourierReport) { 0 };
  if (!due)
    return FALSE;
  for (guint i = 0; i < due->len; i++)
    if (!deliver (store, setup, g_ptr_array_index (due, i), now, report, error))
      return FALSE;
  return TRUE;
}
