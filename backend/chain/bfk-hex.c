/* bfk-hex.c */
#include "bfk-hex.h"
#include "bfk-chain-error.h"

#include <string.h>

static const gchar digits[] = "0123456789abcdef";

void
bfk_hex_encode_to (const guint8 *data,
                   gsize         len,
                   gchar        *out)
{
  for (gsize i = 0; i < len; i++)
    {
      out[2 * i] = digits[data[i] >> 4];
      out[2 * i + 1] = digits[data[i] & 0xf];
    }
  out[2 * len] = '\0';
}

gchar *
bfk_hex_encode (const guint8 *data,
                gsize         len)
{
  gchar *out = g_malloc (2 * len + 3);

  out[0] = '0';
  out[1] = 'x';
  bfk_hex_encode_to (data, len, out + 2);
  return out;
}

gboolean
bfk_hex_decode_raw (const gchar *hex,
                    gsize        n_digits,
                    guint8      *out)
{
  if (n_digits % 2 != 0)
    return FALSE;
  for (gsize i = 0; i < n_digits / 2; i++)
    {
      int hi = bfk_hex_digit_value (hex[2 * i]);
      int lo = bfk_hex_digit_value (hex[2 * i + 1]);

      if (hi < 0 || lo < 0)
        return FALSE;
      out[i] = (guint8) (hi << 4 | lo);
    }
  return TRUE;
}

static const gchar *
skip_prefix (const gchar *hex)
{
  if (hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X'))
    return hex + 2;
  return hex;
}

GBytes *
bfk_hex_decode (const gchar  *hex,
                GError      **error)
{
  const gchar *p;
  gsize n;
  guint8 *buf;

  g_return_val_if_fail (hex != NULL, NULL);

  p = skip_prefix (hex);
  n = strlen (p);
  buf = g_malloc (n / 2 + 1);
  if (!bfk_hex_decode_raw (p, n, buf))
    {
      g_free (buf);
      g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_INVALID_INPUT,
                   "“%.80s” is not hexadecimal data", hex);
      return NULL;
    }
  return g_bytes_new_take (buf, n / 2);
}

gboolean
bfk_hex_decode_fixed (const gchar  *hex,
                      guint8       *out,
                      gsize         len,
                      GError      **error)
{
  const gchar *p;

  g_return_val_if_fail (hex != NULL, FALSE);

  p = skip_prefix (hex);
  if (strlen (p) != 2 * len || !bfk_hex_decode_raw (p, 2 * len, out))
    {
      g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_INVALID_INPUT,
                   "“%.80s” is not %" G_GSIZE_FORMAT " bytes of hexadecimal", hex, len);
      return FALSE;
    }
  return TRUE;
}
