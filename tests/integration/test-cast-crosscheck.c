/* test-cast-crosscheck.c: our signing and keystores against Foundry's cast.
 *
 * cast is an independent implementation (Rust, alloy): random transactions
 * signed by both must be identical byte for byte, and keystores must open in
 * both directions.  cast is found through $BAFOKA_CAST, then PATH, then the
 * contracts' node_modules; without it the whole file is a TAP skip.
 */
#include "bfk-chain-error.h"
#include "bfk-hex.h"
#include "bfk-keystore.h"
#include "bfk-tx.h"
#include "bfk-test-tmp.h"

#include <string.h>


static gchar *cast_path;

static gchar *
find_cast (void)
{
  const gchar *env = g_getenv ("BAFOKA_CAST");
  const gchar *source_dir = g_getenv ("BAFOKA_SOURCE_DIR");
  gchar *path;

  if (env != NULL && g_file_test (env, G_FILE_TEST_IS_EXECUTABLE))
    return g_strdup (env);
  path = g_find_program_in_path ("cast");
  if (path != NULL)
    return path;
  if (source_dir != NULL)
    {
      path = g_build_filename (source_dir, "contracts", "node_modules", ".bin", "cast", NULL);
      if (g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
        return path;
      g_free (path);
    }
  return NULL;
}

/* Runs cast with args (NULL-terminated, without argv[0]) and returns its
 * standard output, stripped; fails the test if cast fails. */
static gchar *
run_cast (const gchar * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;
  g_autoptr(GError) error = NULL;
  gint status = 0;

  g_ptr_array_add (argv, cast_path);
  for (gsize i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  /* A neutral working directory, so that no foundry.toml nearby changes
   * cast's behaviour. */
  g_assert_true (g_spawn_sync (g_get_tmp_dir (), (gchar **) argv->pdata, NULL,
                               G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("cast failed: %s\n%s", error->message, err);
  return g_strdup (g_strstrip (out));
}

static BfkU256
random_u256 (guint bits)
{
  BfkU256 v = BFK_U256_ZERO;

  for (guint i = 0; i < 4; i++)
    v.limb[i] = ((guint64) g_test_rand_int () << 32) | (guint32) g_test_rand_int ();
  for (guint i = 0; i < 4; i++)
    {
      if (bits >= 64 * (i + 1))
        continue;
      v.limb[i] = bits <= 64 * i ? 0 : v.limb[i] & ((G_GUINT64_CONSTANT (1) << (bits - 64 * i)) - 1);
    }
  return v;
}

static void
test_mktx (void)
{
  static const guint64 chains[] = { 1, 137, 80002, 31337 };

  for (int round = 0; round < 20; round++)
    {
      g_auto(BfkPrivateKey) key = { { 0 } };
      g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GBytes) ours = NULL;
      g_autofree guint8 *data = NULL;
      g_autofree gchar *ours_hex = NULL;
      g_autofree gchar *theirs = NULL;
      g_autoptr(GError) error = NULL;
      gsize data_len;
      BfkTx tx = { 0 };

      g_assert_true (bfk_private_key_generate (&key, NULL));

      tx.type = round % 3 == 2 ? BFK_TX_LEGACY : BFK_TX_EIP1559;
      tx.chain_id = round < 16 ? chains[round % 4] : (guint64) g_test_rand_int_range (1, G_MAXINT32);
      tx.nonce = round % 5 == 0 ? 0 : ((guint64) g_test_rand_int () << 8) | (guint) round;
      tx.gas_limit = (guint64) g_test_rand_int_range (21000, 30000000);
      tx.gas_price = random_u256 ((guint) g_test_rand_int_range (1, 70));
      tx.max_fee_per_gas = random_u256 ((guint) g_test_rand_int_range (1, 70));
      tx.max_priority_fee_per_gas = round % 4 == 0 ? BFK_U256_ZERO : random_u256 (30);
      if (bfk_u256_cmp (tx.max_priority_fee_per_gas, tx.max_fee_per_gas) > 0)
        tx.max_priority_fee_per_gas = tx.max_fee_per_gas;
      tx.value = round % 4 == 1 ? BFK_U256_ZERO : random_u256 ((guint) g_test_rand_int_range (1, 120));
      tx.has_to = round % 7 != 3;
      for (gsize i = 0; i < BFK_ADDRESS_SIZE; i++)
        tx.to.bytes[i] = (guint8) g_test_rand_int ();
      /* A creation needs code; a call may have none. */
      data_len = (gsize) g_test_rand_int_range (tx.has_to ? 0 : 1, 300);
      data = g_malloc (data_len + 1);
      for (gsize i = 0; i < data_len; i++)
        data[i] = (guint8) g_test_rand_int ();
      tx.data = data;
      tx.data_len = data_len;

      ours = bfk_tx_sign (&tx, &key, NULL, &error);
      g_assert_no_error (error);
      ours_hex = bfk_hex_encode (g_bytes_get_data (ours, NULL), g_bytes_get_size (ours));

      g_ptr_array_add (args, g_strdup ("mktx"));
      g_ptr_array_add (args, g_strdup ("--private-key"));
      g_ptr_array_add (args, bfk_hex_encode (key.bytes, sizeof key.bytes));
      g_ptr_array_add (args, g_strdup ("--chain"));
      g_ptr_array_add (args, g_strdup_printf ("%" G_GUINT64_FORMAT, tx.chain_id));
      g_ptr_array_add (args, g_strdup ("--nonce"));
      g_ptr_array_add (args, g_strdup_printf ("%" G_GUINT64_FORMAT, tx.nonce));
      g_ptr_array_add (args, g_strdup ("--gas-limit"));
      g_ptr_array_add (args, g_strdup_printf ("%" G_GUINT64_FORMAT, tx.gas_limit));
      g_ptr_array_add (args, g_strdup ("--value"));
      g_ptr_array_add (args, bfk_u256_to_decimal (tx.value));
      if (tx.type == BFK_TX_LEGACY)
        {
          g_ptr_array_add (args, g_strdup ("--legacy"));
          g_ptr_array_add (args, g_strdup ("--gas-price"));
          g_ptr_array_add (args, bfk_u256_to_decimal (tx.gas_price));
        }
      else
        {
          g_ptr_array_add (args, g_strdup ("--gas-price"));
          g_ptr_array_add (args, bfk_u256_to_decimal (tx.max_fee_per_gas));
          g_ptr_array_add (args, g_strdup ("--priority-gas-price"));
          g_ptr_array_add (args, bfk_u256_to_decimal (tx.max_priority_fee_per_gas));
        }
      if (tx.has_to)
        {
          g_ptr_array_add (args, bfk_address_to_string (&tx.to));
          if (data_len > 0)
            g_ptr_array_add (args, bfk_hex_encode (data, data_len));
        }
      else
        {
          g_ptr_array_add (args, g_strdup ("--create"));
          g_ptr_array_add (args, bfk_hex_encode (data, data_len));
        }
      g_ptr_array_add (args, NULL);

      theirs = run_cast ((const gchar * const *) args->pdata);
      if (g_strcmp0 (ours_hex, theirs) != 0)
        g_test_message ("round %d: type %d, chain %" G_GUINT64_FORMAT ", %s, %" G_GSIZE_FORMAT " data bytes",
                        round, (int) tx.type, tx.chain_id,
                        tx.has_to ? "call" : "creation", data_len);
      g_assert_cmpstr (ours_hex, ==, theirs);
    }
}

/* A keystore we write opens in cast to the same key. */
static void
check_cast_decrypts (const BfkScryptParams *params)
{
  g_autofree gchar *dir = bfk_test_make_tmp_dir ("bfk-crosscheck-XXXXXX");
  g_autofree gchar *path = g_build_filename (dir, "bafoka", NULL);
  g_autofree gchar *out = NULL;
  g_autofree gchar *expected = NULL;
  g_auto(BfkPrivateKey) key = { { 0 } };
  g_autoptr(GError) error = NULL;
  const gchar *password = "mot de passe élevé";
  const gchar *args[] = { "wallet", "decrypt-keystore", "bafoka", "--keystore-dir", dir,
                          "--unsafe-password", password, NULL };
  const gchar *got;

  g_assert_true (bfk_private_key_generate (&key, NULL));
  g_assert_true (bfk_keystore_save (path, &key, password, strlen (password), params, &error));
  g_assert_no_error (error);

  out = run_cast (args);
  /* "bafoka's private key is: 0x…" */
  got = strrchr (out, ' ');
  g_assert_nonnull (got);
  expected = bfk_hex_encode (key.bytes, sizeof key.bytes);
  g_assert_cmpstr (got + 1, ==, expected);

  g_assert_true (bfk_test_remove_dir (dir));
}

static void
test_keystore_light (void)
{
  BfkScryptParams light = { 4096, 8, 1 };

  check_cast_decrypts (&light);
}

static void
test_keystore_standard (void)
{
  check_cast_decrypts (NULL);
}

/* A keystore cast writes opens with our code, to the address cast printed. */
static void
test_keystore_from_cast (void)
{
  g_autofree gchar *dir = bfk_test_make_tmp_dir ("bfk-crosscheck-XXXXXX");
  g_autofree gchar *path = g_build_filename (dir, "fromcast", NULL);
  g_autofree gchar *out = NULL;
  g_auto(BfkPrivateKey) key = { { 0 } };
  g_autoptr(GError) error = NULL;
  const gchar *args[] = { "wallet", "new", dir, "fromcast", "--unsafe-password", "s3cret", NULL };
  g_autofree gchar *printed_text = NULL;
  const gchar *line;
  BfkAddress printed, ours;

  out = run_cast (args);
  line = strstr (out, "Address:");
  g_assert_nonnull (line);
  line += strlen ("Address:");
  while (*line == ' ')
    line++;
  printed_text = g_strndup (line, 42);
  g_assert_true (bfk_address_parse (printed_text, &printed, &error));
  g_assert_no_error (error);

  g_assert_true (bfk_keystore_load (path, "s3cret", 6, &key, &error));
  g_assert_no_error (error);
  g_assert_true (bfk_private_key_to_address (&key, &ours, &error));
  g_assert_true (bfk_address_equal (&printed, &ours));

  g_assert_false (bfk_keystore_load (path, "S3cret", 6, &key, &error));
  g_assert_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_KEYSTORE_PASSWORD);

  g_assert_true (bfk_test_remove_dir (dir));
}

int
main (int argc, char **argv)
{
  cast_path = find_cast ();
  if (cast_path == NULL)
    {
      g_print ("1..0 # SKIP cast not found\n");
      return 0;
    }

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/crosscheck/mktx", test_mktx);
  g_test_add_func ("/crosscheck/keystore-light", test_keystore_light);
  g_test_add_func ("/crosscheck/keystore-standard", test_keystore_standard);
  g_test_add_func ("/crosscheck/keystore-from-cast", test_keystore_from_cast);
  return g_test_run ();
}
