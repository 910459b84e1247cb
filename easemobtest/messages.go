package easemobtest

// messagesOps are the operations of sends, broadcasts, streams, files, history, recall, modification, conversations, roaming, import, reactions, search and translation.
var messagesOps = ops{}

// messageState is the world's state of sends, broadcasts, streams, files, history, recall, modification, conversations, roaming, import, reactions, search and translation.
type messageState struct{}
