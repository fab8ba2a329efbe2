/* bfk-metrics.c */
#include "bfk-metrics.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

typedef struct
{
  gchar   **values;        /* label values, as many as the family's names */
  gdouble   value;         /* counter, gauge */
  guint64  *bucket_counts; /* histogram: observations per bucket, not cumulative */
  guint64   count;
  gdouble   sum;
} Series;

typedef struct
{
  gchar         *name;
  gchar         *help;
  BfkMetricType  type;
  gchar        **label_names;
  guint          n_labels;
  gdouble       *buckets;
  guint          n_buckets;
  GHashTable    *series;   /* key (values joined by \x1f) → Series */
} Family;

typedef struct
{
  BfkMetricsCollector func;
  gpointer            user_data;
} Collector;

struct _BfkMetrics
{
  gatomicrefcount  ref_count;
  GMutex           mutex;
  GPtrArray       *families;   /* in declaration order */
  GHashTable      *by_name;    /* name → Family (borrowed) */
  GArray          *collectors;
};

static void
series_free (Series *s)
{
  g_strfreev (s->values);
  g_free (s->bucket_counts);
  g_free (s);
}

static void
family_free (Family *f)
{
  g_free (f->name);
  g_free (f->help);
  g_strfreev (f->label_names);
  g_free (f->buckets);
  g_hash_table_unref (f->series);
  g_free (f);
}

BfkMetrics *
bfk_metrics_new (void)
{
  BfkMetrics *m = g_new0 (BfkMetrics, 1);

  g_atomic_ref_count_init (&m->ref_count);
  g_mutex_init (&m->mutex);
  m->families = g_ptr_array_new_with_free_func ((GDestroyNotify) family_free);
  m->by_name = g_hash_table_new (g_str_hash, g_str_equal);
  m->collectors = g_array_new (FALSE, FALSE, sizeof (Collector));
  return m;
}

BfkMetrics *
bfk_metrics_ref (BfkMetrics *m)
{
  g_atomic_ref_count_inc (&m->ref_count);
  return m;
}

void
bfk_metrics_unref (BfkMetrics *m)
{
  if (!m || !g_atomic_ref_count_dec (&m->ref_count))
    return;
  g_hash_table_unref (m->by_name);
  g_ptr_array_unref (m->families);
  g_array_unref (m->collectors);
  g_mutex_clear (&m->mutex);
  g_free (m);
}

void
bfk_metrics_declare (BfkMetrics          *m,
                     const gchar         *name,
                     BfkMetricType        type,
                     const gchar         *help,
                     const gchar * const *label_names,
                     const gdouble       *buckets,
                     guint                n_buckets)
{
  Family *f = g_new0 (Family, 1);

  g_return_if_fail (type == BFK_METRIC_HISTOGRAM || n_buckets == 0);
  f->name = g_strdup (name);
  f->help = g_strdup (help);
  f->type = type;
  f->label_names = label_names ? g_strdupv ((gchar **) label_names) : g_new0 (gchar *, 1);
  f->n_labels = g_strv_length (f->label_names);
  f->buckets = g_memdup2 (buckets, n_buckets * sizeof (gdouble));
  f->n_buckets = n_buckets;
  f->series = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) series_free);

  g_mutex_lock (&m->mutex);
  if (g_hash_table_contains (m->by_name, name))
    {
      g_mutex_unlock (&m->mutex);
      g_critical ("Metric %s is declared twice", name);
      family_free (f);
      return;
    }
  g_ptr_array_add (m->families, f);
  g_hash_table_insert (m->by_name, f->name, f);
  g_mutex_unlock (&m->mutex);
}

/* The series of the label values in ap, created when create is set.  Called
 * with the lock held; NULL (with a critical for a programming mistake) when
 * the family or the number of values is wrong. */
static Series *
lookup_series (BfkMetrics  *m,
               const gchar *name,
               gboolean     create,
               va_list      ap)
{
  Family *f = g_hash_table_lookup (m->by_name, name);
  g_autoptr(GPtrArray) values = g_ptr_array_new ();
  g_autofree gchar *key = NULL;
  Series *s;

  if (!f)
    {
      g_critical ("Metric %s is not declared", name);
      return NULL;
    }
  for (const gchar *v = va_arg (ap, const gchar *); v; v = va_arg (ap, const gchar *))
    g_ptr_array_add (values, (gpointer) v);
  if (values->len != f->n_labels)
    {
      g_critical ("Metric %s takes %u label values, not %u", name, f->n_labels, values->len);
      return NULL;
    }
  g_ptr_array_add (values, NULL);
  key = g_strjoinv ("\x1f", (gchar **) values->pdata);
  s = g_hash_table_lookup (f->series, key);
  if (!s && create)
    {
      s = g_new0 (Series, 1);
      s->values = g_strdupv ((gchar **) values->pdata);
      if (f->type == BFK_METRIC_HISTOGRAM)
        s->bucket_counts = g_new0 (guint64, f->n_buckets + 1);
      g_hash_table_insert (f->series, g_steal_pointer (&key), s);
    }
  return s;
}

typedef enum
{
  UPDATE_ADD,
  UPDATE_SET,
  UPDATE_OBSERVE,
} Update;

/* One update of the series named by the label values in ap, under the lock;
 * a wrong use is a programming mistake, and a critical. */
static void
update (BfkMetrics  *m,
        const gchar *name,
        Update       how,
        gdouble      value,
        va_list      ap)
{
  Family *f;
  Series *s;
  guint i = 0;

  g_mutex_lock (&m->mutex);
  s = lookup_series (m, name, TRUE, ap);
  f = g_hash_table_lookup (m->by_name, name);
  if (!s)
    ;
  else if ((how == UPDATE_OBSERVE) != (f->type == BFK_METRIC_HISTOGRAM))
    g_critical ("Metric %s is %sa histogram", name, how == UPDATE_OBSERVE ? "not " : "");
  else if (how == UPDATE_ADD && f->type == BFK_METRIC_COUNTER && value < 0)
    g_critical ("Counter %s cannot go down", name);
  else if (how == UPDATE_ADD)
    s->value += value;
  else if (how == UPDATE_SET)
    s->value = value;
  else
    {
      /* Stored per bucket; rendering makes them cumulative. */
      while (i < f->n_buckets && value > f->buckets[i])
        i++;
      s->bucket_counts[i]++;
      s->count++;
      s->sum += value;
    }
  g_mutex_unlock (&m->mutex);
}

void
bfk_metrics_add (BfkMetrics  *m,
                 const gchar *name,
                 gdouble      delta,
                 ...)
{
  va_list ap;

  va_start (ap, delta);
  update (m, name, UPDATE_ADD, delta, ap);
  va_end (ap);
}

void
bfk_metrics_set (BfkMetrics  *m,
                 const gchar *name,
                 gdouble      value,
                 ...)
{
  va_list ap;

  va_start (ap, value);
  update (m, name, UPDATE_SET, value, ap);
  va_end (ap);
}

void
bfk_metrics_observe (BfkMetrics  *m,
                     const gchar *name,
                     gdouble      value,
                     ...)
{
  va_list ap;

  va_start (ap, value);
  update (m, name, UPDATE_OBSERVE, value, ap);
  va_end (ap);
}

gdouble
bfk_metrics_get (BfkMetrics  *m,
                 const gchar *name,
                 ...)
{
  gdouble v = 0;
  Series *s;
  va_list ap;

  g_mutex_lock (&m->mutex);
  va_start (ap, name);
  s = lookup_series (m, name, FALSE, ap);
  va_end (ap);
  if (s)
    v = ((Family *) g_hash_table_lookup (m->by_name, name))->type == BFK_METRIC_HISTOGRAM ? (gdouble) s->count : s->value;
  g_mutex_unlock (&m->mutex);
  return v;
}

void
bfk_metrics_add_collector (BfkMetrics          *m,
                           BfkMetricsCollector  collector,
                           gpointer             user_data)
{
  Collector c = { collector, user_data };

  g_mutex_lock (&m->mutex);
  g_array_append_val (m->collectors, c);
  g_mutex_unlock (&m->mutex);
}

/* --- rendering ----------------------------------------------------------- */

/* Integers as integers; others as the shortest text that reads back the
 * same; the infinities and NaN as Prometheus spells them. */
static void
append_number (GString *out,
               gdouble  v)
{
  gchar buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (isnan (v))
    g_string_append (out, "NaN");
  else if (isinf (v))
    g_string_append (out, v > 0 ? "+Inf" : "-Inf");
  else if (v == floor (v) && fabs (v) < 9007199254740992.0)
    g_string_append_printf (out, "%" G_GINT64_FORMAT, (gint64) v);
  else
    g_string_append (out, g_ascii_dtostr (buf, sizeof buf, v));
}

/* HELP text escapes backslash and newline; label values also the quote. */
static void
append_escaped (GString     *out,
                const gchar *text,
                gboolean     quote)
{
  for (const gchar *p = text; *p; p++)
    {
      if (*p == '\\')
        g_string_append (out, "\\\\");
      else if (*p == '\n')
        g_string_append (out, "\\n");
      else if (*p == '"' && quote)
        g_string_append (out, "\\\"");
      else
        g_string_append_c (out, *p);
    }
}

/* {a="x",b="y"} with an optional le last; nothing when there are no labels. */
static void
append_labels (GString      *out,
               const Family *f,
               const Series *s,
               const gchar  *le)
{
  gboolean first = TRUE;

  if (f->n_labels == 0 && !le)
    return;
  g_string_append_c (out, '{');
  for (guint i = 0; i < f->n_labels; i++)
    {
      g_string_append_printf (out, "%s%s=\"", first ? "" : ",", f->label_names[i]);
      append_escaped (out, s->values[i], TRUE);
      g_string_append_c (out, '"');
      first = FALSE;
    }
  if (le)
    g_string_append_printf (out, "%sle=\"%s\"", first ? "" : ",", le);
  g_string_append_c (out, '}');
}

static void
append_sample (GString      *out,
               const Family *f,
               const Series *s,
               const gchar  *suffix,
               const gchar  *le,
               gdouble       value)
{
  g_string_append (out, f->name);
  g_string_append (out, suffix);
  append_labels (out, f, s, le);
  g_string_append_c (out, ' ');
  append_number (out, value);
  g_string_append_c (out, '\n');
}

static void
append_series (GString      *out,
               const Family *f,
               const Series *s)
{
  guint64 cumulative = 0;

  if (f->type != BFK_METRIC_HISTOGRAM)
    {
      append_sample (out, f, s, "", NULL, s->value);
      return;
    }
  for (guint i = 0; i <= f->n_buckets; i++)
    {
      g_autoptr(GString) le = g_string_new (NULL);

      append_number (le, i < f->n_buckets ? f->buckets[i] : INFINITY);
      cumulative += s->bucket_counts[i];
      append_sample (out, f, s, "_bucket", le->str, (gdouble) cumulative);
    }
  append_sample (out, f, s, "_sum", NULL, s->sum);
  append_sample (out, f, s, "_count", NULL, (gdouble) s->count);
}

static gint
compare_keys (gconstpointer a,
              gconstpointer b)
{
  return strcmp (*(const gchar * const *) a, *(const gchar * const *) b);
}

static void
append_family (GString      *out,
               const Family *f)
{
  static const gchar * const type_names[] = { "counter", "gauge", "histogram" };
  g_autofree gpointer *keys = NULL;
  guint n = 0;

  g_string_append_printf (out, "# HELP %s ", f->name);
  append_escaped (out, f->help, FALSE);
  g_string_append_printf (out, "\n# TYPE %s %s\n", f->name, type_names[f->type]);

  if (f->n_labels == 0 && g_hash_table_size (f->series) == 0)
    {
      g_autofree guint64 *counts = g_new0 (guint64, f->n_buckets + 1);
      Series zero = { .bucket_counts = counts };

      append_series (out, f, &zero);
      return;
    }
  keys = g_hash_table_get_keys_as_array (f->series, &n);
  qsort (keys, n, sizeof (gpointer), compare_keys);
  for (guint i = 0; i < n; i++)
    append_series (out, f, g_hash_table_lookup (f->series, keys[i]));
}

gchar *
bfk_metrics_render (BfkMetrics *m)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GArray) collectors = NULL;

  g_mutex_lock (&m->mutex);
  collectors = g_array_copy (m->collectors);
  g_mutex_unlock (&m->mutex);
  for (guint i = 0; i < collectors->len; i++)
    {
      Collector *c = &g_array_index (collectors, Collector, i);

      c->func (m, c->user_data);
    }

  g_mutex_lock (&m->mutex);
  for (guint i = 0; i < m->families->len; i++)
    append_family (out, g_ptr_array_index (m->families, i));
  g_mutex_unlock (&m->mutex);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

guint64
bfk_metrics_process_rss (void)
{
  g_autofree gchar *text = NULL;
  guint64 pages = 0;

  /* statm: size resident shared …, in pages. */
  if (!g_file_get_contents ("/proc/self/statm", &text, NULL, NULL)
      || sscanf (text, "%*u %" G_GUINT64_FORMAT, &pages) != 1)
    return 0;
  return pages * (guint64) sysconf (_SC_PAGESIZE);
}
