/* bfk-page.c: a page that refreshes when the data changes and it is seen. */
#include "bfk-page.h"

/* A page spends at most about a tenth of the time reading: a busy backend
 * writes twice a second, and what a page shows need not follow each write
 * when reading it is slow (a million rows). */
#define READING_SHARE 10

typedef struct
{
  BfkSession *session;
  gboolean    stale;       /* never read, or changed while hidden */
  gint64      read_at;     /* monotonic µs of the last refresh's end */
  gint64      read_cost;   /* how long it took, µs */
  guint       later_id;    /* a refresh put off */
} BfkPagePrivate;

G_DEFINE_TYPE_WITH_PRIVATE (BfkPage, bfk_page, ADW_TYPE_BIN)

enum
{
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

void
bfk_page_refresh (BfkPage *self)
{
  BfkPagePrivate *priv = bfk_page_get_instance_private (self);

  g_return_if_fail (BFK_IS_PAGE (self));

  if (!priv->session || !bfk_session_get_ready (priv->session))
    return;
  priv->stale = FALSE;
  g_clear_handle_id (&priv->later_id, g_source_remove);
  if (BFK_PAGE_GET_CLASS (self)->refresh)
    {
      gint64 started = g_get_monotonic_time ();

      BFK_PAGE_GET_CLASS (self)->refresh (self);
      priv->read_at = g_get_monotonic_time ();
      priv->read_cost = priv->read_at - started;
    }
}

static gboolean
refresh_later (gpointer data)
{
  BfkPagePrivate *priv = bfk_page_get_instance_private (BFK_PAGE (data));

  priv->later_id = 0;
  if (gtk_widget_get_mapped (GTK_WIDGET (data)))
    bfk_page_refresh (BFK_PAGE (data));
  else
    priv->stale = TRUE;
  return G_SOURCE_REMOVE;
}

/* The data changed: refresh now, or after a pause when the last refresh
 * was costly; a hidden page waits to be shown. */
static void
on_changed (BfkPage *self)
{
  BfkPagePrivate *priv = bfk_page_get_instance_private (self);
  gint64 wait = priv->read_at + READING_SHARE * priv->read_cost - g_get_monotonic_time ();

  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    priv->stale = TRUE;
  else if (priv->later_id)
    return;
  else if (priv->read_at && wait > 0)
    priv->later_id = g_timeout_add ((guint) (wait / 1000) + 1, refresh_later, self);
  else
    bfk_page_refresh (self);
}

static void
bfk_page_map (GtkWidget *widget)
{
  BfkPagePrivate *priv = bfk_page_get_instance_private (BFK_PAGE (widget));

  GTK_WIDGET_CLASS (bfk_page_parent_class)->map (widget);
  if (priv->stale)
    bfk_page_refresh (BFK_PAGE (widget));
}

BfkSession *
bfk_page_get_session (BfkPage *self)
{
  BfkPagePrivate *priv = bfk_page_get_instance_private (self);

  g_return_val_if_fail (BFK_IS_PAGE (self), NULL);
  return priv->session;
}

BfkStore *
bfk_page_get_store (BfkPage *self)
{
  BfkPagePrivate *priv = bfk_page_get_instance_private (self);

  g_return_val_if_fail (BFK_IS_PAGE (self), NULL);
  return priv->session ? bfk_session_get_store (priv->session) : NULL;
}

static void
bfk_page_constructed (GObject *object)
{
  BfkPage *self = BFK_PAGE (object);
  BfkPagePrivate *priv = bfk_page_get_instance_private (self);

  G_OBJECT_CLASS (bfk_page_parent_class)->constructed (object);

  g_return_if_fail (priv->session != NULL);
  /* Nothing is read before the page is shown: a hidden page costs nothing. */
  priv->stale = TRUE;
  g_signal_connect_object (priv->session, "notify::ready", G_CALLBACK (on_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (priv->session, "changed", G_CALLBACK (on_changed), self,
                           G_CONNECT_SWAPPED);
}

static void
bfk_page_dispose (GObject *object)
{
  BfkPagePrivate *priv = bfk_page_get_instance_private (BFK_PAGE (object));

  g_clear_handle_id (&priv->later_id, g_source_remove);
  g_clear_object (&priv->session);
  G_OBJECT_CLASS (bfk_page_parent_class)->dispose (object);
}

static void
bfk_page_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  BfkPagePrivate *priv = bfk_page_get_instance_private (BFK_PAGE (object));

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, priv->session);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bfk_page_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  BfkPagePrivate *priv = bfk_page_get_instance_private (BFK_PAGE (object));

  switch (prop_id)
    {
    case PROP_SESSION:
      priv->session = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bfk_page_class_init (BfkPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = bfk_page_constructed;
  object_class->dispose = bfk_page_dispose;
  object_class->get_property = bfk_page_get_property;
  object_class->set_property = bfk_page_set_property;
  widget_class->map = bfk_page_map;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, BFK_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bfk_page_init (BfkPage *self)
{
}
