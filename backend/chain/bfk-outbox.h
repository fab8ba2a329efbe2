/* bfk-outbox.h: the durable, nonce-managed queue of every chain write.
 *
 * An operation is a row of the operations table before anything else
 * happens, and its nonce is reserved in the same transaction.  A driver then
 * moves it along:
 *
 *   queued → signed → sent → mined → confirmed
 *                       ↘ failed (with a readable reason) / replaced
 *
 * The signed bytes are stored (tx_attempts) before they are sent, so a
 * process killed at any instant can start again and ask the node about each
 * one before doing anything: every operation lands exactly once.  A
 * transaction not mined in time is sent again with higher fees (+13%, above
 * the 12.5% a node requires of a replacement); a revert is never retried; a
 * nonce left unused by a failure is filled.  Only one process drives the
 * outbox of a data dir at a time (bfk_outbox_lock_acquire); others, like
 * bafokactl while a backend runs, only enqueue.
 *
 * Threads: a BfkOutbox and the BfkStore it is given are used from one thread
 * (the driver's); bfk_outbox_step blocks on the network.
 */
#pragma once

#include <gio/gio.h>

#include "bfk-address.h"
#include "bfk-key.h"
#include "bfk-rpc.h"
#include "bfk-store.h"

G_BEGIN_DECLS

#define BFK_OUTBOX_ERROR (bfk_outbox_error_quark ())

typedef enum
{
  BFK_OUTBOX_ERROR_LOCKED,     /* another process drives the outbox of this data dir */
  BFK_OUTBOX_ERROR_NO_NONCE,   /* a first operation of a signer, and no node to ask its nonce */
  BFK_OUTBOX_ERROR_SETTLED,    /* bump or cancel of an operation mined, confirmed or failed */
  BFK_OUTBOX_ERROR_NOT_SENT,   /* bump of an operation not signed yet */
} BfkOutboxError;

GQuark       bfk_outbox_error_quark      (void);

typedef enum
{
  BFK_OP_QUEUED,
  BFK_OP_SIGNED,
  BFK_OP_SENT,
  BFK_OP_MINED,
  BFK_OP_CONFIRMED,
  BFK_OP_FAILED,
  BFK_OP_REPLACED,
  BFK_OP_N_STATES,
} BfkOpState;

typedef enum
{
  BFK_OP_REGISTER_MEMBER,
  BFK_OP_PROPOSE_EXCHANGE,
  BFK_OP_ACCEPT_EXCHANGE,
  BFK_OP_DECLINE_EXCHANGE,
  BFK_OP_CANCEL_EXCHANGE,
  BFK_OP_COMPLETE_EXCHANGE,
  BFK_OP_EXPIRE_EXCHANGE,
  BFK_OP_RATE_EXCHANGE,
  BFK_OP_APPROVE_BACKER,
  BFK_OP_REVOKE_BACKER,
  BFK_OP_RECHARGE,
  BFK_OP_ADD_COMMUNITY,
  BFK_OP_N_KINDS,
} BfkOpKind;

/* Why an operation failed, or why a send attempt did not go through. */
typedef enum
{
  BFK_FAILURE_NONE,
  BFK_FAILURE_REVERTED,            /* final: the contract said no; the reason is decoded */
  BFK_FAILURE_NONCE_TOO_LOW,       /* another writer, or already mined: look it up */
  BFK_FAILURE_UNDERPRICED,         /* replacement underpriced: bump and retry */
  BFK_FAILURE_FEE_CAP_TOO_LOW,     /* below the base fee: bump and retry */
  BFK_FAILURE_INSUFFICIENT_FUNDS,  /* the signer cannot pay gas: pause sending */
  BFK_FAILURE_UNREACHABLE,         /* the node is down: wait and retry */
  BFK_FAILURE_OTHER,
  BFK_FAILURE_CANCELLED,           /* final: the operator cancelled it (bfk_outbox_request_cancel) */
  BFK_FAILURE_N_CLASSES,
} BfkFailureClass;

const gchar *bfk_op_state_to_string      (BfkOpState       state);
gboolean     bfk_op_state_from_string    (const gchar     *text,
                                          BfkOpState      *out);
const gchar *bfk_op_kind_to_string       (BfkOpKind        kind);   /* "register_member" */
gboolean     bfk_op_kind_from_string     (const gchar     *text,
                                          BfkOpKind       *out);
const gchar *bfk_failure_class_to_string (BfkFailureClass  klass);  /* "reverted" */
/* Maps a chain client error (BFK_CHAIN_ERROR) to its class. */
BfkFailureClass bfk_failure_class_from_error (const GError *error);

/* What to do, for bfk_outbox_enqueue.  The calldata goes to the contract. */
typedef struct
{
  BfkOpKind    kind;
  GBytes      *calldata;
  const gchar *summary;        /* one line for people: "register Marie (+2376…) in Fondjomenkwet" */
  gint64       member_id;      /* 0: none */
  guint64      community_id;   /* 0: none */
  guint64      exchange_id;    /* 0: none */
  gint64       amount;         /* 0: none */
} BfkOpRequest;

/* Inserts the operation and reserves the signer's next nonce.  Runs in its
 * own transaction, or inside the caller's when one is open (so that a
 * member and its registration are written together).  The first nonce of a
 * signer comes from the node's pending count, so rpc is needed only then
 * (NULL afterwards is fine).  Returns the operation id, or 0. */
gint64       bfk_outbox_enqueue          (BfkStore          *store,
                                          BfkRpcClient      *rpc,
                                          const BfkAddress  *signer,
                                          const BfkAddress  *contract,
                                          const BfkOpRequest *request,
                                          GError           **error);

/* One operation as stored, for listings. */
typedef struct
{
  gint64           id;
  BfkOpKind        kind;
  BfkOpState       state;
  gchar           *signer;
  guint64          nonce;
  gchar           *summary;
  gint64           member_id;
  guint64          community_id;
  guint64          exchange_id;
  gint64           amount;
  BfkFailureClass  failure_class;
  gchar           *reason;
  guint            attempts;
  gchar           *tx_hash;
  guint64          block_number;
  guint64          gas_used;
  gchar           *fee_paid;      /* wei, decimal */
  gint64           created_at;
  gint64           sent_at;
  gint64           mined_at;
  gint64           confirmed_at;
} BfkOpInfo;

void         bfk_op_info_free            (BfkOpInfo        *info);
BfkOpInfo   *bfk_outbox_get              (BfkStore         *store,
                                          gint64            id,
                                          GError          **error);
/* Newest first; a GPtrArray of BfkOpInfo. */
GPtrArray   *bfk_outbox_list_recent      (BfkStore         *store,
                                          guint             limit,
                                          GError          **error);
/* counts[BFK_OP_N_STATES] */
gboolean     bfk_outbox_count_by_state   (BfkStore         *store,
                                          guint64           counts[BFK_OP_N_STATES],
                                          GError          **error);

/* The operator's hand on a stuck operation.  Each stores a request in the
 * operation's row, which the driver carries out at its next pass (after a
 * restart too), and only once:
 *   - bump: an operation signed or sent, not mined, is signed again at the
 *     same nonce with fees raised, now rather than after resend_after_s;
 *   - cancel: an operation signed or sent is replaced, at its nonce and
 *     with fees raised, by a transfer of nothing to its signer; when that
 *     is mined the operation ends failed (BFK_FAILURE_CANCELLED, "cancelled
 *     by the operator").  Should the original be mined first, the operation
 *     ends as it would have.  A queued operation is failed without sending
 *     anything, and the signer's later queued operations move down a nonce,
 *     so that no gap is left.
 * Both are refused with BFK_OUTBOX_ERROR_SETTLED for an operation mined,
 * confirmed, failed or replaced (or already failing, its nonce being
 * filled); a bump of a queued operation is BFK_OUTBOX_ERROR_NOT_SENT.  A
 * bump asked while a cancel waits leaves the cancel.  Safe while a driver
 * runs on another connection: the driver writes no other column that the
 * requests touch. */
#define BFK_OUTBOX_CANCEL_REASON "cancelled by the operator"

gboolean     bfk_outbox_request_bump     (BfkStore         *store,
                                          gint64            id,
                                          GError          **error);
gboolean     bfk_outbox_request_cancel   (BfkStore         *store,
                                          gint64            id,
                                          GError          **error);

/* --- the driver --- */

typedef struct
{
  guint    confirmations;        /* blocks on top of the receipt's; 0 on the local network */
  guint    resend_after_s;       /* not mined after this: bump the fees and send again */
  guint    batch_size;           /* transactions signed and sent per step */
  /* Transactions of one signer sent and not mined, at most: nodes keep
   * only so many of one sender in their pool.  0: batch_size. */
  guint    max_in_flight;
  /* How long, at most, new transactions that follow a pause wait for the
   * chain to mine the ones just below them: anvil's automine strands a
   * transaction that arrives while the one before it is being mined
   * (foundry-rs/foundry#10122).  0: no wait (real networks). */
  guint    mined_wait_ms;
  BfkU256  gas_warn_below;       /* wei: warn when the signer's balance falls below */
  BfkU256  gas_pause_below;      /* wei: stop sending (not crash) below this */
} BfkOutboxConfig;

/* Sensible defaults for a chain: confirmations as configured, resend after
 * 60 s (15 s on the local network), batches of 100 and as many in flight;
 * on the local network, whose pool has no limit, up to 500 in flight,
 * and chunks wait up to 200 ms for their predecessors to be mined. */
void         bfk_outbox_config_init      (BfkOutboxConfig  *config,
                                          guint64           chain_id,
                                          guint             confirmations);

typedef struct _BfkOutbox BfkOutbox;

typedef void (*BfkOutboxObserver) (gint64            op_id,
                                   BfkOpState        old_state,
                                   BfkOpState        new_state,
                                   const BfkOpInfo  *info,
                                   gpointer          user_data);

typedef enum
{
  BFK_GAS_OK,
  BFK_GAS_LOW,        /* below gas_warn_below: a warning */
  BFK_GAS_PAUSED,     /* below gas_pause_below: nothing is sent until refilled */
} BfkGasState;

BfkOutbox   *bfk_outbox_new              (BfkStore              *store,
                                          BfkRpcClient          *rpc,
                                          guint64                chain_id,
                                          const BfkOutboxConfig *config);
void         bfk_outbox_free             (BfkOutbox             *outbox);
/* A key the driver may sign with: the operator's, an unlocked backer's. */
void         bfk_outbox_add_key          (BfkOutbox             *outbox,
                                          const BfkPrivateKey   *key);
void         bfk_outbox_set_observer     (BfkOutbox             *outbox,
                                          BfkOutboxObserver      observer,
                                          gpointer               user_data);

/* Before anything else after a start: asks the node about every operation
 * that may have reached it (signed, sent, mined), and settles its state. */
gboolean     bfk_outbox_recover          (BfkOutbox             *outbox,
                                          GCancellable          *cancellable,
                                          GError               **error);

typedef struct
{
  guint        signed_now;
  guint        sent_now;
  guint        mined_now;
  guint        confirmed_now;
  guint        failed_now;
  guint        bumped_now;
  guint        pending;          /* operations not yet confirmed, failed or replaced */
  BfkGasState  gas_state;
  BfkU256      gas_balance;      /* of the operator key, wei */
  gboolean     unreachable;      /* the node did not answer: the operations wait */
} BfkOutboxReport;

/* One pass: sign what is queued (in nonce order), send what is signed,
 * collect receipts, confirm at depth, bump what is stuck.  A down node is
 * not an error here: the pass reports it and the operations wait. */
gboolean     bfk_outbox_step             (BfkOutbox             *outbox,
                                          GCancellable          *cancellable,
                                          BfkOutboxReport       *report,
                                          GError               **error);

/* Only one driver per data dir.  The lock is an flock on
 * <data_dir>/outbox.lock, released when the process ends, even by SIGKILL. */
typedef struct _BfkOutboxLock BfkOutboxLock;

/* NULL with an error naming the holder's pid when another process drives. */
BfkOutboxLock *bfk_outbox_lock_acquire   (const gchar           *data_dir,
                                          GError               **error);
void           bfk_outbox_lock_release   (BfkOutboxLock         *lock);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BfkOutbox, bfk_outbox_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BfkOpInfo, bfk_op_info_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BfkOutboxLock, bfk_outbox_lock_release)

G_END_DECLS
