/* bfk-metrics.h: a small registry of metrics, rendered for Prometheus.
 *
 * Families are declared once (name, type, help, label names; buckets for a
 * histogram), then updated from any thread by label values.  Rendering
 * follows the text exposition format 0.0.4: "# HELP" and "# TYPE" lines,
 * one sample per series, histograms as cumulative _bucket{le=…} series with
 * _sum and _count.  Families come out in the order they were declared, and
 * series sorted by their labels, so that the text is stable.
 *
 * Threads: every function may be called from any thread.  A collector runs
 * in the thread that renders, outside the registry's lock.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  BFK_METRIC_COUNTER,
  BFK_METRIC_GAUGE,
  BFK_METRIC_HISTOGRAM,
} BfkMetricType;

typedef struct _BfkMetrics BfkMetrics;

/* Called before each rendering, to refresh gauges read on demand (the
 * process's memory, say). */
typedef void (*BfkMetricsCollector) (BfkMetrics *metrics,
                                     gpointer    user_data);

BfkMetrics *bfk_metrics_new            (void);
BfkMetrics *bfk_metrics_ref            (BfkMetrics           *metrics);
void        bfk_metrics_unref          (BfkMetrics           *metrics);

/* label_names is NULL-terminated, or NULL for none.  buckets (upper bounds,
 * increasing, without +Inf) only for histograms.  A family without labels
 * is rendered (as 0) before it is first updated. */
void        bfk_metrics_declare        (BfkMetrics           *metrics,
                                        const gchar          *name,
                                        BfkMetricType         type,
                                        const gchar          *help,
                                        const gchar * const  *label_names,
                                        const gdouble        *buckets,
                                        guint                 n_buckets);

/* The label values follow, one per declared label name, then NULL. */
void        bfk_metrics_add            (BfkMetrics           *metrics,
                                        const gchar          *name,
                                        gdouble               delta,
                                        ...) G_GNUC_NULL_TERMINATED;
void        bfk_metrics_set            (BfkMetrics           *metrics,
                                        const gchar          *name,
                                        gdouble               value,
                                        ...) G_GNUC_NULL_TERMINATED;
void        bfk_metrics_observe        (BfkMetrics           *metrics,
                                        const gchar          *name,
                                        gdouble               value,
                                        ...) G_GNUC_NULL_TERMINATED;
/* The value of a counter or gauge series, or a histogram's count; 0 when the
 * series does not exist. */
gdouble     bfk_metrics_get            (BfkMetrics           *metrics,
                                        const gchar          *name,
                                        ...) G_GNUC_NULL_TERMINATED;

void        bfk_metrics_add_collector  (BfkMetrics           *metrics,
                                        BfkMetricsCollector   collector,
                                        gpointer              user_data);

/* The whole registry in the text exposition format 0.0.4. */
gchar      *bfk_metrics_render         (BfkMetrics           *metrics);

/* The content type of what bfk_metrics_render writes. */
#define BFK_METRICS_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

/* The resident set size of this process, in bytes (0 when unknown). */
guint64     bfk_metrics_process_rss    (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BfkMetrics, bfk_metrics_unref)

G_END_DECLS
