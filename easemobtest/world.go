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

	// One field per module, its state type declared in the module's file.
	areas      userAreaState   // push settings, contacts, blocklists, attributes, mutes, favorites
	messages   messageState    // stored messages, files, conversations, reactions
	groups     chatGroupState  // groups, members, admins, block and allow lists, files
	chatrooms  chatroomState   // chatrooms, members, roles, attributes, tags
	presence   presenceState   // statuses and subscriptions
	threads    threadState     // threads and their members
	moderation moderationState // keyword lists
	callbacks  callbackState   // stored callback failures
}

func newWorld(userLimit int, mc messageConfig) *world {
	return &world{
		users:    userState{byName: map[string]*user{}, limit: userLimit},
		tokens:   map[string]*token{},
		messages: newMessageState(mc),
	}
}

// userCascade lists what every module drops when a user is deleted, each
// called with the lowercase name and mu held. A module with per-user state
// (group membership, contacts, mutes) adds its function here.
var userCascade = []func(w *world, username string){
	(*world).revokeTokens,
}

// groupCascade lists what modules drop when a group is dissolved (its
// threads, say), each called with the group id and mu held.
var groupCascade []func(w *world, groupID string)

// dissolveGroup runs every module's cascade for a deleted group; mu held.
func (w *world) dissolveGroup(id string) {
	for _, drop := range groupCascade {
		drop(w, id)
	}
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
