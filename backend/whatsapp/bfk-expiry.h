/* bfk-expiry.h: proposals nobody accepted in time are expired on chain.
 *
 * A provider has until the proposal's deadline (24 hours by default) to
 * accept.  After it, anyone may call expireExchange, which refunds the
 * payer; the backend does, with the operator key.  The members are told
 * when the chain's ExchangeExpired event arrives (bfk-notices.h).
 */
#pragma once

#include "bfk-bot-apply.h"

G_BEGIN_DECLS

/* The contract compares the deadline with the block's time, which may lag
 * our clock a little: wait this long past the deadline. */
#define BFK_EXPIRY_MARGIN 10

/* Queues expireExchange for up to limit proposals past their deadline at
 * now that have no such operation under way.  Their ids are appended to
 * op_ids.  Runs in its own transaction. */
gboolean  bfk_expiry_step   (const BfkBotChain  *chain,
                             gint64              now,
                             guint               limit,
                             GArray             *op_ids,
                             GError            **error);

G_END_DECLS
