/* bfk-welcome-window.c: the first run: network, key, WhatsApp. */
#include <errno.h>
#include <glib/gi18n.h>
#include <string.h>

#include "bfk-chain-error.h"
#include "bfk-config.h"
#include "bfk-keystore.h"
#include "bfk-welcome-window.h"

#define MIN_PASSWORD 8

typedef enum
{
  KEY_CREATE,
  KEY_IMPORT,
  KEY_EXISTING,
} KeyMode;

struct _BfkWelcomeWindow
{
  AdwWindow       parent_instance;

  GtkStack       *steps;
  GtkWidget      *app_icon;
  GtkCheckButton *amoy_check;
  GtkCheckButton *polygon_check;
  GtkCheckButton *custom_check;
  GtkWidget      *rpc_row;
  GtkWidget      *chain_id_row;
  GtkLabel       *network_error;
  GtkCheckButton *create_check;
  GtkCheckButton *import_check;
  GtkCheckButton *existing_check;
  AdwActionRow   *existing_row;
  AdwActionRow   *file_row;
  AdwComboRow    *existing_combo;
  GtkWidget      *password_row;
  GtkWidget      *confirm_row;
  GtkLabel       *password_note;
  GtkLabel       *key_error;
  GtkSpinner     *key_spinner;
  GtkWidget      *key_next;
  GtkWidget      *sid_row;
  GtkWidget      *token_row;
  GtkWidget      *number_row;
  GtkWidget      *public_url_row;
  GtkLabel       *finish_error;

  gchar          *data_dir;
  GtkStringList  *existing;      /* paths of the keystores in the data folder */
  gchar          *import_path;
  gchar          *keystore;      /* set once the key step succeeded */
  gchar          *password_file;
  GCancellable   *cancellable;
};

G_DEFINE_FINAL_TYPE (BfkWelcomeWindow, bfk_welcome_window, ADW_TYPE_WINDOW)

enum { FINISHED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
show_error (GtkLabel    *label,
            const gchar *text)
{
  gtk_label_set_label (label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL);
}

static const gchar *
text_of (GtkWidget *editable)
{
  return gtk_editable_get_text (GTK_EDITABLE (editable));
}

/* Writes values to bafoka.conf and hands over to the application. */
static gboolean
finish_with (BfkWelcomeWindow *self,
             GHashTable       *values,
             GtkLabel         *error_label)
{
  g_autoptr(GError) error = NULL;

  if (!bfk_config_save (values, &error))
    {
      show_error (error_label, error->message);
      return FALSE;
    }
  g_signal_emit (self, signals[FINISHED], 0);
  return TRUE;
}

static GHashTable *
values_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
}

/* --- 1. the network --------------------------------------------------------- */

static void
on_local_clicked (BfkWelcomeWindow *self)
{
  g_autoptr(GHashTable) values = values_new ();

  /* anvil, the deployment and its dev key are the backend's to do. */
  g_hash_table_insert (values, "BAFOKA_NETWORK", g_strdup ("local"));
  finish_with (self, values, self->network_error);
}

static void
on_network_toggled (BfkWelcomeWindow *self)
{
  gboolean custom = gtk_check_button_get_active (self->custom_check);

  gtk_widget_set_visible (self->rpc_row, custom);
  gtk_widget_set_visible (self->chain_id_row, custom);
  show_error (self->network_error, NULL);
}

static void
on_network_next (BfkWelcomeWindow *self)
{
  guint64 id;

  if (gtk_check_button_get_active (self->custom_check))
    {
      if (!*text_of (self->rpc_row))
        {
          show_error (self->network_error, _("Type the address of the network’s node, such as https://rpc.example.org."));
          return;
        }
      if (!g_ascii_string_to_unsigned (text_of (self->chain_id_row), 10, 1, G_MAXUINT64 / 2, &id, NULL))
        {
          show_error (self->network_error, _("The chain ID is a whole number, such as 80002."));
          return;
        }
    }
  show_error (self->network_error, NULL);
  gtk_stack_set_visible_child_name (self->steps, "keystore");
}

/* --- 2. the key --------------------------------------------------------------- */

static KeyMode
key_mode (BfkWelcomeWindow *self)
{
  if (gtk_check_button_get_active (self->import_check))
    return KEY_IMPORT;
  if (gtk_check_button_get_active (self->existing_check))
    return KEY_EXISTING;
  return KEY_CREATE;
}

static void
on_key_mode_toggled (BfkWelcomeWindow *self)
{
  KeyMode mode = key_mode (self);

  gtk_widget_set_visible (GTK_WIDGET (self->file_row), mode == KEY_IMPORT);
  gtk_widget_set_visible (GTK_WIDGET (self->existing_combo), mode == KEY_EXISTING);
  gtk_widget_set_visible (self->confirm_row, mode == KEY_CREATE);
  gtk_button_set_label (GTK_BUTTON (self->key_next), mode == KEY_CREATE ? _("_Create the Key") : _("_Unlock"));
  show_error (self->key_error, NULL);
}

static void
find_existing (BfkWelcomeWindow *self)
{
  g_autofree gchar *dir = g_build_filename (self->data_dir, "keystores", NULL);
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  const gchar *name;

  self->existing = gtk_string_list_new (NULL);
  while (listing && (name = g_dir_read_name (listing)))
    {
      g_autofree gchar *path = g_build_filename (dir, name, NULL);
      BfkAddress address;
      gchar text[BFK_ADDRESS_STRING_SIZE];

      if (!bfk_keystore_peek_address (path, &address, NULL))
        continue;
      bfk_address_to_string_buf (&address, text);
      gtk_string_list_append (self->existing, path);
      gtk_string_list_append (names, text);
    }
  adw_combo_row_set_model (self->existing_combo, G_LIST_MODEL (names));
  if (g_list_model_get_n_items (G_LIST_MODEL (self->existing)) == 0)
    {
      g_autofree gchar *none = g_strdup_printf (_("None found in %s"), dir);

      adw_action_row_set_subtitle (self->existing_row, none);
      gtk_widget_set_sensitive (GTK_WIDGET (self->existing_row), FALSE);
    }
}

static void
on_file_chosen (GtkNativeDialog  *dialog,
                gint              response,
                BfkWelcomeWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      g_free (self->import_path);
      self->import_path = file ? g_file_get_path (file) : NULL;
      adw_action_row_set_subtitle (self->file_row, self->import_path ? self->import_path : _("None chosen"));
    }
  g_object_unref (dialog);
}

static void
on_choose_file (BfkWelcomeWindow *self)
{
  GtkFileChooserNative *dialog = gtk_file_chooser_native_new (_("Keystore File"), GTK_WINDOW (self),
                                                              GTK_FILE_CHOOSER_ACTION_OPEN,
                                                              _("_Open"), _("_Cancel"));
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Keystore files (JSON)"));
  gtk_file_filter_add_pattern (filter, "*.json");
  gtk_file_filter_add_pattern (filter, "UTC--*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  /* Modal: the window cannot go away under its chooser. */
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_file_chosen), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

typedef struct
{
  KeyMode  mode;
  gchar   *source;
  gchar   *password;
  gchar   *data_dir;
} KeyJob;

static void
key_job_free (KeyJob *job)
{
  g_free (job->source);
  if (job->password)
    explicit_bzero (job->password, strlen (job->password));
  g_free (job->password);
  g_free (job->data_dir);
  g_free (job);
}

/* geth's file name, so that the folder can be shared with it. */
static gchar *
keystore_name (const BfkAddress *address)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree gchar *stamp = g_date_time_format (now, "%Y-%m-%dT%H-%M-%S");
  gchar text[BFK_ADDRESS_STRING_SIZE];
  g_autofree gchar *lower = NULL;

  bfk_address_to_string_buf (address, text);
  lower = g_ascii_strdown (text + 2, -1);
  return g_strdup_printf ("UTC--%s.000000000Z--%s.json", stamp, lower);
}

/* The keystore's path in the data folder, its password checked or set.
 * scrypt takes a second and 256 MiB: never on the main thread. */
static gchar *
run_key_job (KeyJob  *job,
             GError **error)
{
  g_auto(BfkPrivateKey) key = { 0 };
  g_autofree gchar *dir = g_build_filename (job->data_dir, "keystores", NULL);
  gsize len = strlen (job->password);
  BfkAddress address;
  g_autofree gchar *path = NULL;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno), _("Cannot create %s"), dir);
      return NULL;
    }
  switch (job->mode)
    {
    case KEY_CREATE:
      if (!bfk_private_key_generate (&key, error) || !bfk_private_key_to_address (&key, &address, error))
        return NULL;
      {
        g_autofree gchar *name = keystore_name (&address);

        path = g_build_filename (dir, name, NULL);
      }
      if (!bfk_keystore_save (path, &key, job->password, len, NULL, error))
        return NULL;
      break;
    case KEY_IMPORT:
      {
        g_autofree gchar *contents = NULL;
        g_autofree gchar *base = g_path_get_basename (job->source);
        gsize size;

        if (!bfk_keystore_load (job->source, job->password, len, &key, error)
            || !g_file_get_contents (job->source, &contents, &size, error))
          return NULL;
        path = g_build_filename (dir, base, NULL);
        if (g_strcmp0 (path, job->source) != 0
            && !g_file_set_contents_full (path, contents, size, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
          return NULL;
      }
      break;
    case KEY_EXISTING:
    default:
      if (!bfk_keystore_load (job->source, job->password, len, &key, error))
        return NULL;
      path = g_strdup (job->source);
      break;
    }
  return g_steal_pointer (&path);
}

static void
key_thread (GTask        *task,
            gpointer      source,
            gpointer      task_data,
            GCancellable *cancellable)
{
  KeyJob *job = task_data;
  GError *error = NULL;
  gchar *path = run_key_job (job, &error);

  if (path)
    g_task_return_pointer (task, path, g_free);
  else
    g_task_return_error (task, error);
}

static gchar *
password_file_path (BfkWelcomeWindow *self)
{
  return g_build_filename (self->data_dir, "operator-password", NULL);
}

static void
key_done (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  BfkWelcomeWindow *self = BFK_WELCOME_WINDOW (source);
  g_autoptr(GError) error = NULL;
  g_autofree gchar *path = g_task_propagate_pointer (G_TASK (result), &error);
  g_autofree gchar *password_file = NULL;
  g_autofree gchar *line = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_spinner_stop (self->key_spinner);
  gtk_widget_set_sensitive (self->key_next, TRUE);
  if (!path)
    {
      /* The form stays as it was: the person only retypes the password. */
      if (g_error_matches (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_KEYSTORE_PASSWORD))
        show_error (self->key_error, _("This password does not open the key. Check it and try again."));
      else
        show_error (self->key_error, error->message);
      return;
    }

  /* The backend unlocks the key at each start from this file. */
  password_file = password_file_path (self);
  /* The password that opened the key, not what the field holds now. */
  line = g_strconcat (((KeyJob *) g_task_get_task_data (G_TASK (result)))->password, "\n", NULL);
  if (!g_file_set_contents_full (password_file, line, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    {
      explicit_bzero (line, strlen (line));
      show_error (self->key_error, error->message);
      return;
    }
  explicit_bzero (line, strlen (line));
  g_free (self->keystore);
  self->keystore = g_steal_pointer (&path);
  g_free (self->password_file);
  self->password_file = g_steal_pointer (&password_file);
  gtk_stack_set_visible_child_name (self->steps, "whatsapp");
}

static void
on_key_next (BfkWelcomeWindow *self)
{
  const gchar *password = text_of (self->password_row);
  KeyMode mode = key_mode (self);
  g_autoptr(GTask) task = NULL;
  KeyJob *job;

  if (mode == KEY_CREATE && g_utf8_strlen (password, -1) < MIN_PASSWORD)
    {
      g_autofree gchar *text = g_strdup_printf (_("Choose a password of at least %d characters."), MIN_PASSWORD);

      show_error (self->key_error, text);
      return;
    }
  if (mode == KEY_CREATE && !g_str_equal (password, text_of (self->confirm_row)))
    {
      show_error (self->key_error, _("The two passwords differ: type the same password twice."));
      return;
    }
  if (mode == KEY_IMPORT && !self->import_path)
    {
      show_error (self->key_error, _("Choose the keystore file to import."));
      return;
    }
  if (!*password)
    {
      show_error (self->key_error, _("Type the key’s password."));
      return;
    }
  show_error (self->key_error, NULL);

  job = g_new0 (KeyJob, 1);
  job->mode = mode;
  job->password = g_strdup (password);
  job->data_dir = g_strdup (self->data_dir);
  if (mode == KEY_IMPORT)
    job->source = g_strdup (self->import_path);
  else if (mode == KEY_EXISTING)
    job->source = g_strdup (gtk_string_list_get_string (self->existing,
                                                        adw_combo_row_get_selected (self->existing_combo)));
  gtk_spinner_start (self->key_spinner);
  gtk_widget_set_sensitive (self->key_next, FALSE);
  task = g_task_new (self, self->cancellable, key_done, NULL);
  g_task_set_task_data (task, job, (GDestroyNotify) key_job_free);
  g_task_run_in_thread (task, key_thread);
}

static void
on_back (BfkWelcomeWindow *self)
{
  const gchar *step = gtk_stack_get_visible_child_name (self->steps);

  gtk_stack_set_visible_child_name (self->steps, g_str_equal (step, "whatsapp") ? "keystore" : "network");
}

/* --- 3. WhatsApp, and the end ------------------------------------------------- */

static void
finish (BfkWelcomeWindow *self,
        gboolean          with_twilio)
{
  g_autoptr(GHashTable) values = values_new ();
  const gchar *network = "amoy";

  if (gtk_check_button_get_active (self->polygon_check))
    network = "polygon";
  else if (gtk_check_button_get_active (self->custom_check))
    {
      network = "custom";
      g_hash_table_insert (values, "BAFOKA_RPC_URL", g_strdup (text_of (self->rpc_row)));
      g_hash_table_insert (values, "BAFOKA_CHAIN_ID", g_strdup (text_of (self->chain_id_row)));
    }
  g_hash_table_insert (values, "BAFOKA_NETWORK", g_strdup (network));
  g_hash_table_insert (values, "BAFOKA_KEYSTORE", g_strdup (self->keystore));
  g_hash_table_insert (values, "BAFOKA_KEYSTORE_PASSWORD_FILE", g_strdup (self->password_file));
  if (with_twilio)
    {
      g_hash_table_insert (values, "TWILIO_ACCOUNT_SID", g_strstrip (g_strdup (text_of (self->sid_row))));
      g_hash_table_insert (values, "TWILIO_AUTH_TOKEN", g_strstrip (g_strdup (text_of (self->token_row))));
      g_hash_table_insert (values, "TWILIO_WHATSAPP_NUMBER", g_strstrip (g_strdup (text_of (self->number_row))));
      g_hash_table_insert (values, "BAFOKA_PUBLIC_URL", g_strstrip (g_strdup (text_of (self->public_url_row))));
    }
  finish_with (self, values, self->finish_error);
}

static void
on_finish (BfkWelcomeWindow *self)
{
  if (!*text_of (self->sid_row) || !*text_of (self->token_row) || !*text_of (self->number_row))
    {
      show_error (self->finish_error,
                  _("Twilio needs the account SID, the auth token and the WhatsApp number; or use the simulator only."));
      return;
    }
  finish (self, TRUE);
}

static void
on_skip (BfkWelcomeWindow *self)
{
  finish (self, FALSE);
}

/* --- the window ---------------------------------------------------------------- */

BfkWelcomeWindow *
bfk_welcome_window_new (GtkApplication *application)
{
  return g_object_new (BFK_TYPE_WELCOME_WINDOW, "application", application, NULL);
}

const gchar *
bfk_welcome_window_get_step (BfkWelcomeWindow *self)
{
  g_return_val_if_fail (BFK_IS_WELCOME_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->steps);
}

const gchar *
bfk_welcome_window_get_data_dir (BfkWelcomeWindow *self)
{
  g_return_val_if_fail (BFK_IS_WELCOME_WINDOW (self), NULL);
  return self->data_dir;
}

static void
bfk_welcome_window_dispose (GObject *object)
{
  BfkWelcomeWindow *self = BFK_WELCOME_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->existing);
  G_OBJECT_CLASS (bfk_welcome_window_parent_class)->dispose (object);
}

static void
bfk_welcome_window_finalize (GObject *object)
{
  BfkWelcomeWindow *self = BFK_WELCOME_WINDOW (object);

  g_free (self->data_dir);
  g_free (self->import_path);
  g_free (self->keystore);
  g_free (self->password_file);
  G_OBJECT_CLASS (bfk_welcome_window_parent_class)->finalize (object);
}

static void
bfk_welcome_window_class_init (BfkWelcomeWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bfk_welcome_window_dispose;
  object_class->finalize = bfk_welcome_window_finalize;

  /* Emitted once bafoka.conf is written: the console may open. */
  signals[FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/bafoka/Console/bfk-welcome-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BfkWelcomeWindow, steps);
  gtk_widget_class_bind_template_child (widget_class, BfkWelcomeWindow, app_icon);
  gtk_widget_class_bind_template_child (widget_class, BfkWelcomeWindow, amoy_check);
  gtk_widget_class_bind_template_child (widget_class, BfkWelcomeWindow, polygon_check);
  gtk_widget_class_bind_template_child (widget_class, BfkWelcomeWindow, custom_check);
  gtk_widget_class_bind_template_child (widget_class, BfkWelcomeWindow, rpc_row);
  gtk_widget_class_bind_template_child (widget_class, BfkWelcomeWindow, chain_id_row);
  gtk_widget_class_bind_template_child (widget_class, BfkWelcomeWindow, network_error);
  gtk_widget_class_bind_template_child (widget_class, BfkWelcomeWindow, create_check);
  gtk_widget_class_bind_template_child (widget_class, BfkWelcomeWindow, import_check);
  gtk_widget_class_bind_template_child (widget_class, BfkWelcomeWindow, existing_check);
  gtk_widget_class_bind_template_child (widget_class, BfkWelcomeWindow, existing_row);
  gtk_widget_class_bind_template_child (widget_class, BfkWelcomeWindow, file_row);
  gtk_widget_class_bind_template_child (widget_class, BfkWelcomeWindow, existing_combo);
  gtk_widget_class_bind_template_child (widget_class, BfkWelcomeWindow, password_row);
  gtk_widget_class_bind_template_child (widget_class, BfkWelcomeWindow, confirm_row);
  gtk_widget_class_bind_template_child (widget_class, BfkWelcomeWindow, password_note);
  gtk_widget_class_bind_template_child (widget_class, BfkWelcomeWindow, key_error);
  gtk_widget_class_bind_template_child (widget_class, BfkWelcomeWindow, key_spinner);
  gtk_widget_class_bind_template_child (widget_class, BfkWelcomeWindow, key_next);
  gtk_widget_class_bind_template_child (widget_class, BfkWelcomeWindow, sid_row);
  gtk_widget_class_bind_template_child (widget_class, BfkWelcomeWindow, token_row);
  gtk_widget_class_bind_template_child (widget_class, BfkWelcomeWindow, number_row);
  gtk_widget_class_bind_template_child (widget_class, BfkWelcomeWindow, public_url_row);
  gtk_widget_class_bind_template_child (widget_class, BfkWelcomeWindow, finish_error);
  gtk_widget_class_bind_template_callback (widget_class, on_local_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_network_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_network_next);
  gtk_widget_class_bind_template_callback (widget_class, on_key_mode_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_choose_file);
  gtk_widget_class_bind_template_callback (widget_class, on_key_next);
  gtk_widget_class_bind_template_callback (widget_class, on_back);
  gtk_widget_class_bind_template_callback (widget_class, on_finish);
  gtk_widget_class_bind_template_callback (widget_class, on_skip);
}

static void
bfk_welcome_window_init (BfkWelcomeWindow *self)
{
  g_autofree gchar *password_file = NULL;
  g_autofree gchar *note = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  /* Not installed (run from the build tree): no broken-image icon. */
  if (!gtk_icon_theme_has_icon (gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (self))),
                                "org.bafoka.Console"))
    gtk_widget_set_visible (self->app_icon, FALSE);
  self->cancellable = g_cancellable_new ();
  self->data_dir = g_build_filename (g_get_user_data_dir (), "bafoka", NULL);
  password_file = password_file_path (self);
  note = g_strdup_printf (_("So that the backend can start on its own, the password is saved in %s, "
                            "which only your user account can read."), password_file);
  gtk_label_set_label (self->password_note, note);
  find_existing (self);
  on_key_mode_toggled (self);
}
