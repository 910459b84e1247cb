package easemobtest

// moderationOps are the operations of text moderation and keyword lists.
var moderationOps = ops{}

// moderationState is the world's state of text moderation and keyword lists.
type moderationState struct{}
