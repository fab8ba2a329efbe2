/* bfk-outbox-names.c: the outbox's names as stored and shown, the
 * classification of send errors, and the default configuration. */
#include "bfk-outbox.h"
#include "bfk-outbox-private.h"

#include "bfk-chain-error.h"
#include "bfk-local-node.h"

#include <string.h>

G_DEFINE_QUARK (bfk-outbox-error-quark, bfk_outbox_error)

/* The operations table's CHECK constraint lists the same words. */
static const gchar * const state_names[BFK_OP_N_STATES] = {
  "queued", "signed", "sent", "mined", "confirmed", "failed", "replaced",
};

static const gchar * const kind_names[BFK_OP_N_KINDS] = {
  "register_member", "propose_exchange", "accept_exchange", "decline_exchange",
  "cancel_exchange", "complete_exchange", "expire_exchange", "rate_exchange",
  "approve_backer", "revoke_backer", "recharge", "add_community",
};

static const gchar * const failure_names[BFK_FAILURE_N_CLASSES] = {
  "none", "reverted", "nonce_too_low", "underpriced", "fee_cap_too_low",
  "insufficient_funds", "unreachable", "other", "cancelled",
};

static gboolean
lookup (const gchar * const *names,
        guint                n,
        const gchar         *text,
        guint               *out)
{
  for (guint i = 0; text != NULL && i < n; i++)
    if (strcmp (names[i], text) == 0)
      {
        *out = i;
        return TRUE;
      }
  return FALSE;
}

const gchar *
bfk_op_state_to_string (BfkOpState state)
{
  g_return_val_if_fail ((guint) state < BFK_OP_N_STATES, NULL);
  return state_names[state];
}

gboolean
bfk_op_state_from_string (const gchar *text,
                          BfkOpState  *out)
{
  guint i;

  if (!lookup (state_names, BFK_OP_N_STATES, text, &i))
    return FALSE;
  *out = (BfkOpState) i;
  return TRUE;
}

const gchar *
bfk_op_kind_to_string (BfkOpKind kind)
{
  g_return_val_if_fail ((guint) kind < BFK_OP_N_KINDS, NULL);
  return kind_names[kind];
}

gboolean
bfk_op_kind_from_string (const gchar *text,
                         BfkOpKind   *out)
{
  guint i;

  if (!lookup (kind_names, BFK_OP_N_KINDS, text, &i))
    return FALSE;
  *out = (BfkOpKind) i;
  return TRUE;
}

const gchar *
bfk_failure_class_to_string (BfkFailureClass klass)
{
  g_return_val_if_fail ((guint) klass < BFK_FAILURE_N_CLASSES, NULL);
  return failure_names[klass];
}

gboolean
bfk_failure_class_from_string (const gchar     *text,
                               BfkFailureClass *out)
{
  guint i;

  if (!lookup (failure_names, BFK_FAILURE_N_CLASSES, text, &i))
    return FALSE;
  *out = (BfkFailureClass) i;
  return TRUE;
}

BfkFailureClass
bfk_failure_class_from_error (const GError *error)
{
  if (error == NULL)
    return BFK_FAILURE_NONE;
  if (error->domain != BFK_CHAIN_ERROR)
    return BFK_FAILURE_OTHER;

  switch ((BfkChainError) error->code)
    {
    case BFK_CHAIN_ERROR_REVERTED:
      return BFK_FAILURE_REVERTED;
    case BFK_CHAIN_ERROR_NONCE_TOO_LOW:
      return BFK_FAILURE_NONCE_TOO_LOW;
    case BFK_CHAIN_ERROR_UNDERPRICED:
      return BFK_FAILURE_UNDERPRICED;
    case BFK_CHAIN_ERROR_FEE_CAP_TOO_LOW:
      return BFK_FAILURE_FEE_CAP_TOO_LOW;
    case BFK_CHAIN_ERROR_INSUFFICIENT_FUNDS:
      return BFK_FAILURE_INSUFFICIENT_FUNDS;
    case BFK_CHAIN_ERROR_TRANSPORT:
    case BFK_CHAIN_ERROR_TIMEOUT:
      return BFK_FAILURE_UNREACHABLE;
    default:
      return BFK_FAILURE_OTHER;
    }
}

gboolean
bfk_outbox_error_is_known_tx (const GError *error)
{
  g_autofree gchar *lower = NULL;

  if (error == NULL || !g_error_matches (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_NODE))
    return FALSE;
  /* geth: "already known"; anvil: "transaction already imported";
   * older nodes: "known transaction". */
  lower = g_ascii_strdown (error->message, -1);
  return strstr (lower, "already known") != NULL
         || strstr (lower, "already imported") != NULL
         || strstr (lower, "known transaction") != NULL;
}

gboolean
bfk_op_state_is_final (BfkOpState state)
{
  return state == BFK_OP_CONFIRMED || state == BFK_OP_FAILED || state == BFK_OP_REPLACED;
}

void
bfk_outbox_config_init (BfkOutboxConfig *config,
                        guint64          chain_id,
                        guint            confirmations)
{
  gboolean local = chain_id == BFK_LOCAL_NODE_CHAIN_ID;

  *config = (BfkOutboxConfig) {
    .confirmations = confirmations,
    .resend_after_s = local ? 15 : 60,
    .batch_size = 100,
    .max_in_flight = local ? 500 : 100,
    .mined_wait_ms = local ? 200 : 0,
  };
  /* A registration costs about 0.01 POL on Polygon at 100 gwei: warn while
   * hundreds still fit, stop while a few replacements still do. */
  config->gas_warn_below = bfk_u256_from_u64 (2 * BFK_OUTBOX_WEI_PER_ETHER);
  config->gas_pause_below = bfk_u256_from_u64 (BFK_OUTBOX_WEI_PER_ETHER / 20);
}
