/* bfk-audit-page.h: the audit log, newest first, read-only: who did what,
 * from where, about what, and how it went; filtered by action and actor,
 * and read a page at a time. */
#pragma once

#include "bfk-page.h"

G_BEGIN_DECLS

#define BFK_TYPE_AUDIT_PAGE (bfk_audit_page_get_type ())

G_DECLARE_FINAL_TYPE (BfkAuditPage, bfk_audit_page, BFK, AUDIT_PAGE, BfkPage)

/* Entries read per page ("Load more" reads as many again). */
#define BFK_AUDIT_PAGE_SIZE 200

G_END_DECLS
