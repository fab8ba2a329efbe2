/* ctl.h: what the verbs of bafokactl share.
 *
 * Every verb prints for a person by default.  With --json it prints exactly
 * one JSON document on stdout, and all progress and logs go to stderr, so a
 * script can pipe stdout straight into jq.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "bfk-config.h"
#include "bfk-key.h"
#include "bfk-store.h"

G_BEGIN_DECLS

typedef struct
{
  gboolean    json;
  GHashTable *overrides;      /* command-line settings, by variable name */
  BfkConfig  *config;         /* loaded on first use */
} Ctl;

typedef int (*CtlVerb) (Ctl *ctl, int argc, char **argv);

/* Loads the configuration once; exits with a message when it is invalid. */
BfkConfig *ctl_config          (Ctl          *ctl);

/* The data dir's store, opened (and migrated) without touching the node. */
BfkStore  *ctl_store_open      (Ctl          *ctl,
                                GError      **error);

/* Parses a verb's own options; exits with usage on a mistake. */
void       ctl_parse_options   (Ctl          *ctl,
                                const gchar  *usage,
                                const gchar  *summary,
                                GOptionEntry *entries,
                                int          *argc,
                                char       ***argv);

/* Prints the JSON document (--json) or the text (otherwise) on stdout, and
 * returns 0.  Takes both. */
int        ctl_output          (Ctl          *ctl,
                                JsonNode     *json,
                                gchar        *text);
/* Reports the error on stderr (and as {"error": …} on stdout with --json);
 * returns the exit status 1. */
int        ctl_fail            (Ctl          *ctl,
                                const GError *error);
/* A member of the object being built: a string (NULL: null), or a number. */
void       ctl_json_string     (JsonBuilder  *b,
                                const gchar  *name,
                                const gchar  *value);
void       ctl_json_int        (JsonBuilder  *b,
                                const gchar  *name,
                                gint64        value);

/* Progress for a person, on stderr; silent with --json. */
void       ctl_progress        (Ctl          *ctl,
                                const gchar  *format,
                                ...) G_GNUC_PRINTF (2, 3);

/* A keystore password: from BAFOKA_KEYSTORE_PASSWORD_FILE (or
 * --password-file), else asked on the terminal without echo (twice when
 * confirm is set).  The caller wipes and frees it with ctl_password_free. */
gchar     *ctl_read_password   (Ctl          *ctl,
                                const gchar  *prompt,
                                gboolean      confirm,
                                GError      **error);
void       ctl_password_free   (gchar        *password);
/* Asks on the terminal without echo; NULL at end of input. */
gchar     *ctl_prompt_secret   (const gchar  *prompt);

/* The operator key: the configured keystore, unlocked; or, on the local
 * network with no keystore, anvil's first development account. */
gboolean   ctl_operator_key    (Ctl           *ctl,
                                BfkPrivateKey *out,
                                GError       **error);

/* Adds what an admin verb did to the audit log, as source "bafokactl":
 * actor (may be NULL) signed, and the result is "queued op op_id", or
 * "failed: …" with failure.  A log that cannot be written is said on
 * stderr; the verb's outcome stands. */
void       ctl_audit           (BfkStore         *store,
                                const BfkAddress *actor,
                                const gchar      *action,
                                const gchar      *subject,
                                const gchar      *detail,
                                gint64            op_id,
                                const GError     *failure);

int ctl_verb_deploy       (Ctl *ctl, int argc, char **argv);
int ctl_verb_status       (Ctl *ctl, int argc, char **argv);
int ctl_verb_communities  (Ctl *ctl, int argc, char **argv);
int ctl_verb_keystore     (Ctl *ctl, int argc, char **argv);
int ctl_verb_member       (Ctl *ctl, int argc, char **argv);
int ctl_verb_import       (Ctl *ctl, int argc, char **argv);
int ctl_verb_tx           (Ctl *ctl, int argc, char **argv);
int ctl_verb_backers      (Ctl *ctl, int argc, char **argv);
int ctl_verb_backer       (Ctl *ctl, int argc, char **argv);
int ctl_verb_recharge     (Ctl *ctl, int argc, char **argv);
int ctl_verb_members      (Ctl *ctl, int argc, char **argv);
int ctl_verb_export       (Ctl *ctl, int argc, char **argv);
int ctl_verb_audit        (Ctl *ctl, int argc, char **argv);
/* member PHONE|ADDRESS|NAME */
int ctl_member_show       (Ctl *ctl, int argc, char **argv);

G_END_DECLS
