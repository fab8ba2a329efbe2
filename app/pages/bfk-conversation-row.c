/* bfk-conversation-row.c: one conversation in the inbox's list. */
#include <glib/gi18n.h>

#include <adwaita.h>

#include "bfk-conversation-row.h"
#include "bfk-format.h"

struct _BfkConversationRow
{
  GtkListBoxRow  parent_instance;

  gchar         *phone;
  AdwAvatar     *avatar;
  GtkLabel      *name;
  GtkLabel      *time;
  GtkLabel      *preview;
  GtkLabel      *unread;
  GtkWidget     *needs_agent;
  GtkWidget     *taken_over;
};

G_DEFINE_TYPE (BfkConversationRow, bfk_conversation_row, GTK_TYPE_LIST_BOX_ROW)

static void
bfk_conversation_row_finalize (GObject *object)
{
  g_free (BFK_CONVERSATION_ROW (object)->phone);
  G_OBJECT_CLASS (bfk_conversation_row_parent_class)->finalize (object);
}

static void
bfk_conversation_row_class_init (BfkConversationRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bfk_conversation_row_finalize;
}

static GtkLabel *
small_label (const gchar *css_class,
             gfloat       xalign)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), xalign);
  gtk_widget_add_css_class (label, css_class);
  return GTK_LABEL (label);
}

/* The layout: the avatar, then two lines: the name, the marks and the
 * time; the last message and the unread count. */
static void
bfk_conversation_row_init (BfkConversationRow *self)
{
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *marks = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);

  gtk_grid_set_column_spacing (GTK_GRID (grid), 8);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 2);
  gtk_widget_set_margin_top (grid, 8);
  gtk_widget_set_margin_bottom (grid, 8);
  gtk_widget_set_margin_start (grid, 8);
  gtk_widget_set_margin_end (grid, 8);

  self->avatar = ADW_AVATAR (adw_avatar_new (36, NULL, TRUE));
  gtk_widget_set_valign (GTK_WIDGET (self->avatar), GTK_ALIGN_CENTER);
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (self->avatar), 0, 0, 1, 2);

  self->name = small_label ("heading", 0);
  gtk_label_set_ellipsize (self->name, PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (GTK_WIDGET (self->name), TRUE);
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (self->name), 1, 0, 1, 1);

  self->needs_agent = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
  gtk_widget_set_name (self->needs_agent, "needs_agent_flag");
  gtk_widget_add_css_class (self->needs_agent, "inbox-needs-agent");
  gtk_widget_set_tooltip_text (self->needs_agent, _("The member asked to talk to a person"));
  gtk_box_append (GTK_BOX (marks), self->needs_agent);
  self->taken_over = gtk_image_new_from_icon_name ("avatar-default-symbolic");
  gtk_widget_set_name (self->taken_over, "taken_over_mark");
  gtk_widget_add_css_class (self->taken_over, "dim-label");
  gtk_box_append (GTK_BOX (marks), self->taken_over);
  self->time = small_label ("caption", 1);
  gtk_widget_add_css_class (GTK_WIDGET (self->time), "dim-label");
  gtk_box_append (GTK_BOX (marks), GTK_WIDGET (self->time));
  gtk_grid_attach (GTK_GRID (grid), marks, 2, 0, 1, 1);

  self->preview = small_label ("dim-label", 0);
  gtk_label_set_ellipsize (self->preview, PANGO_ELLIPSIZE_END);
  gtk_label_set_single_line_mode (self->preview, TRUE);
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (self->preview), 1, 1, 1, 1);

  self->unread = small_label ("inbox-unread-badge", 0.5);
  gtk_widget_set_name (GTK_WIDGET (self->unread), "unread_badge");
  gtk_widget_set_halign (GTK_WIDGET (self->unread), GTK_ALIGN_END);
  gtk_widget_set_valign (GTK_WIDGET (self->unread), GTK_ALIGN_CENTER);
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (self->unread), 2, 1, 1, 1);

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (self), grid);
}

GtkWidget *
bfk_conversation_row_new (const BfkConversation *conv)
{
  BfkConversationRow *self = g_object_new (BFK_TYPE_CONVERSATION_ROW, NULL);

  bfk_conversation_row_update (self, conv);
  return GTK_WIDGET (self);
}

void
bfk_conversation_row_update (BfkConversationRow    *self,
                             const BfkConversation *conv)
{
  g_autofree gchar *masked = bfk_format_phone_masked (conv->phone);
  g_autofree gchar *when = bfk_format_time_ago (conv->last_activity_at);
  g_autofree gchar *count = g_strdup_printf ("%u", conv->unread);
  const gchar *who = conv->member_name ? conv->member_name : masked;

  g_return_if_fail (BFK_IS_CONVERSATION_ROW (self));

  g_free (self->phone);
  self->phone = g_strdup (conv->phone);
  gtk_label_set_label (self->name, who);
  /* A newcomer has no name yet: the avatar shows a plain silhouette. */
  adw_avatar_set_text (self->avatar, conv->member_name);
  gtk_label_set_label (self->time, when);
  gtk_label_set_label (self->preview, conv->last_body ? conv->last_body : "");
  gtk_label_set_label (self->unread, count);
  gtk_widget_set_visible (GTK_WIDGET (self->unread), conv->unread > 0);
  /* Once a person has taken over, the call for one is answered. */
  gtk_widget_set_visible (self->needs_agent, conv->needs_agent && !conv->taken_over_by);
  gtk_widget_set_visible (self->taken_over, conv->taken_over_by != NULL);
  if (conv->taken_over_by)
    {
      g_autofree gchar *tip = g_strdup_printf (_("Taken over by %s: the bot only answers commands"),
                                               conv->taken_over_by);

      gtk_widget_set_tooltip_text (self->taken_over, tip);
    }
  if (conv->unread > 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->name), "inbox-unread");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->name), "inbox-unread");
}

const gchar *
bfk_conversation_row_get_phone (BfkConversationRow *self)
{
  g_return_val_if_fail (BFK_IS_CONVERSATION_ROW (self), NULL);
  return self->phone;
}
