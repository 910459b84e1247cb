package users_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/easemobtest"
	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/wiretest"
	"github.com/emquota/easemob/users"
)

var tokenUserDrops = map[string]string{"user.type": `always "user"`}

var tokenWire = []wiretest.Case{
	{Name: "AppToken", Op: catalog.AuthGetAppToken,
		Call: func(ctx context.Context, c *easemob.Client) (any, error) { return c.Users.AppToken(ctx, 0) }},
	{Name: "Token", Op: catalog.AuthGetUserTokenPassword, Drops: tokenUserDrops,
		Call: func(ctx context.Context, c *easemob.Client) (any, error) { return c.Users.Token(ctx, "c", "123", 0) }},
	{Name: "InheritToken", Op: catalog.AuthGetUserTokenInherit, Drops: tokenUserDrops,
		Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Users.InheritToken(ctx, "test2333", 0, true)
		}},
	{Name: "RegisterOpen", Op: catalog.UsersRegisterOpen, Drops: userDrops,
		Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Users.RegisterOpen(ctx, users.NewUser{Username: "user1", Password: "123"})
		}},
}

func TestUserTokens(t *testing.T) {
	c, srv := newClient(t)
	ctx := context.Background()
	register(t, c, "alice")

	tok, err := c.Users.Token(ctx, "alice", "pw", time.Hour)
	require.NoError(t, err)
	assert.Equal(t, time.Hour, tok.ExpiresIn)
	assert.Equal(t, "alice", tok.User.Username)
	assert.NotContains(t, fmt.Sprint(tok), tok.AccessToken, "printing does not show the token")
	assert.NotContains(t, fmt.Sprintf("%#v", *tok), tok.AccessToken)

	_, err = c.Users.Token(ctx, "alice", "wrong", 0)
	assert.Equal(t, "invalid password", apiCode(t, err, 400, "invalid_grant"))
	forever, err := c.Users.Token(ctx, "alice", "pw", users.NoExpiry)
	require.NoError(t, err)
	assert.Zero(t, forever.ExpiresIn)
	def, err := c.Users.Token(ctx, "alice", "pw", 0)
	require.NoError(t, err)
	assert.Equal(t, easemobtest.DefaultTokenTTL, def.ExpiresIn, "0 takes the server's default")

	_, err = c.Users.InheritToken(ctx, "bob", 0, false)
	assert.Equal(t, "user not found", apiCode(t, err, 404, "invalid_grant"))
	bob, err := c.Users.InheritToken(ctx, "bob", 10*time.Minute, true)
	require.NoError(t, err)
	assert.Equal(t, 10*time.Minute, bob.ExpiresIn)
	_, err = c.Users.Get(ctx, "bob")
	assert.NoError(t, err, "autoCreate registered bob")

	// A user token is what the receiver-template call takes.
	_, err = c.Users.SetReceiverTemplate(ctx, "bob", bob.AccessToken, "default")
	assert.NoError(t, err)

	_, err = c.Users.Token(ctx, "alice", "pw", time.Millisecond)
	assert.ErrorIs(t, err, easemob.ErrInvalidArgument)
	_, err = c.Users.InheritToken(ctx, "a b", 0, true)
	assert.ErrorIs(t, err, easemob.ErrInvalidArgument)
	assert.Equal(t, 1+4+2, srv.TokenRequests(), "the app token, the password grants, the inherit grants")
}

// AppToken asks for a token of its own with the client's credentials; a
// client with a fixed token has none to send.
func TestAppToken(t *testing.T) {
	c, srv := newClient(t)
	ctx := context.Background()
	tok, err := c.Users.AppToken(ctx, 2*time.Hour)
	require.NoError(t, err)
	assert.Equal(t, 2*time.Hour, tok.ExpiresIn)
	assert.NotEmpty(t, tok.Application)
	assert.NotContains(t, fmt.Sprintf("%v %+v %#v", tok, tok, *tok), tok.AccessToken, "printing does not show the token")
	// The token works as an app token.
	fixed, err := easemob.New(easemob.Config{BaseURL: srv.URL, AppKey: srv.AppKey, Token: tok.AccessToken, Registry: easemob.NewRegistry()})
	require.NoError(t, err)
	defer fixed.Close()
	register(t, fixed, "carol")
	_, err = fixed.Users.AppToken(ctx, 0)
	assert.ErrorIs(t, err, easemob.ErrInvalidArgument, "no credentials to send")
	assert.Equal(t, 1, srv.TokenRequests(), "only AppToken's own request")
}

func TestRegisterOpenSendsNoToken(t *testing.T) {
	c, srv := newClient(t, easemobtest.WithOpenRegistration())
	ctx := context.Background()
	u, err := c.Users.RegisterOpen(ctx, users.NewUser{Username: "Self", Password: "pw", Nickname: "me"})
	require.NoError(t, err)
	assert.Equal(t, "self", u.Username)
	assert.Zero(t, srv.TokenRequests(), "no app token was fetched")
	_, err = c.Users.RegisterOpen(ctx, users.NewUser{Username: "self", Password: "pw"})
	apiCode(t, err, 400, "duplicate_unique_property_exists")

	closed, srv2 := newClient(t)
	_, err = closed.Users.RegisterOpen(ctx, users.NewUser{Username: "x", Password: "pw"})
	assert.Equal(t, "Open registration doesn't allow, so register user need token", apiCode(t, err, 401, "unauthorized"))
	assert.Zero(t, srv2.TokenRequests(), "a 401 without a token is not a token to refresh")
	assert.Equal(t, map[int]int{401: 1}, srv2.OpStats("users.RegisterOpen").Statuses, "nor a call to resend")
}

// The documented recipe, step by step: sha256 over the six fields, the
// JSON, the "dt-" prefix, base64url.
func TestDynamicToken(t *testing.T) {
	at := time.Unix(1686207557, 0)
	p := users.DynamicTokenParams{AppKey: "org#app", ClientID: "cid", ClientSecret: "secret", Username: "u1", TTL: 600 * time.Second, Now: at}
	tok, err := users.DynamicToken(p)
	require.NoError(t, err)
	raw, err := base64.URLEncoding.DecodeString(tok)
	require.NoError(t, err)
	body, ok := strings.CutPrefix(string(raw), "dt-")
	require.True(t, ok, "token type prefix")
	var got struct {
		Signature, AppKey, UserID string
		CurTime, TTL              int64
	}
	require.NoError(t, json.Unmarshal([]byte(body), &got))
	sum := sha256.Sum256([]byte("cid" + "org#app" + "u1" + "1686207557" + "600" + "secret"))
	assert.Equal(t, hex.EncodeToString(sum[:]), got.Signature)
	assert.Equal(t, "org#app", got.AppKey)
	assert.Equal(t, "u1", got.UserID)
	assert.Equal(t, [2]int64{1686207557, 600}, [2]int64{got.CurTime, got.TTL})
	assert.True(t, strings.HasPrefix(body, `{"signature":`), "fields in the docs' order")

	for name, bad := range map[string]func(*users.DynamicTokenParams){
		"app key": func(p *users.DynamicTokenParams) { p.AppKey = "orgapp" },
		"secret":  func(p *users.DynamicTokenParams) { p.ClientSecret = "" },
		"user":    func(p *users.DynamicTokenParams) { p.Username = "a b" },
		"ttl":     func(p *users.DynamicTokenParams) { p.TTL = 0 },
	} {
		q := p
		bad(&q)
		_, err := users.DynamicToken(q)
		assert.ErrorIs(t, err, easemob.ErrInvalidArgument, name)
	}
}
