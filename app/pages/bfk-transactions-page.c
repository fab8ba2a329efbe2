/* bfk-transactions-page.c: the outbox as a table that updates in place.
 *
 * The operation model's items are snapshots, and its refresh signals only
 * the rows that came or went; a row whose state moved (sent → confirmed)
 * keeps its place and its old item.  So the page remembers the cells it
 * has bound and, after each refresh, fills them again from the model's
 * fresh item at their position: what is seen is current, and neither the
 * selection nor the scroll moves.
 */
#include <glib/gi18n.h>

#include "bfk-chain-rows.h"
#include "bfk-event-list.h"
#include "bfk-format.h"
#include "bfk-operation-details.h"
#include "bfk-operation-model.h"
#include "bfk-operation-text.h"
#include "bfk-outbox.h"
#include "bfk-transactions-page.h"
#include "bfk-unstick-dialog.h"

/* What an operation's row shows and never changes: read once per id. */
typedef struct
{
  gchar *signer;
  gchar *recipient;
} Parties;

struct _BfkTransactionsPage
{
  BfkPage              parent_instance;

  GtkWidget           *filters;
  GtkDropDown         *kind_filter;
  GtkDropDown         *state_filter;
  GtkDropDown         *community_filter;
  GtkStack            *views;
  GtkStack            *operations_stack;
  GtkColumnView       *view;
  GtkSingleSelection  *selection;
  GtkRevealer         *details_revealer;
  BfkOperationDetails *details;
  AdwStatusPage       *empty_page;
  GtkStack            *events_stack;
  GtkListBox          *events_list;

  BfkOperationModel   *model;
  GHashTable          *bound;        /* GtkListItem → its column's fill function */
  GHashTable          *parties;      /* op id → Parties */
  GPtrArray           *communities;  /* of BfkCommunityRow */
  GArray              *community_ids;/* of the community filter, after "All" */
  gchar               *operator_address;
};

G_DEFINE_FINAL_TYPE (BfkTransactionsPage, bfk_transactions_page, BFK_TYPE_PAGE)

typedef void (*FillFunc) (BfkTransactionsPage *self,
                          GtkLabel            *label,
                          BfkOperationItem    *item);

static void
parties_free (Parties *p)
{
  g_free (p->signer);
  g_free (p->recipient);
  g_free (p);
}

static const BfkCommunityRow *
get_community (BfkTransactionsPage *self,
               guint64              id)
{
  return self->communities ? bfk_chain_rows_find_community (self->communities, id) : NULL;
}

static const Parties *
get_parties (BfkTransactionsPage *self,
             gint64               id)
{
  BfkStore *store = bfk_page_get_store (BFK_PAGE (self));
  sqlite3_stmt *stmt;
  Parties *p = g_hash_table_lookup (self->parties, &id);
  gint64 *key;

  if (p || !store)
    return p;
  stmt = bfk_store_prepare (store,
                            "SELECT o.signer, m.name, coalesce (o.exchange_id, 0)"
                            "  FROM operations o LEFT JOIN members m ON m.id = o.member_id"
                            " WHERE o.id = ?",
                            NULL);
  if (!stmt)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return NULL;
    }
  p = g_new0 (Parties, 1);
  p->signer = g_strdup ((const gchar *) sqlite3_column_text (stmt, 0));
  if (sqlite3_column_type (stmt, 1) != SQLITE_NULL)
    p->recipient = g_strdup ((const gchar *) sqlite3_column_text (stmt, 1));
  else if (sqlite3_column_int64 (stmt, 2) > 0)
    p->recipient = g_strdup_printf (_("Exchange %lld"),
                                    (long long) sqlite3_column_int64 (stmt, 2));
  /* Leave no read transaction open on the shared connection. */
  sqlite3_reset (stmt);
  key = g_new (gint64, 1);
  *key = id;
  g_hash_table_insert (self->parties, key, p);
  return p;
}

/* --- the cells ----------------------------------------------------------- */

static void
fill_time (BfkTransactionsPage *self,
           GtkLabel            *label,
           BfkOperationItem    *item)
{
  g_autofree gchar *text = bfk_format_date_time (bfk_operation_item_get_created_at (item));

  gtk_label_set_text (label, text);
}

static void
fill_kind (BfkTransactionsPage *self,
           GtkLabel            *label,
           BfkOperationItem    *item)
{
  gtk_label_set_text (label, bfk_operation_kind_label (bfk_operation_item_get_kind (item)));
  gtk_widget_set_tooltip_text (GTK_WIDGET (label), bfk_operation_item_get_summary (item));
}

static void
fill_community (BfkTransactionsPage *self,
                GtkLabel            *label,
                BfkOperationItem    *item)
{
  const BfkCommunityRow *c = get_community (self, bfk_operation_item_get_community_id (item));

  gtk_label_set_text (label, c ? c->name : "—");
}

static void
fill_from (BfkTransactionsPage *self,
           GtkLabel            *label,
           BfkOperationItem    *item)
{
  const Parties *p = get_parties (self, bfk_operation_item_get_id (item));
  g_autofree gchar *text = NULL;

  if (p && self->operator_address && g_ascii_strcasecmp (p->signer, self->operator_address) == 0)
    text = g_strdup (_("Operator"));
  else
    text = bfk_format_short_hash (p ? p->signer : NULL);
  gtk_label_set_text (label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (label), p ? p->signer : NULL);
}

static void
fill_to (BfkTransactionsPage *self,
         GtkLabel            *label,
         BfkOperationItem    *item)
{
  const Parties *p = get_parties (self, bfk_operation_item_get_id (item));

  gtk_label_set_text (label, p && p->recipient ? p->recipient : "—");
}

static void
fill_amount (BfkTransactionsPage *self,
             GtkLabel            *label,
             BfkOperationItem    *item)
{
  const BfkCommunityRow *c = get_community (self, bfk_operation_item_get_community_id (item));
  gint64 amount = bfk_operation_item_get_amount (item);
  g_autofree gchar *text = amount != 0 ? bfk_format_amount (amount, c ? c->symbol : NULL) : NULL;

  gtk_label_set_text (label, text ? text : "—");
}

static void
fill_state (BfkTransactionsPage *self,
            GtkLabel            *label,
            BfkOperationItem    *item)
{
  const gchar *state = bfk_operation_item_get_state (item);
  g_autofree gchar *state_class = g_strconcat ("op-", state, NULL);
  const gchar *classes[] = { "op-state", state_class, NULL };
  g_autoptr(BfkOpInfo) info = NULL;

  gtk_label_set_text (label, bfk_operation_state_label (state));
  gtk_widget_set_css_classes (GTK_WIDGET (label), classes);
  /* A failure says why where the eye already is. */
  if (g_strcmp0 (state, "failed") == 0)
    info = bfk_outbox_get (bfk_page_get_store (BFK_PAGE (self)), bfk_operation_item_get_id (item), NULL);
  gtk_widget_set_tooltip_text (GTK_WIDGET (label), info ? info->reason : NULL);
}

static void
fill_attempts (BfkTransactionsPage *self,
               GtkLabel            *label,
               BfkOperationItem    *item)
{
  g_autofree gchar *text = g_strdup_printf ("%d", bfk_operation_item_get_attempts (item));

  gtk_label_set_text (label, text);
}

static void
fill_fee (BfkTransactionsPage *self,
          GtkLabel            *label,
          BfkOperationItem    *item)
{
  BfkSession *session = bfk_page_get_session (BFK_PAGE (self));
  g_autofree gchar *text = bfk_operation_format_fee (bfk_operation_item_get_fee_paid (item),
                                                     bfk_session_get_config (session)->network);

  gtk_label_set_text (label, text);
}

static const struct
{
  const gchar *title;
  FillFunc     fill;
  gfloat       xalign;
  gboolean     expand;
} columns[] = {
  { N_("Time"), fill_time, 0, FALSE },
  { N_("Kind"), fill_kind, 0, FALSE },
  { N_("Community"), fill_community, 0, FALSE },
  { N_("From"), fill_from, 0, FALSE },
  { N_("To"), fill_to, 0, TRUE },
  { N_("Amount"), fill_amount, 1, FALSE },
  { N_("State"), fill_state, 0, FALSE },
  { N_("Attempts"), fill_attempts, 1, FALSE },
  { N_("Fee"), fill_fee, 1, FALSE },
};

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            gpointer                  user_data)
{
  guint column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (factory), "bfk-column"));
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), columns[column].xalign);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (columns[column].fill == fill_state)
    gtk_widget_set_halign (label, GTK_ALIGN_START);
  gtk_list_item_set_child (list_item, label);
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           BfkTransactionsPage      *self)
{
  guint column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (factory), "bfk-column"));

  if (self->bound)
    g_hash_table_insert (self->bound, list_item, columns[column].fill);
  columns[column].fill (self, GTK_LABEL (gtk_list_item_get_child (list_item)),
                        gtk_list_item_get_item (list_item));
}

static void
unbind_cell (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             BfkTransactionsPage      *self)
{
  /* The view may unbind its rows while the page is disposed. */
  if (self->bound)
    g_hash_table_remove (self->bound, list_item);
}

static void
add_columns (BfkTransactionsPage *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;

      g_object_set_data (G_OBJECT (factory), "bfk-column", GUINT_TO_POINTER (i));
      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), NULL);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), self);
      g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cell), self);
      column = gtk_column_view_column_new (_(columns[i].title), factory);
      gtk_column_view_column_set_expand (column, columns[i].expand);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_append_column (self->view, column);
    }
}

/* Fills every bound cell again from the model's current item. */
static void
refill_bound (BfkTransactionsPage *self)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->bound);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      GtkListItem *list_item = key;
      guint position = gtk_list_item_get_position (list_item);
      g_autoptr(BfkOperationItem) item = NULL;

      if (position == GTK_INVALID_LIST_POSITION
          || !(item = g_list_model_get_item (G_LIST_MODEL (self->model), position)))
        continue;
      ((FillFunc) value) (self, GTK_LABEL (gtk_list_item_get_child (list_item)), item);
    }
}

/* --- the filters ----------------------------------------------------------- */

static void
fill_static_filters (BfkTransactionsPage *self)
{
  g_autoptr(GtkStringList) kinds = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) states = gtk_string_list_new (NULL);

  gtk_string_list_append (kinds, _("All kinds"));
  for (guint i = 0; i < BFK_OP_N_KINDS; i++)
    gtk_string_list_append (kinds, bfk_operation_kind_label (bfk_op_kind_to_string (i)));
  gtk_string_list_append (states, _("All states"));
  for (guint i = 0; i < BFK_OP_N_STATES; i++)
    gtk_string_list_append (states, bfk_operation_state_label (bfk_op_state_to_string (i)));
  gtk_drop_down_set_model (self->kind_filter, G_LIST_MODEL (kinds));
  gtk_drop_down_set_model (self->state_filter, G_LIST_MODEL (states));
}

/* Reads the communities again; the filter's list changes only when a
 * community was added, so that an open drop-down is left alone. */
static void
load_communities (BfkTransactionsPage *self)
{
  g_autoptr(GPtrArray) rows = bfk_chain_rows_communities (bfk_page_get_store (BFK_PAGE (self)), NULL);
  g_autoptr(GtkStringList) names = NULL;
  guint selected = gtk_drop_down_get_selected (self->community_filter);
  guint64 chosen = 0;

  if (!rows)
    return;
  g_clear_pointer (&self->communities, g_ptr_array_unref);
  self->communities = g_ptr_array_ref (rows);
  if (rows->len == self->community_ids->len)
    return;

  if (selected != GTK_INVALID_LIST_POSITION && selected > 0 && selected <= self->community_ids->len)
    chosen = g_array_index (self->community_ids, guint64, selected - 1);
  g_array_set_size (self->community_ids, 0);
  names = gtk_string_list_new (NULL);
  gtk_string_list_append (names, _("All communities"));
  selected = 0;
  for (guint i = 0; i < rows->len; i++)
    {
      const BfkCommunityRow *c = rows->pdata[i];

      g_array_append_val (self->community_ids, c->id);
      gtk_string_list_append (names, c->name);
      if (c->id == chosen)
        selected = i + 1;
    }
  g_signal_handlers_block_matched (self->community_filter, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  gtk_drop_down_set_model (self->community_filter, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->community_filter, selected);
  g_signal_handlers_unblock_matched (self->community_filter, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
}

static void
apply_filters (BfkTransactionsPage *self)
{
  guint kind = gtk_drop_down_get_selected (self->kind_filter);
  guint state = gtk_drop_down_get_selected (self->state_filter);
  guint community = gtk_drop_down_get_selected (self->community_filter);

  bfk_operation_model_set_kind (self->model,
                                kind > 0 && kind != GTK_INVALID_LIST_POSITION
                                  ? bfk_op_kind_to_string (kind - 1) : NULL);
  bfk_operation_model_set_state (self->model,
                                 state > 0 && state != GTK_INVALID_LIST_POSITION
                                   ? bfk_op_state_to_string (state - 1) : NULL);
  bfk_operation_model_set_community (self->model,
                                     community > 0 && community <= self->community_ids->len
                                       ? g_array_index (self->community_ids, guint64, community - 1)
                                       : 0);
}

static gboolean
filtered (BfkTransactionsPage *self)
{
  return gtk_drop_down_get_selected (self->kind_filter) > 0
    || gtk_drop_down_get_selected (self->state_filter) > 0
    || gtk_drop_down_get_selected (self->community_filter) > 0;
}

/* --- the selection and its actions ------------------------------------------- */

static BfkOperationItem *
dup_selected (BfkTransactionsPage *self)
{
  guint position = gtk_single_selection_get_selected (self->selection);

  if (!self->model || position == GTK_INVALID_LIST_POSITION)
    return NULL;
  return g_list_model_get_item (G_LIST_MODEL (self->model), position);
}

static void
update_selected (BfkTransactionsPage *self)
{
  g_autoptr(BfkOperationItem) item = dup_selected (self);
  const gchar *state = item ? bfk_operation_item_get_state (item) : "";
  gboolean unsent = g_str_equal (state, "signed") || g_str_equal (state, "sent");

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "transactions.bump", unsent);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "transactions.cancel",
                                 unsent || g_str_equal (state, "queued"));
  if (item)
    bfk_operation_details_show (self->details, bfk_page_get_session (BFK_PAGE (self)),
                                bfk_operation_item_get_id (item));
  gtk_revealer_set_reveal_child (self->details_revealer, item != NULL);
}

static void
on_selection_changed (BfkTransactionsPage *self)
{
  update_selected (self);
}

static void
unstick (BfkTransactionsPage *self,
         BfkStuckAction       action)
{
  g_autoptr(BfkOperationItem) item = dup_selected (self);

  if (item)
    bfk_unstick_dialog_present (GTK_WIDGET (self), bfk_page_get_session (BFK_PAGE (self)),
                                bfk_operation_item_get_id (item), bfk_operation_item_get_state (item),
                                action);
}

static void
bump_action (GtkWidget   *widget,
             const gchar *action_name,
             GVariant    *parameter)
{
  unstick (BFK_TRANSACTIONS_PAGE (widget), BFK_STUCK_BUMP);
}

static void
cancel_action (GtkWidget   *widget,
               const gchar *action_name,
               GVariant    *parameter)
{
  unstick (BFK_TRANSACTIONS_PAGE (widget), BFK_STUCK_CANCEL);
}

/* --- refreshing --------------------------------------------------------------- */

static void
update_empty (BfkTransactionsPage *self)
{
  gboolean empty = g_list_model_get_n_items (G_LIST_MODEL (self->model)) == 0;

  if (filtered (self))
    {
      adw_status_page_set_title (self->empty_page, _("No Matching Transactions"));
      adw_status_page_set_description (self->empty_page,
                                       _("No operation matches these filters: widen them to see more."));
    }
  else
    {
      adw_status_page_set_title (self->empty_page, _("No Transactions Yet"));
      adw_status_page_set_description (self->empty_page,
                                       _("Every write to the chain appears here: registering a member, an exchange, a recharge. Add a member to see the first one."));
    }
  gtk_stack_set_visible_child_name (self->operations_stack, empty ? "empty" : "list");
}

static void
reload_operations (BfkTransactionsPage *self)
{
  g_autoptr(GError) error = NULL;

  apply_filters (self);
  /* A new model reads its index when the view first asks. */
  if (gtk_single_selection_get_model (self->selection) != G_LIST_MODEL (self->model))
    gtk_single_selection_set_model (self->selection, G_LIST_MODEL (self->model));
  else if (!bfk_operation_model_refresh (self->model, &error))
    g_warning ("Could not read the operations: %s", error->message);
  refill_bound (self);
  update_selected (self);
  update_empty (self);
}

static void
reload_events (BfkTransactionsPage *self)
{
  BfkStore *store = bfk_page_get_store (BFK_PAGE (self));
  guint n;

  if (!store)
    return;
  n = bfk_event_list_fill (self->events_list, store);
  gtk_stack_set_visible_child_name (self->events_stack, n > 0 ? "list" : "empty");
}

static void
on_filter_changed (BfkTransactionsPage *self)
{
  if (!self->model)
    return;
  /* A new filter is a new list: nothing stays selected.  (GtkSingleSelection
   * looks for a selected item that left through every row that came in.) */
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  reload_operations (self);
}

static void
on_view_changed (BfkTransactionsPage *self)
{
  gboolean events = g_strcmp0 (gtk_stack_get_visible_child_name (self->views), "events") == 0;

  /* The filters are the operations' only. */
  gtk_widget_set_visible (self->filters, !events);
  if (events)
    reload_events (self);
}

static void
bfk_transactions_page_refresh (BfkPage *page)
{
  BfkTransactionsPage *self = BFK_TRANSACTIONS_PAGE (page);
  BfkStore *store = bfk_page_get_store (page);
  const BfkAddress *operator = bfk_backend_get_operator (bfk_session_get_backend (bfk_page_get_session (page)));
  g_autoptr(GError) error = NULL;

  if (!self->operator_address && operator)
    self->operator_address = bfk_address_to_string (operator);
  load_communities (self);
  if (!self->model)
    {
      if (!(self->model = bfk_operation_model_new (store, &error)))
        {
          g_warning ("Could not read the operations: %s", error->message);
          return;
        }
    }
  reload_operations (self);
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->views), "events") == 0)
    reload_events (self);
}

static void
bfk_transactions_page_dispose (GObject *object)
{
  BfkTransactionsPage *self = BFK_TRANSACTIONS_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), BFK_TYPE_TRANSACTIONS_PAGE);
  g_clear_object (&self->model);
  g_clear_pointer (&self->bound, g_hash_table_unref);
  G_OBJECT_CLASS (bfk_transactions_page_parent_class)->dispose (object);
}

static void
bfk_transactions_page_finalize (GObject *object)
{
  BfkTransactionsPage *self = BFK_TRANSACTIONS_PAGE (object);

  g_hash_table_unref (self->parties);
  g_clear_pointer (&self->communities, g_ptr_array_unref);
  g_array_unref (self->community_ids);
  g_free (self->operator_address);
  G_OBJECT_CLASS (bfk_transactions_page_parent_class)->finalize (object);
}

static void
bfk_transactions_page_class_init (BfkTransactionsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bfk_transactions_page_dispose;
  object_class->finalize = bfk_transactions_page_finalize;
  BFK_PAGE_CLASS (klass)->refresh = bfk_transactions_page_refresh;

  g_type_ensure (BFK_TYPE_OPERATION_DETAILS);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/bafoka/Console/pages/bfk-transactions-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BfkTransactionsPage, filters);
  gtk_widget_class_bind_template_child (widget_class, BfkTransactionsPage, kind_filter);
  gtk_widget_class_bind_template_child (widget_class, BfkTransactionsPage, state_filter);
  gtk_widget_class_bind_template_child (widget_class, BfkTransactionsPage, community_filter);
  gtk_widget_class_bind_template_child (widget_class, BfkTransactionsPage, views);
  gtk_widget_class_bind_template_child (widget_class, BfkTransactionsPage, operations_stack);
  gtk_widget_class_bind_template_child (widget_class, BfkTransactionsPage, view);
  gtk_widget_class_bind_template_child (widget_class, BfkTransactionsPage, selection);
  gtk_widget_class_bind_template_child (widget_class, BfkTransactionsPage, details_revealer);
  gtk_widget_class_bind_template_child (widget_class, BfkTransactionsPage, details);
  gtk_widget_class_bind_template_child (widget_class, BfkTransactionsPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, BfkTransactionsPage, events_stack);
  gtk_widget_class_bind_template_child (widget_class, BfkTransactionsPage, events_list);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_selection_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_view_changed);

  gtk_widget_class_install_action (widget_class, "transactions.bump", NULL, bump_action);
  gtk_widget_class_install_action (widget_class, "transactions.cancel", NULL, cancel_action);
}

static void
bfk_transactions_page_init (BfkTransactionsPage *self)
{
  self->bound = g_hash_table_new (NULL, NULL);
  self->parties = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, (GDestroyNotify) parties_free);
  self->community_ids = g_array_new (FALSE, FALSE, sizeof (guint64));
  gtk_widget_init_template (GTK_WIDGET (self));
  add_columns (self);
  fill_static_filters (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "transactions.bump", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "transactions.cancel", FALSE);
}
