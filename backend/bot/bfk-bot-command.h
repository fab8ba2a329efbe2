/* bfk-bot-command.h: what a WhatsApp message says, as a command.
 *
 * The command words are a fixed interface (DESIGN.md, "The WhatsApp bot"):
 * the French words, with English aliases.  They are matched without regard
 * to case or accents (ÉVALUER, evaluer, *Évaluer*), after WhatsApp's *bold*,
 * _italic_, ~strike~ and `code` marks and extra spaces are dropped.  The
 * first word is the command; the rest are its arguments, parsed here so
 * that the state machine (bfk-bot.h) only checks them against the world.
 *
 * Any bytes are accepted: invalid UTF-8 is repaired first, and a message is
 * cut at BFK_BOT_MESSAGE_MAX bytes.  A fuzz harness calls
 * bfk_bot_command_parse directly.
 *
 * Pure: no I/O.  Threads: any.
 */
#pragma once

#include <glib.h>

#include "bfk-bot-texts.h"

G_BEGIN_DECLS

/* WhatsApp's own limit is 4096 characters; longer input is cut. */
#define BFK_BOT_MESSAGE_MAX 4096
/* Numbers above this are "too big": more than any balance can hold. */
#define BFK_BOT_NUMBER_MAX G_GUINT64_CONSTANT (1000000000000)

typedef enum
{
  BFK_BOT_CMD_TEXT,        /* not a command: free text (a community number, a name, search words) */
  BFK_BOT_CMD_HELP,        /* AIDE, MENU, HELP (and greetings: BONJOUR, HELLO ...) */
  BFK_BOT_CMD_BALANCE,     /* SOLDE, BALANCE */
  BFK_BOT_CMD_PROFILE,     /* PROFIL, PROFILE */
  BFK_BOT_CMD_COMMUNITY,   /* COMMUNAUTE, COMMUNITY */
  BFK_BOT_CMD_OFFER,       /* OFFRIR, OFFER <service> <price> */
  BFK_BOT_CMD_REMOVE,      /* RETIRER, REMOVE <n> */
  BFK_BOT_CMD_SEARCH,      /* RECHERCHER, SEARCH [<words>] */
  BFK_BOT_CMD_PROPOSE,     /* PROPOSER, PROPOSE <name> <service> <amount> */
  BFK_BOT_CMD_ACCEPT,      /* ACCEPTER, ACCEPT <n> */
  BFK_BOT_CMD_DECLINE,     /* REFUSER, DECLINE <n> */
  BFK_BOT_CMD_DONE,        /* TERMINE, DONE <n> */
  BFK_BOT_CMD_CANCEL,      /* ANNULER, CANCEL <n> */
  BFK_BOT_CMD_RATE,        /* EVALUER, RATE <n> <1-5> */
  BFK_BOT_CMD_BACKERS,     /* BACKERS */
  BFK_BOT_CMD_AGENT,       /* AGENT */
  BFK_BOT_CMD_LANGUAGE,    /* LANGUE, LANGUAGE <EN|FR> (and ENGLISH, FRANCAIS alone) */
  BFK_BOT_CMD_YES,         /* OUI, YES */
  BFK_BOT_CMD_NO,          /* NON, NO */
  BFK_BOT_N_CMDS,
} BfkBotCommandKind;

/* What a number argument turned out to be.  Each says what is wrong, so
 * that the reply can too. */
typedef enum
{
  BFK_BOT_NUMBER_OK,
  BFK_BOT_NUMBER_MISSING,
  BFK_BOT_NUMBER_NEGATIVE,       /* "-5" */
  BFK_BOT_NUMBER_DECIMAL,        /* "1,5", "2.50" */
  BFK_BOT_NUMBER_NOT_A_NUMBER,   /* "abc", "12x" */
  BFK_BOT_NUMBER_TOO_BIG,        /* above BFK_BOT_NUMBER_MAX, however many digits */
  BFK_BOT_NUMBER_ZERO,
} BfkBotNumberStatus;

typedef struct
{
  BfkBotNumberStatus  status;
  guint64             value;     /* set when OK */
  gchar              *text;      /* what was typed, never NULL ("" when missing) */
} BfkBotNumber;

typedef struct
{
  BfkBotCommandKind  kind;
  gchar             *text;      /* the whole message, cleaned: valid UTF-8 (NFC), marks and
                                 * extra spaces gone; never NULL */
  gchar             *name;      /* PROPOSE: the first word, or NULL */
  gchar             *service;   /* OFFER, PROPOSE: the words between; SEARCH: the words; or NULL */
  BfkBotNumber       number;    /* REMOVE, ACCEPT, DECLINE, DONE, CANCEL, RATE: offer or exchange */
  BfkBotNumber       amount;    /* OFFER: the price; PROPOSE: the amount (the last word) */
  BfkBotNumber       stars;     /* RATE: 1 to 5 (the range is checked by the bot) */
  BfkBotLang         lang;      /* LANGUAGE */
  gboolean           lang_ok;   /* LANGUAGE: whether a known language was named */
} BfkBotCommand;

/* Never NULL, whatever the bytes; length -1 for a NUL-terminated text.
 * NULL text is an empty message. */
BfkBotCommand *bfk_bot_command_parse  (const gchar    *text,
                                       gssize          length);
void           bfk_bot_command_free   (BfkBotCommand  *command);
/* "PROPOSE" ... for logs and tests. */
const gchar   *bfk_bot_command_kind_to_string (BfkBotCommandKind kind);

/* Lower case without accents or other combining marks, for comparing what
 * people type: "*Évaluer*" and "EVALUER" both give "*evaluer*".  text must
 * be valid UTF-8. */
gchar         *bfk_bot_fold           (const gchar    *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BfkBotCommand, bfk_bot_command_free)

G_END_DECLS
