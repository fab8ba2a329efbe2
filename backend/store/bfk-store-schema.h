/* bfk-store-schema.h: the numbered migrations of the database. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

guint        bfk_store_n_migrations  (void);
/* The SQL of migration version (1 … n). */
const gchar *bfk_store_migration     (guint version);

G_END_DECLS
