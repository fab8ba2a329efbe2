/* bfk-u256.c */
#include "bfk-u256.h"
#include "bfk-chain-error.h"
#include "bfk-hex.h"

#include <string.h>

gboolean
bfk_u256_is_zero (BfkU256 a)
{
  return (a.limb[0] | a.limb[1] | a.limb[2] | a.limb[3]) == 0;
}

int
bfk_u256_cmp (BfkU256 a,
              BfkU256 b)
{
  for (int i = 3; i >= 0; i--)
    if (a.limb[i] != b.limb[i])
      return a.limb[i] < b.limb[i] ? -1 : 1;
  return 0;
}

gboolean
bfk_u256_fits_u64 (BfkU256 a)
{
  return (a.limb[1] | a.limb[2] | a.limb[3]) == 0;
}

guint64
bfk_u256_to_u64 (BfkU256 a)
{
  return bfk_u256_fits_u64 (a) ? a.limb[0] : G_MAXUINT64;
}

gdouble
bfk_u256_to_double (BfkU256 a)
{
  gdouble d = 0;

  for (int i = 3; i >= 0; i--)
    d = d * 18446744073709551616.0 + (gdouble) a.limb[i];
  return d;
}

gboolean
bfk_u256_add (BfkU256 *r,
              BfkU256  a,
              BfkU256  b)
{
  unsigned __int128 carry = 0;

  for (int i = 0; i < 4; i++)
    {
      carry += (unsigned __int128) a.limb[i] + b.limb[i];
      r->limb[i] = (guint64) carry;
      carry >>= 64;
    }
  return carry == 0;
}

gboolean
bfk_u256_sub (BfkU256 *r,
              BfkU256  a,
              BfkU256  b)
{
  guint64 borrow = 0;

  for (int i = 0; i < 4; i++)
    {
      guint64 d = a.limb[i] - b.limb[i] - borrow;

      borrow = (a.limb[i] < b.limb[i]) || (a.limb[i] - b.limb[i] < borrow);
      r->limb[i] = d;
    }
  return borrow == 0;
}

gboolean
bfk_u256_mul_u64 (BfkU256 *r,
                  BfkU256  a,
                  guint64  m)
{
  unsigned __int128 carry = 0;

  for (int i = 0; i < 4; i++)
    {
      carry += (unsigned __int128) a.limb[i] * m;
      r->limb[i] = (guint64) carry;
      carry >>= 64;
    }
  return carry == 0;
}

guint64
bfk_u256_div_u64 (BfkU256 *q,
                  BfkU256  a,
                  guint64  d)
{
  unsigned __int128 rem = 0;

  g_return_val_if_fail (d != 0, 0);

  for (int i = 3; i >= 0; i--)
    {
      unsigned __int128 cur = (rem << 64) | a.limb[i];

      q->limb[i] = (guint64) (cur / d);
      rem = cur % d;
    }
  return (guint64) rem;
}

void
bfk_u256_to_be (BfkU256 a,
                guint8  out[32])
{
  for (int i = 0; i < 4; i++)
    for (int j = 0; j < 8; j++)
      out[31 - (i * 8 + j)] = (guint8) (a.limb[i] >> (8 * j));
}

BfkU256
bfk_u256_from_be (const guint8 *data,
                  gsize         len)
{
  BfkU256 r = BFK_U256_ZERO;

  g_return_val_if_fail (len <= 32, r);

  for (gsize k = 0; k < len; k++)
    {
      gsize pos = len - 1 - k; /* byte k counted from the least significant end */

      r.limb[k / 8] |= (guint64) data[pos] << (8 * (k % 8));
    }
  return r;
}

gsize
bfk_u256_to_minimal_be (BfkU256 a,
                        guint8  out[32])
{
  guint8 full[32];
  gsize skip = 0;

  bfk_u256_to_be (a, full);
  while (skip < 32 && full[skip] == 0)
    skip++;
  memmove (out, full + skip, 32 - skip);
  return 32 - skip;
}

gboolean
bfk_u256_parse (const gchar  *text,
                BfkU256      *out,
                GError      **error)
{
  BfkU256 r = BFK_U256_ZERO;
  const gchar *p = text;
  guint base = 10;

  g_return_val_if_fail (text != NULL, FALSE);

  if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
    {
      base = 16;
      p += 2;
    }
  if (*p == '\0')
    goto bad;
  for (; *p; p++)
    {
      int v = bfk_hex_digit_value (*p);

      if (v < 0 || v >= (int) base)
        goto bad;
      if (!bfk_u256_mul_u64 (&r, r, base) || !bfk_u256_add (&r, r, bfk_u256_from_u64 ((guint64) v)))
        {
          g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_INVALID_INPUT,
                       "“%.80s” does not fit in 256 bits", text);
          return FALSE;
        }
    }
  *out = r;
  return TRUE;

bad:
  g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_INVALID_INPUT,
               "“%.80s” is not a whole non-negative number", text);
  return FALSE;
}

gchar *
bfk_u256_to_decimal (BfkU256 a)
{
  gchar buf[80];
  gsize pos = sizeof buf - 1;

  buf[pos] = '\0';
  do
    buf[--pos] = (gchar) ('0' + bfk_u256_div_u64 (&a, a, 10));
  while (!bfk_u256_is_zero (a));
  return g_strdup (buf + pos);
}

gchar *
bfk_u256_to_quantity (BfkU256 a)
{
  static const gchar hexdigits[] = "0123456789abcdef";
  gchar buf[70];
  gsize pos = sizeof buf - 1;

  buf[pos] = '\0';
  do
    {
      buf[--pos] = hexdigits[a.limb[0] & 0xf];
      a.limb[0] = (a.limb[0] >> 4) | (a.limb[1] << 60);
      a.limb[1] = (a.limb[1] >> 4) | (a.limb[2] << 60);
      a.limb[2] = (a.limb[2] >> 4) | (a.limb[3] << 60);
      a.limb[3] >>= 4;
    }
  while (!bfk_u256_is_zero (a));
  buf[--pos] = 'x';
  buf[--pos] = '0';
  return g_strdup (buf + pos);
}

gchar *
bfk_u256_format_units (BfkU256 a,
                       guint   decimals,
                       guint   max_fraction)
{
  g_autofree gchar *digits = bfk_u256_to_decimal (a);
  gsize n = strlen (digits);
  GString *s = g_string_new (NULL);
  g_autofree gchar *padded = NULL;
  gsize int_len;
  gsize frac_len;

  if (n <= decimals)
    {
      g_autofree gchar *zeros = g_strnfill (decimals + 1 - n, '0');

      padded = g_strconcat (zeros, digits, NULL);
    }
  else
    padded = g_strdup (digits);

  int_len = strlen (padded) - decimals;
  g_string_append_len (s, padded, int_len);

  frac_len = MIN (decimals, max_fraction);
  while (frac_len > 0 && padded[int_len + frac_len - 1] == '0')
    frac_len--;
  if (frac_len > 0)
    {
      g_string_append_c (s, '.');
      g_string_append_len (s, padded + int_len, frac_len);
    }
  return g_string_free (s, FALSE);
}
