/* bench-outbox.c: what the durable outbox keeps of the raw client's rate.
 *
 * Two measurements of N registerMember transactions mined by anvil
 * (automine), each on a fresh anvil with a fresh deployment:
 *
 *   raw     bfk_sender_send_pipelined, as in bench-submit: signed with a
 *           local nonce counter and sent in pipelined batches, then the
 *           receipts asked for in JSON-RPC batches until all are mined;
 *           timed from the first signature to the last receipt.
 *   outbox  N register operations enqueued into a store on disk (WAL,
 *           synchronous=FULL: every commit is fsync'd) in transactions of
 *           --per-commit, as bafokactl import does; then bfk_outbox_step
 *           until every one is confirmed (depth 0, as on the local
 *           network).  Timed from the first enqueue to the last
 *           confirmation, with the split.
 *
 * The ratio outbox/raw is the figure of issue 3 (target ≥ 0.5).  Each side
 * also reports the CPU time it took, this process's and anvil's: on a busy
 * machine the ratio tends to the ratio of those.  Prints one JSON object. */
#include "bench-engine.h"
#include "bfk-outbox-rpc.h"

#define TIMEOUT_S 60

static gint opt_count = 1000;
static gint opt_per_commit = 100;
static gchar *opt_data_dir = NULL;

static GOptionEntry entries[] = {
  { "count", 'n', 0, G_OPTION_ARG_INT, &opt_count, "Transactions per measurement (1000)", "N" },
  { "per-commit", 0, 0, G_OPTION_ARG_INT, &opt_per_commit,
    "Operations enqueued per SQLite transaction (100, as bafokactl import)", "K" },
  { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, &opt_data_dir,
    "Keep the outbox's store here (DIR/bafoka.db) instead of a temporary folder", "DIR" },
  { NULL },
};

/* Asks for the receipts of every hash not yet mined, batch after batch,
 * until none is missing; every one must have succeeded. */
static void
wait_mined (BfkRpcClient *rpc,
            GPtrArray    *hashes)
{
  g_autoptr(GArray) missing = g_array_new (FALSE, FALSE, sizeof (BfkOutboxHash));
  gint64 deadline = g_get_monotonic_time () + TIMEOUT_S * G_USEC_PER_SEC;

  for (guint i = 0; i < hashes->len; i++)
    g_array_append_vals (missing, g_bytes_get_data (g_ptr_array_index (hashes, i), NULL), 1);
  while (missing->len > 0)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) receipts = bfk_outbox_rpc_receipts (rpc, missing, &error);
      g_autoptr(GArray) still = g_array_new (FALSE, FALSE, sizeof (BfkOutboxHash));

      g_assert_no_error (error);
      for (guint i = 0; i < missing->len; i++)
        {
          const BfkOutboxReceipt *r = g_ptr_array_index (receipts, i);

          if (r == NULL)
            g_array_append_val (still, g_array_index (missing, BfkOutboxHash, i));
          else if (!r->status)
            g_error ("a raw transaction reverted in block %" G_GUINT64_FORMAT, r->block_number);
        }
      g_array_set_size (missing, 0);
      g_array_append_vals (missing, still->data, still->len);
      if (g_get_monotonic_time () > deadline)
        g_error ("%u transactions not mined after %d s", missing->len, TIMEOUT_S);
    }
}

/* Seconds of the raw client for n registrations on a fresh chain. */
static gdouble
measure_raw (guint     n,
             BenchCpu *cpu_used)
{
  g_autoptr(BfkTestChain) chain = bfk_test_chain_new ();
  g_autoptr(GPtrArray) calldata = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GPtrArray) hashes = NULL;
  g_autoptr(GError) error = NULL;
  guint64 gas = 0;
  BenchCpu cpu;
  gint64 start;

  if (chain == NULL)
    exit (0);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (calldata, bench_register_calldata (0, i));
  /* Every first registration writes the same slots: one estimate fits all,
   * with the outbox's margin. */
  g_assert_true (bfk_rpc_client_estimate_gas (chain->rpc, bfk_sender_get_address (chain->operator),
                                              &chain->contract, BFK_U256_ZERO,
                                              g_ptr_array_index (calldata, 0), &gas, NULL, &error));

  bench_cpu_now (&cpu);
  start = g_get_monotonic_time ();
  hashes = bfk_sender_send_pipelined (chain->operator, &chain->contract,
                                      (GBytes * const *) calldata->pdata, n, gas + gas / 5, &error);
  g_assert_no_error (error);
  wait_mined (chain->rpc, hashes);
  bench_cpu_since (&cpu, cpu_used);
  return bench_seconds_since (start);
}

static void
measure_outbox (guint           n,
                const gchar    *dir,
                BenchOutboxRun *run)
{
  g_autoptr(BfkTestChain) chain = bfk_test_chain_new ();
  g_autofree gchar *db = g_build_filename (dir, "bafoka.db", NULL);
  guint64 members = 0;

  if (chain == NULL)
    exit (0);
  bench_outbox_register (chain, db, 0, n, (guint) opt_per_commit, TIMEOUT_S, run);
  for (guint64 c = 1; c <= 3; c++)
    {
      g_autoptr(GError) error = NULL;
      BfkCommunityInfo info = { 0 };

      g_assert_true (bfk_contract_read_community (chain->rpc, &chain->contract, c, &info, &error));
      members += info.members;
      bfk_community_info_clear (&info);
    }
  g_assert_cmpuint (members, ==, n);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- the outbox against the raw client");
  g_autoptr(GError) error = NULL;
  g_autofree gchar *dir = NULL;
  BenchOutboxRun run;
  BenchCpu raw_cpu;
  gdouble raw_s, outbox_s;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    g_error ("%s", error->message);
  if (opt_data_dir != NULL)
    {
      dir = g_strdup (opt_data_dir);
      g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
    }
  else
    dir = g_dir_make_tmp ("bafoka-bench-outbox-XXXXXX", &error);
  g_assert_no_error (error);

  raw_s = measure_raw ((guint) opt_count, &raw_cpu);
  measure_outbox ((guint) opt_count, dir, &run);
  outbox_s = run.enqueue_s + run.drive_s;

  g_print ("{\"bench\": \"outbox\", \"count\": %d, "
           "\"raw\": {\"seconds\": %.3f, \"tx_per_s\": %.0f, \"cpu_s\": %.3f, \"anvil_cpu_s\": %.3f}, "
           "\"outbox\": {\"per_commit\": %d, \"enqueue_s\": %.3f, \"enqueue_ops_per_s\": %.0f, "
           "\"drive_s\": %.3f, \"drive_ops_per_s\": %.0f, \"steps\": %u, \"driver_commits\": %u, "
           "\"seconds\": %.3f, \"ops_per_s\": %.0f, \"cpu_s\": %.3f, \"anvil_cpu_s\": %.3f}, "
           "\"ratio\": %.3f, \"drive_ratio\": %.3f}\n",
           opt_count, raw_s, opt_count / raw_s, raw_cpu.self_s, raw_cpu.anvil_s,
           opt_per_commit, run.enqueue_s, opt_count / run.enqueue_s,
           run.drive_s, opt_count / run.drive_s, run.steps, run.sqlite_commits,
           outbox_s, opt_count / outbox_s,
           run.enqueue_cpu.self_s + run.drive_cpu.self_s, run.enqueue_cpu.anvil_s + run.drive_cpu.anvil_s,
           raw_s / outbox_s, raw_s / run.drive_s);

  if (opt_data_dir == NULL)
    bench_remove_dir (dir);
  return 0;
}
