/* bfk-members.c */
#include "bfk-members.h"

#include <string.h>

G_DEFINE_QUARK (bfk-member-error-quark, bfk_member_error)

#define MEMBER_COLUMNS "id, phone, name, community_id, address, created_at, language, last_seen_at"

void
bfk_member_free (BfkMember *member)
{
  if (!member)
    return;
  g_free (member->phone);
  g_free (member->name);
  g_free (member->language);
  g_free (member);
}

/* --- validation --- */

/* What people put between digits: spaces (also the no-break space that
 * spreadsheets write, U+00A0 as C2 A0), dots, dashes, brackets. */
static gsize
separator_length (const gchar *p)
{
  if (*p == ' ' || *p == '\t' || *p == '.' || *p == '-' || *p == '(' || *p == ')')
    return 1;
  if ((guchar) p[0] == 0xc2 && (guchar) p[1] == 0xa0)
    return 2;
  return 0;
}

gchar *
bfk_phone_normalize (const gchar  *text,
                     GError      **error)
{
  g_autoptr(GString) digits = g_string_new ("+");
  const gchar *p = text;
  gboolean international = FALSE;
  gsize skip;

  while (*p && (skip = separator_length (p)))
    p += skip;
  if (g_ascii_strncasecmp (p, "whatsapp:", 9) == 0)
    p += 9;
  for (; *p; p += skip ? skip : 1)
    {
      if ((skip = separator_length (p)))
        continue;
      if (*p == '+' && !international && digits->len == 1)
        international = TRUE;
      else if (g_ascii_isdigit (*p))
        g_string_append_c (digits, *p);
      else
        break;
    }
  /* "00" is the international prefix dialled from most of Africa and Europe. */
  if (!international && g_str_has_prefix (digits->str, "+00"))
    {
      g_string_erase (digits, 1, 2);
      international = TRUE;
    }
  if (*p || !international || digits->len < 1 + 8 || digits->len > 1 + 15 || digits->str[1] == '0')
    {
      g_set_error (error, BFK_MEMBER_ERROR, BFK_MEMBER_ERROR_INVALID_PHONE,
                   "“%s” is not a phone number: write it with its country code, "
                   "like +237 6 99 00 11 22", text);
      return NULL;
    }
  return g_string_free (g_steal_pointer (&digits), FALSE);
}

gchar *
bfk_phone_mask (const gchar *e164)
{
  gsize len = e164 ? strlen (e164) : 0;

  /* The country code and the first digit say little about a person; the
   * last two let staff tell numbers apart. */
  if (len < 1 + 8 || e164[0] != '+')
    return g_strdup ("…");
  return g_strdup_printf ("%.5s…%s", e164, e164 + len - 2);
}

gchar *
bfk_member_name_normalize (const gchar  *text,
                           GError      **error)
{
  g_autofree gchar *name = g_strstrip (g_strdup (text ? text : ""));
  gsize len = strlen (name);
  gboolean ok = len >= BFK_MEMBER_NAME_MIN && len <= BFK_MEMBER_NAME_MAX;

  for (const gchar *p = name; ok && *p; p++)
    ok = g_ascii_isalnum (*p) || *p == '_';
  if (!ok)
    {
      g_set_error (error, BFK_MEMBER_ERROR, BFK_MEMBER_ERROR_INVALID_NAME,
                   "“%s” cannot be a user name: use %d to %d letters (without accents), "
                   "digits or _", text ? text : "", BFK_MEMBER_NAME_MIN, BFK_MEMBER_NAME_MAX);
      return NULL;
    }
  return g_steal_pointer (&name);
}

gchar *
bfk_language_normalize (const gchar  *text,
                        GError      **error)
{
  g_autofree gchar *code = g_strstrip (g_strdup (text ? text : ""));

  if (strlen (code) != 2 || !g_ascii_isalpha (code[0]) || !g_ascii_isalpha (code[1]))
    {
      g_set_error (error, BFK_MEMBER_ERROR, BFK_MEMBER_ERROR_INVALID_LANGUAGE,
                   "“%s” is not a language: use its two-letter code, like fr or en",
                   text ? text : "");
      return NULL;
    }
  return g_ascii_strdown (code, -1);
}

/* --- reading --- */

static BfkMember *
member_from_row (sqlite3_stmt *stmt)
{
  BfkMember *m = g_new0 (BfkMember, 1);
  const gchar *address = (const gchar *) sqlite3_column_text (stmt, 4);

  m->id = sqlite3_column_int64 (stmt, 0);
  m->phone = g_strdup ((const gchar *) sqlite3_column_text (stmt, 1));
  m->name = g_strdup ((const gchar *) sqlite3_column_text (stmt, 2));
  m->community_id = (guint64) sqlite3_column_int64 (stmt, 3);
  /* We wrote it; a row edited by hand to garbage reads as the zero address. */
  if (!address || !bfk_address_parse (address, &m->address, NULL))
    memset (&m->address, 0, sizeof m->address);
  m->created_at = sqlite3_column_int64 (stmt, 5);
  m->language = g_strdup ((const gchar *) sqlite3_column_text (stmt, 6));
  m->last_seen_at = sqlite3_column_int64 (stmt, 7);
  return m;
}

/* Steps a bound SELECT of MEMBER_COLUMNS: the first row, or NULL with
 * not_found as a NOT_FOUND error (or the store's error). */
static BfkMember *
step_one (BfkStore      *store,
          sqlite3_stmt  *stmt,
          const gchar   *not_found,
          GError       **error)
{
  int rc = sqlite3_step (stmt);
  BfkMember *m = NULL;

  if (rc == SQLITE_ROW)
    m = member_from_row (stmt);
  else if (rc == SQLITE_DONE)
    g_set_error_literal (error, BFK_MEMBER_ERROR, BFK_MEMBER_ERROR_NOT_FOUND, not_found);
  else
    bfk_store_set_error (store, error, "reading members");
  sqlite3_reset (stmt);
  return m;
}

BfkMember *
bfk_members_get (BfkStore  *store,
                 gint64     id,
                 GError   **error)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store, "SELECT " MEMBER_COLUMNS " FROM members WHERE id = ?",
                                          error);
  g_autofree gchar *message = NULL;

  if (!stmt)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  message = g_strdup_printf ("No member has the id %" G_GINT64_FORMAT, id);
  return step_one (store, stmt, message, error);
}

/* The member whose column (in sql) equals value. */
static BfkMember *
find_by_text (BfkStore     *store,
              const gchar  *sql,
              const gchar  *value,
              const gchar  *not_found,
              GError      **error)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store, sql, error);

  if (!stmt)
    return NULL;
  sqlite3_bind_text (stmt, 1, value, -1, SQLITE_TRANSIENT);
  return step_one (store, stmt, not_found, error);
}

/* By an already normalised number. */
static BfkMember *
find_by_e164 (BfkStore     *store,
              const gchar  *e164,
              GError      **error)
{
  g_autofree gchar *message = g_strdup_printf ("No member has the number %s", e164);

  return find_by_text (store, "SELECT " MEMBER_COLUMNS " FROM members WHERE phone = ?", e164,
                       message, error);
}

BfkMember *
bfk_members_find_by_phone (BfkStore     *store,
                           const gchar  *phone,
                           GError      **error)
{
  g_autofree gchar *e164 = bfk_phone_normalize (phone, error);

  return e164 ? find_by_e164 (store, e164, error) : NULL;
}

BfkMember *
bfk_members_find_by_address (BfkStore          *store,
                             const BfkAddress  *address,
                             GError           **error)
{
  gchar text[BFK_ADDRESS_STRING_SIZE];
  g_autofree gchar *message = NULL;

  /* Stored in the EIP-55 form, which is unique per address. */
  bfk_address_to_string_buf (address, text);
  message = g_strdup_printf ("No member has the address %s", text);
  return find_by_text (store, "SELECT " MEMBER_COLUMNS " FROM members WHERE address = ?", text,
                       message, error);
}

static BfkMember *
find_in_community (BfkStore     *store,
                   const gchar  *name,
                   guint64       community_id,
                   GError      **error)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store,
                                          "SELECT " MEMBER_COLUMNS " FROM members "
                                          "WHERE community_id = ? AND name = ? COLLATE NOCASE",
                                          error);
  g_autofree gchar *message = NULL;

  if (!stmt)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, (gint64) community_id);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_TRANSIENT);
  message = g_strdup_printf ("No member is called %s in community %" G_GUINT64_FORMAT,
                             name, community_id);
  return step_one (store, stmt, message, error);
}

static BfkMember *
find_anywhere (BfkStore     *store,
               const gchar  *name,
               GError      **error)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store,
                                          "SELECT " MEMBER_COLUMNS " FROM members "
                                          "WHERE name = ? COLLATE NOCASE ORDER BY community_id",
                                          error);
  g_autoptr(BfkMember) first = NULL;
  g_autoptr(GString) where = NULL;
  int rc;

  if (!stmt)
    return NULL;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (!first)
        {
          first = member_from_row (stmt);
          continue;
        }
      if (!where)
        where = g_string_new (NULL);
      g_string_append_printf (where, "%s%" G_GINT64_FORMAT, where->len ? ", " : "",
                              (gint64) sqlite3_column_int64 (stmt, 3));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      bfk_store_set_error (store, error, "reading members");
      return NULL;
    }
  if (!first)
    {
      g_set_error (error, BFK_MEMBER_ERROR, BFK_MEMBER_ERROR_NOT_FOUND,
                   "No member is called %s", name);
      return NULL;
    }
  if (where)
    {
      g_set_error (error, BFK_MEMBER_ERROR, BFK_MEMBER_ERROR_AMBIGUOUS,
                   "The name %s is used in communities %" G_GUINT64_FORMAT ", %s: say which community",
                   name, first->community_id, where->str);
      return NULL;
    }
  return g_steal_pointer (&first);
}

BfkMember *
bfk_members_find_by_name (BfkStore     *store,
                          const gchar  *name,
                          guint64       community_id,
                          GError      **error)
{
  g_autofree gchar *clean = bfk_member_name_normalize (name, error);

  if (!clean)
    return NULL;
  if (community_id == 0)
    return find_anywhere (store, clean, error);
  return find_in_community (store, clean, community_id, error);
}

BfkMember *
bfk_members_resolve (BfkStore     *store,
                     const gchar  *text,
                     GError      **error)
{
  g_autofree gchar *s = g_strstrip (g_strdup (text));
  BfkAddress address;

  if (g_ascii_strncasecmp (s, "0x", 2) == 0)
    return bfk_address_parse (s, &address, error)
      ? bfk_members_find_by_address (store, &address, error) : NULL;
  if (s[0] == '+' || g_str_has_prefix (s, "00") || g_ascii_strncasecmp (s, "whatsapp:", 9) == 0)
    return bfk_members_find_by_phone (store, s, error);
  return bfk_members_find_by_name (store, s, 0, error);
}

GPtrArray *
bfk_members_list (BfkStore  *store,
                  guint64    community_id,
                  guint      limit,
                  guint      offset,
                  GError   **error)
{
  sqlite3_stmt *stmt = community_id
    ? bfk_store_prepare (store, "SELECT " MEMBER_COLUMNS " FROM members WHERE community_id = ?3 "
                         "ORDER BY id LIMIT ?1 OFFSET ?2", error)
    : bfk_store_prepare (store, "SELECT " MEMBER_COLUMNS " FROM members "
                         "ORDER BY id LIMIT ?1 OFFSET ?2", error);
  g_autoptr(GPtrArray) members = g_ptr_array_new_with_free_func ((GDestroyNotify) bfk_member_free);
  int rc;

  if (!stmt)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, limit);
  sqlite3_bind_int64 (stmt, 2, offset);
  if (community_id)
    sqlite3_bind_int64 (stmt, 3, (gint64) community_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (members, member_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      bfk_store_set_error (store, error, "listing members");
      return NULL;
    }
  return g_steal_pointer (&members);
}

gint64
bfk_members_count (BfkStore  *store,
                   guint64    community_id,
                   GError   **error)
{
  sqlite3_stmt *stmt = community_id
    ? bfk_store_prepare (store, "SELECT count(*) FROM members WHERE community_id = ?", error)
    : bfk_store_prepare (store, "SELECT count(*) FROM members", error);
  gint64 n = -1;

  if (!stmt)
    return -1;
  if (community_id)
    sqlite3_bind_int64 (stmt, 1, (gint64) community_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  else
    bfk_store_set_error (store, error, "counting members");
  sqlite3_reset (stmt);
  return n;
}

/* --- writing --- */

/* "Fondjomenkwet" when the follower has seen the community, else "community 3". */
static gchar *
community_label (BfkStore *store,
                 guint64   community_id)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store, "SELECT name FROM communities WHERE id = ?", NULL);
  gchar *label = NULL;

  if (stmt)
    {
      sqlite3_bind_int64 (stmt, 1, (gint64) community_id);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        label = g_strdup ((const gchar *) sqlite3_column_text (stmt, 0));
      sqlite3_reset (stmt);
    }
  return label ? label : g_strdup_printf ("community %" G_GUINT64_FORMAT, community_id);
}

/* FALSE with PHONE_TAKEN or NAME_TAKEN when the member cannot be added. */
static gboolean
check_free (BfkStore     *store,
            const gchar  *e164,
            const gchar  *name,
            guint64       community_id,
            GError      **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(BfkMember) holder = NULL;

  if (e164 && (holder = find_by_e164 (store, e164, &local)))
    {
      g_autofree gchar *where = community_label (store, holder->community_id);

      g_set_error (error, BFK_MEMBER_ERROR, BFK_MEMBER_ERROR_PHONE_TAKEN,
                   "The number %s is already registered (%s, %s)", e164, holder->name, where);
      return FALSE;
    }
  if (e164 && !g_error_matches (local, BFK_MEMBER_ERROR, BFK_MEMBER_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  g_clear_error (&local);
  if ((holder = find_in_community (store, name, community_id, &local)))
    {
      g_set_error (error, BFK_MEMBER_ERROR, BFK_MEMBER_ERROR_NAME_TAKEN,
                   "The name %s is already taken in community %" G_GUINT64_FORMAT
                   " (by %s): choose another", name, community_id, holder->name);
      return FALSE;
    }
  if (!g_error_matches (local, BFK_MEMBER_ERROR, BFK_MEMBER_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  return TRUE;
}

static BfkMember *
insert_member (BfkStore      *store,
               const guint8   data_key[BFK_DATA_KEY_SIZE],
               const gchar   *e164,
               const gchar   *name,
               guint64        community_id,
               GError       **error)
{
  g_auto(BfkPrivateKey) key = { 0 };
  g_autoptr(BfkMember) m = g_new0 (BfkMember, 1);
  g_autoptr(GBytes) box = NULL;
  gchar address[BFK_ADDRESS_STRING_SIZE];
  sqlite3_stmt *stmt;

  if (!check_free (store, e164, name, community_id, error))
    return NULL;
  if (!bfk_private_key_generate (&key, error)
      || !bfk_private_key_to_address (&key, &m->address, error)
      || !(box = bfk_key_box_seal (data_key, &m->address, &key, error)))
    return NULL;

  stmt = bfk_store_prepare (store,
                            "INSERT INTO members (phone, name, community_id, address, key_box, created_at) "
                            "VALUES (?, ?, ?, ?, ?, ?)", error);
  if (!stmt)
    return NULL;
  m->phone = g_strdup (e164);
  m->name = g_strdup (name);
  m->community_id = community_id;
  m->created_at = bfk_store_now ();
  m->language = g_strdup ("fr");   /* the column's default */
  bfk_address_to_string_buf (&m->address, address);
  sqlite3_bind_text (stmt, 1, m->phone, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, m->name, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, (gint64) community_id);
  sqlite3_bind_text (stmt, 4, address, -1, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 5, g_bytes_get_data (box, NULL), (int) g_bytes_get_size (box), SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 6, m->created_at);
  if (!bfk_store_step_done (store, stmt, error))
    return NULL;
  m->id = sqlite3_last_insert_rowid (bfk_store_get_db (store));
  return g_steal_pointer (&m);
}

BfkMember *
bfk_members_create (BfkStore      *store,
                    const guint8   data_key[BFK_DATA_KEY_SIZE],
                    const gchar   *phone,
                    const gchar   *name,
                    guint64        community_id,
                    GError       **error)
{
  g_autofree gchar *e164 = NULL;
  g_autofree gchar *clean = NULL;
  g_autoptr(BfkMember) m = NULL;
  gboolean own;

  if ((phone && !(e164 = bfk_phone_normalize (phone, error)))
      || !(clean = bfk_member_name_normalize (name, error)))
    return NULL;
  if (community_id == 0)
    {
      g_set_error_literal (error, BFK_MEMBER_ERROR, BFK_MEMBER_ERROR_INVALID_COMMUNITY,
                           "A member needs a community: communities are numbered from 1");
      return NULL;
    }

  /* The checks and the insert see one state of the table. */
  own = sqlite3_get_autocommit (bfk_store_get_db (store));
  if (own && !bfk_store_begin (store, error))
    return NULL;
  m = insert_member (store, data_key, e164, clean, community_id, error);
  if (own && m && !bfk_store_commit (store, error))
    g_clear_pointer (&m, bfk_member_free);
  if (own && !m)
    bfk_store_rollback (store);
  return g_steal_pointer (&m);
}

gboolean
bfk_members_unseal_key (BfkStore       *store,
                        const guint8    data_key[BFK_DATA_KEY_SIZE],
                        gint64          member_id,
                        BfkPrivateKey  *out,
                        GError        **error)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store, "SELECT address, key_box FROM members WHERE id = ?",
                                          error);
  g_autoptr(GBytes) box = NULL;
  g_autofree gchar *text = NULL;
  BfkAddress address;
  int rc;

  if (!stmt)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, member_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      text = g_strdup ((const gchar *) sqlite3_column_text (stmt, 0));
      if (sqlite3_column_type (stmt, 1) == SQLITE_BLOB)
        box = g_bytes_new (sqlite3_column_blob (stmt, 1), (gsize) sqlite3_column_bytes (stmt, 1));
    }
  else if (rc != SQLITE_DONE)
    bfk_store_set_error (store, error, "reading a member's key");
  sqlite3_reset (stmt);

  if (rc == SQLITE_DONE)
    g_set_error (error, BFK_MEMBER_ERROR, BFK_MEMBER_ERROR_NOT_FOUND,
                 "No member has the id %" G_GINT64_FORMAT, member_id);
  if (rc != SQLITE_ROW || !bfk_address_parse (text, &address, error))
    return FALSE;
  if (!box)
    {
      g_set_error (error, BFK_MEMBER_ERROR, BFK_MEMBER_ERROR_NO_KEY,
                   "The key of member %s is not held here (custody was handed over)", text);
      return FALSE;
    }
  return bfk_key_box_open (data_key, &address, g_bytes_get_data (box, NULL), g_bytes_get_size (box),
                           out, error);
}

/* Runs a bound UPDATE of one member: NOT_FOUND when no row has the id. */
static gboolean
update_member (BfkStore      *store,
               sqlite3_stmt  *stmt,
               gint64         member_id,
               GError       **error)
{
  if (!bfk_store_step_done (store, stmt, error))
    return FALSE;
  if (sqlite3_changes (bfk_store_get_db (store)) == 0)
    {
      g_set_error (error, BFK_MEMBER_ERROR, BFK_MEMBER_ERROR_NOT_FOUND,
                   "No member has the id %" G_GINT64_FORMAT, member_id);
      return FALSE;
    }
  return TRUE;
}

gboolean
bfk_members_set_language (BfkStore     *store,
                          gint64        member_id,
                          const gchar  *language,
                          GError      **error)
{
  g_autofree gchar *code = bfk_language_normalize (language, error);
  sqlite3_stmt *stmt;

  if (!code)
    return FALSE;
  stmt = bfk_store_prepare (store, "UPDATE members SET language = ? WHERE id = ?", error);
  if (!stmt)
    return FALSE;
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, member_id);
  return update_member (store, stmt, member_id, error);
}

gboolean
bfk_members_touch (BfkStore  *store,
                   gint64     member_id,
                   gint64     now,
                   GError   **error)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store, "UPDATE members SET last_seen_at = ? WHERE id = ?",
                                          error);

  if (!stmt)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_int64 (stmt, 2, member_id);
  return update_member (store, stmt, member_id, error);
}
