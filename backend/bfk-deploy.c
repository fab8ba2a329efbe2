/* bfk-deploy.c */
#include "bfk-deploy.h"
#include "bfk-contract.h"
#include "bfk-sender.h"

BfkReceipt *
bfk_deploy_contract (BfkConnection        *conn,
                     const BfkPrivateKey  *key,
                     GCancellable         *cancellable,
                     GError              **error)
{
  g_autoptr(BfkSender) sender = bfk_sender_new (conn->rpc, conn->chain_id, key, error);
  g_autoptr(GBytes) code = bfk_contract_creation_code ();
  g_autoptr(BfkReceipt) receipt = NULL;

  if (!sender)
    return NULL;
  receipt = bfk_sender_transact (sender, NULL, code, cancellable, error);
  if (!receipt)
    return NULL;
  if (!receipt->has_contract_address)
    {
      g_set_error (error, BFK_CONFIG_ERROR, BFK_CONFIG_ERROR_INVALID,
                   "The node's receipt names no contract address");
      return NULL;
    }
  if (!bfk_connection_record_deployment (conn, &receipt->contract_address, receipt->tx_hash,
                                         receipt->block_number, error))
    return NULL;
  return g_steal_pointer (&receipt);
}

gboolean
bfk_deploy_if_needed (BfkConnection        *conn,
                      const BfkPrivateKey  *key,
                      gboolean             *deployed_out,
                      GCancellable         *cancellable,
                      GError              **error)
{
  g_autoptr(BfkReceipt) receipt = NULL;

  if (deployed_out)
    *deployed_out = FALSE;
  if (conn->has_contract)
    return TRUE;
  receipt = bfk_deploy_contract (conn, key, cancellable, error);
  if (deployed_out)
    *deployed_out = receipt != NULL;
  return receipt != NULL;
}
