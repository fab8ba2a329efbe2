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
/* An empty memo of gas estimates for bfk_outbox_rpc_prepare. */
GHashTable *bfk_outbox_rpc_gas_memo_new (void);
/* One batch: the signer's mined nonce count, and the gas of each operation
 * of ops (BfkOutboxOp*) sent by signer: estimated, or for kinds whose gas
 * is well known, one estimate for the batch and an eth_call per operation
 * to see that it does not revert.  Such estimates go to memo (when not
 * NULL), which later batches take them from.  A revert sets errors[i]
 * (decoded) instead of gas[i]. */
gboolean   bfk_outbox_rpc_prepare       (BfkRpcClient           *rpc,
                                         const BfkAddress       *signer,
                                         GPtrArray              *ops,
                                         GHashTable             *memo,
                                         guint64                *latest_nonce,
                                         guint64                *gas,
                                         GError                **errors,
                                         GError                **error);
/* One batch: the head block's number, the balance of balance_of (when not
 * NULL), and the nonce counts of n signers, mined ("latest") and with the
 * node's pool ("pending"). */
gboolean   bfk_outbox_rpc_survey        (BfkRpcClient           *rpc,
                                         const BfkAddress       *balance_of,
                                         BfkU256                *balance,
                                         const BfkAddress       *signers,
                                         guint                   n,
                                         guint64                *head,
                                         guint64                *latest,
                                         guint64                *pending,
                                         GError                **error);

/* Chunks of signed transactions sent from a thread of their own, back to
 * back: a chunk goes as soon as the one before it is answered, so that the
 * node always has the next ones waiting, as for a client that signed them
 * all first, while the driver prepares more.  One request at a time, so
 * that the node receives the nonces in order.  A chunk that had to wait
 * for one to send is held, when gate_ms is not 0, until the node can take
 * it safely (anvil's automine: see bfk-outbox-rpc.c). */
typedef struct _BfkOutboxPipe BfkOutboxPipe;

/* per_request: how many queued transactions may go together. */
BfkOutboxPipe *bfk_outbox_rpc_pipe_new  (BfkRpcClient           *rpc,
                                         guint                   per_request,
                                         guint                   gate_ms);
/* Queues raws (GBytes*, signer's, nonces in order from first_nonce). */
void       bfk_outbox_rpc_pipe_push     (BfkOutboxPipe          *pipe,
                                         const BfkAddress       *signer,
                                         guint64                 first_nonce,
                                         GPtrArray              *raws,
                                         gpointer                tag);
/* The next chunk done, in the order pushed, waiting for it when wait:
 * its tag, and one BfkSendResult* per transaction, or NULL when it was not
 * sent (the pipe stopped).  FALSE when none is done (and not wait). */
gboolean   bfk_outbox_rpc_pipe_pop      (BfkOutboxPipe          *pipe,
                                         gboolean                wait,
                                         gpointer               *tag,
                                         GPtrArray             **results);
/* Nothing more goes out; it stops by itself when the node cannot be
 * reached.  Chunks still queued come back unsent. */
void       bfk_outbox_rpc_pipe_stop     (BfkOutboxPipe          *pipe);
gboolean   bfk_outbox_rpc_pipe_stopped  (BfkOutboxPipe          *pipe);
/* Ends the thread: every chunk pushed must have been popped. */
void       bfk_outbox_rpc_pipe_free     (BfkOutboxPipe          *pipe);

/* Why a mined transaction failed, for people. */
gchar     *bfk_outbox_rpc_revert_reason (BfkRpcClient           *rpc,
                                         const BfkOutboxOp      *op,
                                         const BfkOutboxReceipt *receipt,
                                         guint64                 gas_limit);

G_END_DECLS
