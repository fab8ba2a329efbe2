/* test-offers.c: publishing and withdrawing offers, and the full-text
 * search: accents and case ignored, prefixes, ranking, hostile text, and
 * never another community's offers. */
#include "bfk-offers.h"
#include "test-whatsapp-store.h"

static gint64
add_ok (WaFixture   *f,
        BfkMember   *m,
        const gchar *title,
        gint64       price)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkOffer) o = bfk_offers_add (f->base.store, m->id, title, price, &error);

  g_assert_no_error (error);
  g_assert_nonnull (o);
  return o->id;
}

/* The titles a search finds, in order, joined by "|". */
static gchar *
search_titles (WaFixture   *f,
               guint64      community_id,
               const gchar *words)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = bfk_offers_search (f->base.store, community_id, words, 10, &error);
  g_autoptr(GString) out = g_string_new (NULL);

  if (error)
    g_error ("Searching “%s” failed: %s", words, error->message);
  g_assert_nonnull (found);
  for (guint i = 0; i < found->len; i++)
    {
      BfkOffer *o = found->pdata[i];

      g_assert_cmpuint (o->community_id, ==, community_id);
      g_assert_true (o->active);
      g_string_append_printf (out, "%s%s", i ? "|" : "", o->title);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
assert_search (WaFixture   *f,
               guint64      community_id,
               const gchar *words,
               const gchar *expected)
{
  g_autofree gchar *titles = search_titles (f, community_id, words);

  if (g_strcmp0 (titles, expected) != 0)
    g_error ("Searching “%s” in community %" G_GUINT64_FORMAT " found “%s”, not “%s”",
             words, community_id, titles, expected);
}

static void
test_match_query (void)
{
  const struct { const gchar *in, *out; } cases[] = {
    { "électricité", "\"électricité\"*" },
    { "  Couture   ROBE ", "\"Couture\"* OR \"ROBE\"*" },
    { "de la couture", "\"couture\"*" },                 /* short words dropped… */
    { "tv", "\"tv\"" },                                  /* …unless all are short */
    { "\"couture\"", "\"couture\"*" },
    { "couture\" OR \"x", "\"couture\"*" },
    { "title:couture^2", "\"title\"* OR \"couture\"*" },
    { "a AND b", "\"AND\"*" },
    { "NEAR(couture robe, 2)", "\"NEAR\"* OR \"couture\"* OR \"robe\"*" },
    { "-couture*", "\"couture\"*" },
    { "l'électricité", "\"électricité\"*" },
    { "répar. 4x4", "\"répar\"* OR \"4x4\"*" },
  };
  const gchar *nothing[] = { "", "   ", "\"", "*", "-", "()", "\"\"*", ";;; --", "\xcc\x81" };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree gchar *q = bfk_offers_match_query (cases[i].in);

      g_assert_cmpstr (q, ==, cases[i].out);
    }
  for (guint i = 0; i < G_N_ELEMENTS (nothing); i++)
    {
      g_autofree gchar *q = bfk_offers_match_query (nothing[i]);

      g_assert_null (q);
    }
}

static void
test_add_and_withdraw (WaFixture     *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkOffer) o = bfk_offers_add (f->base.store, f->marie->id, "  Couture et retouches ", 300,
                                          &error);
  g_autoptr(GPtrArray) mine = NULL;
  gint64 second;

  g_assert_no_error (error);
  g_assert_cmpint (o->id, >, 0);
  g_assert_cmpint (o->member_id, ==, f->marie->id);
  g_assert_cmpuint (o->community_id, ==, 1);
  g_assert_cmpstr (o->title, ==, "Couture et retouches");
  g_assert_cmpint (o->price, ==, 300);
  g_assert_true (o->active);
  g_assert_cmpstr (o->provider_name, ==, "marie");
  g_assert_cmpint (o->provider_reputation, ==, 0);
  second = add_ok (f, f->marie, "Tresses", 150);
  add_ok (f, f->paul, "Plomberie", 800);

  mine = bfk_offers_list_by_member (f->base.store, f->marie->id, &error);
  g_assert_cmpuint (mine->len, ==, 2);
  g_assert_cmpint (((BfkOffer *) mine->pdata[0])->id, ==, o->id);
  g_assert_cmpint (((BfkOffer *) mine->pdata[1])->id, ==, second);
  g_clear_pointer (&mine, g_ptr_array_unref);

  /* Only its owner withdraws an offer, once. */
  g_assert_false (bfk_offers_deactivate (f->base.store, o->id, f->paul->id, &error));
  g_assert_error (error, BFK_OFFER_ERROR, BFK_OFFER_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (bfk_offers_deactivate (f->base.store, o->id, f->marie->id, &error));
  g_assert_false (bfk_offers_deactivate (f->base.store, o->id, f->marie->id, &error));
  g_assert_error (error, BFK_OFFER_ERROR, BFK_OFFER_ERROR_NOT_FOUND);
  g_clear_error (&error);
  mine = bfk_offers_list_by_member (f->base.store, f->marie->id, &error);
  g_assert_cmpuint (mine->len, ==, 1);
  g_assert_cmpint (((BfkOffer *) mine->pdata[0])->id, ==, second);
  assert_search (f, 1, "couture", "");

  /* What is refused. */
  g_assert_null (bfk_offers_add (f->base.store, f->marie->id, "   ", 10, &error));
  g_assert_error (error, BFK_OFFER_ERROR, BFK_OFFER_ERROR_INVALID_TITLE);
  g_clear_error (&error);
  g_assert_null (bfk_offers_add (f->base.store, f->marie->id,
                                 "Couture, retouches, ourlets, boutons, fermetures éclair, robes de "
                                 "mariée et tenues de fête", 10, &error));
  g_assert_error (error, BFK_OFFER_ERROR, BFK_OFFER_ERROR_INVALID_TITLE);
  g_clear_error (&error);
  g_assert_null (bfk_offers_add (f->base.store, f->marie->id, "Couture", 0, &error));
  g_assert_error (error, BFK_OFFER_ERROR, BFK_OFFER_ERROR_INVALID_PRICE);
  g_clear_error (&error);
  g_assert_null (bfk_offers_add (f->base.store, 999, "Couture", 10, &error));
  g_assert_error (error, BFK_OFFER_ERROR, BFK_OFFER_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (fixture_query_int (&f->base, "SELECT count(*) FROM offers"), ==, 3);
}

static void
test_search (WaFixture     *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = NULL;
  BfkOffer *o;

  add_ok (f, f->marie, "Électricité et câblage", 500);
  add_ok (f, f->paul, "Couture et retouches", 300);
  add_ok (f, f->paul, "Électricien à domicile", 400);
  add_ok (f, f->marie, "COUTURIÈRE", 250);
  add_ok (f, f->ama, "Électricité solaire", 100);   /* community 2 */
  add_ok (f, f->ama, "Couture", 50);

  /* Accents and case do not matter, either side. */
  assert_search (f, 1, "electricite", "Électricité et câblage");
  assert_search (f, 1, "ÉLECTRICITÉ", "Électricité et câblage");
  assert_search (f, 1, "couture", "Couture et retouches");
  assert_search (f, 1, "  *COUTURE*  ", "Couture et retouches");
  /* A start of 3 letters or more finds the longer words. */
  assert_search (f, 1, "coutur", "COUTURIÈRE|Couture et retouches");
  assert_search (f, 1, "elec", "Électricien à domicile|Électricité et câblage");
  assert_search (f, 1, "électricien", "Électricien à domicile");
  assert_search (f, 1, "plomberie", "");
  assert_search (f, 2, "elec", "Électricité solaire");
  assert_search (f, 3, "couture", "");

  /* Joined with the provider, and the chain's reputation when there is one. */
  g_assert_true (bfk_store_exec (f->base.store, "INSERT INTO accounts (address, community_id, "
                                 "reputation, ratings, registered_block) SELECT address, "
                                 "community_id, 14, 3, 1 FROM members WHERE name = 'marie'", &error));
  found = bfk_offers_search (f->base.store, 1, "électric", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 2);
  o = found->pdata[0];
  g_assert_cmpstr (o->title, ==, "Électricien à domicile");
  g_assert_cmpstr (o->provider_name, ==, "paul");
  g_assert_cmpint (o->provider_reputation, ==, 0);
  g_assert_cmpint (o->provider_ratings, ==, 0);
  o = found->pdata[1];
  g_assert_cmpstr (o->title, ==, "Électricité et câblage");
  g_assert_cmpstr (o->provider_name, ==, "marie");
  g_assert_cmpint (o->provider_reputation, ==, 14);
  g_assert_cmpint (o->provider_ratings, ==, 3);
  g_assert_cmpint (o->price, ==, 500);
  g_clear_pointer (&found, g_ptr_array_unref);

  /* limit */
  found = bfk_offers_search (f->base.store, 1, "elec coutur", 3, &error);
  g_assert_cmpuint (found->len, ==, 3);
}

static void
test_ranking (WaFixture     *f,
              gconstpointer  data)
{
  const gchar *others[] = { "Plomberie", "Maçonnerie", "Menuiserie", "Coiffure", "Jardinage" };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = NULL;

  /* Titles that match nothing give the words their weight, as in a real
   * community where most offers are about something else. */
  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    add_ok (f, f->paul, others[i], 100);
  add_ok (f, f->paul, "Couture de robes de mariée", 90);
  add_ok (f, f->paul, "Couture", 300);
  add_ok (f, f->marie, "Couture", 200);
  add_ok (f, f->marie, "Robes", 100);

  /* The closest title first, though dearer; the same title, the cheaper first. */
  found = bfk_offers_search (f->base.store, 1, "couture", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 3);
  g_assert_cmpstr (((BfkOffer *) found->pdata[0])->title, ==, "Couture");
  g_assert_cmpint (((BfkOffer *) found->pdata[0])->price, ==, 200);
  g_assert_cmpint (((BfkOffer *) found->pdata[1])->price, ==, 300);
  g_assert_cmpstr (((BfkOffer *) found->pdata[2])->title, ==, "Couture de robes de mariée");
  g_clear_pointer (&found, g_ptr_array_unref);

  /* Any of the words: an offer with either is found. */
  found = bfk_offers_search (f->base.store, 1, "couture robe", 10, &error);
  g_assert_cmpuint (found->len, ==, 4);
}

/* What members type is never FTS5 syntax: no error, and words are words. */
static void
test_hostile_text (WaFixture     *f,
                   gconstpointer  data)
{
  const gchar *texts[] = {
    "\"", "\"\"", "\"couture", "couture\"", "*", "**", "couture*", "AND", "OR", "NOT", "NEAR",
    "couture AND", "AND couture", "OR OR OR", "-couture", "couture -robes", "(", ")", "(couture",
    "couture)", "NEAR(couture robes)", "title:couture", "offers_fts:couture", "{title}: couture",
    "^couture", "couture + robes", "' OR 1=1 --", "'; DROP TABLE offers; --", "\\", "%", "_",
    "\xff\xfe couture", "couture\x01", "\xcc\x81", "😀 couture 😀",
  };
  g_autoptr(GError) error = NULL;

  add_ok (f, f->paul, "Couture et retouches", 300);
  add_ok (f, f->marie, "Robes AND jupes", 200);
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GPtrArray) found = bfk_offers_search (f->base.store, 1, texts[i], 10, &error);

      if (error)
        g_error ("Searching “%s” failed: %s", texts[i], error->message);
      g_assert_nonnull (found);
    }
  assert_search (f, 1, "\"couture", "Couture et retouches");
  assert_search (f, 1, "-couture", "Couture et retouches");
  assert_search (f, 1, "NOT couture", "Couture et retouches");
  /* Neither title is closer: the cheaper first. */
  assert_search (f, 1, "NEAR(couture robes)", "Robes AND jupes|Couture et retouches");
  /* AND is a word like another. */
  assert_search (f, 1, "and", "Robes AND jupes");
  assert_search (f, 1, "' OR 1=1 --", "");
  g_assert_cmpint (fixture_query_int (&f->base, "SELECT count(*) FROM offers"), ==, 2);
}

/* The index follows the table through edits and deletes. */
static void
test_index_in_step (WaFixture     *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 id = add_ok (f, f->paul, "Électricité", 300);

  assert_search (f, 1, "electricite", "Électricité");
  g_assert_true (bfk_store_exec (f->base.store, "UPDATE offers SET title = 'Maçonnerie'", &error));
  assert_search (f, 1, "electricite", "");
  assert_search (f, 1, "maconnerie", "Maçonnerie");
  g_assert_true (bfk_store_exec (f->base.store, "DELETE FROM offers", &error));
  assert_search (f, 1, "maconnerie", "");
  g_assert_true (bfk_store_exec (f->base.store, "INSERT INTO offers_fts (offers_fts, rank) "
                                 "VALUES ('integrity-check', 1)", &error));
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/offers/match-query", test_match_query);
  WA_TEST_ADD ("/offers/add-and-withdraw", test_add_and_withdraw);
  WA_TEST_ADD ("/offers/search", test_search);
  WA_TEST_ADD ("/offers/ranking", test_ranking);
  WA_TEST_ADD ("/offers/hostile-text", test_hostile_text);
  WA_TEST_ADD ("/offers/index-in-step", test_index_in_step);
  return g_test_run ();
}
