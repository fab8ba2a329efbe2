/* bfk-directory.h: members as the people who run a community see them.
 *
 * A member row (bfk-members.h) joined with what the chain reports of it
 * (the accounts the follower derives from events) and its community: the
 * listing of `bafokactl members`, the profile of `bafokactl member`, and the
 * CSV exports.  Read only: any connection will do, a read-only one included.
 */
#pragma once

#include <gio/gio.h>

#include "bfk-store.h"

G_BEGIN_DECLS

typedef struct
{
  gint64    id;
  gchar    *phone;            /* E.164, or NULL */
  gchar    *name;
  guint64   community_id;
  gchar    *community;        /* its name, or NULL when the chain has not told us yet */
  gchar    *currency;         /* "Fonjoka" */
  gchar    *address;          /* EIP-55 */
  gboolean  on_chain;         /* the follower has seen its MemberRegistered */
  gint64    balance;          /* spendable, as the chain reports */
  gint64    escrow;           /* held in its open proposals */
  gint64    reputation;       /* the sum of the stars it received */
  gint64    ratings;          /* how many ratings */
  gint64    exchanges;
  gchar    *language;         /* "fr" or "en" */
  gint64    created_at;
  gint64    last_seen_at;     /* last WhatsApp message, 0 if never */
} BfkMemberRow;

void          bfk_member_row_free        (BfkMemberRow *row);

/* By name within a community (community_id 0: all), a GPtrArray of
 * BfkMemberRow. */
GPtrArray    *bfk_directory_list         (BfkStore     *store,
                                          guint64       community_id,
                                          guint         limit,
                                          guint         offset,
                                          GError      **error);

/* One member from what a person types: a phone number in any accepted
 * spelling, an address, or a user name (case-insensitive; a name held in
 * several communities is BFK_MEMBER_ERROR_AMBIGUOUS and names them).  NULL
 * with BFK_MEMBER_ERROR_NOT_FOUND when nobody matches. */
BfkMemberRow *bfk_directory_lookup       (BfkStore     *store,
                                          const gchar  *query,
                                          GError      **error);

/* The ids of the operations done for a member (its registration, the
 * exchanges it acted in), newest first: a GArray of gint64. */
GArray       *bfk_directory_member_operations (BfkStore  *store,
                                               gint64     member_id,
                                               guint      limit,
                                               GError   **error);

/* Every member, as CSV with a header row, into out.  Phone numbers are
 * written whole: an export is for the coordinator's own records. */
gboolean      bfk_directory_export_members (BfkStore      *store,
                                            GOutputStream *out,
                                            GError       **error);

/* Every operation of the outbox, oldest first, as CSV with a header row. */
gboolean      bfk_directory_export_operations (BfkStore      *store,
                                               GOutputStream *out,
                                               GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BfkMemberRow, bfk_member_row_free)

G_END_DECLS
