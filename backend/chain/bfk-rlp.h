/* bfk-rlp.h: Recursive Length Prefix, the serialisation of transactions.
 *
 * The writer appends to one growing buffer; a list's header is inserted when
 * the list ends, once its payload length is known.  The reader is strict: it
 * accepts only the canonical encoding and never reads past the buffer.
 */
#pragma once

#include <glib.h>

#include "bfk-u256.h"

G_BEGIN_DECLS

/* --- writing --- */

typedef struct
{
  GByteArray *buf;
  GArray     *open_lists;   /* gsize offsets where each open list's payload starts */
} BfkRlpWriter;

void        bfk_rlp_writer_init    (BfkRlpWriter  *w);
void        bfk_rlp_writer_clear   (BfkRlpWriter  *w);
/* Forgets what was written, keeping the allocations, for reuse in a loop. */
void        bfk_rlp_writer_reset   (BfkRlpWriter  *w);
void        bfk_rlp_write_bytes    (BfkRlpWriter  *w,
                                    const guint8  *data,
                                    gsize          len);
/* Integers are big-endian without leading zeros; zero is the empty string. */
void        bfk_rlp_write_u64      (BfkRlpWriter  *w,
                                    guint64        v);
void        bfk_rlp_write_u256     (BfkRlpWriter  *w,
                                    BfkU256        v);
/* Appends bytes that are already RLP-encoded. */
void        bfk_rlp_write_raw      (BfkRlpWriter  *w,
                                    const guint8  *data,
                                    gsize          len);
void        bfk_rlp_list_begin     (BfkRlpWriter  *w);
void        bfk_rlp_list_end       (BfkRlpWriter  *w);

/* --- reading --- */

typedef struct
{
  const guint8 *data;      /* the payload: the string's bytes, or the list's items */
  gsize         len;
  gboolean      is_list;
} BfkRlpItem;

typedef struct
{
  const guint8 *pos;
  const guint8 *end;
} BfkRlpIter;

/* The whole buffer must be exactly one item. */
gboolean    bfk_rlp_decode         (const guint8  *data,
                                    gsize          len,
                                    BfkRlpItem    *out,
                                    GError       **error);
/* Iterates over the items of a list item. */
void        bfk_rlp_iter_init      (BfkRlpIter       *iter,
                                    const BfkRlpItem *list);
/* TRUE and the next item; FALSE at the end (error unset) or on bad data
 * (error set). */
gboolean    bfk_rlp_iter_next      (BfkRlpIter    *iter,
                                    BfkRlpItem    *out,
                                    GError       **error);
/* A string item as a canonical integer (no leading zero, at most 32 bytes). */
gboolean    bfk_rlp_item_to_u256   (const BfkRlpItem *item,
                                    BfkU256          *out,
                                    GError          **error);

G_END_DECLS
