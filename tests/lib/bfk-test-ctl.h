/* bfk-test-ctl.h: running bafokactl from a test, as a script would. */
#pragma once

#include <json-glib/json-glib.h>

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

G_END_DECLS
