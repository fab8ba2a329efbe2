/* bfk-csv.c */
#include "bfk-csv.h"

#include <string.h>

G_DEFINE_QUARK (bfk-csv-error-quark, bfk_csv_error)

typedef struct
{
  const gchar *p;
  const gchar *end;
  gchar        sep;
  guint        line;
} Reader;

static void
record_free (BfkCsvRecord *record)
{
  g_strfreev (record->fields);
  g_free (record);
}

/* The separator is whichever of ',' and ';' the first record uses more,
 * outside quotes. */
static gchar
guess_separator (const gchar *p,
                 const gchar *end)
{
  guint commas = 0, semicolons = 0;
  gboolean quoted = FALSE;

  while (p < end && g_ascii_isspace (*p))
    p++;
  for (; p < end && (quoted || (*p != '\n' && *p != '\r')); p++)
    {
      if (*p == '"')
        quoted = !quoted;
      else if (!quoted && *p == ',')
        commas++;
      else if (!quoted && *p == ';')
        semicolons++;
    }
  return semicolons > commas ? ';' : ',';
}

static gboolean
at_line_end (Reader *r)
{
  return r->p >= r->end || *r->p == '\n' || *r->p == '\r';
}

/* Consumes one line end (CRLF, LF or a lone CR). */
static void
skip_line_end (Reader *r)
{
  if (r->p < r->end && *r->p == '\r')
    r->p++;
  if (r->p < r->end && *r->p == '\n')
    r->p++;
  r->line++;
}

static gboolean
read_quoted (Reader   *r,
             GString  *field,
             GError  **error)
{
  guint start = r->line;

  r->p++;
  while (r->p < r->end)
    {
      gchar c = *r->p++;

      if (c == '"' && r->p < r->end && *r->p == '"')
        {
          g_string_append_c (field, '"');
          r->p++;
        }
      else if (c == '"')
        return TRUE;
      else
        {
          /* Count lines inside the quotes, with CRLF as one. */
          if (c == '\n' || (c == '\r' && (r->p >= r->end || *r->p != '\n')))
            r->line++;
          g_string_append_c (field, c);
        }
    }
  g_set_error (error, BFK_CSV_ERROR, BFK_CSV_ERROR_UNCLOSED_QUOTE,
               "Line %u: a quoted field is never closed (a \" is missing)", start);
  return FALSE;
}

static gboolean
read_field (Reader   *r,
            GString  *field,
            GError  **error)
{
  gboolean quoted;

  g_string_truncate (field, 0);
  while (r->p < r->end && (*r->p == ' ' || *r->p == '\t'))
    r->p++;
  quoted = r->p < r->end && *r->p == '"';
  if (quoted && !read_quoted (r, field, error))
    return FALSE;
  /* Text after a closing quote is kept: being strict helps nobody here. */
  while (!at_line_end (r) && *r->p != r->sep)
    g_string_append_c (field, *r->p++);
  if (!quoted)
    {
      while (field->len && (field->str[field->len - 1] == ' ' || field->str[field->len - 1] == '\t'))
        g_string_truncate (field, field->len - 1);
    }
  return TRUE;
}

static BfkCsvRecord *
read_record (Reader   *r,
             GError  **error)
{
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) field = g_string_new (NULL);
  BfkCsvRecord *record;
  gboolean blank = TRUE;
  guint line = r->line;

  for (;;)
    {
      if (!read_field (r, field, error))
        return NULL;
      blank = blank && field->len == 0;
      g_ptr_array_add (fields, g_strndup (field->str, field->len));
      if (at_line_end (r))
        break;
      r->p++;   /* the separator */
    }
  skip_line_end (r);
  /* Spreadsheets end files with empty rows, sometimes as ";;". */
  if (blank)
    return NULL;

  record = g_new0 (BfkCsvRecord, 1);
  record->line = line;
  record->n_fields = fields->len;
  g_ptr_array_add (fields, NULL);
  record->fields = (GStrv) g_ptr_array_steal (fields, NULL);
  return record;
}

GPtrArray *
bfk_csv_parse (const gchar  *text,
               gsize         len,
               GError      **error)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) record_free);
  g_autofree gchar *converted = NULL;
  Reader r = { 0 };

  if (len >= 3 && memcmp (text, "\xef\xbb\xbf", 3) == 0)
    {
      text += 3;
      len -= 3;
    }
  /* Excel on Windows still saves "CSV" in the ANSI code page. */
  if (!g_utf8_validate_len (text, len, NULL))
    {
      gsize written = 0;

      converted = g_convert (text, len, "UTF-8", "WINDOWS-1252", NULL, &written, NULL);
      if (!converted)
        {
          g_set_error_literal (error, BFK_CSV_ERROR, BFK_CSV_ERROR_ENCODING,
                               "The file is not text in UTF-8: save it again as “CSV UTF-8”");
          return NULL;
        }
      text = converted;
      len = written;
    }

  r.p = text;
  r.end = text + len;
  r.sep = guess_separator (r.p, r.end);
  r.line = 1;
  while (r.p < r.end)
    {
      g_autoptr(GError) local = NULL;
      BfkCsvRecord *record = read_record (&r, &local);

      if (local)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return NULL;
        }
      if (record)
        g_ptr_array_add (records, record);
    }
  return g_steal_pointer (&records);
}

void
bfk_csv_append_row (GString             *out,
                    const gchar * const *fields,
                    guint                n_fields)
{
  for (guint i = 0; i < n_fields; i++)
    {
      const gchar *f = fields[i] ? fields[i] : "";
      gsize len = strlen (f);
      gboolean quote = strpbrk (f, ",;\"\r\n") != NULL
                       || (len > 0 && (f[0] == ' ' || f[len - 1] == ' '));

      if (i > 0)
        g_string_append_c (out, ',');
      if (quote)
        g_string_append_c (out, '"');
      if (f[0] == '=' || f[0] == '@')
        g_string_append_c (out, '\'');
      for (const gchar *p = f; *p; p++)
        {
          if (*p == '"')
            g_string_append_c (out, '"');
          g_string_append_c (out, *p);
        }
      if (quote)
        g_string_append_c (out, '"');
    }
  g_string_append (out, "\r\n");
}
