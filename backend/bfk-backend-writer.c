/* bfk-backend-writer.c: the webhook writer, a thread that stores what
 * Twilio posts, runs the bot on it, and commits, with its own store
 * connection.
 *
 * Group commit.  Every answer waits for its message to be on disk, and a
 * commit costs an fsync.  The writer takes every job that is waiting, handles
 * them in one transaction (each message in its own savepoint, so that a
 * failure undoes that message only), commits once, and sends the answers
 * back to the backend thread together.  Under load, the jobs that arrived
 * during one commit share the next; alone, a message waits for nothing but
 * its own commit.
 *
 * Here, not on the backend thread, since storing blocks: on the disk, and
 * once on the node (a signer's first nonce).  The backend thread meanwhile
 * reads and answers HTTP.
 */
#include "bfk-backend-private.h"

#include "bfk-form.h"
#include "bfk-inbound.h"
#include "bfk-messages.h"
#include "bfk-twiml.h"

/* Jobs per transaction at the most: a bound on one answer's wait. */
#define BATCH_MAX 256

/* Twilio retries a webhook within minutes; the sids it could still send
 * again are kept two days, and forgotten once an hour after that. */
#define SIDS_KEPT_S        (2 * 24 * 60 * 60)
#define FORGET_EVERY_US    (G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC)

/* Pushed at the stop: the writer ends after the jobs before it. */
static BfkWebhookJob stop_marker;

void
bfk_webhook_job_free (BfkWebhookJob *job)
{
  g_clear_object (&job->msg);
  g_clear_pointer (&job->form, bfk_form_free);
  g_free (job->body);
  g_free (job);
}

static void
job_answer (BfkWebhookJob *job,
            guint          status,
            const gchar   *content_type,
            gchar         *body,
            const gchar   *outcome)
{
  job->status = status;
  job->content_type = content_type;
  g_free (job->body);
  job->body = body;
  job->outcome = outcome;
}

static const gchar *const fate_names[] = {
  [BFK_INBOUND_ANSWERED] = "answered",
  [BFK_INBOUND_REPLAYED] = "replayed",
  [BFK_INBOUND_WARNED] = "rate_warned",
  [BFK_INBOUND_DROPPED] = "rate_dropped",
};

static void
handle_message (BfkBackend    *self,
                BfkStore      *store,
                BfkWebhookJob *job,
                GArray        *op_ids)
{
  g_autoptr(GError) error = NULL;
  g_auto(BfkInboundResult) result = { 0 };
  const gchar *media = bfk_form_lookup (job->form, "NumMedia");
  BfkInboundSetup setup = {
    .chain = bfk_backend_bot_chain (self, store),
    .rate_limit = self->rate_limit,
    .proposal_ttl = (gint64) self->config->proposal_ttl,
  };
  BfkInboundMessage message = {
    .message_sid = bfk_form_lookup (job->form, "MessageSid"),
    .from = bfk_form_lookup (job->form, "From"),
    .body = bfk_form_lookup (job->form, "Body"),
    .n_media = media ? (guint) g_ascii_strtoull (media, NULL, 10) : 0,
    .now_us = job->now_us,
  };

  if (!bfk_inbound_handle (&setup, &message, &result, &error))
    {
      gboolean bad = error->domain == BFK_MEMBER_ERROR || error->domain == G_IO_ERROR;

      if (!bad)
        g_warning ("A WhatsApp message could not be handled: %s", error->message);
      job_answer (job, bad ? SOUP_STATUS_BAD_REQUEST : SOUP_STATUS_INTERNAL_SERVER_ERROR, "text/plain",
                  g_strdup_printf ("%s\n", error->message), bad ? "bad_request" : "error");
      return;
    }
  g_array_append_vals (op_ids, result.op_ids->data, result.op_ids->len);
  job_answer (job, SOUP_STATUS_OK, BFK_TWIML_CONTENT_TYPE, g_steal_pointer (&result.twiml), fate_names[result.fate]);
}

static void
handle_status (BfkStore      *store,
               BfkWebhookJob *job)
{
  g_autoptr(GError) error = NULL;
  const gchar *code = bfk_form_lookup (job->form, "ErrorCode");

  if (bfk_messages_update_status (store, bfk_form_lookup (job->form, "MessageSid"),
                                  bfk_form_lookup (job->form, "MessageStatus"),
                                  code ? atoi (code) : 0, NULL, &error))
    job_answer (job, SOUP_STATUS_OK, "text/plain", g_strdup ("OK\n"), "status");
  /* A status we do not know, or of a message we never sent (or whose sid
   * is not stored yet): Twilio must not retry it forever. */
  else if (error->domain == BFK_MESSAGE_ERROR)
    job_answer (job, SOUP_STATUS_OK, "text/plain", g_strdup ("OK\n"), "status_ignored");
  else
    {
      g_warning ("A delivery status could not be stored: %s", error->message);
      job_answer (job, SOUP_STATUS_INTERNAL_SERVER_ERROR, "text/plain",
                  g_strdup_printf ("%s\n", error->message), "error");
    }
}

typedef struct
{
  BfkBackend *self;
  GPtrArray  *jobs;
} Answers;

static gboolean
answer_on_backend (gpointer data)
{
  Answers *a = data;

  bfk_backend_webhook_answer (a->self, a->jobs);
  return G_SOURCE_REMOVE;
}

static void
answers_free (gpointer data)
{
  Answers *a = data;

  g_ptr_array_unref (a->jobs);
  g_free (a);
}

/* The answers go back to the backend thread, which owns the messages. */
static void
send_answers (BfkBackend *self,
              GPtrArray  *jobs)
{
  Answers *answers = g_new0 (Answers, 1);

  answers->self = self;
  answers->jobs = g_ptr_array_ref (jobs);
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, answer_on_backend, answers, answers_free);
}

/* One transaction for the batch. */
static void
store_batch (BfkBackend *self,
             BfkStore   *store,
             GPtrArray  *jobs)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) op_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  gboolean committed = bfk_store_begin (store, &error);

  for (guint i = 0; committed && i < jobs->len; i++)
    {
      BfkWebhookJob *job = g_ptr_array_index (jobs, i);

      if (job->kind == BFK_WEBHOOK_MESSAGE)
        handle_message (self, store, job, op_ids);
      else
        handle_status (store, job);
    }
  committed = committed && bfk_store_commit (store, &error);
  if (!committed)
    {
      g_warning ("Could not store a batch of %u webhook calls: %s", jobs->len, error->message);
      bfk_store_rollback (store);
      /* Nothing of them was kept: Twilio sends them again later. */
      for (guint i = 0; i < jobs->len; i++)
        job_answer (g_ptr_array_index (jobs, i), SOUP_STATUS_INTERNAL_SERVER_ERROR, "text/plain",
                    g_strdup ("The message could not be stored\n"), "error");
    }
  else if (op_ids->len > 0)
    {
      for (guint i = 0; i < op_ids->len; i++)
        bfk_backend_emit_queued (self, g_array_index (op_ids, gint64, i), NULL);
      bfk_backend_wake_outbox (self);
    }
  send_answers (self, jobs);
}

static gpointer
writer_thread (gpointer data)
{
  BfkBackend *self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(BfkStore) store = bfk_store_open (self->db_path, FALSE, &error);
  gboolean stopping = FALSE;
  gint64 forgot = 0;

  if (!store)
    g_critical ("The webhook writer cannot open the store: %s", error->message);
  while (!stopping)
    {
      g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) bfk_webhook_job_free);
      BfkWebhookJob *job = g_async_queue_pop (self->webhook_jobs);

      /* Whatever else waits joins this transaction. */
      while (job != NULL)
        {
          if (job == &stop_marker)
            {
              stopping = TRUE;
              break;
            }
          g_ptr_array_add (jobs, job);
          job = jobs->len < BATCH_MAX ? g_async_queue_try_pop (self->webhook_jobs) : NULL;
        }
      if (jobs->len > 0 && store)
        store_batch (self, store, jobs);
      else if (jobs->len > 0)
        {
          for (guint i = 0; i < jobs->len; i++)
            job_answer (g_ptr_array_index (jobs, i), SOUP_STATUS_SERVICE_UNAVAILABLE, "text/plain",
                        g_strdup ("The store cannot be opened\n"), "error");
          send_answers (self, jobs);
        }
      if (store && g_get_monotonic_time () - forgot > FORGET_EVERY_US)
        {
          g_autoptr(GError) forget_error = NULL;

          if (bfk_messages_forget_sids (store, bfk_store_now () - SIDS_KEPT_S, &forget_error) < 0)
            g_warning ("Could not forget old message sids: %s", forget_error->message);
          forgot = g_get_monotonic_time ();
        }
    }
  return NULL;
}

void
bfk_backend_writer_start (BfkBackend *self)
{
  self->webhook_jobs = g_async_queue_new ();
  self->writer_thread = g_thread_new ("bfk-webhook", writer_thread, self);
}

void
bfk_backend_writer_push (BfkBackend    *self,
                         BfkWebhookJob *job)
{
  g_async_queue_push (self->webhook_jobs, job);
}

void
bfk_backend_writer_join (BfkBackend *self)
{
  if (!self->writer_thread)
    return;
  g_async_queue_push (self->webhook_jobs, &stop_marker);
  g_clear_pointer (&self->writer_thread, g_thread_join);
  /* Jobs that came after the stop are answered by nobody: dropped, with
   * their connections, when the server closes. */
  for (BfkWebhookJob *job; (job = g_async_queue_try_pop (self->webhook_jobs)); )
    bfk_webhook_job_free (job);
  g_clear_pointer (&self->webhook_jobs, g_async_queue_unref);
}
