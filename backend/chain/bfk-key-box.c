/* bfk-key-box.c: HKDF-SHA256 and AES-256-GCM from OpenSSL 3. */
#include "bfk-key-box.h"

#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

G_DEFINE_QUARK (bfk-key-box-error-quark, bfk_key_box_error)

/* Changing either string changes every data key: existing boxes would no
 * longer open.  A new scheme gets a new info string and box version. */
static const gchar salt_label[] = "org.bafoka.Console key-box salt";
static const gchar info_label[] = "bafoka member keys v1";

void
bfk_key_box_derive_data_key (const BfkPrivateKey *operator_key,
                             guint8               out[BFK_DATA_KEY_SIZE])
{
  EVP_KDF *kdf = EVP_KDF_fetch (NULL, "HKDF", NULL);
  EVP_KDF_CTX *ctx = kdf ? EVP_KDF_CTX_new (kdf) : NULL;
  OSSL_PARAM params[] = {
    OSSL_PARAM_construct_utf8_string (OSSL_KDF_PARAM_DIGEST, (char *) "SHA256", 0),
    OSSL_PARAM_construct_octet_string (OSSL_KDF_PARAM_KEY, (void *) operator_key->bytes,
                                       sizeof operator_key->bytes),
    OSSL_PARAM_construct_octet_string (OSSL_KDF_PARAM_SALT, (void *) salt_label,
                                       strlen (salt_label)),
    OSSL_PARAM_construct_octet_string (OSSL_KDF_PARAM_INFO, (void *) info_label,
                                       strlen (info_label)),
    OSSL_PARAM_construct_end (),
  };
  gboolean ok = ctx && EVP_KDF_derive (ctx, out, BFK_DATA_KEY_SIZE, params) == 1;

  /* The context clears its copy of the key when freed. */
  EVP_KDF_CTX_free (ctx);
  EVP_KDF_free (kdf);
  /* HKDF over memory fails only when OpenSSL itself is broken (no default
   * provider, out of memory).  A made-up data key would seal member keys
   * that nobody could open again, so stop here instead. */
  if (!ok)
    g_error ("OpenSSL cannot derive an HKDF-SHA256 key: its default provider is missing");
}

/* One AES-256-GCM pass over a 32-byte key, in either direction.  For
 * decryption, tag is checked; for encryption, it is written. */
static gboolean
gcm_run (gboolean          encrypt,
         const guint8      data_key[BFK_DATA_KEY_SIZE],
         const BfkAddress *member,
         const guint8      nonce[BFK_KEY_BOX_NONCE_SIZE],
         const guint8     *in,
         guint8           *out,
         guint8            tag[BFK_KEY_BOX_TAG_SIZE])
{
  EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new ();
  int n = 0, final = 0;
  gboolean ok;

  ok = ctx
    && EVP_CipherInit_ex2 (ctx, EVP_aes_256_gcm (), NULL, NULL, encrypt, NULL) == 1
    && EVP_CIPHER_CTX_ctrl (ctx, EVP_CTRL_GCM_SET_IVLEN, BFK_KEY_BOX_NONCE_SIZE, NULL) == 1
    && EVP_CipherInit_ex2 (ctx, NULL, data_key, nonce, encrypt, NULL) == 1
    && EVP_CipherUpdate (ctx, NULL, &n, member->bytes, BFK_ADDRESS_SIZE) == 1
    && EVP_CipherUpdate (ctx, out, &n, in, BFK_PRIVATE_KEY_SIZE) == 1
    && (encrypt || EVP_CIPHER_CTX_ctrl (ctx, EVP_CTRL_GCM_SET_TAG, BFK_KEY_BOX_TAG_SIZE, tag) == 1)
    && EVP_CipherFinal_ex (ctx, out + n, &final) == 1
    && (!encrypt || EVP_CIPHER_CTX_ctrl (ctx, EVP_CTRL_GCM_GET_TAG, BFK_KEY_BOX_TAG_SIZE, tag) == 1);

  /* Freeing the context also cleanses its key schedule. */
  EVP_CIPHER_CTX_free (ctx);
  return ok;
}

GBytes *
bfk_key_box_seal (const guint8         data_key[BFK_DATA_KEY_SIZE],
                  const BfkAddress    *member,
                  const BfkPrivateKey *key,
                  GError             **error)
{
  guint8 *box = g_malloc (BFK_KEY_BOX_SIZE);
  guint8 *nonce = box + 1;
  guint8 *sealed = nonce + BFK_KEY_BOX_NONCE_SIZE;
  guint8 *tag = sealed + BFK_PRIVATE_KEY_SIZE;

  box[0] = BFK_KEY_BOX_VERSION;
  /* GCM breaks down if a nonce repeats under one key: 96 random bits make
   * that negligible for any number of members we will ever hold. */
  if (!bfk_secure_random (nonce, BFK_KEY_BOX_NONCE_SIZE, error))
    {
      g_free (box);
      return NULL;
    }
  if (!gcm_run (TRUE, data_key, member, nonce, key->bytes, sealed, tag))
    {
      g_free (box);
      g_set_error (error, BFK_KEY_BOX_ERROR, BFK_KEY_BOX_ERROR_CRYPTO,
                   "OpenSSL could not seal a member key with AES-256-GCM");
      return NULL;
    }
  return g_bytes_new_take (box, BFK_KEY_BOX_SIZE);
}

gboolean
bfk_key_box_open (const guint8         data_key[BFK_DATA_KEY_SIZE],
                  const BfkAddress    *member,
                  const guint8        *box,
                  gsize                len,
                  BfkPrivateKey       *out,
                  GError             **error)
{
  gchar who[BFK_ADDRESS_STRING_SIZE];
  guint8 tag[BFK_KEY_BOX_TAG_SIZE];
  BfkAddress check;

  bfk_address_to_string_buf (member, who);
  memset (out, 0, sizeof *out);
  if (len != BFK_KEY_BOX_SIZE || box[0] != BFK_KEY_BOX_VERSION)
    {
      g_set_error (error, BFK_KEY_BOX_ERROR, BFK_KEY_BOX_ERROR_FORMAT,
                   "The stored key of member %s is not a sealed key this program knows "
                   "(%" G_GSIZE_FORMAT " bytes, version %u)", who, len, len ? box[0] : 0);
      return FALSE;
    }
  memcpy (tag, box + 1 + BFK_KEY_BOX_NONCE_SIZE + BFK_PRIVATE_KEY_SIZE, sizeof tag);
  if (!gcm_run (FALSE, data_key, member, box + 1, box + 1 + BFK_KEY_BOX_NONCE_SIZE,
                out->bytes, tag))
    {
      bfk_private_key_wipe (out);
      g_set_error (error, BFK_KEY_BOX_ERROR, BFK_KEY_BOX_ERROR_OPEN,
                   "The key of member %s does not open: it was sealed under another operator "
                   "key, or the stored box was altered", who);
      return FALSE;
    }
  /* The tag already vouches for the bytes; this catches a box that was
   * sealed for the wrong address in the first place. */
  if (!bfk_private_key_to_address (out, &check, NULL) || !bfk_address_equal (&check, member))
    {
      bfk_private_key_wipe (out);
      g_set_error (error, BFK_KEY_BOX_ERROR, BFK_KEY_BOX_ERROR_OPEN,
                   "The sealed key of member %s belongs to another address", who);
      return FALSE;
    }
  return TRUE;
}
