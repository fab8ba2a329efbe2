/* bfk-follower.h: follows the contract's events into the store.
 *
 * From the deployment block to the head, in chunks (public Polygon nodes cap
 * eth_getLogs ranges), each log is decoded and stored once with its block,
 * transaction hash and log index, and applied to the derived tables
 * (accounts, exchanges, backers, communities).  Events are marked confirmed
 * at the configured depth.  When a block hash the follower recorded changes
 * (a reorganisation), the events from that block on are rolled back, the
 * derived tables with them, and the new chain is read again.  A periodic
 * reconciliation compares the derived balances with balanceOf/escrowOf.
 *
 * Threads: a BfkFollower and its BfkStore are used from one thread;
 * bfk_follower_step blocks on the network.
 */
#pragma once

#include <gio/gio.h>

#include "bfk-contract.h"
#include "bfk-rpc.h"
#include "bfk-store.h"

G_BEGIN_DECLS

typedef struct _BfkFollower BfkFollower;

typedef void (*BfkFollowerEventFunc)    (const BfkEvent *event,
                                         gboolean        confirmed,
                                         gpointer        user_data);
typedef void (*BfkFollowerProgressFunc) (guint64         blocks_done,
                                         guint64         blocks_total,
                                         gpointer        user_data);

BfkFollower *bfk_follower_new            (BfkStore                *store,
                                          BfkRpcClient            *rpc,
                                          const BfkAddress        *contract,
                                          guint64                  deploy_block,
                                          guint                    confirmations);
void         bfk_follower_free           (BfkFollower             *follower);
/* Called for each new event as it is stored (not for replays after a reorg). */
void         bfk_follower_set_event_func (BfkFollower             *follower,
                                          BfkFollowerEventFunc     func,
                                          gpointer                 user_data);
void         bfk_follower_set_progress_func (BfkFollower          *follower,
                                          BfkFollowerProgressFunc  func,
                                          gpointer                 user_data);
/* Blocks per eth_getLogs request at first (default 2000); halved by the
 * client when the node refuses the range. */
void         bfk_follower_set_window     (BfkFollower             *follower,
                                          guint64                  blocks);

typedef struct
{
  guint64  head;              /* the node's latest block */
  guint64  synced;            /* the last block whose events are stored */
  guint64  lag;               /* head - synced */
  guint    new_events;
  guint    newly_confirmed;
  guint    reorgs;            /* reorganisations handled in this step */
  guint64  rolled_back_from;  /* the first block rolled back, when reorgs > 0 */
} BfkFollowerReport;

/* Reads up to the head (in chunks, reporting progress), handling a
 * reorganisation first when there was one. */
gboolean     bfk_follower_step           (BfkFollower             *follower,
                                          GCancellable            *cancellable,
                                          BfkFollowerReport       *report,
                                          GError                 **error);

/* Compares the derived balance and escrow of up to `sample` accounts (0: all)
 * with balanceOf/escrowOf at the synced block; logs each difference as a
 * warning and returns how many differ, or -1 with error set. */
gint         bfk_follower_reconcile      (BfkFollower             *follower,
                                          guint                    sample,
                                          GCancellable            *cancellable,
                                          GError                 **error);

/* The last block whose events the store holds, or -1 before the first
 * step: for status displays, from any connection. */
gint64       bfk_follower_get_synced_block (BfkStore              *store);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BfkFollower, bfk_follower_free)

G_END_DECLS
