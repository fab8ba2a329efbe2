/* bfk-contract.c: the embedded artifact, calldata and views. */
#include "bfk-contract.h"
#include "bfk-chain-error.h"
#include "bfk-hex.h"
#include "bfk-contract-resources.h"

#include <json-glib/json-glib.h>

#define ARTIFACT_PATH "/org/bafoka/contracts/BafokaCommunity.json"

typedef struct
{
  BfkAbi *abi;
  GBytes *creation_code;
  gchar  *compiler;
} Artifact;

/* The artifact is part of the build, so a failure to read it is a bug of the
 * build, not a condition to recover from. */
static const Artifact *
artifact (void)
{
  static Artifact a;
  static gsize done;

  if (g_once_init_enter (&done))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) data = g_resource_lookup_data (bfk_contract_get_resource (), ARTIFACT_PATH,
                                                       G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *root;

      if (!data || !json_parser_load_from_data (parser, g_bytes_get_data (data, NULL),
                                                (gssize) g_bytes_get_size (data), &error))
        g_error ("The embedded contract artifact is unreadable: %s", error->message);
      root = json_node_get_object (json_parser_get_root (parser));
      a.abi = bfk_abi_new_from_json (json_parser_get_root (parser), &error);
      if (!a.abi)
        g_error ("The embedded contract ABI is invalid: %s", error->message);
      a.creation_code = bfk_hex_decode (json_object_get_string_member (root, "bytecode"), &error);
      if (!a.creation_code)
        g_error ("The embedded contract bytecode is invalid: %s", error->message);
      a.compiler = g_strdup (json_object_get_string_member_with_default (root, "compiler", "unknown"));
      g_once_init_leave (&done, 1);
    }
  return &a;
}

const BfkAbi *
bfk_contract_abi (void)
{
  return artifact ()->abi;
}

GBytes *
bfk_contract_creation_code (void)
{
  return g_bytes_ref (artifact ()->creation_code);
}

const gchar *
bfk_contract_compiler (void)
{
  return artifact ()->compiler;
}

gchar *
bfk_contract_describe_revert (const guint8 *data,
                              gsize         len,
                              gpointer      user_data)
{
  return bfk_abi_describe_revert (bfk_contract_abi (), data, len);
}

const gchar *
bfk_exchange_state_to_string (BfkExchangeState state)
{
  static const gchar *names[] = {
    "none", "proposed", "accepted", "completed", "declined", "cancelled", "expired",
  };

  return (guint) state < G_N_ELEMENTS (names) ? names[state] : "unknown";
}

/* Our own callers pass well-typed arguments, so an encoding failure means
 * the ABI and these bindings disagree: a bug to stop at. */
static GBytes *
encode (const gchar *function,
        BfkAbiValue *args)
{
  g_autoptr(BfkAbiValue) owned = args;
  g_autoptr(GError) error = NULL;
  const BfkAbiFunction *fn = bfk_abi_get_function (bfk_contract_abi (), function);
  GBytes *out;

  if (!fn)
    g_error ("The contract has no function %s", function);
  out = bfk_abi_function_encode_call (fn, owned, &error);
  if (!out)
    g_error ("Cannot encode %s: %s", function, error->message);
  return out;
}

#define ARGS(...) bfk_abi_value_new_tuple_of (__VA_ARGS__, NULL)
#define U64(v) bfk_abi_value_new_uint64 (v)
#define ADDR(a) bfk_abi_value_new_address (a)

GBytes *
bfk_contract_encode_add_community (const gchar *name,
                                   const gchar *currency_name,
                                   const gchar *currency_symbol)
{
  return encode ("addCommunity", ARGS (bfk_abi_value_new_string (name),
                                       bfk_abi_value_new_string (currency_name),
                                       bfk_abi_value_new_string (currency_symbol)));
}

GBytes *
bfk_contract_encode_register_member (const BfkAddress *member,
                                     guint64           community_id)
{
  return encode ("registerMember", ARGS (ADDR (member), U64 (community_id)));
}

GBytes *
bfk_contract_encode_propose_exchange (const BfkAddress *payer,
                                      const BfkAddress *provider,
                                      BfkU256           amount,
                                      guint64           deadline)
{
  return encode ("proposeExchange", ARGS (ADDR (payer), ADDR (provider),
                                          bfk_abi_value_new_u256 (amount), U64 (deadline)));
}

/* The steps of an exchange's life take its id alone. */
static GBytes *
encode_exchange_step (const gchar *function,
                      guint64      exchange_id)
{
  return encode (function, ARGS (U64 (exchange_id)));
}

GBytes *
bfk_contract_encode_accept_exchange (guint64 exchange_id)
{
  return encode_exchange_step ("acceptExchange", exchange_id);
}

GBytes *
bfk_contract_encode_decline_exchange (guint64 exchange_id)
{
  return encode_exchange_step ("declineExchange", exchange_id);
}

GBytes *
bfk_contract_encode_cancel_exchange (guint64 exchange_id)
{
  return encode_exchange_step ("cancelExchange", exchange_id);
}

GBytes *
bfk_contract_encode_complete_exchange (guint64 exchange_id)
{
  return encode_exchange_step ("completeExchange", exchange_id);
}

GBytes *
bfk_contract_encode_expire_exchange (guint64 exchange_id)
{
  return encode_exchange_step ("expireExchange", exchange_id);
}

GBytes *
bfk_contract_encode_rate_exchange (guint64           exchange_id,
                                   const BfkAddress *rater,
                                   guint             stars)
{
  return encode ("rateExchange", ARGS (U64 (exchange_id), ADDR (rater), U64 (stars)));
}

GBytes *
bfk_contract_encode_approve_backer (const BfkAddress *backer,
                                    guint64           community_id,
                                    BfkU256           weekly_cap)
{
  return encode ("approveBacker", ARGS (ADDR (backer), U64 (community_id),
                                        bfk_abi_value_new_u256 (weekly_cap)));
}

GBytes *
bfk_contract_encode_revoke_backer (const BfkAddress *backer)
{
  return encode ("revokeBacker", ARGS (ADDR (backer)));
}

GBytes *
bfk_contract_encode_recharge (const BfkAddress *member,
                              BfkU256           amount)
{
  return encode ("recharge", ARGS (ADDR (member), bfk_abi_value_new_u256 (amount)));
}

GBytes *
bfk_contract_encode_pause (void)
{
  return encode ("pause", NULL);
}

GBytes *
bfk_contract_encode_unpause (void)
{
  return encode ("unpause", NULL);
}

static const BfkAbiFunction *
view_function (const gchar  *function,
               GError      **error)
{
  const BfkAbiFunction *fn = bfk_abi_get_function (bfk_contract_abi (), function);

  if (!fn)
    g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_INVALID_INPUT,
                 "The contract has no function %s", function);
  return fn;
}

GBytes *
bfk_contract_encode_view (const gchar  *function,
                          BfkAbiValue  *args,
                          GError      **error)
{
  g_autoptr(BfkAbiValue) owned = args;
  const BfkAbiFunction *fn = view_function (function, error);

  return fn ? bfk_abi_function_encode_call (fn, owned, error) : NULL;
}

BfkAbiValue *
bfk_contract_decode_view (const gchar  *function,
                          GBytes       *result,
                          GError      **error)
{
  const BfkAbiFunction *fn = view_function (function, error);
  gsize len;
  const guint8 *data = g_bytes_get_data (result, &len);

  return fn ? bfk_abi_function_decode_output (fn, data, len, error) : NULL;
}

#define CHILD(v, i) bfk_abi_value_get_child ((v), (i))

gboolean
bfk_contract_decode_community (GBytes            *result,
                               guint64            id,
                               BfkCommunityInfo  *out,
                               GError           **error)
{
  g_autoptr(BfkAbiValue) v = bfk_contract_decode_view ("getCommunity", result, error);

  if (!v)
    return FALSE;
  out->id = id;
  out->name = g_strdup (bfk_abi_value_get_string (CHILD (v, 0)));
  out->currency_name = g_strdup (bfk_abi_value_get_string (CHILD (v, 1)));
  out->currency_symbol = g_strdup (bfk_abi_value_get_string (CHILD (v, 2)));
  out->members = bfk_abi_value_get_uint64 (CHILD (v, 3));
  out->supply = bfk_abi_value_get_u256 (CHILD (v, 4));
  out->exchanges = bfk_abi_value_get_uint64 (CHILD (v, 5));
  return TRUE;
}

void
bfk_community_info_clear (BfkCommunityInfo *info)
{
  g_clear_pointer (&info->name, g_free);
  g_clear_pointer (&info->currency_name, g_free);
  g_clear_pointer (&info->currency_symbol, g_free);
}

gboolean
bfk_contract_decode_exchange (GBytes           *result,
                              guint64           id,
                              BfkExchangeInfo  *out,
                              GError          **error)
{
  g_autoptr(BfkAbiValue) v = bfk_contract_decode_view ("getExchange", result, error);

  if (!v)
    return FALSE;
  out->id = id;
  out->payer = *bfk_abi_value_get_address (CHILD (v, 0));
  out->provider = *bfk_abi_value_get_address (CHILD (v, 1));
  out->community_id = bfk_abi_value_get_uint64 (CHILD (v, 2));
  out->amount = bfk_abi_value_get_u256 (CHILD (v, 3));
  out->deadline = bfk_abi_value_get_uint64 (CHILD (v, 4));
  out->state = (BfkExchangeState) bfk_abi_value_get_uint64 (CHILD (v, 5));
  return TRUE;
}
