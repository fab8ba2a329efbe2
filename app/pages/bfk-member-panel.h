/* bfk-member-panel.h: the inbox's side panel about the member it talks to.
 *
 * What support staff need at hand while answering: the balance, what is
 * held in open proposals, the reputation, the last exchanges, and a
 * Recharge button (the window's "win.recharge" action with the number;
 * without that action the button stays insensitive, and says why).
 */
#pragma once

#include <adwaita.h>

#include "bfk-store.h"

G_BEGIN_DECLS

#define BFK_TYPE_MEMBER_PANEL (bfk_member_panel_get_type ())

G_DECLARE_FINAL_TYPE (BfkMemberPanel, bfk_member_panel, BFK, MEMBER_PANEL, AdwBin)

/* Reads what it shows about phone (E.164) from store. */
void bfk_member_panel_show (BfkMemberPanel *self,
                            BfkStore       *store,
                            const gchar    *phone);

G_END_DECLS
