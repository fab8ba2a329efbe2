/* bfk-bot-apply.c */
#include "bfk-bot-apply.h"

#include "bfk-contract.h"
#include "bfk-conversations.h"
#include "bfk-enrolment.h"
#include "bfk-members.h"
#include "bfk-offers.h"
#include "bfk-outbox.h"
#include "bfk-proposals.h"

static gboolean
enqueue (const BfkBotChain *chain,
         BfkOpKind          kind,
         GBytes            *calldata,
         const gchar       *summary,
         const BfkBotEffect *effect,
         GArray            *op_ids,
         gint64            *op_id_out,
         GError           **error)
{
  BfkOpRequest request = {
    .kind = kind,
    .calldata = calldata,
    .summary = summary,
    .member_id = effect->member_id,
    .community_id = effect->community_id,
    .exchange_id = effect->exchange_id,
    .amount = (gint64) effect->amount,
  };
  gint64 id = bfk_outbox_enqueue (chain->store, chain->rpc, chain->operator_address, chain->contract,
                                  &request, error);

  if (id == 0)
    return FALSE;
  g_array_append_val (op_ids, id);
  if (op_id_out)
    *op_id_out = id;
  return TRUE;
}

static gboolean
register_member (const BfkBotChain  *chain,
                 const gchar        *phone,
                 const BfkBotEffect *effect,
                 gint64             *member_id,
                 GArray             *op_ids,
                 GError            **error)
{
  g_autoptr(BfkMember) member = NULL;
  gint64 op_id = 0;

  if (!bfk_enrolment_add_member (chain->store, chain->rpc, chain->data_key, chain->operator_address,
                                 chain->contract, phone, effect->text, effect->community_id,
                                 chain->n_communities, &member, &op_id, error)
      || !bfk_members_set_language (chain->store, member->id, bfk_bot_lang_to_string (effect->lang),
                                    error))
    return FALSE;
  *member_id = member->id;
  g_array_append_val (op_ids, op_id);
  return TRUE;
}

/* proposeExchange escrows the payer's amount; the proposal row links the
 * operation to the exchange number the contract will give it. */
static gboolean
propose (const BfkBotChain  *chain,
         const BfkBotEffect *effect,
         const BfkMember    *payer,
         const BfkMember    *provider,
         GArray             *op_ids,
         GError            **error)
{
  g_autoptr(BfkProposal) proposal = NULL;
  g_autoptr(GBytes) calldata = NULL;
  g_autofree gchar *summary = NULL;
  gint64 op_id = 0;

  proposal = bfk_proposals_create (chain->store, payer->id, provider->id, effect->text,
                                   (gint64) effect->amount, effect->deadline, error);
  if (!proposal)
    return FALSE;
  calldata = bfk_contract_encode_propose_exchange (&payer->address, &provider->address,
                                                   bfk_u256_from_u64 (effect->amount),
                                                   (guint64) effect->deadline);
  summary = g_strdup_printf ("propose %" G_GUINT64_FORMAT " from %s to %s for %s",
                             effect->amount, payer->name, provider->name, effect->text);
  return enqueue (chain, BFK_OP_PROPOSE_EXCHANGE, calldata, summary, effect, op_ids, &op_id, error)
         && bfk_proposals_attach_op (chain->store, proposal->id, op_id, error);
}

static gboolean
chain_op (const BfkBotChain  *chain,
          const BfkBotEffect *effect,
          GArray             *op_ids,
          GError            **error)
{
  g_autoptr(BfkMember) member = bfk_members_get (chain->store, effect->member_id, error);
  g_autoptr(BfkMember) other = NULL;
  g_autoptr(GBytes) calldata = NULL;
  g_autofree gchar *summary = NULL;
  guint64 n = effect->exchange_id;

  if (!member || !(other = bfk_members_get (chain->store, effect->other_id, error)))
    return FALSE;
  switch (effect->op)
    {
    case BFK_OP_PROPOSE_EXCHANGE:
      return propose (chain, effect, member, other, op_ids, error);
    case BFK_OP_ACCEPT_EXCHANGE:
      calldata = bfk_contract_encode_accept_exchange (n);
      summary = g_strdup_printf ("%s accepts exchange %" G_GUINT64_FORMAT " from %s", member->name, n, other->name);
      break;
    case BFK_OP_DECLINE_EXCHANGE:
      calldata = bfk_contract_encode_decline_exchange (n);
      summary = g_strdup_printf ("%s declines exchange %" G_GUINT64_FORMAT " from %s", member->name, n, other->name);
      break;
    case BFK_OP_CANCEL_EXCHANGE:
      calldata = bfk_contract_encode_cancel_exchange (n);
      summary = g_strdup_printf ("%s cancels exchange %" G_GUINT64_FORMAT " to %s", member->name, n, other->name);
      break;
    case BFK_OP_COMPLETE_EXCHANGE:
      calldata = bfk_contract_encode_complete_exchange (n);
      summary = g_strdup_printf ("%s confirms exchange %" G_GUINT64_FORMAT ": pay %s", member->name, n, other->name);
      break;
    case BFK_OP_RATE_EXCHANGE:
      calldata = bfk_contract_encode_rate_exchange (n, &member->address, effect->stars);
      summary = g_strdup_printf ("%s rates %s %u stars for exchange %" G_GUINT64_FORMAT,
                                 member->name, other->name, effect->stars, n);
      break;
    default:
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "The bot asked for a %s operation, which members cannot ask for",
                   bfk_op_kind_to_string (effect->op));
      return FALSE;
    }
  return enqueue (chain, effect->op, calldata, summary, effect, op_ids, NULL, error);
}

gboolean
bfk_bot_apply (const BfkBotChain   *chain,
               const gchar         *phone,
               const BfkBotEffect  *effect,
               gint64              *member_id,
               GArray              *op_ids,
               GError             **error)
{
  g_autoptr(BfkOffer) offer = NULL;

  switch (effect->kind)
    {
    case BFK_BOT_EFFECT_REGISTER_MEMBER:
      return register_member (chain, phone, effect, member_id, op_ids, error);
    case BFK_BOT_EFFECT_CHAIN_OP:
      return chain_op (chain, effect, op_ids, error);
    case BFK_BOT_EFFECT_OFFER_ADD:
      offer = bfk_offers_add (chain->store, effect->member_id, effect->text, (gint64) effect->amount, error);
      return offer != NULL;
    case BFK_BOT_EFFECT_OFFER_REMOVE:
      return bfk_offers_deactivate (chain->store, (gint64) effect->offer_id, effect->member_id, error);
    case BFK_BOT_EFFECT_SET_LANGUAGE:
      return effect->member_id == 0
             || bfk_members_set_language (chain->store, effect->member_id,
                                          bfk_bot_lang_to_string (effect->lang), error);
    case BFK_BOT_EFFECT_FLAG_AGENT:
      return bfk_conversations_set_needs_agent (chain->store, phone, TRUE, error);
    case BFK_BOT_N_EFFECTS:
    default:
      break;
    }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "Unknown bot effect %d", effect->kind);
  return FALSE;
}
