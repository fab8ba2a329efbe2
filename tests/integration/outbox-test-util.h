/* outbox-test-util.h: what the outbox's tests and their driver share. */
#pragma once

#include "bfk-contract.h"
#include "bfk-outbox.h"

G_BEGIN_DECLS

void       outbox_test_random_address (BfkAddress         *out);
/* Enqueues registerMember (member, community) signed by signer. */
gint64     outbox_test_enqueue_register (BfkStore         *store,
                                         BfkRpcClient     *rpc,
                                         const BfkAddress *signer,
                                         const BfkAddress *contract,
                                         const BfkAddress *member,
                                         guint64           community_id);
/* Steps until nothing is pending, the node answering or not, for at most
 * timeout_s; TRUE when everything is final.  unreachable_steps (may be
 * NULL) counts the steps that found the node down. */
gboolean   outbox_test_drive          (BfkOutbox          *outbox,
                                       guint               timeout_s,
                                       guint              *unreachable_steps,
                                       GError            **error);
guint64    outbox_test_count          (BfkStore           *store,
                                       BfkOpState          state);
/* The number of transactions sent from address, as the chain counts them. */
guint64    outbox_test_chain_nonce    (BfkRpcClient       *rpc,
                                       const BfkAddress   *address);

void       outbox_test_remove_tree    (const gchar        *dir);

G_END_DECLS
