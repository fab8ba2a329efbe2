/* bfk-follower-apply.c: events into the store, and their effect on the
 * derived tables, forwards (a new event) and backwards (a reorganisation).
 *
 * Undoing applies the inverse of each event, newest first, instead of
 * recomputing the derived tables from all remaining events: a reorganisation
 * is a few blocks deep, and its cost must not grow with the history.  Each
 * event row keeps what its inverse needs (the payer, the provider and the
 * amount of an exchange event), so undoing reads no other table, except for
 * the few states that only the earlier events tell (an expired exchange was
 * proposed or accepted; a backer's approval before the undone one).
 *
 * What an event row holds besides its position and kind (the event's name):
 *   CommunityAdded     community_id, detail = {"name", "currencyName", "currencySymbol"}
 *   MemberRegistered   account = member, community_id, amount = grant
 *   ExchangeProposed   exchange_id, account = payer, counterparty = provider,
 *                      community_id, amount, detail = deadline
 *   Exchange{Accepted,Declined,Cancelled,Expired,Completed}
 *                      exchange_id, account = payer, counterparty = provider,
 *                      community_id, amount
 *   ExchangeRated      exchange_id, account = rater, counterparty = ratee,
 *                      community_id, amount = stars
 *   BackerApproved     account = backer, community_id, amount = weekly cap
 *   BackerRevoked      account = backer, community_id
 *   Recharged          account = member, counterparty = backer, community_id, amount
 * so that events_account lists everything that touched a member.
 */
#include "bfk-follower-private.h"

#include <json-glib/json-glib.h>

#include "bfk-hex.h"

#define NONE G_MININT64   /* a NULL column */

typedef struct
{
  gchar   account[BFK_ADDRESS_STRING_SIZE];
  gchar   counterparty[BFK_ADDRESS_STRING_SIZE];
  gint64  community_id;
  gint64  exchange_id;
  gint64  amount;
  gchar  *detail;
} EventRow;

typedef struct
{
  gchar   payer[BFK_ADDRESS_STRING_SIZE];
  gchar   provider[BFK_ADDRESS_STRING_SIZE];
  gint64  community_id;
  gint64  amount;
} ExchangeRow;

static void
hash_text (const guint8 hash[32],
           gchar        out[67])
{
  out[0] = '0';
  out[1] = 'x';
  bfk_hex_encode_to (hash, 32, out + 2);
}

static void
bind_opt_int (sqlite3_stmt *stmt,
              int           i,
              gint64        v)
{
  if (v == NONE)
    sqlite3_bind_null (stmt, i);
  else
    sqlite3_bind_int64 (stmt, i, v);
}

static void
bind_opt_text (sqlite3_stmt *stmt,
               int           i,
               const gchar  *text)
{
  if (text == NULL || text[0] == '\0')
    sqlite3_bind_null (stmt, i);
  else
    sqlite3_bind_text (stmt, i, text, -1, SQLITE_STATIC);
}

/* Amounts are uint96 on chain; the store keeps 64-bit integers (see
 * bfk-store-schema.c).  A weekly cap is only shown, so a huge one ("no
 * limit") is kept as the largest we can hold; a balance that does not fit
 * would make every figure after it wrong, so it stops the follower. */
static gboolean
amount_of (const BfkEvent *event,
           gboolean        saturate,
           gint64         *out,
           GError        **error)
{
  if (bfk_u256_fits_u64 (event->amount) && bfk_u256_to_u64 (event->amount) <= G_MAXINT64)
    {
      *out = (gint64) bfk_u256_to_u64 (event->amount);
      return TRUE;
    }
  if (saturate)
    {
      *out = G_MAXINT64;
      return TRUE;
    }
  g_set_error (error, BFK_STORE_ERROR, BFK_STORE_ERROR_CONSTRAINT,
               "%s in block %" G_GUINT64_FORMAT " carries an amount too large for the store.",
               event->event_name, event->block_number);
  return FALSE;
}

/* --- small updates of the derived tables, used both ways --- */

static void
bind_key (sqlite3_stmt *stmt,
          const gchar  *text_key,
          gint64        int_key)
{
  if (text_key != NULL)
    sqlite3_bind_text (stmt, 1, text_key, -1, SQLITE_STATIC);
  else
    sqlite3_bind_int64 (stmt, 1, int_key);
}

/* Runs a statement whose ?1 is the key (text_key when set, else int_key)
 * and ?2… the values (NONE binds NULL). */
static gboolean
run_keyed (BfkStore      *store,
           const gchar   *sql,
           const gchar   *text_key,
           gint64         int_key,
           const gint64  *values,
           guint          n_values,
           GError       **error)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store, sql, error);

  if (stmt == NULL)
    return FALSE;
  bind_key (stmt, text_key, int_key);
  for (guint i = 0; i < n_values; i++)
    bind_opt_int (stmt, (int) i + 2, values[i]);
  return bfk_store_step_done (store, stmt, error);
}

#define VALUES(...) (const gint64[]) { __VA_ARGS__ }, G_N_ELEMENTS (((const gint64[]) { __VA_ARGS__ }))

static gboolean
add_to_account (BfkStore     *store,
                const gchar  *address,
                gint64        d_balance,
                gint64        d_escrow,
                gint64        d_exchanges,
                GError      **error)
{
  return run_keyed (store, "UPDATE accounts SET balance = balance + ?2, escrow = escrow + ?3,"
                    " exchanges = exchanges + ?4 WHERE address = ?1",
                    address, 0, VALUES (d_balance, d_escrow, d_exchanges), error);
}

static gboolean
add_to_ratings (BfkStore     *store,
                const gchar  *address,
                gint64        d_reputation,
                gint64        d_ratings,
                GError      **error)
{
  return run_keyed (store, "UPDATE accounts SET reputation = reputation + ?2, ratings = ratings + ?3"
                    " WHERE address = ?1", address, 0, VALUES (d_reputation, d_ratings), error);
}

static gboolean
add_to_community (BfkStore  *store,
                  gint64     id,
                  gint64     d_members,
                  gint64     d_supply,
                  gint64     d_exchanges,
                  gint64     d_volume,
                  GError   **error)
{
  return run_keyed (store, "UPDATE communities SET members = members + ?2, supply = supply + ?3,"
                    " exchanges = exchanges + ?4, volume = volume + ?5 WHERE id = ?1",
                    NULL, id, VALUES (d_members, d_supply, d_exchanges, d_volume), error);
}

/* updated_block NONE: the block of the latest remaining event of the
 * exchange, which is what it was before the undone one. */
static gboolean
set_exchange_state (BfkStore         *store,
                    gint64            id,
                    BfkExchangeState  state,
                    gint64            updated_block,
                    GError          **error)
{
  return run_keyed (store, "UPDATE exchanges SET state = ?2, updated_block = coalesce (?3,"
                    " (SELECT max (block_number) FROM events WHERE exchange_id = ?1), 0) WHERE id = ?1",
                    NULL, id, VALUES (state, updated_block), error);
}

static gboolean
delete_by_key (BfkStore     *store,
               const gchar  *sql,
               const gchar  *text_key,
               gint64        int_key,
               GError      **error)
{
  return run_keyed (store, sql, text_key, int_key, NULL, 0, error);
}

/* --- forwards --- */

static gboolean
lookup_exchange (BfkStore     *store,
                 gint64        id,
                 ExchangeRow  *out,
                 GError      **error)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store,
      "SELECT payer, provider, community_id, amount FROM exchanges WHERE id = ?", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      g_strlcpy (out->payer, (const gchar *) sqlite3_column_text (stmt, 0), sizeof out->payer);
      g_strlcpy (out->provider, (const gchar *) sqlite3_column_text (stmt, 1), sizeof out->provider);
      out->community_id = sqlite3_column_int64 (stmt, 2);
      out->amount = sqlite3_column_int64 (stmt, 3);
    }
  else if (rc != SQLITE_DONE)
    bfk_store_set_error (store, error, "reading an exchange");
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, BFK_STORE_ERROR, BFK_STORE_ERROR_NOT_FOUND,
                 "An event refers to exchange %" G_GINT64_FORMAT ", which no stored event proposed: "
                 "is the deployment block right?", id);
  return rc == SQLITE_ROW;
}

static gchar *
community_detail (const BfkEvent *event)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, event->name ? event->name : "");
  json_builder_set_member_name (builder, "currencyName");
  json_builder_add_string_value (builder, event->currency_name ? event->currency_name : "");
  json_builder_set_member_name (builder, "currencySymbol");
  json_builder_add_string_value (builder, event->currency_symbol ? event->currency_symbol : "");
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

/* Fills the row's columns from the event, and from the exchange it is about. */
static gboolean
describe_event (BfkStore        *store,
                const BfkEvent  *event,
                EventRow        *row,
                GError         **error)
{
  ExchangeRow ex;

  row->community_id = NONE;
  row->exchange_id = NONE;
  row->amount = NONE;
  switch (event->kind)
    {
    case BFK_EVENT_COMMUNITY_ADDED:
      row->community_id = event->community_id;
      row->detail = community_detail (event);
      return TRUE;
    case BFK_EVENT_MEMBER_REGISTERED:
      bfk_address_to_string_buf (&event->member, row->account);
      row->community_id = event->community_id;
      return amount_of (event, FALSE, &row->amount, error);
    case BFK_EVENT_EXCHANGE_PROPOSED:
      bfk_address_to_string_buf (&event->payer, row->account);
      bfk_address_to_string_buf (&event->provider, row->counterparty);
      row->exchange_id = event->exchange_id;
      row->community_id = event->community_id;
      row->detail = g_strdup_printf ("%" G_GUINT64_FORMAT, event->deadline);
      return amount_of (event, FALSE, &row->amount, error);
    case BFK_EVENT_EXCHANGE_ACCEPTED:
    case BFK_EVENT_EXCHANGE_DECLINED:
    case BFK_EVENT_EXCHANGE_CANCELLED:
    case BFK_EVENT_EXCHANGE_EXPIRED:
    case BFK_EVENT_EXCHANGE_COMPLETED:
    case BFK_EVENT_EXCHANGE_RATED:
      if (!lookup_exchange (store, event->exchange_id, &ex, error))
        return FALSE;
      row->exchange_id = event->exchange_id;
      row->community_id = ex.community_id;
      row->amount = ex.amount;
      if (event->kind == BFK_EVENT_EXCHANGE_RATED)
        {
          bfk_address_to_string_buf (&event->rater, row->account);
          bfk_address_to_string_buf (&event->ratee, row->counterparty);
          row->amount = event->stars;
          return TRUE;
        }
      g_strlcpy (row->account, ex.payer, sizeof row->account);
      g_strlcpy (row->counterparty, ex.provider, sizeof row->counterparty);
      return TRUE;
    case BFK_EVENT_BACKER_APPROVED:
      bfk_address_to_string_buf (&event->backer, row->account);
      row->community_id = event->community_id;
      return amount_of (event, TRUE, &row->amount, error);
    case BFK_EVENT_BACKER_REVOKED:
      {
        sqlite3_stmt *stmt = bfk_store_prepare (store,
            "SELECT community_id FROM backers WHERE address = ?", error);

        if (stmt == NULL)
          return FALSE;
        bfk_address_to_string_buf (&event->backer, row->account);
        sqlite3_bind_text (stmt, 1, row->account, -1, SQLITE_STATIC);
        if (sqlite3_step (stmt) == SQLITE_ROW)
          row->community_id = sqlite3_column_int64 (stmt, 0);
        sqlite3_reset (stmt);
        return TRUE;
      }
    case BFK_EVENT_RECHARGED:
      bfk_address_to_string_buf (&event->member, row->account);
      bfk_address_to_string_buf (&event->backer, row->counterparty);
      row->community_id = event->community_id;
      return amount_of (event, FALSE, &row->amount, error);
    case BFK_EVENT_OTHER:
    default:
      return TRUE;
    }
}

static gboolean
insert_event (BfkStore        *store,
              const BfkEvent  *event,
              const EventRow  *row,
              gboolean        *inserted,
              GError         **error)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store,
      "INSERT OR IGNORE INTO events (block_number, block_hash, tx_hash, log_index, kind,"
      " community_id, exchange_id, account, counterparty, amount, detail)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  gchar block_hash[67], tx_hash[67];

  if (stmt == NULL)
    return FALSE;
  hash_text (event->block_hash, block_hash);
  hash_text (event->tx_hash, tx_hash);
  sqlite3_bind_int64 (stmt, 1, (gint64) event->block_number);
  sqlite3_bind_text (stmt, 2, block_hash, 66, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, tx_hash, 66, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, event->log_index);
  sqlite3_bind_text (stmt, 5, event->event_name, -1, SQLITE_STATIC);
  bind_opt_int (stmt, 6, row->community_id);
  bind_opt_int (stmt, 7, row->exchange_id);
  bind_opt_text (stmt, 8, row->account);
  bind_opt_text (stmt, 9, row->counterparty);
  bind_opt_int (stmt, 10, row->amount);
  bind_opt_text (stmt, 11, row->detail);
  if (!bfk_store_step_done (store, stmt, error))
    return FALSE;
  *inserted = sqlite3_changes (bfk_store_get_db (store)) > 0;
  return TRUE;
}

static gboolean
insert_community (BfkStore        *store,
                  const BfkEvent  *event,
                  GError         **error)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store,
      "INSERT INTO communities (id, name, currency_name, currency_symbol) VALUES (?, ?, ?, ?)",
      error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, (gint64) event->community_id);
  sqlite3_bind_text (stmt, 2, event->name ? event->name : "", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, event->currency_name ? event->currency_name : "", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, event->currency_symbol ? event->currency_symbol : "", -1, SQLITE_STATIC);
  return bfk_store_step_done (store, stmt, error);
}

static gboolean
insert_account (BfkStore        *store,
                const BfkEvent  *event,
                const EventRow  *row,
                GError         **error)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store,
      "INSERT INTO accounts (address, community_id, balance, registered_block) VALUES (?, ?, ?, ?)",
      error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, row->account, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, row->community_id);
  sqlite3_bind_int64 (stmt, 3, row->amount);
  sqlite3_bind_int64 (stmt, 4, (gint64) event->block_number);
  return bfk_store_step_done (store, stmt, error)
         && add_to_community (store, row->community_id, 1, row->amount, 0, 0, error);
}

static gboolean
insert_exchange (BfkStore        *store,
                 const BfkEvent  *event,
                 const EventRow  *row,
                 GError         **error)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store,
      "INSERT INTO exchanges (id, payer, provider, community_id, amount, deadline, state,"
      " updated_block) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, row->exchange_id);
  sqlite3_bind_text (stmt, 2, row->account, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, row->counterparty, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, row->community_id);
  sqlite3_bind_int64 (stmt, 5, row->amount);
  sqlite3_bind_int64 (stmt, 6, (gint64) MIN (event->deadline, (guint64) G_MAXINT64));
  sqlite3_bind_int (stmt, 7, BFK_EXCHANGE_PROPOSED);
  sqlite3_bind_int64 (stmt, 8, (gint64) event->block_number);
  return bfk_store_step_done (store, stmt, error)
         && add_to_account (store, row->account, -row->amount, row->amount, 0, error);
}

static gboolean
upsert_backer (BfkStore     *store,
               const gchar  *address,
               gint64        community_id,
               gint64        weekly_cap,
               gboolean      active,
               GError      **error)
{
  return run_keyed (store, "INSERT INTO backers (address, community_id, weekly_cap, active) VALUES (?1, ?2, ?3, ?4)"
                    " ON CONFLICT (address) DO UPDATE SET community_id = excluded.community_id,"
                    " weekly_cap = excluded.weekly_cap, active = excluded.active",
                    address, 0, VALUES (community_id, weekly_cap, active), error);
}

/* The payer gets its escrow back: declined, cancelled, expired. */
static gboolean
refund (BfkStore        *store,
        const EventRow  *row,
        BfkExchangeState state,
        gint64           block,
        GError         **error)
{
  return set_exchange_state (store, row->exchange_id, state, block, error)
         && add_to_account (store, row->account, row->amount, -row->amount, 0, error);
}

static gboolean
apply_effect (BfkStore        *store,
              const BfkEvent  *event,
              const EventRow  *row,
              GError         **error)
{
  gint64 block = (gint64) event->block_number;

  switch (event->kind)
    {
    case BFK_EVENT_COMMUNITY_ADDED:
      return insert_community (store, event, error);
    case BFK_EVENT_MEMBER_REGISTERED:
      return insert_account (store, event, row, error);
    case BFK_EVENT_EXCHANGE_PROPOSED:
      return insert_exchange (store, event, row, error);
    case BFK_EVENT_EXCHANGE_ACCEPTED:
      return set_exchange_state (store, row->exchange_id, BFK_EXCHANGE_ACCEPTED, block, error);
    case BFK_EVENT_EXCHANGE_DECLINED:
      return refund (store, row, BFK_EXCHANGE_DECLINED, block, error);
    case BFK_EVENT_EXCHANGE_CANCELLED:
      return refund (store, row, BFK_EXCHANGE_CANCELLED, block, error);
    case BFK_EVENT_EXCHANGE_EXPIRED:
      return refund (store, row, BFK_EXCHANGE_EXPIRED, block, error);
    case BFK_EVENT_EXCHANGE_COMPLETED:
      return set_exchange_state (store, row->exchange_id, BFK_EXCHANGE_COMPLETED, block, error)
             && add_to_account (store, row->account, 0, -row->amount, 1, error)
             && add_to_account (store, row->counterparty, row->amount, 0, 1, error)
             && add_to_community (store, row->community_id, 0, 0, 1, row->amount, error);
    case BFK_EVENT_EXCHANGE_RATED:
      return add_to_ratings (store, row->counterparty, row->amount, 1, error);
    case BFK_EVENT_BACKER_APPROVED:
      return upsert_backer (store, row->account, row->community_id, row->amount, TRUE, error);
    case BFK_EVENT_BACKER_REVOKED:
      return run_keyed (store, "UPDATE backers SET active = 0 WHERE address = ?1",
                        row->account, 0, NULL, 0, error);
    case BFK_EVENT_RECHARGED:
      return add_to_account (store, row->account, row->amount, 0, 0, error)
             && add_to_community (store, row->community_id, 0, row->amount, 0, 0, error);
    case BFK_EVENT_OTHER:
    default:
      return TRUE;
    }
}

gboolean
bfk_follower_apply_event (BfkStore        *store,
                          const BfkEvent  *event,
                          gboolean        *inserted,
                          GError         **error)
{
  EventRow row = { { 0 } };
  gboolean ok;

  *inserted = FALSE;
  ok = describe_event (store, event, &row, error)
       && insert_event (store, event, &row, inserted, error)
       && (!*inserted || apply_effect (store, event, &row, error));
  g_free (row.detail);
  return ok;
}

/* --- backwards --- */

typedef struct
{
  gint64       id;
  gint64       block;
  const gchar *kind;
  const gchar *account;
  const gchar *counterparty;
  gint64       community_id;
  gint64       exchange_id;
  gint64       amount;
} StoredEvent;

static gboolean
count_rows (BfkStore     *store,
            const gchar  *sql,
            const gchar  *text_key,
            gint64        int_key,
            gint64       *count,
            GError      **error)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  bind_key (stmt, text_key, int_key);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *count = sqlite3_column_int64 (stmt, 0);
  else
    bfk_store_set_error (store, error, "counting events");
  sqlite3_reset (stmt);
  return rc == SQLITE_ROW;
}

/* A backer's row as its remaining events leave it: its latest approval,
 * active unless a revocation came after it; no row without an approval. */
static gboolean
restore_backer (BfkStore     *store,
                const gchar  *address,
                GError      **error)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store,
      "SELECT community_id, amount, EXISTS (SELECT 1 FROM events AS r WHERE r.account = ?1"
      "   AND r.kind = 'BackerRevoked' AND (r.block_number, r.log_index) > (a.block_number, a.log_index))"
      " FROM events AS a WHERE a.account = ?1 AND a.kind = 'BackerApproved'"
      " ORDER BY a.block_number DESC, a.log_index DESC LIMIT 1", error);
  gint64 community_id = 0, weekly_cap = 0;
  gboolean revoked = FALSE;
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, address, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      community_id = sqlite3_column_int64 (stmt, 0);
      weekly_cap = sqlite3_column_int64 (stmt, 1);
      revoked = sqlite3_column_int (stmt, 2) != 0;
    }
  else if (rc != SQLITE_DONE)
    bfk_store_set_error (store, error, "reading a backer's approvals");
  sqlite3_reset (stmt);

  if (rc == SQLITE_DONE)
    return delete_by_key (store, "DELETE FROM backers WHERE address = ?", address, 0, error);
  if (rc != SQLITE_ROW)
    return FALSE;
  return upsert_backer (store, address, community_id, weekly_cap, !revoked, error);
}

/* An expired exchange goes back to accepted if it was, else to proposed. */
static gboolean
unexpire (BfkStore           *store,
          const StoredEvent  *e,
          GError            **error)
{
  gint64 accepted = 0;

  return count_rows (store, "SELECT count(*) FROM events WHERE exchange_id = ?"
                     " AND kind = 'ExchangeAccepted'", NULL, e->exchange_id, &accepted, error)
         && set_exchange_state (store, e->exchange_id,
                                accepted ? BFK_EXCHANGE_ACCEPTED : BFK_EXCHANGE_PROPOSED,
                                NONE, error)
         && add_to_account (store, e->account, -e->amount, e->amount, 0, error);
}

/* Runs after the event's row is deleted, so that "the remaining events" are
 * exactly those before it. */
static gboolean
undo_effect (BfkStore           *store,
             const StoredEvent  *e,
             GError            **error)
{
  const gchar *k = e->kind;

  if (g_str_equal (k, "CommunityAdded"))
    return delete_by_key (store, "DELETE FROM communities WHERE id = ?", NULL, e->community_id, error);
  if (g_str_equal (k, "MemberRegistered"))
    return delete_by_key (store, "DELETE FROM accounts WHERE address = ?", e->account, 0, error)
           && add_to_community (store, e->community_id, -1, -e->amount, 0, 0, error);
  if (g_str_equal (k, "ExchangeProposed"))
    return delete_by_key (store, "DELETE FROM exchanges WHERE id = ?", NULL, e->exchange_id, error)
           && add_to_account (store, e->account, e->amount, -e->amount, 0, error);
  if (g_str_equal (k, "ExchangeAccepted"))
    return set_exchange_state (store, e->exchange_id, BFK_EXCHANGE_PROPOSED, NONE, error);
  if (g_str_equal (k, "ExchangeDeclined") || g_str_equal (k, "ExchangeCancelled"))
    return set_exchange_state (store, e->exchange_id, BFK_EXCHANGE_PROPOSED, NONE, error)
           && add_to_account (store, e->account, -e->amount, e->amount, 0, error);
  if (g_str_equal (k, "ExchangeExpired"))
    return unexpire (store, e, error);
  if (g_str_equal (k, "ExchangeCompleted"))
    return set_exchange_state (store, e->exchange_id, BFK_EXCHANGE_ACCEPTED, NONE, error)
           && add_to_account (store, e->account, 0, e->amount, -1, error)
           && add_to_account (store, e->counterparty, -e->amount, 0, -1, error)
           && add_to_community (store, e->community_id, 0, 0, -1, -e->amount, error);
  if (g_str_equal (k, "ExchangeRated"))
    return add_to_ratings (store, e->counterparty, -e->amount, -1, error);
  if (g_str_equal (k, "BackerApproved") || g_str_equal (k, "BackerRevoked"))
    return restore_backer (store, e->account, error);
  if (g_str_equal (k, "Recharged"))
    return add_to_account (store, e->account, -e->amount, 0, 0, error)
           && add_to_community (store, e->community_id, 0, -e->amount, 0, 0, error);
  return TRUE;
}

static gint64
column_opt_int (sqlite3_stmt *stmt,
                int           i)
{
  return sqlite3_column_type (stmt, i) == SQLITE_NULL ? NONE : sqlite3_column_int64 (stmt, i);
}

#define UNDO_PAGE 256

/* Reads the newest page of events at or above from_block into events (the
 * strings are copies in chunk); returns how many, or -1 on error. */
static gint
read_page (BfkStore      *store,
           guint64        from_block,
           StoredEvent    events[UNDO_PAGE],
           GStringChunk  *chunk,
           GError       **error)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store,
      "SELECT id, block_number, kind, account, counterparty, community_id, exchange_id, amount"
      " FROM events WHERE block_number >= ? ORDER BY block_number DESC, log_index DESC LIMIT ?",
      error);
  gint n = 0;
  int rc;

  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, (gint64) from_block);
  sqlite3_bind_int (stmt, 2, UNDO_PAGE);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      StoredEvent *e = &events[n++];

      e->id = sqlite3_column_int64 (stmt, 0);
      e->block = sqlite3_column_int64 (stmt, 1);
      e->kind = g_string_chunk_insert_const (chunk, (const gchar *) sqlite3_column_text (stmt, 2));
      e->account = g_string_chunk_insert (chunk, (const gchar *) sqlite3_column_text (stmt, 3) ?: "");
      e->counterparty = g_string_chunk_insert (chunk, (const gchar *) sqlite3_column_text (stmt, 4) ?: "");
      e->community_id = column_opt_int (stmt, 5);
      e->exchange_id = column_opt_int (stmt, 6);
      e->amount = column_opt_int (stmt, 7);
    }
  if (rc != SQLITE_DONE)
    {
      bfk_store_set_error (store, error, "reading events to roll back");
      n = -1;
    }
  sqlite3_reset (stmt);
  return n;
}

gboolean
bfk_follower_undo_events (BfkStore  *store,
                          guint64    from_block,
                          guint     *n_undone,
                          GError   **error)
{
  StoredEvent events[UNDO_PAGE];
  guint total = 0;
  gint n;

  do
    {
      g_autoptr(GStringChunk) chunk = g_string_chunk_new (4096);

      n = read_page (store, from_block, events, chunk, error);
      if (n < 0)
        return FALSE;
      for (gint i = 0; i < n; i++)
        if (!delete_by_key (store, "DELETE FROM events WHERE id = ?", NULL, events[i].id, error)
            || !undo_effect (store, &events[i], error))
          return FALSE;
      total += n;
    }
  while (n == UNDO_PAGE);

  if (n_undone != NULL)
    *n_undone = total;
  return TRUE;
}
