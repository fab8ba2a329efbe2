/* test-bafokactl-directory.c: a coordinator looking members up and taking
 * spreadsheets away with bafokactl: `members`, `member WHO` and `export
 * members|transactions --csv`, after enrolling with `member add` and
 * `import members`.
 *
 * These verbs read what the follower derived from the chain (accounts,
 * community names).  With no backend running, bafokactl brings that view
 * up to the chain's head itself before it answers. */
#include "bfk-csv.h"
#include "bfk-test-chain.h"
#include "bfk-test-ctl.h"

#include <string.h>
#include <unistd.h>

static gchar *data_dir;
static BfkLocalNode *node;
static gchar *marie;   /* Marie's address */

static gchar *
write_file (const gchar *name,
            const gchar *contents)
{
  gchar *path = g_build_filename (data_dir, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  return path;
}

/* `--json members` with up to two options (NULL ends them early). */
static JsonArray *
members_json (BfkCtlRun   *r,
              const gchar *option_1,
              const gchar *value_1,
              const gchar *option_2,
              const gchar *value_2)
{
  bfk_ctl_run (r, data_dir, "--json", "members", option_1, value_1, option_2, value_2, NULL);
  g_assert_cmpint (r->status, ==, 0);
  return json_node_get_array (bfk_ctl_run_json (r));
}

static gchar *
names_of (JsonArray *list)
{
  g_autoptr(GString) s = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (list); i++)
    g_string_append_printf (s, "%s%s", i ? " " : "",
                            json_object_get_string_member (json_array_get_object_element (list, i), "name"));
  return g_strdup (s->str);
}

static void
test_empty (void)
{
  g_auto(BfkCtlRun) r = { 0 };
  g_auto(BfkCtlRun) human = { 0 };
  JsonArray *list = members_json (&r, NULL, NULL, NULL, NULL);

  g_assert_cmpuint (json_array_get_length (list), ==, 0);
  bfk_ctl_run (&human, data_dir, "members", NULL);
  g_assert_cmpint (human.status, ==, 0);
  g_assert_nonnull (strstr (human.out, "No members yet"));
}

static void
test_enrol (void)
{
  g_autofree gchar *csv = write_file ("village.csv",
                                      "phone,name,community\r\n"
                                      "+237600000001,Awa,2\r\n"
                                      "+237600000002,Bob_1,1\r\n");
  g_auto(BfkCtlRun) r = { 0 };
  JsonObject *member;
  JsonArray *list;

  bfk_ctl_run (&r, data_dir, "--json", "member", "add", "--phone", "+237 699 00 11 22",
               "--name", "Marie", "--community", "1", NULL);
  g_assert_cmpint (r.status, ==, 0);
  member = json_object_get_object_member (bfk_ctl_run_object (&r), "member");
  marie = g_strdup (json_object_get_string_member (member, "address"));

  bfk_ctl_run (&r, data_dir, "--json", "import", "members", "--csv", csv, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpint (json_object_get_int_member (bfk_ctl_run_object (&r), "added"), ==, 2);

  /* Mined; no backend follows the chain, so bafokactl reads it first. */
  list = members_json (&r, NULL, NULL, NULL, NULL);
  g_assert_cmpuint (json_array_get_length (list), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      JsonObject *o = json_array_get_object_element (list, i);

      g_assert_true (json_object_get_boolean_member (o, "on_chain"));
      g_assert_cmpint (json_object_get_int_member (o, "balance"), ==, 1000);
    }
}

static void
test_members (void)
{
  g_auto(BfkCtlRun) r = { 0 };
  g_auto(BfkCtlRun) human = { 0 };
  g_autofree gchar *all = NULL;
  g_autofree gchar *one = NULL;
  g_autofree gchar *page = NULL;
  JsonArray *list;
  JsonObject *o = NULL;


  list = members_json (&r, NULL, NULL, NULL, NULL);
  all = names_of (list);
  g_assert_cmpstr (all, ==, "Awa Bob_1 Marie");
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *m = json_array_get_object_element (list, i);

      /* The initial grant, once registered. */
      g_assert_true (json_object_get_boolean_member (m, "on_chain"));
      g_assert_cmpint (json_object_get_int_member (m, "balance"), ==, 1000);
      g_assert_cmpint (json_object_get_int_member (m, "escrow"), ==, 0);
      if (g_str_equal (json_object_get_string_member (m, "name"), "Marie"))
        o = m;
    }
  g_assert_nonnull (o);
  g_assert_cmpstr (json_object_get_string_member (o, "phone"), ==, "+237699001122");
  g_assert_cmpstr (json_object_get_string_member (o, "address"), ==, marie);
  g_assert_cmpint (json_object_get_int_member (o, "community_id"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (o, "community"), ==, "Fondjomenkwet");
  g_assert_cmpstr (json_object_get_string_member (o, "currency"), ==, "Fonjoka");
  g_assert_cmpstr (json_object_get_string_member (o, "language"), ==, "fr");
  g_assert_cmpint (json_object_get_int_member (o, "last_seen"), ==, 0);

  list = members_json (&r, "--community", "1", NULL, NULL);
  one = names_of (list);
  g_assert_cmpstr (one, ==, "Bob_1 Marie");
  list = members_json (&r, "--limit", "1", "--offset", "1");
  page = names_of (list);
  g_assert_cmpstr (page, ==, "Bob_1");

  bfk_ctl_run (&human, data_dir, "members", NULL);
  g_assert_cmpint (human.status, ==, 0);
  g_assert_nonnull (strstr (human.out, "BALANCE"));
  g_assert_nonnull (strstr (human.out, "+237699001122"));
  g_assert_nonnull (strstr (human.out, "registered"));
  g_assert_null (strstr (human.out, "pending"));

  /* Past the last page: members exist, so no invitation to add some. */
  bfk_ctl_run (&human, data_dir, "members", "--offset", "3", NULL);
  g_assert_cmpint (human.status, ==, 0);
  g_assert_nonnull (strstr (human.out, "No members after the first 3"));
}

static void
test_member (void)
{
  g_auto(BfkCtlRun) r = { 0 };
  JsonObject *o;

  bfk_ctl_run (&r, data_dir, "--json", "member", "marie", NULL);
  g_assert_cmpint (r.status, ==, 0);
  o = json_object_get_object_member (bfk_ctl_run_object (&r), "member");
  g_assert_cmpstr (json_object_get_string_member (o, "name"), ==, "Marie");
  g_assert_cmpstr (json_object_get_string_member (o, "address"), ==, marie);
  g_assert_true (json_object_get_boolean_member (o, "on_chain"));
  g_assert_cmpint (json_object_get_int_member (o, "balance"), ==, 1000);
  g_assert_cmpstr (json_object_get_string_member (o, "community"), ==, "Fondjomenkwet");
  {
    JsonArray *ops = json_object_get_array_member (bfk_ctl_run_object (&r), "operations");
    JsonObject *reg;

    g_assert_cmpuint (json_array_get_length (ops), ==, 1);
    reg = json_array_get_object_element (ops, 0);
    g_assert_cmpstr (json_object_get_string_member (reg, "kind"), ==, "register_member");
    g_assert_cmpstr (json_object_get_string_member (reg, "state"), ==, "confirmed");
    /* Enrolled by a coordinator: no WhatsApp message yet. */
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (bfk_ctl_run_object (&r),
                                                                            "messages")), ==, 0);
  }

  bfk_ctl_run (&r, data_dir, "--json", "member", marie, NULL);
  g_assert_cmpint (r.status, ==, 0);
  o = json_object_get_object_member (bfk_ctl_run_object (&r), "member");
  g_assert_cmpstr (json_object_get_string_member (o, "phone"), ==, "+237699001122");

  bfk_ctl_run (&r, data_dir, "member", "+237 6 99 00 11 22", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "Marie (member "));
  g_assert_nonnull (strstr (r.out, "+237699001122"));
  g_assert_nonnull (strstr (r.out, "1 Fondjomenkwet"));
  g_assert_nonnull (strstr (r.out, marie));
  g_assert_nonnull (strstr (r.out, "1000 Fonjoka, 0 held"));
  g_assert_null (strstr (r.out, "pending"));

  bfk_ctl_run (&r, data_dir, "member", "Nobody", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "No member is called Nobody"));
  bfk_ctl_run (&r, data_dir, "--json", "member", "+237 6 00 00 00 09", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_true (json_object_has_member (bfk_ctl_run_object (&r), "error"));
}

static GPtrArray *
read_csv (const gchar *path)
{
  g_autofree gchar *text = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;
  GPtrArray *records;

  g_assert_true (g_file_get_contents (path, &text, &len, &error));
  records = bfk_csv_parse (text, len, &error);
  g_assert_no_error (error);
  return records;
}

static void
test_export_members (void)
{
  g_autofree gchar *path = g_build_filename (data_dir, "members.csv", NULL);
  g_auto(BfkCtlRun) r = { 0 };
  g_autoptr(GPtrArray) records = NULL;
  const BfkCsvRecord *header, *row;
  JsonObject *o;

  bfk_ctl_run (&r, data_dir, "--json", "export", "members", "--csv", path, NULL);
  g_assert_cmpint (r.status, ==, 0);
  o = bfk_ctl_run_object (&r);
  g_assert_cmpstr (json_object_get_string_member (o, "file"), ==, path);
  g_assert_cmpstr (json_object_get_string_member (o, "what"), ==, "members");

  records = read_csv (path);
  g_assert_cmpuint (records->len, ==, 4);
  header = g_ptr_array_index (records, 0);
  g_assert_cmpstr (header->fields[1], ==, "phone");
  g_assert_cmpstr (header->fields[2], ==, "name");
  g_assert_cmpstr (header->fields[6], ==, "on_chain");
  g_assert_cmpstr (header->fields[7], ==, "balance");
  /* By id: Marie was added first, then Awa and Bob_1 from the file. */
  row = g_ptr_array_index (records, 1);
  g_assert_cmpstr (row->fields[2], ==, "Marie");
  g_assert_cmpstr (row->fields[1], ==, "+237699001122");
  g_assert_cmpstr (row->fields[3], ==, "1");
  g_assert_cmpstr (row->fields[4], ==, "Fondjomenkwet");
  g_assert_cmpstr (row->fields[5], ==, marie);
  g_assert_cmpstr (row->fields[6], ==, "yes");
  g_assert_cmpstr (row->fields[7], ==, "1000");
  row = g_ptr_array_index (records, 2);
  g_assert_cmpstr (row->fields[2], ==, "Awa");
  g_assert_cmpstr (row->fields[3], ==, "2");
  g_assert_cmpstr (row->fields[7], ==, "1000");

  /* The export is a file the importer takes back: everyone is already
   * there, so nobody is added and nothing is queued. */
  bfk_ctl_run (&r, data_dir, "--json", "import", "members", "--csv", path, NULL);
  g_assert_cmpint (r.status, ==, 0);
  o = bfk_ctl_run_object (&r);
  g_assert_cmpint (json_object_get_int_member (o, "added"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (o, "duplicates"), ==, 3);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "problems")), ==, 0);
}

static void
test_export_transactions (void)
{
  g_autofree gchar *path = g_build_filename (data_dir, "operations.csv", NULL);
  g_auto(BfkCtlRun) r = { 0 };
  g_auto(BfkCtlRun) to_stdout = { 0 };
  g_autoptr(GPtrArray) records = NULL;
  g_autofree gchar *contents = NULL;
  const BfkCsvRecord *header;

  bfk_ctl_run (&r, data_dir, "export", "transactions", "--csv", path, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, path));

  records = read_csv (path);
  g_assert_cmpuint (records->len, ==, 4);
  header = g_ptr_array_index (records, 0);
  g_assert_cmpstr (header->fields[2], ==, "kind");
  g_assert_cmpstr (header->fields[3], ==, "state");
  g_assert_cmpstr (header->fields[11], ==, "tx_hash");
  for (guint i = 1; i < records->len; i++)
    {
      const BfkCsvRecord *op = g_ptr_array_index (records, i);
      g_autofree gchar *id = g_strdup_printf ("%u", i);

      g_assert_cmpstr (op->fields[0], ==, id);
      g_assert_cmpstr (op->fields[2], ==, "register_member");
      g_assert_cmpstr (op->fields[3], ==, "confirmed");
      g_assert_cmpuint (strlen (op->fields[11]), ==, 66);
      g_assert_cmpstr (op->fields[18], !=, "");
      /* Summaries are what staff see: numbers masked there too. */
      g_assert_null (strstr (op->fields[4], "699001122"));
    }

  /* "-" writes to standard output, which --json would need for itself. */
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  bfk_ctl_run (&to_stdout, data_dir, "export", "transactions", "--csv", "-", NULL);
  g_assert_cmpint (to_stdout.status, ==, 0);
  g_assert_cmpstr (to_stdout.out, ==, contents);
  bfk_ctl_run (&r, data_dir, "--json", "export", "transactions", "--csv", "-", NULL);
  g_assert_cmpint (r.status, ==, 2);
  bfk_ctl_run (&r, data_dir, "export", "everything", "--csv", path, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "members|transactions"));
}

int
main (int argc, char **argv)
{
  g_auto(BfkCtlRun) r = { 0 };
  JsonObject *deployed;
  BfkAddress contract;
  int status;

  g_test_init (&argc, &argv, NULL);
  node = bfk_ctl_test_node_start ("bafokactl-directory-XXXXXX", &data_dir);
  if (!node)
    return 0;

  bfk_ctl_run (&r, data_dir, "--json", "deploy", NULL);
  g_assert_cmpint (r.status, ==, 0);
  deployed = bfk_ctl_run_object (&r);
  g_assert_true (bfk_address_parse (json_object_get_string_member (deployed, "address"), &contract, NULL));

  g_test_add_func ("/bafokactl-directory/empty", test_empty);
  g_test_add_func ("/bafokactl-directory/enrol", test_enrol);
  g_test_add_func ("/bafokactl-directory/members", test_members);
  g_test_add_func ("/bafokactl-directory/member", test_member);
  g_test_add_func ("/bafokactl-directory/export-members", test_export_members);
  g_test_add_func ("/bafokactl-directory/export-transactions", test_export_transactions);
  status = g_test_run ();

  bfk_local_node_stop (node, 0, NULL);
  bfk_local_node_free (node);
  g_free (marie);
  g_free (data_dir);
  return status;
}
