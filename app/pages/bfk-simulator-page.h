/* bfk-simulator-page.h: WhatsApp as a member sees it, from any number.
 *
 * For demonstrations, training and checking the bot: what is typed here
 * goes to the backend's own /webhook as Twilio would post it, so the real
 * bot answers, and the real chain registers and pays.  The thread shows
 * the bot's answers and the notices queued later for that number.
 */
#pragma once

#include "bfk-page.h"

G_BEGIN_DECLS

#define BFK_TYPE_SIMULATOR_PAGE (bfk_simulator_page_get_type ())

G_DECLARE_FINAL_TYPE (BfkSimulatorPage, bfk_simulator_page, BFK, SIMULATOR_PAGE, BfkPage)

/* The number the simulator writes from, E.164, or NULL when the entry
 * holds no valid number. */
gchar *bfk_simulator_page_get_phone (BfkSimulatorPage *self);

G_END_DECLS
