/* bfk-simulator-page.c: a phone that writes to the bot through the real
 * webhook. */
#include <glib/gi18n.h>

#include "bfk-members.h"
#include "bfk-message-bubble.h"
#include "bfk-messages.h"
#include "bfk-sim-client.h"
#include "bfk-simulator-page.h"

#define THREAD_LIMIT 200

/* What the page shows before the store has it: the message being sent,
 * and the replies read from the TwiML until the thread is read again. */
typedef struct
{
  gchar         *body;
  BfkBubbleKind  kind;
  gint64         after_id;   /* the newest message of the thread when it was added */
  gboolean       failed;
} Pending;

struct _BfkSimulatorPage
{
  BfkPage        parent_instance;

  GtkEntry      *phone_entry;
  GtkLabel      *notice_label;
  GtkStack      *thread_stack;
  GtkScrolledWindow *scroller;
  GtkListBox    *thread;
  GtkBox        *chips;
  GtkEntry      *message_entry;

  SoupSession   *soup;
  GCancellable  *cancellable;
  GPtrArray     *pending;     /* Pending, oldest first */
  gint64         newest_id;   /* of the thread as last read */
  gchar         *shown;       /* what the thread shows, to rebuild only when it changed */
};

G_DEFINE_FINAL_TYPE (BfkSimulatorPage, bfk_simulator_page, BFK_TYPE_PAGE)

/* The command words are the bot's interface: the same in every language. */
static const gchar *const chip_words[] = {
  "BONJOUR", "AIDE", "SOLDE", "RECHERCHER", "OFFRIR", "PROPOSER", "PROFIL", "COMMUNAUTE", "AGENT",
};

static void
pending_free (gpointer data)
{
  Pending *p = data;

  g_free (p->body);
  g_free (p);
}

gchar *
bfk_simulator_page_get_phone (BfkSimulatorPage *self)
{
  g_return_val_if_fail (BFK_IS_SIMULATOR_PAGE (self), NULL);
  return bfk_phone_normalize (gtk_editable_get_text (GTK_EDITABLE (self->phone_entry)), NULL);
}

/* --- the thread ------------------------------------------------------------ */

/* Seen from the phone, the member's own messages are on the right: the
 * inbox's bubble is drawn the other way round. */
static GtkWidget *
phone_bubble (const BfkMessage *message,
              BfkBubbleKind     kind)
{
  GtkWidget *row = bfk_message_bubble_new (message, kind);
  GtkWidget *box = gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row));
  gboolean mine = kind == BFK_BUBBLE_INBOUND;

  gtk_widget_set_halign (box, mine ? GTK_ALIGN_END : GTK_ALIGN_START);
  gtk_widget_set_margin_start (box, mine ? 72 : 12);
  gtk_widget_set_margin_end (box, mine ? 12 : 72);
  if (mine)
    gtk_widget_add_css_class (box, "sim-mine");
  return row;
}

/* A reply that went out in the TwiML answer has no Twilio sid. */
static BfkBubbleKind
kind_of (const BfkMessage *m)
{
  if (m->direction == BFK_MESSAGE_IN)
    return BFK_BUBBLE_INBOUND;
  return m->twilio_sid == NULL && m->status == BFK_MESSAGE_SENT ? BFK_BUBBLE_BOT : BFK_BUBBLE_NOTICE;
}

/* Drops what the store now holds. */
static void
drop_stored_pending (BfkSimulatorPage *self,
                     GPtrArray        *messages)
{
  for (guint i = self->pending->len; i > 0; i--)
    {
      Pending *p = g_ptr_array_index (self->pending, i - 1);

      for (guint j = 0; j < messages->len; j++)
        {
          BfkMessage *m = g_ptr_array_index (messages, j);
          gboolean in = m->direction == BFK_MESSAGE_IN;

          if (m->id > p->after_id && in == (p->kind == BFK_BUBBLE_INBOUND) && g_strcmp0 (m->body, p->body) == 0)
            {
              g_ptr_array_remove_index (self->pending, i - 1);
              break;
            }
        }
    }
}

static void
clear_thread (BfkSimulatorPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->thread))))
    gtk_list_box_remove (self->thread, child);
}

static void
show_thread (BfkSimulatorPage *self,
             GPtrArray        *messages)
{
  g_autoptr(GString) key = g_string_new (NULL);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  for (guint i = 0; i < messages->len; i++)
    g_string_append_printf (key, "%" G_GINT64_FORMAT ",", ((BfkMessage *) g_ptr_array_index (messages, i))->id);
  for (guint i = 0; i < self->pending->len; i++)
    g_string_append_printf (key, "p%u%d,", i, ((Pending *) g_ptr_array_index (self->pending, i))->failed);

  if (g_strcmp0 (key->str, self->shown) == 0)
    {
      /* The same messages: only their ticks may have moved on. */
      for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->thread)); row;
           row = gtk_widget_get_next_sibling (row))
        {
          gint64 id = bfk_message_bubble_get_id (BFK_MESSAGE_BUBBLE (row));

          for (guint j = 0; id != 0 && j < messages->len; j++)
            if (((BfkMessage *) g_ptr_array_index (messages, j))->id == id)
              bfk_message_bubble_update (BFK_MESSAGE_BUBBLE (row), g_ptr_array_index (messages, j));
        }
      return;
    }
  g_free (self->shown);
  self->shown = g_strdup (key->str);

  clear_thread (self);
  /* The store gives the newest first; a chat reads downwards. */
  for (guint i = messages->len; i > 0; i--)
    {
      BfkMessage *m = g_ptr_array_index (messages, i - 1);

      gtk_list_box_append (self->thread, phone_bubble (m, kind_of (m)));
    }
  for (guint i = 0; i < self->pending->len; i++)
    {
      Pending *p = g_ptr_array_index (self->pending, i);
      BfkMessage m = { 0 };
      GtkWidget *row;

      m.body = p->body;
      m.direction = p->kind == BFK_BUBBLE_INBOUND ? BFK_MESSAGE_IN : BFK_MESSAGE_OUT;
      m.status = p->kind == BFK_BUBBLE_INBOUND ? BFK_MESSAGE_RECEIVED : BFK_MESSAGE_SENT;
      m.created_at = now;
      row = phone_bubble (&m, p->kind);
      if (p->failed)
        {
          gtk_widget_add_css_class (gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row)), "sim-failed");
          gtk_widget_set_tooltip_text (row, _("Not delivered to the bot: see the message at the top of the window"));
        }
      gtk_list_box_append (self->thread, row);
    }
  gtk_stack_set_visible_child_name (self->thread_stack,
                                    messages->len + self->pending->len > 0 ? "thread" : "empty");
}

static void
bfk_simulator_page_refresh (BfkPage *page)
{
  BfkSimulatorPage *self = BFK_SIMULATOR_PAGE (page);
  BfkStore *store = bfk_page_get_store (page);
  g_autofree gchar *phone = bfk_simulator_page_get_phone (self);
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GError) error = NULL;

  if (!store)
    return;
  if (phone)
    messages = bfk_messages_list_thread (store, phone, THREAD_LIMIT, 0, &error);
  if (!messages)
    {
      if (error)
        g_warning ("The simulator's thread: %s", error->message);
      messages = g_ptr_array_new ();
    }
  self->newest_id = messages->len ? ((BfkMessage *) g_ptr_array_index (messages, 0))->id : 0;
  drop_stored_pending (self, messages);
  show_thread (self, messages);
}

/* A chat keeps its newest message in view. */
static void
on_upper_changed (BfkSimulatorPage *self,
                  GParamSpec       *pspec,
                  GtkAdjustment    *adjustment)
{
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment)
                                        - gtk_adjustment_get_page_size (adjustment));
}

/* --- sending --------------------------------------------------------------- */

typedef struct
{
  BfkSimulatorPage *self;
  gchar            *phone;
  gchar            *body;
  gint64            after_id;
} Sending;

static void
sending_free (Sending *s)
{
  g_object_unref (s->self);
  g_free (s->phone);
  g_free (s->body);
  g_free (s);
}

static gboolean
showing_phone (BfkSimulatorPage *self,
               const gchar      *phone)
{
  g_autofree gchar *now = bfk_simulator_page_get_phone (self);

  return g_strcmp0 (now, phone) == 0;
}

static void
sent (GObject      *source,
      GAsyncResult *result,
      gpointer      user_data)
{
  Sending *s = user_data;
  BfkSimulatorPage *self = s->self;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) replies = bfk_sim_client_send_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || !showing_phone (self, s->phone))
    {
      sending_free (s);
      return;
    }
  if (!replies)
    {
      for (guint i = 0; i < self->pending->len; i++)
        {
          Pending *p = g_ptr_array_index (self->pending, i);

          if (p->kind == BFK_BUBBLE_INBOUND && g_str_equal (p->body, s->body))
            p->failed = TRUE;
        }
      gtk_label_set_label (self->notice_label, error->message);
      bfk_session_toast (bfk_page_get_session (BFK_PAGE (self)), _("The bot did not get the message: %s"),
                         error->message);
    }
  else
    for (guint i = 0; replies[i]; i++)
      {
        Pending *p = g_new0 (Pending, 1);

        p->body = g_strdup (replies[i]);
        p->kind = BFK_BUBBLE_BOT;
        p->after_id = s->after_id;
        g_ptr_array_add (self->pending, p);
      }
  /* The answer leaves only once stored: the thread has it now. */
  bfk_page_refresh (BFK_PAGE (self));
  sending_free (s);
}

static void
send_text (BfkSimulatorPage *self,
           const gchar      *text)
{
  BfkSession *session = bfk_page_get_session (BFK_PAGE (self));
  g_autofree gchar *body = g_strstrip (g_strdup (text));
  g_autofree gchar *phone = bfk_simulator_page_get_phone (self);
  Sending *s;
  Pending *p;

  if (!*body || !session || !bfk_session_get_ready (session))
    return;
  if (!phone)
    {
      bfk_session_toast (session, "%s", _("Type a phone number with its country code, such as +237 690 00 00 01"));
      return;
    }
  p = g_new0 (Pending, 1);
  p->body = g_strdup (body);
  p->kind = BFK_BUBBLE_INBOUND;
  p->after_id = self->newest_id;
  g_ptr_array_add (self->pending, p);

  s = g_new0 (Sending, 1);
  s->self = g_object_ref (self);
  s->phone = g_strdup (phone);
  s->body = g_strdup (body);
  s->after_id = self->newest_id;
  bfk_sim_client_send_async (self->soup, bfk_session_get_backend (session), phone, body,
                             self->cancellable, sent, s);
  bfk_page_refresh (BFK_PAGE (self));
}

static void
send_action (GtkWidget   *widget,
             const gchar *action_name,
             GVariant    *parameter)
{
  BfkSimulatorPage *self = BFK_SIMULATOR_PAGE (widget);
  g_autofree gchar *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->message_entry)));

  gtk_editable_set_text (GTK_EDITABLE (self->message_entry), "");
  send_text (self, text);
  gtk_widget_grab_focus (GTK_WIDGET (self->message_entry));
}

static void
on_message_activate (BfkSimulatorPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "simulator.send", NULL);
}

static void
on_chip_clicked (GtkButton        *chip,
                 BfkSimulatorPage *self)
{
  send_text (self, gtk_button_get_label (chip));
}

/* A Cameroonian mobile number (6 and eight digits) the bot has likely never seen. */
static void
new_number_action (GtkWidget   *widget,
                   const gchar *action_name,
                   GVariant    *parameter)
{
  BfkSimulatorPage *self = BFK_SIMULATOR_PAGE (widget);
  g_autofree gchar *number = g_strdup_printf ("+237 6%02d %02d %02d %02d", g_random_int_range (50, 100),
                                              g_random_int_range (0, 100), g_random_int_range (0, 100),
                                              g_random_int_range (0, 100));

  gtk_editable_set_text (GTK_EDITABLE (self->phone_entry), number);
}

static void
on_phone_changed (BfkSimulatorPage *self)
{
  /* Answers still coming belong to the number before. */
  g_ptr_array_set_size (self->pending, 0);
  g_clear_pointer (&self->shown, g_free);
  bfk_page_refresh (BFK_PAGE (self));
}

/* --- the page -------------------------------------------------------------- */

static void
update_notice (BfkSimulatorPage *self)
{
  BfkSession *session = bfk_page_get_session (BFK_PAGE (self));
  const BfkConfig *config = session ? bfk_session_get_config (session) : NULL;

  if (config && config->network != BFK_NETWORK_LOCAL && bfk_config_has_twilio (config))
    {
      g_autofree gchar *text =
        g_strdup_printf (_("For demonstrations and training. These messages reach the real bot on the %s "
                           "network: the members and exchanges they create are real, and later notices "
                           "are sent to this number over WhatsApp."),
                         bfk_network_to_string (config->network));

      gtk_label_set_label (self->notice_label, text);
      gtk_widget_remove_css_class (GTK_WIDGET (self->notice_label), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (self->notice_label), "warning");
    }
  else
    gtk_label_set_label (self->notice_label,
                         _("Messages go to the bot through this computer, as WhatsApp would deliver them. "
                           "Its answers, and the notices that follow, appear here."));
}

static void
bfk_simulator_page_constructed (GObject *object)
{
  BfkSimulatorPage *self = BFK_SIMULATOR_PAGE (object);

  G_OBJECT_CLASS (bfk_simulator_page_parent_class)->constructed (object);
  update_notice (self);
}

static void
bfk_simulator_page_dispose (GObject *object)
{
  BfkSimulatorPage *self = BFK_SIMULATOR_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), BFK_TYPE_SIMULATOR_PAGE);
  g_clear_object (&self->soup);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->pending, g_ptr_array_unref);
  g_clear_pointer (&self->shown, g_free);
  G_OBJECT_CLASS (bfk_simulator_page_parent_class)->dispose (object);
}

static void
bfk_simulator_page_class_init (BfkSimulatorPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  BfkPageClass *page_class = BFK_PAGE_CLASS (klass);

  object_class->constructed = bfk_simulator_page_constructed;
  object_class->dispose = bfk_simulator_page_dispose;
  page_class->refresh = bfk_simulator_page_refresh;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/bafoka/Console/pages/bfk-simulator-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BfkSimulatorPage, phone_entry);
  gtk_widget_class_bind_template_child (widget_class, BfkSimulatorPage, notice_label);
  gtk_widget_class_bind_template_child (widget_class, BfkSimulatorPage, thread_stack);
  gtk_widget_class_bind_template_child (widget_class, BfkSimulatorPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, BfkSimulatorPage, thread);
  gtk_widget_class_bind_template_child (widget_class, BfkSimulatorPage, chips);
  gtk_widget_class_bind_template_child (widget_class, BfkSimulatorPage, message_entry);
  gtk_widget_class_bind_template_callback (widget_class, on_phone_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_message_activate);
  gtk_widget_class_install_action (widget_class, "simulator.send", NULL, send_action);
  gtk_widget_class_install_action (widget_class, "simulator.new-number", NULL, new_number_action);
}

static void
bfk_simulator_page_init (BfkSimulatorPage *self)
{
  GtkAdjustment *vadjustment;

  self->soup = soup_session_new ();
  self->cancellable = g_cancellable_new ();
  self->pending = g_ptr_array_new_with_free_func (pending_free);
  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < G_N_ELEMENTS (chip_words); i++)
    {
      GtkWidget *chip = gtk_button_new_with_label (chip_words[i]);

      gtk_widget_add_css_class (chip, "sim-chip");
      gtk_widget_add_css_class (chip, "caption-heading");
      g_signal_connect (chip, "clicked", G_CALLBACK (on_chip_clicked), self);
      gtk_box_append (self->chips, chip);
    }
  vadjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  g_signal_connect_object (vadjustment, "notify::upper", G_CALLBACK (on_upper_changed), self, G_CONNECT_SWAPPED);
}
