/* bfk-bot-world.h: what the bot may ask, answered from the store.
 *
 * The bot (backend/bot) is pure: it reads the world through a BfkBotWorld of
 * read-only queries.  This is that world over SQLite: communities and
 * accounts as the follower derived them from the chain's events, members,
 * offers, and the backers' use of their weekly caps.  It only reads, and
 * never touches the network, so it can run on the backend thread.
 */
#pragma once

#include "bfk-bot.h"
#include "bfk-store.h"

G_BEGIN_DECLS

/* A world reading store, valid as long as the store is open. */
void           bfk_bot_world_init_store   (BfkBotWorld  *world,
                                           BfkStore     *store);

/* The member of a number as the bot sees it, or NULL when the number has
 * no member (error unset) or the store fails (error set). */
BfkBotMember  *bfk_bot_world_member       (BfkStore     *store,
                                           gint64        member_id,
                                           GError      **error);

G_END_DECLS
