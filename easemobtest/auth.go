package easemobtest

import (
	"crypto/rand"
	"encoding/base64"
	"strconv"
	"strings"
	"time"

	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/rules"
)

// authOps are the token operations.
var authOps = ops{
	catalog.AuthGetAppToken:          {check: checkAppToken, checked: ttl, serve: getAppToken},
	catalog.AuthGetUserTokenPassword: {checked: ttl, serve: getUserTokenPassword},
	catalog.AuthGetUserTokenInherit:  {check: checkInherit, checked: ttl, serve: getUserTokenInherit},
}

// ttl is documented as an integer, but the docs' own examples send it as a
// numeric string too, and the server takes both (see flexInt).
var ttl = []string{"ttl"}

// token is an issued access token; user is "" for an app token.
type token struct {
	user    string
	expires time.Time // zero: never
	expired bool      // set by ExpireTokens
}

// issueToken returns a new token; ttl 0 means it never expires.
func (w *world) issueToken(user string, now time.Time, ttl time.Duration) string {
	b := make([]byte, 48)
	_, _ = rand.Read(b)
	// Real tokens are opaque base64 strings starting "YWMt".
	tok := "YWMt" + base64.RawURLEncoding.EncodeToString(b)
	t := &token{user: user}
	if ttl > 0 {
		t.expires = now.Add(ttl)
	}
	w.tokens[tok] = t
	return tok
}

// checkToken validates a bearer token for an op taking the given auth.
func (w *world) checkToken(tok string, kind catalog.Auth, now time.Time) *apiError {
	t, ok := w.tokens[tok]
	switch {
	case !ok:
		return errUnauthorized(descOAuth)
	case t.expired || (!t.expires.IsZero() && !now.Before(t.expires)):
		return errUnauthorized(descExpiredToken)
	case kind == catalog.AuthApp && t.user != "", kind == catalog.AuthUser && t.user == "":
		// The docs' answer to a user token where an app token is needed.
		return errBadToken()
	}
	return nil
}

func (w *world) expireTokens() {
	for _, t := range w.tokens {
		t.expired = true
	}
}

// revokeTokens drops the user's tokens (password change and deletion
// invalidate them).
func (w *world) revokeTokens(user string) {
	for k, t := range w.tokens {
		if t.user == user {
			delete(w.tokens, k)
		}
	}
}

// authenticate applies the op's auth to the request.
func (e *Emulator) authenticate(q *request) *apiError {
	kind := q.op.Auth
	if kind == catalog.AuthNone {
		if q.op == catalog.UsersRegisterOpen && !e.cfg.openRegistration {
			return errUnauthorized(descClosedRegister)
		}
		return nil
	}
	h := q.r.Header.Get("Authorization")
	if h == "" {
		// The docs give the expired-token text for a missing token too.
		return errUnauthorized(descExpiredToken)
	}
	tok, ok := cutBearer(h)
	if !ok {
		return errUnauthorized(descOAuth)
	}
	var aerr *apiError
	e.world.locked(func() { aerr = e.world.checkToken(tok, kind, q.now) })
	return aerr
}

// cutBearer returns the token of an Authorization header "Bearer <token>".
func cutBearer(h string) (string, bool) {
	tok, ok := strings.CutPrefix(h, "Bearer ")
	return strings.TrimSpace(tok), ok
}

// flexInt decodes a JSON number or a numeric string: the docs send ttl both ways.
type flexInt struct {
	set bool
	n   int64
}

func (f *flexInt) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if s == "" || s == "null" {
		return nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return err
	}
	f.set, f.n = true, n
	return nil
}

type tokenRequest struct {
	GrantType      string  `json:"grant_type"`
	ClientID       string  `json:"client_id"`
	ClientSecret   string  `json:"client_secret"`
	Username       string  `json:"username"`
	Password       string  `json:"password"`
	AutoCreateUser *bool   `json:"autoCreateUser"`
	TTL            flexInt `json:"ttl"`
}

type appTokenResponse struct {
	AccessToken string `json:"access_token"`
	ExpiresIn   int64  `json:"expires_in"`
	Application string `json:"application"`
}

type userTokenResponse struct {
	AccessToken string     `json:"access_token"`
	ExpiresIn   int64      `json:"expires_in"`
	User        userEntity `json:"user"`
}

// ttl returns the lifetime asked for, or the configured default.
func (e *Emulator) ttl(req *tokenRequest) time.Duration {
	if req.TTL.set && req.TTL.n >= 0 {
		return time.Duration(req.TTL.n) * time.Second
	}
	return e.cfg.tokenTTL
}

// checkAppToken is also what an unknown grant_type meets: POST /token
// falls back to the app-token op.
func checkAppToken(q *request) *apiError {
	req, aerr := decodeBody[tokenRequest](q)
	switch {
	case aerr != nil:
		return aerr
	case req.GrantType == "":
		return errIllegalArgument("grant_type must be provided.")
	case req.GrantType != "client_credentials":
		return &apiError{400, "unsupported_grant_type", "UnsupportedGrantTypeException",
			"unsupported grant type: " + req.GrantType}
	case req.ClientID == "":
		return errIllegalArgument("client_id must be provided.")
	case req.ClientSecret == "":
		return errIllegalArgument("client_secret must be provided")
	}
	return nil
}

func getAppToken(q *request) (any, *apiError) {
	req, _ := decodeBody[tokenRequest](q)
	e := q.e
	switch {
	case req.ClientID != e.cfg.clientID:
		return nil, errInvalidGrant(400, "client_id does not match")
	case req.ClientSecret != e.cfg.clientSecret:
		return nil, errInvalidGrant(400, "client_secret does not match")
	}
	ttl := e.ttl(req)
	return appTokenResponse{
		AccessToken: q.w.issueToken("", q.now, ttl),
		ExpiresIn:   int64(ttl / time.Second),
		Application: e.appUUID,
	}, nil
}

// getUserTokenPassword serves the legacy password grant.
func getUserTokenPassword(q *request) (any, *apiError) {
	req, aerr := decodeBody[tokenRequest](q)
	if aerr != nil {
		return nil, aerr
	}
	u, ok := q.w.users.get(req.Username)
	switch {
	case !ok:
		return nil, errInvalidGrant(404, "user not found")
	case !q.w.users.passwordMatches(req.Username, req.Password):
		return nil, errInvalidGrant(400, "invalid password")
	case !u.Activated:
		return nil, errInvalidGrant(400, "user not activated")
	}
	return q.userToken(req, u), nil
}

func checkInherit(q *request) *apiError {
	req, aerr := decodeBody[tokenRequest](q)
	if aerr == nil && req.AutoCreateUser == nil {
		aerr = errIllegalArgument("autoCreateUser must be provided.")
	}
	return aerr
}

// getUserTokenInherit serves the inherit grant (app token required),
// creating the user first when autoCreateUser asks for it.
func getUserTokenInherit(q *request) (any, *apiError) {
	req, _ := decodeBody[tokenRequest](q)
	u, ok := q.w.users.get(req.Username)
	if !ok && *req.AutoCreateUser {
		if rules.Username(req.Username) != nil {
			return nil, errIllegalArgument("username [" + req.Username + "] is not legal")
		}
		created, _, aerr := q.w.users.create([]regEntry{{Username: req.Username}}, q.now)
		if aerr != nil {
			return nil, aerr
		}
		u, ok = created[0], true
	}
	switch {
	case !ok:
		return nil, errInvalidGrant(404, "user not found")
	case !u.Activated:
		return nil, errInvalidGrant(400, "user not activated")
	}
	return q.userToken(req, u), nil
}

func (q *request) userToken(req *tokenRequest, u userEntity) userTokenResponse {
	ttl := q.e.ttl(req)
	return userTokenResponse{
		AccessToken: q.w.issueToken(u.Username, q.now, ttl),
		ExpiresIn:   int64(ttl / time.Second),
		User:        u.withoutExtras(),
	}
}

func errInvalidGrant(status int, desc string) *apiError {
	return &apiError{status, "invalid_grant", "InvalidGrantException", desc}
}
