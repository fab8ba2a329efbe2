/* bfk-bot-exchange.c: PROPOSER and its OUI/NON, then ACCEPTER, REFUSER,
 * TERMINE, ANNULER and EVALUER.
 *
 * Everything the contract would refuse is refused here first, in words the
 * member understands: the chain's own checks stay the guard, but a revert
 * is a poor way to learn that Marie lives in another village.  Each success
 * is a CHAIN_OP effect; the reply says it is being recorded, and the
 * caller's notifications say when it is.
 */
#include "bfk-bot-private.h"

#include "bfk-members.h"

/* The example for PROPOSER, with what the member typed where it is usable. */
static gchar *
propose_example (BfkBotCtx   *ctx,
                 const gchar *name,
                 const gchar *service,
                 guint64      amount)
{
  g_autofree gchar *who = bfk_bot_clip (name ? name : "Marie", 20);
  g_autofree gchar *what = service ? bfk_bot_clip (service, 30)
                                   : bfk_bot_say (ctx, BFK_BOT_TEXT_EXAMPLE_SERVICE, NULL);

  return bfk_bot_say (ctx, BFK_BOT_TEXT_EXAMPLE_PROPOSE,
                      &(BfkBotVars) { .other = who, .service = what,
                                      .amount = amount ? amount : 150 });
}

/* The member called typed in the member's own community, ready to be paid;
 * otherwise replies why not and answers FALSE. */
static gboolean
find_provider (BfkBotCtx    *ctx,
               const gchar  *typed,
               gint64       *id,
               gchar       **name)
{
  const BfkBotMember *me = ctx->member;
  g_autofree gchar *clean = bfk_member_name_normalize (typed, NULL);
  const gchar *community = bfk_bot_community (ctx)->name;
  g_autoptr(GPtrArray) found = NULL;
  const BfkBotMember *mine = NULL, *elsewhere = NULL;

  if (clean && me->name && g_ascii_strcasecmp (clean, me->name) == 0)
    {
      bfk_bot_reply (ctx, BFK_BOT_TEXT_NAME_SELF, NULL);
      return FALSE;
    }
  if (clean && ctx->world->members_named)
    found = ctx->world->members_named (ctx->world->user_data, clean);
  for (guint i = 0; found && i < found->len; i++)
    {
      const BfkBotMember *m = g_ptr_array_index (found, i);

      if (!m)
        continue;
      if (m->community_id == me->community_id)
        mine = m;
      else if (!elsewhere)
        elsewhere = m;
    }

  if (mine && mine->id == me->id)
    {
      bfk_bot_reply (ctx, BFK_BOT_TEXT_NAME_SELF, NULL);
      return FALSE;
    }
  if (mine && !mine->registered_on_chain)
    {
      bfk_bot_reply (ctx, BFK_BOT_TEXT_NAME_NOT_READY, &(BfkBotVars) { .other = mine->name });
      return FALSE;
    }
  if (mine)
    {
      *id = mine->id;
      *name = g_strdup (mine->name);
      return TRUE;
    }
  if (elsewhere)
    {
      bfk_bot_reply (ctx, BFK_BOT_TEXT_NAME_ELSEWHERE,
                     &(BfkBotVars) { .other = elsewhere->name, .community = community });
      return FALSE;
    }
  {
    g_autofree gchar *words = bfk_bot_clip (typed, 24);

    bfk_bot_reply (ctx, BFK_BOT_TEXT_NAME_NOBODY,
                   &(BfkBotVars) { .words = words, .community = community });
  }
  return FALSE;
}

/* Whether the member can pay amount now (with status TOO_BIG: far more than
 * anyone has); otherwise replies with the balance. */
static gboolean
check_balance (BfkBotCtx   *ctx,
               gboolean     too_big,
               guint64      amount,
               const gchar *example)
{
  const BfkBotMember *me = ctx->member;
  const gchar *currency = bfk_bot_community (ctx)->currency_name;

  if (!too_big && amount <= me->balance)
    return TRUE;
  if (me->balance == 0)
    bfk_bot_reply (ctx, BFK_BOT_TEXT_AMOUNT_NO_BALANCE, &(BfkBotVars) { .currency = currency });
  else
    bfk_bot_reply (ctx, BFK_BOT_TEXT_AMOUNT_OVER_BALANCE,
                   &(BfkBotVars) { .balance = me->balance, .currency = currency,
                                   .example = example });
  return FALSE;
}

void
bfk_bot_cmd_propose (BfkBotCtx *ctx)
{
  const BfkBotCommand *cmd = ctx->cmd;
  g_autofree gchar *example = NULL;
  g_autofree gchar *provider_name = NULL;
  gint64 provider_id = 0;
  gboolean too_big = cmd->amount.status == BFK_BOT_NUMBER_TOO_BIG;

  if (!cmd->name)
    {
      bfk_bot_reply (ctx, BFK_BOT_TEXT_PROPOSE_USAGE, NULL);
      return;
    }
  example = propose_example (ctx, cmd->name, cmd->service, 0);
  if (!cmd->service)
    {
      bfk_bot_reply (ctx, BFK_BOT_TEXT_PROPOSE_NO_SERVICE, &(BfkBotVars) { .example = example });
      return;
    }
  if (!find_provider (ctx, cmd->name, &provider_id, &provider_name))
    return;
  if (!too_big && !bfk_bot_check_number (ctx, &cmd->amount, BFK_BOT_TEXT_WHAT_AMOUNT, example))
    return;
  if (!check_balance (ctx, too_big, cmd->amount.value, example))
    return;
  if (g_utf8_strlen (cmd->service, -1) > BFK_BOT_SERVICE_MAX_CHARS)
    {
      bfk_bot_reply (ctx, BFK_BOT_TEXT_TOO_LONG,
                     &(BfkBotVars) { .count = BFK_BOT_SERVICE_MAX_CHARS });
      return;
    }

  bfk_bot_goto (ctx, BFK_BOT_STATE_EXCHANGING);
  ctx->pending.provider_id = provider_id;
  ctx->pending.provider_name = g_strdup (provider_name);
  ctx->pending.service = g_strdup (cmd->service);
  ctx->pending.amount = cmd->amount.value;
  ctx->pending.asked_at = MAX (ctx->in->now, 1);
  bfk_bot_reply (ctx, BFK_BOT_TEXT_PROPOSE_CONFIRM,
                 &(BfkBotVars) { .amount = cmd->amount.value,
                                 .currency = bfk_bot_community (ctx)->currency_name,
                                 .other = provider_name, .service = cmd->service });
}

void
bfk_bot_cmd_confirm (BfkBotCtx *ctx,
                     gboolean   yes)
{
  BfkBotPending p = ctx->pending;   /* its strings stay owned by ctx->pending until goto */
  g_autofree gchar *other = g_strdup (p.provider_name);
  g_autofree gchar *service = g_strdup (p.service);
  g_autofree gchar *example = propose_example (ctx, other, service, p.amount);
  gint64 ttl = ctx->in->proposal_ttl > 0 ? ctx->in->proposal_ttl : BFK_BOT_PROPOSAL_TTL_DEFAULT;
  BfkBotEffect *effect;

  /* Whatever the answer, the question is closed. */
  bfk_bot_goto (ctx, BFK_BOT_STATE_REGISTERED);
  if (!yes)
    {
      bfk_bot_reply (ctx, BFK_BOT_TEXT_PROPOSE_DROPPED, NULL);
      return;
    }
  if (ctx->in->now - p.asked_at > BFK_BOT_CONFIRM_WINDOW || ctx->in->now < p.asked_at)
    {
      bfk_bot_reply (ctx, BFK_BOT_TEXT_CONFIRM_STALE, &(BfkBotVars) { .example = example });
      return;
    }
  /* The balance may have moved since PROPOSER. */
  if (!check_balance (ctx, FALSE, p.amount, example))
    return;

  effect = bfk_bot_effect (ctx, BFK_BOT_EFFECT_CHAIN_OP);
  effect->op = BFK_OP_PROPOSE_EXCHANGE;
  effect->other_id = p.provider_id;
  effect->community_id = ctx->member->community_id;
  effect->amount = p.amount;
  effect->deadline = ctx->in->now + ttl;
  effect->text = g_strdup (service);
  bfk_bot_reply (ctx, BFK_BOT_TEXT_PROPOSE_SENT,
                 &(BfkBotVars) { .amount = p.amount,
                                 .currency = bfk_bot_community (ctx)->currency_name,
                                 .other = other, .service = service,
                                 .hours = (guint64) (ttl + 3599) / 3600 });
}

static BfkBotText
state_text (BfkExchangeState state)
{
  switch (state)
    {
    case BFK_EXCHANGE_ACCEPTED:
      return BFK_BOT_TEXT_STATE_ACCEPTED;
    case BFK_EXCHANGE_COMPLETED:
      return BFK_BOT_TEXT_STATE_COMPLETED;
    case BFK_EXCHANGE_DECLINED:
      return BFK_BOT_TEXT_STATE_DECLINED;
    case BFK_EXCHANGE_CANCELLED:
      return BFK_BOT_TEXT_STATE_CANCELLED;
    case BFK_EXCHANGE_EXPIRED:
      return BFK_BOT_TEXT_STATE_EXPIRED;
    case BFK_EXCHANGE_PROPOSED:
    case BFK_EXCHANGE_NONE:
    default:
      return BFK_BOT_TEXT_STATE_PROPOSED;
    }
}

static BfkBotText
example_for (BfkBotCommandKind kind)
{
  switch (kind)
    {
    case BFK_BOT_CMD_ACCEPT:
      return BFK_BOT_TEXT_EXAMPLE_ACCEPT;
    case BFK_BOT_CMD_DECLINE:
      return BFK_BOT_TEXT_EXAMPLE_DECLINE;
    case BFK_BOT_CMD_DONE:
      return BFK_BOT_TEXT_EXAMPLE_DONE;
    case BFK_BOT_CMD_CANCEL:
      return BFK_BOT_TEXT_EXAMPLE_CANCEL;
    case BFK_BOT_CMD_RATE:
    default:
      return BFK_BOT_TEXT_EXAMPLE_RATE;
    }
}

/* A party's command on an exchange that is theirs: what the contract
 * would allow, said before it is asked. */
typedef struct
{
  const BfkBotExchange *ex;
  gboolean              is_payer;
  BfkBotVars            vars;     /* n, amount, currency, other, state */
} Party;

static void
chain_op (BfkBotCtx   *ctx,
          const Party *party,
          BfkOpKind    op,
          BfkBotText   reply)
{
  BfkBotEffect *effect = bfk_bot_effect (ctx, BFK_BOT_EFFECT_CHAIN_OP);

  effect->op = op;
  effect->exchange_id = party->ex->id;
  effect->other_id = party->is_payer ? party->ex->provider_id : party->ex->payer_id;
  effect->community_id = party->ex->community_id;
  effect->amount = party->ex->amount;
  effect->stars = (guint) party->vars.stars;
  bfk_bot_reply (ctx, reply, &party->vars);
}

static void
provider_answers (BfkBotCtx *ctx,
                  Party     *party)
{
  gboolean accept = ctx->cmd->kind == BFK_BOT_CMD_ACCEPT;

  if (party->is_payer)
    bfk_bot_reply (ctx, BFK_BOT_TEXT_EX_PROVIDER_ONLY, &party->vars);
  else if (party->ex->state != BFK_EXCHANGE_PROPOSED)
    bfk_bot_reply (ctx, BFK_BOT_TEXT_EX_ALREADY, &party->vars);
  else if (accept && ctx->in->now > party->ex->deadline)
    bfk_bot_reply (ctx, BFK_BOT_TEXT_EX_EXPIRED, &party->vars);
  else if (accept)
    chain_op (ctx, party, BFK_OP_ACCEPT_EXCHANGE, BFK_BOT_TEXT_ACCEPTING);
  else
    chain_op (ctx, party, BFK_OP_DECLINE_EXCHANGE, BFK_BOT_TEXT_DECLINING);
}

static void
payer_completes (BfkBotCtx *ctx,
                 Party     *party)
{
  if (!party->is_payer)
    bfk_bot_reply (ctx, BFK_BOT_TEXT_EX_PAYER_ONLY_DONE, &party->vars);
  else if (party->ex->state == BFK_EXCHANGE_PROPOSED)
    bfk_bot_reply (ctx, BFK_BOT_TEXT_EX_NOT_ACCEPTED_YET, &party->vars);
  else if (party->ex->state != BFK_EXCHANGE_ACCEPTED)
    bfk_bot_reply (ctx, BFK_BOT_TEXT_EX_ALREADY, &party->vars);
  else
    chain_op (ctx, party, BFK_OP_COMPLETE_EXCHANGE, BFK_BOT_TEXT_COMPLETING);
}

static void
payer_cancels (BfkBotCtx *ctx,
               Party     *party)
{
  if (!party->is_payer)
    bfk_bot_reply (ctx, BFK_BOT_TEXT_EX_PAYER_ONLY_CANCEL, &party->vars);
  else if (party->ex->state == BFK_EXCHANGE_ACCEPTED)
    bfk_bot_reply (ctx, BFK_BOT_TEXT_EX_TOO_LATE_TO_CANCEL, &party->vars);
  else if (party->ex->state != BFK_EXCHANGE_PROPOSED)
    bfk_bot_reply (ctx, BFK_BOT_TEXT_EX_ALREADY, &party->vars);
  else
    chain_op (ctx, party, BFK_OP_CANCEL_EXCHANGE, BFK_BOT_TEXT_CANCELLING);
}

static void
party_rates (BfkBotCtx *ctx,
             Party     *party)
{
  gboolean rated = party->is_payer ? party->ex->payer_rated : party->ex->provider_rated;

  if (party->ex->state != BFK_EXCHANGE_COMPLETED)
    bfk_bot_reply (ctx, BFK_BOT_TEXT_EX_NOT_COMPLETED, &party->vars);
  else if (rated)
    bfk_bot_reply (ctx, BFK_BOT_TEXT_EX_ALREADY_RATED, &party->vars);
  else
    chain_op (ctx, party, BFK_OP_RATE_EXCHANGE, BFK_BOT_TEXT_RATING);
}

/* The stars of EVALUER: a number, and 1 to 5. */
static gboolean
check_stars (BfkBotCtx   *ctx,
             const gchar *example)
{
  const BfkBotNumber *stars = &ctx->cmd->stars;

  if (stars->status == BFK_BOT_NUMBER_OK && stars->value <= 5)
    return TRUE;
  if (stars->status == BFK_BOT_NUMBER_OK || stars->status == BFK_BOT_NUMBER_ZERO
      || stars->status == BFK_BOT_NUMBER_TOO_BIG)
    {
      g_autofree gchar *typed = bfk_bot_clip (stars->text, 24);

      bfk_bot_reply (ctx, BFK_BOT_TEXT_STARS_RANGE,
                     &(BfkBotVars) { .words = typed, .example = example });
      return FALSE;
    }
  return bfk_bot_check_number (ctx, stars, BFK_BOT_TEXT_WHAT_STARS, example);
}

void
bfk_bot_cmd_exchange (BfkBotCtx *ctx)
{
  const BfkBotCommand *cmd = ctx->cmd;
  const BfkBotMember *me = ctx->member;
  guint64 n = cmd->number.status == BFK_BOT_NUMBER_OK ? cmd->number.value : 12;
  g_autofree gchar *example = bfk_bot_say (ctx, example_for (cmd->kind), &(BfkBotVars) { .n = n });
  g_autoptr(BfkBotExchange) ex = NULL;
  g_autofree gchar *other = NULL;
  g_autofree gchar *state = NULL;
  Party party = { 0 };

  if (!bfk_bot_check_number (ctx, &cmd->number, BFK_BOT_TEXT_WHAT_EXCHANGE, example))
    return;
  if (cmd->kind == BFK_BOT_CMD_RATE && !check_stars (ctx, example))
    return;
  if (ctx->world->exchange)
    ex = ctx->world->exchange (ctx->world->user_data, n);
  if (!ex || ex->state == BFK_EXCHANGE_NONE)
    {
      bfk_bot_reply (ctx, BFK_BOT_TEXT_EX_NOT_FOUND, &(BfkBotVars) { .n = n });
      return;
    }
  if ((ex->payer_id != me->id && ex->provider_id != me->id)
      || ex->community_id != me->community_id)
    {
      bfk_bot_reply (ctx, BFK_BOT_TEXT_EX_NOT_YOURS, &(BfkBotVars) { .n = n });
      return;
    }

  party.ex = ex;
  party.is_payer = ex->payer_id == me->id;
  other = bfk_bot_clip (party.is_payer ? ex->provider_name : ex->payer_name, 20);
  state = bfk_bot_say (ctx, state_text (ex->state), NULL);
  party.vars = (BfkBotVars) { .n = n, .amount = ex->amount, .other = other, .state = state,
                              .currency = bfk_bot_community (ctx)->currency_name,
                              .stars = cmd->stars.value };
  switch (cmd->kind)
    {
    case BFK_BOT_CMD_ACCEPT:
    case BFK_BOT_CMD_DECLINE:
      provider_answers (ctx, &party);
      break;
    case BFK_BOT_CMD_DONE:
      payer_completes (ctx, &party);
      break;
    case BFK_BOT_CMD_CANCEL:
      payer_cancels (ctx, &party);
      break;
    case BFK_BOT_CMD_RATE:
    default:
      party_rates (ctx, &party);
      break;
    }
}
