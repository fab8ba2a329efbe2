/* bfk-dashboard.h: the figures of the console's overview, in one read.
 *
 * bfk_dashboard_compute reads every figure and series of the overview from
 * a store, in one read transaction (one consistent snapshot).  It stays
 * fast on a store of millions of rows: nothing scans a whole table except
 * the count of members (an index's count) and of open proposals.  Time
 * windows are read through id ranges: messages, operations and proposals
 * get their created_at when inserted, so ids grow with it, and the first id
 * of a window is found by a binary search over the primary key (see
 * bfk-dashboard.c).
 *
 * Where each figure comes from:
 *  - active members: the members who sent a WhatsApp message in the last 7
 *    days (the same as last_seen_at, which the inbound handler sets from
 *    that message, but read from the window of messages rather than by a
 *    scan of every member), or who signed an exchange operation.
 *  - exchange volume: the exchanges the chain says are completed
 *    (exchanges.state 3), dated by when the outbox saw their
 *    complete_exchange operation mined.  The events and the exchanges
 *    tables have no time (blocks are not dated in the store), and a
 *    proposal's updated_at moves on a rating too.  Amounts of different
 *    communities are summed unit for unit.
 *  - delivery, success rate, confirmation times: over the last 7 days.
 *
 * Times are seconds since the epoch; days are the calendar days of tz.
 * Threads: like the BfkStore it is given.
 */
#pragma once

#include <glib.h>

#include "bfk-store.h"

G_BEGIN_DECLS

#define BFK_DASHBOARD_DAYS         14   /* of exchange volume, the last one today */
#define BFK_DASHBOARD_HOURS        24   /* of messages, the last one the current hour */
#define BFK_DASHBOARD_WEEK         7    /* the window of the rates, in days */
#define BFK_DASHBOARD_CONFIRM_BINS 7    /* of the confirmation-time histogram */

typedef struct
{
  gint64  id;
  gchar  *name;                           /* the chain's name, or NULL when unknown */
  gchar  *symbol;                         /* "FJK", or NULL */
  gint64  volume[BFK_DASHBOARD_DAYS];     /* units paid by completed exchanges, by day */
} BfkDashboardCommunity;

typedef struct
{
  gint64      now;

  gint64      members;                    /* every member, registered on chain or not */
  gint64      active_members;             /* in the last 7 days */
  gint64      volume_today;               /* units, every community together */
  gint64      exchanges_today;
  gint64      volume_week;                /* today and the 6 days before */
  gint64      exchanges_week;
  gint64      open_proposals;             /* pending, proposed or accepted */
  gint64      queued_operations;          /* queued, signed or sent: not mined yet */

  /* Over the last 7 days.  A rate's denominator of 0 means no data. */
  gint64      messages_sent;              /* outbound, through Twilio's API, or failed */
  gint64      messages_delivered;         /* of which delivered or read */
  gint64      operations_confirmed;
  gint64      operations_failed;
  gint64      median_confirmation_s;      /* -1: no confirmed operation */

  /* Series.  day_start[i] is the start of day i, the last one today. */
  gint64      day_start[BFK_DASHBOARD_DAYS];
  GPtrArray  *communities;                /* BfkDashboardCommunity, by id */
  /* Confirmed operations by time to confirm, in the bins of
   * bfk_dashboard_confirm_bins. */
  gint64      confirm_bins[BFK_DASHBOARD_CONFIRM_BINS];
  /* hour_start[i] is the start of hour i, the last one the current hour. */
  gint64      hour_start[BFK_DASHBOARD_HOURS];
  gint64      messages_in[BFK_DASHBOARD_HOURS];
  gint64      messages_out[BFK_DASHBOARD_HOURS];
} BfkDashboard;

/* Every figure as of now; tz gives the days (NULL: the local time zone).
 * NULL with error when the store fails. */
BfkDashboard *bfk_dashboard_compute          (BfkStore      *store,
                                              gint64         now,
                                              GTimeZone     *tz,
                                              GError       **error);
void          bfk_dashboard_free             (BfkDashboard  *dashboard);

/* The upper bounds, in seconds, of the confirmation-time bins but the last
 * (which is everything above): BFK_DASHBOARD_CONFIRM_BINS - 1 of them. */
const gint64 *bfk_dashboard_confirm_bounds   (void);

/* The delivery and success rates, between 0 and 1; FALSE when there is no
 * data yet (nothing sent, nothing confirmed nor failed). */
gboolean      bfk_dashboard_delivery_rate    (const BfkDashboard *dashboard,
                                              gdouble            *rate);
gboolean      bfk_dashboard_success_rate     (const BfkDashboard *dashboard,
                                              gdouble            *rate);

/* The q-quantile (0 < q < 1) of the Prometheus histogram name in text
 * (the exposition format: name_bucket{…,le="…"} lines, cumulative), by
 * linear interpolation inside the bucket that holds it, as Prometheus's
 * histogram_quantile does; series with other labels are added up.  A
 * quantile in the +Inf bucket is the highest finite bound.  FALSE when the
 * histogram is missing or has no observation. */
gboolean      bfk_dashboard_histogram_quantile (const gchar  *text,
                                                const gchar  *name,
                                                gdouble       q,
                                                gdouble      *value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BfkDashboard, bfk_dashboard_free)

G_END_DECLS
