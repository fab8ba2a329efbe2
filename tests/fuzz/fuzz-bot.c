/* fuzz-bot.c: the WhatsApp bot on any bytes.
 *
 * First the command parser alone, on all the bytes: it must give a command
 * whatever they are, with clean text in every field.  Then the whole bot:
 * the first byte picks the conversation (its state, language, staff
 * takeover, whose number it is, and what is pending), the rest is the
 * message, and a small world in memory answers the bot's questions (two
 * communities, three members, an offer, two exchanges).  Every result must
 * be sane (replies valid UTF-8 and short enough, a known state and
 * language, known effects) and free cleanly: ASan's leak check runs on
 * every input.  The result is fed back for a second message, the same
 * text, so that the pending data the bot wrote is read back too. */
#include <string.h>

#include <glib.h>

#include "bfk-bot.h"

#define NOW G_GINT64_CONSTANT (1750000000)

enum { PAUL = 1, MARIE, JEAN };

/* --- the world --- */

/* Joined 90 days before NOW.  The names are copied out of the table. */
static const BfkBotMember members[] = {
  { PAUL, (gchar *) "Paul", 1, TRUE, 1000, 150, 9, 2, 3, NOW - 90 * 24 * 3600 },
  { MARIE, (gchar *) "Marie", 1, TRUE, 500, 0, 0, 0, 1, NOW - 90 * 24 * 3600 },
  /* Joined, but registerMember is not mined yet. */
  { JEAN, (gchar *) "Jean", 2, FALSE, 0, 0, 0, 0, 0, NOW - 90 * 24 * 3600 },
};

static BfkBotMember *
member_new (const BfkBotMember *row)
{
  BfkBotMember *m = g_memdup2 (row, sizeof *row);

  m->name = g_strdup (row->name);
  return m;
}

static GPtrArray *
world_communities (gpointer user_data)
{
  GPtrArray *all = g_ptr_array_new_with_free_func ((GDestroyNotify) bfk_bot_community_free);
  BfkBotCommunity *c;

  (void) user_data;
  c = g_new0 (BfkBotCommunity, 1);
  *c = (BfkBotCommunity) { 1, g_strdup ("Fondjomenkwet"), g_strdup ("Fonjoka"),
                           g_strdup ("FJK"), 2, 12345 };
  g_ptr_array_add (all, c);
  c = g_new0 (BfkBotCommunity, 1);
  *c = (BfkBotCommunity) { 2, g_strdup ("Banja"), g_strdup ("Banjika"), g_strdup ("BJK"), 1, 0 };
  g_ptr_array_add (all, c);
  return all;
}

static GPtrArray *
world_members_named (gpointer     user_data,
                     const gchar *name)
{
  GPtrArray *found = g_ptr_array_new_with_free_func ((GDestroyNotify) bfk_bot_member_free);
  g_autofree gchar *wanted = g_utf8_casefold (name, -1);

  (void) user_data;
  g_assert (g_utf8_validate (name, -1, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      g_autofree gchar *folded = g_utf8_casefold (members[i].name, -1);

      if (strcmp (folded, wanted) == 0)
        g_ptr_array_add (found, member_new (&members[i]));
    }
  return found;
}

/* The one offer, Marie's, as a list when wanted and empty otherwise. */
static GPtrArray *
couture_if (gboolean wanted)
{
  GPtrArray *found = g_ptr_array_new_with_free_func ((GDestroyNotify) bfk_bot_offer_free);
  BfkBotOffer *o;

  if (!wanted)
    return found;
  o = g_new0 (BfkBotOffer, 1);
  o->id = 3;
  o->provider_id = MARIE;
  o->provider_name = g_strdup ("Marie");
  o->title = g_strdup ("couture");
  o->price = 500;
  g_ptr_array_add (found, o);
  return found;
}

static GPtrArray *
world_search_offers (gpointer     user_data,
                     guint64      community_id,
                     const gchar *words,
                     guint        limit)
{
  g_autofree gchar *folded = NULL;

  (void) user_data;
  g_assert (words != NULL && g_utf8_validate (words, -1, NULL));
  folded = bfk_bot_fold (words);
  return couture_if (community_id == 1 && limit > 0 && strstr (folded, "cou") != NULL);
}

static GPtrArray *
world_member_offers (gpointer user_data,
                     gint64   member_id)
{
  (void) user_data;
  return couture_if (member_id == MARIE);
}

static BfkBotExchange *
world_exchange (gpointer user_data,
                guint64  id)
{
  BfkBotExchange *e;

  (void) user_data;
  if (id != 12 && id != 14)
    return NULL;
  e = g_new0 (BfkBotExchange, 1);
  e->id = id;
  e->payer_id = PAUL;
  e->provider_id = MARIE;
  e->payer_name = g_strdup ("Paul");
  e->provider_name = g_strdup ("Marie");
  e->community_id = 1;
  e->amount = 150;
  e->state = id == 12 ? BFK_EXCHANGE_PROPOSED : BFK_EXCHANGE_COMPLETED;
  e->deadline = id == 12 ? NOW + 3600 : NOW - 3600;
  return e;
}

static GPtrArray *
world_backers (gpointer user_data,
               guint64  community_id)
{
  GPtrArray *found = g_ptr_array_new_with_free_func ((GDestroyNotify) bfk_bot_backer_free);

  (void) user_data;
  if (community_id == 1)
    {
      BfkBotBacker *b = g_new0 (BfkBotBacker, 1);

      b->label = g_strdup ("ONG Solidarité");
      b->weekly_cap = 5000;
      b->left_this_week = 1200;
      g_ptr_array_add (found, b);
    }
  return found;
}

static const BfkBotWorld world = {
  .communities = world_communities,
  .members_named = world_members_named,
  .search_offers = world_search_offers,
  .member_offers = world_member_offers,
  .exchange = world_exchange,
  .backers = world_backers,
};

/* --- the checks --- */

static void
check_number (const BfkBotNumber *number)
{
  g_assert (number->text != NULL);
  g_assert (g_utf8_validate (number->text, -1, NULL));
  g_assert_cmpuint ((guint) number->status, <=, BFK_BOT_NUMBER_ZERO);
  if (number->status == BFK_BOT_NUMBER_OK)
    g_assert (number->value > 0 && number->value <= BFK_BOT_NUMBER_MAX);
}

static void
check_command (const guint8 *data,
               size_t        size)
{
  g_autoptr(BfkBotCommand) cmd = bfk_bot_command_parse ((const gchar *) data, (gssize) size);
  g_autofree gchar *folded = NULL;

  g_assert (cmd != NULL);
  g_assert_cmpuint ((guint) cmd->kind, <, BFK_BOT_N_CMDS);
  g_assert (cmd->text != NULL);
  g_assert (g_utf8_validate (cmd->text, -1, NULL));
  g_assert_cmpuint (strlen (cmd->text), <=, 4 * BFK_BOT_MESSAGE_MAX);
  g_assert (cmd->name == NULL || g_utf8_validate (cmd->name, -1, NULL));
  g_assert (cmd->service == NULL || g_utf8_validate (cmd->service, -1, NULL));
  check_number (&cmd->number);
  check_number (&cmd->amount);
  check_number (&cmd->stars);
  g_assert_cmpuint ((guint) cmd->lang, <, BFK_BOT_N_LANGS);
  g_assert (strcmp (bfk_bot_command_kind_to_string (cmd->kind), "?") != 0);
  folded = bfk_bot_fold (cmd->text);
  g_assert (folded != NULL && g_utf8_validate (folded, -1, NULL));
}

static void
check_result (const BfkBotResult *r)
{
  g_assert (r != NULL);
  g_assert (r->pending != NULL);
  g_assert (g_utf8_validate (r->pending, -1, NULL));
  g_assert_cmpuint ((guint) r->state, <, BFK_BOT_N_STATES);
  g_assert_cmpuint ((guint) r->lang, <, BFK_BOT_N_LANGS);
  for (guint i = 0; i < r->replies->len; i++)
    {
      const gchar *reply = g_ptr_array_index (r->replies, i);

      g_assert (reply != NULL);
      g_assert (g_utf8_validate (reply, -1, NULL));
      g_assert_cmpint (g_utf8_strlen (reply, -1), <=, BFK_BOT_REPLY_MAX_CHARS);
    }
  for (guint i = 0; i < r->effects->len; i++)
    {
      const BfkBotEffect *e = g_ptr_array_index (r->effects, i);

      g_assert (e != NULL);
      g_assert_cmpuint ((guint) e->kind, <, BFK_BOT_N_EFFECTS);
      g_assert_cmpuint ((guint) e->lang, <, BFK_BOT_N_LANGS);
      g_assert (e->text == NULL || g_utf8_validate (e->text, -1, NULL));
    }
}

/* --- one input --- */

/* The first byte: bits 0-2 the state (modulo the number of states), bit 3
 * English, bit 4 staff takeover, bits 5-6 whose number (nobody yet, Paul,
 * Marie, Jean), bit 7 something pending (a chosen community, or a
 * proposal to Marie awaiting OUI). */
int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  static const gchar *const pendings[] = {
    "v=1&c=2",
    "v=1&c=1&p=2&pn=Marie&s=couture&a=150&t=1749999990",
  };
  g_autoptr(BfkBotMember) member = NULL;
  g_autoptr(BfkBotResult) first = NULL;
  g_autoptr(BfkBotResult) second = NULL;
  g_autofree gchar *text = NULL;
  BfkBotInput input = { 0 };
  guint8 pick;
  guint who;

  check_command (data, size);
  if (size == 0)
    return 0;

  pick = data[0];
  who = (pick >> 5) & 3;
  /* The bot takes NUL-terminated text: a NUL ends the message there. */
  text = g_strndup ((const gchar *) data + 1, size - 1);
  if (who > 0)
    member = member_new (&members[who - 1]);

  input.state = (BfkBotState) ((pick & 7) % BFK_BOT_N_STATES);
  input.lang = (pick & 8) ? BFK_BOT_LANG_EN : BFK_BOT_LANG_FR;
  input.staff_takeover = (pick & 16) != 0;
  input.member = member;
  input.pending = (pick & 128) ? pendings[input.state == BFK_BOT_STATE_EXCHANGING] : NULL;
  input.text = text;
  input.now = NOW;

  first = bfk_bot_handle (&world, &input);
  check_result (first);

  input.state = first->state;
  input.lang = first->lang;
  input.pending = first->pending;
  input.now = NOW + 60;
  second = bfk_bot_handle (&world, &input);
  check_result (second);
  return 0;
}
