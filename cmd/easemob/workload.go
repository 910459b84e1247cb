package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/option"
	"github.com/emquota/easemob/users"
)

// workload is one entry of the load test's mix: calls that spend one quota
// group, made as fast as its quota allows. Module files add theirs with
// addWorkloads; a workload is named by its group.
type workload struct {
	group string
	// setup prepares what up to calls calls need (say, users to delete);
	// nil needs nothing but the fixture's pool.
	setup func(ctx context.Context, f *fixture, calls int) error
	// call makes the i-th call of the workload.
	call func(ctx context.Context, f *fixture, i int) error
	// messages is what one call costs a messages side (0: one); scopes
	// is how many users the calls spread over, for a per-user side.
	messages, scopes int
}

var workloads []workload

func addWorkloads(ws ...workload) {
	for _, w := range ws {
		if slices.ContainsFunc(workloads, func(o workload) bool { return o.group == w.group }) {
			panic("easemob: two workloads for " + w.group)
		}
		workloads = append(workloads, w)
	}
}

// selectWorkloads returns the workloads whose group starts with one of
// the comma-separated prefixes (all for an empty mix).
func selectWorkloads(mix string) ([]workload, error) {
	if strings.TrimSpace(mix) == "" {
		return workloads, nil
	}
	var out []workload
	for _, p := range strings.Split(mix, ",") {
		p = strings.TrimSpace(p)
		n := 0
		for _, w := range workloads {
			if strings.HasPrefix(w.group, p) && !slices.ContainsFunc(out, func(o workload) bool { return o.group == w.group }) {
				out = append(out, w)
				n++
			}
		}
		if n == 0 && !slices.ContainsFunc(out, func(o workload) bool { return strings.HasPrefix(o.group, p) }) {
			return nil, usagef("--mix %q: no workload for a group starting %q", mix, p)
		}
	}
	return out, nil
}

// fixture is what the workloads share: the client, a pool of users made
// before the run, and names of their own.
type fixture struct {
	c      *easemob.Client
	prefix string // every name the test makes starts with it
	users  []string
	seq    atomic.Int64

	mu     sync.Mutex
	doomed []string // made to be deleted
	group  string   // the group and chatroom the module workloads use
	room   string
}

// poolSize is how many users the reads and updates spread over.
const poolSize = 100

func newFixture(ctx context.Context, c *easemob.Client, prefix string) (*fixture, error) {
	f := &fixture{c: c, prefix: prefix}
	names, err := f.register(ctx, "p", poolSize)
	f.users = names
	return f, err
}

// name is a fresh username.
func (f *fixture) name(kind string) string {
	return fmt.Sprintf("%s%s%d", f.prefix, kind, f.seq.Add(1))
}

// user is the i-th pool user, round robin.
func (f *fixture) user(i int) string { return f.users[i%len(f.users)] }

// register makes n users named after kind, in batches, before the run.
func (f *fixture) register(ctx context.Context, kind string, n int) ([]string, error) {
	accounts := make([]users.NewUser, n)
	names := make([]string, n)
	for i := range accounts {
		names[i] = f.name(kind)
		accounts[i] = users.NewUser{Username: names[i], Password: "loadtest"}
	}
	if n == 0 {
		return nil, nil
	}
	_, err := f.c.Users.RegisterBatch(ctx, accounts, option.Bulk())
	return names, err
}

// take returns a user made to be deleted, or "" when none is left.
func (f *fixture) take() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.doomed) == 0 {
		return ""
	}
	u := f.doomed[len(f.doomed)-1]
	f.doomed = f.doomed[:len(f.doomed)-1]
	return u
}
