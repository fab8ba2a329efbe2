/* bfk-store-rows.c */
#include "bfk-store-rows.h"

GPtrArray *
bfk_store_rows (BfkStore         *store,
                sqlite3_stmt     *stmt,
                BfkStoreRowFunc   row,
                GDestroyNotify    free_row,
                GError          **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (free_row);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      bfk_store_set_error (store, error, "reading");
      return NULL;
    }
  return g_steal_pointer (&rows);
}

gpointer
bfk_store_row (BfkStore         *store,
               sqlite3_stmt     *stmt,
               BfkStoreRowFunc   row,
               GError          **error,
               GQuark            domain,
               gint              code,
               const gchar      *format,
               ...)
{
  int rc = sqlite3_step (stmt);
  gpointer result = NULL;

  if (rc == SQLITE_ROW)
    result = row (stmt);
  else if (rc != SQLITE_DONE)
    bfk_store_set_error (store, error, "reading");
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE && error != NULL)
    {
      va_list args;

      va_start (args, format);
      g_propagate_error (error, g_error_new_valist (domain, code, format, args));
      va_end (args);
    }
  return result;
}

gint64
bfk_store_step_changes (BfkStore      *store,
                        sqlite3_stmt  *stmt,
                        GError       **error)
{
  if (!bfk_store_step_done (store, stmt, error))
    return -1;
  return sqlite3_changes64 (bfk_store_get_db (store));
}

void
bfk_store_bind_id (sqlite3_stmt *stmt,
                   int           index,
                   gint64        id)
{
  if (id != 0)
    sqlite3_bind_int64 (stmt, index, id);
  else
    sqlite3_bind_null (stmt, index);
}

void
bfk_store_bind_text (sqlite3_stmt *stmt,
                     int           index,
                     const gchar  *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

gint
bfk_store_name_index (const gchar *const *names,
                      guint               n_names,
                      const gchar        *text)
{
  for (guint i = 0; i < n_names; i++)
    if (g_strcmp0 (text, names[i]) == 0)
      return (gint) i;
  return -1;
}

gchar *
bfk_store_column_dup (sqlite3_stmt *stmt,
                      int           column)
{
  return g_strdup ((const gchar *) sqlite3_column_text (stmt, column));
}

gchar *
bfk_store_like_pattern (const gchar *text)
{
  GString *s = g_string_new ("%");

  for (const gchar *p = text; *p; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (s, '\\');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '%');
  return g_string_free (s, FALSE);
}
