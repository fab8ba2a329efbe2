/* bfk-bot-texts.h: every text the WhatsApp bot sends, in French and English.
 *
 * A text is a template with named placeholders ("{other} vous propose
 * {amount} {currency}"), filled from a BfkBotVars.  Named rather than printf
 * placeholders, so that each language orders them as it needs and a wrong
 * argument cannot crash.  The templates live in one table (bfk-bot-texts.c),
 * and a unit test checks that every key has both languages, with the same
 * placeholders, all known.
 *
 * The bot's replies come from bfk_bot_handle (bfk-bot.h).  The
 * notifications (BFK_BOT_TEXT_NOTE_*) are for the caller to send later, when
 * the chain has answered; each says below which variables it reads.
 *
 * Pure: no I/O.  Threads: any.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  BFK_BOT_LANG_FR,
  BFK_BOT_LANG_EN,
  BFK_BOT_N_LANGS,
} BfkBotLang;

/* "fr" / "en"; from_string takes either, in any case, and answers FALSE
 * (and French) for anything else. */
const gchar *bfk_bot_lang_to_string   (BfkBotLang    lang);
gboolean     bfk_bot_lang_from_string (const gchar  *text,
                                       BfkBotLang   *out);

/* A reply is kept below this many characters (not bytes): it must fit a
 * small phone's screen.  Lists are cut short to stay under it. */
#define BFK_BOT_REPLY_MAX_CHARS 600

typedef enum
{
  /* --- joining --- */
  BFK_BOT_TEXT_WELCOME,               /* {detail}: COMMUNITY_LINE lines */
  BFK_BOT_TEXT_COMMUNITY_LINE,        /* {n} {community} {currency} */
  BFK_BOT_TEXT_NO_COMMUNITY,
  BFK_BOT_TEXT_COMMUNITY_BAD_CHOICE,  /* {count} {detail} */
  BFK_BOT_TEXT_ASK_NAME,              /* {community} {currency} */
  BFK_BOT_TEXT_NAME_INVALID,          /* {words} */
  BFK_BOT_TEXT_NAME_TAKEN,            /* {name} {community} */
  BFK_BOT_TEXT_REGISTERING,           /* {name} {community} */
  BFK_BOT_TEXT_GREET_MEMBER,          /* {name} {community} */
  BFK_BOT_TEXT_REGISTRATION_PENDING,

  /* --- general --- */
  BFK_BOT_TEXT_MENU,
  BFK_BOT_TEXT_NOT_UNDERSTOOD,
  BFK_BOT_TEXT_LANG_SET,
  BFK_BOT_TEXT_LANG_USAGE,
  BFK_BOT_TEXT_AGENT_FLAGGED,

  /* --- information --- */
  BFK_BOT_TEXT_BALANCE,               /* {balance} {escrow} {currency} */
  BFK_BOT_TEXT_PROFILE,               /* {name} {community} {reputation} {count} {date} */
  BFK_BOT_TEXT_REPUTATION,            /* {rating} {count} */
  BFK_BOT_TEXT_REPUTATION_NONE,
  BFK_BOT_TEXT_COMMUNITY_INFO,        /* {community} {currency} {symbol} {count} {volume} */
  BFK_BOT_TEXT_BACKERS_LIST,          /* {community} {detail} */
  BFK_BOT_TEXT_BACKER_LINE,           /* {name} {left} {cap} {currency} */
  BFK_BOT_TEXT_BACKERS_NONE,          /* {community} */

  /* --- offers --- */
  BFK_BOT_TEXT_OFFER_ADDED,           /* {service} {amount} {currency} */
  BFK_BOT_TEXT_OFFER_USAGE,
  BFK_BOT_TEXT_OFFER_TOO_MANY,        /* {count} */
  BFK_BOT_TEXT_TOO_LONG,              /* {count} */
  BFK_BOT_TEXT_OFFERS_MINE,           /* {detail}: OFFER_LINE lines */
  BFK_BOT_TEXT_OFFER_LINE,            /* {n} {service} {amount} {currency} */
  BFK_BOT_TEXT_NO_OFFERS,
  BFK_BOT_TEXT_OFFER_NOT_YOURS,       /* {n} */
  BFK_BOT_TEXT_OFFER_REMOVED,         /* {n} */
  BFK_BOT_TEXT_SEARCH_ASK,
  BFK_BOT_TEXT_SEARCH_RESULTS,        /* {words} {detail} */
  BFK_BOT_TEXT_SEARCH_LINE,           /* {n} {service} {amount} {currency} {name} {reputation} */
  BFK_BOT_TEXT_SEARCH_NONE,           /* {words} {community} */

  /* --- proposing --- */
  BFK_BOT_TEXT_PROPOSE_USAGE,
  BFK_BOT_TEXT_PROPOSE_NO_SERVICE,    /* {example} */
  BFK_BOT_TEXT_PROPOSE_CONFIRM,       /* {amount} {currency} {other} {service} */
  BFK_BOT_TEXT_PROPOSE_SENT,          /* {amount} {currency} {other} {service} {hours} */
  BFK_BOT_TEXT_PROPOSE_DROPPED,
  BFK_BOT_TEXT_CONFIRM_PENDING,       /* {amount} {currency} {other} */
  BFK_BOT_TEXT_CONFIRM_STALE,         /* {example} */
  BFK_BOT_TEXT_NOTHING_TO_CONFIRM,
  BFK_BOT_TEXT_NAME_SELF,
  BFK_BOT_TEXT_NAME_NOBODY,           /* {words} {community} */
  BFK_BOT_TEXT_NAME_ELSEWHERE,        /* {other} {community} */
  BFK_BOT_TEXT_NAME_NOT_READY,        /* {other} */
  BFK_BOT_TEXT_AMOUNT_OVER_BALANCE,   /* {balance} {currency} {example} */
  BFK_BOT_TEXT_AMOUNT_NO_BALANCE,     /* {currency} */

  /* --- numbers: {what} is a WHAT_ text, {words} what was typed --- */
  BFK_BOT_TEXT_NUM_MISSING,           /* {what} {example} */
  BFK_BOT_TEXT_NUM_NEGATIVE,          /* {words} {what} {example} */
  BFK_BOT_TEXT_NUM_DECIMAL,           /* {words} {what} {example} */
  BFK_BOT_TEXT_NUM_NOT_A_NUMBER,      /* {words} {what} {example} */
  BFK_BOT_TEXT_NUM_TOO_BIG,           /* {words} {what} {example} */
  BFK_BOT_TEXT_NUM_ZERO,              /* {what} {example} */
  BFK_BOT_TEXT_STARS_RANGE,           /* {words} {example} */
  BFK_BOT_TEXT_WHAT_AMOUNT,
  BFK_BOT_TEXT_WHAT_PRICE,
  BFK_BOT_TEXT_WHAT_EXCHANGE,
  BFK_BOT_TEXT_WHAT_OFFER,
  BFK_BOT_TEXT_WHAT_STARS,

  /* --- examples, in the language's own command words --- */
  BFK_BOT_TEXT_EXAMPLE_PROPOSE,       /* {other} {service} {amount} */
  BFK_BOT_TEXT_EXAMPLE_OFFER,         /* {service} */
  BFK_BOT_TEXT_EXAMPLE_REMOVE,
  BFK_BOT_TEXT_EXAMPLE_ACCEPT,
  BFK_BOT_TEXT_EXAMPLE_DECLINE,
  BFK_BOT_TEXT_EXAMPLE_DONE,
  BFK_BOT_TEXT_EXAMPLE_CANCEL,
  BFK_BOT_TEXT_EXAMPLE_RATE,          /* {n} */
  BFK_BOT_TEXT_EXAMPLE_SERVICE,       /* a service, for examples: "couture" */

  /* --- exchanges --- */
  BFK_BOT_TEXT_EX_NOT_FOUND,          /* {n} */
  BFK_BOT_TEXT_EX_NOT_YOURS,          /* {n} */
  BFK_BOT_TEXT_EX_PROVIDER_ONLY,      /* {n} {other} */
  BFK_BOT_TEXT_EX_PAYER_ONLY_DONE,    /* {n} {other} */
  BFK_BOT_TEXT_EX_PAYER_ONLY_CANCEL,  /* {n} {other} */
  BFK_BOT_TEXT_EX_ALREADY,            /* {n} {state} */
  BFK_BOT_TEXT_EX_EXPIRED,            /* {n} */
  BFK_BOT_TEXT_EX_NOT_ACCEPTED_YET,   /* {n} {other} */
  BFK_BOT_TEXT_EX_TOO_LATE_TO_CANCEL, /* {n} {other} */
  BFK_BOT_TEXT_EX_NOT_COMPLETED,      /* {n} {state} */
  BFK_BOT_TEXT_EX_ALREADY_RATED,      /* {n} */
  BFK_BOT_TEXT_ACCEPTING,             /* {n} {amount} {currency} {other} */
  BFK_BOT_TEXT_DECLINING,             /* {n} {amount} {currency} {other} */
  BFK_BOT_TEXT_COMPLETING,            /* {n} {amount} {currency} {other} */
  BFK_BOT_TEXT_CANCELLING,            /* {n} {amount} {currency} */
  BFK_BOT_TEXT_RATING,                /* {n} {stars} {other} */
  BFK_BOT_TEXT_STATE_PROPOSED,        /* the exchange states, for {state} */
  BFK_BOT_TEXT_STATE_ACCEPTED,
  BFK_BOT_TEXT_STATE_COMPLETED,
  BFK_BOT_TEXT_STATE_DECLINED,
  BFK_BOT_TEXT_STATE_CANCELLED,
  BFK_BOT_TEXT_STATE_EXPIRED,

  /* --- notifications, sent by the caller when the chain has answered --- */
  BFK_BOT_TEXT_NOTE_REGISTERED,       /* {name} {community} {amount}: the grant, {currency} */
  BFK_BOT_TEXT_NOTE_REGISTRATION_FAILED,
  BFK_BOT_TEXT_NOTE_PROPOSAL_ESCROWED,  /* to the payer: {n} {amount} {currency} {other} */
  BFK_BOT_TEXT_NOTE_PROPOSAL_RECEIVED,  /* to the provider: {n} {amount} {currency} {other}
                                         * {service} (may be empty) {hours}: left to accept */
  BFK_BOT_TEXT_NOTE_ACCEPTED,         /* to the payer: {n} {other} */
  BFK_BOT_TEXT_NOTE_DECLINED,         /* to the payer: {n} {amount} {currency} {other} */
  BFK_BOT_TEXT_NOTE_CANCELLED,        /* to the provider: {n} {other} */
  BFK_BOT_TEXT_NOTE_COMPLETED_PAYER,  /* {n} {amount} {currency} {other} */
  BFK_BOT_TEXT_NOTE_COMPLETED_PROVIDER, /* {n} {amount} {currency} {other} */
  BFK_BOT_TEXT_NOTE_EXPIRED_PAYER,    /* {n} {amount} {currency} {other} */
  BFK_BOT_TEXT_NOTE_EXPIRED_PROVIDER, /* {n} {other} */
  BFK_BOT_TEXT_NOTE_RATED,            /* to the rated member: {n} {stars} {other} */
  BFK_BOT_TEXT_NOTE_OP_FAILED,
  BFK_BOT_TEXT_NOTE_RATE_LIMITED,
  BFK_BOT_TEXT_NOTE_MEDIA,
  BFK_BOT_TEXT_NOTE_STAFF_TAKEOVER,
  BFK_BOT_TEXT_NOTE_STAFF_RETURNED,

  BFK_BOT_N_TEXTS,
} BfkBotText;

/* The values of the placeholders.  A NULL string is rendered empty; unused
 * fields are ignored.  Numbers are written in plain digits. */
typedef struct
{
  const gchar *name;        /* {name}: a member's user name, or a backer's label */
  const gchar *other;       /* {other}: the other member of an exchange */
  const gchar *community;   /* {community} */
  const gchar *currency;    /* {currency}: "Fonjoka" */
  const gchar *symbol;      /* {symbol} */
  const gchar *service;     /* {service} */
  const gchar *words;       /* {words}: something the member typed */
  const gchar *what;        /* {what} */
  const gchar *example;     /* {example}: a command to type */
  const gchar *state;       /* {state} */
  const gchar *reputation;  /* {reputation} */
  const gchar *rating;      /* {rating}: an average, "4,5" */
  const gchar *date;        /* {date} */
  const gchar *detail;      /* {detail}: lines built from other texts */
  guint64      n;           /* {n}: an exchange or offer number */
  guint64      amount;      /* {amount} */
  guint64      balance;     /* {balance} */
  guint64      escrow;      /* {escrow} */
  guint64      count;       /* {count} */
  guint64      volume;      /* {volume} */
  guint64      stars;       /* {stars} */
  guint64      hours;       /* {hours} */
  guint64      cap;         /* {cap} */
  guint64      left;        /* {left} */
} BfkBotVars;

/* The text of key in lang, placeholders filled from vars (NULL: all empty).
 * Never NULL. */
gchar       *bfk_bot_text          (BfkBotLang         lang,
                                    BfkBotText         key,
                                    const BfkBotVars  *vars);
/* The template itself, or NULL for a key or language out of range. */
const gchar *bfk_bot_text_template (BfkBotLang         lang,
                                    BfkBotText         key);
/* Whether name (without braces) is a placeholder that BfkBotVars fills. */
gboolean     bfk_bot_text_is_placeholder (const gchar *name,
                                          gsize        length);

G_END_DECLS
