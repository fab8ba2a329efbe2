/* bfk-keccak.h: Keccak-256, the hash of Ethereum.
 *
 * Ethereum's Keccak-256 is the original Keccak submission: it pads with 0x01,
 * where FIPS 202 SHA3-256 pads with 0x06, so the digests differ.  Debian 12's
 * nettle has SHA3 but no Keccak, so this is a sponge of our own over nettle's
 * permutation.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BFK_KECCAK256_SIZE 32

typedef struct
{
  guint64 state[25];
  gsize   fill;        /* bytes absorbed into the current block */
} BfkKeccak;

void  bfk_keccak256_init    (BfkKeccak    *ctx);
void  bfk_keccak256_update  (BfkKeccak    *ctx,
                             const void   *data,
                             gsize         len);
/* Finishes the hash; ctx must be initialised again before reuse. */
void  bfk_keccak256_final   (BfkKeccak    *ctx,
                             guint8        digest[BFK_KECCAK256_SIZE]);

void  bfk_keccak256         (const void   *data,
                             gsize         len,
                             guint8        digest[BFK_KECCAK256_SIZE]);

G_END_DECLS
