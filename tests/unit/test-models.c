/* test-models.c: the virtual list models over a read-only store.
 *
 * Rows are written with SQL on the writer connection, as the backend and
 * the follower would; the models read them on a second, read-only one.
 * Checked: counts, items and their order, filters, search, sorts, the end
 * of the list, the exact items-changed of a refresh, and that walking
 * 100,000 rows holds only a few pages of them.
 */
#include "bfk-member-model.h"
#include "bfk-operation-model.h"
#include "../lib/bfk-test-tmp.h"

typedef struct
{
  gchar    *dir;
  gchar    *path;
  BfkStore *writer;
  BfkStore *reader;
  GArray   *changes;   /* guint triples: position, removed, added */
} Fixture;

static void
exec_ok (Fixture     *f,
         const gchar *sql)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (bfk_store_exec (f->writer, sql, &error));
  g_assert_no_error (error);
}

/* A member, and its account unless balance is negative (not yet on chain). */
static void
add_member (Fixture     *f,
            gint64       id,
            const gchar *name,
            const gchar *phone,
            guint64      community,
            gint64       balance,
            gint64       created_at)
{
  g_autofree gchar *member = NULL;
  g_autofree gchar *account = NULL;
  g_autofree gchar *phone_sql = phone ? g_strdup_printf ("'%s'", phone) : g_strdup ("NULL");

  member = g_strdup_printf ("INSERT INTO members (id, phone, name, community_id, address, created_at,"
                            " last_seen_at) VALUES (%" G_GINT64_FORMAT ", %s, '%s', %" G_GUINT64_FORMAT
                            ", '0x%040" G_GINT64_MODIFIER "x', %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ")",
                            id, phone_sql, name, community, id, created_at, created_at + 5);
  exec_ok (f, member);
  if (balance < 0)
    return;
  account = g_strdup_printf ("INSERT INTO accounts (address, community_id, balance, escrow, reputation,"
                             " registered_block) VALUES ('0x%040" G_GINT64_MODIFIER "x', %"
                             G_GUINT64_FORMAT ", %" G_GINT64_FORMAT ", 3, 9, 1)",
                             id, community, balance);
  exec_ok (f, account);
}

static void
add_operation (Fixture     *f,
               gint64       id,
               const gchar *kind,
               const gchar *state,
               guint64      community)
{
  g_autofree gchar *sql =
    g_strdup_printf ("INSERT INTO operations (id, kind, signer, nonce, target, calldata, summary,"
                     " community_id, amount, state, attempts, tx_hash, fee_paid, created_at,"
                     " updated_at) VALUES (%" G_GINT64_FORMAT ", '%s', '0xsigner', %" G_GINT64_FORMAT
                     ", '0xtarget', x'00', 'op %" G_GINT64_FORMAT "', %" G_GUINT64_FORMAT
                     ", %" G_GINT64_FORMAT ", '%s', 2, '0xhash%" G_GINT64_FORMAT "', '21000', %"
                     G_GINT64_FORMAT ", %" G_GINT64_FORMAT ")",
                     id, kind, id, id, community, id * 10, state, id, 1000 + id, 1000 + id);

  exec_ok (f, sql);
}

/* Communities 1 and 2 (3 unknown to the chain); five members. */
static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->writer = bfk_test_store_new ("bfk-models-XXXXXX", &f->dir, &f->path);
  f->changes = g_array_new (FALSE, FALSE, sizeof (guint));
  exec_ok (f, "INSERT INTO communities (id, name, currency_name, currency_symbol) VALUES"
              " (1, 'Banja', 'Fonjoka', 'FJK'), (2, 'Dschang', 'Menoua', 'MNA')");
  add_member (f, 1, "Paul", "+237699001122", 1, 50, 100);
  add_member (f, 2, "marie", "+237677334455", 1, 20, 300);
  add_member (f, 3, "Omar", "+237699887766", 2, 70, 200);
  add_member (f, 4, "ama", NULL, 2, 5, 400);
  add_member (f, 5, "Zoe_50%", "+33612345678", 3, -1, 500);

  f->reader = bfk_store_open (f->path, TRUE, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_array_unref (f->changes);
  bfk_store_close (f->reader);
  bfk_test_store_destroy (f->writer, f->dir, f->path);
}

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Fixture    *f)
{
  guint triple[3] = { position, removed, added };

  g_array_append_vals (f->changes, triple, 3);
}

/* The changes recorded since the last call, as "pos,removed,added;…". */
static gchar *
take_changes (Fixture *f)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i + 2 < f->changes->len; i += 3)
    g_string_append_printf (s, "%u,%u,%u;", g_array_index (f->changes, guint, i),
                            g_array_index (f->changes, guint, i + 1),
                            g_array_index (f->changes, guint, i + 2));
  g_array_set_size (f->changes, 0);
  return g_string_free (s, FALSE);
}

/* The names the model lists, joined by spaces. */
static gchar *
member_names (BfkMemberModel *model)
{
  GString *s = g_string_new (NULL);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (model));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BfkMemberItem) item = g_list_model_get_item (G_LIST_MODEL (model), i);

      g_assert_nonnull (item);
      g_string_append_printf (s, "%s%s", i ? " " : "", bfk_member_item_get_name (item));
    }
  return g_string_free (s, FALSE);
}

static gchar *
operation_ids (BfkOperationModel *model)
{
  GString *s = g_string_new (NULL);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (model));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BfkOperationItem) item = g_list_model_get_item (G_LIST_MODEL (model), i);

      g_string_append_printf (s, "%s%" G_GINT64_FORMAT, i ? " " : "",
                              bfk_operation_item_get_id (item));
    }
  return g_string_free (s, FALSE);
}

static BfkMemberModel *
member_model (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  BfkMemberModel *model = bfk_member_model_new (f->reader, &error);

  g_assert_no_error (error);
  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), f);
  return model;
}

static void
refresh_members (BfkMemberModel *model)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (bfk_member_model_refresh (model, &error));
  g_assert_no_error (error);
}

#define assert_names(model, expected)                   \
  G_STMT_START {                                        \
    g_autofree gchar *names_ = member_names (model);    \
    g_assert_cmpstr (names_, ==, expected);             \
  } G_STMT_END

#define assert_changes(f, expected)                     \
  G_STMT_START {                                        \
    g_autofree gchar *changes_ = take_changes (f);      \
    g_assert_cmpstr (changes_, ==, expected);           \
  } G_STMT_END

static void
test_members_items (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(BfkMemberModel) model = member_model (f);
  g_autoptr(BfkMemberItem) marie = NULL;
  g_autoptr(BfkMemberItem) zoe = NULL;
  g_autofree gchar *community = NULL;
  gint64 balance = 0;

  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (model)) == BFK_TYPE_MEMBER_ITEM);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 5);
  /* By name, whatever the case. */
  assert_names (model, "ama marie Omar Paul Zoe_50%");
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (model), 5));
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (model), G_MAXUINT));

  marie = g_list_model_get_item (G_LIST_MODEL (model), 1);
  g_assert_cmpint (bfk_member_item_get_id (marie), ==, 2);
  g_assert_cmpstr (bfk_member_item_get_phone (marie), ==, "+237677334455");
  g_assert_cmpuint (bfk_member_item_get_community_id (marie), ==, 1);
  g_assert_cmpstr (bfk_member_item_get_community (marie), ==, "Banja");
  g_assert_cmpint (bfk_member_item_get_balance (marie), ==, 20);
  g_assert_cmpint (bfk_member_item_get_escrow (marie), ==, 3);
  g_assert_cmpint (bfk_member_item_get_reputation (marie), ==, 9);
  g_assert_cmpint (bfk_member_item_get_created_at (marie), ==, 300);
  g_assert_cmpint (bfk_member_item_get_last_seen (marie), ==, 305);
  g_object_get (marie, "community", &community, "balance", &balance, NULL);
  g_assert_cmpstr (community, ==, "Banja");
  g_assert_cmpint (balance, ==, 20);

  /* Not on chain yet, in a community the chain has not told us of. */
  zoe = g_list_model_get_item (G_LIST_MODEL (model), 4);
  g_assert_null (bfk_member_item_get_community (zoe));
  g_assert_cmpint (bfk_member_item_get_balance (zoe), ==, 0);
  assert_changes (f, "");
}

static void
test_members_filters (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(BfkMemberModel) model = member_model (f);

  bfk_member_model_set_community (model, 2);
  refresh_members (model);
  assert_names (model, "ama Omar");

  /* "mar" is in marie and in Omar, whatever the case; not in community 2's
   * marie, who is in 1. */
  bfk_member_model_set_search (model, "MAR");
  refresh_members (model);
  assert_names (model, "Omar");
  bfk_member_model_set_community (model, 0);
  refresh_members (model);
  assert_names (model, "marie Omar");

  /* Digits find phone numbers, in any spelling. */
  bfk_member_model_set_search (model, " 699 00-11 ");
  refresh_members (model);
  assert_names (model, "Paul");
  bfk_member_model_set_search (model, "699");
  refresh_members (model);
  assert_names (model, "Omar Paul");

  /* LIKE's wildcards are letters like any other. */
  bfk_member_model_set_search (model, "%");
  refresh_members (model);
  assert_names (model, "Zoe_50%");
  bfk_member_model_set_search (model, "_");
  refresh_members (model);
  assert_names (model, "Zoe_50%");
  bfk_member_model_set_search (model, "nobody");
  refresh_members (model);
  assert_names (model, "");
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (model), 0));

  bfk_member_model_set_search (model, "");
  refresh_members (model);
  assert_names (model, "ama marie Omar Paul Zoe_50%");
}

static void
test_members_sorts (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(BfkMemberModel) model = member_model (f);

  bfk_member_model_set_sort (model, BFK_MEMBER_SORT_NAME, TRUE);
  refresh_members (model);
  assert_names (model, "Zoe_50% Paul Omar marie ama");
  bfk_member_model_set_sort (model, BFK_MEMBER_SORT_BALANCE, FALSE);
  refresh_members (model);
  assert_names (model, "Zoe_50% ama marie Paul Omar");
  bfk_member_model_set_sort (model, BFK_MEMBER_SORT_BALANCE, TRUE);
  refresh_members (model);
  assert_names (model, "Omar Paul marie ama Zoe_50%");
  bfk_member_model_set_sort (model, BFK_MEMBER_SORT_JOINED, FALSE);
  refresh_members (model);
  assert_names (model, "Paul Omar marie ama Zoe_50%");
  bfk_member_model_set_sort (model, BFK_MEMBER_SORT_JOINED, TRUE);
  refresh_members (model);
  assert_names (model, "Zoe_50% ama marie Omar Paul");
}

static void
test_members_refresh (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(BfkMemberModel) model = member_model (f);
  g_autoptr(BfkMemberItem) before = g_list_model_get_item (G_LIST_MODEL (model), 3);
  g_autoptr(BfkMemberItem) after = NULL;

  /* Nothing changed: no signal at all. */
  refresh_members (model);
  assert_changes (f, "");

  /* One new row between marie and Omar. */
  add_member (f, 6, "Nadia", NULL, 1, 30, 600);
  refresh_members (model);
  assert_changes (f, "2,0,1;");
  assert_names (model, "ama marie Nadia Omar Paul Zoe_50%");

  /* Two new rows at the ends, in one refresh: one span covers both. */
  add_member (f, 7, "Aaron", NULL, 1, 1, 700);
  add_member (f, 8, "Zz", NULL, 1, 1, 800);
  refresh_members (model);
  assert_changes (f, "0,6,8;");

  /* A row that moves in the balance order: from position 1 to 4. */
  bfk_member_model_set_sort (model, BFK_MEMBER_SORT_BALANCE, FALSE);
  refresh_members (model);
  g_array_set_size (f->changes, 0);
  assert_names (model, "Zoe_50% Aaron Zz ama marie Nadia Paul Omar");
  exec_ok (f, "UPDATE accounts SET balance = 25 WHERE address = '0x" "0000000000000000000000000000000000000007'");
  refresh_members (model);
  assert_changes (f, "1,4,4;");
  assert_names (model, "Zoe_50% Zz ama marie Aaron Nadia Paul Omar");

  /* A row that stays in place: no signal, but a fresh item when read again
   * (the old one is a snapshot). */
  g_clear_object (&before);
  before = g_list_model_get_item (G_LIST_MODEL (model), 3);
  exec_ok (f, "UPDATE members SET last_seen_at = 999 WHERE id = 2");
  refresh_members (model);
  assert_changes (f, "");
  after = g_list_model_get_item (G_LIST_MODEL (model), 3);
  g_assert_cmpint (bfk_member_item_get_last_seen (before), ==, 305);
  g_assert_cmpint (bfk_member_item_get_last_seen (after), ==, 999);

  /* Removed from the end. */
  exec_ok (f, "DELETE FROM accounts WHERE address = '0x" "0000000000000000000000000000000000000003'");
  exec_ok (f, "DELETE FROM members WHERE id = 3");
  refresh_members (model);
  assert_changes (f, "7,1,0;");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 7);
}

static void
test_operations (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkOperationModel) model = NULL;
  g_autoptr(BfkOperationItem) item = NULL;
  g_autofree gchar *tx_hash = NULL;
  gint attempts = 0;

  add_operation (f, 1, "register_member", "confirmed", 1);
  add_operation (f, 2, "register_member", "queued", 2);
  add_operation (f, 3, "propose_exchange", "sent", 1);
  add_operation (f, 4, "rate", "failed", 1);
  exec_ok (f, "INSERT INTO operations (id, kind, signer, target, calldata, summary, state,"
              " created_at, updated_at) VALUES (5, 'create_community', '0xsigner', '0xt', x'',"
              " 'new', 'queued', 1, 1)");

  model = bfk_operation_model_new (f->reader, &error);
  g_assert_no_error (error);
  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), f);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (model)) == BFK_TYPE_OPERATION_ITEM);

  /* Newest first. */
  g_assert_cmpstr (operation_ids (model), ==, "5 4 3 2 1");
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (model), 5));

  item = g_list_model_get_item (G_LIST_MODEL (model), 1);
  g_assert_cmpint (bfk_operation_item_get_id (item), ==, 4);
  g_assert_cmpint (bfk_operation_item_get_created_at (item), ==, 1004);
  g_assert_cmpstr (bfk_operation_item_get_kind (item), ==, "rate");
  g_assert_cmpstr (bfk_operation_item_get_state (item), ==, "failed");
  g_assert_cmpstr (bfk_operation_item_get_summary (item), ==, "op 4");
  g_assert_cmpuint (bfk_operation_item_get_community_id (item), ==, 1);
  g_assert_cmpint (bfk_operation_item_get_amount (item), ==, 40);
  g_assert_cmpint (bfk_operation_item_get_attempts (item), ==, 2);
  g_assert_cmpstr (bfk_operation_item_get_tx_hash (item), ==, "0xhash4");
  g_assert_cmpstr (bfk_operation_item_get_fee_paid (item), ==, "21000");
  g_object_get (item, "tx-hash", &tx_hash, "attempts", &attempts, NULL);
  g_assert_cmpstr (tx_hash, ==, "0xhash4");
  g_assert_cmpint (attempts, ==, 2);
  g_clear_object (&item);

  /* Of no community, unsigned, moving nothing. */
  item = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_assert_cmpuint (bfk_operation_item_get_community_id (item), ==, 0);
  g_assert_cmpint (bfk_operation_item_get_amount (item), ==, 0);
  g_assert_null (bfk_operation_item_get_tx_hash (item));
  g_assert_null (bfk_operation_item_get_fee_paid (item));

  bfk_operation_model_set_kind (model, "register_member");
  g_assert_true (bfk_operation_model_refresh (model, &error));
  g_assert_cmpstr (operation_ids (model), ==, "2 1");
  bfk_operation_model_set_kind (model, NULL);
  bfk_operation_model_set_community (model, 1);
  g_assert_true (bfk_operation_model_refresh (model, &error));
  g_assert_cmpstr (operation_ids (model), ==, "4 3 1");
  bfk_operation_model_set_community (model, 0);
  bfk_operation_model_set_state (model, "queued");
  g_assert_true (bfk_operation_model_refresh (model, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (operation_ids (model), ==, "5 2");
  g_array_set_size (f->changes, 0);

  /* A new queued operation comes at the top; one sent leaves the list. */
  add_operation (f, 6, "rate", "queued", 2);
  g_assert_true (bfk_operation_model_refresh (model, &error));
  assert_changes (f, "0,0,1;");
  exec_ok (f, "UPDATE operations SET state = 'signed' WHERE id = 5");
  g_assert_true (bfk_operation_model_refresh (model, &error));
  assert_changes (f, "1,1,0;");
  g_assert_cmpstr (operation_ids (model), ==, "6 2");
}

static void
weak_notify_count (gpointer  data,
                   GObject  *where)
{
  (*(guint *) data)++;
}

/* 100,000 members, walked from first to last: never more than a few pages
 * held, and the items of pages left behind are freed. */
static void
test_members_large (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkMemberModel) model = NULL;
  sqlite3_stmt *stmt;
  g_autofree gchar *previous = NULL;
  guint max_pages = 0, freed = 0;
  const guint n = 100000;

  g_assert_true (bfk_store_begin (f->writer, &error));
  stmt = bfk_store_prepare (f->writer,
                            "INSERT INTO members (name, community_id, address, created_at)"
                            " VALUES (printf ('m%06d', ?1), 4, printf ('0xbig%d', ?1), ?1)",
                            &error);
  g_assert_no_error (error);
  for (guint i = 0; i < n; i++)
    {
      /* Inserted out of name order, so that the index has work to do. */
      sqlite3_bind_int (stmt, 1, (int) ((i * 7919u) % n));
      g_assert_true (bfk_store_step_done (f->writer, stmt, &error));
    }
  g_assert_true (bfk_store_commit (f->writer, &error));
  g_assert_no_error (error);

  model = bfk_member_model_new (f->reader, &error);
  g_assert_no_error (error);
  /* A search that matches them all shows the first ones, in order, and
   * says there are more. */
  bfk_member_model_set_community (model, 4);
  bfk_member_model_set_search (model, "M0");
  g_assert_true (bfk_member_model_refresh (model, &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, BFK_MEMBER_MODEL_SEARCH_LIMIT);
  g_assert_true (bfk_member_model_get_capped (model));
  {
    g_autoptr(BfkMemberItem) last = g_list_model_get_item (G_LIST_MODEL (model),
                                                           BFK_MEMBER_MODEL_SEARCH_LIMIT - 1);

    g_assert_cmpstr (bfk_member_item_get_name (last), ==, "m009999");
  }
  /* A narrower one is whole, through the trigram index. */
  bfk_member_model_set_search (model, "m0999");
  g_assert_true (bfk_member_model_refresh (model, &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 100);
  g_assert_false (bfk_member_model_get_capped (model));

  /* A filter that keeps every row: the index has all. */
  bfk_member_model_set_search (model, NULL);
  g_assert_true (bfk_member_model_refresh (model, &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, n);
  g_assert_false (bfk_member_model_get_capped (model));
  g_assert_cmpuint (bfk_paged_model_cached_pages (BFK_PAGED_MODEL (model)), ==, 0);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BfkMemberItem) item = g_list_model_get_item (G_LIST_MODEL (model), i);
      const gchar *name = bfk_member_item_get_name (item);

      /* Only the first item of each page is watched: enough to see pages go. */
      if (i % BFK_PAGED_MODEL_PAGE_SIZE == 0)
        g_object_weak_ref (G_OBJECT (item), weak_notify_count, &freed);
      if (previous)
        g_assert_cmpstr (previous, <, name);
      g_free (previous);
      previous = g_strdup (name);
      max_pages = MAX (max_pages, bfk_paged_model_cached_pages (BFK_PAGED_MODEL (model)));
    }
  g_assert_cmpstr (previous, ==, "m099999");
  g_assert_cmpuint (max_pages, <=, 8);
  g_assert_cmpuint (max_pages, >=, 2);
  /* Every page but the ones still cached has been freed. */
  g_assert_cmpuint (freed, ==, (n + BFK_PAGED_MODEL_PAGE_SIZE - 1) / BFK_PAGED_MODEL_PAGE_SIZE
                               - bfk_paged_model_cached_pages (BFK_PAGED_MODEL (model)));
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (model), n));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/models/members/items", Fixture, NULL, fixture_setup, test_members_items, fixture_teardown);
  g_test_add ("/models/members/filters", Fixture, NULL, fixture_setup, test_members_filters, fixture_teardown);
  g_test_add ("/models/members/sorts", Fixture, NULL, fixture_setup, test_members_sorts, fixture_teardown);
  g_test_add ("/models/members/refresh", Fixture, NULL, fixture_setup, test_members_refresh, fixture_teardown);
  g_test_add ("/models/members/large", Fixture, NULL, fixture_setup, test_members_large, fixture_teardown);
  g_test_add ("/models/operations", Fixture, NULL, fixture_setup, test_operations, fixture_teardown);
  return g_test_run ();
}
