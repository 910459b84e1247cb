package redisstore

import "github.com/redis/go-redis/v9"

// The state of one limit (one App Key side, or one side for one scope) is
// three keys: a hash, the log of ended entries and the log of entries in
// flight. Both logs are sorted sets whose members are "id:cost" and whose
// scores are the entry's end (µs, Redis time): for an ended entry the time
// by which the server has surely counted the call, for one in flight a
// provisional end, the grant plus the flight bound, which its process
// replaces when it settles the call, pushes out while the call lasts, and
// which stands if the process dies. An entry counts until one window after
// its end. The hash holds sum (units of the live entries, ended or in
// flight), fl (units in flight), last (time of the newest grant), tat (the
// GCRA theoretical arrival time), hi (the latest end ever written: all the
// logs hold is gone one window after it), umin (no in-flight entry ends
// before it), seq (numbers members of calls without an id) and exp (when
// the keys expire).
//
// Every number is an integer below 2^53 (µs since 1970, units), so Lua's
// doubles hold it exactly; members are built with %.0f, as tostring would
// round to 14 digits.

// reserveScript decides a batch of calls, in order, all at one instant of
// the server's clock; each spends on every one of its limits or on none,
// exactly as the in-process limiter would decide it alone. Calls of one
// batch share the throttle factor, the state of the limits they have in
// common and the TIME, TTL and hash writes.
//
// KEYS lists every key the batch touches once; the logs of the hash at
// KEYS[k] are KEYS[k+1] (ended) and KEYS[k+2] (in flight). ARGV is, per
// call: the KEYS index of the group's throttle factor, n (the number of
// limits), the KEYS index of each limit's hash, the longest wait accepted
// (µs, negative: no bound), the call's id ("0": none), its flight bound (µs,
// 0: the call is not settled and ends at its grant plus the margin) and the
// margin (µs); then per limit: scoped (0/1), count, window (µs), pace and
// window (ns, pace 0 when unpaced), cost.
//
// A call that fits now is granted now. One that fits later only because
// ended entries expire is granted at that time (booked ahead) if the caller
// accepts the wait. One that needs calls in flight to end is refused with
// the earliest time it could fit if they ended now, as the in-process
// limiter forecasts it: their real ends are not known yet, and a booking
// made on the provisional ones would be needlessly late.
//
// Returns {server time µs, then per call: code, wait µs}: code 1 granted,
// 0 refused, -1 cost too high (wait then holds the limit's index).
var reserveScript = redis.NewScript(`
-- Redis 5+ replicates a script by its effects, so TIME may precede writes.
local max, min, floor, ceil, tonumber = math.max, math.min, math.floor, math.ceil, tonumber
local rcall, match, fmt = redis.call, string.match, string.format
local AM = 1000 -- ratelimit.AnswerMargin, µs: a call in flight ends no sooner than now + AM

local clock = rcall('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])

local function units(m) return tonumber(match(m, ':(%d+)$')) end

-- expire drops the entries of log that ended at or before cut; it returns
-- the units dropped.
local function expire(log, cut)
  local dropped = 0
  while true do
    local b = rcall('ZRANGEBYSCORE', log, '-inf', cut, 'LIMIT', 0, 64)
    for x = 1, #b do dropped = dropped + units(b[x]) end
    if #b > 0 then rcall('ZREMRANGEBYRANK', log, 0, #b - 1) end
    if #b < 64 then return dropped end
  end
end

-- states holds each limit the batch touches, by the KEYS index of its
-- hash, read and expired once; dirty lists those to write back, once, at
-- the end.
local states, dirty, factors, out, plan = {}, {}, {}, {now}, {}
local function touch(s)
  if not s.dirty then
    s.dirty = true
    dirty[#dirty + 1] = s
  end
end

local function load(k, W)
  local st = rcall('HMGET', KEYS[k], 'sum', 'fl', 'last', 'tat', 'hi', 'umin', 'seq', 'exp')
  -- Every field in one constructor, so the table is sized once.
  local s = {
    k = k, dirty = false, ttl = false, stale = false,
    sum = tonumber(st[1]) or 0, fl = tonumber(st[2]) or 0,
    last = tonumber(st[3]) or 0, tat = tonumber(st[4]) or 0,
    hi = tonumber(st[5]) or 0, umin = tonumber(st[6]) or 0,
    seq = tonumber(st[7]) or 0, exp = tonumber(st[8]) or 0,
  }
  local z, u = KEYS[k + 1], KEYS[k + 2]
  if not st[1] then
    -- No state but logs: the hash was evicted under memory pressure.
    -- Wait until whatever they hold has expired, then start afresh.
    for _, log in ipairs({z, u}) do
      local newest = rcall('ZRANGE', log, -1, -1, 'WITHSCORES')
      if newest[1] then s.stale, s.hi = true, max(s.hi, tonumber(newest[2])) end
    end
    return s
  end
  local cut = now - W
  if s.sum > s.fl then
    local d = expire(z, cut)
    if d > 0 then s.sum = s.sum - d touch(s) end
  end
  if s.fl > 0 and s.umin <= cut then
    -- In-flight entries past their provisional end by a window: their
    -- process died or lost Redis. Drop them, then learn the new minimum.
    local d = expire(u, cut)
    local first = rcall('ZRANGE', u, 0, 0, 'WITHSCORES')
    s.sum, s.fl, s.umin = s.sum - d, s.fl - d, tonumber(first[2]) or now
    if s.fl > 0 and not first[1] then s.stale = true end -- the log was evicted
    touch(s)
  end
  return s
end

-- earliest returns the first time at or after t when cost more units fit
-- s, counting the calls in flight as if they ended now + AM, and whether
-- that needed them (the time is then a lower bound); as window.earliest.
local function earliest(s, t, cost, cap, W)
  local excess = s.sum + cost - cap
  if excess <= 0 then return t, false end
  local z = KEYS[s.k + 1]
  local fend, flight, used = now + AM, s.fl, false
  local batch, i, rank = {}, 1, 0
  while excess > 0 do
    if i > #batch then
      -- Most calls cost one unit: fetch what the excess needs, then more.
      local n = min(max(excess, 1), 64)
      batch, i, rank = rcall('ZRANGE', z, rank, rank + n - 1, 'WITHSCORES'), 1, rank + n
    end
    local e = tonumber(batch[i + 1])
    if flight > 0 and (not e or fend <= e) then
      excess, flight, used = excess - flight, 0, true
      t = max(t, fend + W)
    elseif not e then
      -- The ended log holds less than the hash counts: it was evicted.
      -- Wait until everything it can have held has expired.
      s.stale = true
      return max(t, s.hi + W), used
    else
      excess = excess - units(batch[i])
      t = max(t, e + W)
      i = i + 2
    end
  end
  return t, used
end

local i, nargs = 1, #ARGV
while i <= nargs do
  local fk, n = tonumber(ARGV[i]), tonumber(ARGV[i + 1])
  local keys = i + 2
  local maxwait, id = tonumber(ARGV[keys + n]), ARGV[keys + n + 1]
  local flight, margin = tonumber(ARGV[keys + n + 2]), tonumber(ARGV[keys + n + 3])
  local first = keys + n + 4
  i = first + n * 6
  local factor = factors[fk]
  if not factor then
    factor = tonumber(rcall('GET', KEYS[fk]) or '1') or 1
    factors[fk] = factor
  end
  local code, wait
  local tshared, tall, bound = now, now, false
  for j = 1, n do
    local a = first + (j - 1) * 6
    local W, cost = tonumber(ARGV[a + 2]), tonumber(ARGV[a + 5])
    local cap = tonumber(ARGV[a + 1])
    if factor < 1 then cap = max(1, floor(cap * factor)) end
    if cost > cap then code, wait = -1, j - 1 break end
    local burst = cap
    local pace = tonumber(ARGV[a + 3])
    if pace > 0 then
      burst = min(cap, max(10, floor(cap * pace / tonumber(ARGV[a + 4]))))
    end
    local k = tonumber(ARGV[keys + j - 1])
    local s = states[k]
    if not s then
      s = load(k, W)
      states[k] = s
    end
    local interval = floor(tonumber(ARGV[a + 4]) / 1000 / cap) -- µs, as times are
    local t = max(now, s.last)
    if s.stale then t = max(t, s.hi + W) end
    if burst < cap and s.tat > t then
      -- As in the in-process limiter, the burst is for a window with room
      -- to spare: near full it would only let out together the units whose
      -- entries expire together. Near full a little slack is kept: three
      -- units, or what 30 ms lets out (ratelimit's minSlack and catchUp;
      -- the test that matches this script with the in-process limiter
      -- holds them equal).
      local b = cost + max(3, floor(30000 / max(1, interval)))
      if s.sum + cost <= cap - burst then b = max(burst, cost) end
      t = max(t, s.tat - (b - cost) * interval)
    end
    local used
    t, used = earliest(s, t, cost, cap, W)
    bound = bound or used
    if ARGV[a] == '1' then tall = max(tall, t) else tshared = max(tshared, t) end
    local p = plan[j]
    if not p then
      p = {}
      plan[j] = p
    end
    p.s, p.cost, p.W, p.interval = s, cost, W, interval
  end

  if not code then
    local t = max(tshared, tall)
    wait = t - now
    if t > tshared or (bound and t > now) or (maxwait >= 0 and wait > maxwait) then
      -- Held back by its own scope only (spend nothing, so the App Key
      -- logs, which keep grants in time order, do not make other scopes
      -- queue behind it), waiting on calls in flight, or past the wait
      -- the caller accepts.
      code = 0
    else
      code = 1
      for j = 1, n do
        local p = plan[j]
        local s, cost = p.s, p.cost
        local z, u = KEYS[s.k + 1], KEYS[s.k + 2]
        if s.stale then
          rcall('DEL', z, u)
          s.sum, s.fl, s.stale = 0, 0, false
          s.exp = 0 -- the logs are new keys: give them a TTL
        end
        s.tat = max(s.tat, t) + cost * p.interval
        s.last = t
        local m
        if id ~= '0' then
          m = id .. ':' .. fmt('%.0f', cost)
        else
          s.seq = s.seq + 1
          m = 'n' .. fmt('%.0f:%.0f', s.seq, cost)
        end
        -- An empty log is no key: the one it is added to may be new and
        -- need a TTL.
        local e
        if flight > 0 then
          e = t + flight
          if s.fl == 0 then s.umin, s.exp = e, 0 else s.umin = min(s.umin, e) end
          s.fl = s.fl + cost
          rcall('ZADD', u, e, m)
        else
          e = t + margin
          if s.sum == s.fl then s.exp = 0 end
          rcall('ZADD', z, e, m)
        end
        s.sum = s.sum + cost
        s.hi = max(s.hi, e)
        -- Nothing in the keys matters once the latest end is a window
        -- past. Their TTL runs a little beyond, and is pushed out only
        -- when a later end needs it, not on every call.
        if s.exp < s.hi + p.W + 100000 then
          local ttl = ceil((s.hi - now + p.W + p.W / 8) / 1000) + 200
          s.exp, s.ttl = now + ttl * 1000, ttl
        end
        touch(s)
      end
    end
  end
  out[#out + 1] = code
  out[#out + 1] = wait
end

for d = 1, #dirty do
  local s = dirty[d]
  local h = KEYS[s.k]
  rcall('HSET', h, 'sum', s.sum, 'fl', s.fl, 'last', s.last, 'tat', s.tat,
    'hi', s.hi, 'umin', s.umin, 'seq', s.seq, 'exp', s.exp)
  if s.ttl then
    rcall('PEXPIRE', h, s.ttl)
    rcall('PEXPIRE', KEYS[s.k + 1], s.ttl)
    rcall('PEXPIRE', KEYS[s.k + 2], s.ttl)
  end
end
return out
`)

// settleScript reports how granted calls ended, in order. KEYS is laid out
// as for reserveScript. ARGV is, per call: n, the call's id, then either 1
// and its end (µs), or 2 and a flight bound (µs) that pushes its
// provisional end out to now + bound; then per limit: the KEYS index of its
// hash, cost and window (µs). An entry no longer in flight (settled, or
// dropped once its provisional end was a window past) is left alone.
//
// Returns the server time (µs).
var settleScript = redis.NewScript(`
local max, ceil, tonumber = math.max, math.ceil, tonumber
local rcall, fmt = redis.call, string.format

local clock = rcall('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])

local states, dirty = {}, {}
local i, nargs = 1, #ARGV
while i <= nargs do
  local n, id, mode, v = tonumber(ARGV[i]), ARGV[i + 1], ARGV[i + 2], tonumber(ARGV[i + 3])
  for j = 0, n - 1 do
    local a = i + 4 + j * 3
    local k, cost, W = tonumber(ARGV[a]), tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2])
    local s = states[k]
    if s == nil then
      local st = rcall('HMGET', KEYS[k], 'sum', 'fl', 'hi', 'exp')
      s = false -- no state: the keys expired or were evicted
      if st[1] then
        s = {
          k = k, sum = tonumber(st[1]), fl = tonumber(st[2]), hi = tonumber(st[3]),
          exp = tonumber(st[4]), ttl = false, dirty = false,
        }
      end
      states[k] = s
    end
    if s then
      local m, u = id .. ':' .. fmt('%.0f', cost), KEYS[k + 2]
      local changed = false
      if mode == '1' then
        if rcall('ZREM', u, m) == 1 then
          if s.sum == s.fl then s.exp = 0 end -- the ended log may be a new key
          rcall('ZADD', KEYS[k + 1], v, m)
          s.fl, s.hi, changed = s.fl - cost, max(s.hi, v), true
        end
      elseif rcall('ZADD', u, 'XX', 'CH', now + v, m) == 1 then
        s.hi, changed = max(s.hi, now + v), true
      end
      if changed then
        if s.exp < s.hi + W + 100000 then
          local ttl = ceil((s.hi - now + W + W / 8) / 1000) + 200
          s.exp, s.ttl = now + ttl * 1000, ttl
        end
        if not s.dirty then
          s.dirty = true
          dirty[#dirty + 1] = s
        end
      end
    end
  end
  i = i + 4 + n * 3
end

for d = 1, #dirty do
  local s = dirty[d]
  rcall('HSET', KEYS[s.k], 'fl', s.fl, 'hi', s.hi, 'exp', s.exp)
  if s.ttl then
    for x = 0, 2 do rcall('PEXPIRE', KEYS[s.k + x], s.ttl) end
  end
end
return now
`)
