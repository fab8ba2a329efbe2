/* bfk-bot-command.c: a message's bytes → a BfkBotCommand.
 *
 * In order: repair the UTF-8, turn every kind of space into one plain space
 * and drop invisible characters (WhatsApp inserts some), compose accents
 * (NFC), split into words, drop WhatsApp's formatting marks, then read the
 * command word and its arguments.
 */
#include "bfk-bot-command.h"

#include <string.h>

static const struct
{
  const gchar       *word;   /* folded */
  BfkBotCommandKind  kind;
} words[] = {
  { "aide", BFK_BOT_CMD_HELP },
  { "menu", BFK_BOT_CMD_HELP },
  { "help", BFK_BOT_CMD_HELP },
  /* Greetings: a member who says hello deserves the menu, not "not understood". */
  { "bonjour", BFK_BOT_CMD_HELP },
  { "bonsoir", BFK_BOT_CMD_HELP },
  { "salut", BFK_BOT_CMD_HELP },
  { "hello", BFK_BOT_CMD_HELP },
  { "hi", BFK_BOT_CMD_HELP },
  { "solde", BFK_BOT_CMD_BALANCE },
  { "balance", BFK_BOT_CMD_BALANCE },
  { "profil", BFK_BOT_CMD_PROFILE },
  { "profile", BFK_BOT_CMD_PROFILE },
  { "communaute", BFK_BOT_CMD_COMMUNITY },
  { "community", BFK_BOT_CMD_COMMUNITY },
  { "offrir", BFK_BOT_CMD_OFFER },
  { "offer", BFK_BOT_CMD_OFFER },
  { "retirer", BFK_BOT_CMD_REMOVE },
  { "remove", BFK_BOT_CMD_REMOVE },
  { "rechercher", BFK_BOT_CMD_SEARCH },
  { "chercher", BFK_BOT_CMD_SEARCH },
  { "search", BFK_BOT_CMD_SEARCH },
  { "proposer", BFK_BOT_CMD_PROPOSE },
  { "propose", BFK_BOT_CMD_PROPOSE },
  { "accepter", BFK_BOT_CMD_ACCEPT },
  { "accept", BFK_BOT_CMD_ACCEPT },
  { "refuser", BFK_BOT_CMD_DECLINE },
  { "decline", BFK_BOT_CMD_DECLINE },
  { "termine", BFK_BOT_CMD_DONE },
  { "terminer", BFK_BOT_CMD_DONE },
  { "done", BFK_BOT_CMD_DONE },
  { "annuler", BFK_BOT_CMD_CANCEL },
  { "cancel", BFK_BOT_CMD_CANCEL },
  { "evaluer", BFK_BOT_CMD_RATE },
  { "rate", BFK_BOT_CMD_RATE },
  { "backers", BFK_BOT_CMD_BACKERS },
  { "backer", BFK_BOT_CMD_BACKERS },
  { "agent", BFK_BOT_CMD_AGENT },
  { "langue", BFK_BOT_CMD_LANGUAGE },
  { "language", BFK_BOT_CMD_LANGUAGE },
  { "english", BFK_BOT_CMD_LANGUAGE },
  { "anglais", BFK_BOT_CMD_LANGUAGE },
  { "francais", BFK_BOT_CMD_LANGUAGE },
  { "french", BFK_BOT_CMD_LANGUAGE },
  { "oui", BFK_BOT_CMD_YES },
  { "yes", BFK_BOT_CMD_YES },
  { "non", BFK_BOT_CMD_NO },
  { "no", BFK_BOT_CMD_NO },
};

static const gchar *const kind_names[BFK_BOT_N_CMDS] = {
  "TEXT", "HELP", "BALANCE", "PROFILE", "COMMUNITY", "OFFER", "REMOVE", "SEARCH",
  "PROPOSE", "ACCEPT", "DECLINE", "DONE", "CANCEL", "RATE", "BACKERS", "AGENT",
  "LANGUAGE", "YES", "NO",
};

const gchar *
bfk_bot_command_kind_to_string (BfkBotCommandKind kind)
{
  return (guint) kind < BFK_BOT_N_CMDS ? kind_names[kind] : "?";
}

gchar *
bfk_bot_fold (const gchar *text)
{
  /* Compatibility decomposition too: fullwidth "ＳＯＬＤＥ" and ligatures fold
   * like their plain letters. */
  g_autofree gchar *nfkd = g_utf8_normalize (text ? text : "", -1, G_NORMALIZE_ALL);
  g_autoptr(GString) bare = g_string_new (NULL);

  if (!nfkd)
    return g_strdup ("");
  for (const gchar *p = nfkd; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_ismark (c))
        g_string_append_unichar (bare, c);
    }
  return g_utf8_casefold (bare->str, (gssize) bare->len);
}

/* Valid UTF-8, composed, with single plain spaces and nothing invisible. */
static gchar *
clean_text (const gchar *text,
            gssize       length)
{
  gsize len = text ? (length < 0 ? strlen (text) : (gsize) length) : 0;
  g_autofree gchar *valid = NULL;
  g_autoptr(GString) spaced = g_string_new (NULL);
  gchar *nfc;

  len = MIN (len, BFK_BOT_MESSAGE_MAX);
  /* An embedded NUL counts as invalid here and becomes U+FFFD. */
  valid = g_utf8_make_valid (len ? text : "", (gssize) len);
  for (const gchar *p = valid; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || g_unichar_iscntrl (c))
        g_string_append_c (spaced, ' ');
      else if (g_unichar_type (c) != G_UNICODE_FORMAT)   /* zero-width spaces, BOM, bidi marks */
        g_string_append_unichar (spaced, c);
    }
  nfc = g_utf8_normalize (spaced->str, (gssize) spaced->len, G_NORMALIZE_DEFAULT_COMPOSE);
  return nfc ? nfc : g_strdup ("");
}

static void
drop_empty (GPtrArray *tokens)
{
  for (guint i = tokens->len; i > 0; i--)
    if (*(gchar *) g_ptr_array_index (tokens, i - 1) == '\0')
      g_ptr_array_remove_index (tokens, i - 1);
}

/* A mark opening the first word and closing the last: "*PROPOSER Marie 150*". */
static gboolean
strip_span (GPtrArray *tokens,
            gchar      mark)
{
  gchar *first, *last;
  gsize last_len;

  if (tokens->len == 0)
    return FALSE;
  first = g_ptr_array_index (tokens, 0);
  last = g_ptr_array_index (tokens, tokens->len - 1);
  last_len = strlen (last);
  if (first[0] != mark || last_len == 0 || last[last_len - 1] != mark
      || (first == last && last_len < 2))
    return FALSE;
  last[last_len - 1] = '\0';
  memmove (first, first + 1, strlen (first + 1) + 1);
  return TRUE;
}

/* WhatsApp's marks: around the whole message or around single words.  An
 * underscore is also a user name character ("jean_paul"), so only a pair of
 * them around a word is dropped. */
static void
strip_marks (GPtrArray *tokens)
{
  static const gchar marks[] = "*_~`";
  gboolean changed;

  do
    {
      changed = FALSE;
      for (const gchar *m = marks; *m; m++)
        changed |= strip_span (tokens, *m);
      drop_empty (tokens);
    }
  while (changed);

  for (guint i = 0; i < tokens->len; i++)
    {
      gchar *t = g_ptr_array_index (tokens, i);
      gsize start = 0, end = strlen (t);

      while (start < end && strchr ("*~`", t[start]))
        start++;
      while (end > start && strchr ("*~`", t[end - 1]))
        end--;
      if (end - start >= 3 && t[start] == '_' && t[end - 1] == '_')
        start++, end--;
      memmove (t, t + start, end - start);
      t[end - start] = '\0';
    }
  drop_empty (tokens);
}

static GPtrArray *
split_words (const gchar *text)
{
  g_auto(GStrv) parts = g_strsplit (text, " ", -1);
  GPtrArray *tokens = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; parts[i]; i++)
    if (parts[i][0])
      g_ptr_array_add (tokens, g_strdup (parts[i]));
  strip_marks (tokens);
  return tokens;
}

static gchar *
join (GPtrArray *tokens,
      guint      from,
      guint      to)
{
  g_autoptr(GString) s = g_string_new (NULL);

  for (guint i = from; i < to && i < tokens->len; i++)
    {
      if (s->len)
        g_string_append_c (s, ' ');
      g_string_append (s, g_ptr_array_index (tokens, i));
    }
  return s->len ? g_strdup (s->str) : NULL;
}

static gboolean
all_digits (const gchar *s,
            gsize        min,
            gsize        max)
{
  gsize len = strlen (s);

  if (len < min || len > max)
    return FALSE;
  for (; *s; s++)
    if (!g_ascii_isdigit (*s))
      return FALSE;
  return TRUE;
}

static void
number_parse (BfkBotNumber *num,
              const gchar  *token)
{
  /* Folded, so that fullwidth digits and "№" read like the plain ones. */
  g_autofree gchar *folded = bfk_bot_fold (token);
  const gchar *p = folded;
  const gchar *end;
  gsize digits = 0, separators = 0, others = 0;
  gboolean negative = FALSE, overflow = FALSE;
  guint64 value = 0;

  g_free (num->text);
  num->text = g_strdup (token ? token : "");
  num->value = 0;
  if (!*p)
    {
      num->status = BFK_BOT_NUMBER_MISSING;
      return;
    }
  /* "#12", "n°12", "no12": how people write an exchange number. */
  if (*p == '#')
    p++;
  else if (g_str_has_prefix (p, "n°"))
    p += strlen ("n°");
  else if (g_str_has_prefix (p, "no") && g_ascii_isdigit (p[2]))
    p += 2;
  /* A hyphen, a minus sign or the en dash a phone keyboard may put instead. */
  if (*p == '-')
    negative = TRUE, p++;
  else if (g_str_has_prefix (p, "\u2212") || g_str_has_prefix (p, "\u2013"))
    negative = TRUE, p += strlen ("\u2212");
  end = p + strlen (p);
  if (end > p && (end[-1] == '.' || end[-1] == '!'))   /* the end of a sentence */
    end--;

  for (const gchar *q = p; q < end; q++)
    {
      if (g_ascii_isdigit (*q))
        {
          guint d = (guint) (*q - '0');

          digits++;
          if (separators || overflow)
            continue;
          /* Checked before it happens: any number of digits is safe. */
          if (value > (BFK_BOT_NUMBER_MAX - d) / 10)
            overflow = TRUE;
          else
            value = value * 10 + d;
        }
      else if (*q == ',' || *q == '.')
        separators++;
      else
        others++;
    }

  if (digits == 0 || others > 0)
    num->status = BFK_BOT_NUMBER_NOT_A_NUMBER;
  else if (negative)
    num->status = BFK_BOT_NUMBER_NEGATIVE;
  else if (separators)
    num->status = BFK_BOT_NUMBER_DECIMAL;
  else if (overflow)
    num->status = BFK_BOT_NUMBER_TOO_BIG;
  else if (value == 0)
    num->status = BFK_BOT_NUMBER_ZERO;
  else
    {
      num->status = BFK_BOT_NUMBER_OK;
      num->value = value;
    }
}

/* "5", "5/5", or stars: "⭐⭐⭐⭐⭐". */
static void
stars_parse (BfkBotNumber *num,
             const gchar  *token)
{
  g_autofree gchar *bare = g_strdup (token ? token : "");
  gsize len = strlen (bare);
  guint stars = 0;
  gboolean only_stars = len > 0;

  for (const gchar *p = bare; *p && only_stars; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == 0x2B50 || c == 0x2605)
        stars++;
      else if (c != 0xFE0F)   /* the emoji presentation selector */
        only_stars = FALSE;
    }
  if (only_stars && stars > 0)
    {
      g_free (num->text);
      num->text = g_strdup (bare);
      num->status = BFK_BOT_NUMBER_OK;
      num->value = stars;
      return;
    }
  if (len > 2 && g_str_has_suffix (bare, "/5"))
    bare[len - 2] = '\0';
  number_parse (num, bare);
}

/* The last word, or the last few when written in French groups of
 * thousands ("1 000"), but never the words before lo. */
static guint
amount_start (GPtrArray *args,
              guint      lo)
{
  guint start = args->len - 1;

  while (start > lo
         && all_digits (g_ptr_array_index (args, start), 3, 3)
         && all_digits (g_ptr_array_index (args, start - 1), 1, 3))
    start--;
  return start;
}

static void
amount_parse (BfkBotNumber *num,
              GPtrArray    *args,
              guint         start)
{
  g_autofree gchar *typed = join (args, start, args->len);
  g_auto(GStrv) groups = g_strsplit (typed, " ", -1);
  g_autofree gchar *digits = g_strjoinv ("", groups);

  number_parse (num, digits);
  g_free (num->text);
  num->text = g_steal_pointer (&typed);
}

static gboolean
looks_like_number (const gchar *token)
{
  BfkBotNumber probe = { 0 };
  gboolean yes;

  number_parse (&probe, token);
  yes = probe.status != BFK_BOT_NUMBER_NOT_A_NUMBER;
  g_free (probe.text);
  return yes;
}

/* OFFER <service...> <price>: the price is the last word. */
static void
parse_offer (BfkBotCommand *cmd,
             GPtrArray     *args)
{
  guint start;

  if (args->len == 0)
    return;
  if (args->len == 1)
    {
      if (looks_like_number (g_ptr_array_index (args, 0)))
        number_parse (&cmd->amount, g_ptr_array_index (args, 0));
      else
        cmd->service = join (args, 0, 1);
      return;
    }
  start = amount_start (args, 1);
  cmd->service = join (args, 0, start);
  amount_parse (&cmd->amount, args, start);
}

/* PROPOSE <name> <service...> <amount>: the name is the first word, the
 * amount the last. */
static void
parse_propose (BfkBotCommand *cmd,
               GPtrArray     *args)
{
  const gchar *name;
  guint start;

  if (args->len == 0)
    return;
  name = g_ptr_array_index (args, 0);
  cmd->name = g_strdup (name[0] == '@' && name[1] ? name + 1 : name);
  if (args->len == 1)
    return;
  if (args->len == 2)
    {
      if (looks_like_number (g_ptr_array_index (args, 1)))
        number_parse (&cmd->amount, g_ptr_array_index (args, 1));
      else
        cmd->service = join (args, 1, 2);
      return;
    }
  start = amount_start (args, 2);
  cmd->service = join (args, 1, start);
  amount_parse (&cmd->amount, args, start);
}

/* The number after the command; "n°", "no" or "#" may stand apart. */
static guint
parse_number_arg (BfkBotCommand *cmd,
                  GPtrArray     *args)
{
  guint i = 0;

  if (args->len > 1)
    {
      g_autofree gchar *first = bfk_bot_fold (g_ptr_array_index (args, 0));

      if (g_str_equal (first, "n°") || g_str_equal (first, "no") || g_str_equal (first, "#")
          || g_str_equal (first, "numero") || g_str_equal (first, "number"))
        i = 1;
    }
  number_parse (&cmd->number, i < args->len ? g_ptr_array_index (args, i) : NULL);
  return i + 1;
}

static void
parse_language (BfkBotCommand *cmd,
                const gchar   *word,
                GPtrArray     *args)
{
  static const gchar *const english[] = { "en", "english", "anglais", "eng", NULL };
  static const gchar *const french[] = { "fr", "francais", "french", "fra", NULL };
  g_autofree gchar *lang = NULL;

  /* "ENGLISH" alone says it all. */
  if (g_strv_contains (english + 1, word) || g_strv_contains (french + 1, word))
    lang = g_strdup (word);
  else if (args->len > 0)
    lang = bfk_bot_fold (g_ptr_array_index (args, 0));
  if (!lang)
    return;
  if (g_strv_contains (english, lang))
    cmd->lang = BFK_BOT_LANG_EN, cmd->lang_ok = TRUE;
  else if (g_strv_contains (french, lang))
    cmd->lang = BFK_BOT_LANG_FR, cmd->lang_ok = TRUE;
}

static BfkBotCommandKind
command_word (const gchar *word)
{
  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    if (g_str_equal (words[i].word, word))
      return words[i].kind;
  return BFK_BOT_CMD_TEXT;
}

BfkBotCommand *
bfk_bot_command_parse (const gchar *text,
                       gssize       length)
{
  BfkBotCommand *cmd = g_new0 (BfkBotCommand, 1);
  g_autofree gchar *clean = clean_text (text, length);
  g_autoptr(GPtrArray) tokens = split_words (clean);
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autofree gchar *word = NULL;
  gsize word_len;

  cmd->text = join (tokens, 0, tokens->len);
  if (!cmd->text)
    cmd->text = g_strdup ("");
  cmd->number.text = g_strdup ("");
  cmd->amount.text = g_strdup ("");
  cmd->stars.text = g_strdup ("");
  cmd->number.status = cmd->amount.status = cmd->stars.status = BFK_BOT_NUMBER_MISSING;
  if (tokens->len == 0)
    return cmd;

  /* "Solde ?", "Aide!" */
  word = bfk_bot_fold (g_ptr_array_index (tokens, 0));
  word_len = strlen (word);
  while (word_len > 0 && strchr (".!?,;:", word[word_len - 1]))
    word[--word_len] = '\0';
  cmd->kind = command_word (word);
  for (guint i = 1; i < tokens->len; i++)
    g_ptr_array_add (args, g_ptr_array_index (tokens, i));

  switch (cmd->kind)
    {
    case BFK_BOT_CMD_OFFER:
      parse_offer (cmd, args);
      break;
    case BFK_BOT_CMD_PROPOSE:
      parse_propose (cmd, args);
      break;
    case BFK_BOT_CMD_SEARCH:
      cmd->service = join (args, 0, args->len);
      break;
    case BFK_BOT_CMD_REMOVE:
    case BFK_BOT_CMD_ACCEPT:
    case BFK_BOT_CMD_DECLINE:
    case BFK_BOT_CMD_DONE:
    case BFK_BOT_CMD_CANCEL:
      parse_number_arg (cmd, args);
      break;
    case BFK_BOT_CMD_RATE:
      {
        guint next = parse_number_arg (cmd, args);

        stars_parse (&cmd->stars, next < args->len ? g_ptr_array_index (args, next) : NULL);
      }
      break;
    case BFK_BOT_CMD_LANGUAGE:
      parse_language (cmd, word, args);
      break;
    case BFK_BOT_CMD_TEXT:
    case BFK_BOT_CMD_HELP:
    case BFK_BOT_CMD_BALANCE:
    case BFK_BOT_CMD_PROFILE:
    case BFK_BOT_CMD_COMMUNITY:
    case BFK_BOT_CMD_BACKERS:
    case BFK_BOT_CMD_AGENT:
    case BFK_BOT_CMD_YES:
    case BFK_BOT_CMD_NO:
    case BFK_BOT_N_CMDS:
    default:
      break;
    }
  return cmd;
}

void
bfk_bot_command_free (BfkBotCommand *command)
{
  if (!command)
    return;
  g_free (command->text);
  g_free (command->name);
  g_free (command->service);
  g_free (command->number.text);
  g_free (command->amount.text);
  g_free (command->stars.text);
  g_free (command);
}
