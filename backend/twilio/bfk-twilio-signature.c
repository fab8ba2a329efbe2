/* bfk-twilio-signature.c: computing and checking X-Twilio-Signature.
 *
 * GLib's GHmac does the HMAC-SHA1.  The URL is spliced as text, never parsed
 * and rebuilt with GUri: Twilio signs the URL exactly as it was configured,
 * and a round trip through a parser may change its escapes or its case.
 */
#include "bfk-twilio-signature.h"

#include <string.h>

typedef struct
{
  const gchar *name;
  const gchar *value;
} Pair;

static gint
compare_pairs (gconstpointer a,
               gconstpointer b)
{
  const Pair *pa = a;
  const Pair *pb = b;
  gint c = strcmp (pa->name, pb->name);

  /* strcmp orders UTF-8 by code point, as Twilio's Python library does. */
  return c != 0 ? c : strcmp (pa->value, pb->value);
}

gchar *
bfk_twilio_signature_compute (const gchar   *auth_token,
                              const gchar   *url,
                              const BfkForm *params)
{
  g_autoptr(GHmac) hmac = NULL;
  g_autoptr(GArray) pairs = g_array_new (FALSE, FALSE, sizeof (Pair));
  guint n = params != NULL ? bfk_form_get_n_fields (params) : 0;
  guint8 digest[20];
  gsize digest_len = sizeof digest;

  g_return_val_if_fail (auth_token != NULL, NULL);
  g_return_val_if_fail (url != NULL, NULL);

  for (guint i = 0; i < n; i++)
    {
      Pair pair = { bfk_form_get_name (params, i), bfk_form_get_value (params, i) };

      g_array_append_val (pairs, pair);
    }
  g_array_sort (pairs, compare_pairs);

  hmac = g_hmac_new (G_CHECKSUM_SHA1, (const guchar *) auth_token, strlen (auth_token));
  g_hmac_update (hmac, (const guchar *) url, -1);
  for (guint i = 0; i < pairs->len; i++)
    {
      const Pair *pair = &g_array_index (pairs, Pair, i);

      g_hmac_update (hmac, (const guchar *) pair->name, -1);
      g_hmac_update (hmac, (const guchar *) pair->value, -1);
    }
  g_hmac_get_digest (hmac, digest, &digest_len);
  return g_base64_encode (digest, digest_len);
}

/* The port Twilio may leave out or add for this scheme, or NULL. */
static const gchar *
default_port (const gchar *url,
              gsize        scheme_len)
{
  if (scheme_len == 5 && g_ascii_strncasecmp (url, "https", 5) == 0)
    return "443";
  if (scheme_len == 4 && g_ascii_strncasecmp (url, "http", 4) == 0)
    return "80";
  return NULL;
}

GStrv
bfk_twilio_signature_url_variants (const gchar *url)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  const gchar *sep, *authority, *authority_end, *host, *colon = NULL;
  const gchar *port;

  g_return_val_if_fail (url != NULL, NULL);

  g_strv_builder_add (builder, url);

  sep = strstr (url, "://");
  if (sep == NULL || (port = default_port (url, (gsize) (sep - url))) == NULL)
    return g_strv_builder_end (builder);

  authority = sep + 3;
  authority_end = authority + strcspn (authority, "/?#");

  /* The host starts after any user info; an IPv6 literal has colons of its
   * own, so the port's colon is the last one after its closing bracket. */
  host = authority;
  for (const gchar *p = authority; p < authority_end; p++)
    if (*p == '@')
      host = p + 1;
  for (const gchar *p = host; p < authority_end; p++)
    {
      if (*p == ']')
        colon = NULL;
      else if (*p == ':')
        colon = p;
    }

  if (colon == NULL)
    {
      g_autofree gchar *with_port =
        g_strdup_printf ("%.*s:%s%s", (gint) (authority_end - url), url, port, authority_end);

      g_strv_builder_add (builder, with_port);
    }
  else if ((gsize) (authority_end - colon - 1) == strlen (port) &&
           strncmp (colon + 1, port, strlen (port)) == 0)
    {
      g_autofree gchar *without_port =
        g_strdup_printf ("%.*s%s", (gint) (colon - url), url, authority_end);

      g_strv_builder_add (builder, without_port);
    }
  return g_strv_builder_end (builder);
}

/* Compares two strings in a time that depends on their lengths only; the
 * length of a signature (28 characters of base64) is no secret. */
static gboolean
equal_in_constant_time (const gchar *expected,
                        const gchar *given)
{
  gsize len = strlen (expected);
  guint8 diff = 0;

  if (strlen (given) != len)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    diff |= (guint8) (expected[i] ^ given[i]);
  return diff == 0;
}

gboolean
bfk_twilio_signature_validate (const gchar   *auth_token,
                               const gchar   *url,
                               const BfkForm *params,
                               const gchar   *signature)
{
  g_auto(GStrv) variants = NULL;
  gboolean valid = FALSE;

  g_return_val_if_fail (url != NULL, FALSE);

  if (auth_token == NULL || auth_token[0] == '\0' ||
      signature == NULL || signature[0] == '\0')
    return FALSE;

  /* Every variant is computed, whichever matches, so that the time taken
   * does not tell which form of the URL a forger should use. */
  variants = bfk_twilio_signature_url_variants (url);
  for (guint i = 0; variants[i] != NULL; i++)
    {
      g_autofree gchar *expected = bfk_twilio_signature_compute (auth_token, variants[i], params);

      valid |= equal_in_constant_time (expected, signature);
    }
  return valid;
}
