-- wrk: readiness of a regency with its districts, GET /api/v1/elections/pemilu-2024/readiness?region=CODE, going
-- round the regencies listed one per line in the file named by TEPAT_REGIONS (every regency of the country by
-- default, so that the figure is not one cached answer). Counts answers other than 200 and fails the run on any.
local common = dofile(debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "common.lua")
local codes = common.lines("TEPAT_REGIONS")
local election = os.getenv("TEPAT_ELECTION") or "pemilu-2024"

setup = common.setup

function init(args)
  n = id * 7919
  errors = 0
end

function request()
  n = n + 1
  return wrk.format("GET", "/api/v1/elections/" .. election .. "/readiness?region=" .. codes[n % #codes + 1])
end

function response(status, headers, body)
  common.check("readiness.lua", 200, status, body)
end

function done(summary, latency, requests)
  local totals = common.totals({"errors"})
  io.write(string.format("answers other than 200: %d\n", totals.errors))
  if totals.errors > 0 then os.exit(1) end
end
