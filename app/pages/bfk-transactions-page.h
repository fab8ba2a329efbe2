/* bfk-transactions-page.h: every chain operation, live, newest first; the
 * selected one's details, and the admin's hand on a stuck one (actions
 * "transactions.bump" and "transactions.cancel", on the selection); and
 * the latest chain events.
 */
#pragma once

#include "bfk-page.h"

G_BEGIN_DECLS

#define BFK_TYPE_TRANSACTIONS_PAGE (bfk_transactions_page_get_type ())

G_DECLARE_FINAL_TYPE (BfkTransactionsPage, bfk_transactions_page, BFK, TRANSACTIONS_PAGE, BfkPage)

G_END_DECLS
