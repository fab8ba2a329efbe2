/* bfk-operation-text.c: readable names of kinds and states, and fees. */
#include <glib/gi18n.h>

#include "bfk-format.h"
#include "bfk-operation-text.h"
#include "bfk-outbox.h"
#include "bfk-u256.h"

const gchar *
bfk_operation_kind_label (const gchar *kind)
{
  BfkOpKind k;

  if (!bfk_op_kind_from_string (kind, &k))
    return kind;
  switch (k)
    {
    case BFK_OP_REGISTER_MEMBER:   return _("Registration");
    case BFK_OP_PROPOSE_EXCHANGE:  return _("Exchange proposed");
    case BFK_OP_ACCEPT_EXCHANGE:   return _("Exchange accepted");
    case BFK_OP_DECLINE_EXCHANGE:  return _("Exchange declined");
    case BFK_OP_CANCEL_EXCHANGE:   return _("Exchange cancelled");
    case BFK_OP_COMPLETE_EXCHANGE: return _("Exchange completed");
    case BFK_OP_EXPIRE_EXCHANGE:   return _("Exchange expired");
    case BFK_OP_RATE_EXCHANGE:     return _("Exchange rated");
    case BFK_OP_APPROVE_BACKER:    return _("Backer approved");
    case BFK_OP_REVOKE_BACKER:     return _("Backer revoked");
    case BFK_OP_RECHARGE:          return _("Recharge");
    case BFK_OP_ADD_COMMUNITY:     return _("New community");
    case BFK_OP_N_KINDS:
    default:
      return kind;
    }
}

const gchar *
bfk_operation_state_label (const gchar *state)
{
  BfkOpState s;

  if (!bfk_op_state_from_string (state, &s))
    return state;
  switch (s)
    {
    /* Translators: the state of a chain transaction */
    case BFK_OP_QUEUED:    return C_("transaction", "Queued");
    case BFK_OP_SIGNED:    return C_("transaction", "Signed");
    case BFK_OP_SENT:      return C_("transaction", "Sent");
    case BFK_OP_MINED:     return C_("transaction", "Mined");
    case BFK_OP_CONFIRMED: return C_("transaction", "Confirmed");
    case BFK_OP_FAILED:    return C_("transaction", "Failed");
    case BFK_OP_REPLACED:  return C_("transaction", "Replaced");
    case BFK_OP_N_STATES:
    default:
      return state;
    }
}

gchar *
bfk_operation_format_fee (const gchar *wei,
                          BfkNetwork   network)
{
  BfkU256 value;

  if (!wei || !bfk_u256_parse (wei, &value, NULL))
    return g_strdup ("—");
  return bfk_format_coin (value, 6, network);
}

const gchar *
bfk_proposal_state_label (BfkProposalState state)
{
  switch (state)
    {
    case BFK_PROPOSAL_PENDING:
      return _("Being recorded");
    case BFK_PROPOSAL_PROPOSED:
      return _("Waiting for the provider");
    case BFK_PROPOSAL_ACCEPTED:
      return _("Accepted");
    case BFK_PROPOSAL_COMPLETED:
      return _("Completed");
    case BFK_PROPOSAL_DECLINED:
      return _("Declined");
    case BFK_PROPOSAL_CANCELLED:
      return _("Cancelled");
    case BFK_PROPOSAL_EXPIRED:
      return _("Expired");
    case BFK_PROPOSAL_FAILED:
    default:
      return _("Failed");
    }
}
