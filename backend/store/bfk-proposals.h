/* bfk-proposals.h: exchanges asked for on WhatsApp (PROPOSER … then OUI).
 *
 * A proposal is written pending when the payer confirms, with the outbox
 * operation that proposes it on chain (op_id).  Once that operation is
 * mined, the contract's exchange number is attached and the proposal is
 * proposed; the bot's later commands (ACCEPTER, TERMINE, EVALUER …) find
 * it by that number.  A proposal whose operation failed is failed.
 *
 * The store does not police the order of states: the chain does, and the
 * follower and the bot set what it says.  A rating is recorded once for
 * each side, as the contract allows.
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

#define BFK_PROPOSAL_ERROR (bfk_proposal_error_quark ())

typedef enum
{
  BFK_PROPOSAL_ERROR_NOT_FOUND,
  BFK_PROPOSAL_ERROR_INVALID,         /* an amount, member or state that cannot be */
  BFK_PROPOSAL_ERROR_ALREADY_RATED,
  BFK_PROPOSAL_ERROR_EXCHANGE_TAKEN,  /* the exchange number belongs to another proposal */
} BfkProposalError;

typedef enum
{
  BFK_PROPOSAL_PENDING,     /* waiting for its operation to be mined */
  BFK_PROPOSAL_PROPOSED,    /* on chain, waiting for the provider */
  BFK_PROPOSAL_ACCEPTED,
  BFK_PROPOSAL_COMPLETED,
  BFK_PROPOSAL_DECLINED,
  BFK_PROPOSAL_CANCELLED,
  BFK_PROPOSAL_EXPIRED,
  BFK_PROPOSAL_FAILED,      /* the operation failed: nothing on chain */
} BfkProposalState;

typedef enum
{
  BFK_PROPOSAL_PAYER,
  BFK_PROPOSAL_PROVIDER,
} BfkProposalParty;

typedef struct
{
  gint64            id;
  gint64            payer_id;
  gint64            provider_id;
  guint64           community_id;
  gchar            *service;
  gint64            amount;
  gint64            deadline;        /* seconds since the epoch */
  gint64            op_id;           /* 0: none yet */
  guint64           exchange_id;     /* 0: not on chain yet */
  BfkProposalState  state;
  gboolean          payer_rated;
  gboolean          provider_rated;
  gint64            created_at;
  gint64            updated_at;
} BfkProposal;

void          bfk_proposal_free                 (BfkProposal       *proposal);

/* "pending", "proposed", … as the table holds them. */
const gchar  *bfk_proposal_state_to_string      (BfkProposalState   state);
/* FALSE with BFK_PROPOSAL_ERROR_INVALID for anything else. */
gboolean      bfk_proposal_state_from_string    (const gchar       *text,
                                                 BfkProposalState  *state,
                                                 GError           **error);

/* A new pending proposal in the payer's community.  INVALID when the
 * amount is not positive, or the payer and provider are the same member
 * or not of one community. */
BfkProposal  *bfk_proposals_create              (BfkStore          *store,
                                                 gint64             payer_id,
                                                 gint64             provider_id,
                                                 const gchar       *service,
                                                 gint64             amount,
                                                 gint64             deadline,
                                                 GError           **error);
gboolean      bfk_proposals_attach_op           (BfkStore          *store,
                                                 gint64             proposal_id,
                                                 gint64             op_id,
                                                 GError           **error);
/* The operation was mined: the contract's number, and state proposed
 * (unless the proposal has moved past pending already). */
gboolean      bfk_proposals_set_exchange_id     (BfkStore          *store,
                                                 gint64             proposal_id,
                                                 guint64            exchange_id,
                                                 GError           **error);
gboolean      bfk_proposals_set_state           (BfkStore          *store,
                                                 gint64             proposal_id,
                                                 BfkProposalState   state,
                                                 GError           **error);
/* ALREADY_RATED when that side rated before. */
gboolean      bfk_proposals_mark_rated          (BfkStore          *store,
                                                 gint64             proposal_id,
                                                 BfkProposalParty   by,
                                                 GError           **error);

/* --- reading: NULL with BFK_PROPOSAL_ERROR_NOT_FOUND when none matches --- */

BfkProposal  *bfk_proposals_get                 (BfkStore          *store,
                                                 gint64             proposal_id,
                                                 GError           **error);
BfkProposal  *bfk_proposals_find_by_op          (BfkStore          *store,
                                                 gint64             op_id,
                                                 GError           **error);
BfkProposal  *bfk_proposals_get_by_exchange_id  (BfkStore          *store,
                                                 guint64            exchange_id,
                                                 GError           **error);
/* Proposed (not yet accepted) ones whose deadline is before now, for
 * expireExchange; earliest deadline first.  A GPtrArray of BfkProposal. */
GPtrArray    *bfk_proposals_list_expired        (BfkStore          *store,
                                                 gint64             now,
                                                 guint              limit,
                                                 GError           **error);
/* Those where the member pays or provides, newest first. */
GPtrArray    *bfk_proposals_list_by_member      (BfkStore          *store,
                                                 gint64             member_id,
                                                 guint              limit,
                                                 guint              offset,
                                                 GError           **error);

GQuark        bfk_proposal_error_quark          (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BfkProposal, bfk_proposal_free)

G_END_DECLS
