/* bfk-audit-page.c: the audit log, a page of entries at a time.
 *
 * The log is append-only, so the list only ever grows at its top: a
 * refresh inserts the entries newer than the first one shown, and "Load
 * more" appends the older ones; nothing shown ever moves or changes.
 */
#include <glib/gi18n.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "bfk-audit-page.h"
#include "bfk-audit.h"
#include "bfk-format.h"

/* An audit entry as a list item. */
#define BFK_TYPE_AUDIT_ROW (bfk_audit_row_get_type ())
G_DECLARE_FINAL_TYPE (BfkAuditRow, bfk_audit_row, BFK, AUDIT_ROW, GObject)

struct _BfkAuditRow
{
  GObject        parent_instance;
  BfkAuditEntry *entry;
};

G_DEFINE_FINAL_TYPE (BfkAuditRow, bfk_audit_row, G_TYPE_OBJECT)

static void
bfk_audit_row_finalize (GObject *object)
{
  g_clear_pointer (&BFK_AUDIT_ROW (object)->entry, bfk_audit_entry_free);
  G_OBJECT_CLASS (bfk_audit_row_parent_class)->finalize (object);
}

static void
bfk_audit_row_class_init (BfkAuditRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bfk_audit_row_finalize;
}

static void
bfk_audit_row_init (BfkAuditRow *self)
{
}

struct _BfkAuditPage
{
  BfkPage         parent_instance;

  GtkDropDown    *action_filter;
  GtkDropDown    *actor_filter;
  GtkStack       *stack;
  GtkColumnView  *view;
  GtkNoSelection *no_selection;
  GtkButton      *more_button;
  AdwStatusPage  *empty_page;

  GListStore     *entries;
  GPtrArray      *actions;  /* of the action filter, after "All" */
  GPtrArray      *actors;   /* of the actor filter, after "Everyone" */
  gint64          newest;   /* the newest entry's id when last read */
};

G_DEFINE_FINAL_TYPE (BfkAuditPage, bfk_audit_page, BFK_TYPE_PAGE)

static const gchar *
action_label (const gchar *action)
{
  static const struct { const gchar *name; const gchar *label; } labels[] = {
    { "approve_backer", N_("Approved a backer") },
    { "revoke_backer", N_("Revoked a backer") },
    { "recharge", N_("Recharged a member") },
    { "add_community", N_("Added a community") },
    { "add_signer", N_("Unlocked a key") },
    { "bump", N_("Raised a transaction’s fees") },
    { "cancel", N_("Cancelled a transaction") },
    { "send_message", N_("Wrote to a member") },
    { "take_over", N_("Took over a conversation") },
    { "return_to_bot", N_("Returned a conversation to the bot") },
    { "reveal_phone", N_("Revealed a phone number") },
    { "change_preference", N_("Changed a preference") },
    { "pause", N_("Paused the contract") },
    { "unpause", N_("Resumed the contract") },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_strcmp0 (action, labels[i].name) == 0)
      return _(labels[i].label);
  return action;
}

/* --- the cells ----------------------------------------------------------- */

typedef void (*FillFunc) (GtkLabel            *label,
                          const BfkAuditEntry *entry);

static void
fill_when (GtkLabel            *label,
           const BfkAuditEntry *entry)
{
  g_autofree gchar *text = bfk_format_date_time (entry->at);

  gtk_label_set_text (label, text);
}

static void
fill_who (GtkLabel            *label,
          const BfkAuditEntry *entry)
{
  g_autofree gchar *address = entry->actor_address ? bfk_format_short_hash (entry->actor_address) : NULL;
  g_autofree gchar *text = NULL;

  if (address && entry->os_user)
    text = g_strdup_printf ("%s (%s)", address, entry->os_user);
  else
    text = g_strdup (address ? address : entry->os_user ? entry->os_user : "—");
  gtk_label_set_text (label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (label), entry->actor_address);
}

static void
fill_source (GtkLabel            *label,
             const BfkAuditEntry *entry)
{
  gtk_label_set_text (label, g_strcmp0 (entry->source, "console") == 0 ? _("Console") : entry->source);
}

static void
fill_action (GtkLabel            *label,
             const BfkAuditEntry *entry)
{
  gtk_label_set_text (label, action_label (entry->action));
  gtk_widget_set_tooltip_text (GTK_WIDGET (label), entry->detail);
}

static void
fill_subject (GtkLabel            *label,
              const BfkAuditEntry *entry)
{
  gtk_label_set_text (label, entry->subject ? entry->subject : "—");
  gtk_widget_set_tooltip_text (GTK_WIDGET (label), entry->subject);
}

static void
fill_result (GtkLabel            *label,
             const BfkAuditEntry *entry)
{
  gboolean ok = g_strcmp0 (entry->result, "ok") == 0;
  gboolean failed = g_str_has_prefix (entry->result, "failed");
  gint64 op = 0;

  if (ok)
    gtk_label_set_text (label, _("Done"));
  else if (sscanf (entry->result, "queued op %" G_GINT64_FORMAT, &op) == 1)
    {
      g_autofree gchar *text = g_strdup_printf (_("Queued as operation %lld"), (long long) op);

      gtk_label_set_text (label, text);
    }
  else if (g_str_has_prefix (entry->result, "failed: "))
    {
      g_autofree gchar *text = g_strdup_printf (_("Failed: %s"), entry->result + strlen ("failed: "));

      gtk_label_set_text (label, text);
    }
  else
    gtk_label_set_text (label, entry->result);
  gtk_widget_set_tooltip_text (GTK_WIDGET (label), entry->result);
  if (failed)
    gtk_widget_add_css_class (GTK_WIDGET (label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (label), "error");
}

static const struct
{
  const gchar *title;
  FillFunc     fill;
  gboolean     expand;
} columns[] = {
  { N_("When"), fill_when, FALSE },
  { N_("Who"), fill_who, FALSE },
  { N_("Source"), fill_source, FALSE },
  { N_("Action"), fill_action, FALSE },
  { N_("Subject"), fill_subject, TRUE },
  { N_("Result"), fill_result, TRUE },
};

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (list_item, label);
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item)
{
  guint column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (factory), "bfk-column"));
  BfkAuditRow *row = gtk_list_item_get_item (list_item);

  columns[column].fill (GTK_LABEL (gtk_list_item_get_child (list_item)), row->entry);
}

static void
add_columns (BfkAuditPage *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;

      g_object_set_data (G_OBJECT (factory), "bfk-column", GUINT_TO_POINTER (i));
      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), NULL);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), NULL);
      column = gtk_column_view_column_new (_(columns[i].title), factory);
      gtk_column_view_column_set_expand (column, columns[i].expand);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_append_column (self->view, column);
    }
}

/* --- the filters ----------------------------------------------------------- */

static const gchar *
chosen (GtkDropDown *filter,
        GPtrArray   *values)
{
  guint selected = gtk_drop_down_get_selected (filter);

  return selected > 0 && selected <= values->len ? g_ptr_array_index (values, selected - 1) : NULL;
}

static gboolean
same_strings (GPtrArray *a,
              GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    if (g_strcmp0 (a->pdata[i], b->pdata[i]) != 0)
      return FALSE;
  return TRUE;
}

/* Sets filter's choices to all_label then labels (of values), keeping the
 * value chosen; untouched when the values did not change, so that an open
 * drop-down stays open. */
static void
update_filter (BfkAuditPage  *self,
               GtkDropDown   *filter,
               GPtrArray    **values,
               GPtrArray     *new_values,
               GPtrArray     *labels,
               const gchar   *all_label)
{
  g_autofree gchar *was = g_strdup (chosen (filter, *values));
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);
  guint selected = 0;

  if (same_strings (*values, new_values))
    return;
  gtk_string_list_append (list, all_label);
  for (guint i = 0; i < new_values->len; i++)
    {
      gtk_string_list_append (list, labels->pdata[i]);
      if (g_strcmp0 (was, new_values->pdata[i]) == 0)
        selected = i + 1;
    }
  g_ptr_array_unref (*values);
  *values = g_ptr_array_ref (new_values);
  g_signal_handlers_block_matched (filter, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  gtk_drop_down_set_model (filter, G_LIST_MODEL (list));
  gtk_drop_down_set_selected (filter, selected);
  g_signal_handlers_unblock_matched (filter, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
}

static void
load_filters (BfkAuditPage *self)
{
  BfkStore *store = bfk_page_get_store (BFK_PAGE (self));
  g_autoptr(GPtrArray) actions = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) action_labels = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) actors = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) actor_labels = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;

  if ((stmt = bfk_store_prepare (store, "SELECT DISTINCT action FROM audit ORDER BY action", NULL)))
    {
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          const gchar *action = (const gchar *) sqlite3_column_text (stmt, 0);

          g_ptr_array_add (actions, g_strdup (action));
          g_ptr_array_add (action_labels, g_strdup (action_label (action)));
        }
      sqlite3_reset (stmt);
    }
  if ((stmt = bfk_store_prepare (store,
                                 "SELECT actor_address, max (os_user) FROM audit"
                                 " WHERE actor_address IS NOT NULL"
                                 " GROUP BY actor_address COLLATE NOCASE ORDER BY max (id) DESC",
                                 NULL)))
    {
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          const gchar *address = (const gchar *) sqlite3_column_text (stmt, 0);
          const gchar *user = (const gchar *) sqlite3_column_text (stmt, 1);
          g_autofree gchar *short_address = bfk_format_short_hash (address);

          g_ptr_array_add (actors, g_strdup (address));
          g_ptr_array_add (actor_labels, user ? g_strdup_printf ("%s (%s)", short_address, user)
                                              : g_steal_pointer (&short_address));
        }
      sqlite3_reset (stmt);
    }
  update_filter (self, self->action_filter, &self->actions, actions, action_labels, _("All actions"));
  update_filter (self, self->actor_filter, &self->actors, actors, actor_labels, _("Everyone"));
}

/* --- the entries --------------------------------------------------------------- */

static gint64
entry_id_at (BfkAuditPage *self,
             guint         position)
{
  g_autoptr(BfkAuditRow) row = g_list_model_get_item (G_LIST_MODEL (self->entries), position);

  return row ? row->entry->id : 0;
}

/* Reads limit entries from offset with the filters; NULL on error, said. */
static GPtrArray *
read_entries (BfkAuditPage *self,
              guint         limit,
              guint         offset)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *entries = bfk_audit_list (bfk_page_get_store (BFK_PAGE (self)),
                                       chosen (self->action_filter, self->actions),
                                       chosen (self->actor_filter, self->actors),
                                       0, limit, offset, &error);

  if (!entries)
    g_warning ("Could not read the audit log: %s", error->message);
  return entries;
}

/* Rows for entries[from, to) whose ids are in (after, before). */
static GPtrArray *
rows_between (GPtrArray *entries,
              gint64     after,
              gint64     before)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < entries->len; i++)
    {
      BfkAuditEntry *entry = entries->pdata[i];

      if (entry->id > after && entry->id < before)
        {
          BfkAuditRow *row = g_object_new (BFK_TYPE_AUDIT_ROW, NULL);

          /* The row takes the entry. */
          row->entry = g_steal_pointer (&entries->pdata[i]);
          g_ptr_array_add (rows, row);
        }
    }
  return rows;
}

static void
update_state (BfkAuditPage *self,
              guint         last_read)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->entries));
  gboolean filtered = gtk_drop_down_get_selected (self->action_filter) > 0
                      || gtk_drop_down_get_selected (self->actor_filter) > 0;

  if (last_read != G_MAXUINT)
    gtk_widget_set_visible (GTK_WIDGET (self->more_button), last_read == BFK_AUDIT_PAGE_SIZE);
  if (filtered)
    {
      adw_status_page_set_title (self->empty_page, _("No Matching Entries"));
      adw_status_page_set_description (self->empty_page,
                                       _("Nothing was recorded for these filters: widen them to see more."));
    }
  else
    {
      adw_status_page_set_title (self->empty_page, _("Nothing Recorded Yet"));
      adw_status_page_set_description (self->empty_page,
                                       _("Each time an admin approves a backer, recharges a member, takes over a conversation or reveals a phone number, it is written here for good."));
    }
  gtk_stack_set_visible_child_name (self->stack, n > 0 ? "list" : "empty");
}

/* Everything again, from the newest: after a filter changed. */
static void
reload (BfkAuditPage *self)
{
  g_autoptr(GPtrArray) entries = read_entries (self, BFK_AUDIT_PAGE_SIZE, 0);
  g_autoptr(GPtrArray) rows = NULL;

  if (!entries)
    return;
  rows = rows_between (entries, 0, G_MAXINT64);
  g_list_store_splice (self->entries, 0, g_list_model_get_n_items (G_LIST_MODEL (self->entries)),
                       rows->pdata, rows->len);
  update_state (self, entries->len);
}

/* Only what was added since: at the top. */
static void
add_newer (BfkAuditPage *self)
{
  gint64 top = entry_id_at (self, 0);
  g_autoptr(GPtrArray) entries = read_entries (self, BFK_AUDIT_PAGE_SIZE, 0);
  g_autoptr(GPtrArray) rows = NULL;

  if (!entries)
    return;
  /* A whole page newer than what is shown: start again from the top. */
  if (top == 0 || (entries->len == BFK_AUDIT_PAGE_SIZE
                   && ((BfkAuditEntry *) g_ptr_array_index (entries, entries->len - 1))->id > top))
    {
      reload (self);
      return;
    }
  rows = rows_between (entries, top, G_MAXINT64);
  if (rows->len > 0)
    g_list_store_splice (self->entries, 0, 0, rows->pdata, rows->len);
  update_state (self, G_MAXUINT);
}

static void
on_more_clicked (BfkAuditPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->entries));
  gint64 bottom = n > 0 ? entry_id_at (self, n - 1) : G_MAXINT64;
  g_autoptr(GPtrArray) entries = read_entries (self, BFK_AUDIT_PAGE_SIZE, n);
  g_autoptr(GPtrArray) rows = NULL;

  if (!entries)
    return;
  /* Entries added since the last refresh shift the offsets: skip those
   * already shown. */
  rows = rows_between (entries, 0, bottom);
  g_list_store_splice (self->entries, n, 0, rows->pdata, rows->len);
  update_state (self, entries->len);
}

static void
on_filter_changed (BfkAuditPage *self)
{
  if (bfk_page_get_store (BFK_PAGE (self)))
    reload (self);
}

static void
bfk_audit_page_refresh (BfkPage *page)
{
  BfkAuditPage *self = BFK_AUDIT_PAGE (page);
  sqlite3_stmt *stmt = bfk_store_prepare (bfk_page_get_store (page), "SELECT max (id) FROM audit", NULL);
  gint64 newest = stmt && sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : -2;

  if (stmt)
    sqlite3_reset (stmt);
  /* The log changes with admin actions only, not with each message or
   * block that wakes the pages: nothing new, nothing to read. */
  if (newest == self->newest)
    return;
  self->newest = newest;
  load_filters (self);
  add_newer (self);
}

static void
bfk_audit_page_dispose (GObject *object)
{
  BfkAuditPage *self = BFK_AUDIT_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), BFK_TYPE_AUDIT_PAGE);
  g_clear_object (&self->entries);
  G_OBJECT_CLASS (bfk_audit_page_parent_class)->dispose (object);
}

static void
bfk_audit_page_finalize (GObject *object)
{
  BfkAuditPage *self = BFK_AUDIT_PAGE (object);

  g_ptr_array_unref (self->actions);
  g_ptr_array_unref (self->actors);
  G_OBJECT_CLASS (bfk_audit_page_parent_class)->finalize (object);
}

static void
bfk_audit_page_class_init (BfkAuditPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bfk_audit_page_dispose;
  object_class->finalize = bfk_audit_page_finalize;
  BFK_PAGE_CLASS (klass)->refresh = bfk_audit_page_refresh;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/bafoka/Console/pages/bfk-audit-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BfkAuditPage, action_filter);
  gtk_widget_class_bind_template_child (widget_class, BfkAuditPage, actor_filter);
  gtk_widget_class_bind_template_child (widget_class, BfkAuditPage, stack);
  gtk_widget_class_bind_template_child (widget_class, BfkAuditPage, view);
  gtk_widget_class_bind_template_child (widget_class, BfkAuditPage, no_selection);
  gtk_widget_class_bind_template_child (widget_class, BfkAuditPage, more_button);
  gtk_widget_class_bind_template_child (widget_class, BfkAuditPage, empty_page);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_more_clicked);
}

static void
bfk_audit_page_init (BfkAuditPage *self)
{
  g_autoptr(GtkStringList) all_actions = gtk_string_list_new ((const gchar *[]) { _("All actions"), NULL });
  g_autoptr(GtkStringList) everyone = gtk_string_list_new ((const gchar *[]) { _("Everyone"), NULL });

  self->actions = g_ptr_array_new_with_free_func (g_free);
  self->actors = g_ptr_array_new_with_free_func (g_free);
  self->newest = -1;   /* never read (an empty log's newest is 0) */
  self->entries = g_list_store_new (BFK_TYPE_AUDIT_ROW);
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_no_selection_set_model (self->no_selection, G_LIST_MODEL (self->entries));
  gtk_drop_down_set_model (self->action_filter, G_LIST_MODEL (all_actions));
  gtk_drop_down_set_model (self->actor_filter, G_LIST_MODEL (everyone));
  add_columns (self);
}
