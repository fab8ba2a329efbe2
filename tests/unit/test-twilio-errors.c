/* test-twilio-errors.c: Twilio's error codes in words. */
#include "bfk-twilio-errors.h"

#include <string.h>

static void
test_known_codes (void)
{
  const struct
  {
    gint         code;
    const gchar *words;
  } cases[] = {
    { 20003, "TWILIO_AUTH_TOKEN" },
    { 20429, "Too many requests" },
    { 21211, "not a valid phone number" },
    { 21408, "region" },
    { 21610, "unsubscribed" },
    { 30003, "unreachable" },
    { 30005, "Unknown destination" },
    { 30006, "Landline" },
    { 30007, "filtered" },
    { 30008, "unknown reason" },
    { 63003, "WhatsApp could not find this address" },
    { 63016, "24-hour" },
    { 63018, "rate limit" },
    { 63024, "Invalid message recipient" },
    { 63032, "WhatsApp will not deliver" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree gchar *reason = bfk_twilio_error_reason (cases[i].code);

      g_assert_nonnull (strstr (reason, cases[i].words));
      /* A sentence, not a bare code. */
      g_assert_null (strstr (reason, "Twilio error"));
      g_assert_true (g_str_has_suffix (reason, "."));
    }
  g_assert_cmpint (BFK_TWILIO_CODE_WINDOW_CLOSED, ==, 63016);
}

static void
test_unknown_codes (void)
{
  const gint codes[] = { 0, 1, 21210, 63017, 99999, -5 };

  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      g_autofree gchar *reason = bfk_twilio_error_reason (codes[i]);
      g_autofree gchar *expected = g_strdup_printf ("Twilio error %d", codes[i]);

      g_assert_cmpstr (reason, ==, expected);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/twilio-errors/known-codes", test_known_codes);
  g_test_add_func ("/twilio-errors/unknown-codes", test_unknown_codes);
  return g_test_run ();
}
