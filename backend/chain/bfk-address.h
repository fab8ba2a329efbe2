/* bfk-address.h: 20-byte Ethereum addresses, with EIP-55 checksums. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BFK_ADDRESS_SIZE 20
/* "0x" + 40 digits + NUL */
#define BFK_ADDRESS_STRING_SIZE 43

typedef struct
{
  guint8 bytes[BFK_ADDRESS_SIZE];
} BfkAddress;

/* Accepts "0x" + 40 hex digits.  All-lowercase or all-uppercase digits are
 * taken as they are; mixed case must be a valid EIP-55 checksum, so that a
 * mistyped address is caught. */
gboolean  bfk_address_parse            (const gchar      *text,
                                        BfkAddress       *out,
                                        GError          **error);
/* EIP-55 mixed-case form. */
void      bfk_address_to_string_buf    (const BfkAddress *address,
                                        gchar             out[BFK_ADDRESS_STRING_SIZE]);
gchar    *bfk_address_to_string        (const BfkAddress *address);
/* The address of an uncompressed public key (64 bytes, without the 0x04). */
void      bfk_address_from_public_key  (const guint8      public_key[64],
                                        BfkAddress       *out);
gboolean  bfk_address_equal            (const BfkAddress *a,
                                        const BfkAddress *b);
gboolean  bfk_address_is_zero          (const BfkAddress *address);

G_END_DECLS
