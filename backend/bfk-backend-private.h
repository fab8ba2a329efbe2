/* bfk-backend-private.h: shared by the files of the backend:
 *   bfk-backend.c        the object, its lifecycle and the backend thread;
 *   bfk-backend-api.c    the _async calls, run on the backend thread;
 *   bfk-backend-console.c the console's audited writes, and the added keys;
 *   bfk-backend-chain.c  the outbox and follower threads;
 *   bfk-backend-http.c   the SoupServer routes;
 *   bfk-backend-health.c what /healthz and /metrics report.
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "bfk-backend.h"
#include "bfk-bot-apply.h"
#include "bfk-connection.h"
#include "bfk-follower.h"
#include "bfk-form.h"
#include "bfk-key-box.h"
#include "bfk-metrics.h"
#include "bfk-outbox.h"
#include "bfk-rate-limit.h"
#include "bfk-twilio-client.h"
#include "bfk-store.h"

G_BEGIN_DECLS

/* Above this many blocks behind the head, /healthz says "degraded". */
#define BFK_BACKEND_LAG_DEGRADED 20

typedef struct _BfkMailbox BfkMailbox;

/* What the workers last saw; under health_mutex. */
typedef struct
{
  guint64      head;
  guint64      synced;
  guint64      lag;
  gboolean     follower_ran;     /* a first follower step has succeeded */
  gchar       *follower_error;   /* its last step's error, or NULL */
  gboolean     outbox_ran;
  gchar       *outbox_error;     /* unreachable node or failed step, or NULL */
  guint64      operations[BFK_OP_N_STATES];
  BfkGasState  gas_state;
  BfkU256      gas_balance;
} BfkBackendHealth;

struct _BfkBackend
{
  GObject           parent_instance;

  BfkConfig        *config;
  GMainContext     *owner_context;   /* where the signals are emitted */
  BfkMailbox       *mailbox;         /* emissions waiting for the owner's context */
  gint              state;           /* BfkBackendState, atomic */
  gchar            *listen_uri;
  gchar            *contract_text;
  guint             tick_source;     /* metrics-tick, in the owner context */

  /* The backend thread: HTTP and the API calls. */
  GThread          *thread;
  GMainContext     *context;
  GMainLoop        *loop;
  GCancellable     *cancellable;
  SoupServer       *server;
  GTask            *start_task;
  BfkStore         *store;           /* the backend thread's connection */

  /* WhatsApp (bfk-backend-webhook.c, -writer.c, -messages.c). */
  BfkRateLimit     *rate_limit;
  GAsyncQueue      *webhook_jobs;    /* BfkWebhookJob, for the writer */
  GThread          *writer_thread;
  BfkTwilioClient  *twilio;          /* NULL without credentials */
  GThread          *courier_thread;

  /* Set up by the start, read-only while the workers run. */
  BfkConnection    *conn;
  BfkOutboxLock    *lock;
  BfkPrivateKey     operator_key;
  BfkAddress        operator;
  guint8            data_key[BFK_DATA_KEY_SIZE];
  guint             n_communities;   /* atomic: grows with CommunityAdded */
  gchar            *db_path;
  BfkMetrics       *metrics;

  /* The workers. */
  GThread          *outbox_thread;
  GThread          *follower_thread;
  GMutex            wake_mutex;
  GCond             wake_cond;
  gboolean          outbox_wake;     /* under wake_mutex */
  gboolean          courier_wake;    /* under wake_mutex */
  gboolean          quitting;        /* under wake_mutex */

  GMutex            health_mutex;
  BfkBackendHealth  health;

  /* Keys the console added (bfk-backend-console.c), under signers_mutex:
   * their addresses, for bfk_backend_has_signer, until the stop; and the
   * keys themselves until the outbox thread takes them. */
  GMutex            signers_mutex;
  GArray           *signers;         /* of BfkAddress */
  GArray           *new_keys;        /* of BfkPrivateKey, wiped once taken */
};

enum
{
  SIGNAL_OPERATION_CHANGED,
  SIGNAL_EVENT,
  SIGNAL_SYNC_PROGRESS,
  SIGNAL_GAS_WARNING,
  SIGNAL_METRICS_TICK,
  N_SIGNALS,
};

/* --- bfk-backend.c --- */

/* Emits a signal on the owner's main context, from any thread.  The values
 * (after the instance) are consumed. */
void      bfk_backend_emit              (BfkBackend   *self,
                                         guint         signal,
                                         GValue       *values,
                                         guint         n_values);
/* Waits up to timeout_ms for the stop, or for *wake (a flag of self, under
 * wake_mutex; NULL: none) to be set, and clears it; FALSE when stopping. */
gboolean  bfk_backend_wait              (BfkBackend   *self,
                                         guint         timeout_ms,
                                         gboolean     *wake);
void      bfk_backend_wake              (BfkBackend   *self,
                                         gboolean     *wake);
void      bfk_backend_wake_outbox       (BfkBackend   *self);
gboolean  bfk_backend_is_quitting       (BfkBackend   *self);

typedef void (*BfkBackendCall) (BfkBackend *self,
                                GTask      *task);
/* Runs call with task (its data set by the caller) on the backend thread;
 * the task gets BFK_BACKEND_ERROR_NOT_RUNNING when the backend does not
 * run, or stops first. */
void      bfk_backend_invoke            (BfkBackend     *self,
                                         GTask          *task,
                                         BfkBackendCall  call);

/* --- bfk-backend-api.c: what the _async/_finish calls share --- */

/* A task of self, tagged with its _async function. */
GTask    *bfk_backend_new_task          (BfkBackend          *self,
                                         gpointer             source_tag,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
/* A new task, carrying data (freed with data_free; NULL: none), run by
 * call on the backend thread (bfk_backend_invoke). */
void      bfk_backend_call              (BfkBackend          *self,
                                         gpointer             source_tag,
                                         BfkBackendCall       call,
                                         gpointer             data,
                                         GDestroyNotify       data_free,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
/* The _finish side: the task's result, checked to be self's. */
gboolean  bfk_backend_propagate_boolean (BfkBackend          *self,
                                         GAsyncResult        *result,
                                         GError             **error);
gpointer  bfk_backend_propagate_pointer (BfkBackend          *self,
                                         GAsyncResult        *result,
                                         GError             **error);
/* An id, or 0 with error. */
gint64    bfk_backend_propagate_id      (BfkBackend          *self,
                                         GAsyncResult        *result,
                                         GError             **error);
/* Returns error (taken), or TRUE when none; whether it was none. */
gboolean  bfk_backend_return_boolean_or_error (GTask         *task,
                                         GError              *error);
/* An operation is in the outbox: tell the console, and the driver. */
void      bfk_backend_announce          (BfkBackend          *self,
                                         gint64               op_id,
                                         const gchar         *summary);

/* A request a task keeps: its calldata referenced, its summary copied. */
typedef struct
{
  BfkOpRequest  request;
  gchar        *summary;
} BfkHeldRequest;

void      bfk_held_request_init         (BfkHeldRequest      *held,
                                         const BfkOpRequest  *request);
void      bfk_held_request_clear        (BfkHeldRequest      *held);

/* --- bfk-backend-chain.c --- */

void      bfk_backend_chain_start       (BfkBackend   *self);
/* Joins the workers; call after the quit is set. */
void      bfk_backend_chain_join        (BfkBackend   *self);
/* Operation-changed for an operation that this process just enqueued. */
void      bfk_backend_emit_queued       (BfkBackend   *self,
                                         gint64        op_id,
                                         const gchar  *summary);

/* --- bfk-backend-console.c --- */

/* In the outbox's thread, before each step: the keys added since. */
void      bfk_backend_take_keys         (BfkBackend   *self,
                                         BfkOutbox    *outbox);
/* Once the outbox thread has ended: the added keys are gone with it. */
void      bfk_backend_forget_signers    (BfkBackend   *self);

/* --- bfk-backend-health.c --- */

void      bfk_backend_metrics_declare   (BfkBackend   *self);
BfkBackendStatus *bfk_backend_status_snapshot (BfkBackend *self);
JsonNode *bfk_backend_status_to_json    (const BfkBackendStatus *status);

/* --- bfk-backend-webhook.c and bfk-backend-writer.c --- */

typedef enum
{
  BFK_WEBHOOK_MESSAGE,    /* POST /webhook */
  BFK_WEBHOOK_STATUS,     /* POST /webhook/status */
} BfkWebhookKind;

/* An admitted request, paused until the writer has stored it. */
typedef struct
{
  BfkWebhookKind     kind;
  SoupServerMessage *msg;           /* touched on the backend thread only */
  BfkForm           *form;          /* the request's fields */
  gint64             received_us;   /* monotonic, for the response time */
  gint64             now_us;        /* wall clock at arrival */
  /* The answer, set by the writer: */
  guint              status;
  const gchar       *content_type;
  gchar             *body;
  const gchar       *outcome;       /* for bafoka_webhook_requests_total */
} BfkWebhookJob;

void      bfk_webhook_job_free          (BfkWebhookJob     *job);
void      bfk_backend_writer_start      (BfkBackend        *self);
void      bfk_backend_writer_push       (BfkBackend        *self,
                                         BfkWebhookJob     *job);
/* Stores what was pushed before, then ends the writer. */
void      bfk_backend_writer_join       (BfkBackend        *self);
/* On the backend thread: the stored jobs' answers leave. */
void      bfk_backend_webhook_answer    (BfkBackend        *self,
                                         GPtrArray         *jobs);
void      bfk_backend_webhook_declare   (BfkBackend        *self);
void      bfk_backend_route_webhook     (BfkBackend        *self,
                                         SoupServerMessage *msg);
void      bfk_backend_route_status      (BfkBackend        *self,
                                         SoupServerMessage *msg);

/* --- bfk-backend-messages.c --- */

/* The courier thread, when Twilio is configured. */
void      bfk_backend_messages_start    (BfkBackend   *self);
void      bfk_backend_messages_join     (BfkBackend   *self);
/* In the follower's thread, after a step: notices of the new events. */
void      bfk_backend_tell_members      (BfkBackend   *self,
                                         BfkStore     *store);
/* What carrying out the bot's effects needs, writing through store. */
BfkBotChain bfk_backend_bot_chain       (BfkBackend   *self,
                                         BfkStore     *store);
/* In the outbox's thread: expire proposals past their deadline. */
void      bfk_backend_expire_proposals  (BfkBackend   *self,
                                         BfkStore     *store);

/* --- bfk-backend-http.c --- */

/* Binds config->listen in the thread-default context; a clear error when
 * the address is wrong or the port in use. */
SoupServer *bfk_backend_http_listen     (BfkBackend   *self,
                                         GError      **error);

G_END_DECLS
