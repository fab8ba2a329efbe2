/* bfk-test-twilio.h: a stand-in for Twilio's REST API, for tests.
 *
 * A SoupServer on 127.0.0.1 plays the Messages resource.  It runs in a
 * thread of its own with its own GMainContext (as libsoup's tests do), since
 * the code under test may block its caller.  Like Twilio, it checks the
 * basic auth credentials first (401 with code 20003 otherwise), then
 * answers as the test asked: by default 201 with a fresh message sid, as
 * Twilio does.  Each request is recorded whole, for the test to check its
 * exact shape.
 *
 * It also builds what Twilio sends the other way: the form of a member's
 * message, as posted to the webhook.
 */
#pragma once

#include <glib.h>

#include "bfk-form.h"

G_BEGIN_DECLS

typedef struct
{
  gchar *method;
  gchar *path;
  gchar *authorization;
  gchar *content_type;
  gchar *body;
} BfkTestTwilioRequest;

typedef struct _BfkTestTwilio BfkTestTwilio;

BfkTestTwilio *bfk_test_twilio_start        (const gchar   *account_sid,
                                             const gchar   *auth_token);
void           bfk_test_twilio_stop         (BfkTestTwilio *twilio);
/* "http://127.0.0.1:PORT", as TWILIO_API_BASE is written. */
const gchar   *bfk_test_twilio_url          (BfkTestTwilio *twilio);
/* The Authorization header that the credentials give. */
const gchar   *bfk_test_twilio_expected_auth (BfkTestTwilio *twilio);
/* The next answers.  body NULL: Twilio's own 201, {"sid": "SMf0…",
 * "status": "queued"}, with a new sid each time ("SMf0" then 30 digits, so
 * that a test's own inbound sids do not collide with them). */
void           bfk_test_twilio_answer       (BfkTestTwilio *twilio,
                                             guint          status,
                                             const gchar   *type,
                                             const gchar   *body,
                                             const gchar   *retry_after);
/* Answers only after 5 s, to try timeouts. */
void           bfk_test_twilio_hang         (BfkTestTwilio *twilio,
                                             gboolean       hang);
guint          bfk_test_twilio_n_requests   (BfkTestTwilio *twilio);
/* A copy of request i (free with bfk_test_twilio_request_free). */
BfkTestTwilioRequest *bfk_test_twilio_request (BfkTestTwilio *twilio,
                                               guint          i);
void           bfk_test_twilio_request_free (BfkTestTwilioRequest *request);

/* The form that Twilio posts to the webhook for a WhatsApp text from phone
 * ("+237…") to our number to ("whatsapp:+…"): its fields, in its order. */
BfkForm       *bfk_test_twilio_inbound_form (const gchar   *sid,
                                             const gchar   *account_sid,
                                             const gchar   *phone,
                                             const gchar   *to,
                                             const gchar   *profile_name,
                                             const gchar   *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BfkTestTwilioRequest, bfk_test_twilio_request_free)

G_END_DECLS
