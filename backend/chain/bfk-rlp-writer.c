/* bfk-rlp-writer.c: the writing half of bfk-rlp.h. */
#include "bfk-rlp.h"

#include <string.h>

void
bfk_rlp_writer_init (BfkRlpWriter *w)
{
  w->buf = g_byte_array_sized_new (256);
  w->open_lists = g_array_new (FALSE, FALSE, sizeof (gsize));
}

void
bfk_rlp_writer_clear (BfkRlpWriter *w)
{
  g_clear_pointer (&w->buf, g_byte_array_unref);
  g_clear_pointer (&w->open_lists, g_array_unref);
}

void
bfk_rlp_writer_reset (BfkRlpWriter *w)
{
  g_byte_array_set_size (w->buf, 0);
  g_array_set_size (w->open_lists, 0);
}

/* Writes the header for a payload of len bytes into out; returns its size. */
static gsize
make_header (guint8  out[9],
             guint8  short_base,
             gsize   len)
{
  guint8 be[8];
  gsize n = 0;

  if (len <= 55)
    {
      out[0] = (guint8) (short_base + len);
      return 1;
    }
  for (gsize v = len; v > 0; v >>= 8)
    be[n++] = (guint8) (v & 0xff);
  out[0] = (guint8) (short_base + 55 + n);
  for (gsize i = 0; i < n; i++)
    out[1 + i] = be[n - 1 - i];
  return 1 + n;
}

void
bfk_rlp_write_bytes (BfkRlpWriter *w,
                     const guint8 *data,
                     gsize         len)
{
  guint8 header[9];

  /* A single byte below 0x80 is its own encoding. */
  if (len == 1 && data[0] < 0x80)
    {
      g_byte_array_append (w->buf, data, 1);
      return;
    }
  g_byte_array_append (w->buf, header, (guint) make_header (header, 0x80, len));
  if (len > 0)
    g_byte_array_append (w->buf, data, (guint) len);
}

void
bfk_rlp_write_u64 (BfkRlpWriter *w,
                   guint64       v)
{
  bfk_rlp_write_u256 (w, bfk_u256_from_u64 (v));
}

void
bfk_rlp_write_u256 (BfkRlpWriter *w,
                    BfkU256       v)
{
  guint8 be[32];
  gsize n = bfk_u256_to_minimal_be (v, be);

  bfk_rlp_write_bytes (w, be, n);
}

void
bfk_rlp_write_raw (BfkRlpWriter *w,
                   const guint8 *data,
                   gsize         len)
{
  g_byte_array_append (w->buf, data, (guint) len);
}

void
bfk_rlp_list_begin (BfkRlpWriter *w)
{
  gsize start = w->buf->len;

  g_array_append_val (w->open_lists, start);
}

void
bfk_rlp_list_end (BfkRlpWriter *w)
{
  guint8 header[9];
  gsize start, payload, hlen;

  g_return_if_fail (w->open_lists->len > 0);

  start = g_array_index (w->open_lists, gsize, w->open_lists->len - 1);
  g_array_set_size (w->open_lists, w->open_lists->len - 1);

  payload = w->buf->len - start;
  hlen = make_header (header, 0xc0, payload);
  g_byte_array_set_size (w->buf, (guint) (w->buf->len + hlen));
  memmove (w->buf->data + start + hlen, w->buf->data + start, payload);
  memcpy (w->buf->data + start, header, hlen);
}
