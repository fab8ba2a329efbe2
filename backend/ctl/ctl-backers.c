/* ctl-backers.c: bafokactl backers and recharge.
 *
 * Backers are read from the chain itself (their approvals in the logs, their
 * state from backerOf), so the list is right even when no backend has
 * followed the chain.
 */
#include "ctl-session.h"
#include "bfk-chain-error.h"
#include "bfk-contract.h"
#include "bfk-keystore.h"
#include "bfk-members.h"
#include "bfk-operator-key.h"

#include <string.h>
#include <unistd.h>

static gchar *opt_member;
static gchar *opt_amount;
static gchar *opt_backer_keystore;
static gchar *opt_backer_password_file;

typedef BfkBackerInfo Backer;

static gboolean
read_backer (BfkConnection  *conn,
             Backer         *b,
             GError        **error)
{
  BfkAddress address = b->address;

  return bfk_contract_read_backer (conn->rpc, &conn->contract, &address, b, error);
}

/* Every address ever approved, in order of first approval. */
static GArray *
list_backers (BfkConnection  *conn,
              GError        **error)
{
  const BfkAbiEvent *approved = bfk_abi_get_event (bfk_contract_abi (), "BackerApproved");
  const guint8 (*topic)[BFK_HASH_SIZE] = (const guint8 (*)[BFK_HASH_SIZE]) approved->topic;
  BfkLogFilter filter = {
    .addresses = &conn->contract, .n_addresses = 1,
    .topics = { topic }, .n_topics = { 1 },
  };
  g_autoptr(GArray) logs = NULL;
  g_autoptr(GArray) backers = g_array_new (FALSE, TRUE, sizeof (Backer));
  g_autoptr(GHashTable) seen = g_hash_table_new (g_bytes_hash, g_bytes_equal);
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  guint64 head;

  if (!bfk_rpc_client_get_block_number (conn->rpc, &head, error)
      || !(logs = bfk_rpc_client_get_logs_chunked (conn->rpc, &filter, conn->deploy_block, head,
                                                   10000, NULL, NULL, NULL, error)))
    return NULL;
  for (guint i = 0; i < logs->len; i++)
    {
      const BfkLog *log = &g_array_index (logs, BfkLog, i);
      GBytes *key = g_bytes_new (log->topics[1] + 12, BFK_ADDRESS_SIZE);
      Backer b = { 0 };

      g_ptr_array_add (keys, key);
      if (!g_hash_table_add (seen, key))
        continue;
      memcpy (b.address.bytes, log->topics[1] + 12, BFK_ADDRESS_SIZE);
      if (!read_backer (conn, &b, error))
        return NULL;
      g_array_append_val (backers, b);
    }
  return g_steal_pointer (&backers);
}

static void
add_u256 (JsonBuilder *b,
          const gchar *name,
          BfkU256      v)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, (gint64) bfk_u256_to_u64 (v));
}

int
ctl_verb_backers (Ctl *ctl, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkConnection) conn = NULL;
  g_autoptr(GArray) backers = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GString) text = g_string_new (NULL);

  ctl_parse_options (ctl, "- approved backers: community, weekly cap, what is left this week",
                     NULL, NULL, &argc, &argv);
  conn = bfk_connection_open (ctl_config (ctl), NULL, &error);
  if (!conn || !bfk_connection_require_contract (conn, &error) || !(backers = list_backers (conn, &error)))
    return ctl_fail (ctl, error);

  json_builder_begin_array (b);
  g_string_append_printf (text, "%-42s %-9s %-6s %10s %10s\n", "BACKER", "COMMUNITY", "ACTIVE",
                          "WEEKLY CAP", "LEFT");
  for (guint i = 0; i < backers->len; i++)
    {
      const Backer *k = &g_array_index (backers, Backer, i);
      gchar a[BFK_ADDRESS_STRING_SIZE];

      bfk_address_to_string_buf (&k->address, a);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "address");
      json_builder_add_string_value (b, a);
      json_builder_set_member_name (b, "community_id");
      json_builder_add_int_value (b, (gint64) k->community_id);
      json_builder_set_member_name (b, "active");
      json_builder_add_boolean_value (b, k->active);
      add_u256 (b, "weekly_cap", k->weekly_cap);
      add_u256 (b, "used_this_week", k->used);
      add_u256 (b, "left_this_week", k->remaining);
      json_builder_end_object (b);
      g_string_append_printf (text, "%-42s %-9" G_GUINT64_FORMAT " %-6s %10" G_GUINT64_FORMAT
                              " %10" G_GUINT64_FORMAT "\n", a, k->community_id,
                              k->active ? "yes" : "no", bfk_u256_to_u64 (k->weekly_cap),
                              bfk_u256_to_u64 (k->remaining));
    }
  json_builder_end_array (b);
  if (backers->len == 0)
    g_string_assign (text, "No backer has been approved yet: bafokactl backer approve 0x… --community 1 --weekly-cap 500\n");
  return ctl_output (ctl, json_builder_get_root (b), g_string_free (g_steal_pointer (&text), FALSE));
}

static gboolean
unlock_backer (Ctl            *ctl,
               BfkPrivateKey  *key,
               GError        **error)
{
  gchar *password;
  gboolean ok;

  if (!opt_backer_keystore)
    {
      g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_INVALID_INPUT,
                   "A recharge is signed by the backer: name its keystore with --backer-keystore FILE");
      return FALSE;
    }
  if (opt_backer_password_file)
    password = bfk_password_read_file (opt_backer_password_file, error);
  else if (isatty (STDIN_FILENO))
    password = ctl_prompt_secret ("Backer keystore password: ");
  else
    {
      g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_KEYSTORE_PASSWORD,
                   "The backer keystore's password is needed: --backer-password-file FILE");
      return FALSE;
    }
  if (!password)
    return FALSE;
  ok = bfk_keystore_load (opt_backer_keystore, password, strlen (password), key, error);
  bfk_password_free (password);
  return ok;
}

/* The member by phone, name or address; an address outside the store is
 * still a member when the chain says so. */
static gboolean
resolve_member (CtlSession  *s,
                const gchar *text,
                BfkAddress  *address,
                gchar      **label,
                GError     **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(BfkMember) m = bfk_members_resolve (s->store, text, &local);

  if (m)
    {
      *address = m->address;
      *label = g_strdup (m->name);
      return TRUE;
    }
  if (bfk_address_parse (text, address, NULL))
    {
      *label = g_strdup (text);
      return TRUE;
    }
  g_propagate_error (error, g_steal_pointer (&local));
  return FALSE;
}

int
ctl_verb_recharge (Ctl *ctl, int argc, char **argv)
{
  GOptionEntry entries[] = {
    { "member", 'm', 0, G_OPTION_ARG_STRING, &opt_member, "Phone, user name or address", "WHO" },
    { "amount", 'a', 0, G_OPTION_ARG_STRING, &opt_amount, "Whole units of the community's currency", "N" },
    { "backer-keystore", 0, 0, G_OPTION_ARG_FILENAME, &opt_backer_keystore, "The backer's V3 keystore", "FILE" },
    { "backer-password-file", 0, 0, G_OPTION_ARG_FILENAME, &opt_backer_password_file,
      "A file whose first line is its password", "FILE" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) calldata = NULL;
  g_autofree gchar *label = NULL;
  g_autofree gchar *summary = NULL;
  g_auto(BfkPrivateKey) key = { 0 };
  gchar member_text[BFK_ADDRESS_STRING_SIZE] = "";
  BfkAddress member;
  BfkU256 amount, community;
  Backer backer = { 0 };
  CtlSession s;
  int status = 1;

  ctl_parse_options (ctl, "- a backer mints for a member of its community, within its weekly cap",
                     "Example: bafokactl recharge --member Marie --amount 200 --backer-keystore backer.json",
                     entries, &argc, &argv);
  if (!opt_member || !ctl_parse_amount ("amount", opt_amount, &amount, &error)
      || !unlock_backer (ctl, &key, &error)
      || !bfk_private_key_to_address (&key, &backer.address, &error))
    {
      if (!error)
        g_set_error (&error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_INVALID_INPUT,
                     "Name the member: --member PHONE|NAME|ADDRESS");
      return ctl_fail (ctl, error);
    }
  if (!ctl_session_open (ctl, &s, FALSE, &error)
      || !resolve_member (&s, opt_member, &member, &label, &error)
      || !bfk_contract_read_uint (s.conn->rpc, &s.conn->contract, "communityOf", &member, &community, &error)
      || !read_backer (s.conn, &backer, &error))
    goto out;

  bfk_address_to_string_buf (&member, member_text);
  summary = g_strdup_printf ("recharge %s with %s", label, opt_amount);
  /* Say what is wrong before anything is queued or spent. */
  if (bfk_u256_is_zero (community))
    g_set_error (&error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_INVALID_INPUT,
                 "%s is not registered on chain yet", label);
  else if (!backer.active)
    g_set_error (&error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_INVALID_INPUT,
                 "This key is not an approved backer: an admin approves it with "
                 "“bafokactl backer approve”");
  else if (backer.community_id != bfk_u256_to_u64 (community))
    g_set_error (&error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_INVALID_INPUT,
                 "This backer serves community %" G_GUINT64_FORMAT ", and %s is in community %"
                 G_GUINT64_FORMAT, backer.community_id, label, bfk_u256_to_u64 (community));
  else if (bfk_u256_cmp (amount, backer.remaining) > 0)
    g_set_error (&error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_INVALID_INPUT,
                 "This backer may mint %" G_GUINT64_FORMAT " more this week, not %s",
                 bfk_u256_to_u64 (backer.remaining), opt_amount);
  /* The backer's key is here, not in a running backend: so this process
   * must be the one that sends. */
  else if (!ctl_session_take_outbox (&s))
    g_set_error (&error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_INVALID_INPUT,
                 "A backend is running for this data folder, and does not hold the backer's key: "
                 "recharge from the console, or stop the backend first");
  if (error)
    goto out;

  calldata = bfk_contract_encode_recharge (&member, amount);
  {
    BfkOpRequest request = {
      .kind = BFK_OP_RECHARGE, .calldata = calldata, .summary = summary,
      .community_id = backer.community_id, .amount = (gint64) bfk_u256_to_u64 (amount),
    };

    status = ctl_enqueue_and_report (ctl, &s, &key, &request, member_text);
  }

out:
  /* A refusal is an attempt the log keeps too, once it is clear whom it
   * was for. */
  if (error && *member_text)
    ctl_audit (s.store, &backer.address, "recharge", member_text, summary, 0, error);
  ctl_session_close (&s);
  return error ? ctl_fail (ctl, error) : status;
}
