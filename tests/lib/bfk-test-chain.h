/* bfk-test-chain.h: a real anvil with the contract deployed, for the
 * integration tests and the benchmarks. */
#pragma once

#include "bfk-contract.h"
#include "bfk-local-node.h"
#include "bfk-sender.h"

G_BEGIN_DECLS

typedef struct
{
  BfkLocalNode  *node;
  BfkRpcClient  *rpc;
  BfkPrivateKey  operator_key;    /* anvil's first dev account: admin and operator */
  BfkSender     *operator;
  BfkAddress     contract;
  guint64        deploy_block;
} BfkTestChain;

/* A Foundry tool: $BAFOKA_<TOOL> (upper case), PATH, then
 * $BAFOKA_SOURCE_DIR/contracts/node_modules/.bin.  NULL when none exists. */
gchar        *bfk_test_find_tool          (const gchar   *name);

/* Starts a throw-away anvil and deploys the contract.  Returns NULL (and
 * prints the TAP skip line) when anvil is not installed; aborts the test on
 * any other failure. */
BfkTestChain *bfk_test_chain_new          (void);
void          bfk_test_chain_free         (BfkTestChain  *chain);

/* A fresh key, given 100 ETH for gas with anvil_setBalance. */
void          bfk_test_chain_funded_key   (BfkTestChain  *chain,
                                           BfkPrivateKey *key,
                                           BfkAddress    *address);
/* Sends data to the contract from the given sender; the receipt or error. */
BfkReceipt   *bfk_test_chain_transact     (BfkTestChain  *chain,
                                           BfkSender     *sender,
                                           GBytes        *data,
                                           GError       **error);
/* uint256 view with an optional address argument, which must succeed. */
guint64       bfk_test_chain_read_uint    (BfkTestChain     *chain,
                                           const gchar      *function,
                                           const BfkAddress *account);
/* Writes the operator's key to dir/operator.json (light scrypt) and its
 * password to dir/password, for BAFOKA_KEYSTORE and
 * BAFOKA_KEYSTORE_PASSWORD_FILE; returns both paths (g_free them). */
void          bfk_test_chain_save_operator (BfkTestChain *chain,
                                            const gchar  *dir,
                                            gchar       **keystore,
                                            gchar       **password_file);
/* Runs cast with the arguments and returns its trimmed stdout; NULL when
 * cast is not installed. */
gchar        *bfk_test_cast               (const gchar   *first_arg,
                                           ...) G_GNUC_NULL_TERMINATED;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BfkTestChain, bfk_test_chain_free)

G_END_DECLS
