/* test-bot-texts.c: every text of the bot in both languages, with the same
 * placeholders; the renderer; the notifications' key words; and that the
 * longest rendering of each still fits a phone's screen. */
#include "bfk-bot-command.h"
#include "bfk-bot-texts.h"

#include <string.h>

static gint
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const gchar *const *) a, *(const gchar *const *) b);
}

/* The placeholders of a template, sorted and without repeats ("amount n "),
 * or NULL when a brace is unbalanced or a placeholder unknown. */
static gchar *
placeholder_set (const gchar *template)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) out = g_string_new (NULL);
  const gchar *p = template;

  while ((p = strchr (p, '{')))
    {
      const gchar *close = strchr (p, '}');
      const gchar *next_open = strchr (p + 1, '{');

      if (!close || (next_open && next_open < close)
          || !bfk_bot_text_is_placeholder (p + 1, (gsize) (close - p - 1)))
        return NULL;
      g_ptr_array_add (names, g_strndup (p + 1, (gsize) (close - p - 1)));
      p = close + 1;
    }
  g_ptr_array_sort (names, compare_strings);
  for (guint i = 0; i < names->len; i++)
    if (i == 0 || !g_str_equal (names->pdata[i], names->pdata[i - 1]))
      g_string_append_printf (out, "%s ", (const gchar *) names->pdata[i]);
  return g_strdup (out->str);
}

static void
test_complete (void)
{
  for (guint key = 0; key < BFK_BOT_N_TEXTS; key++)
    {
      const gchar *fr = bfk_bot_text_template (BFK_BOT_LANG_FR, key);
      const gchar *en = bfk_bot_text_template (BFK_BOT_LANG_EN, key);
      g_autofree gchar *fr_set = NULL;
      g_autofree gchar *en_set = NULL;

      g_test_message ("text %u", key);
      g_assert_nonnull (fr);
      g_assert_nonnull (en);
      g_assert_cmpstr (fr, !=, "");
      g_assert_cmpstr (en, !=, "");
      g_assert_true (g_utf8_validate (fr, -1, NULL));
      g_assert_true (g_utf8_validate (en, -1, NULL));
      fr_set = placeholder_set (fr);
      en_set = placeholder_set (en);
      g_assert_nonnull (fr_set);   /* every placeholder known, braces balanced */
      g_assert_nonnull (en_set);
      g_assert_cmpstr (fr_set, ==, en_set);
    }
  g_assert_null (bfk_bot_text_template (BFK_BOT_N_LANGS, 0));
  g_assert_null (bfk_bot_text_template (BFK_BOT_LANG_FR, BFK_BOT_N_TEXTS));
  g_assert_null (placeholder_set ("{nope}"));
  g_assert_null (placeholder_set ("{name"));
  g_assert_null (placeholder_set ("{{name}"));
}

static void
test_render (void)
{
  g_autofree gchar *note = bfk_bot_text (BFK_BOT_LANG_FR, BFK_BOT_TEXT_NOTE_REGISTERED,
                                         &(BfkBotVars) { .name = "Marie",
                                                         .community = "Fondjomenkwet",
                                                         .amount = 1000,
                                                         .currency = "Fonjoka" });
  g_autofree gchar *note_en = bfk_bot_text (BFK_BOT_LANG_EN, BFK_BOT_TEXT_NOTE_REGISTERED,
                                            &(BfkBotVars) { .name = "Marie", .amount = 1000,
                                                            .currency = "Banjika" });
  g_autofree gchar *empty = bfk_bot_text (BFK_BOT_LANG_FR, BFK_BOT_TEXT_OFFER_REMOVED, NULL);
  g_autofree gchar *out_of_range = bfk_bot_text (BFK_BOT_LANG_FR, BFK_BOT_N_TEXTS, NULL);
  BfkBotLang lang;

  g_assert_nonnull (strstr (note, "1000 Fonjoka crédités"));
  g_assert_nonnull (strstr (note, "Marie"));
  g_assert_nonnull (strstr (note, "Fondjomenkwet"));
  g_assert_nonnull (strstr (note_en, "1000 Banjika credited"));
  g_assert_cmpstr (empty, ==, "Offre n°0 retirée.");
  g_assert_cmpstr (out_of_range, ==, "");

  g_assert_cmpstr (bfk_bot_lang_to_string (BFK_BOT_LANG_FR), ==, "fr");
  g_assert_cmpstr (bfk_bot_lang_to_string (BFK_BOT_LANG_EN), ==, "en");
  g_assert_true (bfk_bot_lang_from_string ("EN", &lang));
  g_assert_cmpint (lang, ==, BFK_BOT_LANG_EN);
  g_assert_true (bfk_bot_lang_from_string ("fr", &lang));
  g_assert_cmpint (lang, ==, BFK_BOT_LANG_FR);
  g_assert_false (bfk_bot_lang_from_string ("de", &lang));
  g_assert_cmpint (lang, ==, BFK_BOT_LANG_FR);
  g_assert_false (bfk_bot_lang_from_string (NULL, NULL));
}

/* The notifications the caller sends: each says what to type next. */
static void
test_notifications (void)
{
  static const struct
  {
    BfkBotText   key;
    const gchar *fr[3];
    const gchar *en[3];
  } cases[] = {
    { BFK_BOT_TEXT_NOTE_REGISTERED, { "1000 Fonjoka crédités", "AIDE" },
      { "1000 Fonjoka credited", "HELP" } },
    { BFK_BOT_TEXT_NOTE_REGISTRATION_FAILED, { "inscription", "AGENT" },
      { "registration", "AGENT" } },
    { BFK_BOT_TEXT_NOTE_PROPOSAL_ESCROWED, { "n°12", "TERMINE 12", "ANNULER 12" },
      { "no. 12", "DONE 12", "CANCEL 12" } },
    { BFK_BOT_TEXT_NOTE_PROPOSAL_RECEIVED, { "Paul", "ACCEPTER 12", "REFUSER 12" },
      { "Paul", "ACCEPT 12", "DECLINE 12" } },
    { BFK_BOT_TEXT_NOTE_ACCEPTED, { "Paul", "accepté", "TERMINE 12" },
      { "Paul", "accepted", "DONE 12" } },
    { BFK_BOT_TEXT_NOTE_DECLINED, { "refusé", "1000 Fonjoka", "rendus" },
      { "declined", "1000 Fonjoka", "back" } },
    { BFK_BOT_TEXT_NOTE_CANCELLED, { "annulé", "n°12" }, { "cancelled", "no. 12" } },
    { BFK_BOT_TEXT_NOTE_COMPLETED_PAYER, { "payés", "EVALUER 12" }, { "paid", "RATE 12" } },
    { BFK_BOT_TEXT_NOTE_COMPLETED_PROVIDER, { "reçu", "EVALUER 12" },
      { "received", "RATE 12" } },
    { BFK_BOT_TEXT_NOTE_EXPIRED_PAYER, { "expiré", "rendus" }, { "expired", "back" } },
    { BFK_BOT_TEXT_NOTE_EXPIRED_PROVIDER, { "expiré" }, { "expired" } },
    { BFK_BOT_TEXT_NOTE_RATED, { "4/5" }, { "4/5" } },
    { BFK_BOT_TEXT_NOTE_OP_FAILED, { "Désolé", "AGENT" }, { "Sorry", "AGENT" } },
    { BFK_BOT_TEXT_NOTE_RATE_LIMITED, { "minute" }, { "minute" } },
    { BFK_BOT_TEXT_NOTE_MEDIA, { "écrits", "AIDE" }, { "written", "HELP" } },
    { BFK_BOT_TEXT_NOTE_STAFF_TAKEOVER, { "équipe" }, { "team" } },
    { BFK_BOT_TEXT_NOTE_STAFF_RETURNED, { "robot", "AIDE" }, { "bot", "HELP" } },
  };
  BfkBotVars vars = { .name = "Marie", .other = "Paul", .community = "Fondjomenkwet",
                      .currency = "Fonjoka", .service = "couture", .n = 12, .amount = 1000,
                      .stars = 4, .hours = 24 };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree gchar *fr = bfk_bot_text (BFK_BOT_LANG_FR, cases[i].key, &vars);
      g_autofree gchar *en = bfk_bot_text (BFK_BOT_LANG_EN, cases[i].key, &vars);

      g_test_message ("%s | %s", fr, en);
      for (guint w = 0; w < G_N_ELEMENTS (cases[i].fr) && cases[i].fr[w]; w++)
        g_assert_nonnull (strstr (fr, cases[i].fr[w]));
      for (guint w = 0; w < G_N_ELEMENTS (cases[i].en) && cases[i].en[w]; w++)
        g_assert_nonnull (strstr (en, cases[i].en[w]));
    }
}

/* The worst case of every text still fits a reply.  {detail} is left out:
 * lists are cut by the bot to fit. */
static void
test_length_bound (void)
{
  BfkBotVars worst = {
    .name = "Abcdefghijklmnopqrst", .other = "Abcdefghijklmnopqrst",
    .community = "Communauté de quarante caractères de lo…",
    .currency = "Monnaie de trente caractères…", .symbol = "SYMBOLE…",
    .service = "un service décrit en soixante caractères, le plus long admis",
    .words = "ce que le membre a tapé…", .what = "le numéro de l'échange",
    .example = "PROPOSER Abcdefghijklmnopqrst un service en trente caractèr… 1000000000000",
    .state = "en attente", .reputation = "4,5/5 (1000000 avis)", .rating = "4,5",
    .date = "31/12/2099", .n = 1000000000000, .amount = 1000000000000,
    .balance = 1000000000000, .escrow = 1000000000000, .count = 1000000000000,
    .volume = 1000000000000, .stars = 5, .hours = 720, .cap = 1000000000000,
    .left = 1000000000000,
  };

  for (guint lang = 0; lang < BFK_BOT_N_LANGS; lang++)
    for (guint key = 0; key < BFK_BOT_N_TEXTS; key++)
      {
        g_autofree gchar *text = bfk_bot_text (lang, key, &worst);

        g_test_message ("%s", text);
        g_assert_cmpint (g_utf8_strlen (text, -1), <=, BFK_BOT_REPLY_MAX_CHARS - 120);
      }
}

/* The commands the texts teach are commands the parser knows, in both
 * languages. */
static void
test_examples_parse (void)
{
  static const struct { BfkBotText key; BfkBotCommandKind kind; } cases[] = {
    { BFK_BOT_TEXT_EXAMPLE_PROPOSE, BFK_BOT_CMD_PROPOSE },
    { BFK_BOT_TEXT_EXAMPLE_OFFER, BFK_BOT_CMD_OFFER },
    { BFK_BOT_TEXT_EXAMPLE_REMOVE, BFK_BOT_CMD_REMOVE },
    { BFK_BOT_TEXT_EXAMPLE_ACCEPT, BFK_BOT_CMD_ACCEPT },
    { BFK_BOT_TEXT_EXAMPLE_DECLINE, BFK_BOT_CMD_DECLINE },
    { BFK_BOT_TEXT_EXAMPLE_DONE, BFK_BOT_CMD_DONE },
    { BFK_BOT_TEXT_EXAMPLE_CANCEL, BFK_BOT_CMD_CANCEL },
    { BFK_BOT_TEXT_EXAMPLE_RATE, BFK_BOT_CMD_RATE },
  };
  static const gchar *const menu_words[BFK_BOT_N_LANGS][15] = {
    { "SOLDE", "PROFIL", "COMMUNAUTE", "OFFRIR", "RETIRER", "RECHERCHER", "PROPOSER",
      "ACCEPTER", "REFUSER", "TERMINE", "ANNULER", "EVALUER", "BACKERS", "AGENT", "LANGUE" },
    { "BALANCE", "PROFILE", "COMMUNITY", "OFFER", "REMOVE", "SEARCH", "PROPOSE",
      "ACCEPT", "DECLINE", "DONE", "CANCEL", "RATE", "BACKERS", "AGENT", "LANGUAGE" },
  };

  for (guint lang = 0; lang < BFK_BOT_N_LANGS; lang++)
    {
      g_autofree gchar *menu = bfk_bot_text (lang, BFK_BOT_TEXT_MENU, NULL);

      for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
        {
          g_autofree gchar *text = bfk_bot_text (lang, cases[i].key,
                                                 &(BfkBotVars) { .other = "Marie",
                                                                 .service = "couture",
                                                                 .n = 12, .amount = 150 });
          g_autoptr(BfkBotCommand) cmd = bfk_bot_command_parse (text, -1);

          g_test_message ("%s", text);
          g_assert_cmpint (cmd->kind, ==, cases[i].kind);
          g_assert_true (cmd->number.status == BFK_BOT_NUMBER_OK
                         || cmd->amount.status == BFK_BOT_NUMBER_OK);
        }
      for (guint i = 0; i < G_N_ELEMENTS (menu_words[lang]); i++)
        {
          g_autoptr(BfkBotCommand) cmd = bfk_bot_command_parse (menu_words[lang][i], -1);

          g_assert_nonnull (strstr (menu, menu_words[lang][i]));
          g_assert_cmpint (cmd->kind, !=, BFK_BOT_CMD_TEXT);
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/bot/texts/complete", test_complete);
  g_test_add_func ("/bot/texts/render", test_render);
  g_test_add_func ("/bot/texts/notifications", test_notifications);
  g_test_add_func ("/bot/texts/length-bound", test_length_bound);
  g_test_add_func ("/bot/texts/examples-parse", test_examples_parse);
  return g_test_run ();
}
