/* bfk-unlock-dialog.c: a keystore file and its password, to a signer. */
#include <glib/gi18n.h>
#include <string.h>

#include "bfk-chain-error.h"
#include "bfk-format.h"
#include "bfk-keystore.h"
#include "bfk-unlock-dialog.h"

struct _BfkUnlockDialog
{
  AdwWindow             parent_instance;

  BfkSession           *session;
  BfkAddress            expected;
  gboolean              has_expected;
  GFile                *file;
  GtkFileChooserNative *chooser;
  gboolean              busy;
  GCancellable         *cancellable;   /* cancelled when the dialog goes */

  GtkLabel             *intro;
  AdwActionRow         *file_row;
  AdwPasswordEntryRow  *password_row;
  GtkSpinner           *spinner;
  GtkLabel             *status_label;
};

G_DEFINE_FINAL_TYPE (BfkUnlockDialog, bfk_unlock_dialog, ADW_TYPE_WINDOW)

enum
{
  SIGNAL_UNLOCKED,
  N_SIGNALS,
};

static guint signals[N_SIGNALS];

static void
update_sensitivity (BfkUnlockDialog *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "unlock.unlock",
                                 !self->busy && self->file
                                 && *gtk_editable_get_text (GTK_EDITABLE (self->password_row)));
}

static void
set_status (BfkUnlockDialog *self,
            const gchar     *text,
            gboolean         busy,
            gboolean         error)
{
  self->busy = busy;
  gtk_label_set_text (self->status_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
  update_sensitivity (self);
}

void
bfk_unlock_dialog_set_file (BfkUnlockDialog *self,
                            GFile           *file)
{
  g_autofree gchar *name = NULL;

  g_return_if_fail (BFK_IS_UNLOCK_DIALOG (self));

  g_set_object (&self->file, file);
  name = file ? g_file_get_basename (file) : NULL;
  adw_action_row_set_subtitle (self->file_row, name ? name : _("None chosen"));
  set_status (self, "", FALSE, FALSE);
  if (file)
    gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}

static void
on_chooser_response (BfkUnlockDialog *self,
                     gint             response)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (self->chooser));

      bfk_unlock_dialog_set_file (self, file);
    }
  g_clear_object (&self->chooser);
}

static void
choose_action (GtkWidget   *widget,
               const gchar *action_name,
               GVariant    *parameter)
{
  BfkUnlockDialog *self = BFK_UNLOCK_DIALOG (widget);
  g_autoptr(GtkFileFilter) filter = NULL;

  if (self->chooser)
    return;   /* already open */
  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("Keystore files (JSON)"));
  gtk_file_filter_add_pattern (filter, "*.json");
  gtk_file_filter_add_pattern (filter, "UTC--*");
  self->chooser = gtk_file_chooser_native_new (_("Choose the Backer's Keystore"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Choose"), _("_Cancel"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  g_signal_connect_swapped (self->chooser, "response", G_CALLBACK (on_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* --- decrypting, off the main thread ------------------------------------------ */

typedef struct
{
  gchar *path;
  gchar *password;
} LoadData;

static void
load_data_free (gpointer data)
{
  LoadData *d = data;

  g_free (d->path);
  if (d->password)
    {
      explicit_bzero (d->password, strlen (d->password));
      g_free (d->password);
    }
  g_free (d);
}

static void
key_free (gpointer key)
{
  bfk_private_key_wipe (key);
  g_free (key);
}

static void
load_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *d = task_data;
  BfkPrivateKey *key = g_new0 (BfkPrivateKey, 1);
  GError *error = NULL;

  if (!bfk_keystore_load (d->path, d->password, strlen (d->password), key, &error))
    {
      key_free (key);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, key, key_free);
}

static void
on_signer_added (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(BfkUnlockDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean added = bfk_backend_add_signer_finish (BFK_BACKEND (source), result, &error);

  /* Closed meanwhile: the backend keeps the key, nobody waits for it. */
  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  if (!added)
    {
      g_autofree gchar *text = g_strdup_printf (_("The backend did not take the key: %s"), error->message);

      set_status (self, text, FALSE, TRUE);
      return;
    }
  set_status (self, "", FALSE, FALSE);
  g_signal_emit (self, signals[SIGNAL_UNLOCKED], 0);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_loaded (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(BfkUnlockDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  BfkPrivateKey *key = g_task_propagate_pointer (G_TASK (result), &error);
  BfkAddress address;

  /* Closed while the keystore was decrypted: nothing to show, nothing to add. */
  if (g_cancellable_is_cancelled (self->cancellable))
    {
      g_clear_pointer (&key, key_free);
      return;
    }
  if (!key)
    {
      if (g_error_matches (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_KEYSTORE_PASSWORD))
        set_status (self, _("Wrong password for this keystore. Type it again."), FALSE, TRUE);
      else if (g_error_matches (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_KEYSTORE_FORMAT))
        set_status (self, _("This file is not a keystore the console can read. Choose the backer's .json keystore."),
                    FALSE, TRUE);
      else
        {
          g_autofree gchar *text = g_strdup_printf (_("The keystore could not be read: %s"), error->message);

          set_status (self, text, FALSE, TRUE);
        }
      gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
      return;
    }
  if (!bfk_private_key_to_address (key, &address, NULL)
      || (self->has_expected && !bfk_address_equal (&address, &self->expected)))
    {
      gchar text[BFK_ADDRESS_STRING_SIZE];
      g_autofree gchar *short_text = NULL, *message = NULL;

      bfk_address_to_string_buf (&address, text);
      short_text = bfk_format_short_hash (text);
      message = g_strdup_printf (_("This keystore holds the key of %s, not of this backer. Choose the backer's own file."),
                                 short_text);
      set_status (self, message, FALSE, TRUE);
      key_free (key);
      return;
    }
  set_status (self, _("Handing the key to the backend…"), TRUE, FALSE);
  bfk_backend_add_signer_async (bfk_session_get_backend (self->session), key, self->cancellable, on_signer_added,
                                g_object_ref (self));
  key_free (key);
}

static void
unlock_action (GtkWidget   *widget,
               const gchar *action_name,
               GVariant    *parameter)
{
  BfkUnlockDialog *self = BFK_UNLOCK_DIALOG (widget);
  g_autoptr(GTask) task = NULL;
  LoadData *d;

  if (self->busy || !self->file)
    return;
  d = g_new0 (LoadData, 1);
  d->path = g_file_get_path (self->file);
  d->password = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->password_row)));
  if (!d->path)
    {
      load_data_free (d);
      set_status (self, _("Choose a file on this computer."), FALSE, TRUE);
      return;
    }
  set_status (self, _("Decrypting the keystore…"), TRUE, FALSE);
  task = g_task_new (NULL, NULL, on_loaded, g_object_ref (self));
  /* The check is on_loaded's: the key is freed there whatever happened. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, d, load_data_free);
  g_task_run_in_thread (task, load_thread);
}

static void
on_password_activated (BfkUnlockDialog *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "unlock.unlock", NULL);
}

BfkUnlockDialog *
bfk_unlock_dialog_new (GtkWindow        *parent,
                       BfkSession       *session,
                       const BfkAddress *expected)
{
  BfkUnlockDialog *self = g_object_new (BFK_TYPE_UNLOCK_DIALOG, "transient-for", parent, NULL);
  g_autofree gchar *intro = NULL;

  self->session = g_object_ref (session);
  if (expected)
    {
      gchar text[BFK_ADDRESS_STRING_SIZE];

      self->expected = *expected;
      self->has_expected = TRUE;
      bfk_address_to_string_buf (expected, text);
      intro = g_strdup_printf (_("Recharges are signed by the backer %s. Choose its keystore file and type its "
                                 "password: the console keeps the key in memory until it stops, and never "
                                 "writes it anywhere."), text);
    }
  else
    intro = g_strdup (_("Choose a backer's keystore file and type its password: the console keeps the key in "
                        "memory until it stops, and never writes it anywhere."));
  gtk_label_set_text (self->intro, intro);
  return self;
}

static void
bfk_unlock_dialog_dispose (GObject *object)
{
  BfkUnlockDialog *self = BFK_UNLOCK_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  if (self->chooser)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_object (&self->file);
  g_clear_object (&self->session);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), BFK_TYPE_UNLOCK_DIALOG);
  G_OBJECT_CLASS (bfk_unlock_dialog_parent_class)->dispose (object);
}

static void
bfk_unlock_dialog_class_init (BfkUnlockDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = bfk_unlock_dialog_dispose;
  signals[SIGNAL_UNLOCKED] =
    g_signal_new ("unlocked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/bafoka/Console/pages/bfk-unlock-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, BfkUnlockDialog, intro);
  gtk_widget_class_bind_template_child (widget_class, BfkUnlockDialog, file_row);
  gtk_widget_class_bind_template_child (widget_class, BfkUnlockDialog, password_row);
  gtk_widget_class_bind_template_child (widget_class, BfkUnlockDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, BfkUnlockDialog, status_label);
  gtk_widget_class_bind_template_callback (widget_class, on_password_activated);
  gtk_widget_class_bind_template_callback (widget_class, update_sensitivity);
  gtk_widget_class_install_action (widget_class, "unlock.choose", NULL, choose_action);
  gtk_widget_class_install_action (widget_class, "unlock.unlock", NULL, unlock_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
bfk_unlock_dialog_init (BfkUnlockDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  update_sensitivity (self);
}
