/* bfk-offers.h: the service offers members publish (OFFRIR), and the
 * search over them (RECHERCHER).
 *
 * Offers are kept off chain.  An offer belongs to its member's community,
 * and a search only ever looks in one community.  Titles are indexed by
 * SQLite's FTS5 without regard to case or accents: "electricite" finds
 * "Électricité", and a word of 3 letters or more also finds the words it
 * begins ("coutur" finds "couturière").  What a member types is never
 * FTS5 syntax: quotes, *, AND, -, brackets are searched as plain words
 * or dropped.
 *
 * Each function is one statement: it runs in the caller's transaction
 * when one is open.
 *
 * Threads: like the BfkStore it is given.
 */
#pragma once

#include <glib.h>

#include "bfk-store.h"

G_BEGIN_DECLS

#define BFK_OFFER_ERROR (bfk_offer_error_quark ())

typedef enum
{
  BFK_OFFER_ERROR_INVALID_TITLE,
  BFK_OFFER_ERROR_INVALID_PRICE,
  BFK_OFFER_ERROR_NOT_FOUND,
} BfkOfferError;

/* In characters: what fits a line of a small phone's screen, twice. */
#define BFK_OFFER_TITLE_MAX 80

typedef struct
{
  gint64    id;
  gint64    member_id;
  guint64   community_id;
  gchar    *title;
  gint64    price;                 /* whole units of the community's currency */
  gboolean  active;
  gint64    created_at;
  /* The provider, read with the offer: */
  gchar    *provider_name;
  gint64    provider_reputation;   /* from the chain; 0 before the follower saw it */
  gint64    provider_ratings;      /* how many ratings make the reputation */
} BfkOffer;

void        bfk_offer_free             (BfkOffer      *offer);

/* Publishes an offer of member_id, in the member's community.  The title
 * is trimmed and must have 1 to BFK_OFFER_TITLE_MAX characters; the price
 * is positive.  NOT_FOUND for a member that does not exist. */
BfkOffer   *bfk_offers_add             (BfkStore      *store,
                                        gint64         member_id,
                                        const gchar   *title,
                                        gint64         price,
                                        GError       **error);
/* Withdraws an offer, only for its owner: NOT_FOUND when the offer is not
 * one of member_id's active offers. */
gboolean    bfk_offers_deactivate      (BfkStore      *store,
                                        gint64         offer_id,
                                        gint64         member_id,
                                        GError       **error);
/* NULL with NOT_FOUND when no offer has the id; active or not. */
BfkOffer   *bfk_offers_get             (BfkStore      *store,
                                        gint64         offer_id,
                                        GError       **error);
/* The member's active offers, oldest first.  A GPtrArray of BfkOffer. */
GPtrArray  *bfk_offers_list_by_member  (BfkStore      *store,
                                        gint64         member_id,
                                        GError       **error);
/* Active offers of the community whose titles match any of the words,
 * best match first, then cheapest: at most limit of them.  Words shorter
 * than 3 letters count only when there is no longer one.  Text without a
 * word gives an empty array. */
GPtrArray  *bfk_offers_search          (BfkStore      *store,
                                        guint64        community_id,
                                        const gchar   *words,
                                        guint          limit,
                                        GError       **error);

/* The FTS5 query for what a member typed, NULL when it has no word;
 * exposed for the tests. */
gchar      *bfk_offers_match_query     (const gchar   *words);

GQuark      bfk_offer_error_quark      (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BfkOffer, bfk_offer_free)

G_END_DECLS
