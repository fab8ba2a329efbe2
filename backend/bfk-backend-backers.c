/* bfk-backend-backers.c: the backers' state this week, read from the chain.
 *
 * The reads block on the node, so they run on a GTask worker thread and
 * never on the backend's loop.  The backend thread, where the connection
 * lives, hands the worker its own reference on the RPC client and a copy of
 * the contract's address: a stop that closes the connection meanwhile does
 * not pull them from under the worker.
 */
#include "bfk-backend-private.h"

#include "bfk-contract.h"

typedef struct
{
  BfkRpcClient *rpc;
  BfkAddress    contract;
  GArray       *backers;   /* of BfkAddress */
} ReadData;

static void
read_data_free (gpointer data)
{
  ReadData *d = data;

  g_clear_pointer (&d->rpc, bfk_rpc_client_unref);
  g_array_unref (d->backers);
  g_free (d);
}

static void
read_backers_thread (GTask        *task,
                     gpointer      source,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  ReadData *d = task_data;
  g_autoptr(GArray) out = g_array_sized_new (FALSE, TRUE, sizeof (BfkBackerInfo), d->backers->len);
  GError *error = NULL;

  for (guint i = 0; i < d->backers->len; i++)
    {
      BfkBackerInfo info;

      if (g_task_return_error_if_cancelled (task))
        return;
      if (!bfk_contract_read_backer (d->rpc, &d->contract, &g_array_index (d->backers, BfkAddress, i),
                                     &info, &error))
        {
          g_task_return_error (task, error);
          return;
        }
      g_array_append_val (out, info);
    }
  g_task_return_pointer (task, g_steal_pointer (&out), (GDestroyNotify) g_array_unref);
}

/* On the backend thread: the connection is there as long as it runs. */
static void
run_read_backers (BfkBackend *self,
                  GTask      *task)
{
  ReadData *d = g_task_get_task_data (task);

  if (!self->conn || !self->conn->has_contract)
    {
      g_task_return_new_error (task, BFK_BACKEND_ERROR, BFK_BACKEND_ERROR_NOT_RUNNING,
                               "The backend has no contract yet");
      return;
    }
  d->rpc = bfk_rpc_client_ref (self->conn->rpc);
  d->contract = self->conn->contract;
  g_task_run_in_thread (task, read_backers_thread);
}

void
bfk_backend_read_backers_async (BfkBackend          *self,
                                const BfkAddress    *backers,
                                guint                n_backers,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  ReadData *d;

  g_return_if_fail (BFK_IS_BACKEND (self));
  g_return_if_fail (backers || n_backers == 0);

  d = g_new0 (ReadData, 1);
  d->backers = g_array_sized_new (FALSE, FALSE, sizeof (BfkAddress), n_backers);
  g_array_append_vals (d->backers, backers, n_backers);
  bfk_backend_call (self, bfk_backend_read_backers_async, run_read_backers, d, read_data_free,
                    cancellable, callback, user_data);
}

GArray *
bfk_backend_read_backers_finish (BfkBackend    *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return bfk_backend_propagate_pointer (self, result, error);
}
