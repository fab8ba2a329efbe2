/* test-directory.c: members as bafokactl shows and exports them.
 *
 * A store with members, some of which the follower has seen (accounts and
 * communities rows written here with SQL, as the follower would), then:
 * the listing's order, filter and pages; a member found by phone in any
 * spelling, by address, by name; and the CSV exports, read back with the
 * product's own CSV reader.
 */
#include "bfk-chain-error.h"
#include "bfk-csv.h"
#include "bfk-directory.h"
#include "test-whatsapp-store.h"

#include <string.h>

/* Community 2's name as a chain could hold it: what a CSV must quote. */
#define AWKWARD_COMMUNITY "Banja, \"le marché\"\nNord"
#define FORMULA_COMMUNITY "=HYPERLINK(\"http://x\",\"y\")"

typedef struct
{
  WaFixture   wa;         /* marie and paul in 1, ama in 2 */
  BfkMember  *marie_2;    /* "MARIE" in community 2: the name is ambiguous */
  BfkMember  *zoe;        /* no phone, community 3 */
  BfkMember  *bob;        /* community 4, which the chain has not told us of */
} DirFixture;

/* What the follower writes when it reads MemberRegistered and later events. */
static void
add_account (Fixture         *f,
             const BfkMember *m,
             gint64           balance,
             gint64           escrow,
             gint64           reputation,
             gint64           ratings,
             gint64           exchanges)
{
  gchar address[BFK_ADDRESS_STRING_SIZE];
  g_autofree gchar *sql = NULL;

  bfk_address_to_string_buf (&m->address, address);
  sql = g_strdup_printf ("INSERT INTO accounts (address, community_id, balance, escrow, reputation,"
                         " ratings, exchanges, registered_block) VALUES ('%s', %" G_GUINT64_FORMAT
                         ", %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT
                         ", %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", 7)",
                         address, m->community_id, balance, escrow, reputation, ratings, exchanges);
  fixture_exec (f, sql);
}

static void
dir_set_up (DirFixture    *f,
            gconstpointer  data)
{
  Fixture *base = &f->wa.base;
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;

  wa_set_up (&f->wa, data);
  f->marie_2 = wa_member (base, "+237699009988", "MARIE", 2);
  f->zoe = wa_member (base, NULL, "zoe", 3);
  f->bob = wa_member (base, "+33612345678", "Bob", 4);

  fixture_exec (base, "INSERT INTO communities (id, name, currency_name, currency_symbol)"
                      " VALUES (1, 'Fondjomenkwet', 'Fonjoka', 'FJK')");
  stmt = bfk_store_prepare (base->store, "INSERT INTO communities (id, name, currency_name, currency_symbol)"
                                         " VALUES (?, ?, ?, ?)", &error);
  g_assert_no_error (error);
  sqlite3_bind_int (stmt, 1, 2);
  sqlite3_bind_text (stmt, 2, AWKWARD_COMMUNITY, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, "Banjika", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, "BJK", -1, SQLITE_STATIC);
  g_assert_true (bfk_store_step_done (base->store, stmt, &error));
  stmt = bfk_store_prepare (base->store, "INSERT INTO communities (id, name, currency_name, currency_symbol)"
                                         " VALUES (?, ?, ?, ?)", &error);
  sqlite3_bind_int (stmt, 1, 3);
  sqlite3_bind_text (stmt, 2, FORMULA_COMMUNITY, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, "@Zed", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, "ZED", -1, SQLITE_STATIC);
  g_assert_true (bfk_store_step_done (base->store, stmt, &error));

  /* Registered on chain: marie (with history), ama, MARIE, zoe.  Paul and
   * Bob are not, yet. */
  add_account (base, f->wa.marie, 1000, 150, 9, 2, 3);
  add_account (base, f->wa.ama, 1000, 0, 0, 0, 0);
  add_account (base, f->marie_2, 980, 0, 4, 1, 1);
  add_account (base, f->zoe, 1000, 0, 0, 0, 0);
  g_assert_true (bfk_members_touch (base->store, f->wa.marie->id, T0, &error));
  g_assert_true (bfk_members_set_language (base->store, f->wa.ama->id, "EN", &error));
  g_assert_no_error (error);
}

static void
dir_tear_down (DirFixture    *f,
               gconstpointer  data)
{
  g_clear_pointer (&f->marie_2, bfk_member_free);
  g_clear_pointer (&f->zoe, bfk_member_free);
  g_clear_pointer (&f->bob, bfk_member_free);
  wa_tear_down (&f->wa, data);
}

#define DIR_TEST_ADD(path, func) \
  g_test_add ((path), DirFixture, NULL, dir_set_up, (func), dir_tear_down)

/* A statement stepped and never reset keeps a read transaction open: the
 * connection would go on reading an old snapshot, and block checkpoints. */
static void
assert_no_statement_busy (Fixture *f)
{
  sqlite3 *db = bfk_store_get_db (f->store);

  for (sqlite3_stmt *s = sqlite3_next_stmt (db, NULL); s; s = sqlite3_next_stmt (db, s))
    if (sqlite3_stmt_busy (s))
      g_error ("a statement was left running: %s", sqlite3_sql (s));
  g_assert_true (sqlite3_get_autocommit (db));
}

static GPtrArray *
list_ok (DirFixture *f,
         guint64     community_id,
         guint       limit,
         guint       offset)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *rows = bfk_directory_list (f->wa.base.store, community_id, limit, offset, &error);

  g_assert_no_error (error);
  g_assert_nonnull (rows);
  assert_no_statement_busy (&f->wa.base);
  return rows;
}

static gchar *
names_of (GPtrArray *rows)
{
  g_autoptr(GString) s = g_string_new (NULL);

  for (guint i = 0; i < rows->len; i++)
    {
      const BfkMemberRow *row = g_ptr_array_index (rows, i);

      g_string_append_printf (s, "%s%s", i ? " " : "", row->name);
    }
  return g_strdup (s->str);
}

static const BfkMemberRow *
row_named (GPtrArray   *rows,
           const gchar *name)
{
  for (guint i = 0; i < rows->len; i++)
    {
      const BfkMemberRow *row = g_ptr_array_index (rows, i);

      if (g_str_equal (row->name, name))
        return row;
    }
  g_error ("%s is not listed", name);
}

static void
assert_address (const gchar     *text,
                const BfkMember *m)
{
  gchar expected[BFK_ADDRESS_STRING_SIZE];

  bfk_address_to_string_buf (&m->address, expected);
  g_assert_cmpstr (text, ==, expected);
}

static void
test_list_joined (DirFixture    *f,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) rows = list_ok (f, 0, 0, 0);
  g_autofree gchar *names = names_of (rows);
  const BfkMemberRow *marie, *paul, *ama, *zoe, *bob;

  /* By name without regard to case, then by id: marie joined before MARIE. */
  g_assert_cmpstr (names, ==, "ama Bob marie MARIE paul zoe");

  marie = row_named (rows, "marie");
  g_assert_cmpint (marie->id, ==, f->wa.marie->id);
  g_assert_cmpstr (marie->phone, ==, MARIE_PHONE);
  g_assert_cmpuint (marie->community_id, ==, 1);
  g_assert_cmpstr (marie->community, ==, "Fondjomenkwet");
  g_assert_cmpstr (marie->currency, ==, "Fonjoka");
  assert_address (marie->address, f->wa.marie);
  g_assert_true (marie->on_chain);
  g_assert_cmpint (marie->balance, ==, 1000);
  g_assert_cmpint (marie->escrow, ==, 150);
  g_assert_cmpint (marie->reputation, ==, 9);
  g_assert_cmpint (marie->ratings, ==, 2);
  g_assert_cmpint (marie->exchanges, ==, 3);
  g_assert_cmpstr (marie->language, ==, "fr");
  g_assert_cmpint (marie->last_seen_at, ==, T0);
  g_assert_cmpint (marie->created_at, >, T0);

  /* Created here, its registration not mined yet: no account, zeroes. */
  paul = row_named (rows, "paul");
  g_assert_false (paul->on_chain);
  g_assert_cmpint (paul->balance, ==, 0);
  g_assert_cmpint (paul->escrow, ==, 0);
  g_assert_cmpint (paul->last_seen_at, ==, 0);
  g_assert_cmpstr (paul->community, ==, "Fondjomenkwet");

  ama = row_named (rows, "ama");
  g_assert_cmpstr (ama->community, ==, AWKWARD_COMMUNITY);
  g_assert_cmpstr (ama->language, ==, "en");
  g_assert_true (ama->on_chain);

  zoe = row_named (rows, "zoe");
  g_assert_null (zoe->phone);
  g_assert_true (zoe->on_chain);

  /* A community the follower has not seen yet has no name. */
  bob = row_named (rows, "Bob");
  g_assert_cmpuint (bob->community_id, ==, 4);
  g_assert_null (bob->community);
  g_assert_null (bob->currency);
  g_assert_false (bob->on_chain);
}

static void
test_list_filter_and_pages (DirFixture    *f,
                            gconstpointer  data)
{
  g_autoptr(GPtrArray) one = list_ok (f, 1, 0, 0);
  g_autoptr(GPtrArray) two = list_ok (f, 2, 0, 0);
  g_autoptr(GPtrArray) none = list_ok (f, 99, 0, 0);
  g_autoptr(GPtrArray) all = list_ok (f, 0, 0, 0);
  g_autoptr(GString) paged = g_string_new (NULL);
  g_autofree gchar *one_names = names_of (one);
  g_autofree gchar *two_names = names_of (two);
  g_autofree gchar *all_names = names_of (all);

  g_assert_cmpstr (one_names, ==, "marie paul");
  g_assert_cmpstr (two_names, ==, "ama MARIE");
  g_assert_cmpuint (none->len, ==, 0);

  /* Pages of 4, then 2, cover the whole list once, in order. */
  for (guint offset = 0; offset < all->len; offset += 4)
    {
      g_autoptr(GPtrArray) page = list_ok (f, 0, 4, offset);
      g_autofree gchar *names = names_of (page);

      g_assert_cmpuint (page->len, ==, MIN (4u, all->len - offset));
      g_string_append_printf (paged, "%s%s", offset ? " " : "", names);
    }
  g_assert_cmpstr (paged->str, ==, all_names);
  {
    g_autoptr(GPtrArray) page = list_ok (f, 1, 1, 1);
    g_autoptr(GPtrArray) past = list_ok (f, 0, 10, 6);

    g_assert_cmpuint (page->len, ==, 1);
    g_assert_cmpstr (((BfkMemberRow *) g_ptr_array_index (page, 0))->name, ==, "paul");
    g_assert_cmpuint (past->len, ==, 0);
  }
}

static BfkMemberRow *
lookup_ok (DirFixture  *f,
           const gchar *query)
{
  g_autoptr(GError) error = NULL;
  BfkMemberRow *row = bfk_directory_lookup (f->wa.base.store, query, &error);

  if (error)
    g_error ("“%s”: %s", query, error->message);
  g_assert_nonnull (row);
  assert_no_statement_busy (&f->wa.base);
  return row;
}

static void
assert_lookup_fails (DirFixture  *f,
                     const gchar *query,
                     GQuark       domain,
                     gint         code,
                     const gchar *words)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkMemberRow) row = bfk_directory_lookup (f->wa.base.store, query, &error);

  if (row)
    g_error ("“%s” found %s", query, row->name);
  g_assert_error (error, domain, code);
  if (words && !strstr (error->message, words))
    g_error ("“%s” not in “%s”", words, error->message);
  assert_no_statement_busy (&f->wa.base);
}

static void
test_lookup_phone (DirFixture    *f,
                   gconstpointer  data)
{
  const gchar *spellings[] = {
    MARIE_PHONE, "+237 6 99 00 11 22", "whatsapp:+237699001122", "00237699001122",
    "  +237 (6) 99.00.11.22 ", "00 237 699-00-11-22",
  };

  for (guint i = 0; i < G_N_ELEMENTS (spellings); i++)
    {
      g_autoptr(BfkMemberRow) row = lookup_ok (f, spellings[i]);

      g_assert_cmpint (row->id, ==, f->wa.marie->id);
      g_assert_true (row->on_chain);
      g_assert_cmpint (row->balance, ==, 1000);
    }
  {
    g_autoptr(BfkMemberRow) bob = lookup_ok (f, "+33 6 12 34 56 78");

    g_assert_cmpstr (bob->name, ==, "Bob");
  }
  assert_lookup_fails (f, "+237 6 00 00 00 00", BFK_MEMBER_ERROR, BFK_MEMBER_ERROR_NOT_FOUND, "+237600000000");
}

static void
test_lookup_address (DirFixture    *f,
                     gconstpointer  data)
{
  gchar eip55[BFK_ADDRESS_STRING_SIZE];
  g_autofree gchar *lower = NULL;
  g_autofree gchar *upper = NULL;
  g_autofree gchar *typo = NULL;
  g_autoptr(BfkMemberRow) a = NULL;
  g_autoptr(BfkMemberRow) b = NULL;
  g_autoptr(BfkMemberRow) c = NULL;

  bfk_address_to_string_buf (&f->zoe->address, eip55);
  lower = g_ascii_strdown (eip55, -1);
  upper = g_strconcat ("0X", eip55 + 2, NULL);
  for (gchar *p = upper + 2; *p; p++)
    *p = g_ascii_toupper (*p);

  a = lookup_ok (f, eip55);
  b = lookup_ok (f, lower);
  c = lookup_ok (f, upper);
  g_assert_cmpint (a->id, ==, f->zoe->id);
  g_assert_cmpint (b->id, ==, f->zoe->id);
  g_assert_cmpint (c->id, ==, f->zoe->id);
  g_assert_null (a->phone);
  g_assert_cmpstr (a->community, ==, FORMULA_COMMUNITY);

  /* Nobody's address: not found, and the address is named. */
  assert_lookup_fails (f, "0x000000000000000000000000000000000000dEaD", BFK_MEMBER_ERROR,
                       BFK_MEMBER_ERROR_NOT_FOUND, "0x000000000000000000000000000000000000dEaD");
  /* A mixed-case address whose checksum is wrong is a typo: said so, not
   * looked up as a name. */
  typo = g_strdup (eip55);
  for (gchar *p = typo + 2; *p; p++)
    if (g_ascii_isalpha (*p))
      {
        *p = g_ascii_isupper (*p) ? g_ascii_tolower (*p) : g_ascii_toupper (*p);
        break;
      }
  if (strcmp (typo + 2, lower + 2) != 0 && strcmp (typo + 2, upper + 2) != 0)
    assert_lookup_fails (f, typo, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_INVALID_INPUT, "checksum");
  assert_lookup_fails (f, "0xZZ00000000000000000000000000000000000000", BFK_CHAIN_ERROR,
                       BFK_CHAIN_ERROR_INVALID_INPUT, "not an address");
}

static void
test_lookup_name (DirFixture    *f,
                  gconstpointer  data)
{
  g_autoptr(BfkMemberRow) paul = lookup_ok (f, "PAUL");
  g_autoptr(BfkMemberRow) ama = lookup_ok (f, "  Ama ");
  g_autoptr(BfkMemberRow) bob = lookup_ok (f, "bob");

  g_assert_cmpint (paul->id, ==, f->wa.paul->id);
  g_assert_false (paul->on_chain);
  g_assert_cmpint (ama->id, ==, f->wa.ama->id);
  g_assert_cmpint (bob->id, ==, f->bob->id);

  /* marie in 1 and MARIE in 2: the error names both communities. */
  assert_lookup_fails (f, "Marie", BFK_MEMBER_ERROR, BFK_MEMBER_ERROR_AMBIGUOUS, "communities 1, 2");
  assert_lookup_fails (f, "nobody", BFK_MEMBER_ERROR, BFK_MEMBER_ERROR_NOT_FOUND, "nobody");
  /* A name nobody can have, a local number, a short hex string: nobody,
   * with what would have been understood. */
  assert_lookup_fails (f, "Jean Pierre", BFK_MEMBER_ERROR, BFK_MEMBER_ERROR_NOT_FOUND, "country code");
  assert_lookup_fails (f, "", BFK_MEMBER_ERROR, BFK_MEMBER_ERROR_NOT_FOUND, "country code");
  assert_lookup_fails (f, "699001122", BFK_MEMBER_ERROR, BFK_MEMBER_ERROR_NOT_FOUND, NULL);
  assert_lookup_fails (f, "0x12", BFK_MEMBER_ERROR, BFK_MEMBER_ERROR_NOT_FOUND, NULL);
}

/* --- the exports --- */

static gchar *
export (DirFixture *f,
        gboolean    members)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = members ? bfk_directory_export_members (f->wa.base.store, out, &error)
               : bfk_directory_export_operations (f->wa.base.store, out, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  assert_no_statement_busy (&f->wa.base);
  g_assert_true (g_output_stream_write_all (out, "", 1, NULL, NULL, &error));   /* the NUL */
  g_assert_true (g_output_stream_close (out, NULL, &error));
  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (out));
}

static GPtrArray *
parse_ok (const gchar *csv)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *records = bfk_csv_parse (csv, strlen (csv), &error);

  g_assert_no_error (error);
  g_assert_nonnull (records);
  return records;
}

static gchar *
header_of (GPtrArray *records)
{
  const BfkCsvRecord *header = g_ptr_array_index (records, 0);

  return g_strjoinv (",", header->fields);
}

static const BfkCsvRecord *
record_with (GPtrArray   *records,
             guint        column,
             const gchar *value)
{
  for (guint i = 1; i < records->len; i++)
    {
      const BfkCsvRecord *r = g_ptr_array_index (records, i);

      if (column < r->n_fields && g_str_equal (r->fields[column], value))
        return r;
    }
  g_error ("no record has %s in column %u", value, column);
}

enum { M_ID, M_PHONE, M_NAME, M_COMMUNITY, M_COMMUNITY_NAME, M_ADDRESS, M_ON_CHAIN, M_BALANCE,
       M_ESCROW, M_REPUTATION, M_RATINGS, M_EXCHANGES, M_LANGUAGE, M_JOINED, M_LAST_SEEN, M_N };

static void
test_export_members (DirFixture    *f,
                     gconstpointer  data)
{
  g_autofree gchar *csv = export (f, TRUE);
  g_autoptr(GPtrArray) records = parse_ok (csv);
  g_autoptr(GPtrArray) rows = list_ok (f, 0, 0, 0);
  g_autofree gchar *header = header_of (records);
  g_autoptr(GRegex) iso = g_regex_new ("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$", 0, 0, NULL);
  const BfkCsvRecord *r;

  /* RFC 4180: the header first, CRLF after every record. */
  g_assert_cmpstr (header, ==, "id,phone,name,community,community_name,address,on_chain,balance,"
                               "escrow,reputation,ratings,exchanges,language,joined,last_seen");
  g_assert_true (g_str_has_prefix (csv, "id,phone,name,community,community_name,address,"
                                        "on_chain,balance,escrow,reputation,ratings,exchanges,"
                                        "language,joined,last_seen\r\n"));
  g_assert_true (g_str_has_suffix (csv, "\r\n"));
  g_assert_cmpuint (records->len, ==, 1 + 6);

  /* Every member comes back as the listing shows it: the round trip. */
  for (guint i = 0; i < rows->len; i++)
    {
      const BfkMemberRow *row = g_ptr_array_index (rows, i);
      g_autofree gchar *id = g_strdup_printf ("%" G_GINT64_FORMAT, row->id);
      g_autofree gchar *community = g_strdup_printf ("%" G_GUINT64_FORMAT, row->community_id);
      g_autofree gchar *balance = g_strdup_printf ("%" G_GINT64_FORMAT, row->balance);
      g_autofree gchar *escrow = g_strdup_printf ("%" G_GINT64_FORMAT, row->escrow);
      g_autofree gchar *reputation = g_strdup_printf ("%" G_GINT64_FORMAT, row->reputation);

      r = record_with (records, M_ID, id);
      g_assert_cmpuint (r->n_fields, ==, M_N);
      g_assert_cmpstr (r->fields[M_PHONE], ==, row->phone ? row->phone : "");
      g_assert_cmpstr (r->fields[M_NAME], ==, row->name);
      g_assert_cmpstr (r->fields[M_COMMUNITY], ==, community);
      g_assert_cmpstr (r->fields[M_ADDRESS], ==, row->address);
      g_assert_cmpstr (r->fields[M_ON_CHAIN], ==, row->on_chain ? "yes" : "no");
      g_assert_cmpstr (r->fields[M_BALANCE], ==, balance);
      g_assert_cmpstr (r->fields[M_ESCROW], ==, escrow);
      g_assert_cmpstr (r->fields[M_REPUTATION], ==, reputation);
      g_assert_cmpstr (r->fields[M_LANGUAGE], ==, row->language);
      g_assert_true (g_regex_match (iso, r->fields[M_JOINED], 0, NULL));
      if (row->last_seen_at)
        g_assert_true (g_regex_match (iso, r->fields[M_LAST_SEEN], 0, NULL));
      else
        g_assert_cmpstr (r->fields[M_LAST_SEEN], ==, "");
      /* Names that a formula guard would change never reach the file:
       * only the community's name can start with = or @. */
      if (row->community && row->community[0] != '=' && row->community[0] != '@')
        g_assert_cmpstr (r->fields[M_COMMUNITY_NAME], ==, row->community);
    }

  r = record_with (records, M_NAME, "marie");
  g_assert_cmpstr (r->fields[M_LAST_SEEN], ==, "2023-11-14T22:13:20Z");
  g_assert_cmpstr (r->fields[M_RATINGS], ==, "2");
  g_assert_cmpstr (r->fields[M_EXCHANGES], ==, "3");
  /* Phone numbers keep their +: the importer reads them back. */
  g_assert_nonnull (strstr (csv, "," MARIE_PHONE ","));

  /* A name with a comma, quotes and a line break is quoted whole, quotes
   * doubled, and reads back the same. */
  g_assert_nonnull (strstr (csv, ",\"Banja, \"\"le marché\"\"\nNord\","));
  r = record_with (records, M_NAME, "ama");
  g_assert_cmpstr (r->fields[M_COMMUNITY_NAME], ==, AWKWARD_COMMUNITY);

  /* A field a spreadsheet would run as a formula gets an apostrophe. */
  r = record_with (records, M_NAME, "zoe");
  g_assert_cmpstr (r->fields[M_PHONE], ==, "");
  g_assert_cmpstr (r->fields[M_COMMUNITY_NAME], ==, "'" FORMULA_COMMUNITY);
  g_assert_null (strstr (csv, ",=HYPERLINK"));
  g_assert_null (strstr (csv, ",\"=HYPERLINK"));

  /* A community the chain has not named yet: an empty field. */
  r = record_with (records, M_NAME, "Bob");
  g_assert_cmpstr (r->fields[M_COMMUNITY_NAME], ==, "");
  g_assert_cmpstr (r->fields[M_ON_CHAIN], ==, "no");
}

static void
add_operation (Fixture     *f,
               const gchar *kind,
               const gchar *state,
               const gchar *summary,
               const gchar *reason,
               gint64       member_id,
               gboolean     mined)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = bfk_store_prepare (f->store,
      "INSERT INTO operations (kind, signer, nonce, target, calldata, summary, member_id,"
      " community_id, amount, state, failure_class, reason, attempts, tx_hash, block_number,"
      " gas_used, fee_paid, created_at, confirmed_at, updated_at)"
      " VALUES (?1, '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266', (SELECT count (*) FROM operations),"
      " '" TEST_CONTRACT "', x'00', ?2, ?3, 1, 150, ?4, ?5, ?6, 1,"
      " CASE WHEN ?7 THEN '0x' || hex (randomblob (32)) END, CASE WHEN ?7 THEN 42 END,"
      " CASE WHEN ?7 THEN 51234 END, CASE WHEN ?7 THEN '123456789000000' END,"
      " " G_STRINGIFY (T0) ", CASE WHEN ?7 THEN " G_STRINGIFY (T0) " + 5 END, " G_STRINGIFY (T0) ")",
      &error);

  g_assert_no_error (error);
  sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, summary, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, member_id);
  sqlite3_bind_text (stmt, 4, state, -1, SQLITE_STATIC);
  if (reason)
    {
      sqlite3_bind_text (stmt, 5, "reverted", -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 6, reason, -1, SQLITE_STATIC);
    }
  sqlite3_bind_int (stmt, 7, mined);
  g_assert_true (bfk_store_step_done (f->store, stmt, &error));
  g_assert_no_error (error);
}

enum { O_ID, O_CREATED, O_KIND, O_STATE, O_SUMMARY, O_MEMBER, O_COMMUNITY, O_EXCHANGE, O_AMOUNT,
       O_SIGNER, O_NONCE, O_TX, O_BLOCK, O_ATTEMPTS, O_GAS, O_FEE, O_FAILURE, O_REASON,
       O_CONFIRMED, O_N };

static void
test_export_operations (DirFixture    *f,
                        gconstpointer  data)
{
  Fixture *base = &f->wa.base;
  g_autofree gchar *empty = export (f, FALSE);
  g_autofree gchar *csv = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autofree gchar *header = NULL;
  const BfkCsvRecord *r;

  /* Nothing yet: the header alone. */
  g_assert_cmpstr (empty, ==, "id,created,kind,state,summary,member_id,community,exchange,amount,"
                              "signer,nonce,tx_hash,block,attempts,gas_used,fee_paid_wei,failure,"
                              "reason,confirmed\r\n");

  add_operation (base, "register_member", "confirmed", "Register marie (+2376…22), community 1",
                 NULL, f->wa.marie->id, TRUE);
  add_operation (base, "propose_exchange", "failed", "Paul pays \"Marie\" 150, for couture",
                 "=cmd|' /C calc'!A0\nsecond line", f->wa.paul->id, FALSE);
  add_operation (base, "recharge", "queued", "@backer mints 150", NULL, f->wa.marie->id, FALSE);
  csv = export (f, FALSE);
  records = parse_ok (csv);
  header = header_of (records);
  g_assert_true (g_str_has_prefix (csv, empty));
  g_assert_cmpuint (records->len, ==, 4);

  /* Oldest first, every field in its column. */
  r = g_ptr_array_index (records, 1);
  g_assert_cmpuint (r->n_fields, ==, O_N);
  g_assert_cmpstr (r->fields[O_ID], ==, "1");
  g_assert_cmpstr (r->fields[O_CREATED], ==, "2023-11-14T22:13:20Z");
  g_assert_cmpstr (r->fields[O_KIND], ==, "register_member");
  g_assert_cmpstr (r->fields[O_STATE], ==, "confirmed");
  g_assert_cmpstr (r->fields[O_SUMMARY], ==, "Register marie (+2376…22), community 1");
  g_assert_cmpstr (r->fields[O_AMOUNT], ==, "150");
  g_assert_cmpstr (r->fields[O_NONCE], ==, "0");
  g_assert_cmpuint (strlen (r->fields[O_TX]), ==, 66);
  g_assert_cmpstr (r->fields[O_BLOCK], ==, "42");
  g_assert_cmpstr (r->fields[O_GAS], ==, "51234");
  g_assert_cmpstr (r->fields[O_FEE], ==, "123456789000000");
  g_assert_cmpstr (r->fields[O_FAILURE], ==, "");
  g_assert_cmpstr (r->fields[O_CONFIRMED], ==, "2023-11-14T22:13:25Z");

  r = g_ptr_array_index (records, 2);
  g_assert_cmpstr (r->fields[O_ID], ==, "2");
  g_assert_cmpstr (r->fields[O_STATE], ==, "failed");
  g_assert_cmpstr (r->fields[O_SUMMARY], ==, "Paul pays \"Marie\" 150, for couture");
  g_assert_cmpstr (r->fields[O_TX], ==, "");
  g_assert_cmpstr (r->fields[O_CONFIRMED], ==, "");
  g_assert_cmpstr (r->fields[O_FAILURE], ==, "reverted");
  /* The reason is a stranger's text: guarded, quoted, whole. */
  g_assert_cmpstr (r->fields[O_REASON], ==, "'=cmd|' /C calc'!A0\nsecond line");
  g_assert_nonnull (strstr (csv, ",\"Paul pays \"\"Marie\"\" 150, for couture\","));

  r = g_ptr_array_index (records, 3);
  g_assert_cmpstr (r->fields[O_SUMMARY], ==, "'@backer mints 150");
  g_assert_cmpstr (r->fields[O_STATE], ==, "queued");
}

/* A write that fails (a full disk) is an error, and leaves no statement
 * running. */
static void
test_export_write_fails (DirFixture    *f,
                         gconstpointer  data)
{
  static gchar buffer[64];
  g_autoptr(GOutputStream) out = g_memory_output_stream_new (buffer, sizeof buffer, NULL, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (bfk_directory_export_members (f->wa.base.store, out, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  assert_no_statement_busy (&f->wa.base);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  DIR_TEST_ADD ("/directory/list-joined", test_list_joined);
  DIR_TEST_ADD ("/directory/list-filter-and-pages", test_list_filter_and_pages);
  DIR_TEST_ADD ("/directory/lookup-phone", test_lookup_phone);
  DIR_TEST_ADD ("/directory/lookup-address", test_lookup_address);
  DIR_TEST_ADD ("/directory/lookup-name", test_lookup_name);
  DIR_TEST_ADD ("/directory/export-members", test_export_members);
  DIR_TEST_ADD ("/directory/export-operations", test_export_operations);
  DIR_TEST_ADD ("/directory/export-write-fails", test_export_write_fails);
  return g_test_run ();
}
