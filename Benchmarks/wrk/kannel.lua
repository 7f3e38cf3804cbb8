-- Kannel's GET /cgi-bin/sendsms with varied traffic (see traffic.lua). Arguments: USER PASSWORD.
package.path = debug.getinfo(1, "S").source:match("@?(.*/)") .. "?.lua;" .. package.path
local traffic = require("traffic")

setup = traffic.setup

function init(args)
  traffic.init()
  credentials = "username=" .. (args[1] or "bench") .. "&password=" .. (args[2] or "bench") .. "&charset=UTF-8"
end

function request()
  local number, text = traffic.next()
  local path = "/cgi-bin/sendsms?" .. credentials .. "&from=%2B14155550100&to=" .. traffic.urlencode(number)
    .. "&text=" .. traffic.urlencode(text)
  return wrk.format("GET", path)
end
