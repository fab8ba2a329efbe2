/* bench-follower.c: the follower catching up over 100,000 real events.
 *
 * On a fresh anvil with the contract, N registerMember transactions are
 * sent pipelined with automine off, PER_BLOCK at a time, each lot mined
 * into one block (evm_mine): a busy chain of N/PER_BLOCK blocks.
 * Then, each into a fresh store (WAL, synchronous=FULL, in a temporary
 * directory):
 *
 *   catch_up  bfk_follower_step from the deployment to the head, chunks of
 *             --window blocks: eth_getLogs, headers, decode, store, derived
 *             tables, one fsync'd transaction per chunk.  The target
 *             (issue 3) is 20,000 events/s here.
 *   read      the same logs read alone (bfk_rpc_client_get_logs_chunked):
 *             the node's and the JSON parser's share.
 *   store     the logs already in memory, decoded and applied in
 *             transactions of one chunk's events: the follower's own share.
 *
 * Each commit rewrites the index pages its events touch, and the indexes on
 * hashes and addresses are random-ordered, so small chunks over a large
 * store cost more per event: 2,000 events a chunk gave about 18,000
 * events/s, 10,000 about 25,000 (see the report of issue 3).
 *
 * Then a reconciliation of a sample of accounts (must find no difference).
 * Peak RSS (getrusage) is taken after the catch-up and at the end.
 *
 * Last, on the same chain, the memory of `bafoka-console --headless`
 * (bench-headless.h): a data dir gets --outbox-ops registrations through
 * the outbox, then the console catches up with every event itself, goes
 * idle, and sends --imports members that bafokactl imports while it runs;
 * its peak RSS (VmHWM) is the figure of issue 3 (< 64 MiB).  A second
 * start on the full data dir does the same.  Prints one JSON object. */
#include <string.h>
#include <sys/resource.h>

#include <glib/gstdio.h>

#include "bench-engine.h"
#include "bench-headless.h"
#include "bfk-follower-private.h"
#include "bfk-test-chain.h"

#define GAS_PER_TX 100000

static gint opt_count = 100000;
static gint opt_per_block = 100;
static gint opt_window = 100;
static gint opt_sample = 1000;
static gchar *opt_console = NULL;
static gint opt_outbox_ops = 1000;
static gint opt_imports = 300;
static gboolean opt_no_headless = FALSE;

static GOptionEntry entries[] = {
  { "count", 'n', 0, G_OPTION_ARG_INT, &opt_count, "Events to generate (100000)", "N" },
  { "per-block", 0, 0, G_OPTION_ARG_INT, &opt_per_block, "Transactions per block (100)", "K" },
  { "window", 0, 0, G_OPTION_ARG_INT, &opt_window, "Blocks per follower chunk (100: 10,000 events)", "W" },
  { "sample", 0, 0, G_OPTION_ARG_INT, &opt_sample, "Accounts reconciled (1000; 0 for all)", "S" },
  { "console", 0, 0, G_OPTION_ARG_FILENAME, &opt_console,
    "bafoka-console to measure ($BAFOKA_BUILD_DIR/app/bafoka-console)", "PATH" },
  { "outbox-ops", 0, 0, G_OPTION_ARG_INT, &opt_outbox_ops,
    "Registrations through the outbox in the console's data dir (1000)", "N" },
  { "imports", 0, 0, G_OPTION_ARG_INT, &opt_imports,
    "Members imported while each console runs (300)", "N" },
  { "no-headless", 0, 0, G_OPTION_ARG_NONE, &opt_no_headless, "Skip the console's memory", NULL },
  { NULL },
};

static glong
peak_rss_kib (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

static void
call_ok (BfkRpcClient *rpc,
         const gchar  *method,
         const gchar  *json_params)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) params = json_params ? json_from_string (json_params, &error) : NULL;
  g_autoptr(JsonNode) result = NULL;

  g_assert_no_error (error);
  result = bfk_rpc_client_call (rpc, method, params, &error);
  if (result == NULL)
    g_error ("%s: %s", method, error->message);
}

/* Sends opt_count registrations, PER_BLOCK at a time, each lot mined into
 * one block; returns the seconds.  Blocks stay under half full, so the base
 * fee falls and the signed fee caps stay good. */
static gdouble
generate (BfkTestChain *chain)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) calldata = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  gint64 start = g_get_monotonic_time ();

  call_ok (chain->rpc, "evm_setAutomine", "[false]");
  for (gint done = 0; done < opt_count; done += opt_per_block)
    {
      guint n = MIN (opt_per_block, opt_count - done);
      g_autoptr(GPtrArray) hashes = NULL;

      g_ptr_array_set_size (calldata, 0);
      for (guint i = 0; i < n; i++)
        g_ptr_array_add (calldata, bench_register_calldata (0, done + i));
      hashes = bfk_sender_send_pipelined (chain->operator, &chain->contract,
                                          (GBytes * const *) calldata->pdata, n, GAS_PER_TX, &error);
      g_assert_no_error (error);
      call_ok (chain->rpc, "evm_mine", NULL);
    }
  {
    guint64 mined = 0;

    g_assert_true (bfk_rpc_client_get_transaction_count (chain->rpc, bfk_sender_get_address (chain->operator),
                                                         "latest", &mined, &error));
    g_assert_cmpuint (mined, ==, bfk_sender_get_next_nonce (chain->operator));
  }
  /* Back to the local network's way, for what follows on this chain. */
  call_ok (chain->rpc, "evm_setAutomine", "[true]");
  return (g_get_monotonic_time () - start) / (gdouble) G_USEC_PER_SEC;
}

static BfkStore *
fresh_store (const gchar *dir,
             const gchar *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree gchar *path = g_build_filename (dir, name, NULL);
  BfkStore *store = bfk_store_open (path, FALSE, &error);

  g_assert_no_error (error);
  return store;
}

/* The follower's own work on logs in memory: decode, store, derived
 * tables, one transaction per `per_commit` events. */
static gdouble
store_logs (BfkStore *store,
            GArray   *logs,
            guint     per_commit)
{
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  for (guint first = 0; first < logs->len; first += per_commit)
    {
      g_assert_true (bfk_store_begin (store, &error));
      for (guint i = first; i < MIN (first + per_commit, logs->len); i++)
        {
          const BfkLog *log = &g_array_index (logs, BfkLog, i);
          BfkEvent e;
          gboolean inserted;

          g_assert_true (bfk_event_decode (&log->topics[0][0], log->n_topics,
                                           g_bytes_get_data (log->data, NULL), g_bytes_get_size (log->data),
                                           &e, &error));
          e.block_number = log->block_number;
          memcpy (e.block_hash, log->block_hash, 32);
          memcpy (e.tx_hash, log->tx_hash, 32);
          e.log_index = log->log_index;
          g_assert_true (bfk_follower_apply_event (store, &e, &inserted, &error));
          bfk_event_clear (&e);
        }
      g_assert_true (bfk_store_commit (store, &error));
    }
  return (g_get_monotonic_time () - start) / (gdouble) G_USEC_PER_SEC;
}

static void
print_headless (const BenchHeadless *h)
{
  g_print (", \"headless\": {\"events\": %" G_GUINT64_FORMAT ", \"catch_up_s\": %.3f, "
           "\"catch_up_events_per_s\": %.0f, \"idle_rss_mib\": %.1f, \"imported\": %u, "
           "\"send_s\": %.3f, \"peak_rss_mib\": %.1f, \"restart_peak_rss_mib\": %.1f}",
           h->events, h->catch_up_s, h->events / h->catch_up_s, h->idle_rss_mib, h->imported,
           h->send_s, h->peak_rss_mib, h->restart_peak_rss_mib);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- follower catch-up benchmark");
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkTestChain) chain = NULL;
  g_autoptr(BfkStore) store = NULL;
  g_autoptr(BfkStore) store2 = NULL;
  g_autoptr(BfkFollower) follower = NULL;
  g_autoptr(GArray) logs = NULL;
  g_autofree gchar *dir = NULL;
  g_autofree gchar *data_dir = NULL;
  BenchHeadless headless;
  BfkLogFilter filter = { 0 };
  BfkFollowerReport report;
  gdouble gen_s, catch_up_s, read_s, store_s, reconcile_s;
  glong rss_after_catch_up;
  gint64 t;
  gint differ;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    g_error ("%s", error->message);
  if (g_getenv ("BAFOKA_BUILD_DIR") == NULL)
    g_setenv ("BAFOKA_BUILD_DIR", BENCH_BUILD_DIR, TRUE);
  if (opt_console == NULL)
    opt_console = g_build_filename (g_getenv ("BAFOKA_BUILD_DIR"), "app", "bafoka-console", NULL);
  chain = bfk_test_chain_new ();
  if (chain == NULL)
    return 0;
  dir = g_dir_make_tmp ("bafoka-bench-follower-XXXXXX", &error);
  g_assert_no_error (error);

  if (!opt_no_headless)
    {
      data_dir = g_dir_make_tmp ("bafoka-bench-headless-XXXXXX", &error);
      g_assert_no_error (error);
      bench_headless_prepare (chain, data_dir, (guint) opt_outbox_ops);
    }
  gen_s = generate (chain);

  store = fresh_store (dir, "catch-up.db");
  follower = bfk_follower_new (store, chain->rpc, &chain->contract, chain->deploy_block, 0);
  bfk_follower_set_window (follower, opt_window);
  t = g_get_monotonic_time ();
  g_assert_true (bfk_follower_step (follower, NULL, &report, &error));
  g_assert_no_error (error);
  catch_up_s = (g_get_monotonic_time () - t) / (gdouble) G_USEC_PER_SEC;
  rss_after_catch_up = peak_rss_kib ();
  /* The constructor's 3 communities and the deployer's roles besides. */
  g_assert_cmpuint (report.new_events, >=, (guint) opt_count + 3);

  t = g_get_monotonic_time ();
  differ = bfk_follower_reconcile (follower, opt_sample, NULL, &error);
  reconcile_s = (g_get_monotonic_time () - t) / (gdouble) G_USEC_PER_SEC;
  g_assert_no_error (error);
  g_assert_cmpint (differ, ==, 0);

  filter.addresses = &chain->contract;
  filter.n_addresses = 1;
  t = g_get_monotonic_time ();
  logs = bfk_rpc_client_get_logs_chunked (chain->rpc, &filter, chain->deploy_block, report.head,
                                          opt_window, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  read_s = (g_get_monotonic_time () - t) / (gdouble) G_USEC_PER_SEC;
  g_assert_cmpuint (logs->len, ==, report.new_events);

  store2 = fresh_store (dir, "store.db");
  /* Only for its setting of the connection (the page cache). */
  bfk_follower_free (bfk_follower_new (store2, chain->rpc, &chain->contract, chain->deploy_block, 0));
  store_s = store_logs (store2, logs, (guint) (opt_window * opt_per_block));

  g_print ("{\"bench\": \"follower\", \"events\": %u, \"blocks\": %" G_GUINT64_FORMAT ", \"window\": %d, "
           "\"generate_s\": %.2f, \"generate_tx_per_s\": %.0f, "
           "\"catch_up_s\": %.3f, \"catch_up_events_per_s\": %.0f, "
           "\"read_s\": %.3f, \"read_events_per_s\": %.0f, "
           "\"store_s\": %.3f, \"store_events_per_s\": %.0f, "
           "\"reconcile_accounts\": %d, \"reconcile_s\": %.3f, \"reconcile_differences\": %d, "
           "\"peak_rss_after_catch_up_mib\": %.1f, \"peak_rss_mib\": %.1f",
           report.new_events, report.head - chain->deploy_block + 1, opt_window,
           gen_s, opt_count / gen_s,
           catch_up_s, report.new_events / catch_up_s,
           read_s, logs->len / read_s,
           store_s, logs->len / store_s,
           opt_sample, reconcile_s, differ,
           rss_after_catch_up / 1024.0, peak_rss_kib () / 1024.0);

  g_clear_pointer (&store, bfk_store_close);
  g_clear_pointer (&store2, bfk_store_close);
  bench_remove_dir (dir);

  if (!opt_no_headless)
    {
      bench_headless_run (chain, opt_console, data_dir, (guint) opt_outbox_ops, (guint) opt_imports,
                          &headless);
      print_headless (&headless);
      bench_remove_dir (data_dir);
    }
  g_print ("}\n");
  return 0;
}
