/* bfk-inbox-page.h: the support inbox.
 *
 * The conversations on the left (filters: all, unread, asked for a
 * person; and a search), the chosen one's messages in the middle with a
 * composer, and the member's panel on the right.  Staff may take a
 * conversation over (the bot then stays quiet on free text) and write to
 * the member while WhatsApp's 24-hour window is open.
 *
 * Actions on the page: "inbox.open" ("s", a phone number) opens that
 * conversation, "inbox.send", "inbox.take-over", "inbox.canned" ("u", a
 * ready-made reply's index).
 */
#pragma once

#include "bfk-page.h"

G_BEGIN_DECLS

#define BFK_TYPE_INBOX_PAGE (bfk_inbox_page_get_type ())

G_DECLARE_FINAL_TYPE (BfkInboxPage, bfk_inbox_page, BFK, INBOX_PAGE, BfkPage)

/* Shows the conversation with phone (any accepted spelling), clearing the
 * filters so that it is in the list; a number that never wrote shows an
 * empty thread.  An invalid number changes nothing. */
void         bfk_inbox_page_open_conversation (BfkInboxPage *self,
                                               const gchar  *phone);
/* The number of the open conversation (E.164), or NULL. */
const gchar *bfk_inbox_page_get_phone         (BfkInboxPage *self);

G_END_DECLS
