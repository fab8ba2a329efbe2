/* test-u256.c: 256-bit arithmetic, parsing and formatting. */
#include "bfk-u256.h"

static BfkU256
parse (const gchar *text)
{
  g_autoptr(GError) error = NULL;
  BfkU256 v;

  g_assert_true (bfk_u256_parse (text, &v, &error));
  g_assert_no_error (error);
  return v;
}

static void
test_round_trip (void)
{
  const gchar *max = "115792089237316195423570985008687907853269984665640564039457584007913129639935";
  g_autofree gchar *dec = bfk_u256_to_decimal (parse (max));
  g_autofree gchar *zero = bfk_u256_to_decimal (BFK_U256_ZERO);
  g_autofree gchar *q = bfk_u256_to_quantity (parse ("1000000000000000000"));
  g_autofree gchar *q0 = bfk_u256_to_quantity (BFK_U256_ZERO);

  g_assert_cmpstr (dec, ==, max);
  g_assert_cmpstr (zero, ==, "0");
  g_assert_cmpstr (q, ==, "0xde0b6b3a7640000");
  g_assert_cmpstr (q0, ==, "0x0");
  g_assert_cmpint (bfk_u256_cmp (parse ("0xDE0B6B3A7640000"), parse ("1000000000000000000")), ==, 0);
}

static void
test_rejects (void)
{
  const gchar *bad[] = {
    "", "-5", "1,5", "1.5", "abc", "0x", "0xg1", " 12",
    /* 2^256 */
    "115792089237316195423570985008687907853269984665640564039457584007913129639936",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      BfkU256 v;

      g_assert_false (bfk_u256_parse (bad[i], &v, &error));
      g_assert_nonnull (error);
    }
}

static void
test_arithmetic (void)
{
  BfkU256 max = parse ("0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff");
  BfkU256 r;
  g_autofree gchar *s = NULL;

  g_assert_false (bfk_u256_add (&r, max, bfk_u256_from_u64 (1)));
  g_assert_false (bfk_u256_sub (&r, BFK_U256_ZERO, bfk_u256_from_u64 (1)));
  g_assert_true (bfk_u256_sub (&r, parse ("0x10000000000000000"), bfk_u256_from_u64 (1)));
  g_assert_cmpuint (r.limb[0], ==, G_MAXUINT64);
  g_assert_true (bfk_u256_fits_u64 (r));
  g_assert_true (bfk_u256_mul_u64 (&r, parse ("1000000000"), 1000000000));
  g_assert_true (bfk_u256_mul_u64 (&r, r, 1000000000000));
  s = bfk_u256_to_decimal (r);
  g_assert_cmpstr (s, ==, "1000000000000000000000000000000");
  g_assert_cmpuint (bfk_u256_div_u64 (&r, parse ("1000000000000000000007"), 10), ==, 7);
  g_assert_false (bfk_u256_mul_u64 (&r, max, 2));
}

static void
test_bytes (void)
{
  guint8 be[32], min[32];
  BfkU256 v = parse ("0x0102030405");

  bfk_u256_to_be (v, be);
  g_assert_cmpuint (be[31], ==, 5);
  g_assert_cmpuint (be[27], ==, 1);
  g_assert_cmpuint (be[26], ==, 0);
  g_assert_cmpuint (bfk_u256_to_minimal_be (v, min), ==, 5);
  g_assert_cmpuint (min[0], ==, 1);
  g_assert_cmpint (bfk_u256_cmp (bfk_u256_from_be (min, 5), v), ==, 0);
  g_assert_cmpint (bfk_u256_cmp (bfk_u256_from_be (be, 32), v), ==, 0);
  g_assert_cmpuint (bfk_u256_to_minimal_be (BFK_U256_ZERO, min), ==, 0);
}

static void
test_format_units (void)
{
  struct { const gchar *wei; guint dec, frac; const gchar *out; } cases[] = {
    { "1500000000000000000", 18, 4, "1.5" },
    { "10000000000000000000000", 18, 4, "10000" },
    { "1", 18, 4, "0" },
    { "123456789", 9, 3, "0.123" },
    { "25000000000", 9, 2, "25" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree gchar *s = bfk_u256_format_units (parse (cases[i].wei), cases[i].dec, cases[i].frac);

      g_assert_cmpstr (s, ==, cases[i].out);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/u256/round-trip", test_round_trip);
  g_test_add_func ("/u256/rejects", test_rejects);
  g_test_add_func ("/u256/arithmetic", test_arithmetic);
  g_test_add_func ("/u256/bytes", test_bytes);
  g_test_add_func ("/u256/format-units", test_format_units);
  return g_test_run ();
}
