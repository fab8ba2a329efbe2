/* test-keccak.c: Keccak-256 against known digests. */
#include "bfk-hex.h"
#include "bfk-keccak.h"

#include <string.h>

static void
assert_digest (const void  *data,
               gsize        len,
               const gchar *expected_hex)
{
  guint8 digest[BFK_KECCAK256_SIZE];
  g_autofree gchar *hex = NULL;

  bfk_keccak256 (data, len, digest);
  hex = bfk_hex_encode (digest, sizeof digest);
  g_assert_cmpstr (hex, ==, expected_hex);
}

static void
test_empty (void)
{
  assert_digest ("", 0, "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
}

static void
test_abc (void)
{
  assert_digest ("abc", 3, "0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
}

/* The topic of ERC-20's Transfer event, as every block explorer shows it. */
static void
test_event_signature (void)
{
  const gchar *sig = "Transfer(address,address,uint256)";

  assert_digest (sig, strlen (sig),
                 "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef");
}

/* Exactly one rate (136 bytes) and one byte short of it exercise the two
 * padding edge cases: the 0x01 and 0x80 pads in one byte, and a whole extra
 * block of padding. */
static void
test_rate_boundaries (void)
{
  guint8 buf[136];

  memset (buf, 'a', sizeof buf);
  assert_digest (buf, 135, "0x34367dc248bbd832f4e3e69dfaac2f92638bd0bbd18f2912ba4ef454919cf446");
  assert_digest (buf, 136, "0xa6c4d403279fe3e0af03729caada8374b5ca54d8065329a3ebcaeb4b60aa386e");
}

/* Any split of the input into update calls gives the same digest. */
static void
test_streaming (void)
{
  guint8 data[700];

  for (gsize i = 0; i < sizeof data; i++)
    data[i] = (guint8) (i * 7 + 3);

  for (gsize len = 0; len <= sizeof data; len += 37)
    for (gsize step = 1; step <= 150; step += 29)
      {
        guint8 whole[32], parts[32];
        BfkKeccak ctx;

        bfk_keccak256 (data, len, whole);
        bfk_keccak256_init (&ctx);
        for (gsize off = 0; off < len; off += step)
          bfk_keccak256_update (&ctx, data + off, MIN (step, len - off));
        bfk_keccak256_final (&ctx, parts);
        g_assert_cmpmem (whole, 32, parts, 32);
      }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/keccak/empty", test_empty);
  g_test_add_func ("/keccak/abc", test_abc);
  g_test_add_func ("/keccak/event-signature", test_event_signature);
  g_test_add_func ("/keccak/rate-boundaries", test_rate_boundaries);
  g_test_add_func ("/keccak/streaming", test_streaming);
  return g_test_run ();
}
