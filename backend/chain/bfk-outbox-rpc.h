/* bfk-outbox-rpc.h: the outbox's questions to the node, batched. */
#pragma once

#include "bfk-outbox-private.h"

G_BEGIN_DECLS

typedef struct
{
  guint8 bytes[BFK_HASH_SIZE];
} BfkOutboxHash;

/* The receipts of hashes (a GArray of BfkOutboxHash): a GPtrArray of
 * BfkOutboxReceipt*, NULL where not mined. */
GPtrArray *bfk_outbox_rpc_receipts      (BfkRpcClient           *rpc,
                                         GArray                 *hashes,
                                         GError                **error);
/* One batch: the signer's mined nonce count, and the gas of each operation
 * of ops (BfkOutboxOp*) sent by signer: estimated, or for kinds whose gas
 * is well known, one estimate for the batch and an eth_call per operation
 * to see that it does not revert.  A revert sets errors[i] (decoded)
 * instead of gas[i]. */
gboolean   bfk_outbox_rpc_prepare       (BfkRpcClient           *rpc,
                                         const BfkAddress       *signer,
                                         GPtrArray              *ops,
                                         guint64                *latest_nonce,
                                         guint64                *gas,
                                         GError                **errors,
                                         GError                **error);
/* Why a mined transaction failed, for people. */
gchar     *bfk_outbox_rpc_revert_reason (BfkRpcClient           *rpc,
                                         const BfkOutboxOp      *op,
                                         const BfkOutboxReceipt *receipt,
                                         guint64                 gas_limit);

G_END_DECLS
