/* bfk-contract-read.c: the contract's views, through eth_call. */
#include "bfk-contract.h"

static GBytes *
call (BfkRpcClient      *rpc,
      const BfkAddress  *contract,
      const gchar       *function,
      BfkAbiValue       *args,
      GError           **error)
{
  g_autoptr(GBytes) data = bfk_contract_encode_view (function, args, error);

  if (!data)
    return NULL;
  return bfk_rpc_client_call_contract (rpc, NULL, contract, data, "latest", NULL, error);
}

BfkAbiValue *
bfk_contract_read (BfkRpcClient      *rpc,
                   const BfkAddress  *contract,
                   const gchar       *function,
                   BfkAbiValue       *args,
                   GError           **error)
{
  g_autoptr(GBytes) result = call (rpc, contract, function, args, error);

  return result ? bfk_contract_decode_view (function, result, error) : NULL;
}

gboolean
bfk_contract_read_uint (BfkRpcClient      *rpc,
                        const BfkAddress  *contract,
                        const gchar       *function,
                        const BfkAddress  *account,
                        BfkU256           *out,
                        GError           **error)
{
  BfkAbiValue *args = account ? bfk_abi_value_new_tuple_of (bfk_abi_value_new_address (account), NULL) : NULL;
  g_autoptr(BfkAbiValue) v = bfk_contract_read (rpc, contract, function, args, error);

  if (!v)
    return FALSE;
  *out = bfk_abi_value_get_u256 (bfk_abi_value_get_child (v, 0));
  return TRUE;
}

/* getCommunity and getExchange: one id in, a struct out. */
static GBytes *
call_with_id (BfkRpcClient      *rpc,
              const BfkAddress  *contract,
              const gchar       *function,
              guint64            id,
              GError           **error)
{
  return call (rpc, contract, function,
               bfk_abi_value_new_tuple_of (bfk_abi_value_new_uint64 (id), NULL), error);
}

gboolean
bfk_contract_read_community (BfkRpcClient      *rpc,
                             const BfkAddress  *contract,
                             guint64            id,
                             BfkCommunityInfo  *out,
                             GError           **error)
{
  g_autoptr(GBytes) result = call_with_id (rpc, contract, "getCommunity", id, error);

  return result && bfk_contract_decode_community (result, id, out, error);
}

GArray *
bfk_contract_read_communities (BfkRpcClient      *rpc,
                               const BfkAddress  *contract,
                               GError           **error)
{
  g_autoptr(GArray) list = g_array_new (FALSE, TRUE, sizeof (BfkCommunityInfo));
  BfkU256 count;

  g_array_set_clear_func (list, (GDestroyNotify) bfk_community_info_clear);
  if (!bfk_contract_read_uint (rpc, contract, "communityCount", NULL, &count, error))
    return NULL;
  for (guint64 id = 1; id <= bfk_u256_to_u64 (count); id++)
    {
      BfkCommunityInfo info = { 0 };

      if (!bfk_contract_read_community (rpc, contract, id, &info, error))
        return NULL;
      g_array_append_val (list, info);
    }
  return g_steal_pointer (&list);
}

gboolean
bfk_contract_read_exchange (BfkRpcClient      *rpc,
                            const BfkAddress  *contract,
                            guint64            id,
                            BfkExchangeInfo   *out,
                            GError           **error)
{
  g_autoptr(GBytes) result = call_with_id (rpc, contract, "getExchange", id, error);

  return result && bfk_contract_decode_exchange (result, id, out, error);
}

gboolean
bfk_contract_read_backer (BfkRpcClient      *rpc,
                          const BfkAddress  *contract,
                          const BfkAddress  *backer,
                          BfkBackerInfo     *out,
                          GError           **error)
{
  g_autoptr(BfkAbiValue) v = NULL;

  g_return_val_if_fail (rpc && contract && backer && out, FALSE);

  *out = (BfkBackerInfo) { .address = *backer };
  v = bfk_contract_read (rpc, contract, "backerOf",
                         bfk_abi_value_new_tuple_of (bfk_abi_value_new_address (backer), NULL),
                         error);
  if (!v)
    return FALSE;
  out->community_id = bfk_abi_value_get_uint64 (bfk_abi_value_get_child (v, 0));
  out->weekly_cap = bfk_abi_value_get_u256 (bfk_abi_value_get_child (v, 1));
  out->used = bfk_abi_value_get_u256 (bfk_abi_value_get_child (v, 2));
  out->active = bfk_abi_value_get_bool (bfk_abi_value_get_child (v, 3));
  return bfk_contract_read_uint (rpc, contract, "rechargeableThisWeek", backer, &out->remaining, error);
}
