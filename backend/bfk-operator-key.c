/* bfk-operator-key.c */
#include "bfk-operator-key.h"
#include "bfk-chain-error.h"
#include "bfk-keystore.h"
#include "bfk-local-node.h"

#include <string.h>

void
bfk_password_free (gchar *password)
{
  if (password)
    {
      explicit_bzero (password, strlen (password));
      g_free (password);
    }
}

gchar *
bfk_password_read_file (const gchar  *path,
                        GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  gchar *password = NULL;
  gsize len;

  if (!g_file_get_contents (path, &password, &len, &local_error))
    {
      g_set_error (error, local_error->domain, local_error->code,
                   "Cannot read the keystore password file: %s", local_error->message);
      return NULL;
    }
  password[strcspn (password, "\r\n")] = '\0';
  return password;
}

/* Says what to do, keeping the domain and code for callers that tell a
 * wrong password from a damaged file. */
static void
explain_failure (GError         **error,
                 const BfkConfig *config)
{
  if (!error || !*error)
    return;
  if (g_error_matches (*error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_KEYSTORE_PASSWORD))
    {
      g_clear_error (error);
      g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_KEYSTORE_PASSWORD,
                   "Wrong password for the operator keystore %s%s", config->keystore,
                   config->keystore_password_file
                   ? ": check the file that BAFOKA_KEYSTORE_PASSWORD_FILE names" : "");
    }
  else
    g_prefix_error (error, "Cannot read the operator keystore: ");
}

gboolean
bfk_operator_key_unlock (const BfkConfig    *config,
                         BfkPasswordPrompt   prompt,
                         gpointer            user_data,
                         BfkPrivateKey      *out,
                         GError            **error)
{
  gchar *password = NULL;
  gboolean ok;

  if (!config->keystore)
    {
      if (config->network == BFK_NETWORK_LOCAL)
        return bfk_private_key_from_hex (out, BFK_LOCAL_NODE_DEV_PRIVATE_KEY, error);
      g_set_error (error, BFK_CONFIG_ERROR, BFK_CONFIG_ERROR_INVALID,
                   "The %s network needs the operator's keystore: set BAFOKA_KEYSTORE "
                   "(create one with “bafokactl keystore new”)",
                   bfk_network_to_string (config->network));
      return FALSE;
    }

  if (config->keystore_password_file)
    password = bfk_password_read_file (config->keystore_password_file, error);
  else if (prompt)
    password = prompt (config->keystore, user_data, error);
  else
    g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_KEYSTORE_PASSWORD,
                 "The operator keystore needs its password: set BAFOKA_KEYSTORE_PASSWORD_FILE "
                 "to a file that holds it");
  if (!password)
    return FALSE;

  ok = bfk_keystore_load (config->keystore, password, strlen (password), out, error);
  bfk_password_free (password);
  if (!ok)
    explain_failure (error, config);
  return ok;
}
