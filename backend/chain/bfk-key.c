/* bfk-key.c */
#include "bfk-key.h"
#include "bfk-chain-error.h"
#include "bfk-hex.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include <secp256k1_recovery.h>

static gpointer
create_context (gpointer data)
{
  secp256k1_context *ctx;
  guint8 seed[32];

  ctx = secp256k1_context_create (SECP256K1_CONTEXT_NONE);
  if (ctx == NULL)
    g_error ("libsecp256k1 could not create a context");

  /* Randomisation blinds the signing computations against side channels;
   * without a seed the context still works, so only warn. */
  if (!bfk_secure_random (seed, sizeof seed, NULL)
      || !secp256k1_context_randomize (ctx, seed))
    g_warning ("libsecp256k1 context could not be randomised");
  explicit_bzero (seed, sizeof seed);

  return ctx;
}

const secp256k1_context *
bfk_secp256k1_context (void)
{
  static GOnce once = G_ONCE_INIT;

  g_once (&once, create_context, NULL);
  return once.retval;
}

gboolean
bfk_secure_random (void    *buf,
                   gsize    len,
                   GError **error)
{
  guint8 *p = buf;

  while (len > 0)
    {
      ssize_t n = getrandom (p, len, 0);

      if (n < 0)
        {
          int saved = errno;

          if (saved == EINTR)
            continue;
          g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_CRYPTO,
                       "The system's random number source failed: %s",
                       g_strerror (saved));
          return FALSE;
        }
      p += n;
      len -= (gsize) n;
    }
  return TRUE;
}

gboolean
bfk_private_key_is_valid (const BfkPrivateKey *key)
{
  return secp256k1_ec_seckey_verify (bfk_secp256k1_context (), key->bytes) == 1;
}

gboolean
bfk_private_key_generate (BfkPrivateKey  *out,
                          GError        **error)
{
  /* A random 32-byte string is outside (0, n) with probability about 2^-128;
   * the loop bound only guards against a broken random source. */
  for (int attempt = 0; attempt < 64; attempt++)
    {
      if (!bfk_secure_random (out->bytes, sizeof out->bytes, error))
        {
          bfk_private_key_wipe (out);
          return FALSE;
        }
      if (bfk_private_key_is_valid (out))
        return TRUE;
    }

  bfk_private_key_wipe (out);
  g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_CRYPTO,
               "The system's random number source gives no valid private key");
  return FALSE;
}

gboolean
bfk_private_key_from_bytes (BfkPrivateKey  *out,
                            const guint8   *data,
                            gsize           len,
                            GError        **error)
{
  BfkPrivateKey key;

  if (len != BFK_PRIVATE_KEY_SIZE)
    {
      g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_INVALID_INPUT,
                   "A private key is 32 bytes, not %" G_GSIZE_FORMAT, len);
      return FALSE;
    }

  memcpy (key.bytes, data, sizeof key.bytes);
  if (!bfk_private_key_is_valid (&key))
    {
      bfk_private_key_wipe (&key);
      g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_INVALID_INPUT,
                   "This is not a valid secp256k1 private key (zero, or not below the curve order)");
      return FALSE;
    }

  *out = key;
  bfk_private_key_wipe (&key);
  return TRUE;
}

gboolean
bfk_private_key_from_hex (BfkPrivateKey  *out,
                          const gchar    *hex,
                          GError        **error)
{
  g_auto(BfkPrivateKey) key = { { 0 } };

  g_return_val_if_fail (hex != NULL, FALSE);

  if (hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X'))
    hex += 2;
  /* bfk_hex_decode_fixed would quote the text in its error: never do that
   * with a secret. */
  if (strlen (hex) != 2 * BFK_PRIVATE_KEY_SIZE
      || !bfk_hex_decode_raw (hex, 2 * BFK_PRIVATE_KEY_SIZE, key.bytes))
    {
      g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_INVALID_INPUT,
                   "A private key is written as 64 hexadecimal digits");
      return FALSE;
    }

  return bfk_private_key_from_bytes (out, key.bytes, sizeof key.bytes, error);
}

/* The address of a public key: keccak of its uncompressed form. */
static gboolean
pubkey_to_address (const secp256k1_context  *ctx,
                   const secp256k1_pubkey   *pubkey,
                   BfkAddress               *out,
                   GError                  **error)
{
  guint8 serialized[65];
  size_t len = sizeof serialized;

  if (!secp256k1_ec_pubkey_serialize (ctx, serialized, &len, pubkey,
                                      SECP256K1_EC_UNCOMPRESSED)
      || len != sizeof serialized)
    {
      g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_CRYPTO,
                   "libsecp256k1 could not serialise a public key");
      return FALSE;
    }

  /* Skip the 0x04 prefix of the uncompressed form. */
  bfk_address_from_public_key (serialized + 1, out);
  return TRUE;
}

gboolean
bfk_private_key_to_address (const BfkPrivateKey  *key,
                            BfkAddress           *out,
                            GError              **error)
{
  const secp256k1_context *ctx = bfk_secp256k1_context ();
  secp256k1_pubkey pubkey;

  if (!secp256k1_ec_pubkey_create (ctx, &pubkey, key->bytes))
    {
      g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_INVALID_INPUT,
                   "This is not a valid secp256k1 private key");
      return FALSE;
    }
  return pubkey_to_address (ctx, &pubkey, out, error);
}

void
bfk_private_key_wipe (BfkPrivateKey *key)
{
  explicit_bzero (key->bytes, sizeof key->bytes);
}

gboolean
bfk_private_key_sign (const BfkPrivateKey  *key,
                      const guint8          digest[32],
                      BfkSignature         *out,
                      GError              **error)
{
  const secp256k1_context *ctx = bfk_secp256k1_context ();
  secp256k1_ecdsa_recoverable_signature sig;
  guint8 compact[64];
  int recid = -1;

  if (!secp256k1_ecdsa_sign_recoverable (ctx, &sig, digest, key->bytes, NULL, NULL))
    {
      g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_CRYPTO,
                   "Signing failed: the private key is not valid");
      return FALSE;
    }
  if (!secp256k1_ecdsa_recoverable_signature_serialize_compact (ctx, compact, &recid, &sig)
      || recid < 0 || recid > 3)
    {
      g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_CRYPTO,
                   "libsecp256k1 could not serialise a signature");
      return FALSE;
    }
  /* Recovery ids 2 and 3 mean r overflowed the curve order, which has
   * probability about 2^-127; Ethereum cannot express them. */
  if (recid > 1)
    {
      g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_CRYPTO,
                   "The signature has a recovery id Ethereum cannot express");
      return FALSE;
    }

  memcpy (out->r, compact, 32);
  memcpy (out->s, compact + 32, 32);
  out->recid = (guint8) recid;
  return TRUE;
}

gboolean
bfk_signature_recover_address (const BfkSignature  *sig,
                               const guint8         digest[32],
                               BfkAddress          *out,
                               GError             **error)
{
  const secp256k1_context *ctx = bfk_secp256k1_context ();
  secp256k1_ecdsa_recoverable_signature rsig;
  secp256k1_pubkey pubkey;
  guint8 compact[64];

  memcpy (compact, sig->r, 32);
  memcpy (compact + 32, sig->s, 32);
  if (sig->recid > 3
      || !secp256k1_ecdsa_recoverable_signature_parse_compact (ctx, &rsig, compact, sig->recid))
    {
      g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_INVALID_INPUT,
                   "The signature is malformed (r or s out of range)");
      return FALSE;
    }
  if (!secp256k1_ecdsa_recover (ctx, &pubkey, &rsig, digest))
    {
      g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_INVALID_INPUT,
                   "No public key matches this signature");
      return FALSE;
    }
  return pubkey_to_address (ctx, &pubkey, out, error);
}
