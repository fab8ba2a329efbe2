/* bfk-pages.h: the console's pages, in the order of the sidebar.
 *
 * The window builds each page with g_object_new (get_type (), "session",
 * session, NULL).  name is what the "last-page" setting and the
 * win.show-page action use. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct
{
  const gchar *name;
  const gchar *title;      /* N_() marked: translate when shown */
  const gchar *icon_name;
  GType      (*get_type) (void);
} BfkPageInfo;

const BfkPageInfo *bfk_pages_get  (guint *n_pages);

G_END_DECLS
