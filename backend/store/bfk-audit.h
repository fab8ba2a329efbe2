/* bfk-audit.h: the audit log of what admins did.
 *
 * Every admin action of the console or bafokactl (approving a backer, a
 * recharge, taking over a conversation, revealing a phone number…) adds
 * one row, whether it worked or not.  Rows are only ever added: the
 * schema's triggers refuse UPDATE and DELETE on the table, so that the log
 * is evidence and not a draft.
 *
 * Each function is one statement: it runs in the caller's transaction
 * when one is open, so an action and its record can commit together.
 *
 * Threads: like the BfkStore it is given.
 */
#pragma once

#include <glib.h>

#include "bfk-store.h"

G_BEGIN_DECLS

typedef struct
{
  gint64  id;
  gint64  at;              /* seconds since the epoch; 0 when recording: now */
  gchar  *actor_address;   /* the signing key's, EIP-55; NULL when nothing was signed */
  gchar  *os_user;         /* NULL when recording: g_get_user_name () */
  gchar  *source;          /* "console" or "bafokactl" */
  gchar  *action;          /* "approve_backer", "recharge", "take_over", … */
  gchar  *subject;         /* what it was about: an address, a masked phone, an operation */
  gchar  *detail;          /* JSON or a short text; may be NULL */
  gchar  *result;          /* "ok", "failed: …", "queued op N" */
} BfkAuditEntry;

void        bfk_audit_entry_free  (BfkAuditEntry        *entry);

/* Adds entry to the log; its id is ignored.  The new row's id, or 0 with
 * error (a source other than "console" or "bafokactl", no action or no
 * result, or the database's failure). */
gint64      bfk_audit_record      (BfkStore             *store,
                                   const BfkAuditEntry  *entry,
                                   GError              **error);
/* Entries newest first, of one action and one actor when they are not
 * NULL (the actor's case does not matter), at or after since (0: all
 * time); at most limit of them (0: no limit) after skipping offset.  A
 * GPtrArray of BfkAuditEntry. */
GPtrArray  *bfk_audit_list        (BfkStore             *store,
                                   const gchar          *action,
                                   const gchar          *actor,
                                   gint64                since,
                                   guint                 limit,
                                   guint                 offset,
                                   GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BfkAuditEntry, bfk_audit_entry_free)

G_END_DECLS
