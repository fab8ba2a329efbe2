/* ctl-network.c: bafokactl deploy, status and communities. */
#include "ctl.h"
#include "bfk-connection.h"
#include "bfk-contract.h"
#include "bfk-deploy.h"
#include "bfk-follower.h"
#include "bfk-hex.h"
#include "bfk-keystore.h"
#include "bfk-members.h"
#include "bfk-outbox.h"

static gboolean opt_if_needed;

static BfkConnection *
open_connection (Ctl     *ctl,
                 GError **error)
{
  BfkConfig *config = ctl_config (ctl);

  if (config->network == BFK_NETWORK_LOCAL && !config->rpc_url)
    ctl_progress (ctl, "Local network: %s", config->data_dir);
  return bfk_connection_open (config, NULL, error);
}

static void
add_u256 (JsonBuilder *b,
          const gchar *name,
          BfkU256      value)
{
  json_builder_set_member_name (b, name);
  if (bfk_u256_cmp (value, bfk_u256_from_u64 (G_GUINT64_CONSTANT (1) << 53)) < 0)
    json_builder_add_int_value (b, (gint64) bfk_u256_to_u64 (value));
  else
    {
      g_autofree gchar *s = bfk_u256_to_decimal (value);

      json_builder_add_string_value (b, s);
    }
}

static JsonNode *
deployment_json (BfkConnection *conn,
                 const gchar   *tx)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  gchar a[BFK_ADDRESS_STRING_SIZE];

  bfk_address_to_string_buf (&conn->contract, a);
  json_builder_begin_object (b);
  ctl_json_string (b, "address", a);
  ctl_json_string (b, "tx", tx);
  ctl_json_int (b, "block", (gint64) conn->deploy_block);
  ctl_json_int (b, "chain_id", (gint64) conn->chain_id);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static gchar *
recorded_tx (BfkConnection *conn)
{
  g_autofree gchar *name = g_strdup_printf ("deployment-%" G_GUINT64_FORMAT ".json", conn->chain_id);
  g_autofree gchar *path = g_build_filename (conn->config->data_dir, name, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (!json_parser_load_from_file (parser, path, NULL)
      || !(root = json_parser_get_root (parser)) || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return g_strdup (json_object_get_string_member_with_default (json_node_get_object (root), "tx", NULL));
}

int
ctl_verb_deploy (Ctl *ctl, int argc, char **argv)
{
  GOptionEntry entries[] = {
    { "if-needed", 0, 0, G_OPTION_ARG_NONE, &opt_if_needed,
      "Keep the contract already deployed on this chain, if there is one", NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkConnection) conn = NULL;
  g_autoptr(BfkReceipt) receipt = NULL;
  g_auto(BfkPrivateKey) key = { 0 };
  g_autofree gchar *tx = NULL;
  gchar a[BFK_ADDRESS_STRING_SIZE];

  ctl_parse_options (ctl, "- deploy BafokaCommunity and record its address",
                     "The operator key deploys, and becomes admin and operator of the contract.",
                     entries, &argc, &argv);
  conn = open_connection (ctl, &error);
  if (!conn)
    return ctl_fail (ctl, error);

  if (opt_if_needed && conn->has_contract)
    {
      tx = recorded_tx (conn);
      bfk_address_to_string_buf (&conn->contract, a);
      ctl_progress (ctl, "The contract is already deployed.");
      return ctl_output (ctl, deployment_json (conn, tx),
                         g_strdup_printf ("Contract: %s (block %" G_GUINT64_FORMAT ")", a, conn->deploy_block));
    }

  if (!ctl_operator_key (ctl, &key, &error))
    return ctl_fail (ctl, error);
  ctl_progress (ctl, "Deploying BafokaCommunity (solc %s)…", bfk_contract_compiler ());
  receipt = bfk_deploy_contract (conn, &key, NULL, &error);
  if (!receipt)
    return ctl_fail (ctl, error);

  tx = bfk_hex_encode (receipt->tx_hash, BFK_HASH_SIZE);
  bfk_address_to_string_buf (&conn->contract, a);
  return ctl_output (ctl, deployment_json (conn, tx),
                     g_strdup_printf ("Contract: %s\nTransaction: %s\nBlock: %" G_GUINT64_FORMAT
                                      "\nChain: %" G_GUINT64_FORMAT,
                                      a, tx, receipt->block_number, conn->chain_id));
}

/* Members, the outbox by state, and how far the follower has read: what
 * this data dir's store says, when it has one. */
static gboolean
add_store_status (Ctl          *ctl,
                  JsonBuilder  *b,
                  GString      *text,
                  guint64       head,
                  GError      **error)
{
  g_autofree gchar *db = g_build_filename (ctl_config (ctl)->data_dir, "bafoka.db", NULL);
  g_autoptr(BfkStore) store = NULL;
  guint64 counts[BFK_OP_N_STATES] = { 0 };
  gint64 members, synced;

  json_builder_set_member_name (b, "outbox");
  if (!g_file_test (db, G_FILE_TEST_EXISTS))
    {
      json_builder_add_null_value (b);
      json_builder_set_member_name (b, "follower");
      json_builder_add_null_value (b);
      g_string_append (text, "Outbox:    empty (no operation yet)\n");
      return TRUE;
    }
  store = bfk_store_open (db, FALSE, error);
  if (!store || !bfk_outbox_count_by_state (store, counts, error))
    return FALSE;
  members = bfk_members_count (store, 0, NULL);
  synced = bfk_follower_get_synced_block (store);

  json_builder_begin_object (b);
  g_string_append (text, "Outbox:   ");
  for (int st = 0; st < BFK_OP_N_STATES; st++)
    {
      ctl_json_int (b, bfk_op_state_to_string (st), (gint64) counts[st]);
      g_string_append_printf (text, " %s %" G_GUINT64_FORMAT "%s", bfk_op_state_to_string (st),
                              counts[st], st + 1 < BFK_OP_N_STATES ? "," : "\n");
    }
  ctl_json_int (b, "members", MAX (members, 0));
  json_builder_end_object (b);

  json_builder_set_member_name (b, "follower");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "synced");
  if (synced >= 0)
    json_builder_add_int_value (b, synced);
  else
    json_builder_add_null_value (b);
  ctl_json_int (b, "lag", (gint64) (synced >= 0 && (guint64) synced < head ? head - (guint64) synced : 0));
  json_builder_end_object (b);
  g_string_append_printf (text, "Members:   %" G_GINT64_FORMAT " enrolled\n", MAX (members, 0));
  if (synced >= 0)
    g_string_append_printf (text, "Follower:  events read up to block %" G_GINT64_FORMAT " (%" G_GUINT64_FORMAT
                            " behind)\n", synced, head > (guint64) synced ? head - (guint64) synced : 0);
  else
    g_string_append (text, "Follower:  not started: the backend reads the chain's events\n");
  return TRUE;
}

int
ctl_verb_status (Ctl *ctl, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkConnection) conn = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GString) text = g_string_new (NULL);
  g_auto(BfkPrivateKey) key = { 0 };
  BfkConfig *config;
  BfkAddress operator;
  BfkU256 gas;
  guint64 block;
  gchar a[BFK_ADDRESS_STRING_SIZE];
  g_autofree gchar *gas_text = NULL;

  ctl_parse_options (ctl, "- the network, the contract and the operator", NULL, NULL, &argc, &argv);
  config = ctl_config (ctl);
  conn = open_connection (ctl, &error);
  if (!conn || !bfk_rpc_client_get_block_number (conn->rpc, &block, &error))
    return ctl_fail (ctl, error);

  json_builder_begin_object (b);
  ctl_json_string (b, "network", bfk_network_to_string (config->network));
  ctl_json_string (b, "rpc_url", bfk_rpc_client_get_url (conn->rpc));
  ctl_json_int (b, "chain_id", (gint64) conn->chain_id);
  ctl_json_int (b, "block", (gint64) block);
  g_string_append_printf (text, "Network:   %s (chain %" G_GUINT64_FORMAT ") at %s\nBlock:     %"
                          G_GUINT64_FORMAT "\n", bfk_network_to_string (config->network),
                          conn->chain_id, bfk_rpc_client_get_url (conn->rpc), block);

  /* The operator's address is public: the keystore declares it, so status
   * needs no password. */
  json_builder_set_member_name (b, "operator");
  if ((config->keystore && bfk_keystore_peek_address (config->keystore, &operator, NULL))
      || (!config->keystore && ctl_operator_key (ctl, &key, NULL)
          && bfk_private_key_to_address (&key, &operator, NULL)))
    {
      if (!bfk_rpc_client_get_balance (conn->rpc, &operator, "latest", &gas, &error))
        return ctl_fail (ctl, error);
      bfk_address_to_string_buf (&operator, a);
      gas_text = bfk_u256_format_units (gas, 18, 4);
      json_builder_begin_object (b);
      ctl_json_string (b, "address", a);
      add_u256 (b, "gas_balance_wei", gas);
      ctl_json_string (b, "gas_balance", gas_text);
      json_builder_end_object (b);
      g_string_append_printf (text, "Operator:  %s, %s %s for gas\n", a, gas_text,
                              config->network == BFK_NETWORK_LOCAL ? "ETH" : "POL");
    }
  else
    {
      json_builder_add_null_value (b);
      g_string_append (text, "Operator:  no keystore configured (BAFOKA_KEYSTORE)\n");
    }

  json_builder_set_member_name (b, "contract");
  if (conn->has_contract)
    {
      g_autoptr(GArray) communities = NULL;
      BfkU256 grant;

      if (!bfk_contract_read_uint (conn->rpc, &conn->contract, "INITIAL_GRANT", NULL, &grant, &error)
          || !(communities = bfk_contract_read_communities (conn->rpc, &conn->contract, &error)))
        return ctl_fail (ctl, error);
      bfk_address_to_string_buf (&conn->contract, a);
      json_builder_begin_object (b);
      ctl_json_string (b, "address", a);
      ctl_json_int (b, "deploy_block", (gint64) conn->deploy_block);
      add_u256 (b, "initial_grant", grant);
      ctl_json_int (b, "communities", (gint64) communities->len);
      json_builder_end_object (b);
      g_string_append_printf (text, "Contract:  %s (deployed in block %" G_GUINT64_FORMAT
                              "), %u communities\n", a, conn->deploy_block, communities->len);
    }
  else
    {
      json_builder_add_null_value (b);
      g_string_append (text, "Contract:  not deployed: run “bafokactl deploy”\n");
    }
  if (!add_store_status (ctl, b, text, block, &error))
    return ctl_fail (ctl, error);
  json_builder_end_object (b);
  return ctl_output (ctl, json_builder_get_root (b), g_string_free (g_steal_pointer (&text), FALSE));
}

int
ctl_verb_communities (Ctl *ctl, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkConnection) conn = NULL;
  g_autoptr(GArray) list = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GString) text = g_string_new (NULL);

  ctl_parse_options (ctl, "- the communities, their currencies and figures", NULL, NULL, &argc, &argv);
  conn = open_connection (ctl, &error);
  if (!conn || !bfk_connection_require_contract (conn, &error)
      || !(list = bfk_contract_read_communities (conn->rpc, &conn->contract, &error)))
    return ctl_fail (ctl, error);

  json_builder_begin_array (b);
  g_string_append_printf (text, "%-3s %-16s %-12s %-6s %8s %10s %9s\n",
                          "ID", "COMMUNITY", "CURRENCY", "SYMBOL", "MEMBERS", "SUPPLY", "EXCHANGES");
  for (guint i = 0; i < list->len; i++)
    {
      const BfkCommunityInfo *c = &g_array_index (list, BfkCommunityInfo, i);
      g_autofree gchar *supply = bfk_u256_to_decimal (c->supply);

      json_builder_begin_object (b);
      ctl_json_int (b, "id", (gint64) c->id);
      ctl_json_string (b, "name", c->name);
      ctl_json_string (b, "currency_name", c->currency_name);
      ctl_json_string (b, "currency_symbol", c->currency_symbol);
      ctl_json_int (b, "members", (gint64) c->members);
      add_u256 (b, "supply", c->supply);
      ctl_json_int (b, "exchanges", (gint64) c->exchanges);
      json_builder_end_object (b);
      g_string_append_printf (text, "%-3" G_GUINT64_FORMAT " %-16s %-12s %-6s %8" G_GUINT64_FORMAT
                              " %10s %9" G_GUINT64_FORMAT "\n", c->id, c->name, c->currency_name,
                              c->currency_symbol, c->members, supply, c->exchanges);
    }
  json_builder_end_array (b);
  return ctl_output (ctl, json_builder_get_root (b), g_string_free (g_steal_pointer (&text), FALSE));
}
