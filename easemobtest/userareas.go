package easemobtest

import (
	"net/http"

	"github.com/emquota/easemob/internal/catalog"
)

// userAreasOps are the operations of push settings and templates, contacts, blocklists, user attributes (metadata), global mutes and favorites (collections).
var userAreasOps = ops{
	catalog.PushSetNickname:         {check: checkPutUser, serve: putUser},
	catalog.PushSetDisplayStyle:     {check: checkPutUser, serve: putUser},
	catalog.PushSetNoDisturbLegacy:  {check: checkPutUser, serve: putUser},
	catalog.PushSetSettings:         {check: checkPushSettings, serve: setPushSettings},
	catalog.PushGetSettings:         {serve: getPushSettings},
	catalog.PushSetLanguage:         {serve: setPushLanguage},
	catalog.PushGetLanguage:         {serve: getPushLanguage},
	catalog.PushCreateTemplate:      {check: checkTemplate, serve: createTemplate},
	catalog.PushGetTemplate:         {serve: getTemplate},
	catalog.PushDeleteTemplate:      {serve: deleteTemplate},
	catalog.PushSetNicknameBatch:    {check: checkPushNicknames, serve: setPushNicknames},
	catalog.PushSetReceiverTemplate: {serve: setReceiverTemplate},
	catalog.PushBind:                {serve: bindPush},
	catalog.PushGetBindings:         {serve: getPushBindings},
	catalog.PushGetStatistics:       {check: checkPushStatistics, serve: getPushStatistics},

	catalog.ContactsAdd:       {serve: addContact},
	catalog.ContactsRemove:    {serve: removeContact},
	catalog.ContactsRemoveAll: {serve: removeAllContacts},
	catalog.ContactsListAll:   {serve: listAllContacts},
	catalog.ContactsListPaged: {check: checkContactsPage, serve: listContactsPage},
	catalog.ContactsSetRemark: {check: checkRemark, serve: setRemark},
	catalog.ContactsImport:    {check: checkContactImport, serve: importContacts},
	catalog.ContactsCheck:     {check: checkRelations, serve: checkContacts},
	catalog.BlocksList:        {check: checkBlocksPage, serve: listBlocks},
	catalog.BlocksAdd:         {serve: addBlocks},
	catalog.BlocksRemove:      {serve: removeBlock},
	catalog.BlocksCheck:       {check: checkRelations, serve: checkBlocks},

	catalog.MetadataSet:         {check: checkSetMetadata, serve: setMetadata},
	catalog.MetadataGet:         {serve: getMetadata},
	catalog.MetadataGetBatch:    {check: checkMetadataBatch, serve: getMetadataBatch},
	catalog.MetadataDelete:      {serve: deleteMetadata},
	catalog.MetadataGetCapacity: {serve: getMetadataCapacity},

	catalog.MutesSet:  {serve: setMute},
	catalog.MutesGet:  {serve: getMute},
	catalog.MutesList: {check: checkMutesPage, serve: listMutes},

	catalog.CollectionsList:      {check: checkFavoritesQuery, serve: listFavorites},
	catalog.CollectionsAdd:       {check: checkFavorite, serve: addFavorite},
	catalog.CollectionsAddBatch:  {check: checkFavoriteBatch, serve: addFavorites},
	catalog.CollectionsUpdateExt: {check: checkFavoriteExt, serve: updateFavoriteExt},
	catalog.CollectionsDelete:    {serve: deleteFavorites},
}

// userAreaState is the world's state of push settings and templates, contacts, blocklists, user attributes (metadata), global mutes and favorites (collections).
// Maps are made on first use: the world is built without them.
type userAreaState struct {
	push      pushState
	relations relationState
	metadata  metadataState
	mutes     muteState
	favorites favoriteState
}

// Everything a user has in these areas goes with the user. Friendships
// and blocks of others naming the user go too: the name may be
// registered again by someone else.
func init() {
	userCascade = append(userCascade, func(w *world, name string) {
		a := &w.areas
		a.push.drop(name)
		a.relations.drop(name)
		a.metadata.drop(name)
		delete(a.mutes.byUser, name)
		delete(a.favorites.byUser, name)
	})
}

// userExists reports whether name is registered; mu held.
func (q *request) userExists(name string) bool {
	_, ok := q.w.users.get(name)
	return ok
}

// tokenUser is the user whose token the request carries, "" for an app
// token (or none).
func (q *request) tokenUser() string {
	tok, ok := cutBearer(q.r.Header.Get("Authorization"))
	if !ok {
		return ""
	}
	if t := q.w.tokens[tok]; t != nil {
		return t.user
	}
	return ""
}

// errExceedLimit is the 403 of a per-user count cap.
func errExceedLimit(desc string) *apiError {
	return &apiError{http.StatusForbidden, "exceed_limit", "EasemobExceedLimitException", desc}
}

// made returns *m, made first when nil: the state's maps are made on use.
func made[K comparable, V any](m *map[K]V) map[K]V {
	if *m == nil {
		*m = map[K]V{}
	}
	return *m
}

// mapOf returns the inner map (*m)[k], each made when missing.
func mapOf[K comparable, V any](m *map[string]map[K]V, k string) map[K]V {
	inner := made(m)[k]
	if inner == nil {
		inner = map[K]V{}
		(*m)[k] = inner
	}
	return inner
}
