/* bfk-config.c */
#include "bfk-config.h"

#include <errno.h>
#include <string.h>

G_DEFINE_QUARK (bfk-config-error-quark, bfk_config_error)

typedef struct
{
  BfkNetwork   network;
  const gchar *name;
  const gchar *rpc_url;
  guint64      chain_id;
  guint        confirmations;
  const gchar *explorer;
} NetworkPreset;

/* Mumbai, the old Polygon testnet, was shut down in 2024: Amoy replaced it. */
static const NetworkPreset presets[] = {
  { BFK_NETWORK_LOCAL, "local", NULL, 31337, 0, NULL },
  { BFK_NETWORK_AMOY, "amoy", "https://rpc-amoy.polygon.technology", 80002, 3, "https://amoy.polygonscan.com" },
  { BFK_NETWORK_POLYGON, "polygon", "https://polygon-rpc.com", 137, 3, "https://polygonscan.com" },
  { BFK_NETWORK_CUSTOM, "custom", NULL, 0, 3, NULL },
};

const gchar *
bfk_network_to_string (BfkNetwork network)
{
  return presets[network].name;
}

gboolean
bfk_network_from_string (const gchar *text,
                         BfkNetwork  *out)
{
  for (gsize i = 0; i < G_N_ELEMENTS (presets); i++)
    if (g_ascii_strcasecmp (text, presets[i].name) == 0)
      {
        *out = presets[i].network;
        return TRUE;
      }
  return FALSE;
}

typedef struct
{
  GHashTable *overrides;
  GKeyFile   *file;
} Sources;

/* BAFOKA_RPC_URL → key "rpc_url"; TWILIO_AUTH_TOKEN → "twilio_auth_token". */
gchar *
bfk_config_file_key (const gchar *variable)
{
  const gchar *name = g_str_has_prefix (variable, "BAFOKA_") ? variable + 7 : variable;

  return g_ascii_strdown (name, -1);
}

gchar *
bfk_config_file_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "bafoka", "bafoka.conf", NULL);
}

static gchar *
lookup (Sources     *src,
        const gchar *variable)
{
  const gchar *v;

  if (src->overrides && (v = g_hash_table_lookup (src->overrides, variable)))
    return g_strdup (v);
  if ((v = g_getenv (variable)) && *v)
    return g_strdup (v);
  if (src->file)
    {
      g_autofree gchar *key = bfk_config_file_key (variable);
      gchar *fv = g_key_file_get_string (src->file, "bafoka", key, NULL);

      if (fv && *fv)
        return fv;
      g_free (fv);
    }
  return NULL;
}

static gboolean
parse_u64 (const gchar  *variable,
           const gchar  *text,
           guint64       max,
           guint64      *out,
           GError      **error)
{
  guint64 v;

  if (!g_ascii_string_to_unsigned (text, 10, 0, max, &v, NULL))
    {
      g_set_error (error, BFK_CONFIG_ERROR, BFK_CONFIG_ERROR_INVALID,
                   "%s is “%s”, but it must be a whole number", variable, text);
      return FALSE;
    }
  *out = v;
  return TRUE;
}

BfkConfig *
bfk_config_load (GHashTable  *overrides,
                 GError     **error)
{
  g_autoptr(BfkConfig) c = g_new0 (BfkConfig, 1);
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autofree gchar *path = bfk_config_file_path ();
  g_autoptr(GError) file_error = NULL;
  g_autofree gchar *network = NULL;
  g_autofree gchar *chain_id = NULL;
  g_autofree gchar *confirmations = NULL;
  g_autofree gchar *proposal_ttl = NULL;
  Sources src = { overrides, file };
  const NetworkPreset *preset;

  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, &file_error))
    {
      if (!g_error_matches (file_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        {
          g_set_error (error, BFK_CONFIG_ERROR, BFK_CONFIG_ERROR_INVALID,
                       "Cannot read %s: %s", path, file_error->message);
          return NULL;
        }
      src.file = NULL;
    }

  network = lookup (&src, "BAFOKA_NETWORK");
  c->network = BFK_NETWORK_LOCAL;
  if (network && !bfk_network_from_string (network, &c->network))
    {
      g_set_error (error, BFK_CONFIG_ERROR, BFK_CONFIG_ERROR_INVALID,
                   "BAFOKA_NETWORK is “%s”; use local, amoy, polygon or custom", network);
      return NULL;
    }
  preset = &presets[c->network];

  c->data_dir = lookup (&src, "BAFOKA_DATA_DIR");
  if (!c->data_dir)
    c->data_dir = g_build_filename (g_get_user_data_dir (), "bafoka", NULL);

  c->rpc_url = lookup (&src, "BAFOKA_RPC_URL");
  if (!c->rpc_url)
    c->rpc_url = g_strdup (preset->rpc_url);

  c->chain_id = preset->chain_id;
  chain_id = lookup (&src, "BAFOKA_CHAIN_ID");
  if (chain_id && !parse_u64 ("BAFOKA_CHAIN_ID", chain_id, G_MAXUINT64 / 2, &c->chain_id, error))
    return NULL;

  c->confirmations = preset->confirmations;
  confirmations = lookup (&src, "BAFOKA_CONFIRMATIONS");
  if (confirmations)
    {
      guint64 v;

      if (!parse_u64 ("BAFOKA_CONFIRMATIONS", confirmations, 1000, &v, error))
        return NULL;
      c->confirmations = (guint) v;
    }

  c->proposal_ttl = BFK_CONFIG_PROPOSAL_TTL_DEFAULT;
  proposal_ttl = lookup (&src, "BAFOKA_PROPOSAL_TTL");
  if (proposal_ttl && !parse_u64 ("BAFOKA_PROPOSAL_TTL", proposal_ttl, 90 * 24 * 3600, &c->proposal_ttl, error))
    return NULL;
  if (c->proposal_ttl == 0)
    {
      g_set_error (error, BFK_CONFIG_ERROR, BFK_CONFIG_ERROR_INVALID,
                   "BAFOKA_PROPOSAL_TTL is 0: give the seconds a provider has to accept (86400 is 24 hours)");
      return NULL;
    }

  if (c->network != BFK_NETWORK_LOCAL && !c->rpc_url)
    {
      g_set_error (error, BFK_CONFIG_ERROR, BFK_CONFIG_ERROR_INVALID,
                   "The %s network needs BAFOKA_RPC_URL: the address of an Ethereum JSON-RPC node",
                   preset->name);
      return NULL;
    }
  if (c->network == BFK_NETWORK_CUSTOM && c->chain_id == 0)
    {
      g_set_error (error, BFK_CONFIG_ERROR, BFK_CONFIG_ERROR_INVALID,
                   "A custom network needs BAFOKA_CHAIN_ID: the chain id its node must report");
      return NULL;
    }

  c->contract = lookup (&src, "BAFOKA_CONTRACT");
  c->keystore = lookup (&src, "BAFOKA_KEYSTORE");
  c->keystore_password_file = lookup (&src, "BAFOKA_KEYSTORE_PASSWORD_FILE");
  c->listen = lookup (&src, "BAFOKA_LISTEN");
  if (!c->listen)
    c->listen = g_strdup ("127.0.0.1:8080");
  c->public_url = lookup (&src, "BAFOKA_PUBLIC_URL");
  c->twilio_account_sid = lookup (&src, "TWILIO_ACCOUNT_SID");
  c->twilio_auth_token = lookup (&src, "TWILIO_AUTH_TOKEN");
  c->twilio_whatsapp_number = lookup (&src, "TWILIO_WHATSAPP_NUMBER");
  c->twilio_content_sid = lookup (&src, "TWILIO_CONTENT_SID");
  c->twilio_api_base = lookup (&src, "TWILIO_API_BASE");
  if (!c->twilio_api_base)
    c->twilio_api_base = g_strdup ("https://api.twilio.com");

  return g_steal_pointer (&c);
}

gboolean
bfk_config_has_twilio (const BfkConfig *c)
{
  return c->twilio_account_sid && *c->twilio_account_sid && c->twilio_auth_token && *c->twilio_auth_token
         && c->twilio_whatsapp_number && *c->twilio_whatsapp_number;
}

gchar *
bfk_config_public_url (const BfkConfig *c,
                       const gchar     *path)
{
  g_autofree gchar *base = c->public_url ? g_strdup (c->public_url)
                                         : g_strdup_printf ("http://%s", c->listen);
  gsize len = strlen (base);

  while (len > 0 && base[len - 1] == '/')
    base[--len] = '\0';
  return g_strconcat (base, path, NULL);
}

void
bfk_config_free (BfkConfig *c)
{
  if (!c)
    return;
  g_free (c->data_dir);
  g_free (c->rpc_url);
  g_free (c->contract);
  g_free (c->keystore);
  g_free (c->keystore_password_file);
  g_free (c->listen);
  g_free (c->public_url);
  g_free (c->twilio_account_sid);
  if (c->twilio_auth_token)
    memset (c->twilio_auth_token, 0, strlen (c->twilio_auth_token));
  g_free (c->twilio_auth_token);
  g_free (c->twilio_whatsapp_number);
  g_free (c->twilio_content_sid);
  g_free (c->twilio_api_base);
  g_free (c);
}

gchar *
bfk_config_explorer_url (const BfkConfig *config,
                         const gchar     *kind,
                         const gchar     *id)
{
  const gchar *base = presets[config->network].explorer;

  if (!base)
    return NULL;
  return g_strdup_printf ("%s/%s/%s", base, kind, id);
}

static gboolean
check_saved_value (const gchar  *variable,
                   const gchar  *value,
                   GError      **error)
{
  BfkNetwork network;

  if (!g_str_has_prefix (variable, "BAFOKA_") && !g_str_has_prefix (variable, "TWILIO_"))
    {
      g_set_error (error, BFK_CONFIG_ERROR, BFK_CONFIG_ERROR_INVALID,
                   "%s is not a Bafoka setting", variable);
      return FALSE;
    }
  if (value && *value && g_str_equal (variable, "BAFOKA_NETWORK")
      && !bfk_network_from_string (value, &network))
    {
      g_set_error (error, BFK_CONFIG_ERROR, BFK_CONFIG_ERROR_INVALID,
                   "BAFOKA_NETWORK is “%s”; use local, amoy, polygon or custom", value);
      return FALSE;
    }
  return TRUE;
}

gboolean
bfk_config_save (GHashTable  *values,
                 GError     **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autofree gchar *path = bfk_config_file_path ();
  g_autofree gchar *dir = g_path_get_dirname (path);
  g_autofree gchar *text = NULL;
  g_autoptr(GError) read_error = NULL;
  GHashTableIter iter;
  gpointer variable, value;
  gsize len;

  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_KEEP_COMMENTS, &read_error)
      && !g_error_matches (read_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    {
      g_set_error (error, BFK_CONFIG_ERROR, BFK_CONFIG_ERROR_INVALID,
                   "Cannot read %s: %s", path, read_error->message);
      return FALSE;
    }

  g_hash_table_iter_init (&iter, values);
  while (g_hash_table_iter_next (&iter, &variable, &value))
    if (!check_saved_value (variable, value, error))
      return FALSE;

  g_hash_table_iter_init (&iter, values);
  while (g_hash_table_iter_next (&iter, &variable, &value))
    {
      g_autofree gchar *key = bfk_config_file_key (variable);

      if (value && *(const gchar *) value)
        g_key_file_set_string (file, "bafoka", key, value);
      else
        g_key_file_remove_key (file, "bafoka", key, NULL);
    }

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "Cannot create %s: %s", dir, g_strerror (saved));
      return FALSE;
    }
  text = g_key_file_to_data (file, &len, NULL);
  /* The token may be in it: never readable by others, not even for an
   * instant, which g_file_set_contents_full's mode guarantees. */
  if (!g_file_set_contents_full (path, text, len, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
    {
      if (len)
        memset (text, 0, len);
      return FALSE;
    }
  memset (text, 0, len);
  return TRUE;
}
