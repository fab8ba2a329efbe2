/* bfk-paged-model.c: the index, the page cache and the precise diff. */
#include "bfk-paged-model.h"

#include <string.h>

/* Enough pages for a few screens either side of the visible one, so that
 * scrolling back and forth reads nothing again. */
#define MAX_PAGES 8

typedef struct
{
  guint      number;  /* position / BFK_PAGED_MODEL_PAGE_SIZE */
  GPtrArray *items;
} Page;

typedef struct
{
  BfkStore *store;
  GType     item_type;
  GArray   *ids;      /* gint64, the index */
  gboolean  indexed;  /* ids has been read: at the first use or refresh */
  GQueue    pages;    /* Page *, most recently used first */
} BfkPagedModelPrivate;

static void ensure_index (BfkPagedModel *self);

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_ABSTRACT_TYPE_WITH_CODE (BfkPagedModel, bfk_paged_model, G_TYPE_OBJECT,
                                  G_ADD_PRIVATE (BfkPagedModel)
                                  G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static void
page_free (gpointer data)
{
  Page *page = data;

  g_ptr_array_unref (page->items);
  g_free (page);
}

static void
drop_pages (BfkPagedModelPrivate *priv)
{
  g_queue_clear_full (&priv->pages, page_free);
}

static void
bfk_paged_model_finalize (GObject *object)
{
  BfkPagedModelPrivate *priv = bfk_paged_model_get_instance_private (BFK_PAGED_MODEL (object));

  drop_pages (priv);
  g_clear_pointer (&priv->ids, g_array_unref);
  G_OBJECT_CLASS (bfk_paged_model_parent_class)->finalize (object);
}

static void
bfk_paged_model_class_init (BfkPagedModelClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bfk_paged_model_finalize;
}

static void
bfk_paged_model_init (BfkPagedModel *self)
{
  BfkPagedModelPrivate *priv = bfk_paged_model_get_instance_private (self);

  priv->item_type = G_TYPE_OBJECT;
  priv->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_queue_init (&priv->pages);
}

static GType
bfk_paged_model_get_item_type (GListModel *model)
{
  BfkPagedModelPrivate *priv = bfk_paged_model_get_instance_private (BFK_PAGED_MODEL (model));

  return priv->item_type;
}

static guint
bfk_paged_model_get_n_items (GListModel *model)
{
  BfkPagedModelPrivate *priv = bfk_paged_model_get_instance_private (BFK_PAGED_MODEL (model));

  ensure_index (BFK_PAGED_MODEL (model));
  return priv->ids->len;
}

static Page *
find_page (BfkPagedModelPrivate *priv,
           guint                 number)
{
  for (GList *l = priv->pages.head; l != NULL; l = l->next)
    {
      Page *page = l->data;

      if (page->number == number)
        {
          /* Most recently used to the front: the tail is what goes. */
          g_queue_unlink (&priv->pages, l);
          g_queue_push_head_link (&priv->pages, l);
          return page;
        }
    }
  return NULL;
}

static Page *
load_page (BfkPagedModel *self,
           guint          number)
{
  BfkPagedModelPrivate *priv = bfk_paged_model_get_instance_private (self);
  BfkPagedModelClass *klass = BFK_PAGED_MODEL_GET_CLASS (self);
  guint first = number * BFK_PAGED_MODEL_PAGE_SIZE;
  guint n = MIN (BFK_PAGED_MODEL_PAGE_SIZE, priv->ids->len - first);
  const gint64 *ids = &g_array_index (priv->ids, gint64, first);
  g_autoptr(GHashTable) items = g_hash_table_new_full (g_int64_hash, g_int64_equal,
                                                       g_free, g_object_unref);
  g_autoptr(GError) error = NULL;
  Page *page;

  /* A failing read (a disk error) leaves blank rows rather than a list
   * with holes: the next refresh tries again. */
  if (!klass->fetch_page (self, ids, n, items, &error))
    g_warning ("Could not read rows: %s", error->message);

  page = g_new0 (Page, 1);
  page->number = number;
  page->items = g_ptr_array_new_full (n, g_object_unref);
  for (guint i = 0; i < n; i++)
    {
      gpointer item = NULL;

      if (!g_hash_table_steal_extended (items, &ids[i], NULL, &item))
        item = klass->new_blank (ids[i]);
      g_ptr_array_add (page->items, item);
    }

  g_queue_push_head (&priv->pages, page);
  while (priv->pages.length > MAX_PAGES)
    page_free (g_queue_pop_tail (&priv->pages));
  return page;
}

static gpointer
bfk_paged_model_get_item (GListModel *model,
                          guint       position)
{
  BfkPagedModel *self = BFK_PAGED_MODEL (model);
  BfkPagedModelPrivate *priv = bfk_paged_model_get_instance_private (self);
  guint number = position / BFK_PAGED_MODEL_PAGE_SIZE;
  Page *page;

  ensure_index (self);
  if (position >= priv->ids->len)
    return NULL;
  if (!(page = find_page (priv, number)))
    page = load_page (self, number);
  return g_object_ref (g_ptr_array_index (page->items, position % BFK_PAGED_MODEL_PAGE_SIZE));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = bfk_paged_model_get_item_type;
  iface->get_n_items = bfk_paged_model_get_n_items;
  iface->get_item = bfk_paged_model_get_item;
}

gboolean
bfk_paged_model_setup (BfkPagedModel  *self,
                       BfkStore       *store,
                       GType           item_type,
                       GError        **error)
{
  BfkPagedModelPrivate *priv = bfk_paged_model_get_instance_private (self);

  g_return_val_if_fail (BFK_IS_PAGED_MODEL (self), FALSE);
  g_return_val_if_fail (store != NULL, FALSE);

  priv->store = store;
  priv->item_type = item_type;
  return TRUE;
}

/* The index is read when first needed, not at construction: a page sets
 * its search and order first, and a million ids are read once. */
static void
ensure_index (BfkPagedModel *self)
{
  BfkPagedModelPrivate *priv = bfk_paged_model_get_instance_private (self);
  g_autoptr(GError) error = NULL;
  GArray *ids;

  if (priv->indexed)
    return;
  priv->indexed = TRUE;
  if (!(ids = BFK_PAGED_MODEL_GET_CLASS (self)->load_index (self, &error)))
    {
      /* Empty until a refresh succeeds. */
      g_warning ("Could not read the list: %s", error->message);
      return;
    }
  g_array_unref (priv->ids);
  priv->ids = ids;
}

BfkStore *
bfk_paged_model_get_store (BfkPagedModel *self)
{
  BfkPagedModelPrivate *priv = bfk_paged_model_get_instance_private (self);

  return priv->store;
}

gboolean
bfk_paged_model_refresh (BfkPagedModel  *self,
                         GError        **error)
{
  BfkPagedModelPrivate *priv = bfk_paged_model_get_instance_private (self);
  g_autoptr(GArray) old = NULL;
  GArray *ids;
  const gint64 *a, *b;
  guint prefix = 0, suffix = 0, shorter, removed, added;

  g_return_val_if_fail (BFK_IS_PAGED_MODEL (self), FALSE);

  if (!(ids = BFK_PAGED_MODEL_GET_CLASS (self)->load_index (self, error)))
    return FALSE;
  /* Nobody has seen the list yet: there is no change to tell. */
  if (!priv->indexed)
    {
      priv->indexed = TRUE;
      g_array_unref (priv->ids);
      priv->ids = ids;
      return TRUE;
    }

  old = g_steal_pointer (&priv->ids);
  priv->ids = ids;
  /* Rows may have changed where their ids did not: read them again. */
  drop_pages (priv);

  a = (const gint64 *) (gpointer) old->data;
  b = (const gint64 *) (gpointer) ids->data;
  shorter = MIN (old->len, ids->len);
  while (prefix < shorter && a[prefix] == b[prefix])
    prefix++;
  while (suffix < shorter - prefix
         && a[old->len - 1 - suffix] == b[ids->len - 1 - suffix])
    suffix++;

  removed = old->len - prefix - suffix;
  added = ids->len - prefix - suffix;
  if (removed >= BFK_PAGED_MODEL_SPLIT_CHANGE && added >= BFK_PAGED_MODEL_SPLIT_CHANGE)
    {
      /* A new list more than an edit (a search, another order): said as a
       * removal then an addition.  In one change, GTK's list views look for
       * each removed row among the added ones, reading every added item. */
      GArray *kept = g_array_sized_new (FALSE, FALSE, sizeof (gint64), prefix + suffix);

      g_array_append_vals (kept, b, prefix);
      g_array_append_vals (kept, b + ids->len - suffix, suffix);
      priv->ids = kept;
      g_list_model_items_changed (G_LIST_MODEL (self), prefix, removed, 0);
      priv->ids = ids;
      g_array_unref (kept);
      g_list_model_items_changed (G_LIST_MODEL (self), prefix, 0, added);
    }
  else if (removed > 0 || added > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), prefix, removed, added);
  return TRUE;
}

gint64
bfk_paged_model_get_id (BfkPagedModel *self,
                        guint          position)
{
  BfkPagedModelPrivate *priv = bfk_paged_model_get_instance_private (self);

  ensure_index (self);
  return position < priv->ids->len ? g_array_index (priv->ids, gint64, position) : -1;
}

guint
bfk_paged_model_cached_pages (BfkPagedModel *self)
{
  BfkPagedModelPrivate *priv = bfk_paged_model_get_instance_private (self);

  return priv->pages.length;
}

GArray *
bfk_paged_model_read_ids (BfkPagedModel  *self,
                          sqlite3_stmt   *stmt,
                          GError        **error)
{
  BfkPagedModelPrivate *priv = bfk_paged_model_get_instance_private (self);
  /* The old index's size is a good guess at the new one's. */
  g_autoptr(GArray) ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), priv->ids->len);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  if (rc != SQLITE_DONE)
    bfk_store_set_error (priv->store, error, "reading a list");
  /* A cached statement left unreset holds its read transaction open. */
  sqlite3_reset (stmt);
  return rc == SQLITE_DONE ? g_steal_pointer (&ids) : NULL;
}

gboolean
bfk_paged_model_fetch_rows (BfkPagedModel         *self,
                            const gchar           *sql,
                            const gint64          *ids,
                            guint                  n_ids,
                            BfkPagedModelRowFunc   make_item,
                            GHashTable            *items,
                            GError               **error)
{
  BfkPagedModelPrivate *priv = bfk_paged_model_get_instance_private (self);
  sqlite3_stmt *stmt = bfk_store_prepare (priv->store, sql, error);
  int rc;

  g_return_val_if_fail (n_ids <= BFK_PAGED_MODEL_PAGE_SIZE, FALSE);

  if (!stmt)
    return FALSE;
  /* The ? left unbound stay NULL, which no id equals. */
  for (guint i = 0; i < n_ids; i++)
    sqlite3_bind_int64 (stmt, (int) i + 1, ids[i]);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_hash_table_insert (items, g_memdup2 (&id, sizeof id), make_item (stmt));
    }
  if (rc != SQLITE_DONE)
    bfk_store_set_error (priv->store, error, "reading rows");
  sqlite3_reset (stmt);
  return rc == SQLITE_DONE;
}
