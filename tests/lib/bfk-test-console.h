/* bfk-test-console.h: bafoka-console --headless run by a test, as an
 * operator runs it: a data dir, a free port, settings in the environment,
 * its log in a file; and the HTTP calls a test makes to it. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct
{
  GSubprocess *process;
  gchar       *log;       /* its stderr, in a file */
  guint16      port;
  gchar       *dir;       /* a data dir the test owns, or NULL */
  gboolean     exited;
} BfkTestConsole;

void        bfk_test_console_clear          (BfkTestConsole *c);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BfkTestConsole, bfk_test_console_clear)

/* $BAFOKA_BUILD_DIR/app/bafoka-console. */
gchar      *bfk_test_console_path           (void);
/* A port nobody listens on now (there is a small race, harmless here). */
guint16     bfk_test_free_port              (void);
/* Starts the console on data_dir and c->port (a free one when 0); env holds
 * NAME=VALUE pairs (NULL-terminated) on top. */
void        bfk_test_console_start          (BfkTestConsole *c,
                                             const gchar    *data_dir,
                                             const gchar    *first_env,
                                             ...);
gchar      *bfk_test_console_log            (BfkTestConsole *c);
/* Waits up to timeout_s for the exit: its status, or -1 when not in time. */
gint        bfk_test_console_wait           (BfkTestConsole *c,
                                             guint           timeout_s);
/* A console that must fail with status 1: its log. */
gchar      *bfk_test_console_expect_failure (BfkTestConsole *c);
/* Polls /healthz until it says "ok" (60 s at most): the document. */
JsonObject *bfk_test_console_wait_healthy   (BfkTestConsole *c,
                                             JsonParser     *parser);
/* GET http://127.0.0.1:port/path: the status, 0 when nothing answered. */
guint       bfk_test_http_get               (guint16         port,
                                             const gchar    *path,
                                             gchar         **body,
                                             gchar         **content_type);

/* POST body (form-encoded) to http://127.0.0.1:port/path, with one extra
 * header when header is not NULL: the status, and the answer in *answer. */
guint       bfk_test_http_post              (guint16         port,
                                             const gchar    *path,
                                             const gchar    *body,
                                             const gchar    *header,
                                             const gchar    *value,
                                             gchar         **answer);

/* POSTs a WhatsApp message from phone (E.164) to uri, a backend's
 * …/webhook, as Twilio would but unsigned, as the simulator does: the
 * answer, and the status in *status. */
gchar      *bfk_test_post_message           (const gchar    *uri,
                                             const gchar    *phone,
                                             const gchar    *sid,
                                             const gchar    *text,
                                             guint          *status);

G_END_DECLS
