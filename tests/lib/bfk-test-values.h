/* bfk-test-values.h: values from the text a test writes them in, failing
 * the test on text that does not parse.
 *
 * Header-only, so that the unit tests, which link no test library, share it
 * with the integration tests (they include it as "../lib/bfk-test-values.h"). */
#pragma once

#include "bfk-address.h"
#include "bfk-hex.h"
#include "bfk-u256.h"

/* "0x…" or bare hex to bytes. */
static inline GBytes *
bfk_test_hex (const gchar *text)
{
  g_autoptr(GError) error = NULL;
  GBytes *b = bfk_hex_decode (text, &error);

  g_assert_no_error (error);
  return b;
}

static inline BfkAddress
bfk_test_address (const gchar *text)
{
  BfkAddress a;

  g_assert_true (bfk_address_parse (text, &a, NULL));
  return a;
}

static inline void
bfk_test_assert_u256 (BfkU256      v,
                      const gchar *decimal)
{
  g_autofree gchar *s = bfk_u256_to_decimal (v);

  g_assert_cmpstr (s, ==, decimal);
}
