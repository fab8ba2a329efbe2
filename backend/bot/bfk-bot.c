/* bfk-bot.c: one message through the conversation's states, and the helpers
 * the commands share.
 *
 * The order of the checks is the behaviour: staff takeover first (free text
 * is theirs), then the number without a member (joining), then the states
 * that wait for something (a greeting owed to an imported member, search
 * words, OUI/NON), and last the commands of the main menu.
 */
#include "bfk-bot-private.h"

#include <string.h>

static const gchar *const state_names[BFK_BOT_N_STATES] = {
  "INIT", "COMMUNITY_CHOSEN", "REGISTERED", "SEARCHING", "EXCHANGING",
};

const gchar *
bfk_bot_state_to_string (BfkBotState state)
{
  return (guint) state < BFK_BOT_N_STATES ? state_names[state] : state_names[0];
}

gboolean
bfk_bot_state_from_string (const gchar *text,
                           BfkBotState *out)
{
  for (guint i = 0; text && i < BFK_BOT_N_STATES; i++)
    if (g_str_equal (text, state_names[i]))
      {
        if (out)
          *out = (BfkBotState) i;
        return TRUE;
      }
  if (out)
    *out = BFK_BOT_STATE_INIT;
  return FALSE;
}

/* --- the world's structs --- */

void
bfk_bot_community_free (BfkBotCommunity *community)
{
  if (!community)
    return;
  g_free (community->name);
  g_free (community->currency_name);
  g_free (community->currency_symbol);
  g_free (community);
}

void
bfk_bot_member_free (BfkBotMember *member)
{
  if (!member)
    return;
  g_free (member->name);
  g_free (member);
}

void
bfk_bot_offer_free (BfkBotOffer *offer)
{
  if (!offer)
    return;
  g_free (offer->provider_name);
  g_free (offer->title);
  g_free (offer);
}

void
bfk_bot_exchange_free (BfkBotExchange *exchange)
{
  if (!exchange)
    return;
  g_free (exchange->payer_name);
  g_free (exchange->provider_name);
  g_free (exchange);
}

void
bfk_bot_backer_free (BfkBotBacker *backer)
{
  if (!backer)
    return;
  g_free (backer->label);
  g_free (backer);
}

static void
effect_free (BfkBotEffect *effect)
{
  g_free (effect->text);
  g_free (effect);
}

void
bfk_bot_result_free (BfkBotResult *result)
{
  if (!result)
    return;
  g_ptr_array_unref (result->replies);
  g_ptr_array_unref (result->effects);
  g_free (result->pending);
  g_free (result);
}

/* --- helpers --- */

BfkBotLang
bfk_bot_lang (BfkBotCtx *ctx)
{
  return ctx->out->lang;
}

gchar *
bfk_bot_say (BfkBotCtx        *ctx,
             BfkBotText        key,
             const BfkBotVars *vars)
{
  return bfk_bot_text (bfk_bot_lang (ctx), key, vars);
}

gchar *
bfk_bot_clip (const gchar *text,
              guint        max_chars)
{
  g_autofree gchar *valid = NULL;
  g_autofree gchar *head = NULL;

  /* The world's strings come from our store, but a bad one must not make
   * the UTF-8 walk below run past its end. */
  if (!text)
    return g_strdup ("");
  valid = g_utf8_validate (text, -1, NULL) ? g_strdup (text) : g_utf8_make_valid (text, -1);
  if (g_utf8_strlen (valid, -1) <= (glong) max_chars || max_chars < 2)
    return g_steal_pointer (&valid);
  head = g_utf8_substring (valid, 0, max_chars - 1);
  return g_strconcat (head, "…", NULL);
}

void
bfk_bot_reply_take (BfkBotCtx *ctx,
                    gchar     *text)
{
  if (g_utf8_strlen (text, -1) > BFK_BOT_REPLY_MAX_CHARS)
    {
      gchar *cut = bfk_bot_clip (text, BFK_BOT_REPLY_MAX_CHARS);

      g_free (text);
      text = cut;
    }
  g_ptr_array_add (ctx->out->replies, text);
}

void
bfk_bot_reply (BfkBotCtx        *ctx,
               BfkBotText        key,
               const BfkBotVars *vars)
{
  bfk_bot_reply_take (ctx, bfk_bot_say (ctx, key, vars));
}

gchar *
bfk_bot_say_list (BfkBotCtx  *ctx,
                  BfkBotText  key,
                  BfkBotVars *vars,
                  GPtrArray  *lines)
{
  for (guint n = lines->len; ; n--)
    {
      g_autoptr(GString) detail = g_string_new (NULL);
      gchar *text;

      for (guint i = 0; i < n; i++)
        g_string_append_printf (detail, "%s%s", i ? "\n" : "",
                                (const gchar *) g_ptr_array_index (lines, i));
      vars->detail = detail->str;
      text = bfk_bot_say (ctx, key, vars);
      vars->detail = NULL;
      if (n <= 1 || g_utf8_strlen (text, -1) <= BFK_BOT_REPLY_MAX_CHARS)
        return text;
      g_free (text);
    }
}

BfkBotEffect *
bfk_bot_effect (BfkBotCtx        *ctx,
                BfkBotEffectKind  kind)
{
  BfkBotEffect *effect = g_new0 (BfkBotEffect, 1);

  effect->kind = kind;
  effect->member_id = ctx->member ? ctx->member->id : 0;
  effect->lang = bfk_bot_lang (ctx);
  g_ptr_array_add (ctx->out->effects, effect);
  return effect;
}

void
bfk_bot_goto (BfkBotCtx   *ctx,
              BfkBotState  state)
{
  ctx->out->state = state;
  ctx->moves++;
  bfk_bot_pending_clear (&ctx->pending);
}

static void
clip_in_place (gchar **text,
               guint   max_chars)
{
  gchar *clipped = bfk_bot_clip (*text, max_chars);

  g_free (*text);
  *text = clipped;
}

GPtrArray *
bfk_bot_communities (BfkBotCtx *ctx)
{
  if (!ctx->communities)
    {
      if (ctx->world->communities)
        ctx->communities = ctx->world->communities (ctx->world->user_data);
      if (!ctx->communities)
        ctx->communities = g_ptr_array_new ();
      /* Cut once here, so that every reply naming them stays short. */
      for (guint i = 0; i < ctx->communities->len; i++)
        {
          BfkBotCommunity *c = g_ptr_array_index (ctx->communities, i);

          if (!c)
            {
              g_ptr_array_remove_index (ctx->communities, i--);
              continue;
            }
          clip_in_place (&c->name, 40);
          clip_in_place (&c->currency_name, 30);
          clip_in_place (&c->currency_symbol, 10);
        }
    }
  return ctx->communities;
}

const BfkBotCommunity *
bfk_bot_community_by_id (BfkBotCtx *ctx,
                         guint64    id)
{
  GPtrArray *all = bfk_bot_communities (ctx);

  for (guint i = 0; i < all->len; i++)
    {
      const BfkBotCommunity *c = g_ptr_array_index (all, i);

      if (c && c->id == id)
        return c;
    }
  return NULL;
}

const BfkBotCommunity *
bfk_bot_community (BfkBotCtx *ctx)
{
  const BfkBotCommunity *c = bfk_bot_community_by_id (ctx, ctx->member->community_id);

  if (c)
    return c;
  /* The world does not know the member's community: answer without
   * naming it rather than not at all. */
  if (!ctx->fallback)
    {
      ctx->fallback = g_new0 (BfkBotCommunity, 1);
      ctx->fallback->id = ctx->member->community_id;
      ctx->fallback->name = g_strdup ("?");
      ctx->fallback->currency_name = g_strdup ("?");
      ctx->fallback->currency_symbol = g_strdup ("?");
    }
  return ctx->fallback;
}

gchar *
bfk_bot_reputation (BfkBotCtx *ctx,
                    guint64    stars,
                    guint64    ratings)
{
  guint64 tenths;
  g_autofree gchar *rating = NULL;

  if (ratings == 0)
    return bfk_bot_say (ctx, BFK_BOT_TEXT_REPUTATION_NONE, NULL);
  stars = MIN (stars, ratings * 5);   /* a world that says more cannot make it 7/5 */
  tenths = (stars * 10 + ratings / 2) / ratings;
  if (tenths % 10 == 0)
    rating = g_strdup_printf ("%" G_GUINT64_FORMAT, tenths / 10);
  else
    rating = g_strdup_printf ("%" G_GUINT64_FORMAT "%s%" G_GUINT64_FORMAT, tenths / 10,
                              bfk_bot_lang (ctx) == BFK_BOT_LANG_FR ? "," : ".", tenths % 10);
  return bfk_bot_say (ctx, BFK_BOT_TEXT_REPUTATION,
                      &(BfkBotVars) { .rating = rating, .count = ratings });
}

gchar *
bfk_bot_date (gint64 unix_time)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (unix_time);
  /* Cameroon keeps UTC+1 all year: no time zone database needed. */
  g_autoptr(GDateTime) local = utc ? g_date_time_add_hours (utc, 1) : NULL;

  return local ? g_date_time_format (local, "%d/%m/%Y") : g_strdup ("?");
}

gboolean
bfk_bot_check_number (BfkBotCtx          *ctx,
                      const BfkBotNumber *num,
                      BfkBotText          what,
                      const gchar        *example)
{
  static const BfkBotText keys[] = {
    [BFK_BOT_NUMBER_MISSING] = BFK_BOT_TEXT_NUM_MISSING,
    [BFK_BOT_NUMBER_NEGATIVE] = BFK_BOT_TEXT_NUM_NEGATIVE,
    [BFK_BOT_NUMBER_DECIMAL] = BFK_BOT_TEXT_NUM_DECIMAL,
    [BFK_BOT_NUMBER_NOT_A_NUMBER] = BFK_BOT_TEXT_NUM_NOT_A_NUMBER,
    [BFK_BOT_NUMBER_TOO_BIG] = BFK_BOT_TEXT_NUM_TOO_BIG,
    [BFK_BOT_NUMBER_ZERO] = BFK_BOT_TEXT_NUM_ZERO,
  };
  g_autofree gchar *what_text = NULL;
  g_autofree gchar *typed = NULL;

  if (num->status == BFK_BOT_NUMBER_OK)
    return TRUE;
  what_text = bfk_bot_say (ctx, what, NULL);
  typed = bfk_bot_clip (num->text, 24);
  bfk_bot_reply (ctx, keys[num->status],
                 &(BfkBotVars) { .what = what_text, .words = typed, .example = example });
  return FALSE;
}

/* --- the states --- */

/* Commands that need the member on chain: until registerMember is mined
 * there is no balance to show or to pay with. */
static gboolean
needs_chain (BfkBotCommandKind kind)
{
  switch (kind)
    {
    case BFK_BOT_CMD_BALANCE:
    case BFK_BOT_CMD_PROFILE:
    case BFK_BOT_CMD_PROPOSE:
    case BFK_BOT_CMD_ACCEPT:
    case BFK_BOT_CMD_DECLINE:
    case BFK_BOT_CMD_DONE:
    case BFK_BOT_CMD_CANCEL:
    case BFK_BOT_CMD_RATE:
    case BFK_BOT_CMD_YES:
      return TRUE;
    default:
      return FALSE;
    }
}

static void
run_command (BfkBotCtx *ctx)
{
  BfkBotCommandKind kind = ctx->cmd->kind;

  if (needs_chain (kind) && !ctx->member->registered_on_chain)
    {
      bfk_bot_reply (ctx, BFK_BOT_TEXT_REGISTRATION_PENDING, NULL);
      return;
    }
  switch (kind)
    {
    case BFK_BOT_CMD_HELP:
      bfk_bot_reply (ctx, BFK_BOT_TEXT_MENU, NULL);
      break;
    case BFK_BOT_CMD_BALANCE:
      bfk_bot_cmd_balance (ctx);
      break;
    case BFK_BOT_CMD_PROFILE:
      bfk_bot_cmd_profile (ctx);
      break;
    case BFK_BOT_CMD_COMMUNITY:
      bfk_bot_cmd_community (ctx);
      break;
    case BFK_BOT_CMD_OFFER:
      bfk_bot_cmd_offer (ctx);
      break;
    case BFK_BOT_CMD_REMOVE:
      bfk_bot_cmd_remove (ctx);
      break;
    case BFK_BOT_CMD_SEARCH:
      bfk_bot_cmd_search (ctx, ctx->cmd->service);
      break;
    case BFK_BOT_CMD_PROPOSE:
      bfk_bot_cmd_propose (ctx);
      break;
    case BFK_BOT_CMD_ACCEPT:
    case BFK_BOT_CMD_DECLINE:
    case BFK_BOT_CMD_DONE:
    case BFK_BOT_CMD_CANCEL:
    case BFK_BOT_CMD_RATE:
      bfk_bot_cmd_exchange (ctx);
      break;
    case BFK_BOT_CMD_BACKERS:
      bfk_bot_cmd_backers (ctx);
      break;
    case BFK_BOT_CMD_AGENT:
      bfk_bot_cmd_agent (ctx);
      break;
    case BFK_BOT_CMD_LANGUAGE:
      bfk_bot_cmd_language (ctx);
      break;
    case BFK_BOT_CMD_YES:
    case BFK_BOT_CMD_NO:
      bfk_bot_reply (ctx, BFK_BOT_TEXT_NOTHING_TO_CONFIRM, NULL);
      break;
    case BFK_BOT_CMD_TEXT:
    case BFK_BOT_N_CMDS:
    default:
      bfk_bot_reply (ctx, BFK_BOT_TEXT_NOT_UNDERSTOOD, NULL);
      break;
    }
}

static void
remind_proposal (BfkBotCtx *ctx)
{
  const BfkBotCommunity *community = bfk_bot_community (ctx);

  bfk_bot_reply (ctx, BFK_BOT_TEXT_CONFIRM_PENDING,
                 &(BfkBotVars) { .amount = ctx->pending.amount,
                                 .currency = community->currency_name,
                                 .other = ctx->pending.provider_name });
}

static void
member_message (BfkBotCtx *ctx)
{
  BfkBotCommandKind kind = ctx->cmd->kind;

  switch (ctx->out->state)
    {
    case BFK_BOT_STATE_INIT:
    case BFK_BOT_STATE_COMMUNITY_CHOSEN:
    default:
      {
        /* Imported, or registered a moment ago: greeted by name, never
         * asked to register. */
        g_autofree gchar *name = bfk_bot_clip (ctx->member->name, 30);

        bfk_bot_goto (ctx, BFK_BOT_STATE_REGISTERED);
        bfk_bot_reply (ctx, BFK_BOT_TEXT_GREET_MEMBER,
                       &(BfkBotVars) { .name = name,
                                       .community = bfk_bot_community (ctx)->name });
        if (kind == BFK_BOT_CMD_TEXT || kind == BFK_BOT_CMD_HELP)
          bfk_bot_reply (ctx, BFK_BOT_TEXT_MENU, NULL);
        else
          run_command (ctx);
      }
      return;

    case BFK_BOT_STATE_SEARCHING:
      bfk_bot_goto (ctx, BFK_BOT_STATE_REGISTERED);
      if (kind == BFK_BOT_CMD_TEXT)
        bfk_bot_cmd_search (ctx, ctx->cmd->text);
      else
        run_command (ctx);
      return;

    case BFK_BOT_STATE_EXCHANGING:
      if (!bfk_bot_pending_has_proposal (&ctx->pending))
        {
          bfk_bot_goto (ctx, BFK_BOT_STATE_REGISTERED);
          run_command (ctx);
          return;
        }
      if (kind == BFK_BOT_CMD_YES || kind == BFK_BOT_CMD_NO)
        {
          if (needs_chain (kind) && !ctx->member->registered_on_chain)
            bfk_bot_reply (ctx, BFK_BOT_TEXT_REGISTRATION_PENDING, NULL);
          else
            bfk_bot_cmd_confirm (ctx, kind == BFK_BOT_CMD_YES);
          return;
        }
      if (kind != BFK_BOT_CMD_TEXT)
        run_command (ctx);
      /* Still waiting on the same proposal: say so, so that the member
       * knows OUI is still expected.  A new PROPOSER asked its own question. */
      if (ctx->moves == 0)
        remind_proposal (ctx);
      return;

    case BFK_BOT_STATE_REGISTERED:
      run_command (ctx);
      return;
    }
}

BfkBotResult *
bfk_bot_handle (const BfkBotWorld *world,
                const BfkBotInput *input)
{
  static const BfkBotWorld nothing = { 0 };
  BfkBotCtx ctx = { 0 };
  BfkBotResult *out;

  g_return_val_if_fail (input != NULL, NULL);

  out = g_new0 (BfkBotResult, 1);
  out->replies = g_ptr_array_new_with_free_func (g_free);
  out->effects = g_ptr_array_new_with_free_func ((GDestroyNotify) effect_free);
  out->state = (guint) input->state < BFK_BOT_N_STATES ? input->state : BFK_BOT_STATE_INIT;
  out->lang = (guint) input->lang < BFK_BOT_N_LANGS ? input->lang : BFK_BOT_LANG_FR;

  ctx.world = world ? world : &nothing;
  ctx.in = input;
  ctx.member = input->member;
  ctx.out = out;
  ctx.cmd = bfk_bot_command_parse (input->text, -1);

  if (input->staff_takeover && ctx.cmd->kind == BFK_BOT_CMD_TEXT)
    {
      /* Staff answer free text themselves: not a word, not a change. */
      out->pending = g_strdup (input->pending ? input->pending : "");
    }
  else
    {
      bfk_bot_pending_parse (input->pending, &ctx.pending);
      if (ctx.member)
        member_message (&ctx);
      else
        bfk_bot_join (&ctx);
      out->pending = bfk_bot_pending_serialize (&ctx.pending);
    }

  bfk_bot_pending_clear (&ctx.pending);
  bfk_bot_command_free (ctx.cmd);
  g_clear_pointer (&ctx.communities, g_ptr_array_unref);
  g_clear_pointer (&ctx.fallback, bfk_bot_community_free);
  return out;
}
