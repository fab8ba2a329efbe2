/* bfk-member-item.h: one row of BfkMemberModel.
 *
 * A snapshot of a member joined with its account and community, made when
 * the model reads its page: its properties are read-only and never change
 * (a refresh of the model gives new items).
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define BFK_TYPE_MEMBER_ITEM (bfk_member_item_get_type ())

G_DECLARE_FINAL_TYPE (BfkMemberItem, bfk_member_item, BFK, MEMBER_ITEM, GObject)

gint64        bfk_member_item_get_id           (BfkMemberItem *self);
const gchar  *bfk_member_item_get_name         (BfkMemberItem *self);
/* E.164, or NULL. */
const gchar  *bfk_member_item_get_phone        (BfkMemberItem *self);
guint64       bfk_member_item_get_community_id (BfkMemberItem *self);
/* The community's name, or NULL when the chain has not told us yet. */
const gchar  *bfk_member_item_get_community    (BfkMemberItem *self);
gint64        bfk_member_item_get_balance      (BfkMemberItem *self);
gint64        bfk_member_item_get_escrow       (BfkMemberItem *self);
gint64        bfk_member_item_get_reputation   (BfkMemberItem *self);
/* Seconds since the epoch; last-seen is 0 when never seen. */
gint64        bfk_member_item_get_created_at   (BfkMemberItem *self);
gint64        bfk_member_item_get_last_seen    (BfkMemberItem *self);

G_END_DECLS
