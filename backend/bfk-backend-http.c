/* bfk-backend-http.c: the HTTP server of the backend thread.
 *
 * The SoupServer lives in the backend thread's GMainContext: it is created
 * and bound there (with that context pushed as the thread default, as
 * libsoup's own tests do), and its handlers run there.  They never block:
 * they read what the workers last reported.
 */
#include "bfk-backend-private.h"

#include <string.h>

typedef void (*Route) (BfkBackend        *self,
                       SoupServerMessage *msg);

static void
respond (SoupServerMessage *msg,
         guint              status,
         const gchar       *content_type,
         gchar             *body)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Cache-Control", "no-store");
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_TAKE, body, strlen (body));
}

static void
route_healthz (BfkBackend        *self,
               SoupServerMessage *msg)
{
  g_autoptr(BfkBackendStatus) status = bfk_backend_status_snapshot (self);
  g_autoptr(JsonNode) json = bfk_backend_status_to_json (status);

  /* Load balancers and probes read the code; people read the body. */
  respond (msg, g_str_equal (status->status, "down") ? SOUP_STATUS_SERVICE_UNAVAILABLE : SOUP_STATUS_OK,
           "application/json", json_to_string (json, TRUE));
}

static void
route_metrics (BfkBackend        *self,
               SoupServerMessage *msg)
{
  respond (msg, SOUP_STATUS_OK, BFK_METRICS_CONTENT_TYPE, bfk_metrics_render (self->metrics));
}

static const struct
{
  const gchar *path;
  gboolean     post;      /* POST only; else GET and HEAD */
  Route        route;
} routes[] = {
  { "/healthz", FALSE, route_healthz },
  { "/metrics", FALSE, route_metrics },
  { "/webhook", TRUE, bfk_backend_route_webhook },
  { "/webhook/status", TRUE, bfk_backend_route_status },
};

static void
handle (SoupServer        *server,
        SoupServerMessage *msg,
        const char        *path,
        GHashTable        *query,
        gpointer           user_data)
{
  BfkBackend *self = user_data;
  const gchar *method = soup_server_message_get_method (msg);

  for (gsize i = 0; i < G_N_ELEMENTS (routes); i++)
    if (g_str_equal (path, routes[i].path))
      {
        gboolean allowed = routes[i].post ? method == SOUP_METHOD_POST
                                          : method == SOUP_METHOD_GET || method == SOUP_METHOD_HEAD;

        if (!allowed)
          {
            soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                          "Allow", routes[i].post ? "POST" : "GET, HEAD");
            respond (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "text/plain", g_strdup ("Method not allowed\n"));
            return;
          }
        routes[i].route (self, msg);
        return;
      }
  respond (msg, SOUP_STATUS_NOT_FOUND, "text/plain", g_strdup ("Not found\n"));
}

/* BAFOKA_LISTEN is an IP address and a port: "127.0.0.1:8080", "[::1]:8080",
 * "0.0.0.0:8080"; "localhost" means the IPv4 loopback. */
static GSocketAddress *
parse_listen (const gchar  *listen,
              GError      **error)
{
  g_autoptr(GSocketConnectable) parsed = g_network_address_parse (listen, 0, NULL);
  g_autoptr(GInetAddress) address = NULL;
  const gchar *host;
  guint16 port;

  if (parsed)
    {
      host = g_network_address_get_hostname (G_NETWORK_ADDRESS (parsed));
      port = g_network_address_get_port (G_NETWORK_ADDRESS (parsed));
      address = g_ascii_strcasecmp (host, "localhost") == 0
                ? g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4)
                : g_inet_address_new_from_string (host);
    }
  if (!address || strchr (listen, ':') == NULL)
    {
      g_set_error (error, BFK_CONFIG_ERROR, BFK_CONFIG_ERROR_INVALID,
                   "BAFOKA_LISTEN is “%s”, but it must be an IP address and a port, "
                   "like 127.0.0.1:8080", listen);
      return NULL;
    }
  return g_inet_socket_address_new (address, port);
}

SoupServer *
bfk_backend_http_listen (BfkBackend  *self,
                         GError     **error)
{
  const gchar *listen = self->config->listen;
  g_autoptr(GSocketAddress) address = parse_listen (listen, error);
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GError) local_error = NULL;
  GSList *uris;

  if (!address)
    return NULL;
  server = soup_server_new ("server-header", "bafoka-console ", NULL);
  soup_server_add_handler (server, NULL, handle, self, NULL);
  if (!soup_server_listen (server, address, 0, &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE))
        g_set_error (error, BFK_BACKEND_ERROR, BFK_BACKEND_ERROR_LISTEN,
                     "Cannot listen on %s: the port is in use by another program "
                     "(stop it, or set BAFOKA_LISTEN to another address)", listen);
      else
        g_set_error (error, BFK_BACKEND_ERROR, BFK_BACKEND_ERROR_LISTEN,
                     "Cannot listen on %s: %s", listen, local_error->message);
      return NULL;
    }

  uris = soup_server_get_uris (server);
  if (uris)
    self->listen_uri = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return g_steal_pointer (&server);
}
