/* bfk-bot.h: the WhatsApp conversation bot, as a pure function.
 *
 *   (conversation, member, message, time, read-only world)
 *       → (replies, new conversation, effects)
 *
 * The bot reads nothing and writes nothing itself: no store, no network, no
 * clock.  What it needs to know comes in a BfkBotInput and through a
 * BfkBotWorld of read-only queries; what should happen comes out as
 * BfkBotEffects for the caller to carry out (create and register a member,
 * queue a chain operation, add an offer ...).  The caller stores the new
 * state and pending data, sends the replies (the TwiML answer), and later,
 * when the chain has answered, the notifications of bfk-bot-texts.h.  So
 * every command, state and bad input can be tested without a database.
 *
 * Conversation states (DESIGN.md, "The WhatsApp bot"), stored as their names:
 *   INIT              a new number: waiting for a community number
 *   COMMUNITY_CHOSEN  waiting for a user name
 *   REGISTERED        the main menu
 *   SEARCHING         waiting for search words after RECHERCHER alone
 *   EXCHANGING        waiting for OUI / NON on a proposal
 * The pending data (the chosen community; the proposal awaiting OUI) is a
 * short string of our own that the caller stores as it is.  Anything else
 * there (garbage, an older format) reads as nothing pending.
 *
 * Bad input changes nothing and gets a short reply, in the conversation's
 * language, that says what to type instead.  While staff have taken the
 * conversation over, free text gets no reply and changes nothing; commands
 * still work.
 *
 * Threads: any; nothing is shared.  The world's functions are called from
 * the calling thread, during bfk_bot_handle only.
 */
#pragma once

#include <glib.h>

#include "bfk-bot-command.h"
#include "bfk-bot-texts.h"
#include "bfk-contract.h"   /* BfkExchangeState */
#include "bfk-outbox.h"     /* BfkOpKind */

G_BEGIN_DECLS

typedef enum
{
  BFK_BOT_STATE_INIT,
  BFK_BOT_STATE_COMMUNITY_CHOSEN,
  BFK_BOT_STATE_REGISTERED,
  BFK_BOT_STATE_SEARCHING,
  BFK_BOT_STATE_EXCHANGING,
  BFK_BOT_N_STATES,
} BfkBotState;

/* "INIT", "COMMUNITY_CHOSEN" ...  from_string answers FALSE, and INIT, for
 * anything else (NULL included): a conversation with a garbled state starts
 * over rather than fails. */
const gchar *bfk_bot_state_to_string   (BfkBotState   state);
gboolean     bfk_bot_state_from_string (const gchar  *text,
                                        BfkBotState  *out);

/* How long a provider has to accept, unless the input says otherwise. */
#define BFK_BOT_PROPOSAL_TTL_DEFAULT (24 * 60 * 60)
/* An OUI later than this after PROPOSER confirms nothing: the member is
 * asked to propose again, with the balance of the moment. */
#define BFK_BOT_CONFIRM_WINDOW (60 * 60)
/* Offers a member may have at once. */
#define BFK_BOT_OFFERS_MAX 10
/* A service's description, in characters. */
#define BFK_BOT_SERVICE_MAX_CHARS 60
/* Offers shown for one search (the world is asked for no more). */
#define BFK_BOT_SEARCH_LIMIT 5

/* --- what the world tells the bot (every struct owns its strings) --- */

typedef struct
{
  guint64  id;
  gchar   *name;              /* "Fondjomenkwet" */
  gchar   *currency_name;     /* "Fonjoka" */
  gchar   *currency_symbol;   /* "FJK" */
  guint64  members;
  guint64  volume;            /* paid through completed exchanges, in all */
} BfkBotCommunity;

typedef struct
{
  gint64    id;
  gchar    *name;
  guint64   community_id;
  gboolean  registered_on_chain;   /* FALSE until registerMember is mined */
  guint64   balance;               /* spendable */
  guint64   escrow;                /* held in open proposals */
  guint64   stars;                 /* the stars received, summed */
  guint64   ratings;               /* how many times rated */
  guint64   exchanges;             /* completed */
  gint64    joined_at;             /* Unix seconds */
} BfkBotMember;

typedef struct
{
  guint64  id;                /* the number members type in RETIRER */
  gint64   provider_id;
  gchar   *provider_name;
  gchar   *title;
  guint64  price;
  guint64  provider_stars;    /* as BfkBotMember's stars and ratings */
  guint64  provider_ratings;
} BfkBotOffer;

typedef struct
{
  guint64           id;
  gint64            payer_id;
  gint64            provider_id;
  gchar            *payer_name;
  gchar            *provider_name;
  guint64           community_id;
  guint64           amount;
  BfkExchangeState  state;
  gint64            deadline;         /* Unix seconds */
  gboolean          payer_rated;
  gboolean          provider_rated;
} BfkBotExchange;

typedef struct
{
  gchar   *label;             /* a name people know the backer by */
  guint64  weekly_cap;
  guint64  left_this_week;
} BfkBotBacker;

void bfk_bot_community_free (BfkBotCommunity *community);
void bfk_bot_member_free    (BfkBotMember    *member);
void bfk_bot_offer_free     (BfkBotOffer     *offer);
void bfk_bot_exchange_free  (BfkBotExchange  *exchange);
void bfk_bot_backer_free    (BfkBotBacker    *backer);

/* Read-only queries, implemented by the caller over the store (and by the
 * tests in memory).  Each list is a new GPtrArray that frees its elements
 * with the matching bfk_bot_*_free; NULL reads as empty, and so does a NULL
 * function.  The bot frees what it gets. */
typedef struct
{
  /* Every community, in the order of the welcome list (its numbers are
   * positions in it, from 1). */
  GPtrArray      *(*communities)   (gpointer      user_data);
  /* Members called name, without regard to case, in ANY community: the bot
   * tells "not in your community" from "nobody".  Only id, name,
   * community_id and registered_on_chain are read. */
  GPtrArray      *(*members_named) (gpointer      user_data,
                                    const gchar  *name);
  /* Offers in a community matching the words (accent-insensitive), at most
   * limit, best first.  words are as typed, marks and extra spaces gone. */
  GPtrArray      *(*search_offers) (gpointer      user_data,
                                    guint64       community_id,
                                    const gchar  *words,
                                    guint         limit);
  /* The member's own offers, oldest first. */
  GPtrArray      *(*member_offers) (gpointer      user_data,
                                    gint64        member_id);
  /* One exchange, or NULL when there is none with this number. */
  BfkBotExchange *(*exchange)      (gpointer      user_data,
                                    guint64       exchange_id);
  /* The active backers of a community. */
  GPtrArray      *(*backers)       (gpointer      user_data,
                                    guint64       community_id);
  gpointer         user_data;
} BfkBotWorld;

/* --- one message in --- */

typedef struct
{
  BfkBotState          state;          /* as stored; a new number: INIT */
  const gchar         *pending;        /* as stored, or NULL */
  BfkBotLang           lang;           /* the conversation's */
  gboolean             staff_takeover; /* staff answer this conversation now */
  const BfkBotMember  *member;         /* the number's member, or NULL */
  const gchar         *text;           /* the message body: any bytes, NUL-terminated */
  gint64               now;            /* Unix seconds */
  gint64               proposal_ttl;   /* seconds; 0: BFK_BOT_PROPOSAL_TTL_DEFAULT */
} BfkBotInput;

/* --- what should happen --- */

typedef enum
{
  /* Create the member for this number (text: the user name, community_id,
   * lang) and queue its registerMember, together. */
  BFK_BOT_EFFECT_REGISTER_MEMBER,
  /* Queue a chain operation for member_id:
   *   PROPOSE_EXCHANGE  other_id: the provider, amount, deadline, text: the service
   *   ACCEPT/DECLINE    exchange_id, other_id: the payer (member_id is the provider)
   *   CANCEL/COMPLETE   exchange_id, other_id: the provider, amount
   *   RATE              exchange_id, other_id: the member rated, stars */
  BFK_BOT_EFFECT_CHAIN_OP,
  /* Publish an offer of member_id (text: the title, amount: the price). */
  BFK_BOT_EFFECT_OFFER_ADD,
  /* Withdraw the offer offer_id of member_id. */
  BFK_BOT_EFFECT_OFFER_REMOVE,
  /* The member (member_id, 0 before registration) now reads lang. */
  BFK_BOT_EFFECT_SET_LANGUAGE,
  /* Flag the conversation for a person (member_id or 0; text: the message). */
  BFK_BOT_EFFECT_FLAG_AGENT,
  BFK_BOT_N_EFFECTS,
} BfkBotEffectKind;

typedef struct
{
  BfkBotEffectKind  kind;
  BfkOpKind         op;            /* CHAIN_OP */
  gint64            member_id;
  gint64            other_id;
  guint64           community_id;
  guint64           exchange_id;
  guint64           offer_id;
  guint64           amount;
  guint             stars;
  gint64            deadline;      /* Unix seconds */
  BfkBotLang        lang;
  gchar            *text;
} BfkBotEffect;

typedef struct
{
  GPtrArray    *replies;   /* of gchar *, in order; empty: say nothing */
  GPtrArray    *effects;   /* of BfkBotEffect *, in the order to carry them out */
  BfkBotState   state;     /* to store */
  gchar        *pending;   /* to store, never NULL ("" for nothing) */
  BfkBotLang    lang;      /* to store: the conversation's language now */
} BfkBotResult;

/* world may be NULL (nothing is known); input may not.  Never NULL. */
BfkBotResult *bfk_bot_handle      (const BfkBotWorld  *world,
                                   const BfkBotInput  *input);
void          bfk_bot_result_free (BfkBotResult       *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BfkBotResult, bfk_bot_result_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BfkBotMember, bfk_bot_member_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BfkBotExchange, bfk_bot_exchange_free)

G_END_DECLS
