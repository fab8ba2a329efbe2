/* bfk-overview-page.h: the dashboard: the service's figures at a glance. */
#pragma once

#include "bfk-page.h"

G_BEGIN_DECLS

#define BFK_TYPE_OVERVIEW_PAGE (bfk_overview_page_get_type ())

G_DECLARE_FINAL_TYPE (BfkOverviewPage, bfk_overview_page, BFK, OVERVIEW_PAGE, BfkPage)

G_END_DECLS
