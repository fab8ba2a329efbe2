/* test-contract.c: the embedded artifact holds exactly the ABI surface that
 * DESIGN.md fixes, and the bindings encode and decode it as cast does. */
#include "bfk-contract.h"
#include "bfk-chain-error.h"
#include "bfk-hex.h"
#include "../lib/bfk-test-values.h"

#include <string.h>

/* DESIGN.md, "The contract": name(inputs) → outputs.  Outside tools depend on
 * these, so a rename must fail here. */
static const struct { const gchar *signature; const gchar *outputs; } surface[] = {
  { "INITIAL_GRANT()", "(uint256)" },
  { "addCommunity(string,string,string)", "(uint256)" },
  { "communityCount()", "(uint256)" },
  { "getCommunity(uint256)", "(string,string,string,uint256,uint256,uint256)" },
  { "registerMember(address,uint256)", "()" },
  { "communityOf(address)", "(uint256)" },
  { "balanceOf(address)", "(uint256)" },
  { "escrowOf(address)", "(uint256)" },
  { "reputationOf(address)", "(uint256)" },
  { "proposeExchange(address,address,uint256,uint64)", "(uint256)" },
  { "acceptExchange(uint256)", "()" },
  { "declineExchange(uint256)", "()" },
  { "cancelExchange(uint256)", "()" },
  { "completeExchange(uint256)", "()" },
  { "expireExchange(uint256)", "()" },
  { "rateExchange(uint256,address,uint8)", "()" },
  { "getExchange(uint256)", "(address,address,uint256,uint256,uint64,uint8)" },
  { "approveBacker(address,uint256,uint256)", "()" },
  { "revokeBacker(address)", "()" },
  { "recharge(address,uint256)", "()" },
  { "pause()", "()" },
  { "unpause()", "()" },
};

/* Event signatures, with the indexed inputs marked by position. */
static const struct { const gchar *signature; const gchar *indexed; } events[] = {
  { "CommunityAdded(uint256,string,string,string)", "1000" },
  { "MemberRegistered(address,uint256,uint256)", "110" },
  { "ExchangeProposed(uint256,address,address,uint256,uint256,uint64)", "111000" },
  { "ExchangeAccepted(uint256)", "1" },
  { "ExchangeDeclined(uint256)", "1" },
  { "ExchangeCancelled(uint256)", "1" },
  { "ExchangeExpired(uint256)", "1" },
  { "ExchangeCompleted(uint256,uint256)", "10" },
  { "ExchangeRated(uint256,address,address,uint8)", "1110" },
  { "BackerApproved(address,uint256,uint256)", "110" },
  { "BackerRevoked(address)", "1" },
  { "Recharged(address,address,uint256,uint256)", "1110" },
};

static void
test_surface (void)
{
  const BfkAbi *abi = bfk_contract_abi ();

  for (gsize i = 0; i < G_N_ELEMENTS (surface); i++)
    {
      g_autofree gchar *name = g_strndup (surface[i].signature, strcspn (surface[i].signature, "("));
      const BfkAbiFunction *fn = bfk_abi_get_function (abi, name);
      g_autofree gchar *outputs = NULL;

      g_assert_nonnull (fn);
      g_assert_cmpstr (fn->signature, ==, surface[i].signature);
      outputs = bfk_abi_type_to_string (fn->output_type);
      g_assert_cmpstr (outputs, ==, surface[i].outputs);
    }

  for (gsize i = 0; i < G_N_ELEMENTS (events); i++)
    {
      g_autofree gchar *name = g_strndup (events[i].signature, strcspn (events[i].signature, "("));
      const BfkAbiEvent *ev = bfk_abi_get_event (abi, name);

      g_assert_nonnull (ev);
      g_assert_cmpstr (ev->signature, ==, events[i].signature);
      g_assert_cmpuint (ev->n_inputs, ==, strlen (events[i].indexed));
      for (guint k = 0; k < ev->n_inputs; k++)
        g_assert_cmpint (ev->inputs[k].indexed, ==, events[i].indexed[k] == '1');
    }
}

static void
assert_calldata (GBytes      *data,
                 const gchar *expected)
{
  g_autofree gchar *hex = bfk_hex_encode (g_bytes_get_data (data, NULL), g_bytes_get_size (data));

  g_assert_cmpstr (hex, ==, expected);
  g_bytes_unref (data);
}

/* Expected bytes from `cast calldata <signature> <args>` (Foundry 1.7.1). */
static void
test_calldata (void)
{
  BfkAddress a = bfk_test_address ("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
  BfkAddress p = bfk_test_address ("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
  BfkAddress q = bfk_test_address ("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC");

  assert_calldata (bfk_contract_encode_register_member (&a, 1),
                   "0xd2a7ebd1000000000000000000000000f39fd6e51aad88f6f4ce6ab8827279cfffb92266"
                   "0000000000000000000000000000000000000000000000000000000000000001");
  assert_calldata (bfk_contract_encode_propose_exchange (&p, &q, bfk_u256_from_u64 (150), 1767225600),
                   "0xe745748600000000000000000000000070997970c51812dc3a010c7d01b50e0d17dc79c8"
                   "0000000000000000000000003c44cdddb6a900fa2b585dd299e03d12fa4293bc"
                   "0000000000000000000000000000000000000000000000000000000000000096"
                   "000000000000000000000000000000000000000000000000000000006955b900");
  assert_calldata (bfk_contract_encode_add_community ("Bamendjou", "Bamendjou", "BMJ"),
                   "0x01fa0f43"
                   "0000000000000000000000000000000000000000000000000000000000000060"
                   "00000000000000000000000000000000000000000000000000000000000000a0"
                   "00000000000000000000000000000000000000000000000000000000000000e0"
                   "0000000000000000000000000000000000000000000000000000000000000009"
                   "42616d656e646a6f750000000000000000000000000000000000000000000000"
                   "0000000000000000000000000000000000000000000000000000000000000009"
                   "42616d656e646a6f750000000000000000000000000000000000000000000000"
                   "0000000000000000000000000000000000000000000000000000000000000003"
                   "424d4a0000000000000000000000000000000000000000000000000000000000");
}

/* A log as the node returns it, built from the event's own encoding. */
static void
test_event_decode (void)
{
  const BfkAbiEvent *ev = bfk_abi_get_event (bfk_contract_abi (), "ExchangeProposed");
  BfkAddress payer = bfk_test_address ("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
  BfkAddress provider = bfk_test_address ("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC");
  guint8 topics[4][32] = { { 0 } };
  g_autoptr(BfkAbiType) data_type = bfk_abi_type_parse ("(uint256,uint256,uint64)", NULL);
  g_autoptr(BfkAbiValue) data_value = bfk_abi_value_new_tuple_of (bfk_abi_value_new_uint64 (2),
                                                                  bfk_abi_value_new_uint64 (150),
                                                                  bfk_abi_value_new_uint64 (1767225600),
                                                                  NULL);
  g_autoptr(GBytes) data = bfk_abi_encode (data_type, data_value, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree gchar *line = NULL;
  BfkEvent e;

  memcpy (topics[0], ev->topic, 32);
  topics[1][31] = 7;
  memcpy (topics[2] + 12, payer.bytes, 20);
  memcpy (topics[3] + 12, provider.bytes, 20);

  g_assert_true (bfk_event_decode (&topics[0][0], 4, g_bytes_get_data (data, NULL),
                                   g_bytes_get_size (data), &e, &error));
  g_assert_no_error (error);
  g_assert_cmpint (e.kind, ==, BFK_EVENT_EXCHANGE_PROPOSED);
  g_assert_cmpuint (e.exchange_id, ==, 7);
  g_assert_true (bfk_address_equal (&e.payer, &payer));
  g_assert_true (bfk_address_equal (&e.provider, &provider));
  g_assert_cmpuint (e.community_id, ==, 2);
  g_assert_cmpuint (bfk_u256_to_u64 (e.amount), ==, 150);
  g_assert_cmpuint (e.deadline, ==, 1767225600);
  line = bfk_event_describe (&e);
  g_assert_nonnull (strstr (line, "ExchangeProposed #7"));
  bfk_event_clear (&e);

  /* A truncated log is an error, not a crash. */
  g_assert_false (bfk_event_decode (&topics[0][0], 3, g_bytes_get_data (data, NULL), 10, &e, &error));
  g_assert_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_DECODE);
}

static void
test_revert_reason (void)
{
  const BfkAbiError *err = bfk_abi_get_error (bfk_contract_abi (), "CrossCommunity");
  g_autoptr(BfkAbiValue) args = bfk_abi_value_new_tuple_of (bfk_abi_value_new_uint64 (1),
                                                            bfk_abi_value_new_uint64 (2), NULL);
  g_autoptr(GByteArray) data = g_byte_array_new ();
  g_autofree gchar *reason = NULL;

  g_assert_nonnull (err);
  g_byte_array_append (data, err->selector, 4);
  g_assert_true (bfk_abi_encode_append (err->input_type, args, data, NULL));
  reason = bfk_contract_describe_revert (data->data, data->len, NULL);
  g_assert_nonnull (strstr (reason, "CrossCommunity"));
  g_assert_nonnull (strstr (reason, "1"));
  g_assert_nonnull (strstr (reason, "2"));
}

static void
test_creation_code (void)
{
  g_autoptr(GBytes) code = bfk_contract_creation_code ();

  /* Solidity's creation code starts by setting the free memory pointer. */
  g_assert_cmpuint (g_bytes_get_size (code), >, 1000);
  g_assert_cmpuint (((const guint8 *) g_bytes_get_data (code, NULL))[0], ==, 0x60);
  g_assert_true (g_str_has_prefix (bfk_contract_compiler (), "0.8."));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/contract/surface", test_surface);
  g_test_add_func ("/contract/calldata", test_calldata);
  g_test_add_func ("/contract/event-decode", test_event_decode);
  g_test_add_func ("/contract/revert-reason", test_revert_reason);
  g_test_add_func ("/contract/creation-code", test_creation_code);
  return g_test_run ();
}
