/* bfk-conversation-row.h: one conversation in the inbox's list.
 *
 * Shows who (the member's name, or the number masked), the last message,
 * when, the unread count, and the marks a support person looks for: the
 * member asked for a person, or a person took the conversation over.  A
 * row is updated in place as the data changes, so that the list does not
 * jump.
 */
#pragma once

#include <gtk/gtk.h>

#include "bfk-conversations.h"

G_BEGIN_DECLS

#define BFK_TYPE_CONVERSATION_ROW (bfk_conversation_row_get_type ())

G_DECLARE_FINAL_TYPE (BfkConversationRow, bfk_conversation_row, BFK, CONVERSATION_ROW, GtkListBoxRow)

GtkWidget   *bfk_conversation_row_new       (const BfkConversation *conv);
void         bfk_conversation_row_update    (BfkConversationRow    *self,
                                             const BfkConversation *conv);
/* E.164 */
const gchar *bfk_conversation_row_get_phone (BfkConversationRow    *self);

G_END_DECLS
