/* bfk-abi-revert.c: revert data as one sentence for a person.
 *
 * A failed call or transaction returns the ABI encoding of an error:
 * Error(string) for require() and revert("..."), Panic(uint256) for the
 * checks the compiler inserts, or a custom error of the contract.
 */
#include "bfk-abi-private.h"

#include "bfk-hex.h"

#include <string.h>

/* The selectors of Error(string) and Panic(uint256); the tests check them
 * against Keccak-256 of the signatures. */
static const guint8 error_string_selector[4] = { 0x08, 0xc3, 0x79, 0xa0 };
static const guint8 panic_selector[4] = { 0x4e, 0x48, 0x7b, 0x71 };

/* The panic codes of the Solidity documentation. */
static const struct
{
  guint64      code;
  const gchar *meaning;
} panic_codes[] = {
  { 0x00, "generic compiler panic" },
  { 0x01, "assertion failed" },
  { 0x11, "arithmetic overflow or underflow" },
  { 0x12, "division or modulo by zero" },
  { 0x21, "invalid enum value" },
  { 0x22, "corrupt storage byte array" },
  { 0x31, "pop on an empty array" },
  { 0x32, "array index out of bounds" },
  { 0x41, "out of memory" },
  { 0x51, "call to an uninitialised function" },
};

static gchar *
describe_unknown (const guint8 *data,
                  gsize         len)
{
  g_autofree gchar *hex = bfk_hex_encode (data, MIN (len, 4));

  /* The selector names the error; its arguments would only be noise. */
  return g_strdup_printf ("unknown error %s%s", hex, len > 4 ? "…" : "");
}

static gchar *
describe_error_string (const guint8 *args,
                       gsize         len)
{
  g_autoptr(BfkAbiType) type = bfk_abi_type_parse ("(string)", NULL);
  g_autoptr(BfkAbiValue) value = bfk_abi_decode (type, args, len, NULL);
  const BfkAbiValue *s;

  if (value == NULL)
    return NULL;
  s = value->children[0];
  if (s->len == 0)
    return g_strdup ("reverted without a reason");
  /* The message comes from the contract: keep it, but as valid UTF-8. */
  return g_utf8_make_valid ((const gchar *) s->data, (gssize) s->len);
}

static gchar *
describe_panic (const guint8 *args,
                gsize         len)
{
  g_autoptr(BfkAbiType) type = bfk_abi_type_parse ("(uint256)", NULL);
  g_autoptr(BfkAbiValue) value = bfk_abi_decode (type, args, len, NULL);
  BfkU256 code;
  guint64 c;

  if (value == NULL)
    return NULL;
  code = value->children[0]->u256;
  if (!bfk_u256_fits_u64 (code))
    {
      g_autofree gchar *q = bfk_u256_to_quantity (code);

      return g_strdup_printf ("panic %s", q);
    }
  c = bfk_u256_to_u64 (code);
  for (gsize i = 0; i < G_N_ELEMENTS (panic_codes); i++)
    if (panic_codes[i].code == c)
      return g_strdup_printf ("panic 0x%02" G_GINT64_MODIFIER "x: %s", c, panic_codes[i].meaning);
  return g_strdup_printf ("panic 0x%02" G_GINT64_MODIFIER "x", c);
}

static gchar *
describe_custom (const BfkAbiError *err,
                 const guint8      *args,
                 gsize              len)
{
  g_autoptr(BfkAbiValue) value = bfk_abi_decode (err->input_type, args, len, NULL);
  GString *out;

  if (value == NULL)
    return g_strdup_printf ("%s (with arguments that do not decode)", err->name);

  out = g_string_new (err->name);
  g_string_append_c (out, '(');
  for (guint i = 0; i < err->n_inputs; i++)
    {
      if (i > 0)
        g_string_append (out, ", ");
      if (err->inputs[i].name[0] != '\0')
        g_string_append_printf (out, "%s: ", err->inputs[i].name);
      _bfk_abi_value_append (value->children[i], out);
    }
  g_string_append_c (out, ')');
  return g_string_free (out, FALSE);
}

gchar *
bfk_abi_describe_revert (const BfkAbi *abi,
                         const guint8 *data,
                         gsize         len)
{
  const BfkAbiError *err;
  gchar *s = NULL;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  if (len == 0)
    return g_strdup ("reverted without a reason");
  if (len < 4)
    return describe_unknown (data, len);

  if (memcmp (data, error_string_selector, 4) == 0)
    s = describe_error_string (data + 4, len - 4);
  else if (memcmp (data, panic_selector, 4) == 0)
    s = describe_panic (data + 4, len - 4);
  else if (abi != NULL && (err = bfk_abi_get_error_by_selector (abi, data)) != NULL)
    s = describe_custom (err, data + 4, len - 4);

  return s != NULL ? s : describe_unknown (data, len);
}
