/* bfk-abi-codec.c: the ABI encoding (head/tail, offsets) and its strict
 * decoder, selectors and event topics.
 *
 * The decoder reads what a node returned, so it trusts nothing: each offset
 * and length is compared with what is left before it is used, in gsize
 * arithmetic that cannot wrap, and the work it does is bounded by a budget
 * proportional to the input, because offsets may point many heads at the
 * same tail and multiply what a small input decodes to.
 */
#include "bfk-abi-private.h"

#include "bfk-chain-error.h"
#include "bfk-keccak.h"

#include <string.h>

#define WORD 32

void
bfk_abi_selector (const gchar *signature,
                  guint8       out[BFK_ABI_SELECTOR_SIZE])
{
  guint8 digest[BFK_KECCAK256_SIZE];

  g_return_if_fail (signature != NULL);

  bfk_keccak256 (signature, strlen (signature), digest);
  memcpy (out, digest, BFK_ABI_SELECTOR_SIZE);
}

void
bfk_abi_event_topic (const gchar *signature,
                     guint8       out[BFK_ABI_TOPIC_SIZE])
{
  g_return_if_fail (signature != NULL);

  bfk_keccak256 (signature, strlen (signature), out);
}

gboolean
bfk_abi_parse_signature (const gchar  *signature,
                         gchar       **name,
                         BfkAbiType  **args_type,
                         GError      **error)
{
  const gchar *paren;
  g_autoptr(BfkAbiType) t = NULL;

  g_return_val_if_fail (signature != NULL, FALSE);

  paren = strchr (signature, '(');
  if (paren == NULL || paren == signature)
    {
      g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_INVALID_INPUT,
                   "Invalid function signature “%s”: expected name(types)", signature);
      return FALSE;
    }
  for (const gchar *p = signature; p < paren; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '$')
      {
        g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_INVALID_INPUT,
                     "Invalid function signature “%s”: bad name", signature);
        return FALSE;
      }
  t = bfk_abi_type_parse (paren, error);
  if (t == NULL)
    return FALSE;
  if (t->kind != BFK_ABI_TYPE_TUPLE)
    {
      g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_INVALID_INPUT,
                   "Invalid function signature “%s”: the arguments are not a list", signature);
      return FALSE;
    }
  if (name != NULL)
    *name = g_strndup (signature, (gsize) (paren - signature));
  if (args_type != NULL)
    *args_type = g_steal_pointer (&t);
  return TRUE;
}

/* ---------------------------------------------------------------- encoding */

static gboolean
encode_fail (GError           **error,
             const BfkAbiType  *type,
             const gchar       *why)
{
  g_autofree gchar *name = bfk_abi_type_to_string (type);

  g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_INVALID_INPUT,
               "Cannot encode a value as %s: %s", name, why);
  return FALSE;
}

static void
append_word_u256 (GByteArray *out,
                  BfkU256     v)
{
  guint8 w[WORD];

  bfk_u256_to_be (v, w);
  g_byte_array_append (out, w, WORD);
}

static void
append_word_size (GByteArray *out,
                  gsize       v)
{
  append_word_u256 (out, bfk_u256_from_u64 (v));
}

/* Appends data and zeros up to the next multiple of 32. */
static void
append_padded (GByteArray   *out,
               const guint8 *data,
               gsize         len)
{
  static const guint8 zeros[WORD] = { 0 };

  if (len > 0)
    g_byte_array_append (out, data, (guint) len);
  if (len % WORD != 0)
    g_byte_array_append (out, zeros, (guint) (WORD - len % WORD));
}

/* TRUE if all bits at and above bit `from` are `bit`. */
static gboolean
high_bits_are (BfkU256 v,
               guint   from,
               guint   bit)
{
  guint64 fill = bit ? G_MAXUINT64 : 0;

  for (guint i = 0; i < 4; i++)
    {
      guint lo = i * 64;

      if (from >= lo + 64)
        continue;
      if (from <= lo)
        {
          if (v.limb[i] != fill)
            return FALSE;
        }
      else
        {
          guint64 mask = G_MAXUINT64 << (from - lo);

          if ((v.limb[i] & mask) != (fill & mask))
            return FALSE;
        }
    }
  return TRUE;
}

static guint
bit_at (BfkU256 v,
        guint   i)
{
  return (guint) ((v.limb[i / 64] >> (i % 64)) & 1);
}

/* Whether v, taken as uintN (signed = FALSE) or intN in two's complement,
 * is in range: the bits above the type's are zero, or copies of its sign. */
static gboolean
fits (BfkU256  v,
      guint    bits,
      gboolean is_signed)
{
  if (!is_signed)
    return bits >= 256 || high_bits_are (v, bits, 0);
  return high_bits_are (v, bits - 1, bit_at (v, bits - 1));
}

static gboolean encode_value (const BfkAbiType  *type,
                              const BfkAbiValue *value,
                              GByteArray        *out,
                              GError           **error);

/* The encoding of a tuple, or of the elements of an array: the heads of all
 * the items, then the tails of the dynamic ones, each head of a dynamic item
 * holding the offset of its tail from the start of this sequence. */
static gboolean
encode_sequence (const BfkAbiType   *type,
                 BfkAbiValue *const *values,
                 guint               n,
                 GByteArray         *out,
                 GError            **error)
{
  g_autoptr(GByteArray) head = g_byte_array_new ();
  g_autoptr(GByteArray) tail = g_byte_array_new ();
  gsize head_len = 0;

  for (guint i = 0; i < n; i++)
    head_len += _bfk_abi_type_child (type, i)->head_size;

  for (guint i = 0; i < n; i++)
    {
      const BfkAbiType *t = _bfk_abi_type_child (type, i);

      if (t->dynamic)
        {
          append_word_size (head, head_len + tail->len);
          if (!encode_value (t, values[i], tail, error))
            return FALSE;
        }
      else if (!encode_value (t, values[i], head, error))
        return FALSE;
    }
  g_byte_array_append (out, head->data, head->len);
  g_byte_array_append (out, tail->data, tail->len);
  return TRUE;
}

static gboolean
encode_value (const BfkAbiType  *type,
              const BfkAbiValue *value,
              GByteArray        *out,
              GError           **error)
{
  guint8 w[WORD] = { 0 };

  if (value == NULL)
    return encode_fail (error, type, "no value");

  switch (type->kind)
    {
    case BFK_ABI_TYPE_UINT:
    case BFK_ABI_TYPE_INT:
      {
        gboolean is_signed = type->kind == BFK_ABI_TYPE_INT;

        if (value->kind != BFK_ABI_VALUE_UINT && value->kind != BFK_ABI_VALUE_INT)
          return encode_fail (error, type, "not a number");
        /* An unsigned value for an intN must be below 2^(N-1); a signed
         * value for a uintN must not be negative. */
        if (value->kind == BFK_ABI_VALUE_UINT && is_signed &&
            !high_bits_are (value->u256, type->size - 1, 0))
          return encode_fail (error, type, "out of range");
        if (value->kind == BFK_ABI_VALUE_INT && !is_signed &&
            bit_at (value->u256, 255))
          return encode_fail (error, type, "negative");
        if (!fits (value->u256, type->size, is_signed && value->kind == BFK_ABI_VALUE_INT))
          return encode_fail (error, type, "out of range");
        append_word_u256 (out, value->u256);
        return TRUE;
      }

    case BFK_ABI_TYPE_ADDRESS:
      if (value->kind != BFK_ABI_VALUE_ADDRESS)
        return encode_fail (error, type, "not an address");
      memcpy (w + WORD - BFK_ADDRESS_SIZE, value->address.bytes, BFK_ADDRESS_SIZE);
      g_byte_array_append (out, w, WORD);
      return TRUE;

    case BFK_ABI_TYPE_BOOL:
      if (value->kind != BFK_ABI_VALUE_BOOL)
        return encode_fail (error, type, "not a boolean");
      w[WORD - 1] = value->boolean ? 1 : 0;
      g_byte_array_append (out, w, WORD);
      return TRUE;

    case BFK_ABI_TYPE_FIXED_BYTES:
      if (value->kind != BFK_ABI_VALUE_FIXED_BYTES && value->kind != BFK_ABI_VALUE_BYTES)
        return encode_fail (error, type, "not bytes");
      if (value->len != type->size)
        return encode_fail (error, type, "wrong number of bytes");
      append_padded (out, value->data, value->len);
      return TRUE;

    case BFK_ABI_TYPE_BYTES:
    case BFK_ABI_TYPE_STRING:
      if (value->kind != BFK_ABI_VALUE_BYTES && value->kind != BFK_ABI_VALUE_STRING)
        return encode_fail (error, type, "not bytes or a string");
      if (value->len > G_MAXUINT32)
        return encode_fail (error, type, "too long");
      append_word_size (out, value->len);
      append_padded (out, value->data, value->len);
      return TRUE;

    case BFK_ABI_TYPE_ARRAY:
      if (value->kind != BFK_ABI_VALUE_ARRAY)
        return encode_fail (error, type, "not an array");
      append_word_size (out, value->n_children);
      return encode_sequence (type, value->children, value->n_children, out, error);

    case BFK_ABI_TYPE_FIXED_ARRAY:
      if (value->kind != BFK_ABI_VALUE_ARRAY)
        return encode_fail (error, type, "not an array");
      if (value->n_children != type->length)
        return encode_fail (error, type, "wrong number of elements");
      return encode_sequence (type, value->children, value->n_children, out, error);

    case BFK_ABI_TYPE_TUPLE:
      if (value->kind != BFK_ABI_VALUE_TUPLE)
        return encode_fail (error, type, "not a tuple");
      if (value->n_children != type->n_components)
        return encode_fail (error, type, "wrong number of values");
      return encode_sequence (type, value->children, value->n_children, out, error);

    default:
      return encode_fail (error, type, "unknown type");
    }
}

gboolean
bfk_abi_encode_append (const BfkAbiType  *type,
                       const BfkAbiValue *value,
                       GByteArray        *out,
                       GError           **error)
{
  guint start;

  g_return_val_if_fail (type != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  start = out->len;
  if (!encode_value (type, value, out, error))
    {
      g_byte_array_set_size (out, start);
      return FALSE;
    }
  return TRUE;
}

GBytes *
bfk_abi_encode (const BfkAbiType  *type,
                const BfkAbiValue *value,
                GError           **error)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();

  if (!bfk_abi_encode_append (type, value, out, error))
    return NULL;
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

GBytes *
bfk_abi_encode_call (const gchar       *signature,
                     const BfkAbiValue *args,
                     GError           **error)
{
  g_autoptr(BfkAbiType) args_type = NULL;
  g_autoptr(BfkAbiValue) empty = NULL;
  g_autoptr(GByteArray) out = NULL;
  guint8 selector[BFK_ABI_SELECTOR_SIZE];

  g_return_val_if_fail (signature != NULL, NULL);

  if (!bfk_abi_parse_signature (signature, NULL, &args_type, error))
    return NULL;
  if (args == NULL)
    args = empty = bfk_abi_value_new_tuple (NULL, 0);

  /* Hash the canonical form, so that "f(uint)" calls f(uint256). */
  {
    g_autofree gchar *types = bfk_abi_type_to_string (args_type);
    g_autofree gchar *canonical = g_strdup_printf ("%.*s%s",
                                                   (int) (strchr (signature, '(') - signature),
                                                   signature, types);

    bfk_abi_selector (canonical, selector);
  }
  out = g_byte_array_new ();
  g_byte_array_append (out, selector, sizeof selector);
  if (!bfk_abi_encode_append (args_type, args, out, error))
    return NULL;
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/* ---------------------------------------------------------------- decoding */

typedef struct
{
  const guint8 *data;
  gsize         len;
  /* Words the decoder may still produce; see the comment at the top. */
  gsize         budget;
  GError      **error;
} Decoder;

static BfkAbiValue *
decode_fail (Decoder     *d,
             const gchar *why)
{
  g_set_error (d->error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_DECODE,
               "Invalid ABI data: %s", why);
  return NULL;
}

static gboolean
charge (Decoder *d,
        gsize    words)
{
  if (words > d->budget)
    {
      decode_fail (d, "more values than the data can hold");
      return FALSE;
    }
  d->budget -= words;
  return TRUE;
}

/* The word at pos, if the data holds it. */
static const guint8 *
word_at (Decoder *d,
         gsize    pos)
{
  if (pos > d->len || d->len - pos < WORD)
    {
      decode_fail (d, "data too short");
      return NULL;
    }
  return d->data + pos;
}

/* Reads a length or an offset: a uint256 that must fit what is left. */
static gboolean
read_size (Decoder *d,
           gsize    pos,
           gsize    limit,
           gsize   *out,
           const gchar *what)
{
  const guint8 *w = word_at (d, pos);
  BfkU256 v;

  if (w == NULL)
    return FALSE;
  v = bfk_u256_from_be (w, WORD);
  if (!bfk_u256_fits_u64 (v) || bfk_u256_to_u64 (v) > limit)
    {
      decode_fail (d, what);
      return FALSE;
    }
  *out = (gsize) bfk_u256_to_u64 (v);
  return TRUE;
}

static BfkAbiValue *decode_value (Decoder          *d,
                                  const BfkAbiType *type,
                                  gsize             pos);

/* n items of a tuple or an array whose encoding starts at base. */
static BfkAbiValue *
decode_sequence (Decoder          *d,
                 const BfkAbiType *type,
                 gsize             base,
                 gsize             n,
                 BfkAbiValueKind   kind)
{
  g_autoptr(GPtrArray) children = NULL;
  gsize head_pos = base;

  if (base > d->len)
    return decode_fail (d, "offset past the end");
  /* Every item's head is at least a word, and must be in the data: checked
   * before anything is allocated for a length that came from the data. */
  if (n > 0)
    {
      gsize min_head = _bfk_abi_type_child (type, 0)->head_size;

      if (type->kind == BFK_ABI_TYPE_TUPLE)
        min_head = WORD;
      if (n > (d->len - base) / MAX (min_head, WORD))
        return decode_fail (d, "more items than the data can hold");
    }

  children = g_ptr_array_new_full ((guint) n, (GDestroyNotify) bfk_abi_value_unref);
  for (gsize i = 0; i < n; i++)
    {
      const BfkAbiType *t = _bfk_abi_type_child (type, (guint) i);
      BfkAbiValue *child;

      if (t->dynamic)
        {
          gsize off;

          if (!read_size (d, head_pos, d->len - base, &off, "offset past the end"))
            return NULL;
          child = decode_value (d, t, base + off);
        }
      else
        child = decode_value (d, t, head_pos);
      if (child == NULL)
        return NULL;
      g_ptr_array_add (children, child);
      head_pos += t->head_size;
    }

  {
    BfkAbiValue *v = g_new0 (BfkAbiValue, 1);

    v->ref_count = 1;
    v->kind = kind;
    v->n_children = children->len;
    g_ptr_array_set_free_func (children, NULL);
    g_ptr_array_add (children, NULL);
    v->children = (BfkAbiValue **) g_ptr_array_free (g_steal_pointer (&children), FALSE);
    return v;
  }
}

static BfkAbiValue *
decode_value (Decoder          *d,
              const BfkAbiType *type,
              gsize             pos)
{
  const guint8 *w;
  BfkU256 v;

  switch (type->kind)
    {
    case BFK_ABI_TYPE_UINT:
    case BFK_ABI_TYPE_INT:
      if (!charge (d, 1) || (w = word_at (d, pos)) == NULL)
        return NULL;
      v = bfk_u256_from_be (w, WORD);
      if (type->kind == BFK_ABI_TYPE_UINT)
        {
          if (!fits (v, type->size, FALSE))
            return decode_fail (d, "integer out of its type's range");
          return bfk_abi_value_new_u256 (v);
        }
      if (!fits (v, type->size, TRUE))
        return decode_fail (d, "integer not sign-extended");
      return bfk_abi_value_new_int256 (v);

    case BFK_ABI_TYPE_ADDRESS:
      if (!charge (d, 1) || (w = word_at (d, pos)) == NULL)
        return NULL;
      for (guint i = 0; i < WORD - BFK_ADDRESS_SIZE; i++)
        if (w[i] != 0)
          return decode_fail (d, "address with dirty high bytes");
      {
        BfkAddress a;

        memcpy (a.bytes, w + WORD - BFK_ADDRESS_SIZE, BFK_ADDRESS_SIZE);
        return bfk_abi_value_new_address (&a);
      }

    case BFK_ABI_TYPE_BOOL:
      if (!charge (d, 1) || (w = word_at (d, pos)) == NULL)
        return NULL;
      for (guint i = 0; i < WORD - 1; i++)
        if (w[i] != 0)
          return decode_fail (d, "boolean other than 0 or 1");
      if (w[WORD - 1] > 1)
        return decode_fail (d, "boolean other than 0 or 1");
      return bfk_abi_value_new_bool (w[WORD - 1]);

    case BFK_ABI_TYPE_FIXED_BYTES:
      if (!charge (d, 1) || (w = word_at (d, pos)) == NULL)
        return NULL;
      for (guint i = type->size; i < WORD; i++)
        if (w[i] != 0)
          return decode_fail (d, "fixed bytes with dirty padding");
      return bfk_abi_value_new_fixed_bytes (w, type->size);

    case BFK_ABI_TYPE_BYTES:
    case BFK_ABI_TYPE_STRING:
      {
        gsize n;
        BfkAbiValue *value;

        if (pos > d->len)
          return decode_fail (d, "offset past the end");
        if (!read_size (d, pos, d->len - pos, &n, "length past the end"))
          return NULL;
        /* The padding after the bytes is not required: Solidity's own
         * decoder does not require it either. */
        if (n > d->len - pos - WORD)
          return decode_fail (d, "length past the end");
        if (!charge (d, 1 + n / WORD + (n % WORD != 0)))
          return NULL;
        value = bfk_abi_value_new_bytes (d->data + pos + WORD, n);
        if (type->kind == BFK_ABI_TYPE_STRING)
          value->kind = BFK_ABI_VALUE_STRING;
        return value;
      }

    case BFK_ABI_TYPE_ARRAY:
      {
        gsize n;

        if (!charge (d, 1))
          return NULL;
        if (pos > d->len)
          return decode_fail (d, "offset past the end");
        if (!read_size (d, pos, d->len - pos, &n, "array length past the end"))
          return NULL;
        /* Each element is charged at least one word below; refuse early a
         * count the budget cannot pay for. */
        if (n > d->budget)
          return decode_fail (d, "more values than the data can hold");
        return decode_sequence (d, type, pos + WORD, n, BFK_ABI_VALUE_ARRAY);
      }

    case BFK_ABI_TYPE_FIXED_ARRAY:
      return decode_sequence (d, type, pos, type->length, BFK_ABI_VALUE_ARRAY);

    case BFK_ABI_TYPE_TUPLE:
      return decode_sequence (d, type, pos, type->n_components, BFK_ABI_VALUE_TUPLE);

    default:
      return decode_fail (d, "unknown type");
    }
}

BfkAbiValue *
bfk_abi_decode (const BfkAbiType  *type,
                const guint8      *data,
                gsize              len,
                GError           **error)
{
  Decoder d;

  g_return_val_if_fail (type != NULL, NULL);
  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  d.data = data != NULL ? data : (const guint8 *) "";
  d.len = len;
  /* A canonical encoding spends at least a word per value it holds; twice
   * that leaves room for encoders that share nothing but pad oddly. */
  d.budget = 2 * (len / WORD) + 8;
  d.error = error;
  return decode_value (&d, type, 0);
}
