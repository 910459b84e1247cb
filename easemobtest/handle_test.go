package easemobtest_test

import (
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob/easemobtest"
)

func TestHandleReplacesOneOp(t *testing.T) {
	srv := easemobtest.NewServer(t)
	require.NoError(t, srv.AddUser("alice", "pw"))
	c := newClient(t, srv)

	var gotUser, gotBody string
	require.NoError(t, srv.Handle("users.ChangePassword", func(w http.ResponseWriter, r *http.Request) {
		gotUser = r.PathValue("username")
		b, _ := io.ReadAll(r.Body)
		gotBody = string(b)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusConflict)
		_, _ = io.WriteString(w, `{"error":"concurrent_operation_error","exception":"X","timestamp":1,"duration":0,"error_description":"busy"}`)
	}))

	status, body := c.call("PUT", "/users/Alice/password", map[string]any{"newpassword": "x"})
	assertError(t, status, body, http.StatusConflict, "concurrent_operation_error", "busy")
	assert.Equal(t, "Alice", gotUser)
	assert.JSONEq(t, `{"newpassword":"x"}`, gotBody)
	assert.Equal(t, 1, srv.Stats("users.change_password").Accepted, "the quota is charged first")

	gotUser = ""
	status, _ = c.send("PUT", "/users/alice/password", map[string]any{"newpassword": "x"}, "")
	assert.Equal(t, http.StatusUnauthorized, status, "auth comes before the handler")
	assert.Empty(t, gotUser)

	status, _ = c.call("GET", "/users/alice", nil)
	assert.Equal(t, http.StatusOK, status, "other ops keep their handlers")

	require.NoError(t, srv.Handle("users.ChangePassword", nil))
	status, body = c.call("PUT", "/users/alice/password", map[string]any{"newpassword": "x"})
	assert.Equal(t, http.StatusOK, status, body)
	assert.Equal(t, "set user password", body["action"], "nil restores the emulator's handler")

	assert.Error(t, srv.Handle("no.Such", func(http.ResponseWriter, *http.Request) {}))
}
