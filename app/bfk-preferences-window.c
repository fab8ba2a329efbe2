/* bfk-preferences-window.c: bafoka.conf, edited. */
#include <glib/gi18n.h>

#include "bfk-preferences-window.h"

typedef enum
{
  ROW_NETWORK,
  ROW_TEXT,
  ROW_DIGITS,
  ROW_SECRET,
  ROW_NUMBER,
  ROW_HOURS,     /* seconds in the file, hours on screen */
  ROW_FOLDER,
} RowKind;

typedef struct
{
  const gchar *variable;
  const gchar *title;
  const gchar *subtitle;
  RowKind      kind;
  const gchar *group;
  guint        min, max;
} Setting;

enum
{
  S_NETWORK,
  S_RPC_URL,
  S_CHAIN_ID,
  S_CONFIRMATIONS,
  S_PROPOSAL_TTL,
  S_TWILIO_SID,
  S_TWILIO_TOKEN,
  S_TWILIO_NUMBER,
  S_PUBLIC_URL,
  S_DATA_DIR,
  N_SETTINGS
};

static const Setting settings[N_SETTINGS] = {
  { "BAFOKA_NETWORK", N_("Network"), NULL, ROW_NETWORK, "network_group" },
  { "BAFOKA_RPC_URL", N_("Node Address (RPC URL)"), NULL, ROW_TEXT, "network_group" },
  { "BAFOKA_CHAIN_ID", N_("Chain ID"), NULL, ROW_DIGITS, "network_group" },
  { "BAFOKA_CONFIRMATIONS", N_("Confirmation Depth"),
    N_("Blocks to wait before a payment counts as final"), ROW_NUMBER, "network_group", 0, 1000 },
  { "BAFOKA_PROPOSAL_TTL", N_("Proposal Deadline"),
    N_("Hours a provider has to accept a proposed exchange"), ROW_HOURS, "exchanges_group", 1, 90 * 24 },
  { "TWILIO_ACCOUNT_SID", N_("Account SID"), NULL, ROW_TEXT, "twilio_group" },
  { "TWILIO_AUTH_TOKEN", N_("Auth Token"), NULL, ROW_SECRET, "twilio_group" },
  { "TWILIO_WHATSAPP_NUMBER", N_("WhatsApp Number"), NULL, ROW_TEXT, "twilio_group" },
  { "BAFOKA_PUBLIC_URL", N_("Webhook Public URL"), NULL, ROW_TEXT, "twilio_group" },
  { "BAFOKA_DATA_DIR", N_("Data Folder"), NULL, ROW_FOLDER, "storage_group" },
};

/* In the order of BfkNetwork. */
static const gchar *const network_names[] = { "local", "amoy", "polygon", "custom" };

struct _BfkPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  BfkSession           *session;
  GtkWidget            *apply_button;
  GtkWidget            *rows[N_SETTINGS];
  GtkWidget            *editors[N_SETTINGS];   /* NULL when the environment sets it */
  gchar                *original[N_SETTINGS];  /* as the row shows it; never NULL */
  guint                 audits_pending;
  gboolean              restart_when_done;
};

G_DEFINE_FINAL_TYPE (BfkPreferencesWindow, bfk_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* --- the values -------------------------------------------------------------- */

static void
originals_from_config (BfkPreferencesWindow *self,
                       const BfkConfig      *c)
{
  self->original[S_NETWORK] = g_strdup (bfk_network_to_string (c->network));
  self->original[S_RPC_URL] = g_strdup (c->rpc_url ? c->rpc_url : "");
  self->original[S_CHAIN_ID] = c->chain_id ? g_strdup_printf ("%" G_GUINT64_FORMAT, c->chain_id) : g_strdup ("");
  self->original[S_CONFIRMATIONS] = g_strdup_printf ("%u", c->confirmations);
  self->original[S_PROPOSAL_TTL] = g_strdup_printf ("%" G_GUINT64_FORMAT, (c->proposal_ttl + 3599) / 3600);
  self->original[S_TWILIO_SID] = g_strdup (c->twilio_account_sid ? c->twilio_account_sid : "");
  self->original[S_TWILIO_TOKEN] = g_strdup (c->twilio_auth_token ? c->twilio_auth_token : "");
  self->original[S_TWILIO_NUMBER] = g_strdup (c->twilio_whatsapp_number ? c->twilio_whatsapp_number : "");
  self->original[S_PUBLIC_URL] = g_strdup (c->public_url ? c->public_url : "");
  self->original[S_DATA_DIR] = g_strdup (c->data_dir);
}

/* Without a session the configuration may not load at all: show what the
 * file holds, so that the wrong value can be put right. */
static void
load_originals (BfkPreferencesWindow *self)
{
  g_autoptr(BfkConfig) config = NULL;
  g_autoptr(GKeyFile) file = NULL;
  g_autofree gchar *path = NULL;

  if (self->session)
    {
      originals_from_config (self, bfk_session_get_config (self->session));
      return;
    }
  if ((config = bfk_config_load (NULL, NULL)))
    {
      originals_from_config (self, config);
      return;
    }
  file = g_key_file_new ();
  path = bfk_config_file_path ();
  g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, NULL);
  for (guint i = 0; i < N_SETTINGS; i++)
    {
      g_autofree gchar *key = bfk_config_file_key (settings[i].variable);
      gchar *v = g_key_file_get_string (file, "bafoka", key, NULL);

      if (v && i == S_PROPOSAL_TTL)
        {
          guint64 seconds = g_ascii_strtoull (v, NULL, 10);

          g_free (v);
          v = g_strdup_printf ("%" G_GUINT64_FORMAT, (seconds + 3599) / 3600);
        }
      self->original[i] = v ? v : g_strdup (i == S_NETWORK ? "local" : "");
    }
}

static gboolean
is_overridden (guint i)
{
  const gchar *v = g_getenv (settings[i].variable);

  return v && *v;
}

/* What the row holds now, as the row shows it. */
static gchar *
row_value (BfkPreferencesWindow *self,
           guint                 i)
{
  GtkWidget *editor = self->editors[i];

  if (!editor)
    return g_strdup (self->original[i]);
  switch (settings[i].kind)
    {
    case ROW_NETWORK:
      return g_strdup (network_names[MIN (adw_combo_row_get_selected (ADW_COMBO_ROW (editor)), 3)]);
    case ROW_NUMBER:
    case ROW_HOURS:
      return g_strdup_printf ("%d", gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (editor)));
    case ROW_TEXT:
    case ROW_DIGITS:
    case ROW_SECRET:
    case ROW_FOLDER:
    default:
      return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (editor))));
    }
}

/* --- the rows ------------------------------------------------------------------ */

static void
update_sensitivity (BfkPreferencesWindow *self)
{
  g_autofree gchar *network = row_value (self, S_NETWORK);
  gboolean local = g_str_equal (network, "local");
  gboolean custom = g_str_equal (network, "custom");

  /* The local network's node is ours: its address and id are not chosen. */
  if (self->editors[S_RPC_URL])
    gtk_widget_set_sensitive (self->rows[S_RPC_URL], !local);
  if (self->editors[S_CHAIN_ID])
    gtk_widget_set_sensitive (self->rows[S_CHAIN_ID], custom);
}

static void
on_folder_chosen (GtkNativeDialog      *dialog,
                  gint                  response,
                  BfkPreferencesWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree gchar *path = folder ? g_file_get_path (folder) : NULL;

      if (path)
        gtk_editable_set_text (GTK_EDITABLE (self->editors[S_DATA_DIR]), path);
    }
  g_object_unref (dialog);
}

static void
on_choose_folder (BfkPreferencesWindow *self)
{
  GtkFileChooserNative *dialog = gtk_file_chooser_native_new (_("Data Folder"), GTK_WINDOW (self),
                                                              GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                                              _("_Choose"), _("_Cancel"));

  /* Modal: the window cannot go away under its chooser. */
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_folder_chosen), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static GtkWidget *
overridden_row (BfkPreferencesWindow *self,
                guint                 i)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree gchar *subtitle = g_strdup_printf (_("Set by %s"), settings[i].variable);
  const gchar *value = settings[i].kind == ROW_SECRET ? "••••••••" : self->original[i];
  GtkWidget *label = gtk_label_new (value);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(settings[i].title));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 32);
  gtk_widget_add_css_class (label, "dim-label");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  gtk_widget_set_sensitive (row, FALSE);
  gtk_widget_set_tooltip_text (row, _("The environment sets this value, and it wins over the preferences."));
  return row;
}

static GtkWidget *
spin_row (BfkPreferencesWindow *self,
          guint                 i)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (settings[i].min, settings[i].max, 1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(settings[i].title));
  if (settings[i].subtitle)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _(settings[i].subtitle));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), g_ascii_strtod (self->original[i], NULL));
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, _(settings[i].title), -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  self->editors[i] = spin;
  return row;
}

static GtkWidget *
network_row (BfkPreferencesWindow *self,
             guint                 i)
{
  const gchar *labels[] = { _("Local test network"), _("Polygon Amoy (test)"), _("Polygon"), _("Custom"), NULL };
  g_autoptr(GtkStringList) model = gtk_string_list_new (labels);
  GtkWidget *row = adw_combo_row_new ();
  BfkNetwork network = BFK_NETWORK_LOCAL;

  bfk_network_from_string (self->original[i], &network);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(settings[i].title));
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), network);
  g_signal_connect_object (row, "notify::selected", G_CALLBACK (update_sensitivity), self, G_CONNECT_SWAPPED);
  self->editors[i] = row;
  return row;
}

static GtkWidget *
entry_row (BfkPreferencesWindow *self,
           guint                 i)
{
  GtkWidget *row = settings[i].kind == ROW_SECRET ? adw_password_entry_row_new () : adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(settings[i].title));
  gtk_editable_set_text (GTK_EDITABLE (row), self->original[i]);
  if (settings[i].kind == ROW_DIGITS)
    adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (row), GTK_INPUT_PURPOSE_DIGITS);
  if (settings[i].kind == ROW_FOLDER)
    {
      GtkWidget *button = gtk_button_new_from_icon_name ("folder-open-symbolic");

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (button, _("Choose a folder"));
      gtk_widget_add_css_class (button, "flat");
      g_signal_connect_object (button, "clicked", G_CALLBACK (on_choose_folder), self, G_CONNECT_SWAPPED);
      adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), button);
    }
  self->editors[i] = row;
  return row;
}

static void
build_rows (BfkPreferencesWindow *self)
{
  GtkWidget *groups[N_SETTINGS];

  groups[0] = NULL;
  for (guint i = 0; i < N_SETTINGS; i++)
    {
      GtkWidget *row;

      if (is_overridden (i))
        row = overridden_row (self, i);
      else if (settings[i].kind == ROW_NETWORK)
        row = network_row (self, i);
      else if (settings[i].kind == ROW_NUMBER || settings[i].kind == ROW_HOURS)
        row = spin_row (self, i);
      else
        row = entry_row (self, i);
      gtk_widget_set_name (row, settings[i].variable);
      self->rows[i] = row;
      groups[i] = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (self), BFK_TYPE_PREFERENCES_WINDOW,
                                                              settings[i].group));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (groups[i]), row);
    }
  update_sensitivity (self);
}

/* --- saving -------------------------------------------------------------------- */

static gboolean
check_values (const gchar *network,
              const gchar *rpc_url,
              const gchar *chain_id,
              GError     **error)
{
  guint64 id;

  if (g_str_equal (network, "custom") && !*rpc_url)
    {
      g_set_error_literal (error, BFK_CONFIG_ERROR, BFK_CONFIG_ERROR_INVALID,
                           _("A custom network needs the address of its node (RPC URL)."));
      return FALSE;
    }
  if (*chain_id && !g_ascii_string_to_unsigned (chain_id, 10, 1, G_MAXUINT64 / 2, &id, NULL))
    {
      g_set_error_literal (error, BFK_CONFIG_ERROR, BFK_CONFIG_ERROR_INVALID,
                           _("The chain ID is a whole number, such as 80002."));
      return FALSE;
    }
  if (g_str_equal (network, "custom") && !*chain_id)
    {
      g_set_error_literal (error, BFK_CONFIG_ERROR, BFK_CONFIG_ERROR_INVALID,
                           _("A custom network needs its chain ID."));
      return FALSE;
    }
  return TRUE;
}

static void
audited (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(BfkPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!bfk_backend_audit_finish (BFK_BACKEND (source), result, &error))
    g_warning ("A preference change was not audited: %s", error->message);
  if (--self->audits_pending == 0 && self->restart_when_done)
    {
      gtk_widget_activate_action (GTK_WIDGET (self), "app.restart-backend", NULL);
      gtk_window_destroy (GTK_WINDOW (self));
    }
}

static void
audit_change (BfkPreferencesWindow *self,
              guint                 i,
              const gchar          *before,
              const gchar          *after)
{
  BfkBackend *backend = self->session ? bfk_session_get_backend (self->session) : NULL;
  g_autofree gchar *key = bfk_config_file_key (settings[i].variable);
  g_autofree gchar *detail = NULL;

  if (!backend || bfk_backend_get_state (backend) != BFK_BACKEND_RUNNING)
    return;
  /* The token itself is never written down anywhere but the file. */
  if (settings[i].kind == ROW_SECRET)
    detail = g_strdup (*after ? "set" : "cleared");
  else
    detail = g_strdup_printf ("%s → %s", *before ? before : "(default)", *after ? after : "(default)");
  self->audits_pending++;
  bfk_backend_audit_async (backend, "change_preference", key, detail, "ok", NULL, audited, g_object_ref (self));
}

gboolean
bfk_preferences_window_save (BfkPreferencesWindow *self,
                             guint                *n_changed,
                             GError              **error)
{
  g_autoptr(GHashTable) values = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  gchar *current[N_SETTINGS] = { 0 };
  gboolean changed[N_SETTINGS] = { 0 };
  guint n = 0;

  g_return_val_if_fail (BFK_IS_PREFERENCES_WINDOW (self), FALSE);

  for (guint i = 0; i < N_SETTINGS; i++)
    {
      current[i] = row_value (self, i);
      changed[i] = self->editors[i] && !g_str_equal (current[i], self->original[i]);
    }
  if (!check_values (current[S_NETWORK], current[S_RPC_URL], current[S_CHAIN_ID], error))
    {
      for (guint i = 0; i < N_SETTINGS; i++)
        g_free (current[i]);
      return FALSE;
    }
  for (guint i = 0; i < N_SETTINGS; i++)
    if (changed[i])
      g_hash_table_insert (values, (gpointer) settings[i].variable,
                           i == S_PROPOSAL_TTL ? g_strdup_printf ("%" G_GUINT64_FORMAT,
                                                                  g_ascii_strtoull (current[i], NULL, 10) * 3600)
                                               : g_strdup (current[i]));
  /* Another network has its own node and id: the old network's go,
   * unless they were just typed. */
  if (changed[S_NETWORK])
    {
      if (!changed[S_RPC_URL] && self->editors[S_RPC_URL])
        g_hash_table_insert (values, (gpointer) settings[S_RPC_URL].variable, g_strdup (""));
      if (!changed[S_CHAIN_ID] && self->editors[S_CHAIN_ID])
        g_hash_table_insert (values, (gpointer) settings[S_CHAIN_ID].variable, g_strdup (""));
    }

  if (g_hash_table_size (values) > 0 && !bfk_config_save (values, error))
    {
      for (guint i = 0; i < N_SETTINGS; i++)
        g_free (current[i]);
      return FALSE;
    }
  for (guint i = 0; i < N_SETTINGS; i++)
    {
      if (changed[i])
        {
          audit_change (self, i, self->original[i], current[i]);
          g_free (self->original[i]);
          self->original[i] = g_steal_pointer (&current[i]);
          n++;
        }
      g_free (current[i]);
    }
  if (n_changed)
    *n_changed = n;
  return TRUE;
}

static void
on_apply_clicked (BfkPreferencesWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (!bfk_preferences_window_save (self, NULL, &error))
    {
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (error->message));
      return;
    }
  gtk_widget_set_sensitive (self->apply_button, FALSE);
  self->restart_when_done = TRUE;
  if (self->audits_pending == 0)
    {
      gtk_widget_activate_action (GTK_WIDGET (self), "app.restart-backend", NULL);
      gtk_window_destroy (GTK_WINDOW (self));
    }
}

/* --- the window -------------------------------------------------------------- */

BfkPreferencesWindow *
bfk_preferences_window_new (GtkWindow  *parent,
                            BfkSession *session)
{
  BfkPreferencesWindow *self = g_object_new (BFK_TYPE_PREFERENCES_WINDOW,
                                             "transient-for", parent,
                                             "application", parent ? gtk_window_get_application (parent) : NULL,
                                             NULL);

  self->session = session ? g_object_ref (session) : NULL;
  load_originals (self);
  build_rows (self);
  return self;
}

static void
bfk_preferences_window_dispose (GObject *object)
{
  BfkPreferencesWindow *self = BFK_PREFERENCES_WINDOW (object);

  g_clear_object (&self->session);
  G_OBJECT_CLASS (bfk_preferences_window_parent_class)->dispose (object);
}

static void
bfk_preferences_window_finalize (GObject *object)
{
  BfkPreferencesWindow *self = BFK_PREFERENCES_WINDOW (object);

  for (guint i = 0; i < N_SETTINGS; i++)
    g_free (self->original[i]);
  G_OBJECT_CLASS (bfk_preferences_window_parent_class)->finalize (object);
}

static void
bfk_preferences_window_class_init (BfkPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bfk_preferences_window_dispose;
  object_class->finalize = bfk_preferences_window_finalize;
  gtk_widget_class_set_template_from_resource (widget_class, "/org/bafoka/Console/bfk-preferences-window.ui");
  gtk_widget_class_bind_template_child_full (widget_class, "network_group", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "exchanges_group", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "twilio_group", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "storage_group", FALSE, 0);
  gtk_widget_class_bind_template_child (widget_class, BfkPreferencesWindow, apply_button);
  gtk_widget_class_bind_template_callback (widget_class, on_apply_clicked);
}

static void
bfk_preferences_window_init (BfkPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
