/* bfk-tx.c */
#include "bfk-tx.h"
#include "bfk-chain-error.h"
#include "bfk-keccak.h"

#include <string.h>

/* secp256k1's group order n, halved: Ethereum (EIP-2) rejects s above it. */
static const guint8 half_order[32] = {
  0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
  0x5d, 0x57, 0x6e, 0x73, 0x57, 0xa4, 0x50, 0x1d,
  0xdf, 0xe9, 0x2f, 0x46, 0x68, 0x1b, 0x20, 0xa0,
};

/* v = chain_id * 2 + 36 at most must fit in 64 bits. */
#define MAX_CHAIN_ID ((G_MAXUINT64 - 36) / 2)

static void
write_fields (BfkRlpWriter *w,
              const BfkTx  *tx)
{
  if (tx->type == BFK_TX_EIP1559)
    {
      bfk_rlp_write_u64 (w, tx->chain_id);
      bfk_rlp_write_u64 (w, tx->nonce);
      bfk_rlp_write_u256 (w, tx->max_priority_fee_per_gas);
      bfk_rlp_write_u256 (w, tx->max_fee_per_gas);
    }
  else
    {
      bfk_rlp_write_u64 (w, tx->nonce);
      bfk_rlp_write_u256 (w, tx->gas_price);
    }
  bfk_rlp_write_u64 (w, tx->gas_limit);
  bfk_rlp_write_bytes (w, tx->to.bytes, tx->has_to ? BFK_ADDRESS_SIZE : 0);
  bfk_rlp_write_u256 (w, tx->value);
  bfk_rlp_write_bytes (w, tx->data, tx->data_len);
  if (tx->type == BFK_TX_EIP1559)
    {
      /* The access list, always empty here. */
      bfk_rlp_list_begin (w);
      bfk_rlp_list_end (w);
    }
}

/* A 32-byte big-endian signature scalar as an RLP integer. */
static void
write_scalar (BfkRlpWriter *w,
              const guint8  be[32])
{
  gsize skip = 0;

  while (skip < 32 && be[skip] == 0)
    skip++;
  bfk_rlp_write_bytes (w, be + skip, 32 - skip);
}

/* Both encodings start alike: the EIP-2718 type byte (none for legacy),
 * then a list that opens with the fields. */
static void
begin_envelope (BfkRlpWriter *w,
                const BfkTx  *tx)
{
  static const guint8 type2 = BFK_TX_EIP1559;

  bfk_rlp_writer_reset (w);
  if (tx->type == BFK_TX_EIP1559)
    bfk_rlp_write_raw (w, &type2, 1);
  bfk_rlp_list_begin (w);
  write_fields (w, tx);
}

static void
write_signing_payload (BfkRlpWriter *w,
                       const BfkTx  *tx)
{
  begin_envelope (w, tx);
  if (tx->type == BFK_TX_LEGACY && tx->chain_id != 0)
    {
      /* EIP-155: the chain id, then empty r and s. */
      bfk_rlp_write_u64 (w, tx->chain_id);
      bfk_rlp_write_u64 (w, 0);
      bfk_rlp_write_u64 (w, 0);
    }
  bfk_rlp_list_end (w);
}

static void
write_signed (BfkRlpWriter       *w,
              const BfkTx        *tx,
              const BfkSignature *sig)
{
  begin_envelope (w, tx);
  if (tx->type == BFK_TX_EIP1559)
    bfk_rlp_write_u64 (w, sig->recid);
  else if (tx->chain_id != 0)
    bfk_rlp_write_u64 (w, sig->recid + tx->chain_id * 2 + 35);
  else
    bfk_rlp_write_u64 (w, sig->recid + 27);
  write_scalar (w, sig->r);
  write_scalar (w, sig->s);
  bfk_rlp_list_end (w);
}

static gboolean
check_signable (const BfkTx  *tx,
                GError      **error)
{
  if (tx->type != BFK_TX_LEGACY && tx->type != BFK_TX_EIP1559)
    {
      g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_INVALID_INPUT,
                   "Transaction type %d is not supported", (int) tx->type);
      return FALSE;
    }
  if (tx->chain_id == 0 || tx->chain_id > MAX_CHAIN_ID)
    {
      g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_INVALID_INPUT,
                   "Chain id %" G_GUINT64_FORMAT " is not usable for signing", tx->chain_id);
      return FALSE;
    }
  if (tx->data == NULL && tx->data_len != 0)
    {
      g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_INVALID_INPUT,
                   "Transaction data is missing");
      return FALSE;
    }
  if (tx->type == BFK_TX_EIP1559
      && bfk_u256_cmp (tx->max_priority_fee_per_gas, tx->max_fee_per_gas) > 0)
    {
      /* Every node rejects it: catch the mistake before it is signed. */
      g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_INVALID_INPUT,
                   "The priority fee is above the maximum fee per gas");
      return FALSE;
    }
  return TRUE;
}

void
bfk_tx_signing_hash (const BfkTx *tx,
                     guint8       hash[BFK_TX_HASH_SIZE])
{
  BfkRlpWriter w;

  bfk_rlp_writer_init (&w);
  write_signing_payload (&w, tx);
  bfk_keccak256 (w.buf->data, w.buf->len, hash);
  bfk_rlp_writer_clear (&w);
}

gboolean
bfk_tx_sign_into (const BfkTx          *tx,
                  const BfkPrivateKey  *key,
                  BfkRlpWriter         *scratch,
                  GByteArray           *raw,
                  guint8                hash[BFK_TX_HASH_SIZE],
                  GError              **error)
{
  BfkRlpWriter local;
  BfkRlpWriter *w = scratch;
  guint8 digest[32];
  BfkSignature sig;
  gboolean ok = FALSE;

  g_return_val_if_fail (tx != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (raw != NULL, FALSE);

  if (!check_signable (tx, error))
    return FALSE;

  if (w == NULL)
    {
      bfk_rlp_writer_init (&local);
      w = &local;
    }

  write_signing_payload (w, tx);
  bfk_keccak256 (w->buf->data, w->buf->len, digest);
  if (!bfk_private_key_sign (key, digest, &sig, error))
    goto out;

  write_signed (w, tx, &sig);
  g_byte_array_set_size (raw, 0);
  g_byte_array_append (raw, w->buf->data, w->buf->len);
  if (hash != NULL)
    bfk_keccak256 (raw->data, raw->len, hash);
  ok = TRUE;

out:
  if (w == &local)
    bfk_rlp_writer_clear (&local);
  return ok;
}

GBytes *
bfk_tx_sign (const BfkTx          *tx,
             const BfkPrivateKey  *key,
             guint8                hash[BFK_TX_HASH_SIZE],
             GError              **error)
{
  g_autoptr(GByteArray) raw = g_byte_array_new ();

  if (!bfk_tx_sign_into (tx, key, NULL, raw, hash, error))
    return NULL;
  return g_byte_array_free_to_bytes (g_steal_pointer (&raw));
}

/* --- decoding --- */

static gboolean
decode_fail (GError      **error,
             const gchar  *what)
{
  g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_DECODE,
               "Invalid signed transaction: %s", what);
  return FALSE;
}

static gboolean
item_u64 (const BfkRlpItem  *item,
          guint64           *out,
          const gchar       *what,
          GError           **error)
{
  BfkU256 v;

  if (!bfk_rlp_item_to_u256 (item, &v, error))
    return FALSE;
  if (!bfk_u256_fits_u64 (v))
    {
      g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_DECODE,
                   "Invalid signed transaction: the %s does not fit in 64 bits", what);
      return FALSE;
    }
  *out = bfk_u256_to_u64 (v);
  return TRUE;
}

static gboolean
item_scalar (const BfkRlpItem  *item,
             guint8             out[32],
             GError           **error)
{
  BfkU256 v;

  if (!bfk_rlp_item_to_u256 (item, &v, error))
    return FALSE;
  if (bfk_u256_is_zero (v))
    return decode_fail (error, "a signature value is zero");
  bfk_u256_to_be (v, out);
  return TRUE;
}

gboolean
bfk_tx_decode (const guint8  *raw,
               gsize          raw_len,
               BfkTx         *tx,
               BfkAddress    *from,
               guint8         hash[BFK_TX_HASH_SIZE],
               BfkSignature  *sig,
               GError       **error)
{
  BfkRlpItem list, items[12];
  BfkRlpIter iter;
  BfkTx t = { 0 };
  BfkSignature s = { { 0 } };
  const BfkRlpItem *it;
  gsize n_items = 0, expected;
  GError *local_error = NULL;

  g_return_val_if_fail (raw != NULL || raw_len == 0, FALSE);
  g_return_val_if_fail (tx != NULL, FALSE);

  if (raw_len == 0)
    return decode_fail (error, "no bytes");

  if (raw[0] == BFK_TX_EIP1559)
    {
      t.type = BFK_TX_EIP1559;
      expected = 12;
      if (!bfk_rlp_decode (raw + 1, raw_len - 1, &list, error))
        return FALSE;
    }
  else if (raw[0] >= 0xc0)
    {
      t.type = BFK_TX_LEGACY;
      expected = 9;
      if (!bfk_rlp_decode (raw, raw_len, &list, error))
        return FALSE;
    }
  else if (raw[0] < 0x80)
    {
      g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_DECODE,
                   "Transactions of type %u are not supported", raw[0]);
      return FALSE;
    }
  else
    return decode_fail (error, "neither a typed envelope nor a list");

  if (!list.is_list)
    return decode_fail (error, "not a list");

  bfk_rlp_iter_init (&iter, &list);
  while (n_items <= expected)
    {
      BfkRlpItem item;

      if (!bfk_rlp_iter_next (&iter, &item, &local_error))
        break;
      if (n_items == expected)
        return decode_fail (error, "too many fields");
      items[n_items++] = item;
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (n_items != expected)
    return decode_fail (error, "too few fields");

  it = items;
  if (t.type == BFK_TX_EIP1559)
    {
      if (!item_u64 (it++, &t.chain_id, "chain id", error)
          || !item_u64 (it++, &t.nonce, "nonce", error)
          || !bfk_rlp_item_to_u256 (it++, &t.max_priority_fee_per_gas, error)
          || !bfk_rlp_item_to_u256 (it++, &t.max_fee_per_gas, error))
        return FALSE;
    }
  else
    {
      if (!item_u64 (it++, &t.nonce, "nonce", error)
          || !bfk_rlp_item_to_u256 (it++, &t.gas_price, error))
        return FALSE;
    }
  if (!item_u64 (it++, &t.gas_limit, "gas limit", error))
    return FALSE;

  if (it->is_list || (it->len != 0 && it->len != BFK_ADDRESS_SIZE))
    return decode_fail (error, "the recipient is not an address");
  t.has_to = it->len == BFK_ADDRESS_SIZE;
  if (t.has_to)
    memcpy (t.to.bytes, it->data, BFK_ADDRESS_SIZE);
  it++;

  if (!bfk_rlp_item_to_u256 (it++, &t.value, error))
    return FALSE;

  if (it->is_list)
    return decode_fail (error, "the data is a list");
  t.data = it->len > 0 ? it->data : NULL;
  t.data_len = it->len;
  it++;

  if (t.type == BFK_TX_EIP1559)
    {
      guint64 parity;

      if (!it->is_list)
        return decode_fail (error, "the access list is not a list");
      if (it->len != 0)
        return decode_fail (error, "access lists are not supported");
      it++;
      if (!item_u64 (it++, &parity, "y parity", error))
        return FALSE;
      if (parity > 1)
        return decode_fail (error, "the y parity is neither 0 nor 1");
      s.recid = (guint8) parity;
    }
  else
    {
      guint64 v;

      if (!item_u64 (it++, &v, "v value", error))
        return FALSE;
      if (v == 27 || v == 28)
        {
          t.chain_id = 0;
          s.recid = (guint8) (v - 27);
        }
      else if (v >= 37)
        {
          t.chain_id = (v - 35) / 2;
          s.recid = (guint8) ((v - 35) % 2);
        }
      else
        return decode_fail (error, "the v value is not 27, 28 or an EIP-155 value");
    }

  if (!item_scalar (it++, s.r, error) || !item_scalar (it++, s.s, error))
    return FALSE;
  if (memcmp (s.s, half_order, 32) > 0)
    return decode_fail (error, "the s value is in the upper half of the curve order");

  if (from != NULL)
    {
      guint8 digest[32];

      bfk_tx_signing_hash (&t, digest);
      if (!bfk_signature_recover_address (&s, digest, from, &local_error))
        {
          g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_DECODE,
                       "Invalid signed transaction: %s", local_error->message);
          g_clear_error (&local_error);
          return FALSE;
        }
    }
  if (hash != NULL)
    bfk_keccak256 (raw, raw_len, hash);
  if (sig != NULL)
    *sig = s;
  *tx = t;
  return TRUE;
}

void
bfk_tx_contract_address (const BfkAddress *sender,
                         guint64           nonce,
                         BfkAddress       *out)
{
  BfkRlpWriter w;
  guint8 digest[32];

  bfk_rlp_writer_init (&w);
  bfk_rlp_list_begin (&w);
  bfk_rlp_write_bytes (&w, sender->bytes, BFK_ADDRESS_SIZE);
  bfk_rlp_write_u64 (&w, nonce);
  bfk_rlp_list_end (&w);
  bfk_keccak256 (w.buf->data, w.buf->len, digest);
  bfk_rlp_writer_clear (&w);

  memcpy (out->bytes, digest + 32 - BFK_ADDRESS_SIZE, BFK_ADDRESS_SIZE);
}
