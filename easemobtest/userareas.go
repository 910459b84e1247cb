package easemobtest

// userAreasOps are the operations of push settings and templates, contacts, blocklists, user attributes (metadata), global mutes and favorites (collections).
var userAreasOps = ops{}

// userAreaState is the world's state of push settings and templates, contacts, blocklists, user attributes (metadata), global mutes and favorites (collections).
type userAreaState struct{}
