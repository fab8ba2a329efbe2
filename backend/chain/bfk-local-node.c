/* bfk-local-node.c: anvil as a child process.
 *
 * How anvil 1.7.1 keeps its chain (checked by hand, and by
 * tests/integration/test-rpc-anvil.c):
 *   - `--state PATH` is `--load-state PATH` when the file exists plus
 *     `--dump-state PATH`: the chain starts from the file, and the whole
 *     state (accounts, code, storage, and the blocks, transactions and
 *     receipts) is written back as JSON when anvil exits on SIGTERM or
 *     SIGINT.  Block numbers, balances, nonces and receipts come back on the
 *     next start.
 *   - `--state-interval N` also writes it every N seconds, so a SIGKILL or a
 *     power cut loses at most the last N seconds.
 *   - A missing file is a fresh chain; a file that does not parse stops
 *     anvil at once ("failed to parse json file"), which start reports with
 *     anvil's output.
 *   - A port in use makes it exit with "Address already in use".
 * anvil must not outlive us: a leftover would keep the port, and keep
 * writing its old state over the new node's file every few seconds.  So a
 * guard process sends it SIGTERM a moment after we die, even by SIGKILL,
 * which anvil answers by saving its state and exiting; and a lock beside
 * the state file, held by anvil until it exits, makes the next start wait
 * for that (bfk-local-node-guard.c says why not PR_SET_PDEATHSIG).
 */
#include "bfk-local-node.h"
#include "bfk-local-node-guard.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "bfk-chain-error.h"
#include "bfk-rpc.h"

#define DEFAULT_START_TIMEOUT_MS 30000
#define DEFAULT_STOP_TIMEOUT_MS 10000
#define DEFAULT_STATE_INTERVAL_S 5
#define POLL_INTERVAL_MS 100
#define LOG_TAIL_BYTES 2000
#define PORT_ATTEMPTS 3

struct _BfkLocalNode
{
  GSubprocess *process;
  BfkNodeGuard guard;
  gchar       *url;
  gchar       *state_path;
  gchar       *log_path;
  gboolean     log_is_temporary;
  guint16      port;
  guint64      chain_id;
};

/* --- finding anvil ---------------------------------------------------------- */

static gboolean
is_executable (const gchar *path)
{
  return path != NULL && g_file_test (path, G_FILE_TEST_IS_REGULAR) &&
         g_file_test (path, G_FILE_TEST_IS_EXECUTABLE);
}

static gboolean
is_script (const gchar *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = g_file_read (file, NULL, NULL);
  gchar head[2] = { 0, 0 };
  gsize n = 0;

  if (in == NULL)
    return FALSE;
  g_input_stream_read_all (G_INPUT_STREAM (in), head, sizeof head, &n, NULL, NULL);
  return n == 2 && head[0] == '#' && head[1] == '!';
}

/* npm's package @foundry-rs/anvil has a node launcher (bin.mjs) and the
 * binary in a platform package beside it, @foundry-rs/anvil-linux-amd64.
 * The launcher forwards SIGTERM but not SIGKILL, and costs a node start:
 * run the binary itself. */
static gchar *
native_anvil (const gchar *path)
{
  g_autofree gchar *real = realpath (path, NULL);
  g_autofree gchar *package_dir = NULL;
  g_autofree gchar *scope_dir = NULL;
  g_autoptr(GDir) dir = NULL;
  const gchar *name;

  if (real == NULL || !is_script (real))
    return g_strdup (path);

  package_dir = g_path_get_dirname (real);
  scope_dir = g_path_get_dirname (package_dir);
  dir = g_dir_open (scope_dir, 0, NULL);
  if (dir == NULL)
    return g_strdup (path);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree gchar *candidate = NULL;

      if (!g_str_has_prefix (name, "anvil-"))
        continue;
      candidate = g_build_filename (scope_dir, name, "bin", "anvil", NULL);
      if (is_executable (candidate) && !is_script (candidate))
        return g_steal_pointer (&candidate);
    }
  return g_strdup (path);
}

gchar *
bfk_local_node_find_anvil (GError **error)
{
  const gchar *env = g_getenv ("BAFOKA_ANVIL");
  const gchar *source_dir = g_getenv ("BAFOKA_SOURCE_DIR");
  g_autofree gchar *found = NULL;

  if (env != NULL && env[0] != '\0')
    {
      if (!is_executable (env))
        {
          g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_LOCAL_NODE,
                       "BAFOKA_ANVIL names %s, which is not an executable file. "
                       "Point it at Foundry's anvil, or unset it.", env);
          return NULL;
        }
      return native_anvil (env);
    }

  found = g_find_program_in_path ("anvil");
  if (found != NULL)
    return native_anvil (found);

  if (source_dir != NULL && source_dir[0] != '\0')
    {
      g_autofree gchar *p = g_build_filename (source_dir, "contracts", "node_modules",
                                              ".bin", "anvil", NULL);

      if (is_executable (p))
        return native_anvil (p);
    }

#ifdef BFK_SOURCE_DIR
  {
    g_autofree gchar *p = g_build_filename (BFK_SOURCE_DIR, "contracts", "node_modules",
                                            ".bin", "anvil", NULL);

    if (is_executable (p))
      return native_anvil (p);
  }
#endif

  g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_LOCAL_NODE,
               "Cannot find anvil, which runs the local network. Install Foundry, "
               "run “npm ci” in contracts/, or set BAFOKA_ANVIL to its path.");
  return NULL;
}

/* --- helpers ---------------------------------------------------------------- */

static guint16
pick_free_port (GError **error)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  /* The port is free when we close the socket; anvil binds it a moment
   * later.  Another process may take it in between: start retries. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL || !g_socket_bind (socket, any, FALSE, error))
    return 0;
  bound = g_socket_get_local_address (socket, error);
  if (bound == NULL)
    return 0;
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static gchar *
log_tail (const gchar *path)
{
  g_autofree gchar *contents = NULL;
  gsize len = 0;
  const gchar *start;

  if (path == NULL || !g_file_get_contents (path, &contents, &len, NULL))
    return g_strdup ("");
  start = contents + (len > LOG_TAIL_BYTES ? len - LOG_TAIL_BYTES : 0);
  return g_strstrip (g_strdup (start));
}

static void
on_waited (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  gboolean *done = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *done = TRUE;
}

static gboolean
on_wait_timeout (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* TRUE when the process exited within timeout_ms. */
static gboolean
wait_for_exit (GSubprocess *process,
               guint        timeout_ms)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GSource) timeout = g_timeout_source_new (timeout_ms);
  gboolean done = FALSE, timed_out = FALSE;

  g_main_context_push_thread_default (context);
  g_subprocess_wait_async (process, cancellable, on_waited, &done);
  g_source_set_callback (timeout, on_wait_timeout, &timed_out, NULL);
  g_source_attach (timeout, context);
  while (!done && !timed_out)
    g_main_context_iteration (context, TRUE);
  g_source_destroy (timeout);
  if (!done)
    {
      /* The callback holds &done: let it run before returning. */
      g_cancellable_cancel (cancellable);
      while (!done)
        g_main_context_iteration (context, TRUE);
    }
  g_main_context_pop_thread_default (context);

  return g_subprocess_get_identifier (process) == NULL;
}

static gboolean
has_exited (GSubprocess *process)
{
  /* GSubprocess reaps its child on GLib's worker thread, whatever loop we
   * run, and forgets the identifier then. */
  return g_subprocess_get_identifier (process) == NULL;
}

static gchar *
describe_exit (GSubprocess *process)
{
  gint status;

  if (g_subprocess_get_if_signaled (process))
    return g_strdup_printf ("was killed by signal %d", g_subprocess_get_term_sig (process));
  status = g_subprocess_get_exit_status (process);
  return g_strdup_printf ("exited with status %d", status);
}

/* --- start and stop ------------------------------------------------------------ */

/* Starts anvil with its guard (node->guard) and, with a state file, the
 * lock on it. */
static GSubprocess *
spawn (BfkLocalNode               *node,
       const gchar                *anvil,
       const BfkLocalNodeOptions  *options,
       guint                       timeout_ms,
       GError                    **error)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  const gchar *state_path = node->state_path;
  GSubprocess *process;
  gint lock_fd = -1;

  g_ptr_array_add (argv, g_strdup (anvil));
  g_ptr_array_add (argv, g_strdup ("--host"));
  g_ptr_array_add (argv, g_strdup ("127.0.0.1"));
  g_ptr_array_add (argv, g_strdup ("--port"));
  g_ptr_array_add (argv, g_strdup_printf ("%u", node->port));
  g_ptr_array_add (argv, g_strdup ("--chain-id"));
  g_ptr_array_add (argv, g_strdup_printf ("%" G_GUINT64_FORMAT, node->chain_id));
  g_ptr_array_add (argv, g_strdup ("--silent"));
  if (state_path != NULL)
    {
      guint interval = options->state_interval_s > 0 ? options->state_interval_s
                                                     : DEFAULT_STATE_INTERVAL_S;

      g_ptr_array_add (argv, g_strdup ("--state"));
      g_ptr_array_add (argv, g_strdup (state_path));
      g_ptr_array_add (argv, g_strdup ("--state-interval"));
      g_ptr_array_add (argv, g_strdup_printf ("%u", interval));
    }
  for (guint i = 0; options->extra_args != NULL && options->extra_args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (options->extra_args[i]));
  g_ptr_array_add (argv, NULL);

  if (state_path != NULL && (lock_fd = bfk_node_state_lock (state_path, timeout_ms, error)) < 0)
    return NULL;
  if (!bfk_node_guard_start (&node->guard, error))
    {
      if (lock_fd >= 0)
        close (lock_fd);
      return NULL;
    }

  /* anvil's output goes to a file, never to a pipe that nobody drains. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_INHERIT |
                                        G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_subprocess_launcher_set_stdout_file_path (launcher, node->log_path);
  g_subprocess_launcher_unsetenv (launcher, "ANVIL_IP_ADDR");
  g_subprocess_launcher_set_child_setup (launcher, bfk_node_guard_child_setup, &node->guard, NULL);
  /* anvil holds the lock (our copy closes with the launcher) until it exits. */
  if (lock_fd >= 0)
    g_subprocess_launcher_take_fd (launcher, lock_fd, 3);
  process = g_subprocess_launcher_spawnv (launcher, (const gchar * const *) argv->pdata, error);
  if (process == NULL)
    bfk_node_guard_stop (&node->guard);
  return process;
}

static gboolean
wait_until_ready (BfkLocalNode  *node,
                  guint          timeout_ms,
                  GCancellable  *cancellable,
                  gboolean      *port_in_use,
                  GError       **error)
{
  g_autoptr(BfkRpcClient) client = bfk_rpc_client_new (node->url);
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  *port_in_use = FALSE;
  bfk_rpc_client_set_retries (client, 0, 0);
  bfk_rpc_client_set_timeout (client, 2000);
  bfk_rpc_client_set_connect_timeout (client, 1000);

  for (;;)
    {
      g_autoptr(GError) local_error = NULL;
      guint64 chain_id = 0;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      if (has_exited (node->process))
        {
          g_autofree gchar *tail = log_tail (node->log_path);
          g_autofree gchar *how = NULL;

          g_subprocess_wait (node->process, NULL, NULL);
          how = describe_exit (node->process);
          *port_in_use = strstr (tail, "Address already in use") != NULL;
          g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_LOCAL_NODE,
                       "The local network could not start: anvil %s.%s%s", how,
                       tail[0] != '\0' ? " It said: " : "", tail);
          return FALSE;
        }

      if (bfk_rpc_client_get_chain_id (client, &chain_id, &local_error))
        {
          if (chain_id != node->chain_id)
            {
              g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_LOCAL_NODE,
                           "The local network answers on %s with chain %" G_GUINT64_FORMAT
                           " instead of %" G_GUINT64_FORMAT ": another program holds the port.",
                           node->url, chain_id, node->chain_id);
              return FALSE;
            }
          return TRUE;
        }

      if (g_get_monotonic_time () >= deadline)
        {
          g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_LOCAL_NODE,
                       "The local network did not answer within %u s (%s).",
                       timeout_ms / 1000, local_error->message);
          return FALSE;
        }
      g_usleep (POLL_INTERVAL_MS * 1000);
    }
}

static void
kill_now (BfkLocalNode *node)
{
  GSubprocess *process = node->process;

  bfk_node_guard_stop (&node->guard);
  if (has_exited (process))
    return;
  g_subprocess_force_exit (process);
  wait_for_exit (process, DEFAULT_STOP_TIMEOUT_MS);
}

BfkLocalNode *
bfk_local_node_start (const BfkLocalNodeOptions  *options,
                      GCancellable               *cancellable,
                      GError                    **error)
{
  static const BfkLocalNodeOptions defaults = { 0 };
  g_autoptr(BfkLocalNode) node = NULL;
  g_autofree gchar *anvil = NULL;
  guint timeout_ms;

  if (options == NULL)
    options = &defaults;

  anvil = bfk_local_node_find_anvil (error);
  if (anvil == NULL)
    return NULL;

  node = g_new0 (BfkLocalNode, 1);
  node->guard.fd = -1;
  node->chain_id = options->chain_id > 0 ? options->chain_id : BFK_LOCAL_NODE_CHAIN_ID;
  timeout_ms = options->start_timeout_ms > 0 ? options->start_timeout_ms : DEFAULT_START_TIMEOUT_MS;

  if (options->data_dir != NULL)
    {
      if (g_mkdir_with_parents (options->data_dir, 0700) != 0)
        {
          int saved_errno = errno;

          g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_LOCAL_NODE,
                       "Cannot create the data directory %s: %s.",
                       options->data_dir, g_strerror (saved_errno));
          return NULL;
        }
      node->state_path = g_build_filename (options->data_dir, BFK_LOCAL_NODE_STATE_FILE, NULL);
      node->log_path = g_build_filename (options->data_dir, BFK_LOCAL_NODE_LOG_FILE, NULL);
    }
  else
    {
      gint fd = g_file_open_tmp ("bafoka-anvil-XXXXXX.log", &node->log_path, error);

      if (fd < 0)
        return NULL;
      close (fd);
      node->log_is_temporary = TRUE;
    }

  for (guint attempt = 0;; attempt++)
    {
      g_autoptr(GError) local_error = NULL;
      gboolean port_in_use = FALSE;

      node->port = options->port;
      if (node->port == 0 && (node->port = pick_free_port (error)) == 0)
        return NULL;
      g_clear_pointer (&node->url, g_free);
      node->url = g_strdup_printf ("http://127.0.0.1:%u", node->port);

      g_clear_object (&node->process);
      node->process = spawn (node, anvil, options, timeout_ms, &local_error);
      if (node->process == NULL)
        {
          g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_LOCAL_NODE,
                       "Cannot run %s: %s.", anvil, local_error->message);
          return NULL;
        }

      if (wait_until_ready (node, timeout_ms, cancellable, &port_in_use, &local_error))
        break;

      /* Dead already, or not answering: either way, not ours to keep. */
      kill_now (node);
      g_clear_object (&node->process);
      if (!(port_in_use && options->port == 0 && attempt + 1 < PORT_ATTEMPTS))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      g_debug ("port %u was taken before anvil bound it; trying another", node->port);
    }

  g_debug ("anvil runs at %s (chain %" G_GUINT64_FORMAT ", state %s)",
           node->url, node->chain_id, node->state_path ? node->state_path : "none");
  return g_steal_pointer (&node);
}

gboolean
bfk_local_node_stop (BfkLocalNode  *node,
                     guint          timeout_ms,
                     GError       **error)
{
  g_return_val_if_fail (node != NULL, FALSE);

  if (node->process == NULL)
    return TRUE;

  if (timeout_ms == 0)
    timeout_ms = DEFAULT_STOP_TIMEOUT_MS;

  /* Our stop, not our death: the guard has nothing to do. */
  bfk_node_guard_stop (&node->guard);
  if (!has_exited (node->process))
    {
      g_subprocess_send_signal (node->process, SIGTERM);
      if (!wait_for_exit (node->process, timeout_ms))
        {
          kill_now (node);
          g_clear_object (&node->process);
          g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_LOCAL_NODE,
                       "anvil did not stop within %u s and was killed; the chain state "
                       "may have lost its last seconds.", timeout_ms / 1000);
          return FALSE;
        }
    }
  else
    g_subprocess_wait (node->process, NULL, NULL);

  /* anvil saves its state and exits with status 0 on SIGTERM; anything
   * else is worth a word. */
  if (!(g_subprocess_get_if_exited (node->process) &&
        g_subprocess_get_exit_status (node->process) == 0)
      && !(g_subprocess_get_if_signaled (node->process) &&
           g_subprocess_get_term_sig (node->process) == SIGTERM))
    {
      g_autofree gchar *how = describe_exit (node->process);
      g_autofree gchar *tail = log_tail (node->log_path);

      g_clear_object (&node->process);
      g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_LOCAL_NODE,
                   "anvil %s.%s%s", how, tail[0] != '\0' ? " It said: " : "", tail);
      return FALSE;
    }
  g_clear_object (&node->process);
  return TRUE;
}

gboolean
bfk_local_node_is_running (BfkLocalNode *node)
{
  g_return_val_if_fail (node != NULL, FALSE);

  return node->process != NULL && !has_exited (node->process);
}

const gchar *
bfk_local_node_get_url (BfkLocalNode *node)
{
  g_return_val_if_fail (node != NULL, NULL);

  return node->url;
}

guint16
bfk_local_node_get_port (BfkLocalNode *node)
{
  g_return_val_if_fail (node != NULL, 0);

  return node->port;
}

guint64
bfk_local_node_get_chain_id (BfkLocalNode *node)
{
  g_return_val_if_fail (node != NULL, 0);

  return node->chain_id;
}

const gchar *
bfk_local_node_get_state_path (BfkLocalNode *node)
{
  g_return_val_if_fail (node != NULL, NULL);

  return node->state_path;
}

void
bfk_local_node_free (BfkLocalNode *node)
{
  if (node == NULL)
    return;

  if (node->process != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!bfk_local_node_stop (node, 0, &error))
        g_warning ("Stopping the local network: %s", error->message);
    }
  bfk_node_guard_stop (&node->guard);
  if (node->log_is_temporary && node->log_path != NULL)
    g_unlink (node->log_path);
  g_free (node->url);
  g_free (node->state_path);
  g_free (node->log_path);
  g_free (node);
}
