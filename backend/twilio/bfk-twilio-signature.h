/* bfk-twilio-signature.h: the X-Twilio-Signature of a webhook request.
 *
 * Twilio signs every webhook request it sends: the signature is the base64 of
 * HMAC-SHA1, keyed with the account's auth token, over the full public URL of
 * the request (scheme, host, path and query, exactly as configured in Twilio)
 * followed by every POST parameter, sorted by name, as the name then the
 * value, with nothing in between.  A name that repeats is sorted by value too,
 * as Twilio's own libraries do.
 *
 * The URL is the one Twilio called, not the one the server saw: behind a
 * proxy or a tunnel the server must rebuild it from BAFOKA_PUBLIC_URL and the
 * request's path and query.  Because Twilio may sign the URL with or without
 * the scheme's default port, validation tries both forms, as Twilio's
 * libraries do: "https://host:443/p" also as "https://host/p", and
 * "https://host/p" also as "https://host:443/p" (80 for http).
 *
 * The comparison takes the same time whatever the signature, so that the
 * timing of a 403 says nothing about how close a forgery came.
 */
#pragma once

#include <glib.h>

#include "bfk-form.h"

G_BEGIN_DECLS

/* The signature Twilio would send for a request to @url with POST parameters
 * @params (NULL: none).  Free with g_free(). */
gchar     *bfk_twilio_signature_compute  (const gchar   *auth_token,
                                          const gchar   *url,
                                          const BfkForm *params);

/* Whether @signature (the X-Twilio-Signature header, NULL when there is none)
 * is Twilio's for this request.  FALSE for a missing or empty header, and for
 * an empty auth token: an empty key would let anyone sign. */
gboolean   bfk_twilio_signature_validate (const gchar   *auth_token,
                                          const gchar   *url,
                                          const BfkForm *params,
                                          const gchar   *signature);

/* The forms of @url that validation tries: @url itself first, then the same
 * URL with the default port removed or added.  Only http and https URLs have
 * a second form.  Free with g_strfreev(). */
GStrv      bfk_twilio_signature_url_variants (const gchar *url);

G_END_DECLS
