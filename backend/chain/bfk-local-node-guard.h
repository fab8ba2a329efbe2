/* bfk-local-node-guard.h: what keeps the local anvil's state file whole
 * when the process that started anvil dies (private to bfk-local-node.c).
 *
 * The guard is a small forked process that stops anvil with SIGTERM a
 * moment after its parent dies, so that anvil first mines what it was
 * given.  The state lock keeps a second anvil off the state file until the
 * first has written it and exited.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  GPid pid;     /* 0: none */
  gint fd;      /* the write end of its pipe; -1: none */
} BfkNodeGuard;

/* Forks the guard; it waits to learn anvil's pid from
 * bfk_node_guard_child_setup. */
gboolean bfk_node_guard_start       (BfkNodeGuard   *guard,
                                     GError        **error);
/* A GSpawnChildSetupFunc for anvil, with the guard as user data: tells it
 * anvil's pid (async-signal-safe, run between fork and exec). */
void     bfk_node_guard_child_setup (gpointer        guard);
/* Ends the guard without touching anvil: before a clean stop, or when
 * anvil did not start. */
void     bfk_node_guard_stop        (BfkNodeGuard   *guard);

/* An exclusive lock on state_path's lock file, waited for up to timeout_ms
 * while an anvil that ran on this state still writes it.  Returns the
 * descriptor (close-on-exec), to hand to anvil, which holds the lock until
 * it exits; -1 with a LOCAL_NODE error. */
gint     bfk_node_state_lock        (const gchar    *state_path,
                                     guint           timeout_ms,
                                     GError        **error);

G_END_DECLS
