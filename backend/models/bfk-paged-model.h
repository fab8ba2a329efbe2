/* bfk-paged-model.h: a GListModel over rows of a read-only SQLite store.
 *
 * In the manner of Sysprof's document model: the model itself is a compact
 * index, the ordered ids of the rows the current query selects (8 bytes a
 * row), and get_item builds a small GObject on demand.  Rows are read a page
 * of ids at a time and a few recent pages are kept, so that scrolling a
 * million rows never holds them all.
 *
 * Subclasses say how to read the index (their filters and order) and how to
 * read a page of rows; refresh re-reads the index and emits one precise
 * items-changed, so that a list showing the model does not jump.  The index
 * is first read when the model is first used (or refreshed), not when it is
 * made: its owner sets the filters and order first.
 */
#pragma once

#include <gio/gio.h>

#include "bfk-store.h"

G_BEGIN_DECLS

/* Rows read by one SELECT: also the number of ? in BFK_PAGED_MODEL_IN_LIST. */
#define BFK_PAGED_MODEL_PAGE_SIZE 64
/* A refresh that removes and adds at least this many rows each is told as
 * a removal then an addition (bfk_paged_model_refresh). */
#define BFK_PAGED_MODEL_SPLIT_CHANGE 1024

#define BFK_PAGED_MODEL_Q8 "?,?,?,?,?,?,?,?"
#define BFK_PAGED_MODEL_IN_LIST                                                 \
  "(" BFK_PAGED_MODEL_Q8 "," BFK_PAGED_MODEL_Q8 "," BFK_PAGED_MODEL_Q8 ","      \
  BFK_PAGED_MODEL_Q8 "," BFK_PAGED_MODEL_Q8 "," BFK_PAGED_MODEL_Q8 ","          \
  BFK_PAGED_MODEL_Q8 "," BFK_PAGED_MODEL_Q8 ")"

#define BFK_TYPE_PAGED_MODEL (bfk_paged_model_get_type ())

G_DECLARE_DERIVABLE_TYPE (BfkPagedModel, bfk_paged_model, BFK, PAGED_MODEL, GObject)

struct _BfkPagedModelClass
{
  GObjectClass parent_class;

  /* The ids the current query selects, in order: a GArray of gint64. */
  GArray   *(*load_index) (BfkPagedModel  *self,
                           GError        **error);
  /* Reads the rows of ids (at most BFK_PAGED_MODEL_PAGE_SIZE) into items,
   * id → new item, with bfk_paged_model_fetch_rows. */
  gboolean  (*fetch_page) (BfkPagedModel  *self,
                           const gint64   *ids,
                           guint           n_ids,
                           GHashTable     *items,
                           GError        **error);
  /* An item for a row deleted since the index was read. */
  gpointer  (*new_blank)  (gint64          id);
};

/* For subclasses' constructors: the store (which must outlive the model)
 * and the item type, then the first index, read without a signal. */
gboolean   bfk_paged_model_setup        (BfkPagedModel  *self,
                                         BfkStore       *store,
                                         GType           item_type,
                                         GError        **error);
BfkStore  *bfk_paged_model_get_store    (BfkPagedModel  *self);

/* Re-reads the index; when it differs, emits one items-changed covering
 * what lies between the common prefix and the common suffix of the old and
 * new ids.  Cached pages are dropped, so rows read afterwards are fresh. */
gboolean   bfk_paged_model_refresh      (BfkPagedModel  *self,
                                         GError        **error);

/* The id at position, or -1 past the end: no row is read. */
gint64     bfk_paged_model_get_id       (BfkPagedModel  *self,
                                         guint           position);
/* How many pages of rows are held now, for the tests of memory. */
guint      bfk_paged_model_cached_pages (BfkPagedModel  *self);

/* Helpers for subclasses. */
/* Steps stmt (bound, fresh) and collects its first column. */
GArray    *bfk_paged_model_read_ids     (BfkPagedModel  *self,
                                         sqlite3_stmt   *stmt,
                                         GError        **error);
/* For fetch_page: runs sql, whose only parameters are one
 * BFK_PAGED_MODEL_IN_LIST and whose first column is the id, over ids, and
 * adds make_item's item of each row to items. */
typedef gpointer (*BfkPagedModelRowFunc) (sqlite3_stmt *stmt);
gboolean   bfk_paged_model_fetch_rows   (BfkPagedModel        *self,
                                         const gchar          *sql,
                                         const gint64         *ids,
                                         guint                 n_ids,
                                         BfkPagedModelRowFunc  make_item,
                                         GHashTable           *items,
                                         GError              **error);

G_END_DECLS
