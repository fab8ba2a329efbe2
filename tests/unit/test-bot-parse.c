/* test-bot-parse.c: the bot's command parser: every command word and alias,
 * the ways people type them (case, accents, WhatsApp marks, spaces), the
 * arguments and every way a number goes wrong, and any bytes at all. */
#include "bfk-bot-command.h"

#include <string.h>

static void
test_words (void)
{
  static const struct { const gchar *text; BfkBotCommandKind kind; } cases[] = {
    /* every French word of DESIGN.md, and the English aliases */
    { "AIDE", BFK_BOT_CMD_HELP }, { "MENU", BFK_BOT_CMD_HELP }, { "HELP", BFK_BOT_CMD_HELP },
    { "SOLDE", BFK_BOT_CMD_BALANCE }, { "BALANCE", BFK_BOT_CMD_BALANCE },
    { "PROFIL", BFK_BOT_CMD_PROFILE }, { "PROFILE", BFK_BOT_CMD_PROFILE },
    { "COMMUNAUTE", BFK_BOT_CMD_COMMUNITY }, { "COMMUNAUTÉ", BFK_BOT_CMD_COMMUNITY },
    { "COMMUNITY", BFK_BOT_CMD_COMMUNITY },
    { "OFFRIR", BFK_BOT_CMD_OFFER }, { "OFFER", BFK_BOT_CMD_OFFER },
    { "RETIRER", BFK_BOT_CMD_REMOVE }, { "REMOVE", BFK_BOT_CMD_REMOVE },
    { "RECHERCHER", BFK_BOT_CMD_SEARCH }, { "SEARCH", BFK_BOT_CMD_SEARCH },
    { "PROPOSER", BFK_BOT_CMD_PROPOSE }, { "PROPOSE", BFK_BOT_CMD_PROPOSE },
    { "ACCEPTER", BFK_BOT_CMD_ACCEPT }, { "ACCEPT", BFK_BOT_CMD_ACCEPT },
    { "REFUSER", BFK_BOT_CMD_DECLINE }, { "DECLINE", BFK_BOT_CMD_DECLINE },
    { "TERMINE", BFK_BOT_CMD_DONE }, { "TERMINÉ", BFK_BOT_CMD_DONE }, { "DONE", BFK_BOT_CMD_DONE },
    { "ANNULER", BFK_BOT_CMD_CANCEL }, { "CANCEL", BFK_BOT_CMD_CANCEL },
    { "EVALUER", BFK_BOT_CMD_RATE }, { "ÉVALUER", BFK_BOT_CMD_RATE }, { "RATE", BFK_BOT_CMD_RATE },
    { "BACKERS", BFK_BOT_CMD_BACKERS },
    { "AGENT", BFK_BOT_CMD_AGENT },
    { "LANGUE EN", BFK_BOT_CMD_LANGUAGE }, { "LANGUAGE FR", BFK_BOT_CMD_LANGUAGE },
    { "OUI", BFK_BOT_CMD_YES }, { "YES", BFK_BOT_CMD_YES },
    { "NON", BFK_BOT_CMD_NO }, { "NO", BFK_BOT_CMD_NO },
    /* case, accents, marks, spaces */
    { "solde", BFK_BOT_CMD_BALANCE }, { "Solde", BFK_BOT_CMD_BALANCE },
    { "sOlDe", BFK_BOT_CMD_BALANCE }, { "*SOLDE*", BFK_BOT_CMD_BALANCE },
    { "_solde_", BFK_BOT_CMD_BALANCE }, { "~solde~", BFK_BOT_CMD_BALANCE },
    { "```solde```", BFK_BOT_CMD_BALANCE }, { "*_solde_*", BFK_BOT_CMD_BALANCE },
    { "   solde   ", BFK_BOT_CMD_BALANCE }, { "\tSOLDE\r\n", BFK_BOT_CMD_BALANCE },
    { "\xc2\xa0solde\xc2\xa0", BFK_BOT_CMD_BALANCE },           /* no-break spaces */
    { "\xe2\x80\x8bsolde", BFK_BOT_CMD_BALANCE },               /* a zero-width space */
    { "\xef\xbb\xbfSOLDE", BFK_BOT_CMD_BALANCE },               /* a byte-order mark */
    { "Solde ?", BFK_BOT_CMD_BALANCE }, { "Solde?", BFK_BOT_CMD_BALANCE },
    { "aide!", BFK_BOT_CMD_HELP }, { "Solde.", BFK_BOT_CMD_BALANCE },
    { "ＳＯＬＤＥ", BFK_BOT_CMD_BALANCE },                     /* fullwidth */
    { "evaluer", BFK_BOT_CMD_RATE }, { "*Évaluer*", BFK_BOT_CMD_RATE },
    { "E\xcc\x81VALUER", BFK_BOT_CMD_RATE },                    /* É decomposed */
    { "évaluer", BFK_BOT_CMD_RATE }, { "Communauté", BFK_BOT_CMD_COMMUNITY },
    { "oui", BFK_BOT_CMD_YES }, { "Oui.", BFK_BOT_CMD_YES }, { "*OUI*", BFK_BOT_CMD_YES },
    { "non", BFK_BOT_CMD_NO },
    { "bonjour", BFK_BOT_CMD_HELP }, { "Hello", BFK_BOT_CMD_HELP },
    { "english", BFK_BOT_CMD_LANGUAGE }, { "Français", BFK_BOT_CMD_LANGUAGE },
    /* not commands */
    { "", BFK_BOT_CMD_TEXT }, { "   ", BFK_BOT_CMD_TEXT }, { "*", BFK_BOT_CMD_TEXT },
    { "soldes", BFK_BOT_CMD_TEXT }, { "s o l d e", BFK_BOT_CMD_TEXT },
    { "1", BFK_BOT_CMD_TEXT }, { "Marie_2", BFK_BOT_CMD_TEXT },
    { "je veux mon solde", BFK_BOT_CMD_TEXT }, { "ouiii", BFK_BOT_CMD_TEXT },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(BfkBotCommand) cmd = bfk_bot_command_parse (cases[i].text, -1);

      g_test_message ("%s", cases[i].text);
      g_assert_cmpstr (bfk_bot_command_kind_to_string (cmd->kind), ==,
                       bfk_bot_command_kind_to_string (cases[i].kind));
    }
}

static void
test_clean_text (void)
{
  static const struct { const gchar *in, *out; } cases[] = {
    { "  PROPOSER   Marie  couture   150 ", "PROPOSER Marie couture 150" },
    { "*PROPOSER Marie couture 150*", "PROPOSER Marie couture 150" },
    { "_proposer marie couture 150_", "proposer marie couture 150" },
    { "PROPOSER *Marie* _couture_ ~150~", "PROPOSER Marie couture 150" },
    { "jean_paul", "jean_paul" },                  /* a name's underscore stays */
    { "_jean_paul_", "jean_paul" },
    { "Marie_", "Marie_" },
    { "line\none", "line one" },
    { "re\xcc\x81paration", "réparation" },       /* composed */
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(BfkBotCommand) cmd = bfk_bot_command_parse (cases[i].in, -1);

      g_assert_cmpstr (cmd->text, ==, cases[i].out);
    }
}

static void
test_numbers (void)
{
  static const struct
  {
    const gchar        *token;
    BfkBotNumberStatus  status;
    guint64             value;
  } cases[] = {
    { "150", BFK_BOT_NUMBER_OK, 150 },
    { "0150", BFK_BOT_NUMBER_OK, 150 },
    { "150.", BFK_BOT_NUMBER_OK, 150 },            /* the end of a sentence */
    { "#12", BFK_BOT_NUMBER_OK, 12 },
    { "n°12", BFK_BOT_NUMBER_OK, 12 },
    { "N°12", BFK_BOT_NUMBER_OK, 12 },
    { "no12", BFK_BOT_NUMBER_OK, 12 },
    { "№12", BFK_BOT_NUMBER_OK, 12 },
    { "１２", BFK_BOT_NUMBER_OK, 12 },              /* fullwidth digits */
    { "1000000000000", BFK_BOT_NUMBER_OK, BFK_BOT_NUMBER_MAX },
    { "1000000000001", BFK_BOT_NUMBER_TOO_BIG, 0 },
    { "99999999999999999999999", BFK_BOT_NUMBER_TOO_BIG, 0 },
    { "18446744073709551616", BFK_BOT_NUMBER_TOO_BIG, 0 },   /* 2^64 */
    { "-5", BFK_BOT_NUMBER_NEGATIVE, 0 },
    { "\xe2\x88\x92" "5", BFK_BOT_NUMBER_NEGATIVE, 0 },      /* a minus sign */
    { "-0", BFK_BOT_NUMBER_NEGATIVE, 0 },
    { "1,5", BFK_BOT_NUMBER_DECIMAL, 0 },
    { "2.50", BFK_BOT_NUMBER_DECIMAL, 0 },
    { "1.000", BFK_BOT_NUMBER_DECIMAL, 0 },
    { ",5", BFK_BOT_NUMBER_DECIMAL, 0 },
    { "abc", BFK_BOT_NUMBER_NOT_A_NUMBER, 0 },
    { "12x", BFK_BOT_NUMBER_NOT_A_NUMBER, 0 },
    { "1e5", BFK_BOT_NUMBER_NOT_A_NUMBER, 0 },
    { "-abc", BFK_BOT_NUMBER_NOT_A_NUMBER, 0 },
    { "0x10", BFK_BOT_NUMBER_NOT_A_NUMBER, 0 },
    { "#", BFK_BOT_NUMBER_NOT_A_NUMBER, 0 },
    { "0", BFK_BOT_NUMBER_ZERO, 0 },
    { "000", BFK_BOT_NUMBER_ZERO, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree gchar *text = g_strdup_printf ("ACCEPTER %s", cases[i].token);
      g_autoptr(BfkBotCommand) cmd = bfk_bot_command_parse (text, -1);

      g_test_message ("%s", text);
      g_assert_cmpint (cmd->kind, ==, BFK_BOT_CMD_ACCEPT);
      g_assert_cmpint (cmd->number.status, ==, cases[i].status);
      g_assert_cmpuint (cmd->number.value, ==, cases[i].value);
      g_assert_cmpstr (cmd->number.text, ==, cases[i].token);
    }
  {
    g_autoptr(BfkBotCommand) missing = bfk_bot_command_parse ("ACCEPTER", -1);
    g_autoptr(BfkBotCommand) apart = bfk_bot_command_parse ("TERMINE n° 13", -1);
    g_autoptr(BfkBotCommand) no = bfk_bot_command_parse ("termine no 13", -1);

    g_assert_cmpint (missing->number.status, ==, BFK_BOT_NUMBER_MISSING);
    g_assert_cmpstr (missing->number.text, ==, "");
    g_assert_cmpint (apart->number.status, ==, BFK_BOT_NUMBER_OK);
    g_assert_cmpuint (apart->number.value, ==, 13);
    g_assert_cmpuint (no->number.value, ==, 13);
  }
}

static void
test_rate (void)
{
  static const struct
  {
    const gchar        *text;
    guint64             number;
    BfkBotNumberStatus  status;
    guint64             stars;
  } cases[] = {
    { "EVALUER 14 5", 14, BFK_BOT_NUMBER_OK, 5 },
    { "evaluer 14 5/5", 14, BFK_BOT_NUMBER_OK, 5 },
    { "RATE 14 ⭐⭐⭐", 14, BFK_BOT_NUMBER_OK, 3 },
    { "RATE 14 ⭐\xef\xb8\x8f⭐\xef\xb8\x8f", 14, BFK_BOT_NUMBER_OK, 2 },   /* with U+FE0F */
    { "EVALUER 14 ★★★★", 14, BFK_BOT_NUMBER_OK, 4 },
    { "EVALUER 14 6", 14, BFK_BOT_NUMBER_OK, 6 },    /* the range is the bot's to check */
    { "EVALUER 14 0", 14, BFK_BOT_NUMBER_ZERO, 0 },
    { "EVALUER 14 4,5", 14, BFK_BOT_NUMBER_DECIMAL, 0 },
    { "EVALUER 14 -2", 14, BFK_BOT_NUMBER_NEGATIVE, 0 },
    { "EVALUER 14 top", 14, BFK_BOT_NUMBER_NOT_A_NUMBER, 0 },
    { "EVALUER 14", 14, BFK_BOT_NUMBER_MISSING, 0 },
    { "EVALUER n° 14 5", 14, BFK_BOT_NUMBER_OK, 5 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(BfkBotCommand) cmd = bfk_bot_command_parse (cases[i].text, -1);

      g_test_message ("%s", cases[i].text);
      g_assert_cmpint (cmd->kind, ==, BFK_BOT_CMD_RATE);
      g_assert_cmpuint (cmd->number.value, ==, cases[i].number);
      g_assert_cmpint (cmd->stars.status, ==, cases[i].status);
      g_assert_cmpuint (cmd->stars.value, ==, cases[i].stars);
    }
}

static void
test_propose_args (void)
{
  static const struct
  {
    const gchar        *text;
    const gchar        *name;
    const gchar        *service;
    BfkBotNumberStatus  status;
    guint64             amount;
    const gchar        *typed;
  } cases[] = {
    { "PROPOSER Marie couture 150", "Marie", "couture", BFK_BOT_NUMBER_OK, 150, "150" },
    { "proposer marie Couture 150", "marie", "Couture", BFK_BOT_NUMBER_OK, 150, "150" },
    { "PROPOSER Marie couture de robe 150", "Marie", "couture de robe", BFK_BOT_NUMBER_OK, 150, "150" },
    { "PROPOSER Marie réparation vélo 2 000", "Marie", "réparation vélo", BFK_BOT_NUMBER_OK, 2000, "2 000" },
    { "PROPOSER Marie couture 1 000 000", "Marie", "couture", BFK_BOT_NUMBER_OK, 1000000, "1 000 000" },
    { "PROPOSER Marie 2 robes 100", "Marie", "2 robes", BFK_BOT_NUMBER_OK, 100, "100" },
    { "PROPOSER @Marie couture 150", "Marie", "couture", BFK_BOT_NUMBER_OK, 150, "150" },
    { "PROPOSER Marie couture -5", "Marie", "couture", BFK_BOT_NUMBER_NEGATIVE, 0, "-5" },
    { "PROPOSER Marie couture 1,5", "Marie", "couture", BFK_BOT_NUMBER_DECIMAL, 0, "1,5" },
    { "PROPOSER Marie couture abc", "Marie", "couture", BFK_BOT_NUMBER_NOT_A_NUMBER, 0, "abc" },
    { "PROPOSER Marie couture 99999999999999999999999", "Marie", "couture",
      BFK_BOT_NUMBER_TOO_BIG, 0, "99999999999999999999999" },
    { "PROPOSER Marie couture", "Marie", "couture", BFK_BOT_NUMBER_MISSING, 0, "" },
    { "PROPOSER Marie 150", "Marie", NULL, BFK_BOT_NUMBER_OK, 150, "150" },
    { "PROPOSER Marie -5", "Marie", NULL, BFK_BOT_NUMBER_NEGATIVE, 0, "-5" },
    { "PROPOSER Marie", "Marie", NULL, BFK_BOT_NUMBER_MISSING, 0, "" },
    { "PROPOSER", NULL, NULL, BFK_BOT_NUMBER_MISSING, 0, "" },
    { "*PROPOSER Marie couture 150*", "Marie", "couture", BFK_BOT_NUMBER_OK, 150, "150" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(BfkBotCommand) cmd = bfk_bot_command_parse (cases[i].text, -1);

      g_test_message ("%s", cases[i].text);
      g_assert_cmpint (cmd->kind, ==, BFK_BOT_CMD_PROPOSE);
      g_assert_cmpstr (cmd->name, ==, cases[i].name);
      g_assert_cmpstr (cmd->service, ==, cases[i].service);
      g_assert_cmpint (cmd->amount.status, ==, cases[i].status);
      g_assert_cmpuint (cmd->amount.value, ==, cases[i].amount);
      g_assert_cmpstr (cmd->amount.text, ==, cases[i].typed);
    }
}

static void
test_offer_args (void)
{
  static const struct
  {
    const gchar        *text;
    const gchar        *service;
    BfkBotNumberStatus  status;
    guint64             price;
  } cases[] = {
    { "OFFRIR couture 500", "couture", BFK_BOT_NUMBER_OK, 500 },
    { "OFFRIR couture de robes 500", "couture de robes", BFK_BOT_NUMBER_OK, 500 },
    { "OFFRIR couture 1 500", "couture", BFK_BOT_NUMBER_OK, 1500 },
    { "OFFRIR 100 200", "100", BFK_BOT_NUMBER_OK, 200 },
    { "OFFRIR couture", "couture", BFK_BOT_NUMBER_MISSING, 0 },
    { "OFFRIR 500", NULL, BFK_BOT_NUMBER_OK, 500 },
    { "OFFRIR couture abc", "couture", BFK_BOT_NUMBER_NOT_A_NUMBER, 0 },
    { "OFFRIR", NULL, BFK_BOT_NUMBER_MISSING, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(BfkBotCommand) cmd = bfk_bot_command_parse (cases[i].text, -1);

      g_test_message ("%s", cases[i].text);
      g_assert_cmpint (cmd->kind, ==, BFK_BOT_CMD_OFFER);
      g_assert_cmpstr (cmd->service, ==, cases[i].service);
      g_assert_cmpint (cmd->amount.status, ==, cases[i].status);
      g_assert_cmpuint (cmd->amount.value, ==, cases[i].price);
    }
}

static void
test_other_args (void)
{
  static const struct
  {
    const gchar *text;
    gboolean     lang_ok;
    BfkBotLang   lang;
  } langs[] = {
    { "LANGUE EN", TRUE, BFK_BOT_LANG_EN }, { "langue en", TRUE, BFK_BOT_LANG_EN },
    { "LANGUAGE english", TRUE, BFK_BOT_LANG_EN }, { "langue anglais", TRUE, BFK_BOT_LANG_EN },
    { "English", TRUE, BFK_BOT_LANG_EN }, { "LANGUE FR", TRUE, BFK_BOT_LANG_FR },
    { "language French", TRUE, BFK_BOT_LANG_FR }, { "LANGUE Français", TRUE, BFK_BOT_LANG_FR },
    { "FRANCAIS", TRUE, BFK_BOT_LANG_FR }, { "LANGUE", FALSE, BFK_BOT_LANG_FR },
    { "LANGUE de", FALSE, BFK_BOT_LANG_FR },
  };
  g_autoptr(BfkBotCommand) search = bfk_bot_command_parse ("RECHERCHER  couture   robe ", -1);
  g_autoptr(BfkBotCommand) bare = bfk_bot_command_parse ("rechercher", -1);
  g_autoptr(BfkBotCommand) chercher = bfk_bot_command_parse ("Chercher vélo", -1);

  for (guint i = 0; i < G_N_ELEMENTS (langs); i++)
    {
      g_autoptr(BfkBotCommand) cmd = bfk_bot_command_parse (langs[i].text, -1);

      g_test_message ("%s", langs[i].text);
      g_assert_cmpint (cmd->kind, ==, BFK_BOT_CMD_LANGUAGE);
      g_assert_cmpint (cmd->lang_ok, ==, langs[i].lang_ok);
      if (langs[i].lang_ok)
        g_assert_cmpint (cmd->lang, ==, langs[i].lang);
    }
  g_assert_cmpstr (search->service, ==, "couture robe");
  g_assert_null (bare->service);
  g_assert_cmpint (chercher->kind, ==, BFK_BOT_CMD_SEARCH);
  g_assert_cmpstr (chercher->service, ==, "vélo");
}

static void
assert_sane (const BfkBotCommand *cmd)
{
  g_assert_nonnull (cmd);
  g_assert_true (g_utf8_validate (cmd->text, -1, NULL));
  g_assert_cmpuint ((guint) cmd->kind, <, BFK_BOT_N_CMDS);
  g_assert_nonnull (cmd->number.text);
  g_assert_nonnull (cmd->amount.text);
  g_assert_nonnull (cmd->stars.text);
  g_assert_true (!cmd->name || g_utf8_validate (cmd->name, -1, NULL));
  g_assert_true (!cmd->service || g_utf8_validate (cmd->service, -1, NULL));
}

/* Any bytes: what a libFuzzer harness will throw at it. */
static void
test_any_bytes (void)
{
  static const struct { const gchar *bytes; gssize len; } odd[] = {
    { "\xff\xfe\xfd", 3 },
    { "\xc3", 1 },                              /* cut in the middle of a character */
    { "SOLDE\xc3", 6 },
    { "\xc0\xaf", 2 },                          /* overlong */
    { "\xed\xa0\x80", 3 },                      /* a surrogate */
    { "\xf4\x90\x80\x80", 4 },                  /* above U+10FFFF */
    { "SOL\0DE", 6 },                           /* an embedded NUL */
    { "PROPOSER \0 Marie 1\0 5", 20 },
    { "\0\0\0", 3 },
    { NULL, -1 },
    { NULL, 5 },
    { "", 0 },
    { "*_~`*_~`", -1 },
    { "_", -1 }, { "__", -1 }, { "___", -1 }, { "* *", -1 },
    { "EVALUER ⭐", -1 }, { "EVALUER 1 \xef\xb8\x8f", -1 }, { "ACCEPTER n°", -1 },
    { "ACCEPTER -", -1 }, { "ACCEPTER \xe2\x88\x92", -1 }, { "PROPOSER @", -1 },
    { "PROPOSER @ @ @", -1 }, { "OFFRIR 1 000", -1 }, { "PROPOSER a 1 000", -1 },
  };
  g_autoptr(GString) huge = g_string_new ("PROPOSER Marie ");

  for (guint i = 0; i < G_N_ELEMENTS (odd); i++)
    {
      g_autoptr(BfkBotCommand) cmd = bfk_bot_command_parse (odd[i].bytes, odd[i].len);

      assert_sane (cmd);
    }
  {
    g_autoptr(BfkBotCommand) nul = bfk_bot_command_parse ("SOL\0DE", 6);

    g_assert_cmpint (nul->kind, ==, BFK_BOT_CMD_TEXT);   /* the NUL is not dropped silently */
  }

  /* Longer than WhatsApp allows: cut, never read past. */
  for (guint i = 0; i < 20000; i++)
    g_string_append (huge, i % 7 ? "x" : " ");
  g_string_append (huge, " 150");
  {
    g_autoptr(BfkBotCommand) cmd = bfk_bot_command_parse (huge->str, (gssize) huge->len);

    assert_sane (cmd);
    g_assert_cmpuint (strlen (cmd->text), <=, BFK_BOT_MESSAGE_MAX);
  }

  /* Random bytes, biased towards what matters: marks, digits, UTF-8 lead
   * bytes, spaces. */
  for (guint round = 0; round < 20000; round++)
    {
      static const gchar alphabet[] = "*_~` 0123456789-,.#/\xc3\xa9\xe2\x88\x92\xef\xbb\xbf\xff\x80n\xc2\xb0";
      guint8 buf[48];
      guint len = (guint) g_test_rand_int_range (0, sizeof buf);

      for (guint i = 0; i < len; i++)
        buf[i] = g_test_rand_bit ()
                 ? (guint8) alphabet[g_test_rand_int_range (0, sizeof alphabet - 1)]
                 : (guint8) g_test_rand_int_range (0, 256);
      {
        g_autoptr(BfkBotCommand) cmd = bfk_bot_command_parse ((const gchar *) buf, len);

        assert_sane (cmd);
      }
      /* and behind each command word */
      {
        static const gchar *const prefixes[] = { "PROPOSER ", "EVALUER 1 ", "OFFRIR a ", "LANGUE " };
        g_autoptr(GString) s = g_string_new (prefixes[round % G_N_ELEMENTS (prefixes)]);
        g_autoptr(BfkBotCommand) cmd = NULL;

        g_string_append_len (s, (const gchar *) buf, len);
        cmd = bfk_bot_command_parse (s->str, (gssize) s->len);
        assert_sane (cmd);
      }
    }
}

static void
test_fold (void)
{
  static const struct { const gchar *in, *out; } cases[] = {
    { "ÉVALUER", "evaluer" }, { "*Évaluer*", "*evaluer*" }, { "Communauté", "communaute" },
    { "E\xcc\x81", "e" }, { "ÇA", "ca" }, { "ＯＵＩ", "oui" }, { "", "" }, { "123", "123" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree gchar *folded = bfk_bot_fold (cases[i].in);

      g_assert_cmpstr (folded, ==, cases[i].out);
    }
  g_assert_cmpstr (bfk_bot_command_kind_to_string (BFK_BOT_CMD_PROPOSE), ==, "PROPOSE");
  g_assert_cmpstr (bfk_bot_command_kind_to_string (BFK_BOT_N_CMDS), ==, "?");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/bot/parse/words", test_words);
  g_test_add_func ("/bot/parse/clean-text", test_clean_text);
  g_test_add_func ("/bot/parse/numbers", test_numbers);
  g_test_add_func ("/bot/parse/rate", test_rate);
  g_test_add_func ("/bot/parse/propose", test_propose_args);
  g_test_add_func ("/bot/parse/offer", test_offer_args);
  g_test_add_func ("/bot/parse/other", test_other_args);
  g_test_add_func ("/bot/parse/any-bytes", test_any_bytes);
  g_test_add_func ("/bot/parse/fold", test_fold);
  return g_test_run ();
}
