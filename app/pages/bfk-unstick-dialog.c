/* bfk-unstick-dialog.c: the confirmation of a fee bump or a cancel. */
#include <glib/gi18n.h>

#include "bfk-confirm.h"
#include "bfk-unstick-dialog.h"

typedef struct
{
  BfkSession     *session;
  gint64          op_id;
  BfkStuckAction  action;
} Request;

static Request *
request_new (BfkSession     *session,
             gint64          op_id,
             BfkStuckAction  action)
{
  Request *r = g_new0 (Request, 1);

  r->session = g_object_ref (session);
  r->op_id = op_id;
  r->action = action;
  return r;
}

static void
request_free (Request *r)
{
  g_clear_object (&r->session);
  g_free (r);
}

static void
request_notify (gpointer  data,
                GClosure *closure)
{
  request_free (data);
}

static void
unstick_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Request *r = user_data;
  g_autoptr(GError) error = NULL;

  if (!bfk_backend_unstick_finish (BFK_BACKEND (source), result, &error))
    bfk_session_toast (r->session,
                       r->action == BFK_STUCK_BUMP
                         ? _("Transaction %lld could not be sent again: %s")
                         : _("Transaction %lld could not be cancelled: %s"),
                       (long long) r->op_id, error->message);
  else if (r->action == BFK_STUCK_BUMP)
    bfk_session_toast (r->session, _("Transaction %lld is being sent again with higher fees"),
                       (long long) r->op_id);
  else
    bfk_session_toast (r->session, _("Transaction %lld is being cancelled"), (long long) r->op_id);
  request_free (r);
}

static void
on_confirm (AdwMessageDialog *dialog,
            const gchar      *response,
            Request          *r)
{
  bfk_backend_unstick_async (bfk_session_get_backend (r->session), r->op_id, r->action, NULL,
                             unstick_done, request_new (r->session, r->op_id, r->action));
}

AdwMessageDialog *
bfk_unstick_dialog_present (GtkWidget      *parent,
                            BfkSession     *session,
                            gint64          op_id,
                            const gchar    *state,
                            BfkStuckAction  action)
{
  g_autofree gchar *heading = NULL;
  g_autofree gchar *body = NULL;
  AdwMessageDialog *dialog;

  if (action == BFK_STUCK_BUMP)
    {
      heading = g_strdup (_("Raise the Fees?"));
      body = g_strdup_printf (_("Send transaction %lld again with fees raised by at "
                                "least 13%%? The network keeps whichever is mined first; the "
                                "higher fee is paid only once."), (long long) op_id);
    }
  else
    {
      heading = g_strdup_printf (_("Cancel Transaction %lld?"), (long long) op_id);
      /* A queued operation was never sent: it leaves the queue for free. */
      if (g_strcmp0 (state, "queued") == 0)
        body = g_strdup (_("It has not been sent yet: it is removed from the queue, and nothing "
                           "is paid. What it was to do will not happen."));
      else
        body = g_strdup (_("It is replaced by an empty transaction at the same nonce; that costs "
                           "a small fee. What it was to do will not happen, unless the network "
                           "mines the original first."));
    }

  dialog = bfk_confirm_present (parent, heading, body,
                                action == BFK_STUCK_BUMP ? _("_Raise Fees") : _("Cancel _Transaction"),
                                action == BFK_STUCK_CANCEL);
  /* "Cancel" next to "Cancel Transaction" would be a riddle. */
  if (action == BFK_STUCK_CANCEL)
    adw_message_dialog_set_response_label (dialog, "cancel", _("_Keep It"));
  g_signal_connect_data (dialog, "response::confirm", G_CALLBACK (on_confirm),
                         request_new (session, op_id, action), request_notify, 0);
  return dialog;
}
