/* bfk-bot-join.c: a number without a member joins.
 *
 * INIT shows the communities; their number (or name) moves to
 * COMMUNITY_CHOSEN, which asks for a user name; a valid, free one is the
 * REGISTER_MEMBER effect, and the conversation is REGISTERED while the
 * chain works (the caller sends the confirmation later).
 */
#include "bfk-bot-private.h"

#include "bfk-members.h"

#include <stdlib.h>
#include <string.h>

static void
welcome (BfkBotCtx *ctx,
         BfkBotText key)
{
  GPtrArray *all = bfk_bot_communities (ctx);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  BfkBotVars vars = { .count = all->len };

  if (all->len == 0)
    {
      bfk_bot_reply (ctx, BFK_BOT_TEXT_NO_COMMUNITY, NULL);
      return;
    }
  for (guint i = 0; i < all->len; i++)
    {
      const BfkBotCommunity *c = g_ptr_array_index (all, i);

      g_ptr_array_add (lines, bfk_bot_say (ctx, BFK_BOT_TEXT_COMMUNITY_LINE,
                                           &(BfkBotVars) { .n = i + 1, .community = c->name,
                                                           .currency = c->currency_name }));
    }
  bfk_bot_reply_take (ctx, bfk_bot_say_list (ctx, key, &vars, lines));
}

static void
ask_name (BfkBotCtx             *ctx,
          const BfkBotCommunity *community)
{
  bfk_bot_reply (ctx, BFK_BOT_TEXT_ASK_NAME,
                 &(BfkBotVars) { .community = community->name,
                                 .currency = community->currency_name });
}

/* What the state asks for, again. */
static void
prompt (BfkBotCtx             *ctx,
        const BfkBotCommunity *chosen)
{
  if (chosen)
    ask_name (ctx, chosen);
  else
    welcome (ctx, BFK_BOT_TEXT_WELCOME);
}

/* "2", "2." or "2)" picks the second community; with by_name, "banja" too.
 * *was_number says whether the text was a number at all. */
static const BfkBotCommunity *
pick_community (BfkBotCtx   *ctx,
                const gchar *text,
                gboolean     by_name,
                gboolean    *was_number)
{
  GPtrArray *all = bfk_bot_communities (ctx);
  g_autofree gchar *bare = g_strdup (text);
  gsize len = strlen (bare);

  if (len > 1 && (bare[len - 1] == '.' || bare[len - 1] == ')'))
    bare[--len] = '\0';
  *was_number = len > 0 && strspn (bare, "0123456789") == len;
  if (*was_number)
    {
      /* Three digits at most: anything longer is out of range anyway. */
      guint64 n = len <= 3 ? strtoull (bare, NULL, 10) : 0;

      return n >= 1 && n <= all->len ? g_ptr_array_index (all, n - 1) : NULL;
    }
  if (by_name)
    {
      g_autofree gchar *folded = bfk_bot_fold (bare);

      for (guint i = 0; i < all->len; i++)
        {
          const BfkBotCommunity *c = g_ptr_array_index (all, i);
          g_autofree gchar *name = bfk_bot_fold (c->name);

          if (g_str_equal (name, folded))
            return c;
        }
    }
  return NULL;
}

static gboolean
name_taken (BfkBotCtx   *ctx,
            const gchar *name,
            guint64      community_id)
{
  g_autoptr(GPtrArray) found = NULL;

  if (ctx->world->members_named)
    found = ctx->world->members_named (ctx->world->user_data, name);
  for (guint i = 0; found && i < found->len; i++)
    {
      const BfkBotMember *m = g_ptr_array_index (found, i);

      if (m && m->community_id == community_id)
        return TRUE;
    }
  return FALSE;
}

static void
choose_name (BfkBotCtx             *ctx,
             const BfkBotCommunity *community)
{
  g_autofree gchar *name = bfk_member_name_normalize (ctx->cmd->text, NULL);
  const gchar *community_name = community->name;
  BfkBotEffect *effect;

  if (!name)
    {
      g_autofree gchar *typed = bfk_bot_clip (ctx->cmd->text, 24);

      bfk_bot_reply (ctx, BFK_BOT_TEXT_NAME_INVALID, &(BfkBotVars) { .words = typed });
      return;
    }
  if (name_taken (ctx, name, community->id))
    {
      bfk_bot_reply (ctx, BFK_BOT_TEXT_NAME_TAKEN,
                     &(BfkBotVars) { .name = name, .community = community_name });
      return;
    }
  effect = bfk_bot_effect (ctx, BFK_BOT_EFFECT_REGISTER_MEMBER);
  effect->community_id = community->id;
  effect->text = g_strdup (name);
  bfk_bot_goto (ctx, BFK_BOT_STATE_REGISTERED);
  bfk_bot_reply (ctx, BFK_BOT_TEXT_REGISTERING,
                 &(BfkBotVars) { .name = name, .community = community_name });
}

void
bfk_bot_join (BfkBotCtx *ctx)
{
  const BfkBotCommunity *chosen = NULL;
  const BfkBotCommunity *picked;
  gboolean was_number;

  /* A member that vanished leaves a REGISTERED conversation behind: such a
   * number starts again like a new one. */
  if (ctx->out->state == BFK_BOT_STATE_COMMUNITY_CHOSEN)
    chosen = bfk_bot_community_by_id (ctx, ctx->pending.community_id);
  if (!chosen)
    bfk_bot_goto (ctx, BFK_BOT_STATE_INIT);

  switch (ctx->cmd->kind)
    {
    case BFK_BOT_CMD_AGENT:
      bfk_bot_cmd_agent (ctx);
      return;
    case BFK_BOT_CMD_LANGUAGE:
      bfk_bot_cmd_language (ctx);
      if (ctx->cmd->lang_ok)
        prompt (ctx, chosen);
      return;
    case BFK_BOT_CMD_TEXT:
      break;
    default:
      prompt (ctx, chosen);
      return;
    }

  /* Once asked for a user name, only a number too short to be a name
   * changes the community. */
  picked = pick_community (ctx, ctx->cmd->text, chosen == NULL, &was_number);
  if (chosen && !(was_number && strlen (ctx->cmd->text) < BFK_MEMBER_NAME_MIN))
    {
      choose_name (ctx, chosen);
      return;
    }
  if (picked)
    {
      bfk_bot_goto (ctx, BFK_BOT_STATE_COMMUNITY_CHOSEN);
      ctx->pending.community_id = picked->id;
      ask_name (ctx, picked);
      return;
    }
  welcome (ctx, was_number ? BFK_BOT_TEXT_COMMUNITY_BAD_CHOICE : BFK_BOT_TEXT_WELCOME);
}
