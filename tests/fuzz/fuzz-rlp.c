/* fuzz-rlp.c: the RLP reader on any bytes.  It must accept or refuse
 * cleanly: a decoded item always lies inside the input, and walking every
 * list (to any depth) terminates. */
#include <glib.h>

#include "bfk-rlp.h"
#include "bfk-u256.h"

static void
walk (const BfkRlpItem *item,
      const guint8     *start,
      const guint8     *end,
      guint             depth)
{
  BfkRlpIter iter;
  BfkRlpItem child;
  BfkU256 value;
  g_autoptr(GError) error = NULL;

  g_assert (item->data >= start && item->data + item->len <= end);
  if (!item->is_list)
    {
      if (!bfk_rlp_item_to_u256 (item, &value, &error))
        g_assert (error != NULL);
      return;
    }
  if (depth > 64)
    return;
  bfk_rlp_iter_init (&iter, item);
  while (bfk_rlp_iter_next (&iter, &child, &error))
    walk (&child, start, end, depth + 1);
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GError) error = NULL;
  BfkRlpItem item;

  if (bfk_rlp_decode (data, size, &item, &error))
    walk (&item, data, data + size, 0);
  else
    g_assert (error != NULL);
  return 0;
}
