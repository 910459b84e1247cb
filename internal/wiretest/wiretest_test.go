package wiretest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/users"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// fakeTB records failures instead of failing the test; everything else
// (Cleanup, Helper, TempDir) goes to the real test.
type fakeTB struct {
	testing.TB
	mu       sync.Mutex
	failures []string
}

func (f *fakeTB) fail(msg string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failures = append(f.failures, msg)
}

func (f *fakeTB) Errorf(format string, args ...any) { f.fail(fmt.Sprintf(format, args...)) }
func (f *fakeTB) Error(args ...any)                 { f.fail(fmt.Sprint(args...)) }
func (f *fakeTB) Fatalf(format string, args ...any) { f.Errorf(format, args...); runtime.Goexit() }
func (f *fakeTB) Fatal(args ...any)                 { f.Error(args...); runtime.Goexit() }
func (f *fakeTB) Fail()                             { f.fail("Fail") }
func (f *fakeTB) FailNow()                          { f.fail("FailNow"); runtime.Goexit() }
func (f *fakeTB) Failed() bool                      { return len(f.all()) > 0 }

func (f *fakeTB) all() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.failures...)
}

// runCase runs check with a fake TB, on a goroutine of its own so that a
// Fatal ends only it, and returns the failures it reported.
func runCase(t *testing.T, dir string, update bool, c Case) []string {
	f := &fakeTB{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		check(f, dir, update, c)
	}()
	<-done
	return f.all()
}

// registerOp is users.Register as documented, so the test does not depend
// on what the generated catalog holds.
func registerOp() *catalog.Op {
	op := *catalog.UsersRegister
	op.Auth, op.Content, op.Select = catalog.AuthApp, catalog.ContentJSON, catalog.Selector{By: catalog.SelectDefault}
	op.Body = &catalog.Schema{Kind: "object", Fields: []catalog.Field{
		{Name: "username", Type: catalog.TypeString, Required: true},
		{Name: "password", Type: catalog.TypeString, Required: true},
	}}
	op.Example = `{"action":"post","path":"/users","entities":[{"uuid":"0ffe2d80-1","type":"user",` +
		`"created":1542795196504,"modified":1542795196504,"username":"user1","activated":true}],"timestamp":1542795196515}`
	return &op
}

var typeDropped = map[string]string{"entities.type": "not kept"}

func register(op *catalog.Op, drops map[string]string) Case {
	return Case{Name: "Register", Op: op, Drops: drops, Call: func(ctx context.Context, c *easemob.Client) (any, error) {
		return c.Users.Register(ctx, users.NewUser{Username: "user1", Password: "123"})
	}}
}

// written runs the passing Register case with -update into a fresh
// directory and returns the case, the directory, the golden and its text.
func written(t *testing.T) (c Case, dir, file string, golden []byte) {
	dir = t.TempDir()
	c = register(registerOp(), typeDropped)
	require.Empty(t, runCase(t, dir, true, c))
	file = filepath.Join(dir, "Register.json")
	golden, err := os.ReadFile(file)
	require.NoError(t, err)
	return c, dir, file, golden
}

func TestAPassingCaseWritesAndMatchesItsGolden(t *testing.T) {
	c, dir, _, b := written(t)
	var g Request
	require.NoError(t, json.Unmarshal(b, &g))
	assert.Equal(t, "users.Register", g.Op)
	assert.Equal(t, "/users", g.Path)
	assert.Equal(t, "Bearer <app token>", g.Header.Get("Authorization"))
	assert.Empty(t, g.Header.Get("User-Agent"))
	assert.JSONEq(t, `{"username":"user1","password":"123"}`, string(g.JSON))
	assert.Empty(t, runCase(t, dir, false, c), "the golden it wrote")
}

func TestGoldenComparedByMeaning(t *testing.T) {
	c, dir, file, b := written(t)
	var g map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(b, &g))
	g["json"] = json.RawMessage(`{ "password" : "123",  "username":"user1" }`) // same body, other order and spacing
	b, err := json.Marshal(g)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(file, b, 0o644))
	assert.Empty(t, runCase(t, dir, false, c))
}

func TestAWrongGoldenFails(t *testing.T) {
	c, dir, file, b := written(t)
	require.NoError(t, os.WriteFile(file, []byte(strings.Replace(string(b), `"user1"`, `"user9"`, 1)), 0o644))
	assert.Contains(t, strings.Join(runCase(t, dir, false, c), "\n"), "differs from its golden")

	require.NoError(t, os.Remove(file))
	assert.Contains(t, strings.Join(runCase(t, dir, false, c), "\n"), "no golden")
}

func TestABodyBreakingTheSchemaFails(t *testing.T) {
	op := registerOp()
	op.Body.Fields = append(op.Body.Fields, catalog.Field{Name: "phone", Type: catalog.TypeString, Required: true})
	failures := runCase(t, t.TempDir(), true, register(op, typeDropped))
	assert.Contains(t, strings.Join(failures, "\n"), "breaks the documented schema: phone: required")
}

func TestADroppedDocumentedFieldFails(t *testing.T) {
	failures := runCase(t, t.TempDir(), true, register(registerOp(), nil))
	assert.Equal(t, []string{"users.Register: the result dropped the documented entities[0].type = user" +
		" (list it in Drops with a reason if meant)"}, failures)

	failures = runCase(t, t.TempDir(), true, register(registerOp(), map[string]string{"entities.type": "x", "entities.age": "x"}))
	assert.Equal(t, []string{`users.Register: Drops names "entities.age", which the example does not have`}, failures)
}

func TestTheWrongOpFails(t *testing.T) {
	list := *catalog.UsersList // GET /users: Register's POST is not it
	list.Example = `{"entities":[]}`
	failures := strings.Join(runCase(t, t.TempDir(), true, register(&list, nil)), "\n")
	assert.Contains(t, failures, "method POST, documented GET")
}

func TestMoreThanOneRequestFails(t *testing.T) {
	op := *catalog.UsersRegisterBatch
	op.Example = `{"entities":[]}`
	c := Case{Name: "Batch", Op: &op, Call: func(ctx context.Context, c *easemob.Client) (any, error) {
		accounts := make([]users.NewUser, 61) // documented 60 per call: two calls
		for i := range accounts {
			accounts[i] = users.NewUser{Username: fmt.Sprintf("u%d", i), Password: "pw"}
		}
		return c.Users.RegisterBatch(ctx, accounts)
	}}
	assert.Contains(t, strings.Join(runCase(t, t.TempDir(), true, c), "\n"), "2 requests besides the token, want exactly 1")
}

func TestResultValuesMatchDocumentedScalars(t *testing.T) {
	type kept struct {
		When  time.Time
		Count int
		Wait  time.Duration
		Extra map[string]json.RawMessage
	}
	result := kept{
		When: time.UnixMilli(1542795196504), Count: 12, Wait: 3 * time.Second,
		Extra: map[string]json.RawMessage{"x": json.RawMessage(`{"deep":"v"}`)},
	}
	// A number the docs show as a string, a time in ms, seconds kept as a Duration, raw JSON.
	example := `{"action":"get","data":{"created":1542795196504,"count":"12","ttl":3,"x":{"deep":"v"}}}`
	lost, stale, err := droppedFields(example, result, nil)
	require.NoError(t, err)
	assert.Empty(t, lost)
	assert.Empty(t, stale)

	// Each result value stands for one documented value only.
	lost, _, err = droppedFields(`{"data":[{"n":12},{"n":12}]}`, result, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"data[1].n = 12"}, lost)
}

func TestARequestAnotherOpWouldTakeFails(t *testing.T) {
	op := *catalog.UsersRegister // an object body; an array is users.RegisterBatch
	c := Case{Name: "Batch", Op: &op, Call: func(ctx context.Context, c *easemob.Client) (any, error) {
		return c.Users.RegisterBatch(ctx, []users.NewUser{{Username: "user1", Password: "pw"}})
	}}
	assert.Contains(t, strings.Join(runCase(t, t.TempDir(), true, c), "\n"), "the server would take the request as users.RegisterBatch")
}

func TestAMissingRequiredHeaderFails(t *testing.T) {
	op := registerOp()
	op.Headers = []catalog.Field{{Name: "thumbnail", Type: catalog.TypeBoolean, Required: true}}
	failures := runCase(t, t.TempDir(), true, register(op, typeDropped))
	assert.Equal(t, []string{"users.Register: no header thumbnail, documented required"}, failures)
}

func TestARequestOnAnotherGroupsQuotaFails(t *testing.T) {
	op := registerOp()
	op.Group = catalog.GroupUsersGet // Register spends users.account_write
	failures := runCase(t, t.TempDir(), true, register(op, typeDropped))
	assert.Equal(t, []string{
		"users.Register: a request went out on the quota of group users.account_write, not users.get",
		"users.Register: 1 requests went out, 0 of them through the limiter of group users.get",
	}, failures)
}
