/* bfk-inbound.c */
#include "bfk-inbound.h"

#include <string.h>

#include "bfk-bot-world.h"
#include "bfk-conversations.h"
#include "bfk-members.h"
#include "bfk-messages.h"
#include "bfk-twiml.h"

void
bfk_inbound_result_clear (BfkInboundResult *result)
{
  g_clear_pointer (&result->twiml, g_free);
  g_clear_pointer (&result->op_ids, g_array_unref);
  result->member_id = 0;
}

static gchar *
twiml_of (GPtrArray *replies)
{
  g_autoptr(BfkTwiml) twiml = bfk_twiml_new ();

  for (guint i = 0; replies && i < replies->len; i++)
    bfk_twiml_add_message (twiml, g_ptr_array_index (replies, i));
  return bfk_twiml_to_string (twiml);
}

/* The message's savepoint, as cached statements: parsing them again for
 * every message cost more than running them. */
static gboolean
savepoint (BfkStore     *store,
           const gchar  *sql,
           GError      **error)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store, sql, error);

  return stmt && bfk_store_step_done (store, stmt, error);
}

#define SAVEPOINT "SAVEPOINT inbound"
#define RELEASE   "RELEASE inbound"

static void
undo (BfkStore *store)
{
  /* ROLLBACK TO keeps the savepoint open; RELEASE then closes it. */
  if (!savepoint (store, "ROLLBACK TO inbound", NULL) || !savepoint (store, RELEASE, NULL))
    g_warning ("Could not undo a WhatsApp message's changes");
}

static BfkBotLang
lang_of (const gchar *text)
{
  BfkBotLang lang;

  bfk_bot_lang_from_string (text, &lang);
  return lang;
}

/* The bot's replies go out in the TwiML answer; they are recorded as sent
 * so that the inbox shows the whole conversation. */
static gboolean
record_replies (BfkStore   *store,
                const gchar *phone,
                gint64      member_id,
                GPtrArray  *replies,
                GError    **error)
{
  for (guint i = 0; i < replies->len; i++)
    if (!bfk_messages_record_reply (store, phone, member_id, g_ptr_array_index (replies, i), error))
      return FALSE;
  return TRUE;
}

/* Steps 3 and 4, in the open savepoint. */
static gboolean
converse (const BfkInboundSetup   *setup,
          const BfkInboundMessage *message,
          const gchar             *phone,
          BfkInboundResult        *result,
          GError                 **error)
{
  BfkStore *store = setup->chain.store;
  gint64 now = message->now_us / G_USEC_PER_SEC;
  g_autoptr(BfkConversation) conv = NULL;
  g_autoptr(BfkMember) member = NULL;
  g_autoptr(BfkBotMember) bot_member = NULL;
  g_autoptr(BfkBotResult) bot = NULL;
  g_autoptr(GError) lookup_error = NULL;
  g_autoptr(GPtrArray) replies = g_ptr_array_new_with_free_func (g_free);
  BfkBotWorld world;
  BfkBotInput input = { 0 };
  gint64 member_id;

  if (!(conv = bfk_conversations_get (store, phone, error)))
    return FALSE;
  /* An imported member has no conversation yet, but has the number. */
  member = bfk_members_find_by_phone (store, phone, &lookup_error);
  if (!member && !g_error_matches (lookup_error, BFK_MEMBER_ERROR, BFK_MEMBER_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&lookup_error));
      return FALSE;
    }
  member_id = member ? member->id : 0;
  if (member && !(bot_member = bfk_bot_world_member (store, member_id, error)))
    return FALSE;
  if (!bfk_messages_record_inbound (store, message->message_sid, phone, member_id,
                                    message->body ? message->body : "", NULL, error)
      || !bfk_conversations_mark_inbound (store, phone, now, error)
      || (member && !bfk_members_touch (store, member_id, now, error)))
    return FALSE;

  if (message->n_media > 0)
    g_ptr_array_add (replies, bfk_bot_text (lang_of (conv->language), BFK_BOT_TEXT_NOTE_MEDIA, NULL));

  bfk_bot_world_init_store (&world, store);
  input.state = (BfkBotState) conv->state;
  input.pending = conv->pending;
  input.lang = lang_of (conv->stored || !member ? conv->language : member->language);
  input.staff_takeover = conv->taken_over_by != NULL;
  input.member = bot_member;
  input.text = message->body ? message->body : "";
  input.now = now;
  input.proposal_ttl = setup->proposal_ttl;
  /* A picture alone is not a command: the media reply is the answer. */
  if (message->n_media == 0 || *input.text != '\0')
    {
      bot = bfk_bot_handle (&world, &input);
      for (guint i = 0; i < bot->effects->len; i++)
        if (!bfk_bot_apply (&setup->chain, phone, g_ptr_array_index (bot->effects, i), &member_id,
                            result->op_ids, error))
          return FALSE;
      for (guint i = 0; i < bot->replies->len; i++)
        g_ptr_array_add (replies, g_strdup (g_ptr_array_index (bot->replies, i)));
      conv->state = (BfkConversationState) bot->state;
      g_free (conv->pending);
      conv->pending = g_strdup (bot->pending);
      g_free (conv->language);
      conv->language = g_strdup (bfk_bot_lang_to_string (bot->lang));
    }
  conv->member_id = member_id;
  result->member_id = member_id;
  result->twiml = twiml_of (replies);
  return bfk_conversations_save (store, conv, error)
         && record_replies (store, phone, member_id, replies, error)
         && bfk_messages_set_reply (store, message->message_sid, result->twiml, error);
}

/* After a failed effect: the message alone, and an apology, so that a
 * retry does not fail the same way again. */
static gboolean
record_apology (const BfkInboundSetup   *setup,
                const BfkInboundMessage *message,
                const gchar             *phone,
                BfkInboundResult        *result,
                GError                 **error)
{
  BfkStore *store = setup->chain.store;
  g_autoptr(GPtrArray) replies = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (replies, bfk_bot_text (BFK_BOT_LANG_FR, BFK_BOT_TEXT_NOTE_OP_FAILED, NULL));
  g_clear_pointer (&result->twiml, g_free);
  g_array_set_size (result->op_ids, 0);
  result->twiml = twiml_of (replies);
  if (!savepoint (store, SAVEPOINT, error))
    return FALSE;
  if (bfk_messages_record_inbound (store, message->message_sid, phone, 0,
                                   message->body ? message->body : "", NULL, error)
      && bfk_conversations_mark_inbound (store, phone, message->now_us / G_USEC_PER_SEC, error)
      && record_replies (store, phone, 0, replies, error)
      && bfk_messages_set_reply (store, message->message_sid, result->twiml, error))
    return savepoint (store, RELEASE, error);
  undo (store);
  return FALSE;
}

gboolean
bfk_inbound_handle (const BfkInboundSetup   *setup,
                    const BfkInboundMessage *message,
                    BfkInboundResult        *result,
                    GError                 **error)
{
  BfkStore *store = setup->chain.store;
  g_autofree gchar *phone = NULL;
  g_autofree gchar *earlier = NULL;
  g_autofree gchar *masked = NULL;
  g_autoptr(GError) local_error = NULL;

  memset (result, 0, sizeof *result);
  result->op_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  if (!message->message_sid || !*message->message_sid)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "The message has no MessageSid");
      return FALSE;
    }
  if (!(phone = bfk_phone_normalize (message->from, error)))
    return FALSE;

  earlier = bfk_messages_get_reply (store, message->message_sid, &local_error);
  if (earlier)
    {
      result->fate = BFK_INBOUND_REPLAYED;
      result->twiml = *earlier ? g_steal_pointer (&earlier) : twiml_of (NULL);
      return TRUE;
    }
  if (!g_error_matches (local_error, BFK_MESSAGE_ERROR, BFK_MESSAGE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  g_clear_error (&local_error);

  switch (setup->rate_limit ? bfk_rate_limit_check (setup->rate_limit, phone, message->now_us)
                            : BFK_RATE_LIMIT_ALLOW)
    {
    case BFK_RATE_LIMIT_WARN:
      {
        g_autoptr(GPtrArray) warning = g_ptr_array_new_with_free_func (g_free);

        g_ptr_array_add (warning, bfk_bot_text (BFK_BOT_LANG_FR, BFK_BOT_TEXT_NOTE_RATE_LIMITED, NULL));
        result->fate = BFK_INBOUND_WARNED;
        result->twiml = twiml_of (warning);
        return TRUE;
      }
    case BFK_RATE_LIMIT_DROP:
      result->fate = BFK_INBOUND_DROPPED;
      result->twiml = twiml_of (NULL);
      return TRUE;
    case BFK_RATE_LIMIT_ALLOW:
    default:
      break;
    }

  result->fate = BFK_INBOUND_ANSWERED;
  if (!savepoint (store, SAVEPOINT, error))
    return FALSE;
  if (converse (setup, message, phone, result, &local_error))
    return savepoint (store, RELEASE, error);
  undo (store);
  masked = bfk_phone_mask (phone);
  g_warning ("A WhatsApp message from %s could not be handled: %s", masked, local_error->message);
  return record_apology (setup, message, phone, result, error);
}
