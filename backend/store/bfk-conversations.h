/* bfk-conversations.h: the conversations table, one per WhatsApp number.
 *
 * A conversation exists for a number before it belongs to a member: the
 * bot keeps its state here between messages (INIT while waiting for a
 * community, and so on), with pending, a text only the bot reads.  The
 * console's inbox lists conversations with their unread count, the
 * needs_agent flag (a member asked for a person) and the staff member who
 * took the conversation over.
 *
 * Twilio lets a business send free-form messages only within 24 hours of
 * the member's last message; outside that window only approved templates
 * go through.  last_inbound_at tracks it.
 *
 * Numbers are normalised here (bfk_phone_normalize), so "whatsapp:+237…"
 * as Twilio sends it finds the same row as "+237…".  Each function is one
 * statement: it runs in the caller's transaction when one is open.
 *
 * Threads: like the BfkStore it is given.
 */
#pragma once

#include <glib.h>

#include "bfk-store.h"

G_BEGIN_DECLS

#define BFK_CONVERSATION_ERROR (bfk_conversation_error_quark ())

typedef enum
{
  BFK_CONVERSATION_ERROR_NOT_FOUND,
  BFK_CONVERSATION_ERROR_INVALID_STATE,
} BfkConversationError;

/* Twilio's session window, in seconds. */
#define BFK_CONVERSATION_WINDOW (24 * 60 * 60)

typedef enum
{
  BFK_CONVERSATION_INIT,               /* waiting for a community */
  BFK_CONVERSATION_COMMUNITY_CHOSEN,   /* waiting for a user name */
  BFK_CONVERSATION_REGISTERED,         /* the main menu */
  BFK_CONVERSATION_SEARCHING,          /* waiting for search words */
  BFK_CONVERSATION_EXCHANGING,         /* waiting for OUI / NON */
} BfkConversationState;

typedef struct
{
  gchar                 *phone;            /* E.164 */
  gint64                 member_id;        /* 0: not registered yet */
  BfkConversationState   state;
  gchar                 *pending;          /* the bot's, or NULL */
  gchar                 *language;         /* "fr", "en" */
  gboolean               needs_agent;
  gint64                 needs_agent_at;   /* 0 when not flagged */
  gchar                 *taken_over_by;    /* a staff member's name, or NULL */
  guint                  unread;
  gint64                 last_inbound_at;  /* 0: the number never wrote */
  gint64                 created_at;
  gint64                 updated_at;
  /* Read with the row, for the inbox: */
  gboolean               stored;           /* FALSE: a fresh default, not in the table */
  gchar                 *member_name;      /* NULL when not registered */
  gint64                 last_activity_at; /* the newest message either way, inbound
                                            * time, call for an agent or first contact */
  gchar                 *last_body;        /* of the newest message, or NULL */
} BfkConversation;

void                  bfk_conversation_free            (BfkConversation       *conv);

/* "INIT", "COMMUNITY_CHOSEN", … as the table holds them. */
const gchar          *bfk_conversation_state_to_string (BfkConversationState   state);
/* FALSE with BFK_CONVERSATION_ERROR_INVALID_STATE for anything else. */
gboolean              bfk_conversation_state_from_string (const gchar         *text,
                                                          BfkConversationState *state,
                                                          GError              **error);

/* The conversation of a number.  A number never seen gets a fresh default
 * rather than an error, since that is what the bot starts from: state
 * INIT, language "fr", stored FALSE, nothing written.  NULL only on error
 * (an invalid number, or the database). */
BfkConversation      *bfk_conversations_get            (BfkStore              *store,
                                                        const gchar           *phone,
                                                        GError               **error);
/* Writes the bot's part of conv (state, pending, language, member_id),
 * creating the row when needed; the inbox's fields are left as they are. */
gboolean              bfk_conversations_save           (BfkStore              *store,
                                                        const BfkConversation *conv,
                                                        GError               **error);
/* A message came in at now: opens the 24-hour window and counts one more
 * unread message, creating the conversation when needed. */
gboolean              bfk_conversations_mark_inbound   (BfkStore              *store,
                                                        const gchar           *phone,
                                                        gint64                 now,
                                                        GError               **error);

/* The inbox's marks.  NOT_FOUND when the number has no conversation. */
gboolean              bfk_conversations_mark_read      (BfkStore              *store,
                                                        const gchar           *phone,
                                                        GError               **error);
/* Flags (the member sent AGENT) or clears; the time is kept while flagged. */
gboolean              bfk_conversations_set_needs_agent (BfkStore             *store,
                                                         const gchar          *phone,
                                                         gboolean              needs_agent,
                                                         GError              **error);
/* staff NULL hands the conversation back to the bot. */
gboolean              bfk_conversations_set_taken_over (BfkStore              *store,
                                                        const gchar           *phone,
                                                        const gchar           *staff,
                                                        GError               **error);

/* A page of the inbox, newest activity first (then by number);
 * needs_agent_only keeps the flagged ones.  A GPtrArray of BfkConversation. */
GPtrArray            *bfk_conversations_list           (BfkStore              *store,
                                                        gboolean               needs_agent_only,
                                                        guint                  limit,
                                                        guint                  offset,
                                                        GError               **error);

/* What the inbox's filters keep. */
typedef struct
{
  gboolean     waiting_only;   /* flagged (AGENT) and not taken over by a person */
  gboolean     unread_only;
  const gchar *text;           /* in the member's name, or (its digits) in the number; NULL: any */
} BfkConversationFilter;

/* bfk_conversations_list, filtered in the query: a page holds what the
 * filters keep, however old. */
GPtrArray            *bfk_conversations_find           (BfkStore              *store,
                                                        const BfkConversationFilter *filter,
                                                        guint                  limit,
                                                        guint                  offset,
                                                        GError               **error);

/* Whether a free-form message may be sent to phone at now: TRUE while
 * less than 24 hours have passed since its last inbound message, with the
 * seconds left in *seconds_left (may be NULL; 0 when closed).  FALSE when
 * closed or when the number never wrote; FALSE with error set only when
 * the number is invalid or the database fails. */
gboolean              bfk_conversations_window_open    (BfkStore              *store,
                                                        const gchar           *phone,
                                                        gint64                 now,
                                                        gint64                *seconds_left,
                                                        GError               **error);

GQuark                bfk_conversation_error_quark     (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BfkConversation, bfk_conversation_free)

G_END_DECLS
