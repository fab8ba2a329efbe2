/* fuzz-form.c: the form decoder on any bytes, as the webhook gets them.
 *
 * It must accept or refuse cleanly (a refusal always comes with an error
 * of BFK_FORM_ERROR).  What it accepts keeps the promise of bfk-form.h:
 * every name and value is valid UTF-8 without a NUL, and encoding the form
 * then decoding it again gives the same pairs, in the same order.
 *
 * A NUL inside a C string cannot be seen once it is there: it just ends the
 * string early.  So the harness works out, from the raw segments, how many
 * bytes each name and value must decode to ("%XX" is one byte, anything
 * else one byte each) and checks strlen against that. */
#include <string.h>

#include <glib.h>

#include "bfk-form.h"

/* The decoded length of [start, end), given that its escapes are valid. */
static gsize
decoded_length (const guint8 *start,
                const guint8 *end)
{
  gsize len = 0;

  for (const guint8 *p = start; p < end; p++, len++)
    if (*p == '%')
      p += 2;
  return len;
}

static void
assert_clean (const gchar *text,
              gsize        expected_len)
{
  g_assert (text != NULL);
  g_assert_cmpuint (strlen (text), ==, expected_len);
  g_assert (g_utf8_validate (text, -1, NULL));
}

/* Walks the segments as bfk-form.h describes them, checking pair @i of
 * @form against each non-empty one; returns how many there were. */
static guint
check_segments (const BfkForm *form,
                const guint8  *data,
                size_t         size)
{
  const guint8 *p = data, *end = data + size;
  guint i = 0;

  if (size == 0)
    return 0;
  while (p < end)
    {
      const guint8 *amp = memchr (p, '&', (size_t) (end - p));
      const guint8 *seg_end = amp != NULL ? amp : end;
      const guint8 *eq = memchr (p, '=', (size_t) (seg_end - p));

      if (seg_end > p)
        {
          g_assert_cmpuint (i, <, bfk_form_get_n_fields (form));
          assert_clean (bfk_form_get_name (form, i),
                        decoded_length (p, eq != NULL ? eq : seg_end));
          assert_clean (bfk_form_get_value (form, i),
                        eq != NULL ? decoded_length (eq + 1, seg_end) : 0);
          i++;
        }
      p = seg_end + 1;
    }
  return i;
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(BfkForm) form = NULL;
  g_autoptr(BfkForm) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree gchar *body = NULL;
  guint n;

  form = bfk_form_decode ((const gchar *) data, size, &error);
  if (form == NULL)
    {
      g_assert (error != NULL);
      g_assert (error->domain == BFK_FORM_ERROR);
      return 0;
    }
  g_assert (error == NULL);

  n = bfk_form_get_n_fields (form);
  g_assert_cmpuint (check_segments (form, data, size), ==, n);

  body = bfk_form_encode (form);
  again = bfk_form_decode (body, strlen (body), &error);
  g_assert_no_error (error);
  g_assert (again != NULL);
  g_assert_cmpuint (bfk_form_get_n_fields (again), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpstr (bfk_form_get_name (again, i), ==, bfk_form_get_name (form, i));
      g_assert_cmpstr (bfk_form_get_value (again, i), ==, bfk_form_get_value (form, i));
    }
  if (n > 0)
    g_assert_cmpstr (bfk_form_lookup (form, bfk_form_get_name (form, 0)), ==,
                     bfk_form_get_value (form, 0));
  return 0;
}
