/* bfk-audit.c */
#include "bfk-audit.h"

#include "bfk-store-rows.h"

void
bfk_audit_entry_free (BfkAuditEntry *entry)
{
  if (!entry)
    return;
  g_free (entry->actor_address);
  g_free (entry->os_user);
  g_free (entry->source);
  g_free (entry->action);
  g_free (entry->subject);
  g_free (entry->detail);
  g_free (entry->result);
  g_free (entry);
}

static gpointer
entry_from_row (sqlite3_stmt *stmt)
{
  BfkAuditEntry *e = g_new0 (BfkAuditEntry, 1);

  e->id = sqlite3_column_int64 (stmt, 0);
  e->at = sqlite3_column_int64 (stmt, 1);
  e->actor_address = bfk_store_column_dup (stmt, 2);
  e->os_user = bfk_store_column_dup (stmt, 3);
  e->source = bfk_store_column_dup (stmt, 4);
  e->action = bfk_store_column_dup (stmt, 5);
  e->subject = bfk_store_column_dup (stmt, 6);
  e->detail = bfk_store_column_dup (stmt, 7);
  e->result = bfk_store_column_dup (stmt, 8);
  return e;
}

gint64
bfk_audit_record (BfkStore             *store,
                  const BfkAuditEntry  *entry,
                  GError              **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (store != NULL && entry != NULL, 0);

  /* The schema's NOT NULL and CHECK constraints refuse a bad source, and
   * an entry without action or result. */
  stmt = bfk_store_prepare (store,
                            "INSERT INTO audit (at, actor_address, os_user, source, action, subject, "
                            "detail, result) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (!stmt)
    return 0;
  sqlite3_bind_int64 (stmt, 1, entry->at ? entry->at : bfk_store_now ());
  bfk_store_bind_text (stmt, 2, entry->actor_address);
  bfk_store_bind_text (stmt, 3, entry->os_user ? entry->os_user : g_get_user_name ());
  bfk_store_bind_text (stmt, 4, entry->source);
  bfk_store_bind_text (stmt, 5, entry->action);
  bfk_store_bind_text (stmt, 6, entry->subject);
  bfk_store_bind_text (stmt, 7, entry->detail);
  bfk_store_bind_text (stmt, 8, entry->result);
  if (bfk_store_step_changes (store, stmt, error) < 0)
    return 0;
  return sqlite3_last_insert_rowid (bfk_store_get_db (store));
}

GPtrArray *
bfk_audit_list (BfkStore     *store,
                const gchar  *action,
                const gchar  *actor,
                gint64        since,
                guint         limit,
                guint         offset,
                GError      **error)
{
  /* Newest by time; the id breaks ties, and orders what one second saw. */
  sqlite3_stmt *stmt = bfk_store_prepare (store,
                                          "SELECT id, at, actor_address, os_user, source, action, "
                                          "subject, detail, result FROM audit "
                                          "WHERE (?1 IS NULL OR action = ?1) "
                                          "AND (?2 IS NULL OR actor_address = ?2 COLLATE NOCASE) "
                                          "AND at >= ?3 "
                                          "ORDER BY at DESC, id DESC LIMIT ?4 OFFSET ?5", error);

  if (!stmt)
    return NULL;
  bfk_store_bind_text (stmt, 1, action);
  bfk_store_bind_text (stmt, 2, actor);
  sqlite3_bind_int64 (stmt, 3, since);
  /* SQLite reads a negative LIMIT as none. */
  sqlite3_bind_int64 (stmt, 4, limit ? (gint64) limit : -1);
  sqlite3_bind_int64 (stmt, 5, offset);
  return bfk_store_rows (store, stmt, entry_from_row, (GDestroyNotify) bfk_audit_entry_free, error);
}
