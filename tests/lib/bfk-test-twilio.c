/* bfk-test-twilio.c */
#include "bfk-test-twilio.h"

#include <libsoup/soup.h>
#include <string.h>

void
bfk_test_twilio_request_free (BfkTestTwilioRequest *request)
{
  g_free (request->method);
  g_free (request->path);
  g_free (request->authorization);
  g_free (request->content_type);
  g_free (request->body);
  g_free (request);
}

struct _BfkTestTwilio
{
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  GAsyncQueue  *started;   /* the server thread pushes its URL */
  gchar        *url;
  gchar        *expected_auth;

  /* The next answers; set by the test between requests. */
  GMutex        lock;
  guint         status;
  gchar        *answer;        /* body */
  const gchar  *answer_type;
  gchar        *retry_after;   /* header, or NULL */
  gboolean      hang;          /* answer only after a long while */
  GPtrArray    *requests;      /* of BfkTestTwilioRequest */
  guint         next_sid;
};

static gboolean
answer_late (gpointer data)
{
  soup_server_message_unpause (data);
  return G_SOURCE_REMOVE;
}

static void
on_request (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           data)
{
  BfkTestTwilio *twilio = data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  BfkTestTwilioRequest *request = g_new0 (BfkTestTwilioRequest, 1);
  const gchar *auth = soup_message_headers_get_one (headers, "Authorization");

  request->method = g_strdup (soup_server_message_get_method (msg));
  request->path = g_strdup (path);
  request->authorization = g_strdup (auth);
  request->content_type = g_strdup (soup_message_headers_get_one (headers, "Content-Type"));
  request->body = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));

  g_mutex_lock (&twilio->lock);
  g_ptr_array_add (twilio->requests, request);

  if (g_strcmp0 (auth, twilio->expected_auth) != 0)
    {
      static const gchar denied[] =
        "{\"code\": 20003, \"message\": \"Authenticate\", "
        "\"more_info\": \"https://www.twilio.com/docs/errors/20003\", \"status\": 401}";

      soup_server_message_set_status (msg, 401, NULL);
      soup_message_headers_append (soup_server_message_get_response_headers (msg),
                                   "WWW-Authenticate", "Basic realm=\"Twilio API\"");
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                        denied, strlen (denied));
    }
  else
    {
      g_autofree gchar *created = NULL;
      const gchar *answer = twilio->answer;

      if (!answer)
        answer = created = g_strdup_printf ("{\"sid\": \"SMf0%030u\", \"status\": \"queued\"}",
                                            ++twilio->next_sid);
      soup_server_message_set_status (msg, twilio->status, NULL);
      soup_server_message_set_response (msg, twilio->answer_type, SOUP_MEMORY_COPY,
                                        answer, strlen (answer));
      if (twilio->retry_after != NULL)
        soup_message_headers_append (soup_server_message_get_response_headers (msg),
                                     "Retry-After", twilio->retry_after);
      if (twilio->hang)
        {
          GSource *source = g_timeout_source_new_seconds (5);

          soup_server_message_pause (msg);
          g_source_set_callback (source, answer_late, g_object_ref (msg), g_object_unref);
          g_source_attach (source, twilio->context);
          g_source_unref (source);
        }
    }
  g_mutex_unlock (&twilio->lock);
}

static gpointer
run_twilio (gpointer data)
{
  BfkTestTwilio *twilio = data;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GError) error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (twilio->context);

  /* Listening from this thread ties the server's sockets to its context. */
  server = soup_server_new ("server-header", "Twilio.Stand-In", NULL);
  soup_server_add_handler (server, NULL, on_request, twilio, NULL);
  if (!soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    g_error ("cannot listen: %s", error->message);
  uris = soup_server_get_uris (server);
  g_async_queue_push (twilio->started, g_uri_to_string (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_main_loop_run (twilio->loop);

  soup_server_disconnect (server);
  /* Dropped before the last iterations, which finish closing its sockets. */
  g_clear_object (&server);
  while (g_main_context_iteration (twilio->context, FALSE))
    ;
  g_main_context_pop_thread_default (twilio->context);
  return NULL;
}

BfkTestTwilio *
bfk_test_twilio_start (const gchar *account_sid,
                       const gchar *auth_token)
{
  BfkTestTwilio *twilio = g_new0 (BfkTestTwilio, 1);
  g_autofree gchar *pair = g_strconcat (account_sid, ":", auth_token, NULL);
  g_autofree gchar *encoded = g_base64_encode ((const guchar *) pair, strlen (pair));

  twilio->expected_auth = g_strconcat ("Basic ", encoded, NULL);
  twilio->context = g_main_context_new ();
  twilio->loop = g_main_loop_new (twilio->context, FALSE);
  twilio->started = g_async_queue_new ();
  twilio->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) bfk_test_twilio_request_free);
  twilio->status = 201;
  twilio->answer_type = "application/json";
  g_mutex_init (&twilio->lock);

  twilio->thread = g_thread_new ("twilio-stand-in", run_twilio, twilio);
  twilio->url = g_async_queue_pop (twilio->started);
  /* "http://127.0.0.1:PORT", as TWILIO_API_BASE is written. */
  if (g_str_has_suffix (twilio->url, "/"))
    twilio->url[strlen (twilio->url) - 1] = '\0';
  return twilio;
}

void
bfk_test_twilio_stop (BfkTestTwilio *twilio)
{
  g_main_loop_quit (twilio->loop);
  g_thread_join (twilio->thread);
  g_main_loop_unref (twilio->loop);
  g_main_context_unref (twilio->context);
  g_async_queue_unref (twilio->started);
  g_ptr_array_unref (twilio->requests);
  g_mutex_clear (&twilio->lock);
  g_free (twilio->expected_auth);
  g_free (twilio->answer);
  g_free (twilio->retry_after);
  g_free (twilio->url);
  g_free (twilio);
}

void
bfk_test_twilio_answer (BfkTestTwilio *twilio,
                        guint          status,
                        const gchar   *type,
                        const gchar   *body,
                        const gchar   *retry_after)
{
  g_mutex_lock (&twilio->lock);
  twilio->status = status;
  twilio->answer_type = type;
  g_free (twilio->answer);
  twilio->answer = g_strdup (body);
  g_free (twilio->retry_after);
  twilio->retry_after = g_strdup (retry_after);
  g_mutex_unlock (&twilio->lock);
}

guint
bfk_test_twilio_n_requests (BfkTestTwilio *twilio)
{
  guint n;

  g_mutex_lock (&twilio->lock);
  n = twilio->requests->len;
  g_mutex_unlock (&twilio->lock);
  return n;
}


const gchar *
bfk_test_twilio_url (BfkTestTwilio *twilio)
{
  return twilio->url;
}

const gchar *
bfk_test_twilio_expected_auth (BfkTestTwilio *twilio)
{
  return twilio->expected_auth;
}

void
bfk_test_twilio_hang (BfkTestTwilio *twilio,
                      gboolean       hang)
{
  g_mutex_lock (&twilio->lock);
  twilio->hang = hang;
  g_mutex_unlock (&twilio->lock);
}

BfkTestTwilioRequest *
bfk_test_twilio_request (BfkTestTwilio *twilio,
                         guint          i)
{
  BfkTestTwilioRequest *copy = g_new0 (BfkTestTwilioRequest, 1);
  const BfkTestTwilioRequest *r;

  g_mutex_lock (&twilio->lock);
  g_assert_cmpuint (i, <, twilio->requests->len);
  r = g_ptr_array_index (twilio->requests, i);
  copy->method = g_strdup (r->method);
  copy->path = g_strdup (r->path);
  copy->authorization = g_strdup (r->authorization);
  copy->content_type = g_strdup (r->content_type);
  copy->body = g_strdup (r->body);
  g_mutex_unlock (&twilio->lock);
  return copy;
}

BfkForm *
bfk_test_twilio_inbound_form (const gchar *sid,
                              const gchar *account_sid,
                              const gchar *phone,
                              const gchar *to,
                              const gchar *profile_name,
                              const gchar *text)
{
  BfkForm *form = bfk_form_new ();
  g_autofree gchar *from = g_strconcat ("whatsapp:", phone, NULL);

  bfk_form_add (form, "SmsMessageSid", sid);
  bfk_form_add (form, "NumMedia", "0");
  bfk_form_add (form, "ProfileName", profile_name);
  bfk_form_add (form, "MessageType", "text");
  bfk_form_add (form, "SmsSid", sid);
  /* The number without its "+". */
  bfk_form_add (form, "WaId", phone + 1);
  bfk_form_add (form, "SmsStatus", "received");
  bfk_form_add (form, "Body", text);
  bfk_form_add (form, "To", to);
  bfk_form_add (form, "NumSegments", "1");
  bfk_form_add (form, "ReferralNumMedia", "0");
  bfk_form_add (form, "MessageSid", sid);
  bfk_form_add (form, "AccountSid", account_sid);
  bfk_form_add (form, "From", from);
  bfk_form_add (form, "ApiVersion", "2010-04-01");
  return form;
}
