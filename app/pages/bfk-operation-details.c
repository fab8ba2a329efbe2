/* bfk-operation-details.c: one operation, read fresh at each show. */
#include <glib/gi18n.h>

#include "bfk-format.h"
#include "bfk-operation-details.h"
#include "bfk-outbox.h"

struct _BfkOperationDetails
{
  AdwBin      parent_instance;

  GtkLabel   *summary_label;
  GtkLabel   *facts_label;
  GtkLabel   *reason_label;
  GtkButton  *hash_button;
  GtkWidget  *copy_button;
  GtkWidget  *bump_button;
  GtkWidget  *cancel_button;

  BfkSession *session;
  gchar      *tx_hash;
};

G_DEFINE_FINAL_TYPE (BfkOperationDetails, bfk_operation_details, ADW_TYPE_BIN)

static void
copy_hash (BfkOperationDetails *self)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), self->tx_hash);
  if (self->session)
    bfk_session_toast (self->session, "%s", _("Transaction hash copied"));
}

static void
on_copy_clicked (BfkOperationDetails *self)
{
  copy_hash (self);
}

static void
on_hash_clicked (BfkOperationDetails *self)
{
  g_autofree gchar *url = NULL;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (!self->tx_hash || !self->session)
    return;
  /* No explorer knows the local network: the hash is only copied. */
  url = bfk_session_explorer_url (self->session, self->tx_hash);
  if (!url)
    copy_hash (self);
  else
    gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, url, GDK_CURRENT_TIME);
}

static void
append_fact (GString     *facts,
             const gchar *fact)
{
  if (facts->len > 0)
    g_string_append (facts, " · ");
  g_string_append (facts, fact);
}

static gchar *
describe (const BfkOpInfo  *info,
          const BfkAddress *operator)
{
  g_autoptr(GString) facts = g_string_new (NULL);
  g_autofree gchar *operator_text = operator ? bfk_address_to_string (operator) : NULL;
  g_autofree gchar *signer = NULL;

  if (operator_text && g_ascii_strcasecmp (operator_text, info->signer) == 0)
    signer = g_strdup (_("the operator"));
  else
    signer = bfk_format_short_hash (info->signer);

  {
    g_autofree gchar *t = g_strdup_printf (_("Operation %lld"), (long long) info->id);
    append_fact (facts, t);
  }
  if (info->state != BFK_OP_QUEUED || info->nonce > 0)
    {
      g_autofree gchar *t = g_strdup_printf (_("nonce %llu"), (unsigned long long) info->nonce);
      append_fact (facts, t);
    }
  {
    g_autofree gchar *t = g_strdup_printf (_("signed by %s"), signer);
    append_fact (facts, t);
  }
  if (info->sent_at > 0)
    {
      g_autofree gchar *when = bfk_format_date_time (info->sent_at);
      g_autofree gchar *t = g_strdup_printf (_("sent %s"), when);
      append_fact (facts, t);
    }
  if (info->block_number > 0)
    {
      g_autofree gchar *t = g_strdup_printf (_("block %llu"), (unsigned long long) info->block_number);
      append_fact (facts, t);
    }
  return g_string_free (g_steal_pointer (&facts), FALSE);
}

/* Why a button is greyed out, or what it does: GTK shows the tooltips of
 * insensitive widgets too. */
static void
explain_buttons (BfkOperationDetails *self,
                 BfkOpState           state)
{
  gboolean can_bump = state == BFK_OP_SIGNED || state == BFK_OP_SENT;
  gboolean can_cancel = can_bump || state == BFK_OP_QUEUED;

  gtk_widget_set_tooltip_text (self->bump_button,
                               can_bump ? _("Send it again now, with higher fees, so that the network mines it sooner")
                               : state == BFK_OP_QUEUED ? _("It has not been sent yet: there is no fee to raise")
                               : _("Only a transaction sent and not yet mined can be sent again"));
  gtk_widget_set_tooltip_text (self->cancel_button,
                               can_cancel ? _("Replace it with an empty transaction, so that it never happens")
                               : _("Only a transaction not yet mined can be cancelled"));
}

void
bfk_operation_details_show (BfkOperationDetails *self,
                            BfkSession          *session,
                            gint64               op_id)
{
  BfkStore *store = bfk_session_get_store (session);
  g_autoptr(BfkOpInfo) info = NULL;
  g_autofree gchar *facts = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (BFK_IS_OPERATION_DETAILS (self));

  g_set_object (&self->session, session);
  g_clear_pointer (&self->tx_hash, g_free);
  if (!store || !(info = bfk_outbox_get (store, op_id, &error)))
    {
      gtk_label_set_text (self->summary_label, error ? error->message : "");
      gtk_label_set_text (self->facts_label, "");
      gtk_widget_set_visible (GTK_WIDGET (self->reason_label), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->hash_button), FALSE);
      gtk_widget_set_visible (self->copy_button, FALSE);
      return;
    }

  gtk_label_set_text (self->summary_label, info->summary);
  facts = describe (info, bfk_backend_get_operator (bfk_session_get_backend (session)));
  gtk_label_set_text (self->facts_label, facts);
  gtk_label_set_text (self->reason_label, info->reason ? info->reason : "");
  gtk_widget_set_visible (GTK_WIDGET (self->reason_label),
                          info->state == BFK_OP_FAILED && info->reason && *info->reason);

  self->tx_hash = g_strdup (info->tx_hash);
  if (self->tx_hash)
    {
      g_autofree gchar *url = bfk_session_explorer_url (session, self->tx_hash);
      g_autofree gchar *short_hash = bfk_format_short_hash (self->tx_hash);

      gtk_button_set_label (self->hash_button, short_hash);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->hash_button),
                                   url ? _("Open the transaction in the block explorer")
                                   : _("Copy the transaction hash"));
      /* On the local network the hash button copies already. */
      gtk_widget_set_visible (self->copy_button, url != NULL);
    }
  else
    gtk_widget_set_visible (self->copy_button, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->hash_button), self->tx_hash != NULL);
  explain_buttons (self, info->state);
}

static void
bfk_operation_details_dispose (GObject *object)
{
  BfkOperationDetails *self = BFK_OPERATION_DETAILS (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), BFK_TYPE_OPERATION_DETAILS);
  g_clear_object (&self->session);
  g_clear_pointer (&self->tx_hash, g_free);
  G_OBJECT_CLASS (bfk_operation_details_parent_class)->dispose (object);
}

static void
bfk_operation_details_class_init (BfkOperationDetailsClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = bfk_operation_details_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/bafoka/Console/pages/bfk-operation-details.ui");
  gtk_widget_class_bind_template_child (widget_class, BfkOperationDetails, summary_label);
  gtk_widget_class_bind_template_child (widget_class, BfkOperationDetails, facts_label);
  gtk_widget_class_bind_template_child (widget_class, BfkOperationDetails, reason_label);
  gtk_widget_class_bind_template_child (widget_class, BfkOperationDetails, hash_button);
  gtk_widget_class_bind_template_child (widget_class, BfkOperationDetails, copy_button);
  gtk_widget_class_bind_template_child (widget_class, BfkOperationDetails, bump_button);
  gtk_widget_class_bind_template_child (widget_class, BfkOperationDetails, cancel_button);
  gtk_widget_class_bind_template_callback (widget_class, on_hash_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_copy_clicked);
}

static void
bfk_operation_details_init (BfkOperationDetails *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
bfk_operation_details_new (void)
{
  return g_object_new (BFK_TYPE_OPERATION_DETAILS, NULL);
}
