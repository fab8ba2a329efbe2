/* bfk-local-node.h: the local network, an anvil node owned by the backend.
 *
 * On BAFOKA_NETWORK=local the backend starts anvil on 127.0.0.1 with its
 * chain state in the data directory, so that a second start finds the same
 * chain (contract, members, balances).  Starting and stopping block: call
 * them from a worker thread.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define BFK_LOCAL_NODE_CHAIN_ID 31337

/* anvil's first dev account (from its default mnemonic): the operator on
 * the local network.  Public knowledge; never use it on a real chain. */
#define BFK_LOCAL_NODE_DEV_PRIVATE_KEY "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"
#define BFK_LOCAL_NODE_DEV_ADDRESS     "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"

/* The state file's name in the data directory. */
#define BFK_LOCAL_NODE_STATE_FILE "anvil-state.json"
/* anvil's own output (stdout and stderr), truncated at each start. */
#define BFK_LOCAL_NODE_LOG_FILE   "anvil.log"

typedef struct _BfkLocalNode BfkLocalNode;

typedef struct
{
  const gchar        *data_dir;          /* NULL: a throw-away chain, no state file */
  guint16             port;              /* 0: a free port */
  guint64             chain_id;          /* 0: BFK_LOCAL_NODE_CHAIN_ID */
  guint               state_interval_s;  /* 0: 5; how often the state is saved while running */
  guint               start_timeout_ms;  /* 0: 30 000 */
  const gchar * const *extra_args;       /* NULL-terminated; e.g. "--block-time", "1" */
} BfkLocalNodeOptions;

/* The anvil to run: $BAFOKA_ANVIL, else anvil in PATH, else
 * $BAFOKA_SOURCE_DIR/contracts/node_modules/.bin/anvil, else the same under
 * the source tree this was built from.  npm's anvil is a node script that
 * runs the real binary; the real binary is returned when it is found, so
 * that signals reach anvil itself.  LOCAL_NODE error when there is none. */
gchar        *bfk_local_node_find_anvil      (GError                    **error);

/* Starts anvil and waits until it answers eth_chainId.  A LOCAL_NODE error
 * when anvil is missing, exits at start (the message ends with its output),
 * or does not answer in time. */
BfkLocalNode *bfk_local_node_start           (const BfkLocalNodeOptions  *options,
                                              GCancellable               *cancellable,
                                              GError                    **error);

/* SIGTERM, so that anvil writes its state, then SIGKILL after timeout_ms
 * (0: 10 000).  FALSE with an error if anvil had to be killed or exited
 * with an error status. */
gboolean      bfk_local_node_stop            (BfkLocalNode               *node,
                                              guint                       timeout_ms,
                                              GError                    **error);
gboolean      bfk_local_node_is_running      (BfkLocalNode               *node);
const gchar  *bfk_local_node_get_url         (BfkLocalNode               *node);
guint16       bfk_local_node_get_port        (BfkLocalNode               *node);
guint64       bfk_local_node_get_chain_id    (BfkLocalNode               *node);
/* NULL without a data directory. */
const gchar  *bfk_local_node_get_state_path  (BfkLocalNode               *node);

/* Stops anvil if it still runs. */
void          bfk_local_node_free            (BfkLocalNode               *node);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BfkLocalNode, bfk_local_node_free)

G_END_DECLS
