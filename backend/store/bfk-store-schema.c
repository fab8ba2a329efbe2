/* bfk-store-schema.c: the schema, as numbered migrations.
 *
 * Never edit a migration that has shipped: add the next one.  Amounts are
 * whole units of a community's currency (the contract has no decimals) and
 * fit in SQLite's 64-bit integers; wei amounts (fees, gas balances) are
 * decimal TEXT.  Addresses are EIP-55 text, hashes 0x-prefixed lowercase
 * hex, times seconds since the epoch.
 */
#include "bfk-store-schema.h"

static const gchar *const migrations[] = {
  /* 1: chain state, the outbox, and members. */
  "CREATE TABLE meta (\n"
  "  key   TEXT PRIMARY KEY,\n"
  "  value TEXT NOT NULL\n"
  ");\n"

  /* Members: created here first, then registered on chain by an operation.
   * The private key is sealed (bfk-key-box.h) under a key derived from the
   * operator's, never stored in plaintext. */
  "CREATE TABLE members (\n"
  "  id            INTEGER PRIMARY KEY,\n"
  "  phone         TEXT UNIQUE,\n"
  "  name          TEXT NOT NULL,\n"
  "  community_id  INTEGER NOT NULL,\n"
  "  address       TEXT NOT NULL UNIQUE,\n"
  "  key_box       BLOB,\n"
  "  created_at    INTEGER NOT NULL\n"
  ");\n"
  "CREATE UNIQUE INDEX members_name ON members (community_id, name COLLATE NOCASE);\n"

  /* The next nonce of each signing key, reserved when an operation is
   * queued, in the same transaction. */
  "CREATE TABLE signers (\n"
  "  address     TEXT PRIMARY KEY,\n"
  "  next_nonce  INTEGER NOT NULL\n"
  ");\n"

  /* The outbox: every chain write is a row here before anything is sent. */
  "CREATE TABLE operations (\n"
  "  id             INTEGER PRIMARY KEY,\n"
  "  kind           TEXT NOT NULL,\n"
  "  signer         TEXT NOT NULL,\n"
  "  nonce          INTEGER,  -- NULL: given back by an operation that failed unsigned\n"
  "  target         TEXT NOT NULL,\n"
  "  calldata       BLOB NOT NULL,\n"
  "  summary        TEXT NOT NULL,\n"
  "  member_id      INTEGER REFERENCES members (id),\n"
  "  community_id   INTEGER,\n"
  "  exchange_id    INTEGER,\n"
  "  amount         INTEGER,\n"
  "  state          TEXT NOT NULL CHECK (state IN ('queued', 'signed', 'sent', 'mined',\n"
  "                                                'confirmed', 'failed', 'replaced')),\n"
  "  failure_class  TEXT,\n"
  "  reason         TEXT,\n"
  "  attempts       INTEGER NOT NULL DEFAULT 0,\n"
  "  tx_hash        TEXT,\n"
  "  block_number   INTEGER,\n"
  "  block_hash     TEXT,\n"
  "  gas_used       INTEGER,\n"
  "  fee_paid       TEXT,\n"
  "  created_at     INTEGER NOT NULL,\n"
  "  sent_at        INTEGER,\n"
  "  mined_at       INTEGER,\n"
  "  confirmed_at   INTEGER,\n"
  "  updated_at     INTEGER NOT NULL,\n"
  "  UNIQUE (signer, nonce)\n"
  ");\n"
  "CREATE INDEX operations_state ON operations (state);\n"
  "CREATE INDEX operations_member ON operations (member_id);\n"

  /* Each signed transaction of an operation: the bytes are stored before
   * they are sent, so that a restart can ask the node about them. */
  "CREATE TABLE tx_attempts (\n"
  "  id                INTEGER PRIMARY KEY,\n"
  "  operation_id      INTEGER NOT NULL REFERENCES operations (id),\n"
  "  hash              TEXT NOT NULL UNIQUE,\n"
  "  raw               BLOB NOT NULL,\n"
  "  gas_limit         INTEGER NOT NULL,\n"
  "  max_fee           TEXT NOT NULL,\n"
  "  max_priority_fee  TEXT NOT NULL,\n"
  "  created_at        INTEGER NOT NULL,\n"
  "  sent_at           INTEGER,\n"
  "  error             TEXT\n"
  ");\n"
  "CREATE INDEX tx_attempts_operation ON tx_attempts (operation_id);\n"

  /* The follower's record of the canonical chain it has read, to notice a
   * reorganisation (a block hash that changed). */
  "CREATE TABLE blocks (\n"
  "  number       INTEGER PRIMARY KEY,\n"
  "  hash         TEXT NOT NULL,\n"
  "  parent_hash  TEXT NOT NULL\n"
  ");\n"

  /* The contract's events, decoded. */
  "CREATE TABLE events (\n"
  "  id            INTEGER PRIMARY KEY,\n"
  "  block_number  INTEGER NOT NULL,\n"
  "  block_hash    TEXT NOT NULL,\n"
  "  tx_hash       TEXT NOT NULL,\n"
  "  log_index     INTEGER NOT NULL,\n"
  "  kind          TEXT NOT NULL,\n"
  "  community_id  INTEGER,\n"
  "  exchange_id   INTEGER,\n"
  "  account       TEXT,\n"
  "  counterparty  TEXT,\n"
  "  amount        INTEGER,\n"
  "  detail        TEXT,\n"
  "  confirmed     INTEGER NOT NULL DEFAULT 0,\n"
  "  UNIQUE (block_hash, log_index)\n"
  ");\n"
  "CREATE INDEX events_block ON events (block_number);\n"
  "CREATE INDEX events_tx ON events (tx_hash);\n"
  "CREATE INDEX events_account ON events (account);\n"

  /* What the chain says, derived from the events. */
  "CREATE TABLE communities (\n"
  "  id               INTEGER PRIMARY KEY,\n"
  "  name             TEXT NOT NULL,\n"
  "  currency_name    TEXT NOT NULL,\n"
  "  currency_symbol  TEXT NOT NULL,\n"
  "  members          INTEGER NOT NULL DEFAULT 0,\n"
  "  supply           INTEGER NOT NULL DEFAULT 0,\n"
  "  exchanges        INTEGER NOT NULL DEFAULT 0\n"
  ");\n"
  "CREATE TABLE accounts (\n"
  "  address           TEXT PRIMARY KEY,\n"
  "  community_id      INTEGER NOT NULL,\n"
  "  balance           INTEGER NOT NULL DEFAULT 0,\n"
  "  escrow            INTEGER NOT NULL DEFAULT 0,\n"
  "  reputation        INTEGER NOT NULL DEFAULT 0,\n"
  "  ratings           INTEGER NOT NULL DEFAULT 0,\n"
  "  exchanges         INTEGER NOT NULL DEFAULT 0,\n"
  "  registered_block  INTEGER NOT NULL\n"
  ");\n"
  "CREATE INDEX accounts_community ON accounts (community_id);\n"
  "CREATE TABLE exchanges (\n"
  "  id            INTEGER PRIMARY KEY,\n"
  "  payer         TEXT NOT NULL,\n"
  "  provider      TEXT NOT NULL,\n"
  "  community_id  INTEGER NOT NULL,\n"
  "  amount        INTEGER NOT NULL,\n"
  "  deadline      INTEGER NOT NULL,\n"
  "  state         INTEGER NOT NULL,\n"
  "  updated_block INTEGER NOT NULL\n"
  ");\n"
  "CREATE TABLE backers (\n"
  "  address       TEXT PRIMARY KEY,\n"
  "  community_id  INTEGER NOT NULL,\n"
  "  weekly_cap    INTEGER NOT NULL,\n"
  "  active        INTEGER NOT NULL\n"
  ");\n"

  /* Named progress counters: the follower's last block, and so on. */
  "CREATE TABLE sync (\n"
  "  key    TEXT PRIMARY KEY,\n"
  "  value  INTEGER NOT NULL\n"
  ");\n",

  /* 2: the follower finds an exchange's earlier events when it undoes one
   * in a reorganisation. */
  "CREATE INDEX events_exchange ON events (exchange_id);\n",

  /* 3: WhatsApp: conversations, messages, offers and exchange proposals. */
  "ALTER TABLE members ADD COLUMN language TEXT NOT NULL DEFAULT 'fr';\n"
  "ALTER TABLE members ADD COLUMN last_seen_at INTEGER;\n"

  /* One per phone number, registered or not yet: the bot's state, and what
   * the console's inbox shows.  last_inbound_at opens Twilio's 24-hour
   * window for free-form replies. */
  "CREATE TABLE conversations (\n"
  "  phone            TEXT PRIMARY KEY,\n"
  "  member_id        INTEGER REFERENCES members (id),\n"
  "  state            TEXT NOT NULL DEFAULT 'INIT'\n"
  "                   CHECK (state IN ('INIT', 'COMMUNITY_CHOSEN', 'REGISTERED',\n"
  "                                    'SEARCHING', 'EXCHANGING')),\n"
  "  pending          TEXT,  -- the bot's, opaque here\n"
  "  language         TEXT NOT NULL DEFAULT 'fr',\n"
  "  needs_agent      INTEGER NOT NULL DEFAULT 0,\n"
  "  needs_agent_at   INTEGER,\n"
  "  taken_over_by    TEXT,\n"
  "  unread           INTEGER NOT NULL DEFAULT 0,\n"
  "  last_inbound_at  INTEGER,\n"
  "  created_at       INTEGER NOT NULL,\n"
  "  updated_at       INTEGER NOT NULL\n"
  ");\n"

  /* Every WhatsApp message, both ways.  Outbound ones are also the send
   * queue: 'queued' rows are due at next_attempt_at. */
  "CREATE TABLE messages (\n"
  "  id               INTEGER PRIMARY KEY,\n"
  "  phone            TEXT NOT NULL,\n"
  "  member_id        INTEGER REFERENCES members (id),\n"
  "  direction        TEXT NOT NULL CHECK (direction IN ('in', 'out')),\n"
  "  body             TEXT NOT NULL,\n"
  "  twilio_sid       TEXT UNIQUE,  -- NULLs never collide\n"
  "  status           TEXT NOT NULL CHECK (status IN ('received', 'queued', 'not_sent', 'sending',\n"
  "                                                   'sent', 'delivered', 'read', 'failed',\n"
  "                                                   'undelivered')),\n"
  "  error_code       INTEGER,\n"
  "  error_reason     TEXT,\n"
  "  kind             TEXT NOT NULL DEFAULT 'text' CHECK (kind IN ('text', 'template')),\n"
  "  attempts         INTEGER NOT NULL DEFAULT 0,\n"
  "  next_attempt_at  INTEGER,\n"
  "  created_at       INTEGER NOT NULL,\n"
  "  updated_at       INTEGER NOT NULL\n"
  ");\n"
  /* A thread reads newest first by id, which the index holds after phone. */
  "CREATE INDEX messages_thread ON messages (phone, id);\n"
  "CREATE INDEX messages_due ON messages (next_attempt_at) WHERE status = 'queued';\n"

  /* The MessageSid of each inbound message handled, with the TwiML that
   * answered it: Twilio retries a webhook it did not hear back from. */
  "CREATE TABLE processed_sids (\n"
  "  message_sid  TEXT PRIMARY KEY,\n"
  "  reply        TEXT,  -- NULL until the answer is stored\n"
  "  created_at   INTEGER NOT NULL\n"
  ") WITHOUT ROWID;\n"

  /* Service offers, kept off chain.  offers_fts indexes their titles
   * without regard to case or accents ("electricite" finds "Électricité");
   * the triggers keep it in step with the table. */
  "CREATE TABLE offers (\n"
  "  id            INTEGER PRIMARY KEY,\n"
  "  member_id     INTEGER NOT NULL REFERENCES members (id),\n"
  "  community_id  INTEGER NOT NULL,\n"
  "  title         TEXT NOT NULL,\n"
  "  price         INTEGER NOT NULL CHECK (price > 0),\n"
  "  active        INTEGER NOT NULL DEFAULT 1,\n"
  "  created_at    INTEGER NOT NULL\n"
  ");\n"
  "CREATE INDEX offers_member ON offers (member_id);\n"
  "CREATE VIRTUAL TABLE offers_fts USING fts5 (\n"
  "  title, content = 'offers', content_rowid = 'id',\n"
  "  tokenize = 'unicode61 remove_diacritics 2'\n"
  ");\n"
  "CREATE TRIGGER offers_fts_insert AFTER INSERT ON offers BEGIN\n"
  "  INSERT INTO offers_fts (rowid, title) VALUES (new.id, new.title);\n"
  "END;\n"
  "CREATE TRIGGER offers_fts_delete AFTER DELETE ON offers BEGIN\n"
  "  INSERT INTO offers_fts (offers_fts, rowid, title) VALUES ('delete', old.id, old.title);\n"
  "END;\n"
  "CREATE TRIGGER offers_fts_update AFTER UPDATE OF title ON offers BEGIN\n"
  "  INSERT INTO offers_fts (offers_fts, rowid, title) VALUES ('delete', old.id, old.title);\n"
  "  INSERT INTO offers_fts (rowid, title) VALUES (new.id, new.title);\n"
  "END;\n"

  /* An exchange asked for on WhatsApp, before and after it is on chain:
   * op_id is the outbox operation that proposes it, exchange_id the
   * contract's number for it once the operation is mined. */
  "CREATE TABLE proposals (\n"
  "  id              INTEGER PRIMARY KEY,\n"
  "  payer_id        INTEGER NOT NULL REFERENCES members (id),\n"
  "  provider_id     INTEGER NOT NULL REFERENCES members (id),\n"
  "  community_id    INTEGER NOT NULL,\n"
  "  service         TEXT NOT NULL,\n"
  "  amount          INTEGER NOT NULL CHECK (amount > 0),\n"
  "  deadline        INTEGER NOT NULL,\n"
  "  op_id           INTEGER REFERENCES operations (id),\n"
  "  exchange_id     INTEGER UNIQUE,\n"
  "  state           TEXT NOT NULL DEFAULT 'pending'\n"
  "                  CHECK (state IN ('pending', 'proposed', 'accepted', 'completed', 'declined',\n"
  "                                   'cancelled', 'expired', 'failed')),\n"
  "  payer_rated     INTEGER NOT NULL DEFAULT 0,\n"
  "  provider_rated  INTEGER NOT NULL DEFAULT 0,\n"
  "  created_at      INTEGER NOT NULL,\n"
  "  updated_at      INTEGER NOT NULL\n"
  ");\n"
  "CREATE INDEX proposals_payer ON proposals (payer_id);\n"
  "CREATE INDEX proposals_provider ON proposals (provider_id);\n"
  "CREATE INDEX proposals_op ON proposals (op_id);\n"
  "CREATE INDEX proposals_deadline ON proposals (deadline) WHERE state = 'proposed';\n",

  /* 4: a notice of a chain event is queued once, even when the event is
   * read again (a reorganisation, a restart); and the bot finds members by
   * name in any community, to say "not in your community". */
  "ALTER TABLE messages ADD COLUMN notice_key TEXT;\n"
  "CREATE UNIQUE INDEX messages_notice ON messages (notice_key) WHERE notice_key IS NOT NULL;\n"
  "CREATE INDEX members_name_any ON members (name COLLATE NOCASE);\n"
  /* What completed exchanges paid in each community, kept by the follower:
   * the bot's COMMUNAUTE must not sum a community's history each time. */
  "ALTER TABLE communities ADD COLUMN volume INTEGER NOT NULL DEFAULT 0;\n"
  "UPDATE communities SET volume = (SELECT coalesce (sum (amount), 0) FROM exchanges"
  "  WHERE exchanges.community_id = communities.id AND state = 3);\n",

  /* 5: what admins did, from the console or bafokactl.  A record that can
   * be rewritten proves nothing: the triggers refuse every UPDATE and
   * DELETE, so rows are only ever added. */
  "CREATE TABLE audit (\n"
  "  id             INTEGER PRIMARY KEY,\n"
  "  at             INTEGER NOT NULL,\n"
  "  actor_address  TEXT,  -- the signing key's, NULL when nothing was signed\n"
  "  os_user        TEXT,\n"
  "  source         TEXT NOT NULL CHECK (source IN ('console', 'bafokactl')),\n"
  "  action         TEXT NOT NULL,\n"
  "  subject        TEXT,\n"
  "  detail         TEXT,\n"
  "  result         TEXT NOT NULL\n"
  ");\n"
  "CREATE INDEX audit_action ON audit (action, id);\n"
  "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN\n"
  "  SELECT RAISE(ABORT, 'the audit log is append-only');\n"
  "END;\n"
  "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN\n"
  "  SELECT RAISE(ABORT, 'the audit log is append-only');\n"
  "END;\n",

  /* 6: the operator's hand on a stuck operation: a bump or a cancel asked
   * from the console, stored so that the driver carries it out once, even
   * across a restart (bfk_outbox_request_bump, _cancel). */
  "ALTER TABLE operations ADD COLUMN request TEXT CHECK (request IN ('bump', 'cancel'));\n",

  /* 7: the console's member search, fast on a million members.  A rare
   * text is found through a trigram index of names and phones; a common
   * one ("mar") by scanning an index that holds everything the search and
   * the name order read, without touching the table (bfk-member-model.c). */
  "DROP INDEX members_name_any;\n"
  "CREATE INDEX members_name_scan ON members (name COLLATE NOCASE, phone, community_id);\n"
  "CREATE VIRTUAL TABLE members_search USING fts5 (name, phone, content = 'members',"
  "  content_rowid = 'id', tokenize = 'trigram');\n"
  "INSERT INTO members_search (members_search) VALUES ('rebuild');\n"
  "CREATE TRIGGER members_search_insert AFTER INSERT ON members BEGIN\n"
  "  INSERT INTO members_search (rowid, name, phone) VALUES (new.id, new.name, new.phone);\n"
  "END;\n"
  "CREATE TRIGGER members_search_delete AFTER DELETE ON members BEGIN\n"
  "  INSERT INTO members_search (members_search, rowid, name, phone)"
  "    VALUES ('delete', old.id, old.name, old.phone);\n"
  "END;\n"
  "CREATE TRIGGER members_search_update AFTER UPDATE OF name, phone ON members BEGIN\n"
  "  INSERT INTO members_search (members_search, rowid, name, phone)"
  "    VALUES ('delete', old.id, old.name, old.phone);\n"
  "  INSERT INTO members_search (rowid, name, phone) VALUES (new.id, new.name, new.phone);\n"
  "END;\n",
};

guint
bfk_store_n_migrations (void)
{
  return G_N_ELEMENTS (migrations);
}

const gchar *
bfk_store_migration (guint version)
{
  g_return_val_if_fail (version >= 1 && version <= G_N_ELEMENTS (migrations), NULL);

  return migrations[version - 1];
}
