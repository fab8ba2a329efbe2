/* test-rlp.c: the RLP reader against the examples of the RLP specification
 * (Ethereum wiki and yellow paper, appendix B), round trips through the
 * writer, and the rejection of non-canonical and truncated input. */
#include "bfk-chain-error.h"
#include "bfk-hex.h"
#include "bfk-rlp.h"
#include "../lib/bfk-test-values.h"

#include <string.h>

static void
decode_ok (GBytes     *data,
           BfkRlpItem *item)
{
  g_autoptr(GError) error = NULL;
  gsize len;
  const guint8 *p = g_bytes_get_data (data, &len);

  g_assert_true (bfk_rlp_decode (p, len, item, &error));
  g_assert_no_error (error);
}

static void
assert_string_item (const BfkRlpItem *item,
                    const gchar      *expected)
{
  g_assert_false (item->is_list);
  g_assert_cmpmem (item->data, item->len, expected, strlen (expected));
}

static void
assert_rejected (const gchar *text)
{
  g_autoptr(GBytes) data = bfk_test_hex (text);
  g_autoptr(GError) error = NULL;
  BfkRlpItem item;
  gsize len;
  const guint8 *p = g_bytes_get_data (data, &len);

  g_assert_false (bfk_rlp_decode (p, len, &item, &error));
  g_assert_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_DECODE);
}

/* The string "dog" = [ 0x83, 'd', 'o', 'g' ] */
static void
test_dog (void)
{
  g_autoptr(GBytes) data = bfk_test_hex ("0x83646f67");
  BfkRlpItem item;

  decode_ok (data, &item);
  assert_string_item (&item, "dog");
}

/* The list [ "cat", "dog" ] = [ 0xc8, 0x83, 'c', 'a', 't', 0x83, 'd', 'o', 'g' ] */
static void
test_cat_dog (void)
{
  g_autoptr(GBytes) data = bfk_test_hex ("0xc88363617483646f67");
  g_autoptr(GError) error = NULL;
  BfkRlpItem item, child;
  BfkRlpIter iter;

  decode_ok (data, &item);
  g_assert_true (item.is_list);
  bfk_rlp_iter_init (&iter, &item);
  g_assert_true (bfk_rlp_iter_next (&iter, &child, &error));
  assert_string_item (&child, "cat");
  g_assert_true (bfk_rlp_iter_next (&iter, &child, &error));
  assert_string_item (&child, "dog");
  g_assert_false (bfk_rlp_iter_next (&iter, &child, &error));
  g_assert_no_error (error);
}

/* The empty string = [ 0x80 ]; the empty list = [ 0xc0 ] */
static void
test_empty (void)
{
  g_autoptr(GBytes) s = bfk_test_hex ("0x80");
  g_autoptr(GBytes) l = bfk_test_hex ("0xc0");
  g_autoptr(GError) error = NULL;
  BfkRlpItem item, child;
  BfkRlpIter iter;

  decode_ok (s, &item);
  g_assert_false (item.is_list);
  g_assert_cmpuint (item.len, ==, 0);

  decode_ok (l, &item);
  g_assert_true (item.is_list);
  g_assert_cmpuint (item.len, ==, 0);
  bfk_rlp_iter_init (&iter, &item);
  g_assert_false (bfk_rlp_iter_next (&iter, &child, &error));
  g_assert_no_error (error);
}

static void
assert_integer (const gchar *text,
                guint64      expected)
{
  g_autoptr(GBytes) data = bfk_test_hex (text);
  g_autoptr(GError) error = NULL;
  BfkRlpItem item;
  BfkU256 v;

  decode_ok (data, &item);
  g_assert_true (bfk_rlp_item_to_u256 (&item, &v, &error));
  g_assert_no_error (error);
  g_assert_true (bfk_u256_fits_u64 (v));
  g_assert_cmpuint (bfk_u256_to_u64 (v), ==, expected);
}

/* The integer 0 = [ 0x80 ]; 15 = [ 0x0f ]; 1024 = [ 0x82, 0x04, 0x00 ].
 * The encoded integer 0 ('\x00') = [ 0x00 ] is a string, not a canonical
 * integer. */
static void
test_integers (void)
{
  g_autoptr(GBytes) zero_byte = bfk_test_hex ("0x00");
  g_autoptr(GError) error = NULL;
  BfkRlpItem item;
  BfkU256 v;

  assert_integer ("0x80", 0);
  assert_integer ("0x0f", 15);
  assert_integer ("0x820400", 1024);

  decode_ok (zero_byte, &item);
  g_assert_cmpuint (item.len, ==, 1);
  g_assert_cmpuint (item.data[0], ==, 0);
  g_assert_false (bfk_rlp_item_to_u256 (&item, &v, &error));
  g_assert_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_DECODE);
}

/* Counts the items of a list, checking that each is a list. */
static guint
count_lists (const BfkRlpItem *list)
{
  g_autoptr(GError) error = NULL;
  BfkRlpIter iter;
  BfkRlpItem child;
  guint n = 0;

  bfk_rlp_iter_init (&iter, list);
  while (bfk_rlp_iter_next (&iter, &child, &error))
    {
      g_assert_true (child.is_list);
      n++;
    }
  g_assert_no_error (error);
  return n;
}

/* The set-theoretic representation of three,
 * [ [], [[]], [ [], [[]] ] ] = [ 0xc7, 0xc0, 0xc1, 0xc0, 0xc3, 0xc0, 0xc1, 0xc0 ] */
static void
test_set_theoretic (void)
{
  g_autoptr(GBytes) data = bfk_test_hex ("0xc7c0c1c0c3c0c1c0");
  g_autoptr(GError) error = NULL;
  BfkRlpItem item, a, b, c, c1;
  BfkRlpIter iter, iter_c;

  decode_ok (data, &item);
  g_assert_cmpuint (count_lists (&item), ==, 3);

  bfk_rlp_iter_init (&iter, &item);
  g_assert_true (bfk_rlp_iter_next (&iter, &a, &error));
  g_assert_true (bfk_rlp_iter_next (&iter, &b, &error));
  g_assert_true (bfk_rlp_iter_next (&iter, &c, &error));
  g_assert_cmpuint (count_lists (&a), ==, 0);
  g_assert_cmpuint (count_lists (&b), ==, 1);
  g_assert_cmpuint (count_lists (&c), ==, 2);

  bfk_rlp_iter_init (&iter_c, &c);
  g_assert_true (bfk_rlp_iter_next (&iter_c, &c1, &error));
  g_assert_cmpuint (count_lists (&c1), ==, 0);
  g_assert_true (bfk_rlp_iter_next (&iter_c, &c1, &error));
  g_assert_cmpuint (count_lists (&c1), ==, 1);
  g_assert_no_error (error);
}

/* The string "Lorem ipsum dolor sit amet, consectetur adipisicing elit"
 * (56 bytes) = [ 0xb8, 0x38, 'L', 'o', 'r', 'e', 'm', ' ', ... , 'e', 'l', 'i', 't' ] */
static void
test_lorem (void)
{
  const gchar *lorem = "Lorem ipsum dolor sit amet, consectetur adipisicing elit";
  g_autoptr(GByteArray) enc = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  BfkRlpItem item;

  g_assert_cmpuint (strlen (lorem), ==, 56);
  g_byte_array_append (enc, (const guint8 *) "\xb8\x38", 2);
  g_byte_array_append (enc, (const guint8 *) lorem, 56);

  g_assert_true (bfk_rlp_decode (enc->data, enc->len, &item, &error));
  g_assert_no_error (error);
  assert_string_item (&item, lorem);
}

/* What the writer writes, the reader reads back, across the 55/56 boundary
 * and with long lists. */
static void
test_round_trip (void)
{
  BfkRlpWriter w;
  g_autoptr(GError) error = NULL;
  guint8 payload[1100];
  const gsize sizes[] = { 0, 1, 2, 55, 56, 255, 256, 1024, 1100 };
  BfkU256 big = { { 0x1122334455667788ULL, 0x99aabbccddeeff00ULL, 0, 0x0102030405060708ULL } };
  BfkRlpItem item, child;
  BfkRlpIter iter;
  BfkU256 v;

  for (gsize i = 0; i < sizeof payload; i++)
    payload[i] = (guint8) (i * 13 + 0x81);

  bfk_rlp_writer_init (&w);
  bfk_rlp_list_begin (&w);
  for (gsize i = 0; i < G_N_ELEMENTS (sizes); i++)
    bfk_rlp_write_bytes (&w, payload, sizes[i]);
  bfk_rlp_write_u64 (&w, 0);
  bfk_rlp_write_u64 (&w, 127);
  bfk_rlp_write_u64 (&w, 128);
  bfk_rlp_write_u64 (&w, G_MAXUINT64);
  bfk_rlp_write_u256 (&w, big);
  bfk_rlp_list_begin (&w);
  bfk_rlp_list_end (&w);
  bfk_rlp_list_end (&w);

  g_assert_true (bfk_rlp_decode (w.buf->data, w.buf->len, &item, &error));
  g_assert_no_error (error);
  g_assert_true (item.is_list);
  bfk_rlp_iter_init (&iter, &item);
  for (gsize i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_assert_true (bfk_rlp_iter_next (&iter, &child, &error));
      g_assert_false (child.is_list);
      g_assert_cmpmem (child.data, child.len, payload, sizes[i]);
    }
  {
    const guint64 ints[] = { 0, 127, 128, G_MAXUINT64 };

    for (gsize i = 0; i < G_N_ELEMENTS (ints); i++)
      {
        g_assert_true (bfk_rlp_iter_next (&iter, &child, &error));
        g_assert_true (bfk_rlp_item_to_u256 (&child, &v, &error));
        g_assert_cmpuint (bfk_u256_to_u64 (v), ==, ints[i]);
      }
  }
  g_assert_true (bfk_rlp_iter_next (&iter, &child, &error));
  g_assert_true (bfk_rlp_item_to_u256 (&child, &v, &error));
  g_assert_cmpint (bfk_u256_cmp (v, big), ==, 0);
  g_assert_true (bfk_rlp_iter_next (&iter, &child, &error));
  g_assert_true (child.is_list);
  g_assert_cmpuint (child.len, ==, 0);
  g_assert_false (bfk_rlp_iter_next (&iter, &child, &error));
  g_assert_no_error (error);

  bfk_rlp_writer_clear (&w);
}

static void
test_non_canonical (void)
{
  /* A single byte below 0x80 wrapped as a one-byte string. */
  assert_rejected ("0x8100");
  assert_rejected ("0x817f");
  /* The long form for a length that fits the short one. */
  assert_rejected ("0xb80161");
  assert_rejected ("0xb837" "61616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161");
  assert_rejected ("0xf800");
  /* A length with a leading zero. */
  assert_rejected ("0xb90038" "4c6f72656d20697073756d20646f6c6f722073697420616d65742c20636f6e7365637465747572206164697069736963696e6720656c6974");
  /* Trailing bytes after the item. */
  assert_rejected ("0x83646f6700");
  assert_rejected ("0xc000");
}

static void
test_truncated (void)
{
  /* Empty input. */
  assert_rejected ("0x");
  /* A payload shorter than its header says. */
  assert_rejected ("0x83646f");
  assert_rejected ("0xc88363617483646f");
  /* A long-form header cut inside its length. */
  assert_rejected ("0xb9");
  assert_rejected ("0xb901");
  /* Lengths that would wrap a pointer or a gsize. */
  assert_rejected ("0xbfffffffffffffffff00");
  assert_rejected ("0xffffffffffffffffff00");
  assert_rejected ("0xbf7fffffffffffffff00");
}

/* A list whose header is right but whose items are not: decode accepts the
 * outer item, and the iterator reports the bad one as an error and stops. */
static void
test_bad_inner_item (void)
{
  /* 0xc3 holds three bytes, but its item 0x83 "do" wants three of its own. */
  g_autoptr(GBytes) data = bfk_test_hex ("0xc383646f");
  g_autoptr(GBytes) bad = bfk_test_hex ("0xc38203");
  g_autoptr(GError) error = NULL;
  BfkRlpItem item, child;
  BfkRlpIter iter;
  gsize len;
  const guint8 *p;

  decode_ok (data, &item);
  bfk_rlp_iter_init (&iter, &item);
  g_assert_false (bfk_rlp_iter_next (&iter, &child, &error));
  g_assert_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_DECODE);
  g_clear_error (&error);

  /* 0xc3 announces three bytes; only two follow. */
  p = g_bytes_get_data (bad, &len);
  g_assert_false (bfk_rlp_decode (p, len, &item, &error));
  g_assert_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_DECODE);
  g_clear_error (&error);

  /* A well-formed list of one malformed item: 0x81 0x05 is non-canonical. */
  {
    g_autoptr(GBytes) inner = bfk_test_hex ("0xc28105");

    decode_ok (inner, &item);
    bfk_rlp_iter_init (&iter, &item);
    g_assert_false (bfk_rlp_iter_next (&iter, &child, &error));
    g_assert_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_DECODE);
    g_clear_error (&error);
    g_assert_false (bfk_rlp_iter_next (&iter, &child, &error));
    g_assert_no_error (error);
  }
}

static void
test_integer_rules (void)
{
  g_autoptr(GError) error = NULL;
  guint8 buf[40];
  BfkRlpItem item;
  BfkU256 v;

  /* A leading zero. */
  item.data = (const guint8 *) "\x00\x01";
  item.len = 2;
  item.is_list = FALSE;
  g_assert_false (bfk_rlp_item_to_u256 (&item, &v, &error));
  g_assert_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_DECODE);
  g_clear_error (&error);

  /* 33 bytes. */
  memset (buf, 0xff, sizeof buf);
  item.data = buf;
  item.len = 33;
  g_assert_false (bfk_rlp_item_to_u256 (&item, &v, &error));
  g_assert_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_DECODE);
  g_clear_error (&error);

  /* 32 bytes of 0xff is the largest uint256. */
  item.len = 32;
  g_assert_true (bfk_rlp_item_to_u256 (&item, &v, &error));
  g_assert_cmpuint (v.limb[0], ==, G_MAXUINT64);
  g_assert_cmpuint (v.limb[3], ==, G_MAXUINT64);

  /* A list is not an integer. */
  item.is_list = TRUE;
  item.len = 0;
  g_assert_false (bfk_rlp_item_to_u256 (&item, &v, &error));
  g_assert_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_DECODE);
}

/* Every prefix of a valid encoding is rejected, and no input of a few bytes
 * makes the reader read out of bounds (valgrind/ASan watch this one). */
static void
test_all_prefixes (void)
{
  g_autoptr(GBytes) data = bfk_test_hex ("0xf84a8363617483646f67b8384c6f72656d20697073756d20646f6c6f722073697420616d65742c20636f6e7365637465747572206164697069736963696e6720656c6974c7c0c1c0c3c0c1c0");
  gsize len;
  const guint8 *p = g_bytes_get_data (data, &len);
  BfkRlpItem item;

  g_assert_true (bfk_rlp_decode (p, len, &item, NULL));
  for (gsize n = 0; n < len; n++)
    {
      /* A copy of exactly n bytes, so that a read past it is caught. */
      g_autofree guint8 *copy = g_memdup2 (p, n);

      g_assert_false (bfk_rlp_decode (copy, n, &item, NULL));
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rlp/spec/dog", test_dog);
  g_test_add_func ("/rlp/spec/cat-dog", test_cat_dog);
  g_test_add_func ("/rlp/spec/empty", test_empty);
  g_test_add_func ("/rlp/spec/integers", test_integers);
  g_test_add_func ("/rlp/spec/set-theoretic", test_set_theoretic);
  g_test_add_func ("/rlp/spec/lorem", test_lorem);
  g_test_add_func ("/rlp/round-trip", test_round_trip);
  g_test_add_func ("/rlp/reject/non-canonical", test_non_canonical);
  g_test_add_func ("/rlp/reject/truncated", test_truncated);
  g_test_add_func ("/rlp/reject/bad-inner-item", test_bad_inner_item);
  g_test_add_func ("/rlp/integer-rules", test_integer_rules);
  g_test_add_func ("/rlp/all-prefixes", test_all_prefixes);
  return g_test_run ();
}
