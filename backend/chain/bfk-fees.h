/* bfk-fees.h: EIP-1559 fees: what to offer, and how to outbid oneself.
 *
 * The computation is pure (testable without a node); bfk_fees_suggest only
 * gathers its inputs over RPC.
 */
#pragma once

#include "bfk-rpc.h"
#include "bfk-u256.h"

G_BEGIN_DECLS

#define BFK_GWEI G_GUINT64_CONSTANT (1000000000)

/* Polygon PoS (137) and Amoy (80002) refuse tips below 25 gwei since
 * Bor v1.1 ("transaction gas price below minimum"); other chains have no
 * floor here. */
#define BFK_FEES_POLYGON_MIN_TIP (25 * BFK_GWEI)

/* Blocks and percentile read from eth_feeHistory for the tip. */
#define BFK_FEES_HISTORY_BLOCKS 10
#define BFK_FEES_HISTORY_PERCENTILE 50.0

/* Raise per replacement, in percent.  Nodes want at least 10 % (geth) or
 * 12.5 % (others) on both fields; 13 % rounded up clears both. */
#define BFK_FEES_BUMP_PERCENT 13

typedef struct
{
  BfkU256 max_fee_per_gas;
  BfkU256 max_priority_fee_per_gas;
} BfkFees;

/* The tip floor of a chain: BFK_FEES_POLYGON_MIN_TIP or 0. */
BfkU256   bfk_fees_min_tip          (guint64              chain_id);

/* The median, over the blocks of history that had transactions, of the
 * reward at percentile_index; FALSE when no block had any (empty chain,
 * or a history without rewards). */
gboolean  bfk_fees_tip_from_history (const BfkFeeHistory *history,
                                     guint                percentile_index,
                                     BfkU256             *tip);

/* tip raised to the chain's floor; max fee = 2 × base fee + tip, which
 * survives six full blocks of base fee rises (12.5 % each). */
gboolean  bfk_fees_compute          (guint64              chain_id,
                                     BfkU256              base_fee,
                                     BfkU256              tip,
                                     BfkFees             *fees,
                                     GError             **error);

/* Fees for a replacement of a transaction sent with old: each field raised
 * by BFK_FEES_BUMP_PERCENT (rounded up, and by at least 1 wei), or to
 * current (the fees suggested now; may be NULL) where that is higher. */
gboolean  bfk_fees_bump             (const BfkFees       *old,
                                     const BfkFees       *current,
                                     BfkFees             *fees,
                                     GError             **error);

/* Base fee of the latest block, tip from eth_feeHistory (or, on an empty
 * chain or a node without it, eth_maxPriorityFeePerGas), then
 * bfk_fees_compute.  Blocks: run on a worker thread. */
gboolean  bfk_fees_suggest          (BfkRpcClient        *client,
                                     guint64              chain_id,
                                     BfkFees             *fees,
                                     GError             **error);

G_END_DECLS
