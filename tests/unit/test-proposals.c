/* test-proposals.c: exchange proposals from the payer's OUI to the end,
 * found by their operation and by the contract's exchange number. */
#include "bfk-proposals.h"
#include "test-whatsapp-store.h"

static BfkProposal *
create_ok (WaFixture *f,
           BfkMember *payer,
           BfkMember *provider,
           gint64     amount,
           gint64     deadline)
{
  g_autoptr(GError) error = NULL;
  BfkProposal *p = bfk_proposals_create (f->base.store, payer->id, provider->id, "Couture", amount,
                                         deadline, &error);

  g_assert_no_error (error);
  g_assert_nonnull (p);
  return p;
}

static BfkProposal *
get_ok (WaFixture *f,
        gint64     id)
{
  g_autoptr(GError) error = NULL;
  BfkProposal *p = bfk_proposals_get (f->base.store, id, &error);

  g_assert_no_error (error);
  return p;
}

/* An outbox operation row, for op_id to refer to. */
static gint64
operation (WaFixture *f)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (bfk_store_exec (f->base.store,
                                 "INSERT INTO operations (kind, signer, nonce, target, calldata, summary, "
                                 "state, created_at, updated_at) VALUES ('propose', '0x01', "
                                 "(SELECT count(*) FROM operations), '0x02', x'00', 'proposal', "
                                 "'queued', 0, 0)", &error));
  return sqlite3_last_insert_rowid (bfk_store_get_db (f->base.store));
}

static void
test_states (void)
{
  g_autoptr(GError) error = NULL;
  BfkProposalState state;

  for (BfkProposalState s = BFK_PROPOSAL_PENDING; s <= BFK_PROPOSAL_FAILED; s++)
    {
      g_assert_true (bfk_proposal_state_from_string (bfk_proposal_state_to_string (s), &state, &error));
      g_assert_cmpint (state, ==, s);
    }
  g_assert_false (bfk_proposal_state_from_string ("PENDING", &state, &error));
  g_assert_error (error, BFK_PROPOSAL_ERROR, BFK_PROPOSAL_ERROR_INVALID);
}

static void
test_create (WaFixture     *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkProposal) p = create_ok (f, f->marie, f->paul, 250, T0);

  g_assert_cmpint (p->id, >, 0);
  g_assert_cmpint (p->payer_id, ==, f->marie->id);
  g_assert_cmpint (p->provider_id, ==, f->paul->id);
  g_assert_cmpuint (p->community_id, ==, 1);
  g_assert_cmpstr (p->service, ==, "Couture");
  g_assert_cmpint (p->amount, ==, 250);
  g_assert_cmpint (p->deadline, ==, T0);
  g_assert_cmpint (p->state, ==, BFK_PROPOSAL_PENDING);
  g_assert_cmpint (p->op_id, ==, 0);
  g_assert_cmpuint (p->exchange_id, ==, 0);
  g_assert_false (p->payer_rated);
  g_assert_false (p->provider_rated);

  /* Value never crosses communities, nor goes to oneself. */
  g_assert_null (bfk_proposals_create (f->base.store, f->marie->id, f->ama->id, "Couture", 10, T0, &error));
  g_assert_error (error, BFK_PROPOSAL_ERROR, BFK_PROPOSAL_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (bfk_proposals_create (f->base.store, f->marie->id, f->marie->id, "Couture", 10, T0,
                                       &error));
  g_assert_error (error, BFK_PROPOSAL_ERROR, BFK_PROPOSAL_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (bfk_proposals_create (f->base.store, f->marie->id, f->paul->id, "Couture", 0, T0, &error));
  g_assert_error (error, BFK_PROPOSAL_ERROR, BFK_PROPOSAL_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (bfk_proposals_create (f->base.store, f->marie->id, f->paul->id, " ", 10, T0, &error));
  g_assert_error (error, BFK_PROPOSAL_ERROR, BFK_PROPOSAL_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (bfk_proposals_create (f->base.store, f->marie->id, 999, "Couture", 10, T0, &error));
  g_assert_error (error, BFK_PROPOSAL_ERROR, BFK_PROPOSAL_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (fixture_query_int (&f->base, "SELECT count(*) FROM proposals"), ==, 1);
}

static void
test_on_chain (WaFixture     *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkProposal) p = create_ok (f, f->marie, f->paul, 250, T0);
  g_autoptr(BfkProposal) q = create_ok (f, f->paul, f->marie, 80, T0);
  g_autoptr(BfkProposal) found = NULL;
  gint64 op = operation (f);

  /* The operation that proposes it, then the exchange number once mined. */
  g_assert_true (bfk_proposals_attach_op (f->base.store, p->id, op, &error));
  found = bfk_proposals_find_by_op (f->base.store, op, &error);
  g_assert_no_error (error);
  g_assert_cmpint (found->id, ==, p->id);
  g_assert_cmpint (found->op_id, ==, op);
  g_assert_cmpint (found->state, ==, BFK_PROPOSAL_PENDING);
  g_clear_pointer (&found, bfk_proposal_free);

  g_assert_true (bfk_proposals_set_exchange_id (f->base.store, p->id, 12, &error));
  found = bfk_proposals_get_by_exchange_id (f->base.store, 12, &error);
  g_assert_no_error (error);
  g_assert_cmpint (found->id, ==, p->id);
  g_assert_cmpuint (found->exchange_id, ==, 12);
  g_assert_cmpint (found->state, ==, BFK_PROPOSAL_PROPOSED);
  g_clear_pointer (&found, bfk_proposal_free);

  /* One exchange, one proposal. */
  g_assert_false (bfk_proposals_set_exchange_id (f->base.store, q->id, 12, &error));
  g_assert_error (error, BFK_PROPOSAL_ERROR, BFK_PROPOSAL_ERROR_EXCHANGE_TAKEN);
  g_clear_error (&error);
  found = get_ok (f, q->id);
  g_assert_cmpuint (found->exchange_id, ==, 0);
  g_assert_cmpint (found->state, ==, BFK_PROPOSAL_PENDING);
  g_clear_pointer (&found, bfk_proposal_free);

  /* Accepted, then the mined operation noticed again: stays accepted. */
  g_assert_true (bfk_proposals_set_state (f->base.store, p->id, BFK_PROPOSAL_ACCEPTED, &error));
  g_assert_true (bfk_proposals_set_exchange_id (f->base.store, p->id, 12, &error));
  g_assert_no_error (error);
  found = get_ok (f, p->id);
  g_assert_cmpint (found->state, ==, BFK_PROPOSAL_ACCEPTED);
  g_clear_pointer (&found, bfk_proposal_free);

  /* Completed, then each side rates once. */
  g_assert_true (bfk_proposals_set_state (f->base.store, p->id, BFK_PROPOSAL_COMPLETED, &error));
  g_assert_true (bfk_proposals_mark_rated (f->base.store, p->id, BFK_PROPOSAL_PAYER, &error));
  g_assert_no_error (error);
  found = get_ok (f, p->id);
  g_assert_true (found->payer_rated);
  g_assert_false (found->provider_rated);
  g_clear_pointer (&found, bfk_proposal_free);
  g_assert_false (bfk_proposals_mark_rated (f->base.store, p->id, BFK_PROPOSAL_PAYER, &error));
  g_assert_error (error, BFK_PROPOSAL_ERROR, BFK_PROPOSAL_ERROR_ALREADY_RATED);
  g_assert_cmpstr (error->message, ==, "The payer of exchange 12 has rated it already");
  g_clear_error (&error);
  g_assert_true (bfk_proposals_mark_rated (f->base.store, p->id, BFK_PROPOSAL_PROVIDER, &error));
  found = get_ok (f, p->id);
  g_assert_true (found->provider_rated);
  g_assert_cmpint (found->state, ==, BFK_PROPOSAL_COMPLETED);
  g_clear_pointer (&found, bfk_proposal_free);

  /* Nothing to find or change. */
  g_assert_null (bfk_proposals_get_by_exchange_id (f->base.store, 13, &error));
  g_assert_error (error, BFK_PROPOSAL_ERROR, BFK_PROPOSAL_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (bfk_proposals_find_by_op (f->base.store, op + 1, &error));
  g_assert_error (error, BFK_PROPOSAL_ERROR, BFK_PROPOSAL_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (bfk_proposals_mark_rated (f->base.store, 999, BFK_PROPOSAL_PROVIDER, &error));
  g_assert_error (error, BFK_PROPOSAL_ERROR, BFK_PROPOSAL_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (bfk_proposals_set_state (f->base.store, 999, BFK_PROPOSAL_FAILED, &error));
  g_assert_error (error, BFK_PROPOSAL_ERROR, BFK_PROPOSAL_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (bfk_proposals_attach_op (f->base.store, q->id, op + 100, &error));
  g_assert_error (error, BFK_STORE_ERROR, BFK_STORE_ERROR_CONSTRAINT);
}

static void
test_lists (WaFixture     *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkProposal) late = create_ok (f, f->marie, f->paul, 10, T0 - 100);
  g_autoptr(BfkProposal) later = create_ok (f, f->paul, f->marie, 20, T0 - 10);
  g_autoptr(BfkProposal) due_now = create_ok (f, f->marie, f->paul, 30, T0);
  g_autoptr(BfkProposal) accepted = create_ok (f, f->marie, f->paul, 40, T0 - 50);
  g_autoptr(BfkProposal) pending = create_ok (f, f->marie, f->paul, 50, T0 - 50);
  g_autoptr(BfkProposal) other = NULL;
  g_autoptr(BfkMember) kofi = wa_member (&f->base, NULL, "kofi", 2);
  g_autoptr(GPtrArray) list = NULL;

  other = create_ok (f, f->ama, kofi, 60, T0 - 1000);
  g_assert_true (bfk_proposals_set_exchange_id (f->base.store, late->id, 1, &error));
  g_assert_true (bfk_proposals_set_exchange_id (f->base.store, later->id, 2, &error));
  g_assert_true (bfk_proposals_set_exchange_id (f->base.store, due_now->id, 3, &error));
  g_assert_true (bfk_proposals_set_exchange_id (f->base.store, accepted->id, 4, &error));
  g_assert_true (bfk_proposals_set_state (f->base.store, accepted->id, BFK_PROPOSAL_ACCEPTED, &error));
  g_assert_true (bfk_proposals_set_exchange_id (f->base.store, other->id, 5, &error));
  g_assert_no_error (error);

  /* Proposed, with the deadline passed (not reached: the contract refuses
   * at the deadline itself); earliest first, across communities. */
  list = bfk_proposals_list_expired (f->base.store, T0, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);
  g_assert_cmpint (((BfkProposal *) list->pdata[0])->id, ==, other->id);
  g_assert_cmpint (((BfkProposal *) list->pdata[1])->id, ==, late->id);
  g_assert_cmpint (((BfkProposal *) list->pdata[2])->id, ==, later->id);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = bfk_proposals_list_expired (f->base.store, T0 + 1, 2, &error);
  g_assert_cmpuint (list->len, ==, 2);
  g_clear_pointer (&list, g_ptr_array_unref);
  g_assert_true (bfk_proposals_set_state (f->base.store, late->id, BFK_PROPOSAL_EXPIRED, &error));
  list = bfk_proposals_list_expired (f->base.store, T0, 10, &error);
  g_assert_cmpuint (list->len, ==, 2);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* A member's, paying or providing, newest first. */
  list = bfk_proposals_list_by_member (f->base.store, f->paul->id, 10, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 5);
  g_assert_cmpint (((BfkProposal *) list->pdata[0])->id, ==, pending->id);
  g_assert_cmpint (((BfkProposal *) list->pdata[4])->id, ==, late->id);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = bfk_proposals_list_by_member (f->base.store, f->marie->id, 2, 3, &error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpint (((BfkProposal *) list->pdata[0])->id, ==, later->id);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = bfk_proposals_list_by_member (f->base.store, kofi->id, 10, 0, &error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpint (((BfkProposal *) list->pdata[0])->provider_id, ==, kofi->id);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/proposals/states", test_states);
  WA_TEST_ADD ("/proposals/create", test_create);
  WA_TEST_ADD ("/proposals/on-chain", test_on_chain);
  WA_TEST_ADD ("/proposals/lists", test_lists);
  return g_test_run ();
}
