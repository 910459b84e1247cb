package easemobtest

// chatroomsOps are the operations of chatrooms, members, roles, block and allow lists, mutes, announcements, attributes and user tags.
var chatroomsOps = ops{}

// chatroomState is the world's state of chatrooms, members, roles, block and allow lists, mutes, announcements, attributes and user tags.
type chatroomState struct{}
