/* bench-webhook.c: POST /webhook under load (issue 4 §6).
 *
 * A real `bafoka-console --headless` on a data dir of its own (a custom
 * network on a fresh anvil, the operator in a keystore), with
 * TWILIO_AUTH_TOKEN and BAFOKA_PUBLIC_URL set but no account sid or
 * number, so that it checks every signature and sends nothing out.
 * bafokactl enrols the members from a CSV and gets them confirmed on chain
 * first; the console's follower then stores their accounts (1,000 tokens
 * each), which SOLDE reads.
 *
 * Every member then sends SOLDE --per-member times, each message with its
 * own MessageSid: 1,000 × 20 = 20,000 distinct requests, Twilio's full form
 * (15 fields), each body and X-Twilio-Signature computed here in advance
 * with bfk_twilio_signature_compute.  They go in member order, round after
 * round (member i's k-th message is request k × members + i), so that a
 * number's 20 messages are spread over the run.  Twenty is the webhook's
 * limit per number and minute: a 21st would be answered at once with an
 * empty TwiML and not stored, which is not the work to measure.  So the run
 * is a fixed number of requests, not a duration: wrk sends each request
 * exactly once (bench-webhook.lua) and stops when all are answered.
 *
 * Measured by wrk (-t 2 -c 32 --latency): requests/s, p50 and p99 latency.
 * Checked: every answer is a 200 with a <Message> (the balance), and the
 * store then holds exactly one inbound message, one processed sid with its
 * answer and one balance reply per request, and no sid that was not sent
 * (a member's first message also gets a welcome, recorded as a reply).
 * From the console's /metrics: the bot's response time
 * (bafoka_bot_response_seconds: arrival to the committed TwiML), p50 and
 * p99 estimated from its buckets, and its mean; and the console's CPU time
 * per request, the one figure that other work on the machine changes
 * little.
 *
 * wrk and the console share the machine's cores.  Prints one JSON object;
 * "exact" says whether every check held.
 */
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "bench-engine.h"
#include "bfk-form.h"
#include "bfk-test-console.h"
#include "bfk-test-twilio.h"
#include "bfk-twilio-signature.h"

/* Not a secret: a token made up for the benchmark. */
#define AUTH_TOKEN     "bench0auth0token0f0r0the0webhook"
#define ACCOUNT_SID    "AC00000000000000000000000000bench"
#define PUBLIC_URL     "https://bafoka.example"
#define BOT_NUMBER     "whatsapp:+14155238886"
#define WAIT_S         120
/* Flask + gunicorn on the same kind of machine: 2,600 to 3,300 requests/s. */
#define REFERENCE_RPS  3000.0

static gint opt_members = 1000;
static gint opt_per_member = 20;
static gint opt_threads = 2;
static gint opt_connections = 32;
static gint opt_cap_s = 120;
static gchar *opt_wrk = NULL;
static gchar *opt_keep = NULL;

/* The children to end when the benchmark aborts (a failed check): anvil
 * has its own guard, these two would outlive it. */
static volatile pid_t console_pid;
static volatile pid_t wrk_pid;

static void
end_children (int sig)
{
  if (console_pid > 0)
    kill (console_pid, SIGKILL);
  if (wrk_pid > 0)
    kill (wrk_pid, SIGKILL);
  signal (sig, SIG_DFL);
  raise (sig);
}

/* 0 once the process has ended and been reaped. */
static pid_t
pid_of (GSubprocess *process)
{
  const gchar *id = g_subprocess_get_identifier (process);

  return id ? (pid_t) g_ascii_strtoll (id, NULL, 10) : 0;
}

static GOptionEntry entries[] = {
  { "members", 'n', 0, G_OPTION_ARG_INT, &opt_members, "Members enrolled, each sending SOLDE (1000)", "N" },
  { "per-member", 'm', 0, G_OPTION_ARG_INT, &opt_per_member,
    "Messages per member, each with its own MessageSid (20, the limit per minute)", "M" },
  { "threads", 't', 0, G_OPTION_ARG_INT, &opt_threads, "wrk threads (2)", "T" },
  { "connections", 'c', 0, G_OPTION_ARG_INT, &opt_connections, "wrk connections (32)", "C" },
  { "cap", 0, 0, G_OPTION_ARG_INT, &opt_cap_s, "Give up on the run after this many seconds (120)", "S" },
  { "wrk", 0, 0, G_OPTION_ARG_FILENAME, &opt_wrk, "wrk (from PATH)", "PATH" },
  { "keep", 0, 0, G_OPTION_ARG_FILENAME, &opt_keep,
    "Use and keep this (new) data dir: its bafoka.db, the requests, wrk's output", "DIR" },
  { NULL },
};

/* --- the members ------------------------------------------------------------ */

static gchar *
member_phone (guint i)
{
  return g_strdup_printf ("+2376%08u", 70000000 + i);
}

/* The chain as a custom network and the operator in a keystore: set in
 * this process's environment for bafokactl, and kept as NAME=VALUE pairs
 * for the console, whose launcher drops these four. */
typedef struct
{
  gchar *network;
  gchar *contract;
  gchar *keystore;
  gchar *password_file;
} Settings;

static void
settings_clear (Settings *s)
{
  g_free (s->network);
  g_free (s->contract);
  g_free (s->keystore);
  g_free (s->password_file);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Settings, settings_clear)

static gchar *
setting (const gchar *name,
         const gchar *value)
{
  g_setenv (name, value, TRUE);
  return g_strconcat (name, "=", value, NULL);
}

static void
chain_settings (BfkTestChain *chain,
                const gchar  *data_dir,
                Settings     *s)
{
  g_autofree gchar *keystore = NULL;
  g_autofree gchar *password = NULL;
  gchar contract[BFK_ADDRESS_STRING_SIZE];

  bfk_test_chain_save_operator (chain, data_dir, &keystore, &password);
  bfk_address_to_string_buf (&chain->contract, contract);
  s->network = setting ("BAFOKA_NETWORK", "custom");
  s->contract = setting ("BAFOKA_CONTRACT", contract);
  s->keystore = setting ("BAFOKA_KEYSTORE", keystore);
  s->password_file = setting ("BAFOKA_KEYSTORE_PASSWORD_FILE", password);
  g_setenv ("BAFOKA_RPC_URL", bfk_local_node_get_url (chain->node), TRUE);
  g_setenv ("BAFOKA_CHAIN_ID", "31337", TRUE);
  /* Depth 0, as on the local network: anvil mines only when sent to. */
  g_setenv ("BAFOKA_CONFIRMATIONS", "0", TRUE);
  /* With a token but no account sid nor number, the console checks
   * signatures and sends nothing to Twilio. */
  g_unsetenv ("TWILIO_ACCOUNT_SID");
  g_unsetenv ("TWILIO_WHATSAPP_NUMBER");
  g_unsetenv ("TWILIO_API_BASE");
}

/* bafokactl import members --csv: enrolled and confirmed on chain when it
 * returns.  (Not bfk_ctl_run: its TAP comment would go to stdout.) */
static void
enrol (const gchar *data_dir,
       guint        n)
{
  g_autofree gchar *ctl = g_build_filename (g_getenv ("BAFOKA_BUILD_DIR"), "backend", "bafokactl", NULL);
  g_autofree gchar *csv_path = g_build_filename (data_dir, "members.csv", NULL);
  g_autoptr(GString) csv = g_string_new ("phone,name,community\n");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree gchar *out = NULL;
  g_autofree gchar *err = NULL;
  const gchar *argv[] = { ctl, "--data-dir", data_dir, "--json", "import", "members", "--csv", csv_path, NULL };
  gint status;

  for (guint i = 0; i < n; i++)
    {
      g_autofree gchar *phone = member_phone (i);

      g_string_append_printf (csv, "%s,bench_%u,%u\n", phone, i, 1 + i % 3);
    }
  g_assert_true (g_file_set_contents (csv_path, csv->str, -1, NULL));
  g_spawn_sync (NULL, (gchar **) argv, NULL, G_SPAWN_STDIN_FROM_DEV_NULL, NULL, NULL, &out, &err, &status,
                &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL) || !json_parser_load_from_data (parser, out, -1, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))
      || json_object_get_int_member_with_default (json_node_get_object (json_parser_get_root (parser)),
                                                  "added", 0) != n)
    g_error ("bafokactl import did not enrol %u members: %s%s", n, out, err);
}

/* --- the store, read beside the running console ------------------------------ */

static sqlite3 *
open_db (const gchar *data_dir)
{
  g_autofree gchar *path = g_build_filename (data_dir, "bafoka.db", NULL);
  sqlite3 *db = NULL;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    g_error ("Cannot open %s: %s", path, sqlite3_errmsg (db));
  sqlite3_busy_timeout (db, 5000);
  return db;
}

static gint64
count (sqlite3     *db,
       const gchar *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK || sqlite3_step (stmt) != SQLITE_ROW)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

/* Until the console's follower has stored every member's account. */
static void
wait_accounts (BfkTestConsole *console,
               const gchar    *data_dir,
               guint           n)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_S * G_USEC_PER_SEC;

  for (;;)
    {
      sqlite3 *db = open_db (data_dir);
      gint64 on_chain = count (db, "SELECT count(*) FROM members m JOIN accounts a ON a.address = m.address"
                                   " WHERE a.balance > 0");

      sqlite3_close (db);
      if (on_chain == n)
        return;
      if (console->exited || g_get_monotonic_time () > deadline)
        g_error ("%" G_GINT64_FORMAT " of %u accounts stored after %d s", on_chain, n, WAIT_S);
      g_usleep (100 * 1000);
    }
}

/* --- the requests -------------------------------------------------------------- */

/* Twilio's sids look random ("SM" and 32 hex digits), and so are the
 * places where they go in the store's indexes: sequential ones would only
 * ever append. */
static gchar *
message_sid (guint j)
{
  g_autofree gchar *seed = g_strdup_printf ("bench-webhook %u", j);
  g_autofree gchar *digest = g_compute_checksum_for_string (G_CHECKSUM_MD5, seed, -1);

  return g_strconcat ("SM", digest, NULL);
}

/* Writes the requests file of bench-webhook.lua; returns the sids. */
static GHashTable *
write_requests (const gchar *path,
                guint        members,
                guint        per_member)
{
  g_autofree gchar *url = g_strconcat (PUBLIC_URL, "/webhook", NULL);
  g_autoptr(GString) out = g_string_new (NULL);
  GHashTable *sids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;

  for (guint j = 0; j < members * per_member; j++)
    {
      g_autofree gchar *sid = message_sid (j);
      g_autofree gchar *phone = member_phone (j % members);
      g_autofree gchar *name = g_strdup_printf ("Bench %u", j % members);
      g_autoptr(BfkForm) form = bfk_test_twilio_inbound_form (sid, ACCOUNT_SID, phone, BOT_NUMBER, name,
                                                              "SOLDE");
      g_autofree gchar *signature = bfk_twilio_signature_compute (AUTH_TOKEN, url, form);
      g_autofree gchar *body = bfk_form_encode (form);

      g_string_append_printf (out, "%s\t%s\n", signature, body);
      g_hash_table_add (sids, g_steal_pointer (&sid));
    }
  g_assert_true (g_file_set_contents (path, out->str, out->len, &error));
  return sids;
}

/* --- wrk ----------------------------------------------------------------------- */

static guint
n_tasks (const gchar *pid)
{
  g_autofree gchar *path = g_strdup_printf ("/proc/%s/task", pid);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  while (dir && g_dir_read_name (dir))
    n++;
  return n;
}

/* CPU seconds (user + system) of a process so far. */
static gdouble
cpu_seconds (GSubprocess *process)
{
  g_autofree gchar *path = g_strdup_printf ("/proc/%s/stat", g_subprocess_get_identifier (process));
  g_autofree gchar *stat = NULL;
  g_auto(GStrv) fields = NULL;

  /* The name, field 2, is in parentheses and may hold spaces. */
  g_assert_true (g_file_get_contents (path, &stat, NULL, NULL));
  fields = g_strsplit (strrchr (stat, ')') + 2, " ", -1);
  /* utime and stime, fields 14 and 15, are the 12th and 13th after it. */
  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL)) / sysconf (_SC_CLK_TCK);
}

/* Runs wrk over the requests file; its output.  Its worker threads end
 * once every request is answered (bench-webhook.lua), but its main thread
 * sleeps until the -d cap: SIGINT wakes it at once, and it reports the
 * time until then. */
static gchar *
run_wrk (const gchar *wrk,
         const gchar *requests,
         guint16      port,
         gdouble     *cpu_s)
{
  const gchar *source = g_getenv ("BAFOKA_SOURCE_DIR");
  g_autofree gchar *lua = g_build_filename (source ? source : BENCH_SOURCE_DIR, "tests", "bench",
                                            "bench-webhook.lua", NULL);
  g_autofree gchar *url = g_strdup_printf ("http://127.0.0.1:%u/webhook", port);
  g_autofree gchar *t = g_strdup_printf ("%d", opt_threads);
  g_autofree gchar *c = g_strdup_printf ("%d", opt_connections);
  g_autofree gchar *d = g_strdup_printf ("%ds", opt_cap_s);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree gchar *out = NULL;
  g_autofree gchar *pid = NULL;
  guint n;
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  *cpu_s = 0;
  /* Earlier benchmarks (the follower's 100,000 events) leave the kernel
   * hundreds of MiB to write back; every commit's fsync would queue behind
   * them.  The measurement starts with the disk quiet. */
  sync ();
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, wrk, "-t", t, "-c", c, "-d", d,
                              "--latency", "-s", lua, url, "--", requests, t, NULL);
  g_assert_no_error (error);
  wrk_pid = pid_of (process);
  pid = g_strdup_printf ("%d", (gint) wrk_pid);
  /* Its threads start once it has read the requests (no task at all: it
   * has ended, and its output says why)… */
  while ((n = n_tasks (pid)) == 1 && g_get_monotonic_time () < deadline)
    g_usleep (1000);
  if (n == 1)
    g_error ("wrk did not start its threads");
  /* …and end when all are answered, or at the -d cap. */
  while ((n = n_tasks (pid)) > 1)
    g_usleep (1000);
  if (n == 1)
    {
      *cpu_s = cpu_seconds (process);
      g_subprocess_send_signal (process, SIGINT);
    }
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  wrk_pid = 0;
  if (!g_subprocess_get_successful (process))
    g_error ("wrk failed: %s", out);
  return g_steal_pointer (&out);
}

/* A wrk duration ("812.00us", "1.23ms", "2.01s") in seconds. */
static gdouble
wrk_seconds (const gchar *text)
{
  gchar *end = NULL;
  gdouble v = g_ascii_strtod (text, &end);

  if (g_str_has_prefix (end, "us"))
    return v / 1e6;
  if (g_str_has_prefix (end, "ms"))
    return v / 1e3;
  if (g_str_has_prefix (end, "m"))
    return v * 60;
  return v;
}

/* The text after "label" on the line that has it. */
static const gchar *
after (const gchar *out,
       const gchar *label)
{
  const gchar *at = strstr (out, label);

  if (!at)
    g_error ("No “%s” in wrk's output:\n%s", label, out);
  at += strlen (label);
  while (*at == ' ')
    at++;
  return at;
}

static guint64
field (const gchar *line,
       const gchar *name)
{
  g_autofree gchar *key = g_strconcat (" ", name, "=", NULL);
  const gchar *at = strstr (line, key);

  g_assert_nonnull (at);
  return g_ascii_strtoull (at + strlen (key), NULL, 10);
}

typedef struct
{
  gdouble rps;
  gdouble seconds;
  gdouble p50_s;
  gdouble p99_s;
  guint64 requests;
  guint64 sent;
  guint64 answered;
  guint64 non200;
  guint64 empty;
  guint64 socket_errors;
} WrkRun;

static void
parse_wrk (const gchar *out,
           WrkRun      *run)
{
  const gchar *line = after (out, "bench-webhook:") - 1;
  const gchar *errors = strstr (out, "Socket errors:");
  const gchar *distribution = after (out, "Latency Distribution");

  run->rps = g_ascii_strtod (after (out, "Requests/sec:"), NULL);
  run->p50_s = wrk_seconds (after (distribution, " 50%"));
  run->p99_s = wrk_seconds (after (distribution, " 99%"));
  run->seconds = wrk_seconds (after (distribution, "requests in"));
  run->requests = field (line, "requests");
  run->sent = field (line, "sent");
  run->answered = field (line, "answered");
  run->non200 = field (line, "non200");
  run->empty = field (line, "empty");
  if (errors)
    {
      guint connect = 0, read = 0, write = 0, timeout = 0;

      if (sscanf (errors, "Socket errors: connect %u, read %u, write %u, timeout %u",
                  &connect, &read, &write, &timeout) != 4)
        g_error ("Cannot read wrk's “%.60s”", errors);
      run->socket_errors = connect + read + write + timeout;
    }
}

/* --- /metrics ------------------------------------------------------------------- */

typedef struct
{
  gdouble p50_s;
  gdouble p99_s;
  gdouble mean_s;
  guint64 count;
  guint64 answered;      /* bafoka_webhook_requests_total{outcome="answered"} */
  guint64 not_answered;  /* every other outcome */
} BotTimes;

/* As Prometheus' histogram_quantile: linear within the bucket. */
static gdouble
quantile (const gdouble *le,
          const gdouble *cumulative,
          guint          n,
          gdouble        q)
{
  gdouble rank = q * cumulative[n - 1];
  gdouble lower = 0, below = 0;

  for (guint i = 0; i < n; i++)
    {
      if (cumulative[i] >= rank)
        {
          if (isinf (le[i]))
            return lower;
          return lower + (le[i] - lower) * (rank - below) / MAX (cumulative[i] - below, 1);
        }
      lower = le[i];
      below = cumulative[i];
    }
  return lower;
}

static void
read_bot_times (guint16   port,
                BotTimes *times)
{
  static const gchar bucket[] = "bafoka_bot_response_seconds_bucket{le=\"";
  static const gchar outcome[] = "bafoka_webhook_requests_total{outcome=\"";
  g_autoptr(GArray) bounds = g_array_new (FALSE, FALSE, sizeof (gdouble));
  g_autoptr(GArray) cumulative = g_array_new (FALSE, FALSE, sizeof (gdouble));
  g_autofree gchar *metrics = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_cmpuint (bfk_test_http_get (port, "/metrics", &metrics, NULL), ==, SOUP_STATUS_OK);
  lines = g_strsplit (metrics, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      const gchar *line = lines[i];
      const gchar *value = strrchr (line, ' ');
      gdouble v = value ? g_ascii_strtod (value + 1, NULL) : 0;

      if (g_str_has_prefix (line, bucket))
        {
          /* "+Inf" reads as infinity, which the quantiles treat as such. */
          gdouble le = g_ascii_strtod (line + strlen (bucket), NULL);

          g_array_append_val (bounds, le);
          g_array_append_val (cumulative, v);
        }
      else if (g_str_has_prefix (line, "bafoka_bot_response_seconds_count "))
        times->count = (guint64) v;
      else if (g_str_has_prefix (line, "bafoka_bot_response_seconds_sum "))
        times->mean_s = v;
      else if (g_str_has_prefix (line, outcome))
        {
          if (g_str_has_prefix (line + strlen (outcome), "answered\""))
            times->answered += (guint64) v;
          else
            times->not_answered += (guint64) v;
        }
    }
  if (bounds->len == 0)
    g_error ("No bafoka_bot_response_seconds in /metrics:\n%s", metrics);
  times->mean_s /= MAX (times->count, 1);
  times->p50_s = quantile ((gdouble *) bounds->data, (gdouble *) cumulative->data, bounds->len, 0.5);
  times->p99_s = quantile ((gdouble *) bounds->data, (gdouble *) cumulative->data, bounds->len, 0.99);
}

/* --- what the store kept ---------------------------------------------------------- */

typedef struct
{
  gint64 inbound;
  gint64 processed;
  gint64 replies;
  gint64 balances;        /* replies that give the balance */
  guint  unknown_sids;    /* stored inbound sids that were not sent */
  guint  missing_sids;    /* sent, not stored */
} Kept;

static void
check_store (const gchar *data_dir,
             GHashTable  *sids,
             Kept        *kept)
{
  sqlite3 *db = open_db (data_dir);
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  kept->inbound = count (db, "SELECT count(*) FROM messages WHERE direction = 'in'");
  kept->processed = count (db, "SELECT count(*) FROM processed_sids WHERE reply IS NOT NULL");
  kept->replies = count (db, "SELECT count(*) FROM messages WHERE direction = 'out'");
  kept->balances = count (db, "SELECT count(*) FROM messages WHERE direction = 'out' AND body LIKE 'Solde :%'");
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT twilio_sid FROM messages WHERE direction = 'in'",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const gchar *sid = (const gchar *) sqlite3_column_text (stmt, 0);

      if (sid && g_hash_table_contains (sids, sid))
        g_hash_table_add (seen, g_strdup (sid));
      else
        kept->unknown_sids++;
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  kept->missing_sids = g_hash_table_size (sids) - g_hash_table_size (seen);
}

/* Nothing lost, nothing doubled: every request sent once and answered 200
 * with the balance, and the store holds each of them once, with its reply. */
static gboolean
exact (const WrkRun   *run,
       const BotTimes *bot,
       const Kept     *kept,
       guint           total)
{
  return run->requests == total && run->sent == total && run->answered == total && run->non200 == 0
         && run->empty == 0 && run->socket_errors == 0 && bot->answered == total && bot->not_answered == 0
         && kept->inbound == total && kept->processed == total && kept->balances == total
         && kept->missing_sids == 0 && kept->unknown_sids == 0;
}

/* --- main ------------------------------------------------------------------------- */

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- POST /webhook under load, with wrk");
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkTestChain) chain = NULL;
  g_auto(Settings) settings = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GHashTable) sids = NULL;
  g_auto(BfkTestConsole) console = { 0 };
  g_autofree gchar *data_dir = NULL;
  g_autofree gchar *requests = NULL;
  g_autofree gchar *wrk_out = NULL;
  WrkRun run = { 0 };
  BotTimes bot = { 0 };
  Kept kept = { 0 };
  guint total;
  gdouble enrol_s, sync_s, cpu_s, wrk_cpu_s;
  gint stopped;
  gint64 start;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    g_error ("%s", error->message);
  if (opt_members < 1 || opt_per_member < 1 || opt_per_member > 20)
    g_error ("--members must be at least 1, and --per-member from 1 to 20 (the limit per minute)");
  if (g_getenv ("BAFOKA_BUILD_DIR") == NULL)
    g_setenv ("BAFOKA_BUILD_DIR", BENCH_BUILD_DIR, TRUE);
  if (opt_wrk == NULL && (opt_wrk = g_find_program_in_path ("wrk")) == NULL)
    g_error ("wrk is needed (apt-get install wrk)");
  total = (guint) (opt_members * opt_per_member);

  chain = bfk_test_chain_new ();
  if (chain == NULL)
    return 0;
  if (opt_keep)
    {
      g_assert_cmpint (g_mkdir_with_parents (opt_keep, 0700), ==, 0);
      data_dir = g_strdup (opt_keep);
    }
  else
    {
      data_dir = g_dir_make_tmp ("bafoka-bench-webhook-XXXXXX", &error);
      g_assert_no_error (error);
    }
  chain_settings (chain, data_dir, &settings);

  start = g_get_monotonic_time ();
  enrol (data_dir, (guint) opt_members);
  enrol_s = bench_seconds_since (start);
  requests = g_build_filename (data_dir, "requests.txt", NULL);
  sids = write_requests (requests, (guint) opt_members, (guint) opt_per_member);

  bfk_test_console_start (&console, data_dir, settings.network, settings.contract, settings.keystore,
                          settings.password_file, "TWILIO_AUTH_TOKEN=" AUTH_TOKEN,
                          "BAFOKA_PUBLIC_URL=" PUBLIC_URL, NULL);
  console_pid = pid_of (console.process);
  signal (SIGABRT, end_children);
  signal (SIGTRAP, end_children);
  bfk_test_console_wait_healthy (&console, parser);
  start = g_get_monotonic_time ();
  wait_accounts (&console, data_dir, (guint) opt_members);
  sync_s = bench_seconds_since (start);

  cpu_s = cpu_seconds (console.process);
  wrk_out = run_wrk (opt_wrk, requests, console.port, &wrk_cpu_s);
  cpu_s = cpu_seconds (console.process) - cpu_s;
  parse_wrk (wrk_out, &run);
  if (opt_keep)
    {
      g_autofree gchar *path = g_build_filename (data_dir, "wrk.txt", NULL);

      g_file_set_contents (path, wrk_out, -1, NULL);
    }
  read_bot_times (console.port, &bot);
  g_subprocess_send_signal (console.process, SIGTERM);
  stopped = bfk_test_console_wait (&console, 60);
  if (stopped >= 0)
    console_pid = 0;    /* reaped: the number may be someone else's now */
  if (stopped != 0)
    {
      g_autofree gchar *log = bfk_test_console_log (&console);

      g_error ("The console did not stop cleanly: %s", log);
    }
  check_store (data_dir, sids, &kept);

  g_print ("{\"bench\": \"webhook\", \"members\": %d, \"per_member\": %d, \"requests\": %u, "
           "\"threads\": %d, \"connections\": %d, \"enrol_s\": %.2f, \"accounts_synced_s\": %.2f, "
           "\"seconds\": %.3f, \"requests_per_s\": %.0f, \"p50_ms\": %.3f, \"p99_ms\": %.3f, "
           "\"console_cpu_s\": %.3f, \"console_cpu_us_per_request\": %.1f, \"wrk_cpu_s\": %.3f, "
           "\"sent\": %" G_GUINT64_FORMAT ", \"answered\": %" G_GUINT64_FORMAT ", "
           "\"non_200\": %" G_GUINT64_FORMAT ", \"empty_twiml\": %" G_GUINT64_FORMAT ", "
           "\"socket_errors\": %" G_GUINT64_FORMAT ", "
           "\"bot\": {\"count\": %" G_GUINT64_FORMAT ", \"p50_ms\": %.3f, \"p99_ms\": %.3f, \"mean_ms\": %.3f}, "
           "\"outcomes\": {\"answered\": %" G_GUINT64_FORMAT ", \"other\": %" G_GUINT64_FORMAT "}, "
           "\"store\": {\"inbound\": %" G_GINT64_FORMAT ", \"processed_sids\": %" G_GINT64_FORMAT ", "
           "\"replies\": %" G_GINT64_FORMAT ", \"balances\": %" G_GINT64_FORMAT ", \"missing_sids\": %u, \"unknown_sids\": %u}, "
           "\"exact\": %s, \"vs_reference\": %.2f}\n",
           opt_members, opt_per_member, total, opt_threads, opt_connections, enrol_s, sync_s,
           run.seconds, run.rps, run.p50_s * 1e3, run.p99_s * 1e3, cpu_s, cpu_s * 1e6 / total, wrk_cpu_s,
           run.sent, run.answered, run.non200, run.empty, run.socket_errors,
           bot.count, bot.p50_s * 1e3, bot.p99_s * 1e3, bot.mean_s * 1e3,
           bot.answered, bot.not_answered,
           kept.inbound, kept.processed, kept.replies, kept.balances, kept.missing_sids, kept.unknown_sids,
           exact (&run, &bot, &kept, total) ? "true" : "false", run.rps / REFERENCE_RPS);
  if (!opt_keep)
    bench_remove_dir (data_dir);
  return 0;
}
