/* bfk-enrolment.c */
#include "bfk-enrolment.h"
#include "bfk-contract.h"
#include "bfk-csv.h"
#include "bfk-outbox.h"

#include <string.h>

/* Rows per transaction of an import: a commit (an fsync with
 * synchronous=FULL) per row would make a village of 500 take seconds. */
#define IMPORT_BATCH_ROWS 100

typedef struct
{
  BfkStore          *store;
  BfkRpcClient      *rpc;
  const guint8      *data_key;
  const BfkAddress  *operator_address;
  const BfkAddress  *contract;
  guint              n_communities;
} Enroller;

static gboolean
check_community (guint64   community_id,
                 guint     n_communities,
                 GError  **error)
{
  if (community_id >= 1 && community_id <= n_communities)
    return TRUE;
  g_set_error (error, BFK_MEMBER_ERROR, BFK_MEMBER_ERROR_INVALID_COMMUNITY,
               "Community %" G_GUINT64_FORMAT " does not exist: choose 1 to %u",
               community_id, n_communities);
  return FALSE;
}

/* "register Marie (+2376…22) in community 1": staff see it and logs keep
 * it, so the number is masked. */
static gchar *
registration_summary (const BfkMember *m)
{
  g_autofree gchar *masked = m->phone ? bfk_phone_mask (m->phone) : NULL;

  return g_strdup_printf ("register %s%s%s%s in community %" G_GUINT64_FORMAT, m->name,
                          masked ? " (" : "", masked ? masked : "", masked ? ")" : "",
                          m->community_id);
}

static gint64
enqueue_registration (Enroller         *e,
                      const BfkMember  *m,
                      GError          **error)
{
  g_autoptr(GBytes) calldata = bfk_contract_encode_register_member (&m->address, m->community_id);
  g_autofree gchar *summary = registration_summary (m);
  BfkOpRequest request = {
    .kind = BFK_OP_REGISTER_MEMBER,
    .calldata = calldata,
    .summary = summary,
    .member_id = m->id,
    .community_id = m->community_id,
  };

  return bfk_outbox_enqueue (e->store, e->rpc, e->operator_address, e->contract, &request, error);
}

/* The member and its operation, or neither: a savepoint nests in the
 * transaction that is open, the caller's or our own batch. */
static BfkMember *
enrol (Enroller     *e,
       const gchar  *phone,
       const gchar  *name,
       guint64       community_id,
       gint64       *op_id,
       GError      **error)
{
  g_autoptr(BfkMember) m = NULL;

  *op_id = 0;
  if (!bfk_store_exec (e->store, "SAVEPOINT bfk_enrol", error))
    return NULL;
  m = bfk_members_create (e->store, e->data_key, phone, name, community_id, error);
  if (m)
    *op_id = enqueue_registration (e, m, error);
  if (*op_id == 0)
    {
      bfk_store_exec (e->store, "ROLLBACK TO bfk_enrol; RELEASE bfk_enrol", NULL);
      return NULL;
    }
  if (!bfk_store_exec (e->store, "RELEASE bfk_enrol", error))
    return NULL;
  return g_steal_pointer (&m);
}

gboolean
bfk_enrolment_add_member (BfkStore          *store,
                          BfkRpcClient      *rpc,
                          const guint8       data_key[BFK_DATA_KEY_SIZE],
                          const BfkAddress  *operator_address,
                          const BfkAddress  *contract,
                          const gchar       *phone,
                          const gchar       *name,
                          guint64            community_id,
                          guint              n_communities,
                          BfkMember        **member_out,
                          gint64            *op_id_out,
                          GError           **error)
{
  Enroller e = { store, rpc, data_key, operator_address, contract, n_communities };
  g_autoptr(BfkMember) m = NULL;
  gboolean own = sqlite3_get_autocommit (bfk_store_get_db (store));
  gint64 op_id = 0;

  if (!check_community (community_id, n_communities, error))
    return FALSE;
  if (own && !bfk_store_begin (store, error))
    return FALSE;
  m = enrol (&e, phone, name, community_id, &op_id, error);
  if (own && m && !bfk_store_commit (store, error))
    g_clear_pointer (&m, bfk_member_free);
  if (own && !m)
    bfk_store_rollback (store);
  if (!m)
    return FALSE;
  if (op_id_out)
    *op_id_out = op_id;
  if (member_out)
    *member_out = g_steal_pointer (&m);
  return TRUE;
}

/* --- import --- */

enum { COL_PHONE, COL_NAME, COL_COMMUNITY, N_COLS };

static const gchar *const col_names[N_COLS] = { "phone", "name", "community" };
static const BfkMemberError col_errors[N_COLS] = {
  BFK_MEMBER_ERROR_INVALID_PHONE, BFK_MEMBER_ERROR_INVALID_NAME, BFK_MEMBER_ERROR_INVALID_COMMUNITY,
};

/* What coordinators put in a header row, in English or French, folded:
 * lower case, accents and punctuation dropped ("Téléphone" → "telephone"). */
static const gchar *const col_aliases[N_COLS][8] = {
  { "phone", "telephone", "tel", "phonenumber", "mobile", "numero", "number", "whatsapp" },
  { "name", "nom", "username", "user", "pseudo", "nomdutilisateur", NULL },
  { "community", "communaute", "communityid", "village", NULL },
};

static gchar *
fold (const gchar *text)
{
  g_autofree gchar *lower = g_utf8_casefold (text, -1);
  g_autofree gchar *decomposed = g_utf8_normalize (lower, -1, G_NORMALIZE_NFD);
  GString *out = g_string_new (NULL);

  for (const gchar *p = decomposed ? decomposed : ""; *p; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (out, *p);
  return g_string_free (out, FALSE);
}

static gint
column_of (const gchar *header_field)
{
  g_autofree gchar *folded = fold (header_field);

  for (guint c = 0; c < N_COLS; c++)
    for (guint a = 0; a < G_N_ELEMENTS (col_aliases[c]) && col_aliases[c][a]; a++)
      if (g_str_equal (folded, col_aliases[c][a]))
        return (gint) c;
  return -1;
}

/* Reads a header row into cols when the first record is one: a field names
 * a column and none is a phone number (a member may well be called "Tel").
 * FALSE when the header lacks a needed column. */
static gboolean
read_header (const BfkCsvRecord  *first,
             guint                cols[N_COLS],
             gboolean            *is_header,
             GError             **error)
{
  gint found[N_COLS] = { -1, -1, -1 };
  gboolean has_phone = FALSE;

  *is_header = FALSE;
  for (guint i = 0; i < first->n_fields; i++)
    {
      g_autofree gchar *phone = bfk_phone_normalize (first->fields[i], NULL);
      gint c = column_of (first->fields[i]);

      if (c >= 0 && found[c] < 0)
        found[c] = (gint) i;
      *is_header = *is_header || c >= 0;
      has_phone = has_phone || phone != NULL;
    }
  *is_header = *is_header && !has_phone;
  for (guint c = 0; c < N_COLS; c++)
    {
      if (*is_header && found[c] < 0)
        {
          g_set_error (error, BFK_CSV_ERROR, BFK_CSV_ERROR_COLUMNS,
                       "The header row (line %u) has no %s column: the columns are "
                       "phone, name, community", first->line, col_names[c]);
          return FALSE;
        }
      cols[c] = *is_header ? (guint) found[c] : c;
    }
  return TRUE;
}

typedef enum
{
  ROW_ADDED,
  ROW_PROBLEM,
  ROW_DUPLICATE,
  ROW_FAILED,    /* not the row's fault: the store or the outbox; stop */
} RowOutcome;

static void
issue_free (BfkEnrolmentIssue *issue)
{
  g_free (issue->message);
  g_free (issue);
}

static void
add_issue (GPtrArray   *issues,
           guint        line,
           const gchar *message)
{
  BfkEnrolmentIssue *issue = g_new0 (BfkEnrolmentIssue, 1);

  issue->line = line;
  issue->message = g_strdup (message);
  g_ptr_array_add (issues, issue);
}

/* The row's fields, or a problem naming the first wrong one. */
static gboolean
read_row (Enroller            *e,
          const BfkCsvRecord  *record,
          const guint          cols[N_COLS],
          gchar              **phone,
          gchar              **name,
          guint64             *community_id,
          GError             **error)
{
  const gchar *text[N_COLS];
  guint64 id = 0;

  for (guint c = 0; c < N_COLS; c++)
    {
      text[c] = cols[c] < record->n_fields ? record->fields[cols[c]] : "";
      if (!*text[c])
        {
          g_set_error (error, BFK_MEMBER_ERROR, col_errors[c],
                       "missing column: %s", col_names[c]);
          return FALSE;
        }
    }
  if (!(*phone = bfk_phone_normalize (text[COL_PHONE], error))
      || !(*name = bfk_member_name_normalize (text[COL_NAME], error)))
    return FALSE;
  if (!g_ascii_string_to_unsigned (text[COL_COMMUNITY], 10, 1, G_MAXUINT64, &id, NULL)
      || !check_community (id, e->n_communities, NULL))
    {
      g_set_error (error, BFK_MEMBER_ERROR, BFK_MEMBER_ERROR_INVALID_COMMUNITY,
                   "unknown community “%s”: choose 1 to %u", text[COL_COMMUNITY], e->n_communities);
      return FALSE;
    }
  *community_id = id;
  return TRUE;
}

static RowOutcome
import_row (Enroller            *e,
            const BfkCsvRecord  *record,
            const guint          cols[N_COLS],
            BfkEnrolmentResult  *result,
            GError             **error)
{
  g_autoptr(GError) local = NULL;
  g_autofree gchar *phone = NULL;
  g_autofree gchar *name = NULL;
  g_autoptr(BfkMember) m = NULL;
  guint64 community_id = 0;
  gint64 op_id = 0;

  if (!read_row (e, record, cols, &phone, &name, &community_id, &local))
    {
      add_issue (result->problems, record->line, local->message);
      return ROW_PROBLEM;
    }
  m = enrol (e, phone, name, community_id, &op_id, &local);
  if (g_error_matches (local, BFK_MEMBER_ERROR, BFK_MEMBER_ERROR_PHONE_TAKEN)
      || g_error_matches (local, BFK_MEMBER_ERROR, BFK_MEMBER_ERROR_NAME_TAKEN))
    {
      add_issue (result->skipped, record->line, local->message);
      result->duplicates++;
      return ROW_DUPLICATE;
    }
  if (!m)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local), "Line %u: ", record->line);
      return ROW_FAILED;
    }
  result->added++;
  g_array_append_val (result->member_ids, m->id);
  g_array_append_val (result->op_ids, op_id);
  return ROW_ADDED;
}

/* Commits the batch; if that fails, its rows were not written after all. */
static gboolean
commit_batch (BfkStore            *store,
              BfkEnrolmentResult  *result,
              guint                added_before,
              GError             **error)
{
  g_autoptr(GError) local = NULL;

  if (bfk_store_commit (store, &local))
    return TRUE;
  bfk_store_rollback (store);
  result->added = added_before;
  g_array_set_size (result->member_ids, added_before);
  g_array_set_size (result->op_ids, added_before);
  if (error && !*error)
    g_propagate_error (error, g_steal_pointer (&local));
  return FALSE;
}

void
bfk_enrolment_result_clear (BfkEnrolmentResult *result)
{
  g_clear_pointer (&result->problems, g_ptr_array_unref);
  g_clear_pointer (&result->skipped, g_ptr_array_unref);
  g_clear_pointer (&result->member_ids, g_array_unref);
  g_clear_pointer (&result->op_ids, g_array_unref);
  memset (result, 0, sizeof *result);
}

gboolean
bfk_enrolment_import_csv (BfkStore            *store,
                          BfkRpcClient        *rpc,
                          const guint8         data_key[BFK_DATA_KEY_SIZE],
                          const BfkAddress    *operator_address,
                          const BfkAddress    *contract,
                          guint                n_communities,
                          const gchar         *csv,
                          gsize                len,
                          BfkEnrolmentResult  *result,
                          GError             **error)
{
  Enroller e = { store, rpc, data_key, operator_address, contract, n_communities };
  g_autoptr(GPtrArray) records = NULL;
  gboolean own = sqlite3_get_autocommit (bfk_store_get_db (store));
  gboolean is_header = FALSE;
  guint cols[N_COLS];
  guint in_batch = 0, added_before = 0;

  bfk_enrolment_result_clear (result);
  result->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) issue_free);
  result->skipped = g_ptr_array_new_with_free_func ((GDestroyNotify) issue_free);
  result->member_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  result->op_ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (!(records = bfk_csv_parse (csv, len, error)))
    return FALSE;
  if (records->len == 0)
    return TRUE;
  if (!read_header (g_ptr_array_index (records, 0), cols, &is_header, error))
    return FALSE;

  for (guint i = is_header ? 1 : 0; i < records->len; i++)
    {
      RowOutcome outcome;

      if (own && in_batch == 0)
        {
          if (!bfk_store_begin (store, error))
            return FALSE;
          added_before = result->added;
        }
      outcome = import_row (&e, g_ptr_array_index (records, i), cols, result, error);
      /* What the batch holds so far is good: keep it, then stop. */
      if (outcome == ROW_FAILED)
        {
          if (own)
            commit_batch (store, result, added_before, error);
          return FALSE;
        }
      if (own && (++in_batch == IMPORT_BATCH_ROWS || i + 1 == records->len))
        {
          in_batch = 0;
          if (!commit_batch (store, result, added_before, error))
            return FALSE;
        }
    }
  return TRUE;
}
