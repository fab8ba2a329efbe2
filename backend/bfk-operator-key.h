/* bfk-operator-key.h: unlocking the operator's key.
 *
 * The operator key signs the member operations and pays their gas.  It is
 * the configured V3 keystore (BAFOKA_KEYSTORE), unlocked with the password
 * in BAFOKA_KEYSTORE_PASSWORD_FILE, or asked of a person by the front end;
 * on the local network without a keystore, anvil's first dev account.
 */
#pragma once

#include <glib.h>

#include "bfk-config.h"
#include "bfk-key.h"

G_BEGIN_DECLS

/* Asks a person for the keystore's password; returns it (the caller wipes
 * it with bfk_password_free), or NULL with error set. */
typedef gchar *(*BfkPasswordPrompt) (const gchar  *keystore,
                                     gpointer      user_data,
                                     GError      **error);

/* The first line of a password file, as geth's --password reads it. */
gchar    *bfk_password_read_file   (const gchar        *path,
                                    GError            **error);
/* Wipes and frees a password (NULL is fine). */
void      bfk_password_free        (gchar              *password);

/* The operator key of config.  The password comes from the configured
 * password file, else from prompt (may be NULL: then the file is needed).
 * A wrong password is BFK_CHAIN_ERROR_KEYSTORE_PASSWORD, an unreadable
 * keystore a G_FILE_ERROR or BFK_CHAIN_ERROR_KEYSTORE_FORMAT; each message
 * names the file and says what to do. */
gboolean  bfk_operator_key_unlock  (const BfkConfig    *config,
                                    BfkPasswordPrompt   prompt,
                                    gpointer            user_data,
                                    BfkPrivateKey      *out,
                                    GError            **error);

G_END_DECLS
