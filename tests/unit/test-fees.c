/* test-fees.c: EIP-1559 fee suggestions and replacement bumps. */
#include "bfk-chain-error.h"
#include "bfk-fees.h"

static BfkU256
gwei (guint64 n)
{
  return bfk_u256_from_u64 (n * BFK_GWEI);
}

static void
assert_u256_eq (BfkU256 a,
                BfkU256 b)
{
  g_autofree gchar *sa = bfk_u256_to_decimal (a);
  g_autofree gchar *sb = bfk_u256_to_decimal (b);

  g_assert_cmpstr (sa, ==, sb);
}

static void
test_min_tip (void)
{
  assert_u256_eq (bfk_fees_min_tip (137), gwei (25));
  assert_u256_eq (bfk_fees_min_tip (80002), gwei (25));
  assert_u256_eq (bfk_fees_min_tip (31337), BFK_U256_ZERO);
  assert_u256_eq (bfk_fees_min_tip (1), BFK_U256_ZERO);
}

static void
test_compute (void)
{
  g_autoptr(GError) error = NULL;
  BfkFees fees;

  /* max fee = 2 × base + tip */
  g_assert_true (bfk_fees_compute (31337, gwei (1), bfk_u256_from_u64 (1500000000), &fees, &error));
  g_assert_no_error (error);
  assert_u256_eq (fees.max_priority_fee_per_gas, bfk_u256_from_u64 (1500000000));
  assert_u256_eq (fees.max_fee_per_gas, bfk_u256_from_u64 (3500000000));

  /* A zero tip is fine off Polygon. */
  g_assert_true (bfk_fees_compute (1, bfk_u256_from_u64 (7), BFK_U256_ZERO, &fees, &error));
  assert_u256_eq (fees.max_priority_fee_per_gas, BFK_U256_ZERO);
  assert_u256_eq (fees.max_fee_per_gas, bfk_u256_from_u64 (14));
}

static void
test_polygon_floor (void)
{
  g_autoptr(GError) error = NULL;
  BfkFees fees;

  /* A 2 gwei tip is raised to Bor's 25 gwei floor, on both chains. */
  g_assert_true (bfk_fees_compute (137, gwei (30), gwei (2), &fees, &error));
  assert_u256_eq (fees.max_priority_fee_per_gas, gwei (25));
  assert_u256_eq (fees.max_fee_per_gas, gwei (85));
  g_assert_true (bfk_fees_compute (80002, bfk_u256_from_u64 (1), BFK_U256_ZERO, &fees, &error));
  assert_u256_eq (fees.max_priority_fee_per_gas, gwei (25));
  assert_u256_eq (fees.max_fee_per_gas, bfk_u256_from_u64 (25 * BFK_GWEI + 2));

  /* A tip above the floor is kept. */
  g_assert_true (bfk_fees_compute (137, gwei (100), gwei (40), &fees, &error));
  assert_u256_eq (fees.max_priority_fee_per_gas, gwei (40));
  assert_u256_eq (fees.max_fee_per_gas, gwei (240));
  g_assert_no_error (error);
}

static void
test_compute_overflow (void)
{
  g_autoptr(GError) error = NULL;
  BfkU256 huge = { { G_MAXUINT64, G_MAXUINT64, G_MAXUINT64, G_MAXUINT64 >> 1 } };
  BfkFees fees;

  g_assert_false (bfk_fees_compute (1, huge, gwei (1), &fees, &error));
  g_assert_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_INVALID_INPUT);
}

/* new ≥ old × 1.125, i.e. 8 × new ≥ 9 × old, and no more than 13 % plus
 * rounding. */
static void
assert_bumped (BfkU256 old_v,
               BfkU256 new_v)
{
  BfkU256 lhs, rhs, cap;

  g_assert_true (bfk_u256_mul_u64 (&lhs, new_v, 8));
  g_assert_true (bfk_u256_mul_u64 (&rhs, old_v, 9));
  g_assert_cmpint (bfk_u256_cmp (lhs, rhs), >=, 0);
  g_assert_cmpint (bfk_u256_cmp (new_v, old_v), >, 0);

  g_assert_true (bfk_u256_mul_u64 (&cap, old_v, 113));
  bfk_u256_div_u64 (&cap, cap, 100);
  g_assert_true (bfk_u256_add (&cap, cap, bfk_u256_from_u64 (1)));
  g_assert_cmpint (bfk_u256_cmp (new_v, cap), <=, 0);
}

static void
test_bump (void)
{
  g_autoptr(GError) error = NULL;
  BfkFees old = { gwei (100), gwei (10) };
  BfkFees fees;

  g_assert_true (bfk_fees_bump (&old, NULL, &fees, &error));
  g_assert_no_error (error);
  assert_u256_eq (fees.max_fee_per_gas, gwei (113));
  assert_u256_eq (fees.max_priority_fee_per_gas, bfk_u256_from_u64 (11300000000));

  /* Rounded up: 13 % of 10 wei is 1.3 wei, so 12. */
  old = (BfkFees) { bfk_u256_from_u64 (10), bfk_u256_from_u64 (1) };
  g_assert_true (bfk_fees_bump (&old, NULL, &fees, &error));
  assert_u256_eq (fees.max_fee_per_gas, bfk_u256_from_u64 (12));
  assert_u256_eq (fees.max_priority_fee_per_gas, bfk_u256_from_u64 (2));

  /* Zero still rises. */
  old = (BfkFees) { bfk_u256_from_u64 (5), BFK_U256_ZERO };
  g_assert_true (bfk_fees_bump (&old, NULL, &fees, &error));
  assert_u256_eq (fees.max_priority_fee_per_gas, bfk_u256_from_u64 (1));
}

static void
test_bump_many (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (1559);

  for (guint i = 0; i < 2000; i++)
    {
      g_autoptr(GError) error = NULL;
      BfkFees old, fees;

      old.max_priority_fee_per_gas = bfk_u256_from_u64 ((guint64) g_rand_int (rand) * g_rand_int_range (rand, 1, 1000) + 1);
      /* A valid transaction never has its tip above its cap. */
      g_assert_true (bfk_u256_add (&old.max_fee_per_gas, old.max_priority_fee_per_gas,
                                   bfk_u256_from_u64 ((guint64) g_rand_int (rand) * g_rand_int_range (rand, 1, 100000))));
      if (i % 3 == 0)
        old.max_fee_per_gas.limb[2] = g_rand_int (rand);
      g_assert_true (bfk_fees_bump (&old, NULL, &fees, &error));
      assert_bumped (old.max_fee_per_gas, fees.max_fee_per_gas);
      assert_bumped (old.max_priority_fee_per_gas, fees.max_priority_fee_per_gas);
    }
}

static void
test_bump_current (void)
{
  g_autoptr(GError) error = NULL;
  BfkFees old = { gwei (60), gwei (30) };
  BfkFees current = { gwei (200), gwei (31) };
  BfkFees fees;

  /* The market moved: the higher of the bump and the current fees. */
  g_assert_true (bfk_fees_bump (&old, &current, &fees, &error));
  assert_u256_eq (fees.max_fee_per_gas, gwei (200));
  assert_u256_eq (fees.max_priority_fee_per_gas, bfk_u256_from_u64 (33900000000));

  /* The cap never falls below the tip. */
  old = (BfkFees) { gwei (30), gwei (30) };
  current = (BfkFees) { gwei (10), gwei (50) };
  g_assert_true (bfk_fees_bump (&old, &current, &fees, &error));
  assert_u256_eq (fees.max_priority_fee_per_gas, gwei (50));
  assert_u256_eq (fees.max_fee_per_gas, gwei (50));
}

static void
test_bump_overflow (void)
{
  g_autoptr(GError) error = NULL;
  BfkU256 huge = { { 0, 0, 0, G_MAXUINT64 } };
  BfkFees old = { huge, gwei (1) };
  BfkFees fees;

  g_assert_false (bfk_fees_bump (&old, NULL, &fees, &error));
  g_assert_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_INVALID_INPUT);
}

static void
test_tip_from_history (void)
{
  BfkU256 base_fees[6] = { 0 };
  gdouble ratios[5] = { 0.5, 0.0, 0.9, 0.3, 0.7 };
  /* One percentile; the empty block (ratio 0) reports 0 and is skipped. */
  BfkU256 rewards[5];
  BfkFeeHistory history = {
    .oldest_block = 100, .n_blocks = 5, .n_percentiles = 1,
    .base_fees = base_fees, .gas_used_ratios = ratios, .rewards = rewards,
  };
  BfkU256 tip;

  rewards[0] = gwei (30);
  rewards[1] = BFK_U256_ZERO;
  rewards[2] = gwei (50);
  rewards[3] = gwei (27);
  rewards[4] = gwei (40);
  /* Median of 27, 30, 40, 50 (upper middle). */
  g_assert_true (bfk_fees_tip_from_history (&history, 0, &tip));
  assert_u256_eq (tip, gwei (40));

  history.n_blocks = 3;
  /* 30, 50 → upper middle 50 */
  g_assert_true (bfk_fees_tip_from_history (&history, 0, &tip));
  assert_u256_eq (tip, gwei (50));

  g_assert_false (bfk_fees_tip_from_history (&history, 1, &tip));

  for (guint i = 0; i < 5; i++)
    ratios[i] = 0.0;
  g_assert_false (bfk_fees_tip_from_history (&history, 0, &tip));

  history.rewards = NULL;
  g_assert_false (bfk_fees_tip_from_history (&history, 0, &tip));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/fees/min-tip", test_min_tip);
  g_test_add_func ("/fees/compute", test_compute);
  g_test_add_func ("/fees/polygon-floor", test_polygon_floor);
  g_test_add_func ("/fees/compute-overflow", test_compute_overflow);
  g_test_add_func ("/fees/bump", test_bump);
  g_test_add_func ("/fees/bump-many", test_bump_many);
  g_test_add_func ("/fees/bump-current", test_bump_current);
  g_test_add_func ("/fees/bump-overflow", test_bump_overflow);
  g_test_add_func ("/fees/tip-from-history", test_tip_from_history);
  return g_test_run ();
}
