/* bench-sign.c: fully signed EIP-1559 transactions per second on one core
 * (RLP + Keccak + ECDSA), against a bare libsecp256k1 signing loop measured
 * in the same run.  Prints one JSON object. */
#include "bfk-contract.h"
#include "bfk-key.h"
#include "bfk-tx.h"

#include <secp256k1_recovery.h>

#define N 40000

static gdouble
bare_signing_rate (const BfkPrivateKey *key)
{
  const secp256k1_context *ctx = bfk_secp256k1_context ();
  guint8 digest[32] = { 1 };
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; i < N; i++)
    {
      secp256k1_ecdsa_recoverable_signature sig;

      digest[0] = (guint8) i;
      digest[1] = (guint8) (i >> 8);
      digest[2] = (guint8) (i >> 16);
      if (!secp256k1_ecdsa_sign_recoverable (ctx, &sig, digest, key->bytes, NULL, NULL))
        g_error ("signing failed");
    }
  return N / ((g_get_monotonic_time () - start) / 1e6);
}

static gdouble
tx_signing_rate (const BfkPrivateKey *key)
{
  g_autoptr(GByteArray) raw = g_byte_array_new ();
  BfkAddress member = { { 0x42 } };
  g_autoptr(GBytes) data = bfk_contract_encode_register_member (&member, 1);
  BfkRlpWriter scratch;
  BfkTx tx = {
    .type = BFK_TX_EIP1559,
    .chain_id = 137,
    .gas_limit = 100000,
    .max_priority_fee_per_gas = bfk_u256_from_u64 (30000000000),
    .max_fee_per_gas = bfk_u256_from_u64 (200000000000),
    .to = { { 0x5f, 0xbd, 0xb2 } },
    .has_to = TRUE,
  };
  gint64 start;

  tx.data = g_bytes_get_data (data, &tx.data_len);
  bfk_rlp_writer_init (&scratch);
  start = g_get_monotonic_time ();
  for (guint i = 0; i < N; i++)
    {
      guint8 hash[32];

      tx.nonce = i;
      if (!bfk_tx_sign_into (&tx, key, &scratch, raw, hash, NULL))
        g_error ("signing failed");
    }
  bfk_rlp_writer_clear (&scratch);
  return N / ((g_get_monotonic_time () - start) / 1e6);
}

int
main (void)
{
  g_auto(BfkPrivateKey) key = { 0 };
  gdouble bare, full;

  if (!bfk_private_key_generate (&key, NULL))
    g_error ("no key");
  bare = bare_signing_rate (&key);
  full = tx_signing_rate (&key);
  g_print ("{\"bench\": \"sign\", \"tx_per_s\": %.0f, \"bare_secp256k1_per_s\": %.0f, \"ratio\": %.3f}\n",
           full, bare, full / bare);
  return 0;
}
