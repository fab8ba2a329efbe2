/* outbox-test-util.c */
#include "outbox-test-util.h"

#include <glib/gstdio.h>

void
outbox_test_random_address (BfkAddress *out)
{
  g_auto(BfkPrivateKey) key = { 0 };

  g_assert_true (bfk_private_key_generate (&key, NULL));
  g_assert_true (bfk_private_key_to_address (&key, out, NULL));
}

gint64
outbox_test_enqueue_register (BfkStore         *store,
                              BfkRpcClient     *rpc,
                              const BfkAddress *signer,
                              const BfkAddress *contract,
                              const BfkAddress *member,
                              guint64           community_id)
{
  g_autoptr(GBytes) calldata = bfk_contract_encode_register_member (member, community_id);
  g_autoptr(GError) error = NULL;
  BfkOpRequest request = {
    .kind = BFK_OP_REGISTER_MEMBER,
    .calldata = calldata,
    .summary = "register a test member",
    .community_id = community_id,
  };
  gint64 id = bfk_outbox_enqueue (store, rpc, signer, contract, &request, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

gboolean
outbox_test_drive (BfkOutbox  *outbox,
                   guint       timeout_s,
                   guint      *unreachable_steps,
                   GError    **error)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_s * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      BfkOutboxReport report;

      if (!bfk_outbox_step (outbox, NULL, &report, error))
        return FALSE;
      if (report.unreachable && unreachable_steps != NULL)
        (*unreachable_steps)++;
      if (!report.unreachable && report.pending == 0)
        return TRUE;
      if (report.unreachable
          || report.signed_now + report.sent_now + report.mined_now + report.confirmed_now == 0)
        g_usleep (50 * 1000);
    }
  return FALSE;
}

guint64
outbox_test_count (BfkStore   *store,
                   BfkOpState  state)
{
  g_autoptr(GError) error = NULL;
  guint64 counts[BFK_OP_N_STATES];

  g_assert_true (bfk_outbox_count_by_state (store, counts, &error));
  g_assert_no_error (error);
  return counts[state];
}

guint64
outbox_test_chain_nonce (BfkRpcClient     *rpc,
                         const BfkAddress *address)
{
  g_autoptr(GError) error = NULL;
  guint64 n = 0;

  g_assert_true (bfk_rpc_client_get_transaction_count (rpc, address, "latest", &n, &error));
  g_assert_no_error (error);
  return n;
}

void
outbox_test_remove_tree (const gchar *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const gchar *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree gchar *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        outbox_test_remove_tree (path);
      else
        g_unlink (path);
    }
  g_rmdir (dir);
}

