/* bfk-pages.c: the list of pages.  Adding a page is one line here. */
#include <glib/gi18n.h>

#include "bfk-pages.h"
#include "bfk-overview-page.h"
#include "bfk-backers-page.h"
#include "bfk-communities-page.h"
#include "bfk-inbox-page.h"
#include "bfk-members-page.h"
#include "bfk-simulator-page.h"
#include "bfk-transactions-page.h"
#include "bfk-audit-page.h"

static const BfkPageInfo pages[] = {
  { "overview", N_("Overview"), "view-grid-symbolic", bfk_overview_page_get_type },
  { "communities", N_("Communities"), "network-workgroup-symbolic", bfk_communities_page_get_type },
  { "members", N_("Members"), "system-users-symbolic", bfk_members_page_get_type },
  { "transactions", N_("Transactions"), "view-list-bullet-symbolic", bfk_transactions_page_get_type },
  { "inbox", N_("Inbox"), "mail-unread-symbolic", bfk_inbox_page_get_type },
  { "backers", N_("Backers"), "starred-symbolic", bfk_backers_page_get_type },
  { "simulator", N_("Simulator"), "phone-symbolic", bfk_simulator_page_get_type },
  { "audit", N_("Audit"), "document-properties-symbolic", bfk_audit_page_get_type },
  { NULL }
};

const BfkPageInfo *
bfk_pages_get (guint *n_pages)
{
  *n_pages = G_N_ELEMENTS (pages) - 1;
  return pages;
}
