/* test-store.c: opening, migrating and the safety settings of the store. */
#include "bfk-members.h"
#include "bfk-store.h"
#include "bfk-store-schema.h"

#include <glib/gstdio.h>

static gchar *
temp_db (void)
{
  g_autofree gchar *dir = g_dir_make_tmp ("bafoka-store-XXXXXX", NULL);

  return g_build_filename (dir, "bafoka.db", NULL);
}

static gint
pragma_int (BfkStore    *store,
            const gchar *sql)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store, sql, NULL);
  gint v;

  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  v = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  return v;
}

static void
test_open_migrates (void)
{
  g_autofree gchar *path = temp_db ();
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkStore) store = bfk_store_open (path, FALSE, &error);
  g_autoptr(BfkStore) again = NULL;
  g_autoptr(BfkStore) reader = NULL;
  g_autofree gchar *value = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (bfk_store_schema_version (store), ==, bfk_store_latest_version ());
  g_assert_cmpint (bfk_store_latest_version (), >=, 1);
  /* Commits are on disk when they return: FULL (2) in WAL mode. */
  g_assert_cmpint (pragma_int (store, "PRAGMA synchronous"), ==, 2);
  g_assert_cmpint (pragma_int (store, "PRAGMA foreign_keys"), ==, 1);

  g_assert_true (bfk_store_set_meta (store, "chain_id", "31337", &error));
  value = bfk_store_get_meta (store, "chain_id");
  g_assert_cmpstr (value, ==, "31337");
  g_assert_null (bfk_store_get_meta (store, "nothing"));

  /* A second open finds the schema current, and changes nothing. */
  again = bfk_store_open (path, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (bfk_store_schema_version (again), ==, bfk_store_latest_version ());

  reader = bfk_store_open (path, TRUE, &error);
  g_assert_no_error (error);
  g_assert_false (bfk_store_set_meta (reader, "x", "y", &error));
  g_assert_nonnull (error);
}

static void
test_newer_schema_refused (void)
{
  g_autofree gchar *path = temp_db ();
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkStore) store = bfk_store_open (path, FALSE, &error);
  g_autoptr(BfkStore) newer = NULL;
  g_autofree gchar *bump = g_strdup_printf ("PRAGMA user_version = %d", bfk_store_latest_version () + 1);

  g_assert_true (bfk_store_exec (store, bump, &error));
  newer = bfk_store_open (path, FALSE, &error);
  g_assert_null (newer);
  g_assert_error (error, BFK_STORE_ERROR, BFK_STORE_ERROR_SCHEMA);
}

static void
test_constraint_and_rollback (void)
{
  g_autofree gchar *path = temp_db ();
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkStore) store = bfk_store_open (path, FALSE, &error);
  const gchar *insert = "INSERT INTO members (phone, name, community_id, address, created_at) "
                        "VALUES (?, ?, 1, ?, 0)";
  sqlite3_stmt *stmt;

  g_assert_true (bfk_store_begin (store, &error));
  stmt = bfk_store_prepare (store, insert, &error);
  sqlite3_bind_text (stmt, 1, "+237600000001", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, "Marie", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, "0x01", -1, SQLITE_STATIC);
  g_assert_true (bfk_store_step_done (store, stmt, &error));
  g_assert_true (bfk_store_commit (store, &error));

  /* Names are unique in a community whatever their case. */
  g_assert_true (bfk_store_begin (store, &error));
  stmt = bfk_store_prepare (store, insert, &error);
  sqlite3_bind_text (stmt, 1, "+237600000002", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, "marie", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, "0x02", -1, SQLITE_STATIC);
  g_assert_false (bfk_store_step_done (store, stmt, &error));
  g_assert_error (error, BFK_STORE_ERROR, BFK_STORE_ERROR_CONSTRAINT);
  bfk_store_rollback (store);
  g_assert_cmpint (pragma_int (store, "SELECT count(*) FROM members"), ==, 1);
}

static void
test_not_a_database (void)
{
  g_autofree gchar *path = temp_db ();
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkStore) store = NULL;

  g_assert_true (g_file_set_contents (path, "this is not SQLite, just some text that is long enough", -1, NULL));
  store = bfk_store_open (path, FALSE, &error);
  g_assert_null (store);
  g_assert_nonnull (error);
}

/* Offer search (bfk-offers.h) is FTS5's: a libsqlite3 without it cannot
 * run migration 3.  Asked of the library itself, before any store. */
static void
test_fts5_available (void)
{
  sqlite3 *db = NULL;
  char *message = NULL;
  int rc;

  if (!sqlite3_compileoption_used ("ENABLE_FTS5"))
    g_error ("This libsqlite3 (%s) was built without FTS5, which the offer search needs: "
             "use one built with SQLITE_ENABLE_FTS5, as Debian's is", sqlite3_libversion ());
  g_assert_cmpint (sqlite3_open (":memory:", &db), ==, SQLITE_OK);
  rc = sqlite3_exec (db, "CREATE VIRTUAL TABLE t USING fts5 (x, tokenize = 'unicode61 remove_diacritics 2');"
                     "INSERT INTO t VALUES ('Électricité');", NULL, NULL, &message);
  if (rc != SQLITE_OK)
    g_error ("FTS5 with unicode61 remove_diacritics 2 fails in libsqlite3 %s: %s",
             sqlite3_libversion (), message);
  sqlite3_close (db);
}

/* A database written by the previous version (schema 2, members in it)
 * is migrated in place, and keeps its members. */
static void
test_migrates_v2 (void)
{
  g_autofree gchar *path = temp_db ();
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkStore) store = NULL;
  g_autoptr(BfkMember) marie = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, bfk_store_migration (1), NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, bfk_store_migration (2), NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 2;"
                                 "INSERT INTO members (phone, name, community_id, address, created_at) "
                                 "VALUES ('+237699001122', 'Marie', 1, "
                                 "'0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266', 1700000000)",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = bfk_store_open (path, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (bfk_store_schema_version (store), ==, bfk_store_latest_version ());
  g_assert_cmpint (bfk_store_latest_version (), >=, 3);
  marie = bfk_members_find_by_phone (store, "+237699001122", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (marie->name, ==, "Marie");
  g_assert_cmpint (marie->created_at, ==, 1700000000);
  /* The new columns have their defaults. */
  g_assert_cmpstr (marie->language, ==, "fr");
  g_assert_cmpint (marie->last_seen_at, ==, 0);
  g_assert_cmpint (pragma_int (store, "SELECT count(*) FROM members WHERE last_seen_at IS NULL"), ==, 1);
  /* and the new tables are there. */
  g_assert_cmpint (pragma_int (store, "SELECT count(*) FROM sqlite_schema WHERE name IN "
                                      "('conversations', 'messages', 'processed_sids', 'offers', "
                                      "'offers_fts', 'proposals')"), ==, 6);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store/open-migrates", test_open_migrates);
  g_test_add_func ("/store/newer-schema-refused", test_newer_schema_refused);
  g_test_add_func ("/store/constraint-and-rollback", test_constraint_and_rollback);
  g_test_add_func ("/store/not-a-database", test_not_a_database);
  g_test_add_func ("/store/fts5-available", test_fts5_available);
  g_test_add_func ("/store/migrates-v2", test_migrates_v2);
  return g_test_run ();
}
