/* bfk-members.h: the members table.
 *
 * A member is created here first (a fresh key, its address, the key sealed
 * with bfk-key-box), and registered on chain afterwards by an outbox
 * operation (bfk-enrolment.h writes both together).  Phone numbers are kept
 * in E.164 ("+237699001122"); user names are 3 to 20 letters, digits or _,
 * unique in a community without regard to case.
 *
 * Threads: like the BfkStore it is given.
 */
#pragma once

#include <glib.h>

#include "bfk-address.h"
#include "bfk-key-box.h"
#include "bfk-key.h"
#include "bfk-store.h"

G_BEGIN_DECLS

#define BFK_MEMBER_ERROR (bfk_member_error_quark ())

typedef enum
{
  BFK_MEMBER_ERROR_INVALID_PHONE,
  BFK_MEMBER_ERROR_INVALID_NAME,
  BFK_MEMBER_ERROR_INVALID_COMMUNITY,
  BFK_MEMBER_ERROR_PHONE_TAKEN,
  BFK_MEMBER_ERROR_NAME_TAKEN,
  BFK_MEMBER_ERROR_NOT_FOUND,
  BFK_MEMBER_ERROR_AMBIGUOUS,   /* a name found in several communities */
  BFK_MEMBER_ERROR_NO_KEY,      /* the member's key is not held here */
  BFK_MEMBER_ERROR_INVALID_LANGUAGE,
} BfkMemberError;

#define BFK_MEMBER_NAME_MIN 3
#define BFK_MEMBER_NAME_MAX 20

typedef struct
{
  gint64      id;
  gchar      *phone;          /* E.164, or NULL */
  gchar      *name;
  guint64     community_id;
  BfkAddress  address;
  gint64      created_at;
  gchar      *language;       /* of the bot's replies: "fr", "en" */
  gint64      last_seen_at;   /* the last message from the member; 0: never */
} BfkMember;

void        bfk_member_free              (BfkMember     *member);

/* --- validation --- */

/* Accepts what people and WhatsApp write: "+237 6 99 00 11 22",
 * "whatsapp:+237699001122", "00237699001122", with spaces, dots, dashes or
 * brackets.  Returns "+" and 8 to 15 digits, or NULL with
 * BFK_MEMBER_ERROR_INVALID_PHONE. */
gchar      *bfk_phone_normalize          (const gchar   *text,
                                          GError       **error);
/* "+2376…22": for summaries that staff see and logs keep.  The number
 * should be normalised; anything else is masked whole. */
gchar      *bfk_phone_mask               (const gchar   *e164);

/* 3 to 20 ASCII letters, digits or _.  Surrounding spaces are dropped;
 * returns the name, or NULL with BFK_MEMBER_ERROR_INVALID_NAME. */
gchar      *bfk_member_name_normalize    (const gchar   *text,
                                          GError       **error);

/* A language of the bot's replies: two ASCII letters, as ISO 639-1 has
 * them ("FR" and " en " are accepted).  Returns it in lower case, or NULL
 * with BFK_MEMBER_ERROR_INVALID_LANGUAGE. */
gchar      *bfk_language_normalize       (const gchar   *text,
                                          GError       **error);

/* --- writing --- */

/* Creates a member with a fresh key from the secure random source, sealed
 * under data_key.  phone may be NULL (a member enrolled without WhatsApp);
 * phone and name are normalised here.  Runs in its own transaction, or in
 * the caller's when one is open.  A number already registered or a name
 * taken in the community is a BFK_MEMBER_ERROR_PHONE_TAKEN / _NAME_TAKEN
 * that names who has it. */
BfkMember  *bfk_members_create           (BfkStore      *store,
                                          const guint8   data_key[BFK_DATA_KEY_SIZE],
                                          const gchar   *phone,
                                          const gchar   *name,
                                          guint64        community_id,
                                          GError       **error);

/* The language of the bot's replies to the member (normalised here). */
gboolean    bfk_members_set_language     (BfkStore      *store,
                                          gint64         member_id,
                                          const gchar   *language,
                                          GError       **error);
/* Records that the member wrote at now (seconds since the epoch). */
gboolean    bfk_members_touch            (BfkStore      *store,
                                          gint64         member_id,
                                          gint64         now,
                                          GError       **error);

/* --- reading: NULL with BFK_MEMBER_ERROR_NOT_FOUND when nobody matches --- */

BfkMember  *bfk_members_get              (BfkStore         *store,
                                          gint64            id,
                                          GError          **error);
/* The phone is normalised first, so any accepted spelling finds it. */
BfkMember  *bfk_members_find_by_phone    (BfkStore         *store,
                                          const gchar      *phone,
                                          GError          **error);
BfkMember  *bfk_members_find_by_address  (BfkStore         *store,
                                          const BfkAddress *address,
                                          GError          **error);
/* Case-insensitive.  community_id 0 searches every community, and a name
 * held in several is BFK_MEMBER_ERROR_AMBIGUOUS. */
BfkMember  *bfk_members_find_by_name     (BfkStore         *store,
                                          const gchar      *name,
                                          guint64           community_id,
                                          GError          **error);
/* What bafokactl's "member <phone|address|name>" takes: an address ("0x"
 * and 40 digits), a phone number (starts with +, 00, a digit or
 * "whatsapp:"), or else a name in any community. */
BfkMember  *bfk_members_resolve          (BfkStore         *store,
                                          const gchar      *text,
                                          GError          **error);

/* A page of members ordered by id; community_id 0 lists every community.
 * A GPtrArray of BfkMember (empty past the end). */
GPtrArray  *bfk_members_list             (BfkStore         *store,
                                          guint64           community_id,
                                          guint             limit,
                                          guint             offset,
                                          GError          **error);
/* -1 on error. */
gint64      bfk_members_count            (BfkStore         *store,
                                          guint64           community_id,
                                          GError          **error);

/* The member's private key, for handing custody over.  The caller wipes
 * it (g_auto (BfkPrivateKey)). */
gboolean    bfk_members_unseal_key       (BfkStore         *store,
                                          const guint8      data_key[BFK_DATA_KEY_SIZE],
                                          gint64            member_id,
                                          BfkPrivateKey    *out,
                                          GError          **error);

GQuark      bfk_member_error_quark       (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BfkMember, bfk_member_free)

G_END_DECLS
