/* bfk-communities-page.h: the communities and their currencies; admins add one. */
#pragma once

#include "bfk-page.h"

G_BEGIN_DECLS

#define BFK_TYPE_COMMUNITIES_PAGE (bfk_communities_page_get_type ())

G_DECLARE_FINAL_TYPE (BfkCommunitiesPage, bfk_communities_page, BFK, COMMUNITIES_PAGE, BfkPage)

G_END_DECLS
