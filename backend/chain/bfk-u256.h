/* bfk-u256.h: the 256-bit unsigned integers of the EVM.
 *
 * Wei amounts, gas prices and ABI uint256 values overflow 64 bits, so they
 * travel as BfkU256: four 64-bit limbs, least significant first, passed by
 * value.  Arithmetic reports overflow instead of wrapping.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  guint64 limb[4];
} BfkU256;

#define BFK_U256_ZERO ((BfkU256) { { 0, 0, 0, 0 } })

static inline BfkU256
bfk_u256_from_u64 (guint64 v)
{
  return (BfkU256) { { v, 0, 0, 0 } };
}

gboolean  bfk_u256_is_zero         (BfkU256        a);
int       bfk_u256_cmp             (BfkU256        a,
                                    BfkU256        b);
gboolean  bfk_u256_fits_u64        (BfkU256        a);
/* Saturates at G_MAXUINT64. */
guint64   bfk_u256_to_u64          (BfkU256        a);
gdouble   bfk_u256_to_double       (BfkU256        a);

/* Each returns FALSE, leaving *r unspecified, on overflow or underflow. */
gboolean  bfk_u256_add             (BfkU256       *r,
                                    BfkU256        a,
                                    BfkU256        b);
gboolean  bfk_u256_sub             (BfkU256       *r,
                                    BfkU256        a,
                                    BfkU256        b);
gboolean  bfk_u256_mul_u64         (BfkU256       *r,
                                    BfkU256        a,
                                    guint64        m);
/* Returns the remainder; d must not be 0. */
guint64   bfk_u256_div_u64         (BfkU256       *q,
                                    BfkU256        a,
                                    guint64        d);

/* Big-endian, as the ABI and RLP want it. */
void      bfk_u256_to_be           (BfkU256        a,
                                    guint8         out[32]);
/* len is at most 32; shorter input is a smaller number. */
BfkU256   bfk_u256_from_be         (const guint8  *data,
                                    gsize          len);
/* Big-endian without leading zero bytes (RLP's canonical integer); returns
 * the length, 0 for zero, and writes it at the start of out. */
gsize     bfk_u256_to_minimal_be   (BfkU256        a,
                                    guint8         out[32]);

/* Decimal digits, or "0x" hexadecimal (a JSON-RPC quantity). */
gboolean  bfk_u256_parse           (const gchar   *text,
                                    BfkU256       *out,
                                    GError       **error);
gchar    *bfk_u256_to_decimal      (BfkU256        a);
/* A JSON-RPC quantity: "0x0", "0x1a" ... */
gchar    *bfk_u256_to_quantity     (BfkU256        a);
/* a / 10^decimals as a decimal fraction with at most max_fraction digits,
 * trailing zeros dropped: 1500000000000000000 wei, 18, 4 → "1.5". */
gchar    *bfk_u256_format_units    (BfkU256        a,
                                    guint          decimals,
                                    guint          max_fraction);

G_END_DECLS
