/* bfk-op-tracker.c: rows of the operations a page queued, kept live. */
#include <glib/gi18n.h>

#include "bfk-op-tracker.h"
#include "bfk-operation-text.h"

/* A page shows what it just did, not a history: the Transactions page
 * keeps that. */
#define MAX_ROWS 5

struct _BfkOpTracker
{
  AdwPreferencesGroup  parent_instance;

  GArray              *ids;    /* gint64, oldest first */
  GPtrArray           *rows;   /* AdwActionRow, in the same order */
};

G_DEFINE_FINAL_TYPE (BfkOpTracker, bfk_op_tracker, ADW_TYPE_PREFERENCES_GROUP)

static void
set_suffix (AdwActionRow *row,
            BfkOpState    state)
{
  GtkWidget *old = g_object_get_data (G_OBJECT (row), "bfk-suffix");
  GtkWidget *suffix;

  if (old && GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "bfk-state")) == (gint) state + 1)
    return;
  if (old)
    adw_action_row_remove (row, old);
  if (state == BFK_OP_CONFIRMED)
    suffix = gtk_image_new_from_icon_name ("emblem-ok-symbolic");
  else if (state == BFK_OP_FAILED || state == BFK_OP_REPLACED)
    suffix = gtk_image_new_from_icon_name ("dialog-error-symbolic");
  else
    /* Not a spinner: an endless animation keeps the main loop busy, and
     * the session's low-priority check for changes would wait behind it. */
    suffix = gtk_image_new_from_icon_name (state == BFK_OP_QUEUED ? "content-loading-symbolic"
                                                                  : "emblem-synchronizing-symbolic");
  adw_action_row_add_suffix (row, suffix);
  g_object_set_data (G_OBJECT (row), "bfk-suffix", suffix);
  g_object_set_data (G_OBJECT (row), "bfk-state", GINT_TO_POINTER ((gint) state + 1));
}

static void
update_row (AdwActionRow    *row,
            const BfkOpInfo *info)
{
  const gchar *state = bfk_operation_state_label (bfk_op_state_to_string (info->state));
  g_autofree gchar *title = g_strdup_printf (_("Operation %lld: %s"), (long long) info->id,
                                             bfk_operation_kind_label (bfk_op_kind_to_string (info->kind)));
  g_autofree gchar *subtitle = NULL;

  if (info->state == BFK_OP_FAILED && info->reason)
    subtitle = g_strdup_printf ("%s — %s", state, info->reason);
  else
    subtitle = g_strdup_printf ("%s — %s", state, info->summary);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (row, subtitle);
  set_suffix (row, info->state);
}

void
bfk_op_tracker_refresh (BfkOpTracker *self,
                        BfkStore     *store)
{
  g_return_if_fail (BFK_IS_OP_TRACKER (self));

  for (guint i = 0; store && i < self->ids->len; i++)
    {
      g_autoptr(GError) error = NULL;
      BfkOpInfo *info = bfk_outbox_get (store, g_array_index (self->ids, gint64, i), &error);

      if (!info)
        continue;   /* not visible to this connection yet: the next change brings it */
      update_row (self->rows->pdata[i], info);
      bfk_op_info_free (info);
    }
  gtk_widget_set_visible (GTK_WIDGET (self), self->ids->len > 0);
}

void
bfk_op_tracker_add (BfkOpTracker *self,
                    gint64        op_id)
{
  GtkWidget *row;
  g_autofree gchar *title = NULL;

  g_return_if_fail (BFK_IS_OP_TRACKER (self));

  if (self->ids->len == MAX_ROWS)
    {
      adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self), self->rows->pdata[0]);
      g_ptr_array_remove_index (self->rows, 0);
      g_array_remove_index (self->ids, 0);
    }
  row = adw_action_row_new ();
  title = g_strdup_printf (_("Operation %lld"), (long long) op_id);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), bfk_operation_state_label ("queued"));
  set_suffix (ADW_ACTION_ROW (row), BFK_OP_QUEUED);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), row);
  g_array_append_val (self->ids, op_id);
  g_ptr_array_add (self->rows, row);
  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
}

gint64
bfk_op_tracker_get_last (BfkOpTracker *self)
{
  g_return_val_if_fail (BFK_IS_OP_TRACKER (self), 0);
  return self->ids->len ? g_array_index (self->ids, gint64, self->ids->len - 1) : 0;
}

typedef struct
{
  BfkSession   *session;
  BfkOpTracker *tracker;   /* weak: the page may be gone */
  gchar        *what;
} SubmitData;

static void
on_enqueued (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  SubmitData *d = user_data;
  g_autoptr(GError) error = NULL;
  gint64 id = bfk_backend_enqueue_audited_finish (BFK_BACKEND (source), result, &error);

  if (id > 0)
    {
      bfk_session_toast (d->session, _("%s queued: operation %lld"), d->what, (long long) id);
      if (d->tracker)
        {
          bfk_op_tracker_add (d->tracker, id);
          bfk_op_tracker_refresh (d->tracker, bfk_session_get_store (d->session));
        }
    }
  else
    bfk_session_toast (d->session, _("%s not queued: %s"), d->what, error->message);
  g_clear_weak_pointer (&d->tracker);
  g_object_unref (d->session);
  g_free (d->what);
  g_free (d);
}

void
bfk_op_tracker_submit (BfkOpTracker       *self,
                       BfkSession         *session,
                       const BfkAddress   *signer,
                       const BfkOpRequest *request,
                       const gchar        *audit_action,
                       const gchar        *audit_subject,
                       const gchar        *what)
{
  SubmitData *d = g_new0 (SubmitData, 1);

  g_return_if_fail (BFK_IS_SESSION (session));

  d->session = g_object_ref (session);
  g_set_weak_pointer (&d->tracker, self);
  d->what = g_strdup (what);
  bfk_backend_enqueue_audited_async (bfk_session_get_backend (session), signer, request,
                                     audit_action, audit_subject, NULL, on_enqueued, d);
}

static void
bfk_op_tracker_finalize (GObject *object)
{
  BfkOpTracker *self = BFK_OP_TRACKER (object);

  g_array_unref (self->ids);
  g_ptr_array_unref (self->rows);
  G_OBJECT_CLASS (bfk_op_tracker_parent_class)->finalize (object);
}

static void
bfk_op_tracker_class_init (BfkOpTrackerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bfk_op_tracker_finalize;
}

static void
bfk_op_tracker_init (BfkOpTracker *self)
{
  self->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->rows = g_ptr_array_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self), _("Just Now"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self),
                                         _("What you asked for, as the network carries it out."));
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}
