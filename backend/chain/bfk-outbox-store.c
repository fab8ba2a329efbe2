/* bfk-outbox-store.c: the outbox's SQL: operations, their attempts, and the
 * signers' nonces.  The caller holds the transaction, except where a public
 * function says otherwise. */
#include "bfk-outbox.h"
#include "bfk-outbox-private.h"
#include "bfk-store-rows.h"

#include "bfk-hex.h"

#include <string.h>

void
bfk_outbox_attempt_free (BfkOutboxAttempt *attempt)
{
  if (attempt == NULL)
    return;
  g_clear_pointer (&attempt->raw, g_bytes_unref);
  g_free (attempt->error);
  g_free (attempt);
}

void
bfk_outbox_op_free (BfkOutboxOp *op)
{
  if (op == NULL)
    return;
  g_clear_pointer (&op->calldata, g_bytes_unref);
  g_clear_pointer (&op->attempts, g_ptr_array_unref);
  g_free (op->reason);
  g_free (op);
}

BfkOutboxAttempt *
bfk_outbox_op_last (BfkOutboxOp *op)
{
  if (op->attempts == NULL || op->attempts->len == 0)
    return NULL;
  return g_ptr_array_index (op->attempts, op->attempts->len - 1);
}

gboolean
bfk_outbox_op_is_filling (const BfkOutboxOp *op)
{
  return (op->failure_class == BFK_FAILURE_REVERTED || op->failure_class == BFK_FAILURE_CANCELLED)
         && (op->state == BFK_OP_SIGNED || op->state == BFK_OP_SENT || op->state == BFK_OP_MINED);
}

/* --- small column helpers ------------------------------------------------- */

static const gchar *
request_to_string (BfkOutboxRequest request)
{
  switch (request)
    {
    case BFK_OUTBOX_REQUEST_BUMP:
      return "bump";
    case BFK_OUTBOX_REQUEST_CANCEL:
      return "cancel";
    default:
      return NULL;
    }
}

static BfkOutboxRequest
request_from_string (const gchar *text)
{
  if (g_strcmp0 (text, "bump") == 0)
    return BFK_OUTBOX_REQUEST_BUMP;
  if (g_strcmp0 (text, "cancel") == 0)
    return BFK_OUTBOX_REQUEST_CANCEL;
  return BFK_OUTBOX_REQUEST_NONE;
}

static void
bind_address (sqlite3_stmt     *stmt,
              int               index,
              const BfkAddress *address)
{
  gchar text[BFK_ADDRESS_STRING_SIZE];

  bfk_address_to_string_buf (address, text);
  sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
}

static void
bind_hash (sqlite3_stmt *stmt,
           int           index,
           const guint8  hash[BFK_HASH_SIZE])
{
  gchar text[2 + 2 * BFK_HASH_SIZE + 1] = "0x";

  bfk_hex_encode_to (hash, BFK_HASH_SIZE, text + 2);
  sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
}

static void
bind_u256 (sqlite3_stmt *stmt,
           int           index,
           BfkU256       value)
{
  sqlite3_bind_text (stmt, index, bfk_u256_to_decimal (value), -1, g_free);
}

static void
bind_failure (sqlite3_stmt    *stmt,
              int              index,
              BfkFailureClass  klass)
{
  bfk_store_bind_text (stmt, index, klass == BFK_FAILURE_NONE ? NULL : bfk_failure_class_to_string (klass));
}

static const gchar *
column_text (sqlite3_stmt *stmt,
             int           index)
{
  return (const gchar *) sqlite3_column_text (stmt, index);
}

static void
column_hash (sqlite3_stmt *stmt,
             int           index,
             guint8        out[BFK_HASH_SIZE])
{
  const gchar *text = column_text (stmt, index);

  memset (out, 0, BFK_HASH_SIZE);
  if (text != NULL)
    bfk_hex_decode_fixed (text, out, BFK_HASH_SIZE, NULL);
}

static BfkU256
column_u256 (sqlite3_stmt *stmt,
             int           index)
{
  BfkU256 value = BFK_U256_ZERO;
  const gchar *text = column_text (stmt, index);

  if (text != NULL)
    bfk_u256_parse (text, &value, NULL);
  return value;
}

static BfkFailureClass
column_failure (sqlite3_stmt *stmt,
                int           index)
{
  BfkFailureClass klass = BFK_FAILURE_NONE;

  bfk_failure_class_from_string (column_text (stmt, index), &klass);
  return klass;
}

static BfkOpState
column_state (sqlite3_stmt *stmt,
              int           index)
{
  BfkOpState state = BFK_OP_FAILED;

  bfk_op_state_from_string (column_text (stmt, index), &state);
  return state;
}

static GBytes *
column_bytes (sqlite3_stmt *stmt,
              int           index)
{
  return g_bytes_new (sqlite3_column_blob (stmt, index), (gsize) sqlite3_column_bytes (stmt, index));
}

static gboolean
step_rows_done (BfkStore      *store,
                sqlite3_stmt  *stmt,
                int            rc,
                GError       **error)
{
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      bfk_store_set_error (store, error, "reading the outbox");
      return FALSE;
    }
  return TRUE;
}

static void
add_change (GArray     *changes,
            gint64      op_id,
            BfkOpState  old_state,
            BfkOpState  new_state)
{
  BfkOutboxChange change = { op_id, old_state, new_state };

  if (changes != NULL && old_state != new_state)
    g_array_append_val (changes, change);
}

/* Moves op to new_state in memory and records the change. */
static void
move (BfkOutboxOp *op,
      BfkOpState   new_state,
      GArray      *changes)
{
  add_change (changes, op->id, op->state, new_state);
  op->state = new_state;
}

/* --- loading -------------------------------------------------------------- */

static gboolean
load_attempts (BfkStore     *store,
               BfkOutboxOp  *op,
               GError      **error)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store,
    "SELECT id, hash, raw, gas_limit, max_fee, max_priority_fee, created_at, sent_at, error "
    "FROM tx_attempts WHERE operation_id = ? ORDER BY id", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, op->id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BfkOutboxAttempt *a = g_new0 (BfkOutboxAttempt, 1);

      a->id = sqlite3_column_int64 (stmt, 0);
      column_hash (stmt, 1, a->hash);
      a->raw = column_bytes (stmt, 2);
      a->gas_limit = (guint64) sqlite3_column_int64 (stmt, 3);
      a->fees.max_fee_per_gas = column_u256 (stmt, 4);
      a->fees.max_priority_fee_per_gas = column_u256 (stmt, 5);
      a->created_at = sqlite3_column_int64 (stmt, 6);
      a->sent_at = sqlite3_column_int64 (stmt, 7);
      a->error = g_strdup (column_text (stmt, 8));
      g_ptr_array_add (op->attempts, a);
    }
  return step_rows_done (store, stmt, rc, error);
}

#define OP_COLUMNS \
  "SELECT id, kind, state, signer, target, nonce, calldata, failure_class, reason, " \
  "block_number, block_hash, request FROM operations "

GPtrArray *
bfk_outbox_store_load (BfkStore          *store,
                       BfkOpState         state,
                       const BfkAddress  *signer,
                       guint              limit,
                       GError           **error)
{
  g_autoptr(GPtrArray) ops = g_ptr_array_new_with_free_func ((GDestroyNotify) bfk_outbox_op_free);
  sqlite3_stmt *stmt;
  int rc;

  if (signer != NULL)
    stmt = bfk_store_prepare (store, OP_COLUMNS "WHERE state = ? AND signer = ? "
                              "ORDER BY nonce LIMIT ?", error);
  else
    stmt = bfk_store_prepare (store, OP_COLUMNS "WHERE state = ? ORDER BY signer, nonce LIMIT ?",
                              error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, bfk_op_state_to_string (state), -1, SQLITE_STATIC);
  if (signer != NULL)
    bind_address (stmt, 2, signer);
  sqlite3_bind_int64 (stmt, signer != NULL ? 3 : 2, limit > 0 ? (gint64) limit : -1);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BfkOutboxOp *op = g_new0 (BfkOutboxOp, 1);

      op->id = sqlite3_column_int64 (stmt, 0);
      bfk_op_kind_from_string (column_text (stmt, 1), &op->kind);
      op->state = column_state (stmt, 2);
      bfk_address_parse (column_text (stmt, 3), &op->signer, NULL);
      bfk_address_parse (column_text (stmt, 4), &op->target, NULL);
      op->nonce = (guint64) sqlite3_column_int64 (stmt, 5);
      op->calldata = column_bytes (stmt, 6);
      op->failure_class = column_failure (stmt, 7);
      op->reason = g_strdup (column_text (stmt, 8));
      op->block_number = (guint64) sqlite3_column_int64 (stmt, 9);
      column_hash (stmt, 10, op->block_hash);
      op->request = request_from_string (column_text (stmt, 11));
      op->attempts = g_ptr_array_new_with_free_func ((GDestroyNotify) bfk_outbox_attempt_free);
      g_ptr_array_add (ops, op);
    }
  if (!step_rows_done (store, stmt, rc, error))
    return NULL;

  /* After the listing: the attempts' statement must not interleave with it. */
  for (guint i = 0; i < ops->len; i++)
    if (!load_attempts (store, g_ptr_array_index (ops, i), error))
      return NULL;
  return g_steal_pointer (&ops);
}

/* --- moving operations along ---------------------------------------------- */

gboolean
bfk_outbox_store_add_attempt (BfkStore          *store,
                              BfkOutboxOp       *op,
                              BfkOutboxAttempt  *attempt,
                              GArray            *changes,
                              GError           **error)
{
  sqlite3_stmt *insert = bfk_store_prepare (store,
    "INSERT INTO tx_attempts (operation_id, hash, raw, gas_limit, max_fee, max_priority_fee, "
    "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)", error);
  sqlite3_stmt *update;
  gboolean filling = bfk_outbox_op_is_filling (op);
  BfkOpState new_state = op->state == BFK_OP_QUEUED ? BFK_OP_SIGNED : op->state;

  if (insert == NULL)
    return FALSE;
  attempt->created_at = bfk_store_now ();
  sqlite3_bind_int64 (insert, 1, op->id);
  bind_hash (insert, 2, attempt->hash);
  sqlite3_bind_blob (insert, 3, g_bytes_get_data (attempt->raw, NULL),
                     (int) g_bytes_get_size (attempt->raw), SQLITE_STATIC);
  sqlite3_bind_int64 (insert, 4, (gint64) attempt->gas_limit);
  bind_u256 (insert, 5, attempt->fees.max_fee_per_gas);
  bind_u256 (insert, 6, attempt->fees.max_priority_fee_per_gas);
  sqlite3_bind_int64 (insert, 7, attempt->created_at);
  if (!bfk_store_step_done (store, insert, error))
    return FALSE;
  attempt->id = sqlite3_last_insert_rowid (bfk_store_get_db (store));

  /* A new attempt answers the last refusal; a filler's failure stays.  It
   * answers the operator's request it was made for, and only that one: a
   * cancel asked meanwhile is still to do. */
  update = bfk_store_prepare (store,
    "UPDATE operations SET state = ?, attempts = attempts + 1, tx_hash = ?, "
    "failure_class = ?, reason = ?, updated_at = ?, "
    "request = CASE WHEN request = ?7 THEN NULL ELSE request END WHERE id = ?6", error);
  if (update == NULL)
    return FALSE;
  sqlite3_bind_text (update, 1, bfk_op_state_to_string (new_state), -1, SQLITE_STATIC);
  bind_hash (update, 2, attempt->hash);
  bind_failure (update, 3, filling ? op->failure_class : BFK_FAILURE_NONE);
  bfk_store_bind_text (update, 4, filling ? op->reason : NULL);
  sqlite3_bind_int64 (update, 5, attempt->created_at);
  sqlite3_bind_int64 (update, 6, op->id);
  bfk_store_bind_text (update, 7, request_to_string (op->answers));
  if (!bfk_store_step_done (store, update, error))
    return FALSE;
  if (op->answers != BFK_OUTBOX_REQUEST_NONE && op->request == op->answers)
    op->request = BFK_OUTBOX_REQUEST_NONE;
  op->answers = BFK_OUTBOX_REQUEST_NONE;

  if (!filling)
    {
      op->failure_class = BFK_FAILURE_NONE;
      g_clear_pointer (&op->reason, g_free);
    }
  move (op, new_state, changes);
  return TRUE;
}

gboolean
bfk_outbox_store_mark_sent (BfkStore          *store,
                            BfkOutboxOp       *op,
                            BfkOutboxAttempt  *attempt,
                            GArray            *changes,
                            GError           **error)
{
  /* The first send counts: the same bytes sent again (a node that lost or
   * stranded them answers "already known" without mining them) must not
   * put off the bump, whose new transaction is what gets them mined. */
  sqlite3_stmt *stmt = bfk_store_prepare (store,
    "UPDATE tx_attempts SET sent_at = COALESCE(sent_at, ?), error = NULL WHERE id = ?", error);
  gint64 now = bfk_store_now ();
  gboolean filling = bfk_outbox_op_is_filling (op);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_int64 (stmt, 2, attempt->id);
  if (!bfk_store_step_done (store, stmt, error))
    return FALSE;
  if (attempt->sent_at == 0)
    attempt->sent_at = now;
  g_clear_pointer (&attempt->error, g_free);

  stmt = bfk_store_prepare (store,
    "UPDATE operations SET state = 'sent', sent_at = COALESCE(sent_at, ?), "
    "failure_class = ?, reason = ?, updated_at = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now);
  bind_failure (stmt, 2, filling ? op->failure_class : BFK_FAILURE_NONE);
  bfk_store_bind_text (stmt, 3, filling ? op->reason : NULL);
  sqlite3_bind_int64 (stmt, 4, now);
  sqlite3_bind_int64 (stmt, 5, op->id);
  if (!bfk_store_step_done (store, stmt, error))
    return FALSE;
  if (!filling)
    {
      op->failure_class = BFK_FAILURE_NONE;
      g_clear_pointer (&op->reason, g_free);
    }
  move (op, BFK_OP_SENT, changes);
  return TRUE;
}

gboolean
bfk_outbox_store_mark_refused (BfkStore          *store,
                               BfkOutboxOp       *op,
                               BfkOutboxAttempt  *attempt,
                               BfkFailureClass    klass,
                               const gchar       *message,
                               GError           **error)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store,
    "UPDATE tx_attempts SET error = ? WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, message, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, attempt->id);
  if (!bfk_store_step_done (store, stmt, error))
    return FALSE;
  g_free (attempt->error);
  attempt->error = g_strdup (message);
  if (bfk_outbox_op_is_filling (op))
    return TRUE;

  stmt = bfk_store_prepare (store,
    "UPDATE operations SET failure_class = ?, reason = ?, updated_at = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  bind_failure (stmt, 1, klass);
  sqlite3_bind_text (stmt, 2, message, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, bfk_store_now ());
  sqlite3_bind_int64 (stmt, 4, op->id);
  if (!bfk_store_step_done (store, stmt, error))
    return FALSE;
  op->failure_class = klass;
  g_free (op->reason);
  op->reason = g_strdup (message);
  return TRUE;
}

gboolean
bfk_outbox_store_mark_mined (BfkStore               *store,
                             BfkOutboxOp            *op,
                             const BfkOutboxReceipt *receipt,
                             BfkOpState              new_state,
                             const gchar            *reason,
                             GArray                 *changes,
                             GError                **error)
{
  g_autofree gchar *winner = bfk_hex_encode (receipt->tx_hash, BFK_HASH_SIZE);
  g_autofree gchar *replaced = g_strdup_printf ("replaced by %s", winner);
  const BfkOutboxAttempt *winner_attempt;
  sqlite3_stmt *stmt;
  gint64 now = bfk_store_now ();
  BfkU256 fee = BFK_U256_ZERO;

  /* Mined, a bump or cancel still asked has nothing left to act on (and
   * must not act after a reorganisation puts the operation back). */
  stmt = bfk_store_prepare (store,
    "UPDATE operations SET state = ?, tx_hash = ?, block_number = ?, block_hash = ?, "
    "gas_used = ?, fee_paid = ?, mined_at = COALESCE(mined_at, ?), confirmed_at = ?, "
    "failure_class = ?, reason = ?, request = NULL, updated_at = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  bfk_u256_mul_u64 (&fee, receipt->effective_gas_price, receipt->gas_used);
  sqlite3_bind_text (stmt, 1, bfk_op_state_to_string (new_state), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, winner, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, (gint64) receipt->block_number);
  bind_hash (stmt, 4, receipt->block_hash);
  sqlite3_bind_int64 (stmt, 5, (gint64) receipt->gas_used);
  bind_u256 (stmt, 6, fee);
  sqlite3_bind_int64 (stmt, 7, now);
  bfk_store_bind_id (stmt, 8, new_state == BFK_OP_MINED ? 0 : now);
  /* A filler's receipt ends the operation with the class it was sent for
   * (a cancel, a nonce given back); the operation's own, reverted, is a
   * revert even when a filler was on its way. */
  winner_attempt = bfk_outbox_op_attempt (op, receipt->tx_hash);
  bind_failure (stmt, 9, new_state != BFK_OP_FAILED ? BFK_FAILURE_NONE
                         : winner_attempt && bfk_outbox_is_filler (winner_attempt) ? op->failure_class
                         : BFK_FAILURE_REVERTED);
  bfk_store_bind_text (stmt, 10, new_state == BFK_OP_FAILED ? reason : NULL);
  sqlite3_bind_int64 (stmt, 11, now);
  sqlite3_bind_int64 (stmt, 12, op->id);
  if (!bfk_store_step_done (store, stmt, error))
    return FALSE;

  stmt = bfk_store_prepare (store,
    "UPDATE tx_attempts SET error = ? WHERE operation_id = ? AND hash != ? AND error IS NULL",
    error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, replaced, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, op->id);
  sqlite3_bind_text (stmt, 3, winner, -1, SQLITE_STATIC);
  if (!bfk_store_step_done (store, stmt, error))
    return FALSE;

  op->block_number = receipt->block_number;
  memcpy (op->block_hash, receipt->block_hash, BFK_HASH_SIZE);
  if (op->state != BFK_OP_MINED)
    move (op, BFK_OP_MINED, changes);
  move (op, new_state, changes);
  return TRUE;
}

gboolean
bfk_outbox_store_mark_confirmed (BfkStore     *store,
                                 BfkOutboxOp  *op,
                                 GArray       *changes,
                                 GError      **error)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store,
    "UPDATE operations SET state = 'confirmed', confirmed_at = ?, updated_at = ? WHERE id = ?",
    error);
  gint64 now = bfk_store_now ();

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_int64 (stmt, 2, now);
  sqlite3_bind_int64 (stmt, 3, op->id);
  if (!bfk_store_step_done (store, stmt, error))
    return FALSE;
  move (op, BFK_OP_CONFIRMED, changes);
  return TRUE;
}

gboolean
bfk_outbox_store_unmine (BfkStore     *store,
                         BfkOutboxOp  *op,
                         GArray       *changes,
                         GError      **error)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store,
    "UPDATE operations SET state = 'sent', block_number = NULL, block_hash = NULL, "
    "gas_used = NULL, fee_paid = NULL, mined_at = NULL, updated_at = ? WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, bfk_store_now ());
  sqlite3_bind_int64 (stmt, 2, op->id);
  if (!bfk_store_step_done (store, stmt, error))
    return FALSE;
  stmt = bfk_store_prepare (store,
    "UPDATE tx_attempts SET error = NULL WHERE operation_id = ? AND error LIKE 'replaced by %'",
    error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, op->id);
  if (!bfk_store_step_done (store, stmt, error))
    return FALSE;
  op->block_number = 0;
  memset (op->block_hash, 0, BFK_HASH_SIZE);
  move (op, BFK_OP_SENT, changes);
  return TRUE;
}

/* Runs one statement that takes (signer, nonce). */
static gboolean
signer_nonce_update (BfkStore          *store,
                     const gchar       *sql,
                     const BfkAddress  *signer,
                     guint64            nonce,
                     GError           **error)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store, sql, error);

  if (stmt == NULL)
    return FALSE;
  bind_address (stmt, 1, signer);
  sqlite3_bind_int64 (stmt, 2, (gint64) nonce);
  return bfk_store_step_done (store, stmt, error);
}

gboolean
bfk_outbox_store_shift (BfkStore          *store,
                        const BfkAddress  *signer,
                        guint64            from_nonce,
                        guint64            by,
                        GError           **error)
{
  sqlite3_stmt *stmt;

  /* UNIQUE (signer, nonce) is checked row by row, so the operations go
   * through negative nonces rather than collide with each other. */
  if (!signer_nonce_update (store, "UPDATE operations SET nonce = -nonce "
                            "WHERE signer = ? AND nonce >= ?", signer, from_nonce, error))
    return FALSE;
  stmt = bfk_store_prepare (store,
    "UPDATE operations SET nonce = -nonce - ?2 WHERE signer = ?1 AND nonce < 0", error);
  if (stmt == NULL)
    return FALSE;
  bind_address (stmt, 1, signer);
  sqlite3_bind_int64 (stmt, 2, (gint64) by);
  if (!bfk_store_step_done (store, stmt, error))
    return FALSE;
  stmt = bfk_store_prepare (store,
    "UPDATE signers SET next_nonce = MAX(next_nonce - ?2, 0) WHERE address = ?1", error);
  if (stmt == NULL)
    return FALSE;
  bind_address (stmt, 1, signer);
  sqlite3_bind_int64 (stmt, 2, (gint64) by);
  return bfk_store_step_done (store, stmt, error);
}

gboolean
bfk_outbox_store_mark_final (BfkStore         *store,
                             BfkOutboxOp      *op,
                             BfkOpState        state,
                             BfkFailureClass   klass,
                             const gchar      *reason,
                             GArray           *changes,
                             GError          **error)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store,
    "UPDATE operations SET state = ?, failure_class = ?, reason = ?, request = NULL, updated_at = ? "
    "WHERE id = ?",
    error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, bfk_op_state_to_string (state), -1, SQLITE_STATIC);
  bind_failure (stmt, 2, klass);
  bfk_store_bind_text (stmt, 3, reason);
  sqlite3_bind_int64 (stmt, 4, bfk_store_now ());
  sqlite3_bind_int64 (stmt, 5, op->id);
  if (!bfk_store_step_done (store, stmt, error))
    return FALSE;
  move (op, state, changes);
  return TRUE;
}

gboolean
bfk_outbox_store_fail_unsigned (BfkStore          *store,
                                BfkOutboxOp       *op,
                                BfkFailureClass    klass,
                                const gchar       *reason,
                                GArray            *changes,
                                GError           **error)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store,
    "UPDATE operations SET state = 'failed', nonce = NULL, failure_class = ?, reason = ?, "
    "request = NULL, updated_at = ? WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  bind_failure (stmt, 1, klass);
  sqlite3_bind_text (stmt, 2, reason, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, bfk_store_now ());
  sqlite3_bind_int64 (stmt, 4, op->id);
  if (!bfk_store_step_done (store, stmt, error))
    return FALSE;

  if (!bfk_outbox_store_shift (store, &op->signer, op->nonce + 1, 1, error))
    return FALSE;

  op->failure_class = klass;
  g_free (op->reason);
  op->reason = g_strdup (reason);
  move (op, BFK_OP_FAILED, changes);
  return TRUE;
}

gboolean
bfk_outbox_store_set_filling (BfkStore     *store,
                              BfkOutboxOp  *op,
                              const gchar  *reason,
                              GError      **error)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store,
    "UPDATE operations SET failure_class = 'reverted', reason = ?, updated_at = ? WHERE id = ?",
    error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, reason, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, bfk_store_now ());
  sqlite3_bind_int64 (stmt, 3, op->id);
  if (!bfk_store_step_done (store, stmt, error))
    return FALSE;
  op->failure_class = BFK_FAILURE_REVERTED;
  g_free (op->reason);
  op->reason = g_strdup (reason);
  return TRUE;
}

/* The signer's next nonce, created from first (the node's count) when the
 * signer is new; first G_MAXUINT64 means "must exist". */
static gboolean
reserve_nonce (BfkStore          *store,
               const BfkAddress  *signer,
               guint64            at_least,
               guint64           *nonce,
               GError           **error)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store,
    "INSERT INTO signers (address, next_nonce) VALUES (?, ?) "
    "ON CONFLICT (address) DO UPDATE SET next_nonce = MAX(next_nonce, excluded.next_nonce) "
    "RETURNING next_nonce", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  bind_address (stmt, 1, signer);
  sqlite3_bind_int64 (stmt, 2, (gint64) at_least);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *nonce = (guint64) sqlite3_column_int64 (stmt, 0);
  while (rc == SQLITE_ROW)
    rc = sqlite3_step (stmt);
  if (!step_rows_done (store, stmt, rc, error))
    return FALSE;
  return signer_nonce_update (store, "UPDATE signers SET next_nonce = ?2 + 1 WHERE address = ?1",
                              signer, *nonce, error);
}

gboolean
bfk_outbox_store_renonce (BfkStore     *store,
                          BfkOutboxOp  *op,
                          guint64       chain_nonce,
                          GArray       *changes,
                          GError      **error)
{
  g_autofree gchar *note = g_strdup_printf ("nonce %" G_GUINT64_FORMAT
                                            " was used by another transaction of this key",
                                            op->nonce);
  sqlite3_stmt *stmt;
  guint64 nonce;

  if (!reserve_nonce (store, &op->signer, chain_nonce, &nonce, error))
    return FALSE;
  stmt = bfk_store_prepare (store,
    "UPDATE operations SET state = 'queued', nonce = ?, failure_class = NULL, reason = NULL, "
    "tx_hash = NULL, updated_at = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, (gint64) nonce);
  sqlite3_bind_int64 (stmt, 2, bfk_store_now ());
  sqlite3_bind_int64 (stmt, 3, op->id);
  if (!bfk_store_step_done (store, stmt, error))
    return FALSE;
  stmt = bfk_store_prepare (store,
    "UPDATE tx_attempts SET error = ? WHERE operation_id = ? AND error IS NULL", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, note, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, op->id);
  if (!bfk_store_step_done (store, stmt, error))
    return FALSE;
  op->nonce = nonce;
  op->failure_class = BFK_FAILURE_NONE;
  g_clear_pointer (&op->reason, g_free);
  move (op, BFK_OP_QUEUED, changes);
  return TRUE;
}

guint64
bfk_outbox_store_count_pending (BfkStore  *store,
                                GError   **error)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store,
    "SELECT COUNT(*) FROM operations WHERE state IN ('queued', 'signed', 'sent', 'mined')", error);
  guint64 n = 0;
  int rc;

  if (stmt == NULL)
    return 0;
  if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      n = (guint64) sqlite3_column_int64 (stmt, 0);
      rc = sqlite3_step (stmt);
    }
  step_rows_done (store, stmt, rc, error);
  return n;
}

/* --- the operator's requests ---------------------------------------------- */

static gboolean
store_request (BfkStore          *store,
               gint64             id,
               BfkOutboxRequest   request,
               GError           **error)
{
  const gchar *verb = request == BFK_OUTBOX_REQUEST_BUMP ? "bump" : "cancel";
  g_autoptr(BfkOpInfo) info = bfk_outbox_get (store, id, error);
  sqlite3_stmt *stmt;

  if (info == NULL)
    return FALSE;
  switch (info->state)
    {
    case BFK_OP_QUEUED:
      if (request == BFK_OUTBOX_REQUEST_BUMP)
        {
          g_set_error (error, BFK_OUTBOX_ERROR, BFK_OUTBOX_ERROR_NOT_SENT,
                       "Operation %" G_GINT64_FORMAT " is not signed yet: there is nothing to bump; "
                       "it goes as soon as the operations before it have", id);
          return FALSE;
        }
      break;
    case BFK_OP_SIGNED:
    case BFK_OP_SENT:
      if (info->failure_class == BFK_FAILURE_REVERTED || info->failure_class == BFK_FAILURE_CANCELLED)
        {
          if (request == BFK_OUTBOX_REQUEST_BUMP)
            break;  /* the filler that burns its nonce goes again, with higher fees */
          g_set_error (error, BFK_OUTBOX_ERROR, BFK_OUTBOX_ERROR_SETTLED,
                       "Operation %" G_GINT64_FORMAT " has failed already (%s): its nonce is "
                       "being used up, there is nothing to cancel", id,
                       info->reason ? info->reason : bfk_failure_class_to_string (info->failure_class));
          return FALSE;
        }
      break;
    default:
      g_set_error (error, BFK_OUTBOX_ERROR, BFK_OUTBOX_ERROR_SETTLED,
                   "Operation %" G_GINT64_FORMAT " is %s already: there is nothing to %s", id,
                   bfk_op_state_to_string (info->state), verb);
      return FALSE;
    }

  /* A bump does not undo a cancel that waits; a cancel replaces a bump.
   * The state is checked again: the driver may have moved it meanwhile. */
  stmt = bfk_store_prepare (store,
    "UPDATE operations SET request = CASE WHEN ?1 = 'bump' AND request = 'cancel' THEN request "
    "ELSE ?1 END WHERE id = ?2 AND state IN ('queued', 'signed', 'sent')", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, verb, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, id);
  if (!bfk_store_step_done (store, stmt, error))
    return FALSE;
  if (sqlite3_changes (bfk_store_get_db (store)) == 0)
    {
      g_set_error (error, BFK_OUTBOX_ERROR, BFK_OUTBOX_ERROR_SETTLED,
                   "Operation %" G_GINT64_FORMAT " was settled just now: there is nothing to %s",
                   id, verb);
      return FALSE;
    }
  return TRUE;
}

gboolean
bfk_outbox_request_bump (BfkStore  *store,
                         gint64     id,
                         GError   **error)
{
  return store_request (store, id, BFK_OUTBOX_REQUEST_BUMP, error);
}

gboolean
bfk_outbox_request_cancel (BfkStore  *store,
                           gint64     id,
                           GError   **error)
{
  return store_request (store, id, BFK_OUTBOX_REQUEST_CANCEL, error);
}

/* --- the public half: enqueue and listings -------------------------------- */

static gboolean
signer_known (BfkStore         *store,
              const BfkAddress *signer)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store, "SELECT 1 FROM signers WHERE address = ?", NULL);
  gboolean known;

  if (stmt == NULL)
    return FALSE;
  bind_address (stmt, 1, signer);
  known = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  return known;
}

static gint64
insert_operation (BfkStore           *store,
                  const BfkAddress   *signer,
                  guint64             nonce,
                  const BfkAddress   *contract,
                  const BfkOpRequest *request,
                  GError            **error)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store,
    "INSERT INTO operations (kind, signer, nonce, target, calldata, summary, member_id, "
    "community_id, exchange_id, amount, state, created_at, updated_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?)", error);
  gint64 now = bfk_store_now ();

  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, bfk_op_kind_to_string (request->kind), -1, SQLITE_STATIC);
  bind_address (stmt, 2, signer);
  sqlite3_bind_int64 (stmt, 3, (gint64) nonce);
  bind_address (stmt, 4, contract);
  sqlite3_bind_blob (stmt, 5, g_bytes_get_data (request->calldata, NULL),
                     (int) g_bytes_get_size (request->calldata), SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, request->summary ? request->summary : "", -1, SQLITE_STATIC);
  bfk_store_bind_id (stmt, 7, request->member_id);
  bfk_store_bind_id (stmt, 8, (gint64) request->community_id);
  bfk_store_bind_id (stmt, 9, (gint64) request->exchange_id);
  bfk_store_bind_id (stmt, 10, request->amount);
  sqlite3_bind_int64 (stmt, 11, now);
  sqlite3_bind_int64 (stmt, 12, now);
  if (!bfk_store_step_done (store, stmt, error))
    return 0;
  return sqlite3_last_insert_rowid (bfk_store_get_db (store));
}

gint64
bfk_outbox_enqueue (BfkStore            *store,
                    BfkRpcClient        *rpc,
                    const BfkAddress    *signer,
                    const BfkAddress    *contract,
                    const BfkOpRequest  *request,
                    GError             **error)
{
  gboolean own = sqlite3_get_autocommit (bfk_store_get_db (store));
  guint64 first = 0, nonce;
  gint64 id;

  g_return_val_if_fail (request != NULL && request->calldata != NULL, 0);
  g_return_val_if_fail ((guint) request->kind < BFK_OP_N_KINDS, 0);

  /* Asked before the transaction, so that no write lock is held across a
   * round trip; a race with another enqueuer is settled by MAX below. */
  if (!signer_known (store, signer))
    {
      if (rpc == NULL)
        {
          g_set_error (error, BFK_OUTBOX_ERROR, BFK_OUTBOX_ERROR_NO_NONCE,
                       "The first operation signed by this key needs the node, to read the "
                       "key's nonce: connect to the network and try again");
          return 0;
        }
      if (!bfk_rpc_client_get_transaction_count (rpc, signer, "pending", &first, error))
        return 0;
    }

  if (own && !bfk_store_begin (store, error))
    return 0;
  if (!reserve_nonce (store, signer, first, &nonce, error)
      || (id = insert_operation (store, signer, nonce, contract, request, error)) == 0
      || (own && !bfk_store_commit (store, error)))
    {
      if (own)
        bfk_store_rollback (store);
      return 0;
    }
  return id;
}

void
bfk_op_info_free (BfkOpInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->signer);
  g_free (info->summary);
  g_free (info->reason);
  g_free (info->tx_hash);
  g_free (info->fee_paid);
  g_free (info);
}

#define INFO_COLUMNS \
  "SELECT id, kind, state, signer, nonce, summary, member_id, community_id, exchange_id, " \
  "amount, failure_class, reason, attempts, tx_hash, block_number, gas_used, fee_paid, " \
  "created_at, sent_at, mined_at, confirmed_at FROM operations "

static BfkOpInfo *
info_from_row (sqlite3_stmt *stmt)
{
  BfkOpInfo *info = g_new0 (BfkOpInfo, 1);

  info->id = sqlite3_column_int64 (stmt, 0);
  bfk_op_kind_from_string (column_text (stmt, 1), &info->kind);
  info->state = column_state (stmt, 2);
  info->signer = g_strdup (column_text (stmt, 3));
  info->nonce = (guint64) sqlite3_column_int64 (stmt, 4);
  info->summary = g_strdup (column_text (stmt, 5));
  info->member_id = sqlite3_column_int64 (stmt, 6);
  info->community_id = (guint64) sqlite3_column_int64 (stmt, 7);
  info->exchange_id = (guint64) sqlite3_column_int64 (stmt, 8);
  info->amount = sqlite3_column_int64 (stmt, 9);
  info->failure_class = column_failure (stmt, 10);
  info->reason = g_strdup (column_text (stmt, 11));
  info->attempts = (guint) sqlite3_column_int (stmt, 12);
  info->tx_hash = g_strdup (column_text (stmt, 13));
  info->block_number = (guint64) sqlite3_column_int64 (stmt, 14);
  info->gas_used = (guint64) sqlite3_column_int64 (stmt, 15);
  info->fee_paid = g_strdup (column_text (stmt, 16));
  info->created_at = sqlite3_column_int64 (stmt, 17);
  info->sent_at = sqlite3_column_int64 (stmt, 18);
  info->mined_at = sqlite3_column_int64 (stmt, 19);
  info->confirmed_at = sqlite3_column_int64 (stmt, 20);
  return info;
}

BfkOpInfo *
bfk_outbox_get (BfkStore  *store,
                gint64     id,
                GError   **error)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store, INFO_COLUMNS "WHERE id = ?", error);
  BfkOpInfo *info = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      info = info_from_row (stmt);
      rc = sqlite3_step (stmt);
    }
  if (!step_rows_done (store, stmt, rc, error))
    {
      bfk_op_info_free (info);
      return NULL;
    }
  if (info == NULL)
    g_set_error (error, BFK_STORE_ERROR, BFK_STORE_ERROR_NOT_FOUND,
                 "There is no operation %" G_GINT64_FORMAT " in the outbox", id);
  return info;
}

GPtrArray *
bfk_outbox_list_recent (BfkStore  *store,
                        guint      limit,
                        GError   **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) bfk_op_info_free);
  sqlite3_stmt *stmt = bfk_store_prepare (store, INFO_COLUMNS "ORDER BY id DESC LIMIT ?", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, limit > 0 ? (gint64) limit : -1);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, info_from_row (stmt));
  if (!step_rows_done (store, stmt, rc, error))
    return NULL;
  return g_steal_pointer (&list);
}

gboolean
bfk_outbox_count_by_state (BfkStore  *store,
                           guint64    counts[BFK_OP_N_STATES],
                           GError   **error)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store,
    "SELECT state, COUNT(*) FROM operations GROUP BY state", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  memset (counts, 0, sizeof (guint64) * BFK_OP_N_STATES);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BfkOpState state;

      if (bfk_op_state_from_string (column_text (stmt, 0), &state))
        counts[state] = (guint64) sqlite3_column_int64 (stmt, 1);
    }
  return step_rows_done (store, stmt, rc, error);
}
