package chatrooms_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/batch"
	"github.com/emquota/easemob/chatrooms"
	"github.com/emquota/easemob/easemobtest"
	"github.com/emquota/easemob/option"
	"github.com/emquota/easemob/ratelimit"
)

// env is a client on an emulator of its own, with a registry of its own
// so tests do not share budgets.
type env struct {
	t   *testing.T
	ctx context.Context
	c   *easemob.Client
	srv *easemobtest.Server
}

func newEnv(t *testing.T, opts ...easemobtest.Option) *env {
	t.Helper()
	return newEnvWith(t, easemob.NewRegistry(), opts...)
}

func newEnvWith(t *testing.T, reg *ratelimit.Registry, opts ...easemobtest.Option) *env {
	t.Helper()
	srv := easemobtest.NewServer(t, opts...)
	c, err := easemob.New(easemob.Config{
		BaseURL: srv.URL, AppKey: srv.AppKey, ClientID: srv.ClientID, ClientSecret: srv.ClientSecret,
		Registry: reg,
	})
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return &env{t: t, ctx: context.Background(), c: c, srv: srv}
}

// users registers the named users.
func (e *env) users(names ...string) {
	e.t.Helper()
	for _, n := range names {
		require.NoError(e.t, e.srv.AddUser(n, "pw"))
	}
}

// numbered registers n users prefix0 .. prefix(n-1) and returns their names.
func (e *env) numbered(prefix string, n int) []string {
	e.t.Helper()
	names, err := e.srv.AddUsers(n, prefix, "pw")
	require.NoError(e.t, err)
	return names
}

// room seeds a room owned by owner with members, all registered here.
func (e *env) room(owner string, members ...string) string {
	e.t.Helper()
	e.users(append([]string{owner}, members...)...)
	id, err := e.srv.AddChatroom(owner, members...)
	require.NoError(e.t, err)
	return id
}

// crowd seeds a room owned by owner (registered here) with n members
// prefix0 .. prefix(n-1), and returns its ID and the members.
func (e *env) crowd(owner, prefix string, n int) (string, []string) {
	e.t.Helper()
	members := e.numbered(prefix, n)
	e.users(owner)
	id, err := e.srv.AddChatroom(owner, members...)
	require.NoError(e.t, err)
	return id, members
}

// members lists a room's owner and members through the SDK.
func (e *env) members(id string) []string {
	e.t.Helper()
	var out []string
	for m, err := range e.c.Chatrooms.AllMembers(e.ctx, id, chatrooms.PageParams{}) {
		require.NoError(e.t, err)
		out = append(out, m.Username)
	}
	return out
}

// apiError requires err to be the server's answer with status and code.
func apiError(t *testing.T, err error, status int, code string, msgAndArgs ...any) *easemob.Error {
	t.Helper()
	var e *easemob.Error
	if !assert.ErrorAs(t, err, &e, msgAndArgs...) {
		return &easemob.Error{}
	}
	assert.Equal(t, status, e.StatusCode, msgAndArgs...)
	assert.Equal(t, code, e.Code, msgAndArgs...)
	return e
}

// reasons maps each input of a batch result to its status and reason.
func reasons[In comparable, Out any](res *batch.Result[In, Out]) map[In]string {
	out := map[In]string{}
	for _, it := range res.Items {
		out[it.Input] = it.Status.String()
		if it.Reason != "" {
			out[it.Input] += ": " + it.Reason
		}
	}
	return out
}

func names(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%d", prefix, i)
	}
	return out
}

// optConcurrency1 sends a batch's calls one after another.
var optConcurrency1 = option.Concurrency(1)
