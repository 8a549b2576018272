-- What the wrk scripts of this folder share: the codes they go round, the threads they count over, and the check
-- that fails a run on any unexpected answer. Loaded with dofile by path, next to the script that loads it.
local common = {}
local threads = {}

-- The non-empty lines of the file named by the environment variable `variable`.
function common.lines(variable)
  local out = {}
  for line in io.lines(os.getenv(variable)) do
    if line ~= "" then out[#out + 1] = line end
  end
  return out
end

-- wrk's setup(): numbers the threads (the global `id` in each) and keeps them for done().
function common.setup(thread)
  thread:set("id", #threads)
  threads[#threads + 1] = thread
end

-- Counts an answer other than `expected` in the thread's global `errors`, printing the first; true when expected.
function common.check(script, expected, status, body)
  if status == expected then return true end
  errors = errors + 1
  if errors == 1 then io.stderr:write(script .. ": HTTP " .. status .. ": " .. body .. "\n") end
  return false
end

-- The sum over the threads of the globals named in `names`, as a table by name.
function common.totals(names)
  local out = {}
  for _, name in ipairs(names) do
    out[name] = 0
    for _, t in ipairs(threads) do out[name] = out[name] + t:get(name) end
  end
  return out
end

return common
