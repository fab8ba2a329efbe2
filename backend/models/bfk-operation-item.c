/* bfk-operation-item.c: an outbox row as a GObject with read-only properties. */
#include "bfk-operation-item.h"
#include "bfk-models-private.h"

struct _BfkOperationItem
{
  GObject  parent_instance;

  gint64   id;
  gint64   created_at;
  gchar   *kind;
  gchar   *state;
  gchar   *summary;
  guint64  community_id;
  gint64   amount;
  gint     attempts;
  gchar   *tx_hash;
  gchar   *fee_paid;
};

enum {
  PROP_0,
  PROP_ID,
  PROP_CREATED_AT,
  PROP_KIND,
  PROP_STATE,
  PROP_SUMMARY,
  PROP_COMMUNITY_ID,
  PROP_AMOUNT,
  PROP_ATTEMPTS,
  PROP_TX_HASH,
  PROP_FEE_PAID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (BfkOperationItem, bfk_operation_item, G_TYPE_OBJECT)

BfkOperationItem *
bfk_operation_item_new_from_statement (sqlite3_stmt *stmt)
{
  BfkOperationItem *self = g_object_new (BFK_TYPE_OPERATION_ITEM, NULL);

  self->id = sqlite3_column_int64 (stmt, 0);
  self->created_at = sqlite3_column_int64 (stmt, 1);
  self->kind = g_strdup ((const gchar *) sqlite3_column_text (stmt, 2));
  self->state = g_strdup ((const gchar *) sqlite3_column_text (stmt, 3));
  self->summary = g_strdup ((const gchar *) sqlite3_column_text (stmt, 4));
  self->community_id = (guint64) sqlite3_column_int64 (stmt, 5);
  self->amount = sqlite3_column_int64 (stmt, 6);
  self->attempts = sqlite3_column_int (stmt, 7);
  self->tx_hash = g_strdup ((const gchar *) sqlite3_column_text (stmt, 8));
  self->fee_paid = g_strdup ((const gchar *) sqlite3_column_text (stmt, 9));
  return self;
}

BfkOperationItem *
bfk_operation_item_new_blank (gint64 id)
{
  BfkOperationItem *self = g_object_new (BFK_TYPE_OPERATION_ITEM, NULL);

  self->id = id;
  self->kind = g_strdup ("");
  self->state = g_strdup ("");
  self->summary = g_strdup ("");
  return self;
}

static void
bfk_operation_item_finalize (GObject *object)
{
  BfkOperationItem *self = BFK_OPERATION_ITEM (object);

  g_free (self->kind);
  g_free (self->state);
  g_free (self->summary);
  g_free (self->tx_hash);
  g_free (self->fee_paid);
  G_OBJECT_CLASS (bfk_operation_item_parent_class)->finalize (object);
}

static void
bfk_operation_item_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  BfkOperationItem *self = BFK_OPERATION_ITEM (object);

  switch (prop_id)
    {
    case PROP_ID:           g_value_set_int64 (value, self->id); break;
    case PROP_CREATED_AT:   g_value_set_int64 (value, self->created_at); break;
    case PROP_KIND:         g_value_set_string (value, self->kind); break;
    case PROP_STATE:        g_value_set_string (value, self->state); break;
    case PROP_SUMMARY:      g_value_set_string (value, self->summary); break;
    case PROP_COMMUNITY_ID: g_value_set_uint64 (value, self->community_id); break;
    case PROP_AMOUNT:       g_value_set_int64 (value, self->amount); break;
    case PROP_ATTEMPTS:     g_value_set_int (value, self->attempts); break;
    case PROP_TX_HASH:      g_value_set_string (value, self->tx_hash); break;
    case PROP_FEE_PAID:     g_value_set_string (value, self->fee_paid); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bfk_operation_item_class_init (BfkOperationItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = bfk_operation_item_finalize;
  object_class->get_property = bfk_operation_item_get_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_CREATED_AT] =
    g_param_spec_int64 ("created-at", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_KIND] = g_param_spec_string ("kind", NULL, NULL, NULL, flags);
  properties[PROP_STATE] = g_param_spec_string ("state", NULL, NULL, NULL, flags);
  properties[PROP_SUMMARY] = g_param_spec_string ("summary", NULL, NULL, NULL, flags);
  properties[PROP_COMMUNITY_ID] =
    g_param_spec_uint64 ("community-id", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  properties[PROP_AMOUNT] =
    g_param_spec_int64 ("amount", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_ATTEMPTS] = g_param_spec_int ("attempts", NULL, NULL, 0, G_MAXINT, 0, flags);
  properties[PROP_TX_HASH] = g_param_spec_string ("tx-hash", NULL, NULL, NULL, flags);
  properties[PROP_FEE_PAID] = g_param_spec_string ("fee-paid", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bfk_operation_item_init (BfkOperationItem *self)
{
}

gint64
bfk_operation_item_get_id (BfkOperationItem *self)
{
  g_return_val_if_fail (BFK_IS_OPERATION_ITEM (self), 0);
  return self->id;
}

gint64
bfk_operation_item_get_created_at (BfkOperationItem *self)
{
  g_return_val_if_fail (BFK_IS_OPERATION_ITEM (self), 0);
  return self->created_at;
}

const gchar *
bfk_operation_item_get_kind (BfkOperationItem *self)
{
  g_return_val_if_fail (BFK_IS_OPERATION_ITEM (self), NULL);
  return self->kind;
}

const gchar *
bfk_operation_item_get_state (BfkOperationItem *self)
{
  g_return_val_if_fail (BFK_IS_OPERATION_ITEM (self), NULL);
  return self->state;
}

const gchar *
bfk_operation_item_get_summary (BfkOperationItem *self)
{
  g_return_val_if_fail (BFK_IS_OPERATION_ITEM (self), NULL);
  return self->summary;
}

guint64
bfk_operation_item_get_community_id (BfkOperationItem *self)
{
  g_return_val_if_fail (BFK_IS_OPERATION_ITEM (self), 0);
  return self->community_id;
}

gint64
bfk_operation_item_get_amount (BfkOperationItem *self)
{
  g_return_val_if_fail (BFK_IS_OPERATION_ITEM (self), 0);
  return self->amount;
}

gint
bfk_operation_item_get_attempts (BfkOperationItem *self)
{
  g_return_val_if_fail (BFK_IS_OPERATION_ITEM (self), 0);
  return self->attempts;
}

const gchar *
bfk_operation_item_get_tx_hash (BfkOperationItem *self)
{
  g_return_val_if_fail (BFK_IS_OPERATION_ITEM (self), NULL);
  return self->tx_hash;
}

const gchar *
bfk_operation_item_get_fee_paid (BfkOperationItem *self)
{
  g_return_val_if_fail (BFK_IS_OPERATION_ITEM (self), NULL);
  return self->fee_paid;
}
