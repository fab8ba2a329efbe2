/* bfk-test-ctl.h: running bafokactl from a test, as a script would. */
#pragma once

#include <json-glib/json-glib.h>

#include "bfk-local-node.h"

G_BEGIN_DECLS

typedef struct
{
  gint        status;   /* the exit status, -1 when killed */
  gchar      *out;
  gchar      *err;
  JsonParser *parser;   /* holds the parsed stdout */
} BfkCtlRun;

void        bfk_ctl_run_clear    (BfkCtlRun    *run);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BfkCtlRun, bfk_ctl_run_clear)

/* Runs build/backend/bafokactl --data-dir data_dir ARGS… with no stdin. */
void        bfk_ctl_run          (BfkCtlRun    *run,
                                  const gchar  *data_dir,
                                  const gchar  *first_arg,
                                  ...) G_GNUC_NULL_TERMINATED;
/* stdout as one JSON document, which it must be. */
JsonNode   *bfk_ctl_run_json     (BfkCtlRun    *run);
JsonObject *bfk_ctl_run_object   (BfkCtlRun    *run);

/* For the tests that run bafokactl against one node that stays up: an
 * environment without the developer's own settings, a new data dir (from
 * tmpl) in *data_dir, and an anvil for it, announced in local-node.json the
 * way a running backend does, so that every bafokactl run finds it.  NULL,
 * after printing the TAP skip line, when anvil is not installed. */
BfkLocalNode *bfk_ctl_test_node_start (const gchar  *tmpl,
                                       gchar       **data_dir);

G_END_DECLS
