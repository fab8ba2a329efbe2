/* bfk-twilio-client.c: the Messages resource of Twilio's REST API, over libcurl.
 *
 * One curl handle per send: messages are few (a member's reply, a
 * notification), and a fresh handle shares nothing between worker threads.
 */
#include "bfk-twilio-client.h"

#include <curl/curl.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "bfk-form.h"

/* Twilio's answers are a few KiB; past this, something is wrong. */
#define MAX_ANSWER_SIZE (1024 * 1024)

struct _BfkTwilioClient
{
  gatomicrefcount ref_count;
  gchar          *messages_url;
  gchar          *display_host;     /* "api.twilio.com": for reasons, without user info */
  gchar          *account_sid;
  gchar          *auth_token;
  gchar          *status_callback;
  guint           connect_timeout_ms;
  guint           timeout_ms;
};

static gpointer
init_curl (gpointer data)
{
  /* Must come before any other curl call, once in the process. */
  curl_global_init (CURL_GLOBAL_DEFAULT);
  return NULL;
}

/* "host" or "host:port" of @url, never its user info. */
static gchar *
display_host_of (const gchar *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return g_strdup ("Twilio's API");
  if (g_uri_get_port (uri) > 0)
    return g_strdup_printf ("%s:%d", g_uri_get_host (uri), g_uri_get_port (uri));
  return g_strdup (g_uri_get_host (uri));
}

BfkTwilioClient *
bfk_twilio_client_new (const gchar *api_base,
                       const gchar *account_sid,
                       const gchar *auth_token)
{
  static GOnce curl_once = G_ONCE_INIT;
  BfkTwilioClient *client;
  g_autofree gchar *base = NULL;
  g_autofree gchar *sid_segment = NULL;

  g_return_val_if_fail (api_base != NULL, NULL);
  g_return_val_if_fail (account_sid != NULL && account_sid[0] != '\0', NULL);
  g_return_val_if_fail (auth_token != NULL, NULL);

  g_once (&curl_once, init_curl, NULL);

  base = g_strdup (api_base);
  while (g_str_has_suffix (base, "/"))
    base[strlen (base) - 1] = '\0';
  /* The SID comes from configuration; escaping keeps it one path segment. */
  sid_segment = g_uri_escape_string (account_sid, NULL, FALSE);

  client = g_new0 (BfkTwilioClient, 1);
  g_atomic_ref_count_init (&client->ref_count);
  client->messages_url = g_strdup_printf ("%s/2010-04-01/Accounts/%s/Messages.json",
                                          base, sid_segment);
  client->display_host = display_host_of (base);
  client->account_sid = g_strdup (account_sid);
  client->auth_token = g_strdup (auth_token);
  client->connect_timeout_ms = 10000;
  client->timeout_ms = 30000;
  return client;
}

BfkTwilioClient *
bfk_twilio_client_ref (BfkTwilioClient *client)
{
  g_return_val_if_fail (client != NULL, NULL);

  g_atomic_ref_count_inc (&client->ref_count);
  return client;
}

void
bfk_twilio_client_unref (BfkTwilioClient *client)
{
  g_return_if_fail (client != NULL);

  if (!g_atomic_ref_count_dec (&client->ref_count))
    return;

  /* Leave no copy of the token in freed memory. */
  explicit_bzero (client->auth_token, strlen (client->auth_token));
  g_free (client->auth_token);
  g_free (client->account_sid);
  g_free (client->status_callback);
  g_free (client->display_host);
  g_free (client->messages_url);
  g_free (client);
}

void
bfk_twilio_client_set_status_callback (BfkTwilioClient *client,
                                       const gchar     *url)
{
  g_return_if_fail (client != NULL);

  g_free (client->status_callback);
  client->status_callback = url != NULL && url[0] != '\0' ? g_strdup (url) : NULL;
}

void
bfk_twilio_client_set_timeouts (BfkTwilioClient *client,
                                guint            connect_ms,
                                guint            total_ms)
{
  g_return_if_fail (client != NULL);

  client->connect_timeout_ms = connect_ms;
  client->timeout_ms = total_ms;
}

const gchar *
bfk_twilio_client_get_messages_url (BfkTwilioClient *client)
{
  g_return_val_if_fail (client != NULL, NULL);

  return client->messages_url;
}

void
bfk_twilio_result_free (BfkTwilioResult *result)
{
  if (result == NULL)
    return;
  g_free (result->sid);
  g_free (result->status);
  g_free (result->error_message);
  g_free (result->more_info);
  g_free (result->reason);
  g_free (result);
}

/* --- backoff -------------------------------------------------------------- */

gint64
bfk_twilio_parse_retry_after (const gchar *value,
                              gint64       now_unix)
{
  g_autofree gchar *text = NULL;
  guint64 seconds;
  time_t date;

  if (value == NULL)
    return -1;
  text = g_strstrip (g_strdup (value));
  if (text[0] == '\0')
    return -1;

  if (g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT64 / 1000, &seconds, NULL))
    return (gint64) seconds * 1000;

  /* An HTTP date (RFC 9110 §10.2.3); curl reads all three formats. */
  date = curl_getdate (text, NULL);
  if (date == (time_t) -1)
    return -1;
  return date <= now_unix ? 0 : ((gint64) date - now_unix) * 1000;
}

guint64
bfk_twilio_backoff_ms (guint  attempt,
                       gint64 retry_after_ms)
{
  guint64 delay = BFK_TWILIO_BACKOFF_BASE_MS;

  for (guint i = 1; i < attempt && delay < BFK_TWILIO_BACKOFF_CAP_MS; i++)
    delay *= 2;
  delay = MIN (delay, (guint64) BFK_TWILIO_BACKOFF_CAP_MS);

  if (retry_after_ms >= 0)
    delay = MAX (delay, MIN ((guint64) retry_after_ms, (guint64) BFK_TWILIO_RETRY_AFTER_CAP_MS));
  return delay;
}

/* --- the request ---------------------------------------------------------- */

typedef struct
{
  GString *body;
  gchar   *retry_after;
} Answer;

static size_t
on_body (char   *data,
         size_t  size,
         size_t  nmemb,
         void   *user_data)
{
  Answer *answer = user_data;
  gsize n = size * nmemb;

  if (answer->body->len + n > MAX_ANSWER_SIZE)
    return 0;  /* curl fails with CURLE_WRITE_ERROR */
  g_string_append_len (answer->body, data, n);
  return n;
}

static size_t
on_header (char   *data,
           size_t  size,
           size_t  nitems,
           void   *user_data)
{
  static const gchar name[] = "retry-after:";
  Answer *answer = user_data;
  gsize n = size * nitems;

  if (n > strlen (name) && g_ascii_strncasecmp (data, name, strlen (name)) == 0)
    {
      g_free (answer->retry_after);
      answer->retry_after = g_strndup (data + strlen (name), n - strlen (name));
    }
  return n;
}

/* Adds a number as a WhatsApp address. */
static void
add_address (BfkForm     *form,
             const gchar *field,
             const gchar *number)
{
  g_autofree gchar *address = NULL;

  if (!g_str_has_prefix (number, "whatsapp:"))
    address = g_strconcat ("whatsapp:", number, NULL);
  bfk_form_add (form, field, address != NULL ? address : number);
}

static gchar *
encode_message (BfkTwilioClient        *client,
                const BfkTwilioMessage *message)
{
  g_autoptr(BfkForm) form = bfk_form_new ();

  add_address (form, "To", message->to);
  add_address (form, "From", message->from);
  if (message->content_sid != NULL)
    {
      bfk_form_add (form, "ContentSid", message->content_sid);
      if (message->content_variables != NULL)
        bfk_form_add (form, "ContentVariables", message->content_variables);
    }
  else
    bfk_form_add (form, "Body", message->body);
  if (client->status_callback != NULL)
    bfk_form_add (form, "StatusCallback", client->status_callback);
  return bfk_form_encode (form);
}

static gchar *
dup_string_member (JsonObject  *object,
                   const gchar *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return g_strdup (json_node_get_string (node));
}

/* Reads what Twilio says in a JSON answer: the message's sid and status, or
 * the error's code, message and more_info.  Anything else is left unset. */
static void
read_answer (BfkTwilioResult *result,
             const GString   *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;
  JsonNode *code;

  if (body->len == 0 ||
      !json_parser_load_from_data (parser, body->str, (gssize) body->len, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return;
  object = json_node_get_object (json_parser_get_root (parser));

  result->sid = dup_string_member (object, "sid");
  result->status = dup_string_member (object, "status");
  result->error_message = dup_string_member (object, "message");
  result->more_info = dup_string_member (object, "more_info");
  code = json_object_get_member (object, "code");
  if (code != NULL && JSON_NODE_HOLDS_VALUE (code) &&
      json_node_get_value_type (code) == G_TYPE_INT64)
    result->error_code = (gint) CLAMP (json_node_get_int (code), 0, G_MAXINT);
}

static void
classify_transport_error (BfkTwilioClient *client,
                          BfkTwilioResult *result,
                          CURLcode         code,
                          const gchar     *detail)
{
  const gchar *why = detail[0] != '\0' ? detail : curl_easy_strerror (code);

  result->outcome = BFK_TWILIO_RETRYABLE;
  if (code == CURLE_OPERATION_TIMEDOUT)
    result->reason = g_strdup_printf ("Twilio (%s) did not answer in time (%s); "
                                      "the message will be sent again later.",
                                      client->display_host, why);
  else
    result->reason = g_strdup_printf ("Cannot reach Twilio (%s): %s; "
                                      "the message will be sent again later.",
                                      client->display_host, why);
}

static void
classify_http_answer (BfkTwilioResult *result,
                      const GString   *body,
                      const gchar     *retry_after)
{
  guint status = result->http_status;

  read_answer (result, body);

  if (status >= 200 && status < 300)
    {
      result->outcome = BFK_TWILIO_SENT;
      result->error_code = 0;
      g_clear_pointer (&result->error_message, g_free);
      g_clear_pointer (&result->more_info, g_free);
      return;
    }

  /* Only Twilio's own status words are kept for a message it took. */
  g_clear_pointer (&result->sid, g_free);
  g_clear_pointer (&result->status, g_free);

  if (status == 429 || status >= 500)
    {
      result->outcome = BFK_TWILIO_RETRYABLE;
      result->retry_after_ms = bfk_twilio_parse_retry_after (retry_after,
                                                             g_get_real_time () / G_USEC_PER_SEC);
    }
  else
    result->outcome = BFK_TWILIO_PERMANENT;

  if (result->error_code != 0)
    result->reason = bfk_twilio_error_reason (result->error_code);
  else if (status == 429)
    result->reason = g_strdup ("Twilio asks to slow down (HTTP 429); "
                               "the message will be sent again later.");
  else if (status >= 500)
    result->reason = g_strdup_printf ("Twilio had a server error (HTTP %u); "
                                      "the message will be sent again later.", status);
  else
    result->reason = g_strdup_printf ("Twilio refused the message (HTTP %u).", status);
}

BfkTwilioResult *
bfk_twilio_client_send (BfkTwilioClient        *client,
                        const BfkTwilioMessage *message)
{
  BfkTwilioResult *result;
  g_autofree gchar *fields = NULL;
  g_autoptr(GString) body = g_string_new (NULL);
  Answer answer = { body, NULL };
  gchar errbuf[CURL_ERROR_SIZE] = "";
  struct curl_slist *headers = NULL;
  CURL *curl;
  CURLcode code;

  g_return_val_if_fail (client != NULL, NULL);
  g_return_val_if_fail (message != NULL, NULL);
  g_return_val_if_fail (message->from != NULL && message->to != NULL, NULL);
  g_return_val_if_fail ((message->body != NULL) != (message->content_sid != NULL), NULL);

  result = g_new0 (BfkTwilioResult, 1);
  result->retry_after_ms = -1;
  fields = encode_message (client, message);

  curl = curl_easy_init ();
  if (curl == NULL)
    g_error ("curl_easy_init failed: out of memory");

  headers = curl_slist_append (headers, "Content-Type: application/x-www-form-urlencoded");
  headers = curl_slist_append (headers, "Accept: application/json");
  /* Without this, curl waits for a 100-continue on bodies over 1 KiB. */
  headers = curl_slist_append (headers, "Expect:");

  curl_easy_setopt (curl, CURLOPT_URL, client->messages_url);
  curl_easy_setopt (curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt (curl, CURLOPT_POST, 1L);
  curl_easy_setopt (curl, CURLOPT_POSTFIELDS, fields);
  curl_easy_setopt (curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t) strlen (fields));
  curl_easy_setopt (curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt (curl, CURLOPT_HTTPAUTH, (long) CURLAUTH_BASIC);
  curl_easy_setopt (curl, CURLOPT_USERNAME, client->account_sid);
  curl_easy_setopt (curl, CURLOPT_PASSWORD, client->auth_token);
  curl_easy_setopt (curl, CURLOPT_USERAGENT, "bafoka-console");
  curl_easy_setopt (curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt (curl, CURLOPT_WRITEDATA, &answer);
  curl_easy_setopt (curl, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt (curl, CURLOPT_HEADERDATA, &answer);
  curl_easy_setopt (curl, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt (curl, CURLOPT_CONNECTTIMEOUT_MS, (long) client->connect_timeout_ms);
  curl_easy_setopt (curl, CURLOPT_TIMEOUT_MS, (long) client->timeout_ms);
  /* Signals cannot deliver timeouts to worker threads. */
  curl_easy_setopt (curl, CURLOPT_NOSIGNAL, 1L);
  /* A redirect would carry the credentials elsewhere. */
  curl_easy_setopt (curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt (curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt (curl, CURLOPT_SSL_VERIFYHOST, 2L);

  code = curl_easy_perform (curl);
  if (code == CURLE_OK)
    {
      long status = 0;

      curl_easy_getinfo (curl, CURLINFO_RESPONSE_CODE, &status);
      result->http_status = (guint) status;
    }
  curl_easy_cleanup (curl);
  curl_slist_free_all (headers);

  if (code != CURLE_OK)
    classify_transport_error (client, result, code, errbuf);
  else
    classify_http_answer (result, body, answer.retry_after);

  g_free (answer.retry_after);
  return result;
}
