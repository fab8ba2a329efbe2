/* ctl-directory.c: bafokactl members, member <phone|address|name>, and
 * export members|transactions --csv.
 *
 * These only read the store, so they work while the node is down and while a
 * backend runs (SQLite's WAL lets readers in beside the writer).
 */
#include "ctl-session.h"
#include "bfk-directory.h"
#include "bfk-messages.h"

#include <gio/gunixoutputstream.h>
#include <unistd.h>

static gint64 opt_community;
static gint opt_limit = 50;
static gint opt_offset;
static gchar *opt_csv;

/* Operations and messages a profile shows. */
#define RECENT 10

static void
add_row_json (JsonBuilder        *b,
              const BfkMemberRow *row)
{
  json_builder_begin_object (b);
  ctl_json_int (b, "id", row->id);
  ctl_json_string (b, "phone", row->phone);
  ctl_json_string (b, "name", row->name);
  ctl_json_int (b, "community_id", (gint64) row->community_id);
  ctl_json_string (b, "community", row->community);
  ctl_json_string (b, "currency", row->currency);
  ctl_json_string (b, "address", row->address);
  json_builder_set_member_name (b, "on_chain");
  json_builder_add_boolean_value (b, row->on_chain);
  ctl_json_int (b, "balance", row->balance);
  ctl_json_int (b, "escrow", row->escrow);
  ctl_json_int (b, "reputation", row->reputation);
  ctl_json_int (b, "ratings", row->ratings);
  ctl_json_int (b, "exchanges", row->exchanges);
  ctl_json_string (b, "language", row->language);
  ctl_json_int (b, "joined", row->created_at);
  ctl_json_int (b, "last_seen", row->last_seen_at);
  json_builder_end_object (b);
}

static gchar *
format_time (gint64 t)
{
  g_autoptr(GDateTime) dt = t > 0 ? g_date_time_new_from_unix_local (t) : NULL;

  return dt ? g_date_time_format (dt, "%Y-%m-%d %H:%M") : g_strdup ("-");
}

/* The store, first brought up to the chain's head when the node answers
 * and no backend runs (a backend keeps it current itself); otherwise as it
 * is, with a word on stderr, since the balances may be behind. */
static BfkStore *
open_current_store (Ctl     *ctl,
                    GError **error)
{
  g_autoptr(GError) sync_error = NULL;
  BfkStore *store = NULL;
  CtlSession s;

  if (ctl_session_open (ctl, &s, FALSE, &sync_error) && ctl_session_sync (ctl, &s, &sync_error))
    store = g_steal_pointer (&s.store);
  ctl_session_close (&s);
  if (store)
    return store;
  g_printerr ("bafokactl: showing balances as last read from the chain: %s\n", sync_error->message);
  return ctl_store_open (ctl, error);
}

int
ctl_verb_members (Ctl *ctl, int argc, char **argv)
{
  GOptionEntry entries[] = {
    { "community", 'c', 0, G_OPTION_ARG_INT64, &opt_community, "Only this community", "ID" },
    { "limit", 'n', 0, G_OPTION_ARG_INT, &opt_limit, "How many (default 50; 0: all)", "N" },
    { "offset", 0, 0, G_OPTION_ARG_INT, &opt_offset, "Skip the first N", "N" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkStore) store = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GString) text = g_string_new (NULL);

  ctl_parse_options (ctl, "- members, their balances and escrow, by name",
                     "Balances are what the chain reported (the follower's view).",
                     entries, &argc, &argv);
  if (!(store = open_current_store (ctl, &error))
      || !(rows = bfk_directory_list (store, (guint64) MAX (opt_community, 0), (guint) MAX (opt_limit, 0),
                                      (guint) MAX (opt_offset, 0), &error)))
    return ctl_fail (ctl, error);

  json_builder_begin_array (b);
  g_string_append_printf (text, "%-6s %-20s %-16s %-4s %9s %8s %5s  %s\n",
                          "ID", "NAME", "PHONE", "COM", "BALANCE", "ESCROW", "STARS", "STATE");
  for (guint i = 0; i < rows->len; i++)
    {
      const BfkMemberRow *row = g_ptr_array_index (rows, i);

      add_row_json (b, row);
      g_string_append_printf (text, "%-6" G_GINT64_FORMAT " %-20s %-16s %-4" G_GUINT64_FORMAT
                              " %9" G_GINT64_FORMAT " %8" G_GINT64_FORMAT " %5" G_GINT64_FORMAT "  %s\n",
                              row->id, row->name, row->phone ? row->phone : "-", row->community_id,
                              row->balance, row->escrow, row->reputation,
                              row->on_chain ? "registered" : "registration pending");
    }
  json_builder_end_array (b);
  /* Past the last page, the members exist: do not invite adding some. */
  if (rows->len == 0 && opt_offset > 0)
    g_string_printf (text, "No members after the first %d.\n", opt_offset);
  else if (rows->len == 0)
    g_string_assign (text, opt_community ? "No members in this community yet.\n"
                                         : "No members yet: add some with “bafokactl member add” "
                                           "or “bafokactl import members --csv FILE”.\n");
  return ctl_output (ctl, json_builder_get_root (b), g_string_free (g_steal_pointer (&text), FALSE));
}

int
ctl_member_show (Ctl *ctl, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkStore) store = NULL;
  g_autoptr(BfkMemberRow) row = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree gchar *joined = NULL;
  g_autofree gchar *seen = NULL;
  g_autofree gchar *text = NULL;
  g_autoptr(GArray) op_ids = NULL;
  g_autoptr(GPtrArray) thread = NULL;
  g_autoptr(GString) ops = g_string_new (NULL);
  g_autoptr(GString) messages = g_string_new (NULL);

  if (argc != 2)
    {
      g_printerr ("Usage: bafokactl member PHONE|ADDRESS|NAME\n");
      return 2;
    }
  if (!(store = open_current_store (ctl, &error))
      || !(row = bfk_directory_lookup (store, argv[1], &error)))
    return ctl_fail (ctl, error);

  if (!(op_ids = bfk_directory_member_operations (store, row->id, RECENT, &error))
      || (row->phone && !(thread = bfk_messages_list_thread (store, row->phone, RECENT, 0, &error))))
    return ctl_fail (ctl, error);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "member");
  add_row_json (b, row);
  json_builder_set_member_name (b, "operations");
  json_builder_begin_array (b);
  for (guint i = 0; i < op_ids->len; i++)
    {
      g_autoptr(BfkOpInfo) op = bfk_outbox_get (store, g_array_index (op_ids, gint64, i), &error);

      if (!op)
        return ctl_fail (ctl, error);
      ctl_add_operation_json (b, op);
      g_string_append_printf (ops, "  %-9s %-18s %s%s%s\n", bfk_op_state_to_string (op->state),
                              bfk_op_kind_to_string (op->kind), op->summary,
                              op->reason ? ": " : "", op->reason ? op->reason : "");
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "messages");
  json_builder_begin_array (b);
  for (guint i = 0; thread && i < thread->len; i++)
    {
      const BfkMessage *m = g_ptr_array_index (thread, i);
      g_autofree gchar *when = format_time (m->created_at);
      g_autofree gchar *line = g_strndup (m->body, 70);

      json_builder_begin_object (b);
      ctl_json_int (b, "id", m->id);
      ctl_json_string (b, "direction", m->direction == BFK_MESSAGE_IN ? "in" : "out");
      ctl_json_string (b, "status", bfk_message_status_to_string (m->status));
      ctl_json_string (b, "body", m->body);
      ctl_json_int (b, "time", m->created_at);
      ctl_json_string (b, "error", m->error_reason);
      json_builder_end_object (b);
      g_strdelimit (line, "\n", ' ');
      g_string_append_printf (messages, "  %s %s %-9s %s\n", when, m->direction == BFK_MESSAGE_IN ? "←" : "→",
                              bfk_message_status_to_string (m->status), line);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);

  joined = format_time (row->created_at);
  seen = format_time (row->last_seen_at);
  text = g_strdup_printf ("%s (member %" G_GINT64_FORMAT ")\n"
                          "  phone       %s\n"
                          "  community   %" G_GUINT64_FORMAT "%s%s\n"
                          "  address     %s%s\n"
                          "  balance     %" G_GINT64_FORMAT " %s, %" G_GINT64_FORMAT " held in open proposals\n"
                          "  reputation  %" G_GINT64_FORMAT " stars from %" G_GINT64_FORMAT " ratings, "
                          "%" G_GINT64_FORMAT " exchanges\n"
                          "  language    %s\n"
                          "  joined      %s, last seen %s\n"
                          "Operations, newest first:\n%s"
                          "Messages, newest first:\n%s",
                          row->name, row->id, row->phone ? row->phone : "-",
                          row->community_id, row->community ? " " : "", row->community ? row->community : "",
                          row->address, row->on_chain ? "" : " (registration pending)",
                          row->balance, row->currency ? row->currency : "", row->escrow,
                          row->reputation, row->ratings, row->exchanges,
                          row->language, joined, seen,
                          ops->len ? ops->str : "  none\n", messages->len ? messages->str : "  none\n");
  return ctl_output (ctl, json_builder_get_root (b), g_steal_pointer (&text));
}

int
ctl_verb_export (Ctl *ctl, int argc, char **argv)
{
  GOptionEntry entries[] = {
    { "csv", 0, 0, G_OPTION_ARG_FILENAME, &opt_csv, "Write CSV to FILE (- for standard output)", "FILE" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkStore) store = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GOutputStream) out = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  gboolean members;
  gboolean to_stdout;
  gboolean ok;

  ctl_parse_options (ctl, "members|transactions --csv FILE - a spreadsheet of members or of operations",
                     NULL, entries, &argc, &argv);
  if (argc != 2 || !opt_csv
      || !(g_str_equal (argv[1], "members") || g_str_equal (argv[1], "transactions")))
    {
      g_printerr ("Usage: bafokactl export members|transactions --csv FILE\n");
      return 2;
    }
  members = g_str_equal (argv[1], "members");
  to_stdout = g_str_equal (opt_csv, "-");
  if (to_stdout && ctl->json)
    {
      g_printerr ("bafokactl export: --json reserves standard output; give --csv a file\n");
      return 2;
    }
  if (!(store = ctl_store_open (ctl, &error)))
    return ctl_fail (ctl, error);
  if (to_stdout)
    out = g_unix_output_stream_new (STDOUT_FILENO, FALSE);
  else
    {
      /* Written beside, then renamed: a failed export never leaves half a file. */
      file = g_file_new_for_commandline_arg (opt_csv);
      out = G_OUTPUT_STREAM (g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error));
      if (!out)
        return ctl_fail (ctl, error);
    }
  ok = members ? bfk_directory_export_members (store, out, &error)
               : bfk_directory_export_operations (store, out, &error);
  if (!ok)
    {
      g_autoptr(GCancellable) abandon = g_cancellable_new ();

      /* A cancelled close of a replacing stream drops the temporary file
       * and keeps the old one. */
      g_cancellable_cancel (abandon);
      if (!to_stdout)
        g_output_stream_close (out, abandon, NULL);
      return ctl_fail (ctl, error);
    }
  if (!g_output_stream_close (out, NULL, &error))
    return ctl_fail (ctl, error);
  if (to_stdout)
    return 0;

  json_builder_begin_object (b);
  ctl_json_string (b, "file", opt_csv);
  ctl_json_string (b, "what", argv[1]);
  json_builder_end_object (b);
  return ctl_output (ctl, json_builder_get_root (b),
                     g_strdup_printf ("Wrote %s to %s", argv[1], opt_csv));
}
