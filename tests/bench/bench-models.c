/* bench-models.c: the console's list models over a million rows.
 *
 * Fills a store on disk with 1,000,000 members (each with its account) and
 * 1,000,000 operations, in one transaction, then on a read-only connection
 * times what a person waits for: each model's index, its first screen (50
 * items), and a search of "mar" in the members' names; and the peak RSS of
 * all of it.  Targets (issue 5): first screen of Transactions < 1 s, search
 * < 150 ms, RSS < 300 MB.  Prints one JSON object.
 */
#include "bfk-member-model.h"
#include "bfk-operation-model.h"
#include "../lib/bfk-test-tmp.h"

#include <sys/resource.h>

#define N_ROWS 1000000
#define SCREEN 50

static const gchar *const first_names[] = {
  "Marie", "Paul", "Omar", "Ama", "Nadia", "Jean", "Fatou", "Eric",
  "Mariam", "Boris", "Aline", "Samuel", "Grace", "Kofi", "Lucie", "Amadou",
};

static void
check (gboolean  ok,
       GError   *error)
{
  if (!ok)
    g_error ("bench-models: %s", error ? error->message : "failed");
}

static void
fill (BfkStore *store)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *member, *account, *operation;

  check (bfk_store_exec (store, "INSERT INTO communities (id, name, currency_name, currency_symbol)"
                                " VALUES (1, 'Banja', 'Fonjoka', 'FJK'), (2, 'Dschang', 'Menoua', 'MNA')",
                         &error), error);
  check (bfk_store_begin (store, &error), error);
  member = bfk_store_prepare (store, "INSERT INTO members (id, phone, name, community_id, address,"
                                     " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?1)", &error);
  check (member != NULL, error);
  account = bfk_store_prepare (store, "INSERT INTO accounts (address, community_id, balance,"
                                      " registered_block) VALUES (?1, ?2, ?3, 1)", &error);
  check (account != NULL, error);
  operation = bfk_store_prepare (store, "INSERT INTO operations (id, kind, signer, nonce, target,"
                                        " calldata, summary, community_id, amount, state, created_at,"
                                        " updated_at) VALUES (?1, 'propose_exchange', '0xsigner', ?1,"
                                        " '0xtarget', zeroblob (100), 'Exchange', ?2, ?3, 'confirmed',"
                                        " ?1, ?1)", &error);
  check (operation != NULL, error);

  for (gint64 i = 1; i <= N_ROWS; i++)
    {
      gchar phone[32], name[48], address[48];
      gint64 community = 1 + i % 2;

      g_snprintf (phone, sizeof phone, "+2376%08" G_GINT64_FORMAT, i);
      g_snprintf (name, sizeof name, "%s%" G_GINT64_FORMAT,
                  first_names[(i * 7) % G_N_ELEMENTS (first_names)], i);
      g_snprintf (address, sizeof address, "0x%040" G_GINT64_MODIFIER "x", i);

      sqlite3_bind_int64 (member, 1, i);
      sqlite3_bind_text (member, 2, phone, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (member, 3, name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (member, 4, community);
      sqlite3_bind_text (member, 5, address, -1, SQLITE_TRANSIENT);
      check (bfk_store_step_done (store, member, &error), error);

      sqlite3_bind_text (account, 1, address, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (account, 2, community);
      sqlite3_bind_int64 (account, 3, (i * 7919) % 100000);
      check (bfk_store_step_done (store, account, &error), error);

      sqlite3_bind_int64 (operation, 1, i);
      sqlite3_bind_int64 (operation, 2, community);
      sqlite3_bind_int64 (operation, 3, i % 1000);
      check (bfk_store_step_done (store, operation, &error), error);
    }
  check (bfk_store_commit (store, &error), error);
}

static gdouble
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

/* The first screen: what a list view asks for before it draws. */
static void
first_screen (GListModel *model)
{
  for (guint i = 0; i < SCREEN; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);

      if (item == NULL)
        g_error ("bench-models: no item %u", i);
    }
}

int
main (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree gchar *dir = NULL;
  g_autofree gchar *path = NULL;
  g_autoptr(BfkMemberModel) members = NULL;
  g_autoptr(BfkOperationModel) operations = NULL;
  BfkStore *writer, *reader;
  gdouble fill_s, members_index_ms, members_screen_ms, ops_index_ms, ops_screen_ms, search_ms;
  guint found;
  struct rusage usage;
  gint64 start;

  writer = bfk_test_store_new ("bench-models-XXXXXX", &dir, &path);
  start = g_get_monotonic_time ();
  fill (writer);
  fill_s = ms_since (start) / 1000.0;
  /* The console's reader does not share the writer's page cache. */
  bfk_store_close (writer);

  reader = bfk_store_open (path, TRUE, &error);
  check (reader != NULL, error);

  start = g_get_monotonic_time ();
  operations = bfk_operation_model_new (reader, &error);
  check (operations != NULL, error);
  ops_index_ms = ms_since (start);
  start = g_get_monotonic_time ();
  first_screen (G_LIST_MODEL (operations));
  ops_screen_ms = ms_since (start);

  start = g_get_monotonic_time ();
  members = bfk_member_model_new (reader, &error);
  check (members != NULL, error);
  members_index_ms = ms_since (start);
  start = g_get_monotonic_time ();
  first_screen (G_LIST_MODEL (members));
  members_screen_ms = ms_since (start);

  /* A search is answered when its first screen is there. */
  start = g_get_monotonic_time ();
  bfk_member_model_set_search (members, "mar");
  check (bfk_member_model_refresh (members, &error), error);
  first_screen (G_LIST_MODEL (members));
  search_ms = ms_since (start);
  found = g_list_model_get_n_items (G_LIST_MODEL (members));

  getrusage (RUSAGE_SELF, &usage);
  g_print ("{\"bench\": \"models\", \"rows\": %d, \"fill_s\": %.1f,"
           " \"operations_index_ms\": %.1f, \"operations_first_screen_ms\": %.2f,"
           " \"operations_first_frame_ms\": %.1f,"
           " \"members_index_ms\": %.1f, \"members_first_screen_ms\": %.2f,"
           " \"search_mar_ms\": %.1f, \"search_mar_found\": %u, \"peak_rss_mib\": %.1f}\n",
           N_ROWS, fill_s, ops_index_ms, ops_screen_ms, ops_index_ms + ops_screen_ms,
           members_index_ms, members_screen_ms, search_ms, found, usage.ru_maxrss / 1024.0);

  g_clear_object (&members);
  g_clear_object (&operations);
  bfk_test_store_destroy (reader, g_steal_pointer (&dir), g_steal_pointer (&path));
  return 0;
}
