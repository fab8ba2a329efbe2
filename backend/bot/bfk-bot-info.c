/* bfk-bot-info.c: the commands that read, publish offers, or ask for help:
 * SOLDE, PROFIL, COMMUNAUTE, BACKERS, AGENT, LANGUE, OFFRIR, RETIRER,
 * RECHERCHER.  None of them touches the chain.
 */
#include "bfk-bot-private.h"

void
bfk_bot_cmd_balance (BfkBotCtx *ctx)
{
  bfk_bot_reply (ctx, BFK_BOT_TEXT_BALANCE,
                 &(BfkBotVars) { .balance = ctx->member->balance,
                                 .escrow = ctx->member->escrow,
                                 .currency = bfk_bot_community (ctx)->currency_name });
}

static GPtrArray *
member_offers (BfkBotCtx *ctx)
{
  GPtrArray *offers = NULL;

  if (ctx->world->member_offers)
    offers = ctx->world->member_offers (ctx->world->user_data, ctx->member->id);
  return offers ? offers : g_ptr_array_new ();
}

/* "Vos offres : …", or NULL when there are none. */
static gchar *
say_offers (BfkBotCtx *ctx,
            GPtrArray *offers)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  BfkBotVars vars = { 0 };

  for (guint i = 0; i < offers->len; i++)
    {
      const BfkBotOffer *o = g_ptr_array_index (offers, i);
      g_autofree gchar *title = bfk_bot_clip (o->title, 40);

      g_ptr_array_add (lines, bfk_bot_say (ctx, BFK_BOT_TEXT_OFFER_LINE,
                                           &(BfkBotVars) {
                                             .n = o->id, .service = title, .amount = o->price,
                                             .currency = bfk_bot_community (ctx)->currency_name }));
    }
  return lines->len ? bfk_bot_say_list (ctx, BFK_BOT_TEXT_OFFERS_MINE, &vars, lines) : NULL;
}

void
bfk_bot_cmd_profile (BfkBotCtx *ctx)
{
  const BfkBotMember *m = ctx->member;
  g_autofree gchar *name = bfk_bot_clip (m->name, 30);
  const gchar *community = bfk_bot_community (ctx)->name;
  g_autofree gchar *reputation = bfk_bot_reputation (ctx, m->stars, m->ratings);
  g_autofree gchar *date = bfk_bot_date (m->joined_at);
  g_autoptr(GPtrArray) offers = member_offers (ctx);
  gchar *listed;

  bfk_bot_reply (ctx, BFK_BOT_TEXT_PROFILE,
                 &(BfkBotVars) { .name = name, .community = community, .reputation = reputation,
                                 .count = m->exchanges, .date = date });
  /* Offer numbers are shown here: RETIRER needs them. */
  listed = say_offers (ctx, offers);
  if (listed)
    bfk_bot_reply_take (ctx, listed);
}

void
bfk_bot_cmd_community (BfkBotCtx *ctx)
{
  const BfkBotCommunity *c = bfk_bot_community (ctx);

  bfk_bot_reply (ctx, BFK_BOT_TEXT_COMMUNITY_INFO,
                 &(BfkBotVars) { .community = c->name, .currency = c->currency_name,
                                 .symbol = c->currency_symbol, .count = c->members,
                                 .volume = c->volume });
}

void
bfk_bot_cmd_backers (BfkBotCtx *ctx)
{
  const BfkBotCommunity *c = bfk_bot_community (ctx);
  g_autoptr(GPtrArray) backers = NULL;
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  BfkBotVars vars = { .community = c->name };

  if (ctx->world->backers)
    backers = ctx->world->backers (ctx->world->user_data, c->id);
  for (guint i = 0; backers && i < backers->len; i++)
    {
      const BfkBotBacker *b = g_ptr_array_index (backers, i);
      g_autofree gchar *label = bfk_bot_clip (b->label, 40);

      g_ptr_array_add (lines, bfk_bot_say (ctx, BFK_BOT_TEXT_BACKER_LINE,
                                           &(BfkBotVars) {
                                             .name = label, .left = b->left_this_week,
                                             .cap = b->weekly_cap, .currency = c->currency_name }));
    }
  if (lines->len == 0)
    bfk_bot_reply (ctx, BFK_BOT_TEXT_BACKERS_NONE, &vars);
  else
    bfk_bot_reply_take (ctx, bfk_bot_say_list (ctx, BFK_BOT_TEXT_BACKERS_LIST, &vars, lines));
}

void
bfk_bot_cmd_agent (BfkBotCtx *ctx)
{
  BfkBotEffect *effect = bfk_bot_effect (ctx, BFK_BOT_EFFECT_FLAG_AGENT);

  effect->text = g_strdup (ctx->cmd->text);
  bfk_bot_reply (ctx, BFK_BOT_TEXT_AGENT_FLAGGED, NULL);
}

void
bfk_bot_cmd_language (BfkBotCtx *ctx)
{
  if (!ctx->cmd->lang_ok)
    {
      bfk_bot_reply (ctx, BFK_BOT_TEXT_LANG_USAGE, NULL);
      return;
    }
  /* The confirmation is already in the new language. */
  ctx->out->lang = ctx->cmd->lang;
  bfk_bot_effect (ctx, BFK_BOT_EFFECT_SET_LANGUAGE);
  bfk_bot_reply (ctx, BFK_BOT_TEXT_LANG_SET, NULL);
}

void
bfk_bot_cmd_offer (BfkBotCtx *ctx)
{
  const BfkBotCommand *cmd = ctx->cmd;
  g_autofree gchar *service = NULL;
  g_autofree gchar *example = NULL;
  g_autoptr(GPtrArray) offers = NULL;
  BfkBotEffect *effect;

  if (!cmd->service)
    {
      bfk_bot_reply (ctx, BFK_BOT_TEXT_OFFER_USAGE, NULL);
      return;
    }
  service = bfk_bot_clip (cmd->service, 30);
  example = bfk_bot_say (ctx, BFK_BOT_TEXT_EXAMPLE_OFFER, &(BfkBotVars) { .service = service });
  if (!bfk_bot_check_number (ctx, &cmd->amount, BFK_BOT_TEXT_WHAT_PRICE, example))
    return;
  if (g_utf8_strlen (cmd->service, -1) > BFK_BOT_SERVICE_MAX_CHARS)
    {
      bfk_bot_reply (ctx, BFK_BOT_TEXT_TOO_LONG,
                     &(BfkBotVars) { .count = BFK_BOT_SERVICE_MAX_CHARS });
      return;
    }
  offers = member_offers (ctx);
  if (offers->len >= BFK_BOT_OFFERS_MAX)
    {
      bfk_bot_reply (ctx, BFK_BOT_TEXT_OFFER_TOO_MANY, &(BfkBotVars) { .count = offers->len });
      return;
    }
  effect = bfk_bot_effect (ctx, BFK_BOT_EFFECT_OFFER_ADD);
  effect->text = g_strdup (cmd->service);
  effect->amount = cmd->amount.value;
  bfk_bot_reply (ctx, BFK_BOT_TEXT_OFFER_ADDED,
                 &(BfkBotVars) { .service = cmd->service, .amount = cmd->amount.value,
                                 .currency = bfk_bot_community (ctx)->currency_name });
}

void
bfk_bot_cmd_remove (BfkBotCtx *ctx)
{
  g_autofree gchar *example = bfk_bot_say (ctx, BFK_BOT_TEXT_EXAMPLE_REMOVE, NULL);
  g_autoptr(GPtrArray) offers = member_offers (ctx);
  gchar *listed;
  BfkBotEffect *effect;

  if (offers->len == 0)
    {
      bfk_bot_reply (ctx, BFK_BOT_TEXT_NO_OFFERS, NULL);
      return;
    }
  if (bfk_bot_check_number (ctx, &ctx->cmd->number, BFK_BOT_TEXT_WHAT_OFFER, example))
    {
      for (guint i = 0; i < offers->len; i++)
        {
          const BfkBotOffer *o = g_ptr_array_index (offers, i);

          if (o->id != ctx->cmd->number.value)
            continue;
          effect = bfk_bot_effect (ctx, BFK_BOT_EFFECT_OFFER_REMOVE);
          effect->offer_id = o->id;
          bfk_bot_reply (ctx, BFK_BOT_TEXT_OFFER_REMOVED, &(BfkBotVars) { .n = o->id });
          return;
        }
      bfk_bot_reply (ctx, BFK_BOT_TEXT_OFFER_NOT_YOURS,
                     &(BfkBotVars) { .n = ctx->cmd->number.value });
    }
  /* Whatever was wrong, the right numbers help. */
  listed = say_offers (ctx, offers);
  if (listed)
    bfk_bot_reply_take (ctx, listed);
}

void
bfk_bot_cmd_search (BfkBotCtx   *ctx,
                    const gchar *words)
{
  const BfkBotCommunity *c = bfk_bot_community (ctx);
  g_autofree gchar *typed = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  BfkBotVars vars = { 0 };

  if (!words || !*words)
    {
      bfk_bot_goto (ctx, BFK_BOT_STATE_SEARCHING);
      bfk_bot_reply (ctx, BFK_BOT_TEXT_SEARCH_ASK, NULL);
      return;
    }
  typed = bfk_bot_clip (words, 40);
  if (ctx->world->search_offers)
    found = ctx->world->search_offers (ctx->world->user_data, c->id, words, BFK_BOT_SEARCH_LIMIT);
  for (guint i = 0; found && i < found->len && i < BFK_BOT_SEARCH_LIMIT; i++)
    {
      const BfkBotOffer *o = g_ptr_array_index (found, i);
      g_autofree gchar *title = bfk_bot_clip (o->title, 40);
      g_autofree gchar *name = bfk_bot_clip (o->provider_name, 20);
      g_autofree gchar *reputation = bfk_bot_reputation (ctx, o->provider_stars,
                                                         o->provider_ratings);

      g_ptr_array_add (lines, bfk_bot_say (ctx, BFK_BOT_TEXT_SEARCH_LINE,
                                           &(BfkBotVars) {
                                             .n = o->id, .service = title, .amount = o->price,
                                             .currency = c->currency_name, .name = name,
                                             .reputation = reputation }));
    }
  vars.words = typed;
  vars.community = c->name;
  if (lines->len == 0)
    bfk_bot_reply (ctx, BFK_BOT_TEXT_SEARCH_NONE, &vars);
  else
    bfk_bot_reply_take (ctx, bfk_bot_say_list (ctx, BFK_BOT_TEXT_SEARCH_RESULTS, &vars, lines));
}
