/* bfk-members-page.c: the members table over BfkMemberModel, which filters
 * and sorts in SQL; the column view's headers only say what to ask it. */
#include <glib/gi18n.h>

#include "bfk-format.h"
#include "bfk-member-model.h"
#include "bfk-member-view.h"
#include "bfk-members-page.h"
#include "bfk-members.h"
#include "bfk-settings.h"

struct _BfkMembersPage
{
  BfkPage              parent_instance;

  GSettings           *settings;       /* NULL without the schema */
  BfkMemberModel      *model;          /* NULL until the store is open */
  BfkMemberSort        sort;
  gboolean             descending;
  guint64              community_id;   /* 0: all */
  GArray              *community_ids;  /* guint64, of the dropdown's items after the first */
  GHashTable          *symbols;        /* community id → currency symbol */
  gchar               *communities_seen;
  GHashTable          *revealed;       /* member ids whose number was shown */
  GHashTable          *bound;          /* GtkListItem → FillFunc, see rebind_cells () */
  GtkColumnViewColumn *probed;         /* see read_sort () */
  gboolean             filling_dropdown;

  GtkStack            *stack;
  GtkStack            *list_stack;
  GtkSearchEntry      *search_entry;
  GtkDropDown         *community_dropdown;
  GtkStringList       *community_names;
  GtkColumnView       *column_view;
  GtkSingleSelection  *selection;
  GtkLabel            *capped_label;
  GtkColumnViewColumn *name_column;
  GtkColumnViewColumn *balance_column;
  GtkColumnViewColumn *joined_column;
  BfkMemberView       *member_view;
};

G_DEFINE_FINAL_TYPE (BfkMembersPage, bfk_members_page, BFK_TYPE_PAGE)

enum
{
  PHONE_REVEALED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The columns the model can sort by, with their names in GSettings. */
typedef struct
{
  const gchar   *key;
  BfkMemberSort  sort;
  gsize          column_offset;
} SortColumn;

static const SortColumn sort_columns[] = {
  { "name", BFK_MEMBER_SORT_NAME, G_STRUCT_OFFSET (BfkMembersPage, name_column) },
  { "balance", BFK_MEMBER_SORT_BALANCE, G_STRUCT_OFFSET (BfkMembersPage, balance_column) },
  { "joined", BFK_MEMBER_SORT_JOINED, G_STRUCT_OFFSET (BfkMembersPage, joined_column) },
};

#define SORT_COLUMN(self, i) (G_STRUCT_MEMBER (GtkColumnViewColumn *, (self), sort_columns[i].column_offset))

/* --- the communities ------------------------------------------------------ */

static void
fill_communities (BfkMembersPage *self,
                  BfkStore       *store)
{
  sqlite3_stmt *stmt;
  g_autoptr(GString) seen = g_string_new (NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (guint64));
  guint selected = 0;

  stmt = bfk_store_prepare (store, "SELECT id, name, currency_symbol FROM communities "
                                   "ORDER BY name COLLATE NOCASE, id", NULL);
  if (!stmt)
    return;
  g_hash_table_remove_all (self->symbols);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      guint64 id = (guint64) sqlite3_column_int64 (stmt, 0);
      const gchar *name = (const gchar *) sqlite3_column_text (stmt, 1);

      g_array_append_val (ids, id);
      g_ptr_array_add (names, g_strdup (name));
      g_hash_table_insert (self->symbols, g_memdup2 (&id, sizeof id),
                           g_strdup ((const gchar *) sqlite3_column_text (stmt, 2)));
      g_string_append_printf (seen, "%" G_GUINT64_FORMAT ":%s\n", id, name);
    }
  sqlite3_reset (stmt);

  /* Rebuilding the list would close the dropdown under a person's
   * pointer: only when a community came or was renamed. */
  if (g_strcmp0 (seen->str, self->communities_seen) == 0)
    return;
  g_free (self->communities_seen);
  self->communities_seen = g_string_free (g_steal_pointer (&seen), FALSE);

  g_ptr_array_insert (names, 0, g_strdup (_("All communities")));
  g_ptr_array_add (names, NULL);
  for (guint i = 0; i < ids->len; i++)
    if (g_array_index (ids, guint64, i) == self->community_id)
      selected = i + 1;
  if (selected == 0)
    self->community_id = 0;

  g_array_unref (self->community_ids);
  self->community_ids = g_steal_pointer (&ids);
  self->filling_dropdown = TRUE;
  gtk_string_list_splice (self->community_names, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->community_names)),
                          (const gchar * const *) names->pdata);
  gtk_drop_down_set_selected (self->community_dropdown, selected);
  self->filling_dropdown = FALSE;
}

static const gchar *
community_symbol (BfkMembersPage *self,
                  guint64         community_id)
{
  return g_hash_table_lookup (self->symbols, &community_id);
}

static void rebind_cells (BfkMembersPage *self);

/* --- the model ------------------------------------------------------------ */

static void
update_list_state (BfkMembersPage *self)
{
  const gchar *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  guint n = self->model ? g_list_model_get_n_items (G_LIST_MODEL (self->model)) : 0;
  gboolean capped = self->model && bfk_member_model_get_capped (self->model);

  if (capped)
    {
      g_autofree gchar *first = g_strdup_printf ("%'d", BFK_MEMBER_MODEL_SEARCH_LIMIT);
      g_autofree gchar *note = g_strdup_printf (_("More than %s members match: the first %s are shown. "
                                                  "Type more of the name or number to narrow the search."),
                                                first, first);

      gtk_label_set_text (self->capped_label, note);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->capped_label), capped);

  if (n > 0)
    gtk_stack_set_visible_child_name (self->list_stack, "list");
  else if (*text == '\0' && self->community_id == 0)
    gtk_stack_set_visible_child_name (self->list_stack, "empty");
  else
    gtk_stack_set_visible_child_name (self->list_stack, "no-results");
}

static void
reload (BfkMembersPage *self)
{
  g_autoptr(GError) error = NULL;

  if (!self->model)
    return;
  /* A new model reads its index when the view first asks. */
  if (gtk_single_selection_get_model (self->selection) != G_LIST_MODEL (self->model))
    gtk_single_selection_set_model (self->selection, G_LIST_MODEL (self->model));
  else if (!bfk_member_model_refresh (self->model, &error))
    g_warning ("Reading the members: %s", error->message);
  rebind_cells (self);
  update_list_state (self);
}

/* A new search, filter or order is a new list: nothing stays selected.
 * (GtkSingleSelection looks for a selected item that left through every
 * row that came in: a million rows read for nothing.) */
static void
reload_new_query (BfkMembersPage *self)
{
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  reload (self);
}

static gboolean
ensure_model (BfkMembersPage *self)
{
  BfkStore *store = bfk_page_get_store (BFK_PAGE (self));
  g_autoptr(GError) error = NULL;

  if (self->model)
    return TRUE;
  if (!store)
    return FALSE;
  if (!(self->model = bfk_member_model_new (store, &error)))
    {
      g_warning ("Reading the members: %s", error->message);
      return FALSE;
    }
  bfk_member_model_set_sort (self->model, self->sort, self->descending);
  bfk_member_model_set_community (self->model, self->community_id);
  bfk_member_model_set_search (self->model, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  return TRUE;
}

static void
bfk_members_page_refresh (BfkPage *page)
{
  BfkMembersPage *self = BFK_MEMBERS_PAGE (page);

  if (!self->column_view || !ensure_model (self))  /* disposed, or not ready */
    return;
  fill_communities (self, bfk_page_get_store (page));
  bfk_member_model_set_community (self->model, self->community_id);
  reload (self);
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "member") == 0)
    bfk_member_view_refresh (self->member_view);
}

static void
on_search_changed (BfkMembersPage *self)
{
  if (!self->model)
    return;
  bfk_member_model_set_search (self->model, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  reload_new_query (self);
}

static void
on_community_selected (BfkMembersPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->community_dropdown);

  if (self->filling_dropdown)
    return;
  self->community_id = selected > 0 && selected <= self->community_ids->len
                       ? g_array_index (self->community_ids, guint64, selected - 1) : 0;
  if (!self->model)
    return;
  bfk_member_model_set_community (self->model, self->community_id);
  reload_new_query (self);
}

/* --- sorting -------------------------------------------------------------- */

/* GTK 4.8 cannot say which column the column view sorts by (that came with
 * gtk_column_view_sorter_get_primary_sort_column in 4.10).  Each sortable
 * column's sorter is this probe: the view's sorter asks its primary
 * column first, which notes itself and answers "smaller", turned into
 * "larger" when that column sorts descending.  Nothing else compares with
 * these sorters: the rows are sorted by the model, in SQL. */
static int
probe_compare (gconstpointer a,
               gconstpointer b,
               gpointer      column)
{
  BfkMembersPage *self = BFK_MEMBERS_PAGE ((gpointer) a);

  if (!self->probed)
    self->probed = column;
  return GTK_ORDERING_SMALLER;
}

static void
read_sort (BfkMembersPage *self)
{
  GtkOrdering order;

  self->probed = NULL;
  /* Two different objects: a sorter finds any item equal to itself. */
  order = gtk_sorter_compare (gtk_column_view_get_sorter (self->column_view), self, self->stack);
  self->sort = BFK_MEMBER_SORT_NAME;
  self->descending = FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (sort_columns); i++)
    if (self->probed && self->probed == SORT_COLUMN (self, i))
      {
        self->sort = sort_columns[i].sort;
        self->descending = order == GTK_ORDERING_LARGER;
        if (self->settings)
          {
            g_settings_set_string (self->settings, "members-sort-column", sort_columns[i].key);
            g_settings_set_boolean (self->settings, "members-sort-ascending", !self->descending);
          }
      }
  self->probed = NULL;
}

static void
on_sort_changed (BfkMembersPage *self)
{
  read_sort (self);
  if (!self->model)
    return;
  bfk_member_model_set_sort (self->model, self->sort, self->descending);
  reload_new_query (self);
}

static void
setup_sorting (BfkMembersPage *self)
{
  g_autofree gchar *key = self->settings ? g_settings_get_string (self->settings, "members-sort-column") : NULL;
  gboolean ascending = self->settings ? g_settings_get_boolean (self->settings, "members-sort-ascending") : TRUE;
  GtkColumnViewColumn *column = self->name_column;

  for (guint i = 0; i < G_N_ELEMENTS (sort_columns); i++)
    {
      g_autoptr(GtkSorter) probe = GTK_SORTER (gtk_custom_sorter_new (probe_compare, SORT_COLUMN (self, i), NULL));

      gtk_column_view_column_set_sorter (SORT_COLUMN (self, i), probe);
      if (g_strcmp0 (key, sort_columns[i].key) == 0)
        column = SORT_COLUMN (self, i);
    }
  g_signal_connect_object (gtk_column_view_get_sorter (self->column_view), "changed",
                           G_CALLBACK (on_sort_changed), self, G_CONNECT_SWAPPED);
  /* An unknown name (an older console's "last-seen") falls back to the name. */
  if (column == self->name_column && g_strcmp0 (key, "name") != 0)
    ascending = TRUE;
  gtk_column_view_sort_by_column (self->column_view, column,
                                  ascending ? GTK_SORT_ASCENDING : GTK_SORT_DESCENDING);
  read_sort (self);
}

/* --- the cells ------------------------------------------------------------ */

/* A refresh of the model emits items-changed only where ids moved: a row
 * whose balance or last message changed in place keeps its cells.  So the
 * page knows which cells are bound (list item → how to fill it), fills
 * them from the model's current item at their position, and fills them
 * again after each refresh, without the list jumping. */
typedef void (*FillFunc) (BfkMembersPage *self,
                          GtkListItem    *list_item,
                          BfkMemberItem  *item);

static BfkMemberItem *
current_item (BfkMembersPage *self,
              GtkListItem    *list_item)
{
  guint position = gtk_list_item_get_position (list_item);

  if (self->model && position != GTK_INVALID_LIST_POSITION &&
      position < g_list_model_get_n_items (G_LIST_MODEL (self->model)))
    return g_list_model_get_item (G_LIST_MODEL (self->model), position);
  return g_object_ref (gtk_list_item_get_item (list_item));
}

static void
fill_cell (BfkMembersPage *self,
           GtkListItem    *list_item,
           FillFunc        fill)
{
  g_autoptr(BfkMemberItem) item = current_item (self, list_item);

  fill (self, list_item, item);
}

static void
bind_with (BfkMembersPage *self,
           GtkListItem    *list_item,
           FillFunc        fill)
{
  g_hash_table_insert (self->bound, list_item, fill);
  fill_cell (self, list_item, fill);
}

static void
rebind_cells (BfkMembersPage *self)
{
  GHashTableIter iter;
  gpointer list_item, fill;

  g_hash_table_iter_init (&iter, self->bound);
  while (g_hash_table_iter_next (&iter, &list_item, &fill))
    fill_cell (self, list_item, (FillFunc) fill);
}

static void
unbind_cell (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             BfkMembersPage           *self)
{
  g_hash_table_remove (self->bound, list_item);
}

static void
setup_label (GtkListItem *list_item,
             gfloat       xalign)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), xalign);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (xalign > 0.5)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (list_item, label);
}

static void
setup_text_cell (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 BfkMembersPage           *self)
{
  setup_label (list_item, 0);
}

static void
setup_number_cell (GtkSignalListItemFactory *factory,
                   GtkListItem              *list_item,
                   BfkMembersPage           *self)
{
  setup_label (list_item, 1);
}

static void
set_cell_text (GtkListItem *list_item,
               const gchar *text)
{
  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (list_item)), text ? text : "");
}

static void
take_cell_text (GtkListItem *list_item,
                gchar       *text)
{
  set_cell_text (list_item, text);
  g_free (text);
}

static void
fill_name (BfkMembersPage *self,
           GtkListItem    *list_item,
           BfkMemberItem  *item)
{
  set_cell_text (list_item, bfk_member_item_get_name (item));
}

static void
fill_community (BfkMembersPage *self,
                GtkListItem    *list_item,
                BfkMemberItem  *item)
{
  const gchar *community = bfk_member_item_get_community (item);

  set_cell_text (list_item, community ? community : "—");
}

static void
fill_balance (BfkMembersPage *self,
              GtkListItem    *list_item,
              BfkMemberItem  *item)
{
  take_cell_text (list_item, bfk_format_amount (bfk_member_item_get_balance (item),
                                                community_symbol (self, bfk_member_item_get_community_id (item))));
}

static void
fill_escrow (BfkMembersPage *self,
             GtkListItem    *list_item,
             BfkMemberItem  *item)
{
  take_cell_text (list_item, bfk_format_amount (bfk_member_item_get_escrow (item),
                                                community_symbol (self, bfk_member_item_get_community_id (item))));
}

static void
fill_reputation (BfkMembersPage *self,
                 GtkListItem    *list_item,
                 BfkMemberItem  *item)
{
  take_cell_text (list_item, g_strdup_printf ("%" G_GINT64_FORMAT " ★", bfk_member_item_get_reputation (item)));
}

static void
fill_joined (BfkMembersPage *self,
             GtkListItem    *list_item,
             BfkMemberItem  *item)
{
  take_cell_text (list_item, bfk_format_date_time (bfk_member_item_get_created_at (item)));
}

static void
fill_last_seen (BfkMembersPage *self,
                GtkListItem    *list_item,
                BfkMemberItem  *item)
{
  take_cell_text (list_item, bfk_format_time_ago (bfk_member_item_get_last_seen (item)));
}

/* The phone cell: the number, masked until revealed, and the button that
 * reveals it. */
static void
fill_phone (BfkMembersPage *self,
            GtkListItem    *list_item,
            BfkMemberItem  *item)
{
  GtkWidget *box = gtk_list_item_get_child (list_item);
  GtkWidget *label = gtk_widget_get_first_child (box);
  const gchar *phone = bfk_member_item_get_phone (item);
  gboolean revealed = phone && bfk_members_page_is_phone_revealed (self, bfk_member_item_get_id (item));

  if (!phone)
    gtk_label_set_text (GTK_LABEL (label), "—");
  else if (revealed)
    gtk_label_set_text (GTK_LABEL (label), phone);
  else
    {
      g_autofree gchar *masked = bfk_format_phone_masked (phone);

      gtk_label_set_text (GTK_LABEL (label), masked);
    }
  gtk_widget_set_visible (gtk_widget_get_last_child (box), phone && !revealed);
}

static void
on_cell_reveal_clicked (GtkWidget   *button,
                        GtkListItem *list_item)
{
  BfkMemberItem *item = BFK_MEMBER_ITEM (gtk_list_item_get_item (list_item));

  if (item)
    gtk_widget_activate_action (button, "members.reveal-phone", "x", bfk_member_item_get_id (item));
}

static void
setup_phone_cell (GtkSignalListItemFactory *factory,
                  GtkListItem              *list_item,
                  BfkMembersPage           *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *button = gtk_button_new_from_icon_name ("view-reveal-symbolic");

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_add_css_class (label, "numeric");
  gtk_widget_set_name (button, "reveal-phone");
  gtk_widget_set_tooltip_text (button, _("Show the number (recorded in the audit log)"));
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  g_signal_connect (button, "clicked", G_CALLBACK (on_cell_reveal_clicked), list_item);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), button);
  gtk_list_item_set_child (list_item, box);
}

#define DEFINE_BIND(column)                                         \
  static void                                                       \
  bind_##column (GtkSignalListItemFactory *factory,                 \
                 GtkListItem              *list_item,               \
                 BfkMembersPage           *self)                    \
  {                                                                 \
    bind_with (self, list_item, fill_##column);                     \
  }

DEFINE_BIND (name)
DEFINE_BIND (phone)
DEFINE_BIND (community)
DEFINE_BIND (balance)
DEFINE_BIND (escrow)
DEFINE_BIND (reputation)
DEFINE_BIND (joined)
DEFINE_BIND (last_seen)

/* --- revealing a number --------------------------------------------------- */

typedef struct
{
  BfkMembersPage *self;
  gint64          member_id;
} Reveal;

static void
on_reveal_recorded (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Reveal *reveal = user_data;
  BfkMembersPage *self = reveal->self;
  g_autoptr(GError) error = NULL;

  if (!bfk_backend_audit_finish (BFK_BACKEND (source), result, &error))
    bfk_session_toast (bfk_page_get_session (BFK_PAGE (self)),
                       _("The number was not shown: recording it failed (%s)"), error->message);
  else
    {
      gint64 *key = g_memdup2 (&reveal->member_id, sizeof reveal->member_id);

      g_hash_table_add (self->revealed, key);
      if (bfk_member_view_get_member_id (self->member_view) == reveal->member_id)
        bfk_member_view_set_phone_revealed (self->member_view, TRUE);
      rebind_cells (self);
      g_signal_emit (self, signals[PHONE_REVEALED], 0, reveal->member_id);
    }
  g_object_unref (self);
  g_free (reveal);
}

static void
reveal_phone_action (GtkWidget   *widget,
                     const gchar *action_name,
                     GVariant    *parameter)
{
  BfkMembersPage *self = BFK_MEMBERS_PAGE (widget);
  gint64 member_id = g_variant_get_int64 (parameter);
  BfkSession *session = bfk_page_get_session (BFK_PAGE (self));
  BfkStore *store = bfk_page_get_store (BFK_PAGE (self));
  g_autoptr(BfkMember) member = NULL;
  g_autofree gchar *masked = NULL;
  g_autofree gchar *detail = NULL;
  Reveal *reveal;

  if (!store || bfk_members_page_is_phone_revealed (self, member_id))
    return;
  member = bfk_members_get (store, member_id, NULL);
  if (!member || !member->phone)
    return;
  /* The log says whose number was seen without holding it whole. */
  masked = bfk_format_phone_masked (member->phone);
  detail = g_strdup_printf ("%" G_GINT64_FORMAT, member_id);
  reveal = g_new0 (Reveal, 1);
  reveal->self = g_object_ref (self);
  reveal->member_id = member_id;
  bfk_backend_audit_async (bfk_session_get_backend (session), "reveal_phone", masked, detail, "ok",
                           NULL, on_reveal_recorded, reveal);
}

gboolean
bfk_members_page_is_phone_revealed (BfkMembersPage *self,
                                    gint64          member_id)
{
  g_return_val_if_fail (BFK_IS_MEMBERS_PAGE (self), FALSE);
  return g_hash_table_contains (self->revealed, &member_id);
}

/* --- a member's page ------------------------------------------------------ */

gboolean
bfk_members_page_show_member (BfkMembersPage *self,
                              gint64          member_id)
{
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (BFK_IS_MEMBERS_PAGE (self), FALSE);

  if (!bfk_member_view_show_member (self->member_view, member_id,
                                    bfk_members_page_is_phone_revealed (self, member_id), &error))
    {
      bfk_session_toast (bfk_page_get_session (BFK_PAGE (self)),
                         _("This member could not be shown: %s"), error->message);
      return FALSE;
    }
  gtk_stack_set_visible_child_name (self->stack, "member");
  return TRUE;
}

static void
on_row_activated (BfkMembersPage *self,
                  guint           position)
{
  gint64 id = self->model ? bfk_paged_model_get_id (BFK_PAGED_MODEL (self->model), position) : -1;

  if (id > 0)
    bfk_members_page_show_member (self, id);
}

static void
show_member_action (GtkWidget   *widget,
                    const gchar *action_name,
                    GVariant    *parameter)
{
  bfk_members_page_show_member (BFK_MEMBERS_PAGE (widget), g_variant_get_int64 (parameter));
}

static void
show_list_action (GtkWidget   *widget,
                  const gchar *action_name,
                  GVariant    *parameter)
{
  BfkMembersPage *self = BFK_MEMBERS_PAGE (widget);

  gtk_stack_set_visible_child_name (self->stack, "list");
  gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
}

static void
search_action (GtkWidget   *widget,
               const gchar *action_name,
               GVariant    *parameter)
{
  BfkMembersPage *self = BFK_MEMBERS_PAGE (widget);

  gtk_stack_set_visible_child_name (self->stack, "list");
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* --- the object ----------------------------------------------------------- */

static void
bfk_members_page_constructed (GObject *object)
{
  BfkMembersPage *self = BFK_MEMBERS_PAGE (object);

  /* Before chaining up: BfkPage's constructed refreshes already. */
  bfk_member_view_set_session (self->member_view, bfk_page_get_session (BFK_PAGE (self)));
  G_OBJECT_CLASS (bfk_members_page_parent_class)->constructed (object);
}

static void
bfk_members_page_dispose (GObject *object)
{
  BfkMembersPage *self = BFK_MEMBERS_PAGE (object);

  /* The columns going away change the sorter: that is no choice of sort. */
  if (self->column_view)
    g_signal_handlers_disconnect_by_data (gtk_column_view_get_sorter (self->column_view), self);
  /* The bin's child is also a template child: AdwBin must let go of it
   * itself, or it would unparent it a second time. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), BFK_TYPE_MEMBERS_PAGE);
  g_clear_object (&self->model);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (bfk_members_page_parent_class)->dispose (object);
}

static void
bfk_members_page_finalize (GObject *object)
{
  BfkMembersPage *self = BFK_MEMBERS_PAGE (object);

  g_array_unref (self->community_ids);
  g_hash_table_unref (self->symbols);
  g_hash_table_unref (self->revealed);
  g_hash_table_unref (self->bound);
  g_free (self->communities_seen);
  G_OBJECT_CLASS (bfk_members_page_parent_class)->finalize (object);
}

static void
bfk_members_page_class_init (BfkMembersPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  BfkPageClass *page_class = BFK_PAGE_CLASS (klass);

  object_class->constructed = bfk_members_page_constructed;
  object_class->dispose = bfk_members_page_dispose;
  object_class->finalize = bfk_members_page_finalize;
  page_class->refresh = bfk_members_page_refresh;

  signals[PHONE_REVEALED] =
    g_signal_new ("phone-revealed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  g_type_ensure (BFK_TYPE_MEMBER_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/bafoka/Console/pages/bfk-members-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BfkMembersPage, stack);
  gtk_widget_class_bind_template_child (widget_class, BfkMembersPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, BfkMembersPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, BfkMembersPage, community_dropdown);
  gtk_widget_class_bind_template_child (widget_class, BfkMembersPage, community_names);
  gtk_widget_class_bind_template_child (widget_class, BfkMembersPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, BfkMembersPage, capped_label);
  gtk_widget_class_bind_template_child (widget_class, BfkMembersPage, selection);
  gtk_widget_class_bind_template_child (widget_class, BfkMembersPage, name_column);
  gtk_widget_class_bind_template_child (widget_class, BfkMembersPage, balance_column);
  gtk_widget_class_bind_template_child (widget_class, BfkMembersPage, joined_column);
  gtk_widget_class_bind_template_child (widget_class, BfkMembersPage, member_view);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_community_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, setup_text_cell);
  gtk_widget_class_bind_template_callback (widget_class, setup_number_cell);
  gtk_widget_class_bind_template_callback (widget_class, setup_phone_cell);
  gtk_widget_class_bind_template_callback (widget_class, bind_name);
  gtk_widget_class_bind_template_callback (widget_class, bind_phone);
  gtk_widget_class_bind_template_callback (widget_class, unbind_cell);
  gtk_widget_class_bind_template_callback (widget_class, bind_community);
  gtk_widget_class_bind_template_callback (widget_class, bind_balance);
  gtk_widget_class_bind_template_callback (widget_class, bind_escrow);
  gtk_widget_class_bind_template_callback (widget_class, bind_reputation);
  gtk_widget_class_bind_template_callback (widget_class, bind_joined);
  gtk_widget_class_bind_template_callback (widget_class, bind_last_seen);

  gtk_widget_class_install_action (widget_class, "members.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "members.show-list", NULL, show_list_action);
  gtk_widget_class_install_action (widget_class, "members.show-member", "x", show_member_action);
  gtk_widget_class_install_action (widget_class, "members.reveal-phone", "x", reveal_phone_action);
}

static void
bfk_members_page_init (BfkMembersPage *self)
{
  self->community_ids = g_array_new (FALSE, FALSE, sizeof (guint64));
  self->symbols = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  self->revealed = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->bound = g_hash_table_new (NULL, NULL);
  self->settings = bfk_settings_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self->column_view));
  setup_sorting (self);
}
