/* bfk-csv.h: reading the CSV files that spreadsheets export.
 *
 * Tolerant of what LibreOffice, Excel and Google Sheets write: ',' or ';'
 * separators (French locales use ';'), quoted fields with "" for a quote
 * and line breaks inside, CRLF or LF line ends, a UTF-8 byte order mark,
 * and Windows-1252 text when the file is not UTF-8.  Blank rows are
 * dropped.  Each record keeps the line it starts on, to report errors the
 * way a person sees the file.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BFK_CSV_ERROR (bfk_csv_error_quark ())

typedef enum
{
  BFK_CSV_ERROR_ENCODING,       /* neither UTF-8 nor Windows-1252 */
  BFK_CSV_ERROR_UNCLOSED_QUOTE,
  BFK_CSV_ERROR_COLUMNS,        /* the header lacks a column the reader needs */
} BfkCsvError;

typedef struct
{
  guint    line;      /* 1-based, where the record starts */
  GStrv    fields;    /* unquoted, and trimmed when they were not quoted */
  guint    n_fields;
} BfkCsvRecord;

/* A GPtrArray of BfkCsvRecord, or NULL with an error naming the line. */
GPtrArray *bfk_csv_parse       (const gchar  *text,
                                gsize         len,
                                GError      **error);

/* Appends one record, ending in CRLF as RFC 4180 says.  A field is quoted
 * when it holds a separator, a quote, a line break or edge spaces; NULL is
 * an empty field.  A field that a spreadsheet would run as a formula (it
 * starts with = or @) gets a leading apostrophe.  Fields starting with + or
 * - are left alone: those are phone numbers and amounts, and the importer
 * must read them back. */
void       bfk_csv_append_row  (GString             *out,
                                const gchar * const *fields,
                                guint                n_fields);

GQuark     bfk_csv_error_quark (void);

G_END_DECLS
