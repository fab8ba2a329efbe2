/* test-audit.c: the audit log of admin actions: recording fills in the
 * time and the user, listing filters and orders newest first, and the
 * table refuses every UPDATE and DELETE. */
#include "bfk-audit.h"
#include "../lib/bfk-test-tmp.h"

#include <string.h>

#define ADMIN  "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
#define BACKER "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"

typedef struct
{
  BfkStore *store;
  gchar    *dir;
  gchar    *path;
} Fixture;

static void
set_up (Fixture       *f,
        gconstpointer  data)
{
  f->store = bfk_test_store_new ("bafoka-audit-XXXXXX", &f->dir, &f->path);
}

static void
tear_down (Fixture       *f,
           gconstpointer  data)
{
  bfk_test_store_destroy (f->store, f->dir, f->path);
}

static gint64
record (Fixture     *f,
        gint64       at,
        const gchar *actor,
        const gchar *action,
        const gchar *subject,
        const gchar *result)
{
  g_autoptr(GError) error = NULL;
  BfkAuditEntry e = {
    .at = at, .actor_address = (gchar *) actor, .source = (gchar *) "bafokactl",
    .action = (gchar *) action, .subject = (gchar *) subject, .result = (gchar *) result,
  };
  gint64 id = bfk_audit_record (f->store, &e, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

/* The subjects of a listing, in order, joined by "|". */
static gchar *
subjects (Fixture     *f,
          const gchar *action,
          const gchar *actor,
          gint64       since,
          guint        limit,
          guint        offset)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = bfk_audit_list (f->store, action, actor, since, limit, offset, &error);
  g_autoptr(GString) out = g_string_new (NULL);

  g_assert_no_error (error);
  g_assert_nonnull (list);
  for (guint i = 0; i < list->len; i++)
    g_string_append_printf (out, "%s%s", i ? "|" : "",
                            ((BfkAuditEntry *) list->pdata[i])->subject);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
test_record_defaults (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  BfkAuditEntry e = {
    .source = (gchar *) "console", .action = (gchar *) "reveal_phone",
    .subject = (gchar *) "+2376…22", .detail = (gchar *) "{\"reason\":\"call\"}",
    .result = (gchar *) "ok",
  };
  gint64 before = bfk_store_now ();
  const BfkAuditEntry *got;

  g_assert_cmpint (bfk_audit_record (f->store, &e, &error), >, 0);
  g_assert_no_error (error);
  list = bfk_audit_list (f->store, NULL, NULL, 0, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  got = list->pdata[0];
  /* Not given: now, and the user this process runs as. */
  g_assert_cmpint (got->at, >=, before);
  g_assert_cmpint (got->at, <=, bfk_store_now ());
  g_assert_cmpstr (got->os_user, ==, g_get_user_name ());
  g_assert_null (got->actor_address);
  g_assert_cmpstr (got->source, ==, "console");
  g_assert_cmpstr (got->action, ==, "reveal_phone");
  g_assert_cmpstr (got->subject, ==, "+2376…22");
  g_assert_cmpstr (got->detail, ==, "{\"reason\":\"call\"}");
  g_assert_cmpstr (got->result, ==, "ok");

  /* Given: kept as they are. */
  e.at = 1700000000;
  e.os_user = (gchar *) "awa";
  g_assert_cmpint (bfk_audit_record (f->store, &e, &error), >, 0);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = bfk_audit_list (f->store, NULL, NULL, 0, 0, 0, &error);
  g_assert_cmpuint (list->len, ==, 2);
  got = list->pdata[1];
  g_assert_cmpint (got->at, ==, 1700000000);
  g_assert_cmpstr (got->os_user, ==, "awa");
}

static void
test_record_refused (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  BfkAuditEntry e = { .source = (gchar *) "cron", .action = (gchar *) "recharge", .result = (gchar *) "ok" };

  /* Only the two front ends write the log, and every entry says what
   * came of it. */
  g_assert_cmpint (bfk_audit_record (f->store, &e, &error), ==, 0);
  g_assert_error (error, BFK_STORE_ERROR, BFK_STORE_ERROR_CONSTRAINT);
  g_clear_error (&error);
  e.source = (gchar *) "bafokactl";
  e.result = NULL;
  g_assert_cmpint (bfk_audit_record (f->store, &e, &error), ==, 0);
  g_assert_error (error, BFK_STORE_ERROR, BFK_STORE_ERROR_CONSTRAINT);
  g_assert_cmpint (bfk_test_query_int (f->store, "SELECT count(*) FROM audit", NULL), ==, 0);
}

static void
test_list_filters_and_order (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree gchar *all = NULL, *recharges = NULL, *by_backer = NULL, *since = NULL;
  g_autofree gchar *page = NULL, *none = NULL, *both = NULL;

  record (f, 1000, ADMIN, "approve_backer", "a", "queued op 1");
  record (f, 3000, BACKER, "recharge", "c", "queued op 3");
  /* Written later, dated earlier: the time orders, not the writing. */
  record (f, 2000, BACKER, "recharge", "b", "failed: over the cap");
  record (f, 3000, ADMIN, "revoke_backer", "d", "queued op 4");

  all = subjects (f, NULL, NULL, 0, 0, 0);
  /* Within one second, the later record first. */
  g_assert_cmpstr (all, ==, "d|c|b|a");
  recharges = subjects (f, "recharge", NULL, 0, 0, 0);
  g_assert_cmpstr (recharges, ==, "c|b");
  /* Addresses match whatever their case. */
  by_backer = subjects (f, NULL, "0x70997970c51812dc3a010c7d01b50e0d17dc79c8", 0, 0, 0);
  g_assert_cmpstr (by_backer, ==, "c|b");
  since = subjects (f, NULL, NULL, 2000, 0, 0);
  g_assert_cmpstr (since, ==, "d|c|b");
  page = subjects (f, NULL, NULL, 0, 2, 1);
  g_assert_cmpstr (page, ==, "c|b");
  both = subjects (f, "recharge", ADMIN, 0, 0, 0);
  g_assert_cmpstr (both, ==, "");
  none = subjects (f, "take_over", NULL, 0, 10, 0);
  g_assert_cmpstr (none, ==, "");
}

static void
assert_append_only (Fixture     *f,
                    const gchar *sql)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (bfk_store_exec (f->store, sql, &error));
  g_assert_error (error, BFK_STORE_ERROR, BFK_STORE_ERROR_CONSTRAINT);
  g_assert_nonnull (strstr (error->message, "the audit log is append-only"));
}

static void
test_append_only (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree gchar *after = NULL;
  gint64 id = record (f, 1000, ADMIN, "recharge", "x", "failed: over the cap");

  record (f, 1001, ADMIN, "recharge", "y", "queued op 2");
  assert_append_only (f, "UPDATE audit SET result = 'ok'");
  assert_append_only (f, "UPDATE audit SET subject = 'z' WHERE id = 1");
  assert_append_only (f, "DELETE FROM audit WHERE id = 1");
  assert_append_only (f, "DELETE FROM audit");

  /* Nothing changed, and the failed statements left no transaction open. */
  g_assert_cmpint (id, ==, 1);
  after = subjects (f, NULL, NULL, 0, 0, 0);
  g_assert_cmpstr (after, ==, "y|x");
  g_assert_cmpint (bfk_test_query_int (f->store, "SELECT count(*) FROM audit WHERE result = 'ok'", NULL), ==, 0);
  g_assert_true (bfk_store_begin (f->store, NULL));
  bfk_store_rollback (f->store);
}

static void
test_in_callers_transaction (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree gchar *after = NULL;

  /* The caller's rollback takes the record with it: an action and its
   * record stand or fall together. */
  g_assert_true (bfk_store_begin (f->store, NULL));
  record (f, 1000, ADMIN, "add_community", "Bana", "ok");
  bfk_store_rollback (f->store);
  g_assert_true (bfk_store_begin (f->store, NULL));
  record (f, 1001, ADMIN, "add_community", "Batoufam", "ok");
  g_assert_true (bfk_store_commit (f->store, NULL));
  after = subjects (f, "add_community", NULL, 0, 0, 0);
  g_assert_cmpstr (after, ==, "Batoufam");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/audit/record-defaults", Fixture, NULL, set_up, test_record_defaults, tear_down);
  g_test_add ("/audit/record-refused", Fixture, NULL, set_up, test_record_refused, tear_down);
  g_test_add ("/audit/list-filters-and-order", Fixture, NULL, set_up, test_list_filters_and_order, tear_down);
  g_test_add ("/audit/append-only", Fixture, NULL, set_up, test_append_only, tear_down);
  g_test_add ("/audit/in-callers-transaction", Fixture, NULL, set_up, test_in_callers_transaction, tear_down);
  return g_test_run ();
}
