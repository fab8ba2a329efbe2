/* bfk-window.c: the sidebar, the pages, the header's status and the toasts;
 * the window's size and last page are remembered in GSettings. */
#include <glib/gi18n.h>

#include "bfk-inbox-page.h"
#include "bfk-pages.h"
#include "bfk-recharge-dialog.h"
#include "bfk-settings.h"
#include "bfk-status-area.h"
#include "bfk-window.h"

struct _BfkWindow
{
  AdwApplicationWindow  parent_instance;

  BfkSession           *session;
  GSettings            *settings;   /* NULL when the schema is not installed */

  AdwToastOverlay      *toasts;
  GtkStack             *phases;
  AdwStatusPage        *starting_page;
  GtkSpinner           *starting_spinner;
  GtkWidget            *retry_button;
  GtkWidget            *preferences_button;
  AdwLeaflet           *leaflet;
  GtkWidget            *content;
  GtkListBox           *page_list;
  AdwWindowTitle       *page_title;
  BfkStatusArea        *status_area;
  GtkStack             *pages;
};

G_DEFINE_FINAL_TYPE (BfkWindow, bfk_window, ADW_TYPE_APPLICATION_WINDOW)

static GtkWidget *
sidebar_row (const BfkPageInfo *info)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *label = gtk_label_new (_(info->title));

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name (info->icon_name));
  gtk_box_append (GTK_BOX (box), label);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_widget_set_name (row, info->name);
  return row;
}

static void
on_row_activated (BfkWindow     *self,
                  GtkListBoxRow *row)
{
  bfk_window_show_page (self, gtk_widget_get_name (GTK_WIDGET (row)));
}

static void
add_pages (BfkWindow *self)
{
  guint n;
  const BfkPageInfo *infos = bfk_pages_get (&n);

  for (guint i = 0; i < n; i++)
    {
      GtkWidget *page = g_object_new (infos[i].get_type (), "session", self->session, NULL);
      GtkStackPage *stack_page = gtk_stack_add_titled (self->pages, page, infos[i].name,
                                                       _(infos[i].title));

      gtk_stack_page_set_icon_name (stack_page, infos[i].icon_name);
      gtk_list_box_append (self->page_list, sidebar_row (&infos[i]));
    }
}

gboolean
bfk_window_show_page (BfkWindow   *self,
                      const gchar *name)
{
  GtkWidget *page;
  guint n;
  const BfkPageInfo *infos = bfk_pages_get (&n);

  g_return_val_if_fail (BFK_IS_WINDOW (self), FALSE);

  page = gtk_stack_get_child_by_name (self->pages, name);
  if (!page)
    return FALSE;
  gtk_stack_set_visible_child (self->pages, page);
  for (guint i = 0; i < n; i++)
    if (g_str_equal (infos[i].name, name))
      {
        gtk_list_box_select_row (self->page_list, gtk_list_box_get_row_at_index (self->page_list, i));
        adw_window_title_set_title (self->page_title, _(infos[i].title));
      }
  adw_leaflet_set_visible_child (self->leaflet, self->content);
  if (self->settings)
    g_settings_set_string (self->settings, "last-page", name);
  return TRUE;
}

BfkPage *
bfk_window_get_page (BfkWindow   *self,
                     const gchar *name)
{
  g_return_val_if_fail (BFK_IS_WINDOW (self), NULL);
  return BFK_PAGE (gtk_stack_get_child_by_name (self->pages, name));
}

void
bfk_window_add_toast (BfkWindow   *self,
                      const gchar *text)
{
  g_return_if_fail (BFK_IS_WINDOW (self));
  adw_toast_overlay_add_toast (self->toasts, adw_toast_new (text));
}

void
bfk_window_show_starting (BfkWindow *self)
{
  adw_status_page_set_title (self->starting_page, _("Starting…"));
  adw_status_page_set_description (self->starting_page,
                                   _("Connecting to the network and opening the data."));
  adw_status_page_set_icon_name (self->starting_page, "org.bafoka.Console-symbolic");
  gtk_spinner_set_spinning (self->starting_spinner, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->starting_spinner), TRUE);
  gtk_widget_set_visible (self->retry_button, FALSE);
  gtk_widget_set_visible (self->preferences_button, FALSE);
  gtk_stack_set_visible_child_name (self->phases, "starting");
}

void
bfk_window_show_failure (BfkWindow   *self,
                         const gchar *message)
{
  adw_status_page_set_title (self->starting_page, _("The Console Could Not Start"));
  adw_status_page_set_description (self->starting_page, message);
  adw_status_page_set_icon_name (self->starting_page, "dialog-warning-symbolic");
  gtk_spinner_set_spinning (self->starting_spinner, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->starting_spinner), FALSE);
  gtk_widget_set_visible (self->retry_button, TRUE);
  gtk_widget_set_visible (self->preferences_button, TRUE);
  gtk_stack_set_visible_child_name (self->phases, "starting");
}

void
bfk_window_show_pages (BfkWindow *self)
{
  g_autofree gchar *last = self->settings ? g_settings_get_string (self->settings, "last-page") : NULL;
  guint n;
  const BfkPageInfo *infos = bfk_pages_get (&n);

  gtk_spinner_set_spinning (self->starting_spinner, FALSE);
  gtk_stack_set_visible_child_name (self->phases, "running");
  if (!(last && bfk_window_show_page (self, last)) && n > 0)
    bfk_window_show_page (self, infos[0].name);
}

static void
show_page_action (GtkWidget   *widget,
                  const gchar *action_name,
                  GVariant    *parameter)
{
  bfk_window_show_page (BFK_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

/* Any page may open a member's conversation in the inbox: the parameter is
 * the member's phone. */
static void
open_conversation_action (GtkWidget   *widget,
                          const gchar *action_name,
                          GVariant    *parameter)
{
  BfkWindow *self = BFK_WINDOW (widget);
  BfkPage *inbox = bfk_window_get_page (self, "inbox");

  if (!inbox || !bfk_window_show_page (self, "inbox"))
    return;
  bfk_inbox_page_open_conversation (BFK_INBOX_PAGE (inbox), g_variant_get_string (parameter, NULL));
}

/* Any page may offer a recharge: the parameter is the member's phone
 * number, or "" to choose the member in the dialog. */
static void
recharge_action (GtkWidget   *widget,
                 const gchar *action_name,
                 GVariant    *parameter)
{
  BfkWindow *self = BFK_WINDOW (widget);
  const gchar *phone = g_variant_get_string (parameter, NULL);

  if (self->session && bfk_session_get_ready (self->session))
    bfk_recharge_dialog_present (widget, self->session, *phone ? phone : NULL);
}

static void
show_sidebar_action (GtkWidget   *widget,
                     const gchar *action_name,
                     GVariant    *parameter)
{
  BfkWindow *self = BFK_WINDOW (widget);

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

/* A folded window has no room for the whole status. */
static void
on_folded (BfkWindow *self)
{
  bfk_status_area_set_compact (self->status_area, adw_leaflet_get_folded (self->leaflet));
}

static void
on_toast (BfkWindow   *self,
          const gchar *text)
{
  bfk_window_add_toast (self, text);
}

/* However the window goes (closed, Ctrl+Q, a signal, a restart), its size
 * is remembered. */
static void
bfk_window_unrealize (GtkWidget *widget)
{
  BfkWindow *self = BFK_WINDOW (widget);

  bfk_settings_save_window (self->settings, GTK_WINDOW (widget));
  GTK_WIDGET_CLASS (bfk_window_parent_class)->unrealize (widget);
}

BfkWindow *
bfk_window_new (GtkApplication *application,
                BfkSession     *session)
{
  BfkWindow *self = g_object_new (BFK_TYPE_WINDOW, "application", application, NULL);

  /* Without a session (no configuration) the window only says why. */
  if (session)
    {
      self->session = g_object_ref (session);
      bfk_status_area_set_session (self->status_area, session);
      g_signal_connect_object (session, "toast", G_CALLBACK (on_toast), self, G_CONNECT_SWAPPED);
      add_pages (self);
    }
  bfk_settings_restore_window (self->settings, GTK_WINDOW (self));
  return self;
}

static void
bfk_window_dispose (GObject *object)
{
  BfkWindow *self = BFK_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), BFK_TYPE_WINDOW);
  g_clear_object (&self->session);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (bfk_window_parent_class)->dispose (object);
}

static void
bfk_window_class_init (BfkWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bfk_window_dispose;
  widget_class->unrealize = bfk_window_unrealize;

  g_type_ensure (BFK_TYPE_STATUS_AREA);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/bafoka/Console/bfk-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BfkWindow, toasts);
  gtk_widget_class_bind_template_child (widget_class, BfkWindow, phases);
  gtk_widget_class_bind_template_child (widget_class, BfkWindow, starting_page);
  gtk_widget_class_bind_template_child (widget_class, BfkWindow, starting_spinner);
  gtk_widget_class_bind_template_child (widget_class, BfkWindow, retry_button);
  gtk_widget_class_bind_template_child (widget_class, BfkWindow, preferences_button);
  gtk_widget_class_bind_template_child (widget_class, BfkWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, BfkWindow, content);
  gtk_widget_class_bind_template_child (widget_class, BfkWindow, page_list);
  gtk_widget_class_bind_template_child (widget_class, BfkWindow, page_title);
  gtk_widget_class_bind_template_child (widget_class, BfkWindow, status_area);
  gtk_widget_class_bind_template_child (widget_class, BfkWindow, pages);

  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_action);
  gtk_widget_class_install_action (widget_class, "win.show-sidebar", NULL, show_sidebar_action);
  gtk_widget_class_install_action (widget_class, "win.recharge", "s", recharge_action);
  gtk_widget_class_install_action (widget_class, "win.open-conversation", "s", open_conversation_action);
}

static void
bfk_window_init (BfkWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->settings = bfk_settings_new ();
  g_signal_connect_swapped (self->leaflet, "notify::folded", G_CALLBACK (on_folded), self);
  g_signal_connect_swapped (self->page_list, "row-activated", G_CALLBACK (on_row_activated), self);
}
