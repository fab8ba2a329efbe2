/* bfk-member-model.h: the members of a store as a GListModel of
 * BfkMemberItem.
 *
 * Over a read-only connection (bfk_store_open (path, TRUE, …)), which must
 * outlive the model.  Filters and order set here take effect at the next
 * bfk_member_model_refresh, which emits one precise items-changed.
 */
#pragma once

#include "bfk-member-item.h"
#include "bfk-paged-model.h"

G_BEGIN_DECLS

typedef enum
{
  BFK_MEMBER_SORT_NAME,     /* case-insensitive */
  BFK_MEMBER_SORT_BALANCE,  /* spendable; 0 for a member not yet on chain */
  BFK_MEMBER_SORT_JOINED,   /* created_at */
} BfkMemberSort;

#define BFK_TYPE_MEMBER_MODEL (bfk_member_model_get_type ())

G_DECLARE_FINAL_TYPE (BfkMemberModel, bfk_member_model, BFK, MEMBER_MODEL, BfkPagedModel)

/* Every member by name, ascending. */
BfkMemberModel *bfk_member_model_new           (BfkStore        *store,
                                                GError         **error);

/* 0: all communities. */
void            bfk_member_model_set_community (BfkMemberModel  *self,
                                                guint64          community_id);
/* Members whose name holds text (case-insensitive), or whose phone number
 * holds the digits of text; NULL or "" for all. */
void            bfk_member_model_set_search    (BfkMemberModel  *self,
                                                const gchar     *text);
/* Ties go by id, in the same direction. */
void            bfk_member_model_set_sort      (BfkMemberModel  *self,
                                                BfkMemberSort    sort,
                                                gboolean         descending);

gboolean        bfk_member_model_refresh       (BfkMemberModel  *self,
                                                GError         **error);

/* A search that matches more members than this shows the first of them in
 * the order asked, and says so: bfk_member_model_get_capped (). */
#define BFK_MEMBER_MODEL_SEARCH_LIMIT 10000
gboolean        bfk_member_model_get_capped    (BfkMemberModel  *self);

G_END_DECLS
