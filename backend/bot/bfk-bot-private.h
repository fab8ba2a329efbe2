/* bfk-bot-private.h: shared by the files of the bot.
 *
 * bfk-bot.c runs a message through the states and holds the helpers below;
 * bfk-bot-join.c answers numbers without a member (choosing a community and
 * a user name); bfk-bot-info.c the commands that read or publish (SOLDE,
 * PROFIL, offers, search ...); bfk-bot-exchange.c the exchanges (PROPOSER
 * to EVALUER); bfk-bot-pending.c the pending data's string form.
 */
#pragma once

#include "bfk-bot.h"

G_BEGIN_DECLS

/* What a conversation waits on, between two messages. */
typedef struct
{
  guint64  community_id;    /* COMMUNITY_CHOSEN */
  gint64   provider_id;     /* EXCHANGING: the proposal awaiting OUI */
  gchar   *provider_name;
  gchar   *service;
  guint64  amount;
  gint64   asked_at;        /* when PROPOSER was sent */
} BfkBotPending;

void      bfk_bot_pending_clear     (BfkBotPending        *pending);
/* Anything unreadable leaves out cleared. */
void      bfk_bot_pending_parse     (const gchar          *text,
                                     BfkBotPending        *out);
gchar    *bfk_bot_pending_serialize (const BfkBotPending  *pending);
/* Whether it holds a whole proposal. */
gboolean  bfk_bot_pending_has_proposal (const BfkBotPending *pending);

/* One message being handled. */
typedef struct
{
  const BfkBotWorld   *world;
  const BfkBotInput   *in;
  const BfkBotMember  *member;       /* NULL for a number without one */
  BfkBotCommand       *cmd;
  BfkBotResult        *out;
  BfkBotPending        pending;      /* written back as out->pending */
  GPtrArray           *communities;  /* asked once */
  BfkBotCommunity     *fallback;     /* when the member's community is unknown */
  guint                moves;        /* bfk_bot_goto calls */
} BfkBotCtx;

/* --- helpers (bfk-bot.c) --- */

gchar                 *bfk_bot_say          (BfkBotCtx          *ctx,
                                             BfkBotText          key,
                                             const BfkBotVars   *vars);
void                   bfk_bot_reply        (BfkBotCtx          *ctx,
                                             BfkBotText          key,
                                             const BfkBotVars   *vars);
/* Takes text; cut to BFK_BOT_REPLY_MAX_CHARS as a last resort. */
void                   bfk_bot_reply_take   (BfkBotCtx          *ctx,
                                             gchar              *text);
/* Renders key with {detail} the lines, dropping lines from the end until
 * the text fits a reply. */
gchar                 *bfk_bot_say_list     (BfkBotCtx          *ctx,
                                             BfkBotText          key,
                                             BfkBotVars         *vars,
                                             GPtrArray          *lines);
BfkBotEffect          *bfk_bot_effect       (BfkBotCtx          *ctx,
                                             BfkBotEffectKind    kind);
/* Moves to state; the pending data is forgotten. */
void                   bfk_bot_goto         (BfkBotCtx          *ctx,
                                             BfkBotState         state);
BfkBotLang             bfk_bot_lang         (BfkBotCtx          *ctx);

GPtrArray             *bfk_bot_communities  (BfkBotCtx          *ctx);
const BfkBotCommunity *bfk_bot_community_by_id (BfkBotCtx       *ctx,
                                                guint64          id);
/* The member's community: never NULL (a placeholder if the world lost it). */
const BfkBotCommunity *bfk_bot_community    (BfkBotCtx          *ctx);

/* What the world says, cut to a length that keeps replies short. */
gchar                 *bfk_bot_clip         (const gchar        *text,
                                             guint               max_chars);
gchar                 *bfk_bot_reputation   (BfkBotCtx          *ctx,
                                             guint64             stars,
                                             guint64             ratings);
gchar                 *bfk_bot_date         (gint64              unix_time);

/* TRUE when num is a usable number; otherwise replies what is wrong with
 * it, naming what (a WHAT_ text) and showing example. */
gboolean               bfk_bot_check_number (BfkBotCtx          *ctx,
                                             const BfkBotNumber *num,
                                             BfkBotText          what,
                                             const gchar        *example);

/* --- the commands --- */

/* bfk-bot-join.c: a number without a member. */
void bfk_bot_join            (BfkBotCtx *ctx);

/* bfk-bot-info.c */
void bfk_bot_cmd_balance     (BfkBotCtx *ctx);
void bfk_bot_cmd_profile     (BfkBotCtx *ctx);
void bfk_bot_cmd_community   (BfkBotCtx *ctx);
void bfk_bot_cmd_backers     (BfkBotCtx *ctx);
void bfk_bot_cmd_agent       (BfkBotCtx *ctx);
void bfk_bot_cmd_language    (BfkBotCtx *ctx);
void bfk_bot_cmd_offer       (BfkBotCtx *ctx);
void bfk_bot_cmd_remove      (BfkBotCtx *ctx);
/* words NULL: asks for them (state SEARCHING). */
void bfk_bot_cmd_search      (BfkBotCtx *ctx,
                              const gchar *words);

/* bfk-bot-exchange.c */
void bfk_bot_cmd_propose     (BfkBotCtx *ctx);
void bfk_bot_cmd_confirm     (BfkBotCtx *ctx,
                              gboolean   yes);
void bfk_bot_cmd_exchange    (BfkBotCtx *ctx);   /* ACCEPT, DECLINE, DONE, CANCEL, RATE */

G_END_DECLS
