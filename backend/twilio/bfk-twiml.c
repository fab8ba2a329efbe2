/* bfk-twiml.c: building the TwiML answer.
 *
 * The messages are escaped as they are added, so the builder only holds
 * ready-made <Message> elements.
 */
#include "bfk-twiml.h"

#include <string.h>

#define XML_DECLARATION "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"

struct _BfkTwiml
{
  GString *messages;  /* the <Message> elements, escaped */
  guint    n_messages;
};

BfkTwiml *
bfk_twiml_new (void)
{
  BfkTwiml *twiml = g_new0 (BfkTwiml, 1);

  twiml->messages = g_string_new (NULL);
  return twiml;
}

void
bfk_twiml_free (BfkTwiml *twiml)
{
  if (twiml == NULL)
    return;
  g_string_free (twiml->messages, TRUE);
  g_free (twiml);
}

/* XML 1.0, production [2] Char. */
static gboolean
is_xml_char (gunichar c)
{
  return c == 0x9 || c == 0xA || c == 0xD ||
         (c >= 0x20 && c <= 0xD7FF) ||
         (c >= 0xE000 && c <= 0xFFFD) ||
         (c >= 0x10000 && c <= 0x10FFFF);
}

void
bfk_twiml_append_escaped (GString     *out,
                          const gchar *text)
{
  const gchar *p = text;

  g_return_if_fail (out != NULL);
  g_return_if_fail (text != NULL);

  while (*p != '\0')
    {
      gunichar c = g_utf8_get_char_validated (p, -1);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          /* Not UTF-8: drop the byte and resynchronise on the next one. */
          p++;
          continue;
        }

      switch (c)
        {
        case '&': g_string_append (out, "&amp;"); break;
        case '<': g_string_append (out, "&lt;"); break;
        case '>': g_string_append (out, "&gt;"); break;
        case '"': g_string_append (out, "&quot;"); break;
        case '\'': g_string_append (out, "&apos;"); break;
        default:
          if (is_xml_char (c))
            g_string_append_len (out, p, g_utf8_next_char (p) - p);
          break;
        }
      p = g_utf8_next_char (p);
    }
}

void
bfk_twiml_add_message (BfkTwiml    *twiml,
                       const gchar *body)
{
  gsize start;

  g_return_if_fail (twiml != NULL);
  g_return_if_fail (body != NULL);

  start = twiml->messages->len;
  g_string_append (twiml->messages, "<Message>");
  bfk_twiml_append_escaped (twiml->messages, body);
  if (twiml->messages->len == start + strlen ("<Message>"))
    {
      g_string_truncate (twiml->messages, start);
      return;
    }
  g_string_append (twiml->messages, "</Message>");
  twiml->n_messages++;
}

guint
bfk_twiml_get_n_messages (const BfkTwiml *twiml)
{
  g_return_val_if_fail (twiml != NULL, 0);

  return twiml->n_messages;
}

gchar *
bfk_twiml_to_string (const BfkTwiml *twiml)
{
  g_return_val_if_fail (twiml != NULL, NULL);

  if (twiml->n_messages == 0)
    return g_strdup (XML_DECLARATION "<Response/>");
  return g_strconcat (XML_DECLARATION "<Response>", twiml->messages->str, "</Response>", NULL);
}
