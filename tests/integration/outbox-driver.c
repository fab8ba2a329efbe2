/* outbox-driver.c: drives the outbox of a data dir until nothing is
 * pending, as the backend would; the crash test kills it at random.
 *
 *   outbox-driver DATA_DIR NODE_URL BATCH_SIZE
 *
 * The store is DATA_DIR/bafoka.db, the signer anvil's first dev key. */
#include "bfk-local-node.h"
#include "outbox-test-util.h"

#include <stdlib.h>

#define TIMEOUT_S 40

/* For a post-mortem: the lowest operations in flight, and their attempts. */
static void
print_stuck (BfkStore     *store,
             BfkRpcClient *rpc)
{
  sqlite3_stmt *stmt = NULL;
  BfkAddress dev;
  guint64 latest = 0, pending = 0;

  bfk_address_parse (BFK_LOCAL_NODE_DEV_ADDRESS, &dev, NULL);
  bfk_rpc_client_get_transaction_count (rpc, &dev, "latest", &latest, NULL);
  bfk_rpc_client_get_transaction_count (rpc, &dev, "pending", &pending, NULL);
  g_printerr ("  chain nonce %" G_GUINT64_FORMAT ", pending %" G_GUINT64_FORMAT "\n", latest, pending);
  sqlite3_prepare_v2 (bfk_store_get_db (store),
                      "SELECT o.nonce, o.state, o.failure_class, a.hash, a.sent_at, a.error "
                      "FROM operations o JOIN tx_attempts a ON a.operation_id = o.id "
                      "WHERE o.state IN ('signed', 'sent') ORDER BY o.nonce, a.id LIMIT 8",
                      -1, &stmt, NULL);
  while (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    g_printerr ("  nonce %lld %s %s %s sent %lld: %s\n", sqlite3_column_int64 (stmt, 0),
                sqlite3_column_text (stmt, 1), sqlite3_column_text (stmt, 2),
                sqlite3_column_text (stmt, 3), sqlite3_column_int64 (stmt, 4),
                sqlite3_column_text (stmt, 5));
  sqlite3_finalize (stmt);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkOutboxLock) lock = NULL;
  g_autoptr(BfkStore) store = NULL;
  g_autoptr(BfkRpcClient) rpc = NULL;
  g_autoptr(BfkOutbox) outbox = NULL;
  g_autofree gchar *db = NULL;
  g_auto(BfkPrivateKey) key = { 0 };
  BfkOutboxConfig config;
  gint64 deadline = g_get_monotonic_time () + TIMEOUT_S * G_USEC_PER_SEC;

  if (argc != 4)
    {
      g_printerr ("usage: outbox-driver DATA_DIR NODE_URL BATCH_SIZE\n");
      return 2;
    }
  db = g_build_filename (argv[1], "bafoka.db", NULL);
  if ((lock = bfk_outbox_lock_acquire (argv[1], &error)) == NULL
      || (store = bfk_store_open (db, FALSE, &error)) == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  rpc = bfk_rpc_client_new (argv[2]);
  bfk_rpc_client_set_retries (rpc, 0, 10);
  bfk_rpc_client_set_connect_timeout (rpc, 500);
  bfk_rpc_client_set_revert_decoder (rpc, bfk_contract_describe_revert, NULL, NULL);
  bfk_private_key_from_hex (&key, BFK_LOCAL_NODE_DEV_PRIVATE_KEY, NULL);
  bfk_outbox_config_init (&config, BFK_LOCAL_NODE_CHAIN_ID, 0);
  config.batch_size = (guint) atoi (argv[3]);
  outbox = bfk_outbox_new (store, rpc, BFK_LOCAL_NODE_CHAIN_ID, &config);
  bfk_outbox_add_key (outbox, &key);

  while (!bfk_outbox_recover (outbox, NULL, &error))
    {
      if (g_get_monotonic_time () > deadline)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      g_clear_error (&error);
      g_usleep (50 * 1000);
    }
  if (!outbox_test_drive (outbox, TIMEOUT_S, NULL, &error))
    {
      g_printerr ("%s\n", error ? error->message : "operations still pending");
      for (guint s = 0; s < BFK_OP_N_STATES; s++)
        g_printerr ("  %s: %" G_GUINT64_FORMAT "\n", bfk_op_state_to_string (s),
                    outbox_test_count (store, s));
      print_stuck (store, rpc);
      return 1;
    }
  return 0;
}
