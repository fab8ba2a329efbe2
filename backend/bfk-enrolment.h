/* bfk-enrolment.h: enrolling members, one or a whole village.
 *
 * Enrolment writes a member (bfk-members.h) and its registerMember
 * operation (bfk-outbox.h) in one transaction: a member is never stored
 * without the operation that puts it on chain, nor the reverse.  What
 * bafokactl's "member add" and "import members --csv" call, and the
 * backend's API for the console.
 *
 * Threads: like the BfkStore it is given.  The first operation of the
 * operator key asks the node for its nonce (rpc); later ones do not.
 */
#pragma once

#include <glib.h>

#include "bfk-address.h"
#include "bfk-key-box.h"
#include "bfk-members.h"
#include "bfk-rpc.h"
#include "bfk-store.h"

G_BEGIN_DECLS

/* Creates the member and enqueues its registration, signed by operator,
 * to contract.  community_id must be 1 to n_communities (what the chain
 * has).  Runs in its own transaction, or in the caller's when one is
 * open.  member_out and op_id_out may be NULL. */
gboolean  bfk_enrolment_add_member   (BfkStore          *store,
                                      BfkRpcClient      *rpc,
                                      const guint8       data_key[BFK_DATA_KEY_SIZE],
                                      const BfkAddress  *operator_address,
                                      const BfkAddress  *contract,
                                      const gchar       *phone,
                                      const gchar       *name,
                                      guint64            community_id,
                                      guint              n_communities,
                                      BfkMember        **member_out,
                                      gint64            *op_id_out,
                                      GError           **error);

/* A row of an import that was not enrolled, and why. */
typedef struct
{
  guint   line;
  gchar  *message;
} BfkEnrolmentIssue;

typedef struct
{
  guint       added;
  guint       duplicates;
  GPtrArray  *problems;     /* BfkEnrolmentIssue: wrong rows (bad phone, bad name, unknown
                             * community, missing column), by line */
  GPtrArray  *skipped;      /* BfkEnrolmentIssue: duplicates, naming who holds the number
                             * or the name */
  GArray     *member_ids;   /* gint64, of the members added, in file order */
  GArray     *op_ids;       /* gint64, their register operations, in the same order */
} BfkEnrolmentResult;

/* Frees what a result holds, and zeroes it. */
void      bfk_enrolment_result_clear (BfkEnrolmentResult *result);

/* Enrols the rows of a CSV file: phone,name,community (a header row, in
 * English or French, is recognised and may put the columns in any order).
 * Wrong rows go to result->problems and duplicates (a number already
 * registered, a name taken in the community, also earlier in the same
 * file) to result->skipped; the other rows are enrolled.  Rows are written
 * in transactions of up to 100, each row in a savepoint, so a row that
 * fails never takes others with it.
 *
 * result must be zeroed (g_auto (BfkEnrolmentResult) r = { 0 }).  FALSE
 * when the file cannot be read (encoding, unclosed quote, a header without
 * a needed column), or when the store or the outbox fails; result then
 * holds what was written before. */
gboolean  bfk_enrolment_import_csv   (BfkStore            *store,
                                      BfkRpcClient        *rpc,
                                      const guint8         data_key[BFK_DATA_KEY_SIZE],
                                      const BfkAddress    *operator_address,
                                      const BfkAddress    *contract,
                                      guint                n_communities,
                                      const gchar         *csv,
                                      gsize                len,
                                      BfkEnrolmentResult  *result,
                                      GError             **error);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BfkEnrolmentResult, bfk_enrolment_result_clear)

G_END_DECLS
