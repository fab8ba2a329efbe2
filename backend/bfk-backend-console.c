/* bfk-backend-console.c: the console's writes.  Each runs on the backend
 * thread, on its store connection, records its entry in the audit log
 * (source "console") whether it worked or not, and finishes on the
 * caller's context through its GTask.
 *
 * The added signers: a backer's key, unlocked in the console, reaches the
 * outbox driver through new_keys, a list under signers_mutex that the
 * outbox thread drains before each step (BfkOutbox is the driver thread's
 * alone).  The addresses stay in signers until the stop, so that
 * bfk_backend_has_signer answers from any thread without waiting for the
 * driver.
 *
 * Like bafokactl, the action comes first and its record after: a log that
 * cannot be written is said in the journal, and does not undo the action.
 */
#include "bfk-backend-private.h"

#include "bfk-audit.h"
#include "bfk-conversations.h"
#include "bfk-members.h"
#include "bfk-messages.h"

#include <string.h>

/* actor: the signing key's address, or NULL when nothing was signed;
 * failure NULL: result_text tells what happened. */
static void
audit (BfkBackend       *self,
       const gchar      *actor,
       const gchar      *action,
       const gchar      *subject,
       const gchar      *detail,
       const gchar      *result_text,
       const GError     *failure)
{
  g_autoptr(GError) error = NULL;
  g_autofree gchar *failed = NULL;
  BfkAuditEntry entry = {
    .actor_address = (gchar *) actor,
    .source = (gchar *) "console",
    .action = (gchar *) action,
    .subject = (gchar *) subject,
    .detail = (gchar *) detail,
    .result = (gchar *) result_text,
  };

  if (failure)
    entry.result = failed = g_strdup_printf ("failed: %s", failure->message);
  if (!bfk_audit_record (self->store, &entry, &error))
    g_warning ("The audit log was not written (%s %s): %s", action,
               subject ? subject : "", error->message);
}

/* "+2376…22" for the audit log, whatever spelling the caller used. */
static gchar *
masked_phone (const gchar *phone)
{
  g_autofree gchar *e164 = bfk_phone_normalize (phone, NULL);

  return bfk_phone_mask (e164 ? e164 : phone);
}

/* --- the signers --------------------------------------------------------- */

static gboolean
signers_contain (BfkBackend       *self,
                 const BfkAddress *address)
{
  for (guint i = 0; self->signers && i < self->signers->len; i++)
    if (bfk_address_equal (&g_array_index (self->signers, BfkAddress, i), address))
      return TRUE;
  return FALSE;
}

void
bfk_backend_take_keys (BfkBackend *self,
                       BfkOutbox  *outbox)
{
  g_mutex_lock (&self->signers_mutex);
  for (guint i = 0; self->new_keys && i < self->new_keys->len; i++)
    {
      BfkPrivateKey *key = &g_array_index (self->new_keys, BfkPrivateKey, i);

      bfk_outbox_add_key (outbox, key);
      bfk_private_key_wipe (key);
    }
  if (self->new_keys)
    g_array_set_size (self->new_keys, 0);
  g_mutex_unlock (&self->signers_mutex);
}

void
bfk_backend_forget_signers (BfkBackend *self)
{
  g_mutex_lock (&self->signers_mutex);
  for (guint i = 0; self->new_keys && i < self->new_keys->len; i++)
    bfk_private_key_wipe (&g_array_index (self->new_keys, BfkPrivateKey, i));
  g_clear_pointer (&self->new_keys, g_array_unref);
  g_clear_pointer (&self->signers, g_array_unref);
  g_mutex_unlock (&self->signers_mutex);
}

gboolean
bfk_backend_has_signer (BfkBackend       *self,
                        const BfkAddress *address)
{
  gboolean found;

  g_return_val_if_fail (BFK_IS_BACKEND (self), FALSE);
  g_return_val_if_fail (address != NULL, FALSE);

  if (bfk_backend_get_state (self) != BFK_BACKEND_RUNNING)
    return FALSE;
  if (bfk_address_equal (address, &self->operator))
    return TRUE;
  g_mutex_lock (&self->signers_mutex);
  found = signers_contain (self, address);
  g_mutex_unlock (&self->signers_mutex);
  return found;
}

const BfkAddress *
bfk_backend_get_operator (BfkBackend *self)
{
  g_return_val_if_fail (BFK_IS_BACKEND (self), NULL);

  /* Set by the start before the state becomes RUNNING. */
  return bfk_backend_get_state (self) == BFK_BACKEND_RUNNING ? &self->operator : NULL;
}

static void
key_data_free (gpointer data)
{
  BfkPrivateKey *key = data;

  bfk_private_key_wipe (key);
  g_free (key);
}

static void
run_add_signer (BfkBackend *self,
                GTask      *task)
{
  BfkPrivateKey *key = g_task_get_task_data (task);
  GError *error = NULL;
  BfkAddress address;
  gchar text[BFK_ADDRESS_STRING_SIZE];

  if (!bfk_private_key_to_address (key, &address, &error))
    {
      audit (self, NULL, "add_signer", NULL, NULL, NULL, error);
      g_task_return_error (task, error);
      return;
    }
  bfk_address_to_string_buf (&address, text);

  g_mutex_lock (&self->signers_mutex);
  if (!bfk_address_equal (&address, &self->operator) && !signers_contain (self, &address))
    {
      if (!self->signers)
        self->signers = g_array_new (FALSE, FALSE, sizeof (BfkAddress));
      if (!self->new_keys)
        self->new_keys = g_array_new (FALSE, TRUE, sizeof (BfkPrivateKey));
      g_array_append_val (self->signers, address);
      g_array_append_vals (self->new_keys, key, 1);
    }
  g_mutex_unlock (&self->signers_mutex);

  audit (self, text, "add_signer", text, NULL, "ok", NULL);
  bfk_backend_wake_outbox (self);
  g_task_return_boolean (task, TRUE);
}

void
bfk_backend_add_signer_async (BfkBackend          *self,
                              const BfkPrivateKey *key,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (key != NULL);
  bfk_backend_call (self, bfk_backend_add_signer_async, run_add_signer,
                    g_memdup2 (key, sizeof *key), key_data_free, cancellable, callback, user_data);
}

gboolean
bfk_backend_add_signer_finish (BfkBackend    *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return bfk_backend_propagate_boolean (self, result, error);
}

/* --- enqueue, audited ------------------------------------------------------- */

typedef struct
{
  BfkAddress      signer;
  gboolean        by_operator;   /* signer is the operator's, known on the backend thread */
  BfkHeldRequest  held;
  gchar          *action;
  gchar          *subject;
} AuditedData;

static void
audited_data_free (gpointer data)
{
  AuditedData *d = data;

  bfk_held_request_clear (&d->held);
  g_free (d->action);
  g_free (d->subject);
  g_free (d);
}

static void
run_enqueue_audited (BfkBackend *self,
                     GTask      *task)
{
  AuditedData *d = g_task_get_task_data (task);
  GError *error = NULL;
  gchar actor[BFK_ADDRESS_STRING_SIZE];
  g_autofree gchar *result_text = NULL;
  gint64 id = 0;

  if (d->by_operator)
    d->signer = self->operator;
  bfk_address_to_string_buf (&d->signer, actor);
  if (!bfk_backend_has_signer (self, &d->signer))
    g_set_error (&error, BFK_BACKEND_ERROR, BFK_BACKEND_ERROR_NO_SIGNER,
                 "The key of %s is not unlocked: unlock it in the console before signing with it",
                 actor);
  else
    id = bfk_outbox_enqueue (self->store, self->conn->rpc, &d->signer, &self->conn->contract,
                             &d->held.request, &error);

  if (id == 0)
    {
      audit (self, actor, d->action, d->subject, d->held.summary, NULL, error);
      g_task_return_error (task, error);
      return;
    }
  result_text = g_strdup_printf ("queued op %" G_GINT64_FORMAT, id);
  audit (self, actor, d->action, d->subject, d->held.summary, result_text, NULL);
  bfk_backend_announce (self, id, d->held.summary);
  g_task_return_int (task, id);
}

void
bfk_backend_enqueue_audited_async (BfkBackend          *self,
                                   const BfkAddress    *signer,
                                   const BfkOpRequest  *request,
                                   const gchar         *audit_action,
                                   const gchar         *audit_subject,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  AuditedData *d;

  g_return_if_fail (request != NULL && request->calldata != NULL);
  g_return_if_fail (audit_action != NULL);

  d = g_new0 (AuditedData, 1);
  d->by_operator = signer == NULL;
  if (signer)
    d->signer = *signer;
  bfk_held_request_init (&d->held, request);
  d->action = g_strdup (audit_action);
  d->subject = g_strdup (audit_subject);
  bfk_backend_call (self, bfk_backend_enqueue_audited_async, run_enqueue_audited, d,
                    audited_data_free, cancellable, callback, user_data);
}

gint64
bfk_backend_enqueue_audited_finish (BfkBackend    *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return bfk_backend_propagate_id (self, result, error);
}

/* --- a stuck operation ------------------------------------------------------ */

typedef struct
{
  gint64          op_id;
  BfkStuckAction  action;
} StuckData;

static void
run_unstick (BfkBackend *self,
             GTask      *task)
{
  StuckData *d = g_task_get_task_data (task);
  const gchar *action = d->action == BFK_STUCK_CANCEL ? "cancel" : "bump";
  g_autofree gchar *subject = g_strdup_printf ("op %" G_GINT64_FORMAT, d->op_id);
  g_autoptr(BfkOpInfo) info = NULL;
  GError *error = NULL;

  info = bfk_outbox_get (self->store, d->op_id, &error);
  if (info)
    {
      if (d->action == BFK_STUCK_CANCEL)
        bfk_outbox_request_cancel (self->store, d->op_id, &error);
      else
        bfk_outbox_request_bump (self->store, d->op_id, &error);
    }
  /* The replacement is signed by the operation's own key. */
  audit (self, info ? info->signer : NULL, action, subject, info ? info->summary : NULL,
         "ok", error);
  if (!error)
    bfk_backend_wake_outbox (self);
  bfk_backend_return_boolean_or_error (task, error);
}

void
bfk_backend_unstick_async (BfkBackend          *self,
                           gint64               op_id,
                           BfkStuckAction       action,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  StuckData *d;

  g_return_if_fail (action == BFK_STUCK_BUMP || action == BFK_STUCK_CANCEL);
  d = g_new0 (StuckData, 1);
  d->op_id = op_id;
  d->action = action;
  bfk_backend_call (self, bfk_backend_unstick_async, run_unstick, d, g_free,
                    cancellable, callback, user_data);
}

gboolean
bfk_backend_unstick_finish (BfkBackend    *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  return bfk_backend_propagate_boolean (self, result, error);
}

/* --- conversations ------------------------------------------------------------ */

typedef struct
{
  gchar    *phone;
  gchar    *body;
  gboolean  taken;
} ConversationData;

static void
conversation_data_free (gpointer data)
{
  ConversationData *d = data;

  g_free (d->phone);
  g_free (d->body);
  g_free (d);
}

/* Runs call on a copy of phone and body. */
static void
conversation_call (BfkBackend          *self,
                   gpointer             source_tag,
                   BfkBackendCall       call,
                   const gchar         *phone,
                   const gchar         *body,
                   gboolean             taken,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  ConversationData *d;

  g_return_if_fail (phone != NULL);
  d = g_new0 (ConversationData, 1);
  d->phone = g_strdup (phone);
  d->body = g_strdup (body);
  d->taken = taken;
  bfk_backend_call (self, source_tag, call, d, conversation_data_free, cancellable, callback,
                    user_data);
}

/* Whether a free-form message may go to phone now, or through the
 * template; an error says why not. */
static gboolean
may_write (BfkBackend   *self,
           const gchar  *phone,
           GError      **error)
{
  GError *local = NULL;

  if (bfk_conversations_window_open (self->store, phone, bfk_store_now (), NULL, &local))
    return TRUE;
  if (local)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  if (self->config->twilio_content_sid && *self->config->twilio_content_sid)
    return TRUE;
  g_set_error_literal (error, BFK_BACKEND_ERROR, BFK_BACKEND_ERROR_WINDOW_CLOSED,
                       "The member has not written in the last 24 hours: WhatsApp allows only a "
                       "template message then, and none is configured (TWILIO_CONTENT_SID)");
  return FALSE;
}

static void
run_send_message (BfkBackend *self,
                  GTask      *task)
{
  ConversationData *d = g_task_get_task_data (task);
  g_autofree gchar *subject = masked_phone (d->phone);
  g_autofree gchar *result_text = NULL;
  g_autoptr(BfkMember) member = NULL;
  gboolean can_send = self->twilio != NULL;
  GError *error = NULL;
  gint64 id = 0;

  if (!d->body || !*g_strstrip (d->body))
    g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "The message is empty");
  else if (may_write (self, d->phone, &error))
    {
      /* A number that wrote before registering has no member yet. */
      member = bfk_members_find_by_phone (self->store, d->phone, NULL);
      id = bfk_messages_enqueue (self->store, d->phone, member ? member->id : 0, BFK_MESSAGE_TEXT,
                                 d->body, can_send, &error);
    }
  if (id == 0)
    {
      audit (self, NULL, "send_message", subject, NULL, NULL, error);
      g_task_return_error (task, error);
      return;
    }
  result_text = g_strdup_printf (can_send ? "queued message %" G_GINT64_FORMAT
                                          : "message %" G_GINT64_FORMAT " kept, not sent: no Twilio",
                                 id);
  audit (self, NULL, "send_message", subject, NULL, result_text, NULL);
  if (can_send)
    bfk_backend_wake (self, &self->courier_wake);
  g_task_return_int (task, id);
}

void
bfk_backend_send_message_async (BfkBackend          *self,
                                const gchar         *phone,
                                const gchar         *body,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  conversation_call (self, bfk_backend_send_message_async, run_send_message, phone, body, FALSE,
                     cancellable, callback, user_data);
}

gint64
bfk_backend_send_message_finish (BfkBackend    *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return bfk_backend_propagate_id (self, result, error);
}

/* Who took the conversation over, as the inbox shows it. */
static const gchar *
staff_name (void)
{
  const gchar *name = g_get_real_name ();

  return name && *name && g_strcmp0 (name, "Unknown") != 0 ? name : g_get_user_name ();
}

static void
run_take_over (BfkBackend *self,
               GTask      *task)
{
  ConversationData *d = g_task_get_task_data (task);
  g_autofree gchar *subject = masked_phone (d->phone);
  GError *error = NULL;

  /* A person who takes the conversation over answers the call for one:
   * both, or neither. */
  if (bfk_store_begin (self->store, &error))
    {
      if (bfk_conversations_set_taken_over (self->store, d->phone, d->taken ? staff_name () : NULL, &error)
          && (!d->taken || bfk_conversations_set_needs_agent (self->store, d->phone, FALSE, &error)))
        bfk_store_commit (self->store, &error);
      if (error)
        bfk_store_rollback (self->store);
    }
  audit (self, NULL, d->taken ? "take_over" : "return_to_bot", subject, NULL, "ok", error);
  bfk_backend_return_boolean_or_error (task, error);
}

void
bfk_backend_take_over_async (BfkBackend          *self,
                             const gchar         *phone,
                             gboolean             taken,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  conversation_call (self, bfk_backend_take_over_async, run_take_over, phone, NULL, taken,
                     cancellable, callback, user_data);
}

gboolean
bfk_backend_take_over_finish (BfkBackend    *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return bfk_backend_propagate_boolean (self, result, error);
}

static void
run_mark_read (BfkBackend *self,
               GTask      *task)
{
  ConversationData *d = g_task_get_task_data (task);
  GError *error = NULL;

  /* Reading is not an admin action: no audit entry. */
  bfk_conversations_mark_read (self->store, d->phone, &error);
  bfk_backend_return_boolean_or_error (task, error);
}

void
bfk_backend_mark_read_async (BfkBackend          *self,
                             const gchar         *phone,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  conversation_call (self, bfk_backend_mark_read_async, run_mark_read, phone, NULL, FALSE,
                     cancellable, callback, user_data);
}

gboolean
bfk_backend_mark_read_finish (BfkBackend    *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return bfk_backend_propagate_boolean (self, result, error);
}

/* --- an action of its own ------------------------------------------------------ */

typedef struct
{
  gchar *action;
  gchar *subject;
  gchar *detail;
  gchar *result_text;
} AuditData;

static void
audit_data_free (gpointer data)
{
  AuditData *d = data;

  g_free (d->action);
  g_free (d->subject);
  g_free (d->detail);
  g_free (d->result_text);
  g_free (d);
}

static void
run_audit (BfkBackend *self,
           GTask      *task)
{
  AuditData *d = g_task_get_task_data (task);
  gchar actor[BFK_ADDRESS_STRING_SIZE];
  BfkAuditEntry entry = {
    .actor_address = actor,
    .source = (gchar *) "console",
    .action = d->action,
    .subject = d->subject,
    .detail = d->detail,
    .result = d->result_text,
  };
  GError *error = NULL;

  /* Here the record is the action: its failure is the call's. */
  bfk_address_to_string_buf (&self->operator, actor);
  bfk_audit_record (self->store, &entry, &error);
  bfk_backend_return_boolean_or_error (task, error);
}

void
bfk_backend_audit_async (BfkBackend          *self,
                         const gchar         *action,
                         const gchar         *subject,
                         const gchar         *detail,
                         const gchar         *result_text,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  AuditData *d = g_new0 (AuditData, 1);

  d->action = g_strdup (action);
  d->subject = g_strdup (subject);
  d->detail = g_strdup (detail);
  d->result_text = g_strdup (result_text ? result_text : "ok");
  bfk_backend_call (self, bfk_backend_audit_async, run_audit, d, audit_data_free,
                    cancellable, callback, user_data);
}

gboolean
bfk_backend_audit_finish (BfkBackend    *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  return bfk_backend_propagate_boolean (self, result, error);
}
