/* bfk-operation-model.c: the index query of operations, and their pages. */
#include "bfk-operation-model.h"
#include "bfk-models-private.h"

struct _BfkOperationModel
{
  BfkPagedModel  parent_instance;

  gchar         *kind;
  gchar         *state;
  guint64        community_id;
};

G_DEFINE_FINAL_TYPE (BfkOperationModel, bfk_operation_model, BFK_TYPE_PAGED_MODEL)

static GArray *
bfk_operation_model_load_index (BfkPagedModel  *model,
                                GError        **error)
{
  BfkOperationModel *self = BFK_OPERATION_MODEL (model);
  BfkStore *store = bfk_paged_model_get_store (model);
  /* Ids grow with time: newest first is the rowid backwards, no sort. */
  sqlite3_stmt *stmt = bfk_store_prepare (store,
                                          "SELECT id FROM operations"
                                          " WHERE (?1 IS NULL OR kind = ?1)"
                                          "   AND (?2 IS NULL OR state = ?2)"
                                          "   AND (?3 = 0 OR community_id = ?3)"
                                          " ORDER BY id DESC",
                                          error);

  if (!stmt)
    return NULL;
  if (self->kind)
    sqlite3_bind_text (stmt, 1, self->kind, -1, SQLITE_STATIC);
  if (self->state)
    sqlite3_bind_text (stmt, 2, self->state, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, (sqlite3_int64) self->community_id);
  return bfk_paged_model_read_ids (model, stmt, error);
}

static gpointer
operation_from_statement (sqlite3_stmt *stmt)
{
  return bfk_operation_item_new_from_statement (stmt);
}

static gboolean
bfk_operation_model_fetch_page (BfkPagedModel  *model,
                                const gint64   *ids,
                                guint           n_ids,
                                GHashTable     *items,
                                GError        **error)
{
  return bfk_paged_model_fetch_rows (model,
                                     "SELECT " BFK_OPERATION_ITEM_COLUMNS
                                     "  FROM operations WHERE id IN " BFK_PAGED_MODEL_IN_LIST,
                                     ids, n_ids, operation_from_statement, items, error);
}

static gpointer
bfk_operation_model_new_blank (gint64 id)
{
  return bfk_operation_item_new_blank (id);
}

static void
bfk_operation_model_finalize (GObject *object)
{
  BfkOperationModel *self = BFK_OPERATION_MODEL (object);

  g_free (self->kind);
  g_free (self->state);
  G_OBJECT_CLASS (bfk_operation_model_parent_class)->finalize (object);
}

static void
bfk_operation_model_class_init (BfkOperationModelClass *klass)
{
  BfkPagedModelClass *paged_class = BFK_PAGED_MODEL_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = bfk_operation_model_finalize;
  paged_class->load_index = bfk_operation_model_load_index;
  paged_class->fetch_page = bfk_operation_model_fetch_page;
  paged_class->new_blank = bfk_operation_model_new_blank;
}

static void
bfk_operation_model_init (BfkOperationModel *self)
{
}

BfkOperationModel *
bfk_operation_model_new (BfkStore  *store,
                         GError   **error)
{
  g_autoptr(BfkOperationModel) self = g_object_new (BFK_TYPE_OPERATION_MODEL, NULL);

  if (!bfk_paged_model_setup (BFK_PAGED_MODEL (self), store, BFK_TYPE_OPERATION_ITEM, error))
    return NULL;
  return g_steal_pointer (&self);
}

void
bfk_operation_model_set_kind (BfkOperationModel *self,
                              const gchar       *kind)
{
  g_return_if_fail (BFK_IS_OPERATION_MODEL (self));

  g_free (self->kind);
  self->kind = g_strdup (kind);
}

void
bfk_operation_model_set_state (BfkOperationModel *self,
                               const gchar       *state)
{
  g_return_if_fail (BFK_IS_OPERATION_MODEL (self));

  g_free (self->state);
  self->state = g_strdup (state);
}

void
bfk_operation_model_set_community (BfkOperationModel *self,
                                   guint64            community_id)
{
  g_return_if_fail (BFK_IS_OPERATION_MODEL (self));

  self->community_id = community_id;
}

gboolean
bfk_operation_model_refresh (BfkOperationModel  *self,
                             GError            **error)
{
  g_return_val_if_fail (BFK_IS_OPERATION_MODEL (self), FALSE);

  return bfk_paged_model_refresh (BFK_PAGED_MODEL (self), error);
}
