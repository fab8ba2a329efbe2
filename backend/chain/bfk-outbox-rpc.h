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
/* One batch: the nonce counts of n signers, mined ("latest") and with
 * the node's pool ("pending"). */
gboolean   bfk_outbox_rpc_nonces        (BfkRpcClient           *rpc,
                                         const BfkAddress       *signers,
                                         guint                   n,
                                         guint64                *latest,
                                         guint64                *pending,
                                         GError                **error);

/* Signed transactions on their way to the node, from a thread of their own,
 * so that the driver can prepare the next ones meanwhile. */
typedef struct _BfkOutboxSend BfkOutboxSend;

/* Starts sending raws (GBytes*, in nonce order), chunk to an HTTP request
 * and one request at a time, so that the node receives them in order. */
BfkOutboxSend *bfk_outbox_rpc_send_start  (BfkRpcClient         *rpc,
                                           GPtrArray            *raws,
                                           guint                 chunk);
/* Waits for the node's answers and frees send: one BfkSendResult* per
 * transaction, in order. */
GPtrArray     *bfk_outbox_rpc_send_finish (BfkOutboxSend        *send);

/* Why a mined transaction failed, for people. */
gchar     *bfk_outbox_rpc_revert_reason (BfkRpcClient           *rpc,
                                         const BfkOutboxOp      *op,
                                         const BfkOutboxReceipt *receipt,
                                         guint64                 gas_limit);

G_END_DECLS
