/* bfk-sender.c */
#include "bfk-sender.h"
#include "bfk-chain-error.h"
#include "bfk-fees.h"
#include "bfk-hex.h"
#include "bfk-tx.h"

struct _BfkSender
{
  BfkRpcClient  *rpc;
  guint64        chain_id;
  BfkPrivateKey  key;
  BfkAddress     address;
  guint64        next_nonce;
};

/* An estimate is exact for the state it ran on; the margin covers the state
 * changing a little before the transaction is mined. */
#define GAS_MARGIN_PERCENT 20
#define RECEIPT_POLL_MS 100
#define SEND_BATCH_SIZE 250
#define RECEIPT_TIMEOUT_MS (5 * 60 * 1000)

BfkSender *
bfk_sender_new (BfkRpcClient        *rpc,
                guint64              chain_id,
                const BfkPrivateKey *key,
                GError             **error)
{
  g_autoptr(BfkSender) s = g_new0 (BfkSender, 1);

  s->rpc = bfk_rpc_client_ref (rpc);
  s->chain_id = chain_id;
  s->key = *key;
  if (!bfk_private_key_to_address (key, &s->address, error)
      || !bfk_rpc_client_get_transaction_count (rpc, &s->address, "pending", &s->next_nonce, error))
    return NULL;
  return g_steal_pointer (&s);
}

void
bfk_sender_free (BfkSender *s)
{
  if (!s)
    return;
  bfk_private_key_wipe (&s->key);
  g_clear_pointer (&s->rpc, bfk_rpc_client_unref);
  g_free (s);
}

const BfkAddress *
bfk_sender_get_address (BfkSender *s)
{
  return &s->address;
}

guint64
bfk_sender_get_next_nonce (BfkSender *s)
{
  return s->next_nonce;
}

static void
init_tx (BfkSender        *s,
         BfkTx            *tx,
         const BfkFees    *fees,
         const BfkAddress *to,
         GBytes           *data,
         guint64           gas_limit)
{
  *tx = (BfkTx) {
    .type = BFK_TX_EIP1559,
    .chain_id = s->chain_id,
    .gas_limit = gas_limit,
    .max_priority_fee_per_gas = fees->max_priority_fee_per_gas,
    .max_fee_per_gas = fees->max_fee_per_gas,
    .has_to = to != NULL,
  };
  if (to)
    tx->to = *to;
  if (data)
    tx->data = g_bytes_get_data (data, &tx->data_len);
}

/* A failed receipt carries no reason: replaying the call on the state of its
 * block gives the node's revert data back. */
static void
explain_failed_receipt (BfkSender        *s,
                        const BfkAddress *to,
                        GBytes           *data,
                        const BfkReceipt *receipt,
                        GError          **error)
{
  g_autoptr(GError) replay_error = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autofree gchar *hash = bfk_hex_encode (receipt->tx_hash, BFK_HASH_SIZE);
  gchar block[19];

  bfk_rpc_quantity (receipt->block_number, block);
  out = bfk_rpc_client_call_contract (s->rpc, &s->address, to, data, block, NULL, &replay_error);
  if (replay_error && g_error_matches (replay_error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_REVERTED))
    g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_REVERTED,
                 "Transaction %s reverted: %s", hash, replay_error->message);
  else
    g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_REVERTED,
                 "Transaction %s reverted (the reason could not be read back)", hash);
}

BfkReceipt *
bfk_sender_transact (BfkSender         *s,
                     const BfkAddress  *to,
                     GBytes            *data,
                     GCancellable      *cancellable,
                     GError           **error)
{
  g_autoptr(BfkReceipt) receipt = NULL;
  g_autoptr(GBytes) raw = NULL;
  guint8 hash[BFK_HASH_SIZE];
  guint64 gas;
  BfkFees fees;
  BfkTx tx;

  if (!bfk_rpc_client_estimate_gas (s->rpc, &s->address, to, BFK_U256_ZERO, data, &gas, NULL, error)
      || !bfk_fees_suggest (s->rpc, s->chain_id, &fees, error))
    return NULL;

  init_tx (s, &tx, &fees, to, data, gas + gas * GAS_MARGIN_PERCENT / 100);
  tx.nonce = s->next_nonce;
  raw = bfk_tx_sign (&tx, &s->key, hash, error);
  if (!raw)
    return NULL;
  if (!bfk_rpc_client_send_raw_transaction (s->rpc, g_bytes_get_data (raw, NULL),
                                            g_bytes_get_size (raw), hash, error))
    {
      /* Another writer may have used the nonce: read it again next time. */
      bfk_rpc_client_get_transaction_count (s->rpc, &s->address, "pending", &s->next_nonce, NULL);
      return NULL;
    }
  s->next_nonce++;

  receipt = bfk_rpc_client_wait_for_receipt (s->rpc, hash, RECEIPT_POLL_MS, RECEIPT_TIMEOUT_MS,
                                             cancellable, error);
  if (!receipt)
    return NULL;
  if (!receipt->status)
    {
      explain_failed_receipt (s, to, data, receipt, error);
      return NULL;
    }
  return g_steal_pointer (&receipt);
}

GPtrArray *
bfk_sender_send_pipelined (BfkSender         *s,
                           const BfkAddress  *to,
                           GBytes * const    *calldata,
                           gsize              n,
                           guint64            gas_limit,
                           GError           **error)
{
  g_autoptr(GPtrArray) raws = g_ptr_array_new_full ((guint) n, (GDestroyNotify) g_bytes_unref);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GPtrArray) hashes = g_ptr_array_new_full ((guint) n, (GDestroyNotify) g_bytes_unref);
  g_autoptr(GByteArray) buf = g_byte_array_new ();
  BfkRlpWriter scratch;
  BfkFees fees;

  if (!bfk_fees_suggest (s->rpc, s->chain_id, &fees, error))
    return NULL;

  bfk_rlp_writer_init (&scratch);
  for (gsize i = 0; i < n; i++)
    {
      guint8 hash[BFK_HASH_SIZE];
      BfkTx tx;

      init_tx (s, &tx, &fees, to, calldata[i], gas_limit);
      tx.nonce = s->next_nonce + i;
      if (!bfk_tx_sign_into (&tx, &s->key, &scratch, buf, hash, error))
        {
          bfk_rlp_writer_clear (&scratch);
          return NULL;
        }
      g_ptr_array_add (raws, g_bytes_new (buf->data, buf->len));
    }
  bfk_rlp_writer_clear (&scratch);

  /* One batch in flight at a time, so the node receives the nonces in order:
   * anvil can strand transactions that arrive out of order at once in its
   * pool, unmined (foundry-rs/foundry#10122).  Big batches keep the rate. */
  results = bfk_rpc_client_send_raw_transactions (s->rpc, (GBytes * const *) raws->pdata, n,
                                                  SEND_BATCH_SIZE, 1);
  for (gsize i = 0; i < n; i++)
    {
      BfkSendResult *r = g_ptr_array_index (results, i);

      if (r->error)
        {
          g_set_error (error, r->error->domain, r->error->code,
                       "Transaction %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT " was refused: %s",
                       i + 1, n, r->error->message);
          bfk_rpc_client_get_transaction_count (s->rpc, &s->address, "pending", &s->next_nonce, NULL);
          return NULL;
        }
      g_ptr_array_add (hashes, g_bytes_new (r->hash, BFK_HASH_SIZE));
    }
  s->next_nonce += n;
  return g_steal_pointer (&hashes);
}
