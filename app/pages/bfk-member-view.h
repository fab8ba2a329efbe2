/* bfk-member-view.h: one member's page, inside the Members page.
 *
 * The profile, the account, the member's exchanges, transactions and last
 * messages, read from the session's store; and what can be done for the
 * member: write to them (the inbox), recharge them (the Backers page's
 * "win.recharge" dialog).  Its back button activates "members.show-list"
 * and its "Show the Number" button "members.reveal-phone" (the member's id):
 * the page that holds the view provides both, so that a number is only
 * ever shown in one place, the one that records it in the audit log.
 */
#pragma once

#include <adwaita.h>

#include "bfk-session.h"

G_BEGIN_DECLS

#define BFK_TYPE_MEMBER_VIEW (bfk_member_view_get_type ())

G_DECLARE_FINAL_TYPE (BfkMemberView, bfk_member_view, BFK, MEMBER_VIEW, AdwBin)

void     bfk_member_view_set_session        (BfkMemberView  *self,
                                             BfkSession     *session);
/* Reads member_id from the store and shows it; FALSE with error when it
 * cannot be read (the view then keeps what it showed). */
gboolean bfk_member_view_show_member        (BfkMemberView  *self,
                                             gint64          member_id,
                                             gboolean        phone_revealed,
                                             GError        **error);
/* 0 before the first bfk_member_view_show_member. */
gint64   bfk_member_view_get_member_id      (BfkMemberView  *self);
/* Shows the whole number, after the reveal was recorded. */
void     bfk_member_view_set_phone_revealed (BfkMemberView  *self,
                                             gboolean        revealed);
/* Reads the member shown again (the data changed). */
void     bfk_member_view_refresh            (BfkMemberView  *self);

G_END_DECLS
