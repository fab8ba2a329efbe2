/* ctl-members.c: bafokactl member add, and import members --csv.
 *
 * A coordinator enrols a whole village at a meeting: each member gets a key
 * of its own (sealed at rest) and a registration operation, written
 * together; the registrations then go out through the outbox.
 */
#include "ctl-session.h"
#include "bfk-chain-error.h"
#include "bfk-enrolment.h"
#include "bfk-members.h"

static gchar *opt_phone;
static gchar *opt_name;
static gint64 opt_community;
static gchar *opt_csv;
static gboolean opt_no_send;

static void
add_member_json (JsonBuilder     *b,
                 const BfkMember *m)
{
  gchar a[BFK_ADDRESS_STRING_SIZE];

  bfk_address_to_string_buf (&m->address, a);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, m->id);
  json_builder_set_member_name (b, "phone");
  json_builder_add_string_value (b, m->phone);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, m->name);
  json_builder_set_member_name (b, "community_id");
  json_builder_add_int_value (b, (gint64) m->community_id);
  json_builder_set_member_name (b, "address");
  json_builder_add_string_value (b, a);
  json_builder_end_object (b);
}

static int
member_add (Ctl *ctl, int argc, char **argv)
{
  GOptionEntry entries[] = {
    { "phone", 0, 0, G_OPTION_ARG_STRING, &opt_phone, "WhatsApp number, e.g. +237699001122", "E164" },
    { "name", 0, 0, G_OPTION_ARG_STRING, &opt_name, "User name: 3 to 20 letters, digits or _", "NAME" },
    { "community", 'c', 0, G_OPTION_ARG_INT64, &opt_community, "Community id", "ID" },
    { "no-send", 0, 0, G_OPTION_ARG_NONE, &opt_no_send, "Only queue the registration", NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkMember) member = NULL;
  g_autoptr(BfkOpInfo) op = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  CtlSession s;
  gint64 op_id = 0;
  gchar a[BFK_ADDRESS_STRING_SIZE];

  ctl_parse_options (ctl, "- enrol one member, and register it on chain",
                     "Example: bafokactl member add --phone +237699001122 --name Marie --community 1",
                     entries, &argc, &argv);
  if (!opt_phone || !opt_name || opt_community == 0)
    {
      g_printerr ("bafokactl member add: give --phone, --name and --community\n");
      return 2;
    }
  if (!ctl_session_open (ctl, &s, TRUE, &error)
      || !bfk_enrolment_add_member (s.store, s.conn->rpc, s.data_key, &s.operator, &s.conn->contract,
                                    opt_phone, opt_name, (guint64) opt_community, s.n_communities,
                                    &member, &op_id, &error)
      || (!opt_no_send && !ctl_session_drive (ctl, &s, &op_id, 1, NULL, &error))
      || !(op = bfk_outbox_get (s.store, op_id, &error)))
    {
      ctl_session_close (&s);
      return ctl_fail (ctl, error);
    }
  ctl_session_close (&s);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "member");
  add_member_json (b, member);
  json_builder_set_member_name (b, "operation");
  ctl_add_operation_json (b, op);
  json_builder_end_object (b);
  bfk_address_to_string_buf (&member->address, a);
  return ctl_output (ctl, json_builder_get_root (b),
                     g_strdup_printf ("Member %" G_GINT64_FORMAT ": %s, %s, community %" G_GUINT64_FORMAT
                                      ", address %s\nRegistration (operation %" G_GINT64_FORMAT "): %s",
                                      member->id, member->name, member->phone, member->community_id,
                                      a, op->id, bfk_op_state_to_string (op->state)));
}

static void
add_issues_json (JsonBuilder *b,
                 const gchar *name,
                 GPtrArray   *issues)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; i < issues->len; i++)
    {
      const BfkEnrolmentIssue *issue = g_ptr_array_index (issues, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "line");
      json_builder_add_int_value (b, issue->line);
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, issue->message);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
append_issues (GString     *text,
               const gchar *title,
               GPtrArray   *issues)
{
  if (issues->len == 0)
    return;
  g_string_append_printf (text, "%s:\n", title);
  for (guint i = 0; i < issues->len; i++)
    {
      const BfkEnrolmentIssue *issue = g_ptr_array_index (issues, i);

      g_string_append_printf (text, "  line %u: %s\n", issue->line, issue->message);
    }
}

static int
import_members (Ctl *ctl, int argc, char **argv)
{
  GOptionEntry entries[] = {
    { "csv", 0, 0, G_OPTION_ARG_FILENAME, &opt_csv, "Columns phone,name,community", "FILE" },
    { "no-send", 0, 0, G_OPTION_ARG_NONE, &opt_no_send, "Only queue the registrations", NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autofree gchar *csv = NULL;
  g_auto(BfkEnrolmentResult) result = { 0 };
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GString) text = g_string_new (NULL);
  CtlSession s;
  gsize len;

  ctl_parse_options (ctl, "--csv FILE - enrol members from a spreadsheet (phone,name,community)",
                     "Bad rows are reported by line number; numbers already enrolled are skipped.",
                     entries, &argc, &argv);
  if (argc != 2 || !g_str_equal (argv[1], "members") || !opt_csv)
    {
      g_printerr ("Usage: bafokactl import members --csv FILE\n");
      return 2;
    }
  if (!g_file_get_contents (opt_csv, &csv, &len, &error))
    return ctl_fail (ctl, error);
  if (!ctl_session_open (ctl, &s, TRUE, &error)
      || !bfk_enrolment_import_csv (s.store, s.conn->rpc, s.data_key, &s.operator, &s.conn->contract,
                                    s.n_communities, csv, len, &result, &error)
      || (!opt_no_send && result.op_ids->len > 0
          && !ctl_session_drive (ctl, &s, (const gint64 *) result.op_ids->data, result.op_ids->len,
                                 NULL, &error)))
    {
      ctl_session_close (&s);
      return ctl_fail (ctl, error);
    }
  ctl_session_close (&s);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "added");
  json_builder_add_int_value (b, result.added);
  json_builder_set_member_name (b, "duplicates");
  json_builder_add_int_value (b, result.duplicates);
  add_issues_json (b, "problems", result.problems);
  add_issues_json (b, "skipped", result.skipped);
  json_builder_set_member_name (b, "operations");
  json_builder_begin_array (b);
  for (guint i = 0; i < result.op_ids->len; i++)
    json_builder_add_int_value (b, g_array_index (result.op_ids, gint64, i));
  json_builder_end_array (b);
  json_builder_end_object (b);

  g_string_append_printf (text, "Enrolled %u member%s; skipped %u already enrolled; %u row%s with problems.\n",
                          result.added, result.added == 1 ? "" : "s", result.duplicates,
                          result.problems->len, result.problems->len == 1 ? "" : "s");
  append_issues (text, "Rows with problems (fix them and import the file again)", result.problems);
  append_issues (text, "Skipped", result.skipped);
  return ctl_output (ctl, json_builder_get_root (b), g_string_free (g_steal_pointer (&text), FALSE));
}

int
ctl_verb_member (Ctl *ctl, int argc, char **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "add"))
    return member_add (ctl, argc - 1, argv + 1);
  if (argc == 2 && argv[1][0] != '-')
    return ctl_member_show (ctl, argc, argv);
  g_printerr ("Usage: bafokactl member add --phone +237… --name NAME --community ID\n"
              "       bafokactl member PHONE|ADDRESS|NAME\n");
  return 2;
}

int
ctl_verb_import (Ctl *ctl, int argc, char **argv)
{
  return import_members (ctl, argc, argv);
}
