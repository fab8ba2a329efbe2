/* test-twilio-retry.c: the backoff schedule and Retry-After. */
#include "bfk-twilio-client.h"

#define S 1000  /* ms */

static void
test_backoff_schedule (void)
{
  const guint64 expected[] = { 2 * S, 2 * S, 4 * S, 8 * S, 16 * S, 32 * S, 64 * S, 128 * S,
                               256 * S, 512 * S, 600 * S, 600 * S };

  /* Attempt 0 is read as the first retry. */
  for (guint attempt = 0; attempt < G_N_ELEMENTS (expected); attempt++)
    g_assert_cmpuint (bfk_twilio_backoff_ms (attempt, -1), ==, expected[attempt]);
  /* No overflow however many attempts. */
  g_assert_cmpuint (bfk_twilio_backoff_ms (G_MAXUINT, -1), ==, BFK_TWILIO_BACKOFF_CAP_MS);
  /* Deterministic. */
  g_assert_cmpuint (bfk_twilio_backoff_ms (5, -1), ==, bfk_twilio_backoff_ms (5, -1));
}

static void
test_backoff_retry_after (void)
{
  /* A longer Retry-After wins; a shorter one does not shorten the schedule. */
  g_assert_cmpuint (bfk_twilio_backoff_ms (1, 30 * S), ==, 30 * S);
  g_assert_cmpuint (bfk_twilio_backoff_ms (3, 1 * S), ==, 8 * S);
  g_assert_cmpuint (bfk_twilio_backoff_ms (1, 0), ==, 2 * S);
  /* Past the cap of the schedule, up to an hour. */
  g_assert_cmpuint (bfk_twilio_backoff_ms (20, 1800 * S), ==, 1800 * S);
  g_assert_cmpuint (bfk_twilio_backoff_ms (1, 86400 * S), ==, BFK_TWILIO_RETRY_AFTER_CAP_MS);
}

static void
test_parse_retry_after (void)
{
  /* Sun, 06 Nov 1994 08:49:37 GMT, RFC 9110's example date. */
  const gint64 date = 784111777;

  g_assert_cmpint (bfk_twilio_parse_retry_after ("120", 0), ==, 120 * S);
  g_assert_cmpint (bfk_twilio_parse_retry_after (" 5 \r\n", 0), ==, 5 * S);
  g_assert_cmpint (bfk_twilio_parse_retry_after ("0", 0), ==, 0);
  g_assert_cmpint (bfk_twilio_parse_retry_after ("Sun, 06 Nov 1994 08:49:37 GMT", date - 90), ==, 90 * S);
  g_assert_cmpint (bfk_twilio_parse_retry_after ("Sunday, 06-Nov-94 08:49:37 GMT", date - 1), ==, 1 * S);
  g_assert_cmpint (bfk_twilio_parse_retry_after ("Sun Nov  6 08:49:37 1994", date - 2), ==, 2 * S);
  /* A date already past: retry now. */
  g_assert_cmpint (bfk_twilio_parse_retry_after ("Sun, 06 Nov 1994 08:49:37 GMT", date + 60), ==, 0);

  g_assert_cmpint (bfk_twilio_parse_retry_after (NULL, 0), ==, -1);
  g_assert_cmpint (bfk_twilio_parse_retry_after ("", 0), ==, -1);
  g_assert_cmpint (bfk_twilio_parse_retry_after ("soon", 0), ==, -1);
  g_assert_cmpint (bfk_twilio_parse_retry_after ("-3", 0), ==, -1);
  g_assert_cmpint (bfk_twilio_parse_retry_after ("99999999999999999999", 0), ==, -1);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/twilio-retry/backoff-schedule", test_backoff_schedule);
  g_test_add_func ("/twilio-retry/backoff-retry-after", test_backoff_retry_after);
  g_test_add_func ("/twilio-retry/parse-retry-after", test_parse_retry_after);
  return g_test_run ();
}
