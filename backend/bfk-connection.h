/* bfk-connection.h: a checked connection to the configured chain.
 *
 * Opening one does what every front end needs before touching the chain: on
 * the local network, find the anvil that another Bafoka process runs for this
 * data dir, or start one; check that the node serves the configured chain;
 * and find the contract's deployment.
 */
#pragma once

#include <gio/gio.h>

#include "bfk-config.h"
#include "bfk-local-node.h"
#include "bfk-rpc.h"

G_BEGIN_DECLS

typedef struct
{
  const BfkConfig *config;         /* borrowed: outlives the connection */
  BfkRpcClient    *rpc;
  BfkLocalNode    *node;           /* set when this process started the local node */
  guint64          chain_id;
  gboolean         has_contract;
  BfkAddress       contract;
  guint64          deploy_block;   /* where the follower starts; 0 when unknown */
} BfkConnection;

BfkConnection *bfk_connection_open               (const BfkConfig  *config,
                                                  GCancellable     *cancellable,
                                                  GError          **error);
/* Stops the local node if this process started it (its state is saved). */
void           bfk_connection_close              (BfkConnection    *conn);
/* A clear error when no contract is known yet. */
gboolean       bfk_connection_require_contract   (BfkConnection    *conn,
                                                  GError          **error);
/* Records a new deployment for this data dir and chain. */
gboolean       bfk_connection_record_deployment  (BfkConnection    *conn,
                                                  const BfkAddress *address,
                                                  const guint8      tx_hash[BFK_HASH_SIZE],
                                                  guint64           block,
                                                  GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BfkConnection, bfk_connection_close)

G_END_DECLS
