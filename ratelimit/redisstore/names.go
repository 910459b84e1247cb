package redisstore

import (
	"strconv"
	"sync"

	"github.com/emquota/easemob/ratelimit"
)

// maxNames bounds the name cache; past it the cache starts afresh.
const maxNames = 4096

// names are the keys of one App Key and group, built once: building them
// was most of a call's allocations.
type names struct {
	base, fkey string
	// h[i], z[i] and u[i] are the hash and logs (ended, in flight) of
	// limit i, or for a per-scope limit the prefix that ":" and the scope
	// complete.
	h, z, u []string
}

type nameKey struct{ app, group string }

type nameCache struct {
	mu sync.RWMutex
	m  map[nameKey]*names
}

// names returns the keys of appKey and group for at least n limits.
func (s *Store) names(appKey, group string, n int) *names {
	k := nameKey{appKey, group}
	c := &s.nameCache
	c.mu.RLock()
	nm := c.m[k]
	c.mu.RUnlock()
	if nm != nil && len(nm.h) >= n {
		return nm
	}
	base := s.base(appKey)
	g := groupEscaper.Replace(group)
	nm = &names{base: base, fkey: base + "f:" + g, h: make([]string, n), z: make([]string, n), u: make([]string, n)}
	for i := range n {
		side := g + ":" + strconv.Itoa(i)
		nm.h[i], nm.z[i], nm.u[i] = base+"h:"+side, base+"z:"+side, base+"u:"+side
	}
	c.mu.Lock()
	if c.m == nil || len(c.m) >= maxNames {
		c.m = make(map[nameKey]*names)
	}
	c.m[k] = nm
	c.mu.Unlock()
	return nm
}

// limit returns the hash and logs of limit i, lim, for scope.
func (nm *names) limit(i int, lim ratelimit.Limit, scope string) (h, z, u string) {
	h, z, u = nm.h[i], nm.z[i], nm.u[i]
	if lim.Per != "" {
		h, z, u = h+":"+scope, z+":"+scope, u+":"+scope
	}
	return h, z, u
}
