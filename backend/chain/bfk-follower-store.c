/* bfk-follower-store.c: the follower's own records: the hashes of the blocks
 * it read (to notice a reorganisation), its progress, and the confirmation
 * of events.
 *
 * Which blocks are kept: every block holding an event (a rollback must be
 * able to stop just above any of them), the last BFK_FOLLOWER_KEEP_BLOCKS
 * below the head, and the last block of each chunk (the point the next step
 * checks first).  A block known only from a log has an empty parent hash.
 */
#include "bfk-follower-private.h"

#include <string.h>

#include "bfk-hex.h"

gint64
bfk_follower_get_sync (BfkStore    *store,
                       const gchar *key,
                       gint64       fallback)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store, "SELECT value FROM sync WHERE key = ?", NULL);
  gint64 value = fallback;

  if (stmt == NULL)
    return fallback;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return value;
}

gboolean
bfk_follower_set_sync (BfkStore     *store,
                       const gchar  *key,
                       gint64        value,
                       GError      **error)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store,
      "INSERT INTO sync (key, value) VALUES (?, ?)"
      " ON CONFLICT (key) DO UPDATE SET value = excluded.value", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, value);
  return bfk_store_step_done (store, stmt, error);
}

gboolean
bfk_follower_put_block (BfkStore      *store,
                        guint64        number,
                        const guint8   hash[32],
                        const guint8  *parent_hash,
                        GError       **error)
{
  /* A header replaces what a log said; a log never replaces a header. */
  sqlite3_stmt *stmt = bfk_store_prepare (store, parent_hash != NULL
      ? "INSERT OR REPLACE INTO blocks (number, hash, parent_hash) VALUES (?, ?, ?)"
      : "INSERT OR IGNORE INTO blocks (number, hash, parent_hash) VALUES (?, ?, ?)", error);
  g_autofree gchar *hash_hex = NULL;
  g_autofree gchar *parent_hex = NULL;

  if (stmt == NULL)
    return FALSE;
  hash_hex = bfk_hex_encode (hash, 32);
  parent_hex = parent_hash != NULL ? bfk_hex_encode (parent_hash, 32) : g_strdup ("");
  sqlite3_bind_int64 (stmt, 1, (gint64) number);
  sqlite3_bind_text (stmt, 2, hash_hex, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, parent_hex, -1, SQLITE_STATIC);
  return bfk_store_step_done (store, stmt, error);
}

GArray *
bfk_follower_recorded_blocks (BfkStore  *store,
                              guint64    at_most,
                              guint      limit,
                              GError   **error)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store,
      "SELECT number, hash FROM blocks WHERE number <= ? ORDER BY number DESC LIMIT ?", error);
  g_autoptr(GArray) blocks = g_array_new (FALSE, FALSE, sizeof (BfkFollowerBlock));
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, (gint64) MIN (at_most, (guint64) G_MAXINT64));
  sqlite3_bind_int (stmt, 2, (int) limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BfkFollowerBlock b = { .number = (guint64) sqlite3_column_int64 (stmt, 0) };
      const gchar *hex = (const gchar *) sqlite3_column_text (stmt, 1);

      /* A hash we wrote ourselves; if it were damaged, the mismatch would
       * only make the follower read that block again. */
      if (hex == NULL || !bfk_hex_decode_fixed (hex, b.hash, 32, NULL))
        memset (b.hash, 0, sizeof b.hash);
      g_array_append_val (blocks, b);
    }
  if (rc != SQLITE_DONE)
    {
      bfk_store_set_error (store, error, "reading recorded blocks");
      sqlite3_reset (stmt);
      return NULL;
    }
  sqlite3_reset (stmt);
  return g_steal_pointer (&blocks);
}

gboolean
bfk_follower_prune_blocks (BfkStore  *store,
                           guint64    from,
                           guint64    to,
                           GError   **error)
{
  sqlite3_stmt *stmt;

  if (from > to)
    return TRUE;
  stmt = bfk_store_prepare (store,
      "DELETE FROM blocks WHERE number BETWEEN ? AND ?"
      " AND NOT EXISTS (SELECT 1 FROM events WHERE events.block_number = blocks.number)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, (gint64) from);
  sqlite3_bind_int64 (stmt, 2, (gint64) MIN (to, (guint64) G_MAXINT64));
  return bfk_store_step_done (store, stmt, error);
}

/* The watermark saves scanning every stored event on each step: only the
 * blocks between the last confirmed one and up_to are looked at. */
gboolean
bfk_follower_confirm (BfkStore  *store,
                      gint64     up_to,
                      guint     *newly,
                      GError   **error)
{
  gint64 mark = bfk_follower_get_sync (store, BFK_FOLLOWER_SYNC_CONFIRMED, -1);
  sqlite3_stmt *stmt;

  *newly = 0;
  if (up_to <= mark)
    return TRUE;
  stmt = bfk_store_prepare (store,
      "UPDATE events SET confirmed = 1 WHERE block_number > ? AND block_number <= ?"
      " AND confirmed = 0", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, mark);
  sqlite3_bind_int64 (stmt, 2, up_to);
  if (!bfk_store_step_done (store, stmt, error))
    return FALSE;
  *newly = sqlite3_changes (bfk_store_get_db (store));
  return bfk_follower_set_sync (store, BFK_FOLLOWER_SYNC_CONFIRMED, up_to, error);
}

gboolean
bfk_follower_roll_back (BfkStore  *store,
                        guint64    from_block,
                        guint     *n_undone,
                        GError   **error)
{
  gint64 last = (gint64) from_block - 1;
  gint64 synced = bfk_follower_get_sync (store, BFK_FOLLOWER_SYNC_BLOCK, last);
  gint64 confirmed = bfk_follower_get_sync (store, BFK_FOLLOWER_SYNC_CONFIRMED, -1);
  sqlite3_stmt *stmt;

  if (!bfk_follower_undo_events (store, from_block, n_undone, error))
    return FALSE;
  stmt = bfk_store_prepare (store, "DELETE FROM blocks WHERE number >= ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, (gint64) from_block);
  return bfk_store_step_done (store, stmt, error)
         && bfk_follower_set_sync (store, BFK_FOLLOWER_SYNC_BLOCK, MIN (synced, last), error)
         && bfk_follower_set_sync (store, BFK_FOLLOWER_SYNC_CONFIRMED, MIN (confirmed, last), error);
}

gint64
bfk_follower_get_synced_block (BfkStore *store)
{
  return bfk_follower_get_sync (store, BFK_FOLLOWER_SYNC_BLOCK, -1);
}
