/* bfk-keccak.c */
#include "bfk-keccak.h"

#include <nettle/sha3.h>
#include <string.h>

/* 1600-bit state minus a 512-bit capacity. */
#define RATE 136

G_STATIC_ASSERT (sizeof (struct sha3_state) == 25 * sizeof (guint64));

static inline void
permute (BfkKeccak *ctx)
{
  sha3_permute ((struct sha3_state *) ctx->state);
}

static inline void
xor_byte (BfkKeccak *ctx,
          gsize      pos,
          guint8     b)
{
  ctx->state[pos / 8] ^= (guint64) b << (8 * (pos % 8));
}

/* Lanes are little-endian words, so a whole block is eight-byte loads. */
static inline void
absorb_block (BfkKeccak    *ctx,
              const guint8 *block)
{
  for (int i = 0; i < RATE / 8; i++)
    {
      guint64 lane;

      memcpy (&lane, block + 8 * i, 8);
      ctx->state[i] ^= GUINT64_FROM_LE (lane);
    }
  permute (ctx);
}

void
bfk_keccak256_init (BfkKeccak *ctx)
{
  memset (ctx, 0, sizeof *ctx);
}

void
bfk_keccak256_update (BfkKeccak  *ctx,
                      const void *data,
                      gsize       len)
{
  const guint8 *p = data;

  while (ctx->fill != 0 && len > 0)
    {
      xor_byte (ctx, ctx->fill++, *p++);
      len--;
      if (ctx->fill == RATE)
        {
          permute (ctx);
          ctx->fill = 0;
        }
    }
  for (; len >= RATE; p += RATE, len -= RATE)
    absorb_block (ctx, p);
  while (len-- > 0)
    xor_byte (ctx, ctx->fill++, *p++);
}

void
bfk_keccak256_final (BfkKeccak *ctx,
                     guint8     digest[BFK_KECCAK256_SIZE])
{
  xor_byte (ctx, ctx->fill, 0x01);
  xor_byte (ctx, RATE - 1, 0x80);
  permute (ctx);
  for (int i = 0; i < BFK_KECCAK256_SIZE / 8; i++)
    {
      guint64 lane = GUINT64_TO_LE (ctx->state[i]);

      memcpy (digest + 8 * i, &lane, 8);
    }
}

void
bfk_keccak256 (const void *data,
               gsize       len,
               guint8      digest[BFK_KECCAK256_SIZE])
{
  BfkKeccak ctx;

  bfk_keccak256_init (&ctx);
  bfk_keccak256_update (&ctx, data, len);
  bfk_keccak256_final (&ctx, digest);
}
