/* bfk-canned-replies.c: the inbox's ready-made answers. */
#include <glib/gi18n.h>

#include "bfk-canned-replies.h"

typedef struct
{
  const gchar *title;   /* N_(): for the staff member */
  const gchar *fr;      /* for the member, in their language */
  const gchar *en;
} CannedReply;

/* The commands named here are the bot's (SOLDE, PROPOSER, AIDE), which it
 * understands in either language. */
static const CannedReply replies[] = {
  { N_("Greeting"),
    "Bonjour, ici l’équipe Bafoka. Comment pouvons-nous vous aider ?",
    "Hello, this is the Bafoka team. How can we help you?" },
  { N_("We are looking into it"),
    "Merci pour votre message. Nous regardons votre demande et revenons vers vous très vite.",
    "Thank you for your message. We are looking into it and will get back to you shortly." },
  { N_("How to check the balance"),
    "Pour voir votre solde, envoyez simplement SOLDE dans cette conversation.",
    "To see your balance, just send BALANCE in this conversation." },
  { N_("How to propose an exchange"),
    "Pour proposer un échange, envoyez PROPOSER, le nom du membre, le service et le montant. "
    "Par exemple : PROPOSER Marie couture 20. Vous confirmerez ensuite avec OUI.",
    "To propose an exchange, send PROPOSE, the member’s name, the service and the amount. "
    "For example: PROPOSE Marie sewing 20. Then confirm with YES." },
  { N_("The bot answers again"),
    "Vous pouvez de nouveau utiliser les commandes habituelles. Envoyez AIDE pour les revoir.",
    "You can use the usual commands again. Send HELP to see them." },
  { N_("Closing"),
    "Merci, et bonne journée ! Écrivez-nous si vous avez besoin d’autre chose.",
    "Thank you, and have a good day! Write to us if you need anything else." },
};

guint
bfk_canned_replies_count (void)
{
  return G_N_ELEMENTS (replies);
}

const gchar *
bfk_canned_reply_text (guint        i,
                       const gchar *language)
{
  if (i >= G_N_ELEMENTS (replies))
    return NULL;
  return g_strcmp0 (language, "en") == 0 ? replies[i].en : replies[i].fr;
}

GMenuModel *
bfk_canned_replies_menu (const gchar *action_name)
{
  GMenu *menu = g_menu_new ();

  for (guint i = 0; i < G_N_ELEMENTS (replies); i++)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (_(replies[i].title), NULL);

      g_menu_item_set_action_and_target_value (item, action_name, g_variant_new_uint32 (i));
      g_menu_append_item (menu, item);
    }
  return G_MENU_MODEL (menu);
}
