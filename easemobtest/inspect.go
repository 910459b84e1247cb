package easemobtest

// Usernames returns the registered users' names (lower-case, as stored)
// in creation order: what a test, or easemob emulate's /_emulator/users,
// reads of the state without spending quota.
func (e *Emulator) Usernames() []string {
	var out []string
	e.world.locked(func() {
		out = make([]string, len(e.world.users.order))
		for i, u := range e.world.users.order {
			out[i] = u.Username
		}
	})
	return out
}
