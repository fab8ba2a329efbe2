/* bfk-config.h: where Bafoka finds its network, keys and services.
 *
 * The first source that sets a value wins: the command line, then the
 * environment (the variables of DESIGN.md), then
 * $XDG_CONFIG_HOME/bafoka/bafoka.conf (a GKeyFile, group [bafoka], keys named
 * like the variables in lower case without the prefix), then the defaults of
 * the network.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BFK_CONFIG_PROPOSAL_TTL_DEFAULT (24 * 60 * 60)

#define BFK_CONFIG_ERROR (bfk_config_error_quark ())

typedef enum
{
  BFK_CONFIG_ERROR_INVALID,
} BfkConfigError;

typedef enum
{
  BFK_NETWORK_LOCAL,
  BFK_NETWORK_AMOY,
  BFK_NETWORK_POLYGON,
  BFK_NETWORK_CUSTOM,
} BfkNetwork;

typedef struct
{
  gchar      *data_dir;
  BfkNetwork  network;
  gchar      *rpc_url;            /* NULL on the local network until the node runs */
  guint64     chain_id;
  gchar      *contract;           /* NULL: read from the recorded deployment */
  gchar      *keystore;           /* NULL on the local network: anvil's first dev account */
  gchar      *keystore_password_file;
  gchar      *listen;
  gchar      *public_url;
  gchar      *twilio_account_sid;
  gchar      *twilio_auth_token;
  gchar      *twilio_whatsapp_number;
  gchar      *twilio_api_base;
  gchar      *twilio_content_sid;   /* a template for messages outside the 24 h window, or NULL */
  guint       confirmations;      /* blocks before an event counts as final */
  guint64     proposal_ttl;       /* seconds a provider has to accept a proposal */
} BfkConfig;

/* overrides: variable name (as in the environment) → value, from the command
 * line; may be NULL. */
BfkConfig   *bfk_config_load          (GHashTable   *overrides,
                                       GError      **error);
void         bfk_config_free          (BfkConfig    *config);
const gchar *bfk_network_to_string    (BfkNetwork    network);
gboolean     bfk_network_from_string  (const gchar  *text,
                                       BfkNetwork   *out);
/* Twilio is configured: an account, its token and our WhatsApp number. */
gboolean     bfk_config_has_twilio    (const BfkConfig *config);
/* The URL Twilio calls for path ("/webhook"): BAFOKA_PUBLIC_URL (without a
 * trailing slash) + path, or http://BAFOKA_LISTEN + path when unset. */
gchar       *bfk_config_public_url    (const BfkConfig *config,
                                       const gchar     *path);

/* The file bfk_config_load reads: $XDG_CONFIG_HOME/bafoka/bafoka.conf. */
gchar       *bfk_config_file_path     (void);
/* The file's key for a variable: "BAFOKA_RPC_URL" → "rpc_url",
 * "TWILIO_AUTH_TOKEN" → "twilio_auth_token". */
gchar       *bfk_config_file_key      (const gchar  *variable);
/* Writes values (variable name as in the environment → value; NULL or ""
 * removes the key, so that the default applies again) into the file,
 * keeping its other keys and comments.  The folder is created (0700) and
 * the file replaced atomically, readable by its owner only (0600): it may
 * hold the Twilio auth token.  A network that bfk_network_from_string
 * does not know, or a variable that is not Bafoka's, is
 * BFK_CONFIG_ERROR_INVALID and nothing is written. */
gboolean     bfk_config_save          (GHashTable   *values,
                                       GError      **error);

/* The block explorer for a transaction or address, or NULL (local, custom). */
gchar       *bfk_config_explorer_url  (const BfkConfig *config,
                                       const gchar     *kind,
                                       const gchar     *id);

GQuark       bfk_config_error_quark   (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BfkConfig, bfk_config_free)

G_END_DECLS
