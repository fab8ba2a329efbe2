/* bfk-twilio-errors.h: Twilio's error codes, in words.
 *
 * Twilio reports a refused message with a numeric code: in the REST API's
 * JSON answer ("code") and in status callbacks (ErrorCode).  The console
 * shows a person a sentence instead.  The sentences follow Twilio's error
 * reference (https://www.twilio.com/docs/api/errors/NNNNN) and its table of
 * WhatsApp codes (https://www.twilio.com/docs/whatsapp/api/error-code-mapping).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The codes the backend acts on, besides showing them. */
typedef enum
{
  BFK_TWILIO_CODE_AUTHENTICATION  = 20003, /* wrong AccountSid or AuthToken */
  BFK_TWILIO_CODE_TOO_MANY        = 20429,
  BFK_TWILIO_CODE_INVALID_TO      = 21211,
  BFK_TWILIO_CODE_UNSUBSCRIBED    = 21610, /* the member sent STOP */
  BFK_TWILIO_CODE_WINDOW_CLOSED   = 63016, /* free-form outside the 24 h window: use a template */
  BFK_TWILIO_CODE_RATE_LIMITED    = 63018,
} BfkTwilioCode;

/* One English sentence for @code; "Twilio error NNNNN" for a code this table
 * does not know.  Free with g_free(). */
gchar *bfk_twilio_error_reason (gint code);

G_END_DECLS
