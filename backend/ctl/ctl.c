/* ctl.c: output, errors, passwords and the operator key for the verbs. */
#include "ctl.h"
#include "bfk-chain-error.h"
#include "bfk-operator-key.h"

#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

BfkConfig *
ctl_config (Ctl *ctl)
{
  g_autoptr(GError) error = NULL;

  if (ctl->config)
    return ctl->config;
  ctl->config = bfk_config_load (ctl->overrides, &error);
  if (!ctl->config)
    exit (ctl_fail (ctl, error));
  return ctl->config;
}

void
ctl_json_string (JsonBuilder *b,
                 const gchar *name,
                 const gchar *value)
{
  json_builder_set_member_name (b, name);
  if (value)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

void
ctl_json_int (JsonBuilder *b,
              const gchar *name,
              gint64       value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

BfkStore *
ctl_store_open (Ctl     *ctl,
                GError **error)
{
  g_autofree gchar *db = g_build_filename (ctl_config (ctl)->data_dir, "bafoka.db", NULL);

  return bfk_store_open (db, FALSE, error);
}

void
ctl_parse_options (Ctl          *ctl,
                   const gchar  *usage,
                   const gchar  *summary,
                   GOptionEntry *entries,
                   int          *argc,
                   char       ***argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (usage);
  g_autoptr(GError) error = NULL;

  g_option_context_set_summary (context, summary);
  if (entries)
    g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("bafokactl: %s\n", error->message);
      exit (2);
    }
}

int
ctl_output (Ctl      *ctl,
            JsonNode *json,
            gchar    *text)
{
  if (ctl->json)
    {
      g_autofree gchar *s = json_to_string (json, TRUE);

      g_print ("%s\n", s);
    }
  else if (text)
    g_print ("%s%s", text, g_str_has_suffix (text, "\n") ? "" : "\n");
  json_node_unref (json);
  g_free (text);
  return 0;
}

int
ctl_fail (Ctl          *ctl,
          const GError *error)
{
  g_printerr ("bafokactl: %s\n", error->message);
  if (ctl->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree gchar *s = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "error");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "domain");
      json_builder_add_string_value (b, g_quark_to_string (error->domain));
      json_builder_set_member_name (b, "code");
      json_builder_add_int_value (b, error->code);
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, error->message);
      json_builder_end_object (b);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      s = json_to_string (root, TRUE);
      g_print ("%s\n", s);
    }
  return 1;
}

void
ctl_progress (Ctl         *ctl,
              const gchar *format,
              ...)
{
  g_autofree gchar *s = NULL;
  va_list ap;

  if (ctl->json)
    return;
  va_start (ap, format);
  s = g_strdup_vprintf (format, ap);
  va_end (ap);
  g_printerr ("%s\n", s);
}

void
ctl_password_free (gchar *password)
{
  bfk_password_free (password);
}

gchar *
ctl_prompt_secret (const gchar *prompt)
{
  struct termios old, quiet;
  gchar buf[1024];
  gchar *line = NULL;

  g_printerr ("%s", prompt);
  tcgetattr (STDIN_FILENO, &old);
  quiet = old;
  quiet.c_lflag &= ~(tcflag_t) ECHO;
  tcsetattr (STDIN_FILENO, TCSANOW, &quiet);
  if (fgets (buf, sizeof buf, stdin))
    {
      buf[strcspn (buf, "\r\n")] = '\0';
      line = g_strdup (buf);
    }
  tcsetattr (STDIN_FILENO, TCSANOW, &old);
  memset (buf, 0, sizeof buf);
  g_printerr ("\n");
  return line;
}

gchar *
ctl_read_password (Ctl          *ctl,
                   const gchar  *prompt,
                   gboolean      confirm,
                   GError      **error)
{
  BfkConfig *config = ctl_config (ctl);
  gchar *password = NULL;
  g_autofree gchar *again = NULL;

  if (config->keystore_password_file)
    return bfk_password_read_file (config->keystore_password_file, error);
  if (!isatty (STDIN_FILENO))
    {
      g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_KEYSTORE_PASSWORD,
                   "A keystore password is needed: set BAFOKA_KEYSTORE_PASSWORD_FILE "
                   "to a file that holds it, or run from a terminal");
      return NULL;
    }
  password = ctl_prompt_secret (prompt);
  if (confirm && password)
    {
      again = ctl_prompt_secret ("Repeat the password: ");
      if (!again || strcmp (again, password) != 0)
        {
          ctl_password_free (password);
          ctl_password_free (g_steal_pointer (&again));
          g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_KEYSTORE_PASSWORD,
                       "The two passwords differ: nothing was written");
          return NULL;
        }
      ctl_password_free (g_steal_pointer (&again));
    }
  if (!password)
    g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_KEYSTORE_PASSWORD,
                 "No password was given");
  return password;
}

static gchar *
ask_operator_password (const gchar  *keystore,
                       gpointer      user_data,
                       GError      **error)
{
  return ctl_read_password (user_data, "Operator keystore password: ", FALSE, error);
}

gboolean
ctl_operator_key (Ctl            *ctl,
                  BfkPrivateKey  *out,
                  GError        **error)
{
  return bfk_operator_key_unlock (ctl_config (ctl), ask_operator_password, ctl, out, error);
}
