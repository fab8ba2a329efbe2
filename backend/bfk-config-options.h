/* bfk-config-options.h: the settings that every front end (bafokactl,
 * bafoka-console) takes on its command line.
 *
 *   --data-dir --network --rpc-url --chain-id --contract --keystore
 *   --password-file --listen
 *
 * Each option sets the variable it names in an overrides table, which
 * bfk_config_load then takes: the command line wins over the environment.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Variable name → value; the table owns the values. */
GHashTable   *bfk_config_overrides_new     (void);

/* The options, storing into overrides (which must outlive the group).  Make
 * it the context's main group to have them at the top of --help. */
GOptionGroup *bfk_config_option_group_new  (GHashTable *overrides);

G_END_DECLS
