/* bfk-event.c: logs of BafokaCommunity decoded into BfkEvent.
 *
 * The ABI gives each input its name, and DESIGN.md fixes those names, so the
 * fields are filled by name: one table instead of a decoder per event.
 */
#include "bfk-contract.h"
#include "bfk-chain-error.h"

#include <string.h>

static const struct
{
  const gchar  *name;
  BfkEventKind  kind;
} kinds[] = {
  { "CommunityAdded", BFK_EVENT_COMMUNITY_ADDED },
  { "MemberRegistered", BFK_EVENT_MEMBER_REGISTERED },
  { "ExchangeProposed", BFK_EVENT_EXCHANGE_PROPOSED },
  { "ExchangeAccepted", BFK_EVENT_EXCHANGE_ACCEPTED },
  { "ExchangeDeclined", BFK_EVENT_EXCHANGE_DECLINED },
  { "ExchangeCancelled", BFK_EVENT_EXCHANGE_CANCELLED },
  { "ExchangeExpired", BFK_EVENT_EXCHANGE_EXPIRED },
  { "ExchangeCompleted", BFK_EVENT_EXCHANGE_COMPLETED },
  { "ExchangeRated", BFK_EVENT_EXCHANGE_RATED },
  { "BackerApproved", BFK_EVENT_BACKER_APPROVED },
  { "BackerRevoked", BFK_EVENT_BACKER_REVOKED },
  { "Recharged", BFK_EVENT_RECHARGED },
};

static void
set_field (BfkEvent          *out,
           const gchar       *name,
           const BfkAbiValue *v)
{
  BfkAddress *address = NULL;

  if (g_str_equal (name, "communityId"))
    out->community_id = bfk_abi_value_get_uint64 (v);
  else if (g_str_equal (name, "exchangeId"))
    out->exchange_id = bfk_abi_value_get_uint64 (v);
  else if (g_str_equal (name, "amount") || g_str_equal (name, "grant") || g_str_equal (name, "weeklyCap"))
    out->amount = bfk_abi_value_get_u256 (v);
  else if (g_str_equal (name, "deadline"))
    out->deadline = bfk_abi_value_get_uint64 (v);
  else if (g_str_equal (name, "stars"))
    out->stars = (guint) bfk_abi_value_get_uint64 (v);
  else if (g_str_equal (name, "name"))
    out->name = g_strdup (bfk_abi_value_get_string (v));
  else if (g_str_equal (name, "currencyName"))
    out->currency_name = g_strdup (bfk_abi_value_get_string (v));
  else if (g_str_equal (name, "currencySymbol"))
    out->currency_symbol = g_strdup (bfk_abi_value_get_string (v));
  else if (g_str_equal (name, "member"))
    address = &out->member;
  else if (g_str_equal (name, "payer"))
    address = &out->payer;
  else if (g_str_equal (name, "provider"))
    address = &out->provider;
  else if (g_str_equal (name, "backer"))
    address = &out->backer;
  else if (g_str_equal (name, "rater"))
    address = &out->rater;
  else if (g_str_equal (name, "ratee"))
    address = &out->ratee;

  if (address)
    *address = *bfk_abi_value_get_address (v);
}

gboolean
bfk_event_decode (const guint8  *topics,
                  guint          n_topics,
                  const guint8  *data,
                  gsize          len,
                  BfkEvent      *out,
                  GError       **error)
{
  const BfkAbiEvent *event = NULL;
  g_autoptr(BfkAbiValue) v = NULL;

  memset (out, 0, sizeof *out);
  v = bfk_abi_decode_log (bfk_contract_abi (), topics, n_topics, data, len, &event, error);
  if (!v)
    return FALSE;

  out->kind = BFK_EVENT_OTHER;
  out->event_name = event->name;
  for (gsize i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_str_equal (kinds[i].name, event->name))
      out->kind = kinds[i].kind;
  for (guint i = 0; i < event->n_inputs; i++)
    set_field (out, event->inputs[i].name, bfk_abi_value_get_child (v, i));
  return TRUE;
}

void
bfk_event_clear (BfkEvent *event)
{
  g_clear_pointer (&event->name, g_free);
  g_clear_pointer (&event->currency_name, g_free);
  g_clear_pointer (&event->currency_symbol, g_free);
}

static gchar *
short_address (const BfkAddress *a)
{
  gchar full[BFK_ADDRESS_STRING_SIZE];

  bfk_address_to_string_buf (a, full);
  return g_strdup_printf ("%.6s…%s", full, full + 38);
}

gchar *
bfk_event_describe (const BfkEvent *e)
{
  g_autofree gchar *amount = bfk_u256_to_decimal (e->amount);
  g_autofree gchar *a = NULL;
  g_autofree gchar *b = NULL;

  switch (e->kind)
    {
    case BFK_EVENT_COMMUNITY_ADDED:
      return g_strdup_printf ("CommunityAdded %" G_GUINT64_FORMAT ": %s (%s, %s)", e->community_id,
                              e->name, e->currency_name, e->currency_symbol);
    case BFK_EVENT_MEMBER_REGISTERED:
      a = short_address (&e->member);
      return g_strdup_printf ("MemberRegistered %s in community %" G_GUINT64_FORMAT ", grant %s",
                              a, e->community_id, amount);
    case BFK_EVENT_EXCHANGE_PROPOSED:
      a = short_address (&e->payer);
      b = short_address (&e->provider);
      return g_strdup_printf ("ExchangeProposed #%" G_GUINT64_FORMAT ": %s → %s, %s (community %"
                              G_GUINT64_FORMAT ")", e->exchange_id, a, b, amount, e->community_id);
    case BFK_EVENT_EXCHANGE_COMPLETED:
      return g_strdup_printf ("ExchangeCompleted #%" G_GUINT64_FORMAT ": %s paid", e->exchange_id, amount);
    case BFK_EVENT_EXCHANGE_ACCEPTED:
    case BFK_EVENT_EXCHANGE_DECLINED:
    case BFK_EVENT_EXCHANGE_CANCELLED:
    case BFK_EVENT_EXCHANGE_EXPIRED:
      return g_strdup_printf ("%s #%" G_GUINT64_FORMAT, e->event_name, e->exchange_id);
    case BFK_EVENT_EXCHANGE_RATED:
      a = short_address (&e->rater);
      b = short_address (&e->ratee);
      return g_strdup_printf ("ExchangeRated #%" G_GUINT64_FORMAT ": %s gave %s %u stars",
                              e->exchange_id, a, b, e->stars);
    case BFK_EVENT_BACKER_APPROVED:
      a = short_address (&e->backer);
      return g_strdup_printf ("BackerApproved %s in community %" G_GUINT64_FORMAT ", weekly cap %s",
                              a, e->community_id, amount);
    case BFK_EVENT_BACKER_REVOKED:
      a = short_address (&e->backer);
      return g_strdup_printf ("BackerRevoked %s", a);
    case BFK_EVENT_RECHARGED:
      a = short_address (&e->backer);
      b = short_address (&e->member);
      return g_strdup_printf ("Recharged %s by %s: %s (community %" G_GUINT64_FORMAT ")",
                              b, a, amount, e->community_id);
    case BFK_EVENT_OTHER:
    default:
      return g_strdup (e->event_name);
    }
}
