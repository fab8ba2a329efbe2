/* bfk-offers.c */
#include "bfk-offers.h"

#include "bfk-store-rows.h"

G_DEFINE_QUARK (bfk-offer-error-quark, bfk_offer_error)

/* Words a search takes at the most: a sentence, not a document. */
#define MAX_WORDS 12
/* Shorter words match only whole: "de" would find half the titles. */
#define PREFIX_MIN 3

/* With the provider; the reputation is the chain's, by the member's
 * address, and 0 while the follower has not seen the account. */
#define OFFER_SELECT \
  "SELECT o.id, o.member_id, o.community_id, o.title, o.price, o.active, o.created_at, " \
  "m.name, coalesce(a.reputation, 0), coalesce(a.ratings, 0) " \
  "FROM offers o JOIN members m ON m.id = o.member_id " \
  "LEFT JOIN accounts a ON a.address = m.address "

void
bfk_offer_free (BfkOffer *offer)
{
  if (!offer)
    return;
  g_free (offer->title);
  g_free (offer->provider_name);
  g_free (offer);
}

static gpointer
offer_from_row (sqlite3_stmt *stmt)
{
  BfkOffer *o = g_new0 (BfkOffer, 1);

  o->id = sqlite3_column_int64 (stmt, 0);
  o->member_id = sqlite3_column_int64 (stmt, 1);
  o->community_id = (guint64) sqlite3_column_int64 (stmt, 2);
  o->title = bfk_store_column_dup (stmt, 3);
  o->price = sqlite3_column_int64 (stmt, 4);
  o->active = sqlite3_column_int (stmt, 5) != 0;
  o->created_at = sqlite3_column_int64 (stmt, 6);
  o->provider_name = bfk_store_column_dup (stmt, 7);
  o->provider_reputation = sqlite3_column_int64 (stmt, 8);
  o->provider_ratings = sqlite3_column_int64 (stmt, 9);
  return o;
}

BfkOffer *
bfk_offers_get (BfkStore  *store,
                gint64     offer_id,
                GError   **error)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store, OFFER_SELECT "WHERE o.id = ?", error);

  if (!stmt)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, offer_id);
  return bfk_store_row (store, stmt, offer_from_row, error, BFK_OFFER_ERROR, BFK_OFFER_ERROR_NOT_FOUND,
                        "No offer has the number %" G_GINT64_FORMAT, offer_id);
}

BfkOffer *
bfk_offers_add (BfkStore     *store,
                gint64        member_id,
                const gchar  *title,
                gint64        price,
                GError      **error)
{
  g_autofree gchar *clean = g_strstrip (g_utf8_make_valid (title ? title : "", -1));
  glong len = g_utf8_strlen (clean, -1);
  sqlite3_stmt *stmt;
  gint64 changed;

  if (len < 1 || len > BFK_OFFER_TITLE_MAX)
    {
      g_set_error (error, BFK_OFFER_ERROR, BFK_OFFER_ERROR_INVALID_TITLE,
                   "An offer needs a title of 1 to %d characters", BFK_OFFER_TITLE_MAX);
      return NULL;
    }
  if (price <= 0)
    {
      g_set_error (error, BFK_OFFER_ERROR, BFK_OFFER_ERROR_INVALID_PRICE,
                   "The price of an offer is a positive whole number, not %" G_GINT64_FORMAT, price);
      return NULL;
    }
  /* The community is the member's, in the same statement: an offer cannot
   * land in another community than its owner's. */
  stmt = bfk_store_prepare (store,
                            "INSERT INTO offers (member_id, community_id, title, price, created_at) "
                            "SELECT id, community_id, ?2, ?3, ?4 FROM members WHERE id = ?1", error);
  if (!stmt)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, member_id);
  sqlite3_bind_text (stmt, 2, clean, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, price);
  sqlite3_bind_int64 (stmt, 4, bfk_store_now ());
  if ((changed = bfk_store_step_changes (store, stmt, error)) < 0)
    return NULL;
  if (changed == 0)
    {
      g_set_error (error, BFK_OFFER_ERROR, BFK_OFFER_ERROR_NOT_FOUND,
                   "No member has the id %" G_GINT64_FORMAT, member_id);
      return NULL;
    }
  return bfk_offers_get (store, sqlite3_last_insert_rowid (bfk_store_get_db (store)), error);
}

gboolean
bfk_offers_deactivate (BfkStore  *store,
                       gint64     offer_id,
                       gint64     member_id,
                       GError   **error)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store,
                                          "UPDATE offers SET active = 0 "
                                          "WHERE id = ? AND member_id = ? AND active", error);
  gint64 changed;

  if (!stmt)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, offer_id);
  sqlite3_bind_int64 (stmt, 2, member_id);
  changed = bfk_store_step_changes (store, stmt, error);
  if (changed == 0)
    g_set_error (error, BFK_OFFER_ERROR, BFK_OFFER_ERROR_NOT_FOUND,
                 "You have no offer number %" G_GINT64_FORMAT, offer_id);
  return changed > 0;
}

GPtrArray *
bfk_offers_list_by_member (BfkStore  *store,
                           gint64     member_id,
                           GError   **error)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store, OFFER_SELECT "WHERE o.member_id = ? AND o.active "
                                          "ORDER BY o.id", error);

  if (!stmt)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, member_id);
  return bfk_store_rows (store, stmt, offer_from_row, (GDestroyNotify) bfk_offer_free, error);
}

/* --- search --- */

/* What FTS5's unicode61 tokenizer keeps in a token: letters, digits, and
 * the accents it then removes. */
static gboolean
is_word_char (gunichar c)
{
  return g_unichar_isalnum (c) || g_unichar_ismark (c);
}

/* The words of text, each with the number of its letters and digits. */
static GPtrArray *
split_words (const gchar *text,
             GArray      *lengths)
{
  g_autofree gchar *valid = g_utf8_make_valid (text, -1);
  GPtrArray *words = g_ptr_array_new_with_free_func (g_free);
  const gchar *p = valid;

  while (*p && words->len < MAX_WORDS)
    {
      const gchar *start;
      guint letters = 0;

      while (*p && !is_word_char (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      if (!*p)
        break;
      for (start = p; *p && is_word_char (g_utf8_get_char (p)); p = g_utf8_next_char (p))
        letters += g_unichar_isalnum (g_utf8_get_char (p)) ? 1 : 0;
      g_ptr_array_add (words, g_strndup (start, (gsize) (p - start)));
      g_array_append_val (lengths, letters);
    }
  return words;
}

gchar *
bfk_offers_match_query (const gchar *words)
{
  g_autoptr(GArray) lengths = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GPtrArray) list = split_words (words ? words : "", lengths);
  g_autoptr(GString) query = g_string_new (NULL);
  guint longest = 0;

  for (guint i = 0; i < lengths->len; i++)
    longest = MAX (longest, g_array_index (lengths, guint, i));
  for (guint i = 0; i < list->len; i++)
    {
      guint letters = g_array_index (lengths, guint, i);

      if (letters == 0 || (letters < PREFIX_MIN && longest >= PREFIX_MIN))
        continue;
      /* A word is only letters, digits and accents, and quoted besides:
       * FTS5 reads it as a string, never as AND, NEAR or a column name. */
      g_string_append_printf (query, "%s\"%s\"%s", query->len ? " OR " : "",
                              (const gchar *) list->pdata[i], letters >= PREFIX_MIN ? "*" : "");
    }
  return query->len ? g_string_free (g_steal_pointer (&query), FALSE) : NULL;
}

GPtrArray *
bfk_offers_search (BfkStore     *store,
                   guint64       community_id,
                   const gchar  *words,
                   guint         limit,
                   GError      **error)
{
  g_autofree gchar *query = bfk_offers_match_query (words);
  sqlite3_stmt *stmt;

  if (!query)
    return g_ptr_array_new_with_free_func ((GDestroyNotify) bfk_offer_free);
  stmt = bfk_store_prepare (store,
                            OFFER_SELECT "JOIN offers_fts ON offers_fts.rowid = o.id "
                            "WHERE offers_fts MATCH ?1 AND o.community_id = ?2 AND o.active "
                            "ORDER BY offers_fts.rank, o.price, o.id LIMIT ?3", error);
  if (!stmt)
    return NULL;
  sqlite3_bind_text (stmt, 1, query, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, (gint64) community_id);
  sqlite3_bind_int64 (stmt, 3, limit);
  return bfk_store_rows (store, stmt, offer_from_row, (GDestroyNotify) bfk_offer_free, error);
}
