/* bfk-follower-private.h: shared by the files of the follower, and by its
 * unit test.
 *
 * bfk-follower-apply.c stores events and keeps the derived tables (accounts,
 * exchanges, backers, communities) in step with them, forwards and
 * backwards; bfk-follower-store.c keeps the follower's own records (the
 * blocks it read, its progress); bfk-follower.c talks to the node.  Every
 * function here runs inside the caller's transaction.
 */
#pragma once

#include "bfk-follower.h"

G_BEGIN_DECLS

struct _BfkFollower
{
  BfkStore                *store;
  BfkRpcClient            *rpc;
  BfkAddress               contract;
  guint64                  deploy_block;
  guint                    confirmations;
  guint64                  window;         /* as configured */
  guint64                  live_window;    /* what the node accepted lately */
  guint                    full_chunks;    /* in a row at live_window */
  gboolean                 node_limited;   /* live_window shrank for the node */
  BfkFollowerEventFunc     event_func;
  gpointer                 event_data;
  BfkFollowerProgressFunc  progress_func;
  gpointer                 progress_data;
};

/* Recent blocks whose hashes are kept besides those holding events: more
 * than any confirmation depth we use, so that the fork point of a
 * reorganisation is found among recorded blocks. */
#define BFK_FOLLOWER_KEEP_BLOCKS 128

/* The sync table's keys. */
#define BFK_FOLLOWER_SYNC_BLOCK     "follower_block"      /* last block whose events are stored */
#define BFK_FOLLOWER_SYNC_CONFIRMED "follower_confirmed"  /* events up to here are confirmed */

/* --- events and the derived tables (bfk-follower-apply.c) --- */

/* Stores one decoded event, unless it is stored already (same block hash and
 * log index), and applies it to the derived tables.  *inserted says which. */
gboolean  bfk_follower_apply_event     (BfkStore        *store,
                                        const BfkEvent  *event,
                                        gboolean        *inserted,
                                        GError         **error);
/* Undoes the events of blocks from from_block on, newest first, deletes
 * them, and leaves the derived tables as they were before them. */
gboolean  bfk_follower_undo_events     (BfkStore        *store,
                                        guint64          from_block,
                                        guint           *n_undone,
                                        GError         **error);

/* --- the follower's records (bfk-follower-store.c) --- */

typedef struct
{
  guint64 number;
  guint8  hash[32];
} BfkFollowerBlock;

/* A counter of the sync table; fallback when it is not set. */
gint64    bfk_follower_get_sync        (BfkStore        *store,
                                        const gchar     *key,
                                        gint64           fallback);
gboolean  bfk_follower_set_sync        (BfkStore        *store,
                                        const gchar     *key,
                                        gint64           value,
                                        GError         **error);
/* Records a block's hash; parent_hash may be NULL when only a log told us
 * the hash.  A known parent is never replaced by an unknown one. */
gboolean  bfk_follower_put_block       (BfkStore        *store,
                                        guint64          number,
                                        const guint8     hash[32],
                                        const guint8    *parent_hash,
                                        GError         **error);
/* Up to limit recorded blocks at or below at_most, highest first: a GArray
 * of BfkFollowerBlock, or NULL with error set. */
GArray   *bfk_follower_recorded_blocks (BfkStore        *store,
                                        guint64          at_most,
                                        guint            limit,
                                        GError         **error);
/* Forgets blocks in [from, to] that hold no event. */
gboolean  bfk_follower_prune_blocks    (BfkStore        *store,
                                        guint64          from,
                                        guint64          to,
                                        GError         **error);
/* Marks the events up to block up_to confirmed; *newly counts them. */
gboolean  bfk_follower_confirm         (BfkStore        *store,
                                        gint64           up_to,
                                        guint           *newly,
                                        GError         **error);
/* Undoes everything from from_block on: events, derived tables, recorded
 * blocks and progress, so that the follower reads those blocks again. */
gboolean  bfk_follower_roll_back       (BfkStore        *store,
                                        guint64          from_block,
                                        guint           *n_undone,
                                        GError         **error);

G_END_DECLS
