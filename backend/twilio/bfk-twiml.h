/* bfk-twiml.h: the TwiML answer to an inbound message webhook.
 *
 * Twilio reads the webhook's answer as TwiML and sends each <Message> back to
 * the member, in order:
 *
 *   <?xml version="1.0" encoding="UTF-8"?><Response><Message>…</Message></Response>
 *
 * and "<Response/>" when there is nothing to say right away.  The text is the
 * bot's, but it quotes what members typed (names, offers), so it is escaped
 * (& < > " ') and stripped of what XML 1.0 cannot carry at all: control
 * characters other than tab, newline and carriage return, U+FFFE, U+FFFF,
 * and bytes that are not UTF-8.  A message left empty is not sent: Twilio
 * refuses a message without a body.
 *
 * Lengths are not checked here; the bot keeps its replies short.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BFK_TWIML_CONTENT_TYPE "application/xml; charset=utf-8"

typedef struct _BfkTwiml BfkTwiml;

BfkTwiml *bfk_twiml_new          (void);
void      bfk_twiml_free         (BfkTwiml    *twiml);

/* Adds a <Message> with @body as its text. */
void      bfk_twiml_add_message  (BfkTwiml    *twiml,
                                  const gchar *body);

guint     bfk_twiml_get_n_messages (const BfkTwiml *twiml);

/* The whole document.  Free with g_free(). */
gchar    *bfk_twiml_to_string    (const BfkTwiml *twiml);

/* Appends @text to @out as XML character data, escaped and stripped as
 * described above. */
void      bfk_twiml_append_escaped (GString     *out,
                                    const gchar *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BfkTwiml, bfk_twiml_free)

G_END_DECLS
