/* bfk-backend.c: the object, its lifecycle, and the backend thread. */
#include "bfk-backend-private.h"
#include "bfk-contract.h"
#include "bfk-deploy.h"
#include "bfk-operator-key.h"

#include <errno.h>
#include <string.h>

G_DEFINE_QUARK (bfk-backend-error-quark, bfk_backend_error)

G_DEFINE_ENUM_TYPE (BfkBackendState, bfk_backend_state,
  G_DEFINE_ENUM_VALUE (BFK_BACKEND_STOPPED, "stopped"),
  G_DEFINE_ENUM_VALUE (BFK_BACKEND_STARTING, "starting"),
  G_DEFINE_ENUM_VALUE (BFK_BACKEND_RUNNING, "running"),
  G_DEFINE_ENUM_VALUE (BFK_BACKEND_STOPPING, "stopping"))

/* How often "metrics-tick" tells the console to refresh its dashboards. */
#define METRICS_TICK_S 5

G_DEFINE_FINAL_TYPE (BfkBackend, bfk_backend, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_CONFIG,
  PROP_STATE,
  PROP_LISTEN_URI,
  PROP_CONTRACT,
  N_PROPS,
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Serialises start and stop, and API calls against the stop (bfk-backend-api.c). */
static GMutex lifecycle_mutex;

/* --- emitting on the owner's context ---------------------------------------- */

typedef struct
{
  guint       signal;      /* unused for a notify */
  GParamSpec *pspec;
  GValue     *values;
  guint       n_values;
} Emission;

/* Emissions for the owner's context.  A catch-up can produce thousands of
 * events in a moment: they wait here, in order, and one callback delivers
 * all that have arrived, rather than one main-loop source each.  Shared by
 * reference with that callback, which may run after the backend is gone. */
struct _BfkMailbox
{
  GMutex    lock;
  GQueue    queue;        /* Emission, oldest first; under lock */
  gboolean  scheduled;    /* a delivery is on its way; under lock */
  GWeakRef  backend;
};

static void
emission_free (gpointer data)
{
  Emission *e = data;

  for (guint i = 0; i < e->n_values; i++)
    g_value_unset (&e->values[i]);
  g_free (e->values);
  g_free (e);
}

static void
emission_dispatch (BfkBackend *self,
                   Emission   *e)
{
  g_autofree GValue *args = NULL;

  if (e->pspec)
    {
      g_object_notify_by_pspec (G_OBJECT (self), e->pspec);
      return;
    }
  args = g_new0 (GValue, e->n_values + 1);
  g_value_init (&args[0], BFK_TYPE_BACKEND);
  g_value_set_object (&args[0], self);
  for (guint i = 0; i < e->n_values; i++)
    args[i + 1] = e->values[i];
  g_signal_emitv (args, signals[e->signal], 0, NULL);
  g_value_unset (&args[0]);
}

static void
mailbox_clear (gpointer data)
{
  BfkMailbox *mb = data;

  g_queue_clear_full (&mb->queue, emission_free);
  g_weak_ref_clear (&mb->backend);
  g_mutex_clear (&mb->lock);
}

static void
mailbox_release (gpointer data)
{
  g_atomic_rc_box_release_full (data, mailbox_clear);
}

static BfkMailbox *
mailbox_new (BfkBackend *self)
{
  BfkMailbox *mb = g_atomic_rc_box_new0 (BfkMailbox);

  g_mutex_init (&mb->lock);
  g_queue_init (&mb->queue);
  g_weak_ref_init (&mb->backend, self);
  return mb;
}

static gboolean
mailbox_deliver (gpointer data)
{
  BfkMailbox *mb = data;
  g_autoptr(BfkBackend) self = g_weak_ref_get (&mb->backend);
  GQueue ready;
  Emission *e;

  g_mutex_lock (&mb->lock);
  ready = mb->queue;
  g_queue_init (&mb->queue);
  mb->scheduled = FALSE;
  g_mutex_unlock (&mb->lock);
  while ((e = g_queue_pop_head (&ready)))
    {
      if (self)
        emission_dispatch (self, e);
      emission_free (e);
    }
  return G_SOURCE_REMOVE;
}

static void
invoke_on_owner (BfkBackend *self,
                 Emission   *e)
{
  BfkMailbox *mb = self->mailbox;
  gboolean schedule;

  g_mutex_lock (&mb->lock);
  g_queue_push_tail (&mb->queue, e);
  schedule = !mb->scheduled;
  mb->scheduled = TRUE;
  g_mutex_unlock (&mb->lock);
  if (schedule)
    g_main_context_invoke_full (self->owner_context, G_PRIORITY_DEFAULT, mailbox_deliver,
                                g_atomic_rc_box_acquire (mb), mailbox_release);
}

void
bfk_backend_emit (BfkBackend *self,
                  guint       signal,
                  GValue     *values,
                  guint       n_values)
{
  Emission *e = g_new0 (Emission, 1);

  e->signal = signal;
  e->n_values = n_values;
  e->values = g_new0 (GValue, n_values);
  /* The caller's values move into the emission. */
  memcpy (e->values, values, n_values * sizeof (GValue));
  memset (values, 0, n_values * sizeof (GValue));
  invoke_on_owner (self, e);
}

static void
set_state (BfkBackend      *self,
           BfkBackendState  state)
{
  Emission *e = g_new0 (Emission, 1);

  if ((BfkBackendState) g_atomic_int_exchange (&self->state, state) == state)
    {
      g_free (e);
      return;
    }
  e->pspec = properties[PROP_STATE];
  invoke_on_owner (self, e);
}

/* --- waking the workers ------------------------------------------------------- */

gboolean
bfk_backend_wait (BfkBackend *self,
                  guint       timeout_ms,
                  gboolean   *wake)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  gboolean running;

  g_mutex_lock (&self->wake_mutex);
  while (!self->quitting && !(wake && *wake))
    if (!g_cond_wait_until (&self->wake_cond, &self->wake_mutex, end))
      break;
  if (wake)
    *wake = FALSE;
  running = !self->quitting;
  g_mutex_unlock (&self->wake_mutex);
  return running;
}

void
bfk_backend_wake (BfkBackend *self,
                  gboolean   *wake)
{
  g_mutex_lock (&self->wake_mutex);
  *wake = TRUE;
  g_cond_broadcast (&self->wake_cond);
  g_mutex_unlock (&self->wake_mutex);
}

void
bfk_backend_wake_outbox (BfkBackend *self)
{
  bfk_backend_wake (self, &self->outbox_wake);
}

gboolean
bfk_backend_is_quitting (BfkBackend *self)
{
  gboolean quitting;

  g_mutex_lock (&self->wake_mutex);
  quitting = self->quitting;
  g_mutex_unlock (&self->wake_mutex);
  return quitting;
}

/* --- API calls, run on the backend thread ------------------------------------- */

typedef struct
{
  GTask          *task;
  BfkBackendCall  call;
} Invocation;

static void
invocation_free (gpointer data)
{
  Invocation *inv = data;

  g_object_unref (inv->task);
  g_free (inv);
}

static void
return_not_running (GTask *task)
{
  g_task_return_new_error (task, BFK_BACKEND_ERROR, BFK_BACKEND_ERROR_NOT_RUNNING,
                           "The backend is not running");
}

static gboolean
invocation_dispatch (gpointer data)
{
  Invocation *inv = data;
  BfkBackend *self = g_task_get_source_object (inv->task);

  if (bfk_backend_is_quitting (self))
    return_not_running (inv->task);
  else if (!g_task_return_error_if_cancelled (inv->task))
    inv->call (self, inv->task);
  return G_SOURCE_REMOVE;
}

void
bfk_backend_invoke (BfkBackend     *self,
                    GTask          *task,
                    BfkBackendCall  call)
{
  Invocation *inv;

  g_mutex_lock (&lifecycle_mutex);
  if (bfk_backend_get_state (self) != BFK_BACKEND_RUNNING)
    {
      g_mutex_unlock (&lifecycle_mutex);
      return_not_running (task);
      return;
    }
  inv = g_new0 (Invocation, 1);
  inv->task = g_object_ref (task);
  inv->call = call;
  /* Queued before any stop can quit the loop; the loop drains it. */
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, invocation_dispatch, inv,
                              invocation_free);
  g_mutex_unlock (&lifecycle_mutex);
}

/* --- the start, in the backend thread ---------------------------------------- */

static gboolean
find_contract (BfkBackend  *self,
               GError     **error)
{
  BfkConnection *conn = self->conn;
  gchar a[BFK_ADDRESS_STRING_SIZE];
  gboolean deployed = FALSE;
  BfkU256 count;

  /* Like "bafokactl deploy --if-needed": the local network is ours to set
   * up; a real one must name its contract. */
  if (self->config->network == BFK_NETWORK_LOCAL
      && !bfk_deploy_if_needed (conn, &self->operator_key, &deployed, self->cancellable, error))
    return FALSE;
  if (!bfk_connection_require_contract (conn, error))
    return FALSE;

  bfk_address_to_string_buf (&conn->contract, a);
  self->contract_text = g_strdup (a);
  if (deployed)
    g_message ("Deployed the contract at %s in block %" G_GUINT64_FORMAT, a, conn->deploy_block);

  if (!bfk_contract_read_uint (conn->rpc, &conn->contract, "communityCount", NULL, &count, error))
    return FALSE;
  self->n_communities = (guint) bfk_u256_to_u64 (count);
  return TRUE;
}

/* Cheap and local checks first, so that a mistake costs no node start. */
static gboolean
start_sequence (BfkBackend  *self,
                GError     **error)
{
  const BfkConfig *config = self->config;

  if (g_mkdir_with_parents (config->data_dir, 0700) != 0)
    {
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno),
                   "Cannot create the data folder %s: %s", config->data_dir, g_strerror (errno));
      return FALSE;
    }
  self->server = bfk_backend_http_listen (self, error);
  if (!self->server)
    return FALSE;
  if (!bfk_operator_key_unlock (config, NULL, NULL, &self->operator_key, error)
      || !bfk_private_key_to_address (&self->operator_key, &self->operator, error))
    return FALSE;
  bfk_key_box_derive_data_key (&self->operator_key, self->data_key);

  self->lock = bfk_outbox_lock_acquire (config->data_dir, error);
  if (!self->lock)
    return FALSE;
  self->conn = bfk_connection_open (config, self->cancellable, error);
  if (!self->conn || !find_contract (self, error))
    return FALSE;

  self->db_path = g_build_filename (config->data_dir, "bafoka.db", NULL);
  self->store = bfk_store_open (self->db_path, FALSE, error);
  return self->store != NULL;
}

/* Undoes the start, in the backend thread, in the reverse order. */
static void
release (BfkBackend *self)
{
  if (self->server)
    soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  g_clear_pointer (&self->store, bfk_store_close);
  g_clear_pointer (&self->conn, bfk_connection_close);
  g_clear_pointer (&self->lock, bfk_outbox_lock_release);
  bfk_private_key_wipe (&self->operator_key);
  explicit_bzero (self->data_key, sizeof self->data_key);
}

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static gpointer
backend_thread (gpointer data)
{
  BfkBackend *self = data;
  g_autoptr(GTask) start_task = g_steal_pointer (&self->start_task);
  g_autoptr(GError) error = NULL;

  g_main_context_push_thread_default (self->context);

  if (!start_sequence (self, &error))
    {
      release (self);
      g_main_context_pop_thread_default (self->context);
      set_state (self, BFK_BACKEND_STOPPED);
      g_task_return_error (start_task, g_steal_pointer (&error));
      return NULL;
    }

  bfk_backend_chain_start (self);
  bfk_backend_messages_start (self);
  bfk_backend_writer_start (self);
  set_state (self, BFK_BACKEND_RUNNING);
  g_task_return_boolean (start_task, TRUE);
  g_clear_object (&start_task);

  if (!bfk_backend_is_quitting (self))
    g_main_loop_run (self->loop);

  bfk_backend_writer_join (self);
  bfk_backend_chain_join (self);
  bfk_backend_messages_join (self);
  /* API calls queued before the stop get their answer (an error). */
  while (g_main_context_iteration (self->context, FALSE))
    ;
  release (self);
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

void
bfk_backend_start_async (BfkBackend          *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_return_if_fail (BFK_IS_BACKEND (self));
  g_task_set_source_tag (task, bfk_backend_start_async);
  /* A started backend is stopped with bfk_backend_stop_async, never left
   * running behind a "cancelled" result. */
  g_task_set_check_cancellable (task, FALSE);

  g_mutex_lock (&lifecycle_mutex);
  if (self->thread)
    {
      g_mutex_unlock (&lifecycle_mutex);
      g_task_return_new_error (task, BFK_BACKEND_ERROR, BFK_BACKEND_ERROR_BUSY,
                               "The backend is already running");
      return;
    }
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->quitting = FALSE;
  self->outbox_wake = FALSE;
  g_clear_pointer (&self->listen_uri, g_free);
  g_clear_pointer (&self->contract_text, g_free);
  g_clear_pointer (&self->db_path, g_free);
  self->start_task = g_steal_pointer (&task);
  set_state (self, BFK_BACKEND_STARTING);
  self->thread = g_thread_new ("bfk-backend", backend_thread, self);
  g_mutex_unlock (&lifecycle_mutex);
}

gboolean
bfk_backend_start_finish (BfkBackend    *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Blocks until the backend thread and its workers have ended. */
static void
stop_sync (BfkBackend *self)
{
  GThread *thread;

  g_mutex_lock (&lifecycle_mutex);
  thread = g_steal_pointer (&self->thread);
  if (thread)
    set_state (self, BFK_BACKEND_STOPPING);
  g_mutex_unlock (&lifecycle_mutex);
  if (!thread)
    return;

  g_mutex_lock (&self->wake_mutex);
  self->quitting = TRUE;
  g_cond_broadcast (&self->wake_cond);
  g_mutex_unlock (&self->wake_mutex);
  g_cancellable_cancel (self->cancellable);
  g_main_context_invoke (self->context, quit_loop, self->loop);
  g_thread_join (thread);
  set_state (self, BFK_BACKEND_STOPPED);
}

static void
stop_in_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  stop_sync (source);
  g_task_return_boolean (task, TRUE);
}

void
bfk_backend_stop_async (BfkBackend          *self,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, callback, user_data);

  g_task_set_source_tag (task, bfk_backend_stop_async);
  /* Joining waits for the node to save its state: not on the caller's thread. */
  g_task_run_in_thread (task, stop_in_thread);
}

gboolean
bfk_backend_stop_finish (BfkBackend    *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* --- the object ------------------------------------------------------------- */

static gboolean
metrics_tick (gpointer data)
{
  BfkBackend *self = data;

  if (bfk_backend_get_state (self) == BFK_BACKEND_RUNNING)
    g_signal_emit (self, signals[SIGNAL_METRICS_TICK], 0);
  return G_SOURCE_CONTINUE;
}

static void
bfk_backend_constructed (GObject *object)
{
  BfkBackend *self = BFK_BACKEND (object);
  g_autoptr(GSource) tick = g_timeout_source_new_seconds (METRICS_TICK_S);

  G_OBJECT_CLASS (bfk_backend_parent_class)->constructed (object);
  g_return_if_fail (self->config != NULL);

  g_source_set_callback (tick, metrics_tick, self, NULL);
  g_source_set_static_name (tick, "[bfk] metrics-tick");
  self->tick_source = g_source_attach (tick, self->owner_context);
  bfk_backend_metrics_declare (self);
  bfk_backend_webhook_declare (self);
  /* DESIGN.md: each number is rate-limited; 20 messages a minute. */
  self->rate_limit = bfk_rate_limit_new (20, 60 * G_USEC_PER_SEC);
}

static void
bfk_backend_dispose (GObject *object)
{
  BfkBackend *self = BFK_BACKEND (object);

  stop_sync (self);
  if (self->tick_source)
    {
      GSource *tick = g_main_context_find_source_by_id (self->owner_context, self->tick_source);

      if (tick)
        g_source_destroy (tick);
      self->tick_source = 0;
    }
  G_OBJECT_CLASS (bfk_backend_parent_class)->dispose (object);
}

static void
bfk_backend_finalize (GObject *object)
{
  BfkBackend *self = BFK_BACKEND (object);

  g_clear_pointer (&self->config, bfk_config_free);
  g_clear_pointer (&self->listen_uri, g_free);
  g_clear_pointer (&self->contract_text, g_free);
  g_clear_pointer (&self->db_path, g_free);
  g_clear_pointer (&self->metrics, bfk_metrics_unref);
  g_clear_pointer (&self->rate_limit, bfk_rate_limit_free);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->owner_context, g_main_context_unref);
  g_clear_pointer (&self->mailbox, mailbox_release);
  g_clear_pointer (&self->health.follower_error, g_free);
  g_clear_pointer (&self->health.outbox_error, g_free);
  g_mutex_clear (&self->wake_mutex);
  g_cond_clear (&self->wake_cond);
  g_mutex_clear (&self->health_mutex);
  bfk_backend_forget_signers (self);
  g_mutex_clear (&self->signers_mutex);
  G_OBJECT_CLASS (bfk_backend_parent_class)->finalize (object);
}

static void
bfk_backend_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  BfkBackend *self = BFK_BACKEND (object);

  switch (prop_id)
    {
    case PROP_CONFIG:
      g_value_set_pointer (value, self->config);
      break;
    case PROP_STATE:
      g_value_set_enum (value, bfk_backend_get_state (self));
      break;
    case PROP_LISTEN_URI:
      g_value_set_string (value, bfk_backend_get_listen_uri (self));
      break;
    case PROP_CONTRACT:
      g_value_set_string (value, bfk_backend_get_contract (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bfk_backend_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  BfkBackend *self = BFK_BACKEND (object);

  switch (prop_id)
    {
    case PROP_CONFIG:
      self->config = g_value_get_pointer (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bfk_backend_class_init (BfkBackendClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = bfk_backend_constructed;
  object_class->dispose = bfk_backend_dispose;
  object_class->finalize = bfk_backend_finalize;
  object_class->get_property = bfk_backend_get_property;
  object_class->set_property = bfk_backend_set_property;

  /* A BfkConfig, owned by the backend from then on. */
  properties[PROP_CONFIG] =
    g_param_spec_pointer ("config", NULL, NULL,
                          G_PARAM_WRITABLE | G_PARAM_READABLE | G_PARAM_CONSTRUCT_ONLY
                          | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, BFK_TYPE_BACKEND_STATE, BFK_BACKEND_STOPPED,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LISTEN_URI] =
    g_param_spec_string ("listen-uri", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CONTRACT] =
    g_param_spec_string ("contract", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* (id, old state, new state (BfkOpState), summary, detail): detail is the transaction
   * hash when sent, the block when mined, the reason when failed. */
  signals[SIGNAL_OPERATION_CHANGED] =
    g_signal_new ("operation-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 5,
                  G_TYPE_INT64, G_TYPE_INT, G_TYPE_INT, G_TYPE_STRING, G_TYPE_STRING);
  /* (event name, one line for people, block, confirmed) */
  signals[SIGNAL_EVENT] =
    g_signal_new ("event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 4,
                  G_TYPE_STRING, G_TYPE_STRING, G_TYPE_UINT64, G_TYPE_BOOLEAN);
  /* (blocks done, blocks total) while the follower catches up */
  signals[SIGNAL_SYNC_PROGRESS] =
    g_signal_new ("sync-progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT64, G_TYPE_UINT64);
  /* (BfkGasState, balance in wei as decimal text), when the state changes */
  signals[SIGNAL_GAS_WARNING] =
    g_signal_new ("gas-warning", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_STRING);
  signals[SIGNAL_METRICS_TICK] =
    g_signal_new ("metrics-tick", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
bfk_backend_init (BfkBackend *self)
{
  self->owner_context = g_main_context_ref_thread_default ();
  self->mailbox = mailbox_new (self);
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->metrics = bfk_metrics_new ();
  g_mutex_init (&self->wake_mutex);
  g_cond_init (&self->wake_cond);
  g_mutex_init (&self->health_mutex);
  g_mutex_init (&self->signers_mutex);
}

BfkBackend *
bfk_backend_new (BfkConfig *config)
{
  return g_object_new (BFK_TYPE_BACKEND, "config", config, NULL);
}

const BfkConfig *
bfk_backend_get_config (BfkBackend *self)
{
  g_return_val_if_fail (BFK_IS_BACKEND (self), NULL);
  return self->config;
}

BfkBackendState
bfk_backend_get_state (BfkBackend *self)
{
  g_return_val_if_fail (BFK_IS_BACKEND (self), BFK_BACKEND_STOPPED);
  return (BfkBackendState) g_atomic_int_get (&self->state);
}

const gchar *
bfk_backend_get_listen_uri (BfkBackend *self)
{
  g_return_val_if_fail (BFK_IS_BACKEND (self), NULL);
  return bfk_backend_get_state (self) == BFK_BACKEND_RUNNING ? self->listen_uri : NULL;
}

const gchar *
bfk_backend_get_contract (BfkBackend *self)
{
  g_return_val_if_fail (BFK_IS_BACKEND (self), NULL);
  return bfk_backend_get_state (self) == BFK_BACKEND_RUNNING ? self->contract_text : NULL;
}
