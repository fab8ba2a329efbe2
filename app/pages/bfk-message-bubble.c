/* bfk-message-bubble.c: one WhatsApp message in the inbox's thread. */
#include <glib/gi18n.h>

#include "bfk-message-bubble.h"
#include "bfk-format.h"
#include "bfk-twilio-errors.h"

struct _BfkMessageBubble
{
  GtkListBoxRow  parent_instance;

  gint64         id;
  BfkBubbleKind  kind;
  GtkLabel      *body;
  GtkLabel      *meta;
  GtkLabel      *ticks;
};

G_DEFINE_TYPE (BfkMessageBubble, bfk_message_bubble, GTK_TYPE_LIST_BOX_ROW)

static void
bfk_message_bubble_class_init (BfkMessageBubbleClass *klass)
{
}

static void
bfk_message_bubble_init (BfkMessageBubble *self)
{
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self), FALSE);
  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (self), FALSE);
  gtk_widget_set_focusable (GTK_WIDGET (self), FALSE);
}

/* "14:05" today, the date too before. */
static gchar *
format_time (gint64 unix_time)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (unix_time);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  if (g_date_time_get_year (dt) == g_date_time_get_year (now)
      && g_date_time_get_day_of_year (dt) == g_date_time_get_day_of_year (now))
    /* Translators: the time of a message sent today, strftime format */
    return g_date_time_format (dt, _("%H:%M"));
  return bfk_format_date_time (unix_time);
}

static const gchar *
kind_word (BfkBubbleKind kind)
{
  switch (kind)
    {
    case BFK_BUBBLE_BOT:
      return _("Bot");
    case BFK_BUBBLE_NOTICE:
      return _("Notice");
    case BFK_BUBBLE_STAFF:
      return _("Support");
    case BFK_BUBBLE_INBOUND:
    default:
      return NULL;
    }
}

GtkWidget *
bfk_message_bubble_new (const BfkMessage *message,
                        BfkBubbleKind     kind)
{
  BfkMessageBubble *self = g_object_new (BFK_TYPE_MESSAGE_BUBBLE, NULL);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *footer = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gboolean inbound = kind == BFK_BUBBLE_INBOUND;

  self->id = message->id;
  self->kind = kind;

  gtk_widget_add_css_class (box, "bubble");
  gtk_widget_add_css_class (box, inbound ? "inbound" : "outbound");
  if (kind == BFK_BUBBLE_BOT)
    gtk_widget_add_css_class (box, "bot");
  else if (kind == BFK_BUBBLE_NOTICE)
    gtk_widget_add_css_class (box, "notice");
  gtk_widget_set_halign (box, inbound ? GTK_ALIGN_START : GTK_ALIGN_END);
  /* Leave room on the other side, so that who wrote shows at a glance. */
  gtk_widget_set_margin_start (box, inbound ? 12 : 72);
  gtk_widget_set_margin_end (box, inbound ? 72 : 12);
  gtk_widget_set_margin_top (box, 3);
  gtk_widget_set_margin_bottom (box, 3);

  self->body = GTK_LABEL (gtk_label_new (message->body));
  gtk_label_set_wrap (self->body, TRUE);
  gtk_label_set_wrap_mode (self->body, PANGO_WRAP_WORD_CHAR);
  gtk_label_set_max_width_chars (self->body, 60);
  gtk_label_set_xalign (self->body, 0);
  gtk_label_set_selectable (self->body, TRUE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->body));

  self->meta = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->meta), "caption");
  gtk_widget_add_css_class (GTK_WIDGET (self->meta), "dim-label");
  gtk_box_append (GTK_BOX (footer), GTK_WIDGET (self->meta));
  self->ticks = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->ticks), "caption");
  gtk_widget_add_css_class (GTK_WIDGET (self->ticks), "ticks");
  gtk_widget_set_visible (GTK_WIDGET (self->ticks), !inbound);
  gtk_box_append (GTK_BOX (footer), GTK_WIDGET (self->ticks));
  gtk_widget_set_halign (footer, GTK_ALIGN_END);
  gtk_box_append (GTK_BOX (box), footer);

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (self), box);
  bfk_message_bubble_update (self, message);
  return GTK_WIDGET (self);
}

/* Why a message did not go, in words: what Twilio said, or its code. */
static gchar *
failure_reason (const BfkMessage *message)
{
  if (message->error_reason && *message->error_reason)
    return g_strdup (message->error_reason);
  if (message->error_code != 0)
    return bfk_twilio_error_reason (message->error_code);
  return g_strdup (_("WhatsApp did not say why."));
}

void
bfk_message_bubble_update (BfkMessageBubble *self,
                           const BfkMessage *message)
{
  g_autofree gchar *time = format_time (message->created_at);
  g_autofree gchar *meta = NULL;
  g_autofree gchar *tip = NULL;
  const gchar *word = kind_word (self->kind);
  const gchar *ticks = "";
  gboolean read = FALSE, failed = FALSE;

  g_return_if_fail (BFK_IS_MESSAGE_BUBBLE (self));

  meta = word ? g_strdup_printf ("%s · %s", word, time) : g_strdup (time);
  gtk_label_set_label (self->meta, meta);
  if (self->kind == BFK_BUBBLE_INBOUND)
    return;

  switch (message->status)
    {
    case BFK_MESSAGE_QUEUED:
      ticks = "✓";
      if (message->attempts > 0)
        {
          g_autofree gchar *why = failure_reason (message);

          tip = g_strdup_printf (_("Waiting to be sent again: %s"), why);
        }
      else
        tip = g_strdup (_("Waiting to be sent"));
      break;
    case BFK_MESSAGE_SENDING:
    case BFK_MESSAGE_SENT:
      ticks = "✓";
      tip = g_strdup (_("Sent"));
      break;
    case BFK_MESSAGE_DELIVERED:
      ticks = "✓✓";
      tip = g_strdup (_("Delivered"));
      break;
    case BFK_MESSAGE_READ:
      ticks = "✓✓";
      tip = g_strdup (_("Read"));
      read = TRUE;
      break;
    case BFK_MESSAGE_FAILED:
    case BFK_MESSAGE_UNDELIVERED:
      {
        g_autofree gchar *why = failure_reason (message);

        ticks = "✗";
        tip = g_strdup_printf (_("Not delivered: %s"), why);
        failed = TRUE;
      }
      break;
    case BFK_MESSAGE_NOT_SENT:
      ticks = _("kept, not sent");
      tip = g_strdup (_("No Twilio account is configured: the message was kept here and not sent."));
      break;
    case BFK_MESSAGE_RECEIVED:
    default:
      break;
    }
  gtk_label_set_label (self->ticks, ticks);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->ticks), tip);
  if (read)
    gtk_widget_add_css_class (GTK_WIDGET (self->ticks), "read");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->ticks), "read");
  if (failed)
    gtk_widget_add_css_class (GTK_WIDGET (self->ticks), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->ticks), "error");
}

gint64
bfk_message_bubble_get_id (BfkMessageBubble *self)
{
  g_return_val_if_fail (BFK_IS_MESSAGE_BUBBLE (self), 0);
  return self->id;
}

const gchar *
bfk_message_bubble_get_ticks (BfkMessageBubble *self)
{
  g_return_val_if_fail (BFK_IS_MESSAGE_BUBBLE (self), NULL);
  return gtk_label_get_label (self->ticks);
}
