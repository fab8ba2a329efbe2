/* bfk-outbox-private.h: shared by the files of the outbox: the operations
 * as the driver holds them, and the SQL that moves them along. */
#pragma once

#include "bfk-fees.h"
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
  /* While in flight: the class of the last refusal, or REVERTED when the
   * operation failed and a filler now burns its nonce. */
  BfkFailureClass  failure_class;
  gchar           *reason;
  guint64          block_number;
  guint8           block_hash[BFK_HASH_SIZE];
  GPtrArray       *attempts;  /* of BfkOutboxAttempt, oldest first */
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

G_END_DECLS
