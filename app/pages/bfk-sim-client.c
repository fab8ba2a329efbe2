/* bfk-sim-client.c: a Twilio stand-in for the simulator page. */
#include <glib/gi18n.h>
#include <string.h>

#include "bfk-form.h"
#include "bfk-sim-client.h"
#include "bfk-twilio-signature.h"

/* --- TwiML --------------------------------------------------------------- */

typedef struct
{
  GPtrArray *messages;
  GString   *text;      /* inside a <Message>, else NULL */
} TwimlParse;

static void
twiml_start (GMarkupParseContext  *context,
             const gchar          *element,
             const gchar         **names,
             const gchar         **values,
             gpointer              user_data,
             GError              **error)
{
  TwimlParse *p = user_data;

  if (g_str_equal (element, "Message") && !p->text)
    p->text = g_string_new (NULL);
}

static void
twiml_end (GMarkupParseContext  *context,
           const gchar          *element,
           gpointer              user_data,
           GError              **error)
{
  TwimlParse *p = user_data;

  if (g_str_equal (element, "Message") && p->text)
    g_ptr_array_add (p->messages, g_string_free (g_steal_pointer (&p->text), FALSE));
}

static void
twiml_text (GMarkupParseContext  *context,
            const gchar          *text,
            gsize                 len,
            gpointer              user_data,
            GError              **error)
{
  TwimlParse *p = user_data;

  /* GMarkup has already turned &amp; and &#10; back into text. */
  if (p->text)
    g_string_append_len (p->text, text, len);
}

GStrv
bfk_sim_twiml_parse (const gchar  *twiml,
                     gssize        len,
                     GError      **error)
{
  static const GMarkupParser parser = { twiml_start, twiml_end, twiml_text, NULL, NULL };
  TwimlParse p = { g_ptr_array_new_with_free_func (g_free), NULL };
  g_autoptr(GMarkupParseContext) context = g_markup_parse_context_new (&parser, 0, &p, NULL);
  gboolean ok;

  ok = g_markup_parse_context_parse (context, twiml, len, error)
       && g_markup_parse_context_end_parse (context, error);
  if (p.text)
    g_string_free (p.text, TRUE);
  if (!ok)
    {
      g_ptr_array_unref (p.messages);
      return NULL;
    }
  g_ptr_array_add (p.messages, NULL);
  return (GStrv) g_ptr_array_free (p.messages, FALSE);
}

/* --- the request ----------------------------------------------------------- */

static void
read_answer (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SoupMessage *msg = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  GStrv replies;
  gsize len;
  const gchar *data;

  if (!bytes)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  data = g_bytes_get_data (bytes, &len);
  if (soup_message_get_status (msg) != SOUP_STATUS_OK)
    {
      g_autofree gchar *text = g_strstrip (g_strndup (data, len));

      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               _("The webhook answered %u: %s"), soup_message_get_status (msg), text);
      return;
    }
  replies = bfk_sim_twiml_parse (len ? data : "<Response/>", len ? (gssize) len : -1, &error);
  if (!replies)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, replies, (GDestroyNotify) g_strfreev);
}

/* Twilio's sids are two letters and 32 hex digits. */
static gchar *
new_message_sid (void)
{
  return g_strdup_printf ("SM%016" G_GINT64_MODIFIER "x%08x%08x", g_get_real_time (),
                          g_random_int (), g_random_int ());
}

void
bfk_sim_client_send_async (SoupSession          *soup,
                           BfkBackend           *backend,
                           const gchar          *phone,
                           const gchar          *body,
                           GCancellable         *cancellable,
                           GAsyncReadyCallback   callback,
                           gpointer              user_data)
{
  const BfkConfig *config = bfk_backend_get_config (backend);
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(BfkForm) form = bfk_form_new ();
  g_autofree gchar *uri = g_strconcat (bfk_backend_get_listen_uri (backend), "webhook", NULL);
  g_autofree gchar *from = g_strconcat ("whatsapp:", phone, NULL);
  g_autofree gchar *to = g_strconcat ("whatsapp:", config->twilio_whatsapp_number
                                                   ? config->twilio_whatsapp_number : "+14155238886", NULL);
  g_autofree gchar *sid = new_message_sid ();
  g_autofree gchar *encoded = NULL;
  g_autoptr(GBytes) request = NULL;
  SoupMessage *msg;
  gsize len;

  g_task_set_source_tag (task, bfk_sim_client_send_async);
  bfk_form_add (form, "From", from);
  bfk_form_add (form, "To", to);
  bfk_form_add (form, "Body", body);
  bfk_form_add (form, "MessageSid", sid);
  bfk_form_add (form, "AccountSid", config->twilio_account_sid ? config->twilio_account_sid : "ACsimulator");
  bfk_form_add (form, "NumMedia", "0");
  encoded = bfk_form_encode (form);

  msg = soup_message_new ("POST", uri);
  g_task_set_task_data (task, msg, g_object_unref);
  len = strlen (encoded);
  request = g_bytes_new_take (g_steal_pointer (&encoded), len);
  /* libsoup refs the body: ours is dropped with this function. */
  soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", request);
  if (config->twilio_auth_token && *config->twilio_auth_token)
    {
      /* The webhook checks what Twilio would have signed: the public URL. */
      g_autofree gchar *signed_url = bfk_config_public_url (config, "/webhook");
      g_autofree gchar *signature = bfk_twilio_signature_compute (config->twilio_auth_token,
                                                                  signed_url, form);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Twilio-Signature",
                                    signature);
    }
  soup_session_send_and_read_async (soup, msg, G_PRIORITY_DEFAULT, cancellable, read_answer,
                                    g_steal_pointer (&task));
}

GStrv
bfk_sim_client_send_finish (GAsyncResult  *result,
                            GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}
