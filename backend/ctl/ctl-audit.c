/* ctl-audit.c: bafokactl audit, and the record every admin verb leaves.
 *
 * The log is read from the store alone: it needs no node, and works while
 * the backend runs.
 */
#include "ctl.h"
#include "bfk-audit.h"

static gint opt_limit = 50;
static gchar *opt_action;

void
ctl_audit (BfkStore         *store,
           const BfkAddress *actor,
           const gchar      *action,
           const gchar      *subject,
           const gchar      *detail,
           gint64            op_id,
           const GError     *failure)
{
  g_autoptr(GError) error = NULL;
  g_autofree gchar *result = NULL;
  gchar address[BFK_ADDRESS_STRING_SIZE];
  BfkAuditEntry entry = {
    .source = (gchar *) "bafokactl", .action = (gchar *) action,
    .subject = (gchar *) subject, .detail = (gchar *) detail,
  };

  if (actor)
    {
      bfk_address_to_string_buf (actor, address);
      entry.actor_address = address;
    }
  if (failure)
    result = g_strdup_printf ("failed: %s", failure->message);
  else
    result = g_strdup_printf ("queued op %" G_GINT64_FORMAT, op_id);
  entry.result = result;
  /* The action has happened, or been refused, either way: a log that
   * cannot be written is said, and does not change the verb's outcome. */
  if (!bfk_audit_record (store, &entry, &error))
    g_printerr ("bafokactl: the audit log was not written: %s\n", error->message);
}

static gchar *
format_time (gint64 at)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_local (at);

  return t ? g_date_time_format (t, "%Y-%m-%d %H:%M:%S") : g_strdup ("?");
}

int
ctl_verb_audit (Ctl *ctl, int argc, char **argv)
{
  GOptionEntry entries[] = {
    { "action", 'a', 0, G_OPTION_ARG_STRING, &opt_action, "Only this action (recharge, approve_backer, …)", "A" },
    { "limit", 'n', 0, G_OPTION_ARG_INT, &opt_limit, "How many, newest first (default 50)", "N" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkStore) store = NULL;
  g_autoptr(GPtrArray) entries_found = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GString) text = g_string_new (NULL);

  ctl_parse_options (ctl, "- what admins did: who, when, from where, and what came of it", NULL,
                     entries, &argc, &argv);
  store = ctl_store_open (ctl, &error);
  if (!store || !(entries_found = bfk_audit_list (store, opt_action, NULL, 0, (guint) MAX (opt_limit, 1),
                                                  0, &error)))
    return ctl_fail (ctl, error);

  json_builder_begin_array (b);
  g_string_append_printf (text, "%-19s %-9s %-10s %-16s %-42s %s\n",
                          "WHEN", "SOURCE", "USER", "ACTION", "SUBJECT", "RESULT");
  for (guint i = 0; i < entries_found->len; i++)
    {
      const BfkAuditEntry *e = g_ptr_array_index (entries_found, i);
      g_autofree gchar *when = format_time (e->at);

      json_builder_begin_object (b);
      ctl_json_int (b, "id", e->id);
      ctl_json_int (b, "at", e->at);
      ctl_json_string (b, "actor_address", e->actor_address);
      ctl_json_string (b, "os_user", e->os_user);
      ctl_json_string (b, "source", e->source);
      ctl_json_string (b, "action", e->action);
      ctl_json_string (b, "subject", e->subject);
      ctl_json_string (b, "detail", e->detail);
      ctl_json_string (b, "result", e->result);
      json_builder_end_object (b);
      g_string_append_printf (text, "%-19s %-9s %-10s %-16s %-42s %s\n", when, e->source,
                              e->os_user ? e->os_user : "-", e->action,
                              e->subject ? e->subject : "-", e->result);
    }
  json_builder_end_array (b);
  if (entries_found->len == 0)
    g_string_assign (text, opt_action ? "No such action in the audit log.\n"
                                      : "The audit log is empty.\n");
  return ctl_output (ctl, json_builder_get_root (b), g_string_free (g_steal_pointer (&text), FALSE));
}
