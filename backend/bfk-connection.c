/* bfk-connection.c
 *
 * Two small JSON files in the data dir carry what must survive a restart:
 *   local-node.json          the running local anvil: its pid and URL, so
 *                            that bafokactl can use the console's node;
 *   deployment-<chain>.json  the contract: {"address", "tx", "block", "chain_id"},
 *                            one per chain, so switching networks keeps each.
 */
#include "bfk-connection.h"
#include "bfk-chain-error.h"
#include "bfk-contract.h"
#include "bfk-hex.h"

#include <errno.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#define NODE_FILE "local-node.json"

static gchar *
deployment_path (BfkConnection *conn)
{
  g_autofree gchar *name = g_strdup_printf ("deployment-%" G_GUINT64_FORMAT ".json", conn->chain_id);

  return g_build_filename (conn->config->data_dir, name, NULL);
}

static JsonObject *
read_json_object (const gchar *path,
                  JsonParser  *parser)
{
  JsonNode *root;

  if (!json_parser_load_from_file (parser, path, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  return root && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
}

static gboolean
write_json_object (const gchar  *path,
                   JsonBuilder  *builder,
                   GError      **error)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree gchar *text = json_to_string (root, TRUE);

  return g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0644, error);
}

/* A node another process started, if it still answers on this chain. */
static BfkRpcClient *
attach_running_node (BfkConnection *conn)
{
  g_autofree gchar *path = g_build_filename (conn->config->data_dir, NODE_FILE, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(BfkRpcClient) rpc = NULL;
  JsonObject *o = read_json_object (path, parser);
  const gchar *url;
  gint64 pid;

  if (!o)
    return NULL;
  url = json_object_get_string_member_with_default (o, "url", NULL);
  pid = json_object_get_int_member_with_default (o, "pid", 0);
  if (!url || pid <= 0 || (kill ((pid_t) pid, 0) != 0 && errno == ESRCH))
    return NULL;
  rpc = bfk_rpc_client_new (url);
  bfk_rpc_client_set_retries (rpc, 0, 0);
  if (!bfk_rpc_client_check_chain_id (rpc, conn->config->chain_id, NULL))
    return NULL;
  bfk_rpc_client_set_retries (rpc, 3, 200);
  return g_steal_pointer (&rpc);
}

static gboolean
start_local_node (BfkConnection  *conn,
                  GCancellable   *cancellable,
                  GError        **error)
{
  BfkLocalNodeOptions options = {
    .data_dir = conn->config->data_dir,
    .chain_id = conn->config->chain_id,
  };
  g_autofree gchar *path = g_build_filename (conn->config->data_dir, NODE_FILE, NULL);
  g_autoptr(JsonBuilder) b = json_builder_new ();

  conn->node = bfk_local_node_start (&options, cancellable, error);
  if (!conn->node)
    return FALSE;
  conn->rpc = bfk_rpc_client_new (bfk_local_node_get_url (conn->node));

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "pid");
  json_builder_add_int_value (b, getpid ());
  json_builder_set_member_name (b, "url");
  json_builder_add_string_value (b, bfk_local_node_get_url (conn->node));
  json_builder_end_object (b);
  return write_json_object (path, b, error);
}

static gboolean
has_code (BfkConnection    *conn,
          const BfkAddress *address)
{
  g_autoptr(JsonNode) params = json_node_new (JSON_NODE_ARRAY);
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JsonNode) result = NULL;
  gchar a[BFK_ADDRESS_STRING_SIZE];
  const gchar *code;

  bfk_address_to_string_buf (address, a);
  json_array_add_string_element (array, a);
  json_array_add_string_element (array, "latest");
  json_node_set_array (params, array);
  result = bfk_rpc_client_call (conn->rpc, "eth_getCode", params, NULL);
  code = result && JSON_NODE_HOLDS_VALUE (result) ? json_node_get_string (result) : NULL;
  return code && strlen (code) > 2;
}

static void
load_deployment (BfkConnection *conn)
{
  g_autofree gchar *path = deployment_path (conn);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *o = read_json_object (path, parser);
  const gchar *address;

  if (conn->config->contract)
    {
      conn->has_contract = bfk_address_parse (conn->config->contract, &conn->contract, NULL);
      /* A recorded deployment of the same contract still knows its block. */
      address = o ? json_object_get_string_member_with_default (o, "address", NULL) : NULL;
      if (address && g_ascii_strcasecmp (address, conn->config->contract) == 0)
        conn->deploy_block = (guint64) json_object_get_int_member_with_default (o, "block", 0);
      return;
    }
  if (!o)
    return;
  address = json_object_get_string_member_with_default (o, "address", NULL);
  if (!address || !bfk_address_parse (address, &conn->contract, NULL))
    return;
  /* A local chain whose state file was removed has lost the contract. */
  if (conn->config->network == BFK_NETWORK_LOCAL && !has_code (conn, &conn->contract))
    return;
  conn->has_contract = TRUE;
  conn->deploy_block = (guint64) json_object_get_int_member_with_default (o, "block", 0);
}

BfkConnection *
bfk_connection_open (const BfkConfig  *config,
                     GCancellable     *cancellable,
                     GError          **error)
{
  g_autoptr(BfkConnection) conn = g_new0 (BfkConnection, 1);

  conn->config = config;
  conn->chain_id = config->chain_id;

  if (g_mkdir_with_parents (config->data_dir, 0700) != 0)
    {
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno),
                   "Cannot create the data folder %s: %s", config->data_dir, g_strerror (errno));
      return NULL;
    }

  if (config->network == BFK_NETWORK_LOCAL && !config->rpc_url)
    {
      conn->rpc = attach_running_node (conn);
      if (!conn->rpc && !start_local_node (conn, cancellable, error))
        return NULL;
    }
  else
    conn->rpc = bfk_rpc_client_new (config->rpc_url);

  bfk_rpc_client_set_revert_decoder (conn->rpc, bfk_contract_describe_revert, NULL, NULL);
  if (!bfk_rpc_client_check_chain_id (conn->rpc, config->chain_id, error))
    return NULL;

  load_deployment (conn);
  return g_steal_pointer (&conn);
}

void
bfk_connection_close (BfkConnection *conn)
{
  if (!conn)
    return;
  if (conn->node)
    {
      g_autofree gchar *path = g_build_filename (conn->config->data_dir, NODE_FILE, NULL);
      g_autoptr(GError) error = NULL;

      g_unlink (path);
      if (!bfk_local_node_stop (conn->node, 0, &error))
        g_warning ("The local node did not stop cleanly: %s", error->message);
      bfk_local_node_free (conn->node);
    }
  g_clear_pointer (&conn->rpc, bfk_rpc_client_unref);
  g_free (conn);
}

gboolean
bfk_connection_require_contract (BfkConnection  *conn,
                                 GError        **error)
{
  if (conn->has_contract)
    return TRUE;
  g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_INVALID_INPUT,
               "No contract is known on chain %" G_GUINT64_FORMAT ": deploy one with "
               "“bafokactl deploy”, or set BAFOKA_CONTRACT", conn->chain_id);
  return FALSE;
}

gboolean
bfk_connection_record_deployment (BfkConnection    *conn,
                                  const BfkAddress *address,
                                  const guint8      tx_hash[BFK_HASH_SIZE],
                                  guint64           block,
                                  GError          **error)
{
  g_autofree gchar *path = deployment_path (conn);
  g_autofree gchar *hash = bfk_hex_encode (tx_hash, BFK_HASH_SIZE);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  gchar a[BFK_ADDRESS_STRING_SIZE];

  bfk_address_to_string_buf (address, a);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "address");
  json_builder_add_string_value (b, a);
  json_builder_set_member_name (b, "tx");
  json_builder_add_string_value (b, hash);
  json_builder_set_member_name (b, "block");
  json_builder_add_int_value (b, (gint64) block);
  json_builder_set_member_name (b, "chain_id");
  json_builder_add_int_value (b, (gint64) conn->chain_id);
  json_builder_end_object (b);
  if (!write_json_object (path, b, error))
    return FALSE;

  conn->has_contract = TRUE;
  conn->contract = *address;
  conn->deploy_block = block;
  return TRUE;
}
