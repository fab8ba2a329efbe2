/* bfk-deploy.h: deploying BafokaCommunity and recording it.
 *
 * What "bafokactl deploy" does, and what the backend does on the first run
 * of the local network: the operator key sends the creation code (and so
 * becomes admin and operator of the contract), and the deployment is
 * recorded in the data dir for this chain (bfk_connection_record_deployment).
 * Blocks on the network.
 */
#pragma once

#include <gio/gio.h>

#include "bfk-connection.h"
#include "bfk-key.h"

G_BEGIN_DECLS

/* Deploys a new contract, and records it in conn.  Returns its receipt. */
BfkReceipt *bfk_deploy_contract   (BfkConnection        *conn,
                                   const BfkPrivateKey  *key,
                                   GCancellable         *cancellable,
                                   GError              **error);

/* Deploys only when conn knows no contract yet.  deployed_out (may be NULL)
 * tells which happened. */
gboolean    bfk_deploy_if_needed  (BfkConnection        *conn,
                                   const BfkPrivateKey  *key,
                                   gboolean             *deployed_out,
                                   GCancellable         *cancellable,
                                   GError              **error);

G_END_DECLS
