/* test-notices.c: chain events told to members, once.
 *
 * Events are written into the store as the follower would, and
 * bfk_notices_step is run over them: who is told what, in which language,
 * and that an event read again (a reorganisation re-applies it with a new
 * row) is not told twice. */
#include "bfk-address.h"
#include "bfk-messages.h"
#include "bfk-notices.h"
#include "bfk-proposals.h"
#include "test-whatsapp-store.h"

static void
exec (WaFixture   *f,
      const gchar *sql)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (bfk_store_exec (f->base.store, sql, &error));
  g_assert_no_error (error);
}

static guint
step (WaFixture *f,
      gboolean   can_send)
{
  g_autoptr(GError) error = NULL;
  guint queued = 0;
  gboolean more = TRUE;

  g_assert_true (bfk_notices_step (f->base.store, can_send, 100, &queued, &more, &error));
  g_assert_no_error (error);
  g_assert_false (more);
  return queued;
}

/* An event row as the follower writes it (bfk-follower-apply.c). */
static void
add_event (WaFixture   *f,
           const gchar *kind,
           guint64      exchange_id,
           const gchar *account,
           const gchar *counterparty,
           gint64       amount,
           guint        log_index)
{
  g_autofree gchar *sql = g_strdup_printf (
      "INSERT INTO events (block_number, block_hash, tx_hash, log_index, kind, community_id,"
      " exchange_id, account, counterparty, amount) VALUES (5, '0xb%u', '0x7%u', %u, '%s', 1, %"
      G_GUINT64_FORMAT ", '%s', %s%s%s, %" G_GINT64_FORMAT ")",
      log_index, log_index, log_index, kind, exchange_id, account,
      counterparty ? "'" : "", counterparty ? counterparty : "NULL", counterparty ? "'" : "", amount);

  exec (f, sql);
}

static gchar *
address (const BfkMember *m)
{
  gchar text[BFK_ADDRESS_STRING_SIZE];

  bfk_address_to_string_buf (&m->address, text);
  return g_strdup (text);
}

static gchar *
last_body (WaFixture   *f,
           const gchar *phone)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) thread = bfk_messages_list_thread (f->base.store, phone, 1, 0, &error);
  const BfkMessage *m;

  g_assert_no_error (error);
  if (thread->len == 0)
    return NULL;
  m = g_ptr_array_index (thread, 0);
  return g_strdup (m->body);
}

static void
set_up_chain (WaFixture *f)
{
  exec (f, "INSERT INTO communities (id, name, currency_name, currency_symbol)"
           " VALUES (1, 'Fondjomenkwet', 'Fonjoka', 'FJK'), (2, 'Banja', 'Banjika', 'BJK')");
  /* The first pass only notes where the events end. */
  g_assert_cmpuint (step (f, TRUE), ==, 0);
}

static void
test_history_not_told (WaFixture     *f,
                       gconstpointer  data)
{
  g_autofree gchar *marie = address (f->marie);

  /* Events stored before notices ever ran: an old data dir. */
  add_event (f, "MemberRegistered", 0, marie, NULL, 1000, 1);
  g_assert_cmpuint (step (f, TRUE), ==, 0);
  g_assert_cmpuint (step (f, TRUE), ==, 0);
  g_assert_null (last_body (f, MARIE_PHONE));
}

static void
test_registered_once (WaFixture     *f,
                      gconstpointer  data)
{
  g_autofree gchar *marie = address (f->marie);
  g_autofree gchar *body = NULL;
  g_autoptr(GError) error = NULL;

  set_up_chain (f);
  add_event (f, "MemberRegistered", 0, marie, NULL, 1000, 1);
  g_assert_cmpuint (step (f, TRUE), ==, 1);
  body = last_body (f, MARIE_PHONE);
  g_assert_nonnull (strstr (body, "1000 Fonjoka"));
  g_assert_nonnull (strstr (body, "Fondjomenkwet"));
  g_assert_cmpint (fixture_query_int (&f->base, "SELECT count(*) FROM messages WHERE status = 'queued'"), ==, 1);

  /* A reorganisation: the event undone, then read again as a new row. */
  exec (f, "DELETE FROM events WHERE kind = 'MemberRegistered'");
  add_event (f, "MemberRegistered", 0, marie, NULL, 1000, 2);
  g_assert_cmpuint (step (f, TRUE), ==, 0);
  g_assert_cmpint (fixture_query_int (&f->base, "SELECT count(*) FROM messages"), ==, 1);

  /* In English for a member who asked for it; kept when Twilio is absent. */
  {
    g_autofree gchar *paul = address (f->paul);
    g_autofree gchar *english = NULL;

    g_assert_true (bfk_members_set_language (f->base.store, f->paul->id, "en", &error));
    add_event (f, "MemberRegistered", 0, paul, NULL, 1000, 3);
    g_assert_cmpuint (step (f, FALSE), ==, 1);
    english = last_body (f, PAUL_PHONE);
    g_assert_nonnull (strstr (english, "1000 Fonjoka"));
    g_assert_null (strstr (english, "crédités"));
    g_assert_cmpint (fixture_query_int (&f->base, "SELECT count(*) FROM messages WHERE status = 'not_sent'"), ==, 1);
  }
}

static void
test_exchange_told (WaFixture     *f,
                    gconstpointer  data)
{
  g_autofree gchar *marie = address (f->marie);
  g_autofree gchar *paul = address (f->paul);
  g_autofree gchar *to_paul = NULL;
  g_autofree gchar *to_marie = NULL;
  g_autoptr(BfkProposal) proposal = NULL;
  g_autoptr(BfkProposal) after = NULL;
  g_autoptr(GError) error = NULL;

  set_up_chain (f);
  /* Paul pays Marie for couture: on chain as exchange 7. */
  proposal = bfk_proposals_create (f->base.store, f->paul->id, f->marie->id, "couture", 150,
                                   T0 + 86400, &error);
  g_assert_no_error (error);
  g_assert_true (bfk_proposals_set_exchange_id (f->base.store, proposal->id, 7, &error));

  add_event (f, "ExchangeAccepted", 7, paul, marie, 150, 1);
  g_assert_cmpuint (step (f, TRUE), ==, 1);
  to_paul = last_body (f, PAUL_PHONE);
  g_assert_nonnull (strstr (to_paul, "marie a accepté l'échange n°7"));
  after = bfk_proposals_get (f->base.store, proposal->id, &error);
  g_assert_cmpint (after->state, ==, BFK_PROPOSAL_ACCEPTED);

  add_event (f, "ExchangeCompleted", 7, paul, marie, 150, 2);
  g_assert_cmpuint (step (f, TRUE), ==, 2);
  g_free (to_paul);
  to_paul = last_body (f, PAUL_PHONE);
  to_marie = last_body (f, MARIE_PHONE);
  g_assert_nonnull (strstr (to_paul, "150 Fonjoka payés à marie"));
  g_assert_nonnull (strstr (to_marie, "reçu 150 Fonjoka de paul"));
  g_assert_nonnull (strstr (to_marie, "EVALUER 7"));

  /* A rating is told to the one rated. */
  add_event (f, "ExchangeRated", 7, paul, marie, 5, 3);
  g_assert_cmpuint (step (f, TRUE), ==, 1);
  g_free (to_marie);
  to_marie = last_body (f, MARIE_PHONE);
  g_assert_nonnull (strstr (to_marie, "paul vous a donné 5/5"));

  /* Ama (Banja) is in none of it. */
  g_assert_null (last_body (f, AMA_PHONE));
}

/* An operation for a member that failed for good: the member is told,
 * once; a pending proposal it carried is marked failed. */
static void
test_failure_told (WaFixture     *f,
                   gconstpointer  data)
{
  g_autofree gchar *sql = NULL;
  g_autofree gchar *body = NULL;

  set_up_chain (f);
  /* The first pass notes the time; failures from then on are told. */
  g_assert_cmpuint (step (f, TRUE), ==, 0);
  sql = g_strdup_printf ("INSERT INTO operations (kind, signer, target, calldata, summary, member_id,"
                         " state, failure_class, reason, created_at, updated_at)"
                         " VALUES ('register_member', '0x1', '0x2', x'00', 'register', %" G_GINT64_FORMAT ","
                         " 'failed', 'reverted', 'out of gas', %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ")",
                         f->ama->id, bfk_store_now (), bfk_store_now ());
  exec (f, sql);
  g_assert_cmpuint (step (f, TRUE), ==, 1);
  body = last_body (f, AMA_PHONE);
  g_assert_nonnull (strstr (body, "inscription n'a pas pu"));
  g_assert_cmpuint (step (f, TRUE), ==, 0);
  g_assert_cmpint (fixture_query_int (&f->base, "SELECT count(*) FROM messages WHERE phone = '" AMA_PHONE "'"), ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  WA_TEST_ADD ("/notices/history-not-told", test_history_not_told);
  WA_TEST_ADD ("/notices/registered-once", test_registered_once);
  WA_TEST_ADD ("/notices/exchange-told", test_exchange_told);
  WA_TEST_ADD ("/notices/failure-told", test_failure_told);
  return g_test_run ();
}
