-- wrk: handover documents posted to POST /api/v1/elections/pemilu-2024/documents with the Bearer token in
-- TEPAT_TOKEN. Each connection alternates: a dispatch of one kotak_suara from a village's PPS to the KPPS of one of
-- its TPS (listed one per line in the file named by TEPAT_TPS), then, once that dispatch is posted, the KPPS's receipt
-- of it, which changes the TPS's readiness. Every document is new (ids carry TEPAT_RUN, the thread and a counter),
-- so every request is one durable write. Counts answers other than 201 and fails the run on any.
local common = dofile(debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "common.lua")
local tps = common.lines("TEPAT_TPS")
local token = os.getenv("TEPAT_TOKEN")
local run = tonumber(os.getenv("TEPAT_RUN") or "1")
local at = os.getenv("TEPAT_AT") or "2024-02-12T10:00:00+07:00"

setup = common.setup

function init(args)
  n = 0
  errors = 0
  posted = 0
  sent = {}    -- dispatches sent, not yet answered: id → TPS
  pending = {} -- dispatches posted, waiting for their receipt: id → TPS
  order = {}
end

local headers = {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}

local function uuid(k)
  return string.format("%08x-%04x-4000-8000-%012d", run, id, k)
end

function request()
  local dispatch = table.remove(order, 1)
  n = n + 1
  if dispatch then
    local code = pending[dispatch]
    pending[dispatch] = nil
    return wrk.format("POST", "/api/v1/elections/pemilu-2024/documents", headers,
      '{"id":"' .. uuid(n) .. '","kind":"receipt","election":"pemilu-2024","at":"' .. at .. '",' ..
      '"node":"kpps:' .. code .. '","signed_by":[{"name":"Bench","role":"KPPS"}],' ..
      '"from":"pps:' .. code:sub(1, 13) .. '","dispatch":"' .. dispatch .. '",' ..
      '"lines":[{"item":"kotak_suara","sent":1,"accepted":1}]}')
  end
  local code = tps[(n * 7919 + id * 104729) % #tps + 1]
  sent[uuid(n)] = code
  return wrk.format("POST", "/api/v1/elections/pemilu-2024/documents", headers,
    '{"id":"' .. uuid(n) .. '","kind":"dispatch","election":"pemilu-2024","at":"' .. at .. '",' ..
    '"node":"pps:' .. code:sub(1, 13) .. '","signed_by":[{"name":"Bench","role":"PPS"}],' ..
    '"to":"kpps:' .. code .. '","lines":[{"item":"kotak_suara","quantity":1}]}')
end

function response(status, headers, body)
  if not common.check("post.lua", 201, status, body) then return end
  posted = posted + 1
  local dispatch = body:match('"id":"([^"]+)"')
  if sent[dispatch] then
    pending[dispatch] = sent[dispatch]
    sent[dispatch] = nil
    order[#order + 1] = dispatch
  end
end

function done(summary, latency, requests)
  local totals = common.totals({"errors", "posted"})
  io.write(string.format("documents posted: %d, answers other than 201: %d\n", totals.posted, totals.errors))
  if totals.errors > 0 then os.exit(1) end
end
