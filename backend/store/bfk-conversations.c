/* bfk-conversations.c */
#include "bfk-conversations.h"

#include "bfk-members.h"
#include "bfk-store-rows.h"

G_DEFINE_QUARK (bfk-conversation-error-quark, bfk_conversation_error)

static const gchar *const state_names[] = {
  [BFK_CONVERSATION_INIT] = "INIT",
  [BFK_CONVERSATION_COMMUNITY_CHOSEN] = "COMMUNITY_CHOSEN",
  [BFK_CONVERSATION_REGISTERED] = "REGISTERED",
  [BFK_CONVERSATION_SEARCHING] = "SEARCHING",
  [BFK_CONVERSATION_EXCHANGING] = "EXCHANGING",
};

/* The inbox's activity is the newest of what the member or the bot did:
 * a message either way, a call for an agent, or the first contact.
 * Staff reading or taking over does not move a conversation up. */
#define CONVERSATION_SELECT \
  "SELECT c.phone, c.member_id, c.state, c.pending, c.language, c.needs_agent, " \
  "c.needs_agent_at, c.taken_over_by, c.unread, c.last_inbound_at, c.created_at, " \
  "c.updated_at, m.name, " \
  "max(c.created_at, coalesce(c.last_inbound_at, 0), coalesce(c.needs_agent_at, 0), " \
  "    coalesce(l.created_at, 0)) AS activity, l.body " \
  "FROM conversations c " \
  "LEFT JOIN members m ON m.id = c.member_id " \
  "LEFT JOIN messages l ON l.id = (SELECT max(id) FROM messages WHERE phone = c.phone) "

void
bfk_conversation_free (BfkConversation *conv)
{
  if (!conv)
    return;
  g_free (conv->phone);
  g_free (conv->pending);
  g_free (conv->language);
  g_free (conv->taken_over_by);
  g_free (conv->member_name);
  g_free (conv->last_body);
  g_free (conv);
}

const gchar *
bfk_conversation_state_to_string (BfkConversationState state)
{
  g_return_val_if_fail ((guint) state < G_N_ELEMENTS (state_names), NULL);

  return state_names[state];
}

gboolean
bfk_conversation_state_from_string (const gchar           *text,
                                    BfkConversationState  *state,
                                    GError               **error)
{
  gint i = bfk_store_name_index (state_names, G_N_ELEMENTS (state_names), text);

  if (i >= 0)
    {
      *state = (BfkConversationState) i;
      return TRUE;
    }
  g_set_error (error, BFK_CONVERSATION_ERROR, BFK_CONVERSATION_ERROR_INVALID_STATE,
               "“%s” is not a conversation state", text ? text : "");
  return FALSE;
}

static gpointer
conversation_from_row (sqlite3_stmt *stmt)
{
  BfkConversation *c = g_new0 (BfkConversation, 1);

  c->phone = bfk_store_column_dup (stmt, 0);
  c->member_id = sqlite3_column_int64 (stmt, 1);
  /* The CHECK constraint holds the state to the names; INIT otherwise. */
  bfk_conversation_state_from_string ((const gchar *) sqlite3_column_text (stmt, 2), &c->state, NULL);
  c->pending = bfk_store_column_dup (stmt, 3);
  c->language = bfk_store_column_dup (stmt, 4);
  c->needs_agent = sqlite3_column_int (stmt, 5) != 0;
  c->needs_agent_at = sqlite3_column_int64 (stmt, 6);
  c->taken_over_by = bfk_store_column_dup (stmt, 7);
  c->unread = (guint) sqlite3_column_int64 (stmt, 8);
  c->last_inbound_at = sqlite3_column_int64 (stmt, 9);
  c->created_at = sqlite3_column_int64 (stmt, 10);
  c->updated_at = sqlite3_column_int64 (stmt, 11);
  c->member_name = bfk_store_column_dup (stmt, 12);
  c->last_activity_at = sqlite3_column_int64 (stmt, 13);
  c->last_body = bfk_store_column_dup (stmt, 14);
  c->stored = TRUE;
  return c;
}

BfkConversation *
bfk_conversations_get (BfkStore     *store,
                       const gchar  *phone,
                       GError      **error)
{
  g_autofree gchar *e164 = bfk_phone_normalize (phone, error);
  g_autoptr(GError) local = NULL;
  BfkConversation *c;
  sqlite3_stmt *stmt;

  if (!e164)
    return NULL;
  stmt = bfk_store_prepare (store, CONVERSATION_SELECT "WHERE c.phone = ?", error);
  if (!stmt)
    return NULL;
  sqlite3_bind_text (stmt, 1, e164, -1, SQLITE_STATIC);
  c = bfk_store_row (store, stmt, conversation_from_row, &local, BFK_CONVERSATION_ERROR,
                     BFK_CONVERSATION_ERROR_NOT_FOUND, "No conversation with %s", e164);
  if (c)
    return c;
  if (!g_error_matches (local, BFK_CONVERSATION_ERROR, BFK_CONVERSATION_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  c = g_new0 (BfkConversation, 1);
  c->phone = g_steal_pointer (&e164);
  c->state = BFK_CONVERSATION_INIT;
  c->language = g_strdup ("fr");
  return c;
}

typedef void (*BindFunc) (sqlite3_stmt  *stmt,
                          gconstpointer  data);

/* Runs update, then upsert (same parameters) only when update found no
 * row.  Most writes find the conversation there, and an UPDATE costs less
 * than an upsert, which checks the row once as an insert and once as an
 * update: for the state's CHECK, SQLite builds a temporary index of the
 * five names each time. */
static gboolean
update_or_upsert (BfkStore       *store,
                  const gchar    *update,
                  const gchar    *upsert,
                  BindFunc        bind,
                  gconstpointer   data,
                  GError        **error)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store, update, error);
  gint64 changed;

  if (!stmt)
    return FALSE;
  bind (stmt, data);
  if ((changed = bfk_store_step_changes (store, stmt, error)) != 0)
    return changed > 0;
  if (!(stmt = bfk_store_prepare (store, upsert, error)))
    return FALSE;
  bind (stmt, data);
  return bfk_store_step_done (store, stmt, error);
}

typedef struct
{
  const BfkConversation *conv;
  const gchar           *e164;
  const gchar           *language;
  gint64                 now;
} SaveArgs;

static void
bind_save (sqlite3_stmt  *stmt,
           gconstpointer  data)
{
  const SaveArgs *a = data;

  sqlite3_bind_text (stmt, 1, a->e164, -1, SQLITE_STATIC);
  bfk_store_bind_id (stmt, 2, a->conv->member_id);
  sqlite3_bind_text (stmt, 3, state_names[a->conv->state], -1, SQLITE_STATIC);
  bfk_store_bind_text (stmt, 4, a->conv->pending);
  sqlite3_bind_text (stmt, 5, a->language, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 6, a->now);
}

gboolean
bfk_conversations_save (BfkStore               *store,
                        const BfkConversation  *conv,
                        GError                **error)
{
  g_autofree gchar *e164 = bfk_phone_normalize (conv->phone, error);
  g_autofree gchar *language = NULL;

  if (!e164 || !(language = bfk_language_normalize (conv->language ? conv->language : "fr", error)))
    return FALSE;
  g_return_val_if_fail ((guint) conv->state < G_N_ELEMENTS (state_names), FALSE);
  /* The update leaves out the state, and so its CHECK, when the state is
   * the same: the usual case, a message that does not change it. */
  return update_or_upsert (store,
                           "UPDATE conversations SET member_id = ?2, pending = ?4, language = ?5, "
                           "updated_at = ?6 WHERE phone = ?1 AND state = ?3",
                           "INSERT INTO conversations (phone, member_id, state, pending, language, "
                           "created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6) "
                           "ON CONFLICT (phone) DO UPDATE SET member_id = excluded.member_id, "
                           "state = excluded.state, pending = excluded.pending, "
                           "language = excluded.language, updated_at = excluded.updated_at",
                           bind_save, &(SaveArgs) { conv, e164, language, bfk_store_now () }, error);
}

typedef struct
{
  const gchar *e164;
  gint64       now;
} MarkArgs;

static void
bind_mark (sqlite3_stmt  *stmt,
           gconstpointer  data)
{
  const MarkArgs *a = data;

  sqlite3_bind_text (stmt, 1, a->e164, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, a->now);
}

gboolean
bfk_conversations_mark_inbound (BfkStore     *store,
                                const gchar  *phone,
                                gint64        now,
                                GError      **error)
{
  g_autofree gchar *e164 = bfk_phone_normalize (phone, error);

  if (!e164)
    return FALSE;
  /* A message handled late (a Twilio retry) never shortens the window. */
  return update_or_upsert (store,
                           "UPDATE conversations SET unread = unread + 1, "
                           "last_inbound_at = max(coalesce(last_inbound_at, 0), ?2), "
                           "updated_at = max(updated_at, ?2) WHERE phone = ?1",
                           "INSERT INTO conversations (phone, unread, last_inbound_at, created_at, "
                           "updated_at) VALUES (?1, 1, ?2, ?2, ?2) "
                           "ON CONFLICT (phone) DO UPDATE SET unread = unread + 1, "
                           "last_inbound_at = max(coalesce(last_inbound_at, 0), excluded.last_inbound_at), "
                           "updated_at = max(updated_at, excluded.updated_at)",
                           bind_mark, &(MarkArgs) { e164, now }, error);
}

/* Runs a prepared UPDATE of one conversation, with the number bound to ?1
 * here and the rest by the caller. */
static gboolean
update_one (BfkStore      *store,
            sqlite3_stmt  *stmt,
            const gchar   *phone,
            GError       **error)
{
  g_autofree gchar *e164 = bfk_phone_normalize (phone, error);
  gint64 changed;

  if (!e164)
    return FALSE;
  sqlite3_bind_text (stmt, 1, e164, -1, SQLITE_STATIC);
  changed = bfk_store_step_changes (store, stmt, error);
  if (changed == 0)
    g_set_error (error, BFK_CONVERSATION_ERROR, BFK_CONVERSATION_ERROR_NOT_FOUND,
                 "No conversation with %s", e164);
  return changed > 0;
}

gboolean
bfk_conversations_mark_read (BfkStore     *store,
                             const gchar  *phone,
                             GError      **error)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store,
                                          "UPDATE conversations SET unread = 0, updated_at = ?2 "
                                          "WHERE phone = ?1", error);

  if (!stmt)
    return FALSE;
  sqlite3_bind_int64 (stmt, 2, bfk_store_now ());
  return update_one (store, stmt, phone, error);
}

gboolean
bfk_conversations_set_needs_agent (BfkStore     *store,
                                   const gchar  *phone,
                                   gboolean      needs_agent,
                                   GError      **error)
{
  /* A second AGENT keeps the time of the first: the wait is what staff see. */
  sqlite3_stmt *stmt = bfk_store_prepare (store,
                                          "UPDATE conversations SET needs_agent = ?2, "
                                          "needs_agent_at = CASE WHEN ?2 "
                                          "  THEN coalesce(needs_agent_at, ?3) END, "
                                          "updated_at = ?3 WHERE phone = ?1", error);

  if (!stmt)
    return FALSE;
  sqlite3_bind_int (stmt, 2, needs_agent ? 1 : 0);
  sqlite3_bind_int64 (stmt, 3, bfk_store_now ());
  return update_one (store, stmt, phone, error);
}

gboolean
bfk_conversations_set_taken_over (BfkStore     *store,
                                  const gchar  *phone,
                                  const gchar  *staff,
                                  GError      **error)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store,
                                          "UPDATE conversations SET taken_over_by = ?2, updated_at = ?3 "
                                          "WHERE phone = ?1", error);

  if (!stmt)
    return FALSE;
  bfk_store_bind_text (stmt, 2, staff);
  sqlite3_bind_int64 (stmt, 3, bfk_store_now ());
  return update_one (store, stmt, phone, error);
}

GPtrArray *
bfk_conversations_find (BfkStore                    *store,
                        const BfkConversationFilter *filter,
                        guint                        limit,
                        guint                        offset,
                        GError                     **error)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store,
      CONVERSATION_SELECT
      "WHERE (NOT ?3 OR (c.needs_agent AND c.taken_over_by IS NULL))"
      "  AND (NOT ?4 OR c.unread > 0)"
      "  AND (?5 IS NULL OR m.name LIKE ?5 ESCAPE '\\' OR c.phone LIKE ?6 ESCAPE '\\') "
      "ORDER BY activity DESC, c.phone LIMIT ?1 OFFSET ?2",
      error);
  g_autofree gchar *name_pattern = NULL, *phone_pattern = NULL;

  if (!stmt)
    return NULL;
  if (filter->text && *filter->text)
    {
      g_autoptr(GString) digits = g_string_new (NULL);

      for (const gchar *p = filter->text; *p; p++)
        if (g_ascii_isdigit (*p))
          g_string_append_c (digits, *p);
      name_pattern = bfk_store_like_pattern (filter->text);
      if (digits->len > 0)
        phone_pattern = bfk_store_like_pattern (digits->str);
    }
  sqlite3_bind_int64 (stmt, 1, limit);
  sqlite3_bind_int64 (stmt, 2, offset);
  sqlite3_bind_int (stmt, 3, filter->waiting_only ? 1 : 0);
  sqlite3_bind_int (stmt, 4, filter->unread_only ? 1 : 0);
  bfk_store_bind_text (stmt, 5, name_pattern);
  bfk_store_bind_text (stmt, 6, phone_pattern);
  return bfk_store_rows (store, stmt, conversation_from_row,
                         (GDestroyNotify) bfk_conversation_free, error);
}

GPtrArray *
bfk_conversations_list (BfkStore  *store,
                        gboolean   needs_agent_only,
                        guint      limit,
                        guint      offset,
                        GError   **error)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store,
                                          CONVERSATION_SELECT "WHERE c.needs_agent OR NOT ?3 "
                                          "ORDER BY activity DESC, c.phone LIMIT ?1 OFFSET ?2",
                                          error);

  if (!stmt)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, limit);
  sqlite3_bind_int64 (stmt, 2, offset);
  sqlite3_bind_int (stmt, 3, needs_agent_only ? 1 : 0);
  return bfk_store_rows (store, stmt, conversation_from_row,
                         (GDestroyNotify) bfk_conversation_free, error);
}

gboolean
bfk_conversations_window_open (BfkStore     *store,
                               const gchar  *phone,
                               gint64        now,
                               gint64       *seconds_left,
                               GError      **error)
{
  g_autofree gchar *e164 = bfk_phone_normalize (phone, error);
  sqlite3_stmt *stmt;
  gint64 last = 0, left = 0;
  int rc;

  if (seconds_left)
    *seconds_left = 0;
  if (!e164)
    return FALSE;
  stmt = bfk_store_prepare (store, "SELECT last_inbound_at FROM conversations WHERE phone = ?", error);
  if (!stmt)
    return FALSE;
  sqlite3_bind_text (stmt, 1, e164, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    last = sqlite3_column_int64 (stmt, 0);
  else if (rc != SQLITE_DONE)
    bfk_store_set_error (store, error, "reading a conversation");
  sqlite3_reset (stmt);

  if (last > 0)
    /* A clock set back (now before the message) still gives at most 24 h. */
    left = MIN (last + BFK_CONVERSATION_WINDOW - now, BFK_CONVERSATION_WINDOW);
  if (left <= 0)
    return FALSE;
  if (seconds_left)
    *seconds_left = left;
  return TRUE;
}
