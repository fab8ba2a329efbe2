/* bfk-chart.c: bars, their axes and legend, drawn with GtkSnapshot.
 *
 * The geometry of the plot is worked out again on each snapshot from the
 * widget's size, and kept for the tooltip, which finds the category under
 * the pointer.  Values are whole numbers (units, counts), so the y axis's
 * step is at least 1.
 */
#include <glib/gi18n.h>

#include "bfk-chart.h"

#define PAD          6.0
#define SWATCH       10.0
#define LEGEND_GAP   14.0
#define TICK_TARGET  4      /* about this many steps up the y axis */

typedef struct
{
  gchar  *name;
  GArray *values;   /* gdouble, one per category */
} Series;

struct _BfkChart
{
  GtkWidget     parent_instance;

  BfkChartMode  mode;
  GPtrArray    *categories;   /* gchar * */
  GPtrArray    *series;       /* Series * */
  gchar        *empty_text;

  /* Where the last snapshot put the plot, for the tooltip. */
  gdouble       plot_x;
  gdouble       plot_width;
};

G_DEFINE_FINAL_TYPE (BfkChart, bfk_chart, GTK_TYPE_WIDGET)

/* GNOME's palette, dark enough to read on a light card, in the legend's
 * order. */
static const GdkRGBA palette[] = {
  { 0.110, 0.443, 0.847, 1 },   /* blue 4 */
  { 0.902, 0.380, 0.000, 1 },   /* orange 5 */
  { 0.149, 0.635, 0.412, 1 },   /* green 5 */
  { 0.569, 0.255, 0.675, 1 },   /* purple 3 */
  { 0.647, 0.114, 0.176, 1 },   /* red 4 */
  { 0.525, 0.369, 0.235, 1 },   /* brown 3 */
};

static void
series_free (Series *s)
{
  g_free (s->name);
  g_array_unref (s->values);
  g_free (s);
}

static const GdkRGBA *
series_color (guint index)
{
  return &palette[index % G_N_ELEMENTS (palette)];
}

static gdouble
value_at (BfkChart *self,
          guint     series,
          guint     category)
{
  Series *s;

  if (series >= self->series->len)
    return 0;
  s = g_ptr_array_index (self->series, series);
  return category < s->values->len ? g_array_index (s->values, gdouble, category) : 0;
}

/* The highest bar: a category's sum when stacked, its largest value when
 * side by side. */
static gdouble
max_value (BfkChart *self)
{
  gdouble max = 0;

  for (guint c = 0; c < self->categories->len; c++)
    {
      gdouble bar = 0;

      for (guint s = 0; s < self->series->len; s++)
        bar = self->mode == BFK_CHART_STACKED ? bar + MAX (value_at (self, s, c), 0)
                                              : MAX (bar, value_at (self, s, c));
      max = MAX (max, bar);
    }
  return max;
}

/* 1, 2 or 5 times a power of ten, at least 1 (a loop rather than log10:
 * the console does not link libm for this). */
static gdouble
nice_step (gdouble raw)
{
  gdouble magnitude = 1, fraction;

  if (raw <= 1)
    return 1;
  while (magnitude * 10 <= raw)
    magnitude *= 10;
  fraction = raw / magnitude;
  return magnitude * (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10);
}

/* The smallest whole number at least x, for x >= 0. */
static guint
round_up (gdouble x)
{
  guint n = (guint) x;

  return n < x ? n + 1 : n;
}

static gchar *
format_value (gdouble value)
{
  return g_strdup_printf ("%'.0f", value);
}

static PangoLayout *
small_layout (GtkWidget   *widget,
              const gchar *text)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, text);
  PangoAttrList *attrs = pango_attr_list_new ();

  pango_attr_list_insert (attrs, pango_attr_scale_new (PANGO_SCALE_SMALL));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
  return layout;
}

static void
draw_layout (GtkSnapshot   *snapshot,
             PangoLayout   *layout,
             gdouble        x,
             gdouble        y,
             const GdkRGBA *color)
{
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT ((float) x, (float) y));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static void
fill_rect (GtkSnapshot   *snapshot,
           const GdkRGBA *color,
           gdouble        x,
           gdouble        y,
           gdouble        width,
           gdouble        height)
{
  if (width > 0 && height > 0)
    gtk_snapshot_append_color (snapshot, color,
                               &GRAPHENE_RECT_INIT ((float) x, (float) y, (float) width, (float) height));
}

/* The legend along the top, wrapped to the width; its height. */
static gdouble
draw_legend (BfkChart      *self,
             GtkSnapshot   *snapshot,
             gdouble        width,
             const GdkRGBA *fg)
{
  gdouble x = 0, y = 0, line = 0;

  if (self->series->len < 2)
    return 0;
  for (guint i = 0; i < self->series->len; i++)
    {
      Series *s = g_ptr_array_index (self->series, i);
      g_autoptr(PangoLayout) layout = small_layout (GTK_WIDGET (self), s->name ? s->name : "");
      int w, h;
      gdouble item;

      pango_layout_get_pixel_size (layout, &w, &h);
      item = SWATCH + 4 + w;
      if (x > 0 && x + item > width)
        {
          x = 0;
          y += line + 2;
        }
      line = MAX (line, h);
      fill_rect (snapshot, series_color (i), x, y + (h - SWATCH) / 2, SWATCH, SWATCH);
      draw_layout (snapshot, layout, x + SWATCH + 4, y, fg);
      x += item + LEGEND_GAP;
    }
  return y + line + PAD;
}

static void
bfk_chart_snapshot (GtkWidget   *widget,
                    GtkSnapshot *snapshot)
{
  BfkChart *self = BFK_CHART (widget);
  gdouble width = gtk_widget_get_width (widget);
  gdouble height = gtk_widget_get_height (widget);
  guint n = self->categories->len;
  GdkRGBA fg, dim, grid;
  gdouble top, step, max, label_width = 0, label_height = 0, widest = 0;
  gdouble plot_top, plot_bottom, plot_height, slot;
  guint n_ticks, every;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS
  dim = fg;
  dim.alpha *= 0.7f;
  grid = fg;
  grid.alpha *= 0.12f;

  plot_top = draw_legend (self, snapshot, width, &fg);

  max = max_value (self);
  step = nice_step (max / TICK_TARGET);
  n_ticks = MAX (1, round_up (max / step));
  top = n_ticks * step;

  /* The y labels' width, and the height of a line of small text. */
  for (guint t = 0; t <= n_ticks; t++)
    {
      g_autofree gchar *text = format_value (t * step);
      g_autoptr(PangoLayout) layout = small_layout (widget, text);
      int w, h;

      pango_layout_get_pixel_size (layout, &w, &h);
      label_width = MAX (label_width, w);
      label_height = MAX (label_height, h);
    }
  for (guint c = 0; c < n; c++)
    {
      g_autoptr(PangoLayout) layout = small_layout (widget, g_ptr_array_index (self->categories, c));
      int w, h;

      pango_layout_get_pixel_size (layout, &w, &h);
      widest = MAX (widest, w);
    }

  self->plot_x = label_width + PAD;
  self->plot_width = MAX (1, width - self->plot_x - 2);
  plot_top += label_height / 2;
  plot_bottom = height - label_height - PAD / 2;
  plot_height = plot_bottom - plot_top;
  if (plot_height <= 4 || n == 0)
    return;

  /* The grid and the y axis's ticks. */
  for (guint t = 0; t <= n_ticks; t++)
    {
      g_autofree gchar *text = format_value (t * step);
      g_autoptr(PangoLayout) layout = small_layout (widget, text);
      gdouble y = plot_bottom - plot_height * t / n_ticks;
      int w, h;

      pango_layout_get_pixel_size (layout, &w, &h);
      fill_rect (snapshot, t == 0 ? &dim : &grid, self->plot_x, y - 0.5, self->plot_width, 1);
      draw_layout (snapshot, layout, label_width - w, y - h / 2.0, &dim);
    }

  /* The bars. */
  slot = self->plot_width / n;
  for (guint c = 0; c < n; c++)
    {
      gdouble bar_width = MAX (1, slot * 0.7);
      gdouble x = self->plot_x + c * slot + (slot - bar_width) / 2;
      gdouble base = plot_bottom;

      for (guint s = 0; s < self->series->len; s++)
        {
          gdouble v = MAX (value_at (self, s, c), 0);
          gdouble h = plot_height * v / top;

          if (self->mode == BFK_CHART_STACKED)
            {
              fill_rect (snapshot, series_color (s), x, base - h, bar_width, h);
              base -= h;
            }
          else
            {
              gdouble w = bar_width / self->series->len;

              fill_rect (snapshot, series_color (s), x + s * w, plot_bottom - h, MAX (1, w - 1), h);
            }
        }
    }

  /* The categories' labels: every one that fits, counted back from the
   * last (today, this hour). */
  every = MAX (1, round_up ((widest + 2 * PAD) / slot));
  for (guint c = 0; c < n; c++)
    {
      g_autoptr(PangoLayout) layout = NULL;
      gdouble x;
      int w, h;

      if ((n - 1 - c) % every != 0)
        continue;
      layout = small_layout (widget, g_ptr_array_index (self->categories, c));
      pango_layout_get_pixel_size (layout, &w, &h);
      x = self->plot_x + c * slot + (slot - w) / 2;
      x = CLAMP (x, 0, width - w);
      draw_layout (snapshot, layout, x, plot_bottom + 2, &dim);
    }

  if (max <= 0 && self->empty_text)
    {
      g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, self->empty_text);
      int w, h;

      pango_layout_set_width (layout, (int) (self->plot_width * PANGO_SCALE));
      pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
      pango_layout_get_pixel_size (layout, &w, &h);
      draw_layout (snapshot, layout, self->plot_x, plot_top + (plot_height - h) / 2, &dim);
    }
}

static gboolean
bfk_chart_query_tooltip (GtkWidget  *widget,
                         int         x,
                         int         y,
                         gboolean    keyboard_tooltip,
                         GtkTooltip *tooltip)
{
  BfkChart *self = BFK_CHART (widget);
  g_autoptr(GString) text = NULL;
  g_autofree gchar *title = NULL;
  guint c;

  if (self->categories->len == 0 || x < self->plot_x || x >= self->plot_x + self->plot_width)
    return FALSE;
  c = (guint) ((x - self->plot_x) * self->categories->len / self->plot_width);
  c = MIN (c, self->categories->len - 1);
  title = g_markup_escape_text (g_ptr_array_index (self->categories, c), -1);
  text = g_string_new (NULL);
  g_string_append_printf (text, "<b>%s</b>", title);
  for (guint s = 0; s < self->series->len; s++)
    {
      Series *series = g_ptr_array_index (self->series, s);
      g_autofree gchar *name = g_markup_escape_text (series->name ? series->name : "", -1);
      g_autofree gchar *value = format_value (value_at (self, s, c));

      g_string_append_printf (text, "\n%s%s%s", name, *name ? " : " : "", value);
    }
  gtk_tooltip_set_markup (tooltip, text->str);
  return TRUE;
}

static void
bfk_chart_measure (GtkWidget      *widget,
                   GtkOrientation  orientation,
                   int             for_size,
                   int            *minimum,
                   int            *natural,
                   int            *minimum_baseline,
                   int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 160 : 140;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 360 : 200;
}

void
bfk_chart_set_mode (BfkChart     *self,
                    BfkChartMode  mode)
{
  g_return_if_fail (BFK_IS_CHART (self));

  self->mode = mode;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
bfk_chart_set_categories (BfkChart            *self,
                          const gchar * const *labels)
{
  guint n = labels ? g_strv_length ((gchar **) labels) : 0;
  gboolean same = n == self->categories->len;

  g_return_if_fail (BFK_IS_CHART (self));

  for (guint i = 0; same && i < n; i++)
    same = g_str_equal (labels[i], g_ptr_array_index (self->categories, i));
  if (same)
    return;
  if (n != self->categories->len)
    g_ptr_array_set_size (self->series, 0);
  g_ptr_array_set_size (self->categories, 0);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (self->categories, g_strdup (labels[i]));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
bfk_chart_set_series (BfkChart      *self,
                      guint          index,
                      const gchar   *name,
                      const gdouble *values,
                      guint          n_values)
{
  Series *s;

  g_return_if_fail (BFK_IS_CHART (self));
  g_return_if_fail (index <= self->series->len);

  if (index == self->series->len)
    {
      s = g_new0 (Series, 1);
      s->values = g_array_new (FALSE, TRUE, sizeof (gdouble));
      g_ptr_array_add (self->series, s);
    }
  else
    s = g_ptr_array_index (self->series, index);
  if (g_strcmp0 (s->name, name) != 0)
    {
      g_free (s->name);
      s->name = g_strdup (name);
    }
  g_array_set_size (s->values, 0);
  g_array_append_vals (s->values, values, MIN (n_values, self->categories->len));
  g_array_set_size (s->values, self->categories->len);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
bfk_chart_truncate_series (BfkChart *self,
                           guint     n_series)
{
  g_return_if_fail (BFK_IS_CHART (self));

  if (n_series < self->series->len)
    {
      g_ptr_array_set_size (self->series, n_series);
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

void
bfk_chart_set_empty_text (BfkChart    *self,
                          const gchar *text)
{
  g_return_if_fail (BFK_IS_CHART (self));

  g_free (self->empty_text);
  self->empty_text = g_strdup (text);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
bfk_chart_get_n_series (BfkChart *self)
{
  g_return_val_if_fail (BFK_IS_CHART (self), 0);
  return self->series->len;
}

gdouble
bfk_chart_get_value (BfkChart *self,
                     guint     series,
                     guint     category)
{
  g_return_val_if_fail (BFK_IS_CHART (self), 0);
  return value_at (self, series, category);
}

GtkWidget *
bfk_chart_new (BfkChartMode mode)
{
  BfkChart *self = g_object_new (BFK_TYPE_CHART, NULL);

  self->mode = mode;
  return GTK_WIDGET (self);
}

static void
bfk_chart_finalize (GObject *object)
{
  BfkChart *self = BFK_CHART (object);

  g_ptr_array_unref (self->categories);
  g_ptr_array_unref (self->series);
  g_free (self->empty_text);
  G_OBJECT_CLASS (bfk_chart_parent_class)->finalize (object);
}

static void
bfk_chart_class_init (BfkChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = bfk_chart_finalize;
  widget_class->snapshot = bfk_chart_snapshot;
  widget_class->measure = bfk_chart_measure;
  widget_class->query_tooltip = bfk_chart_query_tooltip;
  gtk_widget_class_set_css_name (widget_class, "chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
bfk_chart_init (BfkChart *self)
{
  self->categories = g_ptr_array_new_with_free_func (g_free);
  self->series = g_ptr_array_new_with_free_func ((GDestroyNotify) series_free);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
}
