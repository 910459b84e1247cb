package easemobtest

// groupsOps are the operations of groups, members, roles, block and allow lists, mutes, announcements, shared files and member attributes.
var groupsOps = ops{}

// chatGroupState is the world's state of groups, members, roles, block and allow lists, mutes, announcements, shared files and member attributes.
type chatGroupState struct{}
