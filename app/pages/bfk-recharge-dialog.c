/* bfk-recharge-dialog.c: backer, member, amount; confirm; queued.
 *
 * What a backer may still mint this week is read from the chain when the
 * dialog opens (bfk_backend_read_backers_async): the contract refuses more
 * than that, so the amount is checked against it before anything is
 * queued, and the confirmation says what will be left.
 */
#include <glib/gi18n.h>

#include "bfk-chain-rows.h"
#include "bfk-confirm.h"
#include "bfk-contract.h"
#include "bfk-format.h"
#include "bfk-member-model.h"
#include "bfk-op-tracker.h"
#include "bfk-recharge-dialog.h"
#include "bfk-unlock-dialog.h"

/* Matches shown under the search entry: a name or number narrows it. */
#define MAX_MATCHES 6

struct _BfkRechargeDialog
{
  AdwWindow        parent_instance;

  BfkSession      *session;
  GPtrArray       *communities;   /* BfkCommunityRow */
  GArray          *backers;       /* BfkBackerRow, the active ones */
  GHashTable      *remaining;     /* address text → gint64 *, from the chain */
  BfkMemberModel  *members;
  BfkMember       *member;        /* the chosen one, or NULL */
  GCancellable    *cancellable;

  AdwComboRow     *backer_row;
  GtkStringList   *backer_names;
  AdwActionRow    *key_row;
  GtkWidget       *unlock_button;
  GtkSearchEntry  *member_search;
  GtkListBox      *member_list;
  AdwEntryRow     *amount_row;
  GtkLabel        *hint_label;
  GtkWidget       *recharge_button;
};

G_DEFINE_FINAL_TYPE (BfkRechargeDialog, bfk_recharge_dialog, ADW_TYPE_WINDOW)

static BfkBackend *
backend_of (BfkRechargeDialog *self)
{
  return bfk_session_get_backend (self->session);
}

/* The chosen backer, or NULL; *remaining is -1 until read. */
static const BfkBackerRow *
current_backer (BfkRechargeDialog *self,
                gint64            *remaining)
{
  guint i = adw_combo_row_get_selected (self->backer_row);
  const BfkBackerRow *b;
  gint64 *left;

  if (!self->backers || i >= self->backers->len)
    return NULL;
  b = &g_array_index (self->backers, BfkBackerRow, i);
  left = g_hash_table_lookup (self->remaining, b->text);
  if (remaining)
    *remaining = left ? *left : -1;
  return b;
}

static const BfkCommunityRow *
current_community (BfkRechargeDialog *self)
{
  const BfkBackerRow *b = current_backer (self, NULL);

  return b ? bfk_chain_rows_find_community (self->communities, b->community_id) : NULL;
}

/* "Marie (+237 6•• ••• •22)" */
static gchar *
member_label (const BfkMember *m)
{
  g_autofree gchar *phone = m->phone ? bfk_format_phone_masked (m->phone) : NULL;

  return phone ? g_strdup_printf ("%s (%s)", m->name, phone) : g_strdup (m->name);
}

/* The amount typed, or 0 when it is not a whole number above zero. */
static gint64
typed_amount (BfkRechargeDialog *self)
{
  g_autofree gchar *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->amount_row))));
  guint64 v = 0;

  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &v, NULL))
    return 0;
  return (gint64) v;
}

/* Says what is missing, and enables the confirmation when nothing is. */
static void
update_state (BfkRechargeDialog *self)
{
  gint64 remaining = -1;
  const BfkBackerRow *b = current_backer (self, &remaining);
  const BfkCommunityRow *c = current_community (self);
  const gchar *symbol = c ? c->symbol : NULL;
  gboolean key = b && bfk_backend_has_signer (backend_of (self), &b->address);
  gint64 amount = typed_amount (self);
  g_autofree gchar *hint = NULL, *key_tip = NULL;
  gboolean ok = FALSE;

  adw_action_row_set_subtitle (self->key_row,
                               !b ? "" : key ? _("Unlocked: the console can sign for this backer")
                                             : _("Locked: unlock this backer's keystore to sign"));
  gtk_widget_set_visible (self->unlock_button, b && !key);
  if (b && !key)
    {
      g_autofree gchar *short_text = bfk_format_short_hash (b->text);

      key_tip = g_strdup_printf (_("Needs the key of backer %s: unlock its keystore first"), short_text);
    }

  if (!b)
    hint = g_strdup (_("No active backer yet: approve one on the Backers page first."));
  else if (!key)
    hint = g_strdup (_("Unlock this backer's key to sign the recharge."));
  else if (!self->member)
    hint = g_strdup (_("Choose the member to recharge."));
  else if (*gtk_editable_get_text (GTK_EDITABLE (self->amount_row)) == '\0')
    hint = g_strdup (_("Type the amount, in whole units."));
  else if (amount <= 0)
    hint = g_strdup (_("The amount is a whole number above zero, without decimals."));
  else if (remaining < 0)
    hint = g_strdup (_("Reading what this backer has left this week…"));
  else if (amount > remaining)
    {
      g_autofree gchar *left = bfk_format_amount (remaining, symbol);

      hint = g_strdup_printf (_("This backer may mint only %s more this week."), left);
    }
  else
    {
      g_autofree gchar *left = bfk_format_amount (remaining, symbol);
      g_autofree gchar *after = bfk_format_amount (remaining - amount, symbol);

      hint = g_strdup_printf (_("%s left this week; %s after this recharge."), left, after);
      ok = TRUE;
    }
  gtk_label_set_text (self->hint_label, hint);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "recharge.confirm", ok);
  gtk_widget_set_tooltip_text (self->recharge_button, key_tip);
}

static void
show_matches (BfkRechargeDialog *self)
{
  GtkWidget *child;
  guint n;
  const BfkCommunityRow *c = current_community (self);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->member_list))))
    gtk_list_box_remove (self->member_list, child);
  if (!self->members)
    return;
  n = g_list_model_get_n_items (G_LIST_MODEL (self->members));
  for (guint i = 0; i < MIN (n, MAX_MATCHES); i++)
    {
      g_autoptr(BfkMemberItem) item = g_list_model_get_item (G_LIST_MODEL (self->members), i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree gchar *phone = bfk_member_item_get_phone (item)
                                ? bfk_format_phone_masked (bfk_member_item_get_phone (item)) : NULL;
      g_autofree gchar *balance = bfk_format_amount (bfk_member_item_get_balance (item), c ? c->symbol : NULL);
      g_autofree gchar *subtitle = g_strdup_printf ("%s · %s", phone ? phone : "—", balance);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), bfk_member_item_get_name (item));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "recharge.pick-member");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "x", bfk_member_item_get_id (item));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      if (self->member && self->member->id == bfk_member_item_get_id (item))
        adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("object-select-symbolic"));
      gtk_list_box_append (self->member_list, row);
    }
  if (n == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     c ? _("Nobody in this community matches.") : _("Choose a backer first."));
      gtk_list_box_append (self->member_list, row);
    }
}

static void
search_members (BfkRechargeDialog *self)
{
  const BfkBackerRow *b = current_backer (self, NULL);
  g_autoptr(GError) error = NULL;

  if (!self->members)
    return;
  bfk_member_model_set_community (self->members, b ? b->community_id : G_MAXUINT64);
  bfk_member_model_set_search (self->members, gtk_editable_get_text (GTK_EDITABLE (self->member_search)));
  if (!bfk_member_model_refresh (self->members, &error))
    g_warning ("The members could not be searched: %s", error->message);
  show_matches (self);
}

static void
on_search_changed (BfkRechargeDialog *self)
{
  search_members (self);
}

void
bfk_recharge_dialog_select_member (BfkRechargeDialog *self,
                                   gint64             member_id)
{
  g_autoptr(GError) error = NULL;
  BfkMember *m;

  g_return_if_fail (BFK_IS_RECHARGE_DIALOG (self));

  m = bfk_members_get (bfk_session_get_store (self->session), member_id, &error);
  if (!m)
    return;
  g_clear_pointer (&self->member, bfk_member_free);
  self->member = m;
  /* The list narrows to the one chosen, with its check mark. */
  gtk_editable_set_text (GTK_EDITABLE (self->member_search), m->name);
  search_members (self);
  update_state (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->amount_row));
}

static void
pick_member_action (GtkWidget   *widget,
                    const gchar *action_name,
                    GVariant    *parameter)
{
  bfk_recharge_dialog_select_member (BFK_RECHARGE_DIALOG (widget), g_variant_get_int64 (parameter));
}

static void
on_backer_changed (BfkRechargeDialog *self)
{
  const BfkBackerRow *b = current_backer (self, NULL);

  /* A backer mints in its own community only. */
  if (self->member && b && self->member->community_id != b->community_id)
    g_clear_pointer (&self->member, bfk_member_free);
  search_members (self);
  update_state (self);
}

void
bfk_recharge_dialog_select_backer (BfkRechargeDialog *self,
                                   const gchar       *address)
{
  BfkAddress a;

  g_return_if_fail (BFK_IS_RECHARGE_DIALOG (self));

  if (!bfk_address_parse (address, &a, NULL))
    return;
  for (guint i = 0; i < self->backers->len; i++)
    if (bfk_address_equal (&g_array_index (self->backers, BfkBackerRow, i).address, &a))
      adw_combo_row_set_selected (self->backer_row, i);
}

static void
on_remaining (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) infos = bfk_backend_read_backers_finish (BFK_BACKEND (source), result, &error);
  BfkRechargeDialog *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = BFK_RECHARGE_DIALOG (user_data);
  if (!infos)
    {
      g_autofree gchar *text = g_strdup_printf (_("What the backers have left this week could not be read: %s"),
                                                error->message);

      gtk_label_set_text (self->hint_label, text);
      return;
    }
  bfk_chain_rows_add_remaining (self->remaining, infos);
  update_state (self);
}

static void
on_unlocked (BfkRechargeDialog *self)
{
  update_state (self);
}

static void
unlock_action (GtkWidget   *widget,
               const gchar *action_name,
               GVariant    *parameter)
{
  BfkRechargeDialog *self = BFK_RECHARGE_DIALOG (widget);
  const BfkBackerRow *b = current_backer (self, NULL);
  BfkUnlockDialog *dialog;

  if (!b)
    return;
  dialog = bfk_unlock_dialog_new (GTK_WINDOW (self), self->session, &b->address);
  g_signal_connect_object (dialog, "unlocked", G_CALLBACK (on_unlocked), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
destroy_later (gpointer data)
{
  gtk_window_destroy (GTK_WINDOW (data));
  g_object_unref (data);
}

static void
on_confirmed (AdwMessageDialog *dialog,
              const gchar      *response,
              gpointer          user_data)
{
  BfkRechargeDialog *self = BFK_RECHARGE_DIALOG (user_data);
  gint64 remaining = -1;
  const BfkBackerRow *b = current_backer (self, &remaining);
  const BfkCommunityRow *c = current_community (self);
  gint64 amount = typed_amount (self);
  g_autoptr(GBytes) calldata = NULL;
  g_autofree gchar *masked = NULL, *summary = NULL, *subject = NULL;

  if (!b || !c || !self->member || amount <= 0 || amount > remaining)
    return;
  calldata = bfk_contract_encode_recharge (&self->member->address, bfk_u256_from_u64 ((guint64) amount));
  masked = self->member->phone ? bfk_phone_mask (self->member->phone) : NULL;
  summary = masked ? g_strdup_printf ("recharge %s (%s) with %" G_GINT64_FORMAT " %s", self->member->name,
                                      masked, amount, c->symbol)
                   : g_strdup_printf ("recharge %s with %" G_GINT64_FORMAT " %s", self->member->name, amount,
                                      c->symbol);
  subject = bfk_address_to_string (&self->member->address);
  {
    BfkOpRequest request = {
      .kind = BFK_OP_RECHARGE, .calldata = calldata, .summary = summary,
      .member_id = self->member->id, .community_id = c->id, .amount = amount,
    };

    bfk_op_tracker_submit (NULL, self->session, &b->address, &request, "recharge", subject, _("Recharge"));
  }
  /* The confirmation is transient for this window and closes after this
   * handler: destroying its parent now would pull it from under it. */
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
  g_idle_add_once (destroy_later, g_object_ref (self));
}

static void
confirm_action (GtkWidget   *widget,
                const gchar *action_name,
                GVariant    *parameter)
{
  BfkRechargeDialog *self = BFK_RECHARGE_DIALOG (widget);
  gint64 remaining = -1;
  const BfkBackerRow *b = current_backer (self, &remaining);
  const BfkCommunityRow *c = current_community (self);
  gint64 amount = typed_amount (self);
  g_autofree gchar *backer = NULL, *who = NULL, *what = NULL, *after = NULL, *body = NULL;
  AdwMessageDialog *dialog;

  if (!b || !c || !self->member || amount <= 0 || amount > remaining)
    return;
  backer = bfk_format_short_hash (b->text);
  who = member_label (self->member);
  what = bfk_format_amount (amount, c->symbol);
  after = bfk_format_amount (remaining - amount, c->symbol);
  body = g_strdup_printf (_("Backer %s will mint %s for %s in %s. %s remain this week after this."),
                          backer, what, who, c->name, after);
  dialog = bfk_confirm_present (widget, _("Recharge This Member?"), body, _("_Recharge"), FALSE);
  g_signal_connect_object (dialog, "response::confirm", G_CALLBACK (on_confirmed), self, 0);
}

static void
on_amount_activated (BfkRechargeDialog *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "recharge.confirm", NULL);
}

/* The active backers, and the start of the read of what they have left. */
static void
load (BfkRechargeDialog *self)
{
  BfkStore *store = bfk_session_get_store (self->session);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) all = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  self->communities = bfk_chain_rows_communities (store, &error);
  all = self->communities ? bfk_chain_rows_backers (store, &error) : NULL;
  self->backers = g_array_new (FALSE, FALSE, sizeof (BfkBackerRow));
  self->remaining = bfk_chain_rows_remaining_new ();
  if (!all)
    g_warning ("The backers could not be read: %s", error->message);
  for (guint i = 0; all && i < all->len; i++)
    {
      const BfkBackerRow *b = &g_array_index (all, BfkBackerRow, i);
      const BfkCommunityRow *c = bfk_chain_rows_find_community (self->communities, b->community_id);
      g_autofree gchar *short_text = bfk_format_short_hash (b->text);

      if (!b->active)
        continue;
      g_array_append_val (self->backers, *b);
      g_ptr_array_add (names, g_strdup_printf ("%s — %s", short_text, c ? c->name : "?"));
    }
  g_ptr_array_add (names, NULL);
  gtk_string_list_splice (self->backer_names, 0, 0, (const gchar * const *) names->pdata);
  self->members = bfk_member_model_new (store, &error);
  if (!self->members)
    g_warning ("The members could not be read: %s", error->message);
  if (self->backers->len)
    bfk_backend_read_backers_async (backend_of (self), (const BfkAddress *) self->backers->data,
                                    self->backers->len, self->cancellable, on_remaining, self);
}

BfkRechargeDialog *
bfk_recharge_dialog_present (GtkWidget   *parent,
                             BfkSession  *session,
                             const gchar *member_phone)
{
  GtkRoot *root = parent ? gtk_widget_get_root (parent) : NULL;
  BfkRechargeDialog *self;

  g_return_val_if_fail (BFK_IS_SESSION (session), NULL);

  self = g_object_new (BFK_TYPE_RECHARGE_DIALOG,
                       "transient-for", GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, NULL);
  self->session = g_object_ref (session);
  if (bfk_session_get_store (session))
    load (self);
  if (member_phone && bfk_session_get_store (session))
    {
      g_autoptr(BfkMember) m = bfk_members_find_by_phone (bfk_session_get_store (session), member_phone, NULL);

      for (guint i = 0; m && i < self->backers->len; i++)
        if (g_array_index (self->backers, BfkBackerRow, i).community_id == m->community_id)
          {
            adw_combo_row_set_selected (self->backer_row, i);
            break;
          }
      if (m)
        bfk_recharge_dialog_select_member (self, m->id);
    }
  search_members (self);
  update_state (self);
  gtk_window_present (GTK_WINDOW (self));
  return self;
}

static void
bfk_recharge_dialog_dispose (GObject *object)
{
  BfkRechargeDialog *self = BFK_RECHARGE_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), BFK_TYPE_RECHARGE_DIALOG);
  g_clear_object (&self->members);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (bfk_recharge_dialog_parent_class)->dispose (object);
}

static void
bfk_recharge_dialog_finalize (GObject *object)
{
  BfkRechargeDialog *self = BFK_RECHARGE_DIALOG (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->communities, g_ptr_array_unref);
  g_clear_pointer (&self->backers, g_array_unref);
  g_clear_pointer (&self->remaining, g_hash_table_unref);
  g_clear_pointer (&self->member, bfk_member_free);
  G_OBJECT_CLASS (bfk_recharge_dialog_parent_class)->finalize (object);
}

static void
bfk_recharge_dialog_class_init (BfkRechargeDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bfk_recharge_dialog_dispose;
  object_class->finalize = bfk_recharge_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/bafoka/Console/pages/bfk-recharge-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, BfkRechargeDialog, backer_row);
  gtk_widget_class_bind_template_child (widget_class, BfkRechargeDialog, backer_names);
  gtk_widget_class_bind_template_child (widget_class, BfkRechargeDialog, key_row);
  gtk_widget_class_bind_template_child (widget_class, BfkRechargeDialog, unlock_button);
  gtk_widget_class_bind_template_child (widget_class, BfkRechargeDialog, member_search);
  gtk_widget_class_bind_template_child (widget_class, BfkRechargeDialog, member_list);
  gtk_widget_class_bind_template_child (widget_class, BfkRechargeDialog, amount_row);
  gtk_widget_class_bind_template_child (widget_class, BfkRechargeDialog, hint_label);
  gtk_widget_class_bind_template_child (widget_class, BfkRechargeDialog, recharge_button);
  gtk_widget_class_bind_template_callback (widget_class, on_backer_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, update_state);
  gtk_widget_class_bind_template_callback (widget_class, on_amount_activated);
  gtk_widget_class_install_action (widget_class, "recharge.unlock", NULL, unlock_action);
  gtk_widget_class_install_action (widget_class, "recharge.pick-member", "x", pick_member_action);
  gtk_widget_class_install_action (widget_class, "recharge.confirm", NULL, confirm_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
bfk_recharge_dialog_init (BfkRechargeDialog *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}
