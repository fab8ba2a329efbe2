/* bfk-store.h: the SQLite database of a data dir.
 *
 * One writer connection, owned by the backend thread (or by bafokactl when no
 * backend runs); readers open their own read-only connections.  WAL mode with
 * synchronous=FULL: a commit is on disk before it returns, which the outbox's
 * crash safety depends on.  The schema is a list of numbered migrations
 * (bfk-store-schema.c), each run in one transaction.
 *
 * Each module keeps the SQL of its own tables (the outbox, the follower, the
 * members) and prepares it through bfk_store_prepare, which caches the
 * statement for the life of the connection.
 */
#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

#define BFK_STORE_ERROR (bfk_store_error_quark ())

typedef enum
{
  BFK_STORE_ERROR_OPEN,        /* the file cannot be opened or is not a database */
  BFK_STORE_ERROR_SCHEMA,      /* a migration failed, or the schema is newer than us */
  BFK_STORE_ERROR_QUERY,       /* a statement failed */
  BFK_STORE_ERROR_CONSTRAINT,  /* a UNIQUE, CHECK or FOREIGN KEY constraint */
  BFK_STORE_ERROR_BUSY,        /* another process holds the write lock too long */
  BFK_STORE_ERROR_NOT_FOUND,
} BfkStoreError;

typedef struct _BfkStore BfkStore;

/* Opens (creating when needed) and migrates.  read_only opens an existing
 * database without migrating. */
BfkStore     *bfk_store_open            (const gchar   *path,
                                         gboolean       read_only,
                                         GError       **error);
void          bfk_store_close           (BfkStore      *store);
sqlite3      *bfk_store_get_db          (BfkStore      *store);
const gchar  *bfk_store_get_path        (BfkStore      *store);
gint          bfk_store_schema_version  (BfkStore      *store);
/* The schema version this code writes. */
gint          bfk_store_latest_version  (void);

/* A cached prepared statement, reset and with its bindings cleared.  The
 * store owns it: do not finalize it. */
sqlite3_stmt *bfk_store_prepare         (BfkStore      *store,
                                         const gchar   *sql,
                                         GError       **error);
/* Runs one or more statements without results. */
gboolean      bfk_store_exec            (BfkStore      *store,
                                         const gchar   *sql,
                                         GError       **error);
/* Steps a prepared statement to completion (no rows expected). */
gboolean      bfk_store_step_done       (BfkStore      *store,
                                         sqlite3_stmt  *stmt,
                                         GError       **error);
/* Sets error from the connection's last failure, with what was being done. */
void          bfk_store_set_error       (BfkStore      *store,
                                         GError       **error,
                                         const gchar   *doing);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK.  Transactions do not nest. */
gboolean      bfk_store_begin           (BfkStore      *store,
                                         GError       **error);
gboolean      bfk_store_commit          (BfkStore      *store,
                                         GError       **error);
void          bfk_store_rollback        (BfkStore      *store);

/* The meta table: small named values (chain id, contract, deploy block). */
gchar        *bfk_store_get_meta        (BfkStore      *store,
                                         const gchar   *key);
gboolean      bfk_store_set_meta        (BfkStore      *store,
                                         const gchar   *key,
                                         const gchar   *value,
                                         GError       **error);

/* Seconds since the epoch, as every timestamp column holds. */
gint64        bfk_store_now             (void);

GQuark        bfk_store_error_quark     (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BfkStore, bfk_store_close)

G_END_DECLS
