/* bfk-format.c: what the pages print, in one place, translated. */
#include <glib/gi18n.h>
#include <locale.h>

#include "bfk-format.h"

gchar *
bfk_format_amount (gint64       units,
                   const gchar *symbol)
{
  /* %' groups thousands the way the locale does (1 250 in French). */
  g_autofree gchar *number = g_strdup_printf ("%'" G_GINT64_FORMAT, units);

  return symbol && *symbol ? g_strdup_printf ("%s %s", number, symbol) : g_steal_pointer (&number);
}

gchar *
bfk_format_time_ago (gint64 unix_time)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 ago = now - unix_time;

  if (unix_time <= 0)
    return g_strdup ("—");
  if (ago < 60)
    return g_strdup (_("just now"));
  if (ago < 3600)
    return g_strdup_printf (ngettext ("%d min ago", "%d min ago", (gulong) (ago / 60)), (gint) (ago / 60));
  if (ago < 86400)
    return g_strdup_printf (ngettext ("%d hour ago", "%d hours ago", (gulong) (ago / 3600)), (gint) (ago / 3600));
  if (ago < 2 * 86400)
    return g_strdup (_("yesterday"));
  if (ago < 7 * 86400)
    return g_strdup_printf (ngettext ("%d day ago", "%d days ago", (gulong) (ago / 86400)), (gint) (ago / 86400));
  {
    g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (unix_time);

    /* Translators: a short date, strftime format */
    return g_date_time_format (dt, _("%e %b %Y"));
  }
}

gchar *
bfk_format_date_time (gint64 unix_time)
{
  g_autoptr(GDateTime) dt = NULL;

  if (unix_time <= 0)
    return g_strdup ("—");
  dt = g_date_time_new_from_unix_local (unix_time);
  /* Translators: a date and time, strftime format */
  return g_date_time_format (dt, _("%Y-%m-%d %H:%M"));
}

gchar *
bfk_format_phone_masked (const gchar *phone)
{
  gsize n;
  GString *out;

  if (!phone || !*phone)
    return g_strdup ("—");
  n = strlen (phone);
  if (n < 8)
    return g_strdup ("••••");
  /* "+237" then the first digit of the number, the dots, the last two. */
  out = g_string_new_len (phone, 5);
  g_string_append (out, "•• ••• •");
  g_string_append (out, phone + n - 2);
  return g_string_free (out, FALSE);
}

gchar *
bfk_format_short_hash (const gchar *hex)
{
  gsize n = hex ? strlen (hex) : 0;

  if (n <= 14)
    return g_strdup (hex ? hex : "—");
  return g_strdup_printf ("%.6s…%s", hex, hex + n - 4);
}

gchar *
bfk_format_duration (gint64 seconds)
{
  if (seconds < 0)
    seconds = 0;
  if (seconds < 60)
    return g_strdup_printf (_("%d s"), (gint) seconds);
  if (seconds < 3600)
    return g_strdup_printf (_("%d min %02d s"), (gint) (seconds / 60), (gint) (seconds % 60));
  return g_strdup_printf (_("%d h %02d min"), (gint) (seconds / 3600), (gint) (seconds % 3600 / 60));
}

gchar *
bfk_format_coin (BfkU256    wei,
                 guint      max_fraction,
                 BfkNetwork network)
{
  /* Polygon's coin is POL; the local node and a custom chain count in ETH. */
  const gchar *coin = network == BFK_NETWORK_AMOY || network == BFK_NETWORK_POLYGON ? "POL" : "ETH";
  const gchar *point = localeconv ()->decimal_point;
  g_autofree gchar *number = bfk_u256_format_units (wei, 18, max_fraction);

  if (g_strcmp0 (number, "0") == 0 && !bfk_u256_is_zero (wei))
    {
      g_autofree gchar *zeros = g_strnfill (max_fraction - 1, '0');

      return g_strdup_printf ("< 0%s%s1 %s", point, zeros, coin);
    }
  {
    /* "0,000124" in French, like the amounts the locale groups. */
    g_auto(GStrv) parts = g_strsplit (number, ".", 2);
    g_autofree gchar *local = g_strjoinv (point, parts);

    return g_strdup_printf ("%s %s", local, coin);
  }
}
