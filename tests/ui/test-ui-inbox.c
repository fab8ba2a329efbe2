/* test-ui-inbox: the support inbox over a running backend whose Twilio is
 * the local stand-in.  A member asks for a person; support opens the
 * conversation (it is marked read), takes it over, answers with Ctrl+Enter's
 * action, and the answer reaches the stand-in; Twilio's status callbacks
 * then move its ticks on.  Last, the member's 24-hour window closes and the
 * composer says why it cannot be used. */
#include <libsoup/soup.h>
#include <sqlite3.h>
#include <string.h>

#include "bfk-conversation-row.h"
#include "bfk-inbox-page.h"
#include "bfk-inbox-thread.h"
#include "bfk-message-bubble.h"
#include "bfk-test-twilio.h"
#include "bfk-test-ui.h"
#include "bfk-twilio-signature.h"

#define ACCOUNT_SID "AC0000000000000000000000000000inbox"
#define AUTH_TOKEN  "inbox-token-not-a-secret"
#define OUR_NUMBER  "+14155238886"
#define PUBLIC_URL  "https://bafoka.example"

#define MARIE    "+237650000201"
#define NEWCOMER "+237650000299"
#define REPLY    "Bonjour Marie, nous regardons votre demande."
#define REPLY2   "Pouvez-vous nous envoyer SOLDE ?"

static BfkTestUi     *ui;
static BfkTestTwilio *twilio;
static BfkInboxPage  *page;
static guint          n_sids;

/* --- talking like Twilio ------------------------------------------------------ */

static void
post_signed (const gchar *path,
             BfkForm     *form)
{
  g_autoptr(SoupSession) soup = soup_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree gchar *uri = g_strconcat (bfk_backend_get_listen_uri (ui->backend), path + 1, NULL);
  g_autofree gchar *url = g_strconcat (PUBLIC_URL, path, NULL);
  g_autofree gchar *signature = bfk_twilio_signature_compute (AUTH_TOKEN, url, form);
  gchar *body = bfk_form_encode (form);

  msg = soup_message_new ("POST", uri);
  soup_message_headers_append (soup_message_get_request_headers (msg), "X-Twilio-Signature", signature);
  soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded",
                                            g_bytes_new_take (body, strlen (body)));
  answer = soup_session_send_and_read (soup, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
}

static void
say (const gchar *phone,
     const gchar *text)
{
  g_autofree gchar *sid = g_strdup_printf ("SMin%030u", ++n_sids);
  g_autoptr(BfkForm) form = bfk_test_twilio_inbound_form (sid, ACCOUNT_SID, phone, "whatsapp:" OUR_NUMBER,
                                                          "Test", text);

  post_signed ("/webhook", form);
}

static void
status_callback (const gchar *message_sid,
                 const gchar *status,
                 const gchar *error_code)
{
  g_autoptr(BfkForm) form = bfk_form_new ();

  bfk_form_add (form, "MessageSid", message_sid);
  bfk_form_add (form, "MessageStatus", status);
  bfk_form_add (form, "AccountSid", ACCOUNT_SID);
  if (error_code)
    bfk_form_add (form, "ErrorCode", error_code);
  post_signed ("/webhook/status", form);
}

/* --- the database, seen from outside ------------------------------------------ */

static sqlite3 *
open_db (gboolean writable)
{
  g_autofree gchar *path = g_build_filename (ui->data_dir, "bafoka.db", NULL);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, writable ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY,
                                    NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 10000);
  return db;
}

/* The first column of the first row of sql with one text parameter, as
 * text (NULL when no row, or NULL). */
static gchar *
query_text (const gchar *sql,
            const gchar *arg)
{
  sqlite3 *db = open_db (FALSE);
  sqlite3_stmt *stmt = NULL;
  gchar *value = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, arg, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0))
    value = g_strdup ((const gchar *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

static gint64
query_int (const gchar *sql,
           const gchar *arg)
{
  g_autofree gchar *text = query_text (sql, arg);

  return text ? g_ascii_strtoll (text, NULL, 10) : -1;
}

/* --- the page ------------------------------------------------------------------- */

static GtkListBox *
conversation_list (void)
{
  GtkWidget *list = bfk_test_ui_find (GTK_WIDGET (page), GTK_TYPE_LIST_BOX, "conversation_list");

  g_assert_nonnull (list);
  return GTK_LIST_BOX (list);
}

static BfkConversationRow *
row_of (const gchar *phone)
{
  GtkListBoxRow *row;

  for (guint i = 0; (row = gtk_list_box_get_row_at_index (conversation_list (), i)); i++)
    if (g_strcmp0 (bfk_conversation_row_get_phone (BFK_CONVERSATION_ROW (row)), phone) == 0)
      return BFK_CONVERSATION_ROW (row);
  return NULL;
}

static gboolean
flagged_in_list (gpointer data)
{
  BfkConversationRow *row = row_of (data);
  GtkWidget *flag = row ? bfk_test_ui_find (GTK_WIDGET (row), GTK_TYPE_IMAGE, "needs_agent_flag") : NULL;

  return flag && gtk_widget_get_visible (flag);
}

static gboolean
query_zero (gpointer data)
{
  return query_int (data, MARIE) == 0;
}

static gboolean
query_positive (gpointer data)
{
  return query_int (data, MARIE) > 0;
}

static GtkWidget *
find (GType        type,
      const gchar *id)
{
  GtkWidget *widget = bfk_test_ui_find (GTK_WIDGET (page), type, id);

  g_assert_nonnull (widget);
  return widget;
}

static void
test_flagged (void)
{
  bfk_test_ui_add_member (ui, MARIE, "Marie", 1);
  say (MARIE, "Bonjour");
  say (MARIE, "AGENT");
  say (NEWCOMER, "Bonjour");

  page = g_object_new (BFK_TYPE_INBOX_PAGE, "session", ui->session, NULL);
  bfk_test_ui_show (ui, GTK_WIDGET (page), 1280, 800);
  bfk_test_ui_wait (flagged_in_list, (gpointer) MARIE, 20, "Marie's conversation, flagged");
  g_assert_nonnull (row_of (NEWCOMER));
  g_assert_false (flagged_in_list ((gpointer) NEWCOMER));

  /* The filter for those who asked for a person leaves the newcomer out. */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (find (GTK_TYPE_TOGGLE_BUTTON, "filter_agent")), TRUE);
  g_assert_nonnull (row_of (MARIE));
  g_assert_null (row_of (NEWCOMER));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (find (GTK_TYPE_TOGGLE_BUTTON, "filter_all")), TRUE);
  g_assert_nonnull (row_of (NEWCOMER));
  /* So does a search for her name. */
  gtk_editable_set_text (GTK_EDITABLE (find (GTK_TYPE_SEARCH_ENTRY, "search_entry")), "mar");
  bfk_test_ui_spin (400);   /* the search entry's delay */
  g_assert_nonnull (row_of (MARIE));
  g_assert_null (row_of (NEWCOMER));
  gtk_editable_set_text (GTK_EDITABLE (find (GTK_TYPE_SEARCH_ENTRY, "search_entry")), "");
  bfk_test_ui_spin (400);
  g_assert_nonnull (row_of (NEWCOMER));
}

static gboolean
label_is_marie (gpointer data)
{
  return g_strcmp0 (gtk_label_get_label (GTK_LABEL (find (GTK_TYPE_LABEL, "thread_title"))), "Marie") == 0;
}

static void
test_open_and_take_over (void)
{
  const gchar *before;

  g_assert_cmpint (query_int ("SELECT unread FROM conversations WHERE phone = ?", MARIE), >, 0);
  g_signal_emit_by_name (conversation_list (), "row-activated", row_of (MARIE));
  bfk_test_ui_wait (label_is_marie, NULL, 10, "Marie's thread");
  g_assert_cmpstr (bfk_inbox_page_get_phone (page), ==, MARIE);
  bfk_test_ui_wait (query_zero, "SELECT unread FROM conversations WHERE phone = ?", 10,
                    "the conversation to be marked read");

  before = gtk_button_get_label (GTK_BUTTON (find (GTK_TYPE_BUTTON, "take_over_button")));
  {
    g_autofree gchar *was = g_strdup (before);

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "inbox.take-over", NULL));
    bfk_test_ui_wait (query_positive,
                      "SELECT count(*) FROM conversations WHERE phone = ? AND taken_over_by IS NOT NULL",
                      10, "the conversation to be taken over");
    bfk_test_ui_spin (700);
    g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (find (GTK_TYPE_BUTTON, "take_over_button"))), !=, was);
    /* A person answers now: the call for one is no longer flagged. */
    g_assert_false (flagged_in_list ((gpointer) MARIE));
    g_assert_false (gtk_widget_get_visible (find (GTK_TYPE_LABEL, "agent_label")));
  }
}

typedef struct
{
  const gchar *to;
  const gchar *body;
} Outbound;

static gboolean
stand_in_got (gpointer data)
{
  Outbound *o = data;

  for (guint i = 0; i < bfk_test_twilio_n_requests (twilio); i++)
    {
      g_autoptr(BfkTestTwilioRequest) r = bfk_test_twilio_request (twilio, i);
      g_autoptr(BfkForm) form = bfk_form_decode (r->body, strlen (r->body), NULL);

      if (form && g_strcmp0 (r->method, "POST") == 0
          && g_strcmp0 (bfk_form_lookup (form, "To"), o->to) == 0
          && g_strcmp0 (bfk_form_lookup (form, "Body"), o->body) == 0)
        return TRUE;
    }
  return FALSE;
}

typedef struct
{
  gint64       id;
  const gchar *ticks;
  const gchar *css_class;
} Ticks;

static GtkWidget *
bubble_of (gint64 id)
{
  BfkInboxThread *thread = BFK_INBOX_THREAD (find (BFK_TYPE_INBOX_THREAD, NULL));

  return bfk_inbox_thread_get_bubble (thread, id);
}

static gboolean
ticks_are (gpointer data)
{
  Ticks *t = data;
  GtkWidget *bubble = bubble_of (t->id);
  GtkWidget *label;

  if (!bubble || g_strcmp0 (bfk_message_bubble_get_ticks (BFK_MESSAGE_BUBBLE (bubble)), t->ticks) != 0)
    return FALSE;
  label = bfk_test_ui_find (bubble, GTK_TYPE_LABEL, t->ticks);
  return label && (!t->css_class || gtk_widget_has_css_class (label, t->css_class));
}

/* Types text, sends it with the composer's action, and waits until the
 * stand-in has it; the message's id. */
static gint64
send (const gchar *text)
{
  GtkTextView *composer = GTK_TEXT_VIEW (find (GTK_TYPE_TEXT_VIEW, "composer_view"));
  Outbound o = { "whatsapp:" MARIE, text };
  g_autofree gchar *id = NULL;

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (composer), text, -1);
  g_assert_true (gtk_widget_is_sensitive (find (GTK_TYPE_BUTTON, "send_button")));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "inbox.send", NULL));
  bfk_test_ui_wait (stand_in_got, &o, 30, "the stand-in to get the answer");
  id = query_text ("SELECT id FROM messages WHERE body = ? AND direction = 'out'", text);
  g_assert_nonnull (id);
  return g_ascii_strtoll (id, NULL, 10);
}

static gchar *
sid_of (gint64 id)
{
  g_autofree gchar *text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  gchar *sid = NULL;
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!(sid = query_text ("SELECT twilio_sid FROM messages WHERE id = ?", text)))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      bfk_test_ui_spin (100);
    }
  return sid;
}

static void
test_answer (void)
{
  GtkTextView *composer = GTK_TEXT_VIEW (find (GTK_TYPE_TEXT_VIEW, "composer_view"));
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (composer);
  g_autofree gchar *sid = NULL, *sid2 = NULL, *canned = NULL;
  GtkTextIter start, end;
  GtkWidget *failed;
  Ticks t;
  gint64 id, id2;

  /* A ready-made reply comes in the member's language, whatever the console's. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "inbox.canned", "u", 0));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  canned = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_assert_true (g_str_has_prefix (canned, "Bonjour"));

  id = send (REPLY);
  /* Sent: the composer is empty again. */
  g_assert_cmpint (gtk_text_buffer_get_char_count (buffer), ==, 0);
  t = (Ticks) { id, "✓", NULL };
  bfk_test_ui_wait (ticks_are, &t, 10, "one tick");
  /* Staff's messages are on the right. */
  g_assert_cmpint (gtk_widget_get_halign (gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (bubble_of (id)))),
                   ==, GTK_ALIGN_END);

  sid = sid_of (id);
  status_callback (sid, "delivered", NULL);
  t = (Ticks) { id, "✓✓", NULL };
  bfk_test_ui_wait (ticks_are, &t, 10, "two ticks");
  g_assert_false (ticks_are (&(Ticks) { id, "✓✓", "read" }));
  status_callback (sid, "read", NULL);
  t = (Ticks) { id, "✓✓", "read" };
  bfk_test_ui_wait (ticks_are, &t, 10, "two ticks, read");

  /* A message WhatsApp refused shows a cross, and why. */
  id2 = send (REPLY2);
  sid2 = sid_of (id2);
  status_callback (sid2, "undelivered", "63024");
  t = (Ticks) { id2, "✗", "error" };
  bfk_test_ui_wait (ticks_are, &t, 10, "a cross");
  failed = bfk_test_ui_find (bubble_of (id2), GTK_TYPE_LABEL, "✗");
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (failed), "WhatsApp"));

  {
    g_autofree gchar *shot = bfk_test_ui_screenshot (ui->window, "inbox");
  }
}

static gboolean
composer_closed (gpointer data)
{
  return !gtk_widget_get_sensitive (find (GTK_TYPE_TEXT_VIEW, "composer_view"));
}

static void
test_window_closed (void)
{
  sqlite3 *db = open_db (TRUE);
  g_autofree gchar *sql = g_strdup_printf ("UPDATE conversations SET last_inbound_at = %" G_GINT64_FORMAT
                                           " WHERE phone = '" MARIE "'",
                                           g_get_real_time () / G_USEC_PER_SEC - 25 * 3600);
  GtkWidget *window_label;

  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  bfk_test_ui_wait (composer_closed, NULL, 10, "the composer to close");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (find (GTK_TYPE_TEXT_VIEW, "composer_view"))),
                            "Encore là ?", -1);
  g_assert_false (gtk_widget_is_sensitive (find (GTK_TYPE_BUTTON, "send_button")));
  window_label = find (GTK_TYPE_LABEL, "window_label");
  g_assert_true (gtk_widget_has_css_class (window_label, "warning"));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (window_label)), "TWILIO_CONTENT_SID"));
  {
    g_autofree gchar *shot = bfk_test_ui_screenshot (ui->window, "inbox-window-closed");
  }
}

static void
test_open_action (void)
{
  /* As the members page does: any spelling of the number. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "inbox.open", "s", "+237 650 00 02 99"));
  bfk_test_ui_spin (300);
  g_assert_cmpstr (bfk_inbox_page_get_phone (page), ==, NEWCOMER);
  g_assert_true (gtk_list_box_row_is_selected (GTK_LIST_BOX_ROW (row_of (NEWCOMER))));
  /* Not a member yet: the panel says so rather than showing empty figures. */
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (bfk_test_ui_find (GTK_WIDGET (page),
                                                                                  GTK_TYPE_STACK, "panel_stack"))),
                   ==, "newcomer");
}

/* A small laptop's window: the member's panel folds over the thread. */
static void
test_narrow (void)
{
  g_autofree gchar *shot = NULL;

  gtk_window_set_default_size (ui->window, 800, 600);
  bfk_test_ui_spin (500);
  shot = bfk_test_ui_screenshot (ui->window, "inbox-narrow");
  gtk_window_set_default_size (ui->window, 400, 700);
  bfk_test_ui_spin (600);
  gtk_window_destroy (ui->window);
  ui->window = NULL;
  bfk_test_ui_spin (300);
}

int
main (int argc, char **argv)
{
  g_autofree gchar *api = NULL;
  int status;

  bfk_test_ui_init (&argc, &argv);
  {
    /* What AdwApplication loads in the console: the bubbles' colours. */
    g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (provider, "/org/bafoka/Console/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (provider),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }
  twilio = bfk_test_twilio_start (ACCOUNT_SID, AUTH_TOKEN);
  api = g_strdup (bfk_test_twilio_url (twilio));
  {
    const gchar *settings[] = {
      "BAFOKA_PUBLIC_URL", PUBLIC_URL,
      "TWILIO_ACCOUNT_SID", ACCOUNT_SID,
      "TWILIO_AUTH_TOKEN", AUTH_TOKEN,
      "TWILIO_WHATSAPP_NUMBER", OUR_NUMBER,
      "TWILIO_API_BASE", api,
      NULL
    };

    ui = bfk_test_ui_new (settings);
  }
  g_test_add_func ("/ui/inbox/flagged", test_flagged);
  g_test_add_func ("/ui/inbox/open-and-take-over", test_open_and_take_over);
  g_test_add_func ("/ui/inbox/answer", test_answer);
  g_test_add_func ("/ui/inbox/window-closed", test_window_closed);
  g_test_add_func ("/ui/inbox/open-action", test_open_action);
  g_test_add_func ("/ui/inbox/narrow", test_narrow);
  status = g_test_run ();
  bfk_test_ui_free (ui);
  bfk_test_twilio_stop (twilio);
  return status;
}
