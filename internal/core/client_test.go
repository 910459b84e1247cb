package core

import (
	"context"
	"net/url"
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
		{"no secret", func(o *Options) { o.ClientSecret = "" }, "ClientID"},
		{"no id", func(o *Options) { o.ClientID = "" }, "ClientID"},
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

	for _, name := range []string{"a b", "a,b", "a/b", "a?b#c", "100%"} {
		require.NoError(t, c.Do(ctx, &Request{Op: catalog.UsersGet, Params: []string{name}}))
	}
	// Two path parameters, filled in order.
	require.NoError(t, c.Do(ctx, &Request{Op: catalog.UsersGetOfflineMsgStatus, Params: []string{"u 1", "m/2"}}))
	// Query parameters are encoded.
	require.NoError(t, c.Do(ctx, &Request{Op: catalog.UsersList, Query: url.Values{"limit": {"10"}, "cursor": {"a b&c"}}}))

	reqs := f.requests()
	require.Len(t, reqs, 7)
	paths := make([]string, len(reqs))
	for i, r := range reqs {
		paths[i] = r.path
		assert.Equal(t, "Bearer static", r.auth)
	}
	assert.Equal(t, []string{
		"/users/a%20b",
		"/users/a%2Cb", // PathEscape escapes the comma too; the server decodes it back
		"/users/a%2Fb",
		"/users/a%3Fb%23c",
		"/users/100%25",
		"/users/u%201/offline_msg_status/m%2F2",
		"/users",
	}, paths)
	q, err := url.ParseQuery(reqs[6].query)
	require.NoError(t, err)
	assert.Equal(t, url.Values{"limit": {"10"}, "cursor": {"a b&c"}}, q)

	// The root carries org and app exactly once.
	assert.Equal(t, f.URL()+"/org/app/users/x", c.url(&Request{Op: catalog.UsersGet, Params: []string{"x"}}))
}

func TestRequestBodies(t *testing.T) {
	f := newFakeServer(t)
	o := testOptions(f)
	o.Token = "static"
	c := newTestClient(t, o)

	require.NoError(t, c.Do(context.Background(), &Request{Op: catalog.UsersRegister, Body: map[string]string{"username": "u1"}}))
	require.NoError(t, c.Do(context.Background(), &Request{Op: catalog.UsersRegister, Form: url.Values{"k": {"v w"}}}))
	reqs := f.requests()
	require.Len(t, reqs, 2)
	assert.JSONEq(t, `{"username":"u1"}`, reqs[0].body)
	assert.Equal(t, "k=v+w", reqs[1].body)
}
