/* bfk-member-item.c: a member row as a GObject with read-only properties. */
#include "bfk-member-item.h"
#include "bfk-models-private.h"

struct _BfkMemberItem
{
  GObject  parent_instance;

  gint64   id;
  gchar   *name;
  gchar   *phone;
  guint64  community_id;
  gchar   *community;
  gint64   balance;
  gint64   escrow;
  gint64   reputation;
  gint64   created_at;
  gint64   last_seen;
};

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_PHONE,
  PROP_COMMUNITY_ID,
  PROP_COMMUNITY,
  PROP_BALANCE,
  PROP_ESCROW,
  PROP_REPUTATION,
  PROP_CREATED_AT,
  PROP_LAST_SEEN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (BfkMemberItem, bfk_member_item, G_TYPE_OBJECT)

BfkMemberItem *
bfk_member_item_new_from_statement (sqlite3_stmt *stmt)
{
  BfkMemberItem *self = g_object_new (BFK_TYPE_MEMBER_ITEM, NULL);

  self->id = sqlite3_column_int64 (stmt, 0);
  self->name = g_strdup ((const gchar *) sqlite3_column_text (stmt, 1));
  self->phone = g_strdup ((const gchar *) sqlite3_column_text (stmt, 2));
  self->community_id = (guint64) sqlite3_column_int64 (stmt, 3);
  self->community = g_strdup ((const gchar *) sqlite3_column_text (stmt, 4));
  self->balance = sqlite3_column_int64 (stmt, 5);
  self->escrow = sqlite3_column_int64 (stmt, 6);
  self->reputation = sqlite3_column_int64 (stmt, 7);
  self->created_at = sqlite3_column_int64 (stmt, 8);
  self->last_seen = sqlite3_column_int64 (stmt, 9);
  return self;
}

BfkMemberItem *
bfk_member_item_new_blank (gint64 id)
{
  BfkMemberItem *self = g_object_new (BFK_TYPE_MEMBER_ITEM, NULL);

  self->id = id;
  self->name = g_strdup ("");
  return self;
}

static void
bfk_member_item_finalize (GObject *object)
{
  BfkMemberItem *self = BFK_MEMBER_ITEM (object);

  g_free (self->name);
  g_free (self->phone);
  g_free (self->community);
  G_OBJECT_CLASS (bfk_member_item_parent_class)->finalize (object);
}

static void
bfk_member_item_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  BfkMemberItem *self = BFK_MEMBER_ITEM (object);

  switch (prop_id)
    {
    case PROP_ID:           g_value_set_int64 (value, self->id); break;
    case PROP_NAME:         g_value_set_string (value, self->name); break;
    case PROP_PHONE:        g_value_set_string (value, self->phone); break;
    case PROP_COMMUNITY_ID: g_value_set_uint64 (value, self->community_id); break;
    case PROP_COMMUNITY:    g_value_set_string (value, self->community); break;
    case PROP_BALANCE:      g_value_set_int64 (value, self->balance); break;
    case PROP_ESCROW:       g_value_set_int64 (value, self->escrow); break;
    case PROP_REPUTATION:   g_value_set_int64 (value, self->reputation); break;
    case PROP_CREATED_AT:   g_value_set_int64 (value, self->created_at); break;
    case PROP_LAST_SEEN:    g_value_set_int64 (value, self->last_seen); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
int64_property (const gchar *name)
{
  return g_param_spec_int64 (name, NULL, NULL, G_MININT64, G_MAXINT64, 0,
                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
}

static void
bfk_member_item_class_init (BfkMemberItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = bfk_member_item_finalize;
  object_class->get_property = bfk_member_item_get_property;

  properties[PROP_ID] = int64_property ("id");
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_PHONE] = g_param_spec_string ("phone", NULL, NULL, NULL, flags);
  properties[PROP_COMMUNITY_ID] =
    g_param_spec_uint64 ("community-id", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  properties[PROP_COMMUNITY] = g_param_spec_string ("community", NULL, NULL, NULL, flags);
  properties[PROP_BALANCE] = int64_property ("balance");
  properties[PROP_ESCROW] = int64_property ("escrow");
  properties[PROP_REPUTATION] = int64_property ("reputation");
  properties[PROP_CREATED_AT] = int64_property ("created-at");
  properties[PROP_LAST_SEEN] = int64_property ("last-seen");
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bfk_member_item_init (BfkMemberItem *self)
{
}

gint64
bfk_member_item_get_id (BfkMemberItem *self)
{
  g_return_val_if_fail (BFK_IS_MEMBER_ITEM (self), 0);
  return self->id;
}

const gchar *
bfk_member_item_get_name (BfkMemberItem *self)
{
  g_return_val_if_fail (BFK_IS_MEMBER_ITEM (self), NULL);
  return self->name;
}

const gchar *
bfk_member_item_get_phone (BfkMemberItem *self)
{
  g_return_val_if_fail (BFK_IS_MEMBER_ITEM (self), NULL);
  return self->phone;
}

guint64
bfk_member_item_get_community_id (BfkMemberItem *self)
{
  g_return_val_if_fail (BFK_IS_MEMBER_ITEM (self), 0);
  return self->community_id;
}

const gchar *
bfk_member_item_get_community (BfkMemberItem *self)
{
  g_return_val_if_fail (BFK_IS_MEMBER_ITEM (self), NULL);
  return self->community;
}

gint64
bfk_member_item_get_balance (BfkMemberItem *self)
{
  g_return_val_if_fail (BFK_IS_MEMBER_ITEM (self), 0);
  return self->balance;
}

gint64
bfk_member_item_get_escrow (BfkMemberItem *self)
{
  g_return_val_if_fail (BFK_IS_MEMBER_ITEM (self), 0);
  return self->escrow;
}

gint64
bfk_member_item_get_reputation (BfkMemberItem *self)
{
  g_return_val_if_fail (BFK_IS_MEMBER_ITEM (self), 0);
  return self->reputation;
}

gint64
bfk_member_item_get_created_at (BfkMemberItem *self)
{
  g_return_val_if_fail (BFK_IS_MEMBER_ITEM (self), 0);
  return self->created_at;
}

gint64
bfk_member_item_get_last_seen (BfkMemberItem *self)
{
  g_return_val_if_fail (BFK_IS_MEMBER_ITEM (self), 0);
  return self->last_seen;
}
