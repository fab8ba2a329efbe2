/* bfk-abi.h: the Solidity contract ABI: types, values, the codec, and a
 * contract's ABI read from its JSON.
 *
 * Types are parsed from their canonical strings ("uint256", "bytes3[2]",
 * "(address,uint256)[]") and are immutable and refcounted.  Values are
 * refcounted trees tagged with a kind; a tuple or array owns its children.
 * The decoders take data from the node, so they never trust it: every offset
 * and length is bounds-checked, and bad data is a BFK_CHAIN_ERROR_DECODE
 * error, never an assertion.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "bfk-address.h"
#include "bfk-u256.h"

G_BEGIN_DECLS

/* ------------------------------------------------------------------ types */

typedef enum
{
  BFK_ABI_TYPE_UINT,          /* uintN, N = 8, 16 ... 256 */
  BFK_ABI_TYPE_INT,           /* intN, two's complement */
  BFK_ABI_TYPE_ADDRESS,
  BFK_ABI_TYPE_BOOL,
  BFK_ABI_TYPE_FIXED_BYTES,   /* bytesN, N = 1 ... 32 */
  BFK_ABI_TYPE_BYTES,
  BFK_ABI_TYPE_STRING,
  BFK_ABI_TYPE_ARRAY,         /* T[] */
  BFK_ABI_TYPE_FIXED_ARRAY,   /* T[k], k > 0 */
  BFK_ABI_TYPE_TUPLE,         /* (T1,T2,...); "()" only at the top */
} BfkAbiTypeKind;

typedef struct _BfkAbiType BfkAbiType;

/* Accepts the canonical forms, and the aliases "uint", "int" (256 bits),
 * "byte" (bytes1); whitespace is not allowed. */
BfkAbiType     *bfk_abi_type_parse              (const gchar       *text,
                                                 GError           **error);
BfkAbiType     *bfk_abi_type_ref                (BfkAbiType        *type);
void            bfk_abi_type_unref              (BfkAbiType        *type);
BfkAbiTypeKind  bfk_abi_type_get_kind           (const BfkAbiType  *type);
/* Bits of uintN/intN, bytes of bytesN, 0 otherwise. */
guint           bfk_abi_type_get_size           (const BfkAbiType  *type);
/* k of T[k], 0 otherwise. */
gsize           bfk_abi_type_get_length         (const BfkAbiType  *type);
/* T of T[] and T[k], NULL otherwise. */
BfkAbiType     *bfk_abi_type_get_element        (const BfkAbiType  *type);
guint           bfk_abi_type_get_n_components   (const BfkAbiType  *type);
BfkAbiType     *bfk_abi_type_get_component      (const BfkAbiType  *type,
                                                 guint              i);
/* bytes, string, T[], and arrays and tuples that hold one of those. */
gboolean        bfk_abi_type_is_dynamic         (const BfkAbiType  *type);
/* The canonical string, as it enters a signature: "(uint256,bytes)[]". */
gchar          *bfk_abi_type_to_string          (const BfkAbiType  *type);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BfkAbiType, bfk_abi_type_unref)

/* ----------------------------------------------------------------- values */

typedef enum
{
  BFK_ABI_VALUE_UINT,         /* a BfkU256 */
  BFK_ABI_VALUE_INT,          /* a BfkU256 in two's complement */
  BFK_ABI_VALUE_ADDRESS,
  BFK_ABI_VALUE_BOOL,
  BFK_ABI_VALUE_FIXED_BYTES,  /* 1 to 32 bytes */
  BFK_ABI_VALUE_BYTES,
  BFK_ABI_VALUE_STRING,       /* bytes, not checked for UTF-8 */
  BFK_ABI_VALUE_ARRAY,        /* for T[] and T[k] */
  BFK_ABI_VALUE_TUPLE,
} BfkAbiValueKind;

typedef struct _BfkAbiValue BfkAbiValue;

BfkAbiValue     *bfk_abi_value_new_uint64       (guint64            v);
BfkAbiValue     *bfk_abi_value_new_u256         (BfkU256            v);
BfkAbiValue     *bfk_abi_value_new_int64        (gint64             v);
/* v is the 256-bit two's complement of the number. */
BfkAbiValue     *bfk_abi_value_new_int256       (BfkU256            v);
BfkAbiValue     *bfk_abi_value_new_address      (const BfkAddress  *address);
BfkAbiValue     *bfk_abi_value_new_bool         (gboolean           v);
/* len is 1 to 32; it must equal the N of the bytesN it is encoded as. */
BfkAbiValue     *bfk_abi_value_new_fixed_bytes  (const guint8      *data,
                                                 gsize              len);
BfkAbiValue     *bfk_abi_value_new_bytes        (const guint8      *data,
                                                 gsize              len);
BfkAbiValue     *bfk_abi_value_new_string       (const gchar       *text);
BfkAbiValue     *bfk_abi_value_new_string_len   (const gchar       *text,
                                                 gsize              len);
/* Both take ownership of each child (not of the C array itself). */
BfkAbiValue     *bfk_abi_value_new_tuple        (BfkAbiValue      **children,
                                                 guint              n_children);
BfkAbiValue     *bfk_abi_value_new_array        (BfkAbiValue      **children,
                                                 guint              n_children);
/* Same, from a NULL-terminated argument list whose values are taken:
 *   bfk_abi_value_new_tuple_of (bfk_abi_value_new_address (&member),
 *                               bfk_abi_value_new_uint64 (community), NULL); */
BfkAbiValue     *bfk_abi_value_new_tuple_of     (BfkAbiValue       *first,
                                                 ...) G_GNUC_NULL_TERMINATED;
BfkAbiValue     *bfk_abi_value_new_array_of     (BfkAbiValue       *first,
                                                 ...) G_GNUC_NULL_TERMINATED;

BfkAbiValue     *bfk_abi_value_ref              (BfkAbiValue       *value);
void             bfk_abi_value_unref            (BfkAbiValue       *value);

BfkAbiValueKind  bfk_abi_value_get_kind         (const BfkAbiValue *value);
/* UINT or INT (two's complement). */
BfkU256          bfk_abi_value_get_u256         (const BfkAbiValue *value);
/* UINT, saturating at G_MAXUINT64. */
guint64          bfk_abi_value_get_uint64       (const BfkAbiValue *value);
/* INT or UINT, saturating at G_MININT64/G_MAXINT64. */
gint64           bfk_abi_value_get_int64        (const BfkAbiValue *value);
const BfkAddress *bfk_abi_value_get_address     (const BfkAbiValue *value);
gboolean         bfk_abi_value_get_bool         (const BfkAbiValue *value);
/* STRING; always NUL-terminated (the text may hold NULs of its own). */
const gchar     *bfk_abi_value_get_string       (const BfkAbiValue *value);
/* BYTES, STRING or FIXED_BYTES. */
const guint8    *bfk_abi_value_get_bytes        (const BfkAbiValue *value,
                                                 gsize             *len);
GBytes          *bfk_abi_value_dup_bytes        (const BfkAbiValue *value);
/* ARRAY or TUPLE; 0 for the other kinds. */
guint            bfk_abi_value_n_children       (const BfkAbiValue *value);
BfkAbiValue     *bfk_abi_value_get_child        (const BfkAbiValue *value,
                                                 guint              i);
gboolean         bfk_abi_value_equal            (const BfkAbiValue *a,
                                                 const BfkAbiValue *b);
/* For logs and the CLI: numbers in decimal (signed for INT), addresses in
 * EIP-55 form, bytes in 0x hex, strings quoted and escaped, arrays as
 * [a, b], tuples as (a, b). */
gchar           *bfk_abi_value_to_string        (const BfkAbiValue *value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BfkAbiValue, bfk_abi_value_unref)

/* ------------------------------------------------------------------ codec */

#define BFK_ABI_SELECTOR_SIZE 4
#define BFK_ABI_TOPIC_SIZE    32

/* The first 4 bytes of Keccak-256 of the canonical signature
 * "transfer(address,uint256)", hashed as given. */
void          bfk_abi_selector            (const gchar       *signature,
                                           guint8             out[BFK_ABI_SELECTOR_SIZE]);
/* Keccak-256 of the canonical event signature: topic 0 of its logs. */
void          bfk_abi_event_topic         (const gchar       *signature,
                                           guint8             out[BFK_ABI_TOPIC_SIZE]);

/* Splits "name(T1,T2)" into the name and the tuple type of its arguments. */
gboolean      bfk_abi_parse_signature     (const gchar       *signature,
                                           gchar            **name,
                                           BfkAbiType       **args_type,
                                           GError           **error);

/* enc(value) of the specification.  Call arguments and return data are the
 * encoding of a tuple, so type is normally a tuple type; a value that does
 * not fit the type (wrong kind, out of range, wrong count) is
 * BFK_CHAIN_ERROR_INVALID_INPUT. */
GBytes       *bfk_abi_encode              (const BfkAbiType  *type,
                                           const BfkAbiValue *value,
                                           GError           **error);
/* Same, appended to out. */
gboolean      bfk_abi_encode_append       (const BfkAbiType  *type,
                                           const BfkAbiValue *value,
                                           GByteArray        *out,
                                           GError           **error);
/* Selector + encoded arguments.  signature is "registerMember(address,uint256)";
 * args is a tuple value (an empty tuple, or NULL, for no arguments). */
GBytes       *bfk_abi_encode_call         (const gchar       *signature,
                                           const BfkAbiValue *args,
                                           GError           **error);
/* The inverse of bfk_abi_encode.  Data after the encoding is ignored, as
 * the EVM's own decoders do; values out of their type's range (dirty high
 * bits, a bool other than 0 or 1) are rejected. */
BfkAbiValue  *bfk_abi_decode              (const BfkAbiType  *type,
                                           const guint8      *data,
                                           gsize              len,
                                           GError           **error);

/* --------------------------------------------------------- a contract ABI */

typedef struct
{
  gchar      *name;       /* "" when the ABI leaves it unnamed */
  BfkAbiType *type;
  gboolean    indexed;    /* event inputs only */
} BfkAbiParam;

typedef struct
{
  gchar        *name;
  gchar        *signature;          /* "registerMember(address,uint256)" */
  guint8        selector[BFK_ABI_SELECTOR_SIZE];
  BfkAbiType   *input_type;         /* the tuple of the inputs */
  BfkAbiType   *output_type;        /* the tuple of the outputs */
  guint         n_inputs;
  BfkAbiParam  *inputs;
  guint         n_outputs;
  BfkAbiParam  *outputs;
  gchar        *state_mutability;   /* "pure", "view", "nonpayable", "payable" */
} BfkAbiFunction;

typedef struct
{
  gchar        *name;
  gchar        *signature;          /* "MemberRegistered(address,uint256,uint256)" */
  guint8        topic[BFK_ABI_TOPIC_SIZE];
  gboolean      anonymous;
  BfkAbiType   *input_type;         /* the tuple of all inputs, in declaration order */
  guint         n_inputs;
  BfkAbiParam  *inputs;
} BfkAbiEvent;

typedef struct
{
  gchar        *name;
  gchar        *signature;          /* "CrossCommunity(uint256,uint256)" */
  guint8        selector[BFK_ABI_SELECTOR_SIZE];
  BfkAbiType   *input_type;
  guint         n_inputs;
  BfkAbiParam  *inputs;
} BfkAbiError;

typedef struct _BfkAbi BfkAbi;

/* node is the ABI array, or an object with an "abi" member (a Foundry or
 * solc artifact).  Entries of unknown kinds are skipped. */
BfkAbi               *bfk_abi_new_from_json           (JsonNode      *node,
                                                       GError       **error);
/* Same, from JSON text (the ABI array or the whole artifact). */
BfkAbi               *bfk_abi_new_from_data           (const gchar   *json,
                                                       gssize         len,
                                                       GError       **error);
BfkAbi               *bfk_abi_ref                     (BfkAbi        *abi);
void                  bfk_abi_unref                   (BfkAbi        *abi);

/* The returned entries live as long as the BfkAbi.  With overloads, the
 * lookup by name returns the first one declared. */
const BfkAbiFunction *bfk_abi_get_function            (const BfkAbi  *abi,
                                                       const gchar   *name);
const BfkAbiFunction *bfk_abi_get_function_by_selector (const BfkAbi *abi,
                                                       const guint8   selector[BFK_ABI_SELECTOR_SIZE]);
const BfkAbiEvent    *bfk_abi_get_event               (const BfkAbi  *abi,
                                                       const gchar   *name);
const BfkAbiEvent    *bfk_abi_get_event_by_topic      (const BfkAbi  *abi,
                                                       const guint8   topic[BFK_ABI_TOPIC_SIZE]);
const BfkAbiError    *bfk_abi_get_error               (const BfkAbi  *abi,
                                                       const gchar   *name);
const BfkAbiError    *bfk_abi_get_error_by_selector   (const BfkAbi  *abi,
                                                       const guint8   selector[BFK_ABI_SELECTOR_SIZE]);
/* All entries, in declaration order; the arrays belong to the BfkAbi. */
const BfkAbiFunction *bfk_abi_get_functions           (const BfkAbi  *abi,
                                                       guint         *n);
const BfkAbiEvent    *bfk_abi_get_events              (const BfkAbi  *abi,
                                                       guint         *n);

/* Selector + encoded inputs; args is a tuple of the inputs. */
GBytes               *bfk_abi_function_encode_call    (const BfkAbiFunction *fn,
                                                       const BfkAbiValue    *args,
                                                       GError              **error);
/* The tuple of the outputs, from eth_call's return data. */
BfkAbiValue          *bfk_abi_function_decode_output  (const BfkAbiFunction *fn,
                                                       const guint8         *data,
                                                       gsize                 len,
                                                       GError              **error);

/* A log of this event as a tuple of all its inputs, in declaration order,
 * named by event->inputs[i].name.  topics holds n_topics topics of 32 bytes
 * each, back to back; topic 0 is the event's own unless it is anonymous.
 * Indexed static inputs come from the topics; an indexed dynamic input
 * (string, bytes, array, tuple) is only its Keccak hash there, so its value
 * is that 32-byte topic, as FIXED_BYTES. */
BfkAbiValue          *bfk_abi_event_decode            (const BfkAbiEvent    *event,
                                                       const guint8         *topics,
                                                       guint                 n_topics,
                                                       const guint8         *data,
                                                       gsize                 len,
                                                       GError              **error);
/* Finds the event by topic 0 and decodes the log; *out_event (may be NULL)
 * gets the event.  An unknown topic 0 is BFK_CHAIN_ERROR_DECODE. */
BfkAbiValue          *bfk_abi_decode_log              (const BfkAbi         *abi,
                                                       const guint8         *topics,
                                                       guint                 n_topics,
                                                       const guint8         *data,
                                                       gsize                 len,
                                                       const BfkAbiEvent   **out_event,
                                                       GError              **error);

/* One sentence for a person from revert data (abi may be NULL):
 *   Error(string)    → the message itself
 *   Panic(uint256)   → "panic 0x11: arithmetic overflow or underflow"
 *   a custom error of the ABI → "CrossCommunity(payerCommunity: 1, providerCommunity: 2)"
 *   anything else    → "unknown error 0x12345678…"
 *   no data          → "reverted without a reason" */
gchar                *bfk_abi_describe_revert         (const BfkAbi         *abi,
                                                       const guint8         *data,
                                                       gsize                 len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BfkAbi, bfk_abi_unref)

G_END_DECLS
