/* bfk-store-rows.h: reading a prepared statement's rows into structs, and
 * the small binding and column conversions the tables of the WhatsApp
 * side share (an id of 0 is SQL NULL, text may be NULL).
 *
 * Each table's file keeps its SQL and a row function that builds its
 * struct from the current row; these step the statement, reset it, and
 * turn SQLite's failures into the store's errors.
 */
#pragma once

#include "bfk-store.h"

G_BEGIN_DECLS

/* Builds a new struct from the statement's current row. */
typedef gpointer (*BfkStoreRowFunc) (sqlite3_stmt *stmt);

/* Every row of a bound statement, in its order; NULL on error. */
GPtrArray    *bfk_store_rows             (BfkStore         *store,
                                          sqlite3_stmt     *stmt,
                                          BfkStoreRowFunc   row,
                                          GDestroyNotify    free_row,
                                          GError          **error);
/* The first row of a bound statement; with no row, NULL and the error
 * given by domain, code and format. */
gpointer      bfk_store_row              (BfkStore         *store,
                                          sqlite3_stmt     *stmt,
                                          BfkStoreRowFunc   row,
                                          GError          **error,
                                          GQuark            domain,
                                          gint              code,
                                          const gchar      *format,
                                          ...) G_GNUC_PRINTF (7, 8);
/* Steps a bound write to completion: the number of rows it changed, or
 * -1 on error. */
gint64        bfk_store_step_changes     (BfkStore         *store,
                                          sqlite3_stmt     *stmt,
                                          GError          **error);

/* 0 binds NULL: the ids of optional references. */
void          bfk_store_bind_id          (sqlite3_stmt     *stmt,
                                          int               index,
                                          gint64            id);
/* NULL binds NULL; the text is copied. */
void          bfk_store_bind_text        (sqlite3_stmt     *stmt,
                                          int               index,
                                          const gchar      *text);
/* A copy of a text column, NULL for SQL NULL. */
gchar        *bfk_store_column_dup       (sqlite3_stmt     *stmt,
                                          int               column);

/* The index of text in names, a table of n_names enum names; -1 when it
 * is not there. */
gint          bfk_store_name_index       (const gchar *const *names,
                                          guint               n_names,
                                          const gchar        *text);

/* "%text%" for LIKE … ESCAPE '\', with text's own % _ and \ escaped. */
gchar        *bfk_store_like_pattern     (const gchar      *text);

G_END_DECLS
