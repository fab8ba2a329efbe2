/* bfk-overview-page.c: the service's figures at a glance.
 *
 * The cards are built once, in a fixed order; refresh() reads every figure
 * again (bfk-dashboard.h, one snapshot of the store) and only sets the
 * labels' text and the charts' values, so the page stays still while it
 * updates.  The operator's gas and the bot's response time are not in the
 * store: they follow the session's "status".
 */
#include <glib/gi18n.h>

#include "bfk-overview-page.h"

#include "bfk-chart.h"
#include "bfk-dashboard.h"
#include "bfk-format.h"

typedef enum
{
  CARD_MEMBERS,
  CARD_ACTIVE,
  CARD_VOLUME,
  CARD_PROPOSALS,
  CARD_QUEUE,
  CARD_GAS,
  CARD_BOT,
  CARD_DELIVERY,
  CARD_SUCCESS,
  CARD_CONFIRMATION,
  N_CARDS
} Card;

typedef struct
{
  const gchar *name;      /* the widgets' names: "<name>_card", "<name>_value" */
  const gchar *title;
  const gchar *no_data;   /* the tooltip of "—" */
} CardInfo;

static const CardInfo card_info[N_CARDS] = {
  [CARD_MEMBERS] = { "members", N_("Members"), NULL },
  [CARD_ACTIVE] = { "active", N_("Active in 7 days"), NULL },
  [CARD_VOLUME] = { "volume", N_("Exchange volume today"), NULL },
  [CARD_PROPOSALS] = { "proposals", N_("Open proposals"), NULL },
  [CARD_QUEUE] = { "queue", N_("Operations waiting"), NULL },
  [CARD_GAS] = { "gas", N_("Operator gas"),
                 N_("The backend has not reported its status yet") },
  [CARD_BOT] = { "bot", N_("Bot response time"),
                 N_("No WhatsApp message has been answered since the backend started") },
  [CARD_DELIVERY] = { "delivery", N_("Message delivery"),
                      N_("No message was handed to WhatsApp in the last 7 days") },
  [CARD_SUCCESS] = { "success", N_("Transaction success"),
                     N_("No transaction was confirmed or failed in the last 7 days") },
  [CARD_CONFIRMATION] = { "confirmation", N_("Median confirmation time"),
                          N_("No transaction was confirmed in the last 7 days") },
};

typedef struct
{
  GtkWidget *box;
  GtkLabel  *value;
  GtkLabel  *caption;
} CardWidgets;

struct _BfkOverviewPage
{
  BfkPage       parent_instance;

  GtkFlowBox   *cards;
  BfkChart     *volume_chart;
  BfkChart     *confirm_chart;
  BfkChart     *messages_chart;

  CardWidgets   card[N_CARDS];

  /* A refresh reads a week of messages and operations: on a big store it
   * takes a tenth of a second, so refreshes are spaced out to keep the
   * main thread mostly free (see refresh). */
};

G_DEFINE_FINAL_TYPE (BfkOverviewPage, bfk_overview_page, BFK_TYPE_PAGE)

static void
build_card (BfkOverviewPage *self,
            Card             card)
{
  CardWidgets *w = &self->card[card];
  GtkWidget *title = gtk_label_new (_(card_info[card].title));
  g_autofree gchar *box_name = g_strconcat (card_info[card].name, "_card", NULL);
  g_autofree gchar *value_name = g_strconcat (card_info[card].name, "_value", NULL);

  w->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_set_name (w->box, box_name);
  gtk_widget_add_css_class (w->box, "card");
  gtk_widget_add_css_class (w->box, "stat-card");

  /* Narrow natural widths, so that five cards fit on a wide line. */
  gtk_label_set_max_width_chars (GTK_LABEL (title), 18);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_widget_add_css_class (title, "caption-heading");
  gtk_widget_add_css_class (title, "dim-label");

  w->value = GTK_LABEL (gtk_label_new ("—"));
  gtk_widget_set_name (GTK_WIDGET (w->value), value_name);
  gtk_label_set_xalign (w->value, 0);
  gtk_label_set_ellipsize (w->value, PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (GTK_WIDGET (w->value), "stat-value");
  gtk_widget_add_css_class (GTK_WIDGET (w->value), "numeric");

  w->caption = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_max_width_chars (w->caption, 18);
  gtk_label_set_xalign (w->caption, 0);
  gtk_label_set_wrap (w->caption, TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (w->caption), TRUE);
  gtk_label_set_yalign (w->caption, 0);
  gtk_widget_add_css_class (GTK_WIDGET (w->caption), "caption");
  gtk_widget_add_css_class (GTK_WIDGET (w->caption), "dim-label");

  gtk_box_append (GTK_BOX (w->box), title);
  gtk_box_append (GTK_BOX (w->box), GTK_WIDGET (w->value));
  gtk_box_append (GTK_BOX (w->box), GTK_WIDGET (w->caption));
  gtk_flow_box_append (self->cards, w->box);
  gtk_widget_set_focusable (gtk_widget_get_parent (w->box), FALSE);
}

/* value NULL: no data yet, "—" with the card's reason in a tooltip. */
static void
set_card (BfkOverviewPage *self,
          Card             card,
          const gchar     *value,
          const gchar     *caption,
          const gchar     *tooltip)
{
  CardWidgets *w = &self->card[card];

  gtk_label_set_text (w->value, value ? value : "—");
  gtk_label_set_text (w->caption, caption ? caption : "");
  gtk_widget_set_tooltip_text (w->box, value ? tooltip : _(card_info[card].no_data));
}

static gchar *
format_count (gint64 n)
{
  return g_strdup_printf ("%'" G_GINT64_FORMAT, n);
}

static gchar *
format_percent (gdouble rate,
                gboolean exact)
{
  /* 99.6 % is not 100 %: one decimal unless it is exactly all. */
  return exact ? g_strdup_printf (_("%.0f %%"), rate * 100) : g_strdup_printf (_("%.1f %%"), rate * 100);
}

static void
show_members (BfkOverviewPage    *self,
              const BfkDashboard *d)
{
  g_autofree gchar *members = format_count (d->members);
  g_autofree gchar *active = format_count (d->active_members);
  g_autofree gchar *share = NULL;

  set_card (self, CARD_MEMBERS, members, _("Registered, or being registered on the network"), NULL);
  if (d->members > 0)
    share = g_strdup_printf (_("%.0f %% of the members"), 100.0 * d->active_members / d->members);
  set_card (self, CARD_ACTIVE, active, share,
            _("Members who wrote on WhatsApp or signed an exchange in the last 7 days"));
}

static void
show_exchanges (BfkOverviewPage    *self,
                const BfkDashboard *d)
{
  const BfkDashboardCommunity *only = d->communities->len == 1 ? g_ptr_array_index (d->communities, 0) : NULL;
  const gchar *symbol = only ? only->symbol : NULL;
  g_autofree gchar *today = bfk_format_amount (d->volume_today, symbol);
  g_autofree gchar *week = bfk_format_amount (d->volume_week, symbol);
  g_autofree gchar *count_today = format_count (d->exchanges_today);
  g_autofree gchar *count_week = format_count (d->exchanges_week);
  g_autofree gchar *n_today = g_strdup_printf (ngettext ("%s exchange", "%s exchanges",
                                                         (gulong) d->exchanges_today), count_today);
  g_autofree gchar *n_week = g_strdup_printf (ngettext ("%s exchange", "%s exchanges",
                                                        (gulong) d->exchanges_week), count_week);
  g_autofree gchar *caption = NULL;
  g_autofree gchar *proposals = format_count (d->open_proposals);
  g_autofree gchar *queued = format_count (d->queued_operations);

  if (d->exchanges_week > 0)
    /* TRANSLATORS: "3 exchanges today · 7 days: 1 250 in 12 exchanges" */
    caption = g_strdup_printf (_("%s today · 7 days: %s in %s"), n_today, week, n_week);
  else
    caption = g_strdup (_("No exchange completed in the last 7 days"));
  set_card (self, CARD_VOLUME, today, caption,
            _("Exchanges the network confirmed as completed. The units of the communities’ currencies are added together."));
  set_card (self, CARD_PROPOSALS, proposals, _("Waiting to be accepted or completed"), NULL);
  set_card (self, CARD_QUEUE, queued, _("Transactions not yet in a block"),
            _("Queued, signed or sent, and not yet mined"));
}

static void
show_rates (BfkOverviewPage    *self,
            const BfkDashboard *d)
{
  gdouble rate;

  if (bfk_dashboard_delivery_rate (d, &rate))
    {
      g_autofree gchar *value = format_percent (rate, d->messages_delivered == d->messages_sent);
      g_autofree gchar *delivered = format_count (d->messages_delivered);
      g_autofree gchar *sent = format_count (d->messages_sent);
      g_autofree gchar *caption = g_strdup_printf (_("%s of %s delivered or read, last 7 days"), delivered, sent);

      set_card (self, CARD_DELIVERY, value, caption, NULL);
    }
  else
    set_card (self, CARD_DELIVERY, NULL, _("Last 7 days"), NULL);

  if (bfk_dashboard_success_rate (d, &rate))
    {
      g_autofree gchar *value = format_percent (rate, d->operations_failed == 0);
      g_autofree gchar *confirmed = format_count (d->operations_confirmed);
      g_autofree gchar *failed = format_count (d->operations_failed);
      g_autofree gchar *caption = g_strdup_printf (_("%s confirmed, %s failed, last 7 days"), confirmed, failed);

      set_card (self, CARD_SUCCESS, value, caption, NULL);
    }
  else
    set_card (self, CARD_SUCCESS, NULL, _("Last 7 days"), NULL);

  if (d->median_confirmation_s >= 0)
    {
      g_autofree gchar *value = bfk_format_duration (d->median_confirmation_s);

      set_card (self, CARD_CONFIRMATION, value, _("From sending to confirmation, last 7 days"),
                _("Half of the transactions took less"));
    }
  else
    set_card (self, CARD_CONFIRMATION, NULL, _("Last 7 days"), NULL);
}

static void
show_volume_chart (BfkOverviewPage    *self,
                   const BfkDashboard *d)
{
  g_autoptr(GPtrArray) days = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < BFK_DASHBOARD_DAYS; i++)
    {
      g_autoptr(GDateTime) day = g_date_time_new_from_unix_local (d->day_start[i]);

      /* TRANSLATORS: a day under a bar of a chart; see strftime */
      g_ptr_array_add (days, g_strstrip (g_date_time_format (day, C_("chart day", "%e %b"))));
    }
  g_ptr_array_add (days, NULL);
  bfk_chart_set_categories (self->volume_chart, (const gchar * const *) days->pdata);

  for (guint i = 0; i < d->communities->len; i++)
    {
      const BfkDashboardCommunity *c = g_ptr_array_index (d->communities, i);
      gdouble values[BFK_DASHBOARD_DAYS];
      g_autofree gchar *name = NULL;

      for (guint k = 0; k < BFK_DASHBOARD_DAYS; k++)
        values[k] = (gdouble) c->volume[k];
      if (c->name && c->symbol)
        name = g_strdup_printf ("%s (%s)", c->name, c->symbol);
      else
        name = g_strdup_printf (_("Community %d"), (gint) c->id);
      bfk_chart_set_series (self->volume_chart, i, name, values, BFK_DASHBOARD_DAYS);
    }
  bfk_chart_truncate_series (self->volume_chart, d->communities->len);
}

static void
show_activity_charts (BfkOverviewPage    *self,
                      const BfkDashboard *d)
{
  g_autoptr(GPtrArray) hours = g_ptr_array_new_with_free_func (g_free);
  gdouble bins[BFK_DASHBOARD_CONFIRM_BINS];
  gdouble in[BFK_DASHBOARD_HOURS], out[BFK_DASHBOARD_HOURS];

  for (guint i = 0; i < BFK_DASHBOARD_CONFIRM_BINS; i++)
    bins[i] = (gdouble) d->confirm_bins[i];
  bfk_chart_set_series (self->confirm_chart, 0, _("Transactions"), bins, BFK_DASHBOARD_CONFIRM_BINS);

  for (guint i = 0; i < BFK_DASHBOARD_HOURS; i++)
    {
      g_autoptr(GDateTime) hour = g_date_time_new_from_unix_local (d->hour_start[i]);

      /* TRANSLATORS: an hour under a bar of a chart; see strftime */
      g_ptr_array_add (hours, g_date_time_format (hour, C_("chart hour", "%H:00")));
      in[i] = (gdouble) d->messages_in[i];
      out[i] = (gdouble) d->messages_out[i];
    }
  g_ptr_array_add (hours, NULL);
  bfk_chart_set_categories (self->messages_chart, (const gchar * const *) hours->pdata);
  bfk_chart_set_series (self->messages_chart, 0, _("Received"), in, BFK_DASHBOARD_HOURS);
  bfk_chart_set_series (self->messages_chart, 1, C_("messages", "Sent"), out, BFK_DASHBOARD_HOURS);
}

static void
bfk_overview_page_refresh (BfkPage *page)
{
  BfkOverviewPage *self = BFK_OVERVIEW_PAGE (page);
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkDashboard) d = NULL;

  /* BfkPage spaces the refreshes when reading is slow. */
  d = bfk_dashboard_compute (bfk_page_get_store (page), bfk_store_now (), NULL, &error);
  if (!d)
    {
      /* The next change tries again; the cards keep what they showed. */
      g_debug ("The overview could not be read: %s", error->message);
      return;
    }
  show_members (self, d);
  show_exchanges (self, d);
  show_rates (self, d);
  show_volume_chart (self, d);
  show_activity_charts (self, d);
}

static gchar *
format_seconds (gdouble seconds)
{
  if (seconds < 1)
    return g_strdup_printf (_("%.0f ms"), seconds * 1000);
  return g_strdup_printf (_("%.1f s"), seconds);
}

static void
show_status (BfkOverviewPage *self)
{
  BfkSession *session = bfk_page_get_session (BFK_PAGE (self));
  const BfkBackendStatus *status = bfk_session_get_status (session);
  g_autofree gchar *gas = NULL, *p95_text = NULL;
  GtkWidget *gas_value = GTK_WIDGET (self->card[CARD_GAS].value);
  gdouble p95;

  if (!status)
    {
      set_card (self, CARD_GAS, NULL, NULL, NULL);
      /* xgettext:no-c-format */
      set_card (self, CARD_BOT, NULL, _("95 % of answers, since the backend started"), NULL);
      return;
    }

  gas = bfk_format_coin (status->gas_balance, 3, bfk_session_get_config (session)->network);
  set_card (self, CARD_GAS, gas,
            status->gas_state == BFK_GAS_PAUSED ? _("Too low: nothing is sent until it is refilled")
            : status->gas_state == BFK_GAS_LOW ? _("Running low: refill the operator’s address soon")
            : _("Pays every transaction’s fee"),
            _("The balance of the operator’s address on the network"));
  if (status->gas_state == BFK_GAS_OK)
    gtk_widget_remove_css_class (gas_value, "error");
  else
    gtk_widget_add_css_class (gas_value, "error");

  if (bfk_dashboard_histogram_quantile (status->metrics, "bafoka_bot_response_seconds", 0.95, &p95))
    p95_text = format_seconds (p95);
  set_card (self, CARD_BOT, p95_text,
            /* xgettext:no-c-format */
            _("95 % of answers, since the backend started"),
            /* xgettext:no-c-format */
            _("The time from a WhatsApp message’s arrival to the bot’s answer, for 95 % of the messages"));
}

static void
bfk_overview_page_constructed (GObject *object)
{
  BfkOverviewPage *self = BFK_OVERVIEW_PAGE (object);

  G_OBJECT_CLASS (bfk_overview_page_parent_class)->constructed (object);
  g_signal_connect_object (bfk_page_get_session (BFK_PAGE (self)), "status",
                           G_CALLBACK (show_status), self, G_CONNECT_SWAPPED);
  show_status (self);
}

static void
bfk_overview_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), BFK_TYPE_OVERVIEW_PAGE);
  G_OBJECT_CLASS (bfk_overview_page_parent_class)->dispose (object);
}

static void
bfk_overview_page_class_init (BfkOverviewPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  BfkPageClass *page_class = BFK_PAGE_CLASS (klass);

  object_class->constructed = bfk_overview_page_constructed;
  object_class->dispose = bfk_overview_page_dispose;
  page_class->refresh = bfk_overview_page_refresh;

  g_type_ensure (BFK_TYPE_CHART);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/bafoka/Console/pages/bfk-overview-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BfkOverviewPage, cards);
  gtk_widget_class_bind_template_child (widget_class, BfkOverviewPage, volume_chart);
  gtk_widget_class_bind_template_child (widget_class, BfkOverviewPage, confirm_chart);
  gtk_widget_class_bind_template_child (widget_class, BfkOverviewPage, messages_chart);
}

/* "≤ 5 s", "5–15 s", "1–2 min", "> 5 min": the bins of the confirmation
 * times, in seconds up to a minute and in minutes above. */
static gchar *
bin_label (guint i)
{
  const gint64 *bounds = bfk_dashboard_confirm_bounds ();
  gint64 low = i > 0 ? bounds[i - 1] : 0;

  if (i == 0)
    return g_strdup_printf (_("≤ %d s"), (gint) bounds[0]);
  if (i == BFK_DASHBOARD_CONFIRM_BINS - 1)
    return low > 60 ? g_strdup_printf (_("> %d min"), (gint) (low / 60)) : g_strdup_printf (_("> %d s"), (gint) low);
  if (bounds[i] > 60)
    return g_strdup_printf (_("%d–%d min"), (gint) (low / 60), (gint) (bounds[i] / 60));
  return g_strdup_printf (_("%d–%d s"), (gint) low, (gint) bounds[i]);
}

static void
bfk_overview_page_init (BfkOverviewPage *self)
{
  g_autoptr(GPtrArray) bins = g_ptr_array_new_with_free_func (g_free);

  gtk_widget_init_template (GTK_WIDGET (self));
  for (Card c = 0; c < N_CARDS; c++)
    build_card (self, c);

  bfk_chart_set_empty_text (self->volume_chart, _("No exchange was completed in the last 14 days"));
  for (guint i = 0; i < BFK_DASHBOARD_CONFIRM_BINS; i++)
    g_ptr_array_add (bins, bin_label (i));
  g_ptr_array_add (bins, NULL);
  bfk_chart_set_categories (self->confirm_chart, (const gchar * const *) bins->pdata);
  bfk_chart_set_empty_text (self->confirm_chart, _("No transaction was confirmed in the last 7 days"));
  bfk_chart_set_mode (self->messages_chart, BFK_CHART_GROUPED);
  bfk_chart_set_empty_text (self->messages_chart, _("No message in the last 24 hours"));
}
