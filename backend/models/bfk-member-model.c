/* bfk-member-model.c: the index query of members, and their pages. */
#include "bfk-member-model.h"
#include "bfk-models-private.h"
#include "bfk-store-rows.h"

struct _BfkMemberModel
{
  BfkPagedModel  parent_instance;

  guint64        community_id;
  gchar         *name_pattern;   /* LIKE pattern, or NULL */
  gchar         *phone_pattern;  /* LIKE pattern of the search's digits, or NULL */
  gchar         *match;          /* the same as a trigram MATCH, or NULL when too short */
  gboolean       capped;         /* the search found more than the limit */
  gint           by_match;       /* -1: not decided yet for this search; else whether
                                  * the trigram index drives it */
  BfkMemberSort  sort;
  gboolean       descending;
};

G_DEFINE_FINAL_TYPE (BfkMemberModel, bfk_member_model, BFK_TYPE_PAGED_MODEL)

/* Only the sort by balance needs the accounts: the others read nothing but
 * members_name_scan (name, phone, community), a covering index.  ?2 NULL
 * is no search, ?3 NULL a search without digits. */
#define SCAN_SELECT "SELECT m.id FROM members m "
#define SCAN_WHERE \
  "WHERE (?1 = 0 OR m.community_id = ?1)" \
  "  AND (?2 IS NULL OR m.name LIKE ?2 ESCAPE '\\' OR m.phone LIKE ?3 ESCAPE '\\') "
/* A search whose trigram index answers few members starts from them: ?2 is
 * the MATCH expression. */
#define MATCH_SELECT "SELECT m.id FROM members_search s CROSS JOIN members m ON m.id = s.rowid "
#define MATCH_WHERE \
  "WHERE (?1 = 0 OR m.community_id = ?1) AND members_search MATCH ?2 "
#define BALANCE_JOIN "LEFT JOIN accounts a ON a.address = m.address "

/* ?4: at most this many rows; -1 is all. */
#define NAME_ASC     "ORDER BY m.name COLLATE NOCASE, m.id LIMIT ?4"
#define NAME_DESC    "ORDER BY m.name COLLATE NOCASE DESC, m.id DESC LIMIT ?4"
#define BALANCE_ASC  "ORDER BY coalesce (a.balance, 0), m.id LIMIT ?4"
#define BALANCE_DESC "ORDER BY coalesce (a.balance, 0) DESC, m.id DESC LIMIT ?4"
#define JOINED_ASC   "ORDER BY m.created_at, m.id LIMIT ?4"
#define JOINED_DESC  "ORDER BY m.created_at DESC, m.id DESC LIMIT ?4"

/* By path (scan, match), sort, then descending; ORDER BY cannot be bound,
 * so one text each. */
static const gchar *const index_sql[2][3][2] = {
  {
    [BFK_MEMBER_SORT_NAME] = { SCAN_SELECT SCAN_WHERE NAME_ASC, SCAN_SELECT SCAN_WHERE NAME_DESC },
    [BFK_MEMBER_SORT_BALANCE] = { SCAN_SELECT BALANCE_JOIN SCAN_WHERE BALANCE_ASC,
                                  SCAN_SELECT BALANCE_JOIN SCAN_WHERE BALANCE_DESC },
    [BFK_MEMBER_SORT_JOINED] = { SCAN_SELECT SCAN_WHERE JOINED_ASC, SCAN_SELECT SCAN_WHERE JOINED_DESC },
  },
  {
    [BFK_MEMBER_SORT_NAME] = { MATCH_SELECT MATCH_WHERE NAME_ASC, MATCH_SELECT MATCH_WHERE NAME_DESC },
    [BFK_MEMBER_SORT_BALANCE] = { MATCH_SELECT BALANCE_JOIN MATCH_WHERE BALANCE_ASC,
                                  MATCH_SELECT BALANCE_JOIN MATCH_WHERE BALANCE_DESC },
    [BFK_MEMBER_SORT_JOINED] = { MATCH_SELECT MATCH_WHERE JOINED_ASC, MATCH_SELECT MATCH_WHERE JOINED_DESC },
  },
};

/* Above this many trigram matches, sorting them costs more than scanning
 * the covering index in name order (measured on a million members). */
#define MATCH_DRIVES_BELOW 20000

/* Whether the trigram index should drive: it has few matches. */
static gboolean
match_is_selective (BfkStore     *store,
                    const gchar  *match,
                    GError      **error)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store,
      "SELECT count (*) FROM (SELECT rowid FROM members_search WHERE members_search MATCH ?1"
      " LIMIT " G_STRINGIFY (MATCH_DRIVES_BELOW) ")", error);
  gint64 n;

  if (!stmt)
    return FALSE;
  sqlite3_bind_text (stmt, 1, match, -1, SQLITE_STATIC);
  n = sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : MATCH_DRIVES_BELOW;
  sqlite3_reset (stmt);
  return n < MATCH_DRIVES_BELOW;
}

static GArray *
bfk_member_model_load_index (BfkPagedModel  *model,
                             GError        **error)
{
  BfkMemberModel *self = BFK_MEMBER_MODEL (model);
  BfkStore *store = bfk_paged_model_get_store (model);
  gboolean by_match;
  GArray *ids;
  gboolean limited;
  sqlite3_stmt *stmt;

  /* Decided once a search: a refresh at each change need not count again. */
  if (self->by_match < 0)
    self->by_match = self->match && match_is_selective (store, self->match, NULL);
  by_match = self->by_match;
  stmt = bfk_store_prepare (store, index_sql[by_match][self->sort][self->descending ? 1 : 0], error);

  if (!stmt)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) self->community_id);
  /* A search that matches a multitude shows its first rows in order, and
   * says so: reading every match would cost more than it tells. */
  limited = self->name_pattern && !by_match;
  self->capped = FALSE;
  sqlite3_bind_int64 (stmt, 4, limited ? BFK_MEMBER_MODEL_SEARCH_LIMIT + 1 : -1);
  if (by_match)
    sqlite3_bind_text (stmt, 2, self->match, -1, SQLITE_STATIC);
  else if (self->name_pattern)
    {
      sqlite3_bind_text (stmt, 2, self->name_pattern, -1, SQLITE_STATIC);
      if (self->phone_pattern)
        sqlite3_bind_text (stmt, 3, self->phone_pattern, -1, SQLITE_STATIC);
    }
  ids = bfk_paged_model_read_ids (model, stmt, error);
  if (ids && limited && ids->len > BFK_MEMBER_MODEL_SEARCH_LIMIT)
    {
      g_array_set_size (ids, BFK_MEMBER_MODEL_SEARCH_LIMIT);
      self->capped = TRUE;
    }
  return ids;
}

static gpointer
member_from_statement (sqlite3_stmt *stmt)
{
  return bfk_member_item_new_from_statement (stmt);
}

static gboolean
bfk_member_model_fetch_page (BfkPagedModel  *model,
                             const gint64   *ids,
                             guint           n_ids,
                             GHashTable     *items,
                             GError        **error)
{
  return bfk_paged_model_fetch_rows (model,
                                     "SELECT " BFK_MEMBER_ITEM_COLUMNS
                                     "  FROM members m"
                                     "  LEFT JOIN accounts a ON a.address = m.address"
                                     "  LEFT JOIN communities c ON c.id = m.community_id"
                                     " WHERE m.id IN " BFK_PAGED_MODEL_IN_LIST,
                                     ids, n_ids,
                                     member_from_statement,
                                     items, error);
}

static gpointer
bfk_member_model_new_blank (gint64 id)
{
  return bfk_member_item_new_blank (id);
}

static void
bfk_member_model_finalize (GObject *object)
{
  BfkMemberModel *self = BFK_MEMBER_MODEL (object);

  g_free (self->name_pattern);
  g_free (self->phone_pattern);
  g_free (self->match);
  G_OBJECT_CLASS (bfk_member_model_parent_class)->finalize (object);
}

static void
bfk_member_model_class_init (BfkMemberModelClass *klass)
{
  BfkPagedModelClass *paged_class = BFK_PAGED_MODEL_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = bfk_member_model_finalize;
  paged_class->load_index = bfk_member_model_load_index;
  paged_class->fetch_page = bfk_member_model_fetch_page;
  paged_class->new_blank = bfk_member_model_new_blank;
}

static void
bfk_member_model_init (BfkMemberModel *self)
{
  self->sort = BFK_MEMBER_SORT_NAME;
  self->by_match = -1;
}

BfkMemberModel *
bfk_member_model_new (BfkStore  *store,
                      GError   **error)
{
  g_autoptr(BfkMemberModel) self = g_object_new (BFK_TYPE_MEMBER_MODEL, NULL);

  if (!bfk_paged_model_setup (BFK_PAGED_MODEL (self), store, BFK_TYPE_MEMBER_ITEM, error))
    return NULL;
  return g_steal_pointer (&self);
}

void
bfk_member_model_set_community (BfkMemberModel *self,
                                guint64         community_id)
{
  g_return_if_fail (BFK_IS_MEMBER_MODEL (self));

  self->community_id = community_id;
}

/* An FTS5 string: in double quotes, a quote doubled. */
static void
append_fts_string (GString     *s,
                   const gchar *text)
{
  g_string_append_c (s, '"');
  for (const gchar *p = text; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (s, '"');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '"');
}

/* The trigram index finds texts of three characters or more; a shorter
 * search (and a LIKE pattern) goes through the scan. */
static gchar *
match_expression (const gchar *text,
                  const gchar *digits)
{
  gboolean name_ok = g_utf8_strlen (text, -1) >= 3;
  gboolean phone_ok = strlen (digits) >= 3;
  GString *s;

  if (!name_ok && !phone_ok)
    return NULL;
  s = g_string_new (NULL);
  if (name_ok)
    {
      g_string_append (s, "name : ");
      append_fts_string (s, text);
    }
  if (phone_ok)
    {
      g_string_append (s, name_ok ? " OR phone : " : "phone : ");
      append_fts_string (s, digits);
    }
  return g_string_free (s, FALSE);
}

void
bfk_member_model_set_search (BfkMemberModel *self,
                             const gchar    *text)
{
  g_autoptr(GString) digits = g_string_new (NULL);
  g_autofree gchar *trimmed = g_strstrip (g_strdup (text ? text : ""));

  g_return_if_fail (BFK_IS_MEMBER_MODEL (self));

  g_clear_pointer (&self->name_pattern, g_free);
  g_clear_pointer (&self->phone_pattern, g_free);
  g_clear_pointer (&self->match, g_free);
  self->by_match = -1;
  if (*trimmed == '\0')
    return;
  self->name_pattern = bfk_store_like_pattern (trimmed);
  /* "+237 699-00" finds +23769900…: phone numbers are stored as E.164. */
  for (const gchar *p = trimmed; *p; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (digits, *p);
  /* Three digits at least, as the trigram index needs: both ways of
   * searching find the same members. */
  if (digits->len >= 3)
    self->phone_pattern = bfk_store_like_pattern (digits->str);
  self->match = match_expression (trimmed, digits->str);
}

void
bfk_member_model_set_sort (BfkMemberModel *self,
                           BfkMemberSort   sort,
                           gboolean        descending)
{
  g_return_if_fail (BFK_IS_MEMBER_MODEL (self));
  g_return_if_fail (sort <= BFK_MEMBER_SORT_JOINED);

  self->sort = sort;
  self->descending = descending != FALSE;
}

gboolean
bfk_member_model_get_capped (BfkMemberModel *self)
{
  g_return_val_if_fail (BFK_IS_MEMBER_MODEL (self), FALSE);

  return self->capped;
}

gboolean
bfk_member_model_refresh (BfkMemberModel  *self,
                          GError         **error)
{
  g_return_val_if_fail (BFK_IS_MEMBER_MODEL (self), FALSE);

  return bfk_paged_model_refresh (BFK_PAGED_MODEL (self), error);
}
