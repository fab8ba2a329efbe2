/* bfk-chain-rows.c: the communities and backers tables, read. */
#include "bfk-chain-rows.h"
#include "bfk-store-rows.h"

void
bfk_community_row_free (BfkCommunityRow *row)
{
  if (!row)
    return;
  g_free (row->name);
  g_free (row->currency);
  g_free (row->symbol);
  g_free (row);
}

static gpointer
community_row (sqlite3_stmt *stmt)
{
  BfkCommunityRow *row = g_new0 (BfkCommunityRow, 1);

  row->id = (guint64) sqlite3_column_int64 (stmt, 0);
  row->name = bfk_store_column_dup (stmt, 1);
  row->currency = bfk_store_column_dup (stmt, 2);
  row->symbol = bfk_store_column_dup (stmt, 3);
  row->members = sqlite3_column_int64 (stmt, 4);
  row->supply = sqlite3_column_int64 (stmt, 5);
  row->exchanges = sqlite3_column_int64 (stmt, 6);
  row->volume = sqlite3_column_int64 (stmt, 7);
  return row;
}

GPtrArray *
bfk_chain_rows_communities (BfkStore  *store,
                            GError   **error)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store,
                                          "SELECT id, name, currency_name, currency_symbol, members, supply,"
                                          " exchanges, volume FROM communities ORDER BY id", error);

  if (!stmt)
    return NULL;
  return bfk_store_rows (store, stmt, community_row, (GDestroyNotify) bfk_community_row_free, error);
}

const BfkCommunityRow *
bfk_chain_rows_find_community (GPtrArray *rows,
                               guint64    id)
{
  for (guint i = 0; rows && i < rows->len; i++)
    {
      const BfkCommunityRow *row = rows->pdata[i];

      if (row->id == id)
        return row;
    }
  return NULL;
}

GArray *
bfk_chain_rows_backers (BfkStore  *store,
                        GError   **error)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store,
                                          "SELECT address, community_id, weekly_cap, active FROM backers"
                                          " ORDER BY community_id, address", error);
  g_autoptr(GArray) out = NULL;
  int rc;

  if (!stmt)
    return NULL;
  out = g_array_new (FALSE, TRUE, sizeof (BfkBackerRow));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BfkBackerRow row = { 0 };

      if (!bfk_address_parse ((const gchar *) sqlite3_column_text (stmt, 0), &row.address, NULL))
        continue;
      bfk_address_to_string_buf (&row.address, row.text);
      row.community_id = (guint64) sqlite3_column_int64 (stmt, 1);
      row.weekly_cap = sqlite3_column_int64 (stmt, 2);
      row.active = sqlite3_column_int (stmt, 3) != 0;
      g_array_append_val (out, row);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      bfk_store_set_error (store, error, "Reading the backers");
      return NULL;
    }
  return g_steal_pointer (&out);
}

GHashTable *
bfk_chain_rows_remaining_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

void
bfk_chain_rows_add_remaining (GHashTable *remaining,
                              GArray     *infos)
{
  for (guint i = 0; i < infos->len; i++)
    {
      const BfkBackerInfo *info = &g_array_index (infos, BfkBackerInfo, i);
      gint64 left = (gint64) bfk_u256_to_u64 (info->remaining);
      gchar text[BFK_ADDRESS_STRING_SIZE];

      bfk_address_to_string_buf (&info->address, text);
      g_hash_table_insert (remaining, g_strdup (text), g_memdup2 (&left, sizeof left));
    }
}
