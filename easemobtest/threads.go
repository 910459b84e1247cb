package easemobtest

// threadsOps are the operations of threads and their members.
var threadsOps = ops{}

// threadState is the world's state of threads and their members.
type threadState struct{}
