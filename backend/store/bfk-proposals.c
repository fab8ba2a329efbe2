/* bfk-proposals.c */
#include "bfk-proposals.h"

#include "bfk-store-rows.h"

G_DEFINE_QUARK (bfk-proposal-error-quark, bfk_proposal_error)

#define PROPOSAL_COLUMNS "id, payer_id, provider_id, community_id, service, amount, deadline, " \
                         "op_id, exchange_id, state, payer_rated, provider_rated, created_at, " \
                         "updated_at"

static const gchar *const state_names[] = {
  [BFK_PROPOSAL_PENDING] = "pending",
  [BFK_PROPOSAL_PROPOSED] = "proposed",
  [BFK_PROPOSAL_ACCEPTED] = "accepted",
  [BFK_PROPOSAL_COMPLETED] = "completed",
  [BFK_PROPOSAL_DECLINED] = "declined",
  [BFK_PROPOSAL_CANCELLED] = "cancelled",
  [BFK_PROPOSAL_EXPIRED] = "expired",
  [BFK_PROPOSAL_FAILED] = "failed",
};

void
bfk_proposal_free (BfkProposal *proposal)
{
  if (!proposal)
    return;
  g_free (proposal->service);
  g_free (proposal);
}

const gchar *
bfk_proposal_state_to_string (BfkProposalState state)
{
  g_return_val_if_fail ((guint) state < G_N_ELEMENTS (state_names), NULL);

  return state_names[state];
}

gboolean
bfk_proposal_state_from_string (const gchar       *text,
                                BfkProposalState  *state,
                                GError           **error)
{
  gint i = bfk_store_name_index (state_names, G_N_ELEMENTS (state_names), text);

  if (i >= 0)
    {
      *state = (BfkProposalState) i;
      return TRUE;
    }
  g_set_error (error, BFK_PROPOSAL_ERROR, BFK_PROPOSAL_ERROR_INVALID,
               "“%s” is not a proposal state", text ? text : "");
  return FALSE;
}

static gpointer
proposal_from_row (sqlite3_stmt *stmt)
{
  BfkProposal *p = g_new0 (BfkProposal, 1);

  p->id = sqlite3_column_int64 (stmt, 0);
  p->payer_id = sqlite3_column_int64 (stmt, 1);
  p->provider_id = sqlite3_column_int64 (stmt, 2);
  p->community_id = (guint64) sqlite3_column_int64 (stmt, 3);
  p->service = bfk_store_column_dup (stmt, 4);
  p->amount = sqlite3_column_int64 (stmt, 5);
  p->deadline = sqlite3_column_int64 (stmt, 6);
  p->op_id = sqlite3_column_int64 (stmt, 7);
  p->exchange_id = (guint64) sqlite3_column_int64 (stmt, 8);
  /* The CHECK constraint holds the state to the names. */
  bfk_proposal_state_from_string ((const gchar *) sqlite3_column_text (stmt, 9), &p->state, NULL);
  p->payer_rated = sqlite3_column_int (stmt, 10) != 0;
  p->provider_rated = sqlite3_column_int (stmt, 11) != 0;
  p->created_at = sqlite3_column_int64 (stmt, 12);
  p->updated_at = sqlite3_column_int64 (stmt, 13);
  return p;
}

/* The proposal whose column (in the WHERE of sql) is value, or NOT_FOUND
 * saying what was looked for. */
static BfkProposal *
find_one (BfkStore     *store,
          const gchar  *sql,
          const gchar  *what,
          gint64        value,
          GError      **error)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store, sql, error);

  if (!stmt)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, value);
  return bfk_store_row (store, stmt, proposal_from_row, error, BFK_PROPOSAL_ERROR,
                        BFK_PROPOSAL_ERROR_NOT_FOUND, "No proposal has the %s %" G_GINT64_FORMAT,
                        what, value);
}

BfkProposal *
bfk_proposals_get (BfkStore  *store,
                   gint64     proposal_id,
                   GError   **error)
{
  return find_one (store, "SELECT " PROPOSAL_COLUMNS " FROM proposals WHERE id = ?",
                   "id", proposal_id, error);
}

BfkProposal *
bfk_proposals_find_by_op (BfkStore  *store,
                          gint64     op_id,
                          GError   **error)
{
  /* The newest, should an operation ever be attached twice. */
  return find_one (store, "SELECT " PROPOSAL_COLUMNS " FROM proposals "
                   "WHERE op_id = ? ORDER BY id DESC LIMIT 1", "operation", op_id, error);
}

BfkProposal *
bfk_proposals_get_by_exchange_id (BfkStore  *store,
                                  guint64    exchange_id,
                                  GError   **error)
{
  return find_one (store, "SELECT " PROPOSAL_COLUMNS " FROM proposals WHERE exchange_id = ?",
                   "exchange number", (gint64) exchange_id, error);
}

BfkProposal *
bfk_proposals_create (BfkStore     *store,
                      gint64        payer_id,
                      gint64        provider_id,
                      const gchar  *service,
                      gint64        amount,
                      gint64        deadline,
                      GError      **error)
{
  g_autofree gchar *clean = g_strstrip (g_strdup (service ? service : ""));
  sqlite3_stmt *stmt;
  gint64 changed;

  if (amount <= 0 || payer_id == provider_id || !*clean)
    {
      g_set_error (error, BFK_PROPOSAL_ERROR, BFK_PROPOSAL_ERROR_INVALID,
                   "A proposal needs a service, a positive amount and two different members");
      return NULL;
    }
  /* Value never crosses communities: the insert finds both members in one. */
  stmt = bfk_store_prepare (store,
                            "INSERT INTO proposals (payer_id, provider_id, community_id, service, amount, "
                            "deadline, created_at, updated_at) "
                            "SELECT p.id, v.id, p.community_id, ?3, ?4, ?5, ?6, ?6 "
                            "FROM members p JOIN members v ON v.community_id = p.community_id "
                            "WHERE p.id = ?1 AND v.id = ?2", error);
  if (!stmt)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, payer_id);
  sqlite3_bind_int64 (stmt, 2, provider_id);
  sqlite3_bind_text (stmt, 3, clean, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, amount);
  sqlite3_bind_int64 (stmt, 5, deadline);
  sqlite3_bind_int64 (stmt, 6, bfk_store_now ());
  if ((changed = bfk_store_step_changes (store, stmt, error)) < 0)
    return NULL;
  if (changed == 0)
    {
      g_set_error (error, BFK_PROPOSAL_ERROR, BFK_PROPOSAL_ERROR_INVALID,
                   "Members %" G_GINT64_FORMAT " and %" G_GINT64_FORMAT
                   " are not two members of one community", payer_id, provider_id);
      return NULL;
    }
  return bfk_proposals_get (store, sqlite3_last_insert_rowid (bfk_store_get_db (store)), error);
}

/* Runs a prepared UPDATE of one proposal, with its id bound to ?1 here
 * and now to ?2. */
static gboolean
update_one (BfkStore      *store,
            sqlite3_stmt  *stmt,
            gint64         proposal_id,
            GError       **error)
{
  gint64 changed;

  sqlite3_bind_int64 (stmt, 1, proposal_id);
  sqlite3_bind_int64 (stmt, 2, bfk_store_now ());
  changed = bfk_store_step_changes (store, stmt, error);
  if (changed == 0)
    g_set_error (error, BFK_PROPOSAL_ERROR, BFK_PROPOSAL_ERROR_NOT_FOUND,
                 "No proposal has the id %" G_GINT64_FORMAT, proposal_id);
  return changed > 0;
}

gboolean
bfk_proposals_attach_op (BfkStore  *store,
                         gint64     proposal_id,
                         gint64     op_id,
                         GError   **error)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store, "UPDATE proposals SET op_id = ?3, updated_at = ?2 "
                                          "WHERE id = ?1", error);

  if (!stmt)
    return FALSE;
  bfk_store_bind_id (stmt, 3, op_id);
  return update_one (store, stmt, proposal_id, error);
}

gboolean
bfk_proposals_set_exchange_id (BfkStore  *store,
                               gint64     proposal_id,
                               guint64    exchange_id,
                               GError   **error)
{
  /* The follower may see the exchange accepted before this runs, or run
   * it again after a restart: only pending moves to proposed. */
  sqlite3_stmt *stmt = bfk_store_prepare (store,
                                          "UPDATE proposals SET exchange_id = ?3, updated_at = ?2, "
                                          "state = CASE state WHEN 'pending' THEN 'proposed' ELSE state END "
                                          "WHERE id = ?1", error);
  g_autoptr(GError) local = NULL;

  g_return_val_if_fail (exchange_id > 0, FALSE);

  if (!stmt)
    return FALSE;
  sqlite3_bind_int64 (stmt, 3, (gint64) exchange_id);
  if (update_one (store, stmt, proposal_id, &local))
    return TRUE;
  if (g_error_matches (local, BFK_STORE_ERROR, BFK_STORE_ERROR_CONSTRAINT))
    g_set_error (error, BFK_PROPOSAL_ERROR, BFK_PROPOSAL_ERROR_EXCHANGE_TAKEN,
                 "The exchange %" G_GUINT64_FORMAT " belongs to another proposal", exchange_id);
  else
    g_propagate_error (error, g_steal_pointer (&local));
  return FALSE;
}

gboolean
bfk_proposals_set_state (BfkStore          *store,
                         gint64             proposal_id,
                         BfkProposalState   state,
                         GError           **error)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store, "UPDATE proposals SET state = ?3, updated_at = ?2 "
                                          "WHERE id = ?1", error);

  g_return_val_if_fail ((guint) state < G_N_ELEMENTS (state_names), FALSE);

  if (!stmt)
    return FALSE;
  sqlite3_bind_text (stmt, 3, state_names[state], -1, SQLITE_STATIC);
  return update_one (store, stmt, proposal_id, error);
}

gboolean
bfk_proposals_mark_rated (BfkStore          *store,
                          gint64             proposal_id,
                          BfkProposalParty   by,
                          GError           **error)
{
  sqlite3_stmt *stmt = by == BFK_PROPOSAL_PAYER
    ? bfk_store_prepare (store, "UPDATE proposals SET payer_rated = 1, updated_at = ?2 "
                         "WHERE id = ?1 AND NOT payer_rated", error)
    : bfk_store_prepare (store, "UPDATE proposals SET provider_rated = 1, updated_at = ?2 "
                         "WHERE id = ?1 AND NOT provider_rated", error);
  g_autoptr(GError) local = NULL;
  g_autoptr(BfkProposal) existing = NULL;

  if (!stmt)
    return FALSE;
  if (update_one (store, stmt, proposal_id, &local))
    return TRUE;
  /* Nothing changed: rated before, or no such proposal. */
  if (g_error_matches (local, BFK_PROPOSAL_ERROR, BFK_PROPOSAL_ERROR_NOT_FOUND)
      && (existing = bfk_proposals_get (store, proposal_id, NULL)))
    {
      g_set_error (error, BFK_PROPOSAL_ERROR, BFK_PROPOSAL_ERROR_ALREADY_RATED,
                   "The %s of exchange %" G_GUINT64_FORMAT " has rated it already",
                   by == BFK_PROPOSAL_PAYER ? "payer" : "provider", existing->exchange_id);
      return FALSE;
    }
  g_propagate_error (error, g_steal_pointer (&local));
  return FALSE;
}

GPtrArray *
bfk_proposals_list_expired (BfkStore  *store,
                            gint64     now,
                            guint      limit,
                            GError   **error)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store, "SELECT " PROPOSAL_COLUMNS " FROM proposals "
                                          "WHERE state = 'proposed' AND deadline < ?1 "
                                          "ORDER BY deadline, id LIMIT ?2", error);

  if (!stmt)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_int64 (stmt, 2, limit);
  return bfk_store_rows (store, stmt, proposal_from_row, (GDestroyNotify) bfk_proposal_free, error);
}

GPtrArray *
bfk_proposals_list_by_member (BfkStore  *store,
                              gint64     member_id,
                              guint      limit,
                              guint      offset,
                              GError   **error)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store, "SELECT " PROPOSAL_COLUMNS " FROM proposals "
                                          "WHERE payer_id = ?3 OR provider_id = ?3 "
                                          "ORDER BY id DESC LIMIT ?1 OFFSET ?2", error);

  if (!stmt)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, limit);
  sqlite3_bind_int64 (stmt, 2, offset);
  sqlite3_bind_int64 (stmt, 3, member_id);
  return bfk_store_rows (store, stmt, proposal_from_row, (GDestroyNotify) bfk_proposal_free, error);
}
