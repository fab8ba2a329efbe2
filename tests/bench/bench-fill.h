/* bench-fill.h: a store filled like a big deployment, for the benchmarks of
 * the console's lists: n members (each with its account, in two
 * communities) and n confirmed operations, in one transaction. */
#pragma once

#include "bfk-store.h"

/* Aborts on any failure. */
void bench_fill (BfkStore *store,
                 gint64    n_rows);
