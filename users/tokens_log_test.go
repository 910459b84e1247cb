package users_test

import (
	"bytes"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/emquota/easemob/users"
)

// A JSON log handler marshals what has no LogValue: the tokens' secret
// would be logged whole.
func TestTokensLogRedacted(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, nil))
	logger.Info("got", "user", users.UserToken{AccessToken: "YWMt-user-secret-token", User: users.User{Username: "alice"}},
		"app", &users.AppToken{AccessToken: "YWMt-app-secret-token"})
	assert.NotContains(t, buf.String(), "secret-token")
	assert.Contains(t, buf.String(), `"access_token":"[redacted]"`)
	assert.Contains(t, buf.String(), `"user":"alice"`)
}
