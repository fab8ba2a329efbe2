/* bfk-rlp-reader.c: the reading half of bfk-rlp.h.
 *
 * Transactions and receipts come from the node, so the reader is strict:
 * only the canonical encoding is accepted (one byte of data below 0x80 is its
 * own encoding, the long forms only for lengths over 55, lengths without
 * leading zeros), so that a value has exactly one encoding and the hash we
 * compute is the one the network computes.  Lengths are compared with what
 * is left, never added to a pointer first, so a huge length cannot wrap.
 */
#include "bfk-rlp.h"

#include "bfk-chain-error.h"

static gboolean
fail (GError     **error,
      const gchar *what)
{
  g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_DECODE,
               "Invalid RLP data: %s", what);
  return FALSE;
}

/* Reads one item at the start of [pos, end); *consumed is its whole size. */
static gboolean
read_item (const guint8  *pos,
           gsize          avail,
           BfkRlpItem    *out,
           gsize         *consumed,
           GError       **error)
{
  guint8 prefix;
  gsize header, payload;

  if (avail == 0)
    return fail (error, "truncated item");

  prefix = pos[0];
  if (prefix < 0x80)
    {
      out->data = pos;
      out->len = 1;
      out->is_list = FALSE;
      *consumed = 1;
      return TRUE;
    }

  out->is_list = prefix >= 0xc0;
  if ((prefix & 0x3f) <= 55)   /* 0x80..0xb7 and 0xc0..0xf7: short form */
    {
      header = 1;
      payload = prefix & 0x3f;
    }
  else
    {
      gsize n_len = (prefix & 0x3f) - 55;   /* 1..8 bytes of length */

      if (n_len >= avail)
        return fail (error, "truncated length");
      if (n_len > sizeof (gsize))
        return fail (error, "length too large");
      if (pos[1] == 0)
        return fail (error, "length with a leading zero");
      payload = 0;
      for (gsize i = 0; i < n_len; i++)
        payload = (payload << 8) | pos[1 + i];
      if (payload <= 55)
        return fail (error, "long form for a short length");
      header = 1 + n_len;
    }

  if (payload > avail - header)
    return fail (error, "truncated payload");

  if (!out->is_list && payload == 1 && pos[header] < 0x80)
    return fail (error, "single byte below 0x80 wrapped in a string header");

  out->data = pos + header;
  out->len = payload;
  *consumed = header + payload;
  return TRUE;
}

gboolean
bfk_rlp_decode (const guint8  *data,
                gsize          len,
                BfkRlpItem    *out,
                GError       **error)
{
  gsize consumed;

  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (!read_item (data, len, out, &consumed, error))
    return FALSE;
  if (consumed != len)
    return fail (error, "trailing bytes after the item");
  return TRUE;
}

void
bfk_rlp_iter_init (BfkRlpIter       *iter,
                   const BfkRlpItem *list)
{
  g_return_if_fail (iter != NULL);
  g_return_if_fail (list != NULL && list->is_list);

  iter->pos = list->data;
  iter->end = list->data + list->len;
}

gboolean
bfk_rlp_iter_next (BfkRlpIter  *iter,
                   BfkRlpItem  *out,
                   GError     **error)
{
  gsize consumed;

  g_return_val_if_fail (iter != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (iter->pos == NULL || iter->pos >= iter->end)
    return FALSE;
  if (!read_item (iter->pos, (gsize) (iter->end - iter->pos), out, &consumed, error))
    {
      /* Stop here, so that a caller that keeps calling does not loop. */
      iter->pos = iter->end;
      return FALSE;
    }
  iter->pos += consumed;
  return TRUE;
}

gboolean
bfk_rlp_item_to_u256 (const BfkRlpItem *item,
                      BfkU256          *out,
                      GError          **error)
{
  g_return_val_if_fail (item != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (item->is_list)
    return fail (error, "a list where an integer was expected");
  if (item->len > 32)
    return fail (error, "integer over 256 bits");
  if (item->len > 0 && item->data[0] == 0)
    return fail (error, "integer with a leading zero");
  *out = bfk_u256_from_be (item->data, item->len);
  return TRUE;
}
