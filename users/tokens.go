package users

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/core"
	"github.com/emquota/easemob/option"
)

// UserToken is a token a user's client logs in with.
type UserToken struct {
	AccessToken string `json:"access_token"`
	// ExpiresIn is the lifetime from issue; 0 means it does not expire.
	ExpiresIn time.Duration `json:"-"`
	// User is the user it was issued for.
	User User `json:"user"`
}

// UnmarshalJSON reads expires_in, in seconds, loosely.
func (t *UserToken) UnmarshalJSON(b []byte) error {
	var raw struct {
		AccessToken string     `json:"access_token"`
		ExpiresIn   core.Int64 `json:"expires_in"`
		User        User       `json:"user"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	*t = UserToken{AccessToken: raw.AccessToken, ExpiresIn: time.Duration(raw.ExpiresIn) * time.Second, User: raw.User}
	return nil
}

// String prints the token without its secret.
func (t UserToken) String() string {
	return "users.UserToken{User: " + strconv.Quote(t.User.Username) + ", AccessToken: [redacted], ExpiresIn: " + t.ExpiresIn.String() + "}"
}

// GoString is String, so %#v does not print the token either.
func (t UserToken) GoString() string { return t.String() }

// LogValue logs the token without its secret: a JSON log handler would
// marshal the struct, access_token included.
func (t UserToken) LogValue() slog.Value {
	return slog.GroupValue(slog.String("user", t.User.Username), slog.String("access_token", "[redacted]"),
		slog.Duration("expires_in", t.ExpiresIn))
}

// NoExpiry asks for a token that does not expire (ttl 0 on the wire).
const NoExpiry time.Duration = -1

// ttlSeconds turns a token lifetime into the documented ttl: 0 leaves it
// out (the server's default), NoExpiry is 0, else whole seconds.
func ttlSeconds(op string, ttl time.Duration) (*int64, error) {
	switch {
	case ttl == 0:
		return nil, nil
	case ttl == NoExpiry:
		zero := int64(0)
		return &zero, nil
	case ttl < time.Second:
		return nil, core.Invalid(op, "ttl", "%v is less than a second", ttl)
	}
	n := int64(ttl / time.Second)
	return &n, nil
}

type tokenGrant struct {
	GrantType  string `json:"grant_type"`
	Username   string `json:"username"`
	Password   string `json:"password,omitempty"`
	AutoCreate *bool  `json:"autoCreateUser,omitempty"`
	TTL        *int64 `json:"ttl,omitempty"`
}

// Token gets a token for a user by ID and password (通过用户 ID 和密码获取用户
// token). ttl 0 takes the server's default lifetime, NoExpiry none; the
// server reads whole seconds. It sends no app token. The newest docs no
// longer list this grant; InheritToken is its replacement.
//
//meta:operation POST /token (auth.GetUserTokenPassword)
func (s *Service) Token(ctx context.Context, username, password string, ttl time.Duration, opts ...option.Call) (*UserToken, error) {
	op := catalog.AuthGetUserTokenPassword
	if err := checkNewUser(op.ID, NewUser{Username: username, Password: password}); err != nil {
		return nil, err
	}
	secs, err := ttlSeconds(op.ID, ttl)
	if err != nil {
		return nil, err
	}
	body := tokenGrant{GrantType: "password", Username: username, Password: password, TTL: secs}
	return s.token(ctx, &core.Request{Op: op, Body: body, NoAuth: true, Opts: option.Resolve(opts...)})
}

// InheritToken gets a token for a user by ID alone, with the app token
// (通过用户 ID 获取用户 token). autoCreate registers the user first when it
// does not exist. ttl is as for Token.
//
//meta:operation POST /token (auth.GetUserTokenInherit)
func (s *Service) InheritToken(ctx context.Context, username string, ttl time.Duration, autoCreate bool, opts ...option.Call) (*UserToken, error) {
	op := catalog.AuthGetUserTokenInherit
	if err := checkUsername(op.ID, "username", username); err != nil {
		return nil, err
	}
	secs, err := ttlSeconds(op.ID, ttl)
	if err != nil {
		return nil, err
	}
	body := tokenGrant{GrantType: "inherit", Username: username, AutoCreate: &autoCreate, TTL: secs}
	return s.token(ctx, &core.Request{Op: op, Body: body, Opts: option.Resolve(opts...)})
}

func (s *Service) token(ctx context.Context, r *core.Request) (*UserToken, error) {
	var out UserToken
	r.Result = &out
	if err := s.c.Do(ctx, r); err != nil {
		return nil, err
	}
	if out.AccessToken == "" {
		return nil, &core.DecodeError{Op: r.Op.ID, StatusCode: 200, Reason: "no access_token"}
	}
	return &out, nil
}

// AppToken is an app token and its lifetime.
type AppToken struct {
	AccessToken string
	// ExpiresIn is the lifetime from issue; 0 means it does not expire.
	ExpiresIn time.Duration
	// Application is the app's UUID.
	Application string
}

// String prints the token without its secret.
func (t AppToken) String() string {
	return "users.AppToken{AccessToken: [redacted], ExpiresIn: " + t.ExpiresIn.String() + "}"
}

// GoString is String, so %#v does not print the token either.
func (t AppToken) GoString() string { return t.String() }

// LogValue logs the token without its secret.
func (t AppToken) LogValue() slog.Value {
	return slog.GroupValue(slog.String("access_token", "[redacted]"), slog.Duration("expires_in", t.ExpiresIn),
		slog.String("application", t.Application))
}

// AppToken requests a new app token with the client's credentials (获取
// App Token), for a tool that needs one of its own; the client fetches and
// refreshes the token its own calls use by itself. ttl is as for Token. A
// client configured with a fixed Token has no credentials to send.
//
//meta:operation POST /token (auth.GetAppToken)
func (s *Service) AppToken(ctx context.Context, ttl time.Duration, opts ...option.Call) (*AppToken, error) {
	op := catalog.AuthGetAppToken
	secs, err := ttlSeconds(op.ID, ttl)
	if err != nil {
		return nil, err
	}
	r, ok := s.c.AppTokenRequest(secs)
	if !ok {
		return nil, core.Invalid(op.ID, "ClientSecret", "the client was configured with a fixed Token, not credentials")
	}
	var out struct {
		AccessToken string     `json:"access_token"`
		ExpiresIn   core.Int64 `json:"expires_in"`
		Application string     `json:"application"`
	}
	r.Result, r.Opts = &out, option.Resolve(opts...)
	if err := s.c.Do(ctx, r); err != nil {
		return nil, err
	}
	if out.AccessToken == "" {
		return nil, &core.DecodeError{Op: op.ID, StatusCode: 200, Reason: "no access_token"}
	}
	return &AppToken{AccessToken: out.AccessToken, ExpiresIn: time.Duration(out.ExpiresIn) * time.Second, Application: out.Application}, nil
}

// RegisterOpen creates one account without the app token (开放注册单个用户).
// It works only while the console's registration mode is open; otherwise
// the server answers 401.
//
//meta:operation POST /users (users.RegisterOpen)
func (s *Service) RegisterOpen(ctx context.Context, u NewUser, opts ...option.Call) (*User, error) {
	op := catalog.UsersRegisterOpen
	if err := checkNewUser(op.ID, u); err != nil {
		return nil, err
	}
	return core.Entity[User](ctx, s.c, &core.Request{Op: op, Body: u, NoAuth: true, Opts: option.Resolve(opts...)})
}

// DynamicTokenParams are what a dynamic user token is built from.
type DynamicTokenParams struct {
	// AppKey is "org#app"; ClientID and ClientSecret the app's credentials.
	AppKey, ClientID, ClientSecret string
	// Username is the user the token is for.
	Username string
	// TTL is the token's lifetime, at least a second; the docs advise a short one.
	TTL time.Duration
	// Now is the issue time; zero means time.Now().
	Now time.Time
}

// DynamicToken builds a dynamic user token (动态用户 Token) locally, as the
// user-token docs describe: the hex SHA-256 of clientId, appkey, userId,
// curTime and ttl (both in seconds) and clientSecret, put with those
// values in a JSON object, prefixed "dt-" and base64url encoded. A client
// logs in with it; no call is made. It embeds a signature made with the
// client secret: build it on your server only.
func DynamicToken(p DynamicTokenParams) (string, error) {
	const op = "users.DynamicToken"
	if org, app, ok := strings.Cut(p.AppKey, "#"); !ok || org == "" || app == "" {
		return "", core.Invalid(op, "AppKey", "%q is not org#app", p.AppKey)
	}
	if p.ClientID == "" || p.ClientSecret == "" {
		return "", core.Invalid(op, "ClientID", "the client ID and secret are both needed")
	}
	if err := checkUsername(op, "Username", p.Username); err != nil {
		return "", err
	}
	if p.TTL < time.Second {
		return "", core.Invalid(op, "TTL", "%v is less than a second", p.TTL)
	}
	now := p.Now
	if now.IsZero() {
		now = time.Now()
	}
	cur, ttl := now.Unix(), int64(p.TTL/time.Second)
	sum := sha256.Sum256([]byte(p.ClientID + p.AppKey + p.Username + strconv.FormatInt(cur, 10) + strconv.FormatInt(ttl, 10) + p.ClientSecret))
	// Fields in the docs' order.
	payload, err := json.Marshal(struct {
		Signature string `json:"signature"`
		AppKey    string `json:"appkey"`
		UserID    string `json:"userId"`
		CurTime   int64  `json:"curTime"`
		TTL       int64  `json:"ttl"`
	}{hex.EncodeToString(sum[:]), p.AppKey, p.Username, cur, ttl})
	if err != nil {
		return "", err
	}
	return base64.URLEncoding.EncodeToString(append([]byte("dt-"), payload...)), nil
}
