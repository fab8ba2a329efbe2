/* test-enrolment.c: a member and its registration written together, and
 * CSV imports as coordinators' spreadsheets export them.
 *
 * No node: the operator's signer row is seeded, so the outbox never needs
 * to ask for a first nonce.
 */
#include "bfk-contract.h"
#include "bfk-csv.h"
#include "bfk-enrolment.h"
#include "bfk-outbox.h"

#include "test-member-store.h"

#include <string.h>

#define FIRST_NONCE   7
#define N_COMMUNITIES 3

static void
seed_signer (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autofree gchar *address = bfk_address_to_string (&f->operator_address);
  sqlite3_stmt *stmt = bfk_store_prepare (f->store, "INSERT INTO signers (address, next_nonce) "
                                          "VALUES (?, ?)", &error);

  sqlite3_bind_text (stmt, 1, address, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, FIRST_NONCE);
  g_assert_true (bfk_store_step_done (f->store, stmt, &error));
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  seed)
{
  fixture_open (f);
  if (seed)
    seed_signer (f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  seed)
{
  fixture_close (f);
}

/* The member has exactly one operation: a queued registerMember of its
 * address in its community, signed by the operator, sent to the contract.
 * Returns its nonce. */
static guint64
assert_registration (Fixture         *f,
                     const BfkMember *m,
                     gint64           op_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) expected = bfk_contract_encode_register_member (&m->address, m->community_id);
  g_autoptr(BfkOpInfo) info = NULL;
  g_autofree gchar *operator_text = bfk_address_to_string (&f->operator_address);
  sqlite3_stmt *stmt = bfk_store_prepare (f->store, "SELECT id, calldata, target FROM operations "
                                          "WHERE member_id = ?", &error);
  gint64 id;

  sqlite3_bind_int64 (stmt, 1, m->id);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  id = sqlite3_column_int64 (stmt, 0);
  g_assert_cmpmem (sqlite3_column_blob (stmt, 1), sqlite3_column_bytes (stmt, 1),
                   g_bytes_get_data (expected, NULL), g_bytes_get_size (expected));
  g_assert_cmpstr ((const gchar *) sqlite3_column_text (stmt, 2), ==, TEST_CONTRACT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_reset (stmt);
  g_assert_cmpint (id, ==, op_id);

  info = bfk_outbox_get (f->store, op_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (info->kind, ==, BFK_OP_REGISTER_MEMBER);
  g_assert_cmpint (info->state, ==, BFK_OP_QUEUED);
  g_assert_cmpint (info->member_id, ==, m->id);
  g_assert_cmpuint (info->community_id, ==, m->community_id);
  g_assert_cmpstr (info->signer, ==, operator_text);
  return info->nonce;
}

static void
test_add_member (Fixture       *f,
                 gconstpointer  seed)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkMember) m = NULL;
  g_autoptr(BfkMember) again = NULL;
  g_autoptr(BfkOpInfo) info = NULL;
  gint64 op_id = 0, op2 = 0;

  g_assert_true (bfk_enrolment_add_member (f->store, NULL, f->data_key, &f->operator_address,
                                           &f->contract, "+237 6 99 00 11 22", "Marie", 1,
                                           N_COMMUNITIES, &m, &op_id, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (m->phone, ==, "+237699001122");
  g_assert_cmpuint (assert_registration (f, m, op_id), ==, FIRST_NONCE);
  info = bfk_outbox_get (f->store, op_id, &error);
  /* Staff and logs see the summary: the number is masked. */
  g_assert_cmpstr (info->summary, ==, "register Marie (+2376…22) in community 1");

  /* A member without a phone; the next nonce. */
  g_assert_true (bfk_enrolment_add_member (f->store, NULL, f->data_key, &f->operator_address,
                                           &f->contract, NULL, "Paul", 3, N_COMMUNITIES,
                                           &again, &op2, &error));
  g_assert_cmpuint (assert_registration (f, again, op2), ==, FIRST_NONCE + 1);
  g_clear_pointer (&info, bfk_op_info_free);
  info = bfk_outbox_get (f->store, op2, &error);
  g_assert_cmpstr (info->summary, ==, "register Paul in community 3");

  /* Refusals write nothing: neither a member nor an operation. */
  g_assert_false (bfk_enrolment_add_member (f->store, NULL, f->data_key, &f->operator_address,
                                            &f->contract, "00237699001122", "Other", 1,
                                            N_COMMUNITIES, NULL, NULL, &error));
  g_assert_error (error, BFK_MEMBER_ERROR, BFK_MEMBER_ERROR_PHONE_TAKEN);
  g_clear_error (&error);
  g_assert_false (bfk_enrolment_add_member (f->store, NULL, f->data_key, &f->operator_address,
                                            &f->contract, "+237699001199", "marie", 1,
                                            N_COMMUNITIES, NULL, NULL, &error));
  g_assert_error (error, BFK_MEMBER_ERROR, BFK_MEMBER_ERROR_NAME_TAKEN);
  g_clear_error (&error);
  g_assert_false (bfk_enrolment_add_member (f->store, NULL, f->data_key, &f->operator_address,
                                            &f->contract, "+237699001199", "Zoe", 4,
                                            N_COMMUNITIES, NULL, NULL, &error));
  g_assert_error (error, BFK_MEMBER_ERROR, BFK_MEMBER_ERROR_INVALID_COMMUNITY);
  g_assert_cmpstr (error->message, ==, "Community 4 does not exist: choose 1 to 3");
  g_clear_error (&error);
  g_assert_cmpint (fixture_query_int (f, "SELECT count(*) FROM members"), ==, 2);
  g_assert_cmpint (fixture_query_int (f, "SELECT count(*) FROM operations"), ==, 2);
  g_assert_cmpint (fixture_query_int (f, "SELECT next_nonce FROM signers"), ==, FIRST_NONCE + 2);

  /* In the caller's transaction: its rollback takes both away. */
  g_assert_true (bfk_store_begin (f->store, &error));
  g_assert_true (bfk_enrolment_add_member (f->store, NULL, f->data_key, &f->operator_address,
                                           &f->contract, "+237699001199", "Zoe", 2,
                                           N_COMMUNITIES, NULL, NULL, &error));
  g_assert_false (sqlite3_get_autocommit (bfk_store_get_db (f->store)));
  bfk_store_rollback (f->store);
  g_assert_cmpint (fixture_query_int (f, "SELECT count(*) FROM members"), ==, 2);
  g_assert_cmpint (fixture_query_int (f, "SELECT count(*) FROM operations"), ==, 2);
}

/* When the registration cannot be queued, the member is not kept either. */
static void
test_add_member_atomic (Fixture       *f,
                        gconstpointer  seed)
{
  g_autoptr(GError) error = NULL;
  BfkMember *m = NULL;

  /* No signer row and no node: the outbox cannot learn the first nonce. */
  g_assert_false (bfk_enrolment_add_member (f->store, NULL, f->data_key, &f->operator_address,
                                            &f->contract, "+237699001122", "Marie", 1,
                                            N_COMMUNITIES, &m, NULL, &error));
  g_assert_nonnull (error);
  g_assert_null (m);
  g_assert_cmpint (fixture_query_int (f, "SELECT count(*) FROM members"), ==, 0);
  g_assert_cmpint (fixture_query_int (f, "SELECT count(*) FROM operations"), ==, 0);
  g_assert_true (sqlite3_get_autocommit (bfk_store_get_db (f->store)));
}

/* Line numbers as a spreadsheet shows them.  CRLF, a byte order mark, a
 * quoted field holding a line break (lines 10-11). */
static const gchar village_csv[] =
  "\xef\xbb\xbf" "phone,name,community\r\n"        /* 1 */
  "+237 6 99 00 11 22,Marie,1\r\n"                 /* 2 added */
  "\"+237 677 00 00 01\",\"Paul\",2\r\n"           /* 3 added */
  "12345,Jean,1\r\n"                               /* 4 bad phone */
  "+237677000002,Al,1\r\n"                         /* 5 short name */
  "+237677000003,Ama,9\r\n"                        /* 6 unknown community */
  "+237699001122,Marie2,1\r\n"                     /* 7 duplicate: the number of line 2 */
  "+237677000004,MARIE,1\r\n"                      /* 8 duplicate: the name of line 2 */
  "  +237677000005 , Marie ,3\r\n"                 /* 9 added: another community */
  "+237677000006,\"Ko\r\n"                         /* 10 a name with a line break */
  "fi\",1\r\n"                                     /* 11 */
  "+237677000007,,1\r\n"                           /* 12 missing name */
  "+237677000008,Zoe\r\n"                          /* 13 missing community */
  "\r\n"                                           /* 14 */
  "+237677000009,\"Zoe \"\"Z\"\"\",1\r\n"          /* 15 bad name, with quotes */
  "+237677000010,Zoe,1\r\n"                        /* 16 added */
  ",,\r\n";                                        /* 17 blank */

static void
assert_issue (GPtrArray   *issues,
              guint        index,
              guint        line,
              const gchar *fragment)
{
  const BfkEnrolmentIssue *issue;

  g_assert_cmpuint (index, <, issues->len);
  issue = g_ptr_array_index (issues, index);
  g_assert_cmpuint (issue->line, ==, line);
  if (!strstr (issue->message, fragment))
    g_error ("line %u: “%s” does not say “%s”", line, issue->message, fragment);
}

static void
assert_village_problems (BfkEnrolmentResult *r)
{
  g_assert_cmpuint (r->problems->len, ==, 7);
  assert_issue (r->problems, 0, 4, "is not a phone number");
  assert_issue (r->problems, 1, 5, "“Al” cannot be a user name");
  assert_issue (r->problems, 2, 6, "unknown community “9”: choose 1 to 3");
  assert_issue (r->problems, 3, 10, "cannot be a user name");
  assert_issue (r->problems, 4, 12, "missing column: name");
  assert_issue (r->problems, 5, 13, "missing column: community");
  assert_issue (r->problems, 6, 15, "“Zoe \"Z\"” cannot be a user name");
}

static void
test_import (Fixture       *f,
             gconstpointer  seed)
{
  g_autoptr(GError) error = NULL;
  g_auto(BfkEnrolmentResult) r = { 0 };
  const gchar *names[] = { "Marie", "Paul", "Marie", "Zoe" };
  const guint64 communities[] = { 1, 2, 3, 1 };

  g_assert_true (bfk_enrolment_import_csv (f->store, NULL, f->data_key, &f->operator_address,
                                           &f->contract, N_COMMUNITIES, village_csv,
                                           strlen (village_csv), &r, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (r.added, ==, 4);
  g_assert_cmpuint (r.duplicates, ==, 2);
  assert_village_problems (&r);
  g_assert_cmpuint (r.skipped->len, ==, 2);
  assert_issue (r.skipped, 0, 7, "The number +237699001122 is already registered (Marie, community 1)");
  assert_issue (r.skipped, 1, 8, "The name MARIE is already taken in community 1");

  /* Each added member has exactly one registration, nonces in file order. */
  g_assert_cmpuint (r.member_ids->len, ==, 4);
  g_assert_cmpuint (r.op_ids->len, ==, 4);
  for (guint i = 0; i < r.member_ids->len; i++)
    {
      g_autoptr(BfkMember) m = bfk_members_get (f->store, g_array_index (r.member_ids, gint64, i),
                                                &error);

      g_assert_no_error (error);
      g_assert_cmpstr (m->name, ==, names[i]);
      g_assert_cmpuint (m->community_id, ==, communities[i]);
      g_assert_cmpuint (assert_registration (f, m, g_array_index (r.op_ids, gint64, i)), ==,
                        FIRST_NONCE + i);
    }
  g_assert_cmpint (fixture_query_int (f, "SELECT count(*) FROM members"), ==, 4);
  g_assert_cmpint (fixture_query_int (f, "SELECT count(*) FROM operations"), ==, 4);

  /* The same file again: nothing new, every good row a duplicate. */
  g_assert_true (bfk_enrolment_import_csv (f->store, NULL, f->data_key, &f->operator_address,
                                           &f->contract, N_COMMUNITIES, village_csv,
                                           strlen (village_csv), &r, &error));
  g_assert_cmpuint (r.added, ==, 0);
  g_assert_cmpuint (r.duplicates, ==, 6);
  assert_village_problems (&r);
  g_assert_cmpuint (r.op_ids->len, ==, 0);
  g_assert_cmpint (fixture_query_int (f, "SELECT count(*) FROM members"), ==, 4);
  g_assert_cmpint (fixture_query_int (f, "SELECT count(*) FROM operations"), ==, 4);
}

/* A French LibreOffice export: ';', a header in French with the columns in
 * another order, Windows-1252 text, LF line ends, no final newline. */
static void
test_import_french_spreadsheet (Fixture       *f,
                                gconstpointer  seed)
{
  static const gchar csv[] =
    "Nom;T\xe9l\xe9phone;Communaut\xe9\n"
    "Marie;+237 699 00 11 22;1\n"
    "\"Paul\";\"00237677000001\";\"2\"\n"
    "Ren\xe9;+237677000002;1\n"
    "Ama;+237677000003;3";
  g_autoptr(GError) error = NULL;
  g_auto(BfkEnrolmentResult) r = { 0 };
  g_autoptr(BfkMember) paul = NULL;

  g_assert_true (bfk_enrolment_import_csv (f->store, NULL, f->data_key, &f->operator_address,
                                           &f->contract, N_COMMUNITIES, csv, strlen (csv), &r,
                                           &error));
  g_assert_no_error (error);
  g_assert_cmpuint (r.added, ==, 3);
  g_assert_cmpuint (r.duplicates, ==, 0);
  g_assert_cmpuint (r.problems->len, ==, 1);
  assert_issue (r.problems, 0, 4, "“René” cannot be a user name");
  paul = bfk_members_find_by_phone (f->store, "+237677000001", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (paul->name, ==, "Paul");
  g_assert_cmpuint (paul->community_id, ==, 2);
}

/* No header: the columns are phone, name, community. */
static void
test_import_headerless (Fixture       *f,
                        gconstpointer  seed)
{
  /* A member called "Tel" is not a header. */
  static const gchar csv[] = "+237699001122;Tel;1\n+237677000001;Paul;2\n";
  g_autoptr(GError) error = NULL;
  g_auto(BfkEnrolmentResult) r = { 0 };

  g_assert_true (bfk_enrolment_import_csv (f->store, NULL, f->data_key, &f->operator_address,
                                           &f->contract, N_COMMUNITIES, csv, strlen (csv), &r,
                                           &error));
  g_assert_cmpuint (r.added, ==, 2);
  g_assert_cmpuint (r.problems->len, ==, 0);

  /* An empty file enrols nobody, and is not an error. */
  g_assert_true (bfk_enrolment_import_csv (f->store, NULL, f->data_key, &f->operator_address,
                                           &f->contract, N_COMMUNITIES, "", 0, &r, &error));
  g_assert_cmpuint (r.added, ==, 0);
}

static void
test_import_unreadable (Fixture       *f,
                        gconstpointer  seed)
{
  static const gchar no_column[] = "phone,name\n+237699001122,Marie\n";
  static const gchar unclosed[] = "phone,name,community\n+237699001122,Marie,1\n+237677000001,\"Paul,2\n";
  g_autoptr(GError) error = NULL;
  g_auto(BfkEnrolmentResult) r = { 0 };

  g_assert_false (bfk_enrolment_import_csv (f->store, NULL, f->data_key, &f->operator_address,
                                            &f->contract, N_COMMUNITIES, no_column,
                                            strlen (no_column), &r, &error));
  g_assert_error (error, BFK_CSV_ERROR, BFK_CSV_ERROR_COLUMNS);
  g_assert_cmpstr (error->message, ==, "The header row (line 1) has no community column: "
                   "the columns are phone, name, community");
  g_clear_error (&error);

  g_assert_false (bfk_enrolment_import_csv (f->store, NULL, f->data_key, &f->operator_address,
                                            &f->contract, N_COMMUNITIES, unclosed,
                                            strlen (unclosed), &r, &error));
  g_assert_error (error, BFK_CSV_ERROR, BFK_CSV_ERROR_UNCLOSED_QUOTE);
  g_assert_cmpstr (error->message, ==, "Line 3: a quoted field is never closed (a \" is missing)");
  g_assert_cmpint (fixture_query_int (f, "SELECT count(*) FROM members"), ==, 0);
}

/* The outbox failing is not the row's fault: the import stops, keeps what
 * it wrote before, and says so. */
static void
test_import_outbox_failure (Fixture       *f,
                            gconstpointer  seed)
{
  g_autoptr(GError) error = NULL;
  g_auto(BfkEnrolmentResult) r = { 0 };

  g_assert_false (bfk_enrolment_import_csv (f->store, NULL, f->data_key, &f->operator_address,
                                            &f->contract, N_COMMUNITIES, village_csv,
                                            strlen (village_csv), &r, &error));
  g_assert_nonnull (error);
  g_assert_true (g_str_has_prefix (error->message, "Line 2: "));
  g_assert_cmpuint (r.added, ==, 0);
  g_assert_cmpint (fixture_query_int (f, "SELECT count(*) FROM members"), ==, 0);
  g_assert_true (sqlite3_get_autocommit (bfk_store_get_db (f->store)));
}

/* A village of 500, with synchronous=FULL: batched commits keep this well
 * under a second or two even on a slow disk. */
static void
test_import_500 (Fixture       *f,
                 gconstpointer  seed)
{
  g_autoptr(GError) error = NULL;
  g_auto(BfkEnrolmentResult) r = { 0 };
  g_autoptr(GString) csv = g_string_new ("phone,name,community\n");
  gint64 start;
  gdouble seconds;

  for (guint i = 0; i < 500; i++)
    g_string_append_printf (csv, "+2376%08u,member_%u,%u\n", i, i, 1 + i % N_COMMUNITIES);
  /* and one bad row in the middle, which costs the others nothing */
  g_string_append (csv, "+237,bad,1\n");

  start = g_get_monotonic_time ();
  g_assert_true (bfk_enrolment_import_csv (f->store, NULL, f->data_key, &f->operator_address,
                                           &f->contract, N_COMMUNITIES, csv->str, csv->len, &r,
                                           &error));
  seconds = (gdouble) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
  g_test_message ("500 members enrolled in %.3f s (%s)", seconds, f->path);
  g_assert_no_error (error);
  g_assert_cmpuint (r.added, ==, 500);
  g_assert_cmpuint (r.problems->len, ==, 1);
  g_assert_cmpint (fixture_query_int (f, "SELECT count(*) FROM operations"), ==, 500);
  g_assert_cmpint (fixture_query_int (f, "SELECT max(nonce) - min(nonce) + 1 FROM operations"), ==, 500);
  g_assert_cmpfloat (seconds, <, 3.0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func, seed) \
  g_test_add (path, Fixture, GINT_TO_POINTER (seed), fixture_set_up, func, fixture_tear_down)
  ADD ("/enrolment/add-member", test_add_member, TRUE);
  ADD ("/enrolment/add-member-atomic", test_add_member_atomic, FALSE);
  ADD ("/enrolment/import", test_import, TRUE);
  ADD ("/enrolment/import-french-spreadsheet", test_import_french_spreadsheet, TRUE);
  ADD ("/enrolment/import-headerless", test_import_headerless, TRUE);
  ADD ("/enrolment/import-unreadable", test_import_unreadable, TRUE);
  ADD ("/enrolment/import-outbox-failure", test_import_outbox_failure, FALSE);
  ADD ("/enrolment/import-500", test_import_500, TRUE);
#undef ADD
  return g_test_run ();
}
