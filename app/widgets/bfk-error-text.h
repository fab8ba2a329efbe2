/* bfk-error-text.h: what a backend error means, in the console's language.
 *
 * The backend's messages are precise but English, and written for logs.
 * The console puts a translated sentence first, saying what to do, and
 * keeps the backend's message as the detail. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A translated sentence for the errors people can act on, or NULL. */
const gchar *bfk_error_text_advice  (const GError *error);
/* The advice, then the backend's message as the detail (g_free it). */
gchar       *bfk_error_text_explain (const GError *error);

G_END_DECLS
