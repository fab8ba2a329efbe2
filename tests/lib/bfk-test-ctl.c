/* bfk-test-ctl.c */
#include "bfk-test-ctl.h"

#include <sys/wait.h>

void
bfk_ctl_run_clear (BfkCtlRun *r)
{
  g_clear_pointer (&r->out, g_free);
  g_clear_pointer (&r->err, g_free);
  g_clear_object (&r->parser);
}

void
bfk_ctl_run (BfkCtlRun   *r,
             const gchar *data_dir,
             const gchar *first,
             ...)
{
  g_autofree gchar *ctl = g_build_filename (g_getenv ("BAFOKA_BUILD_DIR"), "backend", "bafokactl", NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  va_list ap;

  bfk_ctl_run_clear (r);
  g_ptr_array_add (argv, ctl);
  g_ptr_array_add (argv, "--data-dir");
  g_ptr_array_add (argv, (gpointer) data_dir);
  va_start (ap, first);
  for (const gchar *a = first; a; a = va_arg (ap, const gchar *))
    g_ptr_array_add (argv, (gpointer) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (gchar **) argv->pdata, NULL, G_SPAWN_STDIN_FROM_DEV_NULL, NULL, NULL,
                &r->out, &r->err, &r->status, &error);
  g_assert_no_error (error);
  r->status = WIFEXITED (r->status) ? WEXITSTATUS (r->status) : -1;
  g_test_message ("bafokactl %s …: exit %d; stderr: %s", first, r->status, r->err);
}

JsonNode *
bfk_ctl_run_json (BfkCtlRun *r)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&r->parser);
  r->parser = json_parser_new ();
  if (!json_parser_load_from_data (r->parser, r->out, -1, &error))
    g_error ("stdout is not one JSON document: %s\n%s", error->message, r->out);
  return json_parser_get_root (r->parser);
}

JsonObject *
bfk_ctl_run_object (BfkCtlRun *r)
{
  JsonNode *root = bfk_ctl_run_json (r);

  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  return json_node_get_object (root);
}
