package easemobtest

import "sync"

// world is all the state of the emulated App Key under one lock, so an
// operation that touches several modules (deleting a user leaves its
// groups, contacts and tokens) is atomic. Built-in handlers run with mu
// held; nothing else may touch the fields without it.
type world struct {
	mu sync.Mutex

	users  userState
	tokens map[string]*token // issued access tokens

	// Room for the modules not emulated yet, so their state joins the same
	// lock and the user cascade when they are written.
	groups    chatGroupState // groups, members, admins, block and allow lists
	chatrooms chatroomState  // chatrooms and their members
	contacts  contactState   // friends and blocklists
	mutes     muteState      // global mutes
	messages  messageState   // stored messages and offline counts
	threads   threadState    // threads and their members
	presence  presenceState  // presence subscriptions
}

type (
	chatGroupState struct{}
	chatroomState  struct{}
	contactState   struct{}
	muteState      struct{}
	messageState   struct{}
	threadState    struct{}
	presenceState  struct{}
)

func newWorld(userLimit int) *world {
	return &world{
		users:  userState{byName: map[string]*user{}, limit: userLimit},
		tokens: map[string]*token{},
	}
}

// userCascade lists what every module drops when a user is deleted, each
// called with the lowercase name and mu held. A module with per-user state
// (group membership, contacts, mutes) adds its function here.
var userCascade = []func(w *world, username string){
	(*world).revokeTokens,
}

// removeUser deletes the user at index i of the creation order and
// everything of it in every module; mu must be held.
func (w *world) removeUser(i int) userEntity {
	u := w.users.removeAt(i)
	for _, drop := range userCascade {
		drop(w, u.Username)
	}
	return u
}

// locked runs fn with the world locked.
func (w *world) locked(fn func()) {
	w.mu.Lock()
	defer w.mu.Unlock()
	fn()
}
