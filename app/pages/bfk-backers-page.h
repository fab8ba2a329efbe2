/* bfk-backers-page.h: the backers of each community, what each may still
 * mint this week; admins approve and revoke them. */
#pragma once

#include "bfk-page.h"

G_BEGIN_DECLS

#define BFK_TYPE_BACKERS_PAGE (bfk_backers_page_get_type ())

G_DECLARE_FINAL_TYPE (BfkBackersPage, bfk_backers_page, BFK, BACKERS_PAGE, BfkPage)

G_END_DECLS
