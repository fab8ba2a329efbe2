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

/* TRUE when a getLogs error says the range or its result is too big. */
gboolean  bfk_rpc_error_is_range_too_large (const GError *error);

/* Sleeps ms, or less when cancellable fires; TRUE if it did. */
gboolean  bfk_rpc_sleep_cancellable     (guint         ms,
                                         GCancellable *cancellable);

G_END_DECLS
