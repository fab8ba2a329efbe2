/* bfk-notices.h: telling members what the chain did.
 *
 * The bot answers at once, honestly: "inscription en cours".  The chain
 * answers later, and the follower stores its events.  This reads those
 * events in order, behind a cursor kept in the store, and for each one that
 * concerns our members:
 *  - keeps the proposals in step (the exchange number a proposal got, its
 *    state);
 *  - queues the message each member should get, in the member's language:
 *    the grant credited, an exchange proposed, accepted, declined,
 *    cancelled, completed or expired, a rating received.
 * It also tells members when an operation made for them failed for good.
 *
 * Each message has a key (the event it tells of and who it is for), unique
 * in the store: an event read again after a reorganisation, or after a
 * crash before the cursor moved, is never told twice.
 *
 * Threads: like the BfkStore it is given (the follower's).
 */
#pragma once

#include "bfk-store.h"

G_BEGIN_DECLS

/* One pass over at most limit new events, in one transaction.  can_send:
 * Twilio is configured (else messages are kept as not sent).  *queued
 * (may be NULL) gets the number of messages queued, *more (may be NULL)
 * whether events are left for another pass.
 *
 * The first pass on a store only notes where the events end: a data dir
 * that existed before notices (or a new one following an old contract)
 * must not tell members of its whole history. */
gboolean  bfk_notices_step   (BfkStore   *store,
                              gboolean    can_send,
                              guint       limit,
                              guint      *queued,
                              gboolean   *more,
                              GError    **error);

G_END_DECLS
