/* bfk-rpc.h: a JSON-RPC 2.0 client for Ethereum nodes, over libcurl.
 *
 * Every call blocks: run it on a worker thread, never on the backend's main
 * loop.  One BfkRpcClient may be used from several threads at once; it keeps
 * a small pool of curl handles so that connections stay alive between
 * calls.  Configure it (timeouts, retries, revert decoder) before sharing it.
 *
 * Failures are GErrors in the BFK_CHAIN_ERROR domain:
 *   - the node cannot be reached, or answers with an HTTP error and no
 *     JSON-RPC body → TRANSPORT (after retries with exponential backoff);
 *   - no answer in time → TIMEOUT (also retried);
 *   - a JSON-RPC error object → never retried, classified by its message:
 *     NONCE_TOO_LOW, UNDERPRICED, FEE_CAP_TOO_LOW, INSUFFICIENT_FUNDS,
 *     REVERTED, else NODE.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "bfk-address.h"
#include "bfk-u256.h"

G_BEGIN_DECLS

#define BFK_HASH_SIZE 32

typedef struct _BfkRpcClient BfkRpcClient;

/* Makes the message of a REVERTED error from the revert data (len may be
 * 0); returns a newly allocated sentence, or NULL to keep the default. */
typedef gchar *(*BfkRevertDecoder) (const guint8 *data,
                                    gsize         len,
                                    gpointer      user_data);

/* --- the client ---------------------------------------------------------- */

BfkRpcClient *bfk_rpc_client_new                  (const gchar      *url);
BfkRpcClient *bfk_rpc_client_ref                  (BfkRpcClient     *client);
void          bfk_rpc_client_unref                (BfkRpcClient     *client);
const gchar  *bfk_rpc_client_get_url              (BfkRpcClient     *client);

/* Whole request, in milliseconds (default 30 000). */
void          bfk_rpc_client_set_timeout          (BfkRpcClient     *client,
                                                   guint             timeout_ms);
/* TCP (and TLS) connection set-up, in milliseconds (default 10 000). */
void          bfk_rpc_client_set_connect_timeout  (BfkRpcClient     *client,
                                                   guint             timeout_ms);
/* Attempts after the first one, on transport errors only (default 3);
 * the delay before the n-th retry is initial_delay_ms × 2^(n-1). */
void          bfk_rpc_client_set_retries          (BfkRpcClient     *client,
                                                   guint             retries,
                                                   guint             initial_delay_ms);
/* Used to word REVERTED errors; the default describes Error(string) and
 * Panic(uint256) (bfk_abi_describe_revert without an ABI). */
void          bfk_rpc_client_set_revert_decoder   (BfkRpcClient     *client,
                                                   BfkRevertDecoder  decoder,
                                                   gpointer          user_data,
                                                   GDestroyNotify    destroy);
/* HTTP requests made so far, retries included (for tests and metrics). */
guint         bfk_rpc_client_get_request_count    (BfkRpcClient     *client);

/* --- generic calls ------------------------------------------------------- */

/* params is an array node or NULL (no parameters); it is not consumed.
 * Returns the "result" member (a JSON null is a JsonNode of type NULL). */
JsonNode     *bfk_rpc_client_call                 (BfkRpcClient     *client,
                                                   const gchar      *method,
                                                   JsonNode         *params,
                                                   GError          **error);
/* The same; on a revert, *revert_data (when not NULL) receives the raw
 * revert data (possibly empty). */
JsonNode     *bfk_rpc_client_call_full            (BfkRpcClient     *client,
                                                   const gchar      *method,
                                                   JsonNode         *params,
                                                   GBytes          **revert_data,
                                                   GError          **error);

typedef struct
{
  const gchar *method;
  JsonNode    *params;    /* borrowed; NULL for none */
} BfkRpcRequest;

typedef struct
{
  JsonNode *result;       /* NULL when error is set */
  GError   *error;        /* classified like a single call's error */
  GBytes   *revert_data;  /* set with a REVERTED error */
} BfkRpcResponse;

/* N requests in one HTTP POST (a JSON-RPC batch).  Returns n_requests
 * BfkRpcResponse*, in the order of the requests; NULL and error only when
 * the exchange as a whole failed. */
GPtrArray    *bfk_rpc_client_call_batch           (BfkRpcClient        *client,
                                                   const BfkRpcRequest *requests,
                                                   gsize                n_requests,
                                                   GError             **error);
void          bfk_rpc_response_free               (BfkRpcResponse      *response);

/* --- typed helpers ------------------------------------------------------- */

/* Block tags: "latest", "pending", "earliest", "safe", "finalized" or a
 * quantity; NULL means "latest". */

gboolean      bfk_rpc_client_get_chain_id         (BfkRpcClient     *client,
                                                   guint64          *chain_id,
                                                   GError          **error);
/* CHAIN_ID_MISMATCH when the node serves another chain. */
gboolean      bfk_rpc_client_check_chain_id       (BfkRpcClient     *client,
                                                   guint64           expected,
                                                   GError          **error);
gboolean      bfk_rpc_client_get_block_number     (BfkRpcClient     *client,
                                                   guint64          *number,
                                                   GError          **error);

typedef struct
{
  guint64  number;
  guint8   hash[BFK_HASH_SIZE];      /* zero for "pending" on some nodes */
  guint8   parent_hash[BFK_HASH_SIZE];
  guint64  timestamp;
  BfkU256  base_fee;
  gboolean has_base_fee;             /* FALSE before London */
} BfkBlock;

/* A missing block is a NODE error. */
gboolean      bfk_rpc_client_get_block            (BfkRpcClient     *client,
                                                   const gchar      *block_tag,
                                                   BfkBlock         *block,
                                                   GError          **error);
gboolean      bfk_rpc_client_get_block_by_number  (BfkRpcClient     *client,
                                                   guint64           number,
                                                   BfkBlock         *block,
                                                   GError          **error);
gboolean      bfk_rpc_client_get_balance          (BfkRpcClient     *client,
                                                   const BfkAddress *address,
                                                   const gchar      *block_tag,
                                                   BfkU256          *balance,
                                                   GError          **error);
/* The next nonce: "latest" counts mined transactions, "pending" also
 * those in the node's pool. */
gboolean      bfk_rpc_client_get_transaction_count (BfkRpcClient    *client,
                                                   const BfkAddress *address,
                                                   const gchar      *block_tag,
                                                   guint64          *count,
                                                   GError          **error);
gboolean      bfk_rpc_client_get_gas_price        (BfkRpcClient     *client,
                                                   BfkU256          *price,
                                                   GError          **error);
gboolean      bfk_rpc_client_get_max_priority_fee (BfkRpcClient     *client,
                                                   BfkU256          *tip,
                                                   GError          **error);

typedef struct
{
  guint64  oldest_block;
  guint    n_blocks;
  guint    n_percentiles;
  BfkU256 *base_fees;        /* n_blocks + 1: the last is the next block's */
  gdouble *gas_used_ratios;  /* n_blocks */
  BfkU256 *rewards;          /* n_blocks × n_percentiles, row by block; NULL without percentiles */
} BfkFeeHistory;

BfkFeeHistory *bfk_rpc_client_get_fee_history     (BfkRpcClient     *client,
                                                   guint             block_count,
                                                   const gchar      *newest_block,
                                                   const gdouble    *percentiles,
                                                   guint             n_percentiles,
                                                   GError          **error);
void          bfk_fee_history_free                (BfkFeeHistory    *history);

/* from and to may be NULL (no sender; contract creation); data may be NULL.
 * A revert is REVERTED, with its data in *revert_data when not NULL. */
gboolean      bfk_rpc_client_estimate_gas         (BfkRpcClient     *client,
                                                   const BfkAddress *from,
                                                   const BfkAddress *to,
                                                   BfkU256           value,
                                                   GBytes           *data,
                                                   guint64          *gas,
                                                   GBytes          **revert_data,
                                                   GError          **error);
/* eth_call; from may be NULL.  Returns the output bytes. */
GBytes       *bfk_rpc_client_call_contract        (BfkRpcClient     *client,
                                                   const BfkAddress *from,
                                                   const BfkAddress *to,
                                                   GBytes           *data,
                                                   const gchar      *block_tag,
                                                   GBytes          **revert_data,
                                                   GError          **error);

gboolean      bfk_rpc_client_send_raw_transaction (BfkRpcClient     *client,
                                                   const guint8     *raw,
                                                   gsize             raw_len,
                                                   guint8            hash[BFK_HASH_SIZE],
                                                   GError          **error);

typedef struct
{
  guint8  hash[BFK_HASH_SIZE];  /* as the node reported it */
  GError *error;                /* NULL when the node took the transaction */
} BfkSendResult;

/* Sends n signed transactions, batch_size (0: 100) to an HTTP request, with
 * up to max_in_flight (0: 1) requests at once.  Batches leave in order; with
 * max_in_flight > 1 they may arrive out of order, which nodes accept
 * (a higher nonce waits in the pool) but some load-balanced public RPCs
 * do not handle well.  Returns n BfkSendResult*, in order; a batch that
 * could not be delivered gives its error to each of its transactions. */
GPtrArray    *bfk_rpc_client_send_raw_transactions (BfkRpcClient    *client,
                                                   GBytes * const   *raw_txs,
                                                   gsize             n,
                                                   guint             batch_size,
                                                   guint             max_in_flight);

typedef struct
{
  BfkAddress address;
  guint      n_topics;
  guint8     topics[4][BFK_HASH_SIZE];
  GBytes    *data;
  guint64    block_number;
  guint8     block_hash[BFK_HASH_SIZE];
  guint8     tx_hash[BFK_HASH_SIZE];
  guint      tx_index;
  guint      log_index;
  gboolean   removed;
} BfkLog;

/* For a GArray of BfkLog (the arrays returned here have it set). */
void          bfk_log_clear                       (BfkLog           *log);
void          bfk_log_copy                        (const BfkLog     *src,
                                                   BfkLog           *dest);

typedef struct
{
  gboolean   status;             /* TRUE: success */
  guint64    block_number;
  guint8     block_hash[BFK_HASH_SIZE];
  guint8     tx_hash[BFK_HASH_SIZE];
  guint      tx_index;
  guint64    gas_used;
  guint64    cumulative_gas_used;
  BfkU256    effective_gas_price;
  BfkAddress contract_address;
  gboolean   has_contract_address;
  GArray    *logs;               /* of BfkLog */
} BfkReceipt;

void          bfk_receipt_free                    (BfkReceipt       *receipt);

/* TRUE with *receipt = NULL while the transaction is not mined. */
gboolean      bfk_rpc_client_get_receipt          (BfkRpcClient     *client,
                                                   const guint8      tx_hash[BFK_HASH_SIZE],
                                                   BfkReceipt      **receipt,
                                                   GError          **error);
/* Polls every poll_interval_ms until the receipt appears: TIMEOUT after
 * timeout_ms (0: no limit), G_IO_ERROR_CANCELLED when cancelled.  Transport
 * errors while polling are tolerated until the timeout. */
BfkReceipt   *bfk_rpc_client_wait_for_receipt     (BfkRpcClient     *client,
                                                   const guint8      tx_hash[BFK_HASH_SIZE],
                                                   guint             poll_interval_ms,
                                                   guint             timeout_ms,
                                                   GCancellable     *cancellable,
                                                   GError          **error);

typedef struct
{
  const BfkAddress *addresses;   /* any address when n_addresses is 0 */
  gsize             n_addresses;
  /* Position i matches any of topics[i][0 .. n_topics[i]); any topic when
   * n_topics[i] is 0. */
  const guint8    (*topics[4])[BFK_HASH_SIZE];
  gsize             n_topics[4];
} BfkLogFilter;

GArray       *bfk_rpc_client_get_logs             (BfkRpcClient       *client,
                                                   const BfkLogFilter *filter,
                                                   guint64             from_block,
                                                   guint64             to_block,
                                                   GError            **error);

typedef void (*BfkLogsProgress) (guint64  blocks_done,
                                 guint64  blocks_total,
                                 gpointer user_data);

/* [from_block, to_block] in windows of window blocks (0: 2000).  When the
 * node says a range or its result is too large, the window is halved and
 * the same range asked again; it grows back after a run of successes. */
GArray       *bfk_rpc_client_get_logs_chunked     (BfkRpcClient       *client,
                                                   const BfkLogFilter *filter,
                                                   guint64             from_block,
                                                   guint64             to_block,
                                                   guint64             window,
                                                   BfkLogsProgress     progress,
                                                   gpointer            user_data,
                                                   GCancellable       *cancellable,
                                                   GError            **error);

/* Parses an eth_getLogs answer: either the result array itself or a whole
 * JSON-RPC response.  len may be -1 for a NUL-terminated text. */
GArray       *bfk_rpc_parse_logs                  (const gchar      *json_text,
                                                   gssize            len,
                                                   GError          **error);

/* Writes "0x…" for n into buf (at least 19 bytes) and returns buf. */
const gchar  *bfk_rpc_quantity                    (guint64           n,
                                                   gchar             buf[19]);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BfkRpcClient, bfk_rpc_client_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BfkFeeHistory, bfk_fee_history_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BfkReceipt, bfk_receipt_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BfkRpcResponse, bfk_rpc_response_free)

G_END_DECLS
