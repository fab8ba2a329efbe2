/* bfk-format.h: numbers, times and phone numbers as the console shows them. */
#pragma once

#include <glib.h>

#include "bfk-config.h"
#include "bfk-u256.h"

G_BEGIN_DECLS

/* "1 250 FJK" (grouped as the locale does); symbol may be NULL. */
gchar *bfk_format_amount      (gint64       units,
                               const gchar *symbol);
/* "il y a 5 min", "hier", "3 déc." … relative to now; "—" for 0. */
gchar *bfk_format_time_ago    (gint64       unix_time);
/* The date and time in the locale's format; "—" for 0. */
gchar *bfk_format_date_time   (gint64       unix_time);
/* "+237 6•• ••• •22": the country code, the first and last two digits. */
gchar *bfk_format_phone_masked (const gchar *phone);
/* "0x1234…abcd" */
gchar *bfk_format_short_hash  (const gchar *hex);
/* An amount of the chain's coin, in wei, as "0,512 POL" (the locale's
 * decimal point, at most max_fraction decimals; "< 0,001 POL" for a
 * dust the decimals would round to 0). */
gchar *bfk_format_coin        (BfkU256      wei,
                               guint        max_fraction,
                               BfkNetwork   network);
/* A duration in seconds as "2 h 05 min", "45 s". */
gchar *bfk_format_duration    (gint64       seconds);

G_END_DECLS
