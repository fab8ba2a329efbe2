/* bfk-notices.c */
#include "bfk-notices.h"

#include "bfk-bot-texts.h"
#include "bfk-messages.h"
#include "bfk-proposals.h"
#include "bfk-store-rows.h"

#define CURSOR_KEY        "notices_event_cursor"
#define FAILED_SCAN_KEY   "notices_failed_scan"
/* Failures are found by their update time; look back a little further than
 * the last pass, so a row written during it is not missed. */
#define FAILED_LOOKBACK   600

typedef struct
{
  gint64      id;          /* 0: not one of our members */
  gchar      *phone;       /* NULL: enrolled without WhatsApp */
  gchar      *name;
  BfkBotLang  lang;
} Party;

static void
party_clear (Party *p)
{
  g_clear_pointer (&p->phone, g_free);
  g_clear_pointer (&p->name, g_free);
  p->id = 0;
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Party, party_clear)

typedef struct
{
  BfkStore  *store;
  gboolean   can_send;
  guint      queued;
  gint64     now;
} Pass;

/* The member with an address, if any. */
static gboolean
find_party (Pass         *pass,
            const gchar  *value,
            Party        *out,
            GError      **error)
{
  sqlite3_stmt *stmt = bfk_store_prepare (pass->store,
                                          "SELECT id, phone, name, language FROM members WHERE address = ?",
                                          error);
  int rc;

  if (!stmt)
    return FALSE;
  sqlite3_bind_text (stmt, 1, value ? value : "", -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      out->id = sqlite3_column_int64 (stmt, 0);
      out->phone = g_strdup ((const gchar *) sqlite3_column_text (stmt, 1));
      out->name = g_strdup ((const gchar *) sqlite3_column_text (stmt, 2));
      bfk_bot_lang_from_string ((const gchar *) sqlite3_column_text (stmt, 3), &out->lang);
      return TRUE;
    }
  if (rc != SQLITE_DONE)
    {
      bfk_store_set_error (pass->store, error, "finding a member to tell");
      return FALSE;
    }
  return TRUE;
}

/* A community's name and currency, for the texts ("" when unknown). */
static void
community_of (Pass    *pass,
              gint64   community_id,
              gchar  **name,
              gchar  **currency)
{
  sqlite3_stmt *stmt = bfk_store_prepare (pass->store,
                                          "SELECT name, currency_name FROM communities WHERE id = ?", NULL);
  gboolean found;

  if (stmt)
    sqlite3_bind_int64 (stmt, 1, community_id);
  found = stmt && sqlite3_step (stmt) == SQLITE_ROW;
  *name = g_strdup (found ? (const gchar *) sqlite3_column_text (stmt, 0) : "");
  *currency = g_strdup (found ? (const gchar *) sqlite3_column_text (stmt, 1) : "");
}

/* Queues key's message for the party, once. */
static gboolean
tell (Pass          *pass,
      const Party   *party,
      const gchar   *key,
      BfkBotText     text,
      BfkBotVars    *vars,
      GError       **error)
{
  g_autofree gchar *body = NULL;
  gboolean added = FALSE;

  if (party->id == 0 || party->phone == NULL)
    return TRUE;
  vars->name = party->name;
  body = bfk_bot_text (party->lang, text, vars);
  if (!bfk_messages_enqueue_notice (pass->store, party->phone, party->id, body, key, pass->can_send,
                                    &added, error))
    return FALSE;
  pass->queued += added;
  return TRUE;
}

/* One event row, as the follower wrote it (see bfk-follower-apply.c). */
typedef struct
{
  gint64   id;
  gchar   *kind;
  gint64   exchange_id;
  gchar   *account;
  gchar   *counterparty;
  gint64   community_id;
  gint64   amount;
  gchar   *tx_hash;
  gchar   *detail;
} Event;

static void
event_free (Event *e)
{
  g_free (e->kind);
  g_free (e->account);
  g_free (e->counterparty);
  g_free (e->tx_hash);
  g_free (e->detail);
  g_free (e);
}

static gpointer
event_from_row (sqlite3_stmt *stmt)
{
  Event *e = g_new0 (Event, 1);

  e->id = sqlite3_column_int64 (stmt, 0);
  e->kind = bfk_store_column_dup (stmt, 1);
  e->exchange_id = sqlite3_column_int64 (stmt, 2);
  e->account = bfk_store_column_dup (stmt, 3);
  e->counterparty = bfk_store_column_dup (stmt, 4);
  e->community_id = sqlite3_column_int64 (stmt, 5);
  e->amount = sqlite3_column_int64 (stmt, 6);
  e->tx_hash = bfk_store_column_dup (stmt, 7);
  e->detail = bfk_store_column_dup (stmt, 8);
  return e;
}

/* The proposal an event is about: by the exchange number, or for a new
 * exchange by the transaction that proposed it (its attempt's hash). */
static BfkProposal *
proposal_of (Pass        *pass,
             const Event *e,
             GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  BfkProposal *proposal = NULL;
  sqlite3_stmt *stmt;

  if (!e->kind || !g_str_equal (e->kind, "ExchangeProposed"))
    proposal = bfk_proposals_get_by_exchange_id (pass->store, (guint64) e->exchange_id, &local_error);
  else if ((stmt = bfk_store_prepare (pass->store,
                                      "SELECT operation_id FROM tx_attempts WHERE hash = ?", error)))
    {
      sqlite3_bind_text (stmt, 1, e->tx_hash, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        proposal = bfk_proposals_find_by_op (pass->store, sqlite3_column_int64 (stmt, 0), &local_error);
    }
  else
    return NULL;
  if (!proposal && local_error && local_error->domain != BFK_PROPOSAL_ERROR)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return proposal;
}

typedef struct
{
  const gchar       *kind;
  BfkProposalState   state;
  BfkBotText         to_payer;      /* BFK_BOT_N_TEXTS: nothing */
  BfkBotText         to_provider;
} ExchangeNews;

static const ExchangeNews exchange_news[] = {
  { "ExchangeProposed", BFK_PROPOSAL_PROPOSED, BFK_BOT_TEXT_NOTE_PROPOSAL_ESCROWED, BFK_BOT_TEXT_NOTE_PROPOSAL_RECEIVED },
  { "ExchangeAccepted", BFK_PROPOSAL_ACCEPTED, BFK_BOT_TEXT_NOTE_ACCEPTED, BFK_BOT_N_TEXTS },
  { "ExchangeDeclined", BFK_PROPOSAL_DECLINED, BFK_BOT_TEXT_NOTE_DECLINED, BFK_BOT_N_TEXTS },
  { "ExchangeCancelled", BFK_PROPOSAL_CANCELLED, BFK_BOT_N_TEXTS, BFK_BOT_TEXT_NOTE_CANCELLED },
  { "ExchangeCompleted", BFK_PROPOSAL_COMPLETED, BFK_BOT_TEXT_NOTE_COMPLETED_PAYER, BFK_BOT_TEXT_NOTE_COMPLETED_PROVIDER },
  { "ExchangeExpired", BFK_PROPOSAL_EXPIRED, BFK_BOT_TEXT_NOTE_EXPIRED_PAYER, BFK_BOT_TEXT_NOTE_EXPIRED_PROVIDER },
};

static gboolean
exchange_event (Pass               *pass,
                const Event        *e,
                const ExchangeNews *news,
                GError            **error)
{
  g_auto(Party) payer = { 0 };
  g_auto(Party) provider = { 0 };
  g_autoptr(BfkProposal) proposal = NULL;
  g_autofree gchar *community = NULL;
  g_autofree gchar *currency = NULL;
  g_autofree gchar *payer_key = g_strdup_printf ("%s:%" G_GINT64_FORMAT ":payer", e->kind, e->exchange_id);
  g_autofree gchar *provider_key = g_strdup_printf ("%s:%" G_GINT64_FORMAT ":provider", e->kind, e->exchange_id);
  g_autoptr(GError) local_error = NULL;
  gint64 deadline = e->detail ? g_ascii_strtoll (e->detail, NULL, 10) : 0;
  BfkBotVars vars = { .n = (guint64) e->exchange_id, .amount = (guint64) MAX (e->amount, 0) };

  community_of (pass, e->community_id, &community, &currency);
  vars.currency = currency;
  if (!find_party (pass, e->account, &payer, error)
      || !find_party (pass, e->counterparty, &provider, error))
    return FALSE;
  proposal = proposal_of (pass, e, &local_error);
  if (local_error)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (proposal)
    {
      if (proposal->exchange_id == 0
          && !bfk_proposals_set_exchange_id (pass->store, proposal->id, (guint64) e->exchange_id, error))
        return FALSE;
      if (news->state != BFK_PROPOSAL_PROPOSED
          && !bfk_proposals_set_state (pass->store, proposal->id, news->state, error))
        return FALSE;
      vars.service = proposal->service;
    }
  vars.hours = deadline > pass->now ? (guint64) ((deadline - pass->now + 3599) / 3600) : 0;

  vars.other = provider.name;
  if (news->to_payer != BFK_BOT_N_TEXTS && !tell (pass, &payer, payer_key, news->to_payer, &vars, error))
    return FALSE;
  vars.other = payer.name;
  return news->to_provider == BFK_BOT_N_TEXTS
         || tell (pass, &provider, provider_key, news->to_provider, &vars, error);
}

static gboolean
rated_event (Pass         *pass,
             const Event  *e,
             GError      **error)
{
  g_auto(Party) rater = { 0 };
  g_auto(Party) ratee = { 0 };
  g_autofree gchar *key = g_strdup_printf ("ExchangeRated:%" G_GINT64_FORMAT ":%s", e->exchange_id, e->account);
  BfkBotVars vars = { .n = (guint64) e->exchange_id, .stars = (guint64) MAX (e->amount, 0) };

  if (!find_party (pass, e->account, &rater, error)
      || !find_party (pass, e->counterparty, &ratee, error))
    return FALSE;
  vars.other = rater.name;
  return tell (pass, &ratee, key, BFK_BOT_TEXT_NOTE_RATED, &vars, error);
}

static gboolean
registered_event (Pass         *pass,
                  const Event  *e,
                  GError      **error)
{
  g_auto(Party) member = { 0 };
  g_autofree gchar *key = g_strdup_printf ("MemberRegistered:%s", e->account);
  g_autofree gchar *community = NULL;
  g_autofree gchar *currency = NULL;
  BfkBotVars vars = { .amount = (guint64) MAX (e->amount, 0) };

  community_of (pass, e->community_id, &community, &currency);
  vars.community = community;
  vars.currency = currency;
  if (!find_party (pass, e->account, &member, error))
    return FALSE;
  return tell (pass, &member, key, BFK_BOT_TEXT_NOTE_REGISTERED, &vars, error);
}

static gboolean
tell_event (Pass         *pass,
            const Event  *e,
            GError      **error)
{
  if (g_str_equal (e->kind, "MemberRegistered"))
    return registered_event (pass, e, error);
  if (g_str_equal (e->kind, "ExchangeRated"))
    return rated_event (pass, e, error);
  for (gsize i = 0; i < G_N_ELEMENTS (exchange_news); i++)
    if (g_str_equal (e->kind, exchange_news[i].kind))
      return exchange_event (pass, e, &exchange_news[i], error);
  return TRUE;
}

static gboolean
set_meta_int (BfkStore     *store,
              const gchar  *key,
              gint64        value,
              GError      **error)
{
  g_autofree gchar *text = g_strdup_printf ("%" G_GINT64_FORMAT, value);

  return bfk_store_set_meta (store, key, text, error);
}

static gboolean
start_cursor (Pass     *pass,
              GError  **error)
{
  sqlite3_stmt *stmt = bfk_store_prepare (pass->store, "SELECT coalesce (max (id), 0) FROM events", error);

  if (!stmt)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      bfk_store_set_error (pass->store, error, "reading the last event");
      return FALSE;
    }
  return set_meta_int (pass->store, CURSOR_KEY, sqlite3_column_int64 (stmt, 0), error);
}

static gboolean
tell_events (Pass      *pass,
             guint      limit,
             gboolean  *more,
             GError   **error)
{
  g_autofree gchar *start = bfk_store_get_meta (pass->store, CURSOR_KEY);
  gint64 cursor = start ? g_ascii_strtoll (start, NULL, 10) : 0;
  sqlite3_stmt *stmt;
  g_autoptr(GPtrArray) rows = NULL;

  *more = FALSE;
  if (!start)
    return start_cursor (pass, error);
  stmt = bfk_store_prepare (pass->store,
      "SELECT id, kind, coalesce (exchange_id, 0), account, counterparty, coalesce (community_id, 0),"
      "       coalesce (amount, 0), tx_hash, detail"
      "  FROM events WHERE id > ? ORDER BY id LIMIT ?", error);

  if (!stmt)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, cursor);
  sqlite3_bind_int64 (stmt, 2, limit);
  /* Read out first: telling prepares other statements on the connection. */
  rows = bfk_store_rows (pass->store, stmt, event_from_row, (GDestroyNotify) event_free, error);
  if (!rows)
    return FALSE;
  *more = rows->len == limit;
  for (guint i = 0; i < rows->len; i++)
    {
      const Event *e = g_ptr_array_index (rows, i);

      if (!tell_event (pass, e, error))
        return FALSE;
      cursor = e->id;
    }
  return set_meta_int (pass->store, CURSOR_KEY, cursor, error);
}

/* Operations made for a member that failed for good.  A failed proposal
 * frees nothing on chain (it never escrowed), but the member waits for it. */
static gboolean
tell_failures (Pass     *pass,
               GError  **error)
{
  g_autofree gchar *last = bfk_store_get_meta (pass->store, FAILED_SCAN_KEY);
  gint64 since = last ? g_ascii_strtoll (last, NULL, 10) - FAILED_LOOKBACK : 0;
  sqlite3_stmt *stmt;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) kinds = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) addresses = g_ptr_array_new_with_free_func (g_free);
  int rc;

  /* Like the events: a first pass starts from now. */
  if (!last)
    return set_meta_int (pass->store, FAILED_SCAN_KEY, pass->now, error);
  stmt = bfk_store_prepare (pass->store,
      "SELECT o.id, o.kind, m.address FROM operations o JOIN members m ON m.id = o.member_id"
      " WHERE o.state = 'failed' AND o.updated_at >= ? ORDER BY o.id", error);
  if (!stmt)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, since);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
      g_ptr_array_add (kinds, bfk_store_column_dup (stmt, 1));
      g_ptr_array_add (addresses, bfk_store_column_dup (stmt, 2));
    }
  if (rc != SQLITE_DONE)
    {
      bfk_store_set_error (pass->store, error, "reading failed operations");
      return FALSE;
    }
  for (guint i = 0; i < ids->len; i++)
    {
      gint64 op_id = g_array_index (ids, gint64, i);
      const gchar *kind = g_ptr_array_index (kinds, i);
      g_auto(Party) member = { 0 };
      g_autoptr(BfkProposal) proposal = NULL;
      g_autofree gchar *key = g_strdup_printf ("failed:%" G_GINT64_FORMAT, op_id);
      BfkBotVars vars = { 0 };
      gboolean registration = g_str_equal (kind, "register_member");

      if (g_str_equal (kind, "propose_exchange")
          && (proposal = bfk_proposals_find_by_op (pass->store, op_id, NULL))
          && proposal->state == BFK_PROPOSAL_PENDING
          && !bfk_proposals_set_state (pass->store, proposal->id, BFK_PROPOSAL_FAILED, error))
        return FALSE;
      if (!find_party (pass, g_ptr_array_index (addresses, i), &member, error)
          || !tell (pass, &member, key,
                    registration ? BFK_BOT_TEXT_NOTE_REGISTRATION_FAILED : BFK_BOT_TEXT_NOTE_OP_FAILED,
                    &vars, error))
        return FALSE;
    }
  return set_meta_int (pass->store, FAILED_SCAN_KEY, pass->now, error);
}

gboolean
bfk_notices_step (BfkStore   *store,
                  gboolean    can_send,
                  guint       limit,
                  guint      *queued,
                  gboolean   *more,
                  GError    **error)
{
  Pass pass = { .store = store, .can_send = can_send, .now = bfk_store_now () };
  gboolean left = FALSE;

  if (!bfk_store_begin (store, error))
    return FALSE;
  if (!tell_events (&pass, limit, &left, error) || !tell_failures (&pass, error)
      || !bfk_store_commit (store, error))
    {
      bfk_store_rollback (store);
      return FALSE;
    }
  if (queued)
    *queued = pass.queued;
  if (more)
    *more = left;
  return TRUE;
}
