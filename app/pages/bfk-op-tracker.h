/* bfk-op-tracker.h: the operations a page has just queued, and how far
 * each has gone (queued → sent → confirmed, or failed and why).
 *
 * A preferences group, hidden while empty.  bfk_op_tracker_submit queues a
 * write through the backend (audited), shows the toast, and follows the
 * operation; bfk_op_tracker_refresh reads their states again from the
 * store (the page calls it from its refresh, so it is live).
 */
#pragma once

#include <adwaita.h>

#include "bfk-session.h"

G_BEGIN_DECLS

#define BFK_TYPE_OP_TRACKER (bfk_op_tracker_get_type ())

G_DECLARE_FINAL_TYPE (BfkOpTracker, bfk_op_tracker, BFK, OP_TRACKER, AdwPreferencesGroup)

void    bfk_op_tracker_add      (BfkOpTracker       *self,
                                 gint64              op_id);
void    bfk_op_tracker_refresh  (BfkOpTracker       *self,
                                 BfkStore           *store);
/* The newest operation followed, 0 if none. */
gint64  bfk_op_tracker_get_last (BfkOpTracker       *self);

/* Enqueues request signed by signer (NULL: the operator), audited as
 * audit_action about audit_subject; then toasts "<what> queued: operation
 * N" (or the error) and, when self is not NULL, follows it. */
void    bfk_op_tracker_submit   (BfkOpTracker       *self,
                                 BfkSession         *session,
                                 const BfkAddress   *signer,
                                 const BfkOpRequest *request,
                                 const gchar        *audit_action,
                                 const gchar        *audit_subject,
                                 const gchar        *what);

G_END_DECLS
