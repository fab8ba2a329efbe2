/* test-whatsapp-store.h: the fixture of the tests of the WhatsApp tables
 * (conversations, messages, offers, proposals): a throw-away store
 * (test-member-store.h) with three members, Marie and Paul in community 1
 * and Ama in community 2.  Header-only: each test is one source file. */
#pragma once

#include "bfk-members.h"
#include "test-member-store.h"

#define MARIE_PHONE "+237699001122"
#define PAUL_PHONE  "+237677000001"
#define AMA_PHONE   "+237655000002"
/* A fixed time, for what the tests date themselves. */
#define T0          1700000000

typedef struct
{
  Fixture     base;
  BfkMember  *marie;
  BfkMember  *paul;
  BfkMember  *ama;
} WaFixture;

static inline BfkMember *
wa_member (Fixture     *f,
           const gchar *phone,
           const gchar *name,
           guint64      community_id)
{
  g_autoptr(GError) error = NULL;
  BfkMember *m = bfk_members_create (f->store, f->data_key, phone, name, community_id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (m);
  return m;
}

static inline void
wa_set_up (WaFixture     *f,
           gconstpointer  data)
{
  fixture_open (&f->base);
  f->marie = wa_member (&f->base, MARIE_PHONE, "marie", 1);
  f->paul = wa_member (&f->base, PAUL_PHONE, "paul", 1);
  f->ama = wa_member (&f->base, AMA_PHONE, "ama", 2);
}

static inline void
wa_tear_down (WaFixture     *f,
              gconstpointer  data)
{
  g_clear_pointer (&f->marie, bfk_member_free);
  g_clear_pointer (&f->paul, bfk_member_free);
  g_clear_pointer (&f->ama, bfk_member_free);
  fixture_close (&f->base);
}

#define WA_TEST_ADD(path, func) \
  g_test_add ((path), WaFixture, NULL, wa_set_up, (func), wa_tear_down)
