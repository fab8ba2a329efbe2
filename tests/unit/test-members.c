/* test-members.c: phone and name rules, members in the store, and that no
 * member key is ever in the database file in the clear. */
#define _GNU_SOURCE   /* memmem */
#include "bfk-hex.h"
#include "bfk-members.h"
#include "test-member-store.h"

#include <string.h>

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  fixture_open (f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  fixture_close (f);
}

static BfkMember *
create_ok (Fixture     *f,
           const gchar *phone,
           const gchar *name,
           guint64      community_id)
{
  g_autoptr(GError) error = NULL;
  BfkMember *m = bfk_members_create (f->store, f->data_key, phone, name, community_id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (m);
  return m;
}

static void
test_phone_normalize (void)
{
  const struct { const gchar *in, *out; } good[] = {
    { "+237 6 99 00 11 22", "+237699001122" },
    { "whatsapp:+237699001122", "+237699001122" },
    { "WhatsApp:+237 699-00-11-22", "+237699001122" },
    { "00237699001122", "+237699001122" },
    { "00 237 6 99 00 11 22", "+237699001122" },
    { "  +237 (6) 99.00.11.22  ", "+237699001122" },
    { "+237\xc2\xa0" "699\xc2\xa0" "001122", "+237699001122" },   /* no-break spaces */
    { "+33 6 12 34 56 78", "+33612345678" },
    { "+1-202-555-0123", "+12025550123" },
    { "+23769900", "+23769900" },                           /* 8 digits: the shortest */
    { "+123456789012345", "+123456789012345" },             /* 15: the longest */
  };
  const gchar *bad[] = {
    "", "   ", "699001122", "237699001122", "+237 69900112a", "+0237699001122",
    "+1234567", "+1234567890123456", "++237699001122", "237+699001122", "whatsapp:",
    "phone", "+237 699 001 122 ext 4", "000237699001122", "+", "0",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree gchar *out = bfk_phone_normalize (good[i].in, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (out, ==, good[i].out);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree gchar *out = bfk_phone_normalize (bad[i], &error);

      if (out)
        g_error ("“%s” was accepted as %s", bad[i], out);
      g_assert_error (error, BFK_MEMBER_ERROR, BFK_MEMBER_ERROR_INVALID_PHONE);
      g_assert_nonnull (strstr (error->message, "country code"));
    }
}

static void
test_phone_mask (void)
{
  g_autofree gchar *a = bfk_phone_mask ("+237699001122");
  g_autofree gchar *b = bfk_phone_mask ("+33612345678");
  g_autofree gchar *c = bfk_phone_mask ("garbage");
  g_autofree gchar *d = bfk_phone_mask (NULL);

  g_assert_cmpstr (a, ==, "+2376…22");
  g_assert_cmpstr (b, ==, "+3361…78");
  g_assert_cmpstr (c, ==, "…");
  g_assert_cmpstr (d, ==, "…");
}

static void
test_name_rules (void)
{
  const struct { const gchar *in, *out; } good[] = {
    { "Marie", "Marie" },
    { "jean_paul", "jean_paul" },
    { "abc", "abc" },
    { "  Marie  ", "Marie" },
    { "A2345678901234567890", "A2345678901234567890" },   /* 20 */
    { "___", "___" },
    { "007", "007" },
  };
  const gchar *bad[] = {
    "", "ab", "A23456789012345678901", "Marie-Claire", "Éloïse", "mar ie", "marie!", "*Marie*",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree gchar *out = bfk_member_name_normalize (good[i].in, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (out, ==, good[i].out);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree gchar *out = bfk_member_name_normalize (bad[i], &error);

      g_assert_null (out);
      g_assert_error (error, BFK_MEMBER_ERROR, BFK_MEMBER_ERROR_INVALID_NAME);
    }
}

static void
assert_same (const BfkMember *a,
             const BfkMember *b)
{
  g_assert_nonnull (a);
  g_assert_nonnull (b);
  g_assert_cmpint (a->id, ==, b->id);
  g_assert_cmpstr (a->phone, ==, b->phone);
  g_assert_cmpstr (a->name, ==, b->name);
  g_assert_cmpuint (a->community_id, ==, b->community_id);
  g_assert_true (bfk_address_equal (&a->address, &b->address));
  g_assert_cmpint (a->created_at, ==, b->created_at);
}

static void
test_create_and_find (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkMember) marie = create_ok (f, "+237 6 99 00 11 22", " Marie ", 1);
  g_autoptr(BfkMember) paul = create_ok (f, "whatsapp:+237677000001", "paul", 1);
  g_autoptr(BfkMember) ama = create_ok (f, NULL, "ama", 2);
  g_autoptr(BfkMember) kofi = create_ok (f, NULL, "kofi", 2);   /* two members without a phone */
  g_autoptr(BfkMember) found = NULL;
  g_autoptr(GPtrArray) page = NULL;
  g_autofree gchar *address = bfk_address_to_string (&paul->address);
  g_auto(BfkPrivateKey) key = { 0 };
  BfkAddress derived;
  gint64 now = bfk_store_now ();

  g_assert_cmpint (marie->id, >, 0);
  g_assert_cmpstr (marie->phone, ==, "+237699001122");
  g_assert_cmpstr (marie->name, ==, "Marie");
  g_assert_cmpuint (marie->community_id, ==, 1);
  g_assert_false (bfk_address_is_zero (&marie->address));
  g_assert_false (bfk_address_equal (&marie->address, &paul->address));
  g_assert_cmpint (ABS (marie->created_at - now), <=, 2);
  g_assert_null (ama->phone);

  found = bfk_members_get (f->store, marie->id, &error);
  assert_same (found, marie);
  g_clear_pointer (&found, bfk_member_free);
  found = bfk_members_find_by_phone (f->store, "00237 699 00 11 22", &error);
  assert_same (found, marie);
  g_clear_pointer (&found, bfk_member_free);
  found = bfk_members_find_by_address (f->store, &paul->address, &error);
  assert_same (found, paul);
  g_clear_pointer (&found, bfk_member_free);
  found = bfk_members_find_by_name (f->store, "MARIE", 1, &error);
  assert_same (found, marie);
  g_clear_pointer (&found, bfk_member_free);
  found = bfk_members_find_by_name (f->store, "ama", 0, &error);
  assert_same (found, ama);
  g_clear_pointer (&found, bfk_member_free);
  g_assert_no_error (error);

  /* What bafokactl's "member <phone|address|name>" takes. */
  found = bfk_members_resolve (f->store, address, &error);
  assert_same (found, paul);
  g_clear_pointer (&found, bfk_member_free);
  found = bfk_members_resolve (f->store, "+237 677 000 001", &error);
  assert_same (found, paul);
  g_clear_pointer (&found, bfk_member_free);
  found = bfk_members_resolve (f->store, "Kofi", &error);
  assert_same (found, kofi);
  g_clear_pointer (&found, bfk_member_free);
  g_assert_no_error (error);

  /* Not found, each way. */
  g_assert_null (bfk_members_get (f->store, 999, &error));
  g_assert_error (error, BFK_MEMBER_ERROR, BFK_MEMBER_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (bfk_members_find_by_phone (f->store, "+237699999999", &error));
  g_assert_error (error, BFK_MEMBER_ERROR, BFK_MEMBER_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "No member has the number +237699999999");
  g_clear_error (&error);
  g_assert_null (bfk_members_find_by_name (f->store, "marie", 2, &error));
  g_assert_error (error, BFK_MEMBER_ERROR, BFK_MEMBER_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (bfk_members_find_by_phone (f->store, "not a phone", &error));
  g_assert_error (error, BFK_MEMBER_ERROR, BFK_MEMBER_ERROR_INVALID_PHONE);
  g_clear_error (&error);

  /* Lists, by community and paged, in id order. */
  page = bfk_members_list (f->store, 1, 10, 0, &error);
  g_assert_cmpuint (page->len, ==, 2);
  assert_same (g_ptr_array_index (page, 0), marie);
  assert_same (g_ptr_array_index (page, 1), paul);
  g_clear_pointer (&page, g_ptr_array_unref);
  page = bfk_members_list (f->store, 0, 2, 1, &error);
  g_assert_cmpuint (page->len, ==, 2);
  assert_same (g_ptr_array_index (page, 0), paul);
  assert_same (g_ptr_array_index (page, 1), ama);
  g_clear_pointer (&page, g_ptr_array_unref);
  page = bfk_members_list (f->store, 2, 10, 5, &error);
  g_assert_cmpuint (page->len, ==, 0);
  g_assert_cmpint (bfk_members_count (f->store, 0, &error), ==, 4);
  g_assert_cmpint (bfk_members_count (f->store, 2, &error), ==, 2);
  g_assert_cmpint (bfk_members_count (f->store, 3, &error), ==, 0);
  g_assert_no_error (error);

  /* The sealed key opens with the operator's data key, and is the key of
   * the member's address. */
  g_assert_true (bfk_members_unseal_key (f->store, f->data_key, paul->id, &key, &error));
  g_assert_no_error (error);
  g_assert_true (bfk_private_key_to_address (&key, &derived, &error));
  g_assert_true (bfk_address_equal (&derived, &paul->address));
}

static void
test_unseal_errors (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkMember) m = create_ok (f, "+237699001122", "marie", 1);
  g_autoptr(BfkMember) other = create_ok (f, "+237699001133", "paul", 1);
  g_auto(BfkPrivateKey) key = { 0 };
  guint8 wrong[BFK_DATA_KEY_SIZE];
  sqlite3_stmt *stmt;

  memcpy (wrong, f->data_key, sizeof wrong);
  wrong[0] ^= 1;
  g_assert_false (bfk_members_unseal_key (f->store, wrong, m->id, &key, &error));
  g_assert_error (error, BFK_KEY_BOX_ERROR, BFK_KEY_BOX_ERROR_OPEN);
  g_clear_error (&error);

  g_assert_false (bfk_members_unseal_key (f->store, f->data_key, 999, &key, &error));
  g_assert_error (error, BFK_MEMBER_ERROR, BFK_MEMBER_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* A box copied onto another member's row does not open there. */
  g_assert_true (bfk_store_exec (f->store, "UPDATE members SET key_box = "
                                 "(SELECT key_box FROM members WHERE name = 'marie') "
                                 "WHERE name = 'paul'", &error));
  g_assert_false (bfk_members_unseal_key (f->store, f->data_key, other->id, &key, &error));
  g_assert_error (error, BFK_KEY_BOX_ERROR, BFK_KEY_BOX_ERROR_OPEN);
  g_clear_error (&error);

  /* Custody handed over: no key held any more. */
  stmt = bfk_store_prepare (f->store, "UPDATE members SET key_box = NULL WHERE id = ?", &error);
  sqlite3_bind_int64 (stmt, 1, m->id);
  g_assert_true (bfk_store_step_done (f->store, stmt, &error));
  g_assert_false (bfk_members_unseal_key (f->store, f->data_key, m->id, &key, &error));
  g_assert_error (error, BFK_MEMBER_ERROR, BFK_MEMBER_ERROR_NO_KEY);
}

static void
test_duplicates (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkMember) marie = create_ok (f, "+237699001122", "Marie", 1);
  g_autoptr(BfkMember) marie2 = NULL;
  g_autoptr(BfkMember) found = NULL;
  BfkMember *m;

  /* The same number however it is written. */
  m = bfk_members_create (f->store, f->data_key, "whatsapp:00237 6 99 00 11 22", "paul", 1, &error);
  g_assert_null (m);
  g_assert_error (error, BFK_MEMBER_ERROR, BFK_MEMBER_ERROR_PHONE_TAKEN);
  g_assert_cmpstr (error->message, ==,
                   "The number +237699001122 is already registered (Marie, community 1)");
  g_clear_error (&error);

  /* Once the follower has seen the community, its name is used. */
  g_assert_true (bfk_store_exec (f->store, "INSERT INTO communities (id, name, currency_name, "
                                 "currency_symbol) VALUES (1, 'Fondjomenkwet', 'Fonjoka', 'FJK')",
                                 &error));
  m = bfk_members_create (f->store, f->data_key, "+237699001122", "paul", 2, &error);
  g_assert_null (m);
  g_assert_cmpstr (error->message, ==,
                   "The number +237699001122 is already registered (Marie, Fondjomenkwet)");
  g_clear_error (&error);

  /* Names are unique in a community whatever their case. */
  m = bfk_members_create (f->store, f->data_key, "+237699001133", "marie", 1, &error);
  g_assert_null (m);
  g_assert_error (error, BFK_MEMBER_ERROR, BFK_MEMBER_ERROR_NAME_TAKEN);
  g_assert_true (g_str_has_prefix (error->message, "The name marie is already taken in community 1"));
  g_clear_error (&error);

  /* but another community may have its own Marie. */
  marie2 = create_ok (f, "+237699001133", "MARIE", 2);
  g_assert_null (bfk_members_find_by_name (f->store, "marie", 0, &error));
  g_assert_error (error, BFK_MEMBER_ERROR, BFK_MEMBER_ERROR_AMBIGUOUS);
  g_assert_cmpstr (error->message, ==, "The name marie is used in communities 1, 2: say which community");
  g_clear_error (&error);
  found = bfk_members_find_by_name (f->store, "marie", 2, &error);
  g_assert_no_error (error);
  g_assert_cmpint (found->id, ==, marie2->id);

  /* Nothing was written by the failures; no community 0. */
  g_assert_cmpint (bfk_members_count (f->store, 0, &error), ==, 2);
  g_assert_null (bfk_members_create (f->store, f->data_key, NULL, "nobody", 0, &error));
  g_assert_error (error, BFK_MEMBER_ERROR, BFK_MEMBER_ERROR_INVALID_COMMUNITY);
  g_clear_error (&error);
  g_assert_null (bfk_members_create (f->store, f->data_key, "12", "nobody", 1, &error));
  g_assert_error (error, BFK_MEMBER_ERROR, BFK_MEMBER_ERROR_INVALID_PHONE);
  g_clear_error (&error);
  g_assert_null (bfk_members_create (f->store, f->data_key, NULL, "no", 1, &error));
  g_assert_error (error, BFK_MEMBER_ERROR, BFK_MEMBER_ERROR_INVALID_NAME);
}

/* Inside the caller's transaction, create writes nothing of its own: the
 * caller's rollback takes the member away. */
static void
test_caller_transaction (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkMember) m = NULL;

  g_assert_true (bfk_store_begin (f->store, &error));
  m = create_ok (f, "+237699001122", "marie", 1);
  g_assert_false (sqlite3_get_autocommit (bfk_store_get_db (f->store)));
  bfk_store_rollback (f->store);
  g_assert_cmpint (bfk_members_count (f->store, 0, &error), ==, 0);

  g_clear_pointer (&m, bfk_member_free);
  m = create_ok (f, "+237699001122", "marie", 1);
  g_assert_true (sqlite3_get_autocommit (bfk_store_get_db (f->store)));
  g_assert_cmpint (bfk_members_count (f->store, 0, &error), ==, 1);
}

static void
test_language_and_last_seen (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkMember) m = create_ok (f, "+237699001122", "marie", 1);
  g_autoptr(BfkMember) found = NULL;
  g_autofree gchar *code = bfk_language_normalize (" EN ", &error);

  g_assert_cmpstr (code, ==, "en");
  g_assert_cmpstr (m->language, ==, "fr");
  g_assert_cmpint (m->last_seen_at, ==, 0);

  g_assert_true (bfk_members_set_language (f->store, m->id, "EN", &error));
  g_assert_true (bfk_members_touch (f->store, m->id, 1700000000, &error));
  g_assert_no_error (error);
  found = bfk_members_get (f->store, m->id, &error);
  g_assert_cmpstr (found->language, ==, "en");
  g_assert_cmpint (found->last_seen_at, ==, 1700000000);

  g_assert_false (bfk_members_set_language (f->store, m->id, "english", &error));
  g_assert_error (error, BFK_MEMBER_ERROR, BFK_MEMBER_ERROR_INVALID_LANGUAGE);
  g_clear_error (&error);
  g_assert_false (bfk_members_set_language (f->store, m->id, "f1", &error));
  g_assert_error (error, BFK_MEMBER_ERROR, BFK_MEMBER_ERROR_INVALID_LANGUAGE);
  g_clear_error (&error);
  g_assert_false (bfk_members_set_language (f->store, 999, "fr", &error));
  g_assert_error (error, BFK_MEMBER_ERROR, BFK_MEMBER_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (bfk_members_touch (f->store, 999, 1, &error));
  g_assert_error (error, BFK_MEMBER_ERROR, BFK_MEMBER_ERROR_NOT_FOUND);
}

static GBytes *
read_file_or_empty (const gchar *path)
{
  gchar *contents = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &contents, &len, NULL))
    return g_bytes_new (NULL, 0);
  return g_bytes_new_take (contents, len);
}

/* Asserts that needle is nowhere in the bytes of the database and its WAL:
 * raw, or as hexadecimal in any case. */
static void
assert_not_in_files (const gchar  *path,
                     const guint8 *needle,
                     gsize         len)
{
  g_autofree gchar *wal = g_strconcat (path, "-wal", NULL);
  const gchar *files[] = { path, wal };
  g_autofree gchar *hex = bfk_hex_encode (needle, len);

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autoptr(GBytes) bytes = read_file_or_empty (files[i]);
      gsize n;
      const gchar *data = g_bytes_get_data (bytes, &n);
      g_autofree gchar *lower = g_ascii_strdown (data ? data : "", n);

      g_assert_null (memmem (data, n, needle, len));
      /* Half a key is already too much. */
      g_assert_null (memmem (data, n, needle, len / 2));
      g_assert_null (memmem (data, n, needle + len / 2, len / 2));
      g_assert_null (memmem (lower, n, hex + 2, 2 * len));
      g_assert_null (memmem (lower, n, hex + 2, len));
    }
}

static gboolean
in_files (const gchar *path,
          const gchar *text)
{
  g_autofree gchar *wal = g_strconcat (path, "-wal", NULL);
  g_autoptr(GBytes) db = read_file_or_empty (path);
  g_autoptr(GBytes) log = read_file_or_empty (wal);
  gsize n_db, n_log;
  const guint8 *a = g_bytes_get_data (db, &n_db);
  const guint8 *b = g_bytes_get_data (log, &n_log);

  return (a && memmem (a, n_db, text, strlen (text)))
    || (b && memmem (b, n_log, text, strlen (text)));
}

static void
test_no_key_in_database_file (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) members = g_ptr_array_new_with_free_func ((GDestroyNotify) bfk_member_free);
  g_autoptr(GArray) keys = g_array_new (FALSE, TRUE, sizeof (BfkPrivateKey));
  g_autofree gchar *wal = g_strconcat (f->path, "-wal", NULL);

  for (guint i = 0; i < 40; i++)
    {
      g_autofree gchar *phone = g_strdup_printf ("+2376990%05u", i);
      g_autofree gchar *name = g_strdup_printf ("member_%u", i);
      BfkPrivateKey key;

      g_ptr_array_add (members, create_ok (f, phone, name, 1 + i % 3));
      g_assert_true (bfk_members_unseal_key (f->store, f->data_key,
                                             ((BfkMember *) members->pdata[i])->id, &key, &error));
      g_array_append_val (keys, key);
    }
  /* The reads below see what is on disk: the recent pages are in the WAL. */
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));

  for (guint pass = 0; pass < 2; pass++)
    {
      for (guint i = 0; i < members->len; i++)
        {
          const BfkMember *m = members->pdata[i];
          g_autofree gchar *address = bfk_address_to_string (&m->address);

          /* The files do hold the members: the search looks in the right place. */
          g_assert_true (in_files (f->path, address));
          g_assert_true (in_files (f->path, m->name));
          assert_not_in_files (f->path, g_array_index (keys, BfkPrivateKey, i).bytes,
                               BFK_PRIVATE_KEY_SIZE);
        }
      assert_not_in_files (f->path, f->data_key, BFK_DATA_KEY_SIZE);
      /* Then again after a checkpoint has moved everything to the main file. */
      g_clear_pointer (&f->store, bfk_store_close);
      f->store = bfk_store_open (f->path, FALSE, &error);
      g_assert_no_error (error);
    }
  for (guint i = 0; i < keys->len; i++)
    bfk_private_key_wipe (&g_array_index (keys, BfkPrivateKey, i));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/members/phone-normalize", test_phone_normalize);
  g_test_add_func ("/members/phone-mask", test_phone_mask);
  g_test_add_func ("/members/name-rules", test_name_rules);
  g_test_add ("/members/create-and-find", Fixture, NULL, fixture_set_up, test_create_and_find,
              fixture_tear_down);
  g_test_add ("/members/unseal-errors", Fixture, NULL, fixture_set_up, test_unseal_errors,
              fixture_tear_down);
  g_test_add ("/members/duplicates", Fixture, NULL, fixture_set_up, test_duplicates,
              fixture_tear_down);
  g_test_add ("/members/caller-transaction", Fixture, NULL, fixture_set_up, test_caller_transaction,
              fixture_tear_down);
  g_test_add ("/members/language-and-last-seen", Fixture, NULL, fixture_set_up,
              test_language_and_last_seen, fixture_tear_down);
  g_test_add ("/members/no-key-in-database-file", Fixture, NULL, fixture_set_up,
              test_no_key_in_database_file, fixture_tear_down);
  return g_test_run ();
}
