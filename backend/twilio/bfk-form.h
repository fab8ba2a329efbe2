/* bfk-form.h: application/x-www-form-urlencoded bodies.
 *
 * Twilio posts its webhooks form-encoded, and its REST API takes form-encoded
 * requests.  A BfkForm is the ordered list of (name, value) pairs of such a
 * body: the order and the repeats are kept, because the signature check sorts
 * the pairs itself and a repeated name must not silently lose a value.
 *
 * The decoder reads untrusted bytes (anything that reaches the webhook, and a
 * libFuzzer harness), so it never trusts its input: '+' is a space, "%XX" is
 * the byte 0xXX, and a '%' that is not followed by two hex digits, a decoded
 * NUL, or a name or value that is not valid UTF-8 is a BFK_FORM_ERROR.  Empty
 * segments ("a=1&&b=2", a trailing '&') are skipped; a segment without '='
 * is a name with an empty value, as in browsers.  Every name and value in a
 * decoded form is therefore a valid, NUL-free UTF-8 string.
 *
 * The encoder writes what browsers write: letters, digits and "*-._" as they
 * are, a space as '+', every other byte as an upper-case "%XX".
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BFK_FORM_ERROR (bfk_form_error_quark ())

typedef enum
{
  BFK_FORM_ERROR_BAD_ESCAPE,   /* '%' not followed by two hex digits */
  BFK_FORM_ERROR_NUL,          /* "%00" in a name or a value */
  BFK_FORM_ERROR_INVALID_UTF8, /* a decoded name or value is not UTF-8 */
} BfkFormError;

GQuark bfk_form_error_quark (void);

typedef struct _BfkForm BfkForm;

BfkForm     *bfk_form_new           (void);
void         bfk_form_free          (BfkForm       *form);

/* Appends a pair; both are copied.  Names may repeat. */
void         bfk_form_add           (BfkForm       *form,
                                     const gchar   *name,
                                     const gchar   *value);

guint        bfk_form_get_n_fields  (const BfkForm *form);
const gchar *bfk_form_get_name      (const BfkForm *form,
                                     guint          index);
const gchar *bfk_form_get_value     (const BfkForm *form,
                                     guint          index);

/* The value of the first pair called @name, or NULL. */
const gchar *bfk_form_lookup        (const BfkForm *form,
                                     const gchar   *name);

/* Decodes @len bytes of @data (which need not be NUL-terminated, and may hold
 * any bytes).  Returns NULL and sets @error on the first malformed pair; the
 * message says which pair, never what it holds. */
BfkForm     *bfk_form_decode        (const gchar   *data,
                                     gsize          len,
                                     GError       **error);

/* The form as a body: "name=value&name=value", in the form's order. */
gchar       *bfk_form_encode        (const BfkForm *form);

/* Appends @text encoded as one name or value. */
void         bfk_form_append_encoded (GString      *out,
                                      const gchar  *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BfkForm, bfk_form_free)

G_END_DECLS
