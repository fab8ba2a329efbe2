/* bfk-pages.c: the list of pages.  Adding a page is one line here. */
#include <glib/gi18n.h>

#include "bfk-pages.h"

static const BfkPageInfo pages[] = {
  { NULL }
};

const BfkPageInfo *
bfk_pages_get (guint *n_pages)
{
  *n_pages = G_N_ELEMENTS (pages) - 1;
  return pages;
}
