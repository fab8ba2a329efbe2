/* bfk-inbound.h: one WhatsApp message in, its answer out.
 *
 * What POST /webhook does once Twilio's signature is checked and the form
 * decoded:
 *  1. a MessageSid seen before gets the answer it got then, and nothing
 *     else happens (Twilio retries what it did not hear back from);
 *  2. a number over its rate (20 a minute) gets one polite warning, then
 *     silence; those messages are counted, not stored;
 *  3. the message is recorded, the 24-hour window opened, and the bot runs
 *     on the conversation, the member and the text;
 *  4. the bot's effects are carried out (bfk-bot-apply.h), its state saved,
 *     its replies recorded and returned as TwiML, and stored with the sid.
 * Steps 3 and 4 happen in one savepoint, inside the caller's transaction
 * when one is open: the HTTP layer commits a batch of messages at once and
 * answers each only after the commit.  An effect that fails (the store or
 * the outbox refusing) undoes the whole message, which is then recorded
 * alone, with a short apology as its answer, so that it is never retried
 * into the same failure.
 */
#pragma once

#include "bfk-bot-apply.h"
#include "bfk-rate-limit.h"

G_BEGIN_DECLS

typedef struct
{
  BfkBotChain    chain;
  BfkRateLimit  *rate_limit;      /* may be NULL: no limit */
  gint64         proposal_ttl;    /* seconds; 0: the bot's default (24 h) */
} BfkInboundSetup;

typedef struct
{
  const gchar  *message_sid;
  const gchar  *from;             /* "whatsapp:+237…" */
  const gchar  *body;             /* may be NULL */
  guint         n_media;          /* NumMedia */
  gint64        now_us;           /* wall clock, microseconds */
} BfkInboundMessage;

typedef enum
{
  BFK_INBOUND_ANSWERED,           /* handled now */
  BFK_INBOUND_REPLAYED,           /* a retry: the earlier answer */
  BFK_INBOUND_WARNED,             /* over the rate: the one warning */
  BFK_INBOUND_DROPPED,            /* over the rate, warned already: nothing */
} BfkInboundFate;

typedef struct
{
  BfkInboundFate  fate;
  gchar          *twiml;          /* the answer, never NULL on success */
  GArray         *op_ids;         /* gint64: chain operations queued */
  gint64          member_id;      /* the number's member after the message, or 0 */
} BfkInboundResult;

void      bfk_inbound_result_clear  (BfkInboundResult        *result);

/* FALSE for a message that cannot be handled at all (no sid, a number that
 * is not one, a store that fails even to record it): the webhook answers
 * 400 or 500 and Twilio retries later. */
gboolean  bfk_inbound_handle        (const BfkInboundSetup   *setup,
                                     const BfkInboundMessage *message,
                                     BfkInboundResult        *result,
                                     GError                 **error);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BfkInboundResult, bfk_inbound_result_clear)

G_END_DECLS
