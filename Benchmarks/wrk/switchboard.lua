-- POST /v1/messages with varied traffic (see traffic.lua). Arguments: APP API_KEY [async].
package.path = debug.getinfo(1, "S").source:match("@?(.*/)") .. "?.lua;" .. package.path
local traffic = require("traffic")
local headers = {}

setup = traffic.setup

function init(args)
  traffic.init()
  app = args[1] or "bench"
  headers["Content-Type"] = "application/json"
  headers["Authorization"] = "Bearer " .. (args[2] or "")
  extra = args[3] == "async" and ',"async":true' or ""
end

function request()
  local number, text = traffic.next()
  local body = string.format('{"to":"%s","app":"%s","text":"%s"%s}', number, app, text, extra)
  return wrk.format("POST", nil, headers, body)
end
