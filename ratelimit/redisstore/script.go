package redisstore

import "github.com/redis/go-redis/v9"

// argsPerSide is the number of ARGV entries each limit takes in the script.
const argsPerSide = 6

// reserveScript decides every limit of one call at once, on the server's
// clock, and spends on all of them or on none.
//
// KEYS[1] is the group's throttle factor; then for limit j, KEYS[2j] is its
// state hash and KEYS[2j+1] its log. ARGV[1] is the longest wait accepted in
// microseconds (negative: no bound); then per limit: scoped (0/1), count,
// span (window + margin, µs), pace and window (ns, pace 0 when unpaced),
// cost.
//
// The log is a sorted set whose members are "time:cum" and whose scores are
// cum, the cumulative cost up to and including the entry. The hash holds
// tot (cum of the newest entry), base (cum of the last entry dropped), last
// (time of the newest entry), tat (GCRA theoretical arrival time), head
// (time of the oldest entry kept) and exp (when the keys expire). The
// window's live sum is tot - base, and the entry whose expiry makes room for
// cost more units is the first with cum >= tot + cost - count: one
// ZRANGEBYSCORE instead of a walk. Entries that expired but are still in
// the log do not change that answer (their time + span is already past), so
// a refusal need not drop them and writes nothing.
//
// Every number is an integer below 2^53 (µs since 1970, units), so Lua's
// doubles hold it exactly. Redis turns a number argument into a string
// exactly; only the log member is built with %.0f, as tostring would round
// to 14 digits.
//
// Returns {code, wait µs, server time µs}: code 1 granted, 0 refused,
// -1 cost too high (wait then holds the limit's index).
var reserveScript = redis.NewScript(`
-- Redis 5+ replicates a script by its effects, so TIME may precede writes.
local max, min, floor, tonumber = math.max, math.min, math.floor, tonumber

local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local factor = tonumber(redis.call('GET', KEYS[1]) or '1') or 1
local maxwait = tonumber(ARGV[1])
local n = (#ARGV - 1) / 6

local function entrytime(m) return tonumber(string.match(m, '^(%d+)')) end

local sides = {}
local tshared, tall = now, now
for j = 1, n do
  local a = 2 + (j - 1) * 6
  local span, cost = tonumber(ARGV[a + 2]), tonumber(ARGV[a + 5])
  local cap = tonumber(ARGV[a + 1])
  if factor < 1 then cap = max(1, floor(cap * factor)) end
  if cost > cap then return {-1, j - 1, now} end
  local burst = cap
  local pace = tonumber(ARGV[a + 3])
  if pace > 0 then
    burst = min(cap, max(10, floor(cap * pace / tonumber(ARGV[a + 4]))))
  end
  local h, z = KEYS[2 * j], KEYS[2 * j + 1]
  local st = redis.call('HMGET', h, 'tot', 'base', 'last', 'tat', 'head', 'exp')
  -- Every field in one constructor, so the table is sized once.
  local s = {
    scoped = ARGV[a] == '1', span = span, cost = cost, h = h, z = z,
    interval = floor(span / cap), stale = false,
    tot = tonumber(st[1]) or 0, base = tonumber(st[2]) or 0,
    last = tonumber(st[3]) or 0, tat = tonumber(st[4]) or 0,
    head = tonumber(st[5]) or 0, exp = tonumber(st[6]) or 0,
  }

  if not st[1] then
    -- No state but a log: the hash was evicted under memory pressure.
    -- Wait out the newest entry, then start a fresh log.
    local newest = redis.call('ZRANGE', s.z, -1, -1)
    if newest[1] then s.last, s.stale = entrytime(newest[1]), true end
  end
  local t = max(now, s.last)
  if s.stale then t = max(t, s.last + s.span) end
  if burst < cap then
    t = max(t, s.tat - (max(burst, s.cost) - s.cost) * s.interval)
  end
  local target = s.tot + s.cost - cap
  if target > s.base then
    local e = redis.call('ZRANGEBYSCORE', s.z, target, '+inf', 'LIMIT', 0, 1)
    if e[1] then
      t = max(t, entrytime(e[1]) + s.span)
    else
      -- State but no log: the log was evicted. Wait until whatever it
      -- held has surely expired, then start afresh.
      t = max(t, s.last + s.span)
      s.stale = true
    end
  end
  if s.scoped then tall = max(tall, t) else tshared = max(tshared, t) end
  sides[j] = s
end

local t = max(tshared, tall)
-- Held back by its own scope only: spend nothing, so the App Key logs,
-- which must stay in time order, do not make other scopes queue behind it.
if t > tshared then return {0, t - now, now} end
if maxwait >= 0 and t - now > maxwait then return {0, t - now, now} end

for j = 1, n do
  local s = sides[j]
  local cum = s.tot + s.cost
  local f = {'tot', cum, 'last', t, 'tat', max(s.tat, t) + s.cost * s.interval}
  if s.stale then
    redis.call('DEL', s.z)
    s.tot, s.base, cum = 0, 0, s.cost
    f[2], f[#f + 1], f[#f + 2] = cum, 'base', 0
  end
  local head
  local cut = now - s.span
  -- Drop expired entries from the head so an active log stays the size of
  -- its window. Only once the head is an eighth of a window stale, and in
  -- batches, so most calls skip this and the rest share its cost.
  if s.base < s.tot and s.head <= cut - floor(s.span / 8) then
    local batch = redis.call('ZRANGE', s.z, 0, 63, 'WITHSCORES')
    local k = 0
    head = 0 -- a full batch of expired entries: look again next time
    for i = 1, #batch, 2 do
      local et = entrytime(batch[i])
      if et > cut then head = et break end
      k = k + 1
      s.base = tonumber(batch[i + 1])
    end
    if k > 0 then redis.call('ZREMRANGEBYRANK', s.z, 0, k - 1) end
    f[#f + 1], f[#f + 2] = 'base', s.base
  end
  if s.base == s.tot then head = t end -- the log is empty: the new entry leads
  if head then f[#f + 1], f[#f + 2] = 'head', head end
  redis.call('ZADD', s.z, cum, string.format('%.0f:%.0f', t, cum))
  -- Nothing in the keys matters once the newest entry has left the window.
  -- Their TTL runs a little past that, and is pushed out only when a later
  -- entry needs it, not on every call.
  local ttl
  if s.exp < t + s.span + 100000 then
    ttl = math.ceil((t - now + s.span + s.span / 8) / 1000) + 200
    f[#f + 1], f[#f + 2] = 'exp', now + ttl * 1000
  end
  redis.call('HSET', s.h, unpack(f))
  if ttl then
    redis.call('PEXPIRE', s.h, ttl)
    redis.call('PEXPIRE', s.z, ttl)
  end
end
return {1, t - now, now}
`)
