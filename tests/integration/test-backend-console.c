/* test-backend-console.c: the console's writes, through an in-process
 * backend on the local network that it starts itself: operations enqueued
 * with an audit entry, signed by the operator or by a backer's key added
 * at run time; a stuck transaction bumped or cancelled (anvil with its
 * automine off), a queued one cancelled; staff writing to a member, taking
 * a conversation over (the bot stays silent on free text) and giving it
 * back; the inbox's unread count; and the audit log of all that.
 *
 * The tests share one backend and run in order. */
#include "bfk-audit.h"
#include "bfk-backend.h"
#include "bfk-contract.h"
#include "bfk-conversations.h"
#include "bfk-local-node.h"
#include "bfk-store.h"
#include "bfk-test-console.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <sqlite3.h>
#include <string.h>

#define PHONE "+237650000077"

typedef struct
{
  BfkBackend   *backend;
  gchar        *dir;
  gchar        *db_path;
  BfkRpcClient *rpc;          /* the backend's anvil, for the test's own calls */
  BfkAddress    contract;
  GHashTable   *states;       /* op id → last BfkOpState seen */
  GHashTable   *confirmed;    /* op id → times seen reaching confirmed */
  GAsyncResult *result;
  /* Shared between the tests, in order. */
  BfkAddress    member;       /* registered in community 1 */
  gint64        member_op;
} Fixture;

static Fixture f;

/* --- helpers ---------------------------------------------------------------- */

static void
on_operation_changed (BfkBackend  *backend,
                      gint64       id,
                      gint         old_state,
                      gint         new_state,
                      const gchar *summary,
                      const gchar *detail,
                      gpointer     user_data)
{
  gint64 *key = g_new (gint64, 1);

  g_test_message ("operation %" G_GINT64_FORMAT " %s → %s: %s — %s", id,
                  bfk_op_state_to_string (old_state), bfk_op_state_to_string (new_state),
                  summary ? summary : "", detail ? detail : "");
  *key = id;
  g_hash_table_insert (f.states, key, GINT_TO_POINTER (new_state));
  if (new_state == BFK_OP_CONFIRMED)
    {
      gint64 *k = g_memdup2 (&id, sizeof id);

      g_hash_table_insert (f.confirmed, k,
                           GINT_TO_POINTER (GPOINTER_TO_INT (g_hash_table_lookup (f.confirmed, &id)) + 1));
    }
}

static void
got_result (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  f.result = g_object_ref (result);
}

static GAsyncResult *
wait_result (void)
{
  while (!f.result)
    g_main_context_iteration (NULL, TRUE);
  return g_steal_pointer (&f.result);
}

static gint
state_of (gint64 id)
{
  gpointer v;

  return g_hash_table_lookup_extended (f.states, &id, NULL, &v) ? GPOINTER_TO_INT (v) : -1;
}

static gboolean
timed_out (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
wait_state (gint64     id,
            BfkOpState state)
{
  gboolean late = FALSE;
  guint source = g_timeout_add_seconds (60, timed_out, &late);

  while (state_of (id) != (gint) state && !late)
    g_main_context_iteration (NULL, TRUE);
  if (late)
    g_error ("operation %" G_GINT64_FORMAT " is %d, not %s", id, state_of (id),
             bfk_op_state_to_string (state));
  g_source_remove (source);
}

/* Runs the main context for a while, letting the backend work. */
static void
spin (guint ms)
{
  gboolean late = FALSE;
  guint source = g_timeout_add (ms, timed_out, &late);

  while (!late)
    g_main_context_iteration (NULL, TRUE);
  (void) source;
}

static BfkStore *
open_store (void)
{
  g_autoptr(GError) error = NULL;
  BfkStore *store = bfk_store_open (f.db_path, TRUE, &error);

  g_assert_no_error (error);
  return store;
}

static gint64
query_int (const gchar *sql)
{
  g_autoptr(BfkStore) store = open_store ();
  sqlite3_stmt *stmt = bfk_store_prepare (store, sql, NULL);
  gint64 v;

  g_assert_nonnull (stmt);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  v = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return v;
}

static gchar *
query_text (const gchar *sql)
{
  g_autoptr(BfkStore) store = open_store ();
  sqlite3_stmt *stmt = bfk_store_prepare (store, sql, NULL);
  gchar *v;

  g_assert_nonnull (stmt);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  v = g_strdup ((const gchar *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return v;
}

static BfkOpInfo *
get_op (gint64 id)
{
  g_autoptr(BfkStore) store = open_store ();
  g_autoptr(GError) error = NULL;
  BfkOpInfo *info = bfk_outbox_get (store, id, &error);

  g_assert_no_error (error);
  return info;
}

/* Waits until op id has n attempts stored. */
static void
wait_attempts (gint64 id,
               guint  n)
{
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  for (;;)
    {
      g_autoptr(BfkOpInfo) info = get_op (id);

      if (info->attempts >= n)
        {
          g_assert_cmpuint (info->attempts, ==, n);
          return;
        }
      if (g_get_monotonic_time () > end)
        g_error ("operation %" G_GINT64_FORMAT " has %u attempts, not %u", id, info->attempts, n);
      spin (50);
    }
}

static void
rpc_call (const gchar *method,
          const gchar *params_json)
{
  g_autoptr(JsonNode) params = json_from_string (params_json, NULL);
  g_autoptr(JsonNode) result = NULL;
  g_autoptr(GError) error = NULL;

  result = bfk_rpc_client_call (f.rpc, method, params, &error);
  g_assert_no_error (error);
}

static guint64
chain_nonce (const BfkAddress *address)
{
  g_autoptr(GError) error = NULL;
  guint64 n = 0;

  g_assert_true (bfk_rpc_client_get_transaction_count (f.rpc, address, "latest", &n, &error));
  g_assert_no_error (error);
  return n;
}

static guint64
balance_of (const BfkAddress *account)
{
  g_autoptr(GError) error = NULL;
  BfkU256 v;

  g_assert_true (bfk_contract_read_uint (f.rpc, &f.contract, "balanceOf", account, &v, &error));
  g_assert_no_error (error);
  return bfk_u256_to_u64 (v);
}

static void
random_address (BfkAddress *out)
{
  g_auto(BfkPrivateKey) key = { 0 };

  g_assert_true (bfk_private_key_generate (&key, NULL));
  g_assert_true (bfk_private_key_to_address (&key, out, NULL));
}

/* Enqueues through bfk_backend_enqueue_audited_async; the id, or 0 with
 * error. */
static gint64
enqueue (const BfkAddress *signer,
         BfkOpKind         kind,
         GBytes           *calldata,
         const gchar      *summary,
         const gchar      *action,
         const gchar      *subject,
         GError          **error)
{
  BfkOpRequest request = { .kind = kind, .calldata = calldata, .summary = summary };
  g_autoptr(GAsyncResult) r = NULL;

  bfk_backend_enqueue_audited_async (f.backend, signer, &request, action, subject, NULL,
                                     got_result, NULL);
  r = wait_result ();
  return bfk_backend_enqueue_audited_finish (f.backend, r, error);
}

static gint64
enqueue_register (const BfkAddress *member)
{
  g_autoptr(GBytes) calldata = bfk_contract_encode_register_member (member, 1);
  g_autoptr(GError) error = NULL;
  gchar text[BFK_ADDRESS_STRING_SIZE];
  gint64 id;

  bfk_address_to_string_buf (member, text);
  id = enqueue (NULL, BFK_OP_REGISTER_MEMBER, calldata, "register a test member", "register",
                text, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

/* With the automine off, a registration that stays sent: its id, after
 * its first attempt. */
static gint64
register_stuck (BfkAddress *member)
{
  gint64 id;

  rpc_call ("evm_setAutomine", "[false]");
  random_address (member);
  id = enqueue_register (member);
  wait_state (id, BFK_OP_SENT);
  wait_attempts (id, 1);
  return id;
}

/* Mines what is pending, and the automine again. */
static void
mine_all (void)
{
  rpc_call ("evm_mine", "[]");
  rpc_call ("evm_setAutomine", "[true]");
}

static gboolean
unstick (gint64          id,
         BfkStuckAction  action,
         GError        **error)
{
  g_autoptr(GAsyncResult) r = NULL;

  bfk_backend_unstick_async (f.backend, id, action, NULL, got_result, NULL);
  r = wait_result ();
  return bfk_backend_unstick_finish (f.backend, r, error);
}

/* The unstick refused, with code of BFK_OUTBOX_ERROR. */
static void
assert_unstick_refused (gint64          id,
                        BfkStuckAction  action,
                        gint            code)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (unstick (id, action, &error));
  g_assert_error (error, BFK_OUTBOX_ERROR, code);
}

/* The newest audit entry of action. */
static BfkAuditEntry *
last_audit (const gchar *action)
{
  g_autoptr(BfkStore) store = open_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = bfk_audit_list (store, action, NULL, 0, 1, 0, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 1);
  return g_ptr_array_steal_index (entries, 0);
}

static gchar *
address_text (const BfkAddress *address)
{
  gchar text[BFK_ADDRESS_STRING_SIZE];

  bfk_address_to_string_buf (address, text);
  return g_strdup (text);
}

/* Posts an inbound message from PHONE to /webhook, as the simulator does
 * (from loopback, without Twilio); the TwiML that answered. */
static gchar *
post_inbound (const gchar *text)
{
  static guint serial;
  g_autofree gchar *sid = g_strdup_printf ("SMconsole%08u", ++serial);
  g_autofree gchar *uri = g_strconcat (bfk_backend_get_listen_uri (f.backend), "webhook", NULL);
  guint status;
  gchar *answer = bfk_test_post_message (uri, PHONE, sid, text, &status);

  g_assert_cmpuint (status, ==, 200);
  return answer;
}

static BfkConversation *
get_conversation (void)
{
  g_autoptr(BfkStore) store = open_store ();
  g_autoptr(GError) error = NULL;
  BfkConversation *conv = bfk_conversations_get (store, PHONE, &error);

  g_assert_no_error (error);
  return conv;
}

static gboolean
take_over (gboolean taken,
           GError **error)
{
  g_autoptr(GAsyncResult) r = NULL;

  bfk_backend_take_over_async (f.backend, PHONE, taken, NULL, got_result, NULL);
  r = wait_result ();
  return bfk_backend_take_over_finish (f.backend, r, error);
}

static gint64
send_message (const gchar *body,
              GError     **error)
{
  g_autoptr(GAsyncResult) r = NULL;

  bfk_backend_send_message_async (f.backend, PHONE, body, NULL, got_result, NULL);
  r = wait_result ();
  return bfk_backend_send_message_finish (f.backend, r, error);
}

/* --- the tests ------------------------------------------------------------------ */

static void
test_operator (void)
{
  const BfkAddress *operator = bfk_backend_get_operator (f.backend);
  BfkAddress stranger;

  g_assert_nonnull (operator);
  g_assert_true (bfk_backend_has_signer (f.backend, operator));
  random_address (&stranger);
  g_assert_false (bfk_backend_has_signer (f.backend, &stranger));
}

/* The operator registers a member and approves a backer; the backer's key
 * is refused until added, then recharges the member, on chain. */
static void
test_enqueue_audited (void)
{
  const BfkAddress *operator = bfk_backend_get_operator (f.backend);
  g_auto(BfkPrivateKey) backer_key = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) approve = NULL, recharge = NULL;
  g_autoptr(BfkAuditEntry) entry = NULL;
  g_autofree gchar *operator_text = address_text (operator);
  g_autofree gchar *backer_text = NULL, *member_text = NULL, *params = NULL, *queued = NULL;
  BfkAddress backer;
  gint64 approve_op, recharge_op, refused;

  random_address (&f.member);
  member_text = address_text (&f.member);
  f.member_op = enqueue_register (&f.member);
  wait_state (f.member_op, BFK_OP_CONFIRMED);
  g_assert_cmpuint (balance_of (&f.member), ==, 1000);
  entry = last_audit ("register");
  g_assert_cmpstr (entry->source, ==, "console");
  g_assert_cmpstr (entry->actor_address, ==, operator_text);
  g_assert_cmpstr (entry->subject, ==, member_text);
  g_assert_cmpstr (entry->detail, ==, "register a test member");
  queued = g_strdup_printf ("queued op %" G_GINT64_FORMAT, f.member_op);
  g_assert_cmpstr (entry->result, ==, queued);
  g_assert_cmpstr (entry->os_user, ==, g_get_user_name ());
  g_clear_pointer (&entry, bfk_audit_entry_free);

  /* A backer with gas of its own. */
  g_assert_true (bfk_private_key_generate (&backer_key, &error));
  g_assert_true (bfk_private_key_to_address (&backer_key, &backer, &error));
  backer_text = address_text (&backer);
  params = g_strdup_printf ("[\"%s\", \"0xde0b6b3a7640000\"]", backer_text);
  rpc_call ("anvil_setBalance", params);

  approve = bfk_contract_encode_approve_backer (&backer, 1, bfk_u256_from_u64 (1000));
  approve_op = enqueue (NULL, BFK_OP_APPROVE_BACKER, approve, "approve a backer", "approve_backer",
                        backer_text, &error);
  g_assert_no_error (error);
  wait_state (approve_op, BFK_OP_CONFIRMED);

  /* Its key is not added yet: refused, and the refusal is in the log. */
  recharge = bfk_contract_encode_recharge (&f.member, bfk_u256_from_u64 (250));
  refused = enqueue (&backer, BFK_OP_RECHARGE, recharge, "recharge 250", "recharge", member_text,
                     &error);
  g_assert_error (error, BFK_BACKEND_ERROR, BFK_BACKEND_ERROR_NO_SIGNER);
  g_assert_cmpint (refused, ==, 0);
  g_clear_error (&error);
  entry = last_audit ("recharge");
  g_assert_cmpstr (entry->actor_address, ==, backer_text);
  g_assert_true (g_str_has_prefix (entry->result, "failed: "));
  g_clear_pointer (&entry, bfk_audit_entry_free);

  bfk_backend_add_signer_async (f.backend, &backer_key, NULL, got_result, NULL);
  {
    g_autoptr(GAsyncResult) r = wait_result ();

    g_assert_true (bfk_backend_add_signer_finish (f.backend, r, &error));
    g_assert_no_error (error);
  }
  g_assert_true (bfk_backend_has_signer (f.backend, &backer));
  entry = last_audit ("add_signer");
  g_assert_cmpstr (entry->actor_address, ==, backer_text);
  g_clear_pointer (&entry, bfk_audit_entry_free);

  recharge_op = enqueue (&backer, BFK_OP_RECHARGE, recharge, "recharge 250", "recharge", member_text,
                         &error);
  g_assert_no_error (error);
  wait_state (recharge_op, BFK_OP_CONFIRMED);
  g_assert_cmpuint (balance_of (&f.member), ==, 1250);
  {
    g_autoptr(BfkOpInfo) info = get_op (recharge_op);

    g_assert_cmpstr (info->signer, ==, backer_text);
  }
  g_assert_cmpuint (chain_nonce (&backer), ==, 1);

  entry = last_audit ("recharge");
  g_free (queued);
  queued = g_strdup_printf ("queued op %" G_GINT64_FORMAT, recharge_op);
  g_assert_cmpstr (entry->actor_address, ==, backer_text);
  g_assert_cmpstr (entry->subject, ==, member_text);
  g_assert_cmpstr (entry->result, ==, queued);
  g_clear_pointer (&entry, bfk_audit_entry_free);
  entry = last_audit ("approve_backer");
  g_assert_cmpstr (entry->actor_address, ==, operator_text);
  g_assert_cmpstr (entry->subject, ==, backer_text);
}

/* A transaction that the chain does not mine: bumped at once, fees raised,
 * then mined and confirmed once. */
static void
test_bump (void)
{
  const BfkAddress *operator = bfk_backend_get_operator (f.backend);
  guint64 nonce0 = chain_nonce (operator);
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkOpInfo) info = NULL;
  g_autofree gchar *sql = NULL, *first_fee = NULL, *second_fee = NULL;
  g_autoptr(BfkAuditEntry) entry = NULL;
  BfkAddress member;
  BfkU256 fee1, fee2;
  gint64 id;

  id = register_stuck (&member);

  g_assert_true (unstick (id, BFK_STUCK_BUMP, &error));
  g_assert_no_error (error);
  /* Well before resend_after_s (15 s here): the request made it due. */
  wait_attempts (id, 2);
  sql = g_strdup_printf ("SELECT max_fee FROM tx_attempts WHERE operation_id = %" G_GINT64_FORMAT
                         " ORDER BY id LIMIT 1", id);
  first_fee = query_text (sql);
  g_free (sql);
  sql = g_strdup_printf ("SELECT max_fee FROM tx_attempts WHERE operation_id = %" G_GINT64_FORMAT
                         " ORDER BY id DESC LIMIT 1", id);
  second_fee = query_text (sql);
  g_assert_true (bfk_u256_parse (first_fee, &fee1, NULL));
  g_assert_true (bfk_u256_parse (second_fee, &fee2, NULL));
  g_test_message ("max fee %s → %s", first_fee, second_fee);
  g_assert_cmpint (bfk_u256_cmp (fee2, fee1), >, 0);
  /* The request was carried out once: nothing left to do. */
  g_free (sql);
  sql = g_strdup_printf ("SELECT COUNT(*) FROM operations WHERE id = %" G_GINT64_FORMAT
                         " AND request IS NULL", id);
  g_assert_cmpint (query_int (sql), ==, 1);
  spin (1000);
  wait_attempts (id, 2);

  mine_all ();
  wait_state (id, BFK_OP_CONFIRMED);
  spin (500);
  g_assert_cmpint (GPOINTER_TO_INT (g_hash_table_lookup (f.confirmed, &id)), ==, 1);
  g_assert_cmpuint (chain_nonce (operator), ==, nonce0 + 1);
  g_assert_cmpuint (balance_of (&member), ==, 1000);
  info = get_op (id);
  g_assert_cmpint (info->state, ==, BFK_OP_CONFIRMED);

  entry = last_audit ("bump");
  g_free (sql);
  sql = g_strdup_printf ("op %" G_GINT64_FORMAT, id);
  g_assert_cmpstr (entry->subject, ==, sql);
  g_assert_cmpstr (entry->result, ==, "ok");

  /* Mined and confirmed: nothing to bump any more. */
  assert_unstick_refused (id, BFK_STUCK_BUMP, BFK_OUTBOX_ERROR_SETTLED);
}

/* A stuck transaction cancelled: replaced at its nonce by a transfer to
 * itself; the operation fails, the nonce is used, the next ones go. */
static void
test_cancel_sent (void)
{
  const BfkAddress *operator = bfk_backend_get_operator (f.backend);
  guint64 nonce0 = chain_nonce (operator);
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkOpInfo) info = NULL;
  g_autoptr(BfkAuditEntry) entry = NULL;
  g_autofree gchar *sql = NULL;
  BfkAddress member, next_member;
  gint64 id, next;

  id = register_stuck (&member);

  g_assert_true (unstick (id, BFK_STUCK_CANCEL, &error));
  g_assert_no_error (error);
  wait_attempts (id, 2);
  sql = g_strdup_printf ("SELECT gas_limit FROM tx_attempts WHERE operation_id = %" G_GINT64_FORMAT
                         " ORDER BY id DESC LIMIT 1", id);
  g_assert_cmpint (query_int (sql), ==, 21000);
  /* Cancelling again while the filler waits: refused. */
  assert_unstick_refused (id, BFK_STUCK_CANCEL, BFK_OUTBOX_ERROR_SETTLED);

  mine_all ();
  wait_state (id, BFK_OP_FAILED);
  info = get_op (id);
  g_assert_cmpint (info->failure_class, ==, BFK_FAILURE_CANCELLED);
  g_assert_cmpstr (info->reason, ==, "cancelled by the operator");
  g_assert_cmpuint (info->nonce, ==, nonce0);
  /* The nonce is used, by the transfer: the registration never happened. */
  g_assert_cmpuint (chain_nonce (operator), ==, nonce0 + 1);
  g_assert_cmpuint (balance_of (&member), ==, 0);

  random_address (&next_member);
  next = enqueue_register (&next_member);
  wait_state (next, BFK_OP_CONFIRMED);
  g_assert_cmpuint (balance_of (&next_member), ==, 1000);
  g_assert_cmpuint (chain_nonce (operator), ==, nonce0 + 2);

  entry = last_audit ("cancel");
  g_assert_true (g_str_has_prefix (entry->result, "failed: "));  /* the second try */
  g_clear_pointer (&entry, bfk_audit_entry_free);

  /* Settled operations refuse both. */
  assert_unstick_refused (next, BFK_STUCK_CANCEL, BFK_OUTBOX_ERROR_SETTLED);
  assert_unstick_refused (id, BFK_STUCK_BUMP, BFK_OUTBOX_ERROR_SETTLED);
  g_assert_false (unstick (G_MAXINT32, BFK_STUCK_CANCEL, &error));
  g_assert_nonnull (error);
}

/* A queued operation, never signed, cancelled: nothing is sent, its nonce
 * goes to the next operation, and no gap is left. */
static void
test_cancel_queued (void)
{
  const BfkAddress *operator = bfk_backend_get_operator (f.backend);
  guint64 nonce0 = chain_nonce (operator);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) recharge = NULL;
  g_autoptr(BfkOpInfo) info = NULL;
  BfkAddress first_member, last_member;
  gint64 first, blocked, last;

  /* The first stays in flight; the second, which the contract refuses
   * (the operator is no backer), waits behind it, queued. */
  rpc_call ("evm_setAutomine", "[false]");
  random_address (&first_member);
  first = enqueue_register (&first_member);
  wait_state (first, BFK_OP_SENT);
  recharge = bfk_contract_encode_recharge (&f.member, bfk_u256_from_u64 (1));
  blocked = enqueue (NULL, BFK_OP_RECHARGE, recharge, "a recharge that cannot go", "recharge",
                     "queued", &error);
  g_assert_no_error (error);
  spin (800);
  info = get_op (blocked);
  g_assert_cmpint (info->state, ==, BFK_OP_QUEUED);
  g_assert_cmpuint (info->nonce, ==, nonce0 + 1);
  g_clear_pointer (&info, bfk_op_info_free);

  /* A bump has nothing to raise yet. */
  assert_unstick_refused (blocked, BFK_STUCK_BUMP, BFK_OUTBOX_ERROR_NOT_SENT);

  g_assert_true (unstick (blocked, BFK_STUCK_CANCEL, &error));
  g_assert_no_error (error);
  wait_state (blocked, BFK_OP_FAILED);
  info = get_op (blocked);
  g_assert_cmpint (info->failure_class, ==, BFK_FAILURE_CANCELLED);
  g_assert_cmpstr (info->reason, ==, "cancelled by the operator");
  g_assert_cmpuint (info->attempts, ==, 0);

  /* The next operation takes the nonce given back. */
  random_address (&last_member);
  last = enqueue_register (&last_member);
  g_clear_pointer (&info, bfk_op_info_free);
  info = get_op (last);
  g_assert_cmpuint (info->nonce, ==, nonce0 + 1);
  wait_state (last, BFK_OP_SENT);
  mine_all ();
  wait_state (first, BFK_OP_CONFIRMED);
  wait_state (last, BFK_OP_CONFIRMED);
  g_assert_cmpuint (chain_nonce (operator), ==, nonce0 + 2);
  g_assert_cmpuint (balance_of (&last_member), ==, 1000);
}

/* Staff write to a number: refused outside the window, stored as not sent
 * without Twilio inside it. */
static void
test_send_message (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkAuditEntry) entry = NULL;
  g_autofree gchar *twiml = NULL, *sql = NULL, *text = NULL;
  gint64 id;

  /* The number never wrote: no window, and no template configured. */
  id = send_message ("Bonjour, ici le support", &error);
  g_assert_error (error, BFK_BACKEND_ERROR, BFK_BACKEND_ERROR_WINDOW_CLOSED);
  g_assert_cmpint (id, ==, 0);
  g_clear_error (&error);
  entry = last_audit ("send_message");
  g_assert_true (g_str_has_prefix (entry->result, "failed: "));
  g_assert_null (strstr (entry->subject, "650000077"));
  g_clear_pointer (&entry, bfk_audit_entry_free);

  twiml = post_inbound ("bonjour");
  g_assert_nonnull (strstr (twiml, "<Message"));

  id = send_message ("Bonjour, ici le support", &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  sql = g_strdup_printf ("SELECT direction || '/' || status || '/' || kind || '/' || phone || '/' || body "
                         "FROM messages WHERE id = %" G_GINT64_FORMAT, id);
  text = query_text (sql);
  g_assert_cmpstr (text, ==, "out/not_sent/text/" PHONE "/Bonjour, ici le support");
  entry = last_audit ("send_message");
  g_assert_true (g_str_has_suffix (entry->result, "kept, not sent: no Twilio"));
  g_assert_null (entry->actor_address);
}

static void
test_take_over (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkConversation) conv = NULL;
  g_autoptr(BfkAuditEntry) entry = NULL;
  g_autofree gchar *twiml = NULL;
  gint64 before;

  g_assert_true (take_over (TRUE, &error));
  g_assert_no_error (error);
  conv = get_conversation ();
  g_assert_nonnull (conv->taken_over_by);
  g_clear_pointer (&conv, bfk_conversation_free);
  entry = last_audit ("take_over");
  g_assert_cmpstr (entry->result, ==, "ok");
  g_clear_pointer (&entry, bfk_audit_entry_free);

  /* Free text while staff answer: stored, and the bot says nothing. */
  before = query_int ("SELECT COUNT(*) FROM messages WHERE direction = 'out'");
  twiml = post_inbound ("j'ai un souci avec mon compte");
  g_test_message ("taken over: %s", twiml);
  g_assert_null (strstr (twiml, "<Message"));
  g_assert_cmpint (query_int ("SELECT COUNT(*) FROM messages WHERE direction = 'out'"), ==, before);
  g_assert_cmpint (query_int ("SELECT COUNT(*) FROM messages WHERE direction = 'in' AND "
                              "body = 'j''ai un souci avec mon compte'"), ==, 1);
  g_clear_pointer (&twiml, g_free);

  g_assert_true (take_over (FALSE, &error));
  g_assert_no_error (error);
  conv = get_conversation ();
  g_assert_null (conv->taken_over_by);
  entry = last_audit ("return_to_bot");
  g_assert_cmpstr (entry->result, ==, "ok");

  twiml = post_inbound ("j'ai un souci avec mon compte");
  g_test_message ("back to the bot: %s", twiml);
  g_assert_nonnull (strstr (twiml, "<Message"));

  /* A number without a conversation cannot be taken over. */
  bfk_backend_take_over_async (f.backend, "+237650009999", TRUE, NULL, got_result, NULL);
  {
    g_autoptr(GAsyncResult) r = wait_result ();

    g_assert_false (bfk_backend_take_over_finish (f.backend, r, &error));
    g_assert_error (error, BFK_CONVERSATION_ERROR, BFK_CONVERSATION_ERROR_NOT_FOUND);
  }
}

static void
test_mark_read (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkConversation) conv = get_conversation ();

  g_assert_cmpuint (conv->unread, >, 0);
  g_clear_pointer (&conv, bfk_conversation_free);
  bfk_backend_mark_read_async (f.backend, "whatsapp:" PHONE, NULL, got_result, NULL);
  {
    g_autoptr(GAsyncResult) r = wait_result ();

    g_assert_true (bfk_backend_mark_read_finish (f.backend, r, &error));
    g_assert_no_error (error);
  }
  conv = get_conversation ();
  g_assert_cmpuint (conv->unread, ==, 0);

  bfk_backend_mark_read_async (f.backend, "+237650009999", NULL, got_result, NULL);
  {
    g_autoptr(GAsyncResult) r = wait_result ();

    g_assert_false (bfk_backend_mark_read_finish (f.backend, r, &error));
    g_assert_error (error, BFK_CONVERSATION_ERROR, BFK_CONVERSATION_ERROR_NOT_FOUND);
  }
}

static void
test_audit (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkAuditEntry) entry = NULL;
  g_autofree gchar *operator_text = address_text (bfk_backend_get_operator (f.backend));

  bfk_backend_audit_async (f.backend, "reveal_phone", "+2376…77", "{\"member\": 1}", "ok", NULL,
                           got_result, NULL);
  {
    g_autoptr(GAsyncResult) r = wait_result ();

    g_assert_true (bfk_backend_audit_finish (f.backend, r, &error));
    g_assert_no_error (error);
  }
  entry = last_audit ("reveal_phone");
  g_assert_cmpstr (entry->source, ==, "console");
  g_assert_cmpstr (entry->actor_address, ==, operator_text);
  g_assert_cmpstr (entry->subject, ==, "+2376…77");
  g_assert_cmpstr (entry->detail, ==, "{\"member\": 1}");
  g_assert_cmpstr (entry->result, ==, "ok");
  g_assert_cmpstr (entry->os_user, ==, g_get_user_name ());

  /* The log refuses an entry without an action. */
  bfk_backend_audit_async (f.backend, NULL, NULL, NULL, "ok", NULL, got_result, NULL);
  {
    g_autoptr(GAsyncResult) r = wait_result ();

    g_assert_false (bfk_backend_audit_finish (f.backend, r, &error));
    g_assert_nonnull (error);
  }
}

/* --- a request across a restart ---------------------------------------------- */

static void start_backend (void);
static void stop_backend (gboolean keep);

/* A cancel stored while no driver runs (a console that asked just before
 * the backend died) is carried out by the next start, once. */
static void
test_cancel_across_restart (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkOpInfo) info = NULL;
  g_autofree gchar *sql = NULL;
  BfkAddress member;
  gint64 id;

  id = register_stuck (&member);
  stop_backend (TRUE);

  {
    g_autoptr(BfkStore) store = bfk_store_open (f.db_path, FALSE, &error);

    g_assert_no_error (error);
    g_assert_true (bfk_outbox_request_cancel (store, id, &error));
    g_assert_no_error (error);
  }

  start_backend ();
  wait_state (id, BFK_OP_FAILED);
  info = get_op (id);
  g_assert_cmpint (info->failure_class, ==, BFK_FAILURE_CANCELLED);
  g_assert_cmpuint (info->attempts, ==, 2);
  g_assert_cmpuint (balance_of (&member), ==, 0);
  sql = g_strdup_printf ("SELECT COUNT(*) FROM tx_attempts WHERE operation_id = %" G_GINT64_FORMAT
                         " AND gas_limit = 21000", id);
  g_assert_cmpint (query_int (sql), ==, 1);
}

/* --- the backend ------------------------------------------------------------- */

static void
start_backend (void)
{
  g_autoptr(GHashTable) overrides = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree gchar *node_file = NULL;
  BfkConfig *config;

  if (!f.dir)
    {
      f.dir = g_dir_make_tmp ("bafoka-console-XXXXXX", NULL);
      f.db_path = g_build_filename (f.dir, "bafoka.db", NULL);
    }
  g_hash_table_insert (overrides, "BAFOKA_DATA_DIR", f.dir);
  g_hash_table_insert (overrides, "BAFOKA_LISTEN", "127.0.0.1:0");
  config = bfk_config_load (overrides, &error);
  g_assert_no_error (error);
  f.states = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  f.confirmed = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  f.backend = bfk_backend_new (config);
  g_signal_connect (f.backend, "operation-changed", G_CALLBACK (on_operation_changed), NULL);

  /* Before the start: nobody signs. */
  g_assert_null (bfk_backend_get_operator (f.backend));

  bfk_backend_start_async (f.backend, NULL, got_result, NULL);
  {
    g_autoptr(GAsyncResult) r = wait_result ();

    g_assert_true (bfk_backend_start_finish (f.backend, r, &error));
    g_assert_no_error (error);
  }
  node_file = g_build_filename (f.dir, "local-node.json", NULL);
  g_assert_true (json_parser_load_from_file (parser, node_file, &error));
  f.rpc = bfk_rpc_client_new (json_object_get_string_member (
            json_node_get_object (json_parser_get_root (parser)), "url"));
  g_assert_true (bfk_address_parse (bfk_backend_get_contract (f.backend), &f.contract, NULL));
}

/* keep: the data dir stays, for a start again. */
static void
stop_backend (gboolean keep)
{
  g_autoptr(GError) error = NULL;
  gint64 end;

  bfk_backend_stop_async (f.backend, got_result, NULL);
  {
    g_autoptr(GAsyncResult) r = wait_result ();

    g_assert_true (bfk_backend_stop_finish (f.backend, r, &error));
  }
  /* What a stop forgets: the keys added. */
  g_assert_null (bfk_backend_get_operator (f.backend));
  end = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;
  while (g_main_context_iteration (NULL, FALSE))
    ;
  while (G_OBJECT (f.backend)->ref_count > 1 && g_get_monotonic_time () < end)
    g_usleep (1000);
  g_assert_finalize_object (f.backend);
  bfk_rpc_client_unref (f.rpc);
  g_hash_table_unref (f.states);
  g_hash_table_unref (f.confirmed);
  if (keep)
    return;
  {
    g_autofree gchar *cmd = g_strdup_printf ("rm -rf '%s'", f.dir);

    g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL);
  }
  g_clear_pointer (&f.dir, g_free);
  g_clear_pointer (&f.db_path, g_free);
}

int
main (int argc, char **argv)
{
  g_autofree gchar *anvil = bfk_local_node_find_anvil (NULL);
  int status;

  g_test_init (&argc, &argv, NULL);
  if (!anvil)
    {
      g_print ("1..0 # SKIP anvil not found\n");
      return 0;
    }
  g_test_add_func ("/console/operator", test_operator);
  g_test_add_func ("/console/enqueue-audited", test_enqueue_audited);
  g_test_add_func ("/console/bump", test_bump);
  g_test_add_func ("/console/cancel-sent", test_cancel_sent);
  g_test_add_func ("/console/cancel-queued", test_cancel_queued);
  g_test_add_func ("/console/send-message", test_send_message);
  g_test_add_func ("/console/take-over", test_take_over);
  g_test_add_func ("/console/mark-read", test_mark_read);
  g_test_add_func ("/console/audit", test_audit);
  g_test_add_func ("/console/cancel-across-restart", test_cancel_across_restart);

  start_backend ();
  status = g_test_run ();
  stop_backend (FALSE);
  return status;
}
