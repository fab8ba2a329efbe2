/* bfk-page.h: the base of the console's pages.
 *
 * A page is given the session at construction.  It implements refresh(),
 * which reads what it shows from the session's store: called when the page
 * is first shown with the session ready, and on every "changed" while it is
 * visible (a hidden page refreshes when it is shown again), so that pages
 * stay live without each watching the database on its own, and the window
 * opens without reading what it does not show.  A page whose refresh is
 * slow is refreshed less often, so that reading never takes the main
 * thread more than about a tenth of the time.
 */
#pragma once

#include <adwaita.h>

#include "bfk-session.h"

G_BEGIN_DECLS

#define BFK_TYPE_PAGE (bfk_page_get_type ())

G_DECLARE_DERIVABLE_TYPE (BfkPage, bfk_page, BFK, PAGE, AdwBin)

struct _BfkPageClass
{
  AdwBinClass parent_class;

  /* Reads the page's data again; the store is open. */
  void (*refresh) (BfkPage *self);
};

BfkSession *bfk_page_get_session  (BfkPage *self);
/* The session's store: NULL until it is ready. */
BfkStore   *bfk_page_get_store    (BfkPage *self);
/* Refresh now, if the session is ready (after the page changed a filter). */
void        bfk_page_refresh      (BfkPage *self);

G_END_DECLS
