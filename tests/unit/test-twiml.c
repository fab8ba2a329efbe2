/* test-twiml.c: the TwiML answer to an inbound message. */
#include "bfk-twiml.h"

#include <string.h>

#define DECL "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"

static void
test_empty (void)
{
  g_autoptr(BfkTwiml) twiml = bfk_twiml_new ();
  g_autofree gchar *text = bfk_twiml_to_string (twiml);

  g_assert_cmpstr (text, ==, DECL "<Response/>");
  g_assert_cmpuint (bfk_twiml_get_n_messages (twiml), ==, 0);
}

static void
test_messages (void)
{
  g_autoptr(BfkTwiml) twiml = bfk_twiml_new ();
  g_autofree gchar *text = NULL;

  bfk_twiml_add_message (twiml, "Bienvenue sur Troc-Service Bafoka !\n1. Fondjomenkwet");
  bfk_twiml_add_message (twiml, "Solde : 1000 Fonjoka 👍");
  text = bfk_twiml_to_string (twiml);
  g_assert_cmpstr (text, ==,
                   DECL "<Response>"
                   "<Message>Bienvenue sur Troc-Service Bafoka !\n1. Fondjomenkwet</Message>"
                   "<Message>Solde : 1000 Fonjoka 👍</Message>"
                   "</Response>");
  g_assert_cmpuint (bfk_twiml_get_n_messages (twiml), ==, 2);
}

static void
test_escaping (void)
{
  g_autoptr(BfkTwiml) twiml = bfk_twiml_new ();
  g_autofree gchar *text = NULL;

  bfk_twiml_add_message (twiml, "<b>Tom & \"Jerry\"</b> l'a dit ]]> &amp;");
  text = bfk_twiml_to_string (twiml);
  g_assert_cmpstr (text, ==,
                   DECL "<Response><Message>"
                   "&lt;b&gt;Tom &amp; &quot;Jerry&quot;&lt;/b&gt; l&apos;a dit ]]&gt; &amp;amp;"
                   "</Message></Response>");
}

static void
test_stripping (void)
{
  g_autoptr(GString) out = g_string_new (NULL);

  /* Controls other than tab, LF and CR go; so do U+FFFE, U+FFFF and bytes
   * that are not UTF-8.  Everything else (DEL, C1 controls, astral) stays,
   * as XML 1.0 allows them. */
  bfk_twiml_append_escaped (out, "a\x01" "b\x08\x0b\x0c\x1f" "c\t\n\rd");
  g_assert_cmpstr (out->str, ==, "abc\t\n\rd");

  g_string_truncate (out, 0);
  bfk_twiml_append_escaped (out, "x\xef\xbf\xbe" "y\xef\xbf\xbf" "z\xef\xbf\xbd");
  g_assert_cmpstr (out->str, ==, "xyz\xef\xbf\xbd");

  g_string_truncate (out, 0);
  bfk_twiml_append_escaped (out, "\xff" "a\xc3" "b\xe9t\xe9\x80" "\x7f\xc2\x85\xf0\x9f\x98\x80");
  g_assert_cmpstr (out->str, ==, "abt\x7f\xc2\x85\xf0\x9f\x98\x80");

  /* A CDATA-closing or an entity-looking text is only characters. */
  g_string_truncate (out, 0);
  bfk_twiml_append_escaped (out, "&#0;");
  g_assert_cmpstr (out->str, ==, "&amp;#0;");
}

static void
test_empty_message_skipped (void)
{
  g_autoptr(BfkTwiml) twiml = bfk_twiml_new ();
  g_autofree gchar *text = NULL;

  /* Twilio refuses a message without a body; one that strips to nothing
   * is not sent either. */
  bfk_twiml_add_message (twiml, "");
  bfk_twiml_add_message (twiml, "\x01\x02");
  g_assert_cmpuint (bfk_twiml_get_n_messages (twiml), ==, 0);
  bfk_twiml_add_message (twiml, "ok");
  text = bfk_twiml_to_string (twiml);
  g_assert_cmpstr (text, ==, DECL "<Response><Message>ok</Message></Response>");
}

/* Whatever the bytes, the document is valid UTF-8 and well-formed XML. */
static void
test_well_formed (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);

  for (guint round = 0; round < 2000; round++)
    {
      g_autoptr(BfkTwiml) twiml = bfk_twiml_new ();
      g_autoptr(GMarkupParseContext) context = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree gchar *text = NULL;
      gchar bytes[33];
      static const GMarkupParser parser = { NULL, NULL, NULL, NULL, NULL };

      for (guint i = 0; i < sizeof bytes - 1; i++)
        bytes[i] = (gchar) g_rand_int_range (rand, 1, 256);
      bytes[sizeof bytes - 1] = '\0';
      bfk_twiml_add_message (twiml, bytes);
      text = bfk_twiml_to_string (twiml);

      g_assert_true (g_utf8_validate (text, -1, NULL));
      context = g_markup_parse_context_new (&parser, 0, NULL, NULL);
      /* GMarkup wants no XML declaration; the rest is checked. */
      g_assert_true (g_markup_parse_context_parse (context, text + strlen (DECL), -1, &error));
      g_assert_true (g_markup_parse_context_end_parse (context, &error));
      g_assert_no_error (error);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/twiml/empty", test_empty);
  g_test_add_func ("/twiml/messages", test_messages);
  g_test_add_func ("/twiml/escaping", test_escaping);
  g_test_add_func ("/twiml/stripping", test_stripping);
  g_test_add_func ("/twiml/empty-message-skipped", test_empty_message_skipped);
  g_test_add_func ("/twiml/well-formed", test_well_formed);
  return g_test_run ();
}
