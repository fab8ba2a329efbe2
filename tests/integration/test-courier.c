/* test-courier.c: queued messages handed to Twilio (the stand-in), and
 * every way that can go: taken, refused for good, refused for now, the
 * 24-hour window closed with and without a template. */
#include "bfk-conversations.h"
#include "bfk-courier.h"
#include "bfk-form.h"
#include "bfk-messages.h"
#include "bfk-test-tmp.h"
#include "bfk-test-twilio.h"

#include <string.h>

#define ACCOUNT_SID "AC11111111111111111111111111courier"
#define AUTH_TOKEN  "courier-token"
#define OUR_NUMBER  "+14155238886"
#define MEMBER      "+237650000001"
/* Messages are queued at the store's clock: the tests step from there. */
#define T0          (f->t0)

typedef struct
{
  gchar            *dir;
  gchar            *path;
  BfkStore         *store;
  BfkTestTwilio    *twilio;
  BfkTwilioClient  *client;
  BfkCourierSetup   setup;
  gint64            t0;
} Fixture;

static void
set_up (Fixture       *f,
        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->t0 = bfk_store_now () + 1;
  f->store = bfk_test_store_new ("bafoka-courier-XXXXXX", &f->dir, &f->path);
  f->twilio = bfk_test_twilio_start (ACCOUNT_SID, AUTH_TOKEN);
  f->client = bfk_twilio_client_new (bfk_test_twilio_url (f->twilio), ACCOUNT_SID, AUTH_TOKEN);
  bfk_twilio_client_set_status_callback (f->client, "https://bafoka.example/webhook/status");
  f->setup = (BfkCourierSetup) { .client = f->client, .from = OUR_NUMBER, .template_sid = data };
  /* The member wrote an hour ago: the window is open. */
  g_assert_true (bfk_conversations_mark_inbound (f->store, MEMBER, T0 - 3600, &error));
  g_assert_no_error (error);
}

static void
tear_down (Fixture       *f,
           gconstpointer  data)
{
  bfk_twilio_client_unref (f->client);
  bfk_test_twilio_stop (f->twilio);
  bfk_store_close (f->store);
  g_assert_true (bfk_test_remove_dir (f->dir));
  g_free (f->dir);
  g_free (f->path);
}

static gint64
queue (Fixture     *f,
       const gchar *text)
{
  g_autoptr(GError) error = NULL;
  gint64 id = bfk_messages_enqueue (f->store, MEMBER, 0, BFK_MESSAGE_TEXT, text, TRUE, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static BfkCourierReport
step (Fixture *f,
      gint64   now)
{
  g_autoptr(GError) error = NULL;
  BfkCourierReport report;

  g_assert_true (bfk_courier_step (f->store, &f->setup, now, 10, &report, &error));
  g_assert_no_error (error);
  return report;
}

static BfkMessage *
get (Fixture *f,
     gint64   id)
{
  g_autoptr(GError) error = NULL;
  BfkMessage *m = bfk_messages_get (f->store, id, &error);

  g_assert_no_error (error);
  return m;
}

static BfkForm *
request_form (Fixture *f,
              guint    i)
{
  g_autoptr(BfkTestTwilioRequest) r = bfk_test_twilio_request (f->twilio, i);

  return bfk_form_decode (r->body, strlen (r->body), NULL);
}

static void
test_sent (Fixture       *f,
           gconstpointer  data)
{
  gint64 id = queue (f, "1000 Fonjoka crédités");
  g_autoptr(BfkMessage) m = NULL;
  g_autoptr(BfkForm) form = NULL;
  BfkCourierReport report = step (f, T0);

  g_assert_cmpuint (report.sent, ==, 1);
  m = get (f, id);
  g_assert_cmpint (m->status, ==, BFK_MESSAGE_SENDING);   /* Twilio holds it: "queued" there */
  g_assert_true (g_str_has_prefix (m->twilio_sid, "SMf0"));
  g_assert_cmpuint (bfk_test_twilio_n_requests (f->twilio), ==, 1);
  form = request_form (f, 0);
  g_assert_cmpstr (bfk_form_lookup (form, "To"), ==, "whatsapp:" MEMBER);
  g_assert_cmpstr (bfk_form_lookup (form, "From"), ==, "whatsapp:" OUR_NUMBER);
  g_assert_cmpstr (bfk_form_lookup (form, "Body"), ==, "1000 Fonjoka crédités");
  g_assert_cmpstr (bfk_form_lookup (form, "StatusCallback"), ==, "https://bafoka.example/webhook/status");
  g_assert_null (bfk_form_lookup (form, "ContentSid"));
  /* Nothing is due any more. */
  report = step (f, T0 + 1000);
  g_assert_cmpuint (report.sent + report.retried + report.failed, ==, 0);
  g_assert_cmpuint (bfk_test_twilio_n_requests (f->twilio), ==, 1);
}

static void
test_retry_then_sent (Fixture       *f,
                      gconstpointer  data)
{
  gint64 id = queue (f, "Échange n°1 enregistré");
  g_autoptr(BfkMessage) m = NULL;
  g_autoptr(BfkMessage) later = NULL;
  BfkCourierReport report;

  bfk_test_twilio_answer (f->twilio, 503, "text/html", "<html>busy</html>", NULL);
  report = step (f, T0);
  g_assert_cmpuint (report.retried, ==, 1);
  m = get (f, id);
  g_assert_cmpint (m->status, ==, BFK_MESSAGE_QUEUED);
  g_assert_cmpuint (m->attempts, ==, 1);
  g_assert_cmpint (m->next_attempt_at, ==, T0 + 2);   /* the first backoff: 2 s */

  /* Not before it is due. */
  report = step (f, T0 + 1);
  g_assert_cmpuint (report.sent + report.retried, ==, 0);
  g_assert_cmpuint (bfk_test_twilio_n_requests (f->twilio), ==, 1);

  /* A 429 with Retry-After: Twilio's wait wins. */
  bfk_test_twilio_answer (f->twilio, 429, "application/json",
                          "{\"code\": 20429, \"message\": \"Too Many Requests\", \"status\": 429}", "30");
  report = step (f, T0 + 2);
  g_assert_cmpuint (report.retried, ==, 1);
  g_clear_pointer (&m, bfk_message_free);
  m = get (f, id);
  g_assert_cmpint (m->next_attempt_at, ==, T0 + 2 + 30);

  bfk_test_twilio_answer (f->twilio, 201, "application/json", NULL, NULL);
  report = step (f, T0 + 40);
  g_assert_cmpuint (report.sent, ==, 1);
  later = get (f, id);
  g_assert_nonnull (later->twilio_sid);
  g_assert_cmpuint (bfk_test_twilio_n_requests (f->twilio), ==, 3);
}

static void
test_refused_for_good (Fixture       *f,
                       gconstpointer  data)
{
  gint64 id = queue (f, "Bonjour");
  g_autoptr(BfkMessage) m = NULL;
  BfkCourierReport report;

  bfk_test_twilio_answer (f->twilio, 400, "application/json",
                          "{\"code\": 21211, \"message\": \"The 'To' number is not a valid phone number.\","
                          " \"more_info\": \"https://www.twilio.com/docs/errors/21211\", \"status\": 400}", NULL);
  report = step (f, T0);
  g_assert_cmpuint (report.failed, ==, 1);
  m = get (f, id);
  g_assert_cmpint (m->status, ==, BFK_MESSAGE_FAILED);
  g_assert_cmpint (m->error_code, ==, 21211);
  g_assert_nonnull (m->error_reason);
  /* Never tried again. */
  report = step (f, T0 + 3600);
  g_assert_cmpuint (report.failed + report.retried + report.sent, ==, 0);
  g_assert_cmpuint (bfk_test_twilio_n_requests (f->twilio), ==, 1);
}

static void
test_gives_up (Fixture       *f,
               gconstpointer  data)
{
  gint64 id = queue (f, "Bonjour");
  g_autoptr(BfkMessage) m = NULL;
  gint64 now = T0;

  bfk_test_twilio_answer (f->twilio, 500, "text/plain", "oops", NULL);
  for (guint i = 0; i < BFK_COURIER_MAX_ATTEMPTS; i++)
    {
      step (f, now);
      g_clear_pointer (&m, bfk_message_free);
      m = get (f, id);
      now = MAX (m->next_attempt_at, now);
    }
  g_assert_cmpint (m->status, ==, BFK_MESSAGE_FAILED);
  g_assert_cmpuint (bfk_test_twilio_n_requests (f->twilio), ==, BFK_COURIER_MAX_ATTEMPTS);
}

static void
test_window_closed (Fixture       *f,
                    gconstpointer  data)
{
  gint64 id = queue (f, "Paul vous propose 150 Fonjoka");
  g_autoptr(BfkMessage) m = NULL;
  /* A day and an hour after the member's last message. */
  BfkCourierReport report = step (f, T0 + 23 * 3600 + 1);

  m = get (f, id);
  if (data == NULL)
    {
      g_assert_cmpuint (report.refused, ==, 1);
      g_assert_cmpint (m->status, ==, BFK_MESSAGE_FAILED);
      g_assert_cmpint (m->error_code, ==, 63016);
      g_assert_nonnull (strstr (m->error_reason, "24 hours"));
      g_assert_cmpuint (bfk_test_twilio_n_requests (f->twilio), ==, 0);
    }
  else
    {
      g_autoptr(BfkForm) form = NULL;

      g_assert_cmpuint (report.sent, ==, 1);
      form = request_form (f, 0);
      g_assert_cmpstr (bfk_form_lookup (form, "ContentSid"), ==, data);
      g_assert_cmpstr (bfk_form_lookup (form, "ContentVariables"), ==, "{\"1\":\"Paul vous propose 150 Fonjoka\"}");
      g_assert_null (bfk_form_lookup (form, "Body"));
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/courier/sent", Fixture, NULL, set_up, test_sent, tear_down);
  g_test_add ("/courier/retry-then-sent", Fixture, NULL, set_up, test_retry_then_sent, tear_down);
  g_test_add ("/courier/refused-for-good", Fixture, NULL, set_up, test_refused_for_good, tear_down);
  g_test_add ("/courier/gives-up", Fixture, NULL, set_up, test_gives_up, tear_down);
  g_test_add ("/courier/window-closed", Fixture, NULL, set_up, test_window_closed, tear_down);
  g_test_add ("/courier/window-closed-template", Fixture, "HX0123456789abcdef0123456789abcdef",
              set_up, test_window_closed, tear_down);
  return g_test_run ();
}
