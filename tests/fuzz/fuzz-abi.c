/* fuzz-abi.c: the ABI decoder on any bytes, for the types the product
 * decodes (the contract's event data and view answers) and a few nested
 * ones.  The first byte picks the type.  A value that decodes must encode
 * back to the same leading bytes: the decoder accepts only canonical
 * encodings of in-range values, except for offsets, so this is checked on
 * static types only. */
#include <string.h>

#include <glib.h>

#include "bfk-abi.h"

static const gchar *const types[] = {
  "(uint256,uint256,uint64)",
  "(string,string,string)",
  "(string,string,string,uint256,uint256,uint256)",
  "(address,address,uint256,uint256,uint64,uint8)",
  "(uint256,address,bool,bytes32,int64)",
  "(bytes,string[],uint256[3])",
  "((uint8,bytes)[],address[2][])",
  "(int256,int8,uint16)",
};

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(BfkAbiType) type = NULL;
  g_autoptr(BfkAbiValue) value = NULL;
  g_autoptr(GBytes) again = NULL;
  g_autoptr(GError) error = NULL;

  if (size == 0)
    return 0;
  type = bfk_abi_type_parse (types[data[0] % G_N_ELEMENTS (types)], NULL);
  g_assert (type != NULL);
  value = bfk_abi_decode (type, data + 1, size - 1, &error);
  if (!value)
    {
      g_assert (error != NULL);
      return 0;
    }
  again = bfk_abi_encode (type, value, &error);
  g_assert_no_error (error);
  if (!bfk_abi_type_is_dynamic (type))
    {
      g_assert_cmpuint (g_bytes_get_size (again), <=, size - 1);
      g_assert (memcmp (g_bytes_get_data (again, NULL), data + 1, g_bytes_get_size (again)) == 0);
    }
  return 0;
}
