/* bfk-courier.h: hands queued WhatsApp messages to Twilio.
 *
 * Messages are queued in the store (bfk-messages.h) by whoever has
 * something to say: the bot's notices, support staff.  The courier claims
 * those that are due and posts each to Twilio's REST API:
 *  - a free-form text may only go within 24 hours of the member's last
 *    message.  Outside that window it is refused before sending, or, when
 *    a template is configured (TWILIO_CONTENT_SID), sent as that template
 *    with the text as its variable {{1}};
 *  - Twilio taking it marks it sent, with its sid (delivery comes later, by
 *    the status callback);
 *  - a 429, a 5xx or a network failure queues it again after a backoff, up
 *    to max_attempts; any other refusal fails it at once, with Twilio's
 *    reason, and it is never retried.
 *
 * Threads: bfk_courier_step blocks on the network; run it on a worker
 * thread with that thread's own store connection.
 */
#pragma once

#include "bfk-store.h"
#include "bfk-twilio-client.h"

G_BEGIN_DECLS

#define BFK_COURIER_MAX_ATTEMPTS 8

typedef struct
{
  BfkTwilioClient *client;
  const gchar     *from;            /* TWILIO_WHATSAPP_NUMBER */
  const gchar     *template_sid;    /* TWILIO_CONTENT_SID, or NULL */
  guint            max_attempts;    /* 0: BFK_COURIER_MAX_ATTEMPTS */
} BfkCourierSetup;

typedef struct
{
  guint  sent;
  guint  retried;
  guint  failed;
  guint  refused;     /* outside the window, and no template */
} BfkCourierReport;

/* One pass over the messages due at now (at most limit).  FALSE only when
 * the store fails; Twilio's failures are the messages' own states. */
gboolean  bfk_courier_step    (BfkStore              *store,
                               const BfkCourierSetup *setup,
                               gint64                 now,
                               guint                  limit,
                               BfkCourierReport      *report,
                               GError               **error);

G_END_DECLS
