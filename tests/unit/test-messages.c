/* test-messages.c: inbound messages handled once per MessageSid, the
 * outbound queue (claim, retry, failure), status callbacks out of order,
 * threads and counts. */
#include "bfk-messages.h"
#include "test-whatsapp-store.h"

static BfkMessage *
get_ok (WaFixture *f,
        gint64     id)
{
  g_autoptr(GError) error = NULL;
  BfkMessage *m = bfk_messages_get (f->base.store, id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (m);
  return m;
}

static gint64
enqueue_ok (WaFixture   *f,
            const gchar *phone,
            const gchar *body)
{
  g_autoptr(GError) error = NULL;
  gint64 id = bfk_messages_enqueue (f->base.store, phone, 0, BFK_MESSAGE_TEXT, body, TRUE, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static void
test_twilio_statuses (void)
{
  const struct { const gchar *twilio; BfkMessageStatus ours; } map[] = {
    { "accepted", BFK_MESSAGE_SENDING },
    { "queued", BFK_MESSAGE_SENDING },   /* Twilio's queue, not ours */
    { "sending", BFK_MESSAGE_SENDING },
    { "sent", BFK_MESSAGE_SENT },
    { "delivered", BFK_MESSAGE_DELIVERED },
    { "read", BFK_MESSAGE_READ },
    { "failed", BFK_MESSAGE_FAILED },
    { "undelivered", BFK_MESSAGE_UNDELIVERED },
    { "canceled", BFK_MESSAGE_FAILED },
  };
  g_autoptr(GError) error = NULL;
  BfkMessageStatus status;

  for (guint i = 0; i < G_N_ELEMENTS (map); i++)
    {
      g_assert_true (bfk_message_status_from_twilio (map[i].twilio, &status, &error));
      g_assert_cmpint (status, ==, map[i].ours);
    }
  g_assert_no_error (error);
  g_assert_false (bfk_message_status_from_twilio ("not_sent", &status, &error));
  g_assert_error (error, BFK_MESSAGE_ERROR, BFK_MESSAGE_ERROR_INVALID_STATUS);
  g_clear_error (&error);
  g_assert_false (bfk_message_status_from_twilio ("DELIVERED", &status, &error));
  g_assert_error (error, BFK_MESSAGE_ERROR, BFK_MESSAGE_ERROR_INVALID_STATUS);
  g_assert_cmpstr (bfk_message_status_to_string (BFK_MESSAGE_NOT_SENT), ==, "not_sent");
}

static void
test_inbound_once (WaFixture     *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkMessage) m = NULL;
  g_autofree gchar *reply = NULL;
  gint64 id = 0, other = 0;

  g_assert_no_error (error);
  g_assert_true (bfk_messages_record_inbound (f->base.store, "SM0001", "whatsapp:" MARIE_PHONE, f->marie->id,
                                              "SOLDE", &id, &error));
  g_assert_no_error (error);
  m = get_ok (f, id);
  g_assert_cmpstr (m->phone, ==, MARIE_PHONE);
  g_assert_cmpint (m->member_id, ==, f->marie->id);
  g_assert_cmpint (m->direction, ==, BFK_MESSAGE_IN);
  g_assert_cmpstr (m->body, ==, "SOLDE");
  g_assert_cmpstr (m->twilio_sid, ==, "SM0001");
  g_assert_cmpint (m->status, ==, BFK_MESSAGE_RECEIVED);
  g_assert_cmpint (m->kind, ==, BFK_MESSAGE_TEXT);

  /* Recorded, not yet answered: an empty answer. */
  reply = bfk_messages_get_reply (f->base.store, "SM0001", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (reply, ==, "");
  g_clear_pointer (&reply, g_free);
  g_assert_true (bfk_messages_set_reply (f->base.store, "SM0001", "<Response><Message>Solde : 1000</Message>"
                                         "</Response>", &error));

  /* Twilio's retry: nothing written, and the same answer. */
  g_assert_false (bfk_messages_record_inbound (f->base.store, "SM0001", MARIE_PHONE, f->marie->id, "SOLDE",
                                               &other, &error));
  g_assert_error (error, BFK_MESSAGE_ERROR, BFK_MESSAGE_ERROR_ALREADY_PROCESSED);
  g_clear_error (&error);
  g_assert_cmpint (other, ==, 0);
  g_assert_cmpint (fixture_query_int (&f->base, "SELECT count(*) FROM messages"), ==, 1);
  reply = bfk_messages_get_reply (f->base.store, "SM0001", &error);
  g_assert_cmpstr (reply, ==, "<Response><Message>Solde : 1000</Message></Response>");
  g_clear_pointer (&reply, g_free);

  /* Another sid is another message, also from a number not registered. */
  g_assert_true (bfk_messages_record_inbound (f->base.store, "SM0002", PAUL_PHONE, 0, "Bonjour", &other,
                                              &error));
  g_assert_cmpint (other, >, id);
  g_assert_null (bfk_messages_get_reply (f->base.store, "SM9999", &error));
  g_assert_error (error, BFK_MESSAGE_ERROR, BFK_MESSAGE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* In the caller's transaction, its rollback takes the sid back too: the
   * retry is then handled as new. */
  g_assert_true (bfk_store_begin (f->base.store, &error));
  g_assert_true (bfk_messages_record_inbound (f->base.store, "SM0003", PAUL_PHONE, 0, "AIDE", NULL, &error));
  g_assert_true (bfk_messages_set_reply (f->base.store, "SM0003", "<Response/>", &error));
  bfk_store_rollback (f->base.store);
  g_assert_null (bfk_messages_get_reply (f->base.store, "SM0003", &error));
  g_assert_error (error, BFK_MESSAGE_ERROR, BFK_MESSAGE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (bfk_messages_record_inbound (f->base.store, "SM0003", PAUL_PHONE, 0, "AIDE", NULL, &error));

  /* Old sids are forgotten; their messages stay. */
  g_assert_true (bfk_store_exec (f->base.store, "UPDATE processed_sids SET created_at = 5 "
                                 "WHERE message_sid = 'SM0001'", &error));
  g_assert_cmpint (bfk_messages_forget_sids (f->base.store, 10, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_null (bfk_messages_get_reply (f->base.store, "SM0001", &error));
  g_clear_error (&error);
  g_assert_cmpint (fixture_query_int (&f->base, "SELECT count(*) FROM messages"), ==, 3);
}

static void
test_queue (WaFixture     *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) claimed = NULL;
  g_autoptr(BfkMessage) m = NULL;
  gint64 now = bfk_store_now ();
  gint64 a = enqueue_ok (f, MARIE_PHONE, "un");
  gint64 b = enqueue_ok (f, PAUL_PHONE, "deux");
  gint64 c = enqueue_ok (f, MARIE_PHONE, "trois");
  gint64 kept = bfk_messages_enqueue (f->base.store, MARIE_PHONE, 0, BFK_MESSAGE_TEMPLATE, "HX123", FALSE,
                                      &error);

  g_assert_no_error (error);
  m = get_ok (f, a);
  g_assert_cmpint (m->direction, ==, BFK_MESSAGE_OUT);
  g_assert_cmpint (m->status, ==, BFK_MESSAGE_QUEUED);
  g_assert_cmpint (m->attempts, ==, 0);
  g_assert_cmpint (ABS (m->next_attempt_at - now), <=, 2);
  g_clear_pointer (&m, bfk_message_free);
  /* Without credentials: kept, never due. */
  m = get_ok (f, kept);
  g_assert_cmpint (m->status, ==, BFK_MESSAGE_NOT_SENT);
  g_assert_cmpint (m->kind, ==, BFK_MESSAGE_TEMPLATE);
  g_assert_cmpint (m->next_attempt_at, ==, 0);
  g_clear_pointer (&m, bfk_message_free);

  /* Nothing is due before it was queued. */
  claimed = bfk_messages_claim_due (f->base.store, now - 10, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (claimed->len, ==, 0);
  g_clear_pointer (&claimed, g_ptr_array_unref);

  /* b is due later: a and c first, oldest first, two at a time. */
  g_assert_true (bfk_messages_schedule_retry (f->base.store, b, now + 60, 0, NULL, &error));
  claimed = bfk_messages_claim_due (f->base.store, now + 5, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (claimed->len, ==, 2);
  g_assert_cmpint (((BfkMessage *) claimed->pdata[0])->id, ==, a);
  g_assert_cmpint (((BfkMessage *) claimed->pdata[1])->id, ==, c);
  g_assert_cmpint (((BfkMessage *) claimed->pdata[0])->status, ==, BFK_MESSAGE_SENDING);
  g_assert_cmpstr (((BfkMessage *) claimed->pdata[1])->body, ==, "trois");
  g_clear_pointer (&claimed, g_ptr_array_unref);
  /* Claimed ones are not claimed again. */
  claimed = bfk_messages_claim_due (f->base.store, now + 5, 10, &error);
  g_assert_cmpuint (claimed->len, ==, 0);
  g_clear_pointer (&claimed, g_ptr_array_unref);

  /* a goes out; c fails once and is retried, then for good. */
  g_assert_true (bfk_messages_mark_sent (f->base.store, a, "SMout1", "queued", &error));
  m = get_ok (f, a);
  g_assert_cmpstr (m->twilio_sid, ==, "SMout1");
  g_assert_cmpint (m->status, ==, BFK_MESSAGE_SENDING);   /* Twilio's queue */
  g_assert_cmpint (m->next_attempt_at, ==, 0);
  g_clear_pointer (&m, bfk_message_free);
  g_assert_true (bfk_messages_schedule_retry (f->base.store, c, now + 30, 20429, "Too Many Requests",
                                              &error));
  m = get_ok (f, c);
  g_assert_cmpint (m->status, ==, BFK_MESSAGE_QUEUED);
  g_assert_cmpint (m->attempts, ==, 1);
  g_assert_cmpint (m->next_attempt_at, ==, now + 30);
  g_assert_cmpint (m->error_code, ==, 20429);
  g_assert_cmpstr (m->error_reason, ==, "Too Many Requests");
  g_clear_pointer (&m, bfk_message_free);

  claimed = bfk_messages_claim_due (f->base.store, now + 29, 10, &error);
  g_assert_cmpuint (claimed->len, ==, 0);
  g_clear_pointer (&claimed, g_ptr_array_unref);
  /* At now + 60 both c (due at +30) and b (due at +60) are, c first. */
  claimed = bfk_messages_claim_due (f->base.store, now + 60, 10, &error);
  g_assert_cmpuint (claimed->len, ==, 2);
  g_assert_cmpint (((BfkMessage *) claimed->pdata[0])->id, ==, c);
  g_assert_cmpint (((BfkMessage *) claimed->pdata[1])->id, ==, b);
  g_clear_pointer (&claimed, g_ptr_array_unref);
  g_assert_true (bfk_messages_mark_failed (f->base.store, c, 63016, "Outside the allowed window", &error));
  g_assert_no_error (error);
  m = get_ok (f, c);
  g_assert_cmpint (m->status, ==, BFK_MESSAGE_FAILED);
  g_assert_cmpint (m->attempts, ==, 2);
  g_assert_cmpint (m->error_code, ==, 63016);
  g_assert_cmpint (m->next_attempt_at, ==, 0);
  g_clear_pointer (&m, bfk_message_free);
  claimed = bfk_messages_claim_due (f->base.store, now + 3600, 10, &error);
  g_assert_cmpuint (claimed->len, ==, 0);
  g_clear_pointer (&claimed, g_ptr_array_unref);

  /* b was claimed and its sender died before Twilio answered: queued again
   * at start-up.  a, which Twilio has, stays. */
  g_assert_true (bfk_store_exec (f->base.store, "UPDATE messages SET updated_at = updated_at - 600", &error));
  g_assert_cmpint (bfk_messages_requeue_stale (f->base.store, now - 300, &error), ==, 1);
  m = get_ok (f, b);
  g_assert_cmpint (m->status, ==, BFK_MESSAGE_QUEUED);
  g_clear_pointer (&m, bfk_message_free);

  /* Unknown ids. */
  g_assert_false (bfk_messages_mark_sent (f->base.store, 999, "SMx", "sent", &error));
  g_assert_error (error, BFK_MESSAGE_ERROR, BFK_MESSAGE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (bfk_messages_mark_failed (f->base.store, 999, 0, NULL, &error));
  g_assert_error (error, BFK_MESSAGE_ERROR, BFK_MESSAGE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (bfk_messages_get (f->base.store, 999, &error));
  g_assert_error (error, BFK_MESSAGE_ERROR, BFK_MESSAGE_ERROR_NOT_FOUND);
}

/* Applies a status callback and returns the message's status after it. */
static BfkMessageStatus
callback (WaFixture   *f,
          gint64       id,
          const gchar *status,
          gint         error_code,
          gboolean     expect_change)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkMessage) m = NULL;
  gboolean changed = !expect_change;

  g_assert_true (bfk_messages_update_status (f->base.store, "SMstat", status, error_code, &changed, &error));
  g_assert_no_error (error);
  g_assert_cmpint (changed, ==, expect_change);
  m = get_ok (f, id);
  return m->status;
}

static void
test_status_order (WaFixture     *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) claimed = NULL;
  g_autoptr(BfkMessage) m = NULL;
  gint64 id = enqueue_ok (f, MARIE_PHONE, "Votre échange 12 est accepté");
  gint64 other = enqueue_ok (f, PAUL_PHONE, "x");
  gboolean changed = TRUE;

  claimed = bfk_messages_claim_due (f->base.store, bfk_store_now () + 1, 10, &error);
  g_assert_cmpuint (claimed->len, ==, 2);
  g_assert_true (bfk_messages_mark_sent (f->base.store, id, "SMstat", "accepted", &error));

  g_assert_cmpint (callback (f, id, "queued", 0, FALSE), ==, BFK_MESSAGE_SENDING);
  g_assert_cmpint (callback (f, id, "delivered", 0, TRUE), ==, BFK_MESSAGE_DELIVERED);
  /* Late callbacks go nowhere. */
  g_assert_cmpint (callback (f, id, "sent", 0, FALSE), ==, BFK_MESSAGE_DELIVERED);
  g_assert_cmpint (callback (f, id, "sending", 0, FALSE), ==, BFK_MESSAGE_DELIVERED);
  g_assert_cmpint (callback (f, id, "failed", 30008, FALSE), ==, BFK_MESSAGE_DELIVERED);
  g_assert_cmpint (callback (f, id, "read", 0, TRUE), ==, BFK_MESSAGE_READ);
  g_assert_cmpint (callback (f, id, "delivered", 0, FALSE), ==, BFK_MESSAGE_READ);
  m = get_ok (f, id);
  g_assert_cmpint (m->error_code, ==, 0);
  g_clear_pointer (&m, bfk_message_free);

  /* sent then undelivered, with Twilio's code; not read afterwards by a
   * repeated undelivered. */
  g_assert_true (bfk_messages_mark_sent (f->base.store, other, "SMother", "sent", &error));
  g_assert_true (bfk_messages_update_status (f->base.store, "SMother", "undelivered", 63024, &changed,
                                             &error));
  g_assert_true (changed);
  g_assert_true (bfk_messages_update_status (f->base.store, "SMother", "failed", 0, &changed, &error));
  g_assert_false (changed);
  m = get_ok (f, other);
  g_assert_cmpint (m->status, ==, BFK_MESSAGE_UNDELIVERED);
  g_assert_cmpint (m->error_code, ==, 63024);
  g_clear_pointer (&m, bfk_message_free);

  /* An inbound message is out of reach of callbacks. */
  g_assert_true (bfk_messages_record_inbound (f->base.store, "SMin", MARIE_PHONE, 0, "OUI", NULL, &error));
  g_assert_true (bfk_messages_update_status (f->base.store, "SMin", "read", 0, &changed, &error));
  g_assert_false (changed);

  /* A sid that is not ours, or a status that is not Twilio's. */
  g_assert_false (bfk_messages_update_status (f->base.store, "SMnobody", "delivered", 0, &changed, &error));
  g_assert_error (error, BFK_MESSAGE_ERROR, BFK_MESSAGE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (bfk_messages_update_status (f->base.store, "SMstat", "lost", 0, &changed, &error));
  g_assert_error (error, BFK_MESSAGE_ERROR, BFK_MESSAGE_ERROR_INVALID_STATUS);
}

static void
test_thread_and_counts (WaFixture     *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) thread = NULL;
  guint64 counts[BFK_MESSAGE_N_STATUSES];

  g_assert_true (bfk_messages_record_inbound (f->base.store, "SM1", MARIE_PHONE, 0, "Bonjour", NULL, &error));
  enqueue_ok (f, MARIE_PHONE, "Bienvenue");
  g_assert_true (bfk_messages_record_inbound (f->base.store, "SM2", PAUL_PHONE, 0, "Salut", NULL, &error));
  g_assert_true (bfk_messages_record_inbound (f->base.store, "SM3", MARIE_PHONE, 0, "2", NULL, &error));
  g_assert_cmpint (bfk_messages_enqueue (f->base.store, MARIE_PHONE, 0, BFK_MESSAGE_TEXT, "Nom ?", FALSE,
                                         &error),
                   >, 0);
  /* The answer in the TwiML: sent with it, not queued. */
  g_assert_true (bfk_messages_record_reply (f->base.store, PAUL_PHONE, 0, "Bienvenue", &error));

  thread = bfk_messages_list_thread (f->base.store, "whatsapp:" MARIE_PHONE, 10, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (thread->len, ==, 4);
  g_assert_cmpstr (((BfkMessage *) thread->pdata[0])->body, ==, "Nom ?");
  g_assert_cmpstr (((BfkMessage *) thread->pdata[1])->body, ==, "2");
  g_assert_cmpstr (((BfkMessage *) thread->pdata[2])->body, ==, "Bienvenue");
  g_assert_cmpstr (((BfkMessage *) thread->pdata[3])->body, ==, "Bonjour");
  g_clear_pointer (&thread, g_ptr_array_unref);
  thread = bfk_messages_list_thread (f->base.store, MARIE_PHONE, 2, 2, &error);
  g_assert_cmpuint (thread->len, ==, 2);
  g_assert_cmpstr (((BfkMessage *) thread->pdata[0])->body, ==, "Bienvenue");
  g_clear_pointer (&thread, g_ptr_array_unref);
  thread = bfk_messages_list_thread (f->base.store, PAUL_PHONE, 10, 0, &error);
  g_assert_cmpuint (thread->len, ==, 2);
  g_assert_cmpint (((BfkMessage *) thread->pdata[0])->direction, ==, BFK_MESSAGE_OUT);
  g_assert_cmpint (((BfkMessage *) thread->pdata[0])->status, ==, BFK_MESSAGE_SENT);
  g_assert_cmpint (((BfkMessage *) thread->pdata[0])->next_attempt_at, ==, 0);
  g_assert_null (((BfkMessage *) thread->pdata[0])->twilio_sid);
  g_clear_pointer (&thread, g_ptr_array_unref);

  g_assert_true (bfk_messages_count_by_status (f->base.store, counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts[BFK_MESSAGE_RECEIVED], ==, 3);
  g_assert_cmpuint (counts[BFK_MESSAGE_QUEUED], ==, 1);
  g_assert_cmpuint (counts[BFK_MESSAGE_NOT_SENT], ==, 1);
  g_assert_cmpuint (counts[BFK_MESSAGE_SENT], ==, 1);
  g_assert_cmpuint (counts[BFK_MESSAGE_DELIVERED], ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/messages/twilio-statuses", test_twilio_statuses);
  WA_TEST_ADD ("/messages/inbound-once", test_inbound_once);
  WA_TEST_ADD ("/messages/queue", test_queue);
  WA_TEST_ADD ("/messages/status-order", test_status_order);
  WA_TEST_ADD ("/messages/thread-and-counts", test_thread_and_counts);
  return g_test_run ();
}
