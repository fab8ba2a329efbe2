/* bfk-rpc-logs-scan.c: the scanner of eth_getLogs answers.
 *
 * A json-glib tree of a big answer costs several times the text, in small
 * blocks that GLib's slice allocator does not give back: this reads the
 * text in one pass instead, handing each member of each log to the rules of
 * bfk-rpc-logs.c and checking the rest without keeping it.  It is strict
 * JSON (RFC 8259): anything else is an error, never a guess, and nothing in
 * the text can make it read outside it or recurse without bound.
 */
#include "bfk-rpc-private.h"

#include <string.h>

#include "bfk-chain-error.h"
#include "bfk-hex.h"

/* Nesting followed in values that are skipped; deeper is refused rather
 * than risk the stack. */
#define MAX_DEPTH 64

typedef struct
{
  const gchar *start;
  const gchar *p;
  const gchar *end;
  GString     *scratch;    /* unescaped strings */
} Scanner;

static gboolean
syntax_error (Scanner      *sc,
              const gchar  *what,
              GError      **error)
{
  g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_DECODE,
               "The logs are not valid JSON: %s at byte %" G_GSIZE_FORMAT ".", what,
               (gsize) (sc->p - sc->start));
  return FALSE;
}

static void
skip_space (Scanner *sc)
{
  while (sc->p < sc->end && (*sc->p == ' ' || *sc->p == '\t' || *sc->p == '\n' || *sc->p == '\r'))
    sc->p++;
}

/* Skips white space, then takes c if it comes next. */
static gboolean
take (Scanner *sc,
      gchar    c)
{
  skip_space (sc);
  if (sc->p < sc->end && *sc->p == c)
    {
      sc->p++;
      return TRUE;
    }
  return FALSE;
}

static gboolean
expect (Scanner  *sc,
        gchar     c,
        GError  **error)
{
  gchar what[] = "'?' expected";

  if (take (sc, c))
    return TRUE;
  what[1] = c;
  return syntax_error (sc, sc->p < sc->end ? what : "unexpected end", error);
}

static gint
hex4 (const gchar *p)
{
  gint v = 0;

  for (guint i = 0; i < 4; i++)
    {
      gint d = bfk_hex_digit_value (p[i]);

      if (d < 0)
        return -1;
      v = (v << 4) | d;
    }
  return v;
}

/* Appends the character of the escape at sc->p (after its backslash) to
 * out, or just checks it when out is NULL. */
static gboolean
scan_escape (Scanner  *sc,
             GString  *out,
             GError  **error)
{
  static const gchar from[] = "\"\\/bfnrt";
  static const gchar to[] = "\"\\/\b\f\n\r\t";
  const gchar *simple;
  gint unit, low;

  if (sc->p >= sc->end)
    return syntax_error (sc, "unfinished string", error);
  if (*sc->p != 'u')
    {
      if (*sc->p == '\0' || (simple = strchr (from, *sc->p)) == NULL)
        return syntax_error (sc, "unknown escape in a string", error);
      if (out != NULL)
        g_string_append_c (out, to[simple - from]);
      sc->p++;
      return TRUE;
    }
  if (sc->end - sc->p < 5 || (unit = hex4 (sc->p + 1)) < 0)
    return syntax_error (sc, "bad \\u escape in a string", error);
  sc->p += 5;
  /* UTF-16: a high surrogate must come with its low one. */
  if (unit >= 0xDC00 && unit <= 0xDFFF)
    return syntax_error (sc, "lone surrogate in a string", error);
  if (unit >= 0xD800 && unit <= 0xDBFF)
    {
      if (sc->end - sc->p < 6 || sc->p[0] != '\\' || sc->p[1] != 'u'
          || (low = hex4 (sc->p + 2)) < 0xDC00 || low > 0xDFFF)
        return syntax_error (sc, "lone surrogate in a string", error);
      sc->p += 6;
      unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
    }
  if (out != NULL)
    g_string_append_unichar (out, (gunichar) unit);
  return TRUE;
}

/* A string (sc->p on its opening quote) into v: its content as is when it
 * has no escape, else unescaped into the scanner's scratch buffer (valid
 * until the next string). */
static gboolean
scan_string (Scanner      *sc,
             BfkRpcValue  *v,
             GError      **error)
{
  const gchar *content;
  gboolean escaped = FALSE;

  sc->p++;
  content = sc->p;
  for (;;)
    {
      /* Hex digits and plain names: the common case, a byte at a time. */
      while (sc->p < sc->end && *sc->p != '"' && *sc->p != '\\' && (guchar) *sc->p >= 0x20)
        sc->p++;
      if (sc->p >= sc->end)
        return syntax_error (sc, "unfinished string", error);
      if (*sc->p == '"')
        break;
      if (*sc->p != '\\')
        return syntax_error (sc, "control character in a string", error);
      if (!escaped)
        {
          escaped = TRUE;
          g_string_truncate (sc->scratch, 0);
        }
      g_string_append_len (sc->scratch, content, sc->p - content);
      sc->p++;
      if (!scan_escape (sc, sc->scratch, error))
        return FALSE;
      content = sc->p;
    }
  *v = (BfkRpcValue) { BFK_RPC_VALUE_STRING, content, sc->p - content };
  if (escaped)
    {
      g_string_append_len (sc->scratch, content, sc->p - content);
      v->text = sc->scratch->str;
      v->len = sc->scratch->len;
    }
  sc->p++;
  /* JSON text is UTF-8; what was copied from it is checked with it. */
  if (!g_utf8_validate_len (v->text, v->len, NULL))
    return syntax_error (sc, "a string that is not UTF-8", error);
  return TRUE;
}

static gboolean
scan_digits (Scanner *sc)
{
  const gchar *first = sc->p;

  while (sc->p < sc->end && g_ascii_isdigit (*sc->p))
    sc->p++;
  return sc->p > first;
}

/* A number, as RFC 8259 writes it: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static gboolean
scan_number (Scanner  *sc,
             GError  **error)
{
  if (sc->p < sc->end && *sc->p == '-')
    sc->p++;
  if (sc->p < sc->end && *sc->p == '0')
    sc->p++;
  else if (sc->p >= sc->end || *sc->p < '1' || *sc->p > '9' || !scan_digits (sc))
    return syntax_error (sc, "bad number", error);
  if (sc->p < sc->end && *sc->p == '.' && (sc->p++, !scan_digits (sc)))
    return syntax_error (sc, "bad number", error);
  if (sc->p < sc->end && (*sc->p == 'e' || *sc->p == 'E'))
    {
      sc->p++;
      if (sc->p < sc->end && (*sc->p == '+' || *sc->p == '-'))
        sc->p++;
      if (!scan_digits (sc))
        return syntax_error (sc, "bad number", error);
    }
  return TRUE;
}

static gboolean
scan_word (Scanner      *sc,
           const gchar  *word,
           GError      **error)
{
  gsize len = strlen (word);

  if ((gsize) (sc->end - sc->p) < len || memcmp (sc->p, word, len) != 0)
    return syntax_error (sc, "unexpected character", error);
  sc->p += len;
  return TRUE;
}

/* A member name (sc->p on what should be its opening quote) and its colon;
 * the name is in v until the next string. */
static gboolean
scan_name (Scanner      *sc,
           BfkRpcValue  *v,
           GError      **error)
{
  skip_space (sc);
  if (sc->p >= sc->end || *sc->p != '"')
    return syntax_error (sc, "member name expected", error);
  return scan_string (sc, v, error) && expect (sc, ':', error);
}

static gboolean scan_value (Scanner *sc, BfkRpcValue *v, guint depth, GError **error);

/* The members of an object or elements of an array, whose opening bracket
 * was taken: each is checked and left. */
static gboolean
skip_items (Scanner   *sc,
            gboolean   object,
            guint      depth,
            GError   **error)
{
  gchar close = object ? '}' : ']';
  BfkRpcValue v;

  if (take (sc, close))
    return TRUE;
  do
    {
      if (object && !scan_name (sc, &v, error))
        return FALSE;
      if (!scan_value (sc, &v, depth + 1, error))
        return FALSE;
    }
  while (take (sc, ','));
  return expect (sc, close, error);
}

/* Any value: strings and literals into v, the rest checked and left
 * (BFK_RPC_VALUE_OTHER). */
static gboolean
scan_value (Scanner      *sc,
            BfkRpcValue  *v,
            guint         depth,
            GError      **error)
{
  *v = (BfkRpcValue) { BFK_RPC_VALUE_OTHER, NULL, 0 };
  skip_space (sc);
  if (sc->p >= sc->end)
    return syntax_error (sc, "unexpected end", error);
  if (depth > MAX_DEPTH)
    return syntax_error (sc, "values nested too deep", error);
  switch (*sc->p)
    {
    case '"':
      return scan_string (sc, v, error);
    case '{':
    case '[':
      return skip_items (sc, *sc->p++ == '{', depth, error);
    case 't':
      v->kind = BFK_RPC_VALUE_TRUE;
      return scan_word (sc, "true", error);
    case 'f':
      v->kind = BFK_RPC_VALUE_FALSE;
      return scan_word (sc, "false", error);
    case 'n':
      v->kind = BFK_RPC_VALUE_NULL;
      return scan_word (sc, "null", error);
    default:
      return scan_number (sc, error);
    }
}

static gboolean
scan_topics (Scanner         *sc,
             BfkRpcLogBuild  *b,
             GError         **error)
{
  BfkRpcValue v;
  guint i = 0;

  if (!bfk_rpc_log_topics (b, error))
    return FALSE;
  if (!take (sc, '['))
    return bfk_rpc_bad_log ("topic list", error);
  if (take (sc, ']'))
    return TRUE;
  do
    if (!scan_value (sc, &v, 3, error) || !bfk_rpc_log_topic (b, i++, &v, error))
      return FALSE;
  while (take (sc, ','));
  return expect (sc, ']', error);
}

/* One log object into b->log; its data goes to b->arena. */
static gboolean
scan_log (Scanner         *sc,
          BfkRpcLogBuild  *b,
          GError         **error)
{
  BfkRpcValue v;

  memset (b->log, 0, sizeof *b->log);
  if (!take (sc, '{'))
    return sc->p < sc->end ? bfk_rpc_bad_log ("body", error) : syntax_error (sc, "unexpected end", error);
  if (take (sc, '}'))
    return bfk_rpc_log_complete (b, error);
  do
    {
      guint field;

      if (!scan_name (sc, &v, error))
        return FALSE;
      field = bfk_rpc_log_field (v.text, v.len);
      if (field == BFK_RPC_LOG_TOPICS)
        {
          if (!scan_topics (sc, b, error))
            return FALSE;
        }
      else if (!scan_value (sc, &v, 2, error)
               || (field != 0 && !bfk_rpc_log_member (b, field, &v, error)))
        return FALSE;
    }
  while (take (sc, ','));
  return expect (sc, '}', error) && bfk_rpc_log_complete (b, error);
}

/* The logs of an array whose '[' was taken. */
static GArray *
scan_log_array (Scanner  *sc,
                GError  **error)
{
  /* About 600 bytes of text a log with one word of data. */
  g_autoptr(GArray) logs = bfk_rpc_log_array_new ((guint) MIN ((sc->end - sc->p) / 600, 1 << 20));
  g_autoptr(GArray) spans = g_array_new (FALSE, FALSE, sizeof (gsize));
  GByteArray *arena = g_byte_array_new ();

  if (!take (sc, ']'))
    {
      do
        {
          BfkLog log;
          BfkRpcLogBuild b = { &log, arena, 0, 0, 0 };

          if (!scan_log (sc, &b, error))
            {
              g_byte_array_unref (arena);
              return NULL;
            }
          g_array_append_val (logs, log);
          g_array_append_val (spans, b.data_offset);
          g_array_append_val (spans, b.data_len);
        }
      while (take (sc, ','));
      if (!expect (sc, ']', error))
        {
          g_byte_array_unref (arena);
          return NULL;
        }
    }
  return bfk_rpc_logs_share_data (g_steal_pointer (&logs), arena, (const gsize *) spans->data);
}

static gboolean
not_an_array (GError **error)
{
  g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_DECODE, "The logs are not a JSON array.");
  return FALSE;
}

/* A JSON-RPC response object whose '{' was taken: its result's logs, or
 * its error's text in *error_text. */
static GArray *
scan_response (Scanner      *sc,
               BfkRpcValue  *error_text,
               GError      **error)
{
  g_autoptr(GArray) logs = NULL;
  gboolean have_result = FALSE;
  BfkRpcValue v;

  if (take (sc, '}'))
    {
      not_an_array (error);
      return NULL;
    }
  do
    {
      gboolean result, failure;
      const gchar *value_start;

      if (!scan_name (sc, &v, error))
        return NULL;
      result = v.len == 6 && memcmp (v.text, "result", 6) == 0;
      failure = v.len == 5 && memcmp (v.text, "error", 5) == 0;
      if (result && have_result)
        {
          syntax_error (sc, "a second result", error);
          return NULL;
        }
      have_result = have_result || result;
      skip_space (sc);
      value_start = sc->p;
      if (result && take (sc, '['))
        {
          if ((logs = scan_log_array (sc, error)) == NULL)
            return NULL;
          continue;
        }
      if (!scan_value (sc, &v, 1, error))
        return NULL;
      if (failure && v.kind != BFK_RPC_VALUE_NULL)
        *error_text = (BfkRpcValue) { BFK_RPC_VALUE_OTHER, value_start, sc->p - value_start };
    }
  while (take (sc, ','));
  if (!expect (sc, '}', error))
    return NULL;
  if (logs == NULL && error_text->text == NULL)
    not_an_array (error);
  return g_steal_pointer (&logs);
}

GArray *
bfk_rpc_scan_logs (BfkRpcClient  *client,
                   const gchar   *text,
                   gsize          len,
                   GError       **error)
{
  g_autoptr(GString) scratch = g_string_new (NULL);
  Scanner sc = { text, text, text + len, scratch };
  g_autoptr(GArray) logs = NULL;
  BfkRpcValue failure = { BFK_RPC_VALUE_OTHER, NULL, 0 };

  if (take (&sc, '['))
    logs = scan_log_array (&sc, error);
  else if (take (&sc, '{'))
    logs = scan_response (&sc, &failure, error);
  else if (sc.p < sc.end)
    not_an_array (error);
  else
    syntax_error (&sc, "empty text", error);
  if (logs == NULL && failure.text == NULL)
    return NULL;

  skip_space (&sc);
  if (sc.p < sc.end)
    {
      syntax_error (&sc, "text after the answer", error);
      return NULL;
    }
  if (failure.text != NULL)
    {
      g_propagate_error (error, bfk_rpc_error_from_text (client, "eth_getLogs", failure.text,
                                                         failure.len));
      return NULL;
    }
  return g_steal_pointer (&logs);
}

GArray *
bfk_rpc_parse_logs (const gchar  *json_text,
                    gssize        len,
                    GError      **error)
{
  g_return_val_if_fail (json_text != NULL, NULL);

  return bfk_rpc_scan_logs (NULL, json_text, len < 0 ? strlen (json_text) : (gsize) len, error);
}

