/* bfk-directory.c: members joined with their accounts and communities. */
#include "bfk-directory.h"

#include <string.h>

#include "bfk-address.h"
#include "bfk-csv.h"
#include "bfk-members.h"

/* Accounts and communities come from the chain's events, so a member whose
 * registration is not mined yet has neither: LEFT JOINs, and zeroes. */
#define ROW_SELECT \
  "SELECT m.id, m.phone, m.name, m.community_id, c.name, c.currency_name, m.address," \
  "       a.address IS NOT NULL, coalesce (a.balance, 0), coalesce (a.escrow, 0)," \
  "       coalesce (a.reputation, 0), coalesce (a.ratings, 0), coalesce (a.exchanges, 0)," \
  "       m.language, m.created_at, coalesce (m.last_seen_at, 0)" \
  "  FROM members m" \
  "  LEFT JOIN accounts a ON a.address = m.address" \
  "  LEFT JOIN communities c ON c.id = m.community_id "

void
bfk_member_row_free (BfkMemberRow *row)
{
  if (!row)
    return;
  g_free (row->phone);
  g_free (row->name);
  g_free (row->community);
  g_free (row->currency);
  g_free (row->address);
  g_free (row->language);
  g_free (row);
}

static gchar *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const gchar *) sqlite3_column_text (stmt, column));
}

static BfkMemberRow *
row_from_statement (sqlite3_stmt *stmt)
{
  BfkMemberRow *row = g_new0 (BfkMemberRow, 1);

  row->id = sqlite3_column_int64 (stmt, 0);
  row->phone = column_dup (stmt, 1);
  row->name = column_dup (stmt, 2);
  row->community_id = (guint64) sqlite3_column_int64 (stmt, 3);
  row->community = column_dup (stmt, 4);
  row->currency = column_dup (stmt, 5);
  row->address = column_dup (stmt, 6);
  row->on_chain = sqlite3_column_int (stmt, 7) != 0;
  row->balance = sqlite3_column_int64 (stmt, 8);
  row->escrow = sqlite3_column_int64 (stmt, 9);
  row->reputation = sqlite3_column_int64 (stmt, 10);
  row->ratings = sqlite3_column_int64 (stmt, 11);
  row->exchanges = sqlite3_column_int64 (stmt, 12);
  row->language = column_dup (stmt, 13);
  row->created_at = sqlite3_column_int64 (stmt, 14);
  row->last_seen_at = sqlite3_column_int64 (stmt, 15);
  return row;
}

GPtrArray *
bfk_directory_list (BfkStore  *store,
                    guint64    community_id,
                    guint      limit,
                    guint      offset,
                    GError   **error)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store, ROW_SELECT
                                          " WHERE ?1 = 0 OR m.community_id = ?1"
                                          " ORDER BY m.name COLLATE NOCASE, m.id LIMIT ?2 OFFSET ?3",
                                          error);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) bfk_member_row_free);
  int rc;

  if (!stmt)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) community_id);
  sqlite3_bind_int64 (stmt, 2, limit ? (sqlite3_int64) limit : -1);
  sqlite3_bind_int64 (stmt, 3, offset);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, row_from_statement (stmt));
  if (rc != SQLITE_DONE)
    bfk_store_set_error (store, error, "listing members");
  /* A cached statement left unreset holds its read transaction open. */
  sqlite3_reset (stmt);
  return rc == SQLITE_DONE ? g_steal_pointer (&rows) : NULL;
}

static BfkMemberRow *
row_by_id (BfkStore  *store,
           gint64     id,
           GError   **error)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store, ROW_SELECT " WHERE m.id = ?", error);
  BfkMemberRow *row = NULL;
  int rc;

  if (!stmt)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    row = row_from_statement (stmt);
  else if (rc == SQLITE_DONE)
    g_set_error (error, BFK_MEMBER_ERROR, BFK_MEMBER_ERROR_NOT_FOUND,
                 "No member has the id %" G_GINT64_FORMAT, id);
  else
    bfk_store_set_error (store, error, "reading a member");
  sqlite3_reset (stmt);
  return row;
}

/* What the text looks like decides where to look: a person typing "Marie"
 * means the name, "0x" and 40 more characters an address, anything that
 * reads as a number with its country code a number. */
BfkMemberRow *
bfk_directory_lookup (BfkStore     *store,
                      const gchar  *query,
                      GError      **error)
{
  g_autofree gchar *trimmed = g_strstrip (g_strdup (query));
  g_autoptr(BfkMember) member = NULL;
  g_autofree gchar *e164 = NULL;
  g_autoptr(GError) local = NULL;
  BfkAddress address;

  /* An address with a typo is refused as an address (the parser says
   * what is wrong with it), not looked up as a 42-letter name. */
  if (g_ascii_strncasecmp (trimmed, "0x", 2) == 0 && strlen (trimmed) == 42)
    {
      if (!bfk_address_parse (trimmed, &address, error))
        return NULL;
      member = bfk_members_find_by_address (store, &address, error);
    }
  else if ((e164 = bfk_phone_normalize (trimmed, NULL)))
    member = bfk_members_find_by_phone (store, e164, error);
  else if (!(member = bfk_members_find_by_name (store, trimmed, 0, &local)))
    {
      /* Nobody can be called that: say what would have been understood,
       * rather than how user names are made. */
      if (g_error_matches (local, BFK_MEMBER_ERROR, BFK_MEMBER_ERROR_INVALID_NAME))
        g_set_error (error, BFK_MEMBER_ERROR, BFK_MEMBER_ERROR_NOT_FOUND,
                     "No member matches “%s”: give a phone number with its country code "
                     "(+237 6 99 00 11 22), an address (0x…) or a user name", trimmed);
      else
        g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  return member ? row_by_id (store, member->id, error) : NULL;
}

static gboolean
write_text (GOutputStream  *out,
            GString        *text,
            GError        **error)
{
  gboolean ok = g_output_stream_write_all (out, text->str, text->len, NULL, NULL, error);

  g_string_truncate (text, 0);
  return ok;
}

/* Runs stmt and writes a CSV row per result, each column as SQLite's text
 * of it, in blocks so that a million rows never sit in memory. */
static gboolean
export_rows (BfkStore            *store,
             sqlite3_stmt        *stmt,
             const gchar * const *header,
             GOutputStream       *out,
             const gchar         *doing,
             GError             **error)
{
  g_autoptr(GString) text = g_string_new (NULL);
  guint n = g_strv_length ((GStrv) header);
  const gchar **fields = g_newa (const gchar *, n);
  int rc;

  bfk_csv_append_row (text, header, n);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      for (guint i = 0; i < n; i++)
        fields[i] = (const gchar *) sqlite3_column_text (stmt, (int) i);
      bfk_csv_append_row (text, fields, n);
      if (text->len > 64 * 1024 && !write_text (out, text, error))
        {
          sqlite3_reset (stmt);
          return FALSE;
        }
    }
  if (rc != SQLITE_DONE)
    bfk_store_set_error (store, error, doing);
  sqlite3_reset (stmt);
  return rc == SQLITE_DONE && write_text (out, text, error);
}

gboolean
bfk_directory_export_members (BfkStore      *store,
                              GOutputStream *out,
                              GError       **error)
{
  static const gchar * const header[] = {
    "id", "phone", "name", "community", "community_name", "address", "on_chain", "balance",
    "escrow", "reputation", "ratings", "exchanges", "language", "joined", "last_seen", NULL
  };
  sqlite3_stmt *stmt = bfk_store_prepare (store,
      "SELECT m.id, m.phone, m.name, m.community_id, c.name, m.address,"
      "       CASE WHEN a.address IS NULL THEN 'no' ELSE 'yes' END,"
      "       coalesce (a.balance, 0), coalesce (a.escrow, 0), coalesce (a.reputation, 0),"
      "       coalesce (a.ratings, 0), coalesce (a.exchanges, 0), m.language,"
      "       strftime ('%Y-%m-%dT%H:%M:%SZ', m.created_at, 'unixepoch'),"
      "       strftime ('%Y-%m-%dT%H:%M:%SZ', m.last_seen_at, 'unixepoch')"
      "  FROM members m"
      "  LEFT JOIN accounts a ON a.address = m.address"
      "  LEFT JOIN communities c ON c.id = m.community_id"
      " ORDER BY m.id", error);

  return stmt && export_rows (store, stmt, header, out, "exporting members", error);
}

gboolean
bfk_directory_export_operations (BfkStore      *store,
                                 GOutputStream *out,
                                 GError       **error)
{
  static const gchar * const header[] = {
    "id", "created", "kind", "state", "summary", "member_id", "community", "exchange",
    "amount", "signer", "nonce", "tx_hash", "block", "attempts", "gas_used", "fee_paid_wei",
    "failure", "reason", "confirmed", NULL
  };
  sqlite3_stmt *stmt = bfk_store_prepare (store,
      "SELECT id, strftime ('%Y-%m-%dT%H:%M:%SZ', created_at, 'unixepoch'), kind, state, summary,"
      "       member_id, community_id, exchange_id, amount, signer, nonce, tx_hash, block_number,"
      "       attempts, gas_used, fee_paid, failure_class, reason,"
      "       strftime ('%Y-%m-%dT%H:%M:%SZ', confirmed_at, 'unixepoch')"
      "  FROM operations ORDER BY id", error);

  return stmt && export_rows (store, stmt, header, out, "exporting operations", error);
}

GArray *
bfk_directory_member_operations (BfkStore  *store,
                                 gint64     member_id,
                                 guint      limit,
                                 GError   **error)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store,
      "SELECT id FROM operations WHERE member_id = ? ORDER BY id DESC LIMIT ?", error);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  int rc;

  if (!stmt)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, member_id);
  sqlite3_bind_int64 (stmt, 2, limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      bfk_store_set_error (store, error, "listing a member's operations");
      return NULL;
    }
  return g_steal_pointer (&ids);
}
