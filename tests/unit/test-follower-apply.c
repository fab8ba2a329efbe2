/* test-follower-apply.c: events applied to a temporary store give the
 * contract's figures, and rolling back from any block gives back exactly
 * the figures that block's predecessors left. */
#include "bfk-follower-private.h"
#include "bfk-keccak.h"

#include "../lib/bfk-test-tmp.h"

#include <string.h>

#define FIRST_BLOCK 10
#define LAST_BLOCK 18

typedef struct
{
  gchar    *dir;
  gchar    *path;
  BfkStore *store;
} Fixture;

static BfkAddress alice, bob, carol, backer;

static void
address_of (const gchar *name,
            BfkAddress  *out)
{
  guint8 digest[32];

  bfk_keccak256 ((const guint8 *) name, strlen (name), digest);
  memcpy (out->bytes, digest + 12, BFK_ADDRESS_SIZE);
}

static void
fixture_set_up (Fixture       *fx,
                gconstpointer  data)
{
  fx->store = bfk_test_store_new ("bafoka-follower-XXXXXX", &fx->dir, &fx->path);
}

static void
fixture_tear_down (Fixture       *fx,
                   gconstpointer  data)
{
  bfk_test_store_destroy (fx->store, fx->dir, fx->path);
}

/* --- building events ------------------------------------------------------ */

static guint log_index;

static BfkEvent
event_at (guint64       block,
          BfkEventKind  kind,
          const gchar  *name)
{
  BfkEvent e = { .kind = kind, .event_name = name, .block_number = block };
  g_autofree gchar *seed = g_strdup_printf ("block %" G_GUINT64_FORMAT, block);
  g_autofree gchar *tx = g_strdup_printf ("tx %u", log_index);

  bfk_keccak256 ((const guint8 *) seed, strlen (seed), e.block_hash);
  bfk_keccak256 ((const guint8 *) tx, strlen (tx), e.tx_hash);
  e.log_index = log_index++;
  return e;
}

static BfkEvent
community (guint64      block,
           guint64      id,
           const gchar *name)
{
  BfkEvent e = event_at (block, BFK_EVENT_COMMUNITY_ADDED, "CommunityAdded");

  e.community_id = id;
  e.name = (gchar *) name;
  e.currency_name = (gchar *) name;
  e.currency_symbol = (gchar *) "SYM";
  return e;
}

static BfkEvent
member (guint64           block,
        const BfkAddress *who,
        guint64           community_id)
{
  BfkEvent e = event_at (block, BFK_EVENT_MEMBER_REGISTERED, "MemberRegistered");

  e.member = *who;
  e.community_id = community_id;
  e.amount = bfk_u256_from_u64 (1000);
  return e;
}

static BfkEvent
proposal (guint64           block,
          guint64           id,
          const BfkAddress *payer,
          const BfkAddress *provider,
          guint64           amount)
{
  BfkEvent e = event_at (block, BFK_EVENT_EXCHANGE_PROPOSED, "ExchangeProposed");

  e.exchange_id = id;
  e.payer = *payer;
  e.provider = *provider;
  e.community_id = 1;
  e.amount = bfk_u256_from_u64 (amount);
  e.deadline = 1767225600;
  return e;
}

/* Accepted, Declined, Cancelled, Expired, Completed (with amount). */
static BfkEvent
exchange_end (guint64       block,
              BfkEventKind  kind,
              const gchar  *name,
              guint64       id,
              guint64       amount)
{
  BfkEvent e = event_at (block, kind, name);

  e.exchange_id = id;
  e.amount = bfk_u256_from_u64 (amount);
  return e;
}

static BfkEvent
rating (guint64           block,
        guint64           id,
        const BfkAddress *rater,
        const BfkAddress *ratee,
        guint             stars)
{
  BfkEvent e = event_at (block, BFK_EVENT_EXCHANGE_RATED, "ExchangeRated");

  e.exchange_id = id;
  e.rater = *rater;
  e.ratee = *ratee;
  e.stars = stars;
  return e;
}

static BfkEvent
backer_event (guint64       block,
              BfkEventKind  kind,
              const gchar  *name,
              guint64       community_id,
              guint64       cap)
{
  BfkEvent e = event_at (block, kind, name);

  e.backer = backer;
  e.community_id = community_id;
  e.amount = bfk_u256_from_u64 (cap);
  return e;
}

static BfkEvent
recharge (guint64           block,
          const BfkAddress *who,
          guint64           amount)
{
  BfkEvent e = event_at (block, BFK_EVENT_RECHARGED, "Recharged");

  e.backer = backer;
  e.member = *who;
  e.community_id = 1;
  e.amount = bfk_u256_from_u64 (amount);
  return e;
}

/* A life of two communities over blocks 10 to 18: every kind of event, an
 * exchange that expires from proposed and one from accepted, a backer
 * revoked and approved again, and an event outside the ABI surface. */
static GArray *
history (void)
{
  GArray *events = g_array_new (FALSE, FALSE, sizeof (BfkEvent));
  BfkEvent e[] = {
    community (10, 1, "Fondjomenkwet"),
    community (10, 2, "Banja"),
    member (11, &alice, 1),
    member (11, &bob, 1),
    member (11, &carol, 2),
    proposal (12, 1, &alice, &bob, 300),
    proposal (12, 2, &alice, &bob, 100),
    exchange_end (13, BFK_EVENT_EXCHANGE_ACCEPTED, "ExchangeAccepted", 1, 0),
    exchange_end (13, BFK_EVENT_EXCHANGE_DECLINED, "ExchangeDeclined", 2, 0),
    exchange_end (14, BFK_EVENT_EXCHANGE_COMPLETED, "ExchangeCompleted", 1, 300),
    rating (14, 1, &alice, &bob, 5),
    backer_event (14, BFK_EVENT_BACKER_APPROVED, "BackerApproved", 1, 500),
    recharge (15, &alice, 200),
    proposal (15, 3, &bob, &alice, 50),
    exchange_end (16, BFK_EVENT_EXCHANGE_EXPIRED, "ExchangeExpired", 3, 0),
    proposal (16, 4, &alice, &bob, 10),
    exchange_end (16, BFK_EVENT_EXCHANGE_ACCEPTED, "ExchangeAccepted", 4, 0),
    proposal (16, 5, &bob, &alice, 20),
    exchange_end (17, BFK_EVENT_EXCHANGE_EXPIRED, "ExchangeExpired", 4, 0),
    backer_event (17, BFK_EVENT_BACKER_REVOKED, "BackerRevoked", 0, 0),
    exchange_end (17, BFK_EVENT_EXCHANGE_CANCELLED, "ExchangeCancelled", 5, 0),
    rating (17, 1, &bob, &alice, 3),
    backer_event (18, BFK_EVENT_BACKER_APPROVED, "BackerApproved", 1, 900),
    event_at (18, BFK_EVENT_OTHER, "RoleGranted"),
  };

  g_array_append_vals (events, e, G_N_ELEMENTS (e));
  return events;
}

/* --- reading the derived tables -------------------------------------------- */

static void
dump_query (BfkStore    *store,
            const gchar *sql,
            GString     *out)
{
  sqlite3_stmt *stmt = bfk_store_prepare (store, sql, NULL);

  g_assert_nonnull (stmt);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      for (int i = 0; i < sqlite3_column_count (stmt); i++)
        {
          const gchar *text = (const gchar *) sqlite3_column_text (stmt, i);

          g_string_append_printf (out, "%s%s", i ? "|" : "", text ? text : "NULL");
        }
      g_string_append_c (out, '\n');
    }
  sqlite3_reset (stmt);
}

/* Every derived table, in a stable order. */
static gchar *
dump (BfkStore *store)
{
  GString *out = g_string_new (NULL);

  dump_query (store, "SELECT * FROM communities ORDER BY id", out);
  dump_query (store, "SELECT * FROM accounts ORDER BY address", out);
  dump_query (store, "SELECT * FROM exchanges ORDER BY id", out);
  dump_query (store, "SELECT * FROM backers ORDER BY address", out);
  dump_query (store, "SELECT count(*) FROM events", out);
  return g_string_free (out, FALSE);
}

static gint64
account_field (BfkStore         *store,
               const BfkAddress *who,
               const gchar      *column)
{
  g_autofree gchar *address = bfk_address_to_string (who);
  g_autofree gchar *sql = g_strdup_printf ("SELECT %s FROM accounts WHERE address = ?", column);

  return bfk_test_query_int (store, sql, address);
}

static gint64
exchange_state (BfkStore *store,
                guint64   id)
{
  g_autofree gchar *sql = g_strdup_printf ("SELECT state FROM exchanges WHERE id = %" G_GUINT64_FORMAT, id);

  return bfk_test_query_int (store, sql, NULL);
}

/* Applies the events of blocks [first, last]; returns how many were new. */
static guint
apply_blocks (BfkStore *store,
              GArray   *events,
              guint64   first,
              guint64   last)
{
  g_autoptr(GError) error = NULL;
  guint n = 0;

  g_assert_true (bfk_store_begin (store, &error));
  for (guint i = 0; i < events->len; i++)
    {
      const BfkEvent *e = &g_array_index (events, BfkEvent, i);
      gboolean inserted = FALSE;

      if (e->block_number < first || e->block_number > last)
        continue;
      g_assert_true (bfk_follower_apply_event (store, e, &inserted, &error));
      g_assert_no_error (error);
      n += inserted;
    }
  g_assert_true (bfk_follower_set_sync (store, BFK_FOLLOWER_SYNC_BLOCK, (gint64) last, &error));
  g_assert_true (bfk_store_commit (store, &error));
  return n;
}

static void
roll_back (BfkStore *store,
           guint64   from_block)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (bfk_store_begin (store, &error));
  g_assert_true (bfk_follower_roll_back (store, from_block, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (bfk_store_commit (store, &error));
}

/* --- tests ----------------------------------------------------------------- */

static void
test_figures (Fixture       *fx,
              gconstpointer  data)
{
  g_autoptr(GArray) events = history ();
  BfkStore *store = fx->store;
  g_autofree gchar *backer_text = bfk_address_to_string (&backer);

  g_assert_cmpuint (apply_blocks (store, events, FIRST_BLOCK, LAST_BLOCK), ==, events->len);

  /* alice: 1000 - 300 (paid #1) + 200 (recharged); #2 declined, #4
   * expired after acceptance, both refunded. */
  g_assert_cmpint (account_field (store, &alice, "balance"), ==, 900);
  g_assert_cmpint (account_field (store, &alice, "escrow"), ==, 0);
  g_assert_cmpint (account_field (store, &alice, "exchanges"), ==, 1);
  g_assert_cmpint (account_field (store, &alice, "reputation"), ==, 3);
  g_assert_cmpint (account_field (store, &alice, "ratings"), ==, 1);
  /* bob: paid 300 for #1; his #3 expired and #5 cancelled, refunded. */
  g_assert_cmpint (account_field (store, &bob, "balance"), ==, 1300);
  g_assert_cmpint (account_field (store, &bob, "escrow"), ==, 0);
  g_assert_cmpint (account_field (store, &bob, "exchanges"), ==, 1);
  g_assert_cmpint (account_field (store, &bob, "reputation"), ==, 5);
  g_assert_cmpint (account_field (store, &carol, "balance"), ==, 1000);
  g_assert_cmpint (account_field (store, &carol, "community_id"), ==, 2);

  g_assert_cmpint (bfk_test_query_int (store, "SELECT members FROM communities WHERE id = 1", NULL), ==, 2);
  g_assert_cmpint (bfk_test_query_int (store, "SELECT supply FROM communities WHERE id = 1", NULL), ==, 2200);
  g_assert_cmpint (bfk_test_query_int (store, "SELECT exchanges FROM communities WHERE id = 1", NULL), ==, 1);
  g_assert_cmpint (bfk_test_query_int (store, "SELECT volume FROM communities WHERE id = 1", NULL), ==, 300);
  g_assert_cmpint (bfk_test_query_int (store, "SELECT supply FROM communities WHERE id = 2", NULL), ==, 1000);
  /* Per community, balances + escrow == supply, as the contract holds. */
  g_assert_cmpint (bfk_test_query_int (store, "SELECT sum (balance + escrow) FROM accounts WHERE community_id = 1", NULL),
                   ==, 2200);

  g_assert_cmpint (exchange_state (store, 1), ==, BFK_EXCHANGE_COMPLETED);
  g_assert_cmpint (exchange_state (store, 2), ==, BFK_EXCHANGE_DECLINED);
  g_assert_cmpint (exchange_state (store, 3), ==, BFK_EXCHANGE_EXPIRED);
  g_assert_cmpint (exchange_state (store, 4), ==, BFK_EXCHANGE_EXPIRED);
  g_assert_cmpint (exchange_state (store, 5), ==, BFK_EXCHANGE_CANCELLED);

  g_assert_cmpint (bfk_test_query_int (store, "SELECT weekly_cap FROM backers WHERE address = ?", backer_text), ==, 900);
  g_assert_cmpint (bfk_test_query_int (store, "SELECT active FROM backers WHERE address = ?", backer_text), ==, 1);

  /* The event rows say who was touched, for a member's history. */
  g_assert_cmpint (bfk_test_query_int (store, "SELECT count(*) FROM events WHERE kind = 'ExchangeCompleted'"
                              " AND account IS NOT NULL AND counterparty IS NOT NULL AND amount = 300", NULL), ==, 1);
  g_assert_cmpint (bfk_test_query_int (store, "SELECT count(*) FROM events WHERE kind = 'RoleGranted'", NULL), ==, 1);
}

static void
test_duplicates_ignored (Fixture       *fx,
                         gconstpointer  data)
{
  g_autoptr(GArray) events = history ();
  g_autofree gchar *before = NULL;
  g_autofree gchar *after = NULL;

  apply_blocks (fx->store, events, FIRST_BLOCK, LAST_BLOCK);
  before = dump (fx->store);
  /* The same logs again (a step run twice): nothing new, nothing changes. */
  g_assert_cmpuint (apply_blocks (fx->store, events, FIRST_BLOCK, LAST_BLOCK), ==, 0);
  after = dump (fx->store);
  g_assert_cmpstr (after, ==, before);
}

/* Rolling back block by block, from the last to the first, gives back the
 * figures after each earlier block: every inverse is exact. */
static void
test_roll_back_each_block (Fixture       *fx,
                           gconstpointer  data)
{
  g_autoptr(GArray) events = history ();
  g_autoptr(GPtrArray) after_block = g_ptr_array_new_with_free_func (g_free);
  g_autofree gchar *empty = dump (fx->store);

  for (guint64 b = FIRST_BLOCK; b <= LAST_BLOCK; b++)
    {
      apply_blocks (fx->store, events, b, b);
      g_ptr_array_add (after_block, dump (fx->store));
    }
  for (guint64 b = LAST_BLOCK; b > FIRST_BLOCK; b--)
    {
      g_autofree gchar *now = NULL;

      roll_back (fx->store, b);
      now = dump (fx->store);
      g_assert_cmpstr (now, ==, g_ptr_array_index (after_block, b - 1 - FIRST_BLOCK));
      g_assert_cmpint (bfk_follower_get_sync (fx->store, BFK_FOLLOWER_SYNC_BLOCK, -1), ==, (gint64) b - 1);
    }
  roll_back (fx->store, FIRST_BLOCK);
  {
    g_autofree gchar *now = dump (fx->store);

    g_assert_cmpstr (now, ==, empty);
  }
}

/* A reorganisation: roll back several blocks at once, then apply other
 * events; then the original ones again, which gives the first figures. */
static void
test_roll_back_and_replace (Fixture       *fx,
                            gconstpointer  data)
{
  g_autoptr(GArray) events = history ();
  g_autoptr(GArray) other = g_array_new (FALSE, FALSE, sizeof (BfkEvent));
  g_autofree gchar *at_13 = NULL;
  g_autofree gchar *full = NULL;
  g_autofree gchar *again = NULL;
  BfkEvent e[2];

  apply_blocks (fx->store, events, FIRST_BLOCK, 13);
  at_13 = dump (fx->store);
  apply_blocks (fx->store, events, 14, LAST_BLOCK);
  full = dump (fx->store);
  /* #4 expired from accepted: undoing block 17 leaves it accepted. */
  roll_back (fx->store, 17);
  g_assert_cmpint (exchange_state (fx->store, 4), ==, BFK_EXCHANGE_ACCEPTED);
  g_assert_cmpint (account_field (fx->store, &alice, "escrow"), ==, 10);
  g_assert_cmpint (account_field (fx->store, &bob, "escrow"), ==, 20);

  roll_back (fx->store, 14);
  {
    g_autofree gchar *now = dump (fx->store);

    g_assert_cmpstr (now, ==, at_13);
  }

  /* The new chain: block 14 completes #1 differently hashed, and recharges. */
  e[0] = exchange_end (14, BFK_EVENT_EXCHANGE_COMPLETED, "ExchangeCompleted", 1, 300);
  e[0].block_hash[0] ^= 0xff;
  e[1] = recharge (14, &bob, 70);
  e[1].block_hash[0] ^= 0xff;
  g_array_append_vals (other, e, 2);
  g_assert_cmpuint (apply_blocks (fx->store, other, 14, 14), ==, 2);
  g_assert_cmpint (account_field (fx->store, &bob, "balance"), ==, 1000 + 300 + 70);
  g_assert_cmpint (bfk_test_query_int (fx->store, "SELECT supply FROM communities WHERE id = 1", NULL), ==, 2070);

  roll_back (fx->store, 14);
  apply_blocks (fx->store, events, 14, LAST_BLOCK);
  again = dump (fx->store);
  g_assert_cmpstr (again, ==, full);
}

static void
test_confirmations (Fixture       *fx,
                    gconstpointer  data)
{
  g_autoptr(GArray) events = history ();
  g_autoptr(GError) error = NULL;
  guint newly = 0;

  apply_blocks (fx->store, events, FIRST_BLOCK, LAST_BLOCK);
  g_assert_true (bfk_follower_confirm (fx->store, 12, &newly, &error));
  g_assert_cmpuint (newly, ==, 7);
  g_assert_true (bfk_follower_confirm (fx->store, 12, &newly, &error));
  g_assert_cmpuint (newly, ==, 0);
  g_assert_true (bfk_follower_confirm (fx->store, LAST_BLOCK, &newly, &error));
  g_assert_cmpuint (newly, ==, events->len - 7);

  /* Blocks rolled back and read again are confirmed again. */
  roll_back (fx->store, 16);
  g_assert_cmpint (bfk_follower_get_sync (fx->store, BFK_FOLLOWER_SYNC_CONFIRMED, -1), ==, 15);
  apply_blocks (fx->store, events, 16, LAST_BLOCK);
  g_assert_cmpint (bfk_test_query_int (fx->store, "SELECT count(*) FROM events WHERE confirmed = 0", NULL), ==, 10);
  g_assert_true (bfk_follower_confirm (fx->store, LAST_BLOCK, &newly, &error));
  g_assert_cmpuint (newly, ==, 10);
  g_assert_no_error (error);
}

static void
test_recorded_blocks (Fixture       *fx,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) events = history ();
  g_autoptr(GArray) blocks = NULL;
  guint8 hash[32] = { 1 }, parent[32] = { 2 };

  apply_blocks (fx->store, events, FIRST_BLOCK, LAST_BLOCK);
  for (guint64 b = 100; b < 110; b++)
    {
      hash[1] = (guint8) b;
      g_assert_true (bfk_follower_put_block (fx->store, b, hash, b % 2 ? parent : NULL, &error));
    }
  /* An event block is kept by pruning; empty ones go. */
  g_assert_true (bfk_follower_put_block (fx->store, 12, hash, NULL, &error));
  g_assert_true (bfk_follower_prune_blocks (fx->store, 0, 104, &error));
  g_assert_no_error (error);
  blocks = bfk_follower_recorded_blocks (fx->store, 1000, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (blocks->len, ==, 6);
  g_assert_cmpuint (g_array_index (blocks, BfkFollowerBlock, 0).number, ==, 109);
  g_assert_cmpuint (g_array_index (blocks, BfkFollowerBlock, 0).hash[1], ==, 109);
  g_assert_cmpuint (g_array_index (blocks, BfkFollowerBlock, 5).number, ==, 12);

  /* Rolling back forgets the blocks too. */
  roll_back (fx->store, 107);
  g_clear_pointer (&blocks, g_array_unref);
  blocks = bfk_follower_recorded_blocks (fx->store, 1000, 100, &error);
  g_assert_cmpuint (blocks->len, ==, 3);
  g_assert_cmpuint (g_array_index (blocks, BfkFollowerBlock, 0).number, ==, 106);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  address_of ("alice", &alice);
  address_of ("bob", &bob);
  address_of ("carol", &carol);
  address_of ("backer", &backer);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/follower/apply/figures", test_figures);
  ADD ("/follower/apply/duplicates-ignored", test_duplicates_ignored);
  ADD ("/follower/apply/roll-back-each-block", test_roll_back_each_block);
  ADD ("/follower/apply/roll-back-and-replace", test_roll_back_and_replace);
  ADD ("/follower/apply/confirmations", test_confirmations);
  ADD ("/follower/apply/recorded-blocks", test_recorded_blocks);
#undef ADD
  return g_test_run ();
}
