/* bfk-sim-client.h: the simulator's phone.
 *
 * It posts a WhatsApp message to the backend's own /webhook exactly as
 * Twilio would (a form with From "whatsapp:+…", To, Body, a new MessageSid,
 * AccountSid and NumMedia), signed with the auth token when one is
 * configured (the webhook then checks the signature of BAFOKA_PUBLIC_URL +
 * "/webhook"; without a token it admits only this machine, which we are),
 * and reads the bot's TwiML answer.
 */
#pragma once

#include <libsoup/soup.h>

#include "bfk-backend.h"

G_BEGIN_DECLS

/* phone: E.164 ("+237690000001").  Runs on soup's thread-default context. */
void    bfk_sim_client_send_async   (SoupSession          *soup,
                                     BfkBackend           *backend,
                                     const gchar          *phone,
                                     const gchar          *body,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data);
/* The bot's replies, in order (empty when it said nothing right away). */
GStrv   bfk_sim_client_send_finish  (GAsyncResult         *result,
                                     GError              **error);

/* The texts of a TwiML document's <Message> elements, unescaped; NULL
 * with a G_MARKUP_ERROR when it is not XML. */
GStrv   bfk_sim_twiml_parse         (const gchar          *twiml,
                                     gssize                len,
                                     GError              **error);

G_END_DECLS
