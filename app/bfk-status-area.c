/* bfk-status-area.c: the backend's status in a few words, with the gas in
 * red when the operator runs low (nothing is sent once it is paused). */
#include <glib/gi18n.h>

#include "bfk-format.h"
#include "bfk-status-area.h"

struct _BfkStatusArea
{
  GtkWidget    parent_instance;

  BfkSession  *session;
  GtkLabel    *network_label;
  GtkLabel    *block_label;
  GtkLevelBar *sync_bar;
  GtkLabel    *sync_label;
  GtkLabel    *gas_label;
};

G_DEFINE_FINAL_TYPE (BfkStatusArea, bfk_status_area, GTK_TYPE_WIDGET)

static const gchar *
network_name (BfkNetwork network)
{
  switch (network)
    {
    case BFK_NETWORK_LOCAL: return _("Local test network");
    case BFK_NETWORK_AMOY: return _("Polygon Amoy (test)");
    case BFK_NETWORK_POLYGON: return _("Polygon");
    case BFK_NETWORK_CUSTOM: default: return _("Custom network");
    }
}

static void
show_status (BfkStatusArea *self)
{
  const BfkBackendStatus *status = bfk_session_get_status (self->session);
  g_autofree gchar *block = NULL, *gas = NULL, *amount = NULL;

  if (!status)
    return;
  if (status->rpc_error)
    {
      gtk_label_set_text (self->block_label, _("Node unreachable"));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->block_label), status->rpc_error);
      gtk_widget_add_css_class (GTK_WIDGET (self->block_label), "error");
    }
  else
    {
      block = g_strdup_printf (_("Block %'llu"), (unsigned long long) status->head);
      gtk_label_set_text (self->block_label, block);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->block_label), _("The latest block of the chain"));
      gtk_widget_remove_css_class (GTK_WIDGET (self->block_label), "error");
    }

  if (status->lag == 0)
    gtk_label_set_text (self->sync_label, _("Up to date"));
  else
    {
      g_autofree gchar *behind = g_strdup_printf (ngettext ("%'llu block behind",
                                                               "%'llu blocks behind",
                                                               status->lag),
                                                     (unsigned long long) status->lag);

      gtk_label_set_text (self->sync_label, behind);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->sync_bar), status->lag > 0 && status->head > 0);
  if (status->head > 0)
    gtk_level_bar_set_value (self->sync_bar, (gdouble) status->synced / (gdouble) status->head);

  amount = bfk_format_coin (status->gas_balance, 3, bfk_session_get_config (self->session)->network);
  gas = g_strdup_printf (_("Gas %s"), amount);
  gtk_label_set_text (self->gas_label, gas);
  if (status->gas_state == BFK_GAS_OK)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->gas_label), "error");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->gas_label), _("The operator's balance, which pays every transaction's fee"));
    }
  else
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->gas_label), "error");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->gas_label),
                                   status->gas_state == BFK_GAS_PAUSED
                                   ? _("The operator has too little gas: nothing is sent until its address is refilled")
                                   : _("The operator's gas is running low: refill its address soon"));
    }
}

void
bfk_status_area_set_session (BfkStatusArea *self,
                             BfkSession    *session)
{
  g_return_if_fail (BFK_IS_STATUS_AREA (self));
  g_return_if_fail (self->session == NULL);

  self->session = g_object_ref (session);
  gtk_label_set_text (self->network_label, network_name (bfk_session_get_config (session)->network));
  g_signal_connect_object (session, "status", G_CALLBACK (show_status), self, G_CONNECT_SWAPPED);
  show_status (self);
}

void
bfk_status_area_set_compact (BfkStatusArea *self,
                             gboolean       compact)
{
  g_return_if_fail (BFK_IS_STATUS_AREA (self));

  gtk_widget_set_visible (GTK_WIDGET (self->network_label), !compact);
  gtk_widget_set_visible (GTK_WIDGET (self->sync_label), !compact);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self),
                               compact ? gtk_label_get_text (self->network_label) : NULL);
}

static void
bfk_status_area_dispose (GObject *object)
{
  BfkStatusArea *self = BFK_STATUS_AREA (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), BFK_TYPE_STATUS_AREA);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (bfk_status_area_parent_class)->dispose (object);
}

static void
bfk_status_area_class_init (BfkStatusAreaClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bfk_status_area_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/bafoka/Console/bfk-status-area.ui");
  gtk_widget_class_bind_template_child (widget_class, BfkStatusArea, network_label);
  gtk_widget_class_bind_template_child (widget_class, BfkStatusArea, block_label);
  gtk_widget_class_bind_template_child (widget_class, BfkStatusArea, sync_bar);
  gtk_widget_class_bind_template_child (widget_class, BfkStatusArea, sync_label);
  gtk_widget_class_bind_template_child (widget_class, BfkStatusArea, gas_label);
}

static void
bfk_status_area_init (BfkStatusArea *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
