/* bfk-error-text.c: advice for the errors that stop the console starting. */
#include <glib/gi18n.h>

#include "bfk-backend.h"
#include "bfk-chain-error.h"
#include "bfk-config.h"
#include "bfk-error-text.h"
#include "bfk-outbox.h"
#include "bfk-store.h"

const gchar *
bfk_error_text_advice (const GError *error)
{
  if (!error)
    return NULL;
  if (error->domain == BFK_CHAIN_ERROR)
    switch (error->code)
      {
      case BFK_CHAIN_ERROR_TRANSPORT:
      case BFK_CHAIN_ERROR_TIMEOUT:
        return _("The network node does not answer. Check the Internet connection and the node's "
                 "address in the preferences, then try again.");
      case BFK_CHAIN_ERROR_CHAIN_ID_MISMATCH:
        return _("The node serves another network than the one chosen. Check the network and the "
                 "chain number in the preferences.");
      case BFK_CHAIN_ERROR_KEYSTORE_PASSWORD:
        return _("The password of the operator's key is wrong. Check the password file named in "
                 "the preferences.");
      case BFK_CHAIN_ERROR_KEYSTORE_FORMAT:
        return _("The operator's key file cannot be read. Choose a V3 keystore file in the "
                 "preferences.");
      case BFK_CHAIN_ERROR_LOCAL_NODE:
        return _("The local test network could not be started. Install the tools with tools/run, "
                 "then try again.");
      default:
        return NULL;
      }
  if (error->domain == BFK_BACKEND_ERROR && error->code == BFK_BACKEND_ERROR_LISTEN)
    return _("The address for WhatsApp messages is already in use, perhaps by another console. "
             "Close it, or choose another address in the preferences.");
  if (error->domain == BFK_OUTBOX_ERROR && error->code == BFK_OUTBOX_ERROR_LOCKED)
    return _("Another console or bafokactl is already sending for this data folder. Close it, "
             "then try again.");
  if (error->domain == BFK_CONFIG_ERROR)
    return _("A setting is not valid. Correct it in the preferences.");
  if (error->domain == BFK_STORE_ERROR)
    return _("The data folder cannot be used. Check that the disk has room and that the folder "
             "can be written.");
  return NULL;
}

gchar *
bfk_error_text_explain (const GError *error)
{
  const gchar *advice = bfk_error_text_advice (error);

  if (!advice)
    return g_strdup (error->message);
  /* Translators: the advice, then the technical detail (in English) */
  return g_strdup_printf (_("%s\n\nDetail: %s"), advice, error->message);
}
