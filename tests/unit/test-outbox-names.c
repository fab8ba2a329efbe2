/* test-outbox-names.c: the outbox's names, the classification of send
 * errors, and its SQL on a temporary store (no node: the signer's first
 * nonce is written beforehand). */
#include "bfk-chain-error.h"
#include "bfk-outbox.h"
#include "bfk-outbox-private.h"

#include <glib/gstdio.h>
#include <unistd.h>

static void
test_names (void)
{
  for (guint i = 0; i < BFK_OP_N_STATES; i++)
    {
      BfkOpState back;

      g_assert_true (bfk_op_state_from_string (bfk_op_state_to_string (i), &back));
      g_assert_cmpint (back, ==, i);
    }
  for (guint i = 0; i < BFK_OP_N_KINDS; i++)
    {
      BfkOpKind back;

      g_assert_true (bfk_op_kind_from_string (bfk_op_kind_to_string (i), &back));
      g_assert_cmpint (back, ==, i);
    }
  g_assert_cmpstr (bfk_op_kind_to_string (BFK_OP_REGISTER_MEMBER), ==, "register_member");
  g_assert_cmpstr (bfk_op_state_to_string (BFK_OP_CONFIRMED), ==, "confirmed");
  g_assert_cmpstr (bfk_failure_class_to_string (BFK_FAILURE_REVERTED), ==, "reverted");
  g_assert_false (bfk_op_state_from_string ("lost", &(BfkOpState) { 0 }));
  g_assert_false (bfk_op_kind_from_string (NULL, &(BfkOpKind) { 0 }));
}

static void
test_classes (void)
{
  static const struct { gint code; BfkFailureClass klass; } cases[] = {
    { BFK_CHAIN_ERROR_REVERTED, BFK_FAILURE_REVERTED },
    { BFK_CHAIN_ERROR_NONCE_TOO_LOW, BFK_FAILURE_NONCE_TOO_LOW },
    { BFK_CHAIN_ERROR_UNDERPRICED, BFK_FAILURE_UNDERPRICED },
    { BFK_CHAIN_ERROR_FEE_CAP_TOO_LOW, BFK_FAILURE_FEE_CAP_TOO_LOW },
    { BFK_CHAIN_ERROR_INSUFFICIENT_FUNDS, BFK_FAILURE_INSUFFICIENT_FUNDS },
    { BFK_CHAIN_ERROR_TRANSPORT, BFK_FAILURE_UNREACHABLE },
    { BFK_CHAIN_ERROR_TIMEOUT, BFK_FAILURE_UNREACHABLE },
    { BFK_CHAIN_ERROR_NODE, BFK_FAILURE_OTHER },
  };
  g_autoptr(GError) io = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "disk");
  g_autoptr(GError) known = g_error_new_literal (BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_NODE,
                                                 "The node refused it: Already Known (code -32000)");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) e = g_error_new_literal (BFK_CHAIN_ERROR, cases[i].code, "x");

      g_assert_cmpint (bfk_failure_class_from_error (e), ==, cases[i].klass);
    }
  g_assert_cmpint (bfk_failure_class_from_error (NULL), ==, BFK_FAILURE_NONE);
  g_assert_cmpint (bfk_failure_class_from_error (io), ==, BFK_FAILURE_OTHER);
  g_assert_true (bfk_outbox_error_is_known_tx (known));
  g_assert_false (bfk_outbox_error_is_known_tx (io));
}

static void
test_config (void)
{
  BfkOutboxConfig local, polygon;

  bfk_outbox_config_init (&local, 31337, 0);
  bfk_outbox_config_init (&polygon, 137, 3);
  g_assert_cmpuint (local.confirmations, ==, 0);
  g_assert_cmpuint (polygon.confirmations, ==, 3);
  g_assert_cmpuint (local.resend_after_s, ==, 15);
  g_assert_cmpuint (polygon.resend_after_s, ==, 60);
  g_assert_cmpuint (local.batch_size, ==, 100);
  g_assert_cmpint (bfk_u256_cmp (local.gas_pause_below, local.gas_warn_below), <, 0);
}

typedef struct
{
  gchar    *path;
  BfkStore *store;
  BfkAddress signer;
  BfkAddress contract;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint fd = g_file_open_tmp ("bafoka-outbox-XXXXXX.db", &f->path, &error);

  g_assert_no_error (error);
  close (fd);
  g_unlink (f->path);
  f->store = bfk_store_open (f->path, FALSE, &error);
  g_assert_no_error (error);
  g_assert_true (bfk_address_parse ("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", &f->signer, NULL));
  g_assert_true (bfk_address_parse ("0x5FbDB2315678afecb367f032d93F642f64180aa3", &f->contract, NULL));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree gchar *wal = g_strconcat (f->path, "-wal", NULL);
  g_autofree gchar *shm = g_strconcat (f->path, "-shm", NULL);

  bfk_store_close (f->store);
  g_unlink (f->path);
  g_unlink (wal);
  g_unlink (shm);
  g_free (f->path);
}

static gint64
enqueue (Fixture *f,
         guint8   tag)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) data = g_bytes_new (&tag, 1);
  BfkOpRequest request = { .kind = BFK_OP_RECHARGE, .calldata = data, .summary = "test",
                           .amount = tag };
  gint64 id = bfk_outbox_enqueue (f->store, NULL, &f->signer, &f->contract, &request, &error);

  g_assert_no_error (error);
  return id;
}

static guint64
nonce_of (Fixture *f,
          gint64   id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkOpInfo) info = bfk_outbox_get (f->store, id, &error);

  g_assert_no_error (error);
  return info->nonce;
}

static void
test_enqueue_needs_node_first (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) calldata = g_bytes_new ("x", 1);
  BfkOpRequest request = { .kind = BFK_OP_RECHARGE, .calldata = calldata };

  g_assert_cmpint (bfk_outbox_enqueue (f->store, NULL, &f->signer, &f->contract, &request, &error),
                   ==, 0);
  g_assert_error (error, BFK_OUTBOX_ERROR, BFK_OUTBOX_ERROR_NO_NONCE);
}

static void
test_nonces (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) queued = NULL;
  g_autoptr(GPtrArray) recent = NULL;
  g_autoptr(BfkOpInfo) failed = NULL;
  guint64 counts[BFK_OP_N_STATES];
  gint64 ids[4];

  g_assert_true (bfk_store_exec (f->store, "INSERT INTO signers VALUES "
                                 "('0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266', 7)", &error));
  for (guint i = 0; i < 4; i++)
    ids[i] = enqueue (f, (guint8) i);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpuint (nonce_of (f, ids[i]), ==, 7 + i);

  /* The second fails before it is signed: the later ones move down. */
  queued = bfk_outbox_store_load (f->store, BFK_OP_QUEUED, &f->signer, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (queued->len, ==, 4);
  g_assert_true (bfk_store_begin (f->store, &error));
  g_assert_true (bfk_outbox_store_fail_unsigned (f->store, g_ptr_array_index (queued, 1),
                                                 BFK_FAILURE_REVERTED, "CrossCommunity(1, 2)",
                                                 NULL, &error));
  g_assert_true (bfk_store_commit (f->store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (nonce_of (f, ids[0]), ==, 7);
  g_assert_cmpuint (nonce_of (f, ids[2]), ==, 8);
  g_assert_cmpuint (nonce_of (f, ids[3]), ==, 9);
  g_assert_cmpuint (nonce_of (f, enqueue (f, 9)), ==, 10);

  failed = bfk_outbox_get (f->store, ids[1], &error);
  g_assert_cmpint (failed->state, ==, BFK_OP_FAILED);
  g_assert_cmpint (failed->failure_class, ==, BFK_FAILURE_REVERTED);
  g_assert_cmpstr (failed->reason, ==, "CrossCommunity(1, 2)");

  g_assert_true (bfk_outbox_count_by_state (f->store, counts, &error));
  g_assert_cmpuint (counts[BFK_OP_QUEUED], ==, 4);
  g_assert_cmpuint (counts[BFK_OP_FAILED], ==, 1);
  recent = bfk_outbox_list_recent (f->store, 2, &error);
  g_assert_cmpuint (recent->len, ==, 2);
  g_assert_cmpint (((BfkOpInfo *) g_ptr_array_index (recent, 1))->id, ==, ids[3]);
}

/* Inside the caller's transaction: rolled back with it. */
static void
test_enqueue_in_caller_transaction (Fixture       *f,
                                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint64 counts[BFK_OP_N_STATES];

  g_assert_true (bfk_store_exec (f->store, "INSERT INTO signers VALUES "
                                 "('0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266', 0)", &error));
  g_assert_true (bfk_store_begin (f->store, &error));
  enqueue (f, 1);
  bfk_store_rollback (f->store);
  g_assert_true (bfk_outbox_count_by_state (f->store, counts, &error));
  g_assert_cmpuint (counts[BFK_OP_QUEUED], ==, 0);
  g_assert_cmpuint (nonce_of (f, enqueue (f, 2)), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/outbox/names", test_names);
  g_test_add_func ("/outbox/classes", test_classes);
  g_test_add_func ("/outbox/config", test_config);
  g_test_add ("/outbox/enqueue-needs-node-first", Fixture, NULL, fixture_set_up,
              test_enqueue_needs_node_first, fixture_tear_down);
  g_test_add ("/outbox/nonces", Fixture, NULL, fixture_set_up, test_nonces, fixture_tear_down);
  g_test_add ("/outbox/enqueue-in-caller-transaction", Fixture, NULL, fixture_set_up,
              test_enqueue_in_caller_transaction, fixture_tear_down);
  return g_test_run ();
}
