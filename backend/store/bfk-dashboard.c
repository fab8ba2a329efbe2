/* bfk-dashboard.c: the overview's figures, read in one snapshot.
 *
 * A store may hold millions of operations and messages, and the console
 * reads these figures on every change of the database (up to twice a
 * second), so each query reads a bounded window: the rows since a time.
 * There is no index on created_at, but ids are given in insertion order and
 * created_at is the time of insertion, so the first id of a window is found
 * by a binary search on the primary key, about twenty lookups; the query
 * then reads that id range and filters on created_at again, so that a
 * clock that stepped back only shortens a window, never widens it.
 */
#include "bfk-dashboard.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DAY       (24 * 60 * 60)
#define WEEK      (BFK_DASHBOARD_WEEK * DAY)
/* A complete_exchange operation is mined seconds after it is queued; one
 * queued a day before the window and mined inside it still counts. */
#define MINE_SLACK DAY

/* Statements are cached by the address of their text: literals only. */
typedef struct
{
  const gchar *max;
  const gchar *probe;
} Window;

static const Window messages_window = {
  "SELECT coalesce (max (id), 0) FROM messages",
  "SELECT id, created_at FROM messages WHERE id >= ? ORDER BY id LIMIT 1",
};
static const Window operations_window = {
  "SELECT coalesce (max (id), 0) FROM operations",
  "SELECT id, created_at FROM operations WHERE id >= ? ORDER BY id LIMIT 1",
};

static const gint64 confirm_bounds[BFK_DASHBOARD_CONFIRM_BINS - 1] = { 5, 15, 30, 60, 120, 300 };

const gint64 *
bfk_dashboard_confirm_bounds (void)
{
  return confirm_bounds;
}

static void
community_free (BfkDashboardCommunity *c)
{
  g_free (c->name);
  g_free (c->symbol);
  g_free (c);
}

void
bfk_dashboard_free (BfkDashboard *dashboard)
{
  if (!dashboard)
    return;
  g_clear_pointer (&dashboard->communities, g_ptr_array_unref);
  g_free (dashboard);
}

/* Runs stmt, bound to the n gint64 that follow, and reads its first row's
 * integer columns into out (NULL columns read 0). */
static gboolean
query_ints (BfkStore     *store,
            const gchar  *sql,
            gint64       *out,
            guint         n_out,
            GError      **error,
            guint         n_binds,
            ...)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store, sql, error);
  va_list args;
  int rc;

  if (!stmt)
    return FALSE;
  va_start (args, n_binds);
  for (guint i = 0; i < n_binds; i++)
    sqlite3_bind_int64 (stmt, (int) i + 1, va_arg (args, gint64));
  va_end (args);
  rc = sqlite3_step (stmt);
  for (guint i = 0; i < n_out; i++)
    out[i] = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, (int) i) : 0;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      bfk_store_set_error (store, error, "reading the overview's figures");
      return FALSE;
    }
  return TRUE;
}

/* The first id of the window's table whose row was created at or after
 * since (one past the last id when none was). */
static gboolean
first_id_since (BfkStore      *store,
                const Window  *window,
                gint64         since,
                gint64        *first,
                GError       **error)
{
  gint64 lo = 1, hi;

  if (!query_ints (store, window->max, &hi, 1, error, 0))
    return FALSE;
  hi++;
  /* Every id below lo was created before since; hi is a candidate. */
  while (lo < hi)
    {
      gint64 mid = lo + (hi - lo) / 2;
      gint64 row[2];

      if (!query_ints (store, window->probe, row, 2, error, 1, mid))
        return FALSE;
      if (row[0] == 0 || row[1] >= since)
        hi = mid;
      else
        lo = row[0] + 1;
    }
  *first = lo;
  return TRUE;
}

static void
compute_days (BfkDashboard *d,
              GTimeZone    *tz)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (d->now);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, tz);
  g_autoptr(GDateTime) midnight = g_date_time_new (tz, g_date_time_get_year (local),
                                                   g_date_time_get_month (local),
                                                   g_date_time_get_day_of_month (local), 0, 0, 0);
  gint64 offset = g_date_time_get_utc_offset (local) / G_TIME_SPAN_SECOND;
  /* Hours of local time: a zone may be half an hour off UTC. */
  gint64 hour = d->now - (((d->now + offset) % 3600) + 3600) % 3600;

  for (guint i = 0; i < BFK_DASHBOARD_DAYS; i++)
    {
      g_autoptr(GDateTime) day = g_date_time_add_days (midnight, (gint) i - (BFK_DASHBOARD_DAYS - 1));

      d->day_start[i] = g_date_time_to_unix (day);
    }
  for (guint i = 0; i < BFK_DASHBOARD_HOURS; i++)
    d->hour_start[i] = hour - (gint64) (BFK_DASHBOARD_HOURS - 1 - i) * 3600;
}

static BfkDashboardCommunity *
add_community (GPtrArray   *communities,
               gint64       id,
               const gchar *name,
               const gchar *symbol)
{
  BfkDashboardCommunity *c = g_new0 (BfkDashboardCommunity, 1);

  c->id = id;
  c->name = g_strdup (name);
  c->symbol = g_strdup (symbol);
  g_ptr_array_add (communities, c);
  return c;
}

static gboolean
read_communities (BfkStore      *store,
                  BfkDashboard  *d,
                  GError       **error)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store, "SELECT id, name, currency_symbol FROM communities"
                                                 " ORDER BY id", error);
  int rc;

  if (!stmt)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    add_community (d->communities, sqlite3_column_int64 (stmt, 0),
                   (const gchar *) sqlite3_column_text (stmt, 1),
                   (const gchar *) sqlite3_column_text (stmt, 2));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      bfk_store_set_error (store, error, "reading the communities");
      return FALSE;
    }
  return TRUE;
}

static BfkDashboardCommunity *
community_of (BfkDashboard *d,
              gint64        id)
{
  guint i;

  for (i = 0; i < d->communities->len; i++)
    {
      BfkDashboardCommunity *c = g_ptr_array_index (d->communities, i);

      if (c->id == id)
        return c;
      if (c->id > id)
        break;
    }
  /* One the follower has not read yet: keep the order by id. */
  add_community (d->communities, id, NULL, NULL);
  g_ptr_array_insert (d->communities, (gint) i, g_ptr_array_steal_index (d->communities, d->communities->len - 1));
  return g_ptr_array_index (d->communities, i);
}

static gboolean
read_volume (BfkStore      *store,
             BfkDashboard  *d,
             gint64         first_op,
             GError       **error)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store,
      "SELECT x.community_id, o.mined_at, x.amount FROM operations o"
      " JOIN exchanges x ON x.id = o.exchange_id"
      " WHERE o.id >= ?1 AND o.kind = 'complete_exchange' AND o.state IN ('mined', 'confirmed')"
      " AND o.mined_at >= ?2 AND o.mined_at <= ?3 AND x.state = 3", error);
  gint64 week_start = d->day_start[BFK_DASHBOARD_DAYS - BFK_DASHBOARD_WEEK];
  int rc;

  if (!stmt)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, first_op);
  sqlite3_bind_int64 (stmt, 2, d->day_start[0]);
  sqlite3_bind_int64 (stmt, 3, d->now);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 at = sqlite3_column_int64 (stmt, 1);
      gint64 amount = sqlite3_column_int64 (stmt, 2);
      BfkDashboardCommunity *c = community_of (d, sqlite3_column_int64 (stmt, 0));
      guint day = BFK_DASHBOARD_DAYS - 1;

      while (day > 0 && at < d->day_start[day])
        day--;
      c->volume[day] += amount;
      if (at >= week_start)
        {
          d->volume_week += amount;
          d->exchanges_week++;
        }
      if (at >= d->day_start[BFK_DASHBOARD_DAYS - 1])
        {
          d->volume_today += amount;
          d->exchanges_today++;
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      bfk_store_set_error (store, error, "reading the exchange volume");
      return FALSE;
    }
  return TRUE;
}

static gint
compare_int64 (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

static gboolean
read_confirmations (BfkStore      *store,
                    BfkDashboard  *d,
                    gint64         first_op,
                    GError       **error)
{
  /* One pass for the success rate and the times.  An operation the
   * operator cancelled did not fail on chain. */
  sqlite3_stmt *stmt = bfk_store_prepare (store,
      "SELECT state = 'confirmed', max (confirmed_at - coalesce (sent_at, created_at), 0) FROM operations"
      " WHERE id >= ?1 AND created_at >= ?2 AND state IN ('confirmed', 'failed')"
      " AND coalesce (failure_class, '') != 'cancelled'", error);
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (gint64));
  int rc;

  if (!stmt)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, first_op);
  sqlite3_bind_int64 (stmt, 2, d->now - WEEK);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 t = sqlite3_column_int64 (stmt, 1);
      guint bin = 0;

      if (!sqlite3_column_int (stmt, 0))
        {
          d->operations_failed++;
          continue;
        }
      d->operations_confirmed++;
      /* A confirmed operation without its time (none in practice) counts
       * in the rate only. */
      if (sqlite3_column_type (stmt, 1) == SQLITE_NULL)
        continue;
      while (bin < BFK_DASHBOARD_CONFIRM_BINS - 1 && t > confirm_bounds[bin])
        bin++;
      d->confirm_bins[bin]++;
      g_array_append_val (times, t);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      bfk_store_set_error (store, error, "reading the confirmation times");
      return FALSE;
    }
  d->median_confirmation_s = -1;
  if (times->len > 0)
    {
      gint64 *t = (gint64 *) (gpointer) times->data;

      g_array_sort (times, compare_int64);
      d->median_confirmation_s = times->len % 2 ? t[times->len / 2]
                                 : (t[times->len / 2 - 1] + t[times->len / 2]) / 2;
    }
  return TRUE;
}

static gboolean
read_hours (BfkStore      *store,
            BfkDashboard  *d,
            gint64         first_message,
            GError       **error)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store,
      "SELECT (created_at - ?2) / 3600, direction = 'in', count (*) FROM messages"
      " WHERE id >= ?1 AND created_at >= ?2 AND created_at <= ?3 GROUP BY 1, 2", error);
  int rc;

  if (!stmt)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, first_message);
  sqlite3_bind_int64 (stmt, 2, d->hour_start[0]);
  sqlite3_bind_int64 (stmt, 3, d->now);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 hour = sqlite3_column_int64 (stmt, 0);

      if (hour < 0 || hour >= BFK_DASHBOARD_HOURS)
        continue;
      if (sqlite3_column_int (stmt, 1))
        d->messages_in[hour] = sqlite3_column_int64 (stmt, 2);
      else
        d->messages_out[hour] = sqlite3_column_int64 (stmt, 2);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      bfk_store_set_error (store, error, "reading the messages by hour");
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_all (BfkStore      *store,
          BfkDashboard  *d,
          GError       **error)
{
  gint64 week_ago = d->now - WEEK;
  gint64 messages_week, messages_day, ops_week, ops_volume;
  gint64 pair[2];

  if (!first_id_since (store, &messages_window, week_ago, &messages_week, error)
      || !first_id_since (store, &messages_window, d->hour_start[0], &messages_day, error)
      || !first_id_since (store, &operations_window, week_ago, &ops_week, error)
      || !first_id_since (store, &operations_window, d->day_start[0] - MINE_SLACK, &ops_volume, error))
    return FALSE;

  /* The count of a table is a walk of its smallest index. */
  if (!query_ints (store, "SELECT count (*) FROM members", &d->members, 1, error, 0)
      || !query_ints (store,
                      "SELECT count (*) FROM ("
                      " SELECT member_id FROM messages WHERE id >= ?1 AND created_at >= ?3"
                      "  AND direction = 'in' AND member_id IS NOT NULL"
                      " UNION"
                      " SELECT member_id FROM operations WHERE id >= ?2 AND created_at >= ?3"
                      "  AND member_id IS NOT NULL AND kind IN ('propose_exchange', 'accept_exchange',"
                      "  'decline_exchange', 'cancel_exchange', 'complete_exchange', 'rate_exchange'))",
                      &d->active_members, 1, error, 3, messages_week, ops_week, week_ago)
      || !query_ints (store, "SELECT count (*) FROM proposals"
                             " WHERE state IN ('pending', 'proposed', 'accepted')",
                      &d->open_proposals, 1, error, 0)
      || !query_ints (store, "SELECT count (*) FROM operations WHERE state IN ('queued', 'signed', 'sent')",
                      &d->queued_operations, 1, error, 0))
    return FALSE;

  /* Sent through Twilio's API (it gave a sid, and its status callbacks
   * tell delivered and read), or failed.  A bot's answer in the webhook's
   * TwiML has no sid and never hears back: it stays "sent", and would
   * count as undelivered for ever.  What is still queued, or kept unsent
   * without Twilio, is not the delivery's failure either. */
  if (!query_ints (store,
                   "SELECT count (*), coalesce (sum (status IN ('delivered', 'read')), 0) FROM messages"
                   " WHERE id >= ?1 AND created_at >= ?2 AND direction = 'out'"
                   " AND ((twilio_sid IS NOT NULL AND status IN ('sent', 'delivered', 'read'))"
                   "      OR status IN ('failed', 'undelivered'))",
                   pair, 2, error, 2, messages_week, week_ago))
    return FALSE;
  d->messages_sent = pair[0];
  d->messages_delivered = pair[1];

  return read_communities (store, d, error)
         && read_volume (store, d, ops_volume, error)
         && read_confirmations (store, d, ops_week, error)
         && read_hours (store, d, messages_day, error);
}

BfkDashboard *
bfk_dashboard_compute (BfkStore      *store,
                       gint64         now,
                       GTimeZone     *tz,
                       GError       **error)
{
  g_autoptr(BfkDashboard) d = NULL;
  g_autoptr(GTimeZone) local = NULL;
  gboolean own_transaction, ok;

  g_return_val_if_fail (store != NULL, NULL);

  d = g_new0 (BfkDashboard, 1);
  own_transaction = sqlite3_get_autocommit (bfk_store_get_db (store));
  if (!tz)
    tz = local = g_time_zone_new_local ();
  d->now = now;
  d->communities = g_ptr_array_new_with_free_func ((GDestroyNotify) community_free);
  compute_days (d, tz);

  /* One snapshot: the figures agree with each other even while the
   * backend writes. */
  if (own_transaction && !bfk_store_exec (store, "BEGIN", error))
    return NULL;
  ok = read_all (store, d, error);
  if (own_transaction)
    bfk_store_exec (store, "COMMIT", NULL);
  return ok ? g_steal_pointer (&d) : NULL;
}

gboolean
bfk_dashboard_delivery_rate (const BfkDashboard *dashboard,
                             gdouble            *rate)
{
  if (dashboard->messages_sent == 0)
    return FALSE;
  *rate = (gdouble) dashboard->messages_delivered / (gdouble) dashboard->messages_sent;
  return TRUE;
}

gboolean
bfk_dashboard_success_rate (const BfkDashboard *dashboard,
                            gdouble            *rate)
{
  gint64 done = dashboard->operations_confirmed + dashboard->operations_failed;

  if (done == 0)
    return FALSE;
  *rate = (gdouble) dashboard->operations_confirmed / (gdouble) done;
  return TRUE;
}

/* --- a quantile of a Prometheus histogram ------------------------------- */

typedef struct
{
  gdouble le;
  gdouble count;
} Bucket;

static gint
compare_buckets (gconstpointer a,
                 gconstpointer b)
{
  gdouble x = ((const Bucket *) a)->le, y = ((const Bucket *) b)->le;

  return (x > y) - (x < y);
}

/* The le label of a sample line's labels ("{a=\"x\",le=\"0.5\"}"), and
 * where the labels end. */
static gboolean
parse_le (const gchar  *labels,
          gdouble      *le,
          const gchar **end)
{
  const gchar *close = strchr (labels, '}');
  const gchar *at = labels;
  gchar *after;

  if (!close)
    return FALSE;
  *end = close + 1;
  while ((at = strstr (at, "le=\"")) && at < close)
    {
      /* "le" itself, not the end of another label's name (a "file"). */
      if (at[-1] == '{' || at[-1] == ',')
        {
          *le = g_ascii_strtod (at + 4, &after);
          return after != at + 4 && *after == '"';
        }
      at += 4;
    }
  return FALSE;
}

gboolean
bfk_dashboard_histogram_quantile (const gchar  *text,
                                  const gchar  *name,
                                  gdouble       q,
                                  gdouble      *value)
{
  g_autofree gchar *prefix = NULL;
  g_autoptr(GArray) buckets = NULL;
  g_auto(GStrv) lines = NULL;
  gsize prefix_len;
  gdouble total, rank, lower = 0, below = 0;

  g_return_val_if_fail (name != NULL && value != NULL, FALSE);

  if (!text || q <= 0 || q >= 1)
    return FALSE;
  prefix = g_strconcat (name, "_bucket{", NULL);
  prefix_len = strlen (prefix);
  buckets = g_array_new (FALSE, FALSE, sizeof (Bucket));
  lines = g_strsplit (text, "\n", -1);
  for (gchar **line = lines; *line; line++)
    {
      const gchar *end;
      gchar *after;
      Bucket b;
      guint i;

      if (strncmp (*line, prefix, prefix_len) != 0
          || !parse_le (*line + prefix_len - 1, &b.le, &end))
        continue;
      b.count = g_ascii_strtod (end, &after);
      if (after == end || isnan (b.count))
        continue;
      /* Series of other labels add up, bucket by bucket. */
      for (i = 0; i < buckets->len; i++)
        if (g_array_index (buckets, Bucket, i).le == b.le)
          break;
      if (i < buckets->len)
        g_array_index (buckets, Bucket, i).count += b.count;
      else
        g_array_append_val (buckets, b);
    }
  if (buckets->len == 0)
    return FALSE;
  g_array_sort (buckets, compare_buckets);

  total = g_array_index (buckets, Bucket, buckets->len - 1).count;
  if (total <= 0)
    return FALSE;
  rank = q * total;
  for (guint i = 0; i < buckets->len; i++)
    {
      const Bucket *b = &g_array_index (buckets, Bucket, i);

      if (b->count >= rank)
        {
          if (isinf (b->le))
            {
              /* Above every bound: the best is the highest one. */
              if (i == 0)
                return FALSE;
              *value = g_array_index (buckets, Bucket, i - 1).le;
            }
          else if (b->count == below)
            *value = b->le;
          else
            *value = lower + (b->le - lower) * (rank - below) / (b->count - below);
          return TRUE;
        }
      lower = b->le;
      below = b->count;
    }
  return FALSE;
}
