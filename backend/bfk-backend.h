/* bfk-backend.h: the backend thread, and its API for the console and the CLI.
 *
 * A BfkBackend runs everything that is not the window, off the caller's
 * thread:
 *   - a thread with its own GMainContext, serving HTTP (/healthz, /metrics;
 *     /webhook with the WhatsApp issue) and the API calls below, on its own
 *     store connection;
 *   - the outbox driver and the event follower, each on its own thread with
 *     its own store connection, since they block on the network.
 *
 * Starting does what every run needs, and fails with one clear sentence
 * when the configuration is wrong: the HTTP address is bound (a port in use
 * is BFK_BACKEND_ERROR_LISTEN), the operator key unlocked (a wrong password
 * is BFK_CHAIN_ERROR_KEYSTORE_PASSWORD), the outbox lock taken, the chain
 * connected (BFK_CHAIN_ERROR_CHAIN_ID_MISMATCH), the contract found (on the
 * local network, deployed on the first run), and the store opened.
 *
 * The caller never blocks: every call is _async/_finish, and the signals are
 * emitted on the thread-default main context of the thread that created
 * the backend.  Stop it (bfk_backend_stop_async) before dropping the last
 * reference; dispose stops it too, but blocks to do so.
 */
#pragma once

#include <gio/gio.h>

#include "bfk-config.h"
#include "bfk-members.h"
#include "bfk-outbox.h"

G_BEGIN_DECLS

#define BFK_BACKEND_ERROR (bfk_backend_error_quark ())

typedef enum
{
  BFK_BACKEND_ERROR_LISTEN,       /* the HTTP address cannot be bound */
  BFK_BACKEND_ERROR_NOT_RUNNING,  /* a call before start, or after stop */
  BFK_BACKEND_ERROR_BUSY,         /* start while starting or running */
  BFK_BACKEND_ERROR_NO_SIGNER,    /* a signer whose key was not added (bfk_backend_add_signer_async) */
  BFK_BACKEND_ERROR_WINDOW_CLOSED,/* a message outside the 24-hour window, and no template */
} BfkBackendError;

GQuark bfk_backend_error_quark (void);

typedef enum
{
  BFK_BACKEND_STOPPED,
  BFK_BACKEND_STARTING,
  BFK_BACKEND_RUNNING,
  BFK_BACKEND_STOPPING,
} BfkBackendState;

GType bfk_backend_state_get_type (void);
#define BFK_TYPE_BACKEND_STATE (bfk_backend_state_get_type ())

#define BFK_TYPE_BACKEND (bfk_backend_get_type ())
G_DECLARE_FINAL_TYPE (BfkBackend, bfk_backend, BFK, BACKEND, GObject)

/* Takes config. */
BfkBackend      *bfk_backend_new                  (BfkConfig            *config);
const BfkConfig *bfk_backend_get_config           (BfkBackend           *self);
BfkBackendState  bfk_backend_get_state            (BfkBackend           *self);
/* "http://127.0.0.1:8080/" once running (the real port when 0 was asked). */
const gchar     *bfk_backend_get_listen_uri       (BfkBackend           *self);
/* The contract's address, once running. */
const gchar     *bfk_backend_get_contract         (BfkBackend           *self);

/* cancellable is not used: bfk_backend_stop_async abandons a start too. */
void             bfk_backend_start_async          (BfkBackend           *self,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean         bfk_backend_start_finish         (BfkBackend           *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

/* Stops the threads and the HTTP server, releases the outbox lock, closes
 * the store, and stops the local node that this process started (its state
 * is saved).  Operations in flight stay in the outbox, consistent: the next
 * start recovers them. */
void             bfk_backend_stop_async           (BfkBackend           *self,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean         bfk_backend_stop_finish          (BfkBackend           *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

/* --- the API: run on the backend thread ------------------------------------ */

/* Enqueues an operation signed by the operator key, and wakes the driver.
 * The request is copied.  Finishes with the operation's id, or 0. */
void             bfk_backend_enqueue_async        (BfkBackend           *self,
                                                   const BfkOpRequest   *request,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gint64           bfk_backend_enqueue_finish       (BfkBackend           *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

/* Creates a member and enqueues its registration (bfk-enrolment.h). */
void             bfk_backend_add_member_async     (BfkBackend           *self,
                                                   const gchar          *phone,
                                                   const gchar          *name,
                                                   guint64               community_id,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
/* The member; op_id_out (may be NULL) gets its register operation. */
BfkMember       *bfk_backend_add_member_finish    (BfkBackend           *self,
                                                   GAsyncResult         *result,
                                                   gint64               *op_id_out,
                                                   GError              **error);

/* A page of members (community_id 0: all), a GPtrArray of BfkMember. */
void             bfk_backend_list_members_async   (BfkBackend           *self,
                                                   guint64               community_id,
                                                   guint                 limit,
                                                   guint                 offset,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
GPtrArray       *bfk_backend_list_members_finish  (BfkBackend           *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

/* The newest operations first, a GPtrArray of BfkOpInfo. */
void             bfk_backend_list_operations_async (BfkBackend          *self,
                                                   guint                 limit,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
GPtrArray       *bfk_backend_list_operations_finish (BfkBackend         *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

/* What /healthz and /metrics report, at one instant. */
typedef struct
{
  const gchar *status;            /* "ok", "degraded" or "down" (static) */
  guint64      chain_id;
  guint64      head;              /* the node's latest block, as last seen */
  guint64      synced;            /* the last block whose events are stored */
  guint64      lag;
  gchar       *rpc_error;         /* NULL when the node answers */
  guint64      operations[BFK_OP_N_STATES];
  BfkGasState  gas_state;
  BfkU256      gas_balance;       /* wei, of the operator key */
  gboolean     twilio_configured;
  gchar       *metrics;           /* the Prometheus text */
} BfkBackendStatus;

void             bfk_backend_status_free          (BfkBackendStatus     *status);
const gchar     *bfk_gas_state_to_string          (BfkGasState           state);

void             bfk_backend_get_status_async     (BfkBackend           *self,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
BfkBackendStatus *bfk_backend_get_status_finish   (BfkBackend           *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

/* --- the console's calls: each records its audit entry itself ------------- */

/* Hands an unlocked key (a backer's) to the outbox driver, which may then
 * sign with it until the backend stops (a start again needs it again).
 * The key is copied; the caller wipes its own.  Audited as "add_signer". */
void             bfk_backend_add_signer_async     (BfkBackend           *self,
                                                   const BfkPrivateKey  *key,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean         bfk_backend_add_signer_finish    (BfkBackend           *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);
/* Whether the driver holds the key of address (the operator's, or one
 * added); FALSE when not running.  Any thread. */
gboolean         bfk_backend_has_signer           (BfkBackend           *self,
                                                   const BfkAddress     *address);
/* The operator's address, while running; NULL otherwise. */
const BfkAddress *bfk_backend_get_operator        (BfkBackend           *self);

/* Enqueues request signed by signer (NULL: the operator), and records
 * audit_action (e.g. "recharge", "add_community", "approve_backer") about
 * audit_subject in the audit log, with the result ("queued op N" or the
 * error), from source "console", actor the signer.  A signer whose key
 * was not added is BFK_BACKEND_ERROR_NO_SIGNER (audited too).  Finishes
 * with the operation's id, or 0. */
void             bfk_backend_enqueue_audited_async (BfkBackend          *self,
                                                   const BfkAddress     *signer,
                                                   const BfkOpRequest   *request,
                                                   const gchar          *audit_action,
                                                   const gchar          *audit_subject,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gint64           bfk_backend_enqueue_audited_finish (BfkBackend         *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

/* A stuck operation (sent, not mined): BUMP sends it again now with higher
 * fees; CANCEL replaces it, at the same nonce, with a transfer of nothing
 * to the signer itself, and the operation ends failed (BFK_FAILURE_CANCELLED),
 * "cancelled by the operator" — unless the original is mined first.  A
 * queued operation is cancelled without sending anything, and the
 * signer's later operations move down a nonce.  The request is stored
 * with the operation and carried out by the driver's next pass, after a
 * restart too (bfk_outbox_request_bump, _cancel).  Both are refused with
 * BFK_OUTBOX_ERROR_SETTLED for an operation already mined, confirmed or
 * failed; a BUMP of a queued one is BFK_OUTBOX_ERROR_NOT_SENT.  Audited as
 * "bump" / "cancel", actor the operation's signer. */
typedef enum
{
  BFK_STUCK_BUMP,
  BFK_STUCK_CANCEL,
} BfkStuckAction;

void             bfk_backend_unstick_async        (BfkBackend           *self,
                                                   gint64                op_id,
                                                   BfkStuckAction        action,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean         bfk_backend_unstick_finish       (BfkBackend           *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

/* Support staff write to a member: the message is queued for the courier
 * (kept as not sent without Twilio).  Refused with
 * BFK_BACKEND_ERROR_WINDOW_CLOSED when the member's 24-hour window is
 * closed and no template is configured.  Audited as "send_message" (the
 * number masked, not the text).  Finishes with the message's id, or 0. */
void             bfk_backend_send_message_async   (BfkBackend           *self,
                                                   const gchar          *phone,
                                                   const gchar          *body,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gint64           bfk_backend_send_message_finish  (BfkBackend           *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

/* A person takes the conversation over (the bot stays silent on free
 * text, and still answers commands), or returns it to the bot.  A number
 * without a conversation is BFK_CONVERSATION_ERROR_NOT_FOUND.  Audited as
 * "take_over" / "return_to_bot". */
void             bfk_backend_take_over_async      (BfkBackend           *self,
                                                   const gchar          *phone,
                                                   gboolean              taken,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean         bfk_backend_take_over_finish     (BfkBackend           *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

/* The conversation's unread count goes back to zero.  Not audited. */
void             bfk_backend_mark_read_async      (BfkBackend           *self,
                                                   const gchar          *phone,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean         bfk_backend_mark_read_finish     (BfkBackend           *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

/* Records an action that has no operation of its own ("reveal_phone",
 * "change_preference"), from source "console", actor the operator. */
void             bfk_backend_audit_async          (BfkBackend           *self,
                                                   const gchar          *action,
                                                   const gchar          *subject,
                                                   const gchar          *detail,
                                                   const gchar          *result_text,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean         bfk_backend_audit_finish         (BfkBackend           *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

/* --- reads from the chain that the store cannot answer ------------------ */

/* Each backer's approval and what it may still mint this week
 * (bfk_contract_read_backer): weeks are counted in block time, which the
 * store does not keep.  Runs on a worker thread (it waits on the node).
 * Finishes with a GArray of BfkBackerInfo (bfk-contract.h), in the order
 * given. */
void             bfk_backend_read_backers_async   (BfkBackend           *self,
                                                   const BfkAddress     *backers,
                                                   guint                 n_backers,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
GArray          *bfk_backend_read_backers_finish  (BfkBackend           *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BfkBackendStatus, bfk_backend_status_free)

G_END_DECLS
