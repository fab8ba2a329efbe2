/* bfk-communities-page.c: the communities table, and the form that adds one.
 *
 * The list is the follower's: a community added here appears once the
 * network has mined its CommunityAdded, which the "Just now" group shows
 * happening in the meantime.
 */
#include <glib/gi18n.h>
#include <string.h>

#include "bfk-chain-rows.h"
#include "bfk-communities-page.h"
#include "bfk-confirm.h"
#include "bfk-contract.h"
#include "bfk-format.h"
#include "bfk-op-tracker.h"

/* The contract only refuses empty fields; these keep what members read on
 * WhatsApp short and the symbols distinct. */
#define COMMUNITY_NAME_MAX     40
#define COMMUNITY_CURRENCY_MAX 30
#define SYMBOL_MIN   2
#define SYMBOL_MAX   6

struct _BfkCommunitiesPage
{
  BfkPage               parent_instance;

  AdwPreferencesGroup  *list_group;
  BfkOpTracker         *tracker;
  AdwEntryRow          *name_row;
  AdwEntryRow          *currency_row;
  AdwEntryRow          *symbol_row;
  GtkLabel             *form_hint;
  GtkWidget            *add_button;

  GPtrArray            *rows;          /* the list's rows, to remove them */
  gchar                *shown;         /* what the rows show, to rebuild only on change */
  GPtrArray            *communities;   /* BfkCommunityRow, as last read */
};

G_DEFINE_FINAL_TYPE (BfkCommunitiesPage, bfk_communities_page, BFK_TYPE_PAGE)

static GtkWidget *
stat (const gchar *value,
      const gchar *caption)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *v = gtk_label_new (value);
  GtkWidget *c = gtk_label_new (caption);

  gtk_widget_add_css_class (v, "heading");
  gtk_widget_add_css_class (c, "caption");
  gtk_widget_add_css_class (c, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (v), 1);
  gtk_label_set_xalign (GTK_LABEL (c), 1);
  gtk_box_append (GTK_BOX (box), v);
  gtk_box_append (GTK_BOX (box), c);
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_widget_set_size_request (box, 96, -1);
  return box;
}

static GtkWidget *
community_row (const BfkCommunityRow *c)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree gchar *subtitle = g_strdup_printf ("%s · %s", c->currency, c->symbol);
  g_autofree gchar *members = bfk_format_amount (c->members, NULL);
  g_autofree gchar *supply = bfk_format_amount (c->supply, c->symbol);
  g_autofree gchar *exchanges = bfk_format_amount (c->exchanges, NULL);
  g_autofree gchar *volume = bfk_format_amount (c->volume, c->symbol);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), c->name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_name (row, c->name);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("network-workgroup-symbolic"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), stat (members, _("members")));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), stat (supply, _("in circulation")));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), stat (exchanges, _("exchanges")));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), stat (volume, _("exchanged")));
  return row;
}

static void
show_communities (BfkCommunitiesPage *self)
{
  g_autoptr(GString) shown = g_string_new (NULL);

  for (guint i = 0; i < self->communities->len; i++)
    {
      const BfkCommunityRow *c = self->communities->pdata[i];

      g_string_append_printf (shown, "%" G_GUINT64_FORMAT "|%s|%" G_GINT64_FORMAT "|%" G_GINT64_FORMAT
                              "|%" G_GINT64_FORMAT "|%" G_GINT64_FORMAT "\n", c->id, c->name,
                              c->members, c->supply, c->exchanges, c->volume);
    }
  /* Rebuilding only what changed keeps the list from flickering at each
   * block. */
  if (g_strcmp0 (shown->str, self->shown) == 0)
    return;
  g_free (self->shown);
  self->shown = g_strdup (shown->str);

  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (self->list_group, self->rows->pdata[i]);
  g_ptr_array_set_size (self->rows, 0);
  for (guint i = 0; i < self->communities->len; i++)
    {
      GtkWidget *row = community_row (self->communities->pdata[i]);

      adw_preferences_group_add (self->list_group, row);
      g_ptr_array_add (self->rows, row);
    }
  if (self->communities->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     _("No community is known yet: the list fills in as the network is read."));
      adw_preferences_group_add (self->list_group, row);
      g_ptr_array_add (self->rows, row);
    }
}

static gboolean
holds_operator_key (BfkCommunitiesPage *self)
{
  BfkBackend *backend = bfk_session_get_backend (bfk_page_get_session (BFK_PAGE (self)));
  const BfkAddress *operator = bfk_backend_get_operator (backend);

  return operator && bfk_backend_has_signer (backend, operator);
}

/* The form's fields, trimmed, with the symbol in capitals; a sentence in
 * *problem when something is not right yet. */
static gboolean
read_form (BfkCommunitiesPage  *self,
           gchar              **name,
           gchar              **currency,
           gchar              **symbol,
           gchar              **problem)
{
  g_autofree gchar *n = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
  g_autofree gchar *c = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->currency_row))));
  g_autofree gchar *s = g_ascii_strup (gtk_editable_get_text (GTK_EDITABLE (self->symbol_row)), -1);
  gsize s_len;

  g_strstrip (s);
  s_len = strlen (s);
  *problem = NULL;
  if (!*n || !*c || !*s)
    *problem = g_strdup (_("Fill in the name, the currency and its symbol."));
  else if (g_utf8_strlen (n, -1) > COMMUNITY_NAME_MAX)
    *problem = g_strdup_printf (_("The name is too long: %d characters at most."), COMMUNITY_NAME_MAX);
  else if (g_utf8_strlen (c, -1) > COMMUNITY_CURRENCY_MAX)
    *problem = g_strdup_printf (_("The currency name is too long: %d characters at most."), COMMUNITY_CURRENCY_MAX);
  else if (s_len < SYMBOL_MIN || s_len > SYMBOL_MAX)
    *problem = g_strdup_printf (_("The symbol has %d to %d letters."), SYMBOL_MIN, SYMBOL_MAX);
  else
    {
      for (gsize i = 0; i < s_len && !*problem; i++)
        if (!g_ascii_isalpha (s[i]))
          *problem = g_strdup (_("The symbol has letters only, no digits or spaces."));
      for (guint i = 0; self->communities && i < self->communities->len && !*problem; i++)
        {
          const BfkCommunityRow *row = self->communities->pdata[i];

          if (g_utf8_collate (row->name, n) == 0 || g_ascii_strcasecmp (row->name, n) == 0)
            *problem = g_strdup_printf (_("%s already exists."), row->name);
          else if (g_ascii_strcasecmp (row->symbol, s) == 0)
            *problem = g_strdup_printf (_("%s already uses the symbol %s."), row->name, row->symbol);
        }
    }
  if (*problem)
    return FALSE;
  *name = g_steal_pointer (&n);
  *currency = g_steal_pointer (&c);
  *symbol = g_steal_pointer (&s);
  return TRUE;
}

static void
on_form_changed (BfkCommunitiesPage *self)
{
  g_autofree gchar *name = NULL, *currency = NULL, *symbol = NULL, *problem = NULL;
  gboolean valid = read_form (self, &name, &currency, &symbol, &problem);
  gboolean key = holds_operator_key (self);
  gboolean empty = !*gtk_editable_get_text (GTK_EDITABLE (self->name_row))
                   && !*gtk_editable_get_text (GTK_EDITABLE (self->currency_row))
                   && !*gtk_editable_get_text (GTK_EDITABLE (self->symbol_row));

  gtk_label_set_text (self->form_hint, empty ? "" : problem ? problem : _("Ready to add."));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "communities.add", valid && key);
  gtk_widget_set_tooltip_text (self->add_button,
                               key ? NULL : _("Needs the operator's admin key, which the backend holds while it runs"));
}

static void
on_confirmed (AdwMessageDialog *dialog,
              const gchar      *response,
              gpointer          user_data)
{
  BfkCommunitiesPage *self = BFK_COMMUNITIES_PAGE (user_data);
  g_autofree gchar *name = NULL, *currency = NULL, *symbol = NULL, *problem = NULL;
  g_autoptr(GBytes) calldata = NULL;
  g_autofree gchar *summary = NULL;

  /* Read again: the list may have changed while the question was asked. */
  if (!read_form (self, &name, &currency, &symbol, &problem))
    {
      bfk_session_toast (bfk_page_get_session (BFK_PAGE (self)), "%s", problem);
      return;
    }
  calldata = bfk_contract_encode_add_community (name, currency, symbol);
  summary = g_strdup_printf ("add community %s (%s, %s)", name, currency, symbol);
  {
    BfkOpRequest request = { .kind = BFK_OP_ADD_COMMUNITY, .calldata = calldata, .summary = summary };

    bfk_op_tracker_submit (self->tracker, bfk_page_get_session (BFK_PAGE (self)), NULL, &request,
                           "add_community", name, _("New community"));
  }
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->currency_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->symbol_row), "");
}

static void
add_action (GtkWidget   *widget,
            const gchar *action_name,
            GVariant    *parameter)
{
  BfkCommunitiesPage *self = BFK_COMMUNITIES_PAGE (widget);
  g_autofree gchar *name = NULL, *currency = NULL, *symbol = NULL, *problem = NULL;
  g_autofree gchar *body = NULL;
  AdwMessageDialog *dialog;

  if (!read_form (self, &name, &currency, &symbol, &problem))
    return;
  body = g_strdup_printf (_("The community “%s” will be added on the network, with its own currency, "
                            "the %s (%s). Nobody holds any yet: backers mint it by recharging members.\n\n"
                            "A community cannot be removed or renamed afterwards."),
                          name, currency, symbol);
  dialog = bfk_confirm_present (widget, _("Add This Community?"), body, _("_Add Community"), FALSE);
  g_signal_connect_object (dialog, "response::confirm", G_CALLBACK (on_confirmed), self, 0);
}

static void
bfk_communities_page_refresh (BfkPage *page)
{
  BfkCommunitiesPage *self = BFK_COMMUNITIES_PAGE (page);
  g_autoptr(GError) error = NULL;
  GPtrArray *communities = bfk_chain_rows_communities (bfk_page_get_store (page), &error);

  if (!communities)
    {
      g_warning ("The communities could not be read: %s", error->message);
      return;
    }
  g_clear_pointer (&self->communities, g_ptr_array_unref);
  self->communities = communities;
  show_communities (self);
  bfk_op_tracker_refresh (self->tracker, bfk_page_get_store (page));
  on_form_changed (self);
}

static void
bfk_communities_page_dispose (GObject *object)
{
  BfkCommunitiesPage *self = BFK_COMMUNITIES_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), BFK_TYPE_COMMUNITIES_PAGE);
  G_OBJECT_CLASS (bfk_communities_page_parent_class)->dispose (object);
}

static void
bfk_communities_page_finalize (GObject *object)
{
  BfkCommunitiesPage *self = BFK_COMMUNITIES_PAGE (object);

  g_ptr_array_unref (self->rows);
  g_clear_pointer (&self->communities, g_ptr_array_unref);
  g_free (self->shown);
  G_OBJECT_CLASS (bfk_communities_page_parent_class)->finalize (object);
}

static void
bfk_communities_page_class_init (BfkCommunitiesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bfk_communities_page_dispose;
  object_class->finalize = bfk_communities_page_finalize;
  BFK_PAGE_CLASS (klass)->refresh = bfk_communities_page_refresh;

  g_type_ensure (BFK_TYPE_OP_TRACKER);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/bafoka/Console/pages/bfk-communities-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BfkCommunitiesPage, list_group);
  gtk_widget_class_bind_template_child (widget_class, BfkCommunitiesPage, tracker);
  gtk_widget_class_bind_template_child (widget_class, BfkCommunitiesPage, name_row);
  gtk_widget_class_bind_template_child (widget_class, BfkCommunitiesPage, currency_row);
  gtk_widget_class_bind_template_child (widget_class, BfkCommunitiesPage, symbol_row);
  gtk_widget_class_bind_template_child (widget_class, BfkCommunitiesPage, form_hint);
  gtk_widget_class_bind_template_child (widget_class, BfkCommunitiesPage, add_button);
  gtk_widget_class_bind_template_callback (widget_class, on_form_changed);
  gtk_widget_class_install_action (widget_class, "communities.add", NULL, add_action);
}

static void
bfk_communities_page_init (BfkCommunitiesPage *self)
{
  self->rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "communities.add", FALSE);
}
