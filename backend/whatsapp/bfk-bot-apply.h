/* bfk-bot-apply.h: carrying out what the bot decided.
 *
 * The bot's effects (bfk-bot.h) become rows: a member and its registration,
 * chain operations in the outbox, offers, proposals, the member's language,
 * a flag for support staff.  Everything runs in the caller's transaction, so
 * the message that caused it, the bot's new state and its effects are
 * written together or not at all.
 *
 * Every chain write is signed by the operator key, which acts for members:
 * they never hold or see a key.
 */
#pragma once

#include "bfk-address.h"
#include "bfk-bot.h"
#include "bfk-key-box.h"
#include "bfk-rpc.h"
#include "bfk-store.h"

G_BEGIN_DECLS

typedef struct
{
  BfkStore          *store;
  BfkRpcClient      *rpc;            /* asked only for the operator's first nonce */
  const guint8      *data_key;       /* BFK_DATA_KEY_SIZE bytes: seals new members' keys */
  const BfkAddress  *operator_address;
  const BfkAddress  *contract;
  guint              n_communities;
} BfkBotChain;

/* Carries out one effect for the conversation with phone.  A new member's
 * id goes to *member_id; the operations queued are appended to op_ids
 * (gint64).  FALSE when the store or the outbox refuses: the caller rolls
 * back. */
gboolean  bfk_bot_apply   (const BfkBotChain   *chain,
                           const gchar         *phone,
                           const BfkBotEffect  *effect,
                           gint64              *member_id,
                           GArray              *op_ids,
                           GError             **error);

G_END_DECLS
