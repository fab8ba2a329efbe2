/* bench-engine.h: pieces shared by the benchmarks of the chain operations
 * engine (issue 3): members to register, and 1,000 registrations driven
 * through the durable outbox, as the backend does it. */
#pragma once

#include "bfk-store.h"
#include "bfk-test-chain.h"

G_BEGIN_DECLS

/* Member i of a lot: the Keccak of (lot, i), so that no key is generated
 * and lots on one chain never collide. */
void     bench_member_address    (guint        lot,
                                  guint        i,
                                  BfkAddress  *out);

/* registerMember calldata of member i of lot, in community 1 + i % 3. */
GBytes  *bench_register_calldata (guint        lot,
                                  guint        i);

/* CPU seconds used so far by this process (all its threads) and by its
 * anvil children: on a busy machine, what a rate is made of. */
typedef struct
{
  gdouble  self_s;
  gdouble  anvil_s;
} BenchCpu;

void     bench_cpu_now           (BenchCpu      *out);
/* now - since, field by field */
void     bench_cpu_since         (const BenchCpu *since,
                                  BenchCpu       *out);

typedef struct
{
  guint    ops;
  gdouble  enqueue_s;       /* first enqueue to last commit */
  gdouble  drive_s;         /* first bfk_outbox_step to all confirmed */
  guint    steps;
  guint    sqlite_commits;  /* transactions of the driver (steps × phases) */
  BenchCpu enqueue_cpu;
  BenchCpu drive_cpu;
} BenchOutboxRun;

/* Enqueues n registrations (lot) with the chain's operator key into the
 * store at db_path (created if needed), per_commit to a transaction as
 * bafokactl import does, then drives the outbox until every one is
 * confirmed; aborts when one fails or when it takes over timeout_s. */
void     bench_outbox_register   (BfkTestChain   *chain,
                                  const gchar    *db_path,
                                  guint           lot,
                                  guint           n,
                                  guint           per_commit,
                                  guint           timeout_s,
                                  BenchOutboxRun *out);

gdouble  bench_seconds_since     (gint64         start_us);
/* Removes a folder and the files in it (no subfolders). */
void     bench_remove_dir        (const gchar   *path);

G_END_DECLS
