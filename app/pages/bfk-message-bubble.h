/* bfk-message-bubble.h: one WhatsApp message in the inbox's thread.
 *
 * The member's messages are on the left; ours on the right, the bot's
 * answers, the chain's notices and the staff's own messages each told
 * apart by a word and a shade.  An outbound message shows what became of
 * it: ✓ sent, ✓✓ delivered, ✓✓ in the accent colour when read, ✗ failed
 * (the reason in the tooltip), or "kept, not sent" without Twilio.
 */
#pragma once

#include <gtk/gtk.h>

#include "bfk-messages.h"

G_BEGIN_DECLS

typedef enum
{
  BFK_BUBBLE_INBOUND,
  BFK_BUBBLE_BOT,      /* the bot's immediate answer */
  BFK_BUBBLE_NOTICE,   /* news of something the chain did */
  BFK_BUBBLE_STAFF,    /* written in the console */
} BfkBubbleKind;

#define BFK_TYPE_MESSAGE_BUBBLE (bfk_message_bubble_get_type ())

G_DECLARE_FINAL_TYPE (BfkMessageBubble, bfk_message_bubble, BFK, MESSAGE_BUBBLE, GtkListBoxRow)

GtkWidget    *bfk_message_bubble_new        (const BfkMessage *message,
                                             BfkBubbleKind     kind);
/* The message again, with a newer status. */
void          bfk_message_bubble_update     (BfkMessageBubble *self,
                                             const BfkMessage *message);
gint64        bfk_message_bubble_get_id     (BfkMessageBubble *self);
/* "✓", "✓✓", "✗", "" …: what the ticks show now, for tests. */
const gchar  *bfk_message_bubble_get_ticks  (BfkMessageBubble *self);

G_END_DECLS
