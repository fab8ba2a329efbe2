/* bfk-store.c */
#include "bfk-store.h"
#include "bfk-store-schema.h"

G_DEFINE_QUARK (bfk-store-error-quark, bfk_store_error)

struct _BfkStore
{
  sqlite3    *db;
  gchar      *path;
  GHashTable *statements;   /* SQL text → sqlite3_stmt */
  gboolean    read_only;
};

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

void
bfk_store_set_error (BfkStore     *store,
                     GError      **error,
                     const gchar  *doing)
{
  int code = sqlite3_extended_errcode (store->db);
  BfkStoreError ours = BFK_STORE_ERROR_QUERY;

  if ((code & 0xff) == SQLITE_CONSTRAINT)
    ours = BFK_STORE_ERROR_CONSTRAINT;
  else if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED)
    ours = BFK_STORE_ERROR_BUSY;
  g_set_error (error, BFK_STORE_ERROR, ours, "Database %s: %s while %s",
               store->path, sqlite3_errmsg (store->db), doing);
}

gboolean
bfk_store_exec (BfkStore     *store,
                const gchar  *sql,
                GError      **error)
{
  if (sqlite3_exec (store->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    {
      bfk_store_set_error (store, error, "running SQL");
      return FALSE;
    }
  return TRUE;
}

sqlite3_stmt *
bfk_store_prepare (BfkStore     *store,
                   const gchar  *sql,
                   GError      **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (store->statements, sql);

  if (stmt)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }
  if (sqlite3_prepare_v3 (store->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      bfk_store_set_error (store, error, "preparing a statement");
      return NULL;
    }
  /* Statements are keyed by their text, which callers pass as literals. */
  g_hash_table_insert (store->statements, (gpointer) sql, stmt);
  return stmt;
}

gboolean
bfk_store_step_done (BfkStore      *store,
                     sqlite3_stmt  *stmt,
                     GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      bfk_store_set_error (store, error, "writing");
      return FALSE;
    }
  return TRUE;
}

/* A cached statement left on a row keeps its read transaction, and so an
 * old snapshot of the database, open after a COMMIT: the connection's next
 * BEGIN IMMEDIATE then fails at once with "database is locked" as soon as
 * another connection has written, whatever the busy timeout.  Transaction
 * boundaries reset every statement, so no reader can hold one open. */
static void
reset_statements (BfkStore *store)
{
  GHashTableIter iter;
  gpointer stmt;

  /* Only ours: SQLite's own statements (FTS5 keeps some on the connection
   * for its index) are its business, and resetting them mid-transaction
   * ends that transaction. */
  g_hash_table_iter_init (&iter, store->statements);
  while (g_hash_table_iter_next (&iter, NULL, &stmt))
    if (sqlite3_stmt_busy (stmt))
      sqlite3_reset (stmt);
}

gboolean
bfk_store_begin (BfkStore  *store,
                 GError   **error)
{
  reset_statements (store);
  return bfk_store_exec (store, "BEGIN IMMEDIATE", error);
}

gboolean
bfk_store_commit (BfkStore  *store,
                  GError   **error)
{
  reset_statements (store);
  return bfk_store_exec (store, "COMMIT", error);
}

void
bfk_store_rollback (BfkStore *store)
{
  if (!sqlite3_get_autocommit (store->db))
    sqlite3_exec (store->db, "ROLLBACK", NULL, NULL, NULL);
}

gint
bfk_store_schema_version (BfkStore *store)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store, "PRAGMA user_version", NULL);
  gint v = -1;

  if (stmt && sqlite3_step (stmt) == SQLITE_ROW)
    v = sqlite3_column_int (stmt, 0);
  if (stmt)
    sqlite3_reset (stmt);
  return v;
}

gint
bfk_store_latest_version (void)
{
  return (gint) bfk_store_n_migrations ();
}

/* Each migration, with the version bump, in one transaction: a crash in
 * the middle leaves the previous version whole. */
static gboolean
migrate (BfkStore  *store,
         GError   **error)
{
  gint current = bfk_store_schema_version (store);
  gint latest = bfk_store_latest_version ();

  if (current > latest)
    {
      g_set_error (error, BFK_STORE_ERROR, BFK_STORE_ERROR_SCHEMA,
                   "The database %s has schema version %d, newer than this program's %d: "
                   "use a newer Bafoka", store->path, current, latest);
      return FALSE;
    }
  for (gint v = current + 1; v <= latest; v++)
    {
      g_autofree gchar *bump = g_strdup_printf ("PRAGMA user_version = %d", v);
      g_autoptr(GError) local = NULL;

      if (!bfk_store_begin (store, error))
        return FALSE;
      if (!bfk_store_exec (store, bfk_store_migration (v), &local)
          || !bfk_store_exec (store, bump, &local)
          || !bfk_store_commit (store, &local))
        {
          bfk_store_rollback (store);
          g_set_error (error, BFK_STORE_ERROR, BFK_STORE_ERROR_SCHEMA,
                       "Migration %d of %s failed: %s", v, store->path, local->message);
          return FALSE;
        }
    }
  return TRUE;
}

BfkStore *
bfk_store_open (const gchar  *path,
                gboolean      read_only,
                GError      **error)
{
  g_autoptr(BfkStore) store = g_new0 (BfkStore, 1);
  int flags = read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;

  store->path = g_strdup (path);
  store->read_only = read_only;
  store->statements = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                             finalize_statement);

  if (sqlite3_open_v2 (path, &store->db, flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
    {
      g_set_error (error, BFK_STORE_ERROR, BFK_STORE_ERROR_OPEN, "Cannot open the database %s: %s",
                   path, store->db ? sqlite3_errmsg (store->db) : "out of memory");
      return NULL;
    }
  sqlite3_busy_timeout (store->db, 5000);
  sqlite3_extended_result_codes (store->db, 1);

  if (!bfk_store_exec (store, "PRAGMA foreign_keys = ON", error))
    return NULL;
  if (!read_only
      && (!bfk_store_exec (store, "PRAGMA journal_mode = WAL", error)
          || !bfk_store_exec (store, "PRAGMA synchronous = FULL", error)
          || !migrate (store, error)))
    return NULL;
  if (read_only && bfk_store_schema_version (store) < 0)
    {
      g_set_error (error, BFK_STORE_ERROR, BFK_STORE_ERROR_OPEN, "%s is not a Bafoka database", path);
      return NULL;
    }
  return g_steal_pointer (&store);
}

void
bfk_store_close (BfkStore *store)
{
  if (!store)
    return;
  g_clear_pointer (&store->statements, g_hash_table_unref);
  if (store->db)
    sqlite3_close (store->db);
  g_free (store->path);
  g_free (store);
}

sqlite3 *
bfk_store_get_db (BfkStore *store)
{
  return store->db;
}

const gchar *
bfk_store_get_path (BfkStore *store)
{
  return store->path;
}

gchar *
bfk_store_get_meta (BfkStore    *store,
                    const gchar *key)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store, "SELECT value FROM meta WHERE key = ?", NULL);
  gchar *value = NULL;

  if (!stmt)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const gchar *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return value;
}

gboolean
bfk_store_set_meta (BfkStore     *store,
                    const gchar  *key,
                    const gchar  *value,
                    GError      **error)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store,
                                          "INSERT INTO meta (key, value) VALUES (?, ?) "
                                          "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                                          error);

  if (!stmt)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
  return bfk_store_step_done (store, stmt, error);
}

gint64
bfk_store_now (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}
