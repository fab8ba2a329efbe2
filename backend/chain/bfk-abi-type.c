/* bfk-abi-type.c: ABI types, parsed from their canonical strings.
 *
 * Type strings come from our own code, from a contract's JSON and from
 * signatures a person types in the CLI, so the parser is strict and bounded:
 * depth, array lengths and static sizes are capped, which in turn bounds
 * what the decoder can be made to allocate.
 */
#include "bfk-abi-private.h"

#include "bfk-chain-error.h"

#include <string.h>

/* Caps the static size of one type, so that head offsets fit in a gsize with
 * room to spare and no fixed array can ask for absurd memory. */
#define MAX_STATIC_SIZE ((gsize) 1 << 30)

static BfkAbiType *
type_new (BfkAbiTypeKind kind)
{
  BfkAbiType *t = g_new0 (BfkAbiType, 1);

  t->ref_count = 1;
  t->kind = kind;
  t->head_size = 32;
  return t;
}

BfkAbiType *
bfk_abi_type_ref (BfkAbiType *type)
{
  g_return_val_if_fail (type != NULL, NULL);

  g_atomic_int_inc (&type->ref_count);
  return type;
}

void
bfk_abi_type_unref (BfkAbiType *type)
{
  if (type == NULL)
    return;
  if (!g_atomic_int_dec_and_test (&type->ref_count))
    return;
  g_clear_pointer (&type->element, bfk_abi_type_unref);
  for (guint i = 0; i < type->n_components; i++)
    bfk_abi_type_unref (type->components[i]);
  g_free (type->components);
  g_free (type);
}

BfkAbiType *
_bfk_abi_type_new_tuple (BfkAbiType * const *components,
                         guint               n_components)
{
  BfkAbiType *t = type_new (BFK_ABI_TYPE_TUPLE);
  gsize static_size = 0;

  t->components = g_new0 (BfkAbiType *, MAX (n_components, 1));
  t->n_components = n_components;
  for (guint i = 0; i < n_components; i++)
    {
      t->components[i] = bfk_abi_type_ref (components[i]);
      if (components[i]->dynamic)
        t->dynamic = TRUE;
      static_size += components[i]->head_size;
    }
  /* A tuple's static size is bounded because each component's is and the
   * parser bounds the count by the length of the text; saturate anyway. */
  t->head_size = t->dynamic ? 32 : MIN (static_size, G_MAXSIZE / 2);
  return t;
}

BfkAbiType *
_bfk_abi_type_child (const BfkAbiType *type,
                     guint             i)
{
  if (type->kind == BFK_ABI_TYPE_TUPLE)
    return i < type->n_components ? type->components[i] : NULL;
  return type->element;
}

/* --- parsing --- */

typedef struct
{
  const gchar *text;
  const gchar *p;
  GError     **error;
} Parser;

static BfkAbiType *
parse_fail (Parser      *ps,
            const gchar *why)
{
  g_set_error (ps->error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_INVALID_INPUT,
               "Invalid ABI type “%s” at position %u: %s",
               ps->text, (guint) (ps->p - ps->text), why);
  return NULL;
}

/* Reads a decimal number without a leading zero; FALSE if none or too big. */
static gboolean
parse_number (Parser *ps,
              gsize  *out)
{
  gsize v = 0;

  if (!g_ascii_isdigit (*ps->p))
    return FALSE;
  if (ps->p[0] == '0' && g_ascii_isdigit (ps->p[1]))
    return FALSE;
  while (g_ascii_isdigit (*ps->p))
    {
      guint d = (guint) (*ps->p - '0');

      if (v > (MAX_STATIC_SIZE - d) / 10)
        return FALSE;
      v = v * 10 + d;
      ps->p++;
    }
  *out = v;
  return TRUE;
}

static BfkAbiType *parse_type (Parser *ps,
                               guint   depth);

static BfkAbiType *
parse_elementary (Parser *ps)
{
  const gchar *start = ps->p;
  gsize name_len, n = 0;
  gboolean has_n;
  BfkAbiType *t;

  while (g_ascii_islower (*ps->p))
    ps->p++;
  name_len = (gsize) (ps->p - start);
  has_n = g_ascii_isdigit (*ps->p);
  if (has_n && !parse_number (ps, &n))
    return parse_fail (ps, "bad size");

#define IS(word) (name_len == strlen (word) && strncmp (start, word, name_len) == 0)
  if (IS ("uint") || IS ("int"))
    {
      if (!has_n)
        n = 256;
      if (n == 0 || n > 256 || n % 8 != 0)
        return parse_fail (ps, "integer sizes are 8 to 256 bits, in steps of 8");
      t = type_new (start[0] == 'u' ? BFK_ABI_TYPE_UINT : BFK_ABI_TYPE_INT);
      t->size = (guint) n;
      return t;
    }
  if (IS ("bytes"))
    {
      if (!has_n)
        {
          t = type_new (BFK_ABI_TYPE_BYTES);
          t->dynamic = TRUE;
          return t;
        }
      if (n == 0 || n > 32)
        return parse_fail (ps, "bytesN takes N from 1 to 32");
      t = type_new (BFK_ABI_TYPE_FIXED_BYTES);
      t->size = (guint) n;
      return t;
    }
  if (has_n)
    return parse_fail (ps, "unknown type");
  if (IS ("byte"))
    {
      t = type_new (BFK_ABI_TYPE_FIXED_BYTES);
      t->size = 1;
      return t;
    }
  if (IS ("address"))
    return type_new (BFK_ABI_TYPE_ADDRESS);
  if (IS ("bool"))
    return type_new (BFK_ABI_TYPE_BOOL);
  if (IS ("string"))
    {
      t = type_new (BFK_ABI_TYPE_STRING);
      t->dynamic = TRUE;
      return t;
    }
#undef IS
  ps->p = start;
  return parse_fail (ps, "unknown type");
}

static BfkAbiType *
parse_tuple (Parser *ps,
             guint   depth)
{
  g_autoptr(GPtrArray) comps = g_ptr_array_new_with_free_func ((GDestroyNotify) bfk_abi_type_unref);

  ps->p++;   /* '(' */
  if (*ps->p == ')')
    {
      /* The empty tuple takes no space; nested, it would let a short input
       * describe an endless array of nothing, so only the top may be empty. */
      if (depth > 0)
        return parse_fail (ps, "an empty tuple can only be the whole argument list");
      ps->p++;
      return _bfk_abi_type_new_tuple (NULL, 0);
    }
  for (;;)
    {
      BfkAbiType *c = parse_type (ps, depth + 1);

      if (c == NULL)
        return NULL;
      g_ptr_array_add (comps, c);
      if (*ps->p == ',')
        {
          ps->p++;
          continue;
        }
      if (*ps->p == ')')
        {
          ps->p++;
          break;
        }
      return parse_fail (ps, "expected “,” or “)”");
    }
  return _bfk_abi_type_new_tuple ((BfkAbiType * const *) comps->pdata, comps->len);
}

static BfkAbiType *
parse_type (Parser *ps,
            guint   depth)
{
  g_autoptr(BfkAbiType) t = NULL;

  if (depth > BFK_ABI_MAX_DEPTH)
    return parse_fail (ps, "nested too deeply");

  if (*ps->p == '(')
    t = parse_tuple (ps, depth);
  else
    t = parse_elementary (ps);
  if (t == NULL)
    return NULL;

  /* Array suffixes apply left to right: uint256[2][] is a dynamic array of
   * uint256[2]. */
  while (*ps->p == '[')
    {
      BfkAbiType *a;
      gsize k;

      if (++depth > BFK_ABI_MAX_DEPTH)
        return parse_fail (ps, "nested too deeply");
      if (t->kind == BFK_ABI_TYPE_TUPLE && t->n_components == 0)
        return parse_fail (ps, "no arrays of the empty tuple");
      ps->p++;
      if (*ps->p == ']')
        {
          ps->p++;
          a = type_new (BFK_ABI_TYPE_ARRAY);
          a->dynamic = TRUE;
          a->element = g_steal_pointer (&t);
          t = a;
          continue;
        }
      if (!parse_number (ps, &k) || k == 0)
        return parse_fail (ps, "bad array length");
      if (*ps->p != ']')
        return parse_fail (ps, "expected “]”");
      ps->p++;
      a = type_new (BFK_ABI_TYPE_FIXED_ARRAY);
      a->length = k;
      a->dynamic = t->dynamic;
      if (!a->dynamic)
        {
          if (t->head_size > MAX_STATIC_SIZE / k)
            {
              bfk_abi_type_unref (a);
              return parse_fail (ps, "fixed array too large");
            }
          a->head_size = t->head_size * k;
        }
      a->element = g_steal_pointer (&t);
      t = a;
    }

  if (!t->dynamic && t->head_size > MAX_STATIC_SIZE)
    return parse_fail (ps, "type too large");
  return g_steal_pointer (&t);
}

BfkAbiType *
bfk_abi_type_parse (const gchar  *text,
                    GError      **error)
{
  Parser ps = { text, text, error };
  g_autoptr(BfkAbiType) t = NULL;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  t = parse_type (&ps, 0);
  if (t == NULL)
    return NULL;
  if (*ps.p != '\0')
    return parse_fail (&ps, "unexpected text after the type");
  return g_steal_pointer (&t);
}

/* --- accessors --- */

BfkAbiTypeKind
bfk_abi_type_get_kind (const BfkAbiType *type)
{
  g_return_val_if_fail (type != NULL, BFK_ABI_TYPE_TUPLE);
  return type->kind;
}

guint
bfk_abi_type_get_size (const BfkAbiType *type)
{
  g_return_val_if_fail (type != NULL, 0);
  return type->size;
}

gsize
bfk_abi_type_get_length (const BfkAbiType *type)
{
  g_return_val_if_fail (type != NULL, 0);
  return type->length;
}

BfkAbiType *
bfk_abi_type_get_element (const BfkAbiType *type)
{
  g_return_val_if_fail (type != NULL, NULL);
  return type->element;
}

guint
bfk_abi_type_get_n_components (const BfkAbiType *type)
{
  g_return_val_if_fail (type != NULL, 0);
  return type->n_components;
}

BfkAbiType *
bfk_abi_type_get_component (const BfkAbiType *type,
                            guint             i)
{
  g_return_val_if_fail (type != NULL, NULL);
  g_return_val_if_fail (i < type->n_components, NULL);
  return type->components[i];
}

gboolean
bfk_abi_type_is_dynamic (const BfkAbiType *type)
{
  g_return_val_if_fail (type != NULL, FALSE);
  return type->dynamic;
}

static void
append_type (const BfkAbiType *t,
             GString          *out)
{
  switch (t->kind)
    {
    case BFK_ABI_TYPE_UINT:
      g_string_append_printf (out, "uint%u", t->size);
      break;
    case BFK_ABI_TYPE_INT:
      g_string_append_printf (out, "int%u", t->size);
      break;
    case BFK_ABI_TYPE_ADDRESS:
      g_string_append (out, "address");
      break;
    case BFK_ABI_TYPE_BOOL:
      g_string_append (out, "bool");
      break;
    case BFK_ABI_TYPE_FIXED_BYTES:
      g_string_append_printf (out, "bytes%u", t->size);
      break;
    case BFK_ABI_TYPE_BYTES:
      g_string_append (out, "bytes");
      break;
    case BFK_ABI_TYPE_STRING:
      g_string_append (out, "string");
      break;
    case BFK_ABI_TYPE_ARRAY:
      append_type (t->element, out);
      g_string_append (out, "[]");
      break;
    case BFK_ABI_TYPE_FIXED_ARRAY:
      append_type (t->element, out);
      g_string_append_printf (out, "[%" G_GSIZE_FORMAT "]", t->length);
      break;
    case BFK_ABI_TYPE_TUPLE:
      g_string_append_c (out, '(');
      for (guint i = 0; i < t->n_components; i++)
        {
          if (i > 0)
            g_string_append_c (out, ',');
          append_type (t->components[i], out);
        }
      g_string_append_c (out, ')');
      break;
    default:
      g_assert_not_reached ();
    }
}

gchar *
bfk_abi_type_to_string (const BfkAbiType *type)
{
  GString *out;

  g_return_val_if_fail (type != NULL, NULL);

  out = g_string_new (NULL);
  append_type (type, out);
  return g_string_free (out, FALSE);
}
