/* bfk-outbox.c: the driver.
 *
 * A step is a few round trips, whatever the number of operations: the
 * head, balance and nonce counts in one JSON-RPC batch, receipts in
 * another, estimates in a third; and a few SQLite transactions, one per
 * phase.  The order inside a phase is always the same: ask the node, write
 * what was learnt (signed bytes before they leave), then send.  New
 * transactions leave through a pipe, a thread that sends them back to back
 * while the next ones are prepared, and whose answers are written by the
 * next phase that commits.  A kill between any two lines leaves rows that
 * bfk_outbox_recover can settle by asking the node again.
 *
 * A step that finds the world as the last one left it (same head, counts
 * and queue) does nothing but look, for FULL_PASS_MS: a driver called in a
 * loop then costs the node one request a step.
 */
#include "bfk-outbox.h"
#include "bfk-outbox-private.h"
#include "bfk-outbox-rpc.h"

#include "bfk-chain-error.h"
#include "bfk-tx.h"

#include <string.h>

/* An estimate is exact for the state it ran on; the margin covers the state
 * changing a little before the transaction is mined. */
#define GAS_MARGIN_PERCENT 20
/* Transactions per HTTP request when sending again.  One request in
 * flight, so that the node sees the nonces in order (anvil strands
 * transactions that arrive out of order at once: see bfk-sender.c). */
#define SEND_CHUNK 100
/* Queued operations estimated, signed and stored together.  Each chunk
 * joins the pipe (bfk_outbox_rpc_pipe) and is sent while the next one, of
 * this pass or of the next, is prepared: the node's work on the one
 * overlaps ours, and the disk's, on the next. */
#define SIGN_CHUNK 100
/* Transactions that queued up in the pipe and go in one request. */
#define PIPE_REQUEST_MAX 250
/* How long the node's pending count may leave out a transaction it took
 * before the driver acts on it. */
#define UNCOUNTED_WAIT_MS 50
/* A pass that sees nothing new still looks at everything this often. */
#define FULL_PASS_MS 500
/* How long an estimate serves the operations like it. */
#define GAS_MEMO_S 10

typedef struct
{
  BfkPrivateKey key;
  BfkAddress    address;
} OutboxKey;

struct _BfkOutbox
{
  BfkStore          *store;
  BfkRpcClient      *rpc;
  guint64            chain_id;
  BfkOutboxConfig    config;
  GArray            *keys;           /* of OutboxKey; the first is the operator */
  BfkOutboxObserver  observer;
  gpointer           observer_data;
  gboolean           recovered;
  BfkGasState        gas_state;
  /* The node said "insufficient funds" at this balance: paused until the
   * balance is higher. */
  gboolean           funds_refused;
  BfkU256            funds_refused_at;
  BfkRlpWriter       scratch;
  GByteArray        *buf;
  /* Attempts the node took but then left out of its pending count: attempt
   * id → Uncounted. */
  GHashTable        *uncounted;
  /* What the last full pass saw at its start (head, operations under way,
   * nonce counts), and when. */
  GArray            *view;
  gint64             full_pass_at;
  /* Gas estimates that serve later operations of the same kind and
   * community (bfk_outbox_rpc_prepare), and when the memo was started. */
  GHashTable        *gas_memo;
  gint64             gas_memo_at;
  /* New attempts on their way (bfk_outbox_rpc_pipe): chunks pushed and not
   * yet recorded, and the ids of their attempts, which passes leave alone
   * until what the node said of them is recorded. */
  BfkOutboxPipe     *pipe;
  guint              pipe_out;
  GHashTable        *piped;
};

/* What one pass knows. */
typedef struct
{
  BfkOutbox       *outbox;
  BfkOutboxReport *report;
  GArray          *changes;       /* of BfkOutboxChange, until the next commit */
  BfkFees          fees;
  gboolean         have_fees;
  gboolean         force_resend;  /* recovery: the node may have lost anything */
  gboolean         light;         /* the open transaction does not wait for the disk */
  guint64          head;          /* the node's block number at the start */
  GHashTable      *in_flight;     /* signer text → operations sent and not mined */
  GHashTable      *latest;        /* signer text → nonce count, "latest" */
  GHashTable      *pending;       /* signer text → nonce count, "pending" */
} Step;

typedef struct
{
  BfkOutboxOp      *op;
  BfkOutboxAttempt *attempt;
} Outgoing;

/* An attempt the node's pending count leaves out. */
typedef struct
{
  gint64   id;            /* the attempt's, and the key */
  gint64   since;         /* monotonic µs: first seen left out */
  gboolean resent;
  gboolean known;         /* sent again, the node said it has it */
} Uncounted;

/* --- the object ----------------------------------------------------------- */

static void close_pipe (BfkOutbox *outbox);

BfkOutbox *
bfk_outbox_new (BfkStore              *store,
                BfkRpcClient          *rpc,
                guint64                chain_id,
                const BfkOutboxConfig *config)
{
  BfkOutbox *outbox = g_new0 (BfkOutbox, 1);

  outbox->store = store;
  outbox->rpc = bfk_rpc_client_ref (rpc);
  outbox->chain_id = chain_id;
  outbox->config = *config;
  if (outbox->config.batch_size == 0)
    outbox->config.batch_size = 100;
  outbox->keys = g_array_new (FALSE, TRUE, sizeof (OutboxKey));
  outbox->buf = g_byte_array_new ();
  outbox->uncounted = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, g_free);
  outbox->piped = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  bfk_rlp_writer_init (&outbox->scratch);
  return outbox;
}

void
bfk_outbox_free (BfkOutbox *outbox)
{
  if (outbox == NULL)
    return;
  for (guint i = 0; i < outbox->keys->len; i++)
    bfk_private_key_wipe (&g_array_index (outbox->keys, OutboxKey, i).key);
  g_array_unref (outbox->keys);
  g_byte_array_unref (outbox->buf);
  g_hash_table_unref (outbox->uncounted);
  g_clear_pointer (&outbox->view, g_array_unref);
  g_clear_pointer (&outbox->gas_memo, g_hash_table_unref);
  close_pipe (outbox);
  g_hash_table_unref (outbox->piped);
  bfk_rlp_writer_clear (&outbox->scratch);
  bfk_rpc_client_unref (outbox->rpc);
  g_free (outbox);
}

void
bfk_outbox_add_key (BfkOutbox           *outbox,
                    const BfkPrivateKey *key)
{
  OutboxKey k = { .key = *key };

  if (!bfk_private_key_to_address (key, &k.address, NULL))
    return;
  for (guint i = 0; i < outbox->keys->len; i++)
    if (bfk_address_equal (&g_array_index (outbox->keys, OutboxKey, i).address, &k.address))
      {
        bfk_private_key_wipe (&k.key);
        return;
      }
  g_array_append_val (outbox->keys, k);
  bfk_private_key_wipe (&k.key);
}

void
bfk_outbox_set_observer (BfkOutbox         *outbox,
                         BfkOutboxObserver  observer,
                         gpointer           user_data)
{
  outbox->observer = observer;
  outbox->observer_data = user_data;
}

static const OutboxKey *
find_key (BfkOutbox        *outbox,
          const BfkAddress *address)
{
  for (guint i = 0; i < outbox->keys->len; i++)
    {
      const OutboxKey *k = &g_array_index (outbox->keys, OutboxKey, i);

      if (bfk_address_equal (&k->address, address))
        return k;
    }
  return NULL;
}

/* --- a step's bookkeeping ------------------------------------------------- */

static void
step_init (Step            *s,
           BfkOutbox       *outbox,
           BfkOutboxReport *report)
{
  *s = (Step) { .outbox = outbox, .report = report };
  s->changes = g_array_new (FALSE, FALSE, sizeof (BfkOutboxChange));
  s->in_flight = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  s->latest = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  s->pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static void
step_clear (Step *s)
{
  g_array_unref (s->changes);
  g_hash_table_unref (s->in_flight);
  g_hash_table_unref (s->latest);
  g_hash_table_unref (s->pending);
}

static guint
in_flight_count (Step             *s,
                 const BfkAddress *signer)
{
  gchar key[BFK_ADDRESS_STRING_SIZE];

  bfk_address_to_string_buf (signer, key);
  return GPOINTER_TO_UINT (g_hash_table_lookup (s->in_flight, key));
}

static void
count_in_flight (Step             *s,
                 const BfkAddress *signer)
{
  gchar key[BFK_ADDRESS_STRING_SIZE];

  bfk_address_to_string_buf (signer, key);
  g_hash_table_insert (s->in_flight, g_strdup (key),
                       GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (s->in_flight, key)) + 1));
}

static void
remember_nonce (GHashTable       *cache,
                const BfkAddress *signer,
                guint64           count)
{
  gchar key[BFK_ADDRESS_STRING_SIZE];

  bfk_address_to_string_buf (signer, key);
  g_hash_table_insert (cache, g_strdup (key), g_memdup2 (&count, sizeof count));
}

/* The signer's nonce count at tag, asked once per step. */
static gboolean
signer_nonce (Step              *s,
              const BfkAddress  *signer,
              gboolean           pending,
              guint64           *out,
              GError           **error)
{
  GHashTable *cache = pending ? s->pending : s->latest;
  gchar key[BFK_ADDRESS_STRING_SIZE];
  guint64 *cached;

  bfk_address_to_string_buf (signer, key);
  if ((cached = g_hash_table_lookup (cache, key)) != NULL)
    {
      *out = *cached;
      return TRUE;
    }
  if (!bfk_rpc_client_get_transaction_count (s->outbox->rpc, signer, pending ? "pending" : "latest",
                                             out, error))
    return FALSE;
  remember_nonce (cache, signer, *out);
  return TRUE;
}

static gboolean
step_fees (Step     *s,
           GError  **error)
{
  if (!s->have_fees)
    s->have_fees = bfk_fees_suggest (s->outbox->rpc, s->outbox->chain_id, &s->fees, error);
  return s->have_fees;
}

static void
tally (BfkOutboxReport *report,
       BfkOpState       new_state)
{
  switch (new_state)
    {
    case BFK_OP_SIGNED:
      report->signed_now++;
      break;
    case BFK_OP_SENT:
      report->sent_now++;
      break;
    case BFK_OP_MINED:
      report->mined_now++;
      break;
    case BFK_OP_CONFIRMED:
      report->confirmed_now++;
      break;
    case BFK_OP_FAILED:
      report->failed_now++;
      break;
    default:
      break;
    }
}

/* A commit in WAL mode with synchronous=FULL waits for the disk.  One that
 * only records what the node said (taken, mined, confirmed) need not: the
 * node can be asked again after a power cut, which is what recovery does,
 * and the next commit that waits carries it to the disk with its own.
 * Signed bytes are always committed with the wait, before they leave.
 * SQLite takes the setting only outside a transaction. */
static gboolean
begin_commit (Step     *s,
              gboolean  durable,
              GError  **error)
{
  g_array_set_size (s->changes, 0);
  s->light = !durable;
  if (s->light && !bfk_store_exec (s->outbox->store, "PRAGMA synchronous = NORMAL", error))
    {
      s->light = FALSE;
      return FALSE;
    }
  return bfk_store_begin (s->outbox->store, error);
}

static gboolean
begin (Step     *s,
       GError  **error)
{
  return begin_commit (s, TRUE, error);
}

/* begin, for what the node said. */
static gboolean
begin_answers (Step     *s,
               GError  **error)
{
  return begin_commit (s, FALSE, error);
}

/* Commits when ok, then tells the observer what changed; rolls back
 * otherwise. */
static gboolean
finish (Step     *s,
        gboolean  ok,
        GError  **error)
{
  BfkOutbox *outbox = s->outbox;

  if (ok)
    ok = bfk_store_commit (outbox->store, error);
  if (!ok)
    bfk_store_rollback (outbox->store);
  if (s->light)
    {
      s->light = FALSE;
      if (!bfk_store_exec (outbox->store, "PRAGMA synchronous = FULL", ok ? error : NULL))
        ok = FALSE;
    }
  if (!ok)
    {
      g_array_set_size (s->changes, 0);
      return FALSE;
    }
  for (guint i = 0; i < s->changes->len; i++)
    {
      const BfkOutboxChange *c = &g_array_index (s->changes, BfkOutboxChange, i);

      tally (s->report, c->new_state);
      if (outbox->observer != NULL)
        {
          g_autoptr(BfkOpInfo) info = bfk_outbox_get (outbox->store, c->op_id, NULL);

          if (info != NULL)
            outbox->observer (c->op_id, c->old_state, c->new_state, info, outbox->observer_data);
        }
    }
  g_array_set_size (s->changes, 0);
  return TRUE;
}

/* --- signing and sending -------------------------------------------------- */

static gboolean
is_filler (const BfkOutboxAttempt *attempt)
{
  return attempt->gas_limit == BFK_OUTBOX_FILLER_GAS;
}

/* filler: a zero-value transfer to the signer itself, which burns the
 * operation's nonce without calling anything. */
static BfkOutboxAttempt *
sign_attempt (BfkOutbox      *outbox,
              BfkOutboxOp    *op,
              const BfkFees  *fees,
              guint64         gas_limit,
              gboolean        filler,
              GError        **error)
{
  const OutboxKey *key = find_key (outbox, &op->signer);
  g_autoptr(BfkOutboxAttempt) attempt = g_new0 (BfkOutboxAttempt, 1);
  BfkTx tx = {
    .type = BFK_TX_EIP1559,
    .chain_id = outbox->chain_id,
    .nonce = op->nonce,
    .gas_limit = filler ? BFK_OUTBOX_FILLER_GAS : gas_limit,
    .max_priority_fee_per_gas = fees->max_priority_fee_per_gas,
    .max_fee_per_gas = fees->max_fee_per_gas,
    .to = filler ? op->signer : op->target,
    .has_to = TRUE,
  };

  g_return_val_if_fail (key != NULL, NULL);
  if (!filler)
    tx.data = g_bytes_get_data (op->calldata, &tx.data_len);
  if (!bfk_tx_sign_into (&tx, &key->key, &outbox->scratch, outbox->buf, attempt->hash, error))
    return NULL;
  attempt->raw = g_bytes_new (outbox->buf->data, outbox->buf->len);
  attempt->gas_limit = tx.gas_limit;
  attempt->fees = *fees;
  return g_steal_pointer (&attempt);
}

/* Adds the attempts of fresh to the store, in the caller's transaction. */
static gboolean
add_attempts (Step     *s,
              GArray   *fresh,
              GError  **error)
{
  gboolean ok = TRUE;

  for (guint i = 0; ok && i < fresh->len; i++)
    {
      Outgoing *o = &g_array_index (fresh, Outgoing, i);

      ok = bfk_outbox_store_add_attempt (s->outbox->store, o->op, o->attempt, s->changes, error);
    }
  return ok;
}

/* Stores new attempts (in one transaction) before anything is sent. */
static gboolean
store_attempts (Step     *s,
                GArray   *fresh,
                GError  **error)
{
  gboolean ok;

  if (fresh->len == 0)
    return TRUE;
  ok = begin (s, error);
  ok = ok && add_attempts (s, fresh, error);
  return finish (s, ok, error);
}

static gboolean
record_refusal (Step      *s,
                Outgoing  *o,
                GError    *refusal,
                GError   **error)
{
  BfkOutbox *outbox = s->outbox;
  BfkFailureClass klass = bfk_failure_class_from_error (refusal);

  switch (klass)
    {
    case BFK_FAILURE_REVERTED:
      /* Later nonces may be out already: the nonce is burnt by a filler
       * rather than given back. */
      if (!bfk_outbox_op_is_filling (o->op)
          && !bfk_outbox_store_set_filling (outbox->store, o->op, refusal->message, error))
        return FALSE;
      break;
    case BFK_FAILURE_UNREACHABLE:
      s->report->unreachable = TRUE;
      break;
    case BFK_FAILURE_INSUFFICIENT_FUNDS:
      outbox->funds_refused = TRUE;
      outbox->funds_refused_at = s->report->gas_balance;
      s->report->gas_state = BFK_GAS_PAUSED;
      break;
    default:
      break;
    }
  return bfk_outbox_store_mark_refused (outbox->store, o->op, o->attempt, klass,
                                        refusal->message, error);
}

/* The signed bytes of the attempts of outgoing, in order. */
static GPtrArray *
raws_of (GArray *outgoing)
{
  GPtrArray *raws = g_ptr_array_new_full (outgoing->len, (GDestroyNotify) g_bytes_unref);

  for (guint i = 0; i < outgoing->len; i++)
    g_ptr_array_add (raws, g_bytes_ref (g_array_index (outgoing, Outgoing, i).attempt->raw));
  return raws;
}

/* Records what the node said of each attempt of outgoing, in the caller's
 * transaction. */
static gboolean
record_sent (Step       *s,
             GArray     *outgoing,
             GPtrArray  *results,
             GError    **error)
{
  gboolean ok = TRUE;

  for (guint i = 0; ok && i < outgoing->len; i++)
    {
      Outgoing *o = &g_array_index (outgoing, Outgoing, i);
      BfkSendResult *r = g_ptr_array_index (results, i);

      if (r->error == NULL || bfk_outbox_error_is_known_tx (r->error))
        {
          Uncounted *u = g_hash_table_lookup (s->outbox->uncounted, &o->attempt->id);

          if (u != NULL)
            u->known = r->error != NULL;
          ok = bfk_outbox_store_mark_sent (s->outbox->store, o->op, o->attempt, s->changes, error);
        }
      else
        ok = record_refusal (s, o, r->error, error);
    }
  return ok;
}

/* Sends the attempts, in order, and records what the node said. */
static gboolean
send_outgoing (Step     *s,
               GArray   *outgoing,
               GError  **error)
{
  g_autoptr(GPtrArray) raws = NULL;
  g_autoptr(GPtrArray) results = NULL;
  gboolean ok;

  if (outgoing->len == 0)
    return TRUE;
  raws = raws_of (outgoing);
  results = bfk_rpc_client_send_raw_transactions (s->outbox->rpc, (GBytes * const *) raws->pdata,
                                                  raws->len, SEND_CHUNK, 1);
  ok = begin_answers (s, error);
  ok = ok && record_sent (s, outgoing, results, error);
  return finish (s, ok, error);
}

/* A chunk handed to the pipe: it owns its operations until what the node
 * said of them is recorded. */
typedef struct
{
  GPtrArray *ops;         /* BfkOutboxOp*, owned */
  GArray    *outgoing;    /* of Outgoing, into ops */
} Piped;

static void
piped_free (BfkOutbox *outbox,
            Piped     *p)
{
  for (guint i = 0; i < p->outgoing->len; i++)
    g_hash_table_remove (outbox->piped, &g_array_index (p->outgoing, Outgoing, i).attempt->id);
  g_ptr_array_unref (p->ops);
  g_array_unref (p->outgoing);
  g_free (p);
}

/* Records what the node said of the chunks the pipe is done with, in the
 * caller's transaction; of all of them when wait. */
static gboolean
record_piped (Step      *s,
              gboolean   wait,
              GError   **error)
{
  BfkOutbox *outbox = s->outbox;
  gboolean ok = TRUE;
  gpointer tag;
  GPtrArray *results;

  while (outbox->pipe_out > 0 && bfk_outbox_rpc_pipe_pop (outbox->pipe, wait, &tag, &results))
    {
      outbox->pipe_out--;
      /* Not sent (the pipe stopped): signed, they go again later. */
      if (results != NULL)
        ok = ok && record_sent (s, ((Piped *) tag)->outgoing, results, error);
      g_clear_pointer (&results, g_ptr_array_unref);
      piped_free (outbox, tag);
    }
  if (s->report->unreachable || s->report->gas_state == BFK_GAS_PAUSED)
    bfk_outbox_rpc_pipe_stop (outbox->pipe);
  return ok;
}

/* At the start of a pass: what the node said of the chunks sent since the
 * last one; a pipe that stopped (the node went away) and is empty ends, and
 * the next chunk starts a new one. */
static gboolean
land_piped (Step     *s,
            GError  **error)
{
  BfkOutbox *outbox = s->outbox;
  gboolean ok;

  if (outbox->pipe == NULL)
    return TRUE;
  if (outbox->pipe_out > 0)
    {
      ok = begin_answers (s, error);
      ok = ok && record_piped (s, FALSE, error);
      if (!finish (s, ok, error))
        return FALSE;
    }
  if (outbox->pipe_out == 0 && bfk_outbox_rpc_pipe_stopped (outbox->pipe))
    g_clear_pointer (&outbox->pipe, bfk_outbox_rpc_pipe_free);
  return TRUE;
}

/* Stops the pipe, forgets what it still held (the attempts are stored:
 * recovery asks the node about them) and ends its thread. */
static void
close_pipe (BfkOutbox *outbox)
{
  if (outbox->pipe == NULL)
    return;
  bfk_outbox_rpc_pipe_stop (outbox->pipe);
  while (outbox->pipe_out > 0)
    {
      gpointer tag;
      GPtrArray *results;

      bfk_outbox_rpc_pipe_pop (outbox->pipe, TRUE, &tag, &results);
      g_clear_pointer (&results, g_ptr_array_unref);
      piped_free (outbox, tag);
      outbox->pipe_out--;
    }
  g_clear_pointer (&outbox->pipe, bfk_outbox_rpc_pipe_free);
}

/* One transaction for two things: what the node said of chunks sent
 * meanwhile, and the attempts of fresh, whose signed bytes are thus on
 * disk before fresh joins the pipe.  ops (taken) are the operations of
 * fresh.  Nothing more leaves once the node is down or the gas paused:
 * fresh waits, signed, for a later pass to send it again. */
static gboolean
relay (Step       *s,
       GArray     *fresh,
       GPtrArray  *ops,
       GError    **error)
{
  BfkOutbox *outbox = s->outbox;
  const BfkOutboxOp *first;
  g_autoptr(GPtrArray) raws = NULL;
  Piped *p;
  gboolean ok;

  if (fresh->len == 0)
    {
      g_ptr_array_unref (ops);
      return TRUE;
    }
  if (outbox->pipe == NULL)
    outbox->pipe = bfk_outbox_rpc_pipe_new (outbox->rpc, PIPE_REQUEST_MAX, outbox->config.mined_wait_ms);
  ok = begin (s, error);
  ok = ok && (outbox->pipe_out == 0 || record_piped (s, FALSE, error));
  ok = ok && add_attempts (s, fresh, error);
  if (!finish (s, ok, error) || s->report->unreachable || s->report->gas_state == BFK_GAS_PAUSED)
    {
      g_ptr_array_unref (ops);
      return ok;
    }
  p = g_new0 (Piped, 1);
  p->ops = ops;
  p->outgoing = g_array_ref (fresh);
  for (guint i = 0; i < fresh->len; i++)
    {
      gint64 id = g_array_index (fresh, Outgoing, i).attempt->id;

      g_hash_table_add (outbox->piped, g_memdup2 (&id, sizeof id));
    }
  first = g_array_index (fresh, Outgoing, 0).op;
  raws = raws_of (fresh);
  bfk_outbox_rpc_pipe_push (outbox->pipe, &first->signer, first->nonce, raws, p);
  outbox->pipe_out++;
  return TRUE;
}

/* Whether op's newest attempt is in the pipe. */
static gboolean
is_piped (BfkOutbox   *outbox,
          BfkOutboxOp *op)
{
  BfkOutboxAttempt *last = bfk_outbox_op_last (op);

  return last != NULL && g_hash_table_contains (outbox->piped, &last->id);
}

/* attempt, when new, joins its operation, which owns it from then on. */
static void
add_outgoing (GArray           *array,
              BfkOutboxOp      *op,
              BfkOutboxAttempt *attempt)
{
  Outgoing o = { op, attempt };

  if (bfk_outbox_op_last (op) != attempt)
    g_ptr_array_add (op->attempts, attempt);
  g_array_append_val (array, o);
}

/* --- receipts ------------------------------------------------------------- */

/* The receipts of every attempt of ops: for each op, the mined one or
 * NULL (an array of BfkOutboxReceipt*, owned by the result). */
static GPtrArray *
receipts_of (Step       *s,
             GPtrArray  *ops,
             GError    **error)
{
  g_autoptr(GArray) hashes = g_array_new (FALSE, FALSE, sizeof (BfkOutboxHash));
  g_autoptr(GPtrArray) receipts = NULL;
  g_autoptr(GPtrArray) found = g_ptr_array_new_full (ops->len, g_free);
  guint next = 0;

  for (guint i = 0; i < ops->len; i++)
    {
      BfkOutboxOp *op = g_ptr_array_index (ops, i);

      for (guint j = 0; j < op->attempts->len; j++)
        g_array_append_vals (hashes, ((BfkOutboxAttempt *) g_ptr_array_index (op->attempts, j))->hash, 1);
    }
  if (hashes->len > 0 && (receipts = bfk_outbox_rpc_receipts (s->outbox->rpc, hashes, error)) == NULL)
    return NULL;

  for (guint i = 0; i < ops->len; i++)
    {
      BfkOutboxOp *op = g_ptr_array_index (ops, i);
      gpointer mined = NULL;

      /* One nonce: at most one of them can be mined. */
      for (guint j = 0; j < op->attempts->len; j++, next++)
        if (mined == NULL && g_ptr_array_index (receipts, next) != NULL)
          mined = g_steal_pointer (&g_ptr_array_index (receipts, next));
      g_ptr_array_add (found, mined);
    }
  return g_steal_pointer (&found);
}

/* receipts_of for operations in flight: only those whose nonce the chain
 * has used are asked about.  A signer's nonces are used in order, so an
 * operation at or above its mined count cannot have a receipt yet; while
 * the node works through a burst, the step asks one count per signer
 * instead of hundreds of receipts. */
static GPtrArray *
receipts_in_flight (Step       *s,
                    GPtrArray  *ops,
                    GError    **error)
{
  g_autoptr(GPtrArray) asked = g_ptr_array_new ();
  g_autoptr(GPtrArray) receipts = NULL;
  g_autoptr(GPtrArray) found = g_ptr_array_new_full (ops->len, g_free);
  guint next = 0;

  for (guint i = 0; i < ops->len; i++)
    {
      BfkOutboxOp *op = g_ptr_array_index (ops, i);
      guint64 mined;

      if (!signer_nonce (s, &op->signer, FALSE, &mined, error))
        return NULL;
      if (op->nonce < mined)
        g_ptr_array_add (asked, op);
    }
  if ((receipts = receipts_of (s, asked, error)) == NULL)
    return NULL;
  for (guint i = 0; i < ops->len; i++)
    {
      gboolean was_asked = next < asked->len
                           && g_ptr_array_index (asked, next) == g_ptr_array_index (ops, i);

      g_ptr_array_add (found,
                       was_asked ? g_steal_pointer (&g_ptr_array_index (receipts, next++)) : NULL);
    }
  return g_steal_pointer (&found);
}

static const BfkOutboxAttempt *
attempt_by_hash (BfkOutboxOp  *op,
                 const guint8  hash[BFK_HASH_SIZE])
{
  for (guint i = 0; i < op->attempts->len; i++)
    {
      const BfkOutboxAttempt *a = g_ptr_array_index (op->attempts, i);

      if (memcmp (a->hash, hash, BFK_HASH_SIZE) == 0)
        return a;
    }
  return NULL;
}

/* Where a mined operation goes, and why when it failed. */
static BfkOpState
settle (Step                   *s,
        BfkOutboxOp            *op,
        const BfkOutboxReceipt *receipt,
        gchar                 **reason)
{
  const BfkOutboxAttempt *winner = attempt_by_hash (op, receipt->tx_hash);

  *reason = NULL;
  if (winner != NULL && is_filler (winner))
    {
      *reason = g_strdup (op->reason);
      return BFK_OP_FAILED;
    }
  if (!receipt->status)
    {
      *reason = bfk_outbox_rpc_revert_reason (s->outbox->rpc, op, receipt,
                                              winner ? winner->gas_limit : 0);
      return BFK_OP_FAILED;
    }
  return s->outbox->config.confirmations == 0 ? BFK_OP_CONFIRMED : BFK_OP_MINED;
}

/* Loads what is in flight; settles what was mined; returns the rest. */
static GPtrArray *
collect_receipts (Step     *s,
                  GError  **error)
{
  BfkOutbox *outbox = s->outbox;
  g_autoptr(GPtrArray) ops = bfk_outbox_store_load (outbox->store, BFK_OP_SIGNED, NULL, 0, error);
  g_autoptr(GPtrArray) sent = NULL;
  g_autoptr(GPtrArray) receipts = NULL;
  g_autoptr(GPtrArray) waiting = g_ptr_array_new_with_free_func ((GDestroyNotify) bfk_outbox_op_free);
  g_autoptr(GPtrArray) reasons = NULL;
  g_autoptr(GArray) states = NULL;
  gboolean ok;

  if (ops == NULL || (sent = bfk_outbox_store_load (outbox->store, BFK_OP_SENT, NULL, 0, error)) == NULL)
    return NULL;
  g_ptr_array_extend_and_steal (ops, g_steal_pointer (&sent));
  /* On their way in the pipe: counted, and left alone. */
  for (guint i = ops->len; i-- > 0;)
    if (is_piped (outbox, g_ptr_array_index (ops, i)))
      {
        count_in_flight (s, &((BfkOutboxOp *) g_ptr_array_index (ops, i))->signer);
        g_ptr_array_remove_index (ops, i);
      }
  if (ops->len == 0)
    return g_steal_pointer (&waiting);
  if ((receipts = receipts_in_flight (s, ops, error)) == NULL)
    return NULL;

  /* The reasons of failures need the node: asked before the transaction. */
  reasons = g_ptr_array_new_full (ops->len, g_free);
  states = g_array_sized_new (FALSE, FALSE, sizeof (BfkOpState), ops->len);
  for (guint i = 0; i < ops->len; i++)
    {
      BfkOutboxReceipt *receipt = g_ptr_array_index (receipts, i);
      BfkOpState state = BFK_OP_SENT;
      gchar *reason = NULL;

      if (receipt != NULL)
        state = settle (s, g_ptr_array_index (ops, i), receipt, &reason);
      g_array_append_val (states, state);
      g_ptr_array_add (reasons, reason);
    }

  ok = begin_answers (s, error);
  for (guint i = 0; ok && i < ops->len; i++)
    {
      BfkOutboxReceipt *receipt = g_ptr_array_index (receipts, i);

      if (receipt != NULL)
        ok = bfk_outbox_store_mark_mined (outbox->store, g_ptr_array_index (ops, i), receipt,
                                          g_array_index (states, BfkOpState, i),
                                          g_ptr_array_index (reasons, i), s->changes, error);
    }
  if (!finish (s, ok, error))
    return NULL;

  for (guint i = 0; i < ops->len; i++)
    if (g_ptr_array_index (receipts, i) == NULL)
      {
        BfkOutboxOp *op = g_steal_pointer (&g_ptr_array_index (ops, i));

        count_in_flight (s, &op->signer);
        g_ptr_array_add (waiting, op);
      }
  return g_steal_pointer (&waiting);
}

static gint
compare_nonces (const BfkOutboxOp *x,
                const BfkOutboxOp *y)
{
  gint c = memcmp (x->signer.bytes, y->signer.bytes, BFK_ADDRESS_SIZE);

  if (c != 0)
    return c;
  return x->nonce < y->nonce ? -1 : x->nonce > y->nonce;
}

static gint
compare_ops (gconstpointer a,
             gconstpointer b)
{
  return compare_nonces (*(BfkOutboxOp * const *) a, *(BfkOutboxOp * const *) b);
}

static gint
compare_outgoing (gconstpointer a,
                  gconstpointer b)
{
  return compare_nonces (((const Outgoing *) a)->op, ((const Outgoing *) b)->op);
}

/* Mined operations deep enough are confirmed, if their receipt still says
 * the same block; a block that left the chain puts them in flight again. */
static gboolean
confirm_at_depth (Step     *s,
                  GError  **error)
{
  BfkOutbox *outbox = s->outbox;
  g_autoptr(GPtrArray) mined = bfk_outbox_store_load (outbox->store, BFK_OP_MINED, NULL, 0, error);
  g_autoptr(GPtrArray) deep = g_ptr_array_new ();
  g_autoptr(GPtrArray) receipts = NULL;
  guint64 head = 0;
  gboolean ok;

  if (mined == NULL)
    return FALSE;
  if (mined->len == 0)
    return TRUE;
  head = s->head;
  for (guint i = 0; i < mined->len; i++)
    {
      BfkOutboxOp *op = g_ptr_array_index (mined, i);

      if (op->block_number + outbox->config.confirmations <= head)
        g_ptr_array_add (deep, op);
    }
  if (deep->len == 0)
    return TRUE;
  if ((receipts = receipts_of (s, deep, error)) == NULL)
    return FALSE;

  ok = begin_answers (s, error);
  for (guint i = 0; ok && i < deep->len; i++)
    {
      BfkOutboxOp *op = g_ptr_array_index (deep, i);
      BfkOutboxReceipt *receipt = g_ptr_array_index (receipts, i);

      if (receipt == NULL)
        ok = bfk_outbox_store_unmine (outbox->store, op, s->changes, error);
      else if (memcmp (receipt->block_hash, op->block_hash, BFK_HASH_SIZE) == 0)
        ok = bfk_outbox_store_mark_confirmed (outbox->store, op, s->changes, error);
      else
        ok = bfk_outbox_store_mark_mined (outbox->store, op, receipt, BFK_OP_MINED, NULL,
                                          s->changes, error);
    }
  return finish (s, ok, error);
}

/* --- what is in flight and not mined -------------------------------------- */

typedef enum
{
  TEND_WAIT,
  TEND_RESEND,    /* the same bytes again */
  TEND_BUMP,      /* a new attempt with higher fees */
  TEND_FILL,      /* a filler at the nonce */
  TEND_GIVE_UP,   /* the nonce is used, and by none of our attempts that the node knows */
} Tend;

/* What to do with an attempt the node took but its pending count leaves
 * out.  A count taken while a block is being mined can miss a transaction
 * for a moment: nothing before UNCOUNTED_WAIT_MS.  After that, a node that
 * restarted, or dropped it from its pool, gets the same bytes again.  A
 * node that answers that it has it already, yet still leaves it out, has
 * it stranded: anvil's automine keeps a transaction that arrived while the
 * one before it was being mined waiting forever for that one
 * (foundry-rs/foundry#10122).  Replacing the lowest such transaction, with
 * higher fees, is taken afresh and frees those after it. */
static Tend
tend_uncounted (Step                   *s,
                const BfkOutboxOp      *op,
                const BfkOutboxAttempt *last,
                guint64                 latest)
{
  GHashTable *table = s->outbox->uncounted;
  Uncounted *u = g_hash_table_lookup (table, &last->id);
  gint64 now = g_get_monotonic_time ();

  if (u == NULL)
    {
      u = g_new0 (Uncounted, 1);
      u->id = last->id;
      u->since = now;
      g_hash_table_insert (table, &u->id, u);
    }
  if (now - u->since < UNCOUNTED_WAIT_MS * G_TIME_SPAN_MILLISECOND)
    return TEND_WAIT;
  if (u->known && op->nonce == latest)
    {
      g_hash_table_remove (table, &last->id);
      return TEND_BUMP;
    }
  if (u->resent)
    return TEND_WAIT;
  u->resent = TRUE;
  return TEND_RESEND;
}

static gboolean
decide (Step         *s,
        BfkOutboxOp  *op,
        Tend         *tend,
        GError      **error)
{
  BfkOutboxAttempt *last = bfk_outbox_op_last (op);
  gint64 now = bfk_store_now ();
  guint64 count;

  *tend = TEND_WAIT;
  if (last == NULL)
    return TRUE;
  if (bfk_outbox_op_is_filling (op) && !is_filler (last) && last->sent_at == 0)
    {
      *tend = TEND_FILL;
      return TRUE;
    }
  switch (bfk_outbox_op_is_filling (op) ? BFK_FAILURE_NONE : op->failure_class)
    {
    case BFK_FAILURE_NONCE_TOO_LOW:
      /* None of our attempts has a receipt, yet the nonce is used. */
      if (!signer_nonce (s, &op->signer, FALSE, &count, error))
        return FALSE;
      *tend = count > op->nonce ? TEND_GIVE_UP : TEND_RESEND;
      return TRUE;
    case BFK_FAILURE_UNDERPRICED:
    case BFK_FAILURE_FEE_CAP_TOO_LOW:
      *tend = TEND_BUMP;
      return TRUE;
    default:
      break;
    }
  if (last->sent_at == 0 || s->force_resend)
    *tend = TEND_RESEND;
  else if (now - last->sent_at >= (gint64) s->outbox->config.resend_after_s)
    *tend = TEND_BUMP;
  else
    {
      /* A node that restarted, or dropped it from its pool, no longer
       * counts it as pending: the same bytes go again.  A node that still
       * leaves it out after that has it, but stranded: anvil's automine
       * keeps a transaction that arrived while the one before it was being
       * mined waiting forever for that one (foundry-rs/foundry#10122).  A
       * replacement is taken afresh. */
      guint64 latest;

      if (!signer_nonce (s, &op->signer, TRUE, &count, error)
          || !signer_nonce (s, &op->signer, FALSE, &latest, error))
        return FALSE;
      if (count <= op->nonce)
        *tend = tend_uncounted (s, op, last, latest);
      else
        g_hash_table_remove (s->outbox->uncounted, &last->id);
    }
  return TRUE;
}

/* Operations whose nonce the chain counts as used while the node has no
 * receipt of any of their attempts: another writer with the same key, or
 * ours mined on a node that lost its record of it (an anvil restarted from
 * a state file).  Sending it again with a new nonce could do it twice, so
 * it ends replaced, for a person to check; a filler's operation had failed
 * already. */
static gboolean
give_up (Step       *s,
         GPtrArray  *lost,
         GError    **error)
{
  BfkOutbox *outbox = s->outbox;
  g_autoptr(GPtrArray) receipts = NULL;
  gboolean ok;

  /* Mined since the receipts were asked for: the next step settles it. */
  if ((receipts = receipts_of (s, lost, error)) == NULL)
    return FALSE;
  ok = begin (s, error);
  for (guint i = 0; ok && i < lost->len; i++)
    {
      BfkOutboxOp *op = g_ptr_array_index (lost, i);
      g_autofree gchar *reason = NULL;

      if (g_ptr_array_index (receipts, i) != NULL)
        continue;
      if (bfk_outbox_op_is_filling (op))
        {
          ok = bfk_outbox_store_mark_final (outbox->store, op, BFK_OP_FAILED,
                                            BFK_FAILURE_REVERTED, op->reason, s->changes, error);
          continue;
        }
      reason = g_strdup_printf ("Nonce %" G_GUINT64_FORMAT " was used by a transaction the node "
                                "has no record of as ours: another program may use this key. "
                                "It was not sent again, so that it cannot happen twice: check "
                                "on chain, and enqueue it again if it did not happen",
                                op->nonce);
      g_warning ("Operation %" G_GINT64_FORMAT ": %s", op->id, reason);
      ok = bfk_outbox_store_mark_final (outbox->store, op, BFK_OP_REPLACED,
                                        BFK_FAILURE_NONCE_TOO_LOW, reason, s->changes, error);
    }
  return finish (s, ok, error);
}

/* Drops what the uncounted table says of attempts no longer waiting. */
static void
forget_counted (BfkOutbox  *outbox,
                GPtrArray  *waiting)
{
  g_autoptr(GHashTable) last_ids = NULL;
  GHashTableIter iter;
  gpointer key;

  if (g_hash_table_size (outbox->uncounted) == 0)
    return;
  last_ids = g_hash_table_new (g_int64_hash, g_int64_equal);
  for (guint i = 0; i < waiting->len; i++)
    {
      BfkOutboxAttempt *last = bfk_outbox_op_last (g_ptr_array_index (waiting, i));

      if (last != NULL)
        g_hash_table_add (last_ids, &last->id);
    }
  g_hash_table_iter_init (&iter, outbox->uncounted);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (last_ids, key))
      g_hash_table_iter_remove (&iter);
}

static gboolean
tend_in_flight (Step       *s,
                GPtrArray  *waiting,
                GError    **error)
{
  BfkOutbox *outbox = s->outbox;
  g_autoptr(GArray) fresh = g_array_new (FALSE, FALSE, sizeof (Outgoing));
  g_autoptr(GArray) outgoing = g_array_new (FALSE, FALSE, sizeof (Outgoing));
  g_autoptr(GPtrArray) lost = g_ptr_array_new ();

  g_ptr_array_sort (waiting, compare_ops);
  for (guint i = 0; i < waiting->len; i++)
    {
      BfkOutboxOp *op = g_ptr_array_index (waiting, i);
      BfkOutboxAttempt *last = bfk_outbox_op_last (op);
      BfkOutboxAttempt *attempt;
      BfkFees fees;
      Tend tend;

      if (find_key (outbox, &op->signer) == NULL)
        continue;
      if (!decide (s, op, &tend, error))
        return FALSE;
      switch (tend)
        {
        case TEND_WAIT:
          break;
        case TEND_RESEND:
          add_outgoing (outgoing, op, last);
          break;
        case TEND_GIVE_UP:
          g_ptr_array_add (lost, op);
          break;
        case TEND_BUMP:
        case TEND_FILL:
          if (!step_fees (s, error) || !bfk_fees_bump (&last->fees, &s->fees, &fees, error))
            return FALSE;
          attempt = sign_attempt (outbox, op, &fees, last->gas_limit,
                                  tend == TEND_FILL || is_filler (last), error);
          if (attempt == NULL)
            return FALSE;
          add_outgoing (fresh, op, attempt);
          s->report->bumped_now += tend == TEND_BUMP;
          break;
        }
    }

  forget_counted (outbox, waiting);
  if (lost->len > 0 && !give_up (s, lost, error))
    return FALSE;

  if (!store_attempts (s, fresh, error))
    return FALSE;
  g_array_append_vals (outgoing, fresh->data, fresh->len);
  g_array_sort (outgoing, compare_outgoing);
  return send_outgoing (s, outgoing, error);
}

/* --- what is queued -------------------------------------------------------- */

/* The memo of gas estimates, started afresh every GAS_MEMO_S: an estimate
 * is good for the state it ran on, and the margin covers a little
 * change. */
static GHashTable *
gas_memo (BfkOutbox *outbox)
{
  gint64 now = g_get_monotonic_time ();

  if (outbox->gas_memo == NULL || now - outbox->gas_memo_at >= GAS_MEMO_S * G_USEC_PER_SEC)
    {
      g_clear_pointer (&outbox->gas_memo, g_hash_table_unref);
      outbox->gas_memo = bfk_outbox_rpc_gas_memo_new ();
      outbox->gas_memo_at = now;
    }
  return outbox->gas_memo;
}

/* What signing a signer's queue found that moves nonces: written once its
 * chunks are out. */
typedef struct
{
  GPtrArray   *renonce;        /* queued, but the chain used their nonce */
  guint64      latest;         /* the chain's nonce count, for them */
  BfkOutboxOp *failed;         /* reverted at estimation, nothing before it in flight */
  gchar       *failed_reason;
  guint64      gap;            /* queued nonces to move down by, from gap_from */
  guint64      gap_from;
  guint        signed_here;
  gboolean     stop;           /* an operation cannot be signed yet: none after it */
} Signing;

/* Estimates and signs the operations of chunk (a signer's, in nonce order)
 * into fresh, until one cannot be.  A revert at estimation is final only
 * when every earlier operation of the signer is mined: before that, it may
 * only mean that an earlier one (a registration before a proposal) has not
 * landed yet. */
static gboolean
sign_chunk (Step             *s,
            const OutboxKey  *key,
            GPtrArray        *chunk,
            Signing          *g,
            GArray           *fresh,
            GError          **error)
{
  BfkOutbox *outbox = s->outbox;
  guint n = chunk->len;
  g_autofree guint64 *gas = g_new0 (guint64, n);
  g_autofree GError **errors = g_new0 (GError *, n);
  guint64 latest = 0;
  gboolean ok = FALSE;

  if (!bfk_outbox_rpc_prepare (outbox->rpc, &key->address, chunk, gas_memo (outbox), &latest, gas,
                               errors, error))
    goto out;
  if (!step_fees (s, error))
    goto out;

  for (guint i = 0; i < n; i++)
    {
      BfkOutboxOp *op = g_ptr_array_index (chunk, i);
      gboolean first = g->signed_here == 0 && g->renonce->len == 0
                       && in_flight_count (s, &key->address) == 0;
      BfkOutboxAttempt *attempt;
      guint64 pending = 0;

      if (op->nonce < latest)
        {
          g_ptr_array_add (g->renonce, op);
          g->latest = MAX (g->latest, latest);
          continue;
        }
      if (first && op->nonce > latest)
        {
          /* Nothing of ours in flight below it, yet the chain is not
           * there: nonces were lost (a pending count that included
           * transactions the node dropped since).  Everything queued moves
           * down to close the gap. */
          if (!signer_nonce (s, &key->address, TRUE, &pending, error))
            goto out;
          if (op->nonce > pending)
            {
              g->gap = op->nonce - pending;
              g->gap_from = op->nonce;
              g->stop = TRUE;
              break;
            }
        }
      if (errors[i] != NULL)
        {
          BfkFailureClass klass = bfk_failure_class_from_error (errors[i]);

          if (klass == BFK_FAILURE_UNREACHABLE)
            {
              g_propagate_error (error, g_steal_pointer (&errors[i]));
              goto out;
            }
          if (klass == BFK_FAILURE_REVERTED && first)
            {
              g->failed = op;
              g->failed_reason = g_strdup (errors[i]->message);
            }
          else if (klass != BFK_FAILURE_REVERTED)
            g_debug ("Operation %" G_GINT64_FORMAT " cannot be estimated yet: %s",
                     op->id, errors[i]->message);
          g->stop = TRUE;
          break;
        }
      attempt = sign_attempt (outbox, op, &s->fees, gas[i] + gas[i] * GAS_MARGIN_PERCENT / 100,
                              FALSE, error);
      if (attempt == NULL)
        goto out;
      add_outgoing (fresh, op, attempt);
      g->signed_here++;
    }
  ok = TRUE;

out:
  for (guint i = 0; i < n; i++)
    g_clear_error (&errors[i]);
  return ok;
}

/* Moves the operations of fresh out of keep[from, to) (the slots left NULL)
 * into an array of their own. */
static GPtrArray *
take_signed (GPtrArray *keep,
             guint      from,
             guint      to,
             GArray    *fresh)
{
  GPtrArray *ops = g_ptr_array_new_with_free_func ((GDestroyNotify) bfk_outbox_op_free);

  for (guint i = 0; i < fresh->len; i++)
    for (guint k = from; k < to; k++)
      if (g_ptr_array_index (keep, k) == g_array_index (fresh, Outgoing, i).op)
        {
          g_ptr_array_add (ops, g_ptr_array_index (keep, k));
          keep->pdata[k] = NULL;
          break;
        }
  return ops;
}

/* Signs and sends up to budget queued operations of key, in nonce order
 * and in chunks; keep receives the operations.  *n_signed counts the
 * attempts made; *more tells whether others may be queued behind. */
static gboolean
sign_queued_of (Step             *s,
                const OutboxKey  *key,
                guint             budget,
                GPtrArray        *keep,
                guint            *n_signed,
                gboolean         *more,
                GError          **error)
{
  BfkOutbox *outbox = s->outbox;
  g_autoptr(GPtrArray) ops = NULL;
  Signing g = { 0 };
  guint n, base;
  gboolean ok = TRUE;

  ops = bfk_outbox_store_load (outbox->store, BFK_OP_QUEUED, &key->address, budget, error);
  if (ops == NULL)
    return FALSE;
  base = keep->len;
  n = ops->len;
  *more = n == budget;
  g_ptr_array_extend_and_steal (keep, g_steal_pointer (&ops));

  g.renonce = g_ptr_array_new ();
  for (guint start = 0; ok && !g.stop && start < n; start += SIGN_CHUNK)
    {
      g_autoptr(GPtrArray) chunk = g_ptr_array_new ();
      g_autoptr(GArray) fresh = g_array_new (FALSE, FALSE, sizeof (Outgoing));

      guint end = MIN (n, start + SIGN_CHUNK);

      for (guint i = start; i < end; i++)
        g_ptr_array_add (chunk, g_ptr_array_index (keep, base + i));
      ok = sign_chunk (s, key, chunk, &g, fresh, error)
           && relay (s, fresh, take_signed (keep, base + start, base + end, fresh), error);
    }
  *n_signed = g.signed_here;

  if (ok && (g.renonce->len > 0 || g.failed != NULL || g.gap > 0))
    {
      ok = begin (s, error);
      for (guint i = 0; ok && i < g.renonce->len; i++)
        ok = bfk_outbox_store_renonce (outbox->store, g_ptr_array_index (g.renonce, i), g.latest,
                                       s->changes, error);
      if (ok && g.failed != NULL)
        ok = bfk_outbox_store_fail_unsigned (outbox->store, g.failed, BFK_FAILURE_REVERTED,
                                             g.failed_reason, s->changes, error);
      if (ok && g.gap > 0)
        ok = bfk_outbox_store_shift (outbox->store, &key->address, g.gap_from, g.gap, error);
      ok = finish (s, ok, error);
    }
  g_ptr_array_unref (g.renonce);
  g_free (g.failed_reason);
  return ok;
}

static gboolean
sign_queued (Step     *s,
             GError  **error)
{
  BfkOutbox *outbox = s->outbox;
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func ((GDestroyNotify) bfk_outbox_op_free);
  guint budget = outbox->config.batch_size;
  guint cap = outbox->config.max_in_flight > 0 ? outbox->config.max_in_flight : budget;
  gboolean ok = TRUE;
  gboolean more = FALSE;

  for (guint k = 0; ok && k < outbox->keys->len; k++)
    {
      const OutboxKey *key = &g_array_index (outbox->keys, OutboxKey, k);
      guint flying = in_flight_count (s, &key->address);
      guint n_signed = 0;
      gboolean key_more = TRUE;

      /* Nodes keep only so many transactions of one sender in their pool. */
      if (flying < cap && budget > 0)
        {
          ok = sign_queued_of (s, key, MIN (budget, cap - flying), keep, &n_signed, &key_more,
                               error);
          budget -= MIN (budget, n_signed);
        }
      more = more || key_more;
    }

  /* The pipe sends while the next pass prepares what is queued behind; with
   * nothing behind, the pass waits for the node's answers and reports
   * them itself. */
  if (ok && !more && outbox->pipe_out > 0)
    {
      ok = begin_answers (s, error);
      ok = ok && record_piped (s, TRUE, error);
      ok = finish (s, ok, error);
    }
  return ok;
}

/* --- gas ------------------------------------------------------------------ */

/* The operator's balance (in the report) against the thresholds. */
static void
judge_gas (Step *s)
{
  BfkOutbox *outbox = s->outbox;
  const OutboxKey *operator;
  BfkGasState state = BFK_GAS_OK;
  BfkU256 balance = s->report->gas_balance;

  if (outbox->keys->len == 0)
    return;
  operator = &g_array_index (outbox->keys, OutboxKey, 0);

  if (outbox->funds_refused && bfk_u256_cmp (balance, outbox->funds_refused_at) <= 0)
    state = BFK_GAS_PAUSED;
  else if (bfk_u256_cmp (balance, outbox->config.gas_pause_below) < 0)
    state = BFK_GAS_PAUSED;
  else if (bfk_u256_cmp (balance, outbox->config.gas_warn_below) < 0)
    state = BFK_GAS_LOW;
  if (state != BFK_GAS_PAUSED)
    outbox->funds_refused = FALSE;

  if (state > outbox->gas_state)
    {
      g_autofree gchar *amount = bfk_u256_format_units (balance, 18, 4);
      gchar address[BFK_ADDRESS_STRING_SIZE];

      bfk_address_to_string_buf (&operator->address, address);
      if (state == BFK_GAS_PAUSED)
        g_warning ("The operator %s has %s left for gas, too little to pay: sending is paused "
                   "until it is refilled", address, amount);
      else
        g_warning ("The operator %s has only %s left for gas: refill it soon", address, amount);
    }
  else if (state < outbox->gas_state)
    g_message ("The operator's gas was refilled: sending %s",
               state == BFK_GAS_PAUSED ? "stays paused" : "goes on");
  outbox->gas_state = state;
  s->report->gas_state = state;
}

/* --- the passes ----------------------------------------------------------- */

/* One round trip at the start of a pass: the head, the operator's balance
 * (unless recovering) and the nonce counts of the keys. */
static gboolean
survey (Step      *s,
        gboolean   recovering,
        GError   **error)
{
  BfkOutbox *outbox = s->outbox;
  guint n = outbox->keys->len;
  g_autofree BfkAddress *signers = g_new0 (BfkAddress, MAX (n, 1));
  g_autofree guint64 *latest = g_new0 (guint64, MAX (n, 1));
  g_autofree guint64 *pending = g_new0 (guint64, MAX (n, 1));

  for (guint k = 0; k < n; k++)
    signers[k] = g_array_index (outbox->keys, OutboxKey, k).address;
  if (!bfk_outbox_rpc_survey (outbox->rpc, recovering || n == 0 ? NULL : &signers[0],
                              &s->report->gas_balance, signers, n, &s->head, latest, pending,
                              error))
    return FALSE;
  for (guint k = 0; k < n; k++)
    {
      remember_nonce (s->latest, &signers[k], latest[k]);
      remember_nonce (s->pending, &signers[k], pending[k]);
    }
  return TRUE;
}

/* Whether the world looks as it did at the start of the last full pass,
 * which was recent: same head, same gas state, same nonce counts, same
 * number of operations under way, nothing left out of a count.  Such a pass would
 * only load everything to do nothing; the pass after FULL_PASS_MS does it
 * anyway, for what time alone changes (a transaction not mined in time). */
static gboolean
unchanged (Step    *s,
           GError **error)
{
  BfkOutbox *outbox = s->outbox;
  g_autoptr(GArray) view = g_array_new (FALSE, FALSE, sizeof (guint64));
  GError *store_error = NULL;
  guint64 v;
  gint64 now = g_get_monotonic_time ();
  gboolean same;

  g_array_append_val (view, s->head);
  v = s->report->gas_state;
  g_array_append_val (view, v);
  v = bfk_outbox_store_count_pending (outbox->store, &store_error);
  if (store_error != NULL)
    {
      g_propagate_error (error, store_error);
      return FALSE;
    }
  g_array_append_val (view, v);
  for (guint k = 0; k < outbox->keys->len; k++)
    {
      const BfkAddress *signer = &g_array_index (outbox->keys, OutboxKey, k).address;

      signer_nonce (s, signer, FALSE, &v, NULL);
      g_array_append_val (view, v);
      signer_nonce (s, signer, TRUE, &v, NULL);
      g_array_append_val (view, v);
    }
  same = outbox->view != NULL && outbox->view->len == view->len
         && memcmp (outbox->view->data, view->data, view->len * sizeof (guint64)) == 0
         && now - outbox->full_pass_at < FULL_PASS_MS * G_TIME_SPAN_MILLISECOND
         && g_hash_table_size (outbox->uncounted) == 0 && outbox->pipe_out == 0;
  if (!same)
    {
      g_clear_pointer (&outbox->view, g_array_unref);
      outbox->view = g_steal_pointer (&view);
      outbox->full_pass_at = now;
    }
  return same;
}

static gboolean
run (Step      *s,
     gboolean   recovering,
     GCancellable *cancellable,
     GError   **error)
{
  g_autoptr(GPtrArray) waiting = NULL;

  if (!land_piped (s, error) || !survey (s, recovering, error))
    return FALSE;
  if (!recovering)
    {
      GError *local = NULL;

      judge_gas (s);
      if (unchanged (s, &local))
        return TRUE;
      if (local != NULL)
        {
          g_propagate_error (error, local);
          return FALSE;
        }
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error)
      || (waiting = collect_receipts (s, error)) == NULL
      || !confirm_at_depth (s, error))
    return FALSE;
  if (s->report->gas_state == BFK_GAS_PAUSED)
    return TRUE;
  if (g_cancellable_set_error_if_cancelled (cancellable, error)
      || !tend_in_flight (s, waiting, error))
    return FALSE;
  if (recovering || s->report->gas_state == BFK_GAS_PAUSED)
    return TRUE;
  return !g_cancellable_set_error_if_cancelled (cancellable, error) && sign_queued (s, error);
}

/* A node that does not answer is a state of the world, not an error of
 * the pass. */
static gboolean
run_pass (BfkOutbox        *outbox,
          gboolean          recovering,
          GCancellable     *cancellable,
          BfkOutboxReport  *report,
          GError          **error)
{
  g_autoptr(GError) local = NULL;
  GError *store_error = NULL;
  Step s;
  gboolean ok;

  step_init (&s, outbox, report);
  s.force_resend = recovering;
  ok = run (&s, recovering, cancellable, &local);
  step_clear (&s);
  /* A pass cut short is done again in full, whatever the next one sees. */
  if (!ok || report->unreachable)
    g_clear_pointer (&outbox->view, g_array_unref);
  if (!ok && bfk_failure_class_from_error (local) == BFK_FAILURE_UNREACHABLE)
    {
      report->unreachable = TRUE;
      ok = TRUE;
    }
  else if (!ok)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  report->pending = (guint) bfk_outbox_store_count_pending (outbox->store, &store_error);
  if (store_error != NULL)
    {
      g_propagate_error (error, store_error);
      return FALSE;
    }
  return ok;
}

gboolean
bfk_outbox_recover (BfkOutbox     *outbox,
                    GCancellable  *cancellable,
                    GError       **error)
{
  BfkOutboxReport report = { 0 };

  if (!run_pass (outbox, TRUE, cancellable, &report, error))
    return FALSE;
  if (report.unreachable)
    {
      g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_TRANSPORT,
                   "The node at %s does not answer: the outbox cannot check what it sent "
                   "before; it will when the node is back", bfk_rpc_client_get_url (outbox->rpc));
      return FALSE;
    }
  outbox->recovered = TRUE;
  return TRUE;
}

gboolean
bfk_outbox_step (BfkOutbox        *outbox,
                 GCancellable     *cancellable,
                 BfkOutboxReport  *report,
                 GError          **error)
{
  BfkOutboxReport local = { 0 };

  if (report == NULL)
    report = &local;
  *report = (BfkOutboxReport) { .gas_state = outbox->gas_state };

  /* Nothing is sent before the node has been asked about the past. */
  if (!outbox->recovered)
    {
      if (!run_pass (outbox, TRUE, cancellable, report, error))
        return FALSE;
      if (report->unreachable)
        return TRUE;
      outbox->recovered = TRUE;
      *report = (BfkOutboxReport) { .gas_state = outbox->gas_state };
    }
  return run_pass (outbox, FALSE, cancellable, report, error);
}
