/* bfk-event-list.h: the latest events of the contract, as rows of a
 * GtkListBox (the transactions page's second view). */
#pragma once

#include <gtk/gtk.h>

#include "bfk-store.h"

G_BEGIN_DECLS

#define BFK_EVENT_LIST_LIMIT 100

/* Shows the newest BFK_EVENT_LIST_LIMIT events of store in list, newest
 * first; the rows are rebuilt only when the events changed since the last
 * call.  Returns how many there are. */
guint        bfk_event_list_fill  (GtkListBox  *list,
                                   BfkStore    *store);
/* "Member registered", … for an event's name ("MemberRegistered"). */
const gchar *bfk_event_kind_label (const gchar *kind);

G_END_DECLS
