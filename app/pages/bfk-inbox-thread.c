/* bfk-inbox-thread.c: the messages of one conversation, as bubbles. */
#include <glib/gi18n.h>

#include "bfk-inbox-thread.h"
#include "bfk-message-bubble.h"
#include "bfk-messages.h"

/* How many of the newest messages a thread shows. */
#define THREAD_LIMIT 200
/* How close to the bottom, in pixels, still counts as reading the newest. */
#define BOTTOM_SLACK 32

struct _BfkInboxThread
{
  AdwBin          parent_instance;

  GtkListBox     *list;
  GtkAdjustment  *vadjustment;
  gchar          *phone;
  GHashTable     *bubbles;   /* message id → its BfkMessageBubble (the list holds it) */
  gboolean        follow;    /* the reader is at the bottom */
};

G_DEFINE_TYPE (BfkInboxThread, bfk_inbox_thread, ADW_TYPE_BIN)

static void
bfk_inbox_thread_finalize (GObject *object)
{
  BfkInboxThread *self = BFK_INBOX_THREAD (object);

  g_free (self->phone);
  g_hash_table_unref (self->bubbles);
  G_OBJECT_CLASS (bfk_inbox_thread_parent_class)->finalize (object);
}

static void
bfk_inbox_thread_class_init (BfkInboxThreadClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bfk_inbox_thread_finalize;
}

static void
scroll_to_bottom (BfkInboxThread *self)
{
  gtk_adjustment_set_value (self->vadjustment,
                            gtk_adjustment_get_upper (self->vadjustment)
                            - gtk_adjustment_get_page_size (self->vadjustment));
}

static void
on_value_changed (BfkInboxThread *self)
{
  GtkAdjustment *adj = self->vadjustment;

  self->follow = gtk_adjustment_get_value (adj) + gtk_adjustment_get_page_size (adj)
                 >= gtk_adjustment_get_upper (adj) - BOTTOM_SLACK;
}

/* The content grew (new bubbles, once laid out) or the view changed size. */
static void
on_adjustment_changed (BfkInboxThread *self)
{
  if (self->follow)
    scroll_to_bottom (self);
}

static void
bfk_inbox_thread_init (BfkInboxThread *self)
{
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *placeholder = gtk_label_new (_("No messages with this number yet."));

  self->bubbles = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->follow = TRUE;

  self->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->list), "inbox-thread");
  gtk_widget_set_valign (GTK_WIDGET (self->list), GTK_ALIGN_END);
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_widget_set_margin_top (placeholder, 24);
  gtk_widget_set_margin_bottom (placeholder, 24);
  gtk_list_box_set_placeholder (self->list, placeholder);

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (self->list));
  self->vadjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  g_signal_connect_object (self->vadjustment, "value-changed", G_CALLBACK (on_value_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->vadjustment, "changed", G_CALLBACK (on_adjustment_changed), self,
                           G_CONNECT_SWAPPED);
  adw_bin_set_child (ADW_BIN (self), scroller);
}

GtkWidget *
bfk_inbox_thread_new (void)
{
  return g_object_new (BFK_TYPE_INBOX_THREAD, NULL);
}

static void
clear (BfkInboxThread *self)
{
  GtkListBoxRow *row;

  g_hash_table_remove_all (self->bubbles);
  while ((row = gtk_list_box_get_row_at_index (self->list, 0)))
    gtk_list_box_remove (self->list, GTK_WIDGET (row));
  self->follow = TRUE;
}

/* The ids of the chain's notices among the messages with phone: the
 * message struct does not carry its notice key. */
static GHashTable *
notice_ids (BfkStore     *store,
            const gchar  *phone,
            GError      **error)
{
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  sqlite3_stmt *stmt = bfk_store_prepare (store,
                                          "SELECT id FROM messages WHERE phone = ?1 "
                                          "AND notice_key IS NOT NULL ORDER BY id DESC LIMIT ?2",
                                          error);
  gint rc;

  if (!stmt)
    return NULL;
  sqlite3_bind_text (stmt, 1, phone, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, THREAD_LIMIT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 *id = g_new (gint64, 1);

      *id = sqlite3_column_int64 (stmt, 0);
      g_hash_table_add (ids, id);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      bfk_store_set_error (store, error, "reading the notices of a thread");
      return NULL;
    }
  return g_steal_pointer (&ids);
}

static BfkBubbleKind
kind_of (const BfkMessage *message,
         GHashTable       *notices)
{
  if (message->direction == BFK_MESSAGE_IN)
    return BFK_BUBBLE_INBOUND;
  if (g_hash_table_contains (notices, &message->id))
    return BFK_BUBBLE_NOTICE;
  /* The bot's answers leave in the webhook's TwiML: recorded as sent at
   * once, without a sid of their own.  What the console queues gets a sid
   * from Twilio, or is still queued, failed or kept. */
  if (message->status == BFK_MESSAGE_SENT && !message->twilio_sid && message->attempts == 0)
    return BFK_BUBBLE_BOT;
  return BFK_BUBBLE_STAFF;
}

gboolean
bfk_inbox_thread_show (BfkInboxThread  *self,
                       BfkStore        *store,
                       const gchar     *phone,
                       GError         **error)
{
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GHashTable) notices = NULL;

  g_return_val_if_fail (BFK_IS_INBOX_THREAD (self), FALSE);

  if (g_strcmp0 (phone, self->phone) != 0)
    {
      clear (self);
      g_free (self->phone);
      self->phone = g_strdup (phone);
    }
  if (!phone)
    return TRUE;

  messages = bfk_messages_list_thread (store, phone, THREAD_LIMIT, 0, error);
  if (!messages)
    return FALSE;
  notices = notice_ids (store, phone, error);
  if (!notices)
    return FALSE;

  /* Newest first: walk back, so that new ones are appended in order. */
  for (guint i = messages->len; i > 0; i--)
    {
      BfkMessage *message = g_ptr_array_index (messages, i - 1);
      GtkWidget *bubble = g_hash_table_lookup (self->bubbles, &message->id);

      if (bubble)
        {
          bfk_message_bubble_update (BFK_MESSAGE_BUBBLE (bubble), message);
          continue;
        }
      bubble = bfk_message_bubble_new (message, kind_of (message, notices));
      gtk_list_box_append (self->list, bubble);
      g_hash_table_insert (self->bubbles, g_memdup2 (&message->id, sizeof message->id), bubble);
    }
  return TRUE;
}

GtkWidget *
bfk_inbox_thread_get_bubble (BfkInboxThread *self,
                             gint64          message_id)
{
  g_return_val_if_fail (BFK_IS_INBOX_THREAD (self), NULL);
  return g_hash_table_lookup (self->bubbles, &message_id);
}
