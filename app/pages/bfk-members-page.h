/* bfk-members-page.h: the members, as a table to search, filter and sort,
 * and each member's own page (bfk-member-view.h).
 *
 * A phone number shows masked until someone asks to see it ("Show the
 * Number"): the page then records "reveal_phone" in the audit log, and
 * shows the number only once that is written.  The page's actions:
 *   members.search             focus the search (Ctrl+F)
 *   members.show-list          back from a member to the table
 *   members.show-member (x)    a member's page, by id
 *   members.reveal-phone (x)   record the reveal and show the whole number
 * "phone-revealed" (gint64 member_id) follows a recorded reveal.
 */
#pragma once

#include "bfk-page.h"

G_BEGIN_DECLS

#define BFK_TYPE_MEMBERS_PAGE (bfk_members_page_get_type ())

G_DECLARE_FINAL_TYPE (BfkMembersPage, bfk_members_page, BFK, MEMBERS_PAGE, BfkPage)

/* Shows the member's page; FALSE (and a toast) when it cannot be read. */
gboolean bfk_members_page_show_member       (BfkMembersPage *self,
                                             gint64          member_id);
/* Whether the member's number was revealed (and recorded) on this page. */
gboolean bfk_members_page_is_phone_revealed (BfkMembersPage *self,
                                             gint64          member_id);

G_END_DECLS
