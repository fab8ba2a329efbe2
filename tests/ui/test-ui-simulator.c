/* test-ui-simulator: a newcomer registers from the simulator page, through
 * the real webhook: "Bonjour", "1" (the first community), "Marie"; the
 * registration reaches the chain, the member is in the store, and the
 * page shows the bot's answers and the notice that welcomes her. */
#include <sqlite3.h>

#include "bfk-members.h"
#include "bfk-message-bubble.h"
#include "bfk-sim-client.h"
#include "bfk-simulator-page.h"
#include "bfk-test-ui.h"

static BfkTestUi *ui;

typedef struct
{
  GtkWidget   *page;
  const gchar *texts[3];
} Seek;

static guint
count_bubbles (GtkWidget *page)
{
  GtkWidget *thread = bfk_test_ui_find (page, GTK_TYPE_LIST_BOX, "thread");
  guint n = 0;

  for (GtkWidget *row = gtk_widget_get_first_child (thread); row; row = gtk_widget_get_next_sibling (row))
    if (BFK_IS_MESSAGE_BUBBLE (row))
      n++;
  return n;
}

static gboolean
shows_text (gpointer data)
{
  Seek *s = data;

  for (guint i = 0; i < G_N_ELEMENTS (s->texts) && s->texts[i]; i++)
    if (bfk_test_ui_find (s->page, GTK_TYPE_LABEL, s->texts[i]))
      return TRUE;
  return FALSE;
}

typedef struct
{
  GtkWidget *page;
  guint      n;
} Count;

static gboolean
has_bubbles (gpointer data)
{
  Count *c = data;

  return count_bubbles (c->page) >= c->n;
}

static void
type_and_send (GtkWidget   *page,
               const gchar *text)
{
  GtkWidget *entry = bfk_test_ui_find (page, GTK_TYPE_ENTRY, "message_entry");
  guint before = count_bubbles (page);
  Count c = { page, before + 2 };   /* the message, and at least one answer */

  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  g_assert_true (gtk_widget_activate_action (page, "simulator.send", NULL));
  /* The message shows at once, before the bot answers. */
  g_assert_cmpuint (count_bubbles (page), ==, before + 1);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
  bfk_test_ui_wait (has_bubbles, &c, 30, "the bot's answer");
}

static gboolean
member_registered (gpointer data)
{
  BfkStore *store = bfk_session_get_store (ui->session);
  sqlite3_stmt *stmt = bfk_store_prepare (store, "SELECT count(*) FROM members m JOIN accounts a "
                                                 "ON a.address = m.address WHERE m.phone = ?", NULL);
  gint64 n;

  g_assert_nonnull (stmt);
  sqlite3_bind_text (stmt, 1, data, -1, SQLITE_TRANSIENT);
  n = sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);
  return n > 0;
}

static void
test_register_from_simulator (void)
{
  GtkWidget *page = g_object_new (BFK_TYPE_SIMULATOR_PAGE, "session", ui->session, NULL);
  GtkWindow *window = bfk_test_ui_show (ui, page, 900, 760);
  GtkWidget *phone_entry = bfk_test_ui_find (page, GTK_TYPE_ENTRY, "phone_entry");
  g_autofree gchar *phone = NULL;
  g_autofree gchar *shot = NULL;
  Seek greeting = { page, { "Troc-Service Bafoka", NULL } };
  Seek welcome = { page, { "Bienvenue Marie", "Welcome Marie", NULL } };
  Seek confirmed = { page, { "est confirmée", "is confirmed", NULL } };

  g_assert_nonnull (phone_entry);
  phone = bfk_simulator_page_get_phone (BFK_SIMULATOR_PAGE (page));
  g_assert_cmpstr (phone, ==, "+237690000001");
  g_assert_nonnull (bfk_test_ui_find (page, GTK_TYPE_BUTTON, "BONJOUR"));
  g_assert_cmpuint (count_bubbles (page), ==, 0);

  type_and_send (page, "Bonjour");
  g_assert_true (shows_text (&greeting));
  type_and_send (page, "1");
  type_and_send (page, "Marie");
  bfk_test_ui_wait (shows_text, &welcome, 30, "the bot's welcome");

  /* On chain, then in the store, then the notice in the thread. */
  bfk_test_ui_wait (member_registered, (gpointer) "+237690000001", 90, "Marie's registration on chain");
  bfk_test_ui_settle (ui);
  bfk_page_refresh (BFK_PAGE (page));
  bfk_test_ui_wait (shows_text, &confirmed, 30, "the notice of the confirmed registration");

  shot = bfk_test_ui_screenshot (window, "simulator");
  g_assert_true (g_file_test (shot, G_FILE_TEST_EXISTS));

  /* Another number starts another conversation, empty. */
  g_assert_true (gtk_widget_activate_action (page, "simulator.new-number", NULL));
  g_free (phone);
  phone = bfk_simulator_page_get_phone (BFK_SIMULATOR_PAGE (page));
  g_assert_nonnull (phone);
  g_assert_cmpstr (phone, !=, "+237690000001");
  g_assert_cmpuint (count_bubbles (page), ==, 0);
}

static void
test_twiml_parse (void)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) two = NULL, none = NULL, bad = NULL;

  two = bfk_sim_twiml_parse ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Message>A &amp; B &lt;3"
                             "</Message><Message>l&apos;aide</Message></Response>", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (two), ==, 2);
  g_assert_cmpstr (two[0], ==, "A & B <3");
  g_assert_cmpstr (two[1], ==, "l'aide");
  none = bfk_sim_twiml_parse ("<Response/>", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (none), ==, 0);
  bad = bfk_sim_twiml_parse ("<Response><Message>", -1, &error);
  g_assert_null (bad);
  g_assert_nonnull (error);
}

int
main (int argc, char **argv)
{
  int status;

  bfk_test_ui_init (&argc, &argv);
  g_test_add_func ("/ui/simulator/twiml", test_twiml_parse);
  g_test_add_func ("/ui/simulator/register", test_register_from_simulator);
  ui = bfk_test_ui_new (NULL);
  status = g_test_run ();
  bfk_test_ui_free (ui);
  return status;
}
