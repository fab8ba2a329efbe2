/* bfk-member-panel.c: the inbox's side panel about the member. */
#include <glib/gi18n.h>

#include "bfk-member-panel.h"
#include "bfk-operation-text.h"
#include "bfk-directory.h"
#include "bfk-format.h"
#include "bfk-members.h"
#include "bfk-proposals.h"

#define RECENT_EXCHANGES 5

struct _BfkMemberPanel
{
  AdwBin      parent_instance;

  GtkStack   *panel_stack;
  GtkLabel   *name_label;
  GtkLabel   *community_label;
  GtkLabel   *balance_label;
  GtkLabel   *escrow_label;
  GtkLabel   *reputation_label;
  GtkWidget  *recharge_button;
  GtkListBox *exchanges_list;
};

G_DEFINE_TYPE (BfkMemberPanel, bfk_member_panel, ADW_TYPE_BIN)

static void
bfk_member_panel_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), BFK_TYPE_MEMBER_PANEL);
  G_OBJECT_CLASS (bfk_member_panel_parent_class)->dispose (object);
}

static void
bfk_member_panel_class_init (BfkMemberPanelClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = bfk_member_panel_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/bafoka/Console/pages/bfk-member-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, BfkMemberPanel, panel_stack);
  gtk_widget_class_bind_template_child (widget_class, BfkMemberPanel, name_label);
  gtk_widget_class_bind_template_child (widget_class, BfkMemberPanel, community_label);
  gtk_widget_class_bind_template_child (widget_class, BfkMemberPanel, balance_label);
  gtk_widget_class_bind_template_child (widget_class, BfkMemberPanel, escrow_label);
  gtk_widget_class_bind_template_child (widget_class, BfkMemberPanel, reputation_label);
  gtk_widget_class_bind_template_child (widget_class, BfkMemberPanel, recharge_button);
  gtk_widget_class_bind_template_child (widget_class, BfkMemberPanel, exchanges_list);
}

/* The button is insensitive while the window offers no "win.recharge"
 * (GtkActionable does that): then its tooltip says so. */
static void
on_recharge_sensitive (BfkMemberPanel *self)
{
  gtk_widget_set_tooltip_text (self->recharge_button,
                               gtk_widget_get_sensitive (self->recharge_button)
                               ? _("Credit this member's account from a backer")
                               : _("Recharging is not available in this window"));
}

static void
bfk_member_panel_init (BfkMemberPanel *self)
{
  GtkWidget *none = gtk_label_new (_("No exchanges yet."));

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_add_css_class (none, "dim-label");
  gtk_widget_set_margin_top (none, 12);
  gtk_widget_set_margin_bottom (none, 12);
  gtk_list_box_set_placeholder (self->exchanges_list, none);
  g_signal_connect_object (self->recharge_button, "notify::sensitive",
                           G_CALLBACK (on_recharge_sensitive), self, G_CONNECT_SWAPPED);
  on_recharge_sensitive (self);
}

static GtkWidget *
exchange_row (BfkStore          *store,
              const BfkMemberRow *member,
              const BfkProposal *proposal)
{
  gboolean pays = proposal->payer_id == member->id;
  g_autoptr(BfkMember) other = bfk_members_get (store, pays ? proposal->provider_id
                                                             : proposal->payer_id, NULL);
  g_autofree gchar *amount = bfk_format_amount (proposal->amount, member->currency);
  g_autofree gchar *subtitle = NULL;
  const gchar *other_name = other ? other->name : "—";
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *value = gtk_label_new (NULL);

  subtitle = pays ? g_strdup_printf (_("To %s · %s"), other_name, bfk_proposal_state_label (proposal->state))
                  : g_strdup_printf (_("From %s · %s"), other_name, bfk_proposal_state_label (proposal->state));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), proposal->service);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  /* Paid out shows as minus, as on a statement. */
  {
    g_autofree gchar *signed_amount = g_strconcat (pays ? "−" : "+", amount, NULL);

    gtk_label_set_label (GTK_LABEL (value), signed_amount);
  }
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), value);
  return row;
}

static void
show_exchanges (BfkMemberPanel     *self,
                BfkStore           *store,
                const BfkMemberRow *member)
{
  g_autoptr(GPtrArray) proposals = bfk_proposals_list_by_member (store, member->id, RECENT_EXCHANGES,
                                                                  0, NULL);
  GtkListBoxRow *row;

  while ((row = gtk_list_box_get_row_at_index (self->exchanges_list, 0)))
    gtk_list_box_remove (self->exchanges_list, GTK_WIDGET (row));
  for (guint i = 0; proposals && i < proposals->len; i++)
    gtk_list_box_append (self->exchanges_list, exchange_row (store, member, g_ptr_array_index (proposals, i)));
}

void
bfk_member_panel_show (BfkMemberPanel *self,
                       BfkStore       *store,
                       const gchar    *phone)
{
  g_autoptr(BfkMemberRow) member = NULL;
  g_autofree gchar *balance = NULL, *escrow = NULL, *reputation = NULL;

  g_return_if_fail (BFK_IS_MEMBER_PANEL (self));

  member = phone ? bfk_directory_lookup (store, phone, NULL) : NULL;
  if (!member)
    {
      gtk_stack_set_visible_child_name (self->panel_stack, "newcomer");
      return;
    }
  gtk_stack_set_visible_child_name (self->panel_stack, "member");
  gtk_label_set_label (self->name_label, member->name);
  if (member->community)
    gtk_label_set_label (self->community_label, member->community);
  else
    {
      g_autofree gchar *text = g_strdup_printf (_("Community %llu"), (unsigned long long) member->community_id);

      gtk_label_set_label (self->community_label, text);
    }
  if (member->on_chain)
    {
      balance = bfk_format_amount (member->balance, member->currency);
      escrow = bfk_format_amount (member->escrow, member->currency);
      reputation = member->ratings > 0
                   ? g_strdup_printf (ngettext ("%.1f ★ (%lld rating)",
                                                "%.1f ★ (%lld ratings)",
                                                (gulong) member->ratings),
                                      (gdouble) member->reputation / member->ratings, (long long) member->ratings)
                   : g_strdup (_("No ratings yet"));
    }
  else
    {
      /* Registered here, not yet seen on chain: nothing to show there yet. */
      balance = g_strdup (_("Registering…"));
      escrow = g_strdup ("—");
      reputation = g_strdup ("—");
    }
  gtk_label_set_label (self->balance_label, balance);
  gtk_label_set_label (self->escrow_label, escrow);
  gtk_label_set_label (self->reputation_label, reputation);
  /* The target first: the action takes a number, and a button naming it
   * without one is an error. */
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->recharge_button), "s", phone);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->recharge_button), "win.recharge");
  show_exchanges (self, store, member);
}
