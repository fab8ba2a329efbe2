/* bfk-abi-value.c: ABI values, and how a person reads them. */
#include "bfk-abi-private.h"

#include "bfk-hex.h"

#include <string.h>

static BfkAbiValue *
value_new (BfkAbiValueKind kind)
{
  BfkAbiValue *v = g_new0 (BfkAbiValue, 1);

  v->ref_count = 1;
  v->kind = kind;
  return v;
}

BfkAbiValue *
bfk_abi_value_ref (BfkAbiValue *value)
{
  g_return_val_if_fail (value != NULL, NULL);

  g_atomic_int_inc (&value->ref_count);
  return value;
}

void
bfk_abi_value_unref (BfkAbiValue *value)
{
  if (value == NULL)
    return;
  if (!g_atomic_int_dec_and_test (&value->ref_count))
    return;
  for (guint i = 0; i < value->n_children; i++)
    bfk_abi_value_unref (value->children[i]);
  g_free (value->children);
  g_free (value->data);
  g_free (value);
}

/* UINT and INT: one 256-bit word, read as signed or not. */
static BfkAbiValue *
value_new_word (BfkAbiValueKind kind,
                BfkU256         v)
{
  BfkAbiValue *value = value_new (kind);

  value->u256 = v;
  return value;
}

BfkAbiValue *
bfk_abi_value_new_u256 (BfkU256 v)
{
  return value_new_word (BFK_ABI_VALUE_UINT, v);
}

BfkAbiValue *
bfk_abi_value_new_uint64 (guint64 v)
{
  return bfk_abi_value_new_u256 (bfk_u256_from_u64 (v));
}

BfkAbiValue *
bfk_abi_value_new_int256 (BfkU256 v)
{
  return value_new_word (BFK_ABI_VALUE_INT, v);
}

BfkAbiValue *
bfk_abi_value_new_int64 (gint64 v)
{
  guint64 ext = v < 0 ? G_MAXUINT64 : 0;

  return bfk_abi_value_new_int256 ((BfkU256) { { (guint64) v, ext, ext, ext } });
}

BfkAbiValue *
bfk_abi_value_new_address (const BfkAddress *address)
{
  BfkAbiValue *value;

  g_return_val_if_fail (address != NULL, NULL);

  value = value_new (BFK_ABI_VALUE_ADDRESS);
  value->address = *address;
  return value;
}

BfkAbiValue *
bfk_abi_value_new_bool (gboolean v)
{
  BfkAbiValue *value = value_new (BFK_ABI_VALUE_BOOL);

  value->boolean = v != FALSE;
  return value;
}

/* Keeps a NUL after the bytes, so that a STRING reads as a C string. */
static BfkAbiValue *
value_new_data (BfkAbiValueKind  kind,
                const guint8    *data,
                gsize            len)
{
  BfkAbiValue *value = value_new (kind);

  value->data = g_malloc (len + 1);
  if (len > 0)
    memcpy (value->data, data, len);
  value->data[len] = 0;
  value->len = len;
  return value;
}

BfkAbiValue *
bfk_abi_value_new_fixed_bytes (const guint8 *data,
                               gsize         len)
{
  g_return_val_if_fail (len >= 1 && len <= 32, NULL);
  g_return_val_if_fail (data != NULL, NULL);

  return value_new_data (BFK_ABI_VALUE_FIXED_BYTES, data, len);
}

BfkAbiValue *
bfk_abi_value_new_bytes (const guint8 *data,
                         gsize         len)
{
  g_return_val_if_fail (data != NULL || len == 0, NULL);

  return value_new_data (BFK_ABI_VALUE_BYTES, data, len);
}

BfkAbiValue *
bfk_abi_value_new_string (const gchar *text)
{
  g_return_val_if_fail (text != NULL, NULL);

  return value_new_data (BFK_ABI_VALUE_STRING, (const guint8 *) text, strlen (text));
}

BfkAbiValue *
bfk_abi_value_new_string_len (const gchar *text,
                              gsize        len)
{
  g_return_val_if_fail (text != NULL || len == 0, NULL);

  return value_new_data (BFK_ABI_VALUE_STRING, (const guint8 *) text, len);
}

static BfkAbiValue *
value_new_parent (BfkAbiValueKind   kind,
                  BfkAbiValue     **children,
                  guint             n_children)
{
  BfkAbiValue *value = value_new (kind);

  value->children = g_new0 (BfkAbiValue *, MAX (n_children, 1));
  value->n_children = n_children;
  for (guint i = 0; i < n_children; i++)
    {
      g_return_val_if_fail (children[i] != NULL, value);
      value->children[i] = children[i];
    }
  return value;
}

BfkAbiValue *
bfk_abi_value_new_tuple (BfkAbiValue **children,
                         guint         n_children)
{
  g_return_val_if_fail (children != NULL || n_children == 0, NULL);

  return value_new_parent (BFK_ABI_VALUE_TUPLE, children, n_children);
}

BfkAbiValue *
bfk_abi_value_new_array (BfkAbiValue **children,
                         guint         n_children)
{
  g_return_val_if_fail (children != NULL || n_children == 0, NULL);

  return value_new_parent (BFK_ABI_VALUE_ARRAY, children, n_children);
}

static BfkAbiValue *
value_new_parent_va (BfkAbiValueKind  kind,
                     BfkAbiValue     *first,
                     va_list          args)
{
  g_autoptr(GPtrArray) children = g_ptr_array_new ();

  for (BfkAbiValue *v = first; v != NULL; v = va_arg (args, BfkAbiValue *))
    g_ptr_array_add (children, v);
  return value_new_parent (kind, (BfkAbiValue **) children->pdata, children->len);
}

BfkAbiValue *
bfk_abi_value_new_tuple_of (BfkAbiValue *first,
                            ...)
{
  BfkAbiValue *value;
  va_list args;

  va_start (args, first);
  value = value_new_parent_va (BFK_ABI_VALUE_TUPLE, first, args);
  va_end (args);
  return value;
}

BfkAbiValue *
bfk_abi_value_new_array_of (BfkAbiValue *first,
                            ...)
{
  BfkAbiValue *value;
  va_list args;

  va_start (args, first);
  value = value_new_parent_va (BFK_ABI_VALUE_ARRAY, first, args);
  va_end (args);
  return value;
}

/* --- accessors --- */

BfkAbiValueKind
bfk_abi_value_get_kind (const BfkAbiValue *value)
{
  g_return_val_if_fail (value != NULL, BFK_ABI_VALUE_TUPLE);
  return value->kind;
}

BfkU256
bfk_abi_value_get_u256 (const BfkAbiValue *value)
{
  g_return_val_if_fail (value != NULL, BFK_U256_ZERO);
  g_return_val_if_fail (value->kind == BFK_ABI_VALUE_UINT ||
                        value->kind == BFK_ABI_VALUE_INT, BFK_U256_ZERO);
  return value->u256;
}

guint64
bfk_abi_value_get_uint64 (const BfkAbiValue *value)
{
  g_return_val_if_fail (value != NULL, 0);
  g_return_val_if_fail (value->kind == BFK_ABI_VALUE_UINT, 0);
  return bfk_u256_to_u64 (value->u256);
}

static gboolean
is_negative (BfkU256 v)
{
  return (v.limb[3] >> 63) != 0;
}

gint64
bfk_abi_value_get_int64 (const BfkAbiValue *value)
{
  const BfkU256 *v;

  g_return_val_if_fail (value != NULL, 0);
  g_return_val_if_fail (value->kind == BFK_ABI_VALUE_INT ||
                        value->kind == BFK_ABI_VALUE_UINT, 0);

  v = &value->u256;
  if (value->kind == BFK_ABI_VALUE_INT && is_negative (*v))
    {
      if (v->limb[1] == G_MAXUINT64 && v->limb[2] == G_MAXUINT64 &&
          v->limb[3] == G_MAXUINT64 && (v->limb[0] >> 63) != 0)
        return (gint64) v->limb[0];
      return G_MININT64;
    }
  if (v->limb[1] == 0 && v->limb[2] == 0 && v->limb[3] == 0 &&
      v->limb[0] <= (guint64) G_MAXINT64)
    return (gint64) v->limb[0];
  return G_MAXINT64;
}

const BfkAddress *
bfk_abi_value_get_address (const BfkAbiValue *value)
{
  g_return_val_if_fail (value != NULL, NULL);
  g_return_val_if_fail (value->kind == BFK_ABI_VALUE_ADDRESS, NULL);
  return &value->address;
}

gboolean
bfk_abi_value_get_bool (const BfkAbiValue *value)
{
  g_return_val_if_fail (value != NULL, FALSE);
  g_return_val_if_fail (value->kind == BFK_ABI_VALUE_BOOL, FALSE);
  return value->boolean;
}

const gchar *
bfk_abi_value_get_string (const BfkAbiValue *value)
{
  g_return_val_if_fail (value != NULL, NULL);
  g_return_val_if_fail (value->kind == BFK_ABI_VALUE_STRING, NULL);
  return (const gchar *) value->data;
}

const guint8 *
bfk_abi_value_get_bytes (const BfkAbiValue *value,
                         gsize             *len)
{
  g_return_val_if_fail (value != NULL, NULL);
  g_return_val_if_fail (value->kind == BFK_ABI_VALUE_BYTES ||
                        value->kind == BFK_ABI_VALUE_STRING ||
                        value->kind == BFK_ABI_VALUE_FIXED_BYTES, NULL);
  if (len != NULL)
    *len = value->len;
  return value->data;
}

GBytes *
bfk_abi_value_dup_bytes (const BfkAbiValue *value)
{
  const guint8 *data;
  gsize len;

  data = bfk_abi_value_get_bytes (value, &len);
  if (data == NULL)
    return NULL;
  return g_bytes_new (data, len);
}

guint
bfk_abi_value_n_children (const BfkAbiValue *value)
{
  g_return_val_if_fail (value != NULL, 0);
  return value->n_children;
}

BfkAbiValue *
bfk_abi_value_get_child (const BfkAbiValue *value,
                         guint              i)
{
  g_return_val_if_fail (value != NULL, NULL);
  g_return_val_if_fail (i < value->n_children, NULL);
  return value->children[i];
}

gboolean
bfk_abi_value_equal (const BfkAbiValue *a,
                     const BfkAbiValue *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  if (a->kind != b->kind)
    return FALSE;
  switch (a->kind)
    {
    case BFK_ABI_VALUE_UINT:
    case BFK_ABI_VALUE_INT:
      return bfk_u256_cmp (a->u256, b->u256) == 0;
    case BFK_ABI_VALUE_ADDRESS:
      return bfk_address_equal (&a->address, &b->address);
    case BFK_ABI_VALUE_BOOL:
      return a->boolean == b->boolean;
    case BFK_ABI_VALUE_FIXED_BYTES:
    case BFK_ABI_VALUE_BYTES:
    case BFK_ABI_VALUE_STRING:
      return a->len == b->len && memcmp (a->data, b->data, a->len) == 0;
    case BFK_ABI_VALUE_ARRAY:
    case BFK_ABI_VALUE_TUPLE:
      if (a->n_children != b->n_children)
        return FALSE;
      for (guint i = 0; i < a->n_children; i++)
        if (!bfk_abi_value_equal (a->children[i], b->children[i]))
          return FALSE;
      return TRUE;
    default:
      return FALSE;
    }
}

/* --- for a person --- */

/* Quotes a string for a log line: valid UTF-8 stays as it is (names are
 * French), control characters and quotes are escaped, and invalid bytes
 * become U+FFFD so that a hostile string cannot garble a terminal. */
static void
append_quoted (const guint8 *data,
               gsize         len,
               GString      *out)
{
  g_autofree gchar *valid = g_utf8_make_valid ((const gchar *) data, (gssize) len);

  g_string_append_c (out, '"');
  /* g_utf8_make_valid also turns NUL bytes into U+FFFD, so the copy ends at
   * its own NUL. */
  for (const gchar *p = valid; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      switch (c)
        {
        case '"':  g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          if (c < 0x20 || c == 0x7f)
            g_string_append_printf (out, "\\x%02x", c);
          else
            g_string_append_c (out, (gchar) c);
        }
    }
  g_string_append_c (out, '"');
}

static void
append_hex (const guint8 *data,
            gsize         len,
            GString      *out)
{
  g_autofree gchar *hex = bfk_hex_encode (data, len);

  g_string_append (out, hex);
}

void
_bfk_abi_value_append (const BfkAbiValue *value,
                       GString           *out)
{
  switch (value->kind)
    {
    case BFK_ABI_VALUE_UINT:
      {
        g_autofree gchar *s = bfk_u256_to_decimal (value->u256);

        g_string_append (out, s);
      }
      break;
    case BFK_ABI_VALUE_INT:
      if (is_negative (value->u256))
        {
          BfkU256 neg;
          g_autofree gchar *s = NULL;

          /* Two's complement: -x = ~x + 1.  The most negative int256
           * negates to itself, which still prints right as unsigned. */
          for (guint i = 0; i < 4; i++)
            neg.limb[i] = ~value->u256.limb[i];
          for (guint i = 0; i < 4; i++)
            if (++neg.limb[i] != 0)
              break;
          s = bfk_u256_to_decimal (neg);
          g_string_append_c (out, '-');
          g_string_append (out, s);
        }
      else
        {
          g_autofree gchar *s = bfk_u256_to_decimal (value->u256);

          g_string_append (out, s);
        }
      break;
    case BFK_ABI_VALUE_ADDRESS:
      {
        gchar buf[BFK_ADDRESS_STRING_SIZE];

        bfk_address_to_string_buf (&value->address, buf);
        g_string_append (out, buf);
      }
      break;
    case BFK_ABI_VALUE_BOOL:
      g_string_append (out, value->boolean ? "true" : "false");
      break;
    case BFK_ABI_VALUE_FIXED_BYTES:
    case BFK_ABI_VALUE_BYTES:
      append_hex (value->data, value->len, out);
      break;
    case BFK_ABI_VALUE_STRING:
      append_quoted (value->data, value->len, out);
      break;
    case BFK_ABI_VALUE_ARRAY:
    case BFK_ABI_VALUE_TUPLE:
      g_string_append_c (out, value->kind == BFK_ABI_VALUE_ARRAY ? '[' : '(');
      for (guint i = 0; i < value->n_children; i++)
        {
          if (i > 0)
            g_string_append (out, ", ");
          _bfk_abi_value_append (value->children[i], out);
        }
      g_string_append_c (out, value->kind == BFK_ABI_VALUE_ARRAY ? ']' : ')');
      break;
    default:
      g_assert_not_reached ();
    }
}

gchar *
bfk_abi_value_to_string (const BfkAbiValue *value)
{
  GString *out;

  g_return_val_if_fail (value != NULL, NULL);

  out = g_string_new (NULL);
  _bfk_abi_value_append (value, out);
  return g_string_free (out, FALSE);
}
