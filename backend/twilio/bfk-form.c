/* bfk-form.c: application/x-www-form-urlencoded decoding and encoding.
 *
 * Not soup_form_decode(): that one returns a hash table (order and repeated
 * names lost) and lets malformed escapes through without a word.
 */
#include "bfk-form.h"

#include <string.h>

G_DEFINE_QUARK (bfk-form-error-quark, bfk_form_error)

typedef struct
{
  gchar *name;
  gchar *value;
} Field;

struct _BfkForm
{
  GArray *fields;  /* of Field */
};

static void
field_clear (gpointer data)
{
  Field *field = data;

  g_free (field->name);
  g_free (field->value);
}

BfkForm *
bfk_form_new (void)
{
  BfkForm *form = g_new0 (BfkForm, 1);

  form->fields = g_array_new (FALSE, FALSE, sizeof (Field));
  g_array_set_clear_func (form->fields, field_clear);
  return form;
}

void
bfk_form_free (BfkForm *form)
{
  if (form == NULL)
    return;
  g_array_unref (form->fields);
  g_free (form);
}

/* Takes ownership of both strings. */
static void
add_owned (BfkForm *form,
           gchar   *name,
           gchar   *value)
{
  Field field = { name, value };

  g_array_append_val (form->fields, field);
}

void
bfk_form_add (BfkForm     *form,
              const gchar *name,
              const gchar *value)
{
  g_return_if_fail (form != NULL);
  g_return_if_fail (name != NULL);

  add_owned (form, g_strdup (name), g_strdup (value != NULL ? value : ""));
}

guint
bfk_form_get_n_fields (const BfkForm *form)
{
  g_return_val_if_fail (form != NULL, 0);

  return form->fields->len;
}

static const Field *
field_at (const BfkForm *form,
          guint          index)
{
  g_return_val_if_fail (form != NULL, NULL);
  g_return_val_if_fail (index < form->fields->len, NULL);

  return &g_array_index (form->fields, Field, index);
}

const gchar *
bfk_form_get_name (const BfkForm *form,
                   guint          index)
{
  const Field *field = field_at (form, index);

  return field != NULL ? field->name : NULL;
}

const gchar *
bfk_form_get_value (const BfkForm *form,
                    guint          index)
{
  const Field *field = field_at (form, index);

  return field != NULL ? field->value : NULL;
}

const gchar *
bfk_form_lookup (const BfkForm *form,
                 const gchar   *name)
{
  g_return_val_if_fail (form != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < form->fields->len; i++)
    {
      const Field *field = &g_array_index (form->fields, Field, i);

      if (strcmp (field->name, name) == 0)
        return field->value;
    }
  return NULL;
}

/* --- decoding ------------------------------------------------------------- */

/* Decodes one name or value, [start, end).  @pair_number (from 1) and @what
 * only serve the error message, which never quotes the bytes themselves: they
 * are a stranger's, and may be anything. */
static gchar *
decode_component (const gchar  *start,
                  const gchar  *end,
                  guint         pair_number,
                  const gchar  *what,
                  GError      **error)
{
  g_autoptr(GString) out = g_string_sized_new ((gsize) (end - start) + 1);

  for (const gchar *p = start; p < end; p++)
    {
      if (*p == '+')
        g_string_append_c (out, ' ');
      else if (*p == '%')
        {
          gint hi, lo;

          if (end - p < 3 ||
              (hi = g_ascii_xdigit_value (p[1])) < 0 ||
              (lo = g_ascii_xdigit_value (p[2])) < 0)
            {
              g_set_error (error, BFK_FORM_ERROR, BFK_FORM_ERROR_BAD_ESCAPE,
                           "Malformed form data: the %s of pair %u has a '%%' "
                           "that is not followed by two hexadecimal digits",
                           what, pair_number);
              return NULL;
            }
          g_string_append_c (out, (gchar) ((hi << 4) | lo));
          p += 2;
        }
      else
        g_string_append_c (out, *p);
    }

  /* A NUL would cut the string short for every later reader. */
  if (memchr (out->str, '\0', out->len) != NULL)
    {
      g_set_error (error, BFK_FORM_ERROR, BFK_FORM_ERROR_NUL,
                   "Malformed form data: the %s of pair %u contains a NUL character",
                   what, pair_number);
      return NULL;
    }
  if (!g_utf8_validate_len (out->str, out->len, NULL))
    {
      g_set_error (error, BFK_FORM_ERROR, BFK_FORM_ERROR_INVALID_UTF8,
                   "Malformed form data: the %s of pair %u is not valid UTF-8",
                   what, pair_number);
      return NULL;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

BfkForm *
bfk_form_decode (const gchar  *data,
                 gsize         len,
                 GError      **error)
{
  g_autoptr(BfkForm) form = bfk_form_new ();
  const gchar *end, *p;
  guint pair_number = 0;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* No arithmetic on a NULL pointer, even of zero: sanitizers object. */
  if (len == 0)
    return g_steal_pointer (&form);
  p = data;
  end = data + len;

  while (p < end)
    {
      const gchar *amp = memchr (p, '&', (gsize) (end - p));
      const gchar *seg_end = amp != NULL ? amp : end;
      const gchar *eq;
      gchar *name, *value;

      if (seg_end == p)
        {
          p = seg_end + 1;
          continue;
        }
      pair_number++;

      eq = memchr (p, '=', (gsize) (seg_end - p));
      name = decode_component (p, eq != NULL ? eq : seg_end, pair_number, "name", error);
      if (name == NULL)
        return NULL;
      value = eq != NULL ? decode_component (eq + 1, seg_end, pair_number, "value", error)
                         : g_strdup ("");
      if (value == NULL)
        {
          g_free (name);
          return NULL;
        }
      add_owned (form, name, value);

      p = seg_end + 1;
    }
  return g_steal_pointer (&form);
}

/* --- encoding ------------------------------------------------------------- */

void
bfk_form_append_encoded (GString     *out,
                         const gchar *text)
{
  static const gchar hex[] = "0123456789ABCDEF";

  g_return_if_fail (out != NULL);
  g_return_if_fail (text != NULL);

  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p) || *p == '*' || *p == '-' || *p == '.' || *p == '_')
        g_string_append_c (out, (gchar) *p);
      else if (*p == ' ')
        g_string_append_c (out, '+');
      else
        {
          g_string_append_c (out, '%');
          g_string_append_c (out, hex[*p >> 4]);
          g_string_append_c (out, hex[*p & 0xf]);
        }
    }
}

gchar *
bfk_form_encode (const BfkForm *form)
{
  GString *out;

  g_return_val_if_fail (form != NULL, NULL);

  out = g_string_new (NULL);
  for (guint i = 0; i < form->fields->len; i++)
    {
      const Field *field = &g_array_index (form->fields, Field, i);

      if (i > 0)
        g_string_append_c (out, '&');
      bfk_form_append_encoded (out, field->name);
      g_string_append_c (out, '=');
      bfk_form_append_encoded (out, field->value);
    }
  return g_string_free (out, FALSE);
}
