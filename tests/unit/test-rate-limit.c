/* test-rate-limit.c: the per-phone limiter, on a clock the test drives. */
#include "bfk-rate-limit.h"

#define SECOND G_USEC_PER_SEC
#define ALICE  "whatsapp:+237650000001"
#define BOB    "whatsapp:+237650000002"

static BfkRateLimit *
default_limit (void)
{
  return bfk_rate_limit_new (BFK_RATE_LIMIT_DEFAULT_MAX, BFK_RATE_LIMIT_DEFAULT_WINDOW_US);
}

static void
test_twenty_a_minute (void)
{
  g_autoptr(BfkRateLimit) limit = default_limit ();
  BfkRateLimitStats stats;
  gint64 t0 = 1000 * SECOND;

  g_assert_cmpint (BFK_RATE_LIMIT_DEFAULT_MAX, ==, 20);
  g_assert_cmpint (BFK_RATE_LIMIT_DEFAULT_WINDOW_US, ==, 60 * SECOND);

  /* Twenty in the same second pass. */
  for (guint i = 0; i < 20; i++)
    g_assert_cmpint (bfk_rate_limit_check (limit, ALICE, t0), ==, BFK_RATE_LIMIT_ALLOW);

  /* The 21st gets the one warning, the next ones are dropped silently. */
  g_assert_cmpint (bfk_rate_limit_check (limit, ALICE, t0 + 1), ==, BFK_RATE_LIMIT_WARN);
  for (guint i = 0; i < 5; i++)
    g_assert_cmpint (bfk_rate_limit_check (limit, ALICE, t0 + 10 * SECOND), ==, BFK_RATE_LIMIT_DROP);

  /* Someone else is not affected. */
  g_assert_cmpint (bfk_rate_limit_check (limit, BOB, t0 + 10 * SECOND), ==, BFK_RATE_LIMIT_ALLOW);

  bfk_rate_limit_get_stats (limit, &stats);
  g_assert_cmpuint (stats.refused, ==, 6);
  g_assert_cmpuint (stats.warnings, ==, 1);
  g_assert_cmpuint (stats.tracked, ==, 2);

  /* Just under a minute later, still limited; a minute after, free again. */
  g_assert_cmpint (bfk_rate_limit_check (limit, ALICE, t0 + 60 * SECOND - 1), ==, BFK_RATE_LIMIT_DROP);
  for (guint i = 0; i < 20; i++)
    g_assert_cmpint (bfk_rate_limit_check (limit, ALICE, t0 + 60 * SECOND), ==, BFK_RATE_LIMIT_ALLOW);
  g_assert_cmpint (bfk_rate_limit_check (limit, ALICE, t0 + 60 * SECOND), ==, BFK_RATE_LIMIT_DROP);
}

/* The window slides: no bucket edge lets forty through in two seconds. */
static void
test_sliding_window (void)
{
  g_autoptr(BfkRateLimit) limit = default_limit ();
  gint64 t0 = 5 * SECOND;

  for (guint i = 0; i < 20; i++)
    g_assert_cmpint (bfk_rate_limit_check (limit, ALICE, t0 + 59 * SECOND), ==, BFK_RATE_LIMIT_ALLOW);
  g_assert_cmpint (bfk_rate_limit_check (limit, ALICE, t0 + 61 * SECOND), ==, BFK_RATE_LIMIT_WARN);

  /* One a second over two minutes: the first 20 seconds' messages make
   * room one by one, one per second exactly. */
  {
    g_autoptr(BfkRateLimit) steady = default_limit ();
    guint allowed = 0;

    for (guint s = 0; s < 120; s++)
      for (guint k = 0; k < 3; k++)
        if (bfk_rate_limit_check (steady, BOB, s * SECOND + k) == BFK_RATE_LIMIT_ALLOW)
          allowed++;
    /* 20 in each of the two minutes. */
    g_assert_cmpuint (allowed, ==, 40);
  }
}

/* A number that keeps sending at the limit is warned once a window, not at
 * every message over it. */
static void
test_one_warning_a_window (void)
{
  g_autoptr(BfkRateLimit) limit = bfk_rate_limit_new (2, 10 * SECOND);
  BfkRateLimitStats stats;
  guint warnings = 0, allowed = 0, dropped = 0;

  /* Four messages a second for 35 seconds. */
  for (gint64 t = 0; t < 35 * SECOND; t += SECOND / 4)
    switch (bfk_rate_limit_check (limit, ALICE, t))
      {
      case BFK_RATE_LIMIT_ALLOW: allowed++; break;
      case BFK_RATE_LIMIT_WARN: warnings++; break;
      case BFK_RATE_LIMIT_DROP: dropped++; break;
      }

  /* Windows start at 0, 10, 20 and 30 s: four warnings; two allowed every
   * ten seconds. */
  g_assert_cmpuint (warnings, ==, 4);
  g_assert_cmpuint (allowed, ==, 8);
  g_assert_cmpuint (allowed + warnings + dropped, ==, 140);

  bfk_rate_limit_get_stats (limit, &stats);
  g_assert_cmpuint (stats.warnings, ==, 4);
  g_assert_cmpuint (stats.refused, ==, warnings + dropped);
}

/* A number that calmed down, then floods again later, is warned again. */
static void
test_warned_again_after_calm (void)
{
  g_autoptr(BfkRateLimit) limit = bfk_rate_limit_new (1, 60 * SECOND);

  g_assert_cmpint (bfk_rate_limit_check (limit, ALICE, 0), ==, BFK_RATE_LIMIT_ALLOW);
  g_assert_cmpint (bfk_rate_limit_check (limit, ALICE, SECOND), ==, BFK_RATE_LIMIT_WARN);
  g_assert_cmpint (bfk_rate_limit_check (limit, ALICE, 2 * SECOND), ==, BFK_RATE_LIMIT_DROP);
  g_assert_cmpint (bfk_rate_limit_check (limit, ALICE, 300 * SECOND), ==, BFK_RATE_LIMIT_ALLOW);
  g_assert_cmpint (bfk_rate_limit_check (limit, ALICE, 301 * SECOND), ==, BFK_RATE_LIMIT_WARN);
}

static void
test_pruning (void)
{
  g_autoptr(BfkRateLimit) limit = default_limit ();
  BfkRateLimitStats stats;

  for (guint i = 0; i < 1000; i++)
    {
      g_autofree gchar *phone = g_strdup_printf ("whatsapp:+2376%08u", i);

      g_assert_cmpint (bfk_rate_limit_check (limit, phone, i * 1000), ==, BFK_RATE_LIMIT_ALLOW);
    }
  bfk_rate_limit_get_stats (limit, &stats);
  g_assert_cmpuint (stats.tracked, ==, 1000);

  /* Half a minute later nothing is old enough. */
  bfk_rate_limit_prune (limit, 30 * SECOND);
  bfk_rate_limit_get_stats (limit, &stats);
  g_assert_cmpuint (stats.tracked, ==, 1000);

  /* A check more than a window after the last pruning forgets the quiet
   * numbers by itself: only the one that just wrote is left. */
  g_assert_cmpint (bfk_rate_limit_check (limit, ALICE, 120 * SECOND), ==, BFK_RATE_LIMIT_ALLOW);
  bfk_rate_limit_get_stats (limit, &stats);
  g_assert_cmpuint (stats.tracked, ==, 1);

  /* A flooding number is kept as long as it floods (its warning must not
   * be forgotten), and forgotten a window after it stops. */
  for (guint i = 0; i < 25; i++)
    bfk_rate_limit_check (limit, BOB, 121 * SECOND);
  bfk_rate_limit_prune (limit, 180 * SECOND);
  g_assert_cmpint (bfk_rate_limit_check (limit, BOB, 180 * SECOND), ==, BFK_RATE_LIMIT_DROP);
  bfk_rate_limit_prune (limit, 241 * SECOND);
  bfk_rate_limit_get_stats (limit, &stats);
  g_assert_cmpuint (stats.tracked, ==, 0);
  g_assert_cmpuint (stats.refused, ==, 6);
}

/* Memory stays bounded under a steady stream of new numbers. */
static void
test_bounded_memory (void)
{
  g_autoptr(BfkRateLimit) limit = default_limit ();
  guint most = 0;

  /* 100 new numbers a second for ten minutes. */
  for (guint i = 0; i < 60000; i++)
    {
      g_autofree gchar *phone = g_strdup_printf ("+%u", i);
      BfkRateLimitStats stats;

      bfk_rate_limit_check (limit, phone, (gint64) i * (SECOND / 100));
      bfk_rate_limit_get_stats (limit, &stats);
      most = MAX (most, stats.tracked);
    }
  /* At most two windows' worth: those of the last minute, and those of the
   * minute before, until the next pruning. */
  g_assert_cmpuint (most, <=, 12001);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/rate-limit/twenty-a-minute", test_twenty_a_minute);
  g_test_add_func ("/rate-limit/sliding-window", test_sliding_window);
  g_test_add_func ("/rate-limit/one-warning-a-window", test_one_warning_a_window);
  g_test_add_func ("/rate-limit/warned-again-after-calm", test_warned_again_after_calm);
  g_test_add_func ("/rate-limit/pruning", test_pruning);
  g_test_add_func ("/rate-limit/bounded-memory", test_bounded_memory);
  return g_test_run ();
}
