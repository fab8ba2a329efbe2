/* bfk-operation-text.c: readable names of kinds and states, and fees. */
#include <glib/gi18n.h>
#include <locale.h>

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
  /* Polygon's coin is POL; the local node and a custom chain count in ETH. */
  const gchar *coin = network == BFK_NETWORK_AMOY || network == BFK_NETWORK_POLYGON ? "POL" : "ETH";
  g_autofree gchar *number = NULL;
  BfkU256 value;

  if (!wei || !bfk_u256_parse (wei, &value, NULL))
    return g_strdup ("—");
  number = bfk_u256_format_units (value, 18, 6);
  /* Below a millionth, six decimals would say "0": say so honestly. */
  if (g_strcmp0 (number, "0") == 0 && !bfk_u256_is_zero (value))
    number = g_strdup_printf ("< 0%s000001", localeconv ()->decimal_point);
  else
    {
      /* "0,000124" in French, like the amounts the locale groups. */
      gchar **parts = g_strsplit (number, ".", 2);

      g_free (number);
      number = g_strjoinv (localeconv ()->decimal_point, parts);
      g_strfreev (parts);
    }
  return g_strdup_printf ("%s %s", number, coin);
}
