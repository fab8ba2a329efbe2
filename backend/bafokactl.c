/* bafokactl: the command-line tool, a thin front end over libbafoka.
 *
 *   bafokactl [--json] [settings] VERB [ARGS]
 *
 * Settings on the command line override the environment and bafoka.conf.
 */
#include "ctl/ctl.h"
#include "bfk-config-options.h"

#include <locale.h>
#include <stdio.h>

static const struct
{
  const gchar *name;
  CtlVerb      fn;
  const gchar *help;
} verbs[] = {
  { "deploy", ctl_verb_deploy, "deploy the contract (on the local network: start it too)" },
  { "status", ctl_verb_status, "the network, the contract and the operator's gas" },
  { "communities", ctl_verb_communities, "the communities on chain" },
  { "keystore", ctl_verb_keystore, "new | import FILE | export [FILE]: V3 keystores" },
  { "members", ctl_verb_members, "[--community ID]: members, balances and escrow" },
  { "member", ctl_verb_member, "PHONE|ADDRESS|NAME: a profile; add --phone … --name … --community ID: enrol" },
  { "import", ctl_verb_import, "members --csv FILE: enrol a whole village (phone,name,community)" },
  { "tx", ctl_verb_tx, "recent chain operations: state, hash, attempts, reason" },
  { "backers", ctl_verb_backers, "approved backers, their weekly caps and what is left" },
  { "backer", ctl_verb_backer, "approve ADDRESS --community ID --weekly-cap N | revoke ADDRESS" },
  { "export", ctl_verb_export, "members|transactions --csv FILE: a spreadsheet" },
  { "recharge", ctl_verb_recharge, "--member WHO --amount N --backer-keystore FILE: a backer mints" },
  { "audit", ctl_verb_audit, "[--action A] [--limit N]: what admins did, newest first" },
};

/* Logs never go to stdout: with --json that is reserved for the document. */
static GLogWriterOutput
log_to_stderr (GLogLevelFlags   level,
               const GLogField *fields,
               gsize            n_fields,
               gpointer         user_data)
{
  if (g_log_writer_default_would_drop (level, G_LOG_DOMAIN))
    return G_LOG_WRITER_HANDLED;
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE"))
      {
        fprintf (stderr, "bafokactl: %s\n", (const gchar *) fields[i].value);
        return G_LOG_WRITER_HANDLED;
      }
  return G_LOG_WRITER_UNHANDLED;
}

static void
usage (void)
{
  g_printerr ("Usage: bafokactl [--json] [--data-dir DIR] [--network NAME] [--rpc-url URL]\n"
              "                 [--chain-id N] [--contract ADDRESS] [--keystore FILE]\n"
              "                 [--password-file FILE] VERB [ARGS]\n\nVerbs:\n");
  for (gsize i = 0; i < G_N_ELEMENTS (verbs); i++)
    g_printerr ("  %-12s %s\n", verbs[i].name, verbs[i].help);
}

int
main (int argc, char **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "One JSON document on stdout", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("VERB [ARGS] - operate Bafoka");
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) overrides = bfk_config_overrides_new ();
  GOptionGroup *settings = bfk_config_option_group_new (overrides);
  Ctl ctl = { 0 };
  int status = 2;

  setlocale (LC_ALL, "");
  g_log_set_writer_func (log_to_stderr, NULL, NULL);

  /* Global settings may stand anywhere; the verb's own options are left for
   * the verb to parse. */
  g_option_group_add_entries (settings, entries);
  g_option_context_set_main_group (context, settings);
  g_option_context_set_ignore_unknown_options (context, TRUE);
  g_option_context_set_help_enabled (context, FALSE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bafokactl: %s\n", error->message);
      return 2;
    }

  ctl.json = json;
  ctl.overrides = overrides;

  if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h")
      || g_str_equal (argv[1], "help"))
    {
      usage ();
      return argc < 2 ? 2 : 0;
    }

  for (gsize i = 0; i < G_N_ELEMENTS (verbs); i++)
    if (g_str_equal (argv[1], verbs[i].name))
      {
        status = verbs[i].fn (&ctl, argc - 1, argv + 1);
        g_clear_pointer (&ctl.config, bfk_config_free);
        return status;
      }

  g_printerr ("bafokactl: unknown verb “%s”\n\n", argv[1]);
  usage ();
  return 2;
}
