-- POST /v1/messages, each request numbered in its text; the answer, which repeats the text, tells
-- when its request was written and how long it took. One line per answer, in a file per wrk thread:
-- "<written, ms on the monotonic clock> <latency ms> <status>".
--   wrk ... -s Benchmarks/wrk/timed.lua URL -- APP API_KEY OUTPUT_PREFIX
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } timed_timespec;
int clock_gettime(int clock, timed_timespec *time);
]]
local CLOCK_MONOTONIC = 1
local now = ffi.new("timed_timespec")
local function milliseconds()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, now)
  return tonumber(now.tv_sec) * 1000 + tonumber(now.tv_nsec) / 1e6
end

local threads = 0
function setup(thread)
  thread:set("thread_number", threads)
  threads = threads + 1
end

local headers = { ["Content-Type"] = "application/json" }
local written = {}
local counter, app, output

function init(args)
  app = args[1]
  headers["Authorization"] = "Bearer " .. args[2]
  output = io.open(args[3] .. "-" .. thread_number .. ".txt", "w")
  counter = thread_number * 100000000
end

function request()
  counter = counter + 1
  written[counter] = milliseconds()
  local body = string.format('{"to":"+447400%06d","app":"%s","text":"request %d"}', counter % 1000000, app, counter)
  return wrk.format("POST", nil, headers, body)
end

function response(status, _, body)
  local number = tonumber(string.match(body, "request (%d+)"))
  local started = number and written[number]
  if started then
    output:write(string.format("%.1f %.1f %d\n", started, milliseconds() - started, status))
    written[number] = nil
  end
end
