/* bfk-member-view.c: a member's profile, account, exchanges, transactions
 * and conversation, read from the session's store. */
#include <glib/gi18n.h>

#include "bfk-directory.h"
#include "bfk-format.h"
#include "bfk-member-view.h"
#include "bfk-members.h"
#include "bfk-messages.h"
#include "bfk-operation-text.h"
#include "bfk-outbox.h"
#include "bfk-proposals.h"

/* How much of each history the page shows: the rest is in the
 * Transactions and Inbox pages. */
#define HISTORY_LIMIT 10

struct _BfkMemberView
{
  AdwBin        parent_instance;

  BfkSession   *session;
  gint64        member_id;
  BfkMemberRow *row;
  gchar        *symbol;         /* the community's currency symbol, or NULL */
  gboolean      phone_revealed;

  GtkLabel     *name_label;
  GtkWidget    *message_button;
  GtkWidget    *recharge_button;
  AdwActionRow *phone_row;
  GtkWidget    *reveal_button;
  AdwActionRow *community_row;
  AdwActionRow *address_row;
  AdwActionRow *joined_row;
  AdwActionRow *last_seen_row;
  AdwActionRow *language_row;
  AdwActionRow *balance_row;
  AdwActionRow *escrow_row;
  AdwActionRow *reputation_row;
  GtkListBox   *exchanges_list;
  GtkListBox   *operations_list;
  GtkBox       *messages_box;
};

G_DEFINE_FINAL_TYPE (BfkMemberView, bfk_member_view, ADW_TYPE_BIN)

/* Whether an action called name ("win.recharge") can be activated from
 * widget: one installed on the class of widget or of an ancestor, or one
 * of the application window's or the application's own GActionMaps.
 * GTK 4.8 has no call to ask this of the action muxer itself, and the
 * pages that define these actions are written separately. */
static gboolean
action_exists (GtkWidget   *widget,
               const gchar *name)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkApplication *app;

  for (GtkWidget *w = widget; w; w = gtk_widget_get_parent (w))
    {
      GtkWidgetClass *klass = GTK_WIDGET_GET_CLASS (w);
      const gchar *action_name;
      const GVariantType *parameter_type;
      const gchar *property_name;
      GType owner;

      for (guint i = 0;
           gtk_widget_class_query_action (klass, i, &owner, &action_name, &parameter_type, &property_name);
           i++)
        if (g_str_equal (action_name, name))
          return TRUE;
    }
  if (g_str_has_prefix (name, "win.") && GTK_IS_APPLICATION_WINDOW (root))
    return g_action_map_lookup_action (G_ACTION_MAP (root), name + 4) != NULL;
  if (g_str_has_prefix (name, "app.") && GTK_IS_WINDOW (root) &&
      (app = gtk_window_get_application (GTK_WINDOW (root))))
    return g_action_map_lookup_action (G_ACTION_MAP (app), name + 4) != NULL;
  return FALSE;
}

static void
update_actions (BfkMemberView *self)
{
  gboolean has_phone = self->row && self->row->phone;
  gboolean can_recharge = has_phone && action_exists (GTK_WIDGET (self), "win.recharge");

  gtk_widget_set_sensitive (self->message_button, has_phone);
  gtk_widget_set_sensitive (self->recharge_button, can_recharge);
  gtk_widget_set_tooltip_text (self->recharge_button,
                               can_recharge
                               ? _("Add units to this member’s account, paid by a backer")
                               : _("Recharging needs a backer: open the Backers page to add one"));
}

static void
set_subtitle_take (AdwActionRow *row,
                   gchar        *text)
{
  adw_action_row_set_subtitle (row, text);
  g_free (text);
}

static void
update_phone (BfkMemberView *self)
{
  const gchar *phone = self->row ? self->row->phone : NULL;

  if (!phone)
    adw_action_row_set_subtitle (self->phone_row, _("No phone number"));
  else if (self->phone_revealed)
    adw_action_row_set_subtitle (self->phone_row, phone);
  else
    set_subtitle_take (self->phone_row, bfk_format_phone_masked (phone));
  gtk_widget_set_visible (self->reveal_button, phone && !self->phone_revealed);
}

static void
clear_container (GtkWidget *container)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (container)))
    {
      if (GTK_IS_LIST_BOX (container))
        gtk_list_box_remove (GTK_LIST_BOX (container), child);
      else
        gtk_box_remove (GTK_BOX (container), child);
    }
}

static void
add_row (GtkListBox  *list,
         const gchar *title,
         gchar       *subtitle_take)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle_take);
  gtk_list_box_append (list, row);
  g_free (subtitle_take);
}

static void
add_placeholder (GtkListBox  *list,
                 const gchar *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_set_margin_top (label, 12);
  gtk_widget_set_margin_bottom (label, 12);
  gtk_list_box_append (list, label);
}

static void
fill_exchanges (BfkMemberView *self,
                BfkStore      *store)
{
  g_autoptr(GPtrArray) proposals = NULL;
  g_autoptr(GError) error = NULL;

  clear_container (GTK_WIDGET (self->exchanges_list));
  proposals = bfk_proposals_list_by_member (store, self->member_id, HISTORY_LIMIT, 0, &error);
  if (!proposals)
    {
      g_debug ("Reading the exchanges of member %" G_GINT64_FORMAT ": %s", self->member_id, error->message);
      add_placeholder (self->exchanges_list, _("The exchanges could not be read."));
      return;
    }
  for (guint i = 0; i < proposals->len; i++)
    {
      BfkProposal *p = g_ptr_array_index (proposals, i);
      gboolean pays = p->payer_id == self->member_id;
      g_autoptr(BfkMember) other = bfk_members_get (store, pays ? p->provider_id : p->payer_id, NULL);
      g_autofree gchar *amount = bfk_format_amount (p->amount, self->symbol);
      g_autofree gchar *when = bfk_format_time_ago (p->created_at);
      const gchar *who = other ? other->name : "?";
      gchar *subtitle;

      /* Translators: an exchange as "pays Paul 500 FJK · Accepted · 3 days ago" */
      subtitle = pays ? g_strdup_printf (_("pays %s %s · %s · %s"), who, amount, bfk_proposal_state_label (p->state), when)
                      : g_strdup_printf (_("paid %s by %s · %s · %s"), amount, who, bfk_proposal_state_label (p->state), when);
      add_row (self->exchanges_list, p->service, subtitle);
    }
  if (proposals->len == 0)
    add_placeholder (self->exchanges_list, _("No exchanges yet"));
}

static void
fill_operations (BfkMemberView *self,
                 BfkStore      *store)
{
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;

  clear_container (GTK_WIDGET (self->operations_list));
  ids = bfk_directory_member_operations (store, self->member_id, HISTORY_LIMIT, &error);
  if (!ids)
    {
      g_debug ("Reading the operations of member %" G_GINT64_FORMAT ": %s", self->member_id, error->message);
      add_placeholder (self->operations_list, _("The transactions could not be read."));
      return;
    }
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(BfkOpInfo) op = bfk_outbox_get (store, g_array_index (ids, gint64, i), NULL);
      g_autofree gchar *when = NULL;

      if (!op)
        continue;
      when = bfk_format_time_ago (op->created_at);
      if (op->amount)
        {
          g_autofree gchar *amount = bfk_format_amount (op->amount, self->symbol);

          add_row (self->operations_list, bfk_operation_kind_label (bfk_op_kind_to_string (op->kind)),
                   g_strdup_printf ("%s · %s · %s", amount,
                                    bfk_operation_state_label (bfk_op_state_to_string (op->state)), when));
        }
      else
        add_row (self->operations_list, bfk_operation_kind_label (bfk_op_kind_to_string (op->kind)),
                 g_strdup_printf ("%s · %s", bfk_operation_state_label (bfk_op_state_to_string (op->state)), when));
    }
  if (ids->len == 0)
    add_placeholder (self->operations_list, _("No transactions yet"));
}

static GtkWidget *
message_bubble (const BfkMessage *message)
{
  gboolean inbound = message->direction == BFK_MESSAGE_IN;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *body = gtk_label_new (message->body);
  g_autofree gchar *when = bfk_format_time_ago (message->created_at);
  GtkWidget *time = gtk_label_new (when);

  gtk_label_set_wrap (GTK_LABEL (body), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (body), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (body), 0);
  gtk_label_set_max_width_chars (GTK_LABEL (body), 60);
  gtk_label_set_selectable (GTK_LABEL (body), TRUE);
  gtk_label_set_xalign (GTK_LABEL (time), inbound ? 0 : 1);
  gtk_widget_add_css_class (time, "caption");
  gtk_widget_add_css_class (time, "dim-label");
  gtk_box_append (GTK_BOX (box), body);
  gtk_box_append (GTK_BOX (box), time);
  gtk_widget_add_css_class (box, "bubble");
  gtk_widget_add_css_class (box, inbound ? "inbound" : "outbound");
  gtk_widget_set_halign (box, inbound ? GTK_ALIGN_START : GTK_ALIGN_END);
  return box;
}

static void
fill_messages (BfkMemberView *self,
               BfkStore      *store)
{
  g_autoptr(GPtrArray) messages = NULL;
  GtkWidget *placeholder;

  clear_container (GTK_WIDGET (self->messages_box));
  if (self->row->phone)
    messages = bfk_messages_list_thread (store, self->row->phone, HISTORY_LIMIT, 0, NULL);
  /* The thread comes newest first; a conversation reads downwards. */
  for (guint i = messages ? messages->len : 0; i > 0; i--)
    gtk_box_append (self->messages_box, message_bubble (g_ptr_array_index (messages, i - 1)));
  if (messages && messages->len > 0)
    return;
  placeholder = gtk_label_new (_("No messages with this member yet"));
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (placeholder), 0);
  gtk_box_append (self->messages_box, placeholder);
}

static gchar *
community_symbol (BfkStore *store,
                  guint64   community_id)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store, "SELECT currency_symbol FROM communities WHERE id = ?", NULL);
  gchar *symbol = NULL;

  if (!stmt)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, (gint64) community_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    symbol = g_strdup ((const gchar *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return symbol;
}

static void
fill_profile (BfkMemberView *self)
{
  BfkMemberRow *row = self->row;
  const gchar *language = g_strcmp0 (row->language, "en") == 0 ? _("English") : _("French");

  gtk_label_set_text (self->name_label, row->name);
  update_phone (self);
  adw_action_row_set_subtitle (self->community_row, row->community ? row->community : _("Not known yet"));
  adw_action_row_set_subtitle (self->address_row, row->address);
  set_subtitle_take (self->joined_row, bfk_format_date_time (row->created_at));
  if (row->last_seen_at)
    set_subtitle_take (self->last_seen_row, bfk_format_time_ago (row->last_seen_at));
  else
    adw_action_row_set_subtitle (self->last_seen_row, _("Never wrote on WhatsApp"));
  adw_action_row_set_subtitle (self->language_row, language);

  if (row->on_chain)
    set_subtitle_take (self->balance_row, bfk_format_amount (row->balance, self->symbol));
  else
    adw_action_row_set_subtitle (self->balance_row, _("Not on the chain yet: the registration is on its way"));
  set_subtitle_take (self->escrow_row, bfk_format_amount (row->escrow, self->symbol));
  if (row->ratings > 0)
    set_subtitle_take (self->reputation_row,
                       g_strdup_printf (ngettext ("%.1f ★ from %d rating", "%.1f ★ from %d ratings",
                                                  (gulong) row->ratings),
                                        (gdouble) row->reputation / row->ratings, (gint) row->ratings));
  else
    adw_action_row_set_subtitle (self->reputation_row, _("Not rated yet"));
}

gboolean
bfk_member_view_show_member (BfkMemberView  *self,
                             gint64          member_id,
                             gboolean        phone_revealed,
                             GError        **error)
{
  BfkStore *store;
  g_autoptr(BfkMember) member = NULL;
  g_autofree gchar *address = NULL;
  BfkMemberRow *row;

  g_return_val_if_fail (BFK_IS_MEMBER_VIEW (self), FALSE);
  g_return_val_if_fail (self->session != NULL, FALSE);

  store = bfk_session_get_store (self->session);
  if (!store)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED, "The store is not open yet");
      return FALSE;
    }
  /* The directory's profile is looked up by address, which every member
   * has (a phone number is optional). */
  if (!(member = bfk_members_get (store, member_id, error)))
    return FALSE;
  address = bfk_address_to_string (&member->address);
  if (!(row = bfk_directory_lookup (store, address, error)))
    return FALSE;

  g_clear_pointer (&self->row, bfk_member_row_free);
  self->row = row;
  self->member_id = member_id;
  self->phone_revealed = phone_revealed;
  g_free (self->symbol);
  self->symbol = community_symbol (store, row->community_id);

  fill_profile (self);
  fill_exchanges (self, store);
  fill_operations (self, store);
  fill_messages (self, store);
  update_actions (self);
  return TRUE;
}

void
bfk_member_view_refresh (BfkMemberView *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (BFK_IS_MEMBER_VIEW (self));

  if (self->member_id && !bfk_member_view_show_member (self, self->member_id, self->phone_revealed, &error))
    g_debug ("Reading member %" G_GINT64_FORMAT " again: %s", self->member_id, error->message);
}

gint64
bfk_member_view_get_member_id (BfkMemberView *self)
{
  g_return_val_if_fail (BFK_IS_MEMBER_VIEW (self), 0);
  return self->member_id;
}

void
bfk_member_view_set_phone_revealed (BfkMemberView *self,
                                    gboolean       revealed)
{
  g_return_if_fail (BFK_IS_MEMBER_VIEW (self));
  self->phone_revealed = revealed;
  update_phone (self);
}

void
bfk_member_view_set_session (BfkMemberView *self,
                             BfkSession    *session)
{
  g_return_if_fail (BFK_IS_MEMBER_VIEW (self));
  g_set_object (&self->session, session);
}

static void
on_reveal_clicked (BfkMemberView *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "members.reveal-phone", "x", self->member_id);
}

static void
on_copy_address_clicked (BfkMemberView *self)
{
  if (!self->row)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), self->row->address);
  if (self->session)
    bfk_session_toast (self->session, _("Address copied"));
}

static void
on_message_clicked (BfkMemberView *self)
{
  if (!self->row || !self->row->phone)
    return;
  if (action_exists (GTK_WIDGET (self), "win.open-conversation"))
    gtk_widget_activate_action (GTK_WIDGET (self), "win.open-conversation", "s", self->row->phone);
  else
    gtk_widget_activate_action (GTK_WIDGET (self), "win.show-page", "s", "inbox");
}

static void
on_recharge_clicked (BfkMemberView *self)
{
  if (self->row && self->row->phone)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.recharge", "s", self->row->phone);
}

/* The window's actions are only reachable once the view is in it. */
static void
bfk_member_view_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (bfk_member_view_parent_class)->map (widget);
  update_actions (BFK_MEMBER_VIEW (widget));
}

static void
bfk_member_view_dispose (GObject *object)
{
  BfkMemberView *self = BFK_MEMBER_VIEW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), BFK_TYPE_MEMBER_VIEW);
  g_clear_object (&self->session);
  g_clear_pointer (&self->row, bfk_member_row_free);
  g_clear_pointer (&self->symbol, g_free);
  G_OBJECT_CLASS (bfk_member_view_parent_class)->dispose (object);
}

static void
bfk_member_view_class_init (BfkMemberViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bfk_member_view_dispose;
  widget_class->map = bfk_member_view_map;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/bafoka/Console/pages/bfk-member-view.ui");
  gtk_widget_class_bind_template_child (widget_class, BfkMemberView, name_label);
  gtk_widget_class_bind_template_child (widget_class, BfkMemberView, message_button);
  gtk_widget_class_bind_template_child (widget_class, BfkMemberView, recharge_button);
  gtk_widget_class_bind_template_child (widget_class, BfkMemberView, phone_row);
  gtk_widget_class_bind_template_child (widget_class, BfkMemberView, reveal_button);
  gtk_widget_class_bind_template_child (widget_class, BfkMemberView, community_row);
  gtk_widget_class_bind_template_child (widget_class, BfkMemberView, address_row);
  gtk_widget_class_bind_template_child (widget_class, BfkMemberView, joined_row);
  gtk_widget_class_bind_template_child (widget_class, BfkMemberView, last_seen_row);
  gtk_widget_class_bind_template_child (widget_class, BfkMemberView, language_row);
  gtk_widget_class_bind_template_child (widget_class, BfkMemberView, balance_row);
  gtk_widget_class_bind_template_child (widget_class, BfkMemberView, escrow_row);
  gtk_widget_class_bind_template_child (widget_class, BfkMemberView, reputation_row);
  gtk_widget_class_bind_template_child (widget_class, BfkMemberView, exchanges_list);
  gtk_widget_class_bind_template_child (widget_class, BfkMemberView, operations_list);
  gtk_widget_class_bind_template_child (widget_class, BfkMemberView, messages_box);
  gtk_widget_class_bind_template_callback (widget_class, on_reveal_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_copy_address_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_message_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_recharge_clicked);
}

static void
bfk_member_view_init (BfkMemberView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
