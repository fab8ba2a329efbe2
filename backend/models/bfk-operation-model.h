/* bfk-operation-model.h: the outbox's operations as a GListModel of
 * BfkOperationItem, newest first.
 *
 * Over a read-only connection (bfk_store_open (path, TRUE, …)), which must
 * outlive the model.  Filters set here take effect at the next
 * bfk_operation_model_refresh, which emits one precise items-changed.
 */
#pragma once

#include "bfk-operation-item.h"
#include "bfk-paged-model.h"

G_BEGIN_DECLS

#define BFK_TYPE_OPERATION_MODEL (bfk_operation_model_get_type ())

G_DECLARE_FINAL_TYPE (BfkOperationModel, bfk_operation_model, BFK, OPERATION_MODEL, BfkPagedModel)

/* Every operation. */
BfkOperationModel *bfk_operation_model_new           (BfkStore           *store,
                                                      GError            **error);

/* Only operations of that kind ("register_member", …); NULL for all. */
void               bfk_operation_model_set_kind      (BfkOperationModel  *self,
                                                      const gchar        *kind);
/* Only operations in that state ("queued" … "replaced"); NULL for all. */
void               bfk_operation_model_set_state     (BfkOperationModel  *self,
                                                      const gchar        *state);
/* 0: all communities. */
void               bfk_operation_model_set_community (BfkOperationModel  *self,
                                                      guint64             community_id);

gboolean           bfk_operation_model_refresh       (BfkOperationModel  *self,
                                                      GError            **error);

G_END_DECLS
