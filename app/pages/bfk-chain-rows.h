/* bfk-chain-rows.h: communities and backers as the store has them (the
 * follower derives both from the contract's events), for the pages.
 *
 * Small tables: read whole, on the main thread's read-only connection.
 */
#pragma once

#include "bfk-address.h"
#include "bfk-contract.h"
#include "bfk-store.h"

G_BEGIN_DECLS

typedef struct
{
  guint64  id;
  gchar   *name;
  gchar   *currency;   /* "Fonjoka" */
  gchar   *symbol;     /* "FJK" */
  gint64   members;
  gint64   supply;
  gint64   exchanges;
  gint64   volume;     /* what completed exchanges paid */
} BfkCommunityRow;

void       bfk_community_row_free  (BfkCommunityRow *row);
/* By id, a GPtrArray of BfkCommunityRow; NULL on error. */
GPtrArray *bfk_chain_rows_communities (BfkStore     *store,
                                       GError      **error);
/* The one of id in rows, or NULL. */
const BfkCommunityRow *bfk_chain_rows_find_community (GPtrArray *rows,
                                                      guint64    id);

typedef struct
{
  BfkAddress  address;
  gchar       text[BFK_ADDRESS_STRING_SIZE];
  guint64     community_id;
  gint64      weekly_cap;
  gboolean    active;
} BfkBackerRow;

/* By community, then address: a GArray of BfkBackerRow; NULL on error. */
GArray    *bfk_chain_rows_backers  (BfkStore     *store,
                                    GError      **error);

/* What backers have left this week, as read from the chain: address text
 * → gint64 *.  A new, empty table. */
GHashTable *bfk_chain_rows_remaining_new (void);
/* Adds (or updates) each of infos, BfkBackerInfo from
 * bfk_backend_read_backers_finish, in remaining. */
void       bfk_chain_rows_add_remaining (GHashTable   *remaining,
                                         GArray       *infos);

G_END_DECLS
