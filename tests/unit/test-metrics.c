/* test-metrics.c: the Prometheus text exposition of the metrics registry. */
#include "bfk-metrics.h"

#include <math.h>

static void
test_exact_text (void)
{
  g_autoptr(BfkMetrics) m = bfk_metrics_new ();
  const gchar * const kind[] = { "kind", NULL };
  const gchar * const two[] = { "a", "b", NULL };
  g_autofree gchar *text = NULL;

  bfk_metrics_declare (m, "bafoka_ops_total", BFK_METRIC_COUNTER,
                       "Operations.\nBy kind, with a \\ backslash", kind, NULL, 0);
  bfk_metrics_declare (m, "bafoka_lag_blocks", BFK_METRIC_GAUGE, "Lag", NULL, NULL, 0);
  bfk_metrics_declare (m, "bafoka_pair", BFK_METRIC_GAUGE, "Two labels", two, NULL, 0);

  bfk_metrics_add (m, "bafoka_ops_total", 2, "register", NULL);
  bfk_metrics_add (m, "bafoka_ops_total", 1, "a \"quoted\"\\path\nline", NULL);
  bfk_metrics_add (m, "bafoka_ops_total", 1.5, "register", NULL);
  bfk_metrics_set (m, "bafoka_pair", 0.25, "x", "y", NULL);
  bfk_metrics_set (m, "bafoka_pair", -3e20, "w", "", NULL);

  text = bfk_metrics_render (m);
  g_assert_cmpstr (text, ==,
                   "# HELP bafoka_ops_total Operations.\\nBy kind, with a \\\\ backslash\n"
                   "# TYPE bafoka_ops_total counter\n"
                   "bafoka_ops_total{kind=\"a \\\"quoted\\\"\\\\path\\nline\"} 1\n"
                   "bafoka_ops_total{kind=\"register\"} 3.5\n"
                   "# HELP bafoka_lag_blocks Lag\n"
                   "# TYPE bafoka_lag_blocks gauge\n"
                   "bafoka_lag_blocks 0\n"
                   "# HELP bafoka_pair Two labels\n"
                   "# TYPE bafoka_pair gauge\n"
                   "bafoka_pair{a=\"w\",b=\"\"} -3e+20\n"
                   "bafoka_pair{a=\"x\",b=\"y\"} 0.25\n");
  g_assert_cmpfloat (bfk_metrics_get (m, "bafoka_ops_total", "register", NULL), ==, 3.5);
  g_assert_cmpfloat (bfk_metrics_get (m, "bafoka_ops_total", "absent", NULL), ==, 0);
}

static void
test_histogram (void)
{
  g_autoptr(BfkMetrics) m = bfk_metrics_new ();
  const gdouble buckets[] = { 0.5, 1, 5 };
  const gchar * const kind[] = { "kind", NULL };
  const gdouble seen[] = { 0.25, 0.5, 0.75, 3, 3, 100 };
  g_autofree gchar *text = NULL;

  bfk_metrics_declare (m, "t_seconds", BFK_METRIC_HISTOGRAM, "Time", kind, buckets, 3);
  for (gsize i = 0; i < G_N_ELEMENTS (seen); i++)
    bfk_metrics_observe (m, "t_seconds", seen[i], "x", NULL);

  /* 0.5 falls in le="0.5": the bound is inclusive.  Each bucket counts all
   * observations up to its bound, so the counts never go down. */
  text = bfk_metrics_render (m);
  g_assert_cmpstr (text, ==,
                   "# HELP t_seconds Time\n"
                   "# TYPE t_seconds histogram\n"
                   "t_seconds_bucket{kind=\"x\",le=\"0.5\"} 2\n"
                   "t_seconds_bucket{kind=\"x\",le=\"1\"} 3\n"
                   "t_seconds_bucket{kind=\"x\",le=\"5\"} 5\n"
                   "t_seconds_bucket{kind=\"x\",le=\"+Inf\"} 6\n"
                   "t_seconds_sum{kind=\"x\"} 107.5\n"
                   "t_seconds_count{kind=\"x\"} 6\n");
  g_assert_cmpfloat (bfk_metrics_get (m, "t_seconds", "x", NULL), ==, 6);
}

static void
test_histogram_unlabelled_empty (void)
{
  g_autoptr(BfkMetrics) m = bfk_metrics_new ();
  const gdouble buckets[] = { 1 };
  g_autofree gchar *text = NULL;

  bfk_metrics_declare (m, "h", BFK_METRIC_HISTOGRAM, "H", NULL, buckets, 1);
  text = bfk_metrics_render (m);
  g_assert_cmpstr (text, ==,
                   "# HELP h H\n# TYPE h histogram\n"
                   "h_bucket{le=\"1\"} 0\nh_bucket{le=\"+Inf\"} 0\nh_sum 0\nh_count 0\n");
}

static void
set_rss (BfkMetrics *m,
         gpointer    user_data)
{
  (*(guint *) user_data)++;
  bfk_metrics_set (m, "rss_bytes", (gdouble) bfk_metrics_process_rss (), NULL);
}

static void
test_collector_and_rss (void)
{
  g_autoptr(BfkMetrics) m = bfk_metrics_new ();
  g_autofree gchar *text = NULL;
  guint calls = 0;

  bfk_metrics_declare (m, "rss_bytes", BFK_METRIC_GAUGE, "RSS", NULL, NULL, 0);
  bfk_metrics_add_collector (m, set_rss, &calls);
  text = bfk_metrics_render (m);
  g_assert_cmpuint (calls, ==, 1);
  /* A test process holds more than a megabyte and less than a gigabyte. */
  g_assert_cmpfloat (bfk_metrics_get (m, "rss_bytes", NULL), >, 1 << 20);
  g_assert_cmpfloat (bfk_metrics_get (m, "rss_bytes", NULL), <, 1 << 30);
  g_assert_true (g_str_has_prefix (text, "# HELP rss_bytes RSS\n# TYPE rss_bytes gauge\nrss_bytes "));
}

static void
test_special_values (void)
{
  g_autoptr(BfkMetrics) m = bfk_metrics_new ();
  const gchar * const l[] = { "l", NULL };
  g_autofree gchar *text = NULL;

  bfk_metrics_declare (m, "g", BFK_METRIC_GAUGE, "G", l, NULL, 0);
  bfk_metrics_set (m, "g", INFINITY, "a", NULL);
  bfk_metrics_set (m, "g", -INFINITY, "b", NULL);
  bfk_metrics_set (m, "g", NAN, "c", NULL);
  bfk_metrics_set (m, "g", 1e15, "d", NULL);
  /* Past 2^53 a double is no longer exact to the unit: exponent form. */
  bfk_metrics_set (m, "g", 1e22, "e", NULL);
  text = bfk_metrics_render (m);
  g_assert_cmpstr (text, ==,
                   "# HELP g G\n# TYPE g gauge\n"
                   "g{l=\"a\"} +Inf\ng{l=\"b\"} -Inf\ng{l=\"c\"} NaN\n"
                   "g{l=\"d\"} 1000000000000000\ng{l=\"e\"} 1e+22\n");
}

typedef struct
{
  BfkMetrics *m;
  guint       n;
} Hammer;

static gpointer
hammer (gpointer data)
{
  Hammer *h = data;

  for (guint i = 0; i < h->n; i++)
    {
      bfk_metrics_add (h->m, "c", 1, i % 2 ? "odd" : "even", NULL);
      bfk_metrics_observe (h->m, "h", (gdouble) (i % 3), NULL);
    }
  return NULL;
}

static void
test_threads (void)
{
  g_autoptr(BfkMetrics) m = bfk_metrics_new ();
  const gchar * const l[] = { "parity", NULL };
  const gdouble buckets[] = { 0, 1 };
  Hammer h = { m, 10000 };
  GThread *threads[4];

  bfk_metrics_declare (m, "c", BFK_METRIC_COUNTER, "C", l, NULL, 0);
  bfk_metrics_declare (m, "h", BFK_METRIC_HISTOGRAM, "H", NULL, buckets, 2);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("hammer", hammer, &h);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      g_autofree gchar *text = bfk_metrics_render (m);

      g_thread_join (threads[i]);
    }
  g_assert_cmpfloat (bfk_metrics_get (m, "c", "odd", NULL), ==, 20000);
  g_assert_cmpfloat (bfk_metrics_get (m, "c", "even", NULL), ==, 20000);
  g_assert_cmpfloat (bfk_metrics_get (m, "h", NULL), ==, 40000);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/metrics/exact-text", test_exact_text);
  g_test_add_func ("/metrics/histogram", test_histogram);
  g_test_add_func ("/metrics/histogram-unlabelled-empty", test_histogram_unlabelled_empty);
  g_test_add_func ("/metrics/collector-and-rss", test_collector_and_rss);
  g_test_add_func ("/metrics/special-values", test_special_values);
  g_test_add_func ("/metrics/threads", test_threads);
  return g_test_run ();
}
