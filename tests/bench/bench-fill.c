/* bench-fill.c: members, accounts and operations by the million. */
#include "bench-fill.h"

#include <sqlite3.h>

/* The names of a search: "mar" is in three of them, one in five members. */
static const gchar *const first_names[] = {
  "Marie", "Paul", "Omar", "Ama", "Nadia", "Jean", "Fatou", "Eric",
  "Mariam", "Boris", "Aline", "Samuel", "Grace", "Kofi", "Lucie", "Amadou",
};

static void
check (gboolean  ok,
       GError   *error)
{
  if (!ok)
    g_error ("bench-fill: %s", error ? error->message : "failed");
}

void
bench_fill (BfkStore *store,
            gint64    n_rows)
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

  for (gint64 i = 1; i <= n_rows; i++)
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

