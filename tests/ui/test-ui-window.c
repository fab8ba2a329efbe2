/* test-ui-window: the main window over a running backend: every page is
 * built from its template and shown with seeded data, the shortcuts
 * window and the About window open, and each page is saved as a PNG. */
#include "bfk-chain-error.h"
#include "bfk-error-text.h"
#include "bfk-pages.h"
#include "bfk-test-ui.h"
#include "bfk-window.h"

static BfkTestUi *ui;

static void
seed (void)
{
  g_autofree gchar *a = NULL, *b = NULL;

  bfk_test_ui_add_member (ui, "+237 699 00 11 22", "Marie", 1);
  bfk_test_ui_add_member (ui, "+237 677 33 44 55", "Paul", 1);
  bfk_test_ui_add_member (ui, "+237 655 66 77 88", "Awa", 2);
  /* A conversation for the inbox: a newcomer who asks for a person. */
  a = bfk_test_ui_post_webhook (ui, "+237690123456", "Bonjour");
  b = bfk_test_ui_post_webhook (ui, "+237690123456", "AGENT");
  bfk_test_ui_settle (ui);
}

static gboolean
pages_shown (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

static void
test_every_page (void)
{
  g_autoptr(GtkApplication) app = gtk_application_new ("org.bafoka.Console.Test", G_APPLICATION_NON_UNIQUE);
  BfkWindow *window;
  guint n;
  const BfkPageInfo *pages = bfk_pages_get (&n);

  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  window = bfk_window_new (app, ui->session);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 780);
  gtk_window_present (GTK_WINDOW (window));
  bfk_window_show_pages (window);
  bfk_test_ui_wait (pages_shown, window, 10, "the window");

  for (guint i = 0; i < n; i++)
    {
      g_autofree gchar *shot = NULL;
      g_autofree gchar *name = g_strconcat ("window-", pages[i].name, NULL);

      g_assert_true (bfk_window_show_page (window, pages[i].name));
      g_assert_nonnull (bfk_window_get_page (window, pages[i].name));
      bfk_test_ui_spin (500);
      g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (bfk_window_get_page (window, pages[i].name))));
      shot = bfk_test_ui_screenshot (GTK_WINDOW (window), name);
      g_assert_true (g_file_test (shot, G_FILE_TEST_EXISTS));
    }
  g_assert_false (bfk_window_show_page (window, "no-such-page"));

  /* A narrow window folds the sidebar away. */
  gtk_window_set_default_size (GTK_WINDOW (window), 400, 700);
  bfk_test_ui_spin (600);
  {
    g_autofree gchar *shot = bfk_test_ui_screenshot (GTK_WINDOW (window), "window-narrow");
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_starting_and_failure (void)
{
  g_autoptr(GtkApplication) app = gtk_application_new ("org.bafoka.Console.Test2", G_APPLICATION_NON_UNIQUE);
  BfkWindow *window;
  GtkWidget *retry;

  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  window = bfk_window_new (app, NULL);
  gtk_window_present (GTK_WINDOW (window));
  bfk_window_show_starting (window);
  bfk_test_ui_spin (300);
  {
    g_autofree gchar *shot = bfk_test_ui_screenshot (GTK_WINDOW (window), "window-starting");
  }
  {
    g_autoptr(GError) down = g_error_new_literal (BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_TRANSPORT,
                                                  "The node at http://127.0.0.1:1 does not answer");
    g_autoptr(GError) odd = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "Something else");
    g_autofree gchar *text = bfk_error_text_explain (down);
    g_autofree gchar *plain = bfk_error_text_explain (odd);

    /* Advice first, in the console's language, and the backend's detail. */
    g_assert_nonnull (bfk_error_text_advice (down));
    g_assert_true (g_str_has_prefix (text, bfk_error_text_advice (down)));
    g_assert_nonnull (strstr (text, down->message));
    g_assert_null (bfk_error_text_advice (odd));
    g_assert_cmpstr (plain, ==, "Something else");
    bfk_window_show_failure (window, text);
  }
  retry = bfk_test_ui_find (GTK_WIDGET (window), GTK_TYPE_BUTTON, "retry_button");
  g_assert_nonnull (retry);
  bfk_test_ui_spin (300);
  g_assert_true (gtk_widget_get_visible (retry));
  {
    g_autofree gchar *shot = bfk_test_ui_screenshot (GTK_WINDOW (window), "window-failure");
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_shortcuts_window (void)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource ("/org/bafoka/Console/gtk/help-overlay.ui");
  GObject *overlay = gtk_builder_get_object (builder, "help_overlay");

  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (overlay));
  gtk_window_destroy (GTK_WINDOW (overlay));
}

int
main (int argc, char **argv)
{
  int status;

  bfk_test_ui_init (&argc, &argv);
  g_test_add_func ("/ui/window/starting-and-failure", test_starting_and_failure);
  g_test_add_func ("/ui/window/shortcuts", test_shortcuts_window);
  g_test_add_func ("/ui/window/every-page", test_every_page);
  ui = bfk_test_ui_new (NULL);
  seed ();
  status = g_test_run ();
  bfk_test_ui_free (ui);
  return status;
}
