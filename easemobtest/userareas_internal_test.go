package easemobtest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// globallyMuted is what a send asks of mutes.Set's state: per kind, until
// the mute runs out, and for good with -1.
func TestGloballyMuted(t *testing.T) {
	w := newWorld(0, messageConfig{})
	now := time.Unix(1_700_000_000, 0)
	w.areas.mutes.byUser = map[string]map[string]globalMute{
		"ann": {"chat": {until: now.Add(time.Minute)}, "chatroom": {forever: true}},
	}
	w.locked(func() {
		assert.True(t, w.globallyMuted("ANN", "chat", now))
		assert.False(t, w.globallyMuted("ann", "chat", now.Add(time.Minute)), "the mute ran out")
		assert.False(t, w.globallyMuted("ann", "groupchat", now))
		assert.True(t, w.globallyMuted("ann", "chatroom", now.Add(1000*time.Hour)))
		assert.False(t, w.globallyMuted("bob", "chat", now))
	})
}
