/* bfk-inbox-thread.h: the messages of one conversation, as bubbles.
 *
 * Oldest at the top, newest at the bottom, scrolled to the newest when a
 * conversation is shown.  Shown again for the same number, the bubbles
 * already there are updated in place (their ticks move on) and new ones
 * are added below: the view follows them only when the reader was at the
 * bottom, so that reading older messages is never interrupted.
 */
#pragma once

#include <adwaita.h>

#include "bfk-store.h"

G_BEGIN_DECLS

#define BFK_TYPE_INBOX_THREAD (bfk_inbox_thread_get_type ())

G_DECLARE_FINAL_TYPE (BfkInboxThread, bfk_inbox_thread, BFK, INBOX_THREAD, AdwBin)

GtkWidget *bfk_inbox_thread_new   (void);
/* Reads the newest messages with phone (E.164) from store; NULL phone
 * empties the thread.  FALSE with error when the store fails. */
gboolean   bfk_inbox_thread_show  (BfkInboxThread  *self,
                                   BfkStore        *store,
                                   const gchar     *phone,
                                   GError         **error);
/* The bubble of a message, or NULL when it is not shown. */
GtkWidget *bfk_inbox_thread_get_bubble (BfkInboxThread *self,
                                        gint64          message_id);

G_END_DECLS
