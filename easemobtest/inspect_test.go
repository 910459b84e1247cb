package easemobtest_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob/easemobtest"
)

func TestUsernamesInCreationOrder(t *testing.T) {
	e := easemobtest.New()
	require.NoError(t, e.AddUser("Bob", "pw"))
	require.NoError(t, e.AddUser("alice", "pw"))
	assert.Equal(t, []string{"bob", "alice"}, e.Usernames())
}
