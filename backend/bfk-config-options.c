/* bfk-config-options.c */
#include "bfk-config-options.h"

#include <string.h>

static const struct
{
  const gchar *option;
  const gchar *variable;
  gboolean     filename;
  const gchar *description;
  const gchar *arg;
} options[] = {
  { "data-dir", "BAFOKA_DATA_DIR", TRUE, "Data folder (BAFOKA_DATA_DIR)", "DIR" },
  { "network", "BAFOKA_NETWORK", FALSE, "local, amoy, polygon or custom (BAFOKA_NETWORK)", "NAME" },
  { "rpc-url", "BAFOKA_RPC_URL", FALSE, "The chain's JSON-RPC node (BAFOKA_RPC_URL)", "URL" },
  { "chain-id", "BAFOKA_CHAIN_ID", FALSE, "The chain id the node must report (BAFOKA_CHAIN_ID)", "N" },
  { "contract", "BAFOKA_CONTRACT", FALSE, "The contract's address (BAFOKA_CONTRACT)", "ADDRESS" },
  { "keystore", "BAFOKA_KEYSTORE", TRUE, "The operator's keystore (BAFOKA_KEYSTORE)", "FILE" },
  { "password-file", "BAFOKA_KEYSTORE_PASSWORD_FILE", TRUE,
    "A file holding the keystore's password (BAFOKA_KEYSTORE_PASSWORD_FILE)", "FILE" },
  { "listen", "BAFOKA_LISTEN", FALSE, "Address of the HTTP server (BAFOKA_LISTEN)", "HOST:PORT" },
};

GHashTable *
bfk_config_overrides_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
}

static gboolean
store_option (const gchar  *option_name,
              const gchar  *value,
              gpointer      user_data,
              GError      **error)
{
  GHashTable *overrides = user_data;
  const gchar *name = option_name + strspn (option_name, "-");

  for (gsize i = 0; i < G_N_ELEMENTS (options); i++)
    if (g_str_equal (name, options[i].option))
      {
        g_hash_table_insert (overrides, (gpointer) options[i].variable, g_strdup (value));
        return TRUE;
      }
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_UNKNOWN_OPTION, "Unknown option %s", option_name);
  return FALSE;
}

GOptionGroup *
bfk_config_option_group_new (GHashTable *overrides)
{
  GOptionGroup *group = g_option_group_new ("settings", "Settings (override the environment):",
                                            "Show the settings", overrides, NULL);
  GOptionEntry entries[G_N_ELEMENTS (options) + 1];

  memset (entries, 0, sizeof entries);
  for (gsize i = 0; i < G_N_ELEMENTS (options); i++)
    {
      entries[i].long_name = options[i].option;
      entries[i].flags = options[i].filename ? G_OPTION_FLAG_FILENAME : 0;
      entries[i].arg = G_OPTION_ARG_CALLBACK;
      entries[i].arg_data = (gpointer) store_option;
      entries[i].description = options[i].description;
      entries[i].arg_description = options[i].arg;
    }
  /* The group copies the array. */
  g_option_group_add_entries (group, entries);
  return group;
}
