/* test-twilio-signature.c: X-Twilio-Signature, computed and checked. */
#include "bfk-twilio-signature.h"

/* The example of Twilio's webhook security documentation
 * (https://www.twilio.com/docs/usage/webhooks/webhooks-security): auth token
 * 12345, this URL and these parameters sign as 0/KCTR6DLpKmkAf8muzZqo1nDgQ=.
 * Cross-checked outside this code:
 *
 *   printf '%s' 'https://mycompany.com/myapp.php?foo=1&bar=2CallSidCA1234567890ABCDECaller+12349013030Digits1234From+12349013030To+18005551212' \
 *     | openssl dgst -sha1 -hmac 12345 -binary | base64
 *   0/KCTR6DLpKmkAf8muzZqo1nDgQ=
 *
 * (python3's hmac.new(b'12345', that string, hashlib.sha1) agrees.) */
#define DOC_TOKEN     "12345"
#define DOC_URL       "https://mycompany.com/myapp.php?foo=1&bar=2"
#define DOC_SIGNATURE "0/KCTR6DLpKmkAf8muzZqo1nDgQ="

/* The documentation's parameters, in the order given. */
static BfkForm *
doc_params (void)
{
  BfkForm *form = bfk_form_new ();

  bfk_form_add (form, "CallSid", "CA1234567890ABCDE");
  bfk_form_add (form, "Caller", "+12349013030");
  bfk_form_add (form, "Digits", "1234");
  bfk_form_add (form, "From", "+12349013030");
  bfk_form_add (form, "To", "+18005551212");
  return form;
}

static void
test_documentation_example (void)
{
  g_autoptr(BfkForm) params = doc_params ();
  g_autofree gchar *signature = bfk_twilio_signature_compute (DOC_TOKEN, DOC_URL, params);

  g_assert_cmpstr (signature, ==, DOC_SIGNATURE);
  g_assert_true (bfk_twilio_signature_validate (DOC_TOKEN, DOC_URL, params, DOC_SIGNATURE));
}

static void
test_bad_signature (void)
{
  g_autoptr(BfkForm) params = doc_params ();
  g_autoptr(BfkForm) tampered = doc_params ();

  /* One character off, another valid-looking signature, a truncated one, and
   * the right one with trailing white space. */
  g_assert_false (bfk_twilio_signature_validate (DOC_TOKEN, DOC_URL, params, "1/KCTR6DLpKmkAf8muzZqo1nDgQ="));
  g_assert_false (bfk_twilio_signature_validate (DOC_TOKEN, DOC_URL, params, "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
  g_assert_false (bfk_twilio_signature_validate (DOC_TOKEN, DOC_URL, params, "0/KCTR6DLpKmkAf8muzZqo1nDgQ"));
  g_assert_false (bfk_twilio_signature_validate (DOC_TOKEN, DOC_URL, params, DOC_SIGNATURE " "));

  /* The body or the URL changed under the signature. */
  bfk_form_add (tampered, "Body", "SOLDE");
  g_assert_false (bfk_twilio_signature_validate (DOC_TOKEN, DOC_URL, tampered, DOC_SIGNATURE));
  g_assert_false (bfk_twilio_signature_validate (DOC_TOKEN, DOC_URL, NULL, DOC_SIGNATURE));
  g_assert_false (bfk_twilio_signature_validate (DOC_TOKEN, "https://mycompany.com/myapp.php?foo=1&bar=3",
                                                 params, DOC_SIGNATURE));
  g_assert_false (bfk_twilio_signature_validate (DOC_TOKEN, "http://mycompany.com/myapp.php?foo=1&bar=2",
                                                 params, DOC_SIGNATURE));
}

static void
test_wrong_token (void)
{
  g_autoptr(BfkForm) params = doc_params ();

  g_assert_false (bfk_twilio_signature_validate ("12346", DOC_URL, params, DOC_SIGNATURE));
  g_assert_false (bfk_twilio_signature_validate ("123456", DOC_URL, params, DOC_SIGNATURE));
  /* An empty token never validates, not even a signature made with it. */
  {
    g_autofree gchar *with_empty = bfk_twilio_signature_compute ("", DOC_URL, params);

    g_assert_false (bfk_twilio_signature_validate ("", DOC_URL, params, with_empty));
    g_assert_false (bfk_twilio_signature_validate (NULL, DOC_URL, params, with_empty));
  }
}

static void
test_param_order (void)
{
  g_autoptr(BfkForm) reversed = bfk_form_new ();
  g_autoptr(BfkForm) repeated_a = bfk_form_new ();
  g_autoptr(BfkForm) repeated_b = bfk_form_new ();
  g_autofree gchar *sig_a = NULL;
  g_autofree gchar *sig_b = NULL;
  g_autoptr(BfkForm) mixed = bfk_form_new ();
  g_autofree gchar *sig_mixed = NULL;

  bfk_form_add (reversed, "To", "+18005551212");
  bfk_form_add (reversed, "From", "+12349013030");
  bfk_form_add (reversed, "Digits", "1234");
  bfk_form_add (reversed, "Caller", "+12349013030");
  bfk_form_add (reversed, "CallSid", "CA1234567890ABCDE");
  g_assert_true (bfk_twilio_signature_validate (DOC_TOKEN, DOC_URL, reversed, DOC_SIGNATURE));

  /* A repeated name is sorted by value: the order it came in is no matter. */
  bfk_form_add (repeated_a, "MediaUrl", "b");
  bfk_form_add (repeated_a, "MediaUrl", "a");
  bfk_form_add (repeated_b, "MediaUrl", "a");
  bfk_form_add (repeated_b, "MediaUrl", "b");
  sig_a = bfk_twilio_signature_compute (DOC_TOKEN, DOC_URL, repeated_a);
  sig_b = bfk_twilio_signature_compute (DOC_TOKEN, DOC_URL, repeated_b);
  g_assert_cmpstr (sig_a, ==, sig_b);

  /* The sort is by byte (code point), so upper case comes before lower:
   * "Zeta" signs before "alpha".  Expected value from
   *   python3 -c "import hmac,hashlib,base64; print(base64.b64encode(hmac.new(b'k',
   *     b'https://x/yZeta2alpha1', hashlib.sha1).digest()).decode())" */
  bfk_form_add (mixed, "alpha", "1");
  bfk_form_add (mixed, "Zeta", "2");
  sig_mixed = bfk_twilio_signature_compute ("k", "https://x/y", mixed);
  g_assert_cmpstr (sig_mixed, ==, "j+qq6xyIs36K8oUnyWoJKUFOHQA=");
}

static void
test_url_variants (void)
{
  const struct
  {
    const gchar *url;
    const gchar *other;  /* NULL: no second form */
  } cases[] = {
    { "https://example.org/webhook", "https://example.org:443/webhook" },
    { "https://example.org:443/webhook", "https://example.org/webhook" },
    { "http://example.org/webhook?x=1", "http://example.org:80/webhook?x=1" },
    { "http://example.org:80/webhook", "http://example.org/webhook" },
    { "HTTPS://Example.org/webhook", "HTTPS://Example.org:443/webhook" },
    { "https://example.org", "https://example.org:443" },
    { "https://example.org?q=a:b", "https://example.org:443?q=a:b" },
    { "https://user:pw@example.org/w", "https://user:pw@example.org:443/w" },
    { "https://[2001:db8::1]/w", "https://[2001:db8::1]:443/w" },
    { "https://[2001:db8::1]:443/w", "https://[2001:db8::1]/w" },
    /* Another port is Twilio's to sign as it is; the wrong default stays. */
    { "https://example.org:8443/webhook", NULL },
    { "https://example.org:80/webhook", NULL },
    { "http://example.org:443/webhook", NULL },
    { "ftp://example.org/webhook", NULL },
    { "not a url", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(GStrv) variants = bfk_twilio_signature_url_variants (cases[i].url);

      g_assert_cmpstr (variants[0], ==, cases[i].url);
      g_assert_cmpstr (variants[1], ==, cases[i].other);
      if (cases[i].other != NULL)
        g_assert_null (variants[2]);
    }
}

static void
test_port_variants (void)
{
  g_autoptr(BfkForm) params = doc_params ();
  g_autofree gchar *signed_with_port =
    bfk_twilio_signature_compute (DOC_TOKEN, "https://mycompany.com:443/myapp.php?foo=1&bar=2", params);
  g_autofree gchar *signed_on_8443 =
    bfk_twilio_signature_compute (DOC_TOKEN, "https://mycompany.com:8443/myapp.php?foo=1&bar=2", params);

  g_assert_cmpstr (signed_with_port, !=, DOC_SIGNATURE);

  /* Twilio signed without the port, the server knows the URL with it. */
  g_assert_true (bfk_twilio_signature_validate (DOC_TOKEN, "https://mycompany.com:443/myapp.php?foo=1&bar=2",
                                                params, DOC_SIGNATURE));
  /* Twilio signed with the port, the server knows the URL without it. */
  g_assert_true (bfk_twilio_signature_validate (DOC_TOKEN, DOC_URL, params, signed_with_port));
  g_assert_true (bfk_twilio_signature_validate (DOC_TOKEN, "https://mycompany.com:443/myapp.php?foo=1&bar=2",
                                                params, signed_with_port));
  /* Another port is another URL. */
  g_assert_false (bfk_twilio_signature_validate (DOC_TOKEN, DOC_URL, params, signed_on_8443));
  g_assert_true (bfk_twilio_signature_validate (DOC_TOKEN, "https://mycompany.com:8443/myapp.php?foo=1&bar=2",
                                                params, signed_on_8443));
  g_assert_false (bfk_twilio_signature_validate (DOC_TOKEN, "https://mycompany.com:8443/myapp.php?foo=1&bar=2",
                                                 params, DOC_SIGNATURE));
}

static void
test_missing_header (void)
{
  g_autoptr(BfkForm) params = doc_params ();

  g_assert_false (bfk_twilio_signature_validate (DOC_TOKEN, DOC_URL, params, NULL));
  g_assert_false (bfk_twilio_signature_validate (DOC_TOKEN, DOC_URL, params, ""));
}

static void
test_no_params (void)
{
  /* A request without a body (a GET, or a JSON body signed through the
   * URL) signs the URL alone; an empty form is the same as none. */
  g_autoptr(BfkForm) empty = bfk_form_new ();
  g_autofree gchar *none = bfk_twilio_signature_compute (DOC_TOKEN, DOC_URL, NULL);
  g_autofree gchar *zero = bfk_twilio_signature_compute (DOC_TOKEN, DOC_URL, empty);

  g_assert_cmpstr (none, ==, zero);
  g_assert_true (bfk_twilio_signature_validate (DOC_TOKEN, DOC_URL, NULL, none));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/twilio-signature/documentation-example", test_documentation_example);
  g_test_add_func ("/twilio-signature/bad-signature", test_bad_signature);
  g_test_add_func ("/twilio-signature/wrong-token", test_wrong_token);
  g_test_add_func ("/twilio-signature/param-order", test_param_order);
  g_test_add_func ("/twilio-signature/url-variants", test_url_variants);
  g_test_add_func ("/twilio-signature/port-variants", test_port_variants);
  g_test_add_func ("/twilio-signature/missing-header", test_missing_header);
  g_test_add_func ("/twilio-signature/no-params", test_no_params);
  return g_test_run ();
}
