package redisstore

import "github.com/redis/go-redis/v9"

// reserveScript decides a batch of calls, in order, all at one instant of
// the server's clock; each spends on every one of its limits or on none,
// exactly as if it were alone in the script. Calls of one batch share the
// throttle factor, the state of the limits they have in common and the
// TIME, TTL and hash writes: the per-call cost is mostly the log entry.
//
// KEYS lists every key the batch touches once; the log of the hash at
// KEYS[k] is KEYS[k+1]. ARGV is, per call: the KEYS index of the group's
// throttle factor, n (the number of limits), the KEYS index of each limit's
// hash, the longest wait accepted in microseconds (negative: no bound),
// then per limit: scoped (0/1), count, span (window + margin, µs), pace and
// window (ns, pace 0 when unpaced), cost.
//
// The log is a sorted set whose members are "time:cum" and whose scores are
// cum, the cumulative cost up to and including the entry. The hash holds
// tot (cum of the newest entry), base (cum of the last entry dropped), last
// (time of the newest entry), tat (GCRA theoretical arrival time), head
// (time of the oldest entry kept) and exp (when the keys expire). The
// window's live sum is tot - base, and the entry whose expiry makes room for
// cost more units is the first with cum >= tot + cost - count: one
// ZRANGEBYSCORE instead of a walk, and none while tot - base leaves room.
// Entries that expired but are still in the log do not change that answer
// (their time + span is already past), so a refusal need not drop them and
// writes nothing.
//
// Every number is an integer below 2^53 (µs since 1970, units), so Lua's
// doubles hold it exactly. Redis turns a number argument into a string
// exactly; only the log member is built with %.0f, as tostring would round
// to 14 digits.
//
// Returns {server time µs, then per call: code, wait µs}: code 1 granted,
// 0 refused, -1 cost too high (wait then holds the limit's index).
var reserveScript = redis.NewScript(`
-- Redis 5+ replicates a script by its effects, so TIME may precede writes.
local max, min, floor, ceil, tonumber = math.max, math.min, math.floor, math.ceil, tonumber
local rcall, match = redis.call, string.match

local clock = rcall('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])

-- states holds each limit the batch touches, by the KEYS index of its
-- hash, read once; dirty lists those to write back, once, at the end.
local states, dirty, factors, out, plan = {}, {}, {}, {now}, {}
local i, nargs = 1, #ARGV
while i <= nargs do
  local fk, n = tonumber(ARGV[i]), tonumber(ARGV[i + 1])
  local keys = i + 2
  local maxwait = tonumber(ARGV[keys + n])
  local first = keys + n + 1
  i = first + n * 6
  local factor = factors[fk]
  if not factor then
    factor = tonumber(rcall('GET', KEYS[fk]) or '1') or 1
    factors[fk] = factor
  end
  local code, wait
  local tshared, tall = now, now
  for j = 1, n do
    local a = first + (j - 1) * 6
    local span, cost = tonumber(ARGV[a + 2]), tonumber(ARGV[a + 5])
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
      local st = rcall('HMGET', KEYS[k], 'tot', 'base', 'last', 'tat', 'head', 'exp')
      -- Every field in one constructor, so the table is sized once.
      s = {
        k = k, lost = false, dirty = false, wbase = false, whead = false, ttl = false,
        tot = tonumber(st[1]) or 0, base = tonumber(st[2]) or 0,
        last = tonumber(st[3]) or 0, tat = tonumber(st[4]) or 0,
        head = tonumber(st[5]) or 0, exp = tonumber(st[6]) or 0,
      }
      if not st[1] then
        -- No state but a log: the hash was evicted under memory pressure.
        -- Wait out the newest entry, then start a fresh log.
        local newest = rcall('ZRANGE', KEYS[k + 1], -1, -1)
        if newest[1] then s.last, s.lost = tonumber(match(newest[1], '^(%d+)')), true end
      end
      states[k] = s
    end
    local interval = floor(tonumber(ARGV[a + 4]) / 1000 / cap) -- µs, as times are
    local stale = s.lost
    local t = max(now, s.last)
    if stale then t = max(t, s.last + span) end
    if burst < cap and s.tat > t then
      -- As in the in-process limiter, the burst is for a window with room
      -- to spare: near full it would only let out together the units whose
      -- entries expire together. There is room when the live sum plus cost
      -- is at most cap - burst, that is when every entry up to cum upto has
      -- left the window. Near full a little slack is kept: one unit, or
      -- what 2 ms lets out.
      local b = cost + max(1, floor(2000 / max(1, interval)))
      local upto = s.tot + cost + burst - cap
      if upto <= s.base then
        b = max(burst, cost)
      else
        local e = rcall('ZRANGEBYSCORE', KEYS[k + 1], upto, '+inf', 'LIMIT', 0, 1)
        if e[1] and tonumber(match(e[1], '^(%d+)')) <= now - span then b = max(burst, cost) end
      end
      t = max(t, s.tat - (b - cost) * interval)
    end
    local target = s.tot + cost - cap
    if target > s.base then
      local e = rcall('ZRANGEBYSCORE', KEYS[k + 1], target, '+inf', 'LIMIT', 0, 1)
      if e[1] then
        t = max(t, tonumber(match(e[1], '^(%d+)')) + span)
      else
        -- State but no log: the log was evicted. Wait until whatever it
        -- held has surely expired, then start afresh.
        t = max(t, s.last + span)
        stale = true
      end
    end
    if ARGV[a] == '1' then tall = max(tall, t) else tshared = max(tshared, t) end
    local p = plan[j]
    if not p then
      p = {}
      plan[j] = p
    end
    p.s, p.cost, p.span, p.interval, p.stale = s, cost, span, interval, stale
  end

  if not code then
    local t = max(tshared, tall)
    wait = t - now
    if t > tshared then
      -- Held back by its own scope only: spend nothing, so the App Key
      -- logs, which must stay in time order, do not make other scopes
      -- queue behind it.
      code = 0
    elseif maxwait >= 0 and wait > maxwait then
      code = 0
    else
      code = 1
      for j = 1, n do
        local p = plan[j]
        local s, cost, span = p.s, p.cost, p.span
        local z = KEYS[s.k + 1]
        local cum = s.tot + cost
        s.tat = max(s.tat, t) + cost * p.interval
        if p.stale then
          rcall('DEL', z)
          s.tot, s.base, cum, s.lost, s.wbase = 0, 0, cost, false, true
          s.exp = 0 -- the log is a new key: give it a TTL
        end
        local head
        local cut = now - span
        -- Drop expired entries from the head so an active log stays the
        -- size of its window. Only once the head is an eighth of a window
        -- stale, and in batches, so most calls skip this and the rest
        -- share its cost.
        if s.base < s.tot and s.head <= cut - floor(span / 8) then
          local batch = rcall('ZRANGE', z, 0, 63, 'WITHSCORES')
          local dropped = 0
          head = 0 -- a full batch of expired entries: look again next time
          for x = 1, #batch, 2 do
            local et = tonumber(match(batch[x], '^(%d+)'))
            if et > cut then head = et break end
            dropped = dropped + 1
            s.base = tonumber(batch[x + 1])
          end
          if dropped > 0 then rcall('ZREMRANGEBYRANK', z, 0, dropped - 1) end
          s.wbase = true
        end
        if s.base == s.tot then head = t end -- the log is empty: the new entry leads
        if head then s.head, s.whead = head, true end
        s.tot, s.last = cum, t
        rcall('ZADD', z, cum, string.format('%.0f:%.0f', t, cum))
        -- Nothing in the keys matters once the newest entry has left the
        -- window. Their TTL runs a little past that, and is pushed out only
        -- when a later entry needs it, not on every call.
        if s.exp < t + span + 100000 then
          local ttl = ceil((t - now + span + span / 8) / 1000) + 200
          s.exp, s.ttl = now + ttl * 1000, ttl
        end
        if not s.dirty then
          s.dirty = true
          dirty[#dirty + 1] = s
        end
      end
    end
  end
  out[#out + 1] = code
  out[#out + 1] = wait
end

for d = 1, #dirty do
  local s = dirty[d]
  local h = KEYS[s.k]
  if s.wbase or s.whead or s.ttl then
    local f = {'tot', s.tot, 'last', s.last, 'tat', s.tat}
    if s.wbase then f[#f + 1], f[#f + 2] = 'base', s.base end
    if s.whead then f[#f + 1], f[#f + 2] = 'head', s.head end
    if s.ttl then f[#f + 1], f[#f + 2] = 'exp', s.exp end
    rcall('HSET', h, unpack(f))
  else
    rcall('HSET', h, 'tot', s.tot, 'last', s.last, 'tat', s.tat)
  end
  if s.ttl then
    rcall('PEXPIRE', h, s.ttl)
    rcall('PEXPIRE', KEYS[s.k + 1], s.ttl)
  end
end
return out
`)
