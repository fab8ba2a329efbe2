/* bfk-address.c */
#include "bfk-address.h"
#include "bfk-chain-error.h"
#include "bfk-hex.h"
#include "bfk-keccak.h"

#include <string.h>

void
bfk_address_to_string_buf (const BfkAddress *address,
                           gchar             out[BFK_ADDRESS_STRING_SIZE])
{
  guint8 hash[BFK_KECCAK256_SIZE];
  gchar *digits = out + 2;

  out[0] = '0';
  out[1] = 'x';
  bfk_hex_encode_to (address->bytes, BFK_ADDRESS_SIZE, digits);

  /* EIP-55: a letter is upper case when the matching nibble of the hash of
   * the lowercase hex is 8 or more. */
  bfk_keccak256 (digits, 40, hash);
  for (int i = 0; i < 40; i++)
    {
      guint nib = (hash[i / 2] >> (i % 2 == 0 ? 4 : 0)) & 0xf;

      if (digits[i] >= 'a' && nib >= 8)
        digits[i] = (gchar) (digits[i] - 'a' + 'A');
    }
}

gchar *
bfk_address_to_string (const BfkAddress *address)
{
  gchar buf[BFK_ADDRESS_STRING_SIZE];

  bfk_address_to_string_buf (address, buf);
  return g_strdup (buf);
}

gboolean
bfk_address_parse (const gchar  *text,
                   BfkAddress   *out,
                   GError      **error)
{
  BfkAddress a;
  gboolean has_lower = FALSE, has_upper = FALSE;

  g_return_val_if_fail (text != NULL, FALSE);

  if (strlen (text) != 42 || text[0] != '0' || (text[1] != 'x' && text[1] != 'X')
      || !bfk_hex_decode_raw (text + 2, 40, a.bytes))
    {
      g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_INVALID_INPUT,
                   "“%.80s” is not an address: expected 0x followed by 40 hexadecimal digits",
                   text);
      return FALSE;
    }

  for (int i = 2; i < 42; i++)
    {
      has_lower |= g_ascii_islower (text[i]);
      has_upper |= g_ascii_isupper (text[i]);
    }
  if (has_lower && has_upper)
    {
      gchar canonical[BFK_ADDRESS_STRING_SIZE];

      bfk_address_to_string_buf (&a, canonical);
      if (strcmp (canonical + 2, text + 2) != 0)
        {
          g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_INVALID_INPUT,
                       "Address %s has a wrong checksum: check it for a typing mistake", text);
          return FALSE;
        }
    }

  *out = a;
  return TRUE;
}

void
bfk_address_from_public_key (const guint8  public_key[64],
                             BfkAddress   *out)
{
  guint8 hash[BFK_KECCAK256_SIZE];

  bfk_keccak256 (public_key, 64, hash);
  memcpy (out->bytes, hash + 12, BFK_ADDRESS_SIZE);
}

gboolean
bfk_address_equal (const BfkAddress *a,
                   const BfkAddress *b)
{
  return memcmp (a->bytes, b->bytes, BFK_ADDRESS_SIZE) == 0;
}

gboolean
bfk_address_is_zero (const BfkAddress *address)
{
  static const BfkAddress zero;

  return bfk_address_equal (address, &zero);
}
