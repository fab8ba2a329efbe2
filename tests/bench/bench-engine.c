/* bench-engine.c */
#include "bench-engine.h"

#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "bfk-keccak.h"
#include "bfk-outbox.h"

gdouble
bench_seconds_since (gint64 start_us)
{
  return (g_get_monotonic_time () - start_us) / (gdouble) G_USEC_PER_SEC;
}

/* utime + stime of /proc/PID/stat, in seconds; 0 when gone. */
static gdouble
process_cpu (const gchar *pid,
             gboolean    *is_anvil)
{
  g_autofree gchar *path = g_strdup_printf ("/proc/%s/stat", pid);
  g_autofree gchar *text = NULL;
  g_auto(GStrv) fields = NULL;
  const gchar *end;

  *is_anvil = FALSE;
  if (!g_file_get_contents (path, &text, NULL, NULL) || (end = strrchr (text, ')')) == NULL)
    return 0;
  *is_anvil = strstr (text, "(anvil)") != NULL;
  /* After "pid (comm) ": state is field 3; utime and stime are 14 and 15. */
  fields = g_strsplit (end + 2, " ", 16);
  if (g_strv_length (fields) < 14)
    return 0;
  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL))
         / sysconf (_SC_CLK_TCK);
}

void
bench_cpu_now (BenchCpu *out)
{
  g_autoptr(GDir) tasks = g_dir_open ("/proc/self/task", 0, NULL);
  const gchar *task;
  struct rusage usage;

  *out = (BenchCpu) { 0 };
  if (getrusage (RUSAGE_SELF, &usage) == 0)
    out->self_s = usage.ru_utime.tv_sec + usage.ru_stime.tv_sec
                  + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  while (tasks != NULL && (task = g_dir_read_name (tasks)) != NULL)
    {
      g_autofree gchar *path = g_strdup_printf ("/proc/self/task/%s/children", task);
      g_autofree gchar *children = NULL;
      g_auto(GStrv) pids = NULL;

      if (!g_file_get_contents (path, &children, NULL, NULL))
        continue;
      pids = g_strsplit (g_strstrip (children), " ", -1);
      for (guint i = 0; pids[i] != NULL; i++)
        {
          gboolean is_anvil = FALSE;
          gdouble cpu = pids[i][0] != '\0' ? process_cpu (pids[i], &is_anvil) : 0;

          if (is_anvil)
            out->anvil_s += cpu;
        }
    }
}

void
bench_cpu_since (const BenchCpu *since,
                 BenchCpu       *out)
{
  BenchCpu now;

  bench_cpu_now (&now);
  out->self_s = now.self_s - since->self_s;
  out->anvil_s = now.anvil_s - since->anvil_s;
}

void
bench_member_address (guint       lot,
                      guint       i,
                      BfkAddress *out)
{
  guint32 seed[2] = { lot, i };
  guint8 digest[32];

  bfk_keccak256 ((const guint8 *) seed, sizeof seed, digest);
  memcpy (out->bytes, digest + 12, BFK_ADDRESS_SIZE);
}

GBytes *
bench_register_calldata (guint lot,
                         guint i)
{
  BfkAddress member;

  bench_member_address (lot, i, &member);
  return bfk_contract_encode_register_member (&member, 1 + i % 3);
}

static gint
count_commit (gpointer data)
{
  (*(guint *) data)++;
  return 0;   /* let it commit */
}

static void
enqueue_all (BfkTestChain   *chain,
             BfkStore       *store,
             guint           lot,
             guint           n,
             guint           per_commit)
{
  g_autoptr(GError) error = NULL;
  BfkAddress operator;

  g_assert_true (bfk_private_key_to_address (&chain->operator_key, &operator, NULL));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GBytes) calldata = bench_register_calldata (lot, i);
      BfkOpRequest request = {
        .kind = BFK_OP_REGISTER_MEMBER,
        .calldata = calldata,
        .summary = "register a benchmark member",
        .community_id = 1 + i % 3,
      };

      if (per_commit > 1 && i % per_commit == 0)
        g_assert_true (bfk_store_begin (store, &error));
      if (bfk_outbox_enqueue (store, chain->rpc, &operator, &chain->contract, &request, &error) == 0)
        g_error ("enqueue %u: %s", i, error->message);
      if (per_commit > 1 && (i % per_commit == per_commit - 1 || i == n - 1))
        g_assert_true (bfk_store_commit (store, &error));
    }
}

static void
drive_all (BfkTestChain   *chain,
           BfkStore       *store,
           guint           timeout_s,
           BenchOutboxRun *out)
{
  g_autoptr(BfkOutbox) outbox = NULL;
  guint64 counts[BFK_OP_N_STATES] = { 0 };
  BfkOutboxConfig config;
  gint64 deadline = g_get_monotonic_time () + timeout_s * G_USEC_PER_SEC;

  bfk_outbox_config_init (&config, BFK_LOCAL_NODE_CHAIN_ID, 0);
  outbox = bfk_outbox_new (store, chain->rpc, BFK_LOCAL_NODE_CHAIN_ID, &config);
  bfk_outbox_add_key (outbox, &chain->operator_key);
  for (;;)
    {
      g_autoptr(GError) error = NULL;
      BfkOutboxReport report = { 0 };

      if (!bfk_outbox_step (outbox, NULL, &report, &error))
        g_error ("outbox step: %s", error->message);
      out->steps++;
      if (report.failed_now > 0)
        g_error ("%u operations failed", report.failed_now);
      if (report.pending == 0)
        break;
      if (g_get_monotonic_time () > deadline)
        g_error ("%u operations still pending after %u s", report.pending, timeout_s);
    }
  g_assert_true (bfk_outbox_count_by_state (store, counts, NULL));
  g_assert_cmpuint (counts[BFK_OP_FAILED] + counts[BFK_OP_REPLACED], ==, 0);
}

void
bench_outbox_register (BfkTestChain   *chain,
                       const gchar    *db_path,
                       guint           lot,
                       guint           n,
                       guint           per_commit,
                       guint           timeout_s,
                       BenchOutboxRun *out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkStore) store = bfk_store_open (db_path, FALSE, &error);
  BenchCpu cpu;
  gint64 start;

  g_assert_no_error (error);
  *out = (BenchOutboxRun) { .ops = n };

  bench_cpu_now (&cpu);
  start = g_get_monotonic_time ();
  enqueue_all (chain, store, lot, n, per_commit);
  out->enqueue_s = bench_seconds_since (start);
  bench_cpu_since (&cpu, &out->enqueue_cpu);

  sqlite3_commit_hook (bfk_store_get_db (store), count_commit, &out->sqlite_commits);
  bench_cpu_now (&cpu);
  start = g_get_monotonic_time ();
  drive_all (chain, store, timeout_s, out);
  out->drive_s = bench_seconds_since (start);
  bench_cpu_since (&cpu, &out->drive_cpu);
  sqlite3_commit_hook (bfk_store_get_db (store), NULL, NULL);
}

void
bench_remove_dir (const gchar *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const gchar *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree gchar *file = g_build_filename (path, name, NULL);

      g_remove (file);
    }
  g_rmdir (path);
}
