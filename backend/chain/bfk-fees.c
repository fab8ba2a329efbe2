/* bfk-fees.c */
#include "bfk-fees.h"

#include "bfk-chain-error.h"
#include "bfk-rpc-private.h"

BfkU256
bfk_fees_min_tip (guint64 chain_id)
{
  if (chain_id == 137 || chain_id == 80002)
    return bfk_u256_from_u64 (BFK_FEES_POLYGON_MIN_TIP);
  return BFK_U256_ZERO;
}

static gint
cmp_u256 (gconstpointer a,
          gconstpointer b)
{
  return bfk_u256_cmp (*(const BfkU256 *) a, *(const BfkU256 *) b);
}

gboolean
bfk_fees_tip_from_history (const BfkFeeHistory *history,
                           guint                percentile_index,
                           BfkU256             *tip)
{
  g_autofree BfkU256 *values = NULL;
  guint n = 0;

  g_return_val_if_fail (history != NULL, FALSE);
  g_return_val_if_fail (tip != NULL, FALSE);

  if (history->rewards == NULL || percentile_index >= history->n_percentiles)
    return FALSE;

  values = g_new (BfkU256, MAX (history->n_blocks, 1));
  for (guint i = 0; i < history->n_blocks; i++)
    {
      /* An empty block reports a reward of 0, which says nothing about
       * what it takes to get in. */
      if (history->gas_used_ratios[i] <= 0.0)
        continue;
      values[n++] = history->rewards[i * history->n_percentiles + percentile_index];
    }
  if (n == 0)
    return FALSE;

  qsort (values, n, sizeof *values, cmp_u256);
  *tip = values[n / 2];
  return TRUE;
}

static gboolean
overflow (GError **error)
{
  g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_INVALID_INPUT,
               "The fees overflow 256 bits; the node reported absurd prices.");
  return FALSE;
}

gboolean
bfk_fees_compute (guint64   chain_id,
                  BfkU256   base_fee,
                  BfkU256   tip,
                  BfkFees  *fees,
                  GError  **error)
{
  BfkU256 floor = bfk_fees_min_tip (chain_id);
  BfkU256 max_fee;

  g_return_val_if_fail (fees != NULL, FALSE);

  if (bfk_u256_cmp (tip, floor) < 0)
    tip = floor;
  if (!bfk_u256_mul_u64 (&max_fee, base_fee, 2) || !bfk_u256_add (&max_fee, max_fee, tip))
    return overflow (error);

  fees->max_fee_per_gas = max_fee;
  fees->max_priority_fee_per_gas = tip;
  return TRUE;
}

/* ceil (v × (100 + BFK_FEES_BUMP_PERCENT) / 100), and never v itself. */
static gboolean
bump_one (BfkU256  v,
          BfkU256 *out)
{
  BfkU256 r;
  guint64 rem;

  if (!bfk_u256_mul_u64 (&r, v, 100 + BFK_FEES_BUMP_PERCENT))
    return FALSE;
  rem = bfk_u256_div_u64 (&r, r, 100);
  if (rem != 0 && !bfk_u256_add (&r, r, bfk_u256_from_u64 (1)))
    return FALSE;
  /* 13 % of a few wei rounds to nothing; a node still wants more. */
  if (bfk_u256_cmp (r, v) <= 0 && !bfk_u256_add (&r, v, bfk_u256_from_u64 (1)))
    return FALSE;
  *out = r;
  return TRUE;
}

static BfkU256
max_u256 (BfkU256 a,
          BfkU256 b)
{
  return bfk_u256_cmp (a, b) >= 0 ? a : b;
}

gboolean
bfk_fees_bump (const BfkFees  *old,
               const BfkFees  *current,
               BfkFees        *fees,
               GError        **error)
{
  BfkFees r;

  g_return_val_if_fail (old != NULL, FALSE);
  g_return_val_if_fail (fees != NULL, FALSE);

  if (!bump_one (old->max_fee_per_gas, &r.max_fee_per_gas) ||
      !bump_one (old->max_priority_fee_per_gas, &r.max_priority_fee_per_gas))
    return overflow (error);

  if (current != NULL)
    {
      r.max_fee_per_gas = max_u256 (r.max_fee_per_gas, current->max_fee_per_gas);
      r.max_priority_fee_per_gas = max_u256 (r.max_priority_fee_per_gas,
                                             current->max_priority_fee_per_gas);
    }
  /* A tip above the cap is refused outright. */
  r.max_fee_per_gas = max_u256 (r.max_fee_per_gas, r.max_priority_fee_per_gas);

  *fees = r;
  return TRUE;
}

gboolean
bfk_fees_suggest (BfkRpcClient  *client,
                  guint64        chain_id,
                  BfkFees       *fees,
                  GError       **error)
{
  static const gdouble percentiles[] = { BFK_FEES_HISTORY_PERCENTILE };
  g_autoptr(BfkFeeHistory) history = NULL;
  g_autoptr(GError) history_error = NULL;
  BfkBlock block;
  BfkU256 tip = BFK_U256_ZERO;

  g_return_val_if_fail (client != NULL, FALSE);
  g_return_val_if_fail (fees != NULL, FALSE);

  if (!bfk_rpc_client_get_block (client, "latest", &block, error))
    return FALSE;
  if (!block.has_base_fee)
    {
      g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_NODE,
                   "The node at %s reports no base fee: the chain does not support EIP-1559.",
                   bfk_rpc_client_get_display_url (client));
      return FALSE;
    }

  history = bfk_rpc_client_get_fee_history (client, BFK_FEES_HISTORY_BLOCKS, "latest",
                                            percentiles, G_N_ELEMENTS (percentiles),
                                            &history_error);
  if (history == NULL)
    {
      /* Only a node without eth_feeHistory is worth a second opinion; an
       * unreachable node is unreachable for the next call too. */
      if (!g_error_matches (history_error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_NODE) &&
          !g_error_matches (history_error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_DECODE))
        {
          g_propagate_error (error, g_steal_pointer (&history_error));
          return FALSE;
        }
      g_debug ("eth_feeHistory failed: %s", history_error->message);
    }

  if (history == NULL || !bfk_fees_tip_from_history (history, 0, &tip))
    {
      if (!bfk_rpc_client_get_max_priority_fee (client, &tip, error))
        return FALSE;
    }

  return bfk_fees_compute (chain_id, block.base_fee, tip, fees, error);
}
