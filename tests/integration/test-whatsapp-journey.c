/* test-whatsapp-journey.c: members on WhatsApp, end to end.
 *
 * The real headless console on its local network (anvil, the contract
 * deployed), Twilio played by a stand-in on this machine, and every message
 * posted to /webhook with a valid X-Twilio-Signature, as Twilio would:
 *  - Marie and Paul join Fondjomenkwet, Awa joins Banja; each gets the
 *    "1000 … crédités" message once the chain has registered them;
 *  - Marie offers couture; Paul finds it, proposes 150 and confirms; Marie
 *    accepts; Paul confirms the work is done; both rate;
 *  - on chain Paul has 850, Marie 1150, and nothing is held in escrow;
 *  - Awa (Banja) proposing to Marie is refused and nothing moves;
 *  - a forged signature gets 403; a replayed MessageSid is handled once;
 *  - a proposal nobody accepts is expired by the backend and refunded.
 * The messages the stand-in received, and their exact shape, are checked.
 */
#include "bfk-config.h"
#include "bfk-connection.h"
#include "bfk-contract.h"
#include "bfk-form.h"
#include "bfk-local-node.h"
#include "bfk-members.h"
#include "bfk-store.h"
#include "bfk-test-console.h"
#include "bfk-test-ctl.h"
#include "bfk-test-twilio.h"
#include "bfk-twilio-signature.h"

#include <string.h>

#define ACCOUNT_SID  "AC00000000000000000000000000journey"
#define AUTH_TOKEN   "journey-token-not-a-secret"
#define OUR_NUMBER   "+14155238886"
#define PUBLIC_URL   "https://bafoka.example"
/* Long enough for an accept on a busy machine, short enough to wait out. */
#define PROPOSAL_TTL 25

#define MARIE "+237650000001"
#define PAUL  "+237650000002"
#define AWA   "+237650000003"

typedef struct
{
  gchar          *data_dir;
  BfkTestTwilio  *twilio;
  BfkTestConsole  console;
  guint           sid;
} Journey;

static Journey j;

/* --- talking like Twilio --------------------------------------------------------- */

static BfkForm *
inbound_form (const gchar *sid,
              const gchar *phone,
              const gchar *text)
{
  return bfk_test_twilio_inbound_form (sid, ACCOUNT_SID, phone, "whatsapp:" OUR_NUMBER, "Test", text);
}

static guint
post_signed (const gchar  *path,
             BfkForm      *form,
             const gchar  *token,
             gchar       **answer)
{
  g_autofree gchar *url = g_strconcat (PUBLIC_URL, path, NULL);
  g_autofree gchar *signature = bfk_twilio_signature_compute (token, url, form);
  g_autofree gchar *body = bfk_form_encode (form);

  return bfk_test_http_post (j.console.port, path, body, "X-Twilio-Signature", signature, answer);
}

/* Sends text from phone as a message with the given sid; the TwiML answer. */
static gchar *
say_with_sid (const gchar *phone,
              const gchar *text,
              const gchar *sid)
{
  g_autoptr(BfkForm) form = inbound_form (sid, phone, text);
  g_autofree gchar *answer = NULL;

  g_assert_cmpuint (post_signed ("/webhook", form, AUTH_TOKEN, &answer), ==, 200);
  g_test_message ("%s: %s\n  → %s", phone, text, answer);
  g_assert_true (g_str_has_prefix (answer, "<?xml"));
  return g_steal_pointer (&answer);
}

static gchar *
say (const gchar *phone,
     const gchar *text)
{
  g_autofree gchar *sid = g_strdup_printf ("SM%032u", ++j.sid);

  return say_with_sid (phone, text, sid);
}

/* The answer must hold each of the words (TwiML escapes apostrophes). */
static void
say_expect (const gchar *phone,
            const gchar *text,
            const gchar *first_word,
            ...)
{
  g_autofree gchar *answer = say (phone, text);
  va_list ap;

  va_start (ap, first_word);
  for (const gchar *w = first_word; w; w = va_arg (ap, const gchar *))
    if (!strstr (answer, w))
      g_error ("The answer to “%s” lacks “%s”: %s", text, w, answer);
  va_end (ap);
}

/* --- what the stand-in received ------------------------------------------------------- */

/* Waits for a message to phone whose body holds words; its body. */
static gchar *
wait_outbound (const gchar *phone,
               const gchar *words,
               guint        timeout_s)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_s * G_USEC_PER_SEC;
  g_autofree gchar *to = g_strconcat ("whatsapp:", phone, NULL);
  g_autofree gchar *path = g_strconcat ("/2010-04-01/Accounts/", ACCOUNT_SID, "/Messages.json", NULL);

  while (g_get_monotonic_time () < end)
    {
      for (guint i = 0; i < bfk_test_twilio_n_requests (j.twilio); i++)
        {
          g_autoptr(BfkTestTwilioRequest) r = bfk_test_twilio_request (j.twilio, i);
          g_autoptr(BfkForm) form = bfk_form_decode (r->body, strlen (r->body), NULL);
          const gchar *body;

          g_assert_nonnull (form);
          body = bfk_form_lookup (form, "Body");
          if (g_strcmp0 (bfk_form_lookup (form, "To"), to) != 0 || !body || !strstr (body, words))
            continue;
          /* Twilio's shape: the resource, our account, our number. */
          g_assert_cmpstr (r->method, ==, "POST");
          g_assert_cmpstr (r->path, ==, path);
          g_assert_cmpstr (r->authorization, ==, bfk_test_twilio_expected_auth (j.twilio));
          g_assert_true (g_str_has_prefix (r->content_type, "application/x-www-form-urlencoded"));
          g_assert_cmpstr (bfk_form_lookup (form, "From"), ==, "whatsapp:" OUR_NUMBER);
          g_assert_cmpstr (bfk_form_lookup (form, "StatusCallback"), ==, PUBLIC_URL "/webhook/status");
          g_test_message ("Twilio got, for %s: %s", phone, body);
          return g_strdup (body);
        }
      g_usleep (100 * 1000);
    }
  g_error ("No message to %s with “%s” came in %u s", phone, words, timeout_s);
}

static guint
count_outbound (const gchar *phone,
                const gchar *words)
{
  g_autofree gchar *to = g_strconcat ("whatsapp:", phone, NULL);
  guint n = 0;

  for (guint i = 0; i < bfk_test_twilio_n_requests (j.twilio); i++)
    {
      g_autoptr(BfkTestTwilioRequest) r = bfk_test_twilio_request (j.twilio, i);
      g_autoptr(BfkForm) form = bfk_form_decode (r->body, strlen (r->body), NULL);
      const gchar *body = bfk_form_lookup (form, "Body");

      n += g_strcmp0 (bfk_form_lookup (form, "To"), to) == 0 && body && strstr (body, words);
    }
  return n;
}

/* The exchange number in "… ACCEPTER 12 …". */
static guint64
number_after (const gchar *text,
              const gchar *word)
{
  const gchar *at = strstr (text, word);

  g_assert_nonnull (at);
  return g_ascii_strtoull (at + strlen (word), NULL, 10);
}

/* --- the chain and the store, read independently ------------------------------------------ */

static BfkConnection *
connect_chain (void)
{
  g_autoptr(GHashTable) overrides = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(BfkConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  BfkConnection *conn;

  g_hash_table_insert (overrides, "BAFOKA_DATA_DIR", j.data_dir);
  config = bfk_config_load (overrides, &error);
  g_assert_no_error (error);
  conn = bfk_connection_open (config, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (bfk_connection_require_contract (conn, &error));
  return conn;
}

static BfkStore *
open_store (void)
{
  g_autofree gchar *db = g_build_filename (j.data_dir, "bafoka.db", NULL);
  g_autoptr(GError) error = NULL;
  BfkStore *store = bfk_store_open (db, TRUE, &error);

  g_assert_no_error (error);
  return store;
}

static BfkAddress
address_of (const gchar *phone)
{
  g_autoptr(BfkStore) store = open_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkMember) m = bfk_members_find_by_phone (store, phone, &error);

  g_assert_no_error (error);
  return m->address;
}

static guint64
chain_uint (BfkConnection *conn,
            const gchar   *function,
            const gchar   *phone)
{
  BfkAddress who = address_of (phone);
  g_autoptr(GError) error = NULL;
  BfkU256 value;

  g_assert_true (bfk_contract_read_uint (conn->rpc, &conn->contract, function, &who, &value, &error));
  g_assert_no_error (error);
  return bfk_u256_to_u64 (value);
}

static gint64
store_count (const gchar *sql)
{
  g_autoptr(BfkStore) store = open_store ();
  sqlite3_stmt *stmt = bfk_store_prepare (store, sql, NULL);

  g_assert_nonnull (stmt);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int64 (stmt, 0);
}

/* --- the journey ------------------------------------------------------------------------- */

static void
join (const gchar *phone,
      const gchar *community,
      const gchar *name)
{
  g_autofree gchar *thanks = g_strdup_printf ("Merci %s", name);

  say_expect (phone, "Bonjour", "Bienvenue", "1. Fondjomenkwet", "2. Banja", "3. Bafouka", NULL);
  say_expect (phone, community, "nom d&apos;utilisateur", NULL);
  say_expect (phone, name, thanks, "Inscription en cours", NULL);
}

static void
test_members_join (void)
{
  join (MARIE, "1", "Marie");
  join (PAUL, "1", "Paul");
  join (AWA, "2", "Awa");

  /* The grant arrives once the chain has it, told by a message of ours. */
  g_free (wait_outbound (MARIE, "1000 Fonjoka", 60));
  g_free (wait_outbound (PAUL, "1000 Fonjoka", 60));
  g_free (wait_outbound (AWA, "1000 Banjika", 60));
  say_expect (MARIE, "solde", "1000 Fonjoka", NULL);
  say_expect (AWA, "*SOLDE*", "1000 Banjika", NULL);
}

static guint64 exchange_n;

static void
test_exchange (void)
{
  g_autoptr(BfkConnection) conn = connect_chain ();
  g_autofree gchar *received = NULL;
  g_autofree gchar *accept = NULL;
  g_autofree gchar *done = NULL;
  g_autofree gchar *n_text = NULL;

  say_expect (MARIE, "OFFRIR Couture et retouches 150", "Couture et retouches", "150", NULL);
  say_expect (PAUL, "RECHERCHER couture", "Couture et retouches", "Marie", "150", NULL);
  say_expect (PAUL, "PROPOSER Marie couture 150", "150 Fonjoka", "Marie", "OUI", NULL);
  say_expect (PAUL, "oui", "150 Fonjoka", NULL);

  received = wait_outbound (MARIE, "ACCEPTER", 60);
  exchange_n = number_after (received, "ACCEPTER ");
  g_assert_cmpuint (exchange_n, >, 0);
  g_free (wait_outbound (PAUL, "TERMINE", 30));
  g_assert_cmpuint (chain_uint (conn, "escrowOf", PAUL), ==, 150);
  g_assert_cmpuint (chain_uint (conn, "balanceOf", PAUL), ==, 850);

  n_text = g_strdup_printf ("%" G_GUINT64_FORMAT, exchange_n);
  accept = g_strdup_printf ("accepter %s", n_text);
  say_expect (MARIE, accept, n_text, NULL);
  g_free (wait_outbound (PAUL, "Marie a accepté", 60));

  done = g_strdup_printf ("TERMINE %s", n_text);
  say_expect (PAUL, done, n_text, NULL);
  g_free (wait_outbound (MARIE, "vous avez reçu 150 Fonjoka de Paul", 60));
  g_free (wait_outbound (PAUL, "150 Fonjoka payés à Marie", 60));

  {
    g_autofree gchar *rate_paul = g_strdup_printf ("EVALUER %s 5", n_text);
    g_autofree gchar *rate_marie = g_strdup_printf ("Évaluer %s 4", n_text);

    say_expect (PAUL, rate_paul, n_text, NULL);
    say_expect (MARIE, rate_marie, n_text, NULL);
    g_free (wait_outbound (MARIE, "Paul vous a donné 5/5", 60));
    g_free (wait_outbound (PAUL, "Marie vous a donné 4/5", 60));
  }

  g_assert_cmpuint (chain_uint (conn, "balanceOf", PAUL), ==, 850);
  g_assert_cmpuint (chain_uint (conn, "balanceOf", MARIE), ==, 1150);
  g_assert_cmpuint (chain_uint (conn, "escrowOf", PAUL), ==, 0);
  g_assert_cmpuint (chain_uint (conn, "escrowOf", MARIE), ==, 0);
  g_assert_cmpuint (chain_uint (conn, "reputationOf", MARIE), ==, 5);
  g_assert_cmpuint (chain_uint (conn, "reputationOf", PAUL), ==, 4);
  say_expect (PAUL, "SOLDE", "850 Fonjoka", NULL);
}

static void
test_other_community_refused (void)
{
  g_autoptr(BfkConnection) conn = connect_chain ();
  gint64 proposals = store_count ("SELECT count(*) FROM proposals");
  gint64 operations = store_count ("SELECT count(*) FROM operations");

  say_expect (AWA, "PROPOSER Marie couture 50", "Marie", NULL);
  say_expect (AWA, "OUI", NULL);
  g_assert_cmpint (store_count ("SELECT count(*) FROM proposals"), ==, proposals);
  g_assert_cmpint (store_count ("SELECT count(*) FROM operations"), ==, operations);
  g_assert_cmpuint (chain_uint (conn, "balanceOf", AWA), ==, 1000);
  g_assert_cmpuint (chain_uint (conn, "escrowOf", AWA), ==, 0);
}

static void
test_forged_signature (void)
{
  g_autoptr(BfkForm) form = inbound_form ("SMforged0000000000000000000000000", PAUL, "SOLDE");
  gint64 before = store_count ("SELECT count(*) FROM messages");
  g_autofree gchar *answer = NULL;

  g_assert_cmpuint (post_signed ("/webhook", form, "not-the-token", &answer), ==, 403);
  g_assert_cmpint (store_count ("SELECT count(*) FROM messages"), ==, before);
  /* And no signature at all. */
  {
    g_autofree gchar *body = bfk_form_encode (form);

    g_assert_cmpuint (bfk_test_http_post (j.console.port, "/webhook", body, NULL, NULL, NULL), ==, 403);
  }
  g_assert_cmpint (store_count ("SELECT count(*) FROM messages"), ==, before);
}

static void
test_replayed_sid (void)
{
  const gchar *sid = "SMreplay000000000000000000000000001";
  g_autofree gchar *first = say_with_sid (PAUL, "SOLDE", sid);
  g_autofree gchar *again = say_with_sid (PAUL, "SOLDE", sid);
  g_autofree gchar *other = say_with_sid (PAUL, "AIDE", sid);

  g_assert_cmpstr (first, ==, again);
  /* A retry is the same request: its body is not read again. */
  g_assert_cmpstr (first, ==, other);
  g_assert_cmpint (store_count ("SELECT count(*) FROM messages WHERE twilio_sid = "
                                "'SMreplay000000000000000000000000001'"), ==, 1);
}

static void
test_status_callback (void)
{
  g_autoptr(BfkForm) status = bfk_form_new ();
  g_autoptr(BfkStore) store = NULL;
  g_autofree gchar *sid = NULL;
  g_autofree gchar *answer = NULL;

  /* What Twilio said when it took our first message. */
  sid = g_strdup_printf ("SMf0%030u", 1);
  bfk_form_add (status, "MessageSid", sid);
  bfk_form_add (status, "MessageStatus", "delivered");
  bfk_form_add (status, "AccountSid", ACCOUNT_SID);
  g_assert_cmpuint (post_signed ("/webhook/status", status, AUTH_TOKEN, &answer), ==, 200);
  store = open_store ();
  {
    sqlite3_stmt *stmt = bfk_store_prepare (store, "SELECT status FROM messages WHERE twilio_sid = ?", NULL);

    sqlite3_bind_text (stmt, 1, sid, -1, SQLITE_TRANSIENT);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpstr ((const gchar *) sqlite3_column_text (stmt, 0), ==, "delivered");
    sqlite3_reset (stmt);
  }
  g_assert_cmpuint (post_signed ("/webhook/status", status, "forged", NULL), ==, 403);
}

static void
test_expiry_refunds (void)
{
  g_autoptr(BfkConnection) conn = connect_chain ();
  guint64 before = chain_uint (conn, "balanceOf", PAUL);
  guint offers = count_outbound (MARIE, "ACCEPTER");
  gint64 end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  say_expect (PAUL, "PROPOSER Marie couture 20", "20 Fonjoka", NULL);
  say_expect (PAUL, "OUI", "20 Fonjoka", NULL);
  while (count_outbound (MARIE, "ACCEPTER") == offers)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_usleep (200 * 1000);
    }
  g_assert_cmpuint (chain_uint (conn, "escrowOf", PAUL), ==, 20);

  /* Nobody accepts: after the deadline the backend expires it, and both
   * are told. */
  g_free (wait_outbound (PAUL, "a expiré : vos 20 Fonjoka vous sont rendus", PROPOSAL_TTL + 60));
  g_assert_cmpuint (chain_uint (conn, "escrowOf", PAUL), ==, 0);
  g_assert_cmpuint (chain_uint (conn, "balanceOf", PAUL), ==, before);
  g_assert_cmpuint (count_outbound (MARIE, "avec Paul a expiré"), ==, 1);
}

/* A coordinator enrols Nadia at a village meeting, while the backend runs;
 * her first message is greeted by name, and she is not asked to register. */
static void
test_imported_member (void)
{
  g_auto(BfkCtlRun) r = { 0 };
  g_autofree gchar *answer = NULL;
  gint64 end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  bfk_ctl_run (&r, j.data_dir, "member", "add", "--phone", "+237650000010", "--name", "Nadia",
               "--community", "1", NULL);
  g_assert_cmpint (r.status, ==, 0);
  /* The backend sends her registration; the grant is told to her. */
  while (store_count ("SELECT count(*) FROM accounts a JOIN members m ON m.address = a.address"
                      " WHERE m.name = 'Nadia'") == 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_usleep (200 * 1000);
    }
  answer = say ("+237650000010", "Bonjour");
  g_assert_nonnull (strstr (answer, "Bonjour Nadia"));
  g_assert_null (strstr (answer, "nom d&apos;utilisateur"));
  say_expect ("+237650000010", "SOLDE", "1000 Fonjoka", NULL);
  /* Her grant came before she ever wrote: outside WhatsApp's 24-hour
   * window, with no template configured, it was refused before sending. */
  while (store_count ("SELECT count(*) FROM messages WHERE phone = '+237650000010' AND direction = 'out'"
                      " AND status IN ('queued', 'sending')") > 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_usleep (200 * 1000);
    }
  g_assert_cmpint (store_count ("SELECT count(*) FROM messages WHERE phone = '+237650000010'"
                                " AND status = 'failed' AND error_code = 63016"), ==, 1);
  g_assert_cmpuint (count_outbound ("+237650000010", "1000 Fonjoka"), ==, 0);
}

/* A voice note: a kind reply, and nothing else happens. */
static void
test_media (void)
{
  g_autoptr(BfkForm) form = inbound_form ("SMmedia00000000000000000000000001", MARIE, "");
  g_autoptr(BfkForm) with_media = bfk_form_new ();
  g_autofree gchar *answer = NULL;

  /* The same fields, with one attachment. */
  for (guint i = 0; i < bfk_form_get_n_fields (form); i++)
    bfk_form_add (with_media, bfk_form_get_name (form, i),
                  g_str_equal (bfk_form_get_name (form, i), "NumMedia") ? "1" : bfk_form_get_value (form, i));
  bfk_form_add (with_media, "MediaUrl0", "https://api.twilio.com/2010-04-01/Accounts/" ACCOUNT_SID "/Media/ME1");
  bfk_form_add (with_media, "MediaContentType0", "audio/ogg");
  g_assert_cmpuint (post_signed ("/webhook", with_media, AUTH_TOKEN, &answer), ==, 200);
  g_assert_nonnull (strstr (answer, "seulement les messages écrits"));
}

/* 20 messages a minute per number: then one polite warning, then
 * silence; what is refused is not stored. */
static void
test_rate_limit (void)
{
  const gchar *chatty = "+237650000009";
  g_autofree gchar *warning = NULL;
  g_autofree gchar *silence = NULL;

  for (guint i = 0; i < 20; i++)
    g_free (say (chatty, "Bonjour"));
  warning = say (chatty, "Bonjour");
  g_assert_nonnull (strstr (warning, "Attendez une minute"));
  silence = say (chatty, "Bonjour");
  g_assert_null (strstr (silence, "<Message>"));
  g_assert_cmpint (store_count ("SELECT count(*) FROM messages WHERE phone = '+237650000009'"
                                " AND direction = 'in'"), ==, 20);
}

/* Each notice once: nothing told twice. */
static void
test_no_doubles (void)
{
  g_assert_cmpuint (count_outbound (MARIE, "1000 Fonjoka"), ==, 1);
  g_assert_cmpuint (count_outbound (PAUL, "1000 Fonjoka"), ==, 1);
  g_assert_cmpuint (count_outbound (AWA, "1000 Banjika"), ==, 1);
  g_assert_cmpint (store_count ("SELECT count(*) FROM messages WHERE direction = 'out' AND status = 'failed'"
                                " AND phone <> '+237650000010'"), ==, 0);
}

int
main (int argc, char **argv)
{
  g_autofree gchar *anvil = bfk_local_node_find_anvil (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree gchar *api = NULL;
  g_autofree gchar *ttl = g_strdup_printf ("BAFOKA_PROPOSAL_TTL=%d", PROPOSAL_TTL);
  int status;

  g_test_init (&argc, &argv, NULL);
  if (!anvil)
    {
      g_print ("1..0 # SKIP anvil not found\n");
      return 0;
    }
  j.data_dir = g_dir_make_tmp ("bafoka-journey-XXXXXX", &error);
  g_assert_no_error (error);
  j.twilio = bfk_test_twilio_start (ACCOUNT_SID, AUTH_TOKEN);
  api = g_strconcat ("TWILIO_API_BASE=", bfk_test_twilio_url (j.twilio), NULL);
  bfk_test_console_start (&j.console, j.data_dir,
                          "BAFOKA_PUBLIC_URL=" PUBLIC_URL,
                          "TWILIO_ACCOUNT_SID=" ACCOUNT_SID,
                          "TWILIO_AUTH_TOKEN=" AUTH_TOKEN,
                          "TWILIO_WHATSAPP_NUMBER=" OUR_NUMBER,
                          api, ttl, NULL);
  bfk_test_console_wait_healthy (&j.console, parser);

  g_test_add_func ("/journey/members-join", test_members_join);
  g_test_add_func ("/journey/exchange", test_exchange);
  g_test_add_func ("/journey/other-community-refused", test_other_community_refused);
  g_test_add_func ("/journey/forged-signature", test_forged_signature);
  g_test_add_func ("/journey/replayed-sid", test_replayed_sid);
  g_test_add_func ("/journey/status-callback", test_status_callback);
  g_test_add_func ("/journey/expiry-refunds", test_expiry_refunds);
  g_test_add_func ("/journey/imported-member", test_imported_member);
  g_test_add_func ("/journey/media", test_media);
  g_test_add_func ("/journey/rate-limit", test_rate_limit);
  g_test_add_func ("/journey/no-doubles", test_no_doubles);
  status = g_test_run ();

  if (status != 0)
    {
      g_autofree gchar *log = bfk_test_console_log (&j.console);

      g_printerr ("console log:\n%s\n", log);
    }
  bfk_test_console_clear (&j.console);
  bfk_test_twilio_stop (j.twilio);
  {
    g_autofree gchar *cmd = g_strdup_printf ("rm -rf '%s'", j.data_dir);

    g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL);
  }
  g_free (j.data_dir);
  return status;
}
