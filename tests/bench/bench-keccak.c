/* bench-keccak.c: Keccak-256 throughput against nettle's SHA3-256 on 1 MiB
 * buffers.  Both run the same permutation, so the sponge is all that
 * differs.  Prints one JSON object. */
#include "bfk-keccak.h"

#include <nettle/sha3.h>

#define MIB (1024 * 1024)
#define ROUNDS 200

int
main (void)
{
  g_autofree guint8 *buf = g_malloc (MIB);
  guint8 digest[32];
  gint64 start;
  gdouble ours, nettle;

  for (gsize i = 0; i < MIB; i++)
    buf[i] = (guint8) (i * 31);

  /* Alternate the two, so that a change of CPU frequency hits both alike. */
  gint64 t_ours = 0, t_nettle = 0;
  for (int r = 0; r < ROUNDS; r++)
    {
      struct sha3_256_ctx ctx;

      start = g_get_monotonic_time ();
      bfk_keccak256 (buf, MIB, digest);
      t_ours += g_get_monotonic_time () - start;

      start = g_get_monotonic_time ();
      sha3_256_init (&ctx);
      sha3_256_update (&ctx, MIB, buf);
      sha3_256_digest (&ctx, sizeof digest, digest);
      t_nettle += g_get_monotonic_time () - start;
    }
  ours = ROUNDS / (t_ours / 1e6);
  nettle = ROUNDS / (t_nettle / 1e6);
  g_print ("{\"bench\": \"keccak\", \"keccak256_mib_per_s\": %.1f, \"nettle_sha3_256_mib_per_s\": %.1f, "
           "\"ratio\": %.3f}\n", ours, nettle, ours / nettle);
  return 0;
}
