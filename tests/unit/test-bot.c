/* test-bot.c: the conversation bot against a world kept in memory.
 *
 * One table runs every command, in every state, with every bad input, in
 * French and in English, and checks the state it leaves, the effect it asks
 * for (exactly), and key words of its replies.  Then the flows: a new
 * number registering, PROPOSER then OUI (and NON), an imported member,
 * staff takeover, and replies kept short whatever the world holds.
 */
#include "bfk-bot.h"
#include "bfk-bot-private.h"

#include <string.h>

#define NOW G_GINT64_CONSTANT (1750000000)

/* --- the world --- */

typedef struct
{
  guint64      id;
  const gchar *name, *currency, *symbol;
  guint64      members, volume;
} CommunityRow;

typedef struct
{
  gint64       id;
  const gchar *name;
  guint64      community;
  gboolean     on_chain;
  guint64      balance, escrow, stars, ratings, exchanges;
  gint64       joined;
} MemberRow;

typedef struct
{
  guint64      id;
  gint64       provider;
  const gchar *title;
  guint64      price;
} OfferRow;

typedef struct
{
  guint64           id;
  gint64            payer, provider;
  guint64           amount;
  BfkExchangeState  state;
  gint64            deadline;
  gboolean          payer_rated, provider_rated;
} ExchangeRow;

typedef struct
{
  guint64      community;
  const gchar *label;
  guint64      cap, left;
} BackerRow;

static const CommunityRow communities[] = {
  { 1, "Fondjomenkwet", "Fonjoka", "FJK", 42, 12345 },
  { 2, "Banja", "Banjika", "BJK", 7, 0 },
  { 3, "Bafouka", "Bafouka", "BFK", 3, 10 },
};

enum { PAUL = 1, MARIE, JEAN, AWA, MARIE_3, NADIA, FATOU, ALI, NEWCOMER };

static const MemberRow default_members[] = {
  /* joined 15 March 2024, 00:00 UTC */
  { PAUL, "Paul", 1, TRUE, 1000, 200, 9, 2, 3, 1710460800 },
  { MARIE, "Marie", 1, TRUE, 500, 0, 0, 0, 1, 1710460800 },
  { JEAN, "Jean", 2, TRUE, 1000, 0, 0, 0, 0, 1710460800 },
  { AWA, "Awa", 1, FALSE, 0, 0, 0, 0, 0, 1710460800 },
  { MARIE_3, "marie", 3, TRUE, 1000, 0, 0, 0, 0, 1710460800 },
  { NADIA, "Nadia", 1, TRUE, 0, 0, 0, 0, 0, 1710460800 },
  { FATOU, "Fatou", 1, TRUE, 1000, 0, 0, 0, 0, 1710460800 },
  { ALI, "Ali", 2, TRUE, 1000, 0, 0, 0, 0, 1710460800 },
};

static const OfferRow default_offers[] = {
  { 3, MARIE, "couture", 500 },
  { 4, MARIE, "coiffure", 300 },
  { 5, PAUL, "réparation vélo", 200 },
  { 6, JEAN, "couture", 400 },
  { 20, FATOU, "a", 1 }, { 21, FATOU, "b", 1 }, { 22, FATOU, "c", 1 }, { 23, FATOU, "d", 1 },
  { 24, FATOU, "e", 1 }, { 25, FATOU, "f", 1 }, { 26, FATOU, "g", 1 }, { 27, FATOU, "h", 1 },
  { 28, FATOU, "i", 1 }, { 29, FATOU, "j", 1 },
};

static const ExchangeRow exchanges[] = {
  { 12, PAUL, MARIE, 150, BFK_EXCHANGE_PROPOSED, NOW + 3600 },
  { 13, PAUL, MARIE, 150, BFK_EXCHANGE_ACCEPTED, NOW + 3600 },
  { 14, MARIE, PAUL, 300, BFK_EXCHANGE_COMPLETED, NOW - 3600 },
  { 15, PAUL, MARIE, 100, BFK_EXCHANGE_COMPLETED, NOW - 3600, TRUE, FALSE },
  { 16, ALI, JEAN, 50, BFK_EXCHANGE_PROPOSED, NOW + 3600 },
  { 17, PAUL, MARIE, 150, BFK_EXCHANGE_PROPOSED, NOW - 10 },
  { 18, PAUL, MARIE, 150, BFK_EXCHANGE_DECLINED, NOW + 3600 },
  { 19, PAUL, MARIE, 150, BFK_EXCHANGE_CANCELLED, NOW + 3600 },
  { 20, PAUL, MARIE, 150, BFK_EXCHANGE_EXPIRED, NOW - 3600 },
};

static const BackerRow backers[] = {
  { 1, "ONG Solidarité", 5000, 1200 },
  { 1, "Mairie de Fondjomenkwet", 2000, 2000 },
};

typedef struct
{
  MemberRow  members[16];
  guint      n_members;
  OfferRow   offers[G_N_ELEMENTS (default_offers)];
  guint      n_offers;
  gboolean   long_strings;   /* every string of the world as long as it gets */
} World;

static void
world_init (World *w)
{
  memset (w, 0, sizeof *w);
  memcpy (w->members, default_members, sizeof default_members);
  w->n_members = G_N_ELEMENTS (default_members);
  memcpy (w->offers, default_offers, sizeof default_offers);
  w->n_offers = G_N_ELEMENTS (default_offers);
}

static const MemberRow *
world_member (World  *w,
              gint64  id)
{
  for (guint i = 0; i < w->n_members; i++)
    if (w->members[i].id == id)
      return &w->members[i];
  return NULL;
}

static gchar *
long_or (World       *w,
         const gchar *text)
{
  if (!w->long_strings)
    return g_strdup (text);
  return g_strdup_printf ("%s %s", text,
                          "une chaîne très longue, bien plus longue qu'un écran de téléphone "
                          "ne peut en montrer, avec des accents éàèùç et encore des mots");
}

static BfkBotMember *
member_new (World           *w,
            const MemberRow *row)
{
  BfkBotMember *m = g_new0 (BfkBotMember, 1);

  m->id = row->id;
  m->name = g_strdup (row->name);
  m->community_id = row->community;
  m->registered_on_chain = row->on_chain;
  m->balance = row->balance;
  m->escrow = row->escrow;
  m->stars = row->stars;
  m->ratings = row->ratings;
  m->exchanges = row->exchanges;
  m->joined_at = row->joined;
  return m;
}

static GPtrArray *
world_communities (gpointer user_data)
{
  World *w = user_data;
  GPtrArray *all = g_ptr_array_new_with_free_func ((GDestroyNotify) bfk_bot_community_free);

  for (guint i = 0; i < G_N_ELEMENTS (communities); i++)
    {
      BfkBotCommunity *c = g_new0 (BfkBotCommunity, 1);

      c->id = communities[i].id;
      c->name = long_or (w, communities[i].name);
      c->currency_name = long_or (w, communities[i].currency);
      c->currency_symbol = long_or (w, communities[i].symbol);
      c->members = communities[i].members;
      c->volume = communities[i].volume;
      g_ptr_array_add (all, c);
    }
  return all;
}

static GPtrArray *
world_members_named (gpointer     user_data,
                     const gchar *name)
{
  World *w = user_data;
  GPtrArray *found = g_ptr_array_new_with_free_func ((GDestroyNotify) bfk_bot_member_free);

  for (guint i = 0; i < w->n_members; i++)
    if (g_ascii_strcasecmp (w->members[i].name, name) == 0)
      g_ptr_array_add (found, member_new (w, &w->members[i]));
  return found;
}

static BfkBotOffer *
offer_new (World          *w,
           const OfferRow *row)
{
  BfkBotOffer *o = g_new0 (BfkBotOffer, 1);
  const MemberRow *provider = world_member (w, row->provider);

  o->id = row->id;
  o->provider_id = row->provider;
  o->provider_name = g_strdup (provider->name);
  o->title = long_or (w, row->title);
  o->price = row->price;
  o->provider_stars = provider->stars;
  o->provider_ratings = provider->ratings;
  return o;
}

static GPtrArray *
world_search_offers (gpointer     user_data,
                     guint64      community_id,
                     const gchar *words,
                     guint        limit)
{
  World *w = user_data;
  GPtrArray *found = g_ptr_array_new_with_free_func ((GDestroyNotify) bfk_bot_offer_free);
  g_autofree gchar *folded = bfk_bot_fold (words);
  g_auto(GStrv) wanted = g_strsplit (folded, " ", -1);

  for (guint i = 0; i < w->n_offers && found->len < limit; i++)
    {
      g_autofree gchar *title = bfk_bot_fold (w->offers[i].title);
      gboolean match = w->long_strings;

      if (world_member (w, w->offers[i].provider)->community != community_id)
        continue;
      for (guint k = 0; wanted[k]; k++)
        match |= wanted[k][0] && strstr (title, wanted[k]) != NULL;
      if (match)
        g_ptr_array_add (found, offer_new (w, &w->offers[i]));
    }
  return found;
}

static GPtrArray *
world_member_offers (gpointer user_data,
                     gint64   member_id)
{
  World *w = user_data;
  GPtrArray *found = g_ptr_array_new_with_free_func ((GDestroyNotify) bfk_bot_offer_free);

  for (guint i = 0; i < w->n_offers; i++)
    if (w->offers[i].provider == member_id)
      g_ptr_array_add (found, offer_new (w, &w->offers[i]));
  return found;
}

static BfkBotExchange *
world_exchange (gpointer user_data,
                guint64  id)
{
  World *w = user_data;

  for (guint i = 0; i < G_N_ELEMENTS (exchanges); i++)
    if (exchanges[i].id == id)
      {
        const ExchangeRow *row = &exchanges[i];
        BfkBotExchange *e = g_new0 (BfkBotExchange, 1);

        e->id = row->id;
        e->payer_id = row->payer;
        e->provider_id = row->provider;
        e->payer_name = g_strdup (world_member (w, row->payer)->name);
        e->provider_name = g_strdup (world_member (w, row->provider)->name);
        e->community_id = world_member (w, row->payer)->community;
        e->amount = row->amount;
        e->state = row->state;
        e->deadline = row->deadline;
        e->payer_rated = row->payer_rated;
        e->provider_rated = row->provider_rated;
        return e;
      }
  return NULL;
}

static GPtrArray *
world_backers (gpointer user_data,
               guint64  community_id)
{
  World *w = user_data;
  GPtrArray *found = g_ptr_array_new_with_free_func ((GDestroyNotify) bfk_bot_backer_free);

  for (guint n = 0; n < (w->long_strings ? 20u : 1u); n++)
    for (guint i = 0; i < G_N_ELEMENTS (backers); i++)
      if (backers[i].community == community_id)
        {
          BfkBotBacker *b = g_new0 (BfkBotBacker, 1);

          b->label = long_or (w, backers[i].label);
          b->weekly_cap = backers[i].cap;
          b->left_this_week = backers[i].left;
          g_ptr_array_add (found, b);
        }
  return found;
}

/* --- a conversation --- */

typedef struct
{
  World        world;
  BfkBotWorld  vtable;
  BfkBotState  state;
  gchar       *pending;
  BfkBotLang   lang;
  gboolean     takeover;
  gint64       member;      /* 0: none */
  gint64       now;
  gint64       ttl;
} Conv;

static void
conv_init (Conv        *c,
           gint64       member,
           BfkBotState  state,
           const gchar *pending,
           BfkBotLang   lang)
{
  memset (c, 0, sizeof *c);
  world_init (&c->world);
  c->vtable = (BfkBotWorld) {
    .communities = world_communities, .members_named = world_members_named,
    .search_offers = world_search_offers, .member_offers = world_member_offers,
    .exchange = world_exchange, .backers = world_backers, .user_data = &c->world,
  };
  c->member = member;
  c->state = state;
  c->pending = g_strdup (pending);
  c->lang = lang;
  c->now = NOW;
}

static void
conv_clear (Conv *c)
{
  g_clear_pointer (&c->pending, g_free);
}

/* What every result must be, whatever the input. */
static void
assert_result_sane (const BfkBotResult *r)
{
  g_assert_nonnull (r);
  g_assert_nonnull (r->pending);
  g_assert_cmpuint ((guint) r->state, <, BFK_BOT_N_STATES);
  g_assert_cmpuint ((guint) r->lang, <, BFK_BOT_N_LANGS);
  for (guint i = 0; i < r->replies->len; i++)
    {
      const gchar *reply = g_ptr_array_index (r->replies, i);

      g_assert_true (g_utf8_validate (reply, -1, NULL));
      g_assert_cmpstr (reply, !=, "");
      g_assert_cmpint (g_utf8_strlen (reply, -1), <=, BFK_BOT_REPLY_MAX_CHARS);
      g_assert_null (strstr (reply, "{"));   /* no placeholder left unfilled */
    }
  for (guint i = 0; i < r->effects->len; i++)
    {
      const BfkBotEffect *e = g_ptr_array_index (r->effects, i);

      g_assert_cmpuint ((guint) e->kind, <, BFK_BOT_N_EFFECTS);
    }
}

static BfkBotResult *
conv_send (Conv        *c,
           const gchar *text)
{
  const MemberRow *row = c->member ? world_member (&c->world, c->member) : NULL;
  g_autoptr(BfkBotMember) member = row ? member_new (&c->world, row) : NULL;
  BfkBotInput in = {
    .state = c->state, .pending = c->pending, .lang = c->lang,
    .staff_takeover = c->takeover, .member = member, .text = text, .now = c->now,
    .proposal_ttl = c->ttl,
  };
  BfkBotResult *r = bfk_bot_handle (&c->vtable, &in);

  assert_result_sane (r);
  c->state = r->state;
  g_free (c->pending);
  c->pending = g_strdup (r->pending);
  c->lang = r->lang;
  return r;
}

static gchar *
replies_of (const BfkBotResult *r)
{
  g_autoptr(GString) all = g_string_new (NULL);

  for (guint i = 0; i < r->replies->len; i++)
    g_string_append_printf (all, "%s\n", (const gchar *) g_ptr_array_index (r->replies, i));
  return g_strdup (all->str);
}

static void
assert_says (const BfkBotResult *r,
             const gchar        *words)
{
  g_autofree gchar *all = replies_of (r);

  if (words && !strstr (all, words))
    g_error ("“%s” not in the replies:\n%s", words, all);
}

static const BfkBotEffect *
only_effect (const BfkBotResult *r)
{
  g_assert_cmpuint (r->effects->len, ==, 1);
  return g_ptr_array_index (r->effects, 0);
}

/* --- the table --- */

#define NONE (-1)
#define S_INIT BFK_BOT_STATE_INIT
#define S_CC   BFK_BOT_STATE_COMMUNITY_CHOSEN
#define S_REG  BFK_BOT_STATE_REGISTERED
#define S_SEA  BFK_BOT_STATE_SEARCHING
#define S_EXC  BFK_BOT_STATE_EXCHANGING
#define OP     BFK_BOT_EFFECT_CHAIN_OP
#define PEND     "v=1&p=2&pn=Marie&s=couture&a=150&t=1750000000"
#define PEND_OLD "v=1&p=2&pn=Marie&s=couture&a=150&t=1749990000"
#define LONG_SERVICE "un service vraiment beaucoup trop long pour tenir sur un écran, vraiment"

typedef struct
{
  gint         kind;        /* a BfkBotEffectKind, or NONE */
  BfkOpKind    op;
  guint64      id;          /* the exchange or offer */
  guint64      amount;
  gint64       other;
  guint        stars;
  guint64      community;
  const gchar *text;
} Want;

typedef struct
{
  gint64       member;
  BfkBotState  state;
  const gchar *pending;
  const gchar *text;
  BfkBotState  then;
  const gchar *words[4];    /* in the replies, in both languages */
  const gchar *fr, *en;     /* in the French, the English replies */
  Want         effect;
} Case;

static const Case cases[] = {
  /* --- the menu and what a member reads --- */
  { PAUL, S_REG, NULL, "AIDE", S_REG, { "BACKERS", "AGENT" }, "Commandes", "Commands", { NONE } },
  { PAUL, S_REG, NULL, "help", S_REG, { "BACKERS" }, "SOLDE", "BALANCE", { NONE } },
  { PAUL, S_REG, NULL, "Menu", S_REG, { "BACKERS" }, "PROPOSER", "PROPOSE", { NONE } },
  { PAUL, S_REG, NULL, "Bonjour", S_REG, { "BACKERS" }, "EVALUER", "RATE", { NONE } },
  { PAUL, S_REG, NULL, "SOLDE", S_REG, { "1000 Fonjoka", "200 Fonjoka" }, "Solde", "Balance", { NONE } },
  { PAUL, S_REG, NULL, "*solde*", S_REG, { "1000 Fonjoka" }, "disponibles", "available", { NONE } },
  { PAUL, S_REG, NULL, "  Balance ? ", S_REG, { "1000 Fonjoka" }, "Bloqués", "Held", { NONE } },
  { JEAN, S_REG, NULL, "solde", S_REG, { "1000 Banjika" }, "Solde", "Balance", { NONE } },
  { PAUL, S_REG, NULL, "PROFIL", S_REG, { "Paul", "Fondjomenkwet", "15/03/2024", "3" },
    "4,5/5 (2 avis)", "4.5/5 (2 ratings)", { NONE } },
  { PAUL, S_REG, NULL, "profile", S_REG, { "réparation vélo", "200 Fonjoka" }, "n°5", "no. 5", { NONE } },
  { MARIE, S_REG, NULL, "Profil", S_REG, { "Marie" }, "pas encore d'avis", "no ratings yet", { NONE } },
  { PAUL, S_REG, NULL, "COMMUNAUTÉ", S_REG, { "Fondjomenkwet", "Fonjoka (FJK)", "42", "12345 Fonjoka" },
    "Membres", "Members", { NONE } },
  { JEAN, S_REG, NULL, "community", S_REG, { "Banja", "Banjika (BJK)" }, "Monnaie", "Currency", { NONE } },
  { PAUL, S_REG, NULL, "BACKERS", S_REG, { "ONG Solidarité", "1200 Fonjoka", "5000", "AGENT" },
    "cette semaine", "this week", { NONE } },
  { JEAN, S_REG, NULL, "backers", S_REG, { "Banja", "AGENT" }, "Pas encore de backer", "No backer", { NONE } },
  { PAUL, S_REG, NULL, "AGENT", S_REG, { "Bafoka" }, "équipe", "team",
    { BFK_BOT_EFFECT_FLAG_AGENT, .text = "AGENT" } },
  { PAUL, S_REG, NULL, "blabla", S_REG, { 0 }, "AIDE", "HELP", { NONE } },
  { PAUL, S_REG, NULL, "OUI", S_REG, { 0 }, "Rien à confirmer", "Nothing to confirm", { NONE } },
  { PAUL, S_REG, NULL, "non", S_REG, { 0 }, "Rien à confirmer", "Nothing to confirm", { NONE } },
  { PAUL, S_REG, NULL, "LANGUE", S_REG, { 0 }, "LANGUE FR", "LANGUAGE EN", { NONE } },
  { PAUL, S_REG, NULL, "LANGUE de", S_REG, { 0 }, "LANGUE EN", "LANGUAGE FR", { NONE } },

  /* --- offers --- */
  { PAUL, S_REG, NULL, "OFFRIR couture de robes 500", S_REG, { "couture de robes", "500 Fonjoka" },
    "Offre ajoutée", "Offer added",
    { BFK_BOT_EFFECT_OFFER_ADD, .amount = 500, .text = "couture de robes" } },
  { PAUL, S_REG, NULL, "offer sewing 1 500", S_REG, { "sewing", "1500 Fonjoka" }, "PROFIL", "PROFILE",
    { BFK_BOT_EFFECT_OFFER_ADD, .amount = 1500, .text = "sewing" } },
  { AWA, S_REG, NULL, "OFFRIR tresses 200", S_REG, { "tresses" }, "Offre ajoutée", "Offer added",
    { BFK_BOT_EFFECT_OFFER_ADD, .amount = 200, .text = "tresses" } },
  { PAUL, S_REG, NULL, "OFFRIR", S_REG, { 0 }, "OFFRIR service prix", "OFFER service price", { NONE } },
  { PAUL, S_REG, NULL, "OFFRIR 500", S_REG, { 0 }, "OFFRIR couture 500", "OFFER sewing 500", { NONE } },
  { PAUL, S_REG, NULL, "OFFRIR couture", S_REG, { "couture 500" }, "Il manque le prix",
    "Missing: the price", { NONE } },
  { PAUL, S_REG, NULL, "OFFRIR couture -5", S_REG, { "-5", "couture 500" }, "négatif", "negative", { NONE } },
  { PAUL, S_REG, NULL, "OFFRIR couture 1,5", S_REG, { "1,5" }, "pas un nombre entier",
    "not a whole number", { NONE } },
  { PAUL, S_REG, NULL, "OFFRIR couture abc", S_REG, { "abc" }, "n'est pas un nombre",
    "is not a number", { NONE } },
  { PAUL, S_REG, NULL, "OFFRIR couture 99999999999999999999999", S_REG,
    { "99999999999999999999999" }, "trop grand", "too big", { NONE } },
  { PAUL, S_REG, NULL, "OFFRIR couture 0", S_REG, { "couture 500" }, "au moins 1", "at least 1", { NONE } },
  { PAUL, S_REG, NULL, "OFFRIR " LONG_SERVICE " 5", S_REG, { "60" }, "trop longuement", "too long", { NONE } },
  { FATOU, S_REG, NULL, "OFFRIR couture 100", S_REG, { "10" }, "déjà 10 offres",
    "already have 10 offers", { NONE } },
  { PAUL, S_REG, NULL, "RETIRER 5", S_REG, { 0 }, "Offre n°5 retirée", "Offer no. 5 removed",
    { BFK_BOT_EFFECT_OFFER_REMOVE, .id = 5 } },
  { PAUL, S_REG, NULL, "remove #5", S_REG, { 0 }, "Offre n°5 retirée", "Offer no. 5 removed",
    { BFK_BOT_EFFECT_OFFER_REMOVE, .id = 5 } },
  { PAUL, S_REG, NULL, "RETIRER 3", S_REG, { "réparation vélo" }, "pas d'offre n°3", "no offer no. 3",
    { NONE } },
  { PAUL, S_REG, NULL, "RETIRER", S_REG, { "réparation vélo" }, "Il manque le numéro de l'offre",
    "Missing: the offer number", { NONE } },
  { PAUL, S_REG, NULL, "RETIRER abc", S_REG, { "abc", "réparation vélo" }, "n'est pas un nombre",
    "is not a number", { NONE } },
  { PAUL, S_REG, NULL, "RETIRER -5", S_REG, { "-5" }, "négatif", "negative", { NONE } },
  { NADIA, S_REG, NULL, "RETIRER 3", S_REG, { 0 }, "pas d'offre", "no offer", { NONE } },

  /* --- search --- */
  { PAUL, S_REG, NULL, "RECHERCHER couture", S_REG, { "Marie", "500 Fonjoka" }, "n°3 couture",
    "no. 3 couture", { NONE } },
  { PAUL, S_REG, NULL, "chercher COIFFURE", S_REG, { "coiffure", "300 Fonjoka" }, "Offres pour",
    "Offers for", { NONE } },
  { PAUL, S_REG, NULL, "RECHERCHER", S_SEA, { 0 }, "Que cherchez-vous", "What are you looking for",
    { NONE } },
  { PAUL, S_SEA, NULL, "couture", S_REG, { "Marie", "500 Fonjoka" }, "Offres pour", "Offers for", { NONE } },
  { PAUL, S_SEA, NULL, "plomberie", S_REG, { "plomberie", "Fondjomenkwet" }, "Aucune offre", "No offer",
    { NONE } },
  { PAUL, S_SEA, NULL, "SOLDE", S_REG, { "1000 Fonjoka" }, "Solde", "Balance", { NONE } },
  { PAUL, S_SEA, NULL, "RECHERCHER", S_SEA, { 0 }, "Que cherchez-vous", "What are you looking for",
    { NONE } },

  /* --- PROPOSER --- */
  { PAUL, S_REG, NULL, "PROPOSER Marie couture 150", S_EXC, { "150 Fonjoka", "Marie", "couture" },
    "OUI ou NON", "YES or NO", { NONE } },
  { PAUL, S_REG, NULL, "proposer marie Couture 150", S_EXC, { "150 Fonjoka", "Marie", "Couture" },
    "OUI ou NON", "YES or NO", { NONE } },
  { PAUL, S_REG, NULL, "*Proposer* @Marie couture de robe 1 000", S_EXC,
    { "1000 Fonjoka", "couture de robe" }, "OUI ou NON", "YES or NO", { NONE } },
  { PAUL, S_REG, NULL, "PROPOSE Marie sewing 1000", S_EXC, { "1000 Fonjoka", "sewing" }, "OUI ou NON",
    "YES or NO", { NONE } },
  { PAUL, S_REG, NULL, "PROPOSER Jean couture 150", S_REG, { "Jean", "Fondjomenkwet" },
    "pas dans votre communauté", "not in your community", { NONE } },
  { PAUL, S_REG, NULL, "PROPOSER ali couture 150", S_REG, { "Ali" }, "pas dans votre communauté",
    "not in your community", { NONE } },
  { JEAN, S_REG, NULL, "PROPOSER Marie couture 150", S_REG, { "Marie", "Banja" },
    "pas dans votre communauté", "not in your community", { NONE } },
  { PAUL, S_REG, NULL, "PROPOSER Paul couture 150", S_REG, { 0 }, "vous payer vous-même",
    "cannot pay yourself", { NONE } },
  { PAUL, S_REG, NULL, "PROPOSER PAUL couture 150", S_REG, { 0 }, "vous payer vous-même",
    "cannot pay yourself", { NONE } },
  { PAUL, S_REG, NULL, "PROPOSER Inconnu couture 150", S_REG, { "Inconnu", "Fondjomenkwet" }, "Personne",
    "Nobody", { NONE } },
  { PAUL, S_REG, NULL, "PROPOSER Ma-rie couture 150", S_REG, { "Ma-rie" }, "Personne", "Nobody", { NONE } },
  { PAUL, S_REG, NULL, "PROPOSER Awa couture 150", S_REG, { "Awa" }, "pas encore confirmée",
    "not confirmed yet", { NONE } },
  { PAUL, S_REG, NULL, "PROPOSER Marie couture -5", S_REG, { "-5", "Marie couture 150" }, "négatif",
    "negative", { NONE } },
  { PAUL, S_REG, NULL, "PROPOSER Marie couture 1,5", S_REG, { "1,5", "Marie couture 150" },
    "pas un nombre entier", "not a whole number", { NONE } },
  { PAUL, S_REG, NULL, "PROPOSER Marie couture abc", S_REG, { "abc", "Marie couture 150" },
    "n'est pas un nombre", "is not a number", { NONE } },
  { PAUL, S_REG, NULL, "PROPOSER Marie couture 99999999999999999999999", S_REG, { "1000 Fonjoka" },
    "de 1 à 1000", "from 1 to 1000", { NONE } },
  { PAUL, S_REG, NULL, "PROPOSER Marie couture 1001", S_REG, { "1000 Fonjoka", "Marie couture 150" },
    "de 1 à 1000", "from 1 to 1000", { NONE } },
  { PAUL, S_REG, NULL, "PROPOSER Marie couture 0", S_REG, { "Marie couture 150" }, "au moins 1",
    "at least 1", { NONE } },
  { PAUL, S_REG, NULL, "PROPOSER Marie couture", S_REG, { "Marie couture 150" }, "Il manque le montant",
    "Missing: the amount", { NONE } },
  { PAUL, S_REG, NULL, "PROPOSER Marie 150", S_REG, { "Marie" }, "Quel service", "Which service", { NONE } },
  { PAUL, S_REG, NULL, "PROPOSER Marie", S_REG, { "Marie" }, "Quel service", "Which service", { NONE } },
  { PAUL, S_REG, NULL, "PROPOSER", S_REG, { "Marie" }, "PROPOSER nom service montant",
    "PROPOSE name service amount", { NONE } },
  { PAUL, S_REG, NULL, "PROPOSER Marie " LONG_SERVICE " 10", S_REG, { "60" }, "trop longuement",
    "too long", { NONE } },
  { NADIA, S_REG, NULL, "PROPOSER Marie couture 10", S_REG, { "0 Fonjoka", "BACKERS" }, "rien payer",
    "cannot pay anything", { NONE } },

  /* --- a member whose registration is not mined yet --- */
  { AWA, S_REG, NULL, "SOLDE", S_REG, { 0 }, "inscription est en cours",
    "registration is in progress", { NONE } },
  { AWA, S_REG, NULL, "PROFIL", S_REG, { 0 }, "inscription est en cours",
    "registration is in progress", { NONE } },
  { AWA, S_REG, NULL, "PROPOSER Marie couture 10", S_REG, { 0 }, "inscription est en cours",
    "registration is in progress", { NONE } },
  { AWA, S_REG, NULL, "ACCEPTER 12", S_REG, { 0 }, "inscription est en cours",
    "registration is in progress", { NONE } },
  { AWA, S_REG, NULL, "AIDE", S_REG, { "BACKERS" }, "Commandes", "Commands", { NONE } },
  { AWA, S_EXC, PEND, "OUI", S_EXC, { 0 }, "inscription est en cours",
    "registration is in progress", { NONE } },

  /* --- exchanges, as the payer (Paul pays 12, 13, 15, 17 to 20; is paid by 14) --- */
  { PAUL, S_REG, NULL, "ANNULER 12", S_REG, { "150 Fonjoka" }, "échange n°12 annulé",
    "exchange no. 12 cancelled", { OP, BFK_OP_CANCEL_EXCHANGE, 12, 150, MARIE, .community = 1 } },
  { PAUL, S_REG, NULL, "TERMINE 13", S_REG, { "150 Fonjoka", "Marie" }, "Paiement", "Paying",
    { OP, BFK_OP_COMPLETE_EXCHANGE, 13, 150, MARIE, .community = 1 } },
  { PAUL, S_REG, NULL, "terminé n°13", S_REG, { "Marie" }, "EVALUER 13", "RATE 13",
    { OP, BFK_OP_COMPLETE_EXCHANGE, 13, 150, MARIE, .community = 1 } },
  { PAUL, S_REG, NULL, "DONE #13", S_REG, { "Marie" }, "Paiement", "Paying",
    { OP, BFK_OP_COMPLETE_EXCHANGE, 13, 150, MARIE, .community = 1 } },
  { PAUL, S_REG, NULL, "Termine no 13", S_REG, { "Marie" }, "Paiement", "Paying",
    { OP, BFK_OP_COMPLETE_EXCHANGE, 13, 150, MARIE, .community = 1 } },
  { PAUL, S_REG, NULL, "TERMINE 12", S_REG, { "Marie" }, "ANNULER 12", "CANCEL 12", { NONE } },
  { PAUL, S_REG, NULL, "ANNULER 13", S_REG, { "Marie", "AGENT" }, "déjà accepté", "already accepted",
    { NONE } },
  { PAUL, S_REG, NULL, "ACCEPTER 12", S_REG, { "Marie" }, "rend le service", "gives the service",
    { NONE } },
  { PAUL, S_REG, NULL, "REFUSER 12", S_REG, { "Marie" }, "rend le service", "gives the service",
    { NONE } },
  { PAUL, S_REG, NULL, "TERMINE 14", S_REG, { "Marie" }, "qui paie", "who pays", { NONE } },
  { PAUL, S_REG, NULL, "TERMINE 18", S_REG, { 0 }, "déjà refusé", "already declined", { NONE } },
  { PAUL, S_REG, NULL, "ANNULER 20", S_REG, { 0 }, "déjà expiré", "already expired", { NONE } },
  { PAUL, S_REG, NULL, "ANNULER 19", S_REG, { 0 }, "déjà annulé", "already cancelled", { NONE } },
  { PAUL, S_REG, NULL, "EVALUER 14 5", S_REG, { "5/5", "Marie" }, "Merci", "Thank you",
    { OP, BFK_OP_RATE_EXCHANGE, 14, 300, MARIE, 5, 1 } },
  { PAUL, S_REG, NULL, "*Évaluer* 14 ⭐⭐⭐⭐", S_REG, { "4/5" }, "Merci", "Thank you",
    { OP, BFK_OP_RATE_EXCHANGE, 14, 300, MARIE, 4, 1 } },
  { PAUL, S_REG, NULL, "rate 14 5/5", S_REG, { "5/5" }, "Merci", "Thank you",
    { OP, BFK_OP_RATE_EXCHANGE, 14, 300, MARIE, 5, 1 } },
  { PAUL, S_REG, NULL, "EVALUER 15 4", S_REG, { 0 }, "déjà évalué", "already rated", { NONE } },
  { PAUL, S_REG, NULL, "EVALUER 12 5", S_REG, { 0 }, "pas terminé (en attente)",
    "not completed (waiting)", { NONE } },
  { PAUL, S_REG, NULL, "EVALUER 14 6", S_REG, { "6", "14 5" }, "1 à 5", "1 to 5", { NONE } },
  { PAUL, S_REG, NULL, "EVALUER 14 0", S_REG, { "0", "14 5" }, "1 à 5", "1 to 5", { NONE } },
  { PAUL, S_REG, NULL, "EVALUER 14 99999999999999999999999", S_REG, { "14 5" }, "1 à 5", "1 to 5",
    { NONE } },
  { PAUL, S_REG, NULL, "EVALUER 14", S_REG, { "14 5" }, "Il manque la note", "Missing: the rating",
    { NONE } },
  { PAUL, S_REG, NULL, "EVALUER 14 4,5", S_REG, { "4,5" }, "pas un nombre entier",
    "not a whole number", { NONE } },
  { PAUL, S_REG, NULL, "EVALUER 14 -3", S_REG, { "-3" }, "négatif", "negative", { NONE } },
  { PAUL, S_REG, NULL, "EVALUER 14 super", S_REG, { "super" }, "pas un nombre", "not a number", { NONE } },
  { PAUL, S_REG, NULL, "EVALUER", S_REG, { 0 }, "Il manque le numéro de l'échange",
    "Missing: the exchange number", { NONE } },
  { PAUL, S_REG, NULL, "ACCEPTER 16", S_REG, { 0 }, "ne vous concerne pas", "not yours", { NONE } },
  { PAUL, S_REG, NULL, "ANNULER 16", S_REG, { 0 }, "ne vous concerne pas", "not yours", { NONE } },
  { PAUL, S_REG, NULL, "EVALUER 16 5", S_REG, { 0 }, "ne vous concerne pas", "not yours", { NONE } },
  { PAUL, S_REG, NULL, "ACCEPTER 99", S_REG, { 0 }, "pas d'échange n°99", "no exchange no. 99", { NONE } },
  { PAUL, S_REG, NULL, "ACCEPTER", S_REG, { "12" }, "Il manque le numéro de l'échange",
    "Missing: the exchange number", { NONE } },
  { PAUL, S_REG, NULL, "ACCEPTER -5", S_REG, { "-5" }, "négatif", "negative", { NONE } },
  { PAUL, S_REG, NULL, "ACCEPTER 1,5", S_REG, { "1,5" }, "pas un nombre entier",
    "not a whole number", { NONE } },
  { PAUL, S_REG, NULL, "ACCEPTER abc", S_REG, { "abc" }, "pas un nombre", "not a number", { NONE } },
  { PAUL, S_REG, NULL, "ACCEPTER 99999999999999999999999", S_REG, { "99999999999999999999999" },
    "trop grand", "too big", { NONE } },
  { PAUL, S_REG, NULL, "ACCEPTER 0", S_REG, { 0 }, "au moins 1", "at least 1", { NONE } },
  { PAUL, S_REG, NULL, "TERMINE", S_REG, { "12" }, "Il manque le numéro", "Missing: the exchange",
    { NONE } },
  { PAUL, S_REG, NULL, "ANNULER x", S_REG, { "x" }, "pas un nombre", "not a number", { NONE } },

  /* --- exchanges, as the provider (Marie is paid by 12, 13, 15, 17 to 20; pays 14) --- */
  { MARIE, S_REG, NULL, "ACCEPTER 12", S_REG, { "150 Fonjoka", "Paul" }, "vous acceptez", "you accept",
    { OP, BFK_OP_ACCEPT_EXCHANGE, 12, 150, PAUL, .community = 1 } },
  { MARIE, S_REG, NULL, "accept 12", S_REG, { "Paul" }, "TERMINE 12", "DONE 12",
    { OP, BFK_OP_ACCEPT_EXCHANGE, 12, 150, PAUL, .community = 1 } },
  { MARIE, S_REG, NULL, "REFUSER 12", S_REG, { "Paul", "150 Fonjoka" }, "vous refusez", "you decline",
    { OP, BFK_OP_DECLINE_EXCHANGE, 12, 150, PAUL, .community = 1 } },
  { MARIE, S_REG, NULL, "ACCEPTER 17", S_REG, { 0 }, "expiré", "expired", { NONE } },
  { MARIE, S_REG, NULL, "REFUSER 17", S_REG, { "Paul" }, "vous refusez", "you decline",
    { OP, BFK_OP_DECLINE_EXCHANGE, 17, 150, PAUL, .community = 1 } },
  { MARIE, S_REG, NULL, "ACCEPTER 13", S_REG, { 0 }, "déjà accepté", "already accepted", { NONE } },
  { MARIE, S_REG, NULL, "ACCEPTER 18", S_REG, { 0 }, "déjà refusé", "already declined", { NONE } },
  { MARIE, S_REG, NULL, "REFUSER 19", S_REG, { 0 }, "déjà annulé", "already cancelled", { NONE } },
  { MARIE, S_REG, NULL, "ACCEPTER 20", S_REG, { 0 }, "déjà expiré", "already expired", { NONE } },
  { MARIE, S_REG, NULL, "TERMINE 13", S_REG, { "Paul" }, "qui paie", "who pays", { NONE } },
  { MARIE, S_REG, NULL, "ANNULER 12", S_REG, { "Paul" }, "REFUSER 12", "DECLINE 12", { NONE } },
  { MARIE, S_REG, NULL, "EVALUER 14 3", S_REG, { "3/5", "Paul" }, "Merci", "Thank you",
    { OP, BFK_OP_RATE_EXCHANGE, 14, 300, PAUL, 3, 1 } },
  { MARIE, S_REG, NULL, "EVALUER 15 2", S_REG, { "2/5", "Paul" }, "Merci", "Thank you",
    { OP, BFK_OP_RATE_EXCHANGE, 15, 100, PAUL, 2, 1 } },
  { JEAN, S_REG, NULL, "ACCEPTER 16", S_REG, { "50 Banjika", "Ali" }, "vous acceptez", "you accept",
    { OP, BFK_OP_ACCEPT_EXCHANGE, 16, 50, ALI, .community = 2 } },
  { JEAN, S_REG, NULL, "ACCEPTER 12", S_REG, { 0 }, "ne vous concerne pas", "not yours", { NONE } },

  /* --- waiting for OUI / NON --- */
  { PAUL, S_EXC, PEND, "OUI", S_REG, { "150 Fonjoka", "Marie", "couture", "24 h" }, "C'est parti",
    "Done:", { OP, BFK_OP_PROPOSE_EXCHANGE, 0, 150, MARIE, .community = 1, .text = "couture" } },
  { PAUL, S_EXC, PEND, "*Oui*", S_REG, { "150 Fonjoka" }, "C'est parti", "Done:",
    { OP, BFK_OP_PROPOSE_EXCHANGE, 0, 150, MARIE, .community = 1, .text = "couture" } },
  { PAUL, S_EXC, PEND, "yes", S_REG, { "150 Fonjoka" }, "C'est parti", "Done:",
    { OP, BFK_OP_PROPOSE_EXCHANGE, 0, 150, MARIE, .community = 1, .text = "couture" } },
  { PAUL, S_EXC, PEND, "NON", S_REG, { 0 }, "Rien n'a été payé", "Nothing was paid", { NONE } },
  { PAUL, S_EXC, PEND, "no", S_REG, { 0 }, "Rien n'a été payé", "Nothing was paid", { NONE } },
  { PAUL, S_EXC, PEND, "peut-être", S_EXC, { "150 Fonjoka", "Marie" }, "OUI ou NON", "YES or NO",
    { NONE } },
  { PAUL, S_EXC, PEND, "SOLDE", S_EXC, { "1000 Fonjoka", "Marie" }, "OUI ou NON", "YES or NO",
    { NONE } },
  { PAUL, S_EXC, PEND, "PROPOSER Marie couture -5", S_EXC, { "-5", "150 Fonjoka" }, "OUI ou NON",
    "YES or NO", { NONE } },
  { PAUL, S_EXC, PEND, "RECHERCHER", S_SEA, { 0 }, "Que cherchez-vous", "What are you looking for",
    { NONE } },
  { PAUL, S_EXC, PEND, "PROPOSER Marie coiffure 300", S_EXC, { "300 Fonjoka", "coiffure" },
    "L'argent reste bloqué", "The money stays held", { NONE } },
  { PAUL, S_EXC, PEND, "AGENT", S_EXC, { "150 Fonjoka" }, "équipe", "team",
    { BFK_BOT_EFFECT_FLAG_AGENT, .text = "AGENT" } },
  { PAUL, S_EXC, "garbage", "OUI", S_REG, { 0 }, "Rien à confirmer", "Nothing to confirm", { NONE } },
  { PAUL, S_EXC, NULL, "OUI", S_REG, { 0 }, "Rien à confirmer", "Nothing to confirm", { NONE } },
  { PAUL, S_EXC, PEND_OLD, "OUI", S_REG, { "Marie couture 150" }, "trop ancienne", "too old", { NONE } },
  { NADIA, S_EXC, PEND, "OUI", S_REG, { "BACKERS" }, "rien payer", "cannot pay anything", { NONE } },

  /* --- a member without a conversation yet (imported), or a number without a member --- */
  { PAUL, S_INIT, NULL, "Bonjour", S_REG, { "Paul", "Fondjomenkwet", "BACKERS" }, "Bonjour Paul",
    "Hello Paul", { NONE } },
  { PAUL, S_INIT, NULL, "SOLDE", S_REG, { "Paul", "1000 Fonjoka" }, "Bienvenue", "Welcome", { NONE } },
  { PAUL, S_CC, "v=1&c=2", "Paul", S_REG, { "Paul", "Fondjomenkwet" }, "Bonjour Paul", "Hello Paul",
    { NONE } },
  { 0, S_REG, NULL, "SOLDE", S_INIT, { "1. Fondjomenkwet (Fonjoka)", "3. Bafouka (Bafouka)" },
    "Choisissez votre communauté", "Choose your community", { NONE } },
  { 0, S_INIT, NULL, "Bonjour", S_INIT,
    { "1. Fondjomenkwet (Fonjoka)", "2. Banja (Banjika)", "3. Bafouka (Bafouka)" }, "Bienvenue",
    "Welcome", { NONE } },
  { 0, S_INIT, NULL, "je veux m'inscrire", S_INIT, { "2. Banja" }, "Bienvenue", "Welcome", { NONE } },
  { 0, S_INIT, NULL, "1", S_CC, { "Fondjomenkwet", "Fonjoka", "Marie_2" }, "nom d'utilisateur",
    "user name", { NONE } },
  { 0, S_INIT, NULL, "2.", S_CC, { "Banja" }, "nom d'utilisateur", "user name", { NONE } },
  { 0, S_INIT, NULL, "banja", S_CC, { "Banja" }, "nom d'utilisateur", "user name", { NONE } },
  { 0, S_INIT, NULL, "*3*", S_CC, { "Bafouka" }, "nom d'utilisateur", "user name", { NONE } },
  { 0, S_INIT, NULL, "7", S_INIT, { "1. Fondjomenkwet" }, "de 1 à 3", "from 1 to 3", { NONE } },
  { 0, S_INIT, NULL, "0", S_INIT, { 0 }, "de 1 à 3", "from 1 to 3", { NONE } },
  { 0, S_INIT, NULL, "99999999999999999999", S_INIT, { 0 }, "de 1 à 3", "from 1 to 3", { NONE } },
  { 0, S_INIT, NULL, "SOLDE", S_INIT, { "1. Fondjomenkwet" }, "Bienvenue", "Welcome", { NONE } },
  { 0, S_INIT, NULL, "AGENT", S_INIT, { 0 }, "équipe", "team",
    { BFK_BOT_EFFECT_FLAG_AGENT, .text = "AGENT" } },
  { 0, S_CC, "v=1&c=1", "Jean", S_REG, { "Jean", "Fondjomenkwet" }, "Inscription en cours",
    "Registration in progress", { BFK_BOT_EFFECT_REGISTER_MEMBER, .community = 1, .text = "Jean" } },
  { 0, S_CC, "v=1&c=1", "jean_paul", S_REG, { "jean_paul" }, "Inscription en cours",
    "Registration in progress",
    { BFK_BOT_EFFECT_REGISTER_MEMBER, .community = 1, .text = "jean_paul" } },
  { 0, S_CC, "v=1&c=1", "*Jean*", S_REG, { "Jean" }, "Inscription en cours", "Registration in progress",
    { BFK_BOT_EFFECT_REGISTER_MEMBER, .community = 1, .text = "Jean" } },
  { 0, S_CC, "v=1&c=1", "123", S_REG, { "123" }, "Inscription en cours", "Registration in progress",
    { BFK_BOT_EFFECT_REGISTER_MEMBER, .community = 1, .text = "123" } },
  { 0, S_CC, "v=1&c=2", "Marie", S_REG, { "Marie", "Banja" }, "Inscription en cours",
    "Registration in progress", { BFK_BOT_EFFECT_REGISTER_MEMBER, .community = 2, .text = "Marie" } },
  { 0, S_CC, "v=1&c=1", "Marie", S_CC, { "Marie", "Fondjomenkwet" }, "déjà pris", "already taken",
    { NONE } },
  { 0, S_CC, "v=1&c=1", "MARIE", S_CC, { "MARIE" }, "déjà pris", "already taken", { NONE } },
  { 0, S_CC, "v=1&c=1", "Jo", S_CC, { "Jo", "Marie_2" }, "ne convient pas", "cannot be used", { NONE } },
  { 0, S_CC, "v=1&c=1", "Ma rie", S_CC, { "Ma rie" }, "ne convient pas", "cannot be used", { NONE } },
  { 0, S_CC, "v=1&c=1", "Amélie", S_CC, { "Amélie" }, "ne convient pas", "cannot be used", { NONE } },
  { 0, S_CC, "v=1&c=1", "abcdefghijklmnopqrstu", S_CC, { 0 }, "ne convient pas", "cannot be used",
    { NONE } },
  { 0, S_CC, "v=1&c=1", "2", S_CC, { "Banja" }, "nom d'utilisateur", "user name", { NONE } },
  { 0, S_CC, "v=1&c=1", "9", S_CC, { "1. Fondjomenkwet" }, "de 1 à 3", "from 1 to 3", { NONE } },
  { 0, S_CC, "v=1&c=1", "AIDE", S_CC, { "Fondjomenkwet" }, "nom d'utilisateur", "user name", { NONE } },
  { 0, S_CC, "v=1&c=1", "SOLDE", S_CC, { "Fondjomenkwet" }, "nom d'utilisateur", "user name", { NONE } },
  { 0, S_CC, "v=1&c=9", "Jean", S_INIT, { "1. Fondjomenkwet" }, "Bienvenue", "Welcome", { NONE } },
  { 0, S_CC, "garbage", "Jean", S_INIT, { "1. Fondjomenkwet" }, "Bienvenue", "Welcome", { NONE } },
  { 0, S_EXC, PEND, "OUI", S_INIT, { "1. Fondjomenkwet" }, "Bienvenue", "Welcome", { NONE } },
};

static void
check_effect (const Case         *c,
              const BfkBotResult *r,
              BfkBotLang          lang)
{
  const BfkBotEffect *e;

  if (c->effect.kind == NONE)
    {
      g_assert_cmpuint (r->effects->len, ==, 0);
      return;
    }
  e = only_effect (r);
  g_assert_cmpint (e->kind, ==, c->effect.kind);
  g_assert_cmpint (e->member_id, ==, c->member);
  g_assert_cmpint (e->lang, ==, lang);
  if (c->effect.text)
    g_assert_cmpstr (e->text, ==, c->effect.text);
  switch (e->kind)
    {
    case BFK_BOT_EFFECT_CHAIN_OP:
      g_assert_cmpstr (bfk_op_kind_to_string (e->op), ==, bfk_op_kind_to_string (c->effect.op));
      g_assert_cmpuint (e->exchange_id, ==, c->effect.id);
      g_assert_cmpuint (e->amount, ==, c->effect.amount);
      g_assert_cmpint (e->other_id, ==, c->effect.other);
      g_assert_cmpuint (e->stars, ==, c->effect.stars);
      g_assert_cmpuint (e->community_id, ==, c->effect.community);
      if (e->op == BFK_OP_PROPOSE_EXCHANGE)
        g_assert_cmpint (e->deadline, ==, NOW + BFK_BOT_PROPOSAL_TTL_DEFAULT);
      break;
    case BFK_BOT_EFFECT_OFFER_ADD:
      g_assert_cmpuint (e->amount, ==, c->effect.amount);
      break;
    case BFK_BOT_EFFECT_OFFER_REMOVE:
      g_assert_cmpuint (e->offer_id, ==, c->effect.id);
      break;
    case BFK_BOT_EFFECT_REGISTER_MEMBER:
      g_assert_cmpuint (e->community_id, ==, c->effect.community);
      break;
    case BFK_BOT_EFFECT_SET_LANGUAGE:
    case BFK_BOT_EFFECT_FLAG_AGENT:
    case BFK_BOT_N_EFFECTS:
    default:
      break;
    }
}

static void
test_table (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    for (guint lang = 0; lang < BFK_BOT_N_LANGS; lang++)
      {
        const Case *c = &cases[i];
        Conv conv;
        g_autoptr(BfkBotResult) r = NULL;

        g_test_message ("case %u (%s): member %" G_GINT64_FORMAT ", %s, “%s”", i,
                        bfk_bot_lang_to_string (lang), c->member,
                        bfk_bot_state_to_string (c->state), c->text);
        conv_init (&conv, c->member, c->state, c->pending, lang);
        r = conv_send (&conv, c->text);
        if (g_test_verbose ())
          {
            g_autofree gchar *all = replies_of (r);

            g_test_message ("%s", all);
          }

        g_assert_cmpstr (bfk_bot_state_to_string (r->state), ==, bfk_bot_state_to_string (c->then));
        g_assert_cmpint (r->lang, ==, lang);
        g_assert_cmpuint (r->replies->len, >, 0);
        for (guint w = 0; w < G_N_ELEMENTS (c->words) && c->words[w]; w++)
          assert_says (r, c->words[w]);
        assert_says (r, lang == BFK_BOT_LANG_FR ? c->fr : c->en);
        check_effect (c, r, lang);
        /* Only the states that wait on something keep pending data. */
        if (r->state != BFK_BOT_STATE_EXCHANGING && r->state != BFK_BOT_STATE_COMMUNITY_CHOSEN)
          g_assert_cmpstr (r->pending, ==, "");
        else
          g_assert_cmpstr (r->pending, !=, "");
        conv_clear (&conv);
      }
}

/* --- the flows --- */

static void
test_register_flow (void)
{
  Conv conv;
  BfkBotResult *r;
  const BfkBotEffect *e;

  conv_init (&conv, 0, BFK_BOT_STATE_INIT, NULL, BFK_BOT_LANG_FR);

  r = conv_send (&conv, "Salut");
  assert_says (r, "Bienvenue");
  assert_says (r, "1. Fondjomenkwet (Fonjoka)");
  g_assert_cmpint (conv.state, ==, BFK_BOT_STATE_INIT);
  bfk_bot_result_free (r);

  r = conv_send (&conv, "1");
  g_assert_cmpint (conv.state, ==, BFK_BOT_STATE_COMMUNITY_CHOSEN);
  assert_says (r, "nom d'utilisateur");
  bfk_bot_result_free (r);

  r = conv_send (&conv, "Marie");          /* taken in Fondjomenkwet */
  assert_says (r, "déjà pris");
  g_assert_cmpint (conv.state, ==, BFK_BOT_STATE_COMMUNITY_CHOSEN);
  g_assert_cmpuint (r->effects->len, ==, 0);
  bfk_bot_result_free (r);

  r = conv_send (&conv, "Jean Pierre");    /* a space */
  assert_says (r, "ne convient pas");
  g_assert_cmpint (conv.state, ==, BFK_BOT_STATE_COMMUNITY_CHOSEN);
  bfk_bot_result_free (r);

  r = conv_send (&conv, "Jean");           /* Jean exists, but in Banja */
  g_assert_cmpint (conv.state, ==, BFK_BOT_STATE_REGISTERED);
  g_assert_cmpstr (conv.pending, ==, "");
  assert_says (r, "Inscription en cours");
  e = only_effect (r);
  g_assert_cmpint (e->kind, ==, BFK_BOT_EFFECT_REGISTER_MEMBER);
  g_assert_cmpuint (e->community_id, ==, 1);
  g_assert_cmpstr (e->text, ==, "Jean");
  g_assert_cmpint (e->member_id, ==, 0);
  bfk_bot_result_free (r);

  /* The caller created the member; the chain has not mined it yet. */
  conv.world.members[conv.world.n_members++] =
    (MemberRow) { NEWCOMER, "Jean", 1, FALSE, 0, 0, 0, 0, 0, NOW };
  conv.member = NEWCOMER;
  r = conv_send (&conv, "SOLDE");
  assert_says (r, "inscription est en cours");
  g_assert_cmpint (conv.state, ==, BFK_BOT_STATE_REGISTERED);
  bfk_bot_result_free (r);

  /* Mined: the grant is there. */
  conv.world.members[conv.world.n_members - 1].on_chain = TRUE;
  conv.world.members[conv.world.n_members - 1].balance = 1000;
  r = conv_send (&conv, "solde");
  assert_says (r, "1000 Fonjoka");
  bfk_bot_result_free (r);
  conv_clear (&conv);

  /* In English from the first message. */
  conv_init (&conv, 0, BFK_BOT_STATE_INIT, NULL, BFK_BOT_LANG_FR);
  r = conv_send (&conv, "LANGUAGE EN");
  g_assert_cmpint (conv.lang, ==, BFK_BOT_LANG_EN);
  assert_says (r, "Language: English");
  assert_says (r, "Welcome");
  e = only_effect (r);
  g_assert_cmpint (e->kind, ==, BFK_BOT_EFFECT_SET_LANGUAGE);
  g_assert_cmpint (e->lang, ==, BFK_BOT_LANG_EN);
  g_assert_cmpint (e->member_id, ==, 0);
  bfk_bot_result_free (r);
  r = conv_send (&conv, "2");
  assert_says (r, "Choose your user name");
  bfk_bot_result_free (r);
  r = conv_send (&conv, "english");        /* again, while asked for a name */
  assert_says (r, "Choose your user name");
  g_assert_cmpint (conv.state, ==, BFK_BOT_STATE_COMMUNITY_CHOSEN);
  bfk_bot_result_free (r);
  r = conv_send (&conv, "Kofi");
  e = only_effect (r);
  g_assert_cmpuint (e->community_id, ==, 2);
  g_assert_cmpint (e->lang, ==, BFK_BOT_LANG_EN);
  assert_says (r, "Registration in progress");
  bfk_bot_result_free (r);
  conv_clear (&conv);
}

static void
test_propose_flow (void)
{
  static const gchar *const spellings[][2] = {
    { "PROPOSER Marie couture 150", "OUI" },
    { "proposer marie Couture 150", "oui" },
  };
  Conv conv;
  BfkBotResult *r;
  const BfkBotEffect *e;

  for (guint i = 0; i < G_N_ELEMENTS (spellings); i++)
    {
      conv_init (&conv, PAUL, BFK_BOT_STATE_REGISTERED, NULL, BFK_BOT_LANG_FR);
      r = conv_send (&conv, spellings[i][0]);
      g_assert_cmpint (conv.state, ==, BFK_BOT_STATE_EXCHANGING);
      g_assert_cmpuint (r->effects->len, ==, 0);   /* nothing moves before OUI */
      bfk_bot_result_free (r);

      conv.now = NOW + 60;
      r = conv_send (&conv, spellings[i][1]);
      g_assert_cmpint (conv.state, ==, BFK_BOT_STATE_REGISTERED);
      g_assert_cmpstr (conv.pending, ==, "");
      e = only_effect (r);
      g_assert_cmpint (e->kind, ==, BFK_BOT_EFFECT_CHAIN_OP);
      g_assert_cmpint (e->op, ==, BFK_OP_PROPOSE_EXCHANGE);
      g_assert_cmpint (e->member_id, ==, PAUL);
      g_assert_cmpint (e->other_id, ==, MARIE);
      g_assert_cmpuint (e->amount, ==, 150);
      g_assert_cmpuint (e->community_id, ==, 1);
      g_assert_cmpint (e->deadline, ==, NOW + 60 + 24 * 3600);
      g_assert_cmpstr (e->text, ==, i == 0 ? "couture" : "Couture");
      assert_says (r, "Enregistrement en cours");
      assert_says (r, "24 h");
      bfk_bot_result_free (r);

      /* A second OUI confirms nothing more. */
      r = conv_send (&conv, "OUI");
      g_assert_cmpuint (r->effects->len, ==, 0);
      assert_says (r, "Rien à confirmer");
      bfk_bot_result_free (r);
      conv_clear (&conv);
    }

  /* NON cancels. */
  conv_init (&conv, PAUL, BFK_BOT_STATE_REGISTERED, NULL, BFK_BOT_LANG_FR);
  bfk_bot_result_free (conv_send (&conv, "PROPOSER Marie couture 150"));
  r = conv_send (&conv, "NON");
  g_assert_cmpint (conv.state, ==, BFK_BOT_STATE_REGISTERED);
  g_assert_cmpuint (r->effects->len, ==, 0);
  assert_says (r, "Rien n'a été payé");
  bfk_bot_result_free (r);
  conv_clear (&conv);

  /* A new PROPOSER while one waits: one question, the new one. */
  conv_init (&conv, PAUL, BFK_BOT_STATE_EXCHANGING, PEND, BFK_BOT_LANG_FR);
  r = conv_send (&conv, "PROPOSER Marie coiffure 300");
  g_assert_cmpuint (r->replies->len, ==, 1);
  assert_says (r, "300 Fonjoka");
  bfk_bot_result_free (r);
  r = conv_send (&conv, "OUI");
  g_assert_cmpuint (only_effect (r)->amount, ==, 300);
  g_assert_cmpstr (only_effect (r)->text, ==, "coiffure");
  bfk_bot_result_free (r);
  conv_clear (&conv);

  /* A deadline of the caller's choosing. */
  conv_init (&conv, PAUL, BFK_BOT_STATE_REGISTERED, NULL, BFK_BOT_LANG_EN);
  conv.ttl = 2 * 3600;
  bfk_bot_result_free (conv_send (&conv, "PROPOSE Marie sewing 20"));
  r = conv_send (&conv, "YES");
  e = only_effect (r);
  g_assert_cmpint (e->deadline, ==, NOW + 2 * 3600);
  g_assert_cmpuint (e->amount, ==, 20);
  assert_says (r, "2 h to accept");
  bfk_bot_result_free (r);
  conv_clear (&conv);

  /* The balance fell between PROPOSER and OUI: nothing is sent. */
  conv_init (&conv, PAUL, BFK_BOT_STATE_REGISTERED, NULL, BFK_BOT_LANG_FR);
  bfk_bot_result_free (conv_send (&conv, "PROPOSER Marie couture 900"));
  conv.world.members[0].balance = 100;
  r = conv_send (&conv, "OUI");
  g_assert_cmpuint (r->effects->len, ==, 0);
  assert_says (r, "100 Fonjoka");
  g_assert_cmpint (conv.state, ==, BFK_BOT_STATE_REGISTERED);
  bfk_bot_result_free (r);
  conv_clear (&conv);

  /* OUI two hours later: too old. */
  conv_init (&conv, PAUL, BFK_BOT_STATE_REGISTERED, NULL, BFK_BOT_LANG_FR);
  bfk_bot_result_free (conv_send (&conv, "PROPOSER Marie couture 150"));
  conv.now = NOW + 2 * 3600;
  r = conv_send (&conv, "OUI");
  g_assert_cmpuint (r->effects->len, ==, 0);
  assert_says (r, "PROPOSER Marie couture 150");
  bfk_bot_result_free (r);
  conv_clear (&conv);
}

static void
test_imported_member (void)
{
  Conv conv;
  g_autoptr(BfkBotResult) r = NULL;
  g_autofree gchar *all = NULL;

  /* A member enrolled from a CSV writes for the first time. */
  conv_init (&conv, PAUL, BFK_BOT_STATE_INIT, NULL, BFK_BOT_LANG_FR);
  r = conv_send (&conv, "Bonjour");
  all = replies_of (r);
  g_assert_cmpint (conv.state, ==, BFK_BOT_STATE_REGISTERED);
  g_assert_cmpuint (r->effects->len, ==, 0);
  g_assert_cmpuint (r->replies->len, ==, 2);
  assert_says (r, "Bonjour Paul");
  assert_says (r, "SOLDE");
  g_assert_null (strstr (all, "nom d'utilisateur"));
  g_assert_null (strstr (all, "Choisissez"));
  conv_clear (&conv);
}

static void
test_takeover (void)
{
  static const struct { gint64 member; BfkBotState state; const gchar *pending; } silent[] = {
    { PAUL, S_REG, NULL },
    { PAUL, S_SEA, NULL },
    { PAUL, S_EXC, PEND },
    { PAUL, S_EXC, "garbage stays as it is" },
    { 0, S_INIT, NULL },
    { 0, S_CC, "v=1&c=1" },
    { PAUL, S_INIT, NULL },
  };
  static const gchar *const texts[] = { "Ça va ?", "1", "Jean", "merci beaucoup", "" };
  Conv conv;
  BfkBotResult *r;

  for (guint i = 0; i < G_N_ELEMENTS (silent); i++)
    for (guint t = 0; t < G_N_ELEMENTS (texts); t++)
      {
        conv_init (&conv, silent[i].member, silent[i].state, silent[i].pending, BFK_BOT_LANG_FR);
        conv.takeover = TRUE;
        r = conv_send (&conv, texts[t]);
        g_assert_cmpuint (r->replies->len, ==, 0);
        g_assert_cmpuint (r->effects->len, ==, 0);
        g_assert_cmpint (r->state, ==, silent[i].state);
        g_assert_cmpstr (r->pending, ==, silent[i].pending ? silent[i].pending : "");
        bfk_bot_result_free (r);
        conv_clear (&conv);
      }

  /* Commands still work. */
  conv_init (&conv, PAUL, S_REG, NULL, BFK_BOT_LANG_FR);
  conv.takeover = TRUE;
  r = conv_send (&conv, "SOLDE");
  assert_says (r, "1000 Fonjoka");
  bfk_bot_result_free (r);
  conv_clear (&conv);

  conv_init (&conv, PAUL, S_EXC, PEND, BFK_BOT_LANG_FR);
  conv.takeover = TRUE;
  r = conv_send (&conv, "OUI");
  g_assert_cmpint (only_effect (r)->op, ==, BFK_OP_PROPOSE_EXCHANGE);
  bfk_bot_result_free (r);
  conv_clear (&conv);
}

static void
test_language (void)
{
  Conv conv;
  BfkBotResult *r;
  const BfkBotEffect *e;

  conv_init (&conv, PAUL, S_REG, NULL, BFK_BOT_LANG_FR);
  r = conv_send (&conv, "LANGUE EN");
  g_assert_cmpint (conv.lang, ==, BFK_BOT_LANG_EN);
  e = only_effect (r);
  g_assert_cmpint (e->kind, ==, BFK_BOT_EFFECT_SET_LANGUAGE);
  g_assert_cmpint (e->lang, ==, BFK_BOT_LANG_EN);
  g_assert_cmpint (e->member_id, ==, PAUL);
  assert_says (r, "Language: English");
  bfk_bot_result_free (r);

  /* French commands still work, answered in English. */
  r = conv_send (&conv, "SOLDE");
  assert_says (r, "Balance: 1000 Fonjoka available");
  bfk_bot_result_free (r);
  r = conv_send (&conv, "PROFIL");
  assert_says (r, "4.5/5");
  bfk_bot_result_free (r);

  r = conv_send (&conv, "*langue* FR");
  g_assert_cmpint (conv.lang, ==, BFK_BOT_LANG_FR);
  assert_says (r, "Langue : français");
  bfk_bot_result_free (r);

  /* In the middle of a proposal, the proposal waits. */
  conv_clear (&conv);
  conv_init (&conv, PAUL, S_EXC, PEND, BFK_BOT_LANG_FR);
  r = conv_send (&conv, "english");
  g_assert_cmpint (conv.state, ==, BFK_BOT_STATE_EXCHANGING);
  assert_says (r, "Answer YES or NO");
  bfk_bot_result_free (r);
  conv_clear (&conv);
}

static void
test_search_stays_home (void)
{
  Conv conv;
  BfkBotResult *r;
  g_autofree gchar *paul = NULL;
  g_autofree gchar *jean = NULL;

  conv_init (&conv, PAUL, S_REG, NULL, BFK_BOT_LANG_FR);
  r = conv_send (&conv, "RECHERCHER couture");
  paul = replies_of (r);
  bfk_bot_result_free (r);
  conv_clear (&conv);
  conv_init (&conv, JEAN, S_REG, NULL, BFK_BOT_LANG_FR);
  r = conv_send (&conv, "RECHERCHER couture");
  jean = replies_of (r);
  bfk_bot_result_free (r);
  conv_clear (&conv);

  g_assert_nonnull (strstr (paul, "500 Fonjoka"));
  g_assert_null (strstr (paul, "400"));
  g_assert_null (strstr (paul, "Jean"));
  g_assert_nonnull (strstr (jean, "400 Banjika"));
  g_assert_null (strstr (jean, "500"));
}

/* Whatever the world holds, replies stay short: lists are cut, names are
 * clipped. */
static void
test_long_world (void)
{
  static const struct { gint64 member; BfkBotState state; const gchar *pending; const gchar *text; } msgs[] = {
    { 0, S_INIT, NULL, "Bonjour" },
    { 0, S_INIT, NULL, "1" },
    { 0, S_INIT, NULL, "9" },
    { 0, S_CC, "v=1&c=1", "Marie" },
    { PAUL, S_INIT, NULL, "AIDE" },
    { PAUL, S_REG, NULL, "PROFIL" },
    { PAUL, S_REG, NULL, "COMMUNAUTE" },
    { PAUL, S_REG, NULL, "BACKERS" },
    { PAUL, S_REG, NULL, "RECHERCHER x" },
    { PAUL, S_REG, NULL, "RECHERCHER " LONG_SERVICE LONG_SERVICE },
    { PAUL, S_REG, NULL, "PROPOSER Marie " LONG_SERVICE " 5" },
    { PAUL, S_REG, NULL, "PROPOSER abcdefghijklmnopqrst_" LONG_SERVICE " 5" },
    { PAUL, S_REG, NULL, "ACCEPTER " LONG_SERVICE },
    { PAUL, S_REG, NULL, "OFFRIR " LONG_SERVICE " " LONG_SERVICE },
    { PAUL, S_EXC, PEND, "SOLDE" },
    { FATOU, S_REG, NULL, "PROFIL" },
    { FATOU, S_REG, NULL, "RETIRER 99" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (msgs); i++)
    for (guint lang = 0; lang < BFK_BOT_N_LANGS; lang++)
      {
        Conv conv;

        conv_init (&conv, msgs[i].member, msgs[i].state, msgs[i].pending, lang);
        conv.world.long_strings = TRUE;
        bfk_bot_result_free (conv_send (&conv, msgs[i].text));   /* asserts the bound */
        conv_clear (&conv);
      }
}

static void
test_no_world (void)
{
  const BfkBotMember paul = { .id = 1, .name = (gchar *) "Paul", .community_id = 1,
                              .registered_on_chain = TRUE, .balance = 7 };
  BfkBotInput in = { .state = S_INIT, .text = "Bonjour", .now = NOW };
  BfkBotResult *r;

  r = bfk_bot_handle (NULL, &in);
  assert_result_sane (r);
  assert_says (r, "Aucune communauté");
  bfk_bot_result_free (r);

  in.member = &paul;
  in.state = S_REG;
  in.text = "SOLDE";
  r = bfk_bot_handle (NULL, &in);
  assert_result_sane (r);
  assert_says (r, "7 ?");
  bfk_bot_result_free (r);

  in.text = "PROPOSER Marie couture 5";
  r = bfk_bot_handle (NULL, &in);
  assert_says (r, "Personne");
  bfk_bot_result_free (r);

  /* A state and a language out of range read as the defaults. */
  in.state = (BfkBotState) 77;
  in.lang = (BfkBotLang) 9;
  in.text = NULL;
  r = bfk_bot_handle (NULL, &in);
  assert_result_sane (r);
  g_assert_cmpint (r->state, ==, BFK_BOT_STATE_REGISTERED);
  g_assert_cmpint (r->lang, ==, BFK_BOT_LANG_FR);
  bfk_bot_result_free (r);
}

/* Any bytes, in any state: a reply (or silence), never a crash. */
static void
test_any_input (void)
{
  static const gchar *const texts[] = {
    "\xff\xfe", "PROPOSER \xc3 Marie 1", "OUI\xed\xa0\x80", "*", "_", "EVALUER ⭐", "1\xc3",
    "RETIRER \xe2\x88\x92", "PROPOSER @", "OFFRIR \xff 5",
  };
  static const gchar *const pendings[] = {
    NULL, "", "v=1", "v=1&c=", "v=1&c=-1", "v=1&c=99999999999999999999", "v=1&p=2&pn=%FF&s=x&a=1&t=1",
    "v=1&p=2&pn=Marie&s=%&a=1&t=1", "&&&==", "v=1&p=2&pn=Marie&s=couture&a=0&t=1",
    "v=1&p=2&pn=Ma%20rie&s=couture&a=5&t=1", "\xff\xfe",
  };

  for (guint s = 0; s < BFK_BOT_N_STATES; s++)
    for (guint p = 0; p < G_N_ELEMENTS (pendings); p++)
      for (guint t = 0; t < G_N_ELEMENTS (texts); t++)
        for (gint64 member = 0; member <= PAUL; member += PAUL)
          {
            Conv conv;

            conv_init (&conv, member, s, pendings[p], BFK_BOT_LANG_FR);
            bfk_bot_result_free (conv_send (&conv, texts[t]));
            conv_clear (&conv);
          }
}

static void
test_pending (void)
{
  BfkBotPending in = {
    .provider_id = 17, .provider_name = g_strdup ("jean_paul"),
    .service = g_strdup ("réparation & couture = 50% ?"), .amount = 150, .asked_at = NOW,
  };
  BfkBotPending out;
  g_autofree gchar *text = bfk_bot_pending_serialize (&in);
  static const gchar *const garbage[] = {
    NULL, "", "garbage", "%%%", "v=2&c=1", "c=1", "v=1&c=abc", "v=1&c=0",
    "v=1&p=abc&pn=Marie&s=x&a=1&t=1", "v=1&p=2&pn=Ma%20rie&s=x&a=1&t=1",
    "v=1&p=2&pn=%FF&s=x&a=1&t=1", "v=1&p=2&pn=Marie&s=x&a=-1&t=1",
    "v=1&p=2&pn=Marie&s=&a=1&t=1", "v=1&p=2&pn=Marie&s=x&a=1000000000001&t=1",
  };

  bfk_bot_pending_parse (text, &out);
  g_assert_cmpint (out.provider_id, ==, 17);
  g_assert_cmpstr (out.provider_name, ==, "jean_paul");
  g_assert_cmpstr (out.service, ==, "réparation & couture = 50% ?");
  g_assert_cmpuint (out.amount, ==, 150);
  g_assert_cmpint (out.asked_at, ==, NOW);
  g_assert_cmpuint (out.community_id, ==, 0);
  bfk_bot_pending_clear (&out);
  bfk_bot_pending_clear (&in);

  in.community_id = 3;
  g_free (text);
  text = bfk_bot_pending_serialize (&in);
  g_assert_cmpstr (text, ==, "v=1&c=3");
  bfk_bot_pending_parse (text, &out);
  g_assert_cmpuint (out.community_id, ==, 3);
  g_assert_false (bfk_bot_pending_has_proposal (&out));
  bfk_bot_pending_clear (&out);

  in.community_id = 0;
  g_free (text);
  text = bfk_bot_pending_serialize (&in);
  g_assert_cmpstr (text, ==, "");

  for (guint i = 0; i < G_N_ELEMENTS (garbage); i++)
    {
      bfk_bot_pending_parse (garbage[i], &out);
      g_assert_false (bfk_bot_pending_has_proposal (&out));
      g_assert_cmpuint (out.community_id, ==, 0);
      bfk_bot_pending_clear (&out);
    }
}

static void
test_states (void)
{
  BfkBotState state;

  for (guint i = 0; i < BFK_BOT_N_STATES; i++)
    {
      g_assert_true (bfk_bot_state_from_string (bfk_bot_state_to_string (i), &state));
      g_assert_cmpint (state, ==, i);
    }
  g_assert_cmpstr (bfk_bot_state_to_string (BFK_BOT_STATE_COMMUNITY_CHOSEN), ==, "COMMUNITY_CHOSEN");
  g_assert_cmpstr (bfk_bot_state_to_string (BFK_BOT_STATE_EXCHANGING), ==, "EXCHANGING");
  g_assert_false (bfk_bot_state_from_string ("registered", &state));
  g_assert_cmpint (state, ==, BFK_BOT_STATE_INIT);
  g_assert_false (bfk_bot_state_from_string (NULL, &state));
  g_assert_false (bfk_bot_state_from_string ("", NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/bot/table", test_table);
  g_test_add_func ("/bot/register-flow", test_register_flow);
  g_test_add_func ("/bot/propose-flow", test_propose_flow);
  g_test_add_func ("/bot/imported-member", test_imported_member);
  g_test_add_func ("/bot/takeover", test_takeover);
  g_test_add_func ("/bot/language", test_language);
  g_test_add_func ("/bot/search-stays-home", test_search_stays_home);
  g_test_add_func ("/bot/long-world", test_long_world);
  g_test_add_func ("/bot/no-world", test_no_world);
  g_test_add_func ("/bot/any-input", test_any_input);
  g_test_add_func ("/bot/pending", test_pending);
  g_test_add_func ("/bot/states", test_states);
  return g_test_run ();
}
