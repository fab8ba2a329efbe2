/* test-conversations.c: the bot's state per number, the inbox's marks and
 * list, and Twilio's 24-hour window at its edges. */
#include "bfk-conversations.h"
#include "bfk-messages.h"
#include "test-whatsapp-store.h"

static BfkConversation *
get_ok (WaFixture   *f,
        const gchar *phone)
{
  g_autoptr(GError) error = NULL;
  BfkConversation *c = bfk_conversations_get (f->base.store, phone, &error);

  g_assert_no_error (error);
  g_assert_nonnull (c);
  return c;
}

static void
test_states (void)
{
  g_autoptr(GError) error = NULL;
  BfkConversationState state;

  for (BfkConversationState s = BFK_CONVERSATION_INIT; s <= BFK_CONVERSATION_EXCHANGING; s++)
    {
      g_assert_true (bfk_conversation_state_from_string (bfk_conversation_state_to_string (s),
                                                         &state, &error));
      g_assert_cmpint (state, ==, s);
    }
  g_assert_cmpstr (bfk_conversation_state_to_string (BFK_CONVERSATION_COMMUNITY_CHOSEN), ==,
                   "COMMUNITY_CHOSEN");
  g_assert_false (bfk_conversation_state_from_string ("init", &state, &error));
  g_assert_error (error, BFK_CONVERSATION_ERROR, BFK_CONVERSATION_ERROR_INVALID_STATE);
}

static void
test_fresh_and_save (WaFixture     *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkConversation) fresh = get_ok (f, "whatsapp:" MARIE_PHONE);
  g_autoptr(BfkConversation) again = NULL;

  g_assert_no_error (error);
  /* A number never seen: the default the bot starts from, nothing written. */
  g_assert_false (fresh->stored);
  g_assert_cmpstr (fresh->phone, ==, MARIE_PHONE);
  g_assert_cmpint (fresh->state, ==, BFK_CONVERSATION_INIT);
  g_assert_cmpstr (fresh->language, ==, "fr");
  g_assert_null (fresh->pending);
  g_assert_cmpint (fresh->member_id, ==, 0);
  g_assert_cmpint (fixture_query_int (&f->base, "SELECT count(*) FROM conversations"), ==, 0);

  fresh->state = BFK_CONVERSATION_COMMUNITY_CHOSEN;
  g_free (fresh->pending);
  fresh->pending = g_strdup ("{\"community\":2}");
  g_assert_true (bfk_conversations_save (f->base.store, fresh, &error));
  g_assert_no_error (error);
  again = get_ok (f, "00237 699 00 11 22");
  g_assert_true (again->stored);
  g_assert_cmpint (again->state, ==, BFK_CONVERSATION_COMMUNITY_CHOSEN);
  g_assert_cmpstr (again->pending, ==, "{\"community\":2}");
  g_assert_cmpint (again->created_at, >, 0);

  /* Registered: the member, the state, no pending, English; the rest is kept. */
  g_assert_true (bfk_conversations_mark_inbound (f->base.store, MARIE_PHONE, T0, &error));
  again->member_id = f->marie->id;
  again->state = BFK_CONVERSATION_REGISTERED;
  g_clear_pointer (&again->pending, g_free);
  g_free (again->language);
  again->language = g_strdup ("EN");
  g_assert_true (bfk_conversations_save (f->base.store, again, &error));
  g_clear_pointer (&again, bfk_conversation_free);
  again = get_ok (f, MARIE_PHONE);
  g_assert_cmpint (again->member_id, ==, f->marie->id);
  g_assert_cmpstr (again->member_name, ==, "marie");
  g_assert_cmpint (again->state, ==, BFK_CONVERSATION_REGISTERED);
  g_assert_null (again->pending);
  g_assert_cmpstr (again->language, ==, "en");
  g_assert_cmpint (again->unread, ==, 1);
  g_assert_cmpint (again->last_inbound_at, ==, T0);
  g_assert_cmpint (fixture_query_int (&f->base, "SELECT count(*) FROM conversations"), ==, 1);

  /* What cannot be saved. */
  g_free (again->language);
  again->language = g_strdup ("français");
  g_assert_false (bfk_conversations_save (f->base.store, again, &error));
  g_assert_error (error, BFK_MEMBER_ERROR, BFK_MEMBER_ERROR_INVALID_LANGUAGE);
  g_clear_error (&error);
  g_assert_null (bfk_conversations_get (f->base.store, "12345", &error));
  g_assert_error (error, BFK_MEMBER_ERROR, BFK_MEMBER_ERROR_INVALID_PHONE);
  g_clear_error (&error);
  again->member_id = 999;   /* no such member */
  g_free (again->language);
  again->language = g_strdup ("fr");
  g_assert_false (bfk_conversations_save (f->base.store, again, &error));
  g_assert_error (error, BFK_STORE_ERROR, BFK_STORE_ERROR_CONSTRAINT);
}

static void
test_inbox_marks (WaFixture     *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkConversation) c = NULL;
  gint64 flagged_at;

  g_assert_true (bfk_conversations_mark_inbound (f->base.store, MARIE_PHONE, T0, &error));
  g_assert_true (bfk_conversations_mark_inbound (f->base.store, MARIE_PHONE, T0 + 60, &error));
  /* A Twilio retry handled late does not take the window back. */
  g_assert_true (bfk_conversations_mark_inbound (f->base.store, MARIE_PHONE, T0 + 30, &error));
  g_assert_no_error (error);
  c = get_ok (f, MARIE_PHONE);
  g_assert_true (c->stored);
  g_assert_cmpint (c->state, ==, BFK_CONVERSATION_INIT);
  g_assert_cmpint (c->unread, ==, 3);
  g_assert_cmpint (c->last_inbound_at, ==, T0 + 60);
  g_assert_false (c->needs_agent);
  g_assert_null (c->taken_over_by);

  g_assert_true (bfk_conversations_mark_read (f->base.store, MARIE_PHONE, &error));
  g_assert_true (bfk_conversations_set_needs_agent (f->base.store, MARIE_PHONE, TRUE, &error));
  g_clear_pointer (&c, bfk_conversation_free);
  c = get_ok (f, MARIE_PHONE);
  g_assert_cmpint (c->unread, ==, 0);
  g_assert_true (c->needs_agent);
  g_assert_cmpint (c->needs_agent_at, >, 0);
  flagged_at = c->needs_agent_at;

  /* AGENT sent twice: the wait counts from the first. */
  g_assert_no_error (error);
  g_assert_true (bfk_store_exec (f->base.store, "UPDATE conversations SET needs_agent_at = 1000", &error));
  g_assert_true (bfk_conversations_set_needs_agent (f->base.store, MARIE_PHONE, TRUE, &error));
  g_clear_pointer (&c, bfk_conversation_free);
  c = get_ok (f, MARIE_PHONE);
  g_assert_cmpint (c->needs_agent_at, ==, 1000);
  g_assert_cmpint (flagged_at, !=, 1000);

  g_assert_true (bfk_conversations_set_taken_over (f->base.store, MARIE_PHONE, "Awa", &error));
  g_assert_true (bfk_conversations_set_needs_agent (f->base.store, MARIE_PHONE, FALSE, &error));
  g_clear_pointer (&c, bfk_conversation_free);
  c = get_ok (f, MARIE_PHONE);
  g_assert_cmpstr (c->taken_over_by, ==, "Awa");
  g_assert_false (c->needs_agent);
  g_assert_cmpint (c->needs_agent_at, ==, 0);
  g_assert_true (bfk_conversations_set_taken_over (f->base.store, MARIE_PHONE, NULL, &error));
  g_clear_pointer (&c, bfk_conversation_free);
  c = get_ok (f, MARIE_PHONE);
  g_assert_null (c->taken_over_by);
  g_assert_no_error (error);

  /* Marks need a conversation. */
  g_assert_false (bfk_conversations_mark_read (f->base.store, PAUL_PHONE, &error));
  g_assert_error (error, BFK_CONVERSATION_ERROR, BFK_CONVERSATION_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (bfk_conversations_set_needs_agent (f->base.store, PAUL_PHONE, TRUE, &error));
  g_assert_error (error, BFK_CONVERSATION_ERROR, BFK_CONVERSATION_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (bfk_conversations_set_taken_over (f->base.store, PAUL_PHONE, "Awa", &error));
  g_assert_error (error, BFK_CONVERSATION_ERROR, BFK_CONVERSATION_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (bfk_conversations_mark_read (f->base.store, "not a number", &error));
  g_assert_error (error, BFK_MEMBER_ERROR, BFK_MEMBER_ERROR_INVALID_PHONE);
}

static const gchar *
phone_at (GPtrArray *list,
          guint      i)
{
  return ((BfkConversation *) g_ptr_array_index (list, i))->phone;
}

static void
test_inbox_list (WaFixture     *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  gint64 now = bfk_store_now ();
  BfkConversation *c;

  /* Ama wrote first, then Marie, then Paul. */
  g_assert_true (bfk_conversations_mark_inbound (f->base.store, AMA_PHONE, now - 300, &error));
  g_assert_true (bfk_conversations_mark_inbound (f->base.store, MARIE_PHONE, now - 200, &error));
  g_assert_true (bfk_conversations_mark_inbound (f->base.store, PAUL_PHONE, now - 100, &error));
  g_assert_true (bfk_conversations_mark_inbound (f->base.store, PAUL_PHONE, now - 90, &error));
  g_assert_true (bfk_conversations_set_needs_agent (f->base.store, AMA_PHONE, TRUE, &error));
  g_assert_no_error (error);

  list = bfk_conversations_list (f->base.store, FALSE, 10, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);
  /* Ama's call for an agent is her newest activity. */
  g_assert_cmpstr (phone_at (list, 0), ==, AMA_PHONE);
  g_assert_cmpstr (phone_at (list, 1), ==, PAUL_PHONE);
  g_assert_cmpstr (phone_at (list, 2), ==, MARIE_PHONE);
  c = g_ptr_array_index (list, 1);
  g_assert_cmpint (c->unread, ==, 2);
  g_assert_false (c->needs_agent);
  g_assert_cmpint (c->last_activity_at, ==, now - 90);
  g_assert_null (c->last_body);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* A message to Marie makes hers the newest, with its text. */
  g_assert_cmpint (bfk_messages_enqueue (f->base.store, MARIE_PHONE, 0, BFK_MESSAGE_TEXT, "Bienvenue !", TRUE,
                                         &error), >, 0);
  g_assert_true (bfk_store_exec (f->base.store, "UPDATE messages SET created_at = created_at + 1000",
                                 &error));
  list = bfk_conversations_list (f->base.store, FALSE, 10, 0, &error);
  g_assert_cmpstr (phone_at (list, 0), ==, MARIE_PHONE);
  c = g_ptr_array_index (list, 0);
  g_assert_cmpstr (c->last_body, ==, "Bienvenue !");
  g_clear_pointer (&list, g_ptr_array_unref);

  /* Paged, and filtered to those waiting for a person. */
  list = bfk_conversations_list (f->base.store, FALSE, 1, 1, &error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (phone_at (list, 0), ==, AMA_PHONE);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = bfk_conversations_list (f->base.store, TRUE, 10, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (phone_at (list, 0), ==, AMA_PHONE);
  g_assert_true (((BfkConversation *) g_ptr_array_index (list, 0))->needs_agent);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* The inbox's filters, in the query. */
  {
    BfkConversationFilter unread = { .unread_only = TRUE };
    BfkConversationFilter digits = { .text = "+237 677" };
    BfkConversationFilter waiting = { .waiting_only = TRUE };

    g_assert_true (bfk_conversations_mark_read (f->base.store, MARIE_PHONE, &error));
    list = bfk_conversations_find (f->base.store, &unread, 10, 0, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (list->len, ==, 2);
    g_assert_cmpstr (phone_at (list, 0), ==, AMA_PHONE);
    g_assert_cmpstr (phone_at (list, 1), ==, PAUL_PHONE);
    g_clear_pointer (&list, g_ptr_array_unref);

    list = bfk_conversations_find (f->base.store, &digits, 10, 0, &error);
    g_assert_cmpuint (list->len, ==, 1);
    g_assert_cmpstr (phone_at (list, 0), ==, PAUL_PHONE);
    g_clear_pointer (&list, g_ptr_array_unref);

    /* A person taking Ama over answers her call: no longer waiting. */
    list = bfk_conversations_find (f->base.store, &waiting, 10, 0, &error);
    g_assert_cmpuint (list->len, ==, 1);
    g_clear_pointer (&list, g_ptr_array_unref);
    g_assert_true (bfk_conversations_set_taken_over (f->base.store, AMA_PHONE, "Alice", &error));
    list = bfk_conversations_find (f->base.store, &waiting, 10, 0, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (list->len, ==, 0);
  }
}

static void
assert_window (WaFixture *f,
               gint64     now,
               gboolean   open,
               gint64     left)
{
  g_autoptr(GError) error = NULL;
  gint64 seconds = -1;

  g_assert_cmpint (bfk_conversations_window_open (f->base.store, MARIE_PHONE, now, &seconds, &error), ==,
                   open);
  g_assert_no_error (error);
  g_assert_cmpint (seconds, ==, left);
}

static void
test_window (WaFixture     *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const gint64 day = 24 * 60 * 60;

  /* Never wrote: closed; the same without a conversation or with one. */
  assert_window (f, T0, FALSE, 0);
  g_assert_false (bfk_conversations_window_open (f->base.store, "bad", T0, NULL, &error));
  g_assert_error (error, BFK_MEMBER_ERROR, BFK_MEMBER_ERROR_INVALID_PHONE);
  g_clear_error (&error);

  g_assert_true (bfk_conversations_mark_inbound (f->base.store, MARIE_PHONE, T0, &error));
  assert_window (f, T0, TRUE, day);
  assert_window (f, T0 + 1, TRUE, day - 1);
  assert_window (f, T0 + day - 1, TRUE, 1);
  /* 24 hours to the second: closed. */
  assert_window (f, T0 + day, FALSE, 0);
  assert_window (f, T0 + day + 3600, FALSE, 0);
  /* A clock behind the message's time never gives more than 24 hours. */
  assert_window (f, T0 - 600, TRUE, day);

  /* A new message opens it again. */
  g_assert_true (bfk_conversations_mark_inbound (f->base.store, MARIE_PHONE, T0 + day + 10, &error));
  assert_window (f, T0 + day + 10, TRUE, day);
  assert_window (f, T0 + 2 * day + 9, TRUE, 1);
  assert_window (f, T0 + 2 * day + 10, FALSE, 0);

  /* Another number's window is its own. */
  g_assert_false (bfk_conversations_window_open (f->base.store, PAUL_PHONE, T0 + day + 10, NULL, &error));
  g_assert_no_error (error);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/conversations/states", test_states);
  WA_TEST_ADD ("/conversations/fresh-and-save", test_fresh_and_save);
  WA_TEST_ADD ("/conversations/inbox-marks", test_inbox_marks);
  WA_TEST_ADD ("/conversations/inbox-list", test_inbox_list);
  WA_TEST_ADD ("/conversations/window", test_window);
  return g_test_run ();
}
