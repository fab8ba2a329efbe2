/* bfk-session.c: the backend, a read-only store and change notices, shared
 * by the pages. */
#include "bfk-session.h"

#include <sqlite3.h>

/* How often the store is asked whether another connection wrote. */
#define CHANGE_POLL_MS 500
/* How often the backend's status is refreshed while nothing changes. */
#define STATUS_EVERY_POLLS 4

struct _BfkSession
{
  GObject           parent_instance;

  BfkBackend       *backend;
  BfkStore         *store;
  gint64            data_version;
  guint             poll_source;
  guint             polls;
  gboolean          status_pending;
  BfkBackendStatus *status;
  GCancellable     *cancellable;
};

G_DEFINE_FINAL_TYPE (BfkSession, bfk_session, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_READY,
  N_PROPS
};

enum
{
  SIGNAL_CHANGED,
  SIGNAL_STATUS,
  SIGNAL_TOAST,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
got_status (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(BfkSession) self = user_data;
  g_autoptr(GError) error = NULL;
  BfkBackendStatus *status = bfk_backend_get_status_finish (BFK_BACKEND (source), result, &error);

  self->status_pending = FALSE;
  if (!status)
    return;   /* stopping: the next start brings a new one */
  g_clear_pointer (&self->status, bfk_backend_status_free);
  self->status = status;
  g_signal_emit (self, signals[SIGNAL_STATUS], 0);
}

static void
refresh_status (BfkSession *self)
{
  if (self->status_pending || bfk_backend_get_state (self->backend) != BFK_BACKEND_RUNNING)
    return;
  self->status_pending = TRUE;
  bfk_backend_get_status_async (self->backend, self->cancellable, got_status, g_object_ref (self));
}

/* SQLite counts the commits of other connections in data_version: one
 * cheap query tells whether anything is new. */
static gint64
read_data_version (BfkSession *self)
{
  sqlite3_stmt *stmt = bfk_store_prepare (self->store, "PRAGMA data_version", NULL);
  gint64 version = -1;

  if (stmt && sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int64 (stmt, 0);
  if (stmt)
    sqlite3_reset (stmt);
  return version;
}

static gboolean
poll_changes (gpointer user_data)
{
  BfkSession *self = user_data;
  gint64 version = read_data_version (self);
  gboolean changed = version != self->data_version;

  self->data_version = version;
  if (changed)
    g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  if (changed || ++self->polls % STATUS_EVERY_POLLS == 0)
    refresh_status (self);
  return G_SOURCE_CONTINUE;
}

gboolean
bfk_session_open_store (BfkSession  *self,
                        GError     **error)
{
  g_autofree gchar *path = NULL;

  g_return_val_if_fail (BFK_IS_SESSION (self), FALSE);

  if (self->store)
    return TRUE;
  path = g_build_filename (bfk_backend_get_config (self->backend)->data_dir, "bafoka.db", NULL);
  self->store = bfk_store_open (path, TRUE, error);
  if (!self->store)
    return FALSE;
  self->data_version = read_data_version (self);
  /* At the default priority: below it, a page that animates (a spinner
   * redraws every frame) would starve the poll, and pages would stop. */
  self->poll_source = g_timeout_add (CHANGE_POLL_MS, poll_changes, self);
  refresh_status (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
  return TRUE;
}

BfkSession *
bfk_session_new (BfkBackend *backend)
{
  BfkSession *self = g_object_new (BFK_TYPE_SESSION, NULL);

  self->backend = g_object_ref (backend);
  return self;
}

BfkBackend *
bfk_session_get_backend (BfkSession *self)
{
  g_return_val_if_fail (BFK_IS_SESSION (self), NULL);
  return self->backend;
}

const BfkConfig *
bfk_session_get_config (BfkSession *self)
{
  g_return_val_if_fail (BFK_IS_SESSION (self), NULL);
  return bfk_backend_get_config (self->backend);
}

gboolean
bfk_session_get_ready (BfkSession *self)
{
  g_return_val_if_fail (BFK_IS_SESSION (self), FALSE);
  return self->store != NULL;
}

BfkStore *
bfk_session_get_store (BfkSession *self)
{
  g_return_val_if_fail (BFK_IS_SESSION (self), NULL);
  return self->store;
}

const BfkBackendStatus *
bfk_session_get_status (BfkSession *self)
{
  g_return_val_if_fail (BFK_IS_SESSION (self), NULL);
  return self->status;
}

void
bfk_session_toast (BfkSession  *self,
                   const gchar *format,
                   ...)
{
  g_autofree gchar *text = NULL;
  va_list args;

  g_return_if_fail (BFK_IS_SESSION (self));

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  g_signal_emit (self, signals[SIGNAL_TOAST], 0, text);
}

gchar *
bfk_session_explorer_url (BfkSession  *self,
                          const gchar *tx_hash)
{
  g_return_val_if_fail (BFK_IS_SESSION (self), NULL);
  return bfk_config_explorer_url (bfk_session_get_config (self), "tx", tx_hash);
}

static void
bfk_session_dispose (GObject *object)
{
  BfkSession *self = BFK_SESSION (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->poll_source, g_source_remove);
  g_clear_pointer (&self->store, bfk_store_close);
  g_clear_pointer (&self->status, bfk_backend_status_free);
  g_clear_object (&self->backend);
  G_OBJECT_CLASS (bfk_session_parent_class)->dispose (object);
}

static void
bfk_session_finalize (GObject *object)
{
  BfkSession *self = BFK_SESSION (object);

  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (bfk_session_parent_class)->finalize (object);
}

static void
bfk_session_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  BfkSession *self = BFK_SESSION (object);

  switch (prop_id)
    {
    case PROP_READY:
      g_value_set_boolean (value, bfk_session_get_ready (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bfk_session_class_init (BfkSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bfk_session_dispose;
  object_class->finalize = bfk_session_finalize;
  object_class->get_property = bfk_session_get_property;

  properties[PROP_READY] =
    g_param_spec_boolean ("ready", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Another connection wrote to the database. */
  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* bfk_session_get_status () has a new value. */
  signals[SIGNAL_STATUS] =
    g_signal_new ("status", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* (text) for the window's toast overlay */
  signals[SIGNAL_TOAST] =
    g_signal_new ("toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
bfk_session_init (BfkSession *self)
{
  self->cancellable = g_cancellable_new ();
}
