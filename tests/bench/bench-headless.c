/* bench-headless.c */
#include "bench-headless.h"

#include <signal.h>
#include <sys/prctl.h>
#include <stdio.h>
#include <string.h>

#include <libsoup/soup.h>

#include "bench-engine.h"

#define WAIT_S 120
#define POLL_MS 100
/* An idle console wakes every 1.5 s: two rounds of both threads. */
#define IDLE_MS 3500

typedef struct
{
  GSubprocess *process;
  gchar       *log;
  gchar       *base;      /* http://127.0.0.1:PORT */
  SoupSession *session;
  JsonParser  *parser;
} Console;

static void
console_clear (Console *c)
{
  g_clear_object (&c->process);
  g_clear_pointer (&c->log, g_free);
  g_clear_pointer (&c->base, g_free);
  g_clear_object (&c->session);
  g_clear_object (&c->parser);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Console, console_clear)

/* The console and bafokactl read the same settings: the chain's node as a
 * custom network, its operator in a keystore, any free port. */
static void
set_environment (BfkTestChain *chain,
                 const gchar  *data_dir)
{
  g_autofree gchar *keystore = NULL;
  g_autofree gchar *password = NULL;
  gchar contract[BFK_ADDRESS_STRING_SIZE];

  bfk_test_chain_save_operator (chain, data_dir, &keystore, &password);
  bfk_address_to_string_buf (&chain->contract, contract);
  g_setenv ("BAFOKA_DATA_DIR", data_dir, TRUE);
  g_setenv ("BAFOKA_NETWORK", "custom", TRUE);
  g_setenv ("BAFOKA_RPC_URL", bfk_local_node_get_url (chain->node), TRUE);
  g_setenv ("BAFOKA_CHAIN_ID", "31337", TRUE);
  g_setenv ("BAFOKA_CONTRACT", contract, TRUE);
  g_setenv ("BAFOKA_KEYSTORE", keystore, TRUE);
  g_setenv ("BAFOKA_KEYSTORE_PASSWORD_FILE", password, TRUE);
  g_setenv ("BAFOKA_LISTEN", "127.0.0.1:0", TRUE);
  /* Depth 0, as on the local network: anvil mines only when sent to. */
  g_setenv ("BAFOKA_CONFIRMATIONS", "0", TRUE);
}

static gchar *
read_log (Console *c)
{
  gchar *text = NULL;

  g_file_get_contents (c->log, &text, NULL, NULL);
  return text ? text : g_strdup ("");
}

/* A benchmark that aborts takes its console with it. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static gboolean
console_running (Console *c)
{
  /* NULL once GLib's worker has reaped it. */
  return g_subprocess_get_identifier (c->process) != NULL;
}

/* Starts the console and waits for its "listening on" line. */
static void
console_start (Console     *c,
               const gchar *console,
               const gchar *data_dir,
               guint        run)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  c->log = g_strdup_printf ("%s/console-%u.log", data_dir, run);
  g_subprocess_launcher_set_stderr_file_path (launcher, c->log);
  g_subprocess_launcher_set_stdout_file_path (launcher, "/dev/null");
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  c->process = g_subprocess_launcher_spawn (launcher, &error, console, "--headless", NULL);
  g_assert_no_error (error);
  c->session = soup_session_new ();
  c->parser = json_parser_new ();

  while (c->base == NULL)
    {
      g_autofree gchar *log = read_log (c);
      const gchar *at = strstr (log, "listening on http://");
      const gchar *end = at ? strchr (at, '\n') : NULL;

      if (end != NULL)
        {
          at += strlen ("listening on ");
          c->base = g_strndup (at, end - at);
          g_strchomp (c->base);
          if (g_str_has_suffix (c->base, "/"))
            c->base[strlen (c->base) - 1] = '\0';
          break;
        }
      if (!console_running (c) || g_get_monotonic_time () > deadline)
        g_error ("The console did not start: %s", log);
      g_usleep (POLL_MS * 1000);
    }
}

static void
console_stop (Console *c)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_send_signal (c->process, SIGTERM);
  if (!g_subprocess_wait (c->process, NULL, &error) || !g_subprocess_get_successful (c->process))
    {
      g_autofree gchar *log = read_log (c);

      g_error ("The console did not stop cleanly: %s", log);
    }
}

/* A figure of /proc/PID/status, in MiB. */
static gdouble
proc_status_mib (Console     *c,
                 const gchar *field)
{
  g_autofree gchar *path = g_strdup_printf ("/proc/%s/status", g_subprocess_get_identifier (c->process));
  g_autofree gchar *text = NULL;
  const gchar *line;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  line = strstr (text, field);
  g_assert_nonnull (line);
  return g_ascii_strtod (line + strlen (field) + 1, NULL) / 1024.0;   /* kB */
}

/* GET /healthz: the document (owned by c->parser), or NULL. */
static JsonObject *
health (Console *c)
{
  g_autofree gchar *uri = g_strconcat (c->base, "/healthz", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  g_autoptr(GBytes) body = soup_session_send_and_read (c->session, msg, NULL, NULL);
  JsonNode *root;

  if (!console_running (c))
    {
      g_autofree gchar *log = read_log (c);

      g_error ("The console exited: %s", log);
    }
  if (body == NULL
      || !json_parser_load_from_data (c->parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), NULL)
      || (root = json_parser_get_root (c->parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_node_get_object (root);
}

static gint64
member_int (JsonObject  *doc,
            const gchar *group,
            const gchar *name)
{
  return json_object_get_int_member (json_object_get_object_member (doc, group), name);
}

/* Waits until the follower has stored every block up to head. */
static void
wait_synced (Console *c,
             guint64  head)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_S * G_USEC_PER_SEC;

  for (;;)
    {
      JsonObject *doc = health (c);

      if (doc != NULL && member_int (doc, "chain", "synced") >= (gint64) head
          && member_int (doc, "chain", "lag") == 0)
        return;
      if (g_get_monotonic_time () > deadline)
        g_error ("The console did not catch up with block %" G_GUINT64_FORMAT " in %d s", head, WAIT_S);
      g_usleep (POLL_MS * 1000);
    }
}

/* Waits until `confirmed` operations are confirmed and none is on its way. */
static void
wait_confirmed (Console *c,
                gint64   confirmed)
{
  static const gchar * const moving[] = { "queued", "signed", "sent", "mined" };
  gint64 deadline = g_get_monotonic_time () + WAIT_S * G_USEC_PER_SEC;

  for (;;)
    {
      JsonObject *doc = health (c);
      gint64 on_the_way = 0;

      for (guint i = 0; doc != NULL && i < G_N_ELEMENTS (moving); i++)
        on_the_way += member_int (doc, "outbox", moving[i]);
      if (doc != NULL && member_int (doc, "outbox", "failed") + member_int (doc, "outbox", "replaced") > 0)
        g_error ("Operations of the console failed");
      if (doc != NULL && on_the_way == 0 && member_int (doc, "outbox", "confirmed") >= confirmed)
        return;
      if (g_get_monotonic_time () > deadline)
        g_error ("%" G_GINT64_FORMAT " operations not confirmed after %d s", confirmed, WAIT_S);
      g_usleep (POLL_MS * 1000);
    }
}

/* bafokactl import members --csv --no-send: the running console sends. */
static void
import_members (const gchar *data_dir,
                guint        run,
                guint        n)
{
  g_autofree gchar *ctl = g_build_filename (g_getenv ("BAFOKA_BUILD_DIR"), "backend", "bafokactl", NULL);
  g_autofree gchar *csv_path = g_strdup_printf ("%s/members-%u.csv", data_dir, run);
  g_autoptr(GString) csv = g_string_new ("phone,name,community\n");
  g_autoptr(GError) error = NULL;
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  gint status;

  for (guint i = 0; i < n; i++)
    g_string_append_printf (csv, "+2376%08u,bench_%u_%u,%u\n", 80000000 + run * 100000 + i, run, i,
                            1 + i % 3);
  g_assert_true (g_file_set_contents (csv_path, csv->str, -1, &error));
  {
    const gchar *argv[] = { ctl, "--json", "import", "members", "--csv", csv_path, "--no-send", NULL };

    g_spawn_sync (NULL, (gchar **) argv, NULL, G_SPAWN_STDIN_FROM_DEV_NULL, NULL, NULL, &out, &err,
                  &status, &error);
  }
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL)
      || !json_parser_load_from_data (parser, out, -1, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))
      || json_object_get_int_member_with_default (json_node_get_object (json_parser_get_root (parser)),
                                                  "added", 0) != n)
    g_error ("bafokactl import did not add %u members: %s%s", n, out, err);
}

static guint64
count_events (const gchar *data_dir)
{
  g_autofree gchar *path = g_build_filename (data_dir, "bafoka.db", NULL);
  g_autoptr(GError) error = NULL;
  BfkStore *store = bfk_store_open (path, TRUE, &error);
  sqlite3_stmt *stmt;
  guint64 n;

  g_assert_no_error (error);
  stmt = bfk_store_prepare (store, "SELECT count(*) FROM events", &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = (guint64) sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  bfk_store_close (store);
  return n;
}

static guint64
head_of (BfkTestChain *chain)
{
  g_autoptr(GError) error = NULL;
  guint64 head = 0;

  g_assert_true (bfk_rpc_client_get_block_number (chain->rpc, &head, &error));
  return head;
}

/* One run of the console: catch up, idle, import, all confirmed; returns
 * its peak RSS. */
static gdouble
run_console (BfkTestChain  *chain,
             const gchar   *console,
             const gchar   *data_dir,
             guint          run,
             gint64         confirmed_before,
             guint          imports,
             BenchHeadless *out)
{
  g_auto(Console) c = { 0 };
  gint64 start = g_get_monotonic_time ();
  gdouble peak;

  console_start (&c, console, data_dir, run);
  wait_synced (&c, head_of (chain));
  if (run == 0)
    {
      out->catch_up_s = bench_seconds_since (start);
      out->events = count_events (data_dir);
    }
  g_usleep (IDLE_MS * 1000);
  if (run == 0)
    out->idle_rss_mib = proc_status_mib (&c, "VmRSS:");


  start = g_get_monotonic_time ();
  import_members (data_dir, run, imports);
  wait_confirmed (&c, confirmed_before + imports);
  if (run == 0)
    out->send_s = bench_seconds_since (start);
  wait_synced (&c, head_of (chain));
  peak = proc_status_mib (&c, "VmHWM:");
  console_stop (&c);
  return peak;
}

void
bench_headless_prepare (BfkTestChain *chain,
                        const gchar  *data_dir,
                        guint         outbox_ops)
{
  g_autofree gchar *db = g_build_filename (data_dir, "bafoka.db", NULL);
  BenchOutboxRun outbox_run;

  g_autoptr(GError) error = NULL;

  /* Lot 1: members of their own, beside the follower benchmark's. */
  bench_outbox_register (chain, db, 1, outbox_ops, 100, WAIT_S, &outbox_run);
  /* The outbox used the operator's nonces: its sender reads them again. */
  bfk_sender_free (chain->operator);
  chain->operator = bfk_sender_new (chain->rpc, BFK_LOCAL_NODE_CHAIN_ID, &chain->operator_key, &error);
  g_assert_no_error (error);
}

void
bench_headless_run (BfkTestChain  *chain,
                    const gchar   *console,
                    const gchar   *data_dir,
                    guint          outbox_ops,
                    guint          imports,
                    BenchHeadless *out)
{
  g_autoptr(JsonNode) params = json_from_string ("[1]", NULL);
  g_autoptr(JsonNode) result = NULL;
  g_autoptr(GError) error = NULL;

  *out = (BenchHeadless) { .imported = imports };
  result = bfk_rpc_client_call (chain->rpc, "evm_setIntervalMining", params, &error);
  g_assert_no_error (error);
  set_environment (chain, data_dir);

  out->peak_rss_mib = run_console (chain, console, data_dir, 0, outbox_ops, imports, out);
  out->restart_peak_rss_mib = run_console (chain, console, data_dir, 1, outbox_ops + imports,
                                           imports, out);
}
