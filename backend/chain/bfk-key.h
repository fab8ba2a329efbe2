/* bfk-key.h: secp256k1 private keys, signatures and public-key recovery.
 *
 * One libsecp256k1 context serves the whole process: it is created and
 * randomised once, and the signing and recovery calls only read it, so every
 * thread can share it.
 */
#pragma once

#include <glib.h>
#include <secp256k1.h>

#include "bfk-address.h"

G_BEGIN_DECLS

#define BFK_PRIVATE_KEY_SIZE 32

typedef struct
{
  guint8 bytes[BFK_PRIVATE_KEY_SIZE];
} BfkPrivateKey;

/* A recoverable ECDSA signature: r and s big-endian, and the recovery id
 * (0 or 1: the parity of the y coordinate of the nonce point).  s is always
 * in the lower half of the curve order, as Ethereum requires. */
typedef struct
{
  guint8 r[32];
  guint8 s[32];
  guint8 recid;
} BfkSignature;

const secp256k1_context *bfk_secp256k1_context         (void);

/* Fills buf from the kernel's random source (getrandom(2)). */
gboolean  bfk_secure_random                (void               *buf,
                                            gsize               len,
                                            GError            **error);

gboolean  bfk_private_key_generate         (BfkPrivateKey      *out,
                                            GError            **error);
/* The bytes must be 32 long and a valid secret key (0 < k < n). */
gboolean  bfk_private_key_from_bytes       (BfkPrivateKey      *out,
                                            const guint8       *data,
                                            gsize               len,
                                            GError            **error);
/* 64 hexadecimal digits, with or without "0x". */
gboolean  bfk_private_key_from_hex         (BfkPrivateKey      *out,
                                            const gchar        *hex,
                                            GError            **error);
gboolean  bfk_private_key_is_valid         (const BfkPrivateKey *key);
gboolean  bfk_private_key_to_address       (const BfkPrivateKey *key,
                                            BfkAddress         *out,
                                            GError            **error);
/* Zeroes the key in a way the compiler cannot drop. */
void      bfk_private_key_wipe             (BfkPrivateKey      *key);

/* Signs a 32-byte digest with RFC 6979 deterministic nonces. */
gboolean  bfk_private_key_sign             (const BfkPrivateKey *key,
                                            const guint8        digest[32],
                                            BfkSignature       *out,
                                            GError            **error);
/* The address whose key made sig over digest. */
gboolean  bfk_signature_recover_address    (const BfkSignature *sig,
                                            const guint8        digest[32],
                                            BfkAddress         *out,
                                            GError            **error);

/* g_auto(BfkPrivateKey) key = { 0 }; wipes the key when it leaves scope. */
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BfkPrivateKey, bfk_private_key_wipe)

G_END_DECLS
