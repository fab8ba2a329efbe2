/* test-member-store.h: a throw-away store in a temporary directory, with the
 * data key of anvil's first dev account as the operator, for the tests of
 * members and enrolment.  Header-only: each test is one source file. */
#pragma once

#include "bfk-key-box.h"
#include "bfk-store.h"

#include "../lib/bfk-test-tmp.h"

#define TEST_OPERATOR_KEY "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"
#define TEST_CONTRACT     "0x5FbDB2315678afecb367f032d93F642f64180aa3"

typedef struct
{
  gchar      *dir;
  gchar      *path;
  BfkStore   *store;
  guint8      data_key[BFK_DATA_KEY_SIZE];
  BfkAddress  operator_address;
  BfkAddress  contract;
} Fixture;

static inline void
fixture_open (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_auto(BfkPrivateKey) operator_key = { 0 };

  f->store = bfk_test_store_new ("bafoka-members-XXXXXX", &f->dir, &f->path);
  g_assert_true (bfk_private_key_from_hex (&operator_key, TEST_OPERATOR_KEY, &error));
  g_assert_true (bfk_private_key_to_address (&operator_key, &f->operator_address, &error));
  g_assert_true (bfk_address_parse (TEST_CONTRACT, &f->contract, &error));
  bfk_key_box_derive_data_key (&operator_key, f->data_key);
}

static inline void
fixture_close (Fixture *f)
{
  bfk_test_store_destroy (g_steal_pointer (&f->store), f->dir, f->path);
}

/* Runs sql, which must succeed. */
static inline void
fixture_exec (Fixture     *f,
              const gchar *sql)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (bfk_store_exec (f->store, sql, &error));
  g_assert_no_error (error);
}

/* The one integer a query returns. */
static inline gint64
fixture_query_int (Fixture     *f,
                   const gchar *sql)
{
  return bfk_test_query_int (f->store, sql, NULL);
}
