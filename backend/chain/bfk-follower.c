/* bfk-follower.c: follows the contract's events from the node into the store.
 *
 * A step first makes sure that the last block it stored is still the node's
 * (else it walks back through the recorded blocks to the fork point and rolls
 * back everything above it), then reads up to the head in chunks of `window`
 * blocks.  Each chunk is one SQLite transaction holding its events, their
 * effect on the derived tables, the hashes of the blocks read and the
 * progress: a crash leaves either the whole chunk or none of it.
 *
 * A chunk's logs and the block headers read for it must agree (same hash for
 * the same number, each header the parent of the next, the first one a child
 * of the last block stored): when they do not, the chain changed while we
 * read it, and the chunk is dropped and read again after the reorg check.
 */
#include "bfk-follower-private.h"

#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "bfk-chain-error.h"
#include "bfk-rpc-private.h"

#define DEFAULT_WINDOW 2000
/* The first chunk's blocks: a busy chain may hold 100 events a block, and
 * a chunk's logs, parsed, cost a few KiB each. */
#define START_WINDOW 100
/* Events a chunk aims at: what a busy stretch's window is sized by.  Each
 * commit rewrites the index pages its events touch, so much smaller chunks
 * cost throughput (2,000 a chunk gave about 18,000 events/s, 10,000 about
 * 25,000); much bigger ones cost memory (a whole catch-up of 100,000 in
 * one chunk held 350 MiB). */
#define CHUNK_EVENTS 5000
/* Full-size chunks in a row before a window that shrank for the node
 * doubles again. */
#define GROW_AFTER_CHUNKS 8
/* Requests per JSON-RPC batch when reading headers. */
#define HEADER_BATCH 100
/* Recorded blocks compared with the node's per round when walking back. */
#define WALK_BATCH 32
/* Reads of one step that may find the chain changed under them. */
#define MAX_ATTEMPTS 3
/* SQLite's page cache for the store's connection, in KiB.  It stays full
 * for the life of the process: over 100,000 events, 16 MiB gave the
 * headless console a peak of 45 to 68 MiB, 8 MiB 42 to 46, for about the
 * same catch-up rate (29,000 events/s; 4 MiB, 27,000). */
#define BFK_FOLLOWER_CACHE_KIB 8192

BfkFollower *
bfk_follower_new (BfkStore          *store,
                  BfkRpcClient      *rpc,
                  const BfkAddress  *contract,
                  guint64            deploy_block,
                  guint              confirmations)
{
  BfkFollower *f;

  g_return_val_if_fail (store != NULL, NULL);
  g_return_val_if_fail (rpc != NULL, NULL);
  g_return_val_if_fail (contract != NULL, NULL);

  /* Catching up inserts accounts and index entries at random places of
   * tables that outgrow SQLite's default 2 MiB page cache within the first
   * 100,000 events; a bigger cache keeps the writes in memory. */
  if (!bfk_store_exec (store, "PRAGMA cache_size = -" G_STRINGIFY (BFK_FOLLOWER_CACHE_KIB), NULL))
    g_debug ("The store kept its default page cache size");

  f = g_new0 (BfkFollower, 1);
  f->store = store;
  f->rpc = bfk_rpc_client_ref (rpc);
  f->contract = *contract;
  f->deploy_block = deploy_block;
  f->confirmations = confirmations;
  f->window = DEFAULT_WINDOW;
  f->live_window = START_WINDOW;
  return f;
}

void
bfk_follower_free (BfkFollower *follower)
{
  if (follower == NULL)
    return;
  g_clear_pointer (&follower->rpc, bfk_rpc_client_unref);
  g_free (follower);
}

void
bfk_follower_set_event_func (BfkFollower          *follower,
                             BfkFollowerEventFunc  func,
                             gpointer              user_data)
{
  follower->event_func = func;
  follower->event_data = user_data;
}

void
bfk_follower_set_progress_func (BfkFollower             *follower,
                                BfkFollowerProgressFunc  func,
                                gpointer                 user_data)
{
  follower->progress_func = func;
  follower->progress_data = user_data;
}

void
bfk_follower_set_window (BfkFollower *follower,
                         guint64      blocks)
{
  follower->window = blocks > 0 ? blocks : DEFAULT_WINDOW;
  follower->live_window = MIN (follower->window, START_WINDOW);
  follower->full_chunks = 0;
  follower->node_limited = FALSE;
}

/* --- block headers --------------------------------------------------------- */

static gboolean
parse_header (JsonNode  *result,
              BfkBlock  *block,
              GError   **error)
{
  JsonObject *object;

  if (!JSON_NODE_HOLDS_OBJECT (result))
    {
      g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_DECODE,
                   "eth_getBlockByNumber answered something that is not a block.");
      return FALSE;
    }
  object = json_node_get_object (result);
  memset (block, 0, sizeof *block);
  return bfk_rpc_get_u64_member (object, "number", &block->number, error)
         && bfk_rpc_get_hash_member (object, "hash", block->hash, error)
         && bfk_rpc_get_hash_member (object, "parentHash", block->parent_hash, error);
}

/* The headers of the given blocks, in JSON-RPC batches; found[i] is FALSE
 * for a block the node does not have (any more). */
static gboolean
fetch_headers (BfkRpcClient   *rpc,
               const guint64  *numbers,
               guint           n,
               BfkBlock       *blocks,
               gboolean       *found,
               GError        **error)
{
  for (guint start = 0; start < n; start += HEADER_BATCH)
    {
      guint count = MIN (HEADER_BATCH, n - start);
      g_autoptr(GPtrArray) params = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
      g_autofree BfkRpcRequest *requests = g_new0 (BfkRpcRequest, count);
      g_autoptr(GPtrArray) responses = NULL;

      for (guint i = 0; i < count; i++)
        {
          JsonArray *array = json_array_new ();
          JsonNode *node = json_node_new (JSON_NODE_ARRAY);
          gchar buf[19];

          json_array_add_string_element (array, bfk_rpc_quantity (numbers[start + i], buf));
          json_array_add_boolean_element (array, FALSE);
          json_node_take_array (node, array);
          g_ptr_array_add (params, node);
          requests[i].method = "eth_getBlockByNumber";
          requests[i].params = node;
        }
      responses = bfk_rpc_client_call_batch (rpc, requests, count, error);
      if (responses == NULL)
        return FALSE;
      g_ptr_array_set_free_func (responses, (GDestroyNotify) bfk_rpc_response_free);
      for (guint i = 0; i < count; i++)
        {
          BfkRpcResponse *response = g_ptr_array_index (responses, i);

          if (response->error != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&response->error));
              return FALSE;
            }
          found[start + i] = !JSON_NODE_HOLDS_NULL (response->result);
          if (found[start + i] && !parse_header (response->result, &blocks[start + i], error))
            return FALSE;
        }
    }
  return TRUE;
}

/* --- reorganisations -------------------------------------------------------- */

/* Compares the recorded blocks at or below synced with the node's, highest
 * first, until one matches.  *fork is the first block to roll back, or 0
 * when the highest recorded block still matches. */
static gboolean
find_fork (BfkFollower  *f,
           gint64        synced,
           guint64       head,
           guint64      *fork,
           GError      **error)
{
  gboolean first = TRUE;
  gint64 at_most = synced;

  *fork = 0;
  while (at_most >= 0)
    {
      g_autoptr(GArray) recorded = bfk_follower_recorded_blocks (f->store, at_most, WALK_BATCH, error);
      g_autofree guint64 *numbers = NULL;
      g_autofree BfkBlock *blocks = NULL;
      g_autofree gboolean *found = NULL;
      guint n = 0;

      if (recorded == NULL)
        return FALSE;
      if (recorded->len == 0)
        break;
      numbers = g_new (guint64, recorded->len);
      blocks = g_new0 (BfkBlock, recorded->len);
      found = g_new0 (gboolean, recorded->len);
      /* Blocks above the head are gone (evm_revert, a shorter chain). */
      for (guint i = 0; i < recorded->len; i++)
        if (g_array_index (recorded, BfkFollowerBlock, i).number <= head)
          numbers[n++] = g_array_index (recorded, BfkFollowerBlock, i).number;
      if (!fetch_headers (f->rpc, numbers, n, blocks, found, error))
        return FALSE;

      for (guint i = 0, j = 0; i < recorded->len; i++)
        {
          const BfkFollowerBlock *b = &g_array_index (recorded, BfkFollowerBlock, i);
          gboolean match = FALSE;

          if (b->number <= head)
            {
              match = found[j] && memcmp (blocks[j].hash, b->hash, 32) == 0;
              j++;
            }
          if (match)
            {
              if (!first)
                *fork = b->number + 1;
              return TRUE;
            }
          first = FALSE;
        }
      at_most = (gint64) g_array_index (recorded, BfkFollowerBlock, recorded->len - 1).number - 1;
    }

  /* Nothing recorded matches: everything we stored is gone. */
  if (!first)
    *fork = MAX (f->deploy_block, 1);
  return TRUE;
}

static gboolean
handle_reorg (BfkFollower        *f,
              gint64             *synced,
              guint64             head,
              BfkFollowerReport  *r,
              GError            **error)
{
  guint64 fork;
  guint undone = 0;

  if (!find_fork (f, *synced, head, &fork, error))
    return FALSE;
  if (fork == 0)
    return TRUE;

  if (!bfk_store_begin (f->store, error))
    return FALSE;
  if (!bfk_follower_roll_back (f->store, fork, &undone, error)
      || !bfk_store_commit (f->store, error))
    {
      bfk_store_rollback (f->store);
      return FALSE;
    }
  g_message ("Chain reorganisation: blocks %" G_GUINT64_FORMAT " to %" G_GINT64_FORMAT
             " were replaced; %u events rolled back, reading them again.",
             fork, *synced, undone);
  *synced = (gint64) fork - 1;
  r->rolled_back_from = r->reorgs > 0 ? MIN (r->rolled_back_from, fork) : fork;
  r->reorgs++;
  return TRUE;
}

/* --- reading a chunk ---------------------------------------------------------- */

typedef struct
{
  guint64 last_done;
  guint64 min_span;
} SpanWatch;

/* The chunked reader halves its window when the node refuses a range; the
 * spans it reports tell us, so that later chunks start at a size the node
 * takes. */
static void
watch_spans (guint64  blocks_done,
             guint64  blocks_total,
             gpointer user_data)
{
  SpanWatch *watch = user_data;

  watch->min_span = MIN (watch->min_span, blocks_done - watch->last_done);
  watch->last_done = blocks_done;
}

/* The next chunk's window: what the node takes, and about CHUNK_EVENTS
 * events.  A quiet stretch doubles it at once, unless the node refused a
 * range lately. */
static void
adapt_window (BfkFollower     *f,
              const SpanWatch *watch,
              guint64          chunk_blocks,
              guint            n_logs)
{
  if (watch->min_span < chunk_blocks)
    {
      f->live_window = MAX (watch->min_span, 1);
      f->full_chunks = 0;
      f->node_limited = TRUE;
    }
  else if (n_logs > CHUNK_EVENTS)
    {
      f->live_window = MAX (chunk_blocks * CHUNK_EVENTS / n_logs, 1);
      f->full_chunks = 0;
    }
  else if (f->live_window < f->window && chunk_blocks >= f->live_window
           && n_logs <= CHUNK_EVENTS / 2
           && (!f->node_limited || ++f->full_chunks >= GROW_AFTER_CHUNKS))
    {
      f->live_window = MIN (f->live_window * 2, f->window);
      f->full_chunks = 0;
      f->node_limited = f->node_limited && f->live_window < f->window;
    }
}

typedef struct
{
  guint64    first;      /* number of headers[0] */
  guint      n;
  BfkBlock  *headers;
} Headers;

static void
headers_clear (Headers *h)
{
  g_clear_pointer (&h->headers, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Headers, headers_clear)

/* The headers of the recent blocks of [from, to] (the last KEEP below the
 * head), and always of `to`, the block the next step checks. */
static gboolean
read_headers (BfkFollower  *f,
              guint64       from,
              guint64       to,
              guint64       head,
              Headers      *h,
              gboolean     *complete,
              GError      **error)
{
  g_autofree guint64 *numbers = NULL;
  g_autofree gboolean *found = NULL;

  h->first = head >= BFK_FOLLOWER_KEEP_BLOCKS ? head - BFK_FOLLOWER_KEEP_BLOCKS + 1 : 0;
  h->first = CLAMP (h->first, from, to);
  h->n = (guint) (to - h->first + 1);
  numbers = g_new (guint64, h->n);
  found = g_new0 (gboolean, h->n);
  h->headers = g_new0 (BfkBlock, h->n);
  for (guint i = 0; i < h->n; i++)
    numbers[i] = h->first + i;
  if (!fetch_headers (f->rpc, numbers, h->n, h->headers, found, error))
    return FALSE;
  *complete = TRUE;
  for (guint i = 0; i < h->n; i++)
    *complete = *complete && found[i];
  return TRUE;
}

/* Do the logs and the headers describe one chain, which continues the
 * recorded one? */
static gboolean
chunk_is_consistent (BfkFollower   *f,
                     guint64        from,
                     const Headers *h,
                     GArray        *logs,
                     GError       **error)
{
  for (guint i = 1; i < h->n; i++)
    if (memcmp (h->headers[i].parent_hash, h->headers[i - 1].hash, 32) != 0)
      return FALSE;
  if (h->first == from && from > 0)
    {
      g_autoptr(GArray) before = bfk_follower_recorded_blocks (f->store, from - 1, 1, error);

      if (before == NULL)
        return FALSE;
      if (before->len == 1 && g_array_index (before, BfkFollowerBlock, 0).number == from - 1
          && memcmp (g_array_index (before, BfkFollowerBlock, 0).hash, h->headers[0].parent_hash, 32) != 0)
        return FALSE;
    }
  for (guint i = 0; i < logs->len; i++)
    {
      const BfkLog *log = &g_array_index (logs, BfkLog, i);

      if (log->block_number >= h->first
          && memcmp (log->block_hash, h->headers[log->block_number - h->first].hash, 32) != 0)
        return FALSE;
    }
  return TRUE;
}

/* Decodes the logs; one the ABI does not know is left out, loudly. */
static GArray *
decode_logs (GArray *logs)
{
  GArray *events = g_array_sized_new (FALSE, FALSE, sizeof (BfkEvent), logs->len);

  g_array_set_clear_func (events, (GDestroyNotify) bfk_event_clear);
  for (guint i = 0; i < logs->len; i++)
    {
      const BfkLog *log = &g_array_index (logs, BfkLog, i);
      g_autoptr(GError) local_error = NULL;
      BfkEvent e;

      if (log->removed)
        continue;
      if (!bfk_event_decode (&log->topics[0][0], log->n_topics,
                             log->data ? g_bytes_get_data (log->data, NULL) : NULL,
                             log->data ? g_bytes_get_size (log->data) : 0, &e, &local_error))
        {
          g_warning ("Log %u of block %" G_GUINT64_FORMAT " left out: %s",
                     log->log_index, log->block_number, local_error->message);
          continue;
        }
      e.block_number = log->block_number;
      memcpy (e.block_hash, log->block_hash, 32);
      memcpy (e.tx_hash, log->tx_hash, 32);
      e.log_index = log->log_index;
      g_array_append_val (events, e);
    }
  return events;
}

static gboolean
write_chunk (BfkFollower        *f,
             guint64             from,
             guint64             to,
             guint64             head,
             GArray             *events,
             gboolean           *inserted,
             const Headers      *h,
             BfkFollowerReport  *r,
             GError            **error)
{
  BfkStore *store = f->store;
  gint64 confirm_to = MIN ((gint64) to, (gint64) head - (gint64) f->confirmations);
  guint64 last_block = G_MAXUINT64;
  guint newly = 0;

  for (guint i = 0; i < events->len; i++)
    {
      const BfkEvent *e = &g_array_index (events, BfkEvent, i);

      if (!bfk_follower_apply_event (store, e, &inserted[i], error))
        return FALSE;
      r->new_events += inserted[i];
      if (e->block_number != last_block
          && !bfk_follower_put_block (store, e->block_number, e->block_hash, NULL, error))
        return FALSE;
      last_block = e->block_number;
    }
  for (guint i = 0; i < h->n; i++)
    if (!bfk_follower_put_block (store, h->headers[i].number, h->headers[i].hash,
                                 h->headers[i].parent_hash, error))
      return FALSE;
  /* Headers of earlier steps that are now deeper than KEEP; never `to`. */
  if (head >= BFK_FOLLOWER_KEEP_BLOCKS && to > 0
      && !bfk_follower_prune_blocks (store,
                                     from > BFK_FOLLOWER_KEEP_BLOCKS ? from - BFK_FOLLOWER_KEEP_BLOCKS : 0,
                                     MIN (to - 1, head - BFK_FOLLOWER_KEEP_BLOCKS), error))
    return FALSE;
  if (!bfk_follower_set_sync (store, BFK_FOLLOWER_SYNC_BLOCK, (gint64) to, error)
      || !bfk_follower_confirm (store, confirm_to, &newly, error))
    return FALSE;
  r->newly_confirmed += newly;
  return TRUE;
}

static void
announce (BfkFollower *f,
          GArray      *events,
          gboolean    *inserted,
          guint64      head)
{
  if (f->event_func == NULL)
    return;
  for (guint i = 0; i < events->len; i++)
    {
      const BfkEvent *e = &g_array_index (events, BfkEvent, i);

      if (inserted[i])
        f->event_func (e, e->block_number + f->confirmations <= head, f->event_data);
    }
}

/* One chunk [from, to]: *consistent FALSE when the chain changed while it
 * was read, and nothing was stored. */
static gboolean
read_chunk (BfkFollower        *f,
            guint64             from,
            guint64             to,
            guint64             head,
            BfkFollowerReport  *r,
            gboolean           *consistent,
            GCancellable       *cancellable,
            GError            **error)
{
  BfkLogFilter filter = { .addresses = &f->contract, .n_addresses = 1 };
  SpanWatch watch = { 0, G_MAXUINT64 };
  g_autoptr(GArray) logs = NULL;
  g_autoptr(GArray) events = NULL;
  g_autofree gboolean *inserted = NULL;
  g_auto(Headers) h = { 0 };
  gboolean complete;

  logs = bfk_rpc_client_get_logs_chunked (f->rpc, &filter, from, to, f->live_window,
                                          watch_spans, &watch, cancellable, error);
  if (logs == NULL)
    return FALSE;
  adapt_window (f, &watch, to - from + 1, logs->len);
  if (!read_headers (f, from, to, head, &h, &complete, error))
    return FALSE;
  *consistent = complete && chunk_is_consistent (f, from, &h, logs, error);
  if (!*consistent)
    return error == NULL || *error == NULL;

  events = decode_logs (logs);
  g_clear_pointer (&logs, g_array_unref);
  inserted = g_new0 (gboolean, MAX (events->len, 1));
  if (!bfk_store_begin (f->store, error))
    return FALSE;
  if (!write_chunk (f, from, to, head, events, inserted, &h, r, error)
      || !bfk_store_commit (f->store, error))
    {
      bfk_store_rollback (f->store);
      return FALSE;
    }
  announce (f, events, inserted, head);
#ifdef __GLIBC__
  /* A chunk's logs are thousands of small JSON nodes, freed all at once
   * between longer-lived allocations: glibc keeps the holes, and a
   * catch-up's resident size would grow chunk after chunk. */
  g_clear_pointer (&events, g_array_unref);
  malloc_trim (0);
#endif
  return TRUE;
}

static gboolean
catch_up (BfkFollower        *f,
          gint64             *synced,
          guint64             head,
          BfkFollowerReport  *r,
          gboolean           *consistent,
          GCancellable       *cancellable,
          GError            **error)
{
  gint64 start = *synced;

  *consistent = TRUE;
  while (*synced < (gint64) head)
    {
      guint64 from = (guint64) (*synced + 1);
      guint64 to = MIN (from + f->live_window - 1, head);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (!read_chunk (f, from, to, head, r, consistent, cancellable, error))
        return FALSE;
      if (!*consistent)
        return TRUE;
      *synced = (gint64) to;
      if (f->progress_func != NULL)
        f->progress_func ((guint64) (*synced - start), (guint64) ((gint64) head - start),
                          f->progress_data);
    }
  return TRUE;
}

gboolean
bfk_follower_step (BfkFollower        *follower,
                   GCancellable       *cancellable,
                   BfkFollowerReport  *report,
                   GError            **error)
{
  BfkFollowerReport r = { 0 };
  gint64 synced = (gint64) follower->deploy_block - 1;
  guint64 head = 0;

  g_return_val_if_fail (follower != NULL, FALSE);

  for (guint attempt = 1; attempt <= MAX_ATTEMPTS; attempt++)
    {
      gboolean consistent;

      if (!bfk_rpc_client_get_block_number (follower->rpc, &head, error))
        return FALSE;
      synced = bfk_follower_get_sync (follower->store, BFK_FOLLOWER_SYNC_BLOCK,
                                      (gint64) follower->deploy_block - 1);
      if (!handle_reorg (follower, &synced, head, &r, error)
          || !catch_up (follower, &synced, head, &r, &consistent, cancellable, error))
        return FALSE;
      if (consistent)
        break;
      g_debug ("The chain changed while blocks after %" G_GINT64_FORMAT " were read; again",
               synced);
    }

  r.head = head;
  r.synced = synced > 0 ? (guint64) synced : 0;
  r.lag = head > r.synced ? head - r.synced : 0;
  if (report != NULL)
    *report = r;
  return TRUE;
}
