/* test-form.c: form-urlencoded decoding and encoding.
 *
 * The decoder reads what anyone may post to the webhook: besides the
 * ordinary cases, every malformed input must end in a clear error, and any
 * byte string must be survived.
 */
#include "bfk-form.h"

#include <libsoup/soup.h>
#include <string.h>

/* Asserts that @form holds exactly the pairs in @expected, a NULL-terminated
 * list of name, value, name, value ... */
static void
assert_pairs (const BfkForm       *form,
              const gchar * const *expected)
{
  guint n = g_strv_length ((gchar **) expected);

  g_assert_cmpuint (n % 2, ==, 0);
  g_assert_cmpuint (bfk_form_get_n_fields (form), ==, n / 2);
  for (guint i = 0; i < n / 2; i++)
    {
      g_assert_cmpstr (bfk_form_get_name (form, i), ==, expected[2 * i]);
      g_assert_cmpstr (bfk_form_get_value (form, i), ==, expected[2 * i + 1]);
    }
}

static BfkForm *
decode_ok (const gchar *text)
{
  g_autoptr(GError) error = NULL;
  BfkForm *form = bfk_form_decode (text, strlen (text), &error);

  g_assert_no_error (error);
  g_assert_nonnull (form);
  return form;
}

static void
test_decode_twilio_webhook (void)
{
  /* The shape of a WhatsApp inbound message webhook. */
  const gchar *body =
    "SmsMessageSid=SM0123&NumMedia=0&ProfileName=Awa+Ngo%C3%A9&WaId=237650000001"
    "&Body=Offrir+coiffure+500%21&To=whatsapp%3A%2B14155238886"
    "&From=whatsapp%3A%2B237650000001&MessageSid=SM0123&AccountSid=AC42";
  const gchar * const expected[] = {
    "SmsMessageSid", "SM0123",
    "NumMedia", "0",
    "ProfileName", "Awa Ngoé",
    "WaId", "237650000001",
    "Body", "Offrir coiffure 500!",
    "To", "whatsapp:+14155238886",
    "From", "whatsapp:+237650000001",
    "MessageSid", "SM0123",
    "AccountSid", "AC42",
    NULL
  };
  g_autoptr(BfkForm) form = decode_ok (body);

  assert_pairs (form, expected);
  g_assert_cmpstr (bfk_form_lookup (form, "Body"), ==, "Offrir coiffure 500!");
  g_assert_null (bfk_form_lookup (form, "body"));
}

static void
test_decode_edge_cases (void)
{
  const struct
  {
    const gchar *text;
    const gchar *pairs[9];
  } cases[] = {
    { "", { NULL } },
    { "&&&", { NULL } },
    { "a=1&&b=2&", { "a", "1", "b", "2", NULL } },
    { "flag&x=", { "flag", "", "x", "", NULL } },
    { "=v", { "", "v", NULL } },
    { "a=1=2", { "a", "1=2", NULL } },
    /* Order and repeats are kept. */
    { "b=2&a=1&b=3", { "b", "2", "a", "1", "b", "3", NULL } },
    { "%41%62c=%7e%7E", { "Abc", "~~", NULL } },
    { "a+b=c%2Bd", { "a b", "c+d", NULL } },
    { "k=%26%3D%25", { "k", "&=%", NULL } },
    /* Raw UTF-8 is accepted as well as escaped UTF-8. */
    { "emoji=\xf0\x9f\x91\x8d&e=%F0%9F%91%8D", { "emoji", "\xf0\x9f\x91\x8d", "e", "\xf0\x9f\x91\x8d", NULL } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(BfkForm) form = decode_ok (cases[i].text);

      assert_pairs (form, cases[i].pairs);
    }

  /* No body at all, as a fuzzer may pass it. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(BfkForm) none = bfk_form_decode (NULL, 0, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (bfk_form_get_n_fields (none), ==, 0);
  }
}

static void
test_decode_errors (void)
{
  const struct
  {
    const gchar *text;
    gsize        len;   /* 0: strlen */
    BfkFormError code;
    const gchar *words; /* in the message */
  } cases[] = {
    { "a=%", 0, BFK_FORM_ERROR_BAD_ESCAPE, "value of pair 1" },
    { "a=%4", 0, BFK_FORM_ERROR_BAD_ESCAPE, "value of pair 1" },
    { "a=1&b%zz=2", 0, BFK_FORM_ERROR_BAD_ESCAPE, "name of pair 2" },
    { "a=%g0", 0, BFK_FORM_ERROR_BAD_ESCAPE, "hexadecimal" },
    /* The escape may not borrow the '&' of the next pair. */
    { "a=%4&1=x", 0, BFK_FORM_ERROR_BAD_ESCAPE, "pair 1" },
    { "a=%00", 0, BFK_FORM_ERROR_NUL, "NUL" },
    { "a=x\0y", 5, BFK_FORM_ERROR_NUL, "value of pair 1" },
    { "a=%FF", 0, BFK_FORM_ERROR_INVALID_UTF8, "UTF-8" },
    { "a=%C3", 0, BFK_FORM_ERROR_INVALID_UTF8, "UTF-8" },
    { "%C0%AF=x", 0, BFK_FORM_ERROR_INVALID_UTF8, "name of pair 1" },      /* overlong '/' */
    { "a=%ED%A0%80", 0, BFK_FORM_ERROR_INVALID_UTF8, "UTF-8" },            /* a surrogate */
    { "a=\xe9t\xe9", 0, BFK_FORM_ERROR_INVALID_UTF8, "UTF-8" },            /* Latin-1 */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gsize len = cases[i].len != 0 ? cases[i].len : strlen (cases[i].text);
      g_autoptr(BfkForm) form = bfk_form_decode (cases[i].text, len, &error);

      g_assert_null (form);
      g_assert_error (error, BFK_FORM_ERROR, (gint) cases[i].code);
      g_assert_nonnull (strstr (error->message, cases[i].words));
    }
}

static void
test_decode_not_terminated (void)
{
  /* Only @len bytes are read: the rest of the buffer is not the form's. */
  const gchar buffer[] = { 'a', '=', '1', '%', '4', '1' };
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkForm) form = bfk_form_decode (buffer, 3, &error);
  g_autoptr(BfkForm) cut = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (bfk_form_lookup (form, "a"), ==, "1");

  /* "%4" at the very end of the bytes given must not read past them. */
  cut = bfk_form_decode (buffer, 5, &error);
  g_assert_null (cut);
  g_assert_error (error, BFK_FORM_ERROR, BFK_FORM_ERROR_BAD_ESCAPE);
}

static void
test_encode (void)
{
  g_autoptr(BfkForm) form = bfk_form_new ();
  g_autofree gchar *text = NULL;

  bfk_form_add (form, "To", "whatsapp:+237650000001");
  bfk_form_add (form, "Body", "Solde : 1 000 Fonjoka & plus ~ *ok* é");
  bfk_form_add (form, "Empty", "");
  bfk_form_add (form, "a-b.c_d*", "A~");
  text = bfk_form_encode (form);
  g_assert_cmpstr (text, ==,
                   "To=whatsapp%3A%2B237650000001"
                   "&Body=Solde+%3A+1+000+Fonjoka+%26+plus+%7E+*ok*+%C3%A9"
                   "&Empty="
                   "&a-b.c_d*=A%7E");
}

/* Encoding then decoding gives the pairs back, and soup's decoder (an
 * independent one) reads our encoding the same way. */
static void
test_round_trip (void)
{
  const gchar *values[] = {
    "", " ", "+", "%", "&", "=", "a=b&c=d", "whatsapp:+237650000001",
    "\t\r\n", "Ngoé 👍 「」", "100%25", "~!@#$^*()[]{}|\\;:'\",<.>/?`",
  };
  g_autoptr(BfkForm) form = bfk_form_new ();
  g_autoptr(BfkForm) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree gchar *text = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autofree gchar *name = g_strdup_printf ("n%u %s", i, values[i]);

      bfk_form_add (form, name, values[i]);
    }
  g_autoptr(GHashTable) soup = NULL;

  text = bfk_form_encode (form);
  back = bfk_form_decode (text, strlen (text), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bfk_form_get_n_fields (back), ==, G_N_ELEMENTS (values));
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_assert_cmpstr (bfk_form_get_name (back, i), ==, bfk_form_get_name (form, i));
      g_assert_cmpstr (bfk_form_get_value (back, i), ==, values[i]);
    }

  soup = soup_form_decode (text);
  g_assert_cmpuint (g_hash_table_size (soup), ==, G_N_ELEMENTS (values));
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    g_assert_cmpstr (g_hash_table_lookup (soup, bfk_form_get_name (form, i)), ==, values[i]);
}

/* Random bytes, and random mutations of a valid body: the decoder either
 * succeeds with valid UTF-8 everywhere, or fails with a BFK_FORM_ERROR. */
static void
test_random_bytes (void)
{
  static const gchar alphabet[] = "%+&=aZ09\xc3\xa9\xff\x80\x00";
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240601);

  for (guint round = 0; round < 20000; round++)
    {
      gsize len = (gsize) g_rand_int_range (rand, 0, 48);
      g_autofree gchar *bytes = g_malloc (len + 1);
      g_autoptr(GError) error = NULL;
      g_autoptr(BfkForm) form = NULL;

      for (gsize i = 0; i < len; i++)
        bytes[i] = round % 2 == 0
          ? (gchar) g_rand_int_range (rand, 0, 256)
          : alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)];

      form = bfk_form_decode (bytes, len, &error);
      if (form == NULL)
        {
          g_assert_nonnull (error);
          g_assert_true (error->domain == BFK_FORM_ERROR);
          continue;
        }
      g_assert_no_error (error);
      for (guint i = 0; i < bfk_form_get_n_fields (form); i++)
        {
          g_assert_true (g_utf8_validate (bfk_form_get_name (form, i), -1, NULL));
          g_assert_true (g_utf8_validate (bfk_form_get_value (form, i), -1, NULL));
        }
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/form/decode/twilio-webhook", test_decode_twilio_webhook);
  g_test_add_func ("/form/decode/edge-cases", test_decode_edge_cases);
  g_test_add_func ("/form/decode/errors", test_decode_errors);
  g_test_add_func ("/form/decode/not-terminated", test_decode_not_terminated);
  g_test_add_func ("/form/encode", test_encode);
  g_test_add_func ("/form/round-trip", test_round_trip);
  g_test_add_func ("/form/random-bytes", test_random_bytes);
  return g_test_run ();
}
