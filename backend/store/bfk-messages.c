/* bfk-messages.c */
#include "bfk-messages.h"

#include "bfk-members.h"
#include "bfk-store-rows.h"

G_DEFINE_QUARK (bfk-message-error-quark, bfk_message_error)

#define MESSAGE_COLUMNS "id, phone, member_id, direction, body, twilio_sid, status, error_code, " \
                        "error_reason, kind, attempts, next_attempt_at, created_at, updated_at"

/* How far along a message is, for status callbacks that arrive out of
 * order: a status only ever replaces a lower one.  Inbound messages are
 * out of reach. */
#define STATUS_RANK(x) \
  "(CASE " x " WHEN 'queued' THEN 1 WHEN 'not_sent' THEN 1 WHEN 'sending' THEN 2 " \
  "WHEN 'sent' THEN 3 WHEN 'failed' THEN 4 WHEN 'undelivered' THEN 4 " \
  "WHEN 'delivered' THEN 5 WHEN 'read' THEN 6 ELSE 9 END)"

static const gchar *const status_names[] = {
  [BFK_MESSAGE_RECEIVED] = "received",
  [BFK_MESSAGE_QUEUED] = "queued",
  [BFK_MESSAGE_NOT_SENT] = "not_sent",
  [BFK_MESSAGE_SENDING] = "sending",
  [BFK_MESSAGE_SENT] = "sent",
  [BFK_MESSAGE_DELIVERED] = "delivered",
  [BFK_MESSAGE_READ] = "read",
  [BFK_MESSAGE_FAILED] = "failed",
  [BFK_MESSAGE_UNDELIVERED] = "undelivered",
};

static const struct
{
  const gchar      *name;
  BfkMessageStatus  status;
} twilio_statuses[] = {
  { "accepted", BFK_MESSAGE_SENDING },
  { "scheduled", BFK_MESSAGE_SENDING },
  { "queued", BFK_MESSAGE_SENDING },
  { "sending", BFK_MESSAGE_SENDING },
  { "sent", BFK_MESSAGE_SENT },
  { "delivered", BFK_MESSAGE_DELIVERED },
  { "read", BFK_MESSAGE_READ },
  { "failed", BFK_MESSAGE_FAILED },
  { "undelivered", BFK_MESSAGE_UNDELIVERED },
  { "canceled", BFK_MESSAGE_FAILED },
  { "receiving", BFK_MESSAGE_RECEIVED },
  { "received", BFK_MESSAGE_RECEIVED },
};

void
bfk_message_free (BfkMessage *message)
{
  if (!message)
    return;
  g_free (message->phone);
  g_free (message->body);
  g_free (message->twilio_sid);
  g_free (message->error_reason);
  g_free (message);
}

const gchar *
bfk_message_status_to_string (BfkMessageStatus status)
{
  g_return_val_if_fail ((guint) status < G_N_ELEMENTS (status_names), NULL);

  return status_names[status];
}

gboolean
bfk_message_status_from_twilio (const gchar       *text,
                                BfkMessageStatus  *status,
                                GError           **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (twilio_statuses); i++)
    if (g_strcmp0 (text, twilio_statuses[i].name) == 0)
      {
        *status = twilio_statuses[i].status;
        return TRUE;
      }
  g_set_error (error, BFK_MESSAGE_ERROR, BFK_MESSAGE_ERROR_INVALID_STATUS,
               "“%s” is not a Twilio message status", text ? text : "");
  return FALSE;
}

static BfkMessageStatus
status_from_name (const gchar *name)
{
  gint i = bfk_store_name_index (status_names, G_N_ELEMENTS (status_names), name);

  /* The CHECK constraint allows nothing else. */
  return i >= 0 ? (BfkMessageStatus) i : BFK_MESSAGE_FAILED;
}

static gpointer
message_from_row (sqlite3_stmt *stmt)
{
  BfkMessage *m = g_new0 (BfkMessage, 1);

  m->id = sqlite3_column_int64 (stmt, 0);
  m->phone = bfk_store_column_dup (stmt, 1);
  m->member_id = sqlite3_column_int64 (stmt, 2);
  m->direction = g_strcmp0 ((const gchar *) sqlite3_column_text (stmt, 3), "in") == 0
                 ? BFK_MESSAGE_IN : BFK_MESSAGE_OUT;
  m->body = bfk_store_column_dup (stmt, 4);
  m->twilio_sid = bfk_store_column_dup (stmt, 5);
  m->status = status_from_name ((const gchar *) sqlite3_column_text (stmt, 6));
  m->error_code = sqlite3_column_int (stmt, 7);
  m->error_reason = bfk_store_column_dup (stmt, 8);
  m->kind = g_strcmp0 ((const gchar *) sqlite3_column_text (stmt, 9), "template") == 0
            ? BFK_MESSAGE_TEMPLATE : BFK_MESSAGE_TEXT;
  m->attempts = (guint) sqlite3_column_int64 (stmt, 10);
  m->next_attempt_at = sqlite3_column_int64 (stmt, 11);
  m->created_at = sqlite3_column_int64 (stmt, 12);
  m->updated_at = sqlite3_column_int64 (stmt, 13);
  return m;
}

/* --- inbound --- */

static gboolean
insert_inbound (BfkStore     *store,
                const gchar  *message_sid,
                const gchar  *e164,
                gint64        member_id,
                const gchar  *body,
                gint64       *id,
                GError      **error)
{
  gint64 now = bfk_store_now ();
  sqlite3_stmt *stmt = bfk_store_prepare (store,
                                          "INSERT INTO processed_sids (message_sid, created_at) "
                                          "VALUES (?, ?) ON CONFLICT DO NOTHING", error);
  gint64 changed;

  if (!stmt)
    return FALSE;
  sqlite3_bind_text (stmt, 1, message_sid, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, now);
  if ((changed = bfk_store_step_changes (store, stmt, error)) < 0)
    return FALSE;
  if (changed == 0)
    {
      g_set_error (error, BFK_MESSAGE_ERROR, BFK_MESSAGE_ERROR_ALREADY_PROCESSED,
                   "The message %s was handled already", message_sid);
      return FALSE;
    }

  stmt = bfk_store_prepare (store,
                            "INSERT INTO messages (phone, member_id, direction, body, twilio_sid, "
                            "status, created_at, updated_at) "
                            "VALUES (?1, ?2, 'in', ?3, ?4, 'received', ?5, ?5)", error);
  if (!stmt)
    return FALSE;
  sqlite3_bind_text (stmt, 1, e164, -1, SQLITE_STATIC);
  bfk_store_bind_id (stmt, 2, member_id);
  sqlite3_bind_text (stmt, 3, body ? body : "", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, message_sid, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, now);
  if (!bfk_store_step_done (store, stmt, error))
    return FALSE;
  if (id)
    *id = sqlite3_last_insert_rowid (bfk_store_get_db (store));
  return TRUE;
}

gboolean
bfk_messages_record_inbound (BfkStore     *store,
                             const gchar  *message_sid,
                             const gchar  *phone,
                             gint64        member_id,
                             const gchar  *body,
                             gint64       *id,
                             GError      **error)
{
  g_autofree gchar *e164 = bfk_phone_normalize (phone, error);
  gboolean own, ok;

  g_return_val_if_fail (message_sid != NULL, FALSE);

  if (!e164)
    return FALSE;
  /* The sid and the message are written together, or neither. */
  own = sqlite3_get_autocommit (bfk_store_get_db (store));
  if (own && !bfk_store_begin (store, error))
    return FALSE;
  ok = insert_inbound (store, message_sid, e164, member_id, body, id, error);
  if (own && ok)
    ok = bfk_store_commit (store, error);
  if (own && !ok)
    bfk_store_rollback (store);
  return ok;
}

gboolean
bfk_messages_set_reply (BfkStore     *store,
                        const gchar  *message_sid,
                        const gchar  *twiml,
                        GError      **error)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store,
                                          "INSERT INTO processed_sids (message_sid, reply, created_at) "
                                          "VALUES (?, ?, ?) "
                                          "ON CONFLICT DO UPDATE SET reply = excluded.reply", error);

  if (!stmt)
    return FALSE;
  sqlite3_bind_text (stmt, 1, message_sid, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, twiml ? twiml : "", -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, bfk_store_now ());
  return bfk_store_step_done (store, stmt, error);
}

static gpointer
reply_from_row (sqlite3_stmt *stmt)
{
  return g_strdup (sqlite3_column_type (stmt, 0) == SQLITE_NULL
                   ? "" : (const gchar *) sqlite3_column_text (stmt, 0));
}

gchar *
bfk_messages_get_reply (BfkStore     *store,
                        const gchar  *message_sid,
                        GError      **error)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store,
                                          "SELECT reply FROM processed_sids WHERE message_sid = ?",
                                          error);

  if (!stmt)
    return NULL;
  sqlite3_bind_text (stmt, 1, message_sid, -1, SQLITE_STATIC);
  return bfk_store_row (store, stmt, reply_from_row, error, BFK_MESSAGE_ERROR,
                        BFK_MESSAGE_ERROR_NOT_FOUND, "The message %s was never handled", message_sid);
}

gint64
bfk_messages_forget_sids (BfkStore  *store,
                          gint64     before,
                          GError   **error)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store, "DELETE FROM processed_sids WHERE created_at < ?",
                                          error);

  if (!stmt)
    return -1;
  sqlite3_bind_int64 (stmt, 1, before);
  return bfk_store_step_changes (store, stmt, error);
}

/* --- outbound --- */

/* A new outbound message with status, due at now when queued: its id,
 * or 0 on error. */
static gint64
insert_outbound (BfkStore          *store,
                 const gchar       *phone,
                 gint64             member_id,
                 BfkMessageKind     kind,
                 const gchar       *body,
                 BfkMessageStatus   status,
                 const gchar       *notice_key,
                 GError           **error)
{
  g_autofree gchar *e164 = bfk_phone_normalize (phone, error);
  sqlite3_stmt *stmt;
  gint64 now = bfk_store_now ();

  if (!e164)
    return 0;
  stmt = bfk_store_prepare (store,
                            "INSERT OR IGNORE INTO messages (phone, member_id, direction, body, status, kind, "
                            "next_attempt_at, created_at, updated_at, notice_key) "
                            "VALUES (?1, ?2, 'out', ?3, ?4, ?5, ?6, ?7, ?7, ?8)", error);
  if (!stmt)
    return 0;
  sqlite3_bind_text (stmt, 1, e164, -1, SQLITE_STATIC);
  bfk_store_bind_id (stmt, 2, member_id);
  sqlite3_bind_text (stmt, 3, body ? body : "", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, status_names[status], -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, kind == BFK_MESSAGE_TEMPLATE ? "template" : "text", -1, SQLITE_STATIC);
  if (status == BFK_MESSAGE_QUEUED)
    sqlite3_bind_int64 (stmt, 6, now);
  sqlite3_bind_int64 (stmt, 7, now);
  if (notice_key)
    sqlite3_bind_text (stmt, 8, notice_key, -1, SQLITE_STATIC);
  if (!bfk_store_step_done (store, stmt, error))
    return 0;
  /* Only a notice told before is ignored (its key is unique). */
  if (sqlite3_changes (bfk_store_get_db (store)) == 0)
    return -1;
  return sqlite3_last_insert_rowid (bfk_store_get_db (store));
}

gint64
bfk_messages_enqueue (BfkStore        *store,
                      const gchar     *phone,
                      gint64           member_id,
                      BfkMessageKind   kind,
                      const gchar     *body,
                      gboolean         can_send,
                      GError         **error)
{
  return insert_outbound (store, phone, member_id, kind, body,
                          can_send ? BFK_MESSAGE_QUEUED : BFK_MESSAGE_NOT_SENT, NULL, error);
}

gboolean
bfk_messages_enqueue_notice (BfkStore     *store,
                             const gchar  *phone,
                             gint64        member_id,
                             const gchar  *body,
                             const gchar  *notice_key,
                             gboolean      can_send,
                             gboolean     *added,
                             GError      **error)
{
  gint64 id = insert_outbound (store, phone, member_id, BFK_MESSAGE_TEXT, body,
                               can_send ? BFK_MESSAGE_QUEUED : BFK_MESSAGE_NOT_SENT, notice_key, error);

  if (added)
    *added = id > 0;
  return id != 0;
}

gboolean
bfk_messages_record_reply (BfkStore     *store,
                           const gchar  *phone,
                           gint64        member_id,
                           const gchar  *body,
                           GError      **error)
{
  return insert_outbound (store, phone, member_id, BFK_MESSAGE_TEXT, body, BFK_MESSAGE_SENT,
                          NULL, error) > 0;
}

static gint
compare_due (gconstpointer a,
             gconstpointer b)
{
  const BfkMessage *x = *(const BfkMessage *const *) a;
  const BfkMessage *y = *(const BfkMessage *const *) b;

  if (x->next_attempt_at != y->next_attempt_at)
    return x->next_attempt_at < y->next_attempt_at ? -1 : 1;
  return x->id < y->id ? -1 : x->id > y->id;
}

GPtrArray *
bfk_messages_claim_due (BfkStore  *store,
                        gint64     now,
                        guint      limit,
                        GError   **error)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store,
                                          "UPDATE messages SET status = 'sending', updated_at = ?1 "
                                          "WHERE id IN (SELECT id FROM messages "
                                          "  WHERE status = 'queued' AND next_attempt_at <= ?1 "
                                          "  ORDER BY next_attempt_at, id LIMIT ?2) "
                                          "RETURNING " MESSAGE_COLUMNS, error);
  GPtrArray *claimed;

  if (!stmt)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_int64 (stmt, 2, limit);
  claimed = bfk_store_rows (store, stmt, message_from_row, (GDestroyNotify) bfk_message_free, error);
  /* RETURNING gives the rows in no promised order. */
  if (claimed)
    g_ptr_array_sort (claimed, compare_due);
  return claimed;
}

/* Runs a prepared UPDATE of one message, with its id bound to ?1 here. */
static gboolean
update_by_id (BfkStore      *store,
              sqlite3_stmt  *stmt,
              gint64         id,
              GError       **error)
{
  gint64 changed;

  sqlite3_bind_int64 (stmt, 1, id);
  changed = bfk_store_step_changes (store, stmt, error);
  if (changed == 0)
    g_set_error (error, BFK_MESSAGE_ERROR, BFK_MESSAGE_ERROR_NOT_FOUND,
                 "No message has the id %" G_GINT64_FORMAT, id);
  return changed > 0;
}

gboolean
bfk_messages_mark_sent (BfkStore     *store,
                        gint64        id,
                        const gchar  *twilio_sid,
                        const gchar  *twilio_status,
                        GError      **error)
{
  BfkMessageStatus status;
  sqlite3_stmt *stmt;

  if (!bfk_message_status_from_twilio (twilio_status, &status, error))
    return FALSE;
  stmt = bfk_store_prepare (store,
                            "UPDATE messages SET twilio_sid = ?2, status = ?3, next_attempt_at = NULL, "
                            "error_code = NULL, error_reason = NULL, updated_at = ?4 WHERE id = ?1",
                            error);
  if (!stmt)
    return FALSE;
  sqlite3_bind_text (stmt, 2, twilio_sid, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, status_names[status], -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, bfk_store_now ());
  return update_by_id (store, stmt, id, error);
}

/* One more failed try: queued again at next_attempt_at, or failed for
 * good when next_attempt_at is 0. */
static gboolean
count_failure (BfkStore     *store,
               gint64        id,
               gint64        next_attempt_at,
               gint          error_code,
               const gchar  *reason,
               GError      **error)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store,
                                          "UPDATE messages SET attempts = attempts + 1, "
                                          "status = CASE WHEN ?2 IS NULL THEN 'failed' ELSE 'queued' END, "
                                          "next_attempt_at = ?2, error_code = ?3, error_reason = ?4, "
                                          "updated_at = ?5 WHERE id = ?1", error);

  if (!stmt)
    return FALSE;
  bfk_store_bind_id (stmt, 2, next_attempt_at);
  bfk_store_bind_id (stmt, 3, error_code);
  bfk_store_bind_text (stmt, 4, reason);
  sqlite3_bind_int64 (stmt, 5, bfk_store_now ());
  return update_by_id (store, stmt, id, error);
}

gboolean
bfk_messages_schedule_retry (BfkStore     *store,
                             gint64        id,
                             gint64        next_attempt_at,
                             gint          error_code,
                             const gchar  *reason,
                             GError      **error)
{
  g_return_val_if_fail (next_attempt_at > 0, FALSE);

  return count_failure (store, id, next_attempt_at, error_code, reason, error);
}

gboolean
bfk_messages_mark_failed (BfkStore     *store,
                          gint64        id,
                          gint          error_code,
                          const gchar  *reason,
                          GError      **error)
{
  return count_failure (store, id, 0, error_code, reason, error);
}

gint64
bfk_messages_requeue_stale (BfkStore  *store,
                            gint64     claimed_before,
                            GError   **error)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store,
                                          "UPDATE messages SET status = 'queued', "
                                          "next_attempt_at = ?2, updated_at = ?2 "
                                          "WHERE status = 'sending' AND twilio_sid IS NULL "
                                          "AND direction = 'out' AND updated_at < ?1", error);

  if (!stmt)
    return -1;
  sqlite3_bind_int64 (stmt, 1, claimed_before);
  sqlite3_bind_int64 (stmt, 2, bfk_store_now ());
  return bfk_store_step_changes (store, stmt, error);
}

static gboolean
sid_exists (BfkStore     *store,
            const gchar  *twilio_sid,
            GError      **error)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store, "SELECT 1 FROM messages WHERE twilio_sid = ?", error);
  int rc;

  if (!stmt)
    return FALSE;
  sqlite3_bind_text (stmt, 1, twilio_sid, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    bfk_store_set_error (store, error, "reading messages");
  else if (rc == SQLITE_DONE)
    g_set_error (error, BFK_MESSAGE_ERROR, BFK_MESSAGE_ERROR_NOT_FOUND,
                 "No message has the Twilio sid %s", twilio_sid);
  sqlite3_reset (stmt);
  return rc == SQLITE_ROW;
}

gboolean
bfk_messages_update_status (BfkStore     *store,
                            const gchar  *twilio_sid,
                            const gchar  *twilio_status,
                            gint          error_code,
                            gboolean     *changed,
                            GError      **error)
{
  BfkMessageStatus status;
  sqlite3_stmt *stmt;
  gint64 n;

  if (changed)
    *changed = FALSE;
  if (!bfk_message_status_from_twilio (twilio_status, &status, error))
    return FALSE;
  stmt = bfk_store_prepare (store,
                            "UPDATE messages SET status = ?2, error_code = coalesce(?3, error_code), "
                            "updated_at = ?4 "
                            "WHERE twilio_sid = ?1 AND " STATUS_RANK ("status") " < " STATUS_RANK ("?2"),
                            error);
  if (!stmt)
    return FALSE;
  sqlite3_bind_text (stmt, 1, twilio_sid, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, status_names[status], -1, SQLITE_STATIC);
  bfk_store_bind_id (stmt, 3, error_code);
  sqlite3_bind_int64 (stmt, 4, bfk_store_now ());
  if ((n = bfk_store_step_changes (store, stmt, error)) < 0)
    return FALSE;
  if (changed)
    *changed = n > 0;
  /* Nothing changed: a late callback, or a sid that is not ours. */
  return n > 0 || sid_exists (store, twilio_sid, error);
}

/* --- reading --- */

BfkMessage *
bfk_messages_get (BfkStore  *store,
                  gint64     id,
                  GError   **error)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store, "SELECT " MESSAGE_COLUMNS " FROM messages WHERE id = ?",
                                          error);

  if (!stmt)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  return bfk_store_row (store, stmt, message_from_row, error, BFK_MESSAGE_ERROR,
                        BFK_MESSAGE_ERROR_NOT_FOUND, "No message has the id %" G_GINT64_FORMAT, id);
}

GPtrArray *
bfk_messages_list_thread (BfkStore     *store,
                          const gchar  *phone,
                          guint         limit,
                          guint         offset,
                          GError      **error)
{
  g_autofree gchar *e164 = bfk_phone_normalize (phone, error);
  sqlite3_stmt *stmt;

  if (!e164)
    return NULL;
  /* Ids grow with time: newest first is the index (phone, id) read backwards. */
  stmt = bfk_store_prepare (store, "SELECT " MESSAGE_COLUMNS " FROM messages WHERE phone = ?3 "
                            "ORDER BY id DESC LIMIT ?1 OFFSET ?2", error);
  if (!stmt)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, limit);
  sqlite3_bind_int64 (stmt, 2, offset);
  sqlite3_bind_text (stmt, 3, e164, -1, SQLITE_STATIC);
  return bfk_store_rows (store, stmt, message_from_row, (GDestroyNotify) bfk_message_free, error);
}

gboolean
bfk_messages_count_by_status (BfkStore  *store,
                              guint64    counts[BFK_MESSAGE_N_STATUSES],
                              GError   **error)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store, "SELECT status, count(*) FROM messages GROUP BY status",
                                          error);
  int rc;

  if (!stmt)
    return FALSE;
  for (guint i = 0; i < BFK_MESSAGE_N_STATUSES; i++)
    counts[i] = 0;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    counts[status_from_name ((const gchar *) sqlite3_column_text (stmt, 0))]
      += (guint64) sqlite3_column_int64 (stmt, 1);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      bfk_store_set_error (store, error, "counting messages");
      return FALSE;
    }
  return TRUE;
}
