/* bfk-backend-api.c: the console's and the CLI's calls.  Each runs on the
 * backend thread, on its store connection, and finishes on the caller's
 * context through its GTask. */
#include "bfk-backend-private.h"
#include "bfk-enrolment.h"

/* --- what the calls share (bfk-backend-private.h) --- */

GTask *
bfk_backend_new_task (BfkBackend          *self,
                      gpointer             source_tag,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  return task;
}

void
bfk_backend_call (BfkBackend          *self,
                  gpointer             source_tag,
                  BfkBackendCall       call,
                  gpointer             data,
                  GDestroyNotify       data_free,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  g_autoptr(GTask) task = bfk_backend_new_task (self, source_tag, cancellable, callback, user_data);

  if (data)
    g_task_set_task_data (task, data, data_free);
  bfk_backend_invoke (self, task, call);
}

gboolean
bfk_backend_propagate_boolean (BfkBackend    *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

gpointer
bfk_backend_propagate_pointer (BfkBackend    *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

gint64
bfk_backend_propagate_id (BfkBackend    *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  gssize id;

  g_return_val_if_fail (g_task_is_valid (result, self), 0);
  /* g_task_propagate_int says -1 on error. */
  id = g_task_propagate_int (G_TASK (result), error);
  return id > 0 ? (gint64) id : 0;
}

gboolean
bfk_backend_return_boolean_or_error (GTask  *task,
                                     GError *error)
{
  if (error)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
  return error == NULL;
}

void
bfk_backend_announce (BfkBackend  *self,
                      gint64       op_id,
                      const gchar *summary)
{
  bfk_backend_emit_queued (self, op_id, summary);
  bfk_backend_wake_outbox (self);
}

void
bfk_held_request_init (BfkHeldRequest     *held,
                       const BfkOpRequest *request)
{
  held->request = *request;
  held->request.calldata = g_bytes_ref (request->calldata);
  held->summary = g_strdup (request->summary);
  held->request.summary = held->summary;
}

void
bfk_held_request_clear (BfkHeldRequest *held)
{
  g_clear_pointer (&held->request.calldata, g_bytes_unref);
  g_clear_pointer (&held->summary, g_free);
  held->request.summary = NULL;
}

/* --- enqueue --- */

static void
held_request_free (gpointer data)
{
  bfk_held_request_clear (data);
  g_free (data);
}

static void
run_enqueue (BfkBackend *self,
             GTask      *task)
{
  BfkHeldRequest *held = g_task_get_task_data (task);
  GError *error = NULL;
  gint64 id = bfk_outbox_enqueue (self->store, self->conn->rpc, &self->operator,
                                  &self->conn->contract, &held->request, &error);

  if (id == 0)
    {
      g_task_return_error (task, error);
      return;
    }
  bfk_backend_announce (self, id, held->summary);
  g_task_return_int (task, id);
}

void
bfk_backend_enqueue_async (BfkBackend          *self,
                           const BfkOpRequest  *request,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  BfkHeldRequest *held;

  g_return_if_fail (request != NULL && request->calldata != NULL);
  held = g_new0 (BfkHeldRequest, 1);
  bfk_held_request_init (held, request);
  bfk_backend_call (self, bfk_backend_enqueue_async, run_enqueue, held, held_request_free,
                    cancellable, callback, user_data);
}

gint64
bfk_backend_enqueue_finish (BfkBackend    *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  return bfk_backend_propagate_id (self, result, error);
}

/* --- add a member --- */

typedef struct
{
  gchar     *phone;
  gchar     *name;
  guint64    community_id;
  gint64     op_id;
} MemberData;

static void
member_data_free (gpointer data)
{
  MemberData *d = data;

  g_free (d->phone);
  g_free (d->name);
  g_free (d);
}

static void
run_add_member (BfkBackend *self,
                GTask      *task)
{
  MemberData *d = g_task_get_task_data (task);
  g_autoptr(BfkMember) member = NULL;
  g_autoptr(BfkOpInfo) op = NULL;
  GError *error = NULL;

  if (!bfk_enrolment_add_member (self->store, self->conn->rpc, self->data_key, &self->operator,
                                 &self->conn->contract, d->phone, d->name, d->community_id,
                                 (guint) g_atomic_int_get (&self->n_communities),
                                 &member, &d->op_id, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  /* The summary as enrolment worded it. */
  op = bfk_outbox_get (self->store, d->op_id, NULL);
  bfk_backend_announce (self, d->op_id, op ? op->summary : member->name);
  g_task_return_pointer (task, g_steal_pointer (&member), (GDestroyNotify) bfk_member_free);
}

void
bfk_backend_add_member_async (BfkBackend          *self,
                              const gchar         *phone,
                              const gchar         *name,
                              guint64              community_id,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  MemberData *d = g_new0 (MemberData, 1);

  d->phone = g_strdup (phone);
  d->name = g_strdup (name);
  d->community_id = community_id;
  bfk_backend_call (self, bfk_backend_add_member_async, run_add_member, d, member_data_free,
                    cancellable, callback, user_data);
}

BfkMember *
bfk_backend_add_member_finish (BfkBackend    *self,
                               GAsyncResult  *result,
                               gint64        *op_id_out,
                               GError       **error)
{
  BfkMember *member = bfk_backend_propagate_pointer (self, result, error);

  if (op_id_out)
    *op_id_out = member ? ((MemberData *) g_task_get_task_data (G_TASK (result)))->op_id : 0;
  return member;
}

/* --- listings --- */

typedef struct
{
  guint64 community_id;
  guint   limit;
  guint   offset;
} PageData;

static void
return_array (GTask     *task,
              GPtrArray *array,
              GError    *error)
{
  if (array)
    g_task_return_pointer (task, array, (GDestroyNotify) g_ptr_array_unref);
  else
    g_task_return_error (task, error);
}

static void
run_list_members (BfkBackend *self,
                  GTask      *task)
{
  PageData *d = g_task_get_task_data (task);
  GError *error = NULL;

  return_array (task, bfk_members_list (self->store, d->community_id, d->limit, d->offset, &error), error);
}

static void
run_list_operations (BfkBackend *self,
                     GTask      *task)
{
  PageData *d = g_task_get_task_data (task);
  GError *error = NULL;

  return_array (task, bfk_outbox_list_recent (self->store, d->limit, &error), error);
}

static void
invoke_page (BfkBackend          *self,
             gpointer             source_tag,
             BfkBackendCall       call,
             guint64              community_id,
             guint                limit,
             guint                offset,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  PageData *d = g_new0 (PageData, 1);

  d->community_id = community_id;
  d->limit = limit;
  d->offset = offset;
  bfk_backend_call (self, source_tag, call, d, g_free, cancellable, callback, user_data);
}

void
bfk_backend_list_members_async (BfkBackend          *self,
                                guint64              community_id,
                                guint                limit,
                                guint                offset,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  invoke_page (self, bfk_backend_list_members_async, run_list_members,
               community_id, limit, offset, cancellable, callback, user_data);
}

GPtrArray *
bfk_backend_list_members_finish (BfkBackend    *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return bfk_backend_propagate_pointer (self, result, error);
}

void
bfk_backend_list_operations_async (BfkBackend          *self,
                                   guint                limit,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  invoke_page (self, bfk_backend_list_operations_async, run_list_operations,
               0, limit, 0, cancellable, callback, user_data);
}

GPtrArray *
bfk_backend_list_operations_finish (BfkBackend    *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return bfk_backend_propagate_pointer (self, result, error);
}

/* --- status --- */

static void
run_get_status (BfkBackend *self,
                GTask      *task)
{
  g_task_return_pointer (task, bfk_backend_status_snapshot (self),
                         (GDestroyNotify) bfk_backend_status_free);
}

void
bfk_backend_get_status_async (BfkBackend          *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  bfk_backend_call (self, bfk_backend_get_status_async, run_get_status, NULL, NULL,
                    cancellable, callback, user_data);
}

BfkBackendStatus *
bfk_backend_get_status_finish (BfkBackend    *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return bfk_backend_propagate_pointer (self, result, error);
}
