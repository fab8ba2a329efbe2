/* bfk-operation-text.h: the outbox's names, as people read them.
 *
 * The outbox stores "register_member", "sent", fees in wei; the pages show
 * "Registration", "Sent", "0.000042 ETH", translated.
 */
#pragma once

#include "bfk-config.h"
#include "bfk-proposals.h"

G_BEGIN_DECLS

/* "Registration", "Recharge"…; kind itself when unknown. */
const gchar *bfk_operation_kind_label  (const gchar *kind);
/* "Queued", "Sent", "Confirmed"…; state itself when unknown. */
const gchar *bfk_operation_state_label (const gchar *state);
/* An exchange proposal's state, for people: "Waiting for the provider". */
const gchar *bfk_proposal_state_label  (BfkProposalState state);
/* A wei amount (decimal text) in the network's coin, at most 6 decimals:
 * "0.000042 POL"; "—" for NULL (not mined yet). */
gchar       *bfk_operation_format_fee  (const gchar *wei,
                                        BfkNetwork   network);

G_END_DECLS
