/* test-ui-overview: the dashboard over a running backend with three members
 * and a few WhatsApp messages: the cards show the store's figures, the
 * operator's gas arrives with the backend's status, the messages chart has
 * the messages of this hour, and a new member updates the page in place
 * (the same label widget, its text changed). */
#include "bfk-chart.h"
#include "bfk-overview-page.h"
#include "bfk-test-ui.h"

#include <string.h>

static BfkTestUi *ui;

static void
seed (void)
{
  g_autofree gchar *a = NULL, *b = NULL, *c = NULL;

  bfk_test_ui_add_member (ui, "+237699001122", "Marie", 1);
  bfk_test_ui_add_member (ui, "+237677334455", "Paul", 1);
  bfk_test_ui_add_member (ui, "+237655667788", "Awa", 2);
  /* Marie writes to the bot, and a newcomer says hello. */
  a = bfk_test_ui_post_webhook (ui, "+237699001122", "Bonjour");
  b = bfk_test_ui_post_webhook (ui, "+237699001122", "SOLDE");
  c = bfk_test_ui_post_webhook (ui, "+237690123456", "Bonjour");
  bfk_test_ui_settle (ui);
}

static GtkLabel *
card_value (GtkWidget   *page,
            const gchar *name)
{
  GtkWidget *label = bfk_test_ui_find (page, GTK_TYPE_LABEL, name);

  g_assert_nonnull (label);
  return GTK_LABEL (label);
}

typedef struct
{
  GtkLabel    *label;
  const gchar *text;
} LabelWait;

static gboolean
label_is (gpointer data)
{
  LabelWait *w = data;

  return g_strcmp0 (gtk_label_get_text (w->label), w->text) == 0;
}

static gboolean
label_has (gpointer data)
{
  LabelWait *w = data;

  return strstr (gtk_label_get_text (w->label), w->text) != NULL;
}

static void
test_overview (void)
{
  GtkWidget *page = g_object_new (BFK_TYPE_OVERVIEW_PAGE, "session", ui->session, NULL);
  GtkWindow *window = bfk_test_ui_show (NULL, page, 1200, 900);
  GtkLabel *members = card_value (page, "members_value");
  GtkLabel *active = card_value (page, "active_value");
  BfkChart *messages = BFK_CHART (bfk_test_ui_find (page, BFK_TYPE_CHART, "messages_chart"));
  gdouble in = 0, out = 0;
  g_autofree gchar *shot = NULL;

  g_assert_cmpstr (gtk_label_get_text (members), ==, "3");
  /* Marie wrote; the others were only added by the operator. */
  g_assert_cmpstr (gtk_label_get_text (active), ==, "1");
  bfk_test_ui_wait (label_has, &(LabelWait) { card_value (page, "gas_value"), "ETH" }, 10,
                    "the operator's gas");

  /* Three messages came in this hour, and the bot answered each. */
  g_assert_nonnull (messages);
  g_assert_cmpuint (bfk_chart_get_n_series (messages), ==, 2);
  for (guint i = 0; i < 24; i++)
    {
      in += bfk_chart_get_value (messages, 0, i);
      out += bfk_chart_get_value (messages, 1, i);
    }
  g_assert_cmpfloat (in, ==, 3);
  g_assert_cmpfloat (out, >=, 3);

  /* Without Twilio, the bot's answers went back in the webhook's TwiML:
   * no delivery to tell of yet. */
  g_assert_cmpstr (gtk_label_get_text (card_value (page, "delivery_value")), ==, "—");
  g_assert_nonnull (gtk_widget_get_tooltip_text (bfk_test_ui_find (page, GTK_TYPE_BOX, "delivery_card")));

  /* Registrations were confirmed: a median time and a success rate. */
  /* French puts a no-break space before the sign. */
  g_assert_cmpstr (gtk_label_get_text (card_value (page, "success_value")), ==,
                   g_str_equal (bfk_test_ui_language (), "fr") ? "100\u00a0%" : "100 %");
  g_assert_cmpstr (gtk_label_get_text (card_value (page, "confirmation_value")), !=, "—");

  shot = bfk_test_ui_screenshot (window, "overview");
  g_assert_true (g_file_test (shot, G_FILE_TEST_EXISTS));

  /* A fourth member: the same label shows the new count. */
  bfk_test_ui_add_member (ui, "+237611223344", "Jean", 2);
  bfk_test_ui_wait (label_is, &(LabelWait) { members, "4" }, 10, "the fourth member");
  g_assert_true (card_value (page, "members_value") == members);

  gtk_window_destroy (window);
}

int
main (int argc, char **argv)
{
  int status;

  bfk_test_ui_init (&argc, &argv);
  {
    /* What AdwApplication loads in the console: the cards' big figures. */
    g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (provider, "/org/bafoka/Console/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (provider),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }
  g_test_add_func ("/ui/overview", test_overview);
  ui = bfk_test_ui_new (NULL);
  seed ();
  status = g_test_run ();
  bfk_test_ui_free (ui);
  return status;
}
