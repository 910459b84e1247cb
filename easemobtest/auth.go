package easemobtest

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"strconv"
	"strings"
	"sync"
	"time"
)

// authKind is who may call an op. Ops not listed in opAuth need the app token.
type authKind uint8

const (
	authApp authKind = iota
	authNone
	authUser
	authAppOrUser
)

// opAuth transcribes the "auth" field of endpoints.json for the ops that do
// not take the app token.
var opAuth = map[string]authKind{
	"auth.GetAppToken":          authNone,
	"auth.GetUserTokenPassword": authNone,
	"users.RegisterOpen":        authNone,
	"push.SetReceiverTemplate":  authUser,
	"push.SetSettings":          authAppOrUser,
	"push.GetSettings":          authAppOrUser,
	"metadata.Set":              authAppOrUser,
	"metadata.Get":              authAppOrUser,
	"metadata.Delete":           authAppOrUser,
	"files.Download":            authAppOrUser,
	"files.DownloadThumbnail":   authAppOrUser,
}

// token is an issued access token; user is "" for an app token.
type token struct {
	user    string
	expires time.Time // zero: never
	expired bool      // set by ExpireTokens
}

type tokenStore struct {
	mu sync.Mutex
	m  map[string]*token
}

func newTokenStore() *tokenStore { return &tokenStore{m: map[string]*token{}} }

// issue returns a new token; ttl 0 means it never expires.
func (s *tokenStore) issue(user string, now time.Time, ttl time.Duration) string {
	b := make([]byte, 48)
	_, _ = rand.Read(b)
	// Real tokens are opaque base64 strings starting "YWMt".
	tok := "YWMt" + base64.RawURLEncoding.EncodeToString(b)
	t := &token{user: user}
	if ttl > 0 {
		t.expires = now.Add(ttl)
	}
	s.mu.Lock()
	s.m[tok] = t
	s.mu.Unlock()
	return tok
}

// check validates a bearer token for an op of the given kind.
func (s *tokenStore) check(tok string, kind authKind, now time.Time) *apiError {
	s.mu.Lock()
	t, ok := s.m[tok]
	var tc token
	if ok {
		tc = *t
	}
	s.mu.Unlock()
	switch {
	case !ok:
		return errUnauthorized(descOAuth)
	case tc.expired || (!tc.expires.IsZero() && !now.Before(tc.expires)):
		return errUnauthorized(descExpiredToken)
	case kind == authApp && tc.user != "", kind == authUser && tc.user == "":
		// The docs' answer to a user token where an app token is needed.
		return errBadToken()
	}
	return nil
}

func (s *tokenStore) expireAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range s.m {
		t.expired = true
	}
}

// revokeUser drops the user's tokens (password change invalidates them).
func (s *tokenStore) revokeUser(user string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, t := range s.m {
		if t.user == user {
			delete(s.m, k)
		}
	}
}

// authenticate applies the op's auth rule to the request.
func (e *Emulator) authenticate(q *request) *apiError {
	kind := opAuth[q.op.ID]
	if kind == authNone {
		if q.op.ID == "users.RegisterOpen" && !e.cfg.openRegistration {
			return errUnauthorized(descClosedRegister)
		}
		return nil
	}
	h := q.r.Header.Get("Authorization")
	if h == "" {
		// The docs give the expired-token text for a missing token too.
		return errUnauthorized(descExpiredToken)
	}
	tok, ok := strings.CutPrefix(h, "Bearer ")
	if !ok {
		return errUnauthorized(descOAuth)
	}
	return e.tokens.check(strings.TrimSpace(tok), kind, q.now)
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

func decodeTokenRequest(q *request) (*tokenRequest, *apiError) {
	var req tokenRequest
	if err := json.Unmarshal(q.body, &req); err != nil {
		return nil, errJSONParse()
	}
	return &req, nil
}

// getAppToken serves POST /token; it is also the route's default, so it
// answers an unknown grant_type.
func getAppToken(q *request) (any, *apiError) {
	req, aerr := decodeTokenRequest(q)
	if aerr != nil {
		return nil, aerr
	}
	e := q.e
	switch {
	case req.GrantType == "":
		return nil, errIllegalArgument("grant_type must be provided.")
	case req.GrantType != "client_credentials":
		return nil, &apiError{400, "unsupported_grant_type", "UnsupportedGrantTypeException",
			"unsupported grant type: " + req.GrantType}
	case req.ClientID == "":
		return nil, errIllegalArgument("client_id must be provided.")
	case req.ClientSecret == "":
		return nil, errIllegalArgument("client_secret must be provided")
	case req.ClientID != e.cfg.clientID:
		return nil, errInvalidGrant(400, "client_id does not match")
	case req.ClientSecret != e.cfg.clientSecret:
		return nil, errInvalidGrant(400, "client_secret does not match")
	}
	ttl := e.ttl(req)
	return appTokenResponse{
		AccessToken: e.tokens.issue("", q.now, ttl),
		ExpiresIn:   int64(ttl / time.Second),
		Application: e.appUUID,
	}, nil
}

// getUserTokenPassword serves the legacy password grant.
func getUserTokenPassword(q *request) (any, *apiError) {
	req, aerr := decodeTokenRequest(q)
	if aerr != nil {
		return nil, aerr
	}
	u, ok := q.e.users.get(req.Username)
	switch {
	case !ok:
		return nil, errInvalidGrant(404, "user not found")
	case !q.e.users.passwordMatches(req.Username, req.Password):
		return nil, errInvalidGrant(400, "invalid password")
	case !u.Activated:
		return nil, errInvalidGrant(400, "user not activated")
	}
	return q.e.userToken(req, u, q.now), nil
}

// getUserTokenInherit serves the inherit grant (app token required),
// creating the user first when autoCreateUser asks for it.
func getUserTokenInherit(q *request) (any, *apiError) {
	req, aerr := decodeTokenRequest(q)
	if aerr != nil {
		return nil, aerr
	}
	if req.AutoCreateUser == nil {
		return nil, errIllegalArgument("autoCreateUser must be provided.")
	}
	u, ok := q.e.users.get(req.Username)
	if !ok && *req.AutoCreateUser {
		if !validUsername(req.Username) {
			return nil, errIllegalArgument("username [" + req.Username + "] is not legal")
		}
		created, _, aerr := q.e.users.create([]regEntry{{Username: req.Username}}, q.now)
		if aerr != nil {
			return nil, aerr
		}
		if len(created) == 1 {
			u, ok = created[0], true
		} else {
			u, ok = q.e.users.get(req.Username) // created concurrently
		}
	}
	switch {
	case !ok:
		return nil, errInvalidGrant(404, "user not found")
	case !u.Activated:
		return nil, errInvalidGrant(400, "user not activated")
	}
	return q.e.userToken(req, u, q.now), nil
}

func (e *Emulator) userToken(req *tokenRequest, u userEntity, now time.Time) userTokenResponse {
	ttl := e.ttl(req)
	return userTokenResponse{
		AccessToken: e.tokens.issue(u.Username, now, ttl),
		ExpiresIn:   int64(ttl / time.Second),
		User:        u.withoutExtras(),
	}
}

func errInvalidGrant(status int, desc string) *apiError {
	return &apiError{status, "invalid_grant", "InvalidGrantException", desc}
}
