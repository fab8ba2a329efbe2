/* bfk-outbox-private.h: shared by the files of the outbox: the operations
 * as the driver holds them, the SQL that moves them along, and the
 * driver's own state, split over four files by phase. */
#pragma once

#include "bfk-fees.h"
#include "bfk-rlp.h"
#include "bfk-outbox.h"

G_BEGIN_DECLS

#define BFK_OUTBOX_WEI_PER_ETHER G_GUINT64_CONSTANT (1000000000000000000)
/* The gas of a plain transfer: what a filler of an abandoned nonce costs. */
#define BFK_OUTBOX_FILLER_GAS 21000

gboolean bfk_failure_class_from_string (const gchar     *text,
                                        BfkFailureClass *out);
/* The node already has this very transaction: as good as accepted. */
gboolean bfk_outbox_error_is_known_tx  (const GError    *error);
gboolean bfk_op_state_is_final         (BfkOpState       state);

/* What the operator asked of an operation (the request column). */
typedef enum
{
  BFK_OUTBOX_REQUEST_NONE,
  BFK_OUTBOX_REQUEST_BUMP,
  BFK_OUTBOX_REQUEST_CANCEL,
} BfkOutboxRequest;

/* One signed transaction of an operation (a row of tx_attempts). */
typedef struct
{
  gint64   id;
  guint8   hash[BFK_HASH_SIZE];
  GBytes  *raw;
  guint64  gas_limit;
  BfkFees  fees;
  gint64   created_at;
  gint64   sent_at;         /* 0: the node has not acknowledged it */
  gchar   *error;           /* why the node refused it, or what became of it */
} BfkOutboxAttempt;

/* An operation as the driver works on it. */
typedef struct
{
  gint64           id;
  BfkOpKind        kind;
  BfkOpState       state;
  BfkAddress       signer;
  BfkAddress       target;
  guint64          nonce;
  GBytes          *calldata;
  /* While in flight: the class of the last refusal, or REVERTED (or
   * CANCELLED) when the operation failed and a filler now burns its
   * nonce. */
  BfkFailureClass  failure_class;
  gchar           *reason;
  guint64          block_number;
  guint8           block_hash[BFK_HASH_SIZE];
  GPtrArray       *attempts;  /* of BfkOutboxAttempt, oldest first */
  /* The operator's request, as loaded; and the one the next attempt added
   * answers, which bfk_outbox_store_add_attempt clears with it. */
  BfkOutboxRequest request;
  BfkOutboxRequest answers;
} BfkOutboxOp;

void              bfk_outbox_attempt_free (BfkOutboxAttempt *attempt);
void              bfk_outbox_op_free      (BfkOutboxOp      *op);
BfkOutboxAttempt *bfk_outbox_op_last      (BfkOutboxOp      *op);
gboolean          bfk_outbox_op_is_filling (const BfkOutboxOp *op);

/* A state change made in a store transaction, told to the observer after
 * the commit. */
typedef struct
{
  gint64     op_id;
  BfkOpState old_state;
  BfkOpState new_state;
} BfkOutboxChange;

/* What a receipt says, as the outbox keeps it. */
typedef struct
{
  gboolean status;
  guint64  block_number;
  guint8   block_hash[BFK_HASH_SIZE];
  guint8   tx_hash[BFK_HASH_SIZE];
  guint64  gas_used;
  BfkU256  effective_gas_price;
} BfkOutboxReceipt;

/* --- bfk-outbox-store.c --------------------------------------------------- */

/* Operations in state, oldest nonce first per signer; signer NULL for all;
 * limit 0 for no limit.  Attempts are loaded with them. */
GPtrArray *bfk_outbox_store_load          (BfkStore          *store,
                                           BfkOpState         state,
                                           const BfkAddress  *signer,
                                           guint              limit,
                                           GError           **error);
/* Inserts attempt (its id is set) and moves op to signed. */
gboolean   bfk_outbox_store_add_attempt   (BfkStore          *store,
                                           BfkOutboxOp       *op,
                                           BfkOutboxAttempt  *attempt,
                                           GArray            *changes,
                                           GError           **error);
/* The node took the attempt. */
gboolean   bfk_outbox_store_mark_sent     (BfkStore          *store,
                                           BfkOutboxOp       *op,
                                           BfkOutboxAttempt  *attempt,
                                           GArray            *changes,
                                           GError           **error);
/* The node refused the attempt; op keeps its state. */
gboolean   bfk_outbox_store_mark_refused  (BfkStore          *store,
                                           BfkOutboxOp       *op,
                                           BfkOutboxAttempt  *attempt,
                                           BfkFailureClass    klass,
                                           const gchar       *message,
                                           GError           **error);
/* One attempt was mined: the others are marked replaced by it.  new_state
 * is MINED, CONFIRMED, or FAILED (reason given) for a reverted receipt or a
 * filler's. */
gboolean   bfk_outbox_store_mark_mined    (BfkStore          *store,
                                           BfkOutboxOp       *op,
                                           const BfkOutboxReceipt *receipt,
                                           BfkOpState         new_state,
                                           const gchar       *reason,
                                           GArray            *changes,
                                           GError           **error);
gboolean   bfk_outbox_store_mark_confirmed (BfkStore         *store,
                                           BfkOutboxOp       *op,
                                           GArray            *changes,
                                           GError           **error);
/* A mined operation whose block left the chain: in flight again. */
gboolean   bfk_outbox_store_unmine        (BfkStore          *store,
                                           BfkOutboxOp       *op,
                                           GArray            *changes,
                                           GError           **error);
/* Failed before anything was signed: the operation gives its nonce back and
 * every later queued operation of the signer moves down by one, so that the
 * signer's nonces on chain stay contiguous. */
gboolean   bfk_outbox_store_fail_unsigned (BfkStore          *store,
                                           BfkOutboxOp       *op,
                                           BfkFailureClass    klass,
                                           const gchar       *reason,
                                           GArray            *changes,
                                           GError           **error);
/* Moves the signer's operations from from_nonce on down by `by`, and its
 * next nonce with them: closes a gap below them.  Only for operations
 * never signed. */
gboolean   bfk_outbox_store_shift         (BfkStore          *store,
                                           const BfkAddress  *signer,
                                           guint64            from_nonce,
                                           guint64            by,
                                           GError           **error);
/* Ends op in state (FAILED or REPLACED) with klass and reason. */
gboolean   bfk_outbox_store_mark_final    (BfkStore          *store,
                                           BfkOutboxOp       *op,
                                           BfkOpState         state,
                                           BfkFailureClass    klass,
                                           const gchar       *reason,
                                           GArray            *changes,
                                           GError           **error);
/* Failed after being signed: records why; a filler attempt (added next)
 * burns the nonce, and its receipt ends the operation as failed. */
gboolean   bfk_outbox_store_set_filling   (BfkStore          *store,
                                           BfkOutboxOp       *op,
                                           const gchar       *reason,
                                           GError           **error);
/* Another writer used the nonce of an operation never signed: it is
 * queued again with the signer's next nonce. */
gboolean   bfk_outbox_store_renonce       (BfkStore          *store,
                                           BfkOutboxOp       *op,
                                           guint64            chain_nonce,
                                           GArray            *changes,
                                           GError           **error);
guint64    bfk_outbox_store_count_pending (BfkStore          *store,
                                           GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BfkOutboxOp, bfk_outbox_op_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BfkOutboxAttempt, bfk_outbox_attempt_free)

/* --- the driver ------------------------------------------------------------
 *
 * Shared by the files of the driver: bfk-outbox.c (the object, a step's
 * bookkeeping, the passes), bfk-outbox-send.c (signing, storing, sending,
 * the pipe), bfk-outbox-flight.c (receipts, confirmation, resends and
 * bumps) and bfk-outbox-queue.c (signing what is queued). */

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
  struct _BfkOutboxPipe *pipe;  /* BfkOutboxPipe, bfk-outbox-rpc.h */
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

/* bfk-outbox.c */
const OutboxKey  *bfk_outbox_find_key         (BfkOutbox              *outbox,
                                               const BfkAddress       *address);
guint             bfk_outbox_in_flight_count  (Step                   *s,
                                               const BfkAddress       *signer);
void              bfk_outbox_count_in_flight  (Step                   *s,
                                               const BfkAddress       *signer);
gboolean          bfk_outbox_signer_nonce     (Step                   *s,
                                               const BfkAddress       *signer,
                                               gboolean                pending,
                                               guint64                *out,
                                               GError                **error);
gboolean          bfk_outbox_step_fees        (Step                   *s,
                                               GError                **error);
/* A transaction that waits for the disk, and one that does not (for what
 * the node said); bfk_outbox_finish commits it and tells the observer. */
gboolean          bfk_outbox_begin            (Step                   *s,
                                               GError                **error);
gboolean          bfk_outbox_begin_answers    (Step                   *s,
                                               GError                **error);
gboolean          bfk_outbox_finish           (Step                   *s,
                                               gboolean                ok,
                                               GError                **error);

/* bfk-outbox-send.c */
gboolean          bfk_outbox_is_filler        (const BfkOutboxAttempt *attempt);
/* The attempt of op whose transaction has that hash, or NULL. */
const BfkOutboxAttempt *bfk_outbox_op_attempt (const BfkOutboxOp      *op,
                                               const guint8            hash[BFK_HASH_SIZE]);
BfkOutboxAttempt *bfk_outbox_sign_attempt     (BfkOutbox              *outbox,
                                               BfkOutboxOp            *op,
                                               const BfkFees          *fees,
                                               guint64                 gas_limit,
                                               gboolean                filler,
                                               GError                **error);
gboolean          bfk_outbox_write_attempts   (Step                   *s,
                                               GArray                 *fresh,
                                               GError                **error);
gboolean          bfk_outbox_send_outgoing    (Step                   *s,
                                               GArray                 *outgoing,
                                               GError                **error);
gboolean          bfk_outbox_record_piped     (Step                   *s,
                                               gboolean                wait,
                                               GError                **error);
gboolean          bfk_outbox_land_piped       (Step                   *s,
                                               GError                **error);
void              bfk_outbox_close_pipe       (BfkOutbox              *outbox);
gboolean          bfk_outbox_relay            (Step                   *s,
                                               GArray                 *fresh,
                                               GPtrArray              *ops,
                                               GError                **error);
gboolean          bfk_outbox_is_piped         (BfkOutbox              *outbox,
                                               BfkOutboxOp            *op);
void              bfk_outbox_add_outgoing     (GArray                 *array,
                                               BfkOutboxOp            *op,
                                               BfkOutboxAttempt       *attempt);

/* bfk-outbox-flight.c */
GPtrArray        *bfk_outbox_collect_receipts (Step                   *s,
                                               GError                **error);
gboolean          bfk_outbox_confirm_at_depth (Step                   *s,
                                               GError                **error);
gboolean          bfk_outbox_tend_in_flight   (Step                   *s,
                                               GPtrArray              *waiting,
                                               GError                **error);

/* bfk-outbox-queue.c */
gboolean          bfk_outbox_sign_queued      (Step                   *s,
                                               GError                **error);

G_END_DECLS
