package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"go.uber.org/goleak"

	"github.com/emquota/easemob/examples/internal/exampletest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestRunAgainstTheEmulator(t *testing.T) {
	out, emu := exampletest.Run(t, run)
	assert.Equal(t, `text to bob: done
custom message to bob and carol: 2 of 2 done
to the group: done, to the room: done
too large a message is refused before sending: invalid body
recalled the text to bob: true
recall of the groupchat message: done
recall of the chatroom message: done
recall of the chat message: failed (not_found msg)
carol has a chat conversation with example-messages-alice
after deleting it carol has 0 conversations
`, out)
	assert.Equal(t, 2, emu.OpStats("messages.SendToUsers").Received, "the message too large never left")
	assert.Empty(t, emu.Usernames())
}
