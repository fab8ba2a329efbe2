/* bfk-key-box.h: a member's private key, sealed at rest.
 *
 * Members have no wallet: the backend holds their keys, so that custody can
 * be handed to them later.  A key is stored only as a box sealed with a
 * data key that is derived from the operator's private key, so whoever
 * holds the operator keystore (and only they) can open member keys.
 *
 *   data key = HKDF-SHA256 (operator key, salt = a fixed label,
 *                           info = "bafoka member keys v1")
 *   box      = version (1) ‖ nonce (12, random) ‖ AES-256-GCM ciphertext (32) ‖ tag (16)
 *
 * The member's address is the additional authenticated data: a box copied
 * onto another member's row does not open.
 */
#pragma once

#include <glib.h>

#include "bfk-address.h"
#include "bfk-key.h"

G_BEGIN_DECLS

#define BFK_DATA_KEY_SIZE     32
#define BFK_KEY_BOX_VERSION   1
#define BFK_KEY_BOX_NONCE_SIZE 12
#define BFK_KEY_BOX_TAG_SIZE  16
#define BFK_KEY_BOX_SIZE      (1 + BFK_KEY_BOX_NONCE_SIZE + BFK_PRIVATE_KEY_SIZE + BFK_KEY_BOX_TAG_SIZE)

#define BFK_KEY_BOX_ERROR (bfk_key_box_error_quark ())

typedef enum
{
  BFK_KEY_BOX_ERROR_FORMAT,   /* not a box of a version we know */
  BFK_KEY_BOX_ERROR_OPEN,     /* the tag does not check: another operator key, or altered */
  BFK_KEY_BOX_ERROR_CRYPTO,   /* the cipher or the random source failed */
} BfkKeyBoxError;

/* The data key of an operator.  Deterministic: the same operator key gives
 * the same data key on every run.  Wipe it (explicit_bzero) after use. */
void      bfk_key_box_derive_data_key  (const BfkPrivateKey *operator_key,
                                        guint8               out[BFK_DATA_KEY_SIZE]);

/* A new box (BFK_KEY_BOX_SIZE bytes) holding key, bound to member. */
GBytes   *bfk_key_box_seal             (const guint8         data_key[BFK_DATA_KEY_SIZE],
                                        const BfkAddress    *member,
                                        const BfkPrivateKey *key,
                                        GError             **error);

/* Opens a box into out.  A wrong data key, a box of another member or a
 * changed byte is a BFK_KEY_BOX_ERROR_OPEN; out is then zeroed. */
gboolean  bfk_key_box_open             (const guint8         data_key[BFK_DATA_KEY_SIZE],
                                        const BfkAddress    *member,
                                        const guint8        *box,
                                        gsize                len,
                                        BfkPrivateKey       *out,
                                        GError             **error);

GQuark    bfk_key_box_error_quark      (void);

G_END_DECLS
