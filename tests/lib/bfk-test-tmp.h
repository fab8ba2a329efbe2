/* bfk-test-tmp.h: throw-away directories and stores for the tests.
 *
 * Header-only, so that the unit tests, which link no test library, share it
 * with the integration tests (they include it as "../lib/bfk-test-tmp.h"). */
#pragma once

#include "bfk-store.h"

#include <glib/gstdio.h>

/* A new directory from a g_dir_make_tmp template; the test fails without. */
static inline gchar *
bfk_test_make_tmp_dir (const gchar *tmpl)
{
  g_autoptr(GError) error = NULL;
  gchar *dir = g_dir_make_tmp (tmpl, &error);

  g_assert_no_error (error);
  return dir;
}

/* Removes dir and the files in it (the tests make no deeper trees);
 * TRUE when all of it went. */
static inline gboolean
bfk_test_remove_dir (const gchar *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const gchar *name;
  gboolean ok = TRUE;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree gchar *path = g_build_filename (dir, name, NULL);

      ok = g_remove (path) == 0 && ok;
    }
  return g_rmdir (dir) == 0 && ok;
}

/* A new store, <new temporary directory>/bafoka.db; *dir and *path are
 * the caller's, for bfk_test_store_destroy. */
static inline BfkStore *
bfk_test_store_new (const gchar  *tmpl,
                    gchar       **dir,
                    gchar       **path)
{
  g_autoptr(GError) error = NULL;
  BfkStore *store;

  *dir = bfk_test_make_tmp_dir (tmpl);
  *path = g_build_filename (*dir, "bafoka.db", NULL);
  store = bfk_store_open (*path, FALSE, &error);
  g_assert_no_error (error);
  return store;
}

/* Closes store (which may be NULL), removes its directory with the WAL
 * files, and frees dir and path. */
static inline void
bfk_test_store_destroy (BfkStore *store,
                        gchar    *dir,
                        gchar    *path)
{
  if (store != NULL)
    bfk_store_close (store);
  bfk_test_remove_dir (dir);
  g_free (path);
  g_free (dir);
}

/* The one integer sql returns; text, when not NULL, is bound to ?1. */
static inline gint64
bfk_test_query_int (BfkStore    *store,
                    const gchar *sql,
                    const gchar *text)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store, sql, NULL);
  gint64 v;

  g_assert_nonnull (stmt);
  if (text != NULL)
    sqlite3_bind_text (stmt, 1, text, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  v = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return v;
}
