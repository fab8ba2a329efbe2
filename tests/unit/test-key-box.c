/* test-key-box.c: member keys sealed under a key derived from the operator's.
 *
 * The vectors were computed outside this code base: the data key with
 * RFC 5869 HKDF written from hmac/hashlib in Python, the box with Python
 * cryptography's AESGCM (nonce 01…0c, AAD the member's 20 address bytes).
 */
#include "bfk-hex.h"
#include "bfk-key-box.h"

#include <string.h>

/* anvil's first two dev accounts: the operator, and a "member". */
#define OPERATOR_KEY "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"
#define OTHER_KEY    "59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"
#define OTHER_ADDR   "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"

#define OPERATOR_DATA_KEY "ceeb0502afd0d2ebc7e1262c2e91dfa34ff1a72ceacfd46202d740540db8e2b8"
#define PYTHON_BOX \
  "010102030405060708090a0b0cf42fa8b41a60c4945d5b3030658fdcea1b5bec9c968bcfda59bea7d3678530" \
  "74fc2fbce0a37bf1ee84244ae1e90aaa61"

static void
key_from_hex (BfkPrivateKey *key,
              const gchar   *hex)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (bfk_private_key_from_hex (key, hex, &error));
  g_assert_no_error (error);
}

static void
data_key_of (const gchar *operator_hex,
             guint8       out[BFK_DATA_KEY_SIZE])
{
  g_auto(BfkPrivateKey) key = { 0 };

  key_from_hex (&key, operator_hex);
  bfk_key_box_derive_data_key (&key, out);
}

static void
test_derivation (void)
{
  guint8 a[BFK_DATA_KEY_SIZE], again[BFK_DATA_KEY_SIZE], other[BFK_DATA_KEY_SIZE];
  gchar hex[2 * BFK_DATA_KEY_SIZE + 1];

  data_key_of (OPERATOR_KEY, a);
  bfk_hex_encode_to (a, sizeof a, hex);
  g_assert_cmpstr (hex, ==, OPERATOR_DATA_KEY);

  data_key_of (OPERATOR_KEY, again);
  g_assert_cmpmem (a, sizeof a, again, sizeof again);

  data_key_of (OTHER_KEY, other);
  g_assert_true (memcmp (a, other, sizeof a) != 0);
  /* Not the operator key itself either. */
  bfk_hex_encode_to (a, sizeof a, hex);
  g_assert_cmpstr (hex, !=, OPERATOR_KEY);
}

static void
test_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_auto(BfkPrivateKey) member_key = { 0 };
  g_auto(BfkPrivateKey) opened = { 0 };
  g_autoptr(GBytes) box = NULL;
  g_autoptr(GBytes) box2 = NULL;
  guint8 data_key[BFK_DATA_KEY_SIZE];
  BfkAddress member;
  gsize len;
  const guint8 *data;

  data_key_of (OPERATOR_KEY, data_key);
  g_assert_true (bfk_private_key_generate (&member_key, &error));
  g_assert_true (bfk_private_key_to_address (&member_key, &member, &error));

  box = bfk_key_box_seal (data_key, &member, &member_key, &error);
  g_assert_no_error (error);
  data = g_bytes_get_data (box, &len);
  g_assert_cmpuint (len, ==, BFK_KEY_BOX_SIZE);
  g_assert_cmpuint (data[0], ==, BFK_KEY_BOX_VERSION);
  /* The key is not in the box in the clear. */
  g_assert_true (memcmp (data + 1 + BFK_KEY_BOX_NONCE_SIZE, member_key.bytes, 32) != 0);

  g_assert_true (bfk_key_box_open (data_key, &member, data, len, &opened, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (opened.bytes, 32, member_key.bytes, 32);

  /* A fresh nonce each time: the same key seals to different bytes. */
  box2 = bfk_key_box_seal (data_key, &member, &member_key, &error);
  g_assert_false (g_bytes_equal (box, box2));
}

/* A box made by another implementation opens here, so the format is what
 * the header says and not just what this code happens to do. */
static void
test_python_vector (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) box = bfk_hex_decode (PYTHON_BOX, &error);
  g_auto(BfkPrivateKey) opened = { 0 };
  g_auto(BfkPrivateKey) expected = { 0 };
  guint8 data_key[BFK_DATA_KEY_SIZE];
  BfkAddress member;

  data_key_of (OPERATOR_KEY, data_key);
  key_from_hex (&expected, OTHER_KEY);
  g_assert_true (bfk_address_parse (OTHER_ADDR, &member, &error));
  g_assert_true (bfk_key_box_open (data_key, &member, g_bytes_get_data (box, NULL),
                                   g_bytes_get_size (box), &opened, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (opened.bytes, 32, expected.bytes, 32);
}

typedef struct
{
  guint8         data_key[BFK_DATA_KEY_SIZE];
  BfkPrivateKey  key;
  BfkAddress     member;
  GBytes        *box;
} Sealed;

static void
sealed_init (Sealed *s)
{
  g_autoptr(GError) error = NULL;

  data_key_of (OPERATOR_KEY, s->data_key);
  key_from_hex (&s->key, OTHER_KEY);
  g_assert_true (bfk_private_key_to_address (&s->key, &s->member, &error));
  s->box = bfk_key_box_seal (s->data_key, &s->member, &s->key, &error);
  g_assert_no_error (error);
}

static void
sealed_clear (Sealed *s)
{
  g_clear_pointer (&s->box, g_bytes_unref);
  bfk_private_key_wipe (&s->key);
}

static void
assert_does_not_open (const guint8      data_key[BFK_DATA_KEY_SIZE],
                      const BfkAddress *member,
                      const guint8     *box,
                      gsize             len,
                      gint              code)
{
  g_autoptr(GError) error = NULL;
  BfkPrivateKey out;

  memset (&out, 0xaa, sizeof out);
  g_assert_false (bfk_key_box_open (data_key, member, box, len, &out, &error));
  g_assert_error (error, BFK_KEY_BOX_ERROR, code);
  /* Nothing half-decrypted is left behind. */
  for (guint i = 0; i < sizeof out.bytes; i++)
    g_assert_cmpuint (out.bytes[i], ==, 0);
}

static void
test_wrong_data_key (void)
{
  Sealed s = { 0 };
  guint8 other[BFK_DATA_KEY_SIZE];

  sealed_init (&s);
  data_key_of (OTHER_KEY, other);
  assert_does_not_open (other, &s.member, g_bytes_get_data (s.box, NULL),
                        g_bytes_get_size (s.box), BFK_KEY_BOX_ERROR_OPEN);
  sealed_clear (&s);
}

static void
test_tampered (void)
{
  Sealed s = { 0 };
  gsize len;
  g_autofree guint8 *copy = NULL;

  sealed_init (&s);
  copy = g_memdup2 (g_bytes_get_data (s.box, &len), BFK_KEY_BOX_SIZE);
  /* Every byte, one at a time: version, nonce, ciphertext and tag. */
  for (gsize i = 0; i < len; i++)
    {
      copy[i] ^= 0x01;
      assert_does_not_open (s.data_key, &s.member, copy, len,
                            i == 0 ? BFK_KEY_BOX_ERROR_FORMAT : BFK_KEY_BOX_ERROR_OPEN);
      copy[i] ^= 0x01;
    }
  /* Cut short, or nothing at all. */
  assert_does_not_open (s.data_key, &s.member, copy, len - 1, BFK_KEY_BOX_ERROR_FORMAT);
  assert_does_not_open (s.data_key, &s.member, copy, 0, BFK_KEY_BOX_ERROR_FORMAT);
  sealed_clear (&s);
}

static void
test_moved_to_another_member (void)
{
  Sealed s = { 0 };
  BfkAddress elsewhere;

  sealed_init (&s);
  elsewhere = s.member;
  elsewhere.bytes[19] ^= 0x80;
  assert_does_not_open (s.data_key, &elsewhere, g_bytes_get_data (s.box, NULL),
                        g_bytes_get_size (s.box), BFK_KEY_BOX_ERROR_OPEN);
  sealed_clear (&s);
}

/* A box sealed, by mistake, under an address that is not the key's. */
static void
test_sealed_for_wrong_address (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) box = NULL;
  Sealed s = { 0 };
  BfkAddress wrong;

  sealed_init (&s);
  wrong = s.member;
  wrong.bytes[0] ^= 0x01;
  box = bfk_key_box_seal (s.data_key, &wrong, &s.key, &error);
  g_assert_no_error (error);
  assert_does_not_open (s.data_key, &wrong, g_bytes_get_data (box, NULL), g_bytes_get_size (box),
                        BFK_KEY_BOX_ERROR_OPEN);
  sealed_clear (&s);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/key-box/derivation", test_derivation);
  g_test_add_func ("/key-box/round-trip", test_round_trip);
  g_test_add_func ("/key-box/python-vector", test_python_vector);
  g_test_add_func ("/key-box/wrong-data-key", test_wrong_data_key);
  g_test_add_func ("/key-box/tampered", test_tampered);
  g_test_add_func ("/key-box/moved", test_moved_to_another_member);
  g_test_add_func ("/key-box/sealed-for-wrong-address", test_sealed_for_wrong_address);
  return g_test_run ();
}
