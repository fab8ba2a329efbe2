/* bfk-event-list.c: the events table as AdwActionRows. */
#include <adwaita.h>
#include <glib/gi18n.h>

#include "bfk-event-list.h"
#include "bfk-format.h"

const gchar *
bfk_event_kind_label (const gchar *kind)
{
  static const struct { const gchar *name; const gchar *label; } labels[] = {
    { "CommunityAdded", N_("Community added") },
    { "MemberRegistered", N_("Member registered") },
    { "ExchangeProposed", N_("Exchange proposed") },
    { "ExchangeAccepted", N_("Exchange accepted") },
    { "ExchangeDeclined", N_("Exchange declined") },
    { "ExchangeCancelled", N_("Exchange cancelled") },
    { "ExchangeExpired", N_("Exchange expired") },
    { "ExchangeCompleted", N_("Exchange completed") },
    { "ExchangeRated", N_("Exchange rated") },
    { "BackerApproved", N_("Backer approved") },
    { "BackerRevoked", N_("Backer revoked") },
    { "Recharged", N_("Recharge") },
    /* The access control's and the pause's, from the contract's base. */
    { "RoleGranted", N_("Role granted") },
    { "RoleRevoked", N_("Role revoked") },
    { "Paused", N_("Contract paused") },
    { "Unpaused", N_("Contract resumed") },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_strcmp0 (kind, labels[i].name) == 0)
      return _(labels[i].label);
  return kind;
}

static GtkWidget *
new_row (sqlite3_stmt *stmt)
{
  const gchar *kind = (const gchar *) sqlite3_column_text (stmt, 1);
  gint64 block = sqlite3_column_int64 (stmt, 2);
  const gchar *account = (const gchar *) sqlite3_column_text (stmt, 3);
  gint64 amount = sqlite3_column_int64 (stmt, 4);
  const gchar *community = (const gchar *) sqlite3_column_text (stmt, 5);
  const gchar *symbol = (const gchar *) sqlite3_column_text (stmt, 6);
  gboolean confirmed = sqlite3_column_int (stmt, 7) != 0;
  g_autofree gchar *title = NULL;
  g_autofree gchar *who = bfk_format_short_hash (account);
  g_autoptr(GString) subtitle = g_string_new (NULL);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *state;

  if (amount > 0)
    {
      g_autofree gchar *money = bfk_format_amount (amount, symbol);

      title = g_strdup_printf ("%s · %s", bfk_event_kind_label (kind), money);
    }
  else
    title = g_strdup (bfk_event_kind_label (kind));
  g_string_append_printf (subtitle, _("Block %lld"), (long long) block);
  if (community)
    g_string_append_printf (subtitle, " · %s", community);
  if (account)
    g_string_append_printf (subtitle, " · %s", who);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  gtk_widget_set_tooltip_text (row, (const gchar *) sqlite3_column_text (stmt, 8));
  /* Until the follower has seen enough blocks on top, a reorganisation
   * could still undo it. */
  state = gtk_label_new (confirmed ? C_("event", "Final") : C_("event", "Pending"));
  gtk_widget_set_valign (state, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (state, "op-state");
  gtk_widget_add_css_class (state, confirmed ? "op-confirmed" : "op-mined");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), state);
  return row;
}

guint
bfk_event_list_fill (GtkListBox *list,
                     BfkStore   *store)
{
  sqlite3_stmt *stmt;
  g_autofree gchar *signature = NULL;
  GtkWidget *child;
  guint n = 0;

  /* The newest id and the number confirmed say whether anything moved. */
  stmt = bfk_store_prepare (store, "SELECT coalesce (max (id), 0), coalesce (sum (confirmed), 0), count (*)"
                                   "  FROM (SELECT id, confirmed FROM events ORDER BY id DESC LIMIT 100)",
                            NULL);
  if (!stmt)
    return 0;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      signature = g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT,
                                   (gint64) sqlite3_column_int64 (stmt, 0),
                                   (gint64) sqlite3_column_int64 (stmt, 1));
      n = (guint) sqlite3_column_int64 (stmt, 2);
    }
  sqlite3_reset (stmt);
  if (g_strcmp0 (signature, g_object_get_data (G_OBJECT (list), "bfk-signature")) == 0)
    return n;
  g_object_set_data_full (G_OBJECT (list), "bfk-signature", g_steal_pointer (&signature), g_free);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))))
    gtk_list_box_remove (list, child);
  stmt = bfk_store_prepare (store,
                            "SELECT e.id, e.kind, e.block_number, e.account, coalesce (e.amount, 0),"
                            "       c.name, c.currency_symbol, e.confirmed, e.tx_hash"
                            "  FROM events e LEFT JOIN communities c ON c.id = e.community_id"
                            " ORDER BY e.id DESC LIMIT 100",
                            NULL);
  if (!stmt)
    return 0;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    gtk_list_box_append (list, new_row (stmt));
  sqlite3_reset (stmt);
  return n;
}
