/* bfk-keystore.h: Web3 Secret Storage V3 keystores, as geth and MetaMask
 * write them.
 *
 * Reading accepts scrypt and PBKDF2-HMAC-SHA256 with AES-128-CTR; writing
 * uses scrypt.  The MAC is checked before anything is decrypted, so a wrong
 * password is told apart from a damaged file: BFK_CHAIN_ERROR_KEYSTORE_PASSWORD
 * for the first, BFK_CHAIN_ERROR_KEYSTORE_FORMAT for the second.
 *
 * Passwords are (pointer, length) pairs: they may hold any bytes.
 */
#pragma once

#include <glib.h>

#include "bfk-address.h"
#include "bfk-key.h"

G_BEGIN_DECLS

typedef struct
{
  guint64 n;   /* CPU/memory cost, a power of 2 */
  guint32 r;   /* block size */
  guint32 p;   /* parallelism */
} BfkScryptParams;

/* geth's StandardScryptN/P: about one second and 256 MiB. */
#define BFK_SCRYPT_STANDARD ((BfkScryptParams) { 262144, 8, 1 })
/* geth's LightScryptN/P: for tests and the local development chain. */
#define BFK_SCRYPT_LIGHT    ((BfkScryptParams) { 4096, 8, 6 })

/* The keystore JSON text for key (params NULL: BFK_SCRYPT_STANDARD). */
gchar    *bfk_keystore_export        (const BfkPrivateKey   *key,
                                      const char            *password,
                                      gsize                  password_len,
                                      const BfkScryptParams *params,
                                      GError               **error);

/* Decrypts keystore JSON text (json_len -1: NUL-terminated). */
gboolean  bfk_keystore_import        (const gchar           *json,
                                      gssize                 json_len,
                                      const char            *password,
                                      gsize                  password_len,
                                      BfkPrivateKey         *out,
                                      GError               **error);

/* Writes the keystore atomically, readable by its owner only (0600). */
gboolean  bfk_keystore_save          (const gchar           *path,
                                      const BfkPrivateKey   *key,
                                      const char            *password,
                                      gsize                  password_len,
                                      const BfkScryptParams *params,
                                      GError               **error);
gboolean  bfk_keystore_load          (const gchar           *path,
                                      const char            *password,
                                      gsize                  password_len,
                                      BfkPrivateKey         *out,
                                      GError               **error);

/* The "address" a keystore file declares, without decrypting it. */
gboolean  bfk_keystore_peek_address  (const gchar           *path,
                                      BfkAddress            *out,
                                      GError               **error);

G_END_DECLS
