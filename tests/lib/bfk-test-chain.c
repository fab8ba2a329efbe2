/* bfk-test-chain.c */
#include "bfk-test-chain.h"
#include "bfk-chain-error.h"
#include "bfk-hex.h"
#include "bfk-keystore.h"

#include <stdarg.h>
#include <string.h>

gchar *
bfk_test_find_tool (const gchar *name)
{
  g_autofree gchar *upper = g_ascii_strup (name, -1);
  g_autofree gchar *var = g_strconcat ("BAFOKA_", upper, NULL);
  const gchar *env = g_getenv (var);
  const gchar *src = g_getenv ("BAFOKA_SOURCE_DIR");
  gchar *path;

  if (env && g_file_test (env, G_FILE_TEST_IS_EXECUTABLE))
    return g_strdup (env);
  if ((path = g_find_program_in_path (name)))
    return path;
  if (src)
    {
      path = g_build_filename (src, "contracts", "node_modules", ".bin", name, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
        return path;
      g_free (path);
    }
  return NULL;
}

BfkTestChain *
bfk_test_chain_new (void)
{
  g_autoptr(BfkTestChain) chain = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkReceipt) receipt = NULL;
  g_autoptr(GBytes) code = bfk_contract_creation_code ();
  g_autofree gchar *anvil = bfk_test_find_tool ("anvil");
  BfkLocalNodeOptions options = { 0 };   /* no data dir: a throw-away chain */

  if (!anvil)
    {
      g_print ("1..0 # SKIP anvil not found\n");
      return NULL;
    }
  g_setenv ("BAFOKA_ANVIL", anvil, TRUE);

  chain = g_new0 (BfkTestChain, 1);
  chain->node = bfk_local_node_start (&options, NULL, &error);
  g_assert_no_error (error);
  chain->rpc = bfk_rpc_client_new (bfk_local_node_get_url (chain->node));
  bfk_rpc_client_set_revert_decoder (chain->rpc, bfk_contract_describe_revert, NULL, NULL);

  g_assert_true (bfk_private_key_from_hex (&chain->operator_key, BFK_LOCAL_NODE_DEV_PRIVATE_KEY, NULL));
  chain->operator = bfk_sender_new (chain->rpc, BFK_LOCAL_NODE_CHAIN_ID, &chain->operator_key, &error);
  g_assert_no_error (error);
  receipt = bfk_sender_transact (chain->operator, NULL, code, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (receipt->has_contract_address);
  chain->contract = receipt->contract_address;
  chain->deploy_block = receipt->block_number;
  return g_steal_pointer (&chain);
}

void
bfk_test_chain_free (BfkTestChain *chain)
{
  if (!chain)
    return;
  g_clear_pointer (&chain->operator, bfk_sender_free);
  g_clear_pointer (&chain->rpc, bfk_rpc_client_unref);
  if (chain->node)
    {
      bfk_local_node_stop (chain->node, 0, NULL);
      bfk_local_node_free (chain->node);
    }
  bfk_private_key_wipe (&chain->operator_key);
  g_free (chain);
}

void
bfk_test_chain_funded_key (BfkTestChain  *chain,
                           BfkPrivateKey *key,
                           BfkAddress    *address)
{
  g_autoptr(JsonNode) params = json_node_new (JSON_NODE_ARRAY);
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JsonNode) result = NULL;
  g_autoptr(GError) error = NULL;
  gchar a[BFK_ADDRESS_STRING_SIZE];

  g_assert_true (bfk_private_key_generate (key, NULL));
  g_assert_true (bfk_private_key_to_address (key, address, NULL));
  bfk_address_to_string_buf (address, a);
  json_array_add_string_element (array, a);
  json_array_add_string_element (array, "0x56bc75e2d63100000"); /* 100 ETH */
  json_node_set_array (params, g_steal_pointer (&array));
  result = bfk_rpc_client_call (chain->rpc, "anvil_setBalance", params, &error);
  g_assert_no_error (error);
}

BfkReceipt *
bfk_test_chain_transact (BfkTestChain  *chain,
                         BfkSender     *sender,
                         GBytes        *data,
                         GError       **error)
{
  g_autoptr(GBytes) owned = data;

  return bfk_sender_transact (sender, &chain->contract, owned, NULL, error);
}

guint64
bfk_test_chain_read_uint (BfkTestChain     *chain,
                          const gchar      *function,
                          const BfkAddress *account)
{
  g_autoptr(GError) error = NULL;
  BfkU256 v = BFK_U256_ZERO;

  bfk_contract_read_uint (chain->rpc, &chain->contract, function, account, &v, &error);
  g_assert_no_error (error);
  return bfk_u256_to_u64 (v);
}

gchar *
bfk_test_cast (const gchar *first_arg,
               ...)
{
  g_autofree gchar *cast = bfk_test_find_tool ("cast");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree gchar *err = NULL;
  gchar *out = NULL;
  gint status;
  va_list ap;

  if (!cast)
    return NULL;
  g_ptr_array_add (argv, cast);
  va_start (ap, first_arg);
  for (const gchar *a = first_arg; a; a = va_arg (ap, const gchar *))
    g_ptr_array_add (argv, (gpointer) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (gchar **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("cast failed: %s", err);
  return g_strstrip (out);
}

void
bfk_test_chain_save_operator (BfkTestChain  *chain,
                              const gchar   *dir,
                              gchar        **keystore,
                              gchar        **password_file)
{
  static const gchar password[] = "test-operator-password";
  g_autoptr(GError) error = NULL;

  *keystore = g_build_filename (dir, "operator.json", NULL);
  *password_file = g_build_filename (dir, "password", NULL);
  bfk_keystore_save (*keystore, &chain->operator_key, password, strlen (password), &BFK_SCRYPT_LIGHT, &error);
  g_assert_no_error (error);
  g_file_set_contents (*password_file, password, -1, &error);
  g_assert_no_error (error);
}
