/* test-dashboard.c: the overview's figures over seeded rows.
 *
 * A store with five members, messages, operations, exchanges and proposals
 * written with SQL at times around a fixed now, as the backend would write
 * them (in time order, so ids grow with created_at), then every figure and
 * series checked against what the rows say; the days in two time zones;
 * an empty store, where nothing has data; and the p95 of a histogram as
 * bfk-metrics renders it.
 */
#include "bfk-dashboard.h"
#include "bfk-metrics.h"
#include "test-whatsapp-store.h"

#define NOW   T0                /* 2023-11-14 22:13:20 UTC, 23:13:20 at UTC+1 */
#define HOUR  3600
#define DAY   (24 * HOUR)

typedef struct
{
  WaFixture   wa;       /* marie (1) and paul (2) in 1, ama (3) in 2 */
  BfkMember  *zoe;      /* 1, never seen */
  BfkMember  *bob;      /* 2, seen 8 days ago only */
} DashFixture;

/* sid: Twilio's, for an outbound message sent through its API; NULL for
 * an inbound one, or an answer in the webhook's TwiML. */
static void
insert_message (Fixture     *f,
                gint64       at,
                gint64       member_id,
                const gchar *direction,
                const gchar *status,
                const gchar *sid)
{
  sqlite3_stmt *stmt = bfk_store_prepare (f->store,
      "INSERT INTO messages (phone, member_id, direction, body, twilio_sid, status, created_at, updated_at)"
      " VALUES ('+237600000000', nullif (?1, 0), ?2, 'x', ?3, ?4, ?5, ?5)", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (stmt);
  sqlite3_bind_int64 (stmt, 1, member_id);
  sqlite3_bind_text (stmt, 2, direction, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, sid, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, status, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, at);
  g_assert_true (bfk_store_step_done (f->store, stmt, &error));
  g_assert_no_error (error);
}

static void
message (Fixture     *f,
         gint64       at,
         gint64       member_id,
         const gchar *direction,
         const gchar *status)
{
  static gint n;
  g_autofree gchar *sid = g_strdup_printf ("SM%d", ++n);
  gboolean through_api = g_str_equal (direction, "out")
                         && !g_str_equal (status, "queued") && !g_str_equal (status, "failed");

  insert_message (f, at, member_id, direction, status, through_api ? sid : NULL);
}

typedef struct
{
  gint64       at;            /* created */
  const gchar *kind;
  gint64       member_id;     /* 0: none */
  gint64       exchange_id;   /* 0: none */
  const gchar *state;
  const gchar *failure;       /* NULL: none */
  gint64       sent;          /* after at; -1: never */
  gint64       mined;         /* after at; -1: never */
  gint64       confirmed;     /* after at; -1: never */
} Op;

static void
operation (Fixture  *f,
           const Op *op)
{
  static gint nonce;
  g_autofree gchar *sql = g_strdup_printf (
      "INSERT INTO operations (kind, signer, nonce, target, calldata, summary, member_id,"
      " exchange_id, state, failure_class, created_at, sent_at, mined_at, confirmed_at, updated_at)"
      " VALUES ('%s', '0xsigner', %d, '0xcontract', x'00', 'op', nullif (%" G_GINT64_FORMAT ", 0),"
      " nullif (%" G_GINT64_FORMAT ", 0), '%s', %s%s%s, %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT
      ", %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ")",
      op->kind, ++nonce, op->member_id, op->exchange_id, op->state,
      op->failure ? "'" : "", op->failure ? op->failure : "NULL", op->failure ? "'" : "",
      op->at, op->at + op->sent, op->at + op->mined, op->at + op->confirmed, op->at);

  fixture_exec (f, sql);
  /* "never" is NULL, as the outbox leaves it. */
  fixture_exec (f, "UPDATE operations SET sent_at = CASE WHEN sent_at < created_at THEN NULL ELSE sent_at END,"
                   " mined_at = CASE WHEN mined_at < created_at THEN NULL ELSE mined_at END,"
                   " confirmed_at = CASE WHEN confirmed_at < created_at THEN NULL ELSE confirmed_at END"
                   " WHERE id = last_insert_rowid ()");
}

static void
exchange (Fixture *f,
          gint64   id,
          gint64   community_id,
          gint64   amount,
          gint     state)
{
  g_autofree gchar *sql = g_strdup_printf (
      "INSERT INTO exchanges (id, payer, provider, community_id, amount, deadline, state, updated_block)"
      " VALUES (%" G_GINT64_FORMAT ", '0xpayer', '0xprovider', %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT
      ", 0, %d, 1)", id, community_id, amount, state);

  fixture_exec (f, sql);
}

static void
proposal (Fixture     *f,
          const gchar *state)
{
  g_autofree gchar *sql = g_strdup_printf (
      "INSERT INTO proposals (payer_id, provider_id, community_id, service, amount, deadline, state,"
      " created_at, updated_at) VALUES (1, 2, 1, 'labour', 10, %d, '%s', %d, %d)",
      NOW + DAY, state, NOW - HOUR, NOW - HOUR);

  fixture_exec (f, sql);
}

static void
dash_set_up (DashFixture   *f,
             gconstpointer  data)
{
  Fixture *base = &f->wa.base;
  gint64 marie, paul, ama;

  wa_set_up (&f->wa, data);
  f->zoe = wa_member (base, "+237600000004", "zoe", 1);
  f->bob = wa_member (base, "+237600000005", "bob", 2);
  marie = f->wa.marie->id;
  paul = f->wa.paul->id;
  ama = f->wa.ama->id;
  fixture_exec (base, "INSERT INTO communities (id, name, currency_name, currency_symbol) VALUES"
                      " (1, 'Fondjomenkwet', 'Fonjoka', 'FJK'), (2, 'Banja', 'Banjika', 'BJK')");

  /* Messages, oldest first. */
  message (base, NOW - 10 * DAY, marie, "in", "received");
  message (base, NOW - 8 * DAY, f->bob->id, "in", "received");
  message (base, NOW - 6 * DAY, paul, "in", "received");
  message (base, NOW - 5 * DAY, paul, "out", "delivered");
  message (base, NOW - 2 * HOUR, marie, "in", "received");
  message (base, NOW - 2 * HOUR, marie, "out", "read");
  insert_message (base, NOW - 2 * HOUR, marie, "out", "sent", NULL);   /* the bot's TwiML answer */
  message (base, NOW - HOUR, ama, "out", "failed");
  message (base, NOW - HOUR / 2, ama, "out", "queued");      /* not handed to Twilio yet */
  message (base, NOW - 600, 0, "in", "received");            /* a newcomer */

  /* Exchanges on chain: 5, 7 and 8 completed (3), 9 only accepted (2). */
  exchange (base, 5, 1, 25, 3);
  exchange (base, 6, 1, 1000, 3);
  exchange (base, 7, 2, 40, 3);
  exchange (base, 8, 1, 100, 3);
  exchange (base, 9, 1, 70, 2);

  /* Operations, oldest first. */
  operation (base, &(Op) { NOW - 20 * DAY, "register_member", marie, 0, "confirmed", NULL, 1, 3, 10 });
  operation (base, &(Op) { NOW - 20 * DAY + 5, "complete_exchange", marie, 6, "confirmed", NULL, 1, 3, 10 });
  operation (base, &(Op) { NOW - 9 * DAY, "complete_exchange", marie, 5, "confirmed", NULL, 1, 4, 30 });
  operation (base, &(Op) { NOW - 3 * DAY, "propose_exchange", ama, 0, "confirmed", NULL, 2, 5, 12 });
  operation (base, &(Op) { NOW - 2 * DAY, "complete_exchange", ama, 7, "confirmed", NULL, 1, 5, 65 });
  /* Mined 23 h ago: today at UTC+1, yesterday at UTC. */
  operation (base, &(Op) { NOW - 23 * HOUR, "complete_exchange", marie, 8, "confirmed", NULL, 0, 3, 20 });
  operation (base, &(Op) { NOW - 2 * HOUR, "complete_exchange", marie, 9, "mined", NULL, 0, 3, -1 });
  operation (base, &(Op) { NOW - HOUR, "rate_exchange", paul, 7, "failed", "reverted", 1, 4, -1 });
  operation (base, &(Op) { NOW - 50 * 60, "accept_exchange", ama, 9, "failed", "cancelled", -1, -1, -1 });
  operation (base, &(Op) { NOW - 300, "accept_exchange", paul, 9, "queued", NULL, -1, -1, -1 });
  operation (base, &(Op) { NOW - 60, "recharge", 0, 0, "sent", NULL, 2, -1, -1 });

  proposal (base, "pending");
  proposal (base, "proposed");
  proposal (base, "accepted");
  proposal (base, "completed");
  proposal (base, "completed");
  proposal (base, "expired");
}

static void
dash_tear_down (DashFixture   *f,
                gconstpointer  data)
{
  g_clear_pointer (&f->zoe, bfk_member_free);
  g_clear_pointer (&f->bob, bfk_member_free);
  wa_tear_down (&f->wa, data);
}

static BfkDashboard *
compute (Fixture     *f,
         const gchar *zone)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (zone);
  BfkDashboard *d;

  g_assert_nonnull (tz);
  d = bfk_dashboard_compute (f->store, NOW, tz, &error);
  g_assert_no_error (error);
  g_assert_nonnull (d);
  return d;
}

static const BfkDashboardCommunity *
community (const BfkDashboard *d,
           guint               i)
{
  g_assert_cmpuint (i, <, d->communities->len);
  return g_ptr_array_index (d->communities, i);
}

static void
test_figures (DashFixture   *f,
              gconstpointer  data)
{
  g_autoptr(BfkDashboard) d = compute (&f->wa.base, "+01:00");
  gdouble rate;

  g_assert_cmpint (d->members, ==, 5);
  /* marie and paul wrote this week, ama only signed exchange operations;
   * bob wrote 8 days ago and zoe never. */
  g_assert_cmpint (d->active_members, ==, 3);
  g_assert_cmpint (d->open_proposals, ==, 3);
  g_assert_cmpint (d->queued_operations, ==, 2);

  /* Exchange 8 today, 7 two days ago; 9 is mined but not completed on
   * chain yet; 5 is 9 days old and 6 twenty. */
  g_assert_cmpint (d->volume_today, ==, 100);
  g_assert_cmpint (d->exchanges_today, ==, 1);
  g_assert_cmpint (d->volume_week, ==, 140);
  g_assert_cmpint (d->exchanges_week, ==, 2);

  /* Delivered and read of delivered, read and failed; the queued one
   * was not handed over yet, and the TwiML answer never hears back. */
  g_assert_cmpint (d->messages_sent, ==, 3);
  g_assert_cmpint (d->messages_delivered, ==, 2);
  g_assert_true (bfk_dashboard_delivery_rate (d, &rate));
  g_assert_cmpfloat_with_epsilon (rate, 2.0 / 3.0, 1e-9);

  /* This week: three confirmed, one reverted; the cancelled one is the
   * operator's doing, and the 9- and 20-day-old ones are outside. */
  g_assert_cmpint (d->operations_confirmed, ==, 3);
  g_assert_cmpint (d->operations_failed, ==, 1);
  g_assert_true (bfk_dashboard_success_rate (d, &rate));
  g_assert_cmpfloat_with_epsilon (rate, 0.75, 1e-9);

  /* From sent (or created) to confirmed: 10, 64 and 20 s. */
  g_assert_cmpint (d->median_confirmation_s, ==, 20);
  g_assert_cmpint (bfk_dashboard_confirm_bounds ()[1], ==, 15);
  g_assert_cmpint (d->confirm_bins[0], ==, 0);
  g_assert_cmpint (d->confirm_bins[1], ==, 1);   /* 10 s: up to 15 */
  g_assert_cmpint (d->confirm_bins[2], ==, 1);   /* 20 s: up to 30 */
  g_assert_cmpint (d->confirm_bins[3], ==, 0);
  g_assert_cmpint (d->confirm_bins[4], ==, 1);   /* 64 s: up to 120 */
  g_assert_cmpint (d->confirm_bins[5] + d->confirm_bins[6], ==, 0);
}

static void
test_series (DashFixture   *f,
             gconstpointer  data)
{
  g_autoptr(BfkDashboard) d = compute (&f->wa.base, "+01:00");
  const BfkDashboardCommunity *c1, *c2;
  gint64 total = 0;

  /* Today began at midnight, UTC+1: 23 h 13 min 20 s ago. */
  g_assert_cmpint (d->day_start[BFK_DASHBOARD_DAYS - 1], ==, NOW - (23 * HOUR + 13 * 60 + 20));
  g_assert_cmpint (d->day_start[0], ==, d->day_start[BFK_DASHBOARD_DAYS - 1] - 13 * DAY);

  g_assert_cmpuint (d->communities->len, ==, 2);
  c1 = community (d, 0);
  c2 = community (d, 1);
  g_assert_cmpint (c1->id, ==, 1);
  g_assert_cmpstr (c1->name, ==, "Fondjomenkwet");
  g_assert_cmpstr (c1->symbol, ==, "FJK");
  g_assert_cmpstr (c2->symbol, ==, "BJK");
  g_assert_cmpint (c1->volume[13], ==, 100);
  g_assert_cmpint (c1->volume[4], ==, 25);     /* 9 days ago */
  g_assert_cmpint (c2->volume[11], ==, 40);    /* 2 days ago */
  for (guint i = 0; i < BFK_DASHBOARD_DAYS; i++)
    total += c1->volume[i] + c2->volume[i];
  g_assert_cmpint (total, ==, 165);

  /* The current hour began 800 s ago (NOW is hh:13:20). */
  g_assert_cmpint (d->hour_start[23], ==, NOW - 800);
  g_assert_cmpint (d->hour_start[0], ==, NOW - 800 - 23 * HOUR);
  g_assert_cmpint (d->messages_in[21], ==, 1);
  g_assert_cmpint (d->messages_out[21], ==, 2);
  g_assert_cmpint (d->messages_out[22], ==, 2);
  g_assert_cmpint (d->messages_in[23], ==, 1);
  total = 0;
  for (guint i = 0; i < BFK_DASHBOARD_HOURS; i++)
    total += d->messages_in[i] + d->messages_out[i];
  g_assert_cmpint (total, ==, 6);
}

/* At UTC the same instant is 22:13: exchange 8, mined at 23:13 the day
 * before, is not today's any more. */
static void
test_days_follow_the_zone (DashFixture   *f,
                           gconstpointer  data)
{
  g_autoptr(BfkDashboard) d = compute (&f->wa.base, "UTC");

  g_assert_cmpint (d->day_start[BFK_DASHBOARD_DAYS - 1], ==, NOW - (22 * HOUR + 13 * 60 + 20));
  g_assert_cmpint (d->volume_today, ==, 0);
  g_assert_cmpint (d->exchanges_today, ==, 0);
  g_assert_cmpint (d->volume_week, ==, 140);
  g_assert_cmpint (community (d, 0)->volume[12], ==, 100);
}

/* An exchange of a community the follower has not read yet has a series,
 * in the order of ids, without a name. */
static void
test_unknown_community (DashFixture   *f,
                        gconstpointer  data)
{
  g_autoptr(BfkDashboard) d = NULL;

  exchange (&f->wa.base, 10, 3, 7, 3);
  exchange (&f->wa.base, 11, 0, 9, 3);
  operation (&f->wa.base, &(Op) { NOW - 100, "complete_exchange", 1, 10, "mined", NULL, 1, 2, -1 });
  operation (&f->wa.base, &(Op) { NOW - 90, "complete_exchange", 1, 11, "mined", NULL, 1, 2, -1 });
  d = compute (&f->wa.base, "+01:00");
  g_assert_cmpuint (d->communities->len, ==, 4);
  g_assert_cmpint (community (d, 0)->id, ==, 0);
  g_assert_null (community (d, 0)->name);
  g_assert_cmpint (community (d, 0)->volume[13], ==, 9);
  g_assert_cmpint (community (d, 3)->id, ==, 3);
  g_assert_cmpint (community (d, 3)->volume[13], ==, 7);
  g_assert_cmpint (d->volume_today, ==, 116);
}

static void
test_empty_store (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkDashboard) d = NULL;
  g_autoptr(GTimeZone) tz = g_time_zone_new_utc ();
  Fixture f = { 0 };
  gdouble rate = -1;

  fixture_open (&f);
  d = bfk_dashboard_compute (f.store, NOW, tz, &error);
  g_assert_no_error (error);
  g_assert_nonnull (d);
  g_assert_cmpint (d->members + d->active_members + d->open_proposals + d->queued_operations, ==, 0);
  g_assert_cmpint (d->volume_week + d->exchanges_week, ==, 0);
  g_assert_cmpint (d->median_confirmation_s, ==, -1);
  g_assert_false (bfk_dashboard_delivery_rate (d, &rate));
  g_assert_false (bfk_dashboard_success_rate (d, &rate));
  g_assert_cmpfloat (rate, ==, -1);
  g_assert_cmpuint (d->communities->len, ==, 0);
  fixture_close (&f);
}

/* --- the p95 of a histogram ---------------------------------------------- */

static gchar *
render_histogram (const gdouble *values,
                  guint          n)
{
  static const gdouble buckets[] = { 0.1, 0.5, 1 };
  g_autoptr(BfkMetrics) m = bfk_metrics_new ();

  bfk_metrics_declare (m, "bafoka_bot_response_seconds", BFK_METRIC_HISTOGRAM, "t", NULL,
                       buckets, G_N_ELEMENTS (buckets));
  bfk_metrics_declare (m, "other_seconds", BFK_METRIC_HISTOGRAM, "o", NULL, buckets, G_N_ELEMENTS (buckets));
  bfk_metrics_observe (m, "other_seconds", 0.01, NULL);
  for (guint i = 0; i < n; i++)
    bfk_metrics_observe (m, "bafoka_bot_response_seconds", values[i], NULL);
  return bfk_metrics_render (m);
}

static void
test_quantile (void)
{
  /* Eight in (0, 0.1], one in (0.1, 0.5], one in (0.5, 1]. */
  static const gdouble values[] = { 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.3, 0.7 };
  g_autofree gchar *text = render_histogram (values, G_N_ELEMENTS (values));
  gdouble v = 0;

  /* The 9.5th of 10 is half way into (0.5, 1], which holds the 10th. */
  g_assert_true (bfk_dashboard_histogram_quantile (text, "bafoka_bot_response_seconds", 0.95, &v));
  g_assert_cmpfloat_with_epsilon (v, 0.75, 1e-9);
  /* The 5th of 10 is 5/8 into (0, 0.1]. */
  g_assert_true (bfk_dashboard_histogram_quantile (text, "bafoka_bot_response_seconds", 0.5, &v));
  g_assert_cmpfloat_with_epsilon (v, 0.0625, 1e-9);
  /* The 9th is the top of (0.1, 0.5]. */
  g_assert_true (bfk_dashboard_histogram_quantile (text, "bafoka_bot_response_seconds", 0.9, &v));
  g_assert_cmpfloat_with_epsilon (v, 0.5, 1e-9);
  /* Another family is not mixed in, and a missing one has no value. */
  g_assert_true (bfk_dashboard_histogram_quantile (text, "other_seconds", 0.95, &v));
  g_assert_cmpfloat_with_epsilon (v, 0.095, 1e-9);
  g_assert_false (bfk_dashboard_histogram_quantile (text, "bafoka_missing_seconds", 0.95, &v));
  g_assert_false (bfk_dashboard_histogram_quantile (NULL, "bafoka_bot_response_seconds", 0.95, &v));
}

static void
test_quantile_edges (void)
{
  static const gdouble slow[] = { 0.05, 3, 4, 5 };
  g_autofree gchar *empty = render_histogram (NULL, 0);
  g_autofree gchar *above = render_histogram (slow, G_N_ELEMENTS (slow));
  /* Two series by label add up: 4 + 0 in (0, 1], 0 + 4 in (1, 2]. */
  const gchar *labelled =
    "# TYPE h histogram\n"
    "h_bucket{path=\"/a\",le=\"1\"} 4\n"
    "h_bucket{path=\"/a\",le=\"2\"} 4\n"
    "h_bucket{path=\"/a\",le=\"+Inf\"} 4\n"
    "h_bucket{path=\"/b\",le=\"1\"} 0\n"
    "h_bucket{path=\"/b\",le=\"2\"} 4\n"
    "h_bucket{path=\"/b\",le=\"+Inf\"} 4\n"
    "h_sum 9\nh_count 8\n"
    "hh_bucket{le=\"1\"} 100\n";
  gdouble v = 0;

  /* No observation yet: no p95. */
  g_assert_false (bfk_dashboard_histogram_quantile (empty, "bafoka_bot_response_seconds", 0.95, &v));
  /* Above the highest bound: the highest bound is all one can say. */
  g_assert_true (bfk_dashboard_histogram_quantile (above, "bafoka_bot_response_seconds", 0.95, &v));
  g_assert_cmpfloat (v, ==, 1);
  /* The 7.6th of 8 is 3.6/4 into (1, 2]. */
  g_assert_true (bfk_dashboard_histogram_quantile (labelled, "h", 0.95, &v));
  g_assert_cmpfloat_with_epsilon (v, 1.9, 1e-9);
  g_assert_false (bfk_dashboard_histogram_quantile (labelled, "h", 0, &v));
}

#define DASH_TEST_ADD(path, func) \
  g_test_add ((path), DashFixture, NULL, dash_set_up, (func), dash_tear_down)

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  DASH_TEST_ADD ("/dashboard/figures", test_figures);
  DASH_TEST_ADD ("/dashboard/series", test_series);
  DASH_TEST_ADD ("/dashboard/days-follow-the-zone", test_days_follow_the_zone);
  DASH_TEST_ADD ("/dashboard/unknown-community", test_unknown_community);
  g_test_add_func ("/dashboard/empty-store", test_empty_store);
  g_test_add_func ("/dashboard/quantile", test_quantile);
  g_test_add_func ("/dashboard/quantile-edges", test_quantile_edges);
  return g_test_run ();
}
