/* bench-headless.h: the memory of `bafoka-console --headless` on a busy
 * chain (issue 3: peak RSS < 64 MiB). */
#pragma once

#include "bfk-test-chain.h"

G_BEGIN_DECLS

typedef struct
{
  guint64  events;             /* stored by the console's follower in its first run */
  gdouble  catch_up_s;         /* start to synced with the head, start-up included */
  gdouble  idle_rss_mib;       /* VmRSS once caught up and idle */
  gdouble  peak_rss_mib;       /* VmHWM of the first run, after its imports */
  gdouble  restart_peak_rss_mib; /* VmHWM of a second run on the full data dir */
  guint    imported;           /* members imported during each run */
  gdouble  send_s;             /* import to all confirmed (first run) */
} BenchHeadless;

/* On a fresh chain, before it gets busy: drives `outbox_ops`
 * registrations through the outbox (as bench-outbox does) into data_dir (a
 * fresh folder), so that the console's data dir holds them. */
void bench_headless_prepare (BfkTestChain  *chain,
                             const gchar   *data_dir,
                             guint          outbox_ops);

/* Once the chain holds its events: runs the console on the custom network
 * pointed at chain, with chain's operator in a keystore; lets it catch up
 * with every event and go idle; imports `imports` members with `bafokactl
 * import members --csv --no-send`, which the console sends; reads its peak
 * RSS.  Then stops it and does the same on a second start.  Anvil mines a
 * block a second from then on: on a state this large, one block per
 * transaction (automine) takes anvil a tenth of a second or more.  console
 * is the path of bafoka-console; bafokactl is found through
 * $BAFOKA_BUILD_DIR. */
void bench_headless_run     (BfkTestChain  *chain,
                             const gchar   *console,
                             const gchar   *data_dir,
                             guint          outbox_ops,
                             guint          imports,
                             BenchHeadless *out);

G_END_DECLS
