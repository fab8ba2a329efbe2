/* bfk-expiry.c */
#include "bfk-expiry.h"

#include "bfk-contract.h"
#include "bfk-outbox.h"
#include "bfk-proposals.h"

/* An expiry already queued, sent or done; a failed one may be tried again
 * (the node was early on the deadline, say). */
static gboolean
under_way (BfkStore  *store,
           guint64    exchange_id,
           gboolean  *out,
           GError   **error)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store,
      "SELECT EXISTS (SELECT 1 FROM operations WHERE kind = 'expire_exchange' AND exchange_id = ?"
      "               AND state NOT IN ('failed', 'replaced'))", error);

  if (!stmt)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) exchange_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      bfk_store_set_error (store, error, "looking for an expiry");
      return FALSE;
    }
  *out = sqlite3_column_int (stmt, 0) != 0;
  return TRUE;
}

static gboolean
expire_all (const BfkBotChain  *chain,
            GPtrArray          *due,
            GArray             *op_ids,
            GError            **error)
{
  for (guint i = 0; i < due->len; i++)
    {
      const BfkProposal *p = g_ptr_array_index (due, i);
      g_autoptr(GBytes) calldata = NULL;
      g_autofree gchar *summary = NULL;
      gboolean busy;
      gint64 id;
      /* No member: a failed expiry is the operators' business, and must not
       * tell the payer that "their" operation failed. */
      BfkOpRequest request = {
        .kind = BFK_OP_EXPIRE_EXCHANGE,
        .community_id = p->community_id,
        .exchange_id = p->exchange_id,
        .amount = p->amount,
      };

      if (p->exchange_id == 0 || !under_way (chain->store, p->exchange_id, &busy, error))
        {
          if (p->exchange_id == 0)
            continue;
          return FALSE;
        }
      if (busy)
        continue;
      calldata = bfk_contract_encode_expire_exchange (p->exchange_id);
      summary = g_strdup_printf ("expire exchange %" G_GUINT64_FORMAT ": refund %" G_GINT64_FORMAT,
                                 p->exchange_id, p->amount);
      request.calldata = calldata;
      request.summary = summary;
      id = bfk_outbox_enqueue (chain->store, chain->rpc, chain->operator_address, chain->contract,
                               &request, error);
      if (id == 0)
        return FALSE;
      g_array_append_val (op_ids, id);
    }
  return TRUE;
}

gboolean
bfk_expiry_step (const BfkBotChain  *chain,
                 gint64              now,
                 guint               limit,
                 GArray             *op_ids,
                 GError            **error)
{
  g_autoptr(GPtrArray) due = bfk_proposals_list_expired (chain->store, now - BFK_EXPIRY_MARGIN, limit, error);
  guint before = op_ids->len;

  if (!due)
    return FALSE;
  if (due->len == 0)
    return TRUE;
  if (!bfk_store_begin (chain->store, error))
    return FALSE;
  if (!expire_all (chain, due, op_ids, error) || !bfk_store_commit (chain->store, error))
    {
      bfk_store_rollback (chain->store);
      g_array_set_size (op_ids, before);
      return FALSE;
    }
  return TRUE;
}
