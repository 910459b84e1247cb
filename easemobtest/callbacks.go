package easemobtest

// callbacksOps are the operations of stored callback failures.
var callbacksOps = ops{}

// callbackState is the world's state of stored callback failures.
type callbackState struct{}
