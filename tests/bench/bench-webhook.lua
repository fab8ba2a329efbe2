-- bench-webhook.lua: the wrk script of bench-webhook.c.
--
--   wrk -t T -c C -d CAP --latency -s bench-webhook.lua URL -- REQUESTS T
--
-- REQUESTS holds one signed Twilio webhook request a line: the
-- X-Twilio-Signature, a tab, the form-encoded body.  Thread t (1-based) of T
-- sends lines t, t + T, t + 2T… in that order, each exactly once.  A
-- connection that finds nothing left to send is parked (delay()), and the
-- thread stops once every one of its requests has been answered; wrk's main
-- thread still sleeps until CAP, so bench-webhook.c interrupts it (SIGINT)
-- as soon as the worker threads are gone, which makes wrk's own duration,
-- and so its requests/s, that of the work.
--
-- At the end, done() prints one line for bench-webhook.c:
--   bench-webhook: requests=N sent=N answered=N non200=N empty=N
-- where "empty" counts 200 answers without a <Message> (a rate-limited
-- number gets those: the benchmark is sized so that none does).

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function init(args)
  local n_threads = tonumber(args[2])
  local headers_of = function(signature)
    return { ["Content-Type"] = "application/x-www-form-urlencoded",
             ["X-Twilio-Signature"] = signature }
  end
  local line_no = 0

  requests = {}
  for line in io.lines(args[1]) do
    if line_no % n_threads == id - 1 then
      local signature, body = line:match("^([^\t]+)\t(.+)$")
      requests[#requests + 1] = wrk.format("POST", nil, headers_of(signature), body)
    end
    line_no = line_no + 1
  end
  n_requests = #requests
  -- wrk builds the first thread's first request once before the run, only
  -- to check it: that call must not use up a request.
  checking = id == 1
  reserved = 0
  sent = 0
  answered = 0
  non200 = 0
  empty = 0
end

-- Called before each request() of a connection: a request is reserved here,
-- so that two connections never both count on the last one.
function delay()
  if reserved < #requests then
    reserved = reserved + 1
    return 0
  end
  return 3600 * 1000
end

function request()
  if checking then
    checking = false
    return requests[1]
  end
  sent = sent + 1
  return requests[sent]
end

function response(status, headers, body)
  answered = answered + 1
  if status ~= 200 then
    non200 = non200 + 1
  elseif not body:find("<Message>", 1, true) then
    empty = empty + 1
  end
  if answered == #requests then
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local names = { "n_requests", "sent", "answered", "non200", "empty" }
  local total = {}

  for _, name in ipairs(names) do
    total[name] = 0
  end
  for _, thread in ipairs(threads) do
    for _, name in ipairs(names) do
      total[name] = total[name] + thread:get(name)
    end
  end
  io.write(string.format("bench-webhook: requests=%d sent=%d answered=%d non200=%d empty=%d\n",
                         total.n_requests, total.sent, total.answered, total.non200, total.empty))
end
