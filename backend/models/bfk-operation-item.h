/* bfk-operation-item.h: one row of BfkOperationModel.
 *
 * A snapshot of an outbox operation, made when the model reads its page:
 * its properties are read-only and never change (a refresh of the model
 * gives new items).
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define BFK_TYPE_OPERATION_ITEM (bfk_operation_item_get_type ())

G_DECLARE_FINAL_TYPE (BfkOperationItem, bfk_operation_item, BFK, OPERATION_ITEM, GObject)

gint64        bfk_operation_item_get_id           (BfkOperationItem *self);
/* Seconds since the epoch. */
gint64        bfk_operation_item_get_created_at   (BfkOperationItem *self);
/* The outbox's names: "register_member", …; "queued" … "replaced". */
const gchar  *bfk_operation_item_get_kind         (BfkOperationItem *self);
const gchar  *bfk_operation_item_get_state        (BfkOperationItem *self);
const gchar  *bfk_operation_item_get_summary      (BfkOperationItem *self);
/* 0 when the operation is of no community. */
guint64       bfk_operation_item_get_community_id (BfkOperationItem *self);
/* 0 when it moves no amount. */
gint64        bfk_operation_item_get_amount       (BfkOperationItem *self);
gint          bfk_operation_item_get_attempts     (BfkOperationItem *self);
/* NULL until signed; fee-paid (wei, decimal) NULL until mined. */
const gchar  *bfk_operation_item_get_tx_hash      (BfkOperationItem *self);
const gchar  *bfk_operation_item_get_fee_paid     (BfkOperationItem *self);

G_END_DECLS
