/* test-twilio-client.c: the REST client against a stand-in for Twilio.
 *
 * A SoupServer on 127.0.0.1 plays Twilio's Messages resource.  It runs in a
 * thread of its own with its own GMainContext (as libsoup's tests do), since
 * the client blocks the test's thread.  Like Twilio, it checks the basic
 * auth credentials first (401 with code 20003 otherwise), then answers as
 * the test asked; it records each request whole, and the test checks the
 * request's exact shape and the client's reading of the answer.
 */
#include "bfk-form.h"
#include "bfk-test-twilio.h"
#include "bfk-twilio-client.h"

#include <libsoup/soup.h>
#include <string.h>

#define ACCOUNT_SID "AC0123456789abcdef0123456789abcdef"
#define AUTH_TOKEN  "tok-5eCr3t-never-shown"
#define FROM        "whatsapp:+14155238886"
#define TO          "+237650000001"
#define MESSAGES_PATH "/2010-04-01/Accounts/" ACCOUNT_SID "/Messages.json"
#define STATUS_URL  "https://bafoka.example/webhook/status"

/* --- helpers ------------------------------------------------------------------ */

static BfkTwilioClient *
client_for (BfkTestTwilio *twilio,
            const gchar  *token)
{
  /* A trailing slash, as a person may write it in the configuration. */
  g_autofree gchar *base = g_strconcat (bfk_test_twilio_url (twilio), "/", NULL);

  return bfk_twilio_client_new (base, ACCOUNT_SID, token);
}

/* Each test gets its own stand-in, and a client for it; @data is the auth
 * token the client uses. */
typedef struct
{
  BfkTestTwilio   *twilio;
  BfkTwilioClient *client;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->twilio = bfk_test_twilio_start (ACCOUNT_SID, AUTH_TOKEN);
  f->client = client_for (f->twilio, data);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  bfk_twilio_client_unref (f->client);
  bfk_test_twilio_stop (f->twilio);
}

static const BfkTwilioMessage hello = {
  .from = FROM,
  .to = TO,
  .body = "Solde : 1000 Fonjoka & 0 en attente. Répondez AIDE + 1",
};

/* No part of a result may carry the auth token. */
static void
assert_no_token (const BfkTwilioResult *result)
{
  const gchar *texts[] = { result->sid, result->status, result->error_message,
                           result->more_info, result->reason };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    g_assert_true (texts[i] == NULL || strstr (texts[i], AUTH_TOKEN) == NULL);
}

static BfkForm *
decode_request (const BfkTestTwilioRequest *request)
{
  g_autoptr(GError) error = NULL;
  BfkForm *form = bfk_form_decode (request->body, strlen (request->body), &error);

  g_assert_no_error (error);
  return form;
}

/* The shape every request must have, whatever it carries. */
static void
assert_request_shape (BfkTestTwilio              *twilio,
                      const BfkTestTwilioRequest *request)
{
  g_assert_cmpstr (request->method, ==, "POST");
  g_assert_cmpstr (request->path, ==, MESSAGES_PATH);
  g_assert_cmpstr (request->authorization, ==, bfk_test_twilio_expected_auth (twilio));
  g_assert_cmpstr (request->content_type, ==, "application/x-www-form-urlencoded");
}

/* --- tests ------------------------------------------------------------------- */

static void
test_send_body (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(BfkTwilioResult) result = NULL;
  g_autoptr(BfkForm) form = NULL;
  g_autoptr(GHashTable) soup_form = NULL;
  g_autofree gchar *expected_url = g_strconcat (bfk_test_twilio_url (f->twilio), MESSAGES_PATH, NULL);
  g_autoptr(BfkTestTwilioRequest) request = NULL;

  bfk_test_twilio_answer (f->twilio, 201, "application/json",
                 "{\"account_sid\": \"" ACCOUNT_SID "\", \"api_version\": \"2010-04-01\", "
                 "\"body\": \"Solde\", \"direction\": \"outbound-api\", \"error_code\": null, "
                 "\"error_message\": null, \"from\": \"" FROM "\", \"num_media\": \"0\", "
                 "\"price\": null, \"sid\": \"SM0123456789abcdef0123456789abcdef\", "
                 "\"status\": \"queued\", \"to\": \"whatsapp:" TO "\", "
                 "\"uri\": \"/2010-04-01/Accounts/" ACCOUNT_SID "/Messages/SM0123.json\"}",
                 NULL);
  bfk_twilio_client_set_status_callback (f->client, STATUS_URL);
  g_assert_cmpstr (bfk_twilio_client_get_messages_url (f->client), ==, expected_url);

  result = bfk_twilio_client_send (f->client, &hello);
  g_assert_cmpint (result->outcome, ==, BFK_TWILIO_SENT);
  g_assert_cmpuint (result->http_status, ==, 201);
  g_assert_cmpstr (result->sid, ==, "SM0123456789abcdef0123456789abcdef");
  g_assert_cmpstr (result->status, ==, "queued");
  g_assert_cmpint (result->error_code, ==, 0);
  g_assert_null (result->reason);
  g_assert_cmpint (result->retry_after_ms, ==, -1);

  g_assert_cmpuint (bfk_test_twilio_n_requests (f->twilio), ==, 1);
  request = bfk_test_twilio_request (f->twilio, 0);
  assert_request_shape (f->twilio, request);
  form = decode_request (request);
  g_assert_cmpuint (bfk_form_get_n_fields (form), ==, 4);
  g_assert_cmpstr (bfk_form_lookup (form, "To"), ==, "whatsapp:" TO);
  /* Already prefixed: not twice. */
  g_assert_cmpstr (bfk_form_lookup (form, "From"), ==, FROM);
  g_assert_cmpstr (bfk_form_lookup (form, "Body"), ==, hello.body);
  g_assert_cmpstr (bfk_form_lookup (form, "StatusCallback"), ==, STATUS_URL);
  g_assert_null (bfk_form_lookup (form, "ContentSid"));

  /* libsoup's own decoder reads the same body the same way. */
  soup_form = soup_form_decode (request->body);
  g_assert_cmpstr (g_hash_table_lookup (soup_form, "Body"), ==, hello.body);
  g_assert_cmpstr (g_hash_table_lookup (soup_form, "To"), ==, "whatsapp:" TO);
}

static void
test_send_template (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(BfkTwilioResult) result = NULL;
  g_autoptr(BfkForm) form = NULL;
  const BfkTwilioMessage reminder = {
    .from = "+14155238886",
    .to = "whatsapp:" TO,
    .content_sid = "HX0123456789abcdef0123456789abcdef",
    .content_variables = "{\"1\":\"Awa\",\"2\":\"42\"}",
  };
  g_autoptr(BfkTestTwilioRequest) request = NULL;

  bfk_test_twilio_answer (f->twilio, 201, "application/json",
                 "{\"sid\": \"MM0123456789abcdef0123456789abcdef\", \"status\": \"accepted\"}", NULL);
  result = bfk_twilio_client_send (f->client, &reminder);
  g_assert_cmpint (result->outcome, ==, BFK_TWILIO_SENT);
  g_assert_cmpstr (result->sid, ==, "MM0123456789abcdef0123456789abcdef");
  g_assert_cmpstr (result->status, ==, "accepted");

  g_assert_cmpuint (bfk_test_twilio_n_requests (f->twilio), ==, 1);
  request = bfk_test_twilio_request (f->twilio, 0);
  assert_request_shape (f->twilio, request);
  form = decode_request (request);
  /* No Body with a template, and no StatusCallback when none is set. */
  g_assert_cmpuint (bfk_form_get_n_fields (form), ==, 4);
  g_assert_cmpstr (bfk_form_lookup (form, "To"), ==, "whatsapp:" TO);
  g_assert_cmpstr (bfk_form_lookup (form, "From"), ==, FROM);
  g_assert_cmpstr (bfk_form_lookup (form, "ContentSid"), ==, reminder.content_sid);
  g_assert_cmpstr (bfk_form_lookup (form, "ContentVariables"), ==, reminder.content_variables);
  g_assert_null (bfk_form_lookup (form, "Body"));
  g_assert_null (bfk_form_lookup (form, "StatusCallback"));
}

/* Twilio's refusals: never to be retried, each with its reason. */
static void
test_permanent_errors (Fixture       *f,
                       gconstpointer  data)
{
  const struct
  {
    guint        status;
    const gchar *type;
    const gchar *body;
    gint         code;
    const gchar *words;
  } cases[] = {
    { 400, "application/json",
      "{\"code\": 21211, \"message\": \"The 'To' number +2376 is not a valid phone number.\", "
      "\"more_info\": \"https://www.twilio.com/docs/errors/21211\", \"status\": 400}",
      21211, "not a valid phone number" },
    { 400, "application/json",
      "{\"code\": 63016, \"message\": \"Failed to send freeform message because you are outside "
      "the allowed window.\", \"more_info\": \"https://www.twilio.com/docs/errors/63016\", \"status\": 400}",
      63016, "24-hour" },
    { 403, "application/json",
      "{\"code\": 21408, \"message\": \"Permission to send an SMS has not been enabled for the "
      "region indicated by the 'To' number\", \"more_info\": \"https://www.twilio.com/docs/errors/21408\", "
      "\"status\": 403}",
      21408, "region" },
    { 400, "application/json",
      "{\"code\": 12345, \"message\": \"Something new\", \"more_info\": \"https://www.twilio.com/docs/errors/12345\", "
      "\"status\": 400}",
      12345, "Twilio error 12345" },
    { 404, "text/html", "<html>Not Found</html>", 0, "HTTP 404" },
    { 400, "application/json", "{not json", 0, "HTTP 400" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(BfkTwilioResult) result = NULL;

      bfk_test_twilio_answer (f->twilio, cases[i].status, cases[i].type, cases[i].body, NULL);
      result = bfk_twilio_client_send (f->client, &hello);
      g_assert_cmpint (result->outcome, ==, BFK_TWILIO_PERMANENT);
      g_assert_cmpuint (result->http_status, ==, cases[i].status);
      g_assert_cmpint (result->error_code, ==, cases[i].code);
      g_assert_nonnull (strstr (result->reason, cases[i].words));
      g_assert_null (result->sid);
      g_assert_null (result->status);
      if (cases[i].code != 0)
        {
          g_autofree gchar *more = g_strdup_printf ("https://www.twilio.com/docs/errors/%d", cases[i].code);

          g_assert_cmpstr (result->more_info, ==, more);
          g_assert_nonnull (result->error_message);
        }
      assert_no_token (result);
    }
  g_assert_cmpuint (bfk_test_twilio_n_requests (f->twilio), ==, G_N_ELEMENTS (cases));
}

static void
test_wrong_credentials (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(BfkTwilioResult) result = NULL;
  g_autoptr(BfkTestTwilioRequest) request = NULL;

  bfk_test_twilio_answer (f->twilio, 201, "application/json", "{\"sid\": \"SMnever\"}", NULL);
  result = bfk_twilio_client_send (f->client, &hello);
  g_assert_cmpint (result->outcome, ==, BFK_TWILIO_PERMANENT);
  g_assert_cmpuint (result->http_status, ==, 401);
  g_assert_cmpint (result->error_code, ==, BFK_TWILIO_CODE_AUTHENTICATION);
  g_assert_cmpstr (result->error_message, ==, "Authenticate");
  g_assert_nonnull (strstr (result->reason, "TWILIO_AUTH_TOKEN"));
  g_assert_null (result->sid);

  /* Sent once, preemptively: curl did not wait for a challenge. */
  g_assert_cmpuint (bfk_test_twilio_n_requests (f->twilio), ==, 1);
  request = bfk_test_twilio_request (f->twilio, 0);
  g_assert_true (g_str_has_prefix (request->authorization, "Basic "));
  g_assert_cmpstr (request->authorization, !=, bfk_test_twilio_expected_auth (f->twilio));
  assert_no_token (result);
}

static void
test_too_many_requests (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(BfkTwilioResult) result = NULL;
  g_autoptr(BfkTwilioResult) without = NULL;

  bfk_test_twilio_answer (f->twilio, 429, "application/json",
                 "{\"code\": 20429, \"message\": \"Too Many Requests\", "
                 "\"more_info\": \"https://www.twilio.com/docs/errors/20429\", \"status\": 429}",
                 "7");
  result = bfk_twilio_client_send (f->client, &hello);
  g_assert_cmpint (result->outcome, ==, BFK_TWILIO_RETRYABLE);
  g_assert_cmpuint (result->http_status, ==, 429);
  g_assert_cmpint (result->error_code, ==, 20429);
  g_assert_nonnull (strstr (result->reason, "Too many requests"));
  g_assert_cmpint (result->retry_after_ms, ==, 7000);
  /* Retry-After is longer than the first steps of the schedule, then not. */
  g_assert_cmpuint (bfk_twilio_backoff_ms (1, result->retry_after_ms), ==, 7000);
  g_assert_cmpuint (bfk_twilio_backoff_ms (3, result->retry_after_ms), ==, 8000);

  /* Without Retry-After, and without JSON. */
  bfk_test_twilio_answer (f->twilio, 429, "text/plain", "slow down", NULL);
  without = bfk_twilio_client_send (f->client, &hello);
  g_assert_cmpint (without->outcome, ==, BFK_TWILIO_RETRYABLE);
  g_assert_cmpint (without->retry_after_ms, ==, -1);
  g_assert_cmpint (without->error_code, ==, 0);
  g_assert_nonnull (strstr (without->reason, "HTTP 429"));
  g_assert_cmpuint (bfk_twilio_backoff_ms (1, without->retry_after_ms), ==, 2000);
}

static void
test_server_errors (Fixture       *f,
                    gconstpointer  data)
{
  const guint statuses[] = { 500, 502, 503 };

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      g_autoptr(BfkTwilioResult) result = NULL;
      g_autofree gchar *words = g_strdup_printf ("HTTP %u", statuses[i]);

      /* A 503 with a date for Retry-After, 90 s from now. */
      if (statuses[i] == 503)
        {
          g_autoptr(GDateTime) later = g_date_time_new_from_unix_utc (g_get_real_time () / G_USEC_PER_SEC + 90);
          g_autofree gchar *date = g_date_time_format (later, "%a, %d %b %Y %H:%M:%S GMT");

          bfk_test_twilio_answer (f->twilio, statuses[i], "text/html", "<html>Unavailable</html>", date);
        }
      else
        bfk_test_twilio_answer (f->twilio, statuses[i], "text/html", "<html>Oops</html>", NULL);

      result = bfk_twilio_client_send (f->client, &hello);
      g_assert_cmpint (result->outcome, ==, BFK_TWILIO_RETRYABLE);
      g_assert_cmpuint (result->http_status, ==, statuses[i]);
      g_assert_nonnull (strstr (result->reason, words));
      if (statuses[i] == 503)
        {
          /* A second may pass between the answer and the check. */
          g_assert_cmpint (result->retry_after_ms, >=, 88000);
          g_assert_cmpint (result->retry_after_ms, <=, 90000);
        }
      else
        g_assert_cmpint (result->retry_after_ms, ==, -1);
      assert_no_token (result);
    }
}

static void
test_timeout (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(BfkTwilioResult) result = NULL;
  gint64 start;

  bfk_test_twilio_answer (f->twilio, 201, "application/json", "{\"sid\": \"SMlate\", \"status\": \"queued\"}", NULL);
  bfk_test_twilio_hang (f->twilio, TRUE);
  bfk_twilio_client_set_timeouts (f->client, 1000, 300);

  start = g_get_monotonic_time ();
  result = bfk_twilio_client_send (f->client, &hello);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 3 * G_USEC_PER_SEC);
  g_assert_cmpint (result->outcome, ==, BFK_TWILIO_RETRYABLE);
  g_assert_cmpuint (result->http_status, ==, 0);
  g_assert_null (result->sid);
  g_assert_nonnull (strstr (result->reason, "did not answer in time"));
  g_assert_cmpuint (bfk_test_twilio_n_requests (f->twilio), ==, 1);
  assert_no_token (result);
}

static void
test_unreachable (void)
{
  g_autoptr(BfkTwilioClient) client = bfk_twilio_client_new ("http://127.0.0.1:1", ACCOUNT_SID, AUTH_TOKEN);
  g_autoptr(BfkTwilioResult) result = NULL;

  bfk_twilio_client_set_timeouts (client, 2000, 5000);
  result = bfk_twilio_client_send (client, &hello);
  g_assert_cmpint (result->outcome, ==, BFK_TWILIO_RETRYABLE);
  g_assert_cmpuint (result->http_status, ==, 0);
  g_assert_nonnull (strstr (result->reason, "Cannot reach Twilio (127.0.0.1:1)"));
  assert_no_token (result);
}

/* Nothing the client logs may hold the token (it logs nothing today; this
 * keeps it so). */
static GLogWriterOutput
refuse_token_in_logs (GLogLevelFlags   level,
                      const GLogField *fields,
                      gsize            n_fields,
                      gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (fields[i].length < 0 && strstr (fields[i].value, AUTH_TOKEN) != NULL)
      g_error ("the auth token was logged");
  return g_log_writer_default (level, fields, n_fields, user_data);
}

int
main (int    argc,
      char **argv)
{
  g_log_set_writer_func (refuse_token_in_logs, NULL, NULL);
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/twilio-client/send-body", Fixture, AUTH_TOKEN,
              fixture_set_up, test_send_body, fixture_tear_down);
  g_test_add ("/twilio-client/send-template", Fixture, AUTH_TOKEN,
              fixture_set_up, test_send_template, fixture_tear_down);
  g_test_add ("/twilio-client/permanent-errors", Fixture, AUTH_TOKEN,
              fixture_set_up, test_permanent_errors, fixture_tear_down);
  g_test_add ("/twilio-client/wrong-credentials", Fixture, "tok-wrong",
              fixture_set_up, test_wrong_credentials, fixture_tear_down);
  g_test_add ("/twilio-client/too-many-requests", Fixture, AUTH_TOKEN,
              fixture_set_up, test_too_many_requests, fixture_tear_down);
  g_test_add ("/twilio-client/server-errors", Fixture, AUTH_TOKEN,
              fixture_set_up, test_server_errors, fixture_tear_down);
  g_test_add ("/twilio-client/timeout", Fixture, AUTH_TOKEN,
              fixture_set_up, test_timeout, fixture_tear_down);
  g_test_add_func ("/twilio-client/unreachable", test_unreachable);
  return g_test_run ();
}
