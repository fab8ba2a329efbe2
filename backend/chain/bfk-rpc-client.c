/* bfk-rpc-client.c: JSON-RPC 2.0 over HTTP with libcurl.
 *
 * The transport, the retries, batches and the classification of node
 * errors.  The typed helpers live in bfk-rpc-types.c, logs in
 * bfk-rpc-logs.c.
 */
#include "bfk-rpc-private.h"

#include <curl/curl.h>
#include <string.h>

#include "bfk-abi.h"
#include "bfk-chain-error.h"
#include "bfk-hex.h"

/* Idle handles kept for reuse; each keeps its own keep-alive connection, so
 * this is also the number of connections left open to the node. */
#define MAX_IDLE_HANDLES 8
/* A node never legitimately sends more; past it, something is wrong. */
#define MAX_RESPONSE_SIZE (512u * 1024 * 1024)

struct _BfkRpcClient
{
  gatomicrefcount   ref_count;
  gchar            *url;
  gchar            *display_url;
  guint             timeout_ms;
  guint             connect_timeout_ms;
  guint             retries;
  guint             retry_delay_ms;
  BfkRevertDecoder  decoder;
  gpointer          decoder_data;
  GDestroyNotify    decoder_destroy;
  struct curl_slist *headers;
  GMutex            lock;
  GPtrArray        *idle;            /* CURL *, under lock */
  gint              next_id;         /* atomic */
  gint              request_count;   /* atomic */
};

static gpointer
init_curl_once (gpointer data)
{
  /* Not thread-safe in itself, and must precede every other curl call. */
  curl_global_init (CURL_GLOBAL_DEFAULT);
  return NULL;
}

static void
ensure_curl (void)
{
  static GOnce once = G_ONCE_INIT;

  g_once (&once, init_curl_once, NULL);
}

BfkRpcClient *
bfk_rpc_client_new (const gchar *url)
{
  BfkRpcClient *client;

  g_return_val_if_fail (url != NULL, NULL);

  ensure_curl ();

  client = g_new0 (BfkRpcClient, 1);
  g_atomic_ref_count_init (&client->ref_count);
  client->url = g_strdup (url);
  client->display_url = bfk_rpc_redact_url (url);
  client->timeout_ms = 30000;
  client->connect_timeout_ms = 10000;
  client->retries = 3;
  client->retry_delay_ms = 250;
  client->headers = curl_slist_append (NULL, "Content-Type: application/json");
  client->headers = curl_slist_append (client->headers, "Accept: application/json");
  /* Without this, curl waits for a 100-continue on bodies over 1 KiB. */
  client->headers = curl_slist_append (client->headers, "Expect:");
  g_mutex_init (&client->lock);
  client->idle = g_ptr_array_new_with_free_func ((GDestroyNotify) curl_easy_cleanup);
  client->next_id = 1;
  return client;
}

BfkRpcClient *
bfk_rpc_client_ref (BfkRpcClient *client)
{
  g_return_val_if_fail (client != NULL, NULL);

  g_atomic_ref_count_inc (&client->ref_count);
  return client;
}

void
bfk_rpc_client_unref (BfkRpcClient *client)
{
  g_return_if_fail (client != NULL);

  if (!g_atomic_ref_count_dec (&client->ref_count))
    return;

  if (client->decoder_destroy)
    client->decoder_destroy (client->decoder_data);
  g_ptr_array_unref (client->idle);
  g_mutex_clear (&client->lock);
  curl_slist_free_all (client->headers);
  g_free (client->display_url);
  g_free (client->url);
  g_free (client);
}

const gchar *
bfk_rpc_client_get_url (BfkRpcClient *client)
{
  g_return_val_if_fail (client != NULL, NULL);

  return client->url;
}

const gchar *
bfk_rpc_client_get_display_url (BfkRpcClient *client)
{
  return client->display_url;
}

void
bfk_rpc_client_set_timeout (BfkRpcClient *client,
                            guint         timeout_ms)
{
  g_return_if_fail (client != NULL);

  client->timeout_ms = timeout_ms;
}

void
bfk_rpc_client_set_connect_timeout (BfkRpcClient *client,
                                    guint         timeout_ms)
{
  g_return_if_fail (client != NULL);

  client->connect_timeout_ms = timeout_ms;
}

void
bfk_rpc_client_set_retries (BfkRpcClient *client,
                            guint         retries,
                            guint         initial_delay_ms)
{
  g_return_if_fail (client != NULL);

  client->retries = retries;
  client->retry_delay_ms = initial_delay_ms;
}

void
bfk_rpc_client_set_revert_decoder (BfkRpcClient     *client,
                                   BfkRevertDecoder  decoder,
                                   gpointer          user_data,
                                   GDestroyNotify    destroy)
{
  g_return_if_fail (client != NULL);

  if (client->decoder_destroy)
    client->decoder_destroy (client->decoder_data);
  client->decoder = decoder;
  client->decoder_data = user_data;
  client->decoder_destroy = destroy;
}

guint
bfk_rpc_client_get_request_count (BfkRpcClient *client)
{
  g_return_val_if_fail (client != NULL, 0);

  return (guint) g_atomic_int_get (&client->request_count);
}

/* --- URL redaction -------------------------------------------------------- */

gchar *
bfk_rpc_redact_url (const gchar *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  g_auto(GStrv) segments = NULL;
  GString *out;

  if (uri == NULL || g_uri_get_host (uri) == NULL)
    {
      /* curl takes "host:port" without a scheme; show it, less anything
       * that may be a credential. */
      const gchar *at = strrchr (url, '@');
      g_autofree gchar *shown = g_strdup (at != NULL ? at + 1 : url);

      shown[strcspn (shown, "?#")] = '\0';
      return g_steal_pointer (&shown);
    }

  out = g_string_new (g_uri_get_scheme (uri));
  g_string_append (out, "://");
  g_string_append (out, g_uri_get_host (uri));
  if (g_uri_get_port (uri) > 0)
    g_string_append_printf (out, ":%d", g_uri_get_port (uri));

  segments = g_strsplit (g_uri_get_path (uri), "/", -1);
  for (guint i = 0; segments[i] != NULL; i++)
    {
      if (i == 0 && segments[i][0] == '\0')
        continue;
      g_string_append_c (out, '/');
      /* Infura, Alchemy and friends put the key in the path. */
      if (strlen (segments[i]) >= 16)
        g_string_append (out, "***");
      else
        g_string_append (out, segments[i]);
    }
  return g_string_free (out, FALSE);
}

/* --- transport ------------------------------------------------------------ */

static CURL *
acquire_handle (BfkRpcClient *client)
{
  CURL *handle = NULL;

  g_mutex_lock (&client->lock);
  if (client->idle->len > 0)
    handle = g_ptr_array_steal_index_fast (client->idle, client->idle->len - 1);
  g_mutex_unlock (&client->lock);

  if (handle == NULL)
    {
      handle = curl_easy_init ();
      if (handle == NULL)
        g_error ("curl_easy_init failed: out of memory");
    }
  return handle;
}

static void
release_handle (BfkRpcClient *client,
                CURL         *handle)
{
  g_mutex_lock (&client->lock);
  if (client->idle->len < MAX_IDLE_HANDLES)
    {
      g_ptr_array_add (client->idle, handle);
      handle = NULL;
    }
  g_mutex_unlock (&client->lock);

  if (handle != NULL)
    curl_easy_cleanup (handle);
}

/* An answer being received. */
typedef struct
{
  GString  *body;
  CURL     *handle;
  gboolean  sized;
} Download;

static size_t
write_cb (char   *ptr,
          size_t  size,
          size_t  nmemb,
          void   *userdata)
{
  Download *d = userdata;
  gsize n = size * nmemb;
  curl_off_t length = -1;

  if (d->body->len + n > MAX_RESPONSE_SIZE)
    return 0;  /* makes curl fail with CURLE_WRITE_ERROR */
  /* A big answer (eth_getLogs) grown piece by piece would be copied at
   * each doubling, and leave the smaller buffers behind in the heap: when
   * the node says its length, the buffer takes it at once. */
  if (!d->sized)
    {
      d->sized = TRUE;
      if (curl_easy_getinfo (d->handle, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length) == CURLE_OK
          && length > (curl_off_t) d->body->allocated_len && length <= MAX_RESPONSE_SIZE)
        {
          g_string_set_size (d->body, (gsize) length);
          g_string_truncate (d->body, 0);
        }
    }
  g_string_append_len (d->body, ptr, n);
  return n;
}

/* Whether curl failed before the node could have answered, so that the
 * request may be sent again.  A request that timed out may have reached the
 * node; every JSON-RPC call we make is safe to repeat (a raw transaction
 * sent twice is refused as known or as a used nonce, never applied twice). */
static gboolean
curl_code_is_retryable (CURLcode code)
{
  switch (code)
    {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return TRUE;
    default:
      return FALSE;
    }
}

/* 429 and 503 say "not now" without having run the request. */
static gboolean
http_status_is_retryable (long status)
{
  return status == 429 || status == 503;
}

static gboolean
looks_like_json (const GString *body)
{
  for (gsize i = 0; i < body->len; i++)
    {
      gchar c = body->str[i];

      if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
        continue;
      return c == '{' || c == '[';
    }
  return FALSE;
}

static void
set_transport_error (BfkRpcClient *client,
                     CURLcode      code,
                     const gchar  *detail,
                     GError      **error)
{
  const gchar *reason = detail != NULL && detail[0] != '\0' ? detail : curl_easy_strerror (code);

  if (code == CURLE_OPERATION_TIMEDOUT)
    g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_TIMEOUT,
                 "The node at %s did not answer in time: %s. Check the network, "
                 "or that the node is not overloaded.",
                 client->display_url, reason);
  else
    g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_TRANSPORT,
                 "Cannot reach the node at %s: %s. Check that it runs and the URL is right.",
                 client->display_url, reason);
}

static void
set_http_error (BfkRpcClient *client,
                long          status,
                GError      **error)
{
  if (status == 429)
    g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_TRANSPORT,
                 "The node at %s refuses requests for now (HTTP 429, rate limit). "
                 "Slow down, or use an RPC provider with a higher limit.",
                 client->display_url);
  else
    g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_TRANSPORT,
                 "The node at %s answered HTTP %ld instead of JSON-RPC. "
                 "Check that the URL points at a JSON-RPC endpoint.",
                 client->display_url, status);
}

/* POSTs body and returns the answer's body, which is JSON (possibly a
 * JSON-RPC error with a non-200 status). */
static GString *
http_post (BfkRpcClient  *client,
           const gchar   *body,
           gsize          body_len,
           GError       **error)
{
  guint delay_ms = client->retry_delay_ms;

  for (guint attempt = 0;; attempt++)
    {
      g_autoptr(GString) response = g_string_sized_new (1024);
      gchar errbuf[CURL_ERROR_SIZE] = "";
      CURL *handle = acquire_handle (client);
      Download download = { response, handle, FALSE };
      CURLcode code;
      long status = 0;
      gboolean retry;

      curl_easy_setopt (handle, CURLOPT_URL, client->url);
      curl_easy_setopt (handle, CURLOPT_POST, 1L);
      curl_easy_setopt (handle, CURLOPT_POSTFIELDS, body);
      curl_easy_setopt (handle, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t) body_len);
      curl_easy_setopt (handle, CURLOPT_HTTPHEADER, client->headers);
      curl_easy_setopt (handle, CURLOPT_WRITEFUNCTION, write_cb);
      curl_easy_setopt (handle, CURLOPT_WRITEDATA, &download);
      curl_easy_setopt (handle, CURLOPT_ERRORBUFFER, errbuf);
      curl_easy_setopt (handle, CURLOPT_TIMEOUT_MS, (long) client->timeout_ms);
      curl_easy_setopt (handle, CURLOPT_CONNECTTIMEOUT_MS, (long) client->connect_timeout_ms);
      /* Signals cannot deliver timeouts to worker threads. */
      curl_easy_setopt (handle, CURLOPT_NOSIGNAL, 1L);
      curl_easy_setopt (handle, CURLOPT_TCP_KEEPALIVE, 1L);
      /* Big eth_getLogs answers shrink ten times with gzip. */
      curl_easy_setopt (handle, CURLOPT_ACCEPT_ENCODING, "");
      curl_easy_setopt (handle, CURLOPT_FOLLOWLOCATION, 0L);

      g_atomic_int_inc (&client->request_count);
      code = curl_easy_perform (handle);
      if (code == CURLE_OK)
        curl_easy_getinfo (handle, CURLINFO_RESPONSE_CODE, &status);

      /* The handle outlives this frame in the pool: no dangling pointers. */
      curl_easy_setopt (handle, CURLOPT_ERRORBUFFER, NULL);
      curl_easy_setopt (handle, CURLOPT_WRITEDATA, NULL);
      curl_easy_setopt (handle, CURLOPT_POSTFIELDS, NULL);
      release_handle (client, handle);

      if (code == CURLE_OK && (status == 200 || looks_like_json (response)) &&
          !(status != 200 && http_status_is_retryable (status)))
        return g_steal_pointer (&response);

      retry = attempt < client->retries &&
              (code == CURLE_OK ? http_status_is_retryable (status) : curl_code_is_retryable (code));
      if (!retry)
        {
          if (code != CURLE_OK)
            set_transport_error (client, code, errbuf, error);
          else
            set_http_error (client, status, error);
          return NULL;
        }

      g_debug ("RPC to %s failed (%s), retrying in %u ms",
               client->display_url,
               code != CURLE_OK ? curl_easy_strerror (code) : "HTTP error", delay_ms);
      g_usleep ((gulong) delay_ms * 1000);
      delay_ms = MIN (delay_ms * 2, 30000u);
    }
}

/* --- JSON-RPC errors ------------------------------------------------------ */

static gboolean
contains_any (const gchar        *haystack,
              const gchar * const *needles)
{
  for (guint i = 0; needles[i] != NULL; i++)
    if (strstr (haystack, needles[i]) != NULL)
      return TRUE;
  return FALSE;
}

/* The messages below are those of anvil 1.7 (checked by provoking each
 * case), geth and Polygon's Bor; they are matched in lower case because
 * anvil writes "Insufficient funds for gas * price + value". */
static BfkChainError
classify_message (const gchar *lower,
                  gint64       code)
{
  static const gchar * const reverted[] = { "execution reverted", "reverted", NULL };
  static const gchar * const nonce[] = { "nonce too low", "nonce has already been used", NULL };
  static const gchar * const fee_cap[] = {
    "max fee per gas less than block base fee",
    "fee cap less than block base fee",
    "less than block base fee",
    NULL
  };
  static const gchar * const underpriced[] = {
    "replacement transaction underpriced",
    "transaction underpriced",
    "underpriced",
    "gas price below minimum",
    "below minimum",      /* Bor: "transaction gas price below minimum: gas tip cap …" */
    NULL
  };
  static const gchar * const funds[] = { "insufficient funds", NULL };

  /* EIP-1474 gives 3 to reverts; test it first, a revert reason may say
   * anything, "insufficient funds" included. */
  if (code == 3 || contains_any (lower, reverted))
    return BFK_CHAIN_ERROR_REVERTED;
  if (contains_any (lower, nonce))
    return BFK_CHAIN_ERROR_NONCE_TOO_LOW;
  if (contains_any (lower, fee_cap))
    return BFK_CHAIN_ERROR_FEE_CAP_TOO_LOW;
  if (contains_any (lower, underpriced))
    return BFK_CHAIN_ERROR_UNDERPRICED;
  if (contains_any (lower, funds))
    return BFK_CHAIN_ERROR_INSUFFICIENT_FUNDS;
  return BFK_CHAIN_ERROR_NODE;
}

/* The revert data of an error object: geth and anvil put a hex string in
 * "data"; some providers nest it one level down. */
static GBytes *
error_revert_data (JsonObject *err)
{
  JsonNode *data = json_object_get_member (err, "data");
  const gchar *hex = NULL;

  if (data == NULL)
    return NULL;
  if (JSON_NODE_HOLDS_VALUE (data) && json_node_get_value_type (data) == G_TYPE_STRING)
    hex = json_node_get_string (data);
  else if (JSON_NODE_HOLDS_OBJECT (data))
    {
      JsonObject *inner = json_node_get_object (data);

      if (json_object_has_member (inner, "data"))
        {
          JsonNode *n = json_object_get_member (inner, "data");

          if (JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING)
            hex = json_node_get_string (n);
        }
    }
  if (hex == NULL || hex[0] != '0' || (hex[1] != 'x' && hex[1] != 'X'))
    return NULL;
  return bfk_hex_decode (hex, NULL);
}

/* client may be NULL: the messages then name no URL. */
static GError *
error_from_object (BfkRpcClient  *client,
                   const gchar   *method,
                   JsonNode      *err_node,
                   GBytes       **revert_data)
{
  JsonObject *err;
  const gchar *message = NULL;
  g_autofree gchar *lower = NULL;
  g_autofree gchar *node = client != NULL ? g_strdup_printf ("The node at %s", client->display_url)
                                          : g_strdup ("The node");
  g_autoptr(GBytes) data = NULL;
  gint64 code = 0;
  BfkChainError kind;

  if (!JSON_NODE_HOLDS_OBJECT (err_node))
    return g_error_new (BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_NODE,
                        "%s refused %s with a malformed error.", node, method);

  err = json_node_get_object (err_node);
  if (json_object_has_member (err, "message"))
    {
      JsonNode *m = json_object_get_member (err, "message");

      if (JSON_NODE_HOLDS_VALUE (m) && json_node_get_value_type (m) == G_TYPE_STRING)
        message = json_node_get_string (m);
    }
  if (message == NULL)
    message = "no message";
  if (json_object_has_member (err, "code"))
    {
      JsonNode *c = json_object_get_member (err, "code");

      if (JSON_NODE_HOLDS_VALUE (c) && json_node_get_value_type (c) == G_TYPE_INT64)
        code = json_node_get_int (c);
    }

  lower = g_ascii_strdown (message, -1);
  kind = classify_message (lower, code);
  data = error_revert_data (err);
  if (kind == BFK_CHAIN_ERROR_NODE && data != NULL && code != -32602 && code != -32601)
    kind = BFK_CHAIN_ERROR_REVERTED;

  switch (kind)
    {
    case BFK_CHAIN_ERROR_REVERTED:
      {
        g_autofree gchar *reason = NULL;
        const guint8 *bytes = NULL;
        gsize len = 0;

        if (data != NULL)
          bytes = g_bytes_get_data (data, &len);
        if (data != NULL && client != NULL && client->decoder != NULL)
          reason = client->decoder (bytes, len, client->decoder_data);
        if (reason == NULL && data != NULL)
          reason = bfk_abi_describe_revert (NULL, bytes, len);
        if (reason == NULL)
          reason = g_strdup (message);
        if (revert_data != NULL)
          *revert_data = data != NULL ? g_bytes_ref (data) : g_bytes_new (NULL, 0);
        return g_error_new_literal (BFK_CHAIN_ERROR, kind, reason);
      }

    case BFK_CHAIN_ERROR_NONCE_TOO_LOW:
      return g_error_new (BFK_CHAIN_ERROR, kind,
                          "The node refused the transaction: %s. Its nonce is already used; "
                          "the nonce must be read again from the node.", message);
    case BFK_CHAIN_ERROR_UNDERPRICED:
      return g_error_new (BFK_CHAIN_ERROR, kind,
                          "The node refused the transaction: %s. Raise its fees.", message);
    case BFK_CHAIN_ERROR_FEE_CAP_TOO_LOW:
      return g_error_new (BFK_CHAIN_ERROR, kind,
                          "The node refused the transaction: %s. Raise its maximum fee.", message);
    case BFK_CHAIN_ERROR_INSUFFICIENT_FUNDS:
      return g_error_new (BFK_CHAIN_ERROR, kind,
                          "The node refused the transaction: %s. Send gas money to the sending account.",
                          message);
    default:
      return g_error_new (BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_NODE,
                          "%s refused %s: %s (code %" G_GINT64_FORMAT ").",
                          node, method, message, code);
    }
}

GError *
bfk_rpc_error_from_text (BfkRpcClient  *client,
                         const gchar   *method,
                         const gchar   *text,
                         gsize          len)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonNode) none = json_node_new (JSON_NODE_NULL);
  JsonNode *root = NULL;

  if (json_parser_load_from_data (parser, text, (gssize) len, NULL))
    root = json_parser_get_root (parser);
  return error_from_object (client, method, root != NULL ? root : none, NULL);
}

/* Takes one response object apart: TRUE with *result, or FALSE with an
 * error. */
static gboolean
take_response (BfkRpcClient  *client,
               const gchar   *method,
               JsonObject    *response,
               JsonNode     **result,
               GBytes       **revert_data,
               GError       **error)
{
  JsonNode *err = json_object_get_member (response, "error");

  if (err != NULL && !JSON_NODE_HOLDS_NULL (err))
    {
      g_propagate_error (error, error_from_object (client, method, err, revert_data));
      return FALSE;
    }
  if (!json_object_has_member (response, "result"))
    {
      g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_NODE,
                   "The node at %s answered %s with neither a result nor an error.",
                   client->display_url, method);
      return FALSE;
    }
  /* A shallow copy: the object or array inside is shared, not copied. */
  *result = json_object_dup_member (response, "result");
  return TRUE;
}

/* --- calls ---------------------------------------------------------------- */

static void
add_request (JsonBuilder *builder,
             gint         id,
             const gchar *method,
             JsonNode    *params)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "jsonrpc");
  json_builder_add_string_value (builder, "2.0");
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, id);
  json_builder_set_member_name (builder, "method");
  json_builder_add_string_value (builder, method);
  json_builder_set_member_name (builder, "params");
  if (params != NULL)
    json_builder_add_value (builder, json_node_copy (params));
  else
    {
      json_builder_begin_array (builder);
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
}

/* POSTs request and returns the answer's text. */
static GString *
post_request (BfkRpcClient  *client,
              JsonNode      *request,
              GError       **error)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree gchar *body = NULL;
  gsize body_len = 0;

  json_generator_set_root (generator, request);
  body = json_generator_to_data (generator, &body_len);
  return http_post (client, body, body_len, error);
}

static JsonNode *
exchange (BfkRpcClient  *client,
          JsonNode      *request,
          JsonParser   **parser_out,
          GError       **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GString) response = NULL;
  g_autoptr(GError) local_error = NULL;

  response = post_request (client, request, error);
  if (response == NULL)
    return NULL;

  if (!json_parser_load_from_data (parser, response->str, (gssize) response->len, &local_error))
    {
      g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_TRANSPORT,
                   "The node at %s answered with something that is not JSON (%s). "
                   "Check that the URL points at a JSON-RPC endpoint.",
                   client->display_url, local_error->message);
      return NULL;
    }
  *parser_out = g_steal_pointer (&parser);
  return json_parser_get_root (*parser_out);
}

JsonNode *
bfk_rpc_client_call_full (BfkRpcClient  *client,
                          const gchar   *method,
                          JsonNode      *params,
                          GBytes       **revert_data,
                          GError       **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) request = NULL;
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;
  JsonNode *result = NULL;

  g_return_val_if_fail (client != NULL, NULL);
  g_return_val_if_fail (method != NULL, NULL);
  g_return_val_if_fail (params == NULL || JSON_NODE_HOLDS_ARRAY (params), NULL);

  if (revert_data != NULL)
    *revert_data = NULL;

  add_request (builder, g_atomic_int_add (&client->next_id, 1), method, params);
  request = json_builder_get_root (builder);

  root = exchange (client, request, &parser, error);
  if (root == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_NODE,
                   "The node at %s answered %s with something that is not a JSON-RPC response.",
                   client->display_url, method);
      return NULL;
    }
  if (!take_response (client, method, json_node_get_object (root), &result, revert_data, error))
    return NULL;
  return result;
}

GString *
bfk_rpc_client_call_text (BfkRpcClient  *client,
                          const gchar   *method,
                          JsonNode      *params,
                          GError       **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) request = NULL;

  g_return_val_if_fail (client != NULL, NULL);
  g_return_val_if_fail (method != NULL, NULL);

  add_request (builder, g_atomic_int_add (&client->next_id, 1), method, params);
  request = json_builder_get_root (builder);
  return post_request (client, request, error);
}

JsonNode *
bfk_rpc_client_call (BfkRpcClient  *client,
                     const gchar   *method,
                     JsonNode      *params,
                     GError       **error)
{
  return bfk_rpc_client_call_full (client, method, params, NULL, error);
}

void
bfk_rpc_response_free (BfkRpcResponse *response)
{
  if (response == NULL)
    return;
  g_clear_pointer (&response->result, json_node_unref);
  g_clear_error (&response->error);
  g_clear_pointer (&response->revert_data, g_bytes_unref);
  g_free (response);
}

GPtrArray *
bfk_rpc_client_call_batch (BfkRpcClient        *client,
                           const BfkRpcRequest *requests,
                           gsize                n_requests,
                           GError             **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) request = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GPtrArray) responses = NULL;
  JsonNode *root;
  JsonArray *array;
  gint first_id;

  g_return_val_if_fail (client != NULL, NULL);
  g_return_val_if_fail (requests != NULL || n_requests == 0, NULL);
  g_return_val_if_fail (n_requests <= G_MAXINT / 2, NULL);

  responses = g_ptr_array_new_full ((guint) n_requests, (GDestroyNotify) bfk_rpc_response_free);
  if (n_requests == 0)
    return g_steal_pointer (&responses);

  /* Ids are the client's sequence, so a response maps back to its request
   * by subtraction, whatever order the node answers in. */
  first_id = g_atomic_int_add (&client->next_id, (gint) n_requests);
  json_builder_begin_array (builder);
  for (gsize i = 0; i < n_requests; i++)
    add_request (builder, first_id + (gint) i, requests[i].method, requests[i].params);
  json_builder_end_array (builder);
  request = json_builder_get_root (builder);

  root = exchange (client, request, &parser, error);
  if (root == NULL)
    return NULL;

  if (JSON_NODE_HOLDS_OBJECT (root))
    {
      /* The node refused the batch as a whole (too large, not supported). */
      JsonNode *result = NULL;

      if (take_response (client, "a batch", json_node_get_object (root), &result, NULL, error))
        {
          json_node_unref (result);
          g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_NODE,
                       "The node at %s answered a batch with a single result.",
                       client->display_url);
        }
      return NULL;
    }
  if (!JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_NODE,
                   "The node at %s answered a batch with something that is not a JSON-RPC response.",
                   client->display_url);
      return NULL;
    }

  for (gsize i = 0; i < n_requests; i++)
    g_ptr_array_add (responses, g_new0 (BfkRpcResponse, 1));

  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      JsonObject *object;
      JsonNode *id_node;
      BfkRpcResponse *r;
      gint64 index;

      if (!JSON_NODE_HOLDS_OBJECT (item))
        continue;
      object = json_node_get_object (item);
      id_node = json_object_get_member (object, "id");
      if (id_node == NULL || !JSON_NODE_HOLDS_VALUE (id_node) ||
          json_node_get_value_type (id_node) != G_TYPE_INT64)
        continue;
      index = json_node_get_int (id_node) - first_id;
      if (index < 0 || (guint64) index >= n_requests)
        continue;
      r = g_ptr_array_index (responses, index);
      if (r->result != NULL || r->error != NULL)
        continue;
      take_response (client, requests[index].method, object,
                     &r->result, &r->revert_data, &r->error);
    }

  for (gsize i = 0; i < n_requests; i++)
    {
      BfkRpcResponse *r = g_ptr_array_index (responses, i);

      if (r->result == NULL && r->error == NULL)
        g_set_error (&r->error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_NODE,
                     "The node at %s left %s unanswered in a batch.",
                     client->display_url, requests[i].method);
    }
  return g_steal_pointer (&responses);
}

/* --- small shared helpers -------------------------------------------------- */

static void
on_cancelled (GCancellable *cancellable,
              gpointer      user_data)
{
  /* Without the sleeper's mutex a wake-up can be lost; the sleeper looks
   * at the cancellable every 50 ms anyway. */
  g_cond_broadcast (user_data);
}

gboolean
bfk_rpc_sleep_cancellable (guint         ms,
                           GCancellable *cancellable)
{
  GMutex mutex;
  GCond cond;
  gulong handler = 0;
  gint64 deadline = g_get_monotonic_time () + (gint64) ms * 1000;
  gboolean cancelled;

  if (cancellable == NULL)
    {
      g_usleep ((gulong) ms * 1000);
      return FALSE;
    }

  g_mutex_init (&mutex);
  g_cond_init (&cond);
  g_mutex_lock (&mutex);
  handler = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled), &cond, NULL);
  /* A broadcast may slip in before the wait: wake up at least every 50 ms
   * to look at the cancellable again. */
  while (!g_cancellable_is_cancelled (cancellable) && g_get_monotonic_time () < deadline)
    g_cond_wait_until (&cond, &mutex,
                       MIN (deadline, g_get_monotonic_time () + 50 * G_TIME_SPAN_MILLISECOND));
  cancelled = g_cancellable_is_cancelled (cancellable);
  g_mutex_unlock (&mutex);
  g_cancellable_disconnect (cancellable, handler);
  g_cond_clear (&cond);
  g_mutex_clear (&mutex);
  return cancelled;
}
