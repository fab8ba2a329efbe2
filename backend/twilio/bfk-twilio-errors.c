/* bfk-twilio-errors.c: the table of Twilio error codes.
 *
 * Only the codes a WhatsApp sender meets: the REST API's refusals (2xxxx),
 * carriers' delivery failures (3xxxx) and the WhatsApp channel's (63xxx).
 * Sorted by code, for the binary search.
 */
#include "bfk-twilio-errors.h"

#include <stdlib.h>

typedef struct
{
  gint         code;
  const gchar *reason;
} Reason;

static const Reason reasons[] = {
  { 20003, "Twilio refused the credentials: check TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN." },
  { 20429, "Too many requests to Twilio at once; the message will be sent again later." },
  { 21211, "The 'To' number is not a valid phone number." },
  { 21408, "Sending to this region is not enabled on the Twilio account (Messaging geographic permissions)." },
  { 21606, "The 'From' number cannot send on this channel: check TWILIO_WHATSAPP_NUMBER." },
  { 21608, "A Twilio trial account can only send to verified numbers." },
  { 21610, "The recipient has unsubscribed (sent STOP); they must send START before they can be messaged again." },
  { 21612, "Twilio cannot route a message from this sender to this number." },
  { 21614, "The 'To' number is not a mobile number." },
  { 21617, "The message is too long (over 1600 characters)." },
  { 30003, "The recipient's phone is unreachable (switched off or out of coverage)." },
  { 30004, "The message was blocked by the recipient or their carrier." },
  { 30005, "Unknown destination: the number does not exist or is no longer in service." },
  { 30006, "Landline or unreachable carrier: this number cannot receive messages." },
  { 30007, "The message was filtered by the carrier as spam or unwanted." },
  { 30008, "Delivery failed for an unknown reason at the carrier." },
  { 63003, "WhatsApp could not find this address: the number is invalid or has no WhatsApp account." },
  { 63007, "Twilio has no WhatsApp sender for the 'From' number: check TWILIO_WHATSAPP_NUMBER." },
  { 63016, "The 24-hour WhatsApp session window is closed: a free-form message is only allowed "
           "within 24 hours of the member's last message; an approved template must be used." },
  { 63018, "WhatsApp's rate limit for this sender was exceeded." },
  { 63024, "Invalid message recipient: this number cannot receive WhatsApp messages." },
  { 63032, "WhatsApp will not deliver to this user for now (a WhatsApp restriction on the "
           "recipient, such as having stopped messages from businesses)." },
};

static gint
compare_codes (const void *key,
               const void *element)
{
  gint code = *(const gint *) key;
  const Reason *reason = element;

  return (code > reason->code) - (code < reason->code);
}

gchar *
bfk_twilio_error_reason (gint code)
{
  const Reason *found = bsearch (&code, reasons, G_N_ELEMENTS (reasons), sizeof reasons[0],
                                 compare_codes);

  if (found != NULL)
    return g_strdup (found->reason);
  return g_strdup_printf ("Twilio error %d", code);
}
