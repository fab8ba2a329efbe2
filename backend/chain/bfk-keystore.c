/* bfk-keystore.c
 *
 * Layout of a V3 keystore (geth's field order):
 *   { "address": "<40 hex>",
 *     "crypto": { "cipher": "aes-128-ctr", "ciphertext": "<hex>",
 *                 "cipherparams": { "iv": "<32 hex>" },
 *                 "kdf": "scrypt" | "pbkdf2", "kdfparams": { ... },
 *                 "mac": "<64 hex>" },
 *     "id": "<uuid>", "version": 3 }
 * DK = KDF(password); MAC = keccak256(DK[16..32] ++ ciphertext);
 * key = AES-128-CTR(DK[0..16], iv, ciphertext).
 */
#include "bfk-keystore.h"
#include "bfk-chain-error.h"
#include "bfk-hex.h"
#include "bfk-keccak.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#define DKLEN_WRITTEN  32
#define DKLEN_MAX      128
#define SALT_LEN       32
#define IV_LEN         16

/* A file can ask for any cost; beyond these it is refused rather than
 * freezing the console or exhausting memory. */
#define SCRYPT_MAX_MEM   (G_GUINT64_CONSTANT (1) << 30)
#define PBKDF2_MAX_ITER  10000000

typedef enum
{
  KDF_SCRYPT,
  KDF_PBKDF2,
} Kdf;

typedef struct
{
  Kdf        kdf;
  BfkScryptParams scrypt;
  guint64    iterations;
  gsize      dklen;
  GBytes    *salt;
  guint8     iv[IV_LEN];
  GBytes    *ciphertext;
  guint8     mac[32];
  gboolean   has_address;
  BfkAddress address;
} Keystore;

static void
keystore_clear (Keystore *ks)
{
  g_clear_pointer (&ks->salt, g_bytes_unref);
  g_clear_pointer (&ks->ciphertext, g_bytes_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Keystore, keystore_clear)

static gboolean
format_error (GError      **error,
              const gchar  *label,
              const gchar  *what)
{
  g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_KEYSTORE_FORMAT,
               "Keystore %s is not a V3 keystore this console can read: %s",
               label, what);
  return FALSE;
}

/* scrypt's memory in bytes (OpenSSL's own count), or 0 for parameters that
 * are not valid. */
static guint64
scrypt_memory (const BfkScryptParams *p)
{
  if (p->n < 2 || (p->n & (p->n - 1)) != 0 || p->r == 0 || p->p == 0)
    return 0;
  if ((guint64) p->r * p->p >= (1u << 30) || p->n > (G_GUINT64_CONSTANT (1) << 32))
    return 0;
  /* scrypt needs n < 2^(128 * r / 8). */
  if (p->r < 4 && p->n >= (G_GUINT64_CONSTANT (1) << (16 * p->r)))
    return 0;
  return 128 * (guint64) p->r * (p->n + 2) + 128 * (guint64) p->r * p->p;
}

static gboolean
derive_scrypt (const char            *password,
               gsize                  password_len,
               const guint8          *salt,
               gsize                  salt_len,
               const BfkScryptParams *params,
               guint8                *dk,
               gsize                  dklen)
{
  guint64 mem = scrypt_memory (params);

  if (mem == 0 || mem > SCRYPT_MAX_MEM)
    return FALSE;
  return EVP_PBE_scrypt (password != NULL ? password : "", password_len,
                         salt != NULL ? salt : (const guint8 *) "", salt_len,
                         params->n, params->r, params->p,
                         mem + (1 << 20), dk, dklen) == 1;
}

static void
compute_mac (const guint8 *dk,
             const guint8 *ciphertext,
             gsize         len,
             guint8        mac[32])
{
  BfkKeccak ctx;

  bfk_keccak256_init (&ctx);
  bfk_keccak256_update (&ctx, dk + 16, 16);
  bfk_keccak256_update (&ctx, ciphertext, len);
  bfk_keccak256_final (&ctx, mac);
}

/* AES-128-CTR is its own inverse. */
static gboolean
aes_128_ctr (const guint8 key[16],
             const guint8 iv[IV_LEN],
             const guint8 *in,
             gsize         len,
             guint8       *out)
{
  EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new ();
  int outl = 0, finl = 0;
  gboolean ok;

  if (ctx == NULL)
    return FALSE;
  ok = EVP_EncryptInit_ex (ctx, EVP_aes_128_ctr (), NULL, key, iv) == 1
       && EVP_EncryptUpdate (ctx, out, &outl, in, (int) len) == 1
       && EVP_EncryptFinal_ex (ctx, out + outl, &finl) == 1
       && (gsize) (outl + finl) == len;
  /* Freeing cleanses the key schedule. */
  EVP_CIPHER_CTX_free (ctx);
  return ok;
}

/* --- reading --- */

static JsonObject *
get_object (JsonObject  *obj,
            const gchar *name)
{
  JsonNode *node = json_object_get_member (obj, name);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static const gchar *
get_string (JsonObject  *obj,
            const gchar *name)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
get_uint (JsonObject  *obj,
          const gchar *name,
          guint64     *out)
{
  JsonNode *node = json_object_get_member (obj, name);
  gint64 v;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  v = json_node_get_int (node);
  if (v < 0)
    return FALSE;
  *out = (guint64) v;
  return TRUE;
}

static GBytes *
get_hex (JsonObject  *obj,
         const gchar *name)
{
  const gchar *text = get_string (obj, name);

  return text != NULL ? bfk_hex_decode (text, NULL) : NULL;
}

static gboolean
get_hex_fixed (JsonObject  *obj,
               const gchar *name,
               guint8      *out,
               gsize        len)
{
  const gchar *text = get_string (obj, name);

  return text != NULL && bfk_hex_decode_fixed (text, out, len, NULL);
}

/* Reads the address only; the rest may be anything. */
static gboolean
parse_address (JsonObject  *root,
               Keystore    *ks,
               const gchar *label,
               GError     **error)
{
  ks->has_address = json_object_has_member (root, "address");
  if (ks->has_address
      && !get_hex_fixed (root, "address", ks->address.bytes, BFK_ADDRESS_SIZE))
    return format_error (error, label, "its address is not 40 hexadecimal digits");
  return TRUE;
}

static JsonObject *
parse_root (JsonParser   *parser,
            const gchar  *json,
            gssize        json_len,
            const gchar  *label,
            GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  if (!json_parser_load_from_data (parser, json, json_len, &local_error))
    {
      format_error (error, label, local_error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      format_error (error, label, "it is not a JSON object");
      return NULL;
    }
  return json_node_get_object (root);
}

static gboolean
parse_keystore (JsonObject  *root,
                Keystore    *ks,
                const gchar *label,
                GError     **error)
{
  JsonObject *crypto, *params, *cipherparams;
  const gchar *kdf, *cipher;
  guint64 version, dklen;

  if (!get_uint (root, "version", &version) || version != 3)
    return format_error (error, label, "its version is not 3");
  if (!parse_address (root, ks, label, error))
    return FALSE;

  /* Some wallets (MyEtherWallet among them) write "Crypto". */
  crypto = get_object (root, "crypto");
  if (crypto == NULL)
    crypto = get_object (root, "Crypto");
  if (crypto == NULL)
    return format_error (error, label, "it has no crypto section");

  cipher = get_string (crypto, "cipher");
  if (g_strcmp0 (cipher, "aes-128-ctr") != 0)
    return format_error (error, label, "its cipher is not aes-128-ctr");
  cipherparams = get_object (crypto, "cipherparams");
  if (cipherparams == NULL || !get_hex_fixed (cipherparams, "iv", ks->iv, IV_LEN))
    return format_error (error, label, "its initialisation vector is not 16 bytes of hexadecimal");
  ks->ciphertext = get_hex (crypto, "ciphertext");
  if (ks->ciphertext == NULL || g_bytes_get_size (ks->ciphertext) != BFK_PRIVATE_KEY_SIZE)
    return format_error (error, label, "its ciphertext is not 32 bytes of hexadecimal");
  if (!get_hex_fixed (crypto, "mac", ks->mac, sizeof ks->mac))
    return format_error (error, label, "its MAC is not 32 bytes of hexadecimal");

  kdf = get_string (crypto, "kdf");
  params = get_object (crypto, "kdfparams");
  if (kdf == NULL || params == NULL)
    return format_error (error, label, "it names no key derivation function");
  if (!get_uint (params, "dklen", &dklen) || dklen < 32 || dklen > DKLEN_MAX)
    return format_error (error, label, "its derived key length is not between 32 and 128");
  ks->dklen = (gsize) dklen;
  ks->salt = get_hex (params, "salt");
  if (ks->salt == NULL)
    return format_error (error, label, "its salt is not hexadecimal");

  if (strcmp (kdf, "scrypt") == 0)
    {
      guint64 r, p, mem;

      ks->kdf = KDF_SCRYPT;
      if (!get_uint (params, "n", &ks->scrypt.n)
          || !get_uint (params, "r", &r) || r > G_MAXUINT32
          || !get_uint (params, "p", &p) || p > G_MAXUINT32)
        return format_error (error, label, "its scrypt parameters are missing");
      ks->scrypt.r = (guint32) r;
      ks->scrypt.p = (guint32) p;
      mem = scrypt_memory (&ks->scrypt);
      if (mem == 0)
        return format_error (error, label, "its scrypt parameters are not valid");
      if (mem > SCRYPT_MAX_MEM)
        return format_error (error, label, "its scrypt parameters ask for more than 1 GiB of memory");
    }
  else if (strcmp (kdf, "pbkdf2") == 0)
    {
      ks->kdf = KDF_PBKDF2;
      if (g_strcmp0 (get_string (params, "prf"), "hmac-sha256") != 0)
        return format_error (error, label, "its PBKDF2 function is not hmac-sha256");
      if (!get_uint (params, "c", &ks->iterations)
          || ks->iterations == 0 || ks->iterations > PBKDF2_MAX_ITER)
        return format_error (error, label, "its PBKDF2 iteration count is missing or too large");
      if (g_bytes_get_size (ks->salt) > G_MAXINT)
        return format_error (error, label, "its salt is too long");
    }
  else
    return format_error (error, label, "its key derivation function is neither scrypt nor pbkdf2");

  return TRUE;
}

static gboolean
decrypt (const Keystore *ks,
         const char     *password,
         gsize           password_len,
         const gchar    *label,
         BfkPrivateKey  *out,
         GError        **error)
{
  guint8 dk[DKLEN_MAX];
  guint8 mac[32];
  gsize salt_len, ct_len;
  const guint8 *salt = g_bytes_get_data (ks->salt, &salt_len);
  const guint8 *ct = g_bytes_get_data (ks->ciphertext, &ct_len);
  g_auto(BfkPrivateKey) key = { { 0 } };
  BfkAddress actual;
  gboolean derived;

  if (ks->kdf == KDF_SCRYPT)
    derived = derive_scrypt (password, password_len, salt, salt_len, &ks->scrypt,
                             dk, ks->dklen);
  else
    derived = password_len <= G_MAXINT
              && PKCS5_PBKDF2_HMAC (password != NULL ? password : "", (int) password_len,
                                    salt, (int) salt_len, (int) ks->iterations,
                                    EVP_sha256 (), (int) ks->dklen, dk) == 1;
  if (!derived)
    {
      OPENSSL_cleanse (dk, sizeof dk);
      g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_CRYPTO,
                   "Could not derive the key of keystore %s (out of memory?)", label);
      return FALSE;
    }

  /* The MAC first: decrypting with a wrong key would give a random but
   * plausible-looking private key. */
  compute_mac (dk, ct, ct_len, mac);
  if (CRYPTO_memcmp (mac, ks->mac, sizeof mac) != 0)
    {
      OPENSSL_cleanse (dk, sizeof dk);
      g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_KEYSTORE_PASSWORD,
                   "Wrong password for keystore %s", label);
      return FALSE;
    }

  if (!aes_128_ctr (dk, ks->iv, ct, ct_len, key.bytes))
    {
      OPENSSL_cleanse (dk, sizeof dk);
      g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_CRYPTO,
                   "Could not decrypt keystore %s", label);
      return FALSE;
    }
  OPENSSL_cleanse (dk, sizeof dk);

  if (!bfk_private_key_is_valid (&key))
    return format_error (error, label, "it does not hold a valid private key");
  if (!bfk_private_key_to_address (&key, &actual, error))
    return FALSE;
  if (ks->has_address && !bfk_address_equal (&actual, &ks->address))
    {
      gchar declared[BFK_ADDRESS_STRING_SIZE], real[BFK_ADDRESS_STRING_SIZE];
      g_autofree gchar *what = NULL;

      bfk_address_to_string_buf (&ks->address, declared);
      bfk_address_to_string_buf (&actual, real);
      what = g_strdup_printf ("it declares address %s but holds the key of %s",
                              declared, real);
      return format_error (error, label, what);
    }

  *out = key;
  return TRUE;
}

static gboolean
import_labelled (const gchar   *json,
                 gssize         json_len,
                 const char    *password,
                 gsize          password_len,
                 const gchar   *label,
                 BfkPrivateKey *out,
                 GError       **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(Keystore) ks = { 0 };
  g_autofree gchar *address_label = NULL;
  JsonObject *root;

  /* Without a file name, the address is what a person recognises. */
  if (label == NULL)
    {
      root = parse_root (parser, json, json_len, "(text)", error);
      if (root == NULL || !parse_address (root, &ks, "(text)", error))
        return FALSE;
      if (ks.has_address)
        {
          address_label = bfk_address_to_string (&ks.address);
          label = address_label;
        }
      else
        label = "(no address)";
    }
  else
    {
      root = parse_root (parser, json, json_len, label, error);
      if (root == NULL)
        return FALSE;
    }

  if (!parse_keystore (root, &ks, label, error))
    return FALSE;
  return decrypt (&ks, password, password_len, label, out, error);
}

gboolean
bfk_keystore_import (const gchar    *json,
                     gssize          json_len,
                     const char     *password,
                     gsize           password_len,
                     BfkPrivateKey  *out,
                     GError        **error)
{
  g_return_val_if_fail (json != NULL, FALSE);
  g_return_val_if_fail (password != NULL || password_len == 0, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  return import_labelled (json, json_len, password, password_len, NULL, out, error);
}

gboolean
bfk_keystore_load (const gchar    *path,
                   const char     *password,
                   gsize           password_len,
                   BfkPrivateKey  *out,
                   GError        **error)
{
  g_autofree gchar *contents = NULL;
  g_autofree gchar *label = NULL;
  gsize len;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (password != NULL || password_len == 0, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (!g_file_get_contents (path, &contents, &len, error))
    return FALSE;
  label = g_filename_display_name (path);
  return import_labelled (contents, (gssize) len, password, password_len, label, out, error);
}

gboolean
bfk_keystore_peek_address (const gchar  *path,
                           BfkAddress   *out,
                           GError      **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree gchar *contents = NULL;
  g_autofree gchar *label = NULL;
  g_auto(Keystore) ks = { 0 };
  JsonObject *root;
  gsize len;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (!g_file_get_contents (path, &contents, &len, error))
    return FALSE;
  label = g_filename_display_name (path);
  root = parse_root (parser, contents, (gssize) len, label, error);
  if (root == NULL || !parse_address (root, &ks, label, error))
    return FALSE;
  if (!ks.has_address)
    return format_error (error, label, "it does not say which address it holds");
  *out = ks.address;
  return TRUE;
}

/* --- writing --- */

static void
add_hex (JsonBuilder  *b,
         const gchar  *name,
         const guint8 *data,
         gsize         len)
{
  g_autofree gchar *hex = g_malloc (2 * len + 1);

  bfk_hex_encode_to (data, len, hex);
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, hex);
}

gchar *
bfk_keystore_export (const BfkPrivateKey    *key,
                     const char             *password,
                     gsize                   password_len,
                     const BfkScryptParams  *params,
                     GError                **error)
{
  BfkScryptParams p = params != NULL ? *params : BFK_SCRYPT_STANDARD;
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonGenerator) gen = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree gchar *uuid = NULL;
  guint8 salt[SALT_LEN], iv[IV_LEN];
  guint8 dk[DKLEN_WRITTEN];
  guint8 ct[BFK_PRIVATE_KEY_SIZE];
  guint8 mac[32];
  BfkAddress address;
  guint64 mem;

  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (password != NULL || password_len == 0, NULL);

  mem = scrypt_memory (&p);
  if (mem == 0 || mem > SCRYPT_MAX_MEM)
    {
      g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_INVALID_INPUT,
                   "The scrypt parameters are not valid (n must be a power of 2, "
                   "r and p positive, memory at most 1 GiB)");
      return NULL;
    }
  if (!bfk_private_key_to_address (key, &address, error))
    return NULL;
  if (!bfk_secure_random (salt, sizeof salt, error)
      || !bfk_secure_random (iv, sizeof iv, error))
    return NULL;

  if (!derive_scrypt (password, password_len, salt, sizeof salt, &p, dk, sizeof dk))
    {
      OPENSSL_cleanse (dk, sizeof dk);
      g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_CRYPTO,
                   "Could not derive a key with scrypt (out of memory?)");
      return NULL;
    }
  if (!aes_128_ctr (dk, iv, key->bytes, sizeof key->bytes, ct))
    {
      OPENSSL_cleanse (dk, sizeof dk);
      g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_CRYPTO,
                   "Could not encrypt the private key");
      return NULL;
    }
  compute_mac (dk, ct, sizeof ct, mac);
  OPENSSL_cleanse (dk, sizeof dk);

  uuid = g_uuid_string_random ();

  b = json_builder_new ();
  json_builder_begin_object (b);
  add_hex (b, "address", address.bytes, sizeof address.bytes);

  json_builder_set_member_name (b, "crypto");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "cipher");
  json_builder_add_string_value (b, "aes-128-ctr");
  add_hex (b, "ciphertext", ct, sizeof ct);
  json_builder_set_member_name (b, "cipherparams");
  json_builder_begin_object (b);
  add_hex (b, "iv", iv, sizeof iv);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "kdf");
  json_builder_add_string_value (b, "scrypt");
  json_builder_set_member_name (b, "kdfparams");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "dklen");
  json_builder_add_int_value (b, DKLEN_WRITTEN);
  json_builder_set_member_name (b, "n");
  json_builder_add_int_value (b, (gint64) p.n);
  json_builder_set_member_name (b, "p");
  json_builder_add_int_value (b, p.p);
  json_builder_set_member_name (b, "r");
  json_builder_add_int_value (b, p.r);
  add_hex (b, "salt", salt, sizeof salt);
  json_builder_end_object (b);
  add_hex (b, "mac", mac, sizeof mac);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, uuid);
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, 3);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  gen = json_generator_new ();
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

gboolean
bfk_keystore_save (const gchar            *path,
                   const BfkPrivateKey    *key,
                   const char             *password,
                   gsize                   password_len,
                   const BfkScryptParams  *params,
                   GError                **error)
{
  g_autofree gchar *json = NULL;

  g_return_val_if_fail (path != NULL, FALSE);

  json = bfk_keystore_export (key, password, password_len, params, error);
  if (json == NULL)
    return FALSE;
  return g_file_set_contents_full (path, json, -1,
                                   G_FILE_SET_CONTENTS_CONSISTENT
                                   | G_FILE_SET_CONTENTS_DURABLE,
                                   0600, error);
}
