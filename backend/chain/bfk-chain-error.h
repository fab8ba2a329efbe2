/* bfk-chain-error.h: the error domain of the chain client.
 *
 * Every failure of the chain client is a GError in this domain, so that the
 * outbox can classify it and a person reads one sentence that says what to do.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BFK_CHAIN_ERROR (bfk_chain_error_quark ())

typedef enum
{
  BFK_CHAIN_ERROR_INVALID_INPUT,     /* malformed hex, number, address ... */
  BFK_CHAIN_ERROR_DECODE,            /* RLP or ABI data that does not parse */
  BFK_CHAIN_ERROR_TRANSPORT,         /* the node cannot be reached */
  BFK_CHAIN_ERROR_TIMEOUT,           /* the node or a receipt took too long */
  BFK_CHAIN_ERROR_NODE,              /* the node answered with a JSON-RPC error */
  BFK_CHAIN_ERROR_REVERTED,          /* execution reverted; the message is the decoded reason */
  BFK_CHAIN_ERROR_CHAIN_ID_MISMATCH, /* the node serves another chain */
  BFK_CHAIN_ERROR_NONCE_TOO_LOW,
  BFK_CHAIN_ERROR_UNDERPRICED,       /* replacement underpriced, or tip below the node's floor */
  BFK_CHAIN_ERROR_FEE_CAP_TOO_LOW,   /* max fee below the base fee */
  BFK_CHAIN_ERROR_INSUFFICIENT_FUNDS,
  BFK_CHAIN_ERROR_KEYSTORE_PASSWORD, /* wrong keystore password (MAC mismatch) */
  BFK_CHAIN_ERROR_KEYSTORE_FORMAT,   /* not a keystore we can read */
  BFK_CHAIN_ERROR_LOCAL_NODE,        /* the local anvil could not be started */
  BFK_CHAIN_ERROR_CRYPTO,            /* a cryptographic primitive failed */
} BfkChainError;

GQuark bfk_chain_error_quark (void);

G_END_DECLS
