/* bfk-local-node-guard.c
 *
 * Why a guard rather than PR_SET_PDEATHSIG on anvil: the kernel sends that
 * signal the instant the parent dies.  A backend killed with SIGKILL in the
 * middle of a send leaves anvil mining the batch it just received, and
 * anvil 1.7 writes its state file on SIGTERM while it mines: the file then
 * holds the accounts and storage of transactions whose blocks and receipts
 * it lacks (a nonce used, a member registered, and no receipt nor event,
 * ever).  The guard gives anvil a moment first, then SIGTERM.
 *
 * It learns of the death through a pipe whose only write end is the
 * parent's (close-on-exec): end of file when the parent is gone, whatever
 * killed it.  It is forked from a process with threads, so between fork
 * and _exit it makes async-signal-safe calls only.
 */
#define _GNU_SOURCE
#include "bfk-local-node-guard.h"
#include "bfk-chain-error.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <glib-unix.h>

/* Enough for anvil to mine a few hundred transactions already received. */
#define GRACE_MS 500
#define LOCK_POLL_MS 50

static void
read_until_eof (gint fd)
{
  gchar byte;
  gssize n;

  while ((n = read (fd, &byte, 1)) != 0)
    if (n < 0 && errno != EINTR)
      return;
}

static void G_GNUC_NORETURN
guard_main (gint from_parent)
{
  struct timespec grace = { GRACE_MS / 1000, (GRACE_MS % 1000) * 1000000L };
  struct sigaction dfl = { .sa_handler = SIG_DFL };
  const gint signals[] = { SIGTERM, SIGINT, SIGHUP, SIGPIPE };
  sigset_t none;
  pid_t anvil = 0;
  gsize got = 0;

  /* None of the parent's descriptors: its sockets and locks must go with
   * it.  The handlers it installed are not ours either. */
  if (from_parent > 3)
    close_range (3, (guint) from_parent - 1, 0);
  close_range ((guint) from_parent + 1, ~0U, 0);
  for (gsize i = 0; i < G_N_ELEMENTS (signals); i++)
    sigaction (signals[i], &dfl, NULL);
  sigemptyset (&none);
  sigprocmask (SIG_SETMASK, &none, NULL);

  while (got < sizeof anvil)
    {
      gssize n = read (from_parent, (gchar *) &anvil + got, sizeof anvil - got);

      if (n == 0 || (n < 0 && errno != EINTR))
        _exit (0);   /* the parent gave up, or died before anvil was forked */
      if (n > 0)
        got += (gsize) n;
    }
  read_until_eof (from_parent);
  nanosleep (&grace, NULL);
  kill (anvil, SIGTERM);
  _exit (0);
}

gboolean
bfk_node_guard_start (BfkNodeGuard  *guard,
                      GError       **error)
{
  gint fds[2];
  pid_t pid;

  guard->pid = 0;
  guard->fd = -1;
  if (!g_unix_open_pipe (fds, FD_CLOEXEC, error))
    return FALSE;
  pid = fork ();
  if (pid < 0)
    {
      gint saved_errno = errno;

      close (fds[0]);
      close (fds[1]);
      g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_LOCAL_NODE,
                   "Cannot fork the local network's guard: %s", g_strerror (saved_errno));
      return FALSE;
    }
  if (pid == 0)
    guard_main (fds[0]);
  close (fds[0]);
  guard->pid = pid;
  guard->fd = fds[1];
  return TRUE;
}

void
bfk_node_guard_child_setup (gpointer user_data)
{
  const BfkNodeGuard *guard = user_data;
  pid_t self = getpid ();

  /* A pipe write this small is atomic; the descriptor closes at exec. */
  if (write (guard->fd, &self, sizeof self) != sizeof self)
    _exit (1);
}

void
bfk_node_guard_stop (BfkNodeGuard *guard)
{
  if (guard->pid > 0)
    {
      kill (guard->pid, SIGKILL);
      while (waitpid (guard->pid, NULL, 0) < 0 && errno == EINTR)
        ;
      guard->pid = 0;
    }
  if (guard->fd >= 0)
    {
      close (guard->fd);
      guard->fd = -1;
    }
}

gint
bfk_node_state_lock (const gchar  *state_path,
                     guint         timeout_ms,
                     GError      **error)
{
  g_autofree gchar *path = g_strconcat (state_path, ".lock", NULL);
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  gint fd = open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

  if (fd < 0)
    {
      gint saved_errno = errno;

      g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_LOCAL_NODE,
                   "Cannot open %s: %s.", path, g_strerror (saved_errno));
      return -1;
    }
  /* An anvil whose parent died may still be writing the state. */
  while (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      if ((errno != EWOULDBLOCK && errno != EINTR) || g_get_monotonic_time () >= deadline)
        {
          close (fd);
          g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_LOCAL_NODE,
                       "Another anvil still runs on %s: stop it, or wait until it has "
                       "saved the chain.", state_path);
          return -1;
        }
      g_usleep (LOCK_POLL_MS * 1000);
    }
  return fd;
}
