/* bfk-rate-limit.h: how many messages a phone number may send.
 *
 * A member (or a script behind a number) that floods the bot would fill the
 * outbox and the chain with work.  Each phone number may have at most
 * @max_messages messages handled in any sliding window of @window_us (by
 * default 20 a minute).  The first message over the limit gets one polite
 * warning (BFK_RATE_LIMIT_WARN); the following ones are dropped without an
 * answer (BFK_RATE_LIMIT_DROP), until the number is back under the limit.
 * At most one warning is given a window, so that a number which keeps
 * sending at the limit is not warned again and again.
 *
 * Only the messages that are let through count towards the limit: a number
 * that keeps flooding still gets @max_messages a window handled.
 *
 * The time is passed in (monotonic microseconds, g_get_monotonic_time() in
 * the product), so tests can drive it.  Memory is bounded by the numbers that
 * sent something in the last window: older entries are pruned as time
 * passes.  The limiter has its own lock; the counters may be read from any
 * thread (for /metrics).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BFK_RATE_LIMIT_DEFAULT_MAX       20
#define BFK_RATE_LIMIT_DEFAULT_WINDOW_US (60 * G_USEC_PER_SEC)

typedef enum
{
  BFK_RATE_LIMIT_ALLOW, /* handle the message */
  BFK_RATE_LIMIT_WARN,  /* do not handle it; answer with one warning */
  BFK_RATE_LIMIT_DROP,  /* do not handle it, and do not answer */
} BfkRateLimitDecision;

typedef struct _BfkRateLimit BfkRateLimit;

BfkRateLimit         *bfk_rate_limit_new          (guint         max_messages,
                                                   gint64        window_us);
void                  bfk_rate_limit_free         (BfkRateLimit *limit);

/* Records a message from @phone at @now_us and says what to do with it. */
BfkRateLimitDecision  bfk_rate_limit_check        (BfkRateLimit *limit,
                                                   const gchar  *phone,
                                                   gint64        now_us);

/* Forgets the numbers that have sent nothing in the window before @now_us.
 * bfk_rate_limit_check() calls it once a window; exposed for tests. */
void                  bfk_rate_limit_prune        (BfkRateLimit *limit,
                                                   gint64        now_us);

typedef struct
{
  guint64 refused;   /* messages refused since creation: warned and dropped */
  guint64 warnings;  /* warnings given since creation */
  guint   tracked;   /* phone numbers remembered now */
} BfkRateLimitStats;

void                  bfk_rate_limit_get_stats    (BfkRateLimit      *limit,
                                                   BfkRateLimitStats *stats);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BfkRateLimit, bfk_rate_limit_free)

G_END_DECLS
