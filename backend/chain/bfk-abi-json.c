/* bfk-abi-json.c: a contract's ABI, read from its JSON, and the decoding of
 * its calls' results and its logs. */
#include "bfk-abi-private.h"

#include "bfk-chain-error.h"

#include <string.h>

struct _BfkAbi
{
  gint    ref_count;
  GArray *functions;   /* BfkAbiFunction */
  GArray *events;      /* BfkAbiEvent */
  GArray *errors;      /* BfkAbiError */
};

static void
params_free (BfkAbiParam *params,
             guint        n)
{
  for (guint i = 0; i < n; i++)
    {
      g_free (params[i].name);
      g_clear_pointer (&params[i].type, bfk_abi_type_unref);
    }
  g_free (params);
}

static void
function_clear (gpointer p)
{
  BfkAbiFunction *f = p;

  g_free (f->name);
  g_free (f->signature);
  g_free (f->state_mutability);
  g_clear_pointer (&f->input_type, bfk_abi_type_unref);
  g_clear_pointer (&f->output_type, bfk_abi_type_unref);
  params_free (f->inputs, f->n_inputs);
  params_free (f->outputs, f->n_outputs);
}

static void
event_clear (gpointer p)
{
  BfkAbiEvent *e = p;

  g_free (e->name);
  g_free (e->signature);
  g_clear_pointer (&e->input_type, bfk_abi_type_unref);
  params_free (e->inputs, e->n_inputs);
}

static void
error_clear (gpointer p)
{
  BfkAbiError *e = p;

  g_free (e->name);
  g_free (e->signature);
  g_clear_pointer (&e->input_type, bfk_abi_type_unref);
  params_free (e->inputs, e->n_inputs);
}

BfkAbi *
bfk_abi_ref (BfkAbi *abi)
{
  g_return_val_if_fail (abi != NULL, NULL);

  g_atomic_int_inc (&abi->ref_count);
  return abi;
}

void
bfk_abi_unref (BfkAbi *abi)
{
  if (abi == NULL)
    return;
  if (!g_atomic_int_dec_and_test (&abi->ref_count))
    return;
  g_array_unref (abi->functions);
  g_array_unref (abi->events);
  g_array_unref (abi->errors);
  g_free (abi);
}

/* --- reading the JSON --- */

/* json-glib's *_with_default getters warn on a member of the wrong kind;
 * an ABI file is input, so a wrong kind reads as missing instead. */
static const gchar *
get_string (JsonObject  *o,
            const gchar *member,
            const gchar *default_value)
{
  JsonNode *n = json_object_get_member (o, member);

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) ||
      json_node_get_value_type (n) != G_TYPE_STRING)
    return default_value;
  return json_node_get_string (n);
}

static gboolean
get_boolean (JsonObject  *o,
             const gchar *member)
{
  JsonNode *n = json_object_get_member (o, member);

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) ||
      json_node_get_value_type (n) != G_TYPE_BOOLEAN)
    return FALSE;
  return json_node_get_boolean (n);
}

static gboolean
json_fail (GError     **error,
           const gchar *entry,
           const gchar *why)
{
  g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_INVALID_INPUT,
               "Invalid contract ABI%s%s: %s",
               entry != NULL ? " entry " : "", entry != NULL ? entry : "", why);
  return FALSE;
}

/* The canonical type string of one parameter: "tuple[2][]" with components
 * becomes "(T1,T2)[2][]". */
static gboolean
append_param_type (JsonObject  *param,
                   GString     *out,
                   guint        depth,
                   GError     **error)
{
  const gchar *type = get_string (param, "type", NULL);

  if (type == NULL)
    return json_fail (error, NULL, "a parameter without a type");
  if (depth > BFK_ABI_MAX_DEPTH)
    return json_fail (error, NULL, "tuples nested too deeply");
  if (g_str_has_prefix (type, "tuple"))
    {
      JsonArray *comps;

      if (!json_object_has_member (param, "components") ||
          !JSON_NODE_HOLDS_ARRAY (json_object_get_member (param, "components")))
        return json_fail (error, NULL, "a tuple without components");
      comps = json_object_get_array_member (param, "components");
      g_string_append_c (out, '(');
      for (guint i = 0; i < json_array_get_length (comps); i++)
        {
          JsonNode *c = json_array_get_element (comps, i);

          if (!JSON_NODE_HOLDS_OBJECT (c))
            return json_fail (error, NULL, "a tuple component that is not an object");
          if (i > 0)
            g_string_append_c (out, ',');
          if (!append_param_type (json_node_get_object (c), out, depth + 1, error))
            return FALSE;
        }
      g_string_append_c (out, ')');
      g_string_append (out, type + strlen ("tuple"));
    }
  else
    g_string_append (out, type);
  return TRUE;
}

/* Reads the array `member` of entry into params, and their tuple type. */
static gboolean
read_params (JsonObject    *entry,
             const gchar   *member,
             const gchar   *entry_name,
             BfkAbiParam  **out_params,
             guint         *out_n,
             BfkAbiType   **out_tuple,
             GError       **error)
{
  JsonArray *arr = NULL;
  guint n = 0;
  BfkAbiParam *params;
  g_autofree BfkAbiType **types = NULL;

  if (json_object_has_member (entry, member))
    {
      JsonNode *node = json_object_get_member (entry, member);

      if (!JSON_NODE_HOLDS_ARRAY (node))
        return json_fail (error, entry_name, "parameters that are not an array");
      arr = json_node_get_array (node);
      n = json_array_get_length (arr);
    }

  params = g_new0 (BfkAbiParam, MAX (n, 1));
  types = g_new0 (BfkAbiType *, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      JsonNode *pn = json_array_get_element (arr, i);
      JsonObject *po;
      g_autoptr(GString) ts = g_string_new (NULL);
      g_autoptr(GError) local = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (pn))
        {
          params_free (params, n);
          return json_fail (error, entry_name, "a parameter that is not an object");
        }
      po = json_node_get_object (pn);
      if (!append_param_type (po, ts, 0, error))
        {
          params_free (params, n);
          return FALSE;
        }
      params[i].type = bfk_abi_type_parse (ts->str, &local);
      if (params[i].type == NULL)
        {
          params_free (params, n);
          return json_fail (error, entry_name, local->message);
        }
      params[i].name = g_strdup (get_string (po, "name", ""));
      params[i].indexed = get_boolean (po, "indexed");
      types[i] = params[i].type;
    }

  *out_params = params;
  *out_n = n;
  if (out_tuple != NULL)
    *out_tuple = _bfk_abi_type_new_tuple (types, n);
  return TRUE;
}

static gchar *
make_signature (const gchar      *name,
                const BfkAbiType *tuple)
{
  g_autofree gchar *types = bfk_abi_type_to_string (tuple);

  return g_strconcat (name, types, NULL);
}

static gboolean
read_entry (BfkAbi      *abi,
            JsonObject  *entry,
            GError     **error)
{
  /* Old ABIs leave out the type of functions. */
  const gchar *kind = get_string (entry, "type", "function");
  const gchar *name = get_string (entry, "name", NULL);

  if (g_str_equal (kind, "function"))
    {
      BfkAbiFunction f = { 0 };

      if (name == NULL || *name == '\0')
        return json_fail (error, NULL, "a function without a name");
      if (!read_params (entry, "inputs", name, &f.inputs, &f.n_inputs, &f.input_type, error))
        return FALSE;
      if (!read_params (entry, "outputs", name, &f.outputs, &f.n_outputs, &f.output_type, error))
        {
          function_clear (&f);
          return FALSE;
        }
      f.name = g_strdup (name);
      f.signature = make_signature (name, f.input_type);
      bfk_abi_selector (f.signature, f.selector);
      f.state_mutability =
        g_strdup (get_string (entry, "stateMutability", "nonpayable"));
      g_array_append_val (abi->functions, f);
    }
  else if (g_str_equal (kind, "event"))
    {
      BfkAbiEvent e = { 0 };

      if (name == NULL || *name == '\0')
        return json_fail (error, NULL, "an event without a name");
      if (!read_params (entry, "inputs", name, &e.inputs, &e.n_inputs, &e.input_type, error))
        return FALSE;
      e.name = g_strdup (name);
      e.signature = make_signature (name, e.input_type);
      bfk_abi_event_topic (e.signature, e.topic);
      e.anonymous = get_boolean (entry, "anonymous");
      g_array_append_val (abi->events, e);
    }
  else if (g_str_equal (kind, "error"))
    {
      BfkAbiError e = { 0 };

      if (name == NULL || *name == '\0')
        return json_fail (error, NULL, "an error without a name");
      if (!read_params (entry, "inputs", name, &e.inputs, &e.n_inputs, &e.input_type, error))
        return FALSE;
      e.name = g_strdup (name);
      e.signature = make_signature (name, e.input_type);
      bfk_abi_selector (e.signature, e.selector);
      g_array_append_val (abi->errors, e);
    }
  /* constructor, fallback, receive: nothing to look up by name. */
  return TRUE;
}

BfkAbi *
bfk_abi_new_from_json (JsonNode  *node,
                       GError   **error)
{
  g_autoptr(BfkAbi) abi = NULL;
  JsonArray *arr;

  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* A Foundry or solc artifact keeps the ABI under "abi". */
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *o = json_node_get_object (node);

      if (!json_object_has_member (o, "abi"))
        {
          json_fail (error, NULL, "an object without an “abi” member");
          return NULL;
        }
      node = json_object_get_member (o, "abi");
    }
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      json_fail (error, NULL, "not a JSON array");
      return NULL;
    }

  abi = g_new0 (BfkAbi, 1);
  abi->ref_count = 1;
  abi->functions = g_array_new (FALSE, TRUE, sizeof (BfkAbiFunction));
  g_array_set_clear_func (abi->functions, function_clear);
  abi->events = g_array_new (FALSE, TRUE, sizeof (BfkAbiEvent));
  g_array_set_clear_func (abi->events, event_clear);
  abi->errors = g_array_new (FALSE, TRUE, sizeof (BfkAbiError));
  g_array_set_clear_func (abi->errors, error_clear);

  arr = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (arr); i++)
    {
      JsonNode *entry = json_array_get_element (arr, i);

      if (!JSON_NODE_HOLDS_OBJECT (entry))
        {
          json_fail (error, NULL, "an entry that is not an object");
          return NULL;
        }
      if (!read_entry (abi, json_node_get_object (entry), error))
        return NULL;
    }
  return g_steal_pointer (&abi);
}

BfkAbi *
bfk_abi_new_from_data (const gchar  *json,
                       gssize        len,
                       GError      **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local = NULL;

  g_return_val_if_fail (json != NULL, NULL);

  if (!json_parser_load_from_data (parser, json, len, &local))
    {
      g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_INVALID_INPUT,
                   "Invalid contract ABI: %s", local->message);
      return NULL;
    }
  return bfk_abi_new_from_json (json_parser_get_root (parser), error);
}

/* --- lookups --- */

const BfkAbiFunction *
bfk_abi_get_function (const BfkAbi *abi,
                      const gchar  *name)
{
  g_return_val_if_fail (abi != NULL && name != NULL, NULL);

  for (guint i = 0; i < abi->functions->len; i++)
    {
      const BfkAbiFunction *f = &g_array_index (abi->functions, BfkAbiFunction, i);

      if (g_str_equal (f->name, name))
        return f;
    }
  return NULL;
}

const BfkAbiFunction *
bfk_abi_get_function_by_selector (const BfkAbi *abi,
                                  const guint8  selector[BFK_ABI_SELECTOR_SIZE])
{
  g_return_val_if_fail (abi != NULL && selector != NULL, NULL);

  for (guint i = 0; i < abi->functions->len; i++)
    {
      const BfkAbiFunction *f = &g_array_index (abi->functions, BfkAbiFunction, i);

      if (memcmp (f->selector, selector, BFK_ABI_SELECTOR_SIZE) == 0)
        return f;
    }
  return NULL;
}

const BfkAbiEvent *
bfk_abi_get_event (const BfkAbi *abi,
                   const gchar  *name)
{
  g_return_val_if_fail (abi != NULL && name != NULL, NULL);

  for (guint i = 0; i < abi->events->len; i++)
    {
      const BfkAbiEvent *e = &g_array_index (abi->events, BfkAbiEvent, i);

      if (g_str_equal (e->name, name))
        return e;
    }
  return NULL;
}

const BfkAbiEvent *
bfk_abi_get_event_by_topic (const BfkAbi *abi,
                            const guint8  topic[BFK_ABI_TOPIC_SIZE])
{
  g_return_val_if_fail (abi != NULL && topic != NULL, NULL);

  for (guint i = 0; i < abi->events->len; i++)
    {
      const BfkAbiEvent *e = &g_array_index (abi->events, BfkAbiEvent, i);

      /* An anonymous event has no topic 0 to be found by. */
      if (!e->anonymous && memcmp (e->topic, topic, BFK_ABI_TOPIC_SIZE) == 0)
        return e;
    }
  return NULL;
}

const BfkAbiError *
bfk_abi_get_error (const BfkAbi *abi,
                   const gchar  *name)
{
  g_return_val_if_fail (abi != NULL && name != NULL, NULL);

  for (guint i = 0; i < abi->errors->len; i++)
    {
      const BfkAbiError *e = &g_array_index (abi->errors, BfkAbiError, i);

      if (g_str_equal (e->name, name))
        return e;
    }
  return NULL;
}

const BfkAbiError *
bfk_abi_get_error_by_selector (const BfkAbi *abi,
                               const guint8  selector[BFK_ABI_SELECTOR_SIZE])
{
  g_return_val_if_fail (abi != NULL && selector != NULL, NULL);

  for (guint i = 0; i < abi->errors->len; i++)
    {
      const BfkAbiError *e = &g_array_index (abi->errors, BfkAbiError, i);

      if (memcmp (e->selector, selector, BFK_ABI_SELECTOR_SIZE) == 0)
        return e;
    }
  return NULL;
}

const BfkAbiFunction *
bfk_abi_get_functions (const BfkAbi *abi,
                       guint        *n)
{
  g_return_val_if_fail (abi != NULL && n != NULL, NULL);

  *n = abi->functions->len;
  return (const BfkAbiFunction *) abi->functions->data;
}

const BfkAbiEvent *
bfk_abi_get_events (const BfkAbi *abi,
                    guint        *n)
{
  g_return_val_if_fail (abi != NULL && n != NULL, NULL);

  *n = abi->events->len;
  return (const BfkAbiEvent *) abi->events->data;
}

/* --- calls and logs --- */

GBytes *
bfk_abi_function_encode_call (const BfkAbiFunction  *fn,
                              const BfkAbiValue     *args,
                              GError               **error)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(BfkAbiValue) empty = NULL;

  g_return_val_if_fail (fn != NULL, NULL);

  if (args == NULL)
    args = empty = bfk_abi_value_new_tuple (NULL, 0);
  g_byte_array_append (out, fn->selector, BFK_ABI_SELECTOR_SIZE);
  if (!bfk_abi_encode_append (fn->input_type, args, out, error))
    return NULL;
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

BfkAbiValue *
bfk_abi_function_decode_output (const BfkAbiFunction  *fn,
                                const guint8          *data,
                                gsize                  len,
                                GError               **error)
{
  g_return_val_if_fail (fn != NULL, NULL);

  return bfk_abi_decode (fn->output_type, data, len, error);
}

/* Topics hold value types as their 32-byte encoding; everything else is
 * only hashed into them. */
static gboolean
is_topic_value_type (const BfkAbiType *t)
{
  switch (t->kind)
    {
    case BFK_ABI_TYPE_UINT:
    case BFK_ABI_TYPE_INT:
    case BFK_ABI_TYPE_ADDRESS:
    case BFK_ABI_TYPE_BOOL:
    case BFK_ABI_TYPE_FIXED_BYTES:
      return TRUE;
    default:
      return FALSE;
    }
}

static BfkAbiValue *
event_fail (GError            **error,
            const BfkAbiEvent  *event,
            const gchar        *why)
{
  g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_DECODE,
               "Invalid %s log: %s", event->name, why);
  return NULL;
}

BfkAbiValue *
bfk_abi_event_decode (const BfkAbiEvent  *event,
                      const guint8       *topics,
                      guint               n_topics,
                      const guint8       *data,
                      gsize               len,
                      GError            **error)
{
  g_autofree BfkAbiType **data_types = NULL;
  g_autofree BfkAbiValue **values = NULL;
  g_autoptr(BfkAbiType) data_tuple = NULL;
  g_autoptr(BfkAbiValue) data_values = NULL;
  guint first_topic, n_indexed = 0, n_data = 0, t, k = 0;

  g_return_val_if_fail (event != NULL, NULL);
  g_return_val_if_fail (topics != NULL || n_topics == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  first_topic = t = event->anonymous ? 0 : 1;

  data_types = g_new0 (BfkAbiType *, MAX (event->n_inputs, 1));
  for (guint i = 0; i < event->n_inputs; i++)
    {
      if (event->inputs[i].indexed)
        n_indexed++;
      else
        data_types[n_data++] = event->inputs[i].type;
    }
  if (n_topics != first_topic + n_indexed)
    return event_fail (error, event, "wrong number of topics");
  if (!event->anonymous && memcmp (topics, event->topic, BFK_ABI_TOPIC_SIZE) != 0)
    return event_fail (error, event, "topic 0 is another event's");

  data_tuple = _bfk_abi_type_new_tuple (data_types, n_data);
  data_values = bfk_abi_decode (data_tuple, data, len, error);
  if (data_values == NULL)
    return NULL;

  values = g_new0 (BfkAbiValue *, MAX (event->n_inputs, 1));
  for (guint i = 0; i < event->n_inputs; i++)
    {
      const BfkAbiParam *p = &event->inputs[i];

      if (!p->indexed)
        values[i] = bfk_abi_value_ref (data_values->children[k++]);
      else
        {
          const guint8 *topic = topics + (gsize) t++ * BFK_ABI_TOPIC_SIZE;

          if (is_topic_value_type (p->type))
            values[i] = bfk_abi_decode (p->type, topic, BFK_ABI_TOPIC_SIZE, error);
          else
            values[i] = bfk_abi_value_new_fixed_bytes (topic, BFK_ABI_TOPIC_SIZE);
          if (values[i] == NULL)
            {
              for (guint j = 0; j < i; j++)
                bfk_abi_value_unref (values[j]);
              return NULL;
            }
        }
    }
  return bfk_abi_value_new_tuple (values, event->n_inputs);
}

BfkAbiValue *
bfk_abi_decode_log (const BfkAbi        *abi,
                    const guint8        *topics,
                    guint                n_topics,
                    const guint8        *data,
                    gsize                len,
                    const BfkAbiEvent  **out_event,
                    GError             **error)
{
  const BfkAbiEvent *event;

  g_return_val_if_fail (abi != NULL, NULL);

  if (n_topics == 0 || topics == NULL)
    {
      g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_DECODE,
                   "A log without topics belongs to no known event");
      return NULL;
    }
  event = bfk_abi_get_event_by_topic (abi, topics);
  if (event == NULL)
    {
      g_set_error (error, BFK_CHAIN_ERROR, BFK_CHAIN_ERROR_DECODE,
                   "A log of an unknown event");
      return NULL;
    }
  if (out_event != NULL)
    *out_event = event;
  return bfk_abi_event_decode (event, topics, n_topics, data, len, error);
}
