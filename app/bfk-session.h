/* bfk-session.h: what every page of the console shares.
 *
 * A BfkSession holds the backend, and, once the backend runs, a read-only
 * store connection for the main thread: the pages read from it directly
 * (the models, and small queries), and write only through the backend's
 * _async calls, which run on the backend thread.
 *
 * "changed" is emitted, at most twice a second, when another connection
 * has written to the database (SQLite's data_version), so that a page
 * refreshes what it shows without polling on its own.  "status" follows a
 * new bfk_session_get_status ().  "toast" asks the window to show a short
 * message.
 */
#pragma once

#include <gio/gio.h>

#include "bfk-backend.h"
#include "bfk-store.h"

G_BEGIN_DECLS

#define BFK_TYPE_SESSION (bfk_session_get_type ())

G_DECLARE_FINAL_TYPE (BfkSession, bfk_session, BFK, SESSION, GObject)

/* Takes nothing: the backend is referenced. */
BfkSession      *bfk_session_new            (BfkBackend  *backend);
BfkBackend      *bfk_session_get_backend    (BfkSession  *self);
const BfkConfig *bfk_session_get_config     (BfkSession  *self);
/* TRUE once the backend runs and the store is open ("notify::ready"). */
gboolean         bfk_session_get_ready      (BfkSession  *self);
/* The main thread's read-only connection; NULL until ready. */
BfkStore        *bfk_session_get_store      (BfkSession  *self);
/* The latest status of the backend (NULL until the first one arrives),
 * refreshed every two seconds and on "changed". */
const BfkBackendStatus *bfk_session_get_status (BfkSession *self);

/* Opens the store (called by the application once the backend runs; the
 * tests call it too).  Sets ready. */
gboolean         bfk_session_open_store     (BfkSession  *self,
                                             GError     **error);

void             bfk_session_toast          (BfkSession  *self,
                                             const gchar *format,
                                             ...) G_GNUC_PRINTF (2, 3);

/* The block explorer's page of a transaction, or NULL on the local network. */
gchar           *bfk_session_explorer_url   (BfkSession  *self,
                                             const gchar *tx_hash);

G_END_DECLS
