/* bfk-test-console.c */
#include "bfk-test-console.h"
#include "bfk-form.h"

#include <string.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

gchar *
bfk_test_console_path (void)
{
  const gchar *build = g_getenv ("BAFOKA_BUILD_DIR");

  return g_build_filename (build ? build : ".", "app", "bafoka-console", NULL);
}

void
bfk_test_console_clear (BfkTestConsole *c)
{
  if (c->process && !c->exited)
    {
      g_subprocess_force_exit (c->process);
      g_subprocess_wait (c->process, NULL, NULL);
    }
  g_clear_object (&c->process);
  /* A test that wants the log reads it first (and prints it on failure). */
  if (c->log)
    g_unlink (c->log);
  g_free (c->log);
  g_free (c->dir);
}

/* A port nobody listens on now (there is a small race, harmless here). */
guint16
bfk_test_free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  g_socket_bind (socket, any, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static void
exited (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  BfkTestConsole *c = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  c->exited = TRUE;
}

/* Starts the console with the test's data dir and a free port; env holds
 * NAME=VALUE pairs (NULL-terminated) on top. */
/* A test that aborts (g_error, a failed assertion) runs no cleanup: the
 * console must not outlive it. */
static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

void
bfk_test_console_start (BfkTestConsole *c,
                        const gchar    *data_dir,
                        const gchar    *first_env,
                        ...)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_INHERIT);
  g_autofree gchar *listen = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree gchar *console = NULL;
  static guint n;
  va_list ap;

  if (!c->port)
    c->port = bfk_test_free_port ();
  listen = g_strdup_printf ("127.0.0.1:%u", c->port);
  c->log = g_strdup_printf ("%s/bafoka-console-%d-%u.log", g_get_tmp_dir (), (int) getpid (), n++);
  g_subprocess_launcher_setenv (launcher, "BAFOKA_DATA_DIR", data_dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "BAFOKA_LISTEN", listen, TRUE);
  g_subprocess_launcher_unsetenv (launcher, "BAFOKA_NETWORK");
  g_subprocess_launcher_unsetenv (launcher, "BAFOKA_KEYSTORE");
  g_subprocess_launcher_unsetenv (launcher, "BAFOKA_KEYSTORE_PASSWORD_FILE");
  g_subprocess_launcher_unsetenv (launcher, "BAFOKA_CONTRACT");
  va_start (ap, first_env);
  for (const gchar *kv = first_env; kv; kv = va_arg (ap, const gchar *))
    {
      g_auto(GStrv) parts = g_strsplit (kv, "=", 2);

      g_subprocess_launcher_setenv (launcher, parts[0], parts[1], TRUE);
    }
  va_end (ap);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  g_subprocess_launcher_set_stderr_file_path (launcher, c->log);
  g_subprocess_launcher_set_stdout_file_path (launcher, "/dev/null");
  console = bfk_test_console_path ();
  c->process = g_subprocess_launcher_spawn (launcher, &error, console, "--headless", NULL);
  g_assert_no_error (error);
  c->exited = FALSE;
  g_subprocess_wait_async (c->process, NULL, exited, c);
}

gchar *
bfk_test_console_log (BfkTestConsole *c)
{
  gchar *text = NULL;

  g_file_get_contents (c->log, &text, NULL, NULL);
  return text ? text : g_strdup ("");
}

static gboolean
timed_out (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Waits up to timeout_s for the exit; returns its status, or -1 when it did
 * not end in time. */
gint
bfk_test_console_wait (BfkTestConsole *c,
              guint    timeout_s)
{
  gboolean late = FALSE;
  guint source = g_timeout_add_seconds (timeout_s, timed_out, &late);

  while (!late && !c->exited)
    g_main_context_iteration (NULL, TRUE);
  if (!late)
    g_source_remove (source);
  if (late)
    return -1;
  return g_subprocess_get_if_exited (c->process) ? g_subprocess_get_exit_status (c->process) : 128;
}

/* Runs a console that must fail; returns its log. */
gchar *
bfk_test_console_expect_failure (BfkTestConsole *c)
{
  g_autofree gchar *log = NULL;
  gint status = bfk_test_console_wait (c, 60);

  log = bfk_test_console_log (c);
  g_test_message ("stderr: %s", log);
  g_assert_cmpint (status, ==, 1);
  return g_steal_pointer (&log);
}

guint
bfk_test_http_get (guint16       port,
          const gchar  *path,
          gchar       **body,
          gchar       **content_type)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree gchar *uri = g_strdup_printf ("http://127.0.0.1:%u%s", port, path);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  g_autoptr(GBytes) bytes = soup_session_send_and_read (session, msg, NULL, NULL);

  if (!bytes)
    return 0;
  if (body)
    *body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  if (content_type)
    *content_type = g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                            "Content-Type"));
  return soup_message_get_status (msg);
}

/* Polls /healthz until it says "ok"; returns the document. */
JsonObject *
bfk_test_console_wait_healthy (BfkTestConsole *c,
                               JsonParser     *parser)
{
  gint64 end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < end)
    {
      g_autofree gchar *body = NULL;
      JsonObject *o;

      g_main_context_iteration (NULL, FALSE);
      if (c->exited)
        {
          g_autofree gchar *log = bfk_test_console_log (c);

          g_error ("The console exited: %s", log);
        }
      if (bfk_test_http_get (c->port, "/healthz", &body, NULL) == SOUP_STATUS_OK
          && json_parser_load_from_data (parser, body, -1, NULL)
          && (o = json_node_get_object (json_parser_get_root (parser)))
          && g_str_equal (json_object_get_string_member (o, "status"), "ok"))
        return o;
      g_usleep (100 * 1000);
    }
  g_error ("/healthz never said ok");
}


guint
bfk_test_http_post (guint16       port,
                    const gchar  *path,
                    const gchar  *body,
                    const gchar  *header,
                    const gchar  *value,
                    gchar       **answer)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree gchar *uri = g_strdup_printf ("http://127.0.0.1:%u%s", port, path);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", uri);
  g_autoptr(GBytes) request = g_bytes_new (body, strlen (body));
  g_autoptr(GBytes) bytes = NULL;

  soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", request);
  if (header)
    soup_message_headers_replace (soup_message_get_request_headers (msg), header, value);
  bytes = soup_session_send_and_read (session, msg, NULL, NULL);
  if (!bytes)
    return 0;
  if (answer)
    *answer = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  return soup_message_get_status (msg);
}

gchar *
bfk_test_post_message (const gchar *uri,
                       const gchar *phone,
                       const gchar *sid,
                       const gchar *text,
                       guint       *status)
{
  g_autoptr(BfkForm) form = bfk_form_new ();
  g_autofree gchar *from = g_strconcat ("whatsapp:", phone, NULL);
  g_autofree gchar *body = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", uri);
  g_autoptr(GBytes) request = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;

  bfk_form_add (form, "MessageSid", sid);
  bfk_form_add (form, "From", from);
  bfk_form_add (form, "Body", text);
  body = bfk_form_encode (form);
  request = g_bytes_new (body, strlen (body));
  soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", request);
  answer = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  *status = soup_message_get_status (msg);
  return g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer));
}
