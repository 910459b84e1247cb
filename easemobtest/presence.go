package easemobtest

// presenceOps are the operations of presence statuses and subscriptions.
var presenceOps = ops{}

// presenceState is the world's state of presence statuses and subscriptions.
type presenceState struct{}
