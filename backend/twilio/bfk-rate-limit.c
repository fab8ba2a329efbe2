/* bfk-rate-limit.c: a sliding-window limiter per phone number.
 *
 * Each number keeps the times of its last @max_messages handled messages in a
 * ring: the number is over the limit when the oldest of them is still inside
 * the window.  That is exact (no bucket edges that let twice the limit
 * through), and costs max_messages timestamps a number.
 */
#include "bfk-rate-limit.h"

#define NEVER G_MININT64

typedef struct
{
  gint64 last_seen;      /* last message, handled or not */
  gint64 last_warning;   /* NEVER, or when the last warning was given */
  guint  head;           /* index of the oldest time in the ring */
  guint  count;          /* times in the ring */
  gint64 times[];        /* max_messages of them */
} Entry;

struct _BfkRateLimit
{
  GMutex      lock;
  guint       max_messages;
  gint64      window_us;
  GHashTable *entries;      /* phone → Entry */
  gint64      last_prune;
  guint64     refused;
  guint64     warnings;
};

BfkRateLimit *
bfk_rate_limit_new (guint  max_messages,
                    gint64 window_us)
{
  BfkRateLimit *limit;

  g_return_val_if_fail (max_messages > 0, NULL);
  g_return_val_if_fail (window_us > 0, NULL);

  limit = g_new0 (BfkRateLimit, 1);
  g_mutex_init (&limit->lock);
  limit->max_messages = max_messages;
  limit->window_us = window_us;
  limit->entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  limit->last_prune = NEVER;
  return limit;
}

void
bfk_rate_limit_free (BfkRateLimit *limit)
{
  if (limit == NULL)
    return;
  g_hash_table_unref (limit->entries);
  g_mutex_clear (&limit->lock);
  g_free (limit);
}

/* Whether @then is at least a window before @now; written so that NEVER
 * does not overflow. */
static gboolean
window_passed (const BfkRateLimit *limit,
               gint64              then,
               gint64              now)
{
  return then == NEVER || then <= now - limit->window_us;
}

static gboolean
entry_is_stale (gpointer key,
                gpointer value,
                gpointer user_data)
{
  const Entry *entry = value;
  const gint64 *bounds = user_data;  /* { now, window } */

  /* Every time in the entry is at most last_seen: once that is out of the
   * window, the entry says nothing a fresh one would not. */
  return entry->last_seen <= bounds[0] - bounds[1];
}

static void
prune_locked (BfkRateLimit *limit,
              gint64        now_us)
{
  gint64 bounds[2] = { now_us, limit->window_us };

  g_hash_table_foreach_remove (limit->entries, entry_is_stale, bounds);
  limit->last_prune = now_us;
}

void
bfk_rate_limit_prune (BfkRateLimit *limit,
                      gint64        now_us)
{
  g_return_if_fail (limit != NULL);

  g_mutex_lock (&limit->lock);
  prune_locked (limit, now_us);
  g_mutex_unlock (&limit->lock);
}

static Entry *
lookup_entry (BfkRateLimit *limit,
              const gchar  *phone)
{
  Entry *entry = g_hash_table_lookup (limit->entries, phone);

  if (entry == NULL)
    {
      entry = g_malloc0 (sizeof (Entry) + limit->max_messages * sizeof (gint64));
      entry->last_warning = NEVER;
      g_hash_table_insert (limit->entries, g_strdup (phone), entry);
    }
  return entry;
}

BfkRateLimitDecision
bfk_rate_limit_check (BfkRateLimit *limit,
                      const gchar  *phone,
                      gint64        now_us)
{
  BfkRateLimitDecision decision;
  Entry *entry;

  g_return_val_if_fail (limit != NULL, BFK_RATE_LIMIT_ALLOW);
  g_return_val_if_fail (phone != NULL, BFK_RATE_LIMIT_ALLOW);

  g_mutex_lock (&limit->lock);

  if (window_passed (limit, limit->last_prune, now_us))
    prune_locked (limit, now_us);

  entry = lookup_entry (limit, phone);
  entry->last_seen = now_us;

  while (entry->count > 0 && window_passed (limit, entry->times[entry->head], now_us))
    {
      entry->head = (entry->head + 1) % limit->max_messages;
      entry->count--;
    }

  if (entry->count < limit->max_messages)
    {
      entry->times[(entry->head + entry->count) % limit->max_messages] = now_us;
      entry->count++;
      decision = BFK_RATE_LIMIT_ALLOW;
    }
  else
    {
      limit->refused++;
      if (window_passed (limit, entry->last_warning, now_us))
        {
          entry->last_warning = now_us;
          limit->warnings++;
          decision = BFK_RATE_LIMIT_WARN;
        }
      else
        decision = BFK_RATE_LIMIT_DROP;
    }

  g_mutex_unlock (&limit->lock);
  return decision;
}

void
bfk_rate_limit_get_stats (BfkRateLimit      *limit,
                          BfkRateLimitStats *stats)
{
  g_return_if_fail (limit != NULL);
  g_return_if_fail (stats != NULL);

  g_mutex_lock (&limit->lock);
  stats->refused = limit->refused;
  stats->warnings = limit->warnings;
  stats->tracked = g_hash_table_size (limit->entries);
  g_mutex_unlock (&limit->lock);
}
