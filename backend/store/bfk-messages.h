/* bfk-messages.h: WhatsApp messages, both ways, and the outbound queue.
 *
 * Inbound: Twilio retries a webhook that it did not hear back from in
 * time, with the same MessageSid.  The sid is recorded (processed_sids)
 * with the message, and the TwiML that answered it afterwards, so that a
 * retry gets the same answer and nothing is done twice.  The webhook
 * should record the message, run the bot and store the answer in one
 * transaction.
 *
 * Outbound: a message is queued here, claimed by the sender (status
 * sending), then marked sent with Twilio's sid, or scheduled for a retry,
 * or failed.  Without Twilio credentials a message is kept as not_sent,
 * for the console to show.  Twilio's status callbacks then move it on
 * (delivered, read, …); they may arrive out of order, and a status that
 * would go backwards is ignored.
 *
 * Numbers are normalised here (bfk_phone_normalize).  Functions run in
 * the caller's transaction when one is open, or else each in its own.
 *
 * Threads: like the BfkStore it is given.
 */
#pragma once

#include <glib.h>

#include "bfk-store.h"

G_BEGIN_DECLS

#define BFK_MESSAGE_ERROR (bfk_message_error_quark ())

typedef enum
{
  BFK_MESSAGE_ERROR_ALREADY_PROCESSED,  /* the MessageSid was handled before */
  BFK_MESSAGE_ERROR_NOT_FOUND,
  BFK_MESSAGE_ERROR_INVALID_STATUS,     /* a status name we do not know */
} BfkMessageError;

typedef enum
{
  BFK_MESSAGE_IN,
  BFK_MESSAGE_OUT,
} BfkMessageDirection;

typedef enum
{
  BFK_MESSAGE_TEXT,       /* free-form: only within the 24-hour window */
  BFK_MESSAGE_TEMPLATE,   /* an approved template, at any time */
} BfkMessageKind;

typedef enum
{
  BFK_MESSAGE_RECEIVED,     /* inbound */
  BFK_MESSAGE_QUEUED,       /* in our queue, due at next_attempt_at */
  BFK_MESSAGE_NOT_SENT,     /* no Twilio credentials: kept for the console */
  BFK_MESSAGE_SENDING,      /* claimed by the sender, or accepted by Twilio */
  BFK_MESSAGE_SENT,
  BFK_MESSAGE_DELIVERED,
  BFK_MESSAGE_READ,
  BFK_MESSAGE_FAILED,
  BFK_MESSAGE_UNDELIVERED,
  BFK_MESSAGE_N_STATUSES
} BfkMessageStatus;

typedef struct
{
  gint64               id;
  gchar               *phone;            /* E.164 */
  gint64               member_id;        /* 0: not a member (yet) */
  BfkMessageDirection  direction;
  gchar               *body;
  gchar               *twilio_sid;       /* NULL until Twilio has it */
  BfkMessageStatus     status;
  gint                 error_code;       /* Twilio's, 0: none */
  gchar               *error_reason;     /* NULL: none */
  BfkMessageKind       kind;
  guint                attempts;         /* tries that failed */
  gint64               next_attempt_at;  /* 0: not queued */
  gint64               created_at;
  gint64               updated_at;
} BfkMessage;

void          bfk_message_free               (BfkMessage        *message);

/* "received", "queued", … as the table holds them. */
const gchar  *bfk_message_status_to_string   (BfkMessageStatus   status);
/* Twilio's MessageStatus values.  Its "accepted", "scheduled", "queued"
 * and "sending" mean that Twilio holds the message, which is SENDING here
 * (QUEUED is our own queue); "canceled" is FAILED.  Anything else is
 * BFK_MESSAGE_ERROR_INVALID_STATUS. */
gboolean      bfk_message_status_from_twilio (const gchar       *text,
                                              BfkMessageStatus  *status,
                                              GError           **error);

/* --- inbound --- */

/* Records an inbound message with its MessageSid.  FALSE with
 * BFK_MESSAGE_ERROR_ALREADY_PROCESSED when the sid was recorded before:
 * then nothing is written.  member_id 0 for a number not registered;
 * *id (may be NULL) gets the message's id. */
gboolean      bfk_messages_record_inbound    (BfkStore          *store,
                                              const gchar       *message_sid,
                                              const gchar       *phone,
                                              gint64             member_id,
                                              const gchar       *body,
                                              gint64            *id,
                                              GError           **error);
/* Stores the TwiML that answered message_sid. */
gboolean      bfk_messages_set_reply         (BfkStore          *store,
                                              const gchar       *message_sid,
                                              const gchar       *twiml,
                                              GError           **error);
/* The TwiML that answered message_sid: "" when the sid was recorded but
 * no answer stored, NULL with BFK_MESSAGE_ERROR_NOT_FOUND when never seen. */
gchar        *bfk_messages_get_reply         (BfkStore          *store,
                                              const gchar       *message_sid,
                                              GError           **error);
/* Forgets the sids recorded before a time (Twilio retries within
 * minutes): the number forgotten, or -1 on error.  The messages stay. */
gint64        bfk_messages_forget_sids       (BfkStore          *store,
                                              gint64             before,
                                              GError           **error);

/* --- outbound --- */

/* Queues a message, due now; with can_send FALSE (no Twilio credentials)
 * keeps it as not_sent instead.  The new message's id, or 0 on error. */
gint64        bfk_messages_enqueue           (BfkStore          *store,
                                              const gchar       *phone,
                                              gint64             member_id,
                                              BfkMessageKind     kind,
                                              const gchar       *body,
                                              gboolean           can_send,
                                              GError           **error);
/* A reply that went out in the TwiML answer to an inbound message:
 * recorded as sent, so that the thread shows it.  Twilio reports no sid
 * for it to us. */
/* A notice of something the chain did, queued once per notice_key (e.g.
 * "MemberRegistered:0xAb…"): *added (may be NULL) is FALSE when a message
 * with that key exists already, and then nothing is written. */
gboolean      bfk_messages_enqueue_notice    (BfkStore          *store,
                                              const gchar       *phone,
                                              gint64             member_id,
                                              const gchar       *body,
                                              const gchar       *notice_key,
                                              gboolean           can_send,
                                              gboolean          *added,
                                              GError           **error);
gboolean      bfk_messages_record_reply      (BfkStore          *store,
                                              const gchar       *phone,
                                              gint64             member_id,
                                              const gchar       *body,
                                              GError           **error);
/* Up to limit queued messages due at now, oldest due first, marked
 * sending in the same statement: two senders never claim one message.
 * A GPtrArray of BfkMessage. */
GPtrArray    *bfk_messages_claim_due         (BfkStore          *store,
                                              gint64             now,
                                              guint              limit,
                                              GError           **error);
/* Twilio took the message: its sid, and the status it answered with (see
 * bfk_message_status_from_twilio). */
gboolean      bfk_messages_mark_sent         (BfkStore          *store,
                                              gint64             id,
                                              const gchar       *twilio_sid,
                                              const gchar       *twilio_status,
                                              GError           **error);
/* A try failed and another is due at next_attempt_at: queued again, one
 * more attempt counted, with why (error_code 0 and reason NULL: unknown). */
gboolean      bfk_messages_schedule_retry    (BfkStore          *store,
                                              gint64             id,
                                              gint64             next_attempt_at,
                                              gint               error_code,
                                              const gchar       *reason,
                                              GError           **error);
/* The last try failed, for good. */
gboolean      bfk_messages_mark_failed       (BfkStore          *store,
                                              gint64             id,
                                              gint               error_code,
                                              const gchar       *reason,
                                              GError           **error);
/* Queues again the messages claimed before a time and never handed to
 * Twilio (no sid): what a sender that died left.  For a start-up, when no
 * sender runs; such a message may then reach the member twice.  The
 * number queued again, or -1 on error. */
gint64        bfk_messages_requeue_stale     (BfkStore          *store,
                                              gint64             claimed_before,
                                              GError           **error);
/* A status callback: Twilio's MessageStatus and ErrorCode (0: none).  A
 * status that would go backwards (sent after delivered) changes nothing;
 * *changed (may be NULL) says whether the row changed.  NOT_FOUND for a
 * sid we do not have. */
gboolean      bfk_messages_update_status     (BfkStore          *store,
                                              const gchar       *twilio_sid,
                                              const gchar       *twilio_status,
                                              gint               error_code,
                                              gboolean          *changed,
                                              GError           **error);

/* --- reading --- */

/* NULL with BFK_MESSAGE_ERROR_NOT_FOUND when no message has the id. */
BfkMessage   *bfk_messages_get               (BfkStore          *store,
                                              gint64             id,
                                              GError           **error);
/* A page of the messages with a number, both ways, newest first. */
GPtrArray    *bfk_messages_list_thread       (BfkStore          *store,
                                              const gchar       *phone,
                                              guint              limit,
                                              guint              offset,
                                              GError           **error);
/* How many messages have each status, for /metrics. */
gboolean      bfk_messages_count_by_status   (BfkStore          *store,
                                              guint64            counts[BFK_MESSAGE_N_STATUSES],
                                              GError           **error);

GQuark        bfk_message_error_quark        (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BfkMessage, bfk_message_free)

G_END_DECLS
