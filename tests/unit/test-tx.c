/* test-tx.c: keys, transaction signing and decoding against known vectors. */
#include "bfk-chain-error.h"
#include "bfk-hex.h"
#include "bfk-keccak.h"
#include "bfk-key.h"
#include "bfk-tx.h"
#include "../lib/bfk-test-values.h"

#include <string.h>

/* The key of EIP-155's example; its address as `cast wallet address` gives it. */
#define KEY_46   "0x4646464646464646464646464646464646464646464646464646464646464646"
#define ADDR_46  "0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F"

static BfkPrivateKey
key_46 (void)
{
  BfkPrivateKey key;
  g_autoptr(GError) error = NULL;

  g_assert_true (bfk_private_key_from_hex (&key, KEY_46, &error));
  g_assert_no_error (error);
  return key;
}

static void
assert_address (const BfkAddress *a,
                const gchar      *expected)
{
  gchar buf[BFK_ADDRESS_STRING_SIZE];

  bfk_address_to_string_buf (a, buf);
  g_assert_cmpstr (buf, ==, expected);
}

static void
assert_bytes_hex (GBytes      *bytes,
                  const gchar *expected)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  g_autofree gchar *hex = bfk_hex_encode (data, len);

  g_assert_cmpstr (hex, ==, expected);
}

/* --- keys --- */

static void
test_key_address (void)
{
  BfkPrivateKey key = key_46 ();
  BfkAddress a;
  g_autoptr(GError) error = NULL;

  g_assert_true (bfk_private_key_to_address (&key, &a, &error));
  g_assert_no_error (error);
  assert_address (&a, ADDR_46);

  /* The key 1 has the generator as public key. */
  g_assert_true (bfk_private_key_from_hex (&key,
      "0000000000000000000000000000000000000000000000000000000000000001", &error));
  g_assert_true (bfk_private_key_to_address (&key, &a, &error));
  assert_address (&a, "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf");
}

static void
test_key_invalid (void)
{
  static const gchar *bad[] = {
    /* zero */
    "0x0000000000000000000000000000000000000000000000000000000000000000",
    /* the curve order n, and above */
    "0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141",
    "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
    /* lengths and digits */
    "0x46464646464646464646464646464646464646464646464646464646464646",
    "0x464646464646464646464646464646464646464646464646464646464646464646",
    "0x464646464646464646464646464646464646464646464646464646464646464g",
    "",
  };
  BfkPrivateKey key;

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (bfk_private_key_from_hex (&key, bad[i], &error));
      g_assert_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_INVALID_INPUT);
      /* The message must not repeat what could be a secret. */
      g_assert_null (strstr (error->message, "4646"));
    }

  /* n - 1 is the largest valid key. */
  g_assert_true (bfk_private_key_from_hex (&key,
      "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140", NULL));
}

static void
test_key_generate (void)
{
  g_auto(BfkPrivateKey) a = { { 0 } };
  g_auto(BfkPrivateKey) b = { { 0 } };
  g_autoptr(GError) error = NULL;

  g_assert_true (bfk_private_key_generate (&a, &error));
  g_assert_no_error (error);
  g_assert_true (bfk_private_key_generate (&b, &error));
  g_assert_true (bfk_private_key_is_valid (&a));
  g_assert_true (bfk_private_key_is_valid (&b));
  g_assert_true (memcmp (a.bytes, b.bytes, 32) != 0);

  bfk_private_key_wipe (&a);
  for (gsize i = 0; i < 32; i++)
    g_assert_cmpuint (a.bytes[i], ==, 0);
}

static void
test_sign_recover (void)
{
  BfkPrivateKey key = key_46 ();
  BfkSignature sig;
  BfkAddress a;
  guint8 digest[32];
  g_autofree gchar *other = NULL;
  g_autoptr(GError) error = NULL;

  bfk_keccak256 ("bafoka", 6, digest);
  g_assert_true (bfk_private_key_sign (&key, digest, &sig, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (sig.recid, <=, 1);
  /* low s: the top bit is clear */
  g_assert_cmpuint (sig.s[0] & 0x80, ==, 0);
  g_assert_true (bfk_signature_recover_address (&sig, digest, &a, &error));
  assert_address (&a, ADDR_46);

  /* Another digest recovers another address. */
  digest[0] ^= 1;
  g_assert_true (bfk_signature_recover_address (&sig, digest, &a, &error));
  other = bfk_address_to_string (&a);
  g_assert_cmpstr (other, !=, ADDR_46);
}

/* --- signing --- */

/* EIP-155's example, with the signing hash and the signed transaction as the
 * EIP gives them. */
static void
test_eip155_example (void)
{
  BfkPrivateKey key = key_46 ();
  BfkTx tx = {
    .type = BFK_TX_LEGACY,
    .chain_id = 1,
    .nonce = 9,
    .gas_price = bfk_u256_from_u64 (20000000000),
    .gas_limit = 21000,
    .to = bfk_test_address ("0x3535353535353535353535353535353535353535"),
    .has_to = TRUE,
    .value = bfk_u256_from_u64 (1000000000000000000),
  };
  guint8 hash[32], tx_hash[32], expected_hash[32];
  g_autofree gchar *hex = NULL;
  g_autoptr(GBytes) raw = NULL;
  g_autoptr(GError) error = NULL;

  bfk_tx_signing_hash (&tx, hash);
  hex = bfk_hex_encode (hash, 32);
  g_assert_cmpstr (hex, ==, "0xdaf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53");

  raw = bfk_tx_sign (&tx, &key, tx_hash, &error);
  g_assert_no_error (error);
  assert_bytes_hex (raw,
      "0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a7640000"
      "8025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f"
      "761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83");

  bfk_keccak256 (g_bytes_get_data (raw, NULL), g_bytes_get_size (raw), expected_hash);
  g_assert_cmpmem (tx_hash, 32, expected_hash, 32);
}

/* The calldata of registerMember(0x6ac7…dbf0, 1). */
static GBytes *
register_member_calldata (void)
{
  const gchar *sig = "registerMember(address,uint256)";
  guint8 data[4 + 32 + 32] = { 0 };
  guint8 selector[32];

  bfk_keccak256 (sig, strlen (sig), selector);
  memcpy (data, selector, 4);
  g_assert_true (bfk_hex_decode_fixed ("6ac7ea33f8831ea9dcc53393aaa88b25a785dbf0",
                                       data + 4 + 12, 20, NULL));
  data[4 + 32 + 31] = 1;
  return g_bytes_new (data, sizeof data);
}

/* Byte for byte what Foundry's cast 1.7.1 writes, made offline with:
 *   cast mktx --private-key 0x4646464646464646464646464646464646464646464646464646464646464646 \
 *     --chain 31337 --nonce 7 --gas-limit 100000 --priority-gas-price 2gwei \
 *     --gas-price 30gwei --value 12345 0x3535353535353535353535353535353535353535 \
 *     "registerMember(address,uint256)" 0x6ac7ea33f8831ea9dcc53393aaa88b25a785dbf0 1 */
#define CAST_TYPE2_VECTOR \
  "0x02f8b5827a690784773594008506fc23ac00830186a0943535353535353535353535353535353535353535" \
  "823039b844d2a7ebd10000000000000000000000006ac7ea33f8831ea9dcc53393aaa88b25a785dbf00000" \
  "000000000000000000000000000000000000000000000000000000000001c001a0687d49a86e3f7152d509" \
  "4491d4ba4e51e8c13d6b6bb853a550257326a8ef212ba05782f5a32c84f9283aa432064761a74c73cc8503" \
  "aace7cf3dd0c8f6fe54c0e4e"

static BfkTx
cast_type2_tx (GBytes *data)
{
  return (BfkTx) {
    .type = BFK_TX_EIP1559,
    .chain_id = 31337,
    .nonce = 7,
    .gas_limit = 100000,
    .max_priority_fee_per_gas = bfk_u256_from_u64 (2000000000),
    .max_fee_per_gas = bfk_u256_from_u64 (30000000000),
    .to = bfk_test_address ("0x3535353535353535353535353535353535353535"),
    .has_to = TRUE,
    .value = bfk_u256_from_u64 (12345),
    .data = g_bytes_get_data (data, NULL),
    .data_len = g_bytes_get_size (data),
  };
}

static void
test_eip1559_cast_vector (void)
{
  BfkPrivateKey key = key_46 ();
  g_autoptr(GBytes) data = register_member_calldata ();
  BfkTx tx = cast_type2_tx (data);
  g_autoptr(GBytes) raw = NULL;
  g_autoptr(GError) error = NULL;

  raw = bfk_tx_sign (&tx, &key, NULL, &error);
  g_assert_no_error (error);
  assert_bytes_hex (raw, CAST_TYPE2_VECTOR);
}

/* A contract creation, also from cast:
 *   cast mktx --private-key 0x4646…46 --chain 31337 --nonce 0 --gas-limit 300000 \
 *     --priority-gas-price 1 --gas-price 2 --create 0x6080604052 */
static void
test_eip1559_create_cast_vector (void)
{
  static const guint8 code[] = { 0x60, 0x80, 0x60, 0x40, 0x52 };
  BfkPrivateKey key = key_46 ();
  BfkTx tx = {
    .type = BFK_TX_EIP1559,
    .chain_id = 31337,
    .nonce = 0,
    .gas_limit = 300000,
    .max_priority_fee_per_gas = bfk_u256_from_u64 (1),
    .max_fee_per_gas = bfk_u256_from_u64 (2),
    .has_to = FALSE,
    .data = code,
    .data_len = sizeof code,
  };
  g_autoptr(GBytes) raw = NULL;
  g_autoptr(GError) error = NULL;

  raw = bfk_tx_sign (&tx, &key, NULL, &error);
  g_assert_no_error (error);
  assert_bytes_hex (raw,
      "0x02f856827a69800102830493e08080856080604052c001a09c6aeee315e6f06e8c3b3580c24fa7d4e5"
      "c70793981709e9c6996b6e8b4d4877a04ae352bf5ee99d778f545621dc93424dadf4cd3f9c146a43fc47"
      "4eb00fddb3af");
}

/* A reused scratch writer and output array give the same bytes as fresh ones. */
static void
test_sign_into_reuse (void)
{
  BfkPrivateKey key = key_46 ();
  g_autoptr(GBytes) data = register_member_calldata ();
  g_autoptr(GByteArray) raw = g_byte_array_new ();
  BfkRlpWriter scratch;

  bfk_rlp_writer_init (&scratch);
  for (guint64 nonce = 0; nonce < 50; nonce++)
    {
      BfkTx tx = cast_type2_tx (data);
      g_autoptr(GBytes) fresh = NULL;
      guint8 h1[32], h2[32];
      g_autoptr(GError) error = NULL;

      tx.nonce = nonce;
      tx.type = nonce % 2 ? BFK_TX_EIP1559 : BFK_TX_LEGACY;
      tx.gas_price = bfk_u256_from_u64 (nonce * 1000);
      g_assert_true (bfk_tx_sign_into (&tx, &key, &scratch, raw, h1, &error));
      g_assert_no_error (error);
      fresh = bfk_tx_sign (&tx, &key, h2, &error);
      g_assert_cmpmem (raw->data, raw->len, g_bytes_get_data (fresh, NULL), g_bytes_get_size (fresh));
      g_assert_cmpmem (h1, 32, h2, 32);
    }
  bfk_rlp_writer_clear (&scratch);
}

static void
test_sign_rejects (void)
{
  BfkPrivateKey key = key_46 ();
  g_autoptr(GBytes) data = register_member_calldata ();
  BfkTx tx = cast_type2_tx (data);
  g_autoptr(GBytes) raw = NULL;
  g_autoptr(GError) error = NULL;

  tx.max_priority_fee_per_gas = bfk_u256_from_u64 (30000000001);
  raw = bfk_tx_sign (&tx, &key, NULL, &error);
  g_assert_null (raw);
  g_assert_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  tx = cast_type2_tx (data);
  tx.chain_id = 0;
  raw = bfk_tx_sign (&tx, &key, NULL, &error);
  g_assert_null (raw);
  g_assert_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_INVALID_INPUT);
}

/* --- contract addresses --- */

static void
test_contract_address (void)
{
  BfkAddress sender = bfk_test_address ("0x6ac7ea33f8831ea9dcc53393aaa88b25a785dbf0");
  BfkAddress out;

  bfk_tx_contract_address (&sender, 0, &out);
  assert_address (&out, "0xcd234A471b72ba2F1Ccf0A70FCABA648a5eeCD8d");
  bfk_tx_contract_address (&sender, 1, &out);
  assert_address (&out, "0x343c43A37D37dfF08AE8C4A11544c718AbB4fCF8");
}

/* --- decoding --- */

static void
assert_same_tx (const BfkTx *a,
                const BfkTx *b)
{
  g_assert_cmpint (a->type, ==, b->type);
  g_assert_cmpuint (a->chain_id, ==, b->chain_id);
  g_assert_cmpuint (a->nonce, ==, b->nonce);
  g_assert_cmpuint (a->gas_limit, ==, b->gas_limit);
  g_assert_cmpint (a->has_to, ==, b->has_to);
  if (a->has_to)
    g_assert_true (bfk_address_equal (&a->to, &b->to));
  g_assert_cmpint (bfk_u256_cmp (a->value, b->value), ==, 0);
  if (a->type == BFK_TX_EIP1559)
    {
      g_assert_cmpint (bfk_u256_cmp (a->max_priority_fee_per_gas, b->max_priority_fee_per_gas), ==, 0);
      g_assert_cmpint (bfk_u256_cmp (a->max_fee_per_gas, b->max_fee_per_gas), ==, 0);
    }
  else
    g_assert_cmpint (bfk_u256_cmp (a->gas_price, b->gas_price), ==, 0);
  g_assert_cmpmem (a->data, a->data_len, b->data, b->data_len);
}

static void
test_decode_vectors (void)
{
  g_autoptr(GBytes) data = register_member_calldata ();
  BfkTx expected = cast_type2_tx (data);
  g_autoptr(GBytes) raw = bfk_test_hex (CAST_TYPE2_VECTOR);
  g_autoptr(GBytes) raw155 = NULL;
  BfkTx tx;
  BfkAddress from;
  BfkSignature sig;
  guint8 hash[32], expected_hash[32];
  g_autoptr(GError) error = NULL;

  g_assert_true (bfk_tx_decode (g_bytes_get_data (raw, NULL), g_bytes_get_size (raw),
                                &tx, &from, hash, &sig, &error));
  g_assert_no_error (error);
  assert_same_tx (&tx, &expected);
  assert_address (&from, ADDR_46);
  bfk_keccak256 (g_bytes_get_data (raw, NULL), g_bytes_get_size (raw), expected_hash);
  g_assert_cmpmem (hash, 32, expected_hash, 32);
  g_assert_cmpuint (sig.recid, ==, 1);

  /* EIP-155: v = 37 gives chain 1 and recovery id 0. */
  raw155 = bfk_test_hex ("0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a7640000"
                         "8025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f"
                         "761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83");
  g_assert_true (bfk_tx_decode (g_bytes_get_data (raw155, NULL), g_bytes_get_size (raw155),
                                &tx, &from, NULL, &sig, &error));
  g_assert_no_error (error);
  g_assert_cmpint (tx.type, ==, BFK_TX_LEGACY);
  g_assert_cmpuint (tx.chain_id, ==, 1);
  g_assert_cmpuint (tx.nonce, ==, 9);
  g_assert_cmpuint (bfk_u256_to_u64 (tx.gas_price), ==, 20000000000);
  g_assert_cmpuint (bfk_u256_to_u64 (tx.value), ==, 1000000000000000000);
  g_assert_cmpuint (tx.data_len, ==, 0);
  g_assert_cmpuint (sig.recid, ==, 0);
  assert_address (&from, ADDR_46);
}

/* sign → decode gives back every field, for both types, with and without a
 * recipient, for large values. */
static void
test_decode_round_trip (void)
{
  g_autoptr(GByteArray) raw = g_byte_array_new ();
  BfkPrivateKey key;
  BfkAddress signer;
  guint8 code[300];

  for (gsize i = 0; i < sizeof code; i++)
    code[i] = (guint8) (i * 31);

  g_assert_true (bfk_private_key_generate (&key, NULL));
  g_assert_true (bfk_private_key_to_address (&key, &signer, NULL));

  for (int round = 0; round < 40; round++)
    {
      BfkTx tx = {
        .type = round % 2 ? BFK_TX_EIP1559 : BFK_TX_LEGACY,
        .chain_id = round % 3 == 0 ? 137 : (round % 3 == 1 ? 80002 : G_MAXUINT32),
        .nonce = round % 5 == 0 ? 0 : (guint64) g_test_rand_int () * 977,
        .gas_limit = 21000 + (guint64) round * 5000,
        .gas_price = bfk_u256_from_u64 ((guint64) g_test_rand_int ()),
        .max_priority_fee_per_gas = bfk_u256_from_u64 ((guint64) round),
        .max_fee_per_gas = { { G_MAXUINT64, round, 0, 0 } },
        .to = signer,
        .has_to = round % 4 != 0,
        .value = { { (guint64) round, 0, 0, round % 7 == 0 ? G_MAXUINT64 : 0 } },
        .data = round % 3 ? code : NULL,
        .data_len = round % 3 ? (gsize) (round * 7) % sizeof code : 0,
      };
      BfkTx back;
      BfkAddress from;
      guint8 h1[32], h2[32];
      g_autoptr(GError) error = NULL;

      g_assert_true (bfk_tx_sign_into (&tx, &key, NULL, raw, h1, &error));
      g_assert_no_error (error);
      g_assert_true (bfk_tx_decode (raw->data, raw->len, &back, &from, h2, NULL, &error));
      g_assert_no_error (error);
      assert_same_tx (&back, &tx);
      g_assert_true (bfk_address_equal (&from, &signer));
      g_assert_cmpmem (h1, 32, h2, 32);
    }
  bfk_private_key_wipe (&key);
}

static void
assert_decode_fails (const guint8 *raw,
                     gsize         len)
{
  BfkTx tx;
  BfkAddress from;
  g_autoptr(GError) error = NULL;

  g_assert_false (bfk_tx_decode (raw, len, &tx, &from, NULL, NULL, &error));
  g_assert_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_DECODE);
}

static void
test_decode_rejects (void)
{
  g_autoptr(GBytes) good = bfk_test_hex (CAST_TYPE2_VECTOR);
  gsize len;
  const guint8 *data = g_bytes_get_data (good, &len);
  g_autofree guint8 *copy = g_memdup2 (data, len + 1);
  g_autoptr(GBytes) type1 = bfk_test_hex ("0x01c0");
  g_autoptr(GBytes) short_list = bfk_test_hex ("0x02c3010203");
  g_autoptr(GBytes) not_list = bfk_test_hex ("0x8401020304");

  assert_decode_fails (data, 0);
  /* every truncation */
  for (gsize cut = 1; cut < len; cut += 7)
    assert_decode_fails (data, cut);
  /* a trailing byte */
  copy[len] = 0;
  assert_decode_fails (copy, len + 1);
  assert_decode_fails (g_bytes_get_data (type1, NULL), g_bytes_get_size (type1));
  assert_decode_fails (g_bytes_get_data (short_list, NULL), g_bytes_get_size (short_list));
  assert_decode_fails (g_bytes_get_data (not_list, NULL), g_bytes_get_size (not_list));

  /* s replaced by n - s (the same signature, malleated to high s) */
  {
    static const guint8 n[32] = {
      0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe,
      0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48, 0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41,
    };
    guint8 *s = copy + len - 32;
    int borrow = 0;

    memcpy (copy, data, len);
    for (int i = 31; i >= 0; i--)
      {
        int d = n[i] - s[i] - borrow;

        borrow = d < 0;
        s[i] = (guint8) (d + (borrow ? 256 : 0));
      }
    assert_decode_fails (copy, len);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/key/address", test_key_address);
  g_test_add_func ("/key/invalid", test_key_invalid);
  g_test_add_func ("/key/generate", test_key_generate);
  g_test_add_func ("/key/sign-recover", test_sign_recover);
  g_test_add_func ("/tx/eip155-example", test_eip155_example);
  g_test_add_func ("/tx/eip1559-cast-vector", test_eip1559_cast_vector);
  g_test_add_func ("/tx/eip1559-create-cast-vector", test_eip1559_create_cast_vector);
  g_test_add_func ("/tx/sign-into-reuse", test_sign_into_reuse);
  g_test_add_func ("/tx/sign-rejects", test_sign_rejects);
  g_test_add_func ("/tx/contract-address", test_contract_address);
  g_test_add_func ("/tx/decode-vectors", test_decode_vectors);
  g_test_add_func ("/tx/decode-round-trip", test_decode_round_trip);
  g_test_add_func ("/tx/decode-rejects", test_decode_rejects);
  return g_test_run ();
}
