package easemobtest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Deleting users, one or a page, runs every module's cascade for each, with
// the world locked.
func TestUserDeletionCascades(t *testing.T) {
	saved := userCascade
	defer func() { userCascade = saved }()
	w := newWorld(0, defaultMessageConfig())
	var dropped []string
	userCascade = append(userCascade, func(w *world, name string) {
		assert.False(t, w.mu.TryLock(), "the cascade runs under the world's lock")
		dropped = append(dropped, name)
	})
	now := time.Unix(1_700_000_000, 0)
	w.locked(func() {
		_, _, aerr := w.users.create([]regEntry{{Username: "Ann"}, {Username: "bob"}, {Username: "cy"}}, now)
		require.Nil(t, aerr)
		tok := w.issueToken("ann", now, 0)
		_, ok := w.deleteUser("ANN")
		require.True(t, ok)
		assert.NotContains(t, w.tokens, tok, "the user's tokens went with it")
		w.deleteUserPage(0, 5)
	})
	assert.Equal(t, []string{"ann", "bob", "cy"}, dropped)
}
