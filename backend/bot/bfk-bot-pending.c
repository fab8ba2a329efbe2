/* bfk-bot-pending.c: the pending data as a string the caller stores.
 *
 * A URL query ("v=1&c=2" or "v=1&p=17&pn=Marie&s=couture&a=150&t=…"): short,
 * readable in the database, and GLib both writes and reads it.  The store
 * is not ours to trust blindly (a hand edit, an older version): every field
 * is checked, and anything out of shape reads as nothing pending.
 */
#include "bfk-bot-private.h"

#include "bfk-members.h"

#define PENDING_VERSION "1"

void
bfk_bot_pending_clear (BfkBotPending *pending)
{
  g_clear_pointer (&pending->provider_name, g_free);
  g_clear_pointer (&pending->service, g_free);
  *pending = (BfkBotPending) { 0 };
}

gboolean
bfk_bot_pending_has_proposal (const BfkBotPending *pending)
{
  return pending->provider_id > 0 && pending->provider_name && pending->service
         && pending->amount > 0 && pending->asked_at > 0;
}

static guint64
read_unsigned (GHashTable  *params,
               const gchar *key,
               guint64      max)
{
  const gchar *text = g_hash_table_lookup (params, key);
  guint64 value = 0;

  if (!text || !g_ascii_string_to_unsigned (text, 10, 1, max, &value, NULL))
    return 0;
  return value;
}

static gchar *
read_string (GHashTable  *params,
             const gchar *key,
             guint        max_chars)
{
  const gchar *text = g_hash_table_lookup (params, key);

  if (!text || !*text || !g_utf8_validate (text, -1, NULL)
      || g_utf8_strlen (text, -1) > (glong) max_chars)
    return NULL;
  return g_strdup (text);
}

void
bfk_bot_pending_parse (const gchar   *text,
                       BfkBotPending *out)
{
  g_autoptr(GHashTable) params = NULL;
  g_autofree gchar *name = NULL;

  *out = (BfkBotPending) { 0 };
  if (!text || !*text)
    return;
  params = g_uri_parse_params (text, -1, "&", G_URI_PARAMS_NONE, NULL);
  if (!params || g_strcmp0 (g_hash_table_lookup (params, "v"), PENDING_VERSION) != 0)
    return;

  out->community_id = read_unsigned (params, "c", G_MAXUINT32);
  out->provider_id = (gint64) read_unsigned (params, "p", G_MAXINT64);
  out->amount = read_unsigned (params, "a", BFK_BOT_NUMBER_MAX);
  out->asked_at = (gint64) read_unsigned (params, "t", G_MAXINT64);
  out->service = read_string (params, "s", BFK_BOT_SERVICE_MAX_CHARS);
  name = read_string (params, "pn", BFK_MEMBER_NAME_MAX);
  if (name)
    out->provider_name = bfk_member_name_normalize (name, NULL);
  /* Half a proposal is no proposal. */
  if (!bfk_bot_pending_has_proposal (out))
    {
      guint64 community_id = out->community_id;

      bfk_bot_pending_clear (out);
      out->community_id = community_id;
    }
}

static void
add_param (GString     *s,
           const gchar *key,
           const gchar *value)
{
  g_autofree gchar *escaped = g_uri_escape_string (value, NULL, FALSE);

  g_string_append_printf (s, "&%s=%s", key, escaped);
}

gchar *
bfk_bot_pending_serialize (const BfkBotPending *pending)
{
  g_autoptr(GString) s = g_string_new ("v=" PENDING_VERSION);
  gsize empty = s->len;

  if (pending->community_id)
    g_string_append_printf (s, "&c=%" G_GUINT64_FORMAT, pending->community_id);
  if (bfk_bot_pending_has_proposal (pending))
    {
      g_string_append_printf (s, "&p=%" G_GINT64_FORMAT, pending->provider_id);
      add_param (s, "pn", pending->provider_name);
      add_param (s, "s", pending->service);
      g_string_append_printf (s, "&a=%" G_GUINT64_FORMAT "&t=%" G_GINT64_FORMAT,
                              pending->amount, pending->asked_at);
    }
  return s->len == empty ? g_strdup ("") : g_strdup (s->str);
}
