/* bfk-contract.h: bindings for BafokaCommunity, the contract of DESIGN.md.
 *
 * The ABI and the creation code come from contracts/artifacts/, compiled into
 * the library as a GResource, so building the C code needs no Node.  Writes
 * are calldata builders (the caller signs and sends: see bfk-sender.h, and
 * the outbox later); views are eth_call wrappers; logs decode into BfkEvent.
 */
#pragma once

#include <glib.h>

#include "bfk-abi.h"
#include "bfk-address.h"
#include "bfk-rpc.h"
#include "bfk-u256.h"

G_BEGIN_DECLS

/* The states of getExchange, as the contract numbers them. */
typedef enum
{
  BFK_EXCHANGE_NONE = 0,
  BFK_EXCHANGE_PROPOSED = 1,
  BFK_EXCHANGE_ACCEPTED = 2,
  BFK_EXCHANGE_COMPLETED = 3,
  BFK_EXCHANGE_DECLINED = 4,
  BFK_EXCHANGE_CANCELLED = 5,
  BFK_EXCHANGE_EXPIRED = 6,
} BfkExchangeState;

const gchar *bfk_exchange_state_to_string (BfkExchangeState state);

/* The compiled contract: its ABI (shared, never freed) and creation code. */
const BfkAbi *bfk_contract_abi            (void);
GBytes       *bfk_contract_creation_code  (void);
/* The compiler that produced the embedded artifact, e.g. "0.8.30+commit…". */
const gchar  *bfk_contract_compiler       (void);
/* A revert decoder for bfk-rpc: the contract's custom errors by name. */
gchar        *bfk_contract_describe_revert (const guint8 *data,
                                            gsize         len,
                                            gpointer      user_data);

/* --- calldata of the writes, one per function of the ABI surface --- */

GBytes *bfk_contract_encode_add_community     (const gchar      *name,
                                               const gchar      *currency_name,
                                               const gchar      *currency_symbol);
GBytes *bfk_contract_encode_register_member   (const BfkAddress *member,
                                               guint64           community_id);
GBytes *bfk_contract_encode_propose_exchange  (const BfkAddress *payer,
                                               const BfkAddress *provider,
                                               BfkU256           amount,
                                               guint64           deadline);
GBytes *bfk_contract_encode_accept_exchange   (guint64           exchange_id);
GBytes *bfk_contract_encode_decline_exchange  (guint64           exchange_id);
GBytes *bfk_contract_encode_cancel_exchange   (guint64           exchange_id);
GBytes *bfk_contract_encode_complete_exchange (guint64           exchange_id);
GBytes *bfk_contract_encode_expire_exchange   (guint64           exchange_id);
GBytes *bfk_contract_encode_rate_exchange     (guint64           exchange_id,
                                               const BfkAddress *rater,
                                               guint             stars);
GBytes *bfk_contract_encode_approve_backer    (const BfkAddress *backer,
                                               guint64           community_id,
                                               BfkU256           weekly_cap);
GBytes *bfk_contract_encode_revoke_backer     (const BfkAddress *backer);
GBytes *bfk_contract_encode_recharge          (const BfkAddress *member,
                                               BfkU256           amount);
GBytes *bfk_contract_encode_pause             (void);
GBytes *bfk_contract_encode_unpause           (void);

/* --- calldata of the views, and their decoded answers --- */

typedef struct
{
  guint64  id;
  gchar   *name;
  gchar   *currency_name;
  gchar   *currency_symbol;
  guint64  members;
  BfkU256  supply;
  guint64  exchanges;
} BfkCommunityInfo;

void     bfk_community_info_clear (BfkCommunityInfo *info);

typedef struct
{
  guint64          id;
  BfkAddress       payer;
  BfkAddress       provider;
  guint64          community_id;
  BfkU256          amount;
  guint64          deadline;
  BfkExchangeState state;
} BfkExchangeInfo;

/* Encodes a call to a view by name ("balanceOf", "getCommunity" ...), with
 * args a tuple of its inputs (NULL for none), which it takes; and decodes
 * its return data. */
GBytes      *bfk_contract_encode_view   (const gchar       *function,
                                         BfkAbiValue       *args,
                                         GError           **error);
BfkAbiValue *bfk_contract_decode_view   (const gchar       *function,
                                         GBytes            *result,
                                         GError           **error);
gboolean     bfk_contract_decode_community (GBytes           *result,
                                            guint64           id,
                                            BfkCommunityInfo *out,
                                            GError          **error);
gboolean     bfk_contract_decode_exchange  (GBytes           *result,
                                            guint64           id,
                                            BfkExchangeInfo  *out,
                                            GError          **error);

/* --- views read from a node (eth_call on the latest block) --- */

/* Any view by name; args as for bfk_contract_encode_view (taken). */
BfkAbiValue *bfk_contract_read             (BfkRpcClient      *rpc,
                                            const BfkAddress  *contract,
                                            const gchar       *function,
                                            BfkAbiValue       *args,
                                            GError           **error);
/* A view returning one uint256, with no argument or one address:
 * INITIAL_GRANT, communityCount, balanceOf, escrowOf, communityOf ... */
gboolean     bfk_contract_read_uint        (BfkRpcClient      *rpc,
                                            const BfkAddress  *contract,
                                            const gchar       *function,
                                            const BfkAddress  *account,
                                            BfkU256           *out,
                                            GError           **error);
gboolean     bfk_contract_read_community   (BfkRpcClient      *rpc,
                                            const BfkAddress  *contract,
                                            guint64            id,
                                            BfkCommunityInfo  *out,
                                            GError           **error);
/* All communities, 1 to communityCount: a GArray of BfkCommunityInfo that
 * clears its elements. */
GArray      *bfk_contract_read_communities (BfkRpcClient      *rpc,
                                            const BfkAddress  *contract,
                                            GError           **error);
gboolean     bfk_contract_read_exchange    (BfkRpcClient      *rpc,
                                            const BfkAddress  *contract,
                                            guint64            id,
                                            BfkExchangeInfo   *out,
                                            GError           **error);

/* A backer's approval and this week's use, as backerOf and
 * rechargeableThisWeek report them: remaining is what it may still mint
 * this week (0 unless active).  Weeks are counted in block time, which
 * the store does not keep: so this is read from the chain. */
typedef struct
{
  BfkAddress  address;
  guint64     community_id;
  BfkU256     weekly_cap;
  BfkU256     used;
  gboolean    active;
  BfkU256     remaining;
} BfkBackerInfo;

gboolean     bfk_contract_read_backer      (BfkRpcClient      *rpc,
                                            const BfkAddress  *contract,
                                            const BfkAddress  *backer,
                                            BfkBackerInfo     *out,
                                            GError           **error);

/* --- events --- */

typedef enum
{
  BFK_EVENT_COMMUNITY_ADDED,
  BFK_EVENT_MEMBER_REGISTERED,
  BFK_EVENT_EXCHANGE_PROPOSED,
  BFK_EVENT_EXCHANGE_ACCEPTED,
  BFK_EVENT_EXCHANGE_DECLINED,
  BFK_EVENT_EXCHANGE_CANCELLED,
  BFK_EVENT_EXCHANGE_EXPIRED,
  BFK_EVENT_EXCHANGE_COMPLETED,
  BFK_EVENT_EXCHANGE_RATED,
  BFK_EVENT_BACKER_APPROVED,
  BFK_EVENT_BACKER_REVOKED,
  BFK_EVENT_RECHARGED,
  BFK_EVENT_OTHER,            /* an event outside the ABI surface: see name */
} BfkEventKind;

/* One decoded log.  Only the fields of its kind are set; the rest are zero.
 *   CommunityAdded    community_id, name, currency_name, currency_symbol
 *   MemberRegistered  member, community_id, amount (the grant)
 *   ExchangeProposed  exchange_id, payer, provider, community_id, amount, deadline
 *   Exchange…         exchange_id (Completed: amount too)
 *   ExchangeRated     exchange_id, rater, ratee, stars
 *   BackerApproved    backer, community_id, amount (the weekly cap)
 *   BackerRevoked     backer
 *   Recharged         backer, member, community_id, amount */
typedef struct
{
  BfkEventKind  kind;
  const gchar  *event_name;     /* static: "ExchangeProposed" */

  guint64       block_number;
  guint8        block_hash[32];
  guint8        tx_hash[32];
  guint         log_index;

  guint64       community_id;
  guint64       exchange_id;
  BfkAddress    member;
  BfkAddress    payer;
  BfkAddress    provider;
  BfkAddress    backer;
  BfkAddress    rater;
  BfkAddress    ratee;
  BfkU256       amount;
  guint64       deadline;
  guint         stars;
  gchar        *name;
  gchar        *currency_name;
  gchar        *currency_symbol;
} BfkEvent;

/* Decodes topics (n_topics × 32 bytes) and data; the position fields are
 * left for the caller, who has them from the log. */
gboolean  bfk_event_decode        (const guint8  *topics,
                                   guint          n_topics,
                                   const guint8  *data,
                                   gsize          len,
                                   BfkEvent      *out,
                                   GError       **error);
void      bfk_event_clear         (BfkEvent      *event);
/* One line for logs and the CLI: "ExchangeProposed #4: 0xab…→0xcd… 150 (community 1)". */
gchar    *bfk_event_describe      (const BfkEvent *event);

G_END_DECLS
