/* test-address.c: EIP-55 checksums, with the examples of the EIP. */
#include "bfk-address.h"

static const gchar *eip55_examples[] = {
  "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
  "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
  "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
  "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
};

static void
test_checksum (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (eip55_examples); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree gchar *lower = g_ascii_strdown (eip55_examples[i], -1);
      g_autofree gchar *back = NULL;
      BfkAddress a;

      g_assert_true (bfk_address_parse (lower, &a, &error));
      g_assert_no_error (error);
      back = bfk_address_to_string (&a);
      g_assert_cmpstr (back, ==, eip55_examples[i]);
      g_assert_true (bfk_address_parse (eip55_examples[i], &a, &error));
    }
}

static void
test_rejects (void)
{
  const gchar *bad[] = {
    "0x5aaeb6053F3E94C9b9A09f33669435E7Ef1BeAed",   /* one letter's case changed */
    "5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe",
    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAedd",
    "0xzaAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      BfkAddress a;

      g_assert_false (bfk_address_parse (bad[i], &a, &error));
      g_assert_nonnull (error);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/address/eip55", test_checksum);
  g_test_add_func ("/address/rejects", test_rejects);
  return g_test_run ();
}
