/* bfk-models-private.h: how the models build their items from rows.
 *
 * The column list of each item type sits here, beside the declaration of
 * the constructor that reads it, so that a model's SELECT and the item's
 * reading of the columns cannot drift apart unnoticed.
 */
#pragma once

#include <sqlite3.h>

#include "bfk-member-item.h"
#include "bfk-operation-item.h"

G_BEGIN_DECLS

/* What bfk_member_item_new_from_statement reads, in its order, FROM members
 * m LEFT JOIN accounts a, communities c.  Accounts and communities come from
 * the chain's events: a member whose registration is not mined yet has
 * neither, hence the zeroes. */
#define BFK_MEMBER_ITEM_COLUMNS                                                  \
  "m.id, m.name, m.phone, m.community_id, c.name, coalesce (a.balance, 0),"     \
  " coalesce (a.escrow, 0), coalesce (a.reputation, 0), m.created_at,"          \
  " coalesce (m.last_seen_at, 0)"
BfkMemberItem    *bfk_member_item_new_from_statement    (sqlite3_stmt *stmt);
BfkMemberItem    *bfk_member_item_new_blank             (gint64        id);

/* What bfk_operation_item_new_from_statement reads, FROM operations. */
#define BFK_OPERATION_ITEM_COLUMNS                                               \
  "id, created_at, kind, state, summary, coalesce (community_id, 0),"           \
  " coalesce (amount, 0), attempts, tx_hash, fee_paid"
BfkOperationItem *bfk_operation_item_new_from_statement (sqlite3_stmt *stmt);
BfkOperationItem *bfk_operation_item_new_blank          (gint64        id);

G_END_DECLS
