/* bench-models.c: the console's list models over a million rows.
 *
 * Fills a store on disk with 1,000,000 members (each with its account) and
 * 1,000,000 operations, in one transaction, then on a read-only connection
 * times what a person waits for: each model's index, its first screen (50
 * items), and a search of "mar" in the members' names; and the peak RSS of
 * all of it.  Targets (issue 5): first screen of Transactions < 1 s, search
 * < 150 ms, RSS < 300 MB.  Prints one JSON object.
 */
#include "bench-fill.h"
#include "bfk-member-model.h"
#include "bfk-operation-model.h"
#include "../lib/bfk-test-tmp.h"

#include <sys/resource.h>

#define N_ROWS 1000000
#define SCREEN 50

static void
check (gboolean  ok,
       GError   *error)
{
  if (!ok)
    g_error ("bench-models: %s", error ? error->message : "failed");
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
  for (guint i = 0; i < MIN (SCREEN, g_list_model_get_n_items (model)); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);

      if (item == NULL)
        g_error ("bench-models: no item %u", i);
    }
}

static gdouble
time_search (BfkMemberModel *members,
             const gchar    *text,
             guint          *found)
{
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  gdouble ms;

  bfk_member_model_set_search (members, text);
  check (bfk_member_model_refresh (members, &error), error);
  first_screen (G_LIST_MODEL (members));
  ms = ms_since (start);
  *found = g_list_model_get_n_items (G_LIST_MODEL (members));
  return ms;
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
  gdouble rare_ms, phone_ms;
  guint rare_found, phone_found;
  guint found;
  struct rusage usage;
  gint64 start;

  writer = bfk_test_store_new ("bench-models-XXXXXX", &dir, &path);
  start = g_get_monotonic_time ();
  bench_fill (writer, N_ROWS);
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

  /* A search is answered when its first screen is there: a common text
   * (the covering index's scan), a rare one and a phone number's digits
   * (the trigram index). */
  search_ms = time_search (members, "mar", &found);
  rare_ms = time_search (members, "Omar12345", &rare_found);
  phone_ms = time_search (members, "+237 6 0012 3456", &phone_found);

  getrusage (RUSAGE_SELF, &usage);
  g_print ("{\"bench\": \"models\", \"rows\": %d, \"fill_s\": %.1f,"
           " \"operations_index_ms\": %.1f, \"operations_first_screen_ms\": %.2f,"
           " \"operations_first_frame_ms\": %.1f,"
           " \"members_index_ms\": %.1f, \"members_first_screen_ms\": %.2f,"
           " \"search_mar_ms\": %.1f, \"search_mar_found\": %u,"
           " \"search_rare_ms\": %.1f, \"search_rare_found\": %u,"
           " \"search_phone_ms\": %.1f, \"search_phone_found\": %u, \"peak_rss_mib\": %.1f}\n",
           N_ROWS, fill_s, ops_index_ms, ops_screen_ms, ops_index_ms + ops_screen_ms,
           members_index_ms, members_screen_ms, search_ms, found, rare_ms, rare_found,
           phone_ms, phone_found, usage.ru_maxrss / 1024.0);

  g_clear_object (&members);
  g_clear_object (&operations);
  bfk_test_store_destroy (reader, g_steal_pointer (&dir), g_steal_pointer (&path));
  return 0;
}
