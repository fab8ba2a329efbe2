/* ctl-ops.c: bafokactl tx, backers, backer approve|revoke, and recharge.
 *
 * Every write is an outbox operation: enqueued here, and sent by the
 * backend when one runs, or by bafokactl itself when none does.
 */
#include "ctl-session.h"
#include "bfk-chain-error.h"
#include "bfk-contract.h"

#include <string.h>

static gint opt_limit = 20;
static gint64 opt_community;
static gchar *opt_cap;

static const gchar *
or_dash (const gchar *s)
{
  return s && *s ? s : "-";
}

int
ctl_verb_tx (Ctl *ctl, int argc, char **argv)
{
  GOptionEntry entries[] = {
    { "limit", 'n', 0, G_OPTION_ARG_INT, &opt_limit, "How many, newest first (default 20)", "N" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkStore) store = NULL;
  g_autoptr(GPtrArray) ops = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GString) text = g_string_new (NULL);

  ctl_parse_options (ctl, "- recent chain operations: state, hash, attempts, reason", NULL,
                     entries, &argc, &argv);
  store = ctl_store_open (ctl, &error);
  if (!store || !(ops = bfk_outbox_list_recent (store, (guint) MAX (opt_limit, 1), &error)))
    return ctl_fail (ctl, error);

  json_builder_begin_array (b);
  g_string_append_printf (text, "%-6s %-18s %-9s %-4s %-12s %s\n",
                          "ID", "KIND", "STATE", "TRY", "TX", "WHAT");
  for (guint i = 0; i < ops->len; i++)
    {
      const BfkOpInfo *op = g_ptr_array_index (ops, i);

      ctl_add_operation_json (b, op);
      g_string_append_printf (text, "%-6" G_GINT64_FORMAT " %-18s %-9s %-4u %-12.12s %s%s%s\n",
                              op->id, bfk_op_kind_to_string (op->kind),
                              bfk_op_state_to_string (op->state), op->attempts,
                              or_dash (op->tx_hash), op->summary,
                              op->reason ? ": " : "", op->reason ? op->reason : "");
    }
  json_builder_end_array (b);
  if (ops->len == 0)
    g_string_assign (text, "No operations yet.\n");
  return ctl_output (ctl, json_builder_get_root (b), g_string_free (g_steal_pointer (&text), FALSE));
}

int
ctl_enqueue_and_report (Ctl                 *ctl,
                    CtlSession          *s,
                    const BfkPrivateKey *signer_key,
                    const BfkOpRequest  *request,
                    const gchar         *audit_subject)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkOpInfo) op = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  BfkAddress signer = s->operator;
  gint64 id;

  if (signer_key && !bfk_private_key_to_address (signer_key, &signer, &error))
    return ctl_fail (ctl, error);
  id = bfk_outbox_enqueue (s->store, s->conn->rpc, &signer, &s->conn->contract, request, &error);
  ctl_audit (s->store, &signer, bfk_op_kind_to_string (request->kind), audit_subject,
             request->summary, id, error);
  if (id == 0 || !ctl_session_drive (ctl, s, &id, 1, signer_key, &error)
      || !(op = bfk_outbox_get (s->store, id, &error)))
    return ctl_fail (ctl, error);

  ctl_add_operation_json (b, op);
  if (op->state == BFK_OP_FAILED)
    {
      g_printerr ("bafokactl: %s failed: %s\n", op->summary, or_dash (op->reason));
      ctl_output (ctl, json_builder_get_root (b), NULL);
      return 1;
    }
  return ctl_output (ctl, json_builder_get_root (b),
                     g_strdup_printf ("Operation %" G_GINT64_FORMAT " (%s): %s%s%s", op->id,
                                      op->summary, bfk_op_state_to_string (op->state),
                                      op->tx_hash ? ", transaction " : "",
                                      op->tx_hash ? op->tx_hash : ""));
}

gboolean
ctl_parse_amount (const gchar  *what,
              const gchar  *text,
              BfkU256      *out,
              GError      **error)
{
  if (!text || !bfk_u256_parse (text, out, NULL) || bfk_u256_is_zero (*out))
    {
      g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_INVALID_INPUT,
                   "The %s must be a whole number above 0 (got “%s”)", what, text ? text : "nothing");
      return FALSE;
    }
  return TRUE;
}

static int
backer_approve (Ctl *ctl, int argc, char **argv)
{
  GOptionEntry entries[] = {
    { "community", 'c', 0, G_OPTION_ARG_INT64, &opt_community, "The backer's community", "ID" },
    { "weekly-cap", 0, 0, G_OPTION_ARG_STRING, &opt_cap, "Most it may mint per week", "N" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) calldata = NULL;
  g_autofree gchar *summary = NULL;
  CtlSession s;
  BfkAddress backer;
  gchar backer_text[BFK_ADDRESS_STRING_SIZE];
  BfkU256 cap;
  int status;

  ctl_parse_options (ctl, "ADDRESS - approve a backer (admin)", NULL, entries, &argc, &argv);
  if (argc != 2 || !bfk_address_parse (argv[1], &backer, &error)
      || !ctl_parse_amount ("weekly cap", opt_cap, &cap, &error))
    {
      if (!error)
        g_set_error (&error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_INVALID_INPUT,
                     "Name the backer's address: bafokactl backer approve 0x… --community 1 --weekly-cap 500");
      return ctl_fail (ctl, error);
    }
  bfk_address_to_string_buf (&backer, backer_text);
  if (!ctl_session_open (ctl, &s, TRUE, &error))
    {
      ctl_session_close (&s);
      return ctl_fail (ctl, error);
    }
  if (opt_community < 1 || (guint64) opt_community > s.n_communities)
    {
      g_set_error (&error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_INVALID_INPUT,
                   "Community %" G_GINT64_FORMAT " does not exist: choose 1 to %u",
                   opt_community, s.n_communities);
      ctl_audit (s.store, &s.operator, "approve_backer", backer_text, NULL, 0, error);
      ctl_session_close (&s);
      return ctl_fail (ctl, error);
    }

  calldata = bfk_contract_encode_approve_backer (&backer, (guint64) opt_community, cap);
  summary = g_strdup_printf ("approve backer %s in community %" G_GINT64_FORMAT ", weekly cap %s",
                             argv[1], opt_community, opt_cap);
  {
    BfkOpRequest request = {
      .kind = BFK_OP_APPROVE_BACKER, .calldata = calldata, .summary = summary,
      .community_id = (guint64) opt_community, .amount = (gint64) bfk_u256_to_u64 (cap),
    };

    status = ctl_enqueue_and_report (ctl, &s, NULL, &request, backer_text);
  }
  ctl_session_close (&s);
  return status;
}

static int
backer_revoke (Ctl *ctl, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) calldata = NULL;
  g_autofree gchar *summary = NULL;
  CtlSession s;
  BfkAddress backer;
  gchar backer_text[BFK_ADDRESS_STRING_SIZE];
  int status;

  ctl_parse_options (ctl, "ADDRESS - revoke a backer (admin)", NULL, NULL, &argc, &argv);
  if (argc != 2 || !bfk_address_parse (argv[1], &backer, &error))
    {
      if (!error)
        g_set_error (&error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_INVALID_INPUT,
                     "Name the backer's address: bafokactl backer revoke 0x…");
      return ctl_fail (ctl, error);
    }
  bfk_address_to_string_buf (&backer, backer_text);
  if (!ctl_session_open (ctl, &s, TRUE, &error))
    {
      ctl_session_close (&s);
      return ctl_fail (ctl, error);
    }
  calldata = bfk_contract_encode_revoke_backer (&backer);
  summary = g_strdup_printf ("revoke backer %s", argv[1]);
  {
    BfkOpRequest request = { .kind = BFK_OP_REVOKE_BACKER, .calldata = calldata, .summary = summary };

    status = ctl_enqueue_and_report (ctl, &s, NULL, &request, backer_text);
  }
  ctl_session_close (&s);
  return status;
}

int
ctl_verb_backer (Ctl *ctl, int argc, char **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "approve"))
    return backer_approve (ctl, argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "revoke"))
    return backer_revoke (ctl, argc - 1, argv + 1);
  g_printerr ("Usage: bafokactl backer approve ADDRESS --community ID --weekly-cap N\n"
              "       bafokactl backer revoke ADDRESS\n");
  return 2;
}
