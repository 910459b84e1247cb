package easemobtest

// threadsOps are the operations of threads and their members.
var threadsOps = ops{}

// threadState is the world's state of threads and their members.
type threadState struct{}

// groupRoster, once the groups module sets it, returns a group's members
// (lowercase user IDs) and whether the group exists; mu is held. Until
// then the emulator knows no group: threads take any group id, and a
// group's online count is 0.
var groupRoster func(w *world, groupID string) (members []string, ok bool)
