/* bfk-twilio-client.h: sending WhatsApp messages through Twilio's REST API.
 *
 * One message is one form POST to
 *   {api_base}/2010-04-01/Accounts/{AccountSid}/Messages.json
 * with HTTP basic auth (AccountSid:AuthToken) and the fields From and To
 * ("whatsapp:+…"), then either Body (a free-form message, allowed within 24
 * hours of the member's last message) or ContentSid and ContentVariables (an
 * approved template, needed outside that window), and StatusCallback when one
 * is set, so that Twilio posts the delivery status to /webhook/status.
 *
 * The call is blocking (libcurl): run it on a worker thread, never on the
 * backend's or the UI's main loop.  A client may be shared by threads.
 *
 * Each send ends in one of three outcomes:
 *  - SENT: Twilio took the message (2xx); its SID and status ("queued") are
 *    in the result.  Delivery is reported later by the status callback.
 *  - RETRYABLE: Twilio or the network could not take it now (HTTP 429, 5xx,
 *    no connection, a timeout).  Send it again after
 *    bfk_twilio_backoff_ms().  A timeout may hide a message that Twilio did
 *    take, so a retry can, rarely, deliver it twice.
 *  - PERMANENT: Twilio refused it (any other 4xx, e.g. a bad number, the
 *    24-hour window closed, wrong credentials).  Sending it again would fail
 *    the same way: never retry.
 *
 * The reason of a result is one English sentence for the console, from
 * Twilio's error code (see bfk-twilio-errors.h).  The auth token is
 * never logged and never appears in a result.  TLS certificates are verified;
 * redirects are not followed.
 */
#pragma once

#include <glib.h>

#include "bfk-twilio-errors.h"

G_BEGIN_DECLS

#define BFK_TWILIO_DEFAULT_API_BASE "https://api.twilio.com"

typedef struct _BfkTwilioClient BfkTwilioClient;

typedef enum
{
  BFK_TWILIO_SENT,
  BFK_TWILIO_RETRYABLE,
  BFK_TWILIO_PERMANENT,
} BfkTwilioOutcome;

/* What to send.  The numbers are E.164 ("+237…"), with or without the
 * "whatsapp:" prefix, which the client adds when missing.  Exactly one of
 * @body and @content_sid is set. */
typedef struct
{
  const gchar *from;
  const gchar *to;
  const gchar *body;               /* free-form text */
  const gchar *content_sid;        /* "HX…", an approved template */
  const gchar *content_variables;  /* JSON object text, e.g. {"1":"Awa"}; may be NULL */
} BfkTwilioMessage;

typedef struct
{
  BfkTwilioOutcome outcome;
  guint            http_status;     /* 0 when no answer came */
  gchar           *sid;             /* SENT: the message SID ("SM…" or "MM…") */
  gchar           *status;          /* SENT: Twilio's status, e.g. "queued" */
  gint             error_code;      /* Twilio's error code, 0 when none */
  gchar           *error_message;   /* Twilio's own message, or NULL */
  gchar           *more_info;       /* Twilio's link to the error's page, or NULL */
  gchar           *reason;          /* one readable sentence; NULL when SENT */
  gint64           retry_after_ms;  /* from Retry-After, -1 when absent */
} BfkTwilioResult;

void              bfk_twilio_result_free   (BfkTwilioResult *result);

/* @api_base is e.g. BFK_TWILIO_DEFAULT_API_BASE (no trailing path). */
BfkTwilioClient  *bfk_twilio_client_new    (const gchar     *api_base,
                                            const gchar     *account_sid,
                                            const gchar     *auth_token);
BfkTwilioClient  *bfk_twilio_client_ref    (BfkTwilioClient *client);
void              bfk_twilio_client_unref  (BfkTwilioClient *client);

/* The URL Twilio posts delivery statuses to (NULL: none).  Set it before
 * the client is shared between threads. */
void              bfk_twilio_client_set_status_callback (BfkTwilioClient *client,
                                                         const gchar     *url);

/* Defaults: 10 s to connect, 30 s for the whole request.  Set them before
 * the client is shared between threads. */
void              bfk_twilio_client_set_timeouts (BfkTwilioClient *client,
                                                  guint            connect_ms,
                                                  guint            total_ms);

/* The URL messages are posted to. */
const gchar      *bfk_twilio_client_get_messages_url (BfkTwilioClient *client);

/* Sends one message; blocks.  Returns a result whatever happens (NULL only
 * for a programming error: a missing number, or not exactly one of @body and
 * @content_sid). */
BfkTwilioResult  *bfk_twilio_client_send   (BfkTwilioClient        *client,
                                            const BfkTwilioMessage *message);

/* The Retry-After header's value (delta-seconds, or an HTTP date compared
 * with @now_unix, seconds since the epoch) in milliseconds; -1 when it is
 * NULL or not understood.  A date in the past is 0. */
gint64            bfk_twilio_parse_retry_after (const gchar *value,
                                                gint64       now_unix);

/* Backoff before retry number @attempt (1 for the first retry): 2 s, 4 s,
 * 8 s … doubling up to BFK_TWILIO_BACKOFF_CAP_MS, without jitter so that it
 * can be tested and reasoned about.  A Retry-After (@retry_after_ms >= 0)
 * longer than that wins, up to BFK_TWILIO_RETRY_AFTER_CAP_MS. */
#define BFK_TWILIO_BACKOFF_BASE_MS     2000
#define BFK_TWILIO_BACKOFF_CAP_MS      (10 * 60 * 1000)
#define BFK_TWILIO_RETRY_AFTER_CAP_MS  (60 * 60 * 1000)

guint64           bfk_twilio_backoff_ms    (guint            attempt,
                                            gint64           retry_after_ms);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BfkTwilioResult, bfk_twilio_result_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BfkTwilioClient, bfk_twilio_client_unref)

G_END_DECLS
