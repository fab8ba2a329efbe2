/* bfk-abi-private.h: what the files of the ABI codec share. */
#pragma once

#include "bfk-abi.h"

G_BEGIN_DECLS

/* Deep enough for any real contract; it bounds the recursion of the parser,
 * the encoder and the decoder. */
#define BFK_ABI_MAX_DEPTH 32

struct _BfkAbiType
{
  gint             ref_count;
  BfkAbiTypeKind   kind;
  guint            size;          /* bits of uintN/intN, bytes of bytesN */
  gsize            length;        /* k of T[k] */
  BfkAbiType      *element;       /* T of T[] and T[k] */
  BfkAbiType     **components;    /* of a tuple */
  guint            n_components;
  gboolean         dynamic;
  /* What the type takes in the head of its enclosing tuple: 32 for a dynamic
   * type, its whole encoding for a static one.  At least 32, except for the
   * empty top-level tuple. */
  gsize            head_size;
};

struct _BfkAbiValue
{
  gint              ref_count;
  BfkAbiValueKind   kind;
  BfkU256           u256;         /* UINT, INT */
  BfkAddress        address;      /* ADDRESS */
  gboolean          boolean;      /* BOOL */
  guint8           *data;         /* FIXED_BYTES, BYTES, STRING (+ a NUL) */
  gsize             len;
  BfkAbiValue     **children;     /* ARRAY, TUPLE */
  guint             n_children;
};

/* Takes a reference on each component; an empty tuple is allowed, as the
 * arguments of a function without any. */
BfkAbiType  *_bfk_abi_type_new_tuple     (BfkAbiType * const *components,
                                          guint               n_components);
/* The type of component i of a tuple, or the element of an array. */
BfkAbiType  *_bfk_abi_type_child         (const BfkAbiType   *type,
                                          guint               i);

/* Appends the value for a person, as bfk_abi_value_to_string. */
void         _bfk_abi_value_append       (const BfkAbiValue  *value,
                                          GString            *out);

G_END_DECLS
