-- Varied traffic for wrk, as real traffic is: several countries, a distinct number and a distinct
-- text for every request. Shared by the Switchboard and the Kannel phases so both see the same mix.
--   wrk ... -s Benchmarks/wrk/switchboard.lua URL -- APP API_KEY
--   wrk ... -s Benchmarks/wrk/kannel.lua URL -- USER PASSWORD

local traffic = {}

-- Valid mobile numbers (libphonenumber) of six countries: prefix, then `digits` varying digits.
local countries = {
  { prefix = "+447400", digits = 6 },   -- GB
  { prefix = "+12122", digits = 6 },    -- US
  { prefix = "+33612", digits = 6 },    -- FR
  { prefix = "+49151", digits = 8 },    -- DE
  { prefix = "+346", digits = 8 },      -- ES
  { prefix = "+55119", digits = 8 },    -- BR
}

local texts = {
  "Your parcel %d arrives today between 10:00 and 12:00.",
  "Order %d has shipped. Track it in the app.",
  "Reminder: your appointment %d is tomorrow at 09:30.",
  "%d is your verification code. It expires in 5 minutes.",
  "Votre colis %d arrive aujourd'hui. Merci et à bientôt !",
  "Ihre Bestellung %d ist unterwegs. Schöne Grüße!",
  "Ваш заказ %d в пути.",
}

local thread_count = 0

-- WRK_PORTS (comma-separated) spreads wrk's threads over daemons on the URL's host, one port each
-- in turn: several daemons loaded with no balancer between.
local ports = {}
for port in (os.getenv("WRK_PORTS") or ""):gmatch("%d+") do ports[#ports + 1] = port end

-- Each thread counts from its own offset, so no two requests of a run share a number and text.
function traffic.setup(thread)
  if #ports > 0 then
    thread.addr = wrk.lookup(wrk.host, ports[thread_count % #ports + 1])[1]
  end
  thread:set("offset", thread_count * 100000000)
  thread_count = thread_count + 1
end

function traffic.init()
  traffic.counter = (offset or 0) + math.random(0, 99999) * 1000
end

-- The next destination and text.
function traffic.next()
  traffic.counter = traffic.counter + 1
  local i = traffic.counter
  local country = countries[(i % #countries) + 1]
  local modulus = 10 ^ country.digits
  local number = country.prefix .. string.format("%0" .. country.digits .. "d", (i * 7919) % modulus)
  local text = string.format(texts[(math.floor(i / #countries) % #texts) + 1], i % 1000000)
  return number, text
end

function traffic.urlencode(text)
  return (text:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

return traffic
