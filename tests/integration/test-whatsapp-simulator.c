/* test-whatsapp-simulator.c: the webhook without Twilio credentials, the
 * mode of the console's simulator.
 *  - callers on this machine post without a signature, and the bot answers;
 *  - a caller from another address gets 403 and changes nothing;
 *  - what the backend has to tell members (the grant) is kept as not sent.
 */
#include "bfk-form.h"
#include "bfk-local-node.h"
#include "bfk-store.h"
#include "bfk-test-console.h"

#include <ifaddrs.h>
#include <netinet/in.h>
#include <string.h>

#define PHONE "+237650000042"

static gchar *data_dir;
static BfkTestConsole console;

static gchar *
post_from (const gchar *host,
           const gchar *text,
           const gchar *sid,
           guint       *status)
{
  g_autofree gchar *uri = g_strdup_printf ("http://%s:%u/webhook", host, console.port);

  return bfk_test_post_message (uri, PHONE, sid, text, status);
}

static gint64
store_count (const gchar *sql)
{
  g_autofree gchar *db = g_build_filename (data_dir, "bafoka.db", NULL);
  g_autoptr(BfkStore) store = bfk_store_open (db, TRUE, NULL);
  sqlite3_stmt *stmt;

  g_assert_nonnull (store);
  stmt = bfk_store_prepare (store, sql, NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int64 (stmt, 0);
}

static void
test_loopback_converses (void)
{
  const gchar *steps[][2] = {
    { "Bonjour", "Fondjomenkwet" },
    { "1", "nom d&apos;utilisateur" },
    { "Nadia", "Inscription en cours" },
  };
  gint64 end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  for (gsize i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autofree gchar *sid = g_strdup_printf ("SMsim%030" G_GSIZE_FORMAT, i);
      guint status;
      g_autofree gchar *answer = post_from ("127.0.0.1", steps[i][0], sid, &status);

      g_assert_cmpuint (status, ==, 200);
      if (!strstr (answer, steps[i][1]))
        g_error ("“%s” got %s", steps[i][0], answer);
    }

  /* No Twilio: the grant's message is kept for the console, not sent. */
  while (store_count ("SELECT count(*) FROM messages WHERE phone = '" PHONE "' AND direction = 'out'"
                      " AND status = 'not_sent' AND body LIKE '%1000 Fonjoka%'") == 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_usleep (200 * 1000);
    }
}

/* An IPv4 address of this machine that is not the loopback, or NULL. */
static gchar *
outside_address (void)
{
  struct ifaddrs *all = NULL;
  gchar *found = NULL;

  if (getifaddrs (&all) != 0)
    return NULL;
  for (struct ifaddrs *i = all; i && !found; i = i->ifa_next)
    if (i->ifa_addr && i->ifa_addr->sa_family == AF_INET)
      {
        g_autoptr(GInetAddress) a =
          g_inet_address_new_from_bytes ((const guint8 *) &((struct sockaddr_in *) i->ifa_addr)->sin_addr,
                                         G_SOCKET_FAMILY_IPV4);

        if (!g_inet_address_get_is_loopback (a))
          found = g_inet_address_to_string (a);
      }
  freeifaddrs (all);
  return found;
}

static void
test_outside_refused (void)
{
  g_autofree gchar *address = outside_address ();
  g_autofree gchar *answer = NULL;
  gint64 before;
  guint status;

  if (!address)
    {
      g_test_skip ("this machine has no address but the loopback");
      return;
    }
  before = store_count ("SELECT count(*) FROM messages");
  answer = post_from (address, "SOLDE", "SMoutside0000000000000000000000001", &status);
  g_assert_cmpuint (status, ==, 403);
  g_assert_nonnull (strstr (answer, "only this machine"));
  g_assert_cmpint (store_count ("SELECT count(*) FROM messages"), ==, before);
}

int
main (int argc, char **argv)
{
  g_autofree gchar *anvil = bfk_local_node_find_anvil (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree gchar *listen = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  if (!anvil)
    {
      g_print ("1..0 # SKIP anvil not found\n");
      return 0;
    }
  g_unsetenv ("TWILIO_ACCOUNT_SID");
  g_unsetenv ("TWILIO_AUTH_TOKEN");
  data_dir = g_dir_make_tmp ("bafoka-simulator-XXXXXX", &error);
  g_assert_no_error (error);
  /* Every address, so that a caller from outside can reach it at all. */
  console.port = bfk_test_free_port ();
  listen = g_strdup_printf ("BAFOKA_LISTEN=0.0.0.0:%u", console.port);
  bfk_test_console_start (&console, data_dir, listen, NULL);
  bfk_test_console_wait_healthy (&console, parser);

  g_test_add_func ("/simulator/loopback-converses", test_loopback_converses);
  g_test_add_func ("/simulator/outside-refused", test_outside_refused);
  status = g_test_run ();

  bfk_test_console_clear (&console);
  {
    g_autofree gchar *cmd = g_strdup_printf ("rm -rf '%s'", data_dir);

    g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL);
  }
  g_free (data_dir);
  return status;
}
