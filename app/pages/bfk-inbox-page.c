/* bfk-inbox-page.c: the support inbox. */
#include <glib/gi18n.h>
#include <string.h>

#include "bfk-inbox-page.h"
#include "bfk-canned-replies.h"
#include "bfk-conversation-row.h"
#include "bfk-conversations.h"
#include "bfk-format.h"
#include "bfk-inbox-thread.h"
#include "bfk-member-panel.h"
#include "bfk-members.h"

/* Enough for a community's support; the newest activity comes first. */
#define LIST_LIMIT 500
/* How often the window's countdown is brought up to date. */
#define WINDOW_TICK_S 30

struct _BfkInboxPage
{
  BfkPage           parent_instance;

  GtkSearchEntry   *search_entry;
  GtkToggleButton  *filter_all;
  GtkToggleButton  *filter_unread;
  GtkToggleButton  *filter_agent;
  GtkStack         *list_stack;
  GtkListBox       *conversation_list;
  AdwStatusPage    *list_status;
  GtkStack         *thread_stack;
  GtkLabel         *thread_title;
  GtkLabel         *thread_subtitle;
  GtkWidget        *agent_label;
  GtkButton        *take_over_button;
  BfkInboxThread   *thread;
  GtkImage         *window_icon;
  GtkLabel         *window_label;
  GtkWidget        *canned_button;
  GtkTextView      *composer_view;
  BfkMemberPanel   *member_panel;

  gchar            *phone;        /* the open conversation, E.164 */
  BfkConversation  *conv;         /* as last read */
  gboolean          can_write;    /* the window is open, or a template is set */
  gboolean          sending;
  gboolean          marking;      /* a mark_read is on its way */
  guint             window_timer;
  GCancellable     *cancellable;
};

G_DEFINE_TYPE (BfkInboxPage, bfk_inbox_page, BFK_TYPE_PAGE)

static void refresh_conversation (BfkInboxPage *self);

/* --- the list of conversations ----------------------------------------------- */

static void
show_list_empty (BfkInboxPage *self,
                 gboolean      filtered)
{
  if (filtered)
    {
      adw_status_page_set_title (self->list_status, _("No Matching Conversations"));
      adw_status_page_set_description (self->list_status,
                                       _("No conversation matches this filter or search. Choose “All” "
                                         "or clear the search to see them all."));
    }
  else
    {
      adw_status_page_set_title (self->list_status, _("No Conversations Yet"));
      adw_status_page_set_description (self->list_status,
                                       _("When someone writes to your WhatsApp number, the conversation "
                                         "appears here."));
    }
  gtk_stack_set_visible_child_name (self->list_stack, "empty");
}

/* Rows are reused in place, so that the list neither flickers nor loses
 * its scroll position as messages come in. */
static void
refresh_list (BfkInboxPage *self)
{
  BfkStore *store = bfk_page_get_store (BFK_PAGE (self));
  g_autoptr(GPtrArray) convs = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree gchar *search = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry))));
  BfkConversationFilter filter = {
    .waiting_only = gtk_toggle_button_get_active (self->filter_agent),
    .unread_only = gtk_toggle_button_get_active (self->filter_unread),
    .text = search,
  };
  GtkListBoxRow *row;
  guint shown = 0;

  if (!store)
    return;
  convs = bfk_conversations_find (store, &filter, LIST_LIMIT, 0, &error);
  if (!convs)
    {
      g_warning ("Cannot read the conversations: %s", error->message);
      return;
    }
  for (guint i = 0; i < convs->len; i++)
    {
      BfkConversation *conv = g_ptr_array_index (convs, i);

      row = gtk_list_box_get_row_at_index (self->conversation_list, shown);
      if (row)
        bfk_conversation_row_update (BFK_CONVERSATION_ROW (row), conv);
      else
        gtk_list_box_append (self->conversation_list, bfk_conversation_row_new (conv));
      shown++;
    }
  while ((row = gtk_list_box_get_row_at_index (self->conversation_list, shown)))
    gtk_list_box_remove (self->conversation_list, GTK_WIDGET (row));

  /* The open conversation stays selected wherever it moved. */
  gtk_list_box_unselect_all (self->conversation_list);
  for (guint i = 0; self->phone && i < shown; i++)
    {
      row = gtk_list_box_get_row_at_index (self->conversation_list, i);
      if (g_strcmp0 (bfk_conversation_row_get_phone (BFK_CONVERSATION_ROW (row)), self->phone) == 0)
        {
          gtk_list_box_select_row (self->conversation_list, row);
          break;
        }
    }

  if (shown > 0)
    gtk_stack_set_visible_child_name (self->list_stack, "list");
  else
    show_list_empty (self, filter.waiting_only || filter.unread_only || *search);
}

static void
on_filter_toggled (BfkInboxPage    *self,
                   GtkToggleButton *button)
{
  /* Each change toggles two buttons: act once, on the one turned on. */
  if (gtk_toggle_button_get_active (button))
    refresh_list (self);
}

/* --- the 24-hour window and the composer ------------------------------------- */

static gchar *
composer_text (BfkInboxPage *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->composer_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
}

static void
update_send_enabled (BfkInboxPage *self)
{
  g_autofree gchar *text = composer_text (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "inbox.send",
                                 self->phone && self->can_write && !self->sending && *text);
}

static void
update_window (BfkInboxPage *self)
{
  BfkStore *store = bfk_page_get_store (BFK_PAGE (self));
  const BfkConfig *config = bfk_session_get_config (bfk_page_get_session (BFK_PAGE (self)));
  gboolean has_template = config->twilio_content_sid && *config->twilio_content_sid;
  g_autoptr(GError) error = NULL;
  gint64 left = 0;
  gboolean open;

  if (!store || !self->phone)
    return;
  open = bfk_conversations_window_open (store, self->phone, bfk_store_now (), &left, &error);
  if (open)
    {
      g_autofree gchar *duration = bfk_format_duration (left);
      g_autofree gchar *text = g_strdup_printf (_("Window open: %s left"), duration);

      gtk_image_set_from_icon_name (self->window_icon, "alarm-symbolic");
      gtk_label_set_label (self->window_label, text);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->window_label),
                                   _("WhatsApp allows free messages within 24 hours of the member's "
                                     "last message."));
    }
  else
    {
      gtk_image_set_from_icon_name (self->window_icon, "dialog-warning-symbolic");
      gtk_label_set_label (self->window_label,
                           has_template
                           ? _("More than 24 hours since the member's last message: WhatsApp will "
                               "get the configured template (TWILIO_CONTENT_SID) instead.")
                           : _("WhatsApp allows free messages only within 24 h of the member's last "
                               "message. Ask the member to write first, or configure a template "
                               "(TWILIO_CONTENT_SID)."));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->window_label), NULL);
    }
  if (open)
    gtk_widget_remove_css_class (GTK_WIDGET (self->window_label), "warning");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->window_label), "warning");
  if (error)
    g_warning ("Cannot read the WhatsApp window: %s", error->message);

  self->can_write = open || has_template;
  gtk_widget_set_sensitive (GTK_WIDGET (self->composer_view), self->can_write);
  gtk_widget_set_sensitive (self->canned_button, self->can_write);
  update_send_enabled (self);
}

static gboolean
window_tick (gpointer data)
{
  BfkInboxPage *self = data;

  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    update_window (self);
  return G_SOURCE_CONTINUE;
}

/* --- the open conversation ---------------------------------------------------- */

static void
on_marked_read (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(BfkInboxPage) self = user_data;
  g_autoptr(GError) error = NULL;

  self->marking = FALSE;
  /* Nothing to tell anyone: the count stays, and the next refresh tries again. */
  if (!bfk_backend_mark_read_finish (BFK_BACKEND (source), result, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("Cannot mark the conversation read: %s", error->message);
}

static void
mark_read (BfkInboxPage *self)
{
  if (self->marking || !self->conv || !self->conv->stored || self->conv->unread == 0)
    return;
  self->marking = TRUE;
  bfk_backend_mark_read_async (bfk_session_get_backend (bfk_page_get_session (BFK_PAGE (self))),
                               self->phone, self->cancellable, on_marked_read, g_object_ref (self));
}

static const gchar *
language_name (const gchar *code)
{
  if (g_strcmp0 (code, "en") == 0)
    return _("English");
  return _("French");
}

static void
show_header (BfkInboxPage *self)
{
  const BfkConversation *conv = self->conv;
  g_autofree gchar *masked = bfk_format_phone_masked (conv->phone);
  g_autofree gchar *subtitle = NULL;

  gtk_label_set_label (self->thread_title, conv->member_name ? conv->member_name : masked);
  if (conv->taken_over_by)
    /* Translators: the number, the member's language, who answers */
    subtitle = g_strdup_printf (_("%s · %s · taken over by %s"), masked, language_name (conv->language),
                                conv->taken_over_by);
  else
    subtitle = g_strdup_printf (_("%s · %s · the bot answers"), masked, language_name (conv->language));
  gtk_label_set_label (self->thread_subtitle, subtitle);
  gtk_widget_set_visible (self->agent_label, conv->needs_agent && !conv->taken_over_by);

  gtk_button_set_label (self->take_over_button,
                        conv->taken_over_by ? _("Return to Bot") : _("Take Over"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->take_over_button),
                               conv->taken_over_by
                               ? _("Let the bot answer this member's messages again")
                               : _("Answer this member yourself: the bot then only answers commands"));
  if (conv->taken_over_by)
    gtk_widget_remove_css_class (GTK_WIDGET (self->take_over_button), "suggested-action");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->take_over_button), "suggested-action");
  /* A number that never wrote has no conversation to take over. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "inbox.take-over", conv->stored);
}

static void
refresh_conversation (BfkInboxPage *self)
{
  BfkStore *store = bfk_page_get_store (BFK_PAGE (self));
  g_autoptr(GError) error = NULL;
  BfkConversation *conv;

  /* Without a conversation, the member's panel would be empty figures. */
  gtk_widget_set_visible (GTK_WIDGET (self->member_panel), store && self->phone);
  if (!store || !self->phone)
    {
      gtk_stack_set_visible_child_name (self->thread_stack, "none");
      return;
    }
  conv = bfk_conversations_get (store, self->phone, &error);
  if (!conv)
    {
      g_warning ("Cannot read the conversation: %s", error->message);
      return;
    }
  g_clear_pointer (&self->conv, bfk_conversation_free);
  self->conv = conv;

  gtk_stack_set_visible_child_name (self->thread_stack, "thread");
  show_header (self);
  if (!bfk_inbox_thread_show (self->thread, store, self->phone, &error))
    g_warning ("Cannot read the messages: %s", error->message);
  bfk_member_panel_show (self->member_panel, store, self->phone);
  update_window (self);
  /* New messages while the conversation is on screen are read. */
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    mark_read (self);
}

static void
bfk_inbox_page_refresh (BfkPage *page)
{
  BfkInboxPage *self = BFK_INBOX_PAGE (page);

  refresh_list (self);
  refresh_conversation (self);
}

/* Opens phone (E.164) as it is, filters untouched. */
static void
open_phone (BfkInboxPage *self,
            const gchar  *e164)
{
  if (g_strcmp0 (self->phone, e164) != 0)
    {
      g_free (self->phone);
      self->phone = g_strdup (e164);
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->composer_view), "", -1);
    }
  bfk_page_refresh (BFK_PAGE (self));
  /* Opening is reading, even while the page is not on screen yet. */
  mark_read (self);
}

static void
on_row_activated (BfkInboxPage  *self,
                  GtkListBoxRow *row)
{
  open_phone (self, bfk_conversation_row_get_phone (BFK_CONVERSATION_ROW (row)));
}

void
bfk_inbox_page_open_conversation (BfkInboxPage *self,
                                  const gchar  *phone)
{
  g_autofree gchar *e164 = NULL;

  g_return_if_fail (BFK_IS_INBOX_PAGE (self));
  g_return_if_fail (phone != NULL);

  e164 = bfk_phone_normalize (phone, NULL);
  if (!e164)
    return;
  /* The conversation must be in the list to be seen selected. */
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_toggle_button_set_active (self->filter_all, TRUE);
  open_phone (self, e164);
}

const gchar *
bfk_inbox_page_get_phone (BfkInboxPage *self)
{
  g_return_val_if_fail (BFK_IS_INBOX_PAGE (self), NULL);
  return self->phone;
}

/* --- the actions -------------------------------------------------------------- */

static void
open_action (GtkWidget   *widget,
             const gchar *action_name,
             GVariant    *parameter)
{
  bfk_inbox_page_open_conversation (BFK_INBOX_PAGE (widget), g_variant_get_string (parameter, NULL));
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(BfkInboxPage) self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 id = bfk_backend_send_message_finish (BFK_BACKEND (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->sending = FALSE;
  if (id == 0)
    bfk_session_toast (bfk_page_get_session (BFK_PAGE (self)), _("The message was not sent: %s"),
                       error->message);
  else
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->composer_view), "", -1);
  update_send_enabled (self);
  bfk_page_refresh (BFK_PAGE (self));
}

static void
send_action (GtkWidget   *widget,
             const gchar *action_name,
             GVariant    *parameter)
{
  BfkInboxPage *self = BFK_INBOX_PAGE (widget);
  g_autofree gchar *text = composer_text (self);

  if (!self->phone || !*text || self->sending || !self->can_write)
    return;
  self->sending = TRUE;
  update_send_enabled (self);
  bfk_backend_send_message_async (bfk_session_get_backend (bfk_page_get_session (BFK_PAGE (self))),
                                  self->phone, text, self->cancellable, on_sent, g_object_ref (self));
}

static void
on_taken_over (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(BfkInboxPage) self = user_data;
  g_autoptr(GError) error = NULL;
  BfkSession *session;

  if (!bfk_backend_take_over_finish (BFK_BACKEND (source), result, &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  session = bfk_page_get_session (BFK_PAGE (self));
  if (error)
    bfk_session_toast (session, _("The conversation did not change hands: %s"), error->message);
  bfk_page_refresh (BFK_PAGE (self));
  if (!error)
    bfk_session_toast (session, "%s", self->conv && self->conv->taken_over_by
                                      ? _("You answer this member now: the bot only answers commands.")
                                      : _("The bot answers this member again."));
}

static void
take_over_action (GtkWidget   *widget,
                  const gchar *action_name,
                  GVariant    *parameter)
{
  BfkInboxPage *self = BFK_INBOX_PAGE (widget);

  if (!self->phone || !self->conv)
    return;
  bfk_backend_take_over_async (bfk_session_get_backend (bfk_page_get_session (BFK_PAGE (self))),
                               self->phone, self->conv->taken_over_by == NULL, self->cancellable,
                               on_taken_over, g_object_ref (self));
}

static void
canned_action (GtkWidget   *widget,
               const gchar *action_name,
               GVariant    *parameter)
{
  BfkInboxPage *self = BFK_INBOX_PAGE (widget);
  const gchar *text = bfk_canned_reply_text (g_variant_get_uint32 (parameter),
                                             self->conv ? self->conv->language : NULL);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->composer_view);

  if (!text)
    return;
  gtk_text_buffer_insert_at_cursor (buffer, text, -1);
  gtk_widget_grab_focus (GTK_WIDGET (self->composer_view));
}

/* --- the class ------------------------------------------------------------------ */

static void
bfk_inbox_page_dispose (GObject *object)
{
  BfkInboxPage *self = BFK_INBOX_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->window_timer, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), BFK_TYPE_INBOX_PAGE);
  G_OBJECT_CLASS (bfk_inbox_page_parent_class)->dispose (object);
}

static void
bfk_inbox_page_finalize (GObject *object)
{
  BfkInboxPage *self = BFK_INBOX_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->conv, bfk_conversation_free);
  g_free (self->phone);
  G_OBJECT_CLASS (bfk_inbox_page_parent_class)->finalize (object);
}

static void
bfk_inbox_page_class_init (BfkInboxPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bfk_inbox_page_dispose;
  object_class->finalize = bfk_inbox_page_finalize;
  BFK_PAGE_CLASS (klass)->refresh = bfk_inbox_page_refresh;

  g_type_ensure (BFK_TYPE_INBOX_THREAD);
  g_type_ensure (BFK_TYPE_MEMBER_PANEL);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/bafoka/Console/pages/bfk-inbox-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BfkInboxPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, BfkInboxPage, filter_all);
  gtk_widget_class_bind_template_child (widget_class, BfkInboxPage, filter_unread);
  gtk_widget_class_bind_template_child (widget_class, BfkInboxPage, filter_agent);
  gtk_widget_class_bind_template_child (widget_class, BfkInboxPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, BfkInboxPage, conversation_list);
  gtk_widget_class_bind_template_child (widget_class, BfkInboxPage, list_status);
  gtk_widget_class_bind_template_child (widget_class, BfkInboxPage, thread_stack);
  gtk_widget_class_bind_template_child (widget_class, BfkInboxPage, thread_title);
  gtk_widget_class_bind_template_child (widget_class, BfkInboxPage, thread_subtitle);
  gtk_widget_class_bind_template_child (widget_class, BfkInboxPage, agent_label);
  gtk_widget_class_bind_template_child (widget_class, BfkInboxPage, take_over_button);
  gtk_widget_class_bind_template_child (widget_class, BfkInboxPage, thread);
  gtk_widget_class_bind_template_child (widget_class, BfkInboxPage, window_icon);
  gtk_widget_class_bind_template_child (widget_class, BfkInboxPage, window_label);
  gtk_widget_class_bind_template_child (widget_class, BfkInboxPage, canned_button);
  gtk_widget_class_bind_template_child (widget_class, BfkInboxPage, composer_view);
  gtk_widget_class_bind_template_child (widget_class, BfkInboxPage, member_panel);
  gtk_widget_class_bind_template_callback (widget_class, refresh_list);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);

  gtk_widget_class_install_action (widget_class, "inbox.open", "s", open_action);
  gtk_widget_class_install_action (widget_class, "inbox.send", NULL, send_action);
  gtk_widget_class_install_action (widget_class, "inbox.take-over", NULL, take_over_action);
  gtk_widget_class_install_action (widget_class, "inbox.canned", "u", canned_action);
}

static void
bfk_inbox_page_init (BfkInboxPage *self)
{
  g_autoptr(GMenuModel) canned = bfk_canned_replies_menu ("inbox.canned");
  GtkEventController *shortcuts = gtk_shortcut_controller_new ();

  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (self->canned_button), canned);
  /* Ctrl+Enter sends; Enter alone makes a new line.  Captured before the
   * text view sees the key. */
  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_shortcut_trigger_parse_string ("<Control>Return|<Control>KP_Enter"),
                                                          gtk_named_action_new ("inbox.send")));
  gtk_widget_add_controller (GTK_WIDGET (self->composer_view), shortcuts);
  g_signal_connect_object (gtk_text_view_get_buffer (self->composer_view), "changed",
                           G_CALLBACK (update_send_enabled), self, G_CONNECT_SWAPPED);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "inbox.send", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "inbox.take-over", FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->member_panel), FALSE);
  self->window_timer = g_timeout_add_seconds (WINDOW_TICK_S, window_tick, self);
}
