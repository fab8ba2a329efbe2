/* bfk-bot-world.c: the bot's queries over the store.
 *
 * A query that fails answers "nothing" (an empty list, NULL) and logs: the
 * bot then says it found nothing, which is better than no answer at all,
 * and the webhook's own writes will report a store that is really broken.
 */
#include "bfk-bot-world.h"

#include <string.h>

#include "bfk-offers.h"

/* Backers' weeks are the contract's: block.timestamp / 1 weeks. */
#define WEEK_SECONDS (7 * 24 * 60 * 60)

static sqlite3_stmt *
prepare (BfkStore    *store,
         const gchar *sql)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = bfk_store_prepare (store, sql, &error);

  if (!stmt)
    g_warning ("The bot could not read the store: %s", error->message);
  return stmt;
}

static void
warn_unless_done (BfkStore    *store,
                  int          rc,
                  const gchar *doing)
{
  g_autoptr(GError) error = NULL;

  if (rc == SQLITE_DONE || rc == SQLITE_ROW)
    return;
  bfk_store_set_error (store, &error, doing);
  g_warning ("The bot could not read the store: %s", error->message);
}

static gchar *
text_dup (sqlite3_stmt *stmt,
          int           column)
{
  const gchar *text = (const gchar *) sqlite3_column_text (stmt, column);

  return g_strdup (text ? text : "");
}

static GPtrArray *
communities (gpointer user_data)
{
  BfkStore *store = user_data;
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify) bfk_bot_community_free);
  sqlite3_stmt *stmt = prepare (store,
      "SELECT id, name, currency_name, currency_symbol, members, volume FROM communities ORDER BY id");
  int rc;

  if (!stmt)
    return list;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BfkBotCommunity *c = g_new0 (BfkBotCommunity, 1);

      c->id = (guint64) sqlite3_column_int64 (stmt, 0);
      c->name = text_dup (stmt, 1);
      c->currency_name = text_dup (stmt, 2);
      c->currency_symbol = text_dup (stmt, 3);
      c->members = (guint64) sqlite3_column_int64 (stmt, 4);
      c->volume = (guint64) sqlite3_column_int64 (stmt, 5);
      g_ptr_array_add (list, c);
    }
  warn_unless_done (store, rc, "listing communities");
  return list;
}

/* id, name, community, on chain, balance, escrow, stars, ratings,
 * exchanges, joined: the columns read_member expects. */
#define MEMBER_SELECT \
  "SELECT m.id, m.name, m.community_id, a.address IS NOT NULL, coalesce (a.balance, 0)," \
  "       coalesce (a.escrow, 0), coalesce (a.reputation, 0), coalesce (a.ratings, 0)," \
  "       coalesce (a.exchanges, 0), m.created_at" \
  "  FROM members m LEFT JOIN accounts a ON a.address = m.address "

static BfkBotMember *
read_member (sqlite3_stmt *stmt)
{
  BfkBotMember *m = g_new0 (BfkBotMember, 1);

  m->id = sqlite3_column_int64 (stmt, 0);
  m->name = text_dup (stmt, 1);
  m->community_id = (guint64) sqlite3_column_int64 (stmt, 2);
  m->registered_on_chain = sqlite3_column_int (stmt, 3) != 0;
  /* A balance below zero cannot come from the chain; never show one. */
  m->balance = (guint64) MAX (sqlite3_column_int64 (stmt, 4), 0);
  m->escrow = (guint64) MAX (sqlite3_column_int64 (stmt, 5), 0);
  m->stars = (guint64) MAX (sqlite3_column_int64 (stmt, 6), 0);
  m->ratings = (guint64) MAX (sqlite3_column_int64 (stmt, 7), 0);
  m->exchanges = (guint64) MAX (sqlite3_column_int64 (stmt, 8), 0);
  m->joined_at = sqlite3_column_int64 (stmt, 9);
  return m;
}

BfkBotMember *
bfk_bot_world_member (BfkStore  *store,
                      gint64     member_id,
                      GError   **error)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store, MEMBER_SELECT "WHERE m.id = ?", error);
  int rc;

  if (!stmt)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, member_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return read_member (stmt);
  if (rc != SQLITE_DONE)
    bfk_store_set_error (store, error, "reading a member");
  return NULL;
}

static GPtrArray *
members_named (gpointer     user_data,
               const gchar *name)
{
  BfkStore *store = user_data;
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify) bfk_bot_member_free);
  sqlite3_stmt *stmt = prepare (store, MEMBER_SELECT "WHERE m.name = ? COLLATE NOCASE ORDER BY m.id");
  int rc;

  if (!stmt)
    return list;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, read_member (stmt));
  warn_unless_done (store, rc, "finding members by name");
  return list;
}

static GPtrArray *
offers_to_bot (GPtrArray *offers)
{
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify) bfk_bot_offer_free);

  for (guint i = 0; offers && i < offers->len; i++)
    {
      const BfkOffer *o = g_ptr_array_index (offers, i);
      BfkBotOffer *b = g_new0 (BfkBotOffer, 1);

      b->id = (guint64) o->id;
      b->provider_id = o->member_id;
      b->provider_name = g_strdup (o->provider_name ? o->provider_name : "");
      b->title = g_strdup (o->title);
      b->price = (guint64) MAX (o->price, 0);
      b->provider_stars = (guint64) MAX (o->provider_reputation, 0);
      b->provider_ratings = (guint64) MAX (o->provider_ratings, 0);
      g_ptr_array_add (list, b);
    }
  return list;
}

static GPtrArray *
search_offers (gpointer     user_data,
               guint64      community_id,
               const gchar *words,
               guint        limit)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) offers = bfk_offers_search (user_data, community_id, words, limit, &error);

  if (!offers)
    g_warning ("The bot could not search offers: %s", error->message);
  return offers_to_bot (offers);
}

static GPtrArray *
member_offers (gpointer user_data,
               gint64   member_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) offers = bfk_offers_list_by_member (user_data, member_id, &error);

  if (!offers)
    g_warning ("The bot could not list offers: %s", error->message);
  return offers_to_bot (offers);
}

/* The exchange as the follower derived it, with its parties' member rows
 * (a party that is not one of our members reads as id 0) and whether each
 * has rated it (ExchangeRated: account is the rater). */
static BfkBotExchange *
exchange (gpointer user_data,
          guint64  exchange_id)
{
  BfkStore *store = user_data;
  sqlite3_stmt *stmt = prepare (store,
      "SELECT x.id, coalesce (p.id, 0), coalesce (q.id, 0), p.name, q.name, x.community_id,"
      "       x.amount, x.state, x.deadline,"
      "       EXISTS (SELECT 1 FROM events e WHERE e.kind = 'ExchangeRated'"
      "               AND e.exchange_id = x.id AND e.account = x.payer),"
      "       EXISTS (SELECT 1 FROM events e WHERE e.kind = 'ExchangeRated'"
      "               AND e.exchange_id = x.id AND e.account = x.provider)"
      "  FROM exchanges x"
      "  LEFT JOIN members p ON p.address = x.payer"
      "  LEFT JOIN members q ON q.address = x.provider"
      " WHERE x.id = ?");
  BfkBotExchange *x;
  int rc;

  if (!stmt)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) exchange_id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      warn_unless_done (store, rc, "reading an exchange");
      return NULL;
    }
  x = g_new0 (BfkBotExchange, 1);
  x->id = (guint64) sqlite3_column_int64 (stmt, 0);
  x->payer_id = sqlite3_column_int64 (stmt, 1);
  x->provider_id = sqlite3_column_int64 (stmt, 2);
  x->payer_name = text_dup (stmt, 3);
  x->provider_name = text_dup (stmt, 4);
  x->community_id = (guint64) sqlite3_column_int64 (stmt, 5);
  x->amount = (guint64) MAX (sqlite3_column_int64 (stmt, 6), 0);
  x->state = (BfkExchangeState) sqlite3_column_int (stmt, 7);
  x->deadline = sqlite3_column_int64 (stmt, 8);
  x->payer_rated = sqlite3_column_int (stmt, 9) != 0;
  x->provider_rated = sqlite3_column_int (stmt, 10) != 0;
  return x;
}

/* What is left of a cap this week counts the recharges this console sent
 * for the backer and saw confirmed in the contract's current week: the store
 * has no block times, and our confirmation time is within seconds of the
 * block's.  Recharges sent by other tools are not seen, so it may say more
 * than the contract will allow; the contract still refuses the excess. */
static GPtrArray *
backers (gpointer user_data,
         guint64  community_id)
{
  BfkStore *store = user_data;
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify) bfk_bot_backer_free);
  sqlite3_stmt *stmt = prepare (store,
      "SELECT b.address, coalesce (m.name, ''), b.weekly_cap,"
      "       (SELECT coalesce (sum (o.amount), 0) FROM operations o"
      "         WHERE o.kind = 'recharge' AND o.signer = b.address AND o.state = 'confirmed'"
      "           AND o.confirmed_at / ?2 = ?3 / ?2)"
      "  FROM backers b LEFT JOIN members m ON m.address = b.address"
      " WHERE b.community_id = ?1 AND b.active ORDER BY b.address");
  gint64 now = bfk_store_now ();
  int rc;

  if (!stmt)
    return list;
  sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) community_id);
  sqlite3_bind_int64 (stmt, 2, WEEK_SECONDS);
  sqlite3_bind_int64 (stmt, 3, now);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BfkBotBacker *b = g_new0 (BfkBotBacker, 1);
      const gchar *address = (const gchar *) sqlite3_column_text (stmt, 0);
      const gchar *name = (const gchar *) sqlite3_column_text (stmt, 1);
      gint64 cap = sqlite3_column_int64 (stmt, 2);
      gint64 used = sqlite3_column_int64 (stmt, 3);

      /* People know a backer by name when it is also a member; otherwise
       * by the start and end of its address, as wallets show it. */
      b->label = name && *name ? g_strdup (name)
                               : g_strdup_printf ("%.6s…%s", address, address + MAX (strlen (address), 4) - 4);
      b->weekly_cap = (guint64) MAX (cap, 0);
      b->left_this_week = (guint64) MAX (cap - used, 0);
      g_ptr_array_add (list, b);
    }
  warn_unless_done (store, rc, "listing backers");
  return list;
}

void
bfk_bot_world_init_store (BfkBotWorld *world,
                          BfkStore    *store)
{
  *world = (BfkBotWorld) {
    .communities = communities,
    .members_named = members_named,
    .search_offers = search_offers,
    .member_offers = member_offers,
    .exchange = exchange,
    .backers = backers,
    .user_data = store,
  };
}
