/* ctl-keystore.c: bafokactl keystore new|import|export.
 *
 * Keys only ever touch the disk inside V3 keystores.  Export prints a V3
 * keystore; the raw private key is shown only with an explicit
 * --reveal-private-key, for handing custody to its owner.
 */
#include "ctl.h"
#include "bfk-chain-error.h"
#include "bfk-hex.h"
#include "bfk-keystore.h"

#include <string.h>

static gboolean opt_light;
static gchar *opt_out;
static gboolean opt_reveal;

/* The options of the verbs that write a keystore. */
static GOptionEntry save_entries[] = {
  { "out", 'o', 0, G_OPTION_ARG_FILENAME, &opt_out, "Where to write the keystore", "FILE" },
  { "light", 0, 0, G_OPTION_ARG_NONE, &opt_light, "Cheaper scrypt, for test networks only", NULL },
  { NULL }
};

static JsonNode *
address_json (const BfkAddress *address,
              const gchar      *path)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  gchar a[BFK_ADDRESS_STRING_SIZE];

  bfk_address_to_string_buf (address, a);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "address");
  json_builder_add_string_value (b, a);
  json_builder_set_member_name (b, "path");
  json_builder_add_string_value (b, path);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* geth's file name, so the keystore directory can be shared with it. */
static gchar *
default_path (Ctl              *ctl,
              const BfkAddress *address)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree gchar *stamp = g_date_time_format (now, "%Y-%m-%dT%H-%M-%S");
  gchar a[BFK_ADDRESS_STRING_SIZE];
  g_autofree gchar *lower = NULL;
  g_autofree gchar *name = NULL;

  bfk_address_to_string_buf (address, a);
  lower = g_ascii_strdown (a + 2, -1);
  name = g_strdup_printf ("UTC--%s.000000000Z--%s.json", stamp, lower);
  return g_build_filename (ctl_config (ctl)->data_dir, "keystores", name, NULL);
}

/* Writes key to --out or the data dir, under a password asked twice. */
static int
save_new (Ctl                 *ctl,
          const BfkPrivateKey *key)
{
  g_autoptr(GError) error = NULL;
  g_autofree gchar *path = NULL;
  g_autofree gchar *dir = NULL;
  BfkAddress address;
  gchar *password;
  gboolean ok;

  if (!bfk_private_key_to_address (key, &address, &error))
    return ctl_fail (ctl, error);
  path = opt_out ? g_strdup (opt_out) : default_path (ctl, &address);
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (&error, G_FILE_ERROR, G_FILE_ERROR_EXIST,
                   "%s already exists: choose another file with --out", path);
      return ctl_fail (ctl, error);
    }
  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      g_set_error (&error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "Cannot create the folder %s", dir);
      return ctl_fail (ctl, error);
    }

  password = ctl_read_password (ctl, "New keystore password: ", TRUE, &error);
  if (!password)
    return ctl_fail (ctl, error);
  ctl_progress (ctl, "Encrypting the key (scrypt%s)…", opt_light ? ", light" : "");
  ok = bfk_keystore_save (path, key, password, strlen (password),
                          opt_light ? &BFK_SCRYPT_LIGHT : NULL, &error);
  ctl_password_free (password);
  if (!ok)
    return ctl_fail (ctl, error);

  {
    gchar a[BFK_ADDRESS_STRING_SIZE];

    bfk_address_to_string_buf (&address, a);
    return ctl_output (ctl, address_json (&address, path),
                       g_strdup_printf ("Address: %s\nKeystore: %s", a, path));
  }
}

static int
keystore_new (Ctl *ctl, int argc, char **argv)
{
  g_auto(BfkPrivateKey) key = { 0 };
  g_autoptr(GError) error = NULL;

  ctl_parse_options (ctl, "- create a key in a new V3 keystore",
                     "The key is made from the system's secure random source.", save_entries, &argc, &argv);
  if (!bfk_private_key_generate (&key, &error))
    return ctl_fail (ctl, error);
  return save_new (ctl, &key);
}

/* FILE is a V3 keystore (checked with its password, then copied) or a file
 * holding a private key in hex (encrypted under a new password). */
static int
keystore_import (Ctl *ctl, int argc, char **argv)
{
  g_auto(BfkPrivateKey) key = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree gchar *contents = NULL;
  gsize len;

  ctl_parse_options (ctl, "FILE - import a V3 keystore, or a private key in hex",
                     NULL, save_entries, &argc, &argv);
  if (argc != 2)
    {
      g_printerr ("bafokactl keystore import: name one file\n");
      return 2;
    }
  if (!g_file_get_contents (argv[1], &contents, &len, &error))
    return ctl_fail (ctl, error);

  if (g_strstr_len (contents, (gssize) len, "{"))
    {
      gchar *password = ctl_read_password (ctl, "Keystore password: ", FALSE, &error);
      gboolean ok;

      if (!password)
        return ctl_fail (ctl, error);
      ok = bfk_keystore_import (contents, (gssize) len, password, strlen (password), &key, &error);
      ctl_password_free (password);
      if (!ok)
        return ctl_fail (ctl, error);
    }
  else
    {
      g_strstrip (contents);
      if (!bfk_private_key_from_hex (&key, contents, &error))
        {
          memset (contents, 0, len);
          return ctl_fail (ctl, error);
        }
    }
  memset (contents, 0, len);
  return save_new (ctl, &key);
}

static int
keystore_export (Ctl *ctl, int argc, char **argv)
{
  GOptionEntry entries[] = {
    { "reveal-private-key", 0, 0, G_OPTION_ARG_NONE, &opt_reveal,
      "Print the raw private key instead of a keystore (for handing custody over)", NULL },
    { NULL }
  };
  g_auto(BfkPrivateKey) key = { 0 };
  g_autoptr(GError) error = NULL;
  const gchar *path;
  gchar *password;
  g_autofree gchar *text = NULL;
  BfkAddress address;
  gchar a[BFK_ADDRESS_STRING_SIZE];
  gboolean ok;

  ctl_parse_options (ctl, "[FILE] - print a keystore (default: BAFOKA_KEYSTORE) as V3 JSON",
                     NULL, entries, &argc, &argv);
  path = argc >= 2 ? argv[1] : ctl_config (ctl)->keystore;
  if (!path)
    {
      g_set_error (&error, BFK_CONFIG_ERROR, BFK_CONFIG_ERROR_INVALID,
                   "Name a keystore file, or set BAFOKA_KEYSTORE");
      return ctl_fail (ctl, error);
    }
  password = ctl_read_password (ctl, "Keystore password: ", FALSE, &error);
  if (!password)
    return ctl_fail (ctl, error);
  ok = bfk_keystore_load (path, password, strlen (password), &key, &error);
  /* Re-encrypted with the standard parameters, as MetaMask and geth expect. */
  if (ok && !opt_reveal)
    {
      text = bfk_keystore_export (&key, password, strlen (password), NULL, &error);
      ok = text != NULL;
    }
  ctl_password_free (password);
  if (!ok || !bfk_private_key_to_address (&key, &address, &error))
    return ctl_fail (ctl, error);
  bfk_address_to_string_buf (&address, a);

  if (opt_reveal)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      gchar hex[2 * BFK_PRIVATE_KEY_SIZE + 1];
      gchar *line;
      JsonNode *root;

      g_printerr ("Warning: this is the private key of %s in plain text. Whoever reads it "
                  "controls the account.\n", a);
      bfk_hex_encode_to (key.bytes, sizeof key.bytes, hex);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "address");
      json_builder_add_string_value (b, a);
      json_builder_set_member_name (b, "private_key");
      line = g_strdup_printf ("0x%s", hex);
      json_builder_add_string_value (b, line);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      memset (hex, 0, sizeof hex);
      return ctl_output (ctl, root, line);
    }

  {
    g_autoptr(JsonNode) keystore = json_from_string (text, &error);
    g_autoptr(JsonBuilder) b = json_builder_new ();

    if (!keystore)
      return ctl_fail (ctl, error);
    json_builder_begin_object (b);
    json_builder_set_member_name (b, "address");
    json_builder_add_string_value (b, a);
    json_builder_set_member_name (b, "keystore");
    json_builder_add_value (b, g_steal_pointer (&keystore));
    json_builder_end_object (b);
    return ctl_output (ctl, json_builder_get_root (b), g_steal_pointer (&text));
  }
}

int
ctl_verb_keystore (Ctl *ctl, int argc, char **argv)
{
  static const struct { const gchar *name; CtlVerb fn; } verbs[] = {
    { "new", keystore_new },
    { "import", keystore_import },
    { "export", keystore_export },
  };

  if (argc >= 2)
    for (gsize i = 0; i < G_N_ELEMENTS (verbs); i++)
      if (g_str_equal (argv[1], verbs[i].name))
        return verbs[i].fn (ctl, argc - 1, argv + 1);
  g_printerr ("Usage: bafokactl keystore new|import|export [OPTIONS]\n");
  return 2;
}
