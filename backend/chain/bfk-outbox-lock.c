/* bfk-outbox-lock.c: one driver per data dir.
 *
 * flock(2) rather than a pid file alone: the kernel drops the lock when the
 * holder dies, SIGKILL included, so a crash never leaves a stale lock.  The
 * pid written inside is only for the message.
 */
#include "bfk-outbox.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#define LOCK_FILE "outbox.lock"

struct _BfkOutboxLock
{
  gint   fd;
  gchar *path;
};

static gint64
read_holder (gint fd)
{
  gchar buf[32] = { 0 };
  ssize_t n = pread (fd, buf, sizeof buf - 1, 0);

  if (n <= 0)
    return 0;
  return g_ascii_strtoll (buf, NULL, 10);
}

BfkOutboxLock *
bfk_outbox_lock_acquire (const gchar  *data_dir,
                         GError      **error)
{
  g_autofree gchar *path = g_build_filename (data_dir, LOCK_FILE, NULL);
  g_autofree gchar *pid = g_strdup_printf ("%ld\n", (long) getpid ());
  BfkOutboxLock *lock;
  gint fd;

  fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "Cannot open the outbox lock %s: %s", path, g_strerror (saved));
      return NULL;
    }
  if (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      int saved = errno;
      gint64 holder = saved == EWOULDBLOCK ? read_holder (fd) : 0;

      close (fd);
      if (saved != EWOULDBLOCK)
        {
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       "Cannot lock %s: %s", path, g_strerror (saved));
          return NULL;
        }
      g_set_error (error, BFK_OUTBOX_ERROR, BFK_OUTBOX_ERROR_LOCKED,
                   "Another Bafoka process (pid %" G_GINT64_FORMAT ") drives the outbox of %s; "
                   "operations were queued and it will send them.", holder, data_dir);
      return NULL;
    }
  if (ftruncate (fd, 0) != 0 || pwrite (fd, pid, strlen (pid), 0) < 0)
    g_debug ("Cannot write the pid into %s: %s", path, g_strerror (errno));

  lock = g_new0 (BfkOutboxLock, 1);
  lock->fd = fd;
  lock->path = g_steal_pointer (&path);
  return lock;
}

void
bfk_outbox_lock_release (BfkOutboxLock *lock)
{
  if (lock == NULL)
    return;
  /* The file stays: unlinking it would let a second process lock a new
   * file while a third still waits on the old one. */
  if (ftruncate (lock->fd, 0) != 0)
    g_debug ("Cannot clear %s: %s", lock->path, g_strerror (errno));
  close (lock->fd);
  g_free (lock->path);
  g_free (lock);
}
