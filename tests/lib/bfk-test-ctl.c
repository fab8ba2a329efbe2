/* bfk-test-ctl.c */
#include "bfk-test-ctl.h"
#include "bfk-local-node.h"
#include "bfk-test-chain.h"

#include <sys/wait.h>
#include <unistd.h>

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

BfkLocalNode *
bfk_ctl_test_node_start (const gchar  *tmpl,
                         gchar       **data_dir)
{
  g_autofree gchar *anvil = bfk_test_find_tool ("anvil");
  g_autofree gchar *record = NULL;
  g_autofree gchar *node_file = NULL;
  g_autoptr(GError) error = NULL;
  BfkLocalNodeOptions options = { 0 };
  BfkLocalNode *node;

  if (!anvil)
    {
      g_print ("1..0 # SKIP anvil not found\n");
      return NULL;
    }
  g_setenv ("BAFOKA_ANVIL", anvil, TRUE);
  g_setenv ("XDG_CONFIG_HOME", "/nonexistent", TRUE);
  g_unsetenv ("BAFOKA_KEYSTORE");
  g_unsetenv ("BAFOKA_KEYSTORE_PASSWORD_FILE");
  g_unsetenv ("BAFOKA_NETWORK");
  g_unsetenv ("BAFOKA_RPC_URL");
  *data_dir = g_dir_make_tmp (tmpl, &error);
  g_assert_no_error (error);

  options.data_dir = *data_dir;
  node = bfk_local_node_start (&options, NULL, &error);
  g_assert_no_error (error);
  record = g_strdup_printf ("{\"pid\": %d, \"url\": \"%s\"}", (int) getpid (), bfk_local_node_get_url (node));
  node_file = g_build_filename (*data_dir, "local-node.json", NULL);
  g_assert_true (g_file_set_contents (node_file, record, -1, NULL));
  return node;
}
