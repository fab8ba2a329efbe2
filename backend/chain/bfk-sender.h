/* bfk-sender.h: sends transactions from one key, and waits for them.
 *
 * The simple, synchronous path: deploy, admin commands, tests and the
 * submission benchmark.  It keeps a local nonce counter, so a burst of
 * transactions needs no round trip per nonce, and sends a burst pipelined in
 * JSON-RPC batches.  (The product's member operations go through the durable
 * outbox instead, which also survives crashes.)
 */
#pragma once

#include <gio/gio.h>

#include "bfk-key.h"
#include "bfk-rpc.h"

G_BEGIN_DECLS

typedef struct _BfkSender BfkSender;

/* Reads the key's pending nonce from the node. */
BfkSender        *bfk_sender_new              (BfkRpcClient        *rpc,
                                               guint64              chain_id,
                                               const BfkPrivateKey *key,
                                               GError             **error);
void              bfk_sender_free             (BfkSender           *sender);
const BfkAddress *bfk_sender_get_address      (BfkSender           *sender);
guint64           bfk_sender_get_next_nonce   (BfkSender           *sender);

/* Estimates the gas, signs with suggested fees, sends, and waits for the
 * receipt.  to NULL creates a contract.  A revert, seen when estimating or in
 * the receipt, is BFK_CHAIN_ERROR_REVERTED with the decoded reason (through
 * the client's revert decoder). */
BfkReceipt       *bfk_sender_transact         (BfkSender           *sender,
                                               const BfkAddress    *to,
                                               GBytes              *data,
                                               GCancellable        *cancellable,
                                               GError             **error);

/* Signs one transaction per calldata, with consecutive nonces and a fixed
 * gas limit, and sends them all in pipelined batches.  Returns their hashes
 * (32-byte GBytes) in order; fails if the node refuses any. */
GPtrArray        *bfk_sender_send_pipelined   (BfkSender           *sender,
                                               const BfkAddress    *to,
                                               GBytes * const      *calldata,
                                               gsize                n,
                                               guint64              gas_limit,
                                               GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BfkSender, bfk_sender_free)

G_END_DECLS
