/* bfk-chart.h: a bar chart drawn with GtkSnapshot.
 *
 * Categories along the x axis (days, hours, bins), one bar per category and
 * series, stacked or side by side, with the y axis's ticks, the categories'
 * labels (thinned out when they would overlap), a legend of the series, and
 * a tooltip with a category's values.  New data replaces the old in place
 * and is drawn on the next frame: no widget is rebuilt, nothing flickers.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define BFK_TYPE_CHART (bfk_chart_get_type ())

G_DECLARE_FINAL_TYPE (BfkChart, bfk_chart, BFK, CHART, GtkWidget)

typedef enum
{
  BFK_CHART_STACKED,   /* a category's series on top of each other */
  BFK_CHART_GROUPED,   /* side by side */
} BfkChartMode;

GtkWidget  *bfk_chart_new              (BfkChartMode         mode);
void        bfk_chart_set_mode         (BfkChart            *self,
                                        BfkChartMode         mode);

/* The categories' labels, NULL-terminated; the series are emptied when
 * their number changes. */
void        bfk_chart_set_categories   (BfkChart            *self,
                                        const gchar * const *labels);
/* Sets series index (0, 1, … in the legend's order; one past the last
 * adds one) to name and one value per category (n_values of them, missing
 * ones are 0). */
void        bfk_chart_set_series       (BfkChart            *self,
                                        guint                index,
                                        const gchar         *name,
                                        const gdouble       *values,
                                        guint                n_values);
/* Keeps only the first n_series series. */
void        bfk_chart_truncate_series  (BfkChart            *self,
                                        guint                n_series);
/* What the chart says when every value is 0 (NULL: nothing). */
void        bfk_chart_set_empty_text   (BfkChart            *self,
                                        const gchar         *text);

guint       bfk_chart_get_n_series     (BfkChart            *self);
/* The value of series at category; 0 when out of range. */
gdouble     bfk_chart_get_value        (BfkChart            *self,
                                        guint                series,
                                        guint                category);

G_END_DECLS
