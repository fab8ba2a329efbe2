/* bench-logs.c: reading a large eth_getLogs answer.  Builds the JSON text of
 * a response holding 100,000 ExchangeProposed logs (topics and data made with
 * the ABI encoder and the contract's own event topic), then times parsing it
 * (bfk_rpc_parse_logs) and decoding every log into a BfkEvent
 * (bfk_event_decode).  Checks a few decoded values.  Prints one JSON object. */
#include <string.h>

#include "bfk-contract.h"
#include "bfk-hex.h"
#include "bfk-keccak.h"

#define N_LOGS 100000
#define LOGS_PER_BLOCK 10
#define FIRST_BLOCK 50000000
#define ROUNDS 3

/* The values of log i, so that the check can recompute them. */
static void
log_values (guint       i,
            BfkAddress *payer,
            BfkAddress *provider,
            guint64    *community,
            guint64    *amount,
            guint64    *deadline)
{
  guint8 seed[8], digest[32];

  memcpy (seed, &i, sizeof i);
  memcpy (seed + 4, "payr", 4);
  bfk_keccak256 (seed, sizeof seed, digest);
  memcpy (payer->bytes, digest, BFK_ADDRESS_SIZE);
  memcpy (seed + 4, "prov", 4);
  bfk_keccak256 (seed, sizeof seed, digest);
  memcpy (provider->bytes, digest, BFK_ADDRESS_SIZE);
  *community = 1 + i % 3;
  *amount = 100 + (guint64) i * 7;
  *deadline = 1767225600 + (guint64) i * 60;
}

static void
hash_of (const gchar *what,
         guint64      n,
         guint8       out[32])
{
  g_autofree gchar *text = g_strdup_printf ("%s-%" G_GUINT64_FORMAT, what, n);

  bfk_keccak256 ((const guint8 *) text, strlen (text), out);
}

static void
append_hex (GString      *s,
            const guint8 *data,
            gsize         len)
{
  gsize at = s->len;

  g_string_append (s, "\"0x");
  g_string_set_size (s, at + 3 + 2 * len);
  bfk_hex_encode_to (data, len, s->str + at + 3);
  g_string_set_size (s, at + 3 + 2 * len);
  g_string_append_c (s, '"');
}

static void
append_word_topic (GString      *s,
                   const guint8 *tail,
                   gsize         tail_len)
{
  guint8 word[32] = { 0 };

  memcpy (word + 32 - tail_len, tail, tail_len);
  append_hex (s, word, 32);
}

/* A whole JSON-RPC response, shaped like geth's and anvil's. */
static GString *
build_response (const BfkAddress *contract)
{
  const BfkAbiEvent *event = bfk_abi_get_event (bfk_contract_abi (), "ExchangeProposed");
  g_autoptr(BfkAbiType) data_type = NULL;
  g_autoptr(GError) error = NULL;
  GString *s = g_string_sized_new ((gsize) N_LOGS * 1300);
  gchar contract_text[BFK_ADDRESS_STRING_SIZE];

  g_assert (event != NULL);
  data_type = bfk_abi_type_parse ("(uint256,uint256,uint64)", &error);
  g_assert_no_error (error);
  bfk_address_to_string_buf (contract, contract_text);
  for (gchar *p = contract_text; *p; p++)
    *p = g_ascii_tolower (*p);

  g_string_append (s, "{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":[");
  for (guint i = 0; i < N_LOGS; i++)
    {
      g_autoptr(BfkAbiValue) values = NULL;
      g_autoptr(GBytes) data = NULL;
      BfkAddress payer, provider;
      guint64 community, amount, deadline, block = FIRST_BLOCK + i / LOGS_PER_BLOCK;
      guint8 exchange_id[8], block_hash[32], tx_hash[32];
      gchar quantity[19];

      log_values (i, &payer, &provider, &community, &amount, &deadline);
      values = bfk_abi_value_new_tuple_of (bfk_abi_value_new_uint64 (community),
                                           bfk_abi_value_new_uint64 (amount),
                                           bfk_abi_value_new_uint64 (deadline), NULL);
      data = bfk_abi_encode (data_type, values, &error);
      g_assert_no_error (error);
      for (guint b = 0; b < 8; b++)
        exchange_id[b] = (guint8) ((guint64) (i + 1) >> (56 - 8 * b));
      hash_of ("block", block, block_hash);
      hash_of ("tx", i, tx_hash);

      if (i > 0)
        g_string_append_c (s, ',');
      g_string_append_printf (s, "{\"address\":\"%s\",\"topics\":[", contract_text);
      append_hex (s, event->topic, 32);
      g_string_append_c (s, ',');
      append_word_topic (s, exchange_id, sizeof exchange_id);
      g_string_append_c (s, ',');
      append_word_topic (s, payer.bytes, BFK_ADDRESS_SIZE);
      g_string_append_c (s, ',');
      append_word_topic (s, provider.bytes, BFK_ADDRESS_SIZE);
      g_string_append (s, "],\"data\":");
      append_hex (s, g_bytes_get_data (data, NULL), g_bytes_get_size (data));
      g_string_append_printf (s, ",\"blockNumber\":\"%s\",\"blockHash\":", bfk_rpc_quantity (block, quantity));
      append_hex (s, block_hash, 32);
      g_string_append (s, ",\"transactionHash\":");
      append_hex (s, tx_hash, 32);
      g_string_append_printf (s, ",\"transactionIndex\":\"%s\"",
                              bfk_rpc_quantity (i % LOGS_PER_BLOCK, quantity));
      g_string_append_printf (s, ",\"logIndex\":\"%s\",\"removed\":false}",
                              bfk_rpc_quantity (i % LOGS_PER_BLOCK, quantity));
    }
  g_string_append (s, "]}");
  return s;
}

static void
check_event (const BfkEvent *e,
             guint           i)
{
  BfkAddress payer, provider;
  guint64 community, amount, deadline;
  guint8 tx_hash[32];

  log_values (i, &payer, &provider, &community, &amount, &deadline);
  hash_of ("tx", i, tx_hash);
  g_assert_cmpint (e->kind, ==, BFK_EVENT_EXCHANGE_PROPOSED);
  g_assert_cmpstr (e->event_name, ==, "ExchangeProposed");
  g_assert_cmpuint (e->exchange_id, ==, i + 1);
  g_assert_true (bfk_address_equal (&e->payer, &payer));
  g_assert_true (bfk_address_equal (&e->provider, &provider));
  g_assert_cmpuint (e->community_id, ==, community);
  g_assert_cmpuint (bfk_u256_to_u64 (e->amount), ==, amount);
  g_assert_cmpuint (e->deadline, ==, deadline);
  g_assert_cmpuint (e->block_number, ==, FIRST_BLOCK + i / LOGS_PER_BLOCK);
  g_assert_cmpuint (e->log_index, ==, i % LOGS_PER_BLOCK);
  g_assert_cmpmem (e->tx_hash, 32, tx_hash, 32);
}

int
main (void)
{
  BfkAddress contract = { { 0x5f, 0xbd, 0xb2, 0x31, 0x56, 0x78, 0xaf, 0xec, 0xb3, 0x67,
                            0xf0, 0x32, 0xd9, 0x3f, 0x64, 0x2f, 0x64, 0x18, 0x0a, 0xa3 } };
  g_autoptr(GString) text = build_response (&contract);
  gint64 best_parse = G_MAXINT64, best_decode = G_MAXINT64, best_total = G_MAXINT64;
  gint64 best_json = G_MAXINT64;

  /* The best of a few rounds: the first one also pays for page faults of
   * the allocator growing. */
  for (guint round = 0; round < ROUNDS; round++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GArray) logs = NULL;
      gint64 t0, t1, t2;

      t0 = g_get_monotonic_time ();
      logs = bfk_rpc_parse_logs (text->str, (gssize) text->len, &error);
      g_assert_no_error (error);
      t1 = g_get_monotonic_time ();
      g_assert_cmpuint (logs->len, ==, N_LOGS);

      for (guint i = 0; i < logs->len; i++)
        {
          const BfkLog *log = &g_array_index (logs, BfkLog, i);
          gsize len = 0;
          const guint8 *data = g_bytes_get_data (log->data, &len);
          BfkEvent e;

          if (!bfk_event_decode ((const guint8 *) log->topics, log->n_topics, data, len, &e, &error))
            g_error ("log %u: %s", i, error->message);
          e.block_number = log->block_number;
          memcpy (e.block_hash, log->block_hash, 32);
          memcpy (e.tx_hash, log->tx_hash, 32);
          e.log_index = log->log_index;
          if (i == 0 || i == 4321 || i == N_LOGS - 1)
            check_event (&e, i);
          bfk_event_clear (&e);
        }
      t2 = g_get_monotonic_time ();
      g_assert_true (bfk_address_equal (&g_array_index (logs, BfkLog, 77).address, &contract));

      /* json-glib alone, to tell its share of the parse from ours. */
      {
        g_autoptr(JsonParser) parser = json_parser_new_immutable ();
        gint64 t3 = g_get_monotonic_time ();

        if (!json_parser_load_from_data (parser, text->str, (gssize) text->len, &error))
          g_error ("%s", error->message);
        best_json = MIN (best_json, g_get_monotonic_time () - t3);
      }

      best_parse = MIN (best_parse, t1 - t0);
      best_decode = MIN (best_decode, t2 - t1);
      best_total = MIN (best_total, t2 - t0);
    }

  g_print ("{\"bench\": \"logs\", \"logs\": %d, \"json_mib\": %.1f, \"events_per_s\": %.0f, "
           "\"parse_s\": %.3f, \"json_glib_s\": %.3f, \"decode_s\": %.3f, \"parse_logs_per_s\": %.0f, "
           "\"decode_events_per_s\": %.0f}\n",
           N_LOGS, text->len / 1048576.0, N_LOGS / (best_total / 1e6),
           best_parse / 1e6, best_json / 1e6, best_decode / 1e6, N_LOGS / (best_parse / 1e6),
           N_LOGS / (best_decode / 1e6));
  return 0;
}
