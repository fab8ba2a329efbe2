/* ctl-session.h: what the verbs that touch members and operations share:
 * the chain connection, the store, the operator key, and driving the outbox
 * when no backend does. */
#pragma once

#include "ctl.h"
#include "bfk-connection.h"
#include "bfk-key-box.h"
#include "bfk-outbox.h"
#include "bfk-store.h"

G_BEGIN_DECLS

typedef struct
{
  BfkConnection *conn;
  BfkStore      *store;
  BfkPrivateKey  operator_key;
  BfkAddress     operator;
  guint8         data_key[BFK_DATA_KEY_SIZE];
  guint          n_communities;
  BfkOutboxLock *lock;          /* held once this process drives the outbox */
} CtlSession;

/* Opens everything; with need_operator, unlocks the operator key too (it
 * signs, and opens member keys).  Close the session even after a failure. */
gboolean  ctl_session_open    (Ctl         *ctl,
                               CtlSession  *session,
                               gboolean     need_operator,
                               GError     **error);
/* TRUE when this process now drives the outbox: no backend runs. */
gboolean  ctl_session_take_outbox (CtlSession *session);
void      ctl_session_close   (CtlSession  *session);

/* bafokactl enqueues; it sends only when no backend runs.  Then it drives
 * the outbox until the given operations are final, showing progress, with
 * extra_key (may be NULL) as a second signer.  When a backend holds the
 * outbox, it says so and returns TRUE: the backend sends them. */
gboolean  ctl_session_drive   (Ctl                 *ctl,
                               CtlSession          *session,
                               const gint64        *op_ids,
                               guint                n_ops,
                               const BfkPrivateKey *extra_key,
                               GError             **error);

/* Brings the store's view of the chain (balances, escrow, exchanges) up to
 * the head, when no backend runs to do it. */
gboolean  ctl_session_sync    (Ctl                 *ctl,
                               CtlSession          *session,
                               GError             **error);

/* {"id", "kind", "state", "tx", "attempts", "reason", …} of one operation. */
void      ctl_add_operation_json (JsonBuilder      *b,
                                  const BfkOpInfo  *info);

/* Enqueues one operation signed by the operator (or by signer_key), drives
 * it when no backend runs, and prints where it stands.  The audit log gets
 * the enqueuing, or its failure, as the operation's kind about
 * audit_subject. */
int       ctl_enqueue_and_report (Ctl                 *ctl,
                                  CtlSession          *session,
                                  const BfkPrivateKey *signer_key,
                                  const BfkOpRequest  *request,
                                  const gchar         *audit_subject);
/* A whole number above 0, or a sentence naming what. */
gboolean  ctl_parse_amount       (const gchar         *what,
                                  const gchar         *text,
                                  BfkU256             *out,
                                  GError             **error);

G_END_DECLS
