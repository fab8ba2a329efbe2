/* bfk-hex.h: hexadecimal as Ethereum's JSON-RPC writes it. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* "0x" followed by two lowercase digits per byte ("0x" for no bytes). */
gchar      *bfk_hex_encode        (const guint8 *data,
                                   gsize         len);

/* Writes the digits (without "0x") into out, which holds 2 * len + 1 bytes. */
void        bfk_hex_encode_to     (const guint8 *data,
                                   gsize         len,
                                   gchar        *out);

/* Accepts an optional "0x"/"0X" prefix and an even number of digits. */
GBytes     *bfk_hex_decode        (const gchar  *hex,
                                   GError      **error);

/* Same, but the text must decode to exactly len bytes. */
gboolean    bfk_hex_decode_fixed  (const gchar  *hex,
                                   guint8       *out,
                                   gsize         len,
                                   GError      **error);

/* The value of one hexadecimal digit, or -1.  Inline: log parsing calls it
 * for every digit of a node's answer. */
static inline int
bfk_hex_digit_value (gchar c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Decodes n digits starting at hex (no prefix); FALSE on any non-digit. */
gboolean    bfk_hex_decode_raw    (const gchar  *hex,
                                   gsize         n_digits,
                                   guint8       *out);

G_END_DECLS
