/* bfk-rpc-private.h: shared by the files of the JSON-RPC client. */
#pragma once

#include "bfk-rpc.h"

G_BEGIN_DECLS

/* The URL as it may appear in a message: no user info, no query, and no
 * path segment long enough to be an API key (providers put keys there). */
gchar    *bfk_rpc_redact_url            (const gchar  *url);
const gchar *bfk_rpc_client_get_display_url (BfkRpcClient *client);

/* "0x…" quantity to guint64; FALSE on anything else or overflow. */
/* A JSON-RPC params array, and an address appended to one. */
JsonNode *bfk_rpc_params_new            (JsonArray   **array);
void      bfk_rpc_params_add_address    (JsonArray    *array,
                                         const BfkAddress *address);

gboolean  bfk_rpc_parse_u64             (const gchar  *text,
                                         guint64      *out);

/* Member helpers that set a DECODE error naming the member. */
gboolean  bfk_rpc_get_u64_member        (JsonObject   *object,
                                         const gchar  *name,
                                         guint64      *out,
                                         GError      **error);
gboolean  bfk_rpc_get_u256_member       (JsonObject   *object,
                                         const gchar  *name,
                                         BfkU256      *out,
                                         GError      **error);
gboolean  bfk_rpc_get_hash_member       (JsonObject   *object,
                                         const gchar  *name,
                                         guint8        out[BFK_HASH_SIZE],
                                         GError      **error);
gboolean  bfk_rpc_result_u64            (JsonNode     *result,
                                         const gchar  *method,
                                         guint64      *out,
                                         GError      **error);
gboolean  bfk_rpc_result_u256           (JsonNode     *result,
                                         const gchar  *method,
                                         BfkU256      *out,
                                         GError      **error);

/* --- logs: the rules of their fields (bfk-rpc-logs.c), whichever parser
 * reads them --- */

/* A member's value as the rules see it. */
typedef enum
{
  BFK_RPC_VALUE_STRING,     /* text, len: the string's content, unescaped */
  BFK_RPC_VALUE_NULL,
  BFK_RPC_VALUE_TRUE,
  BFK_RPC_VALUE_FALSE,
  BFK_RPC_VALUE_OTHER,      /* a number, object or array */
} BfkRpcValueKind;

typedef struct
{
  BfkRpcValueKind  kind;
  const gchar     *text;
  gsize            len;
} BfkRpcValue;

/* The members of a log object that are read. */
typedef enum
{
  BFK_RPC_LOG_ADDRESS = 1 << 0,
  BFK_RPC_LOG_TOPICS = 1 << 1,
  BFK_RPC_LOG_DATA = 1 << 2,
  BFK_RPC_LOG_BLOCK_NUMBER = 1 << 3,
  BFK_RPC_LOG_BLOCK_HASH = 1 << 4,
  BFK_RPC_LOG_TX_HASH = 1 << 5,
  BFK_RPC_LOG_TX_INDEX = 1 << 6,
  BFK_RPC_LOG_LOG_INDEX = 1 << 7,
  BFK_RPC_LOG_REMOVED = 1 << 8,
} BfkRpcLogField;

/* One log being filled in, log zeroed first; its data is decoded into
 * arena, at data_offset for data_len bytes. */
typedef struct
{
  BfkLog     *log;
  GByteArray *arena;
  gsize       data_offset;
  gsize       data_len;
  guint       seen;       /* BfkRpcLogField */
} BfkRpcLogBuild;

/* An array of BfkLog that clears them. */
GArray   *bfk_rpc_log_array_new         (guint            reserved);
/* Sets a DECODE error naming what is wrong with a log; FALSE. */
gboolean  bfk_rpc_bad_log               (const gchar     *what,
                                         GError         **error);
/* The field a member name stands for, 0 for one that is not read. */
guint     bfk_rpc_log_field             (const gchar     *name,
                                         gsize            len);
/* A member other than the topics, field from bfk_rpc_log_field. */
gboolean  bfk_rpc_log_member            (BfkRpcLogBuild  *b,
                                         guint            field,
                                         const BfkRpcValue *v,
                                         GError         **error);
/* The topics' array starts: FALSE when it came before. */
gboolean  bfk_rpc_log_topics            (BfkRpcLogBuild  *b,
                                         GError         **error);
/* Topic i of the array (at most four). */
gboolean  bfk_rpc_log_topic             (BfkRpcLogBuild  *b,
                                         guint            i,
                                         const BfkRpcValue *v,
                                         GError         **error);
/* Once every member is read: the ones a log must have are there. */
gboolean  bfk_rpc_log_complete          (const BfkRpcLogBuild *b,
                                         GError         **error);
/* Gives each log of logs its slice of the data in arena (taken), spans
 * holding (offset, length) per log; returns logs. */
GArray   *bfk_rpc_logs_share_data       (GArray          *logs,
                                         GByteArray      *arena,
                                         const gsize     *spans);

/* An eth_getLogs answer (bfk-rpc-logs-scan.c): the result array, or a
 * whole JSON-RPC response, whose error is classified as the client's
 * (client may be NULL). */
GArray   *bfk_rpc_scan_logs             (BfkRpcClient    *client,
                                         const gchar     *text,
                                         gsize            len,
                                         GError         **error);

/* Parses one log object into log; data is decoded into arena, and
 * *data_offset / *data_len locate it there (log->data stays NULL). */
gboolean  bfk_rpc_parse_log_object      (JsonObject   *object,
                                         BfkLog       *log,
                                         GByteArray   *arena,
                                         gsize        *data_offset,
                                         gsize        *data_len,
                                         GError      **error);
GArray   *bfk_rpc_parse_log_array       (JsonArray    *array,
                                         GError      **error);

/* One call, and the node's answer as it came: the whole JSON-RPC response
 * text, for a caller that reads it without building a tree. */
GString  *bfk_rpc_client_call_text      (BfkRpcClient  *client,
                                         const gchar   *method,
                                         JsonNode      *params,
                                         GError       **error);
/* The error that a JSON-RPC error object, given as its text, stands for,
 * classified as for any call.  client may be NULL (no URL, no revert
 * decoder). */
GError   *bfk_rpc_error_from_text       (BfkRpcClient  *client,
                                         const gchar   *method,
                                         const gchar   *text,
                                         gsize          len);

/* TRUE when a getLogs error says the range or its result is too big. */
gboolean  bfk_rpc_error_is_range_too_large (const GError *error);

/* Sleeps ms, or less when cancellable fires; TRUE if it did. */
gboolean  bfk_rpc_sleep_cancellable     (guint         ms,
                                         GCancellable *cancellable);

G_END_DECLS
