/* bfk-tx.h: Ethereum transactions: signing, hashing and decoding.
 *
 * Two kinds are written: EIP-1559 (type 2, in an EIP-2718 envelope, with an
 * empty access list) and legacy transactions with EIP-155 replay
 * protection.  Signing is on the outbox's hot path, so it can reuse the
 * caller's buffers and allocates nothing on its own.
 */
#pragma once

#include <glib.h>

#include "bfk-address.h"
#include "bfk-key.h"
#include "bfk-rlp.h"
#include "bfk-u256.h"

G_BEGIN_DECLS

#define BFK_TX_HASH_SIZE 32

typedef enum
{
  BFK_TX_LEGACY  = 0,
  BFK_TX_EIP1559 = 2,
} BfkTxType;

typedef struct
{
  BfkTxType     type;
  guint64       chain_id;                  /* 0 only for a decoded pre-EIP-155 legacy tx */
  guint64       nonce;
  guint64       gas_limit;
  BfkU256       gas_price;                 /* legacy */
  BfkU256       max_priority_fee_per_gas;  /* EIP-1559 */
  BfkU256       max_fee_per_gas;           /* EIP-1559 */
  BfkAddress    to;
  gboolean      has_to;                    /* FALSE: contract creation */
  BfkU256       value;
  const guint8 *data;                      /* borrowed */
  gsize         data_len;
} BfkTx;

/* The digest the sender signs. */
void      bfk_tx_signing_hash       (const BfkTx         *tx,
                                     guint8               hash[BFK_TX_HASH_SIZE]);

/* Signs tx and replaces the contents of raw with the signed transaction as
 * eth_sendRawTransaction takes it; hash receives the transaction hash
 * (keccak of raw) when not NULL.  scratch, when not NULL, is a writer reused
 * from call to call so that a loop of signatures does not allocate. */
gboolean  bfk_tx_sign_into          (const BfkTx         *tx,
                                     const BfkPrivateKey *key,
                                     BfkRlpWriter        *scratch,
                                     GByteArray          *raw,
                                     guint8               hash[BFK_TX_HASH_SIZE],
                                     GError             **error);
/* The same, for a single transaction. */
GBytes   *bfk_tx_sign               (const BfkTx         *tx,
                                     const BfkPrivateKey *key,
                                     guint8               hash[BFK_TX_HASH_SIZE],
                                     GError             **error);

/* Reads a signed transaction of a kind we write (type 2 with an empty access
 * list, or legacy).  tx->data points into raw, which must outlive tx.
 * from, hash and sig may be NULL. */
gboolean  bfk_tx_decode             (const guint8        *raw,
                                     gsize                raw_len,
                                     BfkTx               *tx,
                                     BfkAddress          *from,
                                     guint8               hash[BFK_TX_HASH_SIZE],
                                     BfkSignature        *sig,
                                     GError             **error);

/* The address of the contract that sender creates with a transaction
 * without a recipient at nonce: keccak(rlp([sender, nonce]))[12:]. */
void      bfk_tx_contract_address   (const BfkAddress    *sender,
                                     guint64              nonce,
                                     BfkAddress          *out);

G_END_DECLS
