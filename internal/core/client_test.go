package core

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/ratelimit"
)

func TestNewValidatesOptions(t *testing.T) {
	limits := ratelimit.NewRegistry(highQuotas()).App(testAppKey)
	good := Options{BaseURL: "https://a1.easemob.com", AppKey: "org#app", ClientID: "id", ClientSecret: "s", Limits: limits}

	tests := []struct {
		name  string
		edit  func(*Options)
		field string
	}{
		{"no hash", func(o *Options) { o.AppKey = "orgapp" }, "AppKey"},
		{"empty org", func(o *Options) { o.AppKey = "#app" }, "AppKey"},
		{"empty app", func(o *Options) { o.AppKey = "org#" }, "AppKey"},
		{"two hashes", func(o *Options) { o.AppKey = "org#app#x" }, "AppKey"},
		{"empty key", func(o *Options) { o.AppKey = "" }, "AppKey"},
		{"no scheme", func(o *Options) { o.BaseURL = "a1.easemob.com" }, "BaseURL"},
		{"other scheme", func(o *Options) { o.BaseURL = "ftp://a1.easemob.com" }, "BaseURL"},
		{"empty base", func(o *Options) { o.BaseURL = "" }, "BaseURL"},
		{"no secret", func(o *Options) { o.ClientSecret = "" }, "ClientSecret"},
		{"no id", func(o *Options) { o.ClientID = "" }, "ClientSecret"},
		{"blank secret", func(o *Options) { o.ClientSecret = "  " }, "ClientSecret"},
		{"blank id", func(o *Options) { o.ClientID = "\t" }, "ClientSecret"},
		{"blank token", func(o *Options) { o.ClientID, o.ClientSecret, o.Token = "", "", " " }, "Token"},
		{"query in base", func(o *Options) { o.BaseURL = "https://a1.easemob.com?x=1" }, "BaseURL"},
		{"fragment in base", func(o *Options) { o.BaseURL = "https://a1.easemob.com#x" }, "BaseURL"},
		{"no host", func(o *Options) { o.BaseURL = "https://" }, "BaseURL"},
		{"dot org", func(o *Options) { o.AppKey = "..#app" }, "AppKey"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := good
			tt.edit(&o)
			c, err := New(o)
			require.Error(t, err)
			assert.Nil(t, c)
			assert.ErrorIs(t, err, ErrInvalidArgument)
			var ve *ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.field, ve.Field)
		})
	}

	t.Run("valid", func(t *testing.T) {
		_, err := New(good)
		require.NoError(t, err)
	})
	t.Run("static token replaces credentials", func(t *testing.T) {
		o := good
		o.ClientID, o.ClientSecret, o.Token = "", "", "tok"
		_, err := New(o)
		require.NoError(t, err)
	})
	t.Run("limits required", func(t *testing.T) {
		o := good
		o.Limits = nil
		_, err := New(o)
		require.Error(t, err)
	})
}

func TestURLBuilding(t *testing.T) {
	f := newFakeServer(t)
	o := testOptions(f)
	o.BaseURL = f.URL() + "/" // a trailing slash must not double up
	o.Token = "static"
	c := newTestClient(t, o)
	ctx := context.Background()

	require.NoError(t, c.Do(ctx, &Request{Op: catalog.UsersGet, Path: P("username", "a.b-c_D")}))
	// Two path parameters, by name.
	require.NoError(t, c.Do(ctx, &Request{Op: catalog.UsersGetOfflineMsgStatus, Path: P("username", "u1", "msg_id", "m 2")}))
	// Query parameters are encoded.
	require.NoError(t, c.Do(ctx, &Request{Op: catalog.UsersList, Query: url.Values{"limit": {"10"}, "cursor": {"a b&c"}}}))

	reqs := f.requests()
	require.Len(t, reqs, 3)
	paths := make([]string, len(reqs))
	for i, r := range reqs {
		paths[i] = r.path
		assert.Equal(t, "Bearer static", r.auth)
	}
	assert.Equal(t, []string{"/users/a.b-c_D", "/users/u1/offline_msg_status/m%202", "/users"}, paths)
	q, err := url.ParseQuery(reqs[2].query)
	require.NoError(t, err)
	assert.Equal(t, url.Values{"limit": {"10"}, "cursor": {"a b&c"}}, q)
}

// A path value that would change the URL is refused before anything is
// spent: dot segments, separators, escapes, control characters, oversize
// values, and missing, extra or empty values.
func TestPathValuesRefused(t *testing.T) {
	f := newFakeServer(t)
	o := testOptions(f)
	o.Token = "static"
	c := newTestClient(t, o)
	ctx := context.Background()
	long := strings.Repeat("1", 200)
	for name, r := range map[string]*Request{
		"dot-dot username":  {Op: catalog.UsersDelete, Path: P("username", "..")},
		"dot username":      {Op: catalog.UsersDelete, Path: P("username", ".")},
		"slash username":    {Op: catalog.UsersGet, Path: P("username", "a/b")},
		"space username":    {Op: catalog.UsersGet, Path: P("username", "a b")},
		"empty username":    {Op: catalog.UsersGet, Path: P("username", "")},
		"missing value":     {Op: catalog.UsersGet},
		"extra value":       {Op: catalog.UsersGet, Path: P("username", "a", "group_id", "1")},
		"dot-dot msg id":    {Op: catalog.UsersGetOfflineMsgStatus, Path: P("username", "a", "msg_id", "..")},
		"slash msg id":      {Op: catalog.UsersGetOfflineMsgStatus, Path: P("username", "a", "msg_id", "1/../../x")},
		"escaped slash":     {Op: catalog.UsersGetOfflineMsgStatus, Path: P("username", "a", "msg_id", "1%2F2")},
		"query in id":       {Op: catalog.UsersGetOfflineMsgStatus, Path: P("username", "a", "msg_id", "1?x=2")},
		"fragment in id":    {Op: catalog.UsersGetOfflineMsgStatus, Path: P("username", "a", "msg_id", "1#x")},
		"control in id":     {Op: catalog.UsersGetOfflineMsgStatus, Path: P("username", "a", "msg_id", "1\n2")},
		"oversize id":       {Op: catalog.UsersGetOfflineMsgStatus, Path: P("username", "a", "msg_id", long)},
		"oversize resource": {Op: catalog.UsersDisconnectDevice, Path: P("username", "a", "resourceId", long)},
		"control in query":  {Op: catalog.UsersList, Query: url.Values{"cursor": {"a\x00"}}},
		"oversize query":    {Op: catalog.UsersList, Query: url.Values{"cursor": {strings.Repeat("c", 2000)}}},
	} {
		err := c.Do(ctx, r)
		assert.ErrorIs(t, err, ErrInvalidArgument, name)
		assert.False(t, r.Sent(), name)
	}
	assert.Empty(t, f.requests(), "nothing reached the wire")
}

// The App Key's parts are checked and escaped; BaseURL may carry a path
// prefix but no query or fragment.
func TestAppRoot(t *testing.T) {
	root, err := appRoot("https://h.example/prefix/", "my org#app-1")
	require.NoError(t, err)
	assert.Equal(t, "https://h.example/prefix/my%20org/app-1", root)
	for _, bad := range [][2]string{
		{"https://h.example?x=1", "o#a"}, {"https://h.example#f", "o#a"}, {"https://h.example?", "o#a"},
		{"https:///path", "o#a"}, {"https://u:p@h.example", "o#a"}, {"https://h.example", "../x#a"},
		{"https://h.example", "o#.."}, {"https://h.example", "o/x#a"}, {"https://h.example", "o#a?b"},
	} {
		_, err := appRoot(bad[0], bad[1])
		assert.ErrorIs(t, err, ErrInvalidArgument, "%v", bad)
	}
}

func TestRequestBodies(t *testing.T) {
	f := newFakeServer(t)
	o := testOptions(f)
	o.Token = "static"
	c := newTestClient(t, o)

	require.NoError(t, c.Do(context.Background(), &Request{Op: catalog.UsersRegister, Body: map[string]string{"username": "u1", "password": "p"}}))
	require.NoError(t, c.Do(context.Background(), &Request{Op: catalog.UsersRegister, Form: url.Values{"k": {"v w"}}}))
	reqs := f.requests()
	require.Len(t, reqs, 2)
	assert.JSONEq(t, `{"username":"u1","password":"p"}`, reqs[0].body)
	assert.Equal(t, "k=v+w", reqs[1].body)
}
