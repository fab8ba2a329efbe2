/* bfk-backers-page.c: backers by community, approve and revoke.
 *
 * The store has each backer's approval (from the events); what it may
 * still mint this week depends on block time, so it is read from the
 * chain (bfk_backend_read_backers_async), after the rows are shown, and
 * kept until the next read so that the figures do not blink.
 */
#include <glib/gi18n.h>
#include <sqlite3.h>

#include "bfk-backers-page.h"
#include "bfk-chain-rows.h"
#include "bfk-confirm.h"
#include "bfk-contract.h"
#include "bfk-format.h"
#include "bfk-op-tracker.h"
#include "bfk-recharge-dialog.h"

/* Far above any village's week, far below the contract's uint96. */
#define CAP_MAX G_GINT64_CONSTANT (1000000000)

struct _BfkBackersPage
{
  BfkPage              parent_instance;

  AdwStatusPage       *empty_page;
  GtkBox              *groups_box;
  BfkOpTracker        *tracker;
  AdwEntryRow         *address_row;
  AdwComboRow         *community_row;
  GtkStringList       *community_names;
  AdwEntryRow         *cap_row;
  GtkLabel            *form_hint;
  GtkWidget           *approve_button;

  GPtrArray           *communities;   /* BfkCommunityRow */
  GArray              *backers;       /* BfkBackerRow */
  GHashTable          *remaining;     /* address text → gint64 *, from the chain */
  gchar               *shown;         /* what the groups show */
  GCancellable        *cancellable;
  gboolean             reading;
  gboolean             read_again;
  gchar               *remaining_key;  /* what the last read of the chain was for */
};

G_DEFINE_FINAL_TYPE (BfkBackersPage, bfk_backers_page, BFK_TYPE_PAGE)

static BfkBackend *
backend_of (BfkBackersPage *self)
{
  return bfk_session_get_backend (bfk_page_get_session (BFK_PAGE (self)));
}

static gboolean
holds_operator_key (BfkBackersPage *self)
{
  const BfkAddress *operator = bfk_backend_get_operator (backend_of (self));

  return operator && bfk_backend_has_signer (backend_of (self), operator);
}

static const gchar *
symbol_of (BfkBackersPage *self,
           guint64         community_id)
{
  const BfkCommunityRow *c = bfk_chain_rows_find_community (self->communities, community_id);

  return c ? c->symbol : NULL;
}

static gchar *
describe_backer (BfkBackersPage     *self,
                 const BfkBackerRow *b)
{
  const gchar *symbol = symbol_of (self, b->community_id);
  g_autofree gchar *cap = bfk_format_amount (b->weekly_cap, symbol);
  gint64 *left = g_hash_table_lookup (self->remaining, b->text);
  g_autofree gchar *left_text = left ? bfk_format_amount (*left, symbol) : NULL;

  if (!b->active)
    return g_strdup_printf (_("Revoked · the cap was %s a week"), cap);
  if (!left)
    return g_strdup_printf (_("Weekly cap %s · reading what is left this week…"), cap);
  return g_strdup_printf (_("Weekly cap %s · %s left this week"), cap, left_text);
}

static GtkWidget *
row_button (const gchar *label,
            const gchar *action,
            const gchar *address,
            const gchar *tooltip,
            gboolean     destructive)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", address);
  gtk_widget_set_tooltip_text (button, tooltip);
  if (destructive)
    gtk_widget_add_css_class (button, "destructive-action");
  return button;
}

static GtkWidget *
backer_row (BfkBackersPage     *self,
            const BfkBackerRow *b)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree gchar *title = bfk_format_short_hash (b->text);
  g_autofree gchar *subtitle = describe_backer (self, b);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_tooltip_text (row, b->text);
  gtk_widget_set_name (row, b->text);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                             gtk_image_new_from_icon_name (b->active ? "starred-symbolic" : "non-starred-symbolic"));
  if (b->active)
    {
      gboolean key = bfk_backend_has_signer (backend_of (self), &b->address);

      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 row_button (_("_Recharge…"), "backers.recharge", b->text,
                                             key ? _("Mint for a member of this community")
                                                 : _("Needs this backer's key: you will be asked to unlock its keystore"),
                                             FALSE));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 row_button (_("Re_voke…"), "backers.revoke", b->text,
                                             holds_operator_key (self) ? _("Stop this backer from minting")
                                                                      : _("Needs the operator's admin key, which the backend holds while it runs"),
                                             TRUE));
    }
  return row;
}

static void
show_backers (BfkBackersPage *self)
{
  g_autoptr(GString) shown = g_string_new (NULL);
  GtkWidget *child;
  AdwPreferencesGroup *group = NULL;
  guint64 group_id = 0;

  for (guint i = 0; i < self->backers->len; i++)
    {
      const BfkBackerRow *b = &g_array_index (self->backers, BfkBackerRow, i);
      g_autofree gchar *d = describe_backer (self, b);

      g_string_append_printf (shown, "%s|%" G_GUINT64_FORMAT "|%s|%d\n", b->text, b->community_id, d,
                              bfk_backend_has_signer (backend_of (self), &b->address));
    }
  g_string_append_printf (shown, "%d", holds_operator_key (self));
  if (g_strcmp0 (shown->str, self->shown) == 0)
    return;
  g_free (self->shown);
  self->shown = g_strdup (shown->str);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->groups_box))))
    gtk_box_remove (self->groups_box, child);
  for (guint i = 0; i < self->backers->len; i++)
    {
      const BfkBackerRow *b = &g_array_index (self->backers, BfkBackerRow, i);

      if (!group || b->community_id != group_id)
        {
          const BfkCommunityRow *c = bfk_chain_rows_find_community (self->communities, b->community_id);
          g_autofree gchar *fallback = g_strdup_printf (_("Community %llu"), (unsigned long long) b->community_id);

          group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
          adw_preferences_group_set_title (group, c ? c->name : fallback);
          if (c)
            adw_preferences_group_set_description (group, c->currency);
          gtk_box_append (self->groups_box, GTK_WIDGET (group));
          group_id = b->community_id;
        }
      adw_preferences_group_add (group, backer_row (self, b));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->empty_page), self->backers->len == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->groups_box), self->backers->len > 0);
}

static void read_remaining (BfkBackersPage *self);

static void
on_remaining (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) infos = bfk_backend_read_backers_finish (BFK_BACKEND (source), result, &error);
  BfkBackersPage *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = BFK_BACKERS_PAGE (user_data);
  self->reading = FALSE;
  if (infos)
    bfk_chain_rows_add_remaining (self->remaining, infos);
  else
    g_message ("What the backers have left this week could not be read: %s", error->message);
  show_backers (self);
  if (self->read_again)
    read_remaining (self);
}

static void
read_remaining (BfkBackersPage *self)
{
  g_autoptr(GArray) addresses = g_array_new (FALSE, FALSE, sizeof (BfkAddress));

  self->read_again = self->reading;
  if (self->reading)
    return;
  for (guint i = 0; i < self->backers->len; i++)
    g_array_append_val (addresses, g_array_index (self->backers, BfkBackerRow, i).address);
  if (addresses->len == 0)
    return;
  self->reading = TRUE;
  bfk_backend_read_backers_async (backend_of (self), (const BfkAddress *) addresses->data, addresses->len,
                                  self->cancellable, on_remaining, self);
}

/* The approval form, checked; *problem says what is wrong. */
static gboolean
read_form (BfkBackersPage  *self,
           BfkAddress      *address,
           guint64         *community_id,
           gint64          *cap,
           gchar          **problem)
{
  g_autofree gchar *a = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->address_row))));
  g_autofree gchar *c = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->cap_row))));
  guint selected = adw_combo_row_get_selected (self->community_row);
  guint64 value = 0;

  *problem = NULL;
  if (!*a || !*c)
    *problem = g_strdup (_("Fill in the backer's address and its weekly cap."));
  else if (!bfk_address_parse (a, address, NULL) || bfk_address_is_zero (address))
    *problem = g_strdup (_("The address is “0x” followed by 40 hexadecimal digits."));
  else if (!self->communities || selected >= self->communities->len)
    *problem = g_strdup (_("Choose the community."));
  else if (!g_ascii_string_to_unsigned (c, 10, 1, CAP_MAX, &value, NULL))
    *problem = g_strdup_printf (_("The weekly cap is a whole number from 1 to %lld."), (long long) CAP_MAX);
  if (*problem)
    return FALSE;
  *community_id = ((BfkCommunityRow *) self->communities->pdata[selected])->id;
  *cap = (gint64) value;
  return TRUE;
}

static void
on_form_changed (BfkBackersPage *self)
{
  g_autofree gchar *problem = NULL;
  BfkAddress address;
  guint64 community_id;
  gint64 cap;
  gboolean valid = read_form (self, &address, &community_id, &cap, &problem);
  gboolean key = holds_operator_key (self);
  gboolean empty = !*gtk_editable_get_text (GTK_EDITABLE (self->address_row))
                   && !*gtk_editable_get_text (GTK_EDITABLE (self->cap_row));

  gtk_label_set_text (self->form_hint, empty ? "" : problem ? problem : _("Ready to approve."));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "backers.approve", valid && key);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "backers.revoke", key);
  gtk_widget_set_tooltip_text (self->approve_button,
                               key ? NULL : _("Needs the operator's admin key, which the backend holds while it runs"));
}

static void
on_approve_confirmed (AdwMessageDialog *dialog,
                      const gchar      *response,
                      gpointer          user_data)
{
  BfkBackersPage *self = BFK_BACKERS_PAGE (user_data);
  g_autofree gchar *problem = NULL, *summary = NULL;
  gchar text[BFK_ADDRESS_STRING_SIZE];
  g_autoptr(GBytes) calldata = NULL;
  BfkAddress address;
  guint64 community_id;
  gint64 cap;

  if (!read_form (self, &address, &community_id, &cap, &problem))
    {
      bfk_session_toast (bfk_page_get_session (BFK_PAGE (self)), "%s", problem);
      return;
    }
  bfk_address_to_string_buf (&address, text);
  calldata = bfk_contract_encode_approve_backer (&address, community_id, bfk_u256_from_u64 ((guint64) cap));
  summary = g_strdup_printf ("approve backer %s for community %" G_GUINT64_FORMAT ", %" G_GINT64_FORMAT
                             " a week", text, community_id, cap);
  {
    BfkOpRequest request = {
      .kind = BFK_OP_APPROVE_BACKER, .calldata = calldata, .summary = summary,
      .community_id = community_id, .amount = cap,
    };

    bfk_op_tracker_submit (self->tracker, bfk_page_get_session (BFK_PAGE (self)), NULL, &request,
                           "approve_backer", text, _("Backer approval"));
  }
  gtk_editable_set_text (GTK_EDITABLE (self->address_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->cap_row), "");
}

static void
approve_action (GtkWidget   *widget,
                const gchar *action_name,
                GVariant    *parameter)
{
  BfkBackersPage *self = BFK_BACKERS_PAGE (widget);
  g_autofree gchar *problem = NULL, *body = NULL, *cap_text = NULL;
  gchar text[BFK_ADDRESS_STRING_SIZE];
  const BfkCommunityRow *c;
  BfkAddress address;
  guint64 community_id;
  gint64 cap;
  AdwMessageDialog *dialog;

  if (!read_form (self, &address, &community_id, &cap, &problem))
    return;
  bfk_address_to_string_buf (&address, text);
  c = bfk_chain_rows_find_community (self->communities, community_id);
  cap_text = bfk_format_amount (cap, c->symbol);
  body = g_strdup_printf (_("%s will be allowed to mint up to %s a week for members of %s, "
                            "signing with its own key. Its holder can then create money in this community: "
                            "approve only someone you trust."), text, cap_text, c->name);
  dialog = bfk_confirm_present (widget, _("Approve This Backer?"), body, _("_Approve"), FALSE);
  g_signal_connect_object (dialog, "response::confirm", G_CALLBACK (on_approve_confirmed), self, 0);
}

static const BfkBackerRow *
find_backer (BfkBackersPage *self,
             const gchar    *text)
{
  for (guint i = 0; self->backers && i < self->backers->len; i++)
    if (g_str_equal (g_array_index (self->backers, BfkBackerRow, i).text, text))
      return &g_array_index (self->backers, BfkBackerRow, i);
  return NULL;
}

static void
on_revoke_confirmed (AdwMessageDialog *dialog,
                     const gchar      *response,
                     gpointer          user_data)
{
  BfkBackersPage *self = BFK_BACKERS_PAGE (user_data);
  const gchar *text = g_object_get_data (G_OBJECT (dialog), "bfk-backer");
  g_autofree gchar *summary = g_strdup_printf ("revoke backer %s", text);
  g_autoptr(GBytes) calldata = NULL;
  BfkAddress address;

  if (!bfk_address_parse (text, &address, NULL))
    return;
  calldata = bfk_contract_encode_revoke_backer (&address);
  {
    BfkOpRequest request = { .kind = BFK_OP_REVOKE_BACKER, .calldata = calldata, .summary = summary };

    bfk_op_tracker_submit (self->tracker, bfk_page_get_session (BFK_PAGE (self)), NULL, &request,
                           "revoke_backer", text, _("Revocation"));
  }
}

static void
revoke_action (GtkWidget   *widget,
               const gchar *action_name,
               GVariant    *parameter)
{
  BfkBackersPage *self = BFK_BACKERS_PAGE (widget);
  const gchar *text = g_variant_get_string (parameter, NULL);
  const BfkBackerRow *b = find_backer (self, text);
  const BfkCommunityRow *c;
  g_autofree gchar *body = NULL;
  AdwMessageDialog *dialog;

  if (!b)
    return;
  c = bfk_chain_rows_find_community (self->communities, b->community_id);
  body = g_strdup_printf (_("%s will no longer be able to mint for members of %s. What it already minted "
                            "stays with the members. You can approve it again later."),
                          b->text, c ? c->name : "?");
  dialog = bfk_confirm_present (widget, _("Revoke This Backer?"), body, _("_Revoke"), TRUE);
  g_object_set_data_full (G_OBJECT (dialog), "bfk-backer", g_strdup (b->text), g_free);
  g_signal_connect_object (dialog, "response::confirm", G_CALLBACK (on_revoke_confirmed), self, 0);
}

static void
recharge_action (GtkWidget   *widget,
                 const gchar *action_name,
                 GVariant    *parameter)
{
  BfkRechargeDialog *dialog = bfk_recharge_dialog_present (widget, bfk_page_get_session (BFK_PAGE (widget)), NULL);

  bfk_recharge_dialog_select_backer (dialog, g_variant_get_string (parameter, NULL));
}

static void
update_communities (BfkBackersPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->community_names));
  guint selected = adw_combo_row_get_selected (self->community_row);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  if (n == self->communities->len)
    return;
  for (guint i = 0; i < self->communities->len; i++)
    g_ptr_array_add (names, ((BfkCommunityRow *) self->communities->pdata[i])->name);
  g_ptr_array_add (names, NULL);
  gtk_string_list_splice (self->community_names, 0, n, (const gchar * const *) names->pdata);
  if (selected != GTK_INVALID_LIST_POSITION && selected < self->communities->len)
    adw_combo_row_set_selected (self->community_row, selected);
}

/* What a backer has left this week moves with the chain's events (a
 * recharge, an approval) and with the week: the page reads it from the
 * node again only then, not at each message the backend stores. */
static gboolean
remaining_changed (BfkBackersPage *self,
                   BfkStore       *store)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store, "SELECT coalesce (max (id), 0) FROM events", NULL);
  gint64 last_event = stmt && sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : -1;
  GString *key = g_string_new (NULL);
  gboolean changed;

  if (stmt)
    sqlite3_reset (stmt);
  g_string_append_printf (key, "%" G_GINT64_FORMAT "|%" G_GINT64_FORMAT, last_event,
                          bfk_store_now () / (7 * 24 * 3600));
  for (guint i = 0; i < self->backers->len; i++)
    {
      const BfkBackerRow *b = &g_array_index (self->backers, BfkBackerRow, i);

      g_string_append_printf (key, "|%s:%" G_GINT64_FORMAT ":%d", b->text, b->weekly_cap, b->active);
    }
  changed = g_strcmp0 (key->str, self->remaining_key) != 0;
  g_free (self->remaining_key);
  self->remaining_key = g_string_free (key, FALSE);
  return changed;
}

static void
bfk_backers_page_refresh (BfkPage *page)
{
  BfkBackersPage *self = BFK_BACKERS_PAGE (page);
  g_autoptr(GError) error = NULL;
  GPtrArray *communities = bfk_chain_rows_communities (bfk_page_get_store (page), &error);
  GArray *backers = communities ? bfk_chain_rows_backers (bfk_page_get_store (page), &error) : NULL;

  if (!backers)
    {
      g_warning ("The backers could not be read: %s", error->message);
      g_clear_pointer (&communities, g_ptr_array_unref);
      return;
    }
  g_clear_pointer (&self->communities, g_ptr_array_unref);
  g_clear_pointer (&self->backers, g_array_unref);
  self->communities = communities;
  self->backers = backers;
  update_communities (self);
  show_backers (self);
  if (remaining_changed (self, bfk_page_get_store (page)))
    read_remaining (self);
  bfk_op_tracker_refresh (self->tracker, bfk_page_get_store (page));
  on_form_changed (self);
}

static void
bfk_backers_page_dispose (GObject *object)
{
  BfkBackersPage *self = BFK_BACKERS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), BFK_TYPE_BACKERS_PAGE);
  G_OBJECT_CLASS (bfk_backers_page_parent_class)->dispose (object);
}

static void
bfk_backers_page_finalize (GObject *object)
{
  BfkBackersPage *self = BFK_BACKERS_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->communities, g_ptr_array_unref);
  g_clear_pointer (&self->backers, g_array_unref);
  g_hash_table_unref (self->remaining);
  g_free (self->shown);
  g_free (self->remaining_key);
  G_OBJECT_CLASS (bfk_backers_page_parent_class)->finalize (object);
}

static void
bfk_backers_page_class_init (BfkBackersPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bfk_backers_page_dispose;
  object_class->finalize = bfk_backers_page_finalize;
  BFK_PAGE_CLASS (klass)->refresh = bfk_backers_page_refresh;

  g_type_ensure (BFK_TYPE_OP_TRACKER);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/bafoka/Console/pages/bfk-backers-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BfkBackersPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, BfkBackersPage, groups_box);
  gtk_widget_class_bind_template_child (widget_class, BfkBackersPage, tracker);
  gtk_widget_class_bind_template_child (widget_class, BfkBackersPage, address_row);
  gtk_widget_class_bind_template_child (widget_class, BfkBackersPage, community_row);
  gtk_widget_class_bind_template_child (widget_class, BfkBackersPage, community_names);
  gtk_widget_class_bind_template_child (widget_class, BfkBackersPage, cap_row);
  gtk_widget_class_bind_template_child (widget_class, BfkBackersPage, form_hint);
  gtk_widget_class_bind_template_child (widget_class, BfkBackersPage, approve_button);
  gtk_widget_class_bind_template_callback (widget_class, on_form_changed);
  gtk_widget_class_install_action (widget_class, "backers.approve", NULL, approve_action);
  gtk_widget_class_install_action (widget_class, "backers.revoke", "s", revoke_action);
  gtk_widget_class_install_action (widget_class, "backers.recharge", "s", recharge_action);
}

static void
bfk_backers_page_init (BfkBackersPage *self)
{
  self->remaining = bfk_chain_rows_remaining_new ();
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "backers.approve", FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->groups_box), FALSE);
}
