/* bfk-canned-replies.h: ready-made answers for the inbox's composer.
 *
 * Each reply has a title for the staff member, in the console's language,
 * and a text for the member, in the member's language ("fr" or "en"):
 * the two languages may differ, so the texts are not run through gettext.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* How many replies there are. */
guint        bfk_canned_replies_count (void);
/* The text of reply i in language ("en"; anything else is French, the
 * bot's default).  NULL when i is out of range. */
const gchar *bfk_canned_reply_text    (guint        i,
                                       const gchar *language);
/* A menu of the replies' titles, each item activating action_name with
 * the reply's index as a "u" target. */
GMenuModel  *bfk_canned_replies_menu  (const gchar *action_name);

G_END_DECLS
