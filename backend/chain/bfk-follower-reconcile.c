/* bfk-follower-reconcile.c: the derived balances against the contract's.
 *
 * getMember gives balance and escrow in one eth_call; the calls go in
 * JSON-RPC batches and ask for the state at the block the store is synced
 * to, so that blocks mined since then do not show up as differences.
 */
#include "bfk-follower-private.h"

#include "bfk-hex.h"

#define RECONCILE_BATCH 100

typedef struct
{
  gchar   address[BFK_ADDRESS_STRING_SIZE];
  gint64  balance;
  gint64  escrow;
} Figures;

static GArray *
read_accounts (BfkStore  *store,
               guint      sample,
               GError   **error)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store, sample > 0
      ? "SELECT address, balance, escrow FROM accounts ORDER BY random () LIMIT ?"
      : "SELECT address, balance, escrow FROM accounts LIMIT ?", error);
  g_autoptr(GArray) accounts = g_array_new (FALSE, FALSE, sizeof (Figures));
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, sample > 0 ? (gint64) sample : -1);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Figures a;

      g_strlcpy (a.address, (const gchar *) sqlite3_column_text (stmt, 0), sizeof a.address);
      a.balance = sqlite3_column_int64 (stmt, 1);
      a.escrow = sqlite3_column_int64 (stmt, 2);
      g_array_append_val (accounts, a);
    }
  if (rc != SQLITE_DONE)
    {
      bfk_store_set_error (store, error, "reading accounts to reconcile");
      sqlite3_reset (stmt);
      return NULL;
    }
  sqlite3_reset (stmt);
  return g_steal_pointer (&accounts);
}

static JsonNode *
get_member_params (const gchar *contract,
                   const gchar *account,
                   const gchar *block_tag,
                   GError     **error)
{
  BfkAddress address;
  g_autoptr(GBytes) data = NULL;
  g_autofree gchar *data_hex = NULL;
  JsonObject *call;
  JsonArray *array;
  JsonNode *node;

  if (!bfk_address_parse (account, &address, error))
    return NULL;
  data = bfk_contract_encode_view ("getMember",
                                   bfk_abi_value_new_tuple_of (bfk_abi_value_new_address (&address), NULL),
                                   error);
  if (data == NULL)
    return NULL;
  data_hex = bfk_hex_encode (g_bytes_get_data (data, NULL), g_bytes_get_size (data));
  call = json_object_new ();
  json_object_set_string_member (call, "to", contract);
  json_object_set_string_member (call, "data", data_hex);
  array = json_array_new ();
  json_array_add_object_element (array, call);
  json_array_add_string_element (array, block_tag);
  node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, array);
  return node;
}

/* Compares one account with the node's answer; TRUE when they agree. */
static gboolean
compare (const Figures  *a,
         JsonNode       *result,
         guint64         block,
         GError        **error)
{
  g_autoptr(GBytes) output = NULL;
  g_autoptr(BfkAbiValue) member = NULL;
  BfkU256 balance, escrow;

  if (!JSON_NODE_HOLDS_VALUE (result) || json_node_get_value_type (result) != G_TYPE_STRING
      || (output = bfk_hex_decode (json_node_get_string (result), error)) == NULL
      || (member = bfk_contract_decode_view ("getMember", output, error)) == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, BFK_STORE_ERROR, BFK_STORE_ERROR_QUERY,
                     "The node answered getMember with something that is not call output.");
      return FALSE;
    }
  balance = bfk_abi_value_get_u256 (bfk_abi_value_get_child (member, 1));
  escrow = bfk_abi_value_get_u256 (bfk_abi_value_get_child (member, 2));
  if (bfk_u256_cmp (balance, bfk_u256_from_u64 ((guint64) a->balance)) == 0
      && bfk_u256_cmp (escrow, bfk_u256_from_u64 ((guint64) a->escrow)) == 0)
    return TRUE;

  {
    g_autofree gchar *chain_balance = bfk_u256_to_decimal (balance);
    g_autofree gchar *chain_escrow = bfk_u256_to_decimal (escrow);

    g_warning ("Reconciliation: %s has balance %" G_GINT64_FORMAT " and escrow %" G_GINT64_FORMAT
               " in the store, but %s and %s on chain at block %" G_GUINT64_FORMAT,
               a->address, a->balance, a->escrow, chain_balance, chain_escrow, block);
  }
  return FALSE;
}

/* Checks accounts[start, start + count): adds the differences to *differ. */
static gboolean
reconcile_batch (BfkFollower  *f,
                 GArray       *accounts,
                 guint         start,
                 guint         count,
                 guint64       block,
                 guint        *differ,
                 GError      **error)
{
  g_autoptr(GPtrArray) params = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autofree BfkRpcRequest *requests = g_new0 (BfkRpcRequest, count);
  g_autoptr(GPtrArray) responses = NULL;
  gchar contract[BFK_ADDRESS_STRING_SIZE];
  gchar tag[19];

  bfk_address_to_string_buf (&f->contract, contract);
  bfk_rpc_quantity (block, tag);
  for (guint i = 0; i < count; i++)
    {
      JsonNode *node = get_member_params (contract, g_array_index (accounts, Figures, start + i).address,
                                          tag, error);

      if (node == NULL)
        return FALSE;
      g_ptr_array_add (params, node);
      requests[i].method = "eth_call";
      requests[i].params = node;
    }
  responses = bfk_rpc_client_call_batch (f->rpc, requests, count, error);
  if (responses == NULL)
    return FALSE;
  g_ptr_array_set_free_func (responses, (GDestroyNotify) bfk_rpc_response_free);
  for (guint i = 0; i < count; i++)
    {
      BfkRpcResponse *response = g_ptr_array_index (responses, i);
      g_autoptr(GError) local_error = NULL;

      if (response->error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&response->error));
          return FALSE;
        }
      if (!compare (&g_array_index (accounts, Figures, start + i), response->result, block, &local_error))
        {
          if (local_error != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          (*differ)++;
        }
    }
  return TRUE;
}

gint
bfk_follower_reconcile (BfkFollower   *follower,
                        guint          sample,
                        GCancellable  *cancellable,
                        GError       **error)
{
  gint64 synced;
  g_autoptr(GArray) accounts = NULL;
  guint differ = 0;

  g_return_val_if_fail (follower != NULL, -1);

  synced = bfk_follower_get_sync (follower->store, BFK_FOLLOWER_SYNC_BLOCK, -1);
  if (synced < 0 || (guint64) synced < follower->deploy_block)
    return 0;
  accounts = read_accounts (follower->store, sample, error);
  if (accounts == NULL)
    return -1;
  for (guint start = 0; start < accounts->len; start += RECONCILE_BATCH)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error)
          || !reconcile_batch (follower, accounts, start, MIN (RECONCILE_BATCH, accounts->len - start),
                               (guint64) synced, &differ, error))
        return -1;
    }
  return (gint) differ;
}
