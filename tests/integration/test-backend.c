/* test-backend.c: the backend's API as the console uses it, on the local
 * network that the backend starts itself: operations enqueued through
 * bfk_backend_*_async reach "confirmed" (or "failed", for a revert) through
 * the operation-changed signal, events arrive, and /metrics counts them. */
#include "bfk-backend.h"
#include "bfk-contract.h"
#include "bfk-local-node.h"

#include <libsoup/soup.h>
#include <string.h>

typedef struct
{
  BfkBackend *backend;
  GHashTable *states;        /* op id → last BfkOpState seen */
  GPtrArray  *events;        /* event names */
  guint       changes;
  GAsyncResult *result;
} Fixture;

static void
on_operation_changed (BfkBackend  *backend,
                      gint64       id,
                      gint         old_state,
                      gint         new_state,
                      const gchar *summary,
                      const gchar *detail,
                      gpointer     user_data)
{
  Fixture *f = user_data;
  gint64 *key = g_new (gint64, 1);

  g_assert_true (g_main_context_is_owner (g_main_context_default ()));
  g_test_message ("operation %" G_GINT64_FORMAT " %s → %s: %s — %s", id,
                  bfk_op_state_to_string (old_state), bfk_op_state_to_string (new_state),
                  summary, detail ? detail : "");
  *key = id;
  g_hash_table_insert (f->states, key, GINT_TO_POINTER (new_state));
  f->changes++;
}

static void
on_event (BfkBackend  *backend,
          const gchar *name,
          const gchar *description,
          guint64      block,
          gboolean     confirmed,
          gpointer     user_data)
{
  Fixture *f = user_data;

  g_ptr_array_add (f->events, g_strdup (name));
}

static void
got_result (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Fixture *f = user_data;

  f->result = g_object_ref (result);
}

/* Runs the main context until the pending call finishes; takes its result. */
static GAsyncResult *
wait_result (Fixture *f)
{
  while (!f->result)
    g_main_context_iteration (NULL, TRUE);
  return g_steal_pointer (&f->result);
}

static gint
state_of (Fixture *f,
          gint64   id)
{
  gpointer v;

  return g_hash_table_lookup_extended (f->states, &id, NULL, &v) ? GPOINTER_TO_INT (v) : -1;
}

static gboolean
timed_out (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
wait_state (Fixture    *f,
            gint64      id,
            BfkOpState  state)
{
  gboolean late = FALSE;
  guint source = g_timeout_add_seconds (60, timed_out, &late);

  while (state_of (f, id) != (gint) state && !late)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (late);
  g_source_remove (source);
}

static gchar *
get_metrics (Fixture *f)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree gchar *uri = g_strconcat (bfk_backend_get_listen_uri (f->backend), "metrics", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  g_autoptr(GBytes) body = soup_session_send_and_read (session, msg, NULL, NULL);

  g_assert_nonnull (body);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  return g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
}

/* The value of one sample of the text, or -1 when absent. */
static gdouble
sample (const gchar *text,
        const gchar *series)
{
  g_autofree gchar *prefix = g_strconcat ("\n", series, " ", NULL);
  const gchar *at = strstr (text, prefix);

  return at ? g_ascii_strtod (at + strlen (prefix), NULL) : -1;
}

/* The operations gauge follows the step that moved them: poll a little. */
static gchar *
wait_metrics (Fixture     *f,
              const gchar *series,
              gdouble      value)
{
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  for (;;)
    {
      g_autofree gchar *text = get_metrics (f);

      if (sample (text, series) == value)
        return g_steal_pointer (&text);
      if (g_get_monotonic_time () > end)
        g_error ("%s is not %g:\n%s", series, value, text);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (100 * 1000);
    }
}

static void
test_operations_confirmed (void)
{
  g_autofree gchar *dir = g_dir_make_tmp ("bafoka-backend-XXXXXX", NULL);
  g_autoptr(GHashTable) overrides = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkMember) member = NULL;
  g_autoptr(GPtrArray) ops = NULL, members = NULL;
  g_autoptr(BfkBackendStatus) status = NULL;
  g_autoptr(GBytes) calldata = NULL;
  g_autofree gchar *text = NULL;
  g_auto(BfkPrivateKey) key = { 0 };
  BfkAddress other;
  BfkOpRequest request = { 0 };
  gint64 member_op = 0, direct_op, bad_op;
  Fixture f = { 0 };
  BfkConfig *config;

  g_hash_table_insert (overrides, "BAFOKA_DATA_DIR", dir);
  g_hash_table_insert (overrides, "BAFOKA_LISTEN", "127.0.0.1:0");
  config = bfk_config_load (overrides, &error);
  g_assert_no_error (error);

  f.states = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  f.events = g_ptr_array_new_with_free_func (g_free);
  f.backend = bfk_backend_new (config);
  g_signal_connect (f.backend, "operation-changed", G_CALLBACK (on_operation_changed), &f);
  g_signal_connect (f.backend, "event", G_CALLBACK (on_event), &f);

  /* Before the start, calls are refused, not lost. */
  bfk_backend_list_operations_async (f.backend, 10, NULL, got_result, &f);
  {
    g_autoptr(GAsyncResult) r = wait_result (&f);

    g_assert_null (bfk_backend_list_operations_finish (f.backend, r, &error));
    g_assert_error (error, BFK_BACKEND_ERROR, BFK_BACKEND_ERROR_NOT_RUNNING);
    g_clear_error (&error);
  }

  bfk_backend_start_async (f.backend, NULL, got_result, &f);
  {
    g_autoptr(GAsyncResult) r = wait_result (&f);

    g_assert_true (bfk_backend_start_finish (f.backend, r, &error));
    g_assert_no_error (error);
  }
  g_assert_cmpint (bfk_backend_get_state (f.backend), ==, BFK_BACKEND_RUNNING);
  g_assert_true (g_str_has_prefix (bfk_backend_get_listen_uri (f.backend), "http://127.0.0.1:"));

  /* A member, through enrolment. */
  bfk_backend_add_member_async (f.backend, "+237 699 00 11 22", "Marie", 1, NULL, got_result, &f);
  {
    g_autoptr(GAsyncResult) r = wait_result (&f);

    member = bfk_backend_add_member_finish (f.backend, r, &member_op, &error);
    g_assert_no_error (error);
  }
  g_assert_cmpstr (member->phone, ==, "+237699001122");
  g_assert_cmpint (member_op, >, 0);

  /* A raw operation, and the same again, which the contract refuses. */
  bfk_private_key_generate (&key, &error);
  g_assert_no_error (error);
  bfk_private_key_to_address (&key, &other, &error);
  calldata = bfk_contract_encode_register_member (&other, 2);
  request.kind = BFK_OP_REGISTER_MEMBER;
  request.calldata = calldata;
  request.summary = "register a test account in Banja";
  request.community_id = 2;
  bfk_backend_enqueue_async (f.backend, &request, NULL, got_result, &f);
  {
    g_autoptr(GAsyncResult) r = wait_result (&f);

    direct_op = bfk_backend_enqueue_finish (f.backend, r, &error);
    g_assert_no_error (error);
  }
  wait_state (&f, member_op, BFK_OP_CONFIRMED);
  wait_state (&f, direct_op, BFK_OP_CONFIRMED);

  request.summary = "register it twice";
  bfk_backend_enqueue_async (f.backend, &request, NULL, got_result, &f);
  {
    g_autoptr(GAsyncResult) r = wait_result (&f);

    bad_op = bfk_backend_enqueue_finish (f.backend, r, &error);
    g_assert_no_error (error);
  }
  wait_state (&f, bad_op, BFK_OP_FAILED);

  text = wait_metrics (&f, "bafoka_operations{state=\"confirmed\"}", 2);
  g_free (text);
  text = wait_metrics (&f, "bafoka_operations{state=\"failed\"}", 1);
  g_assert_cmpfloat (sample (text, "bafoka_operation_outcomes_total{class=\"success\"}"), ==, 2);
  g_assert_cmpfloat (sample (text, "bafoka_operation_outcomes_total{class=\"reverted\"}"), ==, 1);
  g_assert_cmpfloat (sample (text, "bafoka_confirmation_seconds_count"), ==, 2);
  g_assert_cmpfloat (sample (text, "bafoka_confirmation_seconds_bucket{le=\"+Inf\"}"), ==, 2);
  g_assert_cmpfloat (sample (text, "bafoka_gas_used_total{kind=\"register_member\"}"), >, 2 * 21000);
  g_assert_cmpfloat (sample (text, "bafoka_fee_paid_wei_total{kind=\"register_member\"}"), >, 0);
  g_assert_cmpfloat (sample (text, "bafoka_operator_gas_balance_wei"), >, 1e18);
  g_assert_cmpfloat (sample (text, "process_resident_memory_bytes"), >, 1 << 20);
  g_test_message ("RSS of the backend: %.1f MiB",
                  sample (text, "process_resident_memory_bytes") / (1 << 20));

  /* The follower saw both registrations. */
  {
    gboolean late = FALSE;
    guint source = g_timeout_add_seconds (30, timed_out, &late);
    guint registered = 0;

    while (!late && registered < 2)
      {
        g_main_context_iteration (NULL, TRUE);
        registered = 0;
        for (guint i = 0; i < f.events->len; i++)
          registered += g_str_equal (f.events->pdata[i], "MemberRegistered");
      }
    g_assert_false (late);
    g_source_remove (source);
  }

  bfk_backend_list_operations_async (f.backend, 10, NULL, got_result, &f);
  {
    g_autoptr(GAsyncResult) r = wait_result (&f);

    ops = bfk_backend_list_operations_finish (f.backend, r, &error);
    g_assert_no_error (error);
  }
  g_assert_cmpuint (ops->len, ==, 3);
  g_assert_cmpint (((BfkOpInfo *) ops->pdata[0])->id, ==, bad_op);
  g_assert_cmpint (((BfkOpInfo *) ops->pdata[0])->failure_class, ==, BFK_FAILURE_REVERTED);
  g_assert_nonnull (((BfkOpInfo *) ops->pdata[0])->reason);

  bfk_backend_list_members_async (f.backend, 0, 10, 0, NULL, got_result, &f);
  {
    g_autoptr(GAsyncResult) r = wait_result (&f);

    members = bfk_backend_list_members_finish (f.backend, r, &error);
    g_assert_no_error (error);
  }
  g_assert_cmpuint (members->len, ==, 1);
  g_assert_cmpstr (((BfkMember *) members->pdata[0])->name, ==, "Marie");

  bfk_backend_get_status_async (f.backend, NULL, got_result, &f);
  {
    g_autoptr(GAsyncResult) r = wait_result (&f);

    status = bfk_backend_get_status_finish (f.backend, r, &error);
    g_assert_no_error (error);
  }
  g_assert_cmpuint (status->operations[BFK_OP_CONFIRMED], ==, 2);
  g_assert_cmpuint (status->chain_id, ==, BFK_LOCAL_NODE_CHAIN_ID);
  g_assert_null (status->rpc_error);

  bfk_backend_stop_async (f.backend, got_result, &f);
  {
    g_autoptr(GAsyncResult) r = wait_result (&f);

    g_assert_true (bfk_backend_stop_finish (f.backend, r, &error));
  }
  g_assert_cmpint (bfk_backend_get_state (f.backend), ==, BFK_BACKEND_STOPPED);
  /* Let the queued emissions run (they hold no reference), and the stop's
   * worker thread drop its task. */
  {
    gint64 end = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;

    while (g_main_context_iteration (NULL, FALSE))
      ;
    while (G_OBJECT (f.backend)->ref_count > 1 && g_get_monotonic_time () < end)
      g_usleep (1000);
    g_test_message ("references left: %u", G_OBJECT (f.backend)->ref_count);
  }
  g_assert_finalize_object (f.backend);

  g_hash_table_unref (f.states);
  g_ptr_array_unref (f.events);
  {
    g_autofree gchar *cmd = g_strdup_printf ("rm -rf '%s'", dir);

    g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL);
  }
}

int
main (int argc, char **argv)
{
  g_autofree gchar *anvil = bfk_local_node_find_anvil (NULL);

  g_test_init (&argc, &argv, NULL);
  if (!anvil)
    {
      g_print ("1..0 # SKIP anvil not found\n");
      return 0;
    }
  g_test_add_func ("/backend/operations-confirmed", test_operations_confirmed);
  return g_test_run ();
}
