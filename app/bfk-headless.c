/* bfk-headless.c: bafoka-console --headless runs the backend alone: the HTTP
 * server, the outbox and the follower, with one log line per operation
 * change and per event on stderr.  SIGTERM or SIGINT stops it cleanly. */
#include "bfk-backend.h"
#include "bfk-headless.h"

#include <glib-unix.h>
#include <stdio.h>

typedef struct
{
  GMainLoop  *loop;
  BfkBackend *backend;
  int         status;
  gboolean    stopping;
} Headless;

/* One line per message, with the time, on stderr (journald adds its own). */
static GLogWriterOutput
log_line (GLogLevelFlags   level,
          const GLogField *fields,
          gsize            n_fields,
          gpointer         user_data)
{
  g_autoptr(GDateTime) now = NULL;
  g_autofree gchar *stamp = NULL;
  const gchar *tag;

  if (g_log_writer_default_would_drop (level, G_LOG_DOMAIN))
    return G_LOG_WRITER_HANDLED;
  now = g_date_time_new_now_local ();
  stamp = g_date_time_format (now, "%Y-%m-%d %H:%M:%S.%f");
  stamp[23] = '\0';   /* milliseconds */
  tag = level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL) ? "error: "
        : level & G_LOG_LEVEL_WARNING ? "warning: " : "";
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE"))
      {
        fprintf (stderr, "%s bafoka-console: %s%s\n", stamp, tag, (const gchar *) fields[i].value);
        fflush (stderr);
        return G_LOG_WRITER_HANDLED;
      }
  return G_LOG_WRITER_UNHANDLED;
}

static const gchar *
state_name (gint state)
{
  return state >= 0 && state < BFK_OP_N_STATES ? bfk_op_state_to_string (state) : "?";
}

static void
on_operation_changed (BfkBackend  *backend,
                      gint64       id,
                      gint         old_state,
                      gint         new_state,
                      const gchar *summary,
                      const gchar *detail,
                      gpointer     user_data)
{
  g_message ("operation %" G_GINT64_FORMAT " %s → %s: %s%s%s", id, state_name (old_state),
             state_name (new_state), summary ? summary : "", detail ? " — " : "", detail ? detail : "");
}

static void
on_event (BfkBackend  *backend,
          const gchar *name,
          const gchar *description,
          guint64      block,
          gboolean     confirmed,
          gpointer     user_data)
{
  g_message ("event in block %" G_GUINT64_FORMAT "%s: %s", block, confirmed ? " (confirmed)" : "",
             description);
}

static void
on_sync_progress (BfkBackend *backend,
                  guint64     done,
                  guint64     total,
                  gpointer    user_data)
{
  g_message ("catching up: %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " blocks", done, total);
}

static void
on_gas_warning (BfkBackend  *backend,
                gint         state,
                const gchar *balance_wei,
                gpointer     user_data)
{
  if (state == BFK_GAS_OK)
    g_message ("The operator's gas is sufficient again (%s wei)", balance_wei);
  /* Otherwise the backend has already warned. */
}

static void
stopped (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Headless *h = user_data;
  g_autoptr(GError) error = NULL;

  if (!bfk_backend_stop_finish (BFK_BACKEND (source), result, &error))
    g_warning ("Stopping: %s", error->message);
  else if (h->status == 0)
    g_message ("Stopped");
  g_main_loop_quit (h->loop);
}

static void
stop (Headless *h)
{
  if (h->stopping)
    return;
  h->stopping = TRUE;
  bfk_backend_stop_async (h->backend, stopped, h);
}

static gboolean
on_signal (gpointer user_data)
{
  Headless *h = user_data;

  g_message ("Stopping…");
  stop (h);
  return G_SOURCE_CONTINUE;
}

static void
started (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Headless *h = user_data;
  g_autoptr(GError) error = NULL;

  if (!bfk_backend_start_finish (h->backend, result, &error))
    {
      /* A stop asked during the start is not a failure. */
      if (!h->stopping)
        {
          g_printerr ("bafoka-console: %s\n", error->message);
          h->status = 1;
          stop (h);
        }
      return;
    }
  g_message ("Running: contract %s on chain %" G_GUINT64_FORMAT ", listening on %s",
             bfk_backend_get_contract (h->backend), bfk_backend_get_config (h->backend)->chain_id,
             bfk_backend_get_listen_uri (h->backend));
}

int
bfk_headless_run (BfkConfig *config)
{
  Headless h = { 0 };
  guint term, intr;

  h.loop = g_main_loop_new (NULL, FALSE);
  h.backend = bfk_backend_new (config);
  g_signal_connect (h.backend, "operation-changed", G_CALLBACK (on_operation_changed), &h);
  g_signal_connect (h.backend, "event", G_CALLBACK (on_event), &h);
  g_signal_connect (h.backend, "sync-progress", G_CALLBACK (on_sync_progress), &h);
  g_signal_connect (h.backend, "gas-warning", G_CALLBACK (on_gas_warning), &h);
  term = g_unix_signal_add (SIGTERM, on_signal, &h);
  intr = g_unix_signal_add (SIGINT, on_signal, &h);

  g_message ("Starting on the %s network, data in %s", bfk_network_to_string (config->network),
             config->data_dir);
  bfk_backend_start_async (h.backend, NULL, started, &h);
  g_main_loop_run (h.loop);

  g_source_remove (term);
  g_source_remove (intr);
  g_object_unref (h.backend);
  g_main_loop_unref (h.loop);
  return h.status;
}

void
bfk_headless_install_log (void)
{
  g_log_set_writer_func (log_line, NULL, NULL);
}
