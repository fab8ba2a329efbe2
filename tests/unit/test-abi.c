/* test-abi.c: the ABI codec against the examples of the Solidity ABI
 * specification ("Examples" and "Use of Dynamic Types"), its JSON examples,
 * the revert data of the Solidity documentation, and malformed input. */
#include "bfk-abi.h"
#include "bfk-chain-error.h"
#include "bfk-hex.h"
#include "bfk-keccak.h"
#include "../lib/bfk-test-values.h"

#include <string.h>

#define ZERO31 "00000000000000000000000000000000000000000000000000000000000000"
/* A word holding one small number, as the specification writes them. */
#define W(two_digits) ZERO31 two_digits

static BfkAbiType *
type (const gchar *text)
{
  g_autoptr(GError) error = NULL;
  BfkAbiType *t = bfk_abi_type_parse (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (t);
  return t;
}

/* Encodes the call, compares it with the specification's bytes, then
 * decodes the arguments back and compares them with what went in. */
static void
assert_call (const gchar *signature,
             BfkAbiValue *args_owned,
             const gchar *expected_hex)
{
  g_autoptr(BfkAbiValue) args = args_owned;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) call = NULL;
  g_autoptr(BfkAbiType) args_type = NULL;
  g_autoptr(BfkAbiValue) back = NULL;
  g_autofree gchar *call_hex = NULL;
  const guint8 *data;
  gsize len;

  call = bfk_abi_encode_call (signature, args, &error);
  g_assert_no_error (error);
  data = g_bytes_get_data (call, &len);
  call_hex = bfk_hex_encode (data, len);
  g_assert_cmpstr (call_hex, ==, expected_hex);

  g_assert_true (bfk_abi_parse_signature (signature, NULL, &args_type, &error));
  g_assert_no_error (error);
  back = bfk_abi_decode (args_type, data + 4, len - 4, &error);
  g_assert_no_error (error);
  g_assert_true (bfk_abi_value_equal (back, args));
}

/* --- the examples of the specification --- */

static void
test_spec_baz (void)
{
  guint8 sel[4];

  bfk_abi_selector ("baz(uint32,bool)", sel);
  g_assert_cmpmem (sel, 4, "\xcd\xcd\x77\xc0", 4);

  assert_call ("baz(uint32,bool)",
               bfk_abi_value_new_tuple_of (bfk_abi_value_new_uint64 (69),
                                           bfk_abi_value_new_bool (TRUE), NULL),
               "0xcdcd77c0"
               W ("45")
               W ("01"));
}

/* "It returns a single bool.  If, for example, it were to return false, its
 * output would be the single byte array 0x00...00". */
static void
test_spec_baz_output (void)
{
  g_autoptr(BfkAbiType) t = type ("(bool)");
  g_autoptr(GBytes) out = bfk_test_hex ("0x" W ("00"));
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkAbiValue) v = NULL;

  v = bfk_abi_decode (t, g_bytes_get_data (out, NULL), g_bytes_get_size (out), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bfk_abi_value_n_children (v), ==, 1);
  g_assert_false (bfk_abi_value_get_bool (bfk_abi_value_get_child (v, 0)));
}

static void
test_spec_bar (void)
{
  assert_call ("bar(bytes3[2])",
               bfk_abi_value_new_tuple_of (
                 bfk_abi_value_new_array_of (
                   bfk_abi_value_new_fixed_bytes ((const guint8 *) "abc", 3),
                   bfk_abi_value_new_fixed_bytes ((const guint8 *) "def", 3), NULL),
                 NULL),
               "0xfce353f6"
               "6162630000000000000000000000000000000000000000000000000000000000"
               "6465660000000000000000000000000000000000000000000000000000000000");
}

static void
test_spec_sam (void)
{
  assert_call ("sam(bytes,bool,uint256[])",
               bfk_abi_value_new_tuple_of (
                 bfk_abi_value_new_bytes ((const guint8 *) "dave", 4),
                 bfk_abi_value_new_bool (TRUE),
                 bfk_abi_value_new_array_of (bfk_abi_value_new_uint64 (1),
                                             bfk_abi_value_new_uint64 (2),
                                             bfk_abi_value_new_uint64 (3), NULL),
                 NULL),
               "0xa5643bf2"
               W ("60")
               W ("01")
               W ("a0")
               W ("04")
               "6461766500000000000000000000000000000000000000000000000000000000"
               W ("03")
               W ("01")
               W ("02")
               W ("03"));
}

static BfkAbiValue *
f_args (void)
{
  return bfk_abi_value_new_tuple_of (
    bfk_abi_value_new_uint64 (0x123),
    bfk_abi_value_new_array_of (bfk_abi_value_new_uint64 (0x456),
                                bfk_abi_value_new_uint64 (0x789), NULL),
    bfk_abi_value_new_fixed_bytes ((const guint8 *) "1234567890", 10),
    bfk_abi_value_new_bytes ((const guint8 *) "Hello, world!", 13),
    NULL);
}

#define F_ENCODING \
  "0x8be65246" \
  "0000000000000000000000000000000000000000000000000000000000000123" \
  "0000000000000000000000000000000000000000000000000000000000000080" \
  "3132333435363738393000000000000000000000000000000000000000000000" \
  "00000000000000000000000000000000000000000000000000000000000000e0" \
  "0000000000000000000000000000000000000000000000000000000000000002" \
  "0000000000000000000000000000000000000000000000000000000000000456" \
  "0000000000000000000000000000000000000000000000000000000000000789" \
  "000000000000000000000000000000000000000000000000000000000000000d" \
  "48656c6c6f2c20776f726c642100000000000000000000000000000000000000"

static void
test_spec_f (void)
{
  assert_call ("f(uint256,uint32[],bytes10,bytes)", f_args (), F_ENCODING);
  /* The specification writes the signature with "uint" and hashes its
   * canonical form. */
  assert_call ("f(uint,uint32[],bytes10,bytes)", f_args (), F_ENCODING);
}

static BfkAbiValue *
g_args (void)
{
  return bfk_abi_value_new_tuple_of (
    bfk_abi_value_new_array_of (
      bfk_abi_value_new_array_of (bfk_abi_value_new_uint64 (1),
                                  bfk_abi_value_new_uint64 (2), NULL),
      bfk_abi_value_new_array_of (bfk_abi_value_new_uint64 (3), NULL),
      NULL),
    bfk_abi_value_new_array_of (bfk_abi_value_new_string ("one"),
                                bfk_abi_value_new_string ("two"),
                                bfk_abi_value_new_string ("three"), NULL),
    NULL);
}

#define G_ENCODING \
  "0x2289b18c" \
  W ("40")  /*  0 - f: offset of [[1, 2], [3]] */ \
  "0000000000000000000000000000000000000000000000000000000000000140" /* 1 - g */ \
  W ("02")  /*  2 - count for [[1, 2], [3]] */ \
  W ("40")  /*  3 - offset of [1, 2] */ \
  W ("a0")  /*  4 - offset of [3] */ \
  W ("02")  /*  5 - count for [1, 2] */ \
  W ("01")  /*  6 - encoding of 1 */ \
  W ("02")  /*  7 - encoding of 2 */ \
  W ("01")  /*  8 - count for [3] */ \
  W ("03")  /*  9 - encoding of 3 */ \
  W ("03")  /* 10 - count for ["one", "two", "three"] */ \
  W ("60")  /* 11 - offset for "one" */ \
  W ("a0")  /* 12 - offset for "two" */ \
  W ("e0")  /* 13 - offset for "three" */ \
  W ("03")  /* 14 - count for "one" */ \
  "6f6e650000000000000000000000000000000000000000000000000000000000" \
  W ("03")  /* 16 - count for "two" */ \
  "74776f0000000000000000000000000000000000000000000000000000000000" \
  W ("05")  /* 18 - count for "three" */ \
  "7468726565000000000000000000000000000000000000000000000000000000"

static void
test_spec_g (void)
{
  assert_call ("g(uint256[][],string[])", g_args (), G_ENCODING);
}

/* --- types --- */

static void
test_types (void)
{
  const struct { const gchar *in, *canonical; } ok[] = {
    { "uint256", "uint256" },
    { "uint", "uint256" },
    { "int", "int256" },
    { "int8", "int8" },
    { "byte", "bytes1" },
    { "bytes32", "bytes32" },
    { "bytes", "bytes" },
    { "string[]", "string[]" },
    { "address[3][]", "address[3][]" },
    { "(uint256,(bool,string)[2])[]", "(uint256,(bool,string)[2])[]" },
    { "()", "()" },
  };
  const gchar *bad[] = {
    "", "uint7", "uint264", "uint0", "uint08", "int9", "bytes0", "bytes33",
    "uint256[0]", "uint256[", "uint256[01]", "uint256]", "(", "(uint256,)",
    "(uint256", "()[]", "(()) ", "((),uint256)", "foo", "uint256 ", " uint256",
    "Uint256", "function", "fixed128x18", "uint256[99999999999999999999]",
    "uint256[1000000000][1000000000]",
  };
  g_autoptr(BfkAbiType) t = NULL;
  g_autoptr(GString) deep = g_string_new (NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (ok); i++)
    {
      g_autoptr(BfkAbiType) p = type (ok[i].in);
      g_autofree gchar *s = bfk_abi_type_to_string (p);

      g_assert_cmpstr (s, ==, ok[i].canonical);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BfkAbiType) p = bfk_abi_type_parse (bad[i], &error);

      if (p != NULL)
        g_error ("“%s” parsed", bad[i]);
      g_assert_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_INVALID_INPUT);
    }

  /* Too deep to be a real type: refused, not a stack overflow. */
  for (guint i = 0; i < 200; i++)
    g_string_append_c (deep, '(');
  g_string_append (deep, "uint8");
  for (guint i = 0; i < 200; i++)
    g_string_append_c (deep, ')');
  g_assert_null (bfk_abi_type_parse (deep->str, NULL));

  t = type ("(uint256,bytes3[2],string,uint8[][2])");
  g_assert_cmpint (bfk_abi_type_get_kind (t), ==, BFK_ABI_TYPE_TUPLE);
  g_assert_true (bfk_abi_type_is_dynamic (t));
  g_assert_cmpuint (bfk_abi_type_get_n_components (t), ==, 4);
  g_assert_false (bfk_abi_type_is_dynamic (bfk_abi_type_get_component (t, 1)));
  g_assert_cmpuint (bfk_abi_type_get_length (bfk_abi_type_get_component (t, 1)), ==, 2);
  g_assert_cmpuint (bfk_abi_type_get_size (bfk_abi_type_get_element (bfk_abi_type_get_component (t, 1))), ==, 3);
  g_assert_true (bfk_abi_type_is_dynamic (bfk_abi_type_get_component (t, 3)));
}

/* int<M>: two's complement, padded with 0xff for negative values; values
 * out of a type's range are refused rather than truncated. */
static void
test_integers (void)
{
  g_autoptr(BfkAbiType) t = type ("(int16,uint8,int256)");
  g_autoptr(BfkAbiValue) v = NULL;
  g_autoptr(BfkAbiValue) back = NULL;
  g_autoptr(GBytes) enc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree gchar *enc_hex = NULL;
  g_autofree gchar *text = NULL;

  v = bfk_abi_value_new_tuple_of (bfk_abi_value_new_int64 (-1),
                                  bfk_abi_value_new_uint64 (255),
                                  bfk_abi_value_new_int64 (G_MININT64), NULL);
  enc = bfk_abi_encode (t, v, &error);
  g_assert_no_error (error);
  enc_hex = bfk_hex_encode (g_bytes_get_data (enc, NULL), g_bytes_get_size (enc));
  g_assert_cmpstr (enc_hex, ==,
                   "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
                   W ("ff")
                   "ffffffffffffffffffffffffffffffffffffffffffffffff8000000000000000");
  back = bfk_abi_decode (t, g_bytes_get_data (enc, NULL), g_bytes_get_size (enc), &error);
  g_assert_no_error (error);
  g_assert_true (bfk_abi_value_equal (back, v));
  g_assert_cmpint (bfk_abi_value_get_int64 (bfk_abi_value_get_child (back, 0)), ==, -1);
  g_assert_cmpint (bfk_abi_value_get_int64 (bfk_abi_value_get_child (back, 2)), ==, G_MININT64);
  text = bfk_abi_value_to_string (back);
  g_assert_cmpstr (text, ==, "(-1, 255, -9223372036854775808)");

  {
    const struct { const gchar *type; BfkAbiValue *value; } refused[] = {
      { "uint8", bfk_abi_value_new_uint64 (256) },
      { "int8", bfk_abi_value_new_int64 (128) },
      { "int8", bfk_abi_value_new_int64 (-129) },
      { "int8", bfk_abi_value_new_uint64 (128) },
      { "uint256", bfk_abi_value_new_int64 (-1) },
      { "uint256", bfk_abi_value_new_bool (TRUE) },
      { "bytes3", bfk_abi_value_new_fixed_bytes ((const guint8 *) "abcd", 4) },
      { "uint8[2]", bfk_abi_value_new_array_of (bfk_abi_value_new_uint64 (1), NULL) },
      { "(uint8,bool)", bfk_abi_value_new_tuple_of (bfk_abi_value_new_uint64 (1), NULL) },
    };

    for (gsize i = 0; i < G_N_ELEMENTS (refused); i++)
      {
        g_autoptr(BfkAbiType) rt = type (refused[i].type);
        g_autoptr(BfkAbiValue) rv = refused[i].value;
        g_autoptr(GBytes) r = bfk_abi_encode (rt, rv, &error);

        g_assert_null (r);
        g_assert_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_INVALID_INPUT);
        g_clear_error (&error);
      }
  }
  {
    g_autoptr(BfkAbiType) i8 = type ("int8");
    g_autoptr(BfkAbiValue) m128 = bfk_abi_value_new_int64 (-128);
    g_autoptr(GBytes) r = bfk_abi_encode (i8, m128, &error);

    g_assert_no_error (error);
    g_assert_nonnull (r);
  }
}

static void
test_value_to_string (void)
{
  BfkAddress a;
  g_autoptr(BfkAbiValue) v = NULL;
  g_autofree gchar *s = NULL;

  g_assert_true (bfk_address_parse ("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", &a, NULL));
  v = bfk_abi_value_new_tuple_of (
    bfk_abi_value_new_uint64 (1000),
    bfk_abi_value_new_address (&a),
    bfk_abi_value_new_bool (FALSE),
    bfk_abi_value_new_string ("Fondjomenkwet \"Fonjoka\"\n"),
    bfk_abi_value_new_bytes ((const guint8 *) "\x01\xab", 2),
    bfk_abi_value_new_array_of (bfk_abi_value_new_uint64 (1),
                                bfk_abi_value_new_uint64 (2), NULL),
    bfk_abi_value_new_array (NULL, 0),
    NULL);
  s = bfk_abi_value_to_string (v);
  g_assert_cmpstr (s, ==,
                   "(1000, 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed, false, "
                   "\"Fondjomenkwet \\\"Fonjoka\\\"\\n\", 0x01ab, [1, 2], [])");
  g_assert_cmpuint (bfk_abi_value_get_uint64 (bfk_abi_value_get_child (v, 0)), ==, 1000);
  g_assert_true (bfk_address_equal (bfk_abi_value_get_address (bfk_abi_value_get_child (v, 1)), &a));
  g_assert_cmpstr (bfk_abi_value_get_string (bfk_abi_value_get_child (v, 3)), ==,
                   "Fondjomenkwet \"Fonjoka\"\n");
}

/* --- malformed input --- */

static void
assert_decode_fails (const gchar *type_text,
                     const gchar *data_hex)
{
  g_autoptr(BfkAbiType) t = type (type_text);
  g_autoptr(GBytes) data = bfk_test_hex (data_hex);
  g_autoptr(GError) error = NULL;
  gsize len;
  /* A copy of the exact size, so that a read past it is caught. */
  g_autofree guint8 *copy = g_memdup2 (g_bytes_get_data (data, NULL), g_bytes_get_size (data));
  g_autoptr(BfkAbiValue) v = NULL;

  len = g_bytes_get_size (data);
  v = bfk_abi_decode (t, copy, len, &error);
  if (v != NULL)
    g_error ("%s decoded from %s", type_text, data_hex);
  g_assert_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_DECODE);
}

#define FF32 "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"

static void
test_malformed (void)
{
  /* Too short for a static head. */
  assert_decode_fails ("(uint32,bool)", "0x" W ("45"));
  assert_decode_fails ("(uint256)", "0x");
  /* Offset past the end. */
  assert_decode_fails ("(bytes)", "0x" "0000000000000000000000000000000000000000000000000000000000001000" W ("00"));
  assert_decode_fails ("(bytes)", "0x" FF32);
  assert_decode_fails ("(uint256[])", "0x" "0000000000000000000000000000000000000000000000000000000000000040");
  /* Huge lengths: bytes, and an array count no data could hold. */
  assert_decode_fails ("(bytes)", "0x" W ("20") FF32);
  assert_decode_fails ("(string)", "0x" W ("20") "000000000000000000000000000000000000000000000000000000000000ffff" "41");
  assert_decode_fails ("(uint256[])", "0x" W ("20") FF32);
  assert_decode_fails ("(uint256[])", "0x" W ("20") "0000000000000000000000000000000000000000000000000000010000000000" W ("01"));
  assert_decode_fails ("(string[])", "0x" W ("20") "0000000000000000000000000000000000000000000000000000000100000000");
  /* Values out of their type's range. */
  assert_decode_fails ("(uint32)", "0x" "0000000000000000000000000000000000000000000000000000000100000000");
  assert_decode_fails ("(int8)", "0x" "0000000000000000000000000000000000000000000000000000000000000080");
  assert_decode_fails ("(int8)", "0x" "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
  assert_decode_fails ("(bool)", "0x" W ("02"));
  assert_decode_fails ("(address)", "0x" "0000000000000000000000010000000000000000000000000000000000000000");
  assert_decode_fails ("(bytes3)", "0x" "6162636400000000000000000000000000000000000000000000000000000000");
}

/* Every prefix of the specification's g() arguments fails, except those
 * that cut only the zero padding after "three": the padding is not
 * required, but every byte of the value is. */
static void
test_truncations (void)
{
  g_autoptr(GBytes) call = bfk_test_hex (G_ENCODING);
  g_autoptr(BfkAbiType) t = type ("(uint256[][],string[])");
  const guint8 *args = (const guint8 *) g_bytes_get_data (call, NULL) + 4;
  gsize len = g_bytes_get_size (call) - 4;

  for (gsize n = 0; n <= len; n++)
    {
      g_autofree guint8 *copy = g_memdup2 (args, n);
      g_autoptr(GError) error = NULL;
      g_autoptr(BfkAbiValue) v = bfk_abi_decode (t, copy, n, &error);

      if (n < len - 27)
        {
          g_assert_null (v);
          g_assert_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_DECODE);
        }
      else
        {
          g_autoptr(BfkAbiValue) expected = g_args ();

          g_assert_no_error (error);
          g_assert_true (bfk_abi_value_equal (v, expected));
        }
    }
}

/* Offsets may point many heads at one tail; a small input must not decode
 * into a huge tree.  Here 100 offsets point at one array of 100 numbers. */
static void
test_shared_tails (void)
{
  g_autoptr(BfkAbiType) t = type ("(uint256[][])");
  g_autoptr(GByteArray) data = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkAbiValue) v = NULL;
  guint8 w[32] = { 0 };
  const guint n = 100;
  /* Outer array: its count at 0x20, its offsets from 0x40; the shared
   * inner array after them, at offset 32 * n from the offsets' start. */
  gsize inner = 32 * n;

#define PUT(value) G_STMT_START { \
    memset (w, 0, 32); \
    w[28] = (guint8) ((value) >> 24); w[29] = (guint8) ((value) >> 16); \
    w[30] = (guint8) ((value) >> 8); w[31] = (guint8) (value); \
    g_byte_array_append (data, w, 32); } G_STMT_END

  PUT (0x20);
  PUT (n);
  for (guint i = 0; i < n; i++)
    PUT (inner);
  PUT (n);
  for (guint i = 0; i < n; i++)
    PUT (i);
#undef PUT

  v = bfk_abi_decode (t, data->data, data->len, &error);
  g_assert_null (v);
  g_assert_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_DECODE);
}

/* --- a contract's ABI --- */

/* The JSON example of the specification ("JSON" section). */
static const gchar spec_json[] =
  "[{"
  "\"type\":\"event\","
  "\"inputs\": [{\"name\":\"a\",\"type\":\"uint256\",\"indexed\":true},{\"name\":\"b\",\"type\":\"bytes32\",\"indexed\":false}],"
  "\"name\":\"Event\""
  "}, {"
  "\"type\":\"event\","
  "\"inputs\": [{\"name\":\"a\",\"type\":\"uint256\",\"indexed\":true},{\"name\":\"b\",\"type\":\"bytes32\",\"indexed\":false}],"
  "\"name\":\"Event2\""
  "}, {"
  "\"type\":\"function\","
  "\"inputs\": [{\"name\":\"a\",\"type\":\"uint256\"}],"
  "\"name\":\"foo\","
  "\"outputs\": []"
  "}]";

static void
test_json_spec (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkAbi) abi = bfk_abi_new_from_data (spec_json, -1, &error);
  const BfkAbiFunction *foo;
  const BfkAbiEvent *ev, *ev2;
  guint8 topic[32];
  guint n;

  g_assert_no_error (error);
  foo = bfk_abi_get_function (abi, "foo");
  g_assert_nonnull (foo);
  g_assert_cmpstr (foo->signature, ==, "foo(uint256)");
  g_assert_cmpuint (foo->n_inputs, ==, 1);
  g_assert_cmpstr (foo->inputs[0].name, ==, "a");
  g_assert_cmpuint (foo->n_outputs, ==, 0);
  g_assert_cmpstr (foo->state_mutability, ==, "nonpayable");
  g_assert_true (bfk_abi_get_function_by_selector (abi, foo->selector) == foo);
  g_assert_null (bfk_abi_get_function (abi, "bar"));
  g_assert_nonnull (bfk_abi_get_functions (abi, &n));
  g_assert_cmpuint (n, ==, 1);

  ev = bfk_abi_get_event (abi, "Event");
  ev2 = bfk_abi_get_event (abi, "Event2");
  g_assert_nonnull (ev);
  g_assert_nonnull (ev2);
  g_assert_cmpstr (ev->signature, ==, "Event(uint256,bytes32)");
  bfk_keccak256 ("Event(uint256,bytes32)", 22, topic);
  g_assert_cmpmem (ev->topic, 32, topic, 32);
  g_assert_true (bfk_abi_get_event_by_topic (abi, topic) == ev);
  g_assert_true (bfk_abi_get_event_by_topic (abi, ev2->topic) == ev2);
  g_assert_cmpuint (ev->n_inputs, ==, 2);
  g_assert_true (ev->inputs[0].indexed);
  g_assert_false (ev->inputs[1].indexed);
  g_assert_cmpstr (ev->inputs[1].name, ==, "b");

  /* The log of foo(5) in the example: emit Event(a, b) with
   * b = hex"12345678901234567890123456789012". */
  {
    g_autoptr(GBytes) a_topic = bfk_test_hex ("0x" W ("05"));
    g_autoptr(GBytes) data = bfk_test_hex ("0x1234567890123456789012345678901200000000000000000000000000000000");
    guint8 topics[64];
    g_autoptr(BfkAbiValue) v = NULL;
    const BfkAbiEvent *found = NULL;
    g_autofree gchar *s = NULL;

    memcpy (topics, ev->topic, 32);
    memcpy (topics + 32, g_bytes_get_data (a_topic, NULL), 32);
    v = bfk_abi_decode_log (abi, topics, 2, g_bytes_get_data (data, NULL), 32, &found, &error);
    g_assert_no_error (error);
    g_assert_true (found == ev);
    g_assert_cmpuint (bfk_abi_value_get_uint64 (bfk_abi_value_get_child (v, 0)), ==, 5);
    s = bfk_abi_value_to_string (v);
    g_assert_cmpstr (s, ==, "(5, 0x1234567890123456789012345678901200000000000000000000000000000000)");

    /* The same log with a topic missing, or another event's topic 0. */
    g_assert_null (bfk_abi_event_decode (ev, topics, 1, g_bytes_get_data (data, NULL), 32, &error));
    g_assert_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_DECODE);
    g_clear_error (&error);
    g_assert_null (bfk_abi_event_decode (ev2, topics, 2, g_bytes_get_data (data, NULL), 32, &error));
    g_assert_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_DECODE);
    g_clear_error (&error);
    /* Data cut short. */
    g_assert_null (bfk_abi_event_decode (ev, topics, 2, g_bytes_get_data (data, NULL), 31, &error));
    g_assert_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_DECODE);
    g_clear_error (&error);
    /* An unknown event. */
    memset (topics, 0x42, 32);
    g_assert_null (bfk_abi_decode_log (abi, topics, 2, g_bytes_get_data (data, NULL), 32, NULL, &error));
    g_assert_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_DECODE);
  }
}

/* The tuple example of the specification ("Handling tuple types"), in a
 * Foundry artifact's wrapping. */
static const gchar tuple_json[] =
  "{\"abi\": [{\"name\": \"f\", \"type\": \"function\", \"inputs\": ["
  "  {\"name\": \"s\", \"type\": \"tuple\", \"components\": ["
  "    {\"name\": \"a\", \"type\": \"uint256\"},"
  "    {\"name\": \"b\", \"type\": \"uint256[]\"},"
  "    {\"name\": \"c\", \"type\": \"tuple[]\", \"components\": ["
  "      {\"name\": \"x\", \"type\": \"uint256\"},"
  "      {\"name\": \"y\", \"type\": \"uint256\"}]}]},"
  "  {\"name\": \"t\", \"type\": \"tuple\", \"components\": ["
  "    {\"name\": \"x\", \"type\": \"uint256\"},"
  "    {\"name\": \"y\", \"type\": \"uint256\"}]},"
  "  {\"name\": \"a\", \"type\": \"uint256\"}],"
  " \"outputs\": []}], \"bytecode\": {\"object\": \"0x\"}}";

static void
test_json_tuples (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkAbi) abi = bfk_abi_new_from_data (tuple_json, -1, &error);
  const BfkAbiFunction *f;
  g_autoptr(BfkAbiValue) args = NULL;
  g_autoptr(GBytes) call = NULL;
  g_autoptr(BfkAbiValue) back = NULL;

  g_assert_no_error (error);
  f = bfk_abi_get_function (abi, "f");
  g_assert_nonnull (f);
  g_assert_cmpstr (f->signature, ==, "f((uint256,uint256[],(uint256,uint256)[]),(uint256,uint256),uint256)");
  g_assert_cmpstr (f->inputs[1].name, ==, "t");

  args = bfk_abi_value_new_tuple_of (
    bfk_abi_value_new_tuple_of (
      bfk_abi_value_new_uint64 (1),
      bfk_abi_value_new_array_of (bfk_abi_value_new_uint64 (2), NULL),
      bfk_abi_value_new_array_of (
        bfk_abi_value_new_tuple_of (bfk_abi_value_new_uint64 (3), bfk_abi_value_new_uint64 (4), NULL),
        NULL),
      NULL),
    bfk_abi_value_new_tuple_of (bfk_abi_value_new_uint64 (5), bfk_abi_value_new_uint64 (6), NULL),
    bfk_abi_value_new_uint64 (7),
    NULL);
  call = bfk_abi_function_encode_call (f, args, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (call, NULL), 4, f->selector, 4);
  back = bfk_abi_decode (f->input_type, (const guint8 *) g_bytes_get_data (call, NULL) + 4,
                         g_bytes_get_size (call) - 4, &error);
  g_assert_no_error (error);
  g_assert_true (bfk_abi_value_equal (back, args));
}

static void
test_json_malformed (void)
{
  const gchar *bad[] = {
    "{}",
    "42",
    "[1]",
    "[{\"type\":\"function\"}]",
    "[{\"type\":\"function\",\"name\":\"f\",\"inputs\":[{\"name\":\"x\",\"type\":\"uint7\"}]}]",
    "[{\"type\":\"function\",\"name\":\"f\",\"inputs\":[{\"name\":\"x\",\"type\":\"tuple\"}]}]",
    "[{\"type\":\"function\",\"name\":\"f\",\"inputs\":{}}]",
    "[{\"type\":\"event\",\"name\":\"E\",\"inputs\":[{\"name\":\"x\",\"type\":[]}]}]",
    "not json",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BfkAbi) abi = bfk_abi_new_from_data (bad[i], -1, &error);

      if (abi != NULL)
        g_error ("accepted %s", bad[i]);
      g_assert_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_INVALID_INPUT);
    }
}

/* ERC-20's Transfer, and an event with an indexed string, whose topic is
 * only the hash of the string. */
static const gchar events_json[] =
  "[{\"type\":\"event\",\"name\":\"Transfer\",\"anonymous\":false,\"inputs\":["
  "  {\"name\":\"from\",\"type\":\"address\",\"indexed\":true},"
  "  {\"name\":\"to\",\"type\":\"address\",\"indexed\":true},"
  "  {\"name\":\"value\",\"type\":\"uint256\",\"indexed\":false}]},"
  " {\"type\":\"event\",\"name\":\"Named\",\"inputs\":["
  "  {\"name\":\"id\",\"type\":\"uint256\",\"indexed\":false},"
  "  {\"name\":\"name\",\"type\":\"string\",\"indexed\":true},"
  "  {\"name\":\"label\",\"type\":\"string\",\"indexed\":false}]},"
  " {\"type\":\"error\",\"name\":\"CrossCommunity\",\"inputs\":["
  "  {\"name\":\"payerCommunity\",\"type\":\"uint256\"},"
  "  {\"name\":\"providerCommunity\",\"type\":\"uint256\"}]},"
  " {\"type\":\"error\",\"name\":\"NotMember\",\"inputs\":["
  "  {\"name\":\"account\",\"type\":\"address\"}]}]";

static void
test_events (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkAbi) abi = bfk_abi_new_from_data (events_json, -1, &error);
  g_autoptr(GBytes) topic0 = bfk_test_hex ("0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef");
  const BfkAbiEvent *transfer, *named;
  guint8 topics[96];
  guint8 data[32] = { 0 };
  g_autoptr(BfkAbiValue) v = NULL;
  g_autofree gchar *s = NULL;

  g_assert_no_error (error);
  transfer = bfk_abi_get_event (abi, "Transfer");
  g_assert_cmpstr (transfer->signature, ==, "Transfer(address,address,uint256)");
  g_assert_cmpmem (transfer->topic, 32, g_bytes_get_data (topic0, NULL), 32);

  memcpy (topics, transfer->topic, 32);
  memset (topics + 32, 0, 64);
  memset (topics + 32 + 12, 0x11, 20);
  memset (topics + 64 + 12, 0x22, 20);
  data[30] = 0x03;
  data[31] = 0xe8;
  v = bfk_abi_event_decode (transfer, topics, 3, data, 32, &error);
  g_assert_no_error (error);
  s = bfk_abi_value_to_string (v);
  g_assert_cmpstr (s, ==, "(0x1111111111111111111111111111111111111111, "
                          "0x2222222222222222222222222222222222222222, 1000)");
  g_clear_pointer (&v, bfk_abi_value_unref);

  /* A dirty address in a topic is refused like one in data. */
  topics[32] = 0x01;
  g_assert_null (bfk_abi_event_decode (transfer, topics, 3, data, 32, &error));
  g_assert_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_DECODE);
  g_clear_error (&error);

  named = bfk_abi_get_event (abi, "Named");
  g_assert_cmpstr (named->signature, ==, "Named(uint256,string,string)");
  {
    g_autoptr(BfkAbiValue) d = bfk_abi_value_new_tuple_of (bfk_abi_value_new_uint64 (9),
                                                          bfk_abi_value_new_string ("label"), NULL);
    g_autoptr(BfkAbiType) dt = type ("(uint256,string)");
    g_autoptr(GBytes) enc = bfk_abi_encode (dt, d, &error);
    guint8 t2[64];
    gsize len;
    const guint8 *p;

    g_assert_no_error (error);
    memcpy (t2, named->topic, 32);
    bfk_keccak256 ("Banja", 5, t2 + 32);
    p = g_bytes_get_data (enc, &len);
    v = bfk_abi_event_decode (named, t2, 2, p, len, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (bfk_abi_value_n_children (v), ==, 3);
    g_assert_cmpuint (bfk_abi_value_get_uint64 (bfk_abi_value_get_child (v, 0)), ==, 9);
    g_assert_cmpint (bfk_abi_value_get_kind (bfk_abi_value_get_child (v, 1)), ==, BFK_ABI_VALUE_FIXED_BYTES);
    {
      gsize hl;
      const guint8 *h = bfk_abi_value_get_bytes (bfk_abi_value_get_child (v, 1), &hl);

      g_assert_cmpmem (h, hl, t2 + 32, 32);
    }
    g_assert_cmpstr (bfk_abi_value_get_string (bfk_abi_value_get_child (v, 2)), ==, "label");
  }
}

/* --- revert data --- */

static gchar *
describe (const BfkAbi *abi,
          const gchar  *data_hex)
{
  g_autoptr(GBytes) data = bfk_test_hex (data_hex);

  return bfk_abi_describe_revert (abi, g_bytes_get_data (data, NULL), g_bytes_get_size (data));
}

static void
test_revert (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkAbi) abi = bfk_abi_new_from_data (events_json, -1, &error);
  guint8 sel[4];
  gchar *s;

  g_assert_no_error (error);

  bfk_abi_selector ("Error(string)", sel);
  g_assert_cmpmem (sel, 4, "\x08\xc3\x79\xa0", 4);
  bfk_abi_selector ("Panic(uint256)", sel);
  g_assert_cmpmem (sel, 4, "\x4e\x48\x7b\x71", 4);

  /* The Solidity documentation's revert("Not enough Ether provided."). */
  s = describe (NULL,
                "0x08c379a0"
                "0000000000000000000000000000000000000000000000000000000000000020"
                "000000000000000000000000000000000000000000000000000000000000001a"
                "4e6f7420656e6f7567682045746865722070726f76696465642e000000000000");
  g_assert_cmpstr (s, ==, "Not enough Ether provided.");
  g_free (s);

  s = describe (NULL, "0x4e487b71" W ("11"));
  g_assert_cmpstr (s, ==, "panic 0x11: arithmetic overflow or underflow");
  g_free (s);
  s = describe (NULL, "0x4e487b71" W ("12"));
  g_assert_cmpstr (s, ==, "panic 0x12: division or modulo by zero");
  g_free (s);
  s = describe (NULL, "0x4e487b71" W ("99"));
  g_assert_cmpstr (s, ==, "panic 0x99");
  g_free (s);

  s = describe (abi, "0x" "7fd9e867" W ("01") W ("02"));
  g_assert_cmpstr (s, ==, "CrossCommunity(payerCommunity: 1, providerCommunity: 2)");
  g_free (s);
  /* The same custom error without its ABI. */
  s = describe (NULL, "0x" "7fd9e867" W ("01") W ("02"));
  g_assert_cmpstr (s, ==, "unknown error 0x7fd9e867…");
  g_free (s);

  s = describe (abi, "0x12345678");
  g_assert_cmpstr (s, ==, "unknown error 0x12345678");
  g_free (s);
  s = describe (abi, "0x");
  g_assert_cmpstr (s, ==, "reverted without a reason");
  g_free (s);
  s = describe (abi, "0x0102");
  g_assert_cmpstr (s, ==, "unknown error 0x0102");
  g_free (s);

  /* Error(string) whose data does not decode: said as unknown, not lost. */
  s = describe (NULL, "0x08c379a0" W ("20") FF32);
  g_assert_cmpstr (s, ==, "unknown error 0x08c379a0…");
  g_free (s);
}

/* Decoding arbitrary bytes as every type of a small zoo never crashes and
 * never reports success without a value (ASan/valgrind watch the reads). */
static void
test_garbage (void)
{
  const gchar *types[] = {
    "(uint256,bytes,string[],(bool,address)[2],uint8[][])",
    "(bytes)", "(string[][])", "((uint256,bytes)[])", "(int8[3])",
  };
  guint32 seed = 12345;

  for (gsize ti = 0; ti < G_N_ELEMENTS (types); ti++)
    {
      g_autoptr(BfkAbiType) t = type (types[ti]);

      for (guint round = 0; round < 2000; round++)
        {
          gsize len = (round % 12) * 32 + (round % 3);
          g_autofree guint8 *buf = g_malloc (len + 1);
          g_autoptr(GError) error = NULL;
          g_autoptr(BfkAbiValue) v = NULL;

          for (gsize i = 0; i < len; i++)
            {
              seed = seed * 1103515245 + 12345;
              /* Mostly small words, so that offsets and lengths often
               * land inside the data. */
              buf[i] = (i % 32 == 31) ? (guint8) ((seed >> 16) & 0xe0) :
                       (i % 32 == 30 && (seed & 0x100)) ? (guint8) (seed >> 24) : 0;
            }
          v = bfk_abi_decode (t, buf, len, &error);
          g_assert_true ((v == NULL) == (error != NULL));
        }
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/abi/spec/baz", test_spec_baz);
  g_test_add_func ("/abi/spec/baz-output", test_spec_baz_output);
  g_test_add_func ("/abi/spec/bar", test_spec_bar);
  g_test_add_func ("/abi/spec/sam", test_spec_sam);
  g_test_add_func ("/abi/spec/f", test_spec_f);
  g_test_add_func ("/abi/spec/g", test_spec_g);
  g_test_add_func ("/abi/types", test_types);
  g_test_add_func ("/abi/integers", test_integers);
  g_test_add_func ("/abi/value-to-string", test_value_to_string);
  g_test_add_func ("/abi/malformed", test_malformed);
  g_test_add_func ("/abi/truncations", test_truncations);
  g_test_add_func ("/abi/shared-tails", test_shared_tails);
  g_test_add_func ("/abi/json/spec", test_json_spec);
  g_test_add_func ("/abi/json/tuples", test_json_tuples);
  g_test_add_func ("/abi/json/malformed", test_json_malformed);
  g_test_add_func ("/abi/events", test_events);
  g_test_add_func ("/abi/revert", test_revert);
  g_test_add_func ("/abi/garbage", test_garbage);
  return g_test_run ();
}
