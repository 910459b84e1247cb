package easemobtest

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/rules"
)

// groupsOps are the operations of groups, members, roles, block and allow
// lists, mutes, announcements, shared files and member attributes.
var groupsOps = ops{
	catalog.GroupsList:                       {check: checkGroupPage, serve: listGroups},
	catalog.GroupsListJoinedByUser:           {serve: listJoinedGroups},
	catalog.GroupsListJoinedByUserLegacy:     {serve: listJoinedGroupsLegacy},
	catalog.GroupsIsMember:                   {serve: isGroupMember},
	catalog.GroupsGet:                        {serve: getGroups},
	catalog.GroupsCreate:                     {check: checkCreateGroup, serve: createGroup},
	catalog.GroupsUpdate:                     {check: checkUpdateGroup, serve: updateGroup},
	catalog.GroupsTransferOwner:              {serve: transferGroup},
	catalog.GroupsDelete:                     {serve: deleteGroup},
	catalog.GroupsDisable:                    {serve: setGroupDisabled(true)},
	catalog.GroupsEnable:                     {serve: setGroupDisabled(false)},
	catalog.GroupsGetAnnouncement:            {serve: getAnnouncement},
	catalog.GroupsSetAnnouncement:            {check: checkAnnouncement, serve: setAnnouncement},
	catalog.GroupsListSharedFiles:            {serve: listSharedFiles},
	catalog.GroupsUploadSharedFile:           {check: checkUpload, serve: uploadSharedFile},
	catalog.GroupsDownloadSharedFile:         {serve: downloadSharedFile},
	catalog.GroupsDeleteSharedFile:           {serve: deleteSharedFile},
	catalog.GroupsListMembers:                {serve: listGroupMembers},
	catalog.GroupsAddMember:                  {serve: addGroupMember},
	catalog.GroupsAddMembers:                 {check: checkNames(errExceed(descGroupFull)), serve: addGroupMembers},
	catalog.GroupsRemoveMember:               {serve: removeGroupMember},
	catalog.GroupsRemoveMembers:              {serve: perNameOp("remove_member", removeOne)},
	catalog.GroupsSetMemberAttributes:        {check: checkMemberAttributes, serve: setMemberAttributes},
	catalog.GroupsSetMemberAttributesBatch:   {check: checkMemberAttributesBatch, serve: setMemberAttributesBatch},
	catalog.GroupsGetMemberAttributes:        {serve: getMemberAttributes},
	catalog.GroupsGetMembersAttributesByKeys: {check: checkAttributeTargets, serve: getMembersAttributes},
	catalog.GroupsListAdmins:                 {serve: listRoster(func(g *chatGroup) *roster { return &g.admins })},
	catalog.GroupsAddAdmin:                   {serve: addGroupAdmin},
	catalog.GroupsRemoveAdmin:                {serve: removeGroupAdmin},
	catalog.GroupsListBlocked:                {serve: listRoster(func(g *chatGroup) *roster { return &g.blocked })},
	catalog.GroupsBlockMember:                {serve: singleName("add_blocks", blockOne)},
	catalog.GroupsBlockMembers:               {check: checkNames(errInvalidParameter("userNames is more than max limit : 60")), serve: perNameOp("add_blocks", blockOne)},
	catalog.GroupsUnblockMember:              {serve: singleName("remove_blocks", unblockOne)},
	catalog.GroupsUnblockMembers:             {serve: perNameOp("remove_blocks", unblockOne)},
	catalog.GroupsListAllowlist:              {serve: listRoster(func(g *chatGroup) *roster { return &g.allowed })},
	catalog.GroupsAllowMember:                {serve: singleName("add_user_whitelist", allowOne)},
	catalog.GroupsAllowMembers:               {check: checkNames(errInvalidParameter("usernames size is more than max limit : 60")), serve: perNameOp("add_user_whitelist", allowOne)},
	catalog.GroupsDisallowMembers:            {serve: perNameOp("remove_user_whitelist", disallowOne)},
	catalog.GroupsListMuted:                  {serve: listMuted},
	catalog.GroupsMuteMembers:                {check: checkMute, serve: muteMembers},
	catalog.GroupsMuteAll:                    {serve: setAllMuted(true)},
	catalog.GroupsUnmuteMembers:              {serve: unmuteMembers},
	catalog.GroupsUnmuteAll:                  {serve: setAllMuted(false)},
}

// Documented limits of groups.
var (
	maxGroupPage     = catalog.GroupsList.MaxItems("limit")
	maxJoinedPage    = catalog.GroupsListJoinedByUser.MaxItems("pagesize")
	maxJoinedPageOld = catalog.GroupsListJoinedByUserLegacy.MaxItems("pagesize")
	maxMembersPage   = catalog.GroupsListMembers.MaxItems("pagesize")
	maxFilesPage     = catalog.GroupsListSharedFiles.MaxItems("pagesize")
	maxGroupNames    = catalog.GroupsAddMembers.MaxItems("usernames")
	maxAttrBatch     = catalog.GroupsSetMemberAttributesBatch.MaxItems("$")
	maxAttrTargets   = catalog.GroupsGetMembersAttributesByKeys.MaxItems("targets")
)

const (
	defaultGroupMaxUsers = 200
	maxGroupAdmins       = 99
	maxGroupDetailMember = 10000
	// Text limits in characters; custom in bytes (8 KB, the create page).
	maxGroupName         = 128
	maxGroupDescription  = 512
	maxGroupAvatar       = 1024
	maxGroupCustom       = 8 << 10
	maxGroupAnnouncement = 512
	maxCustomGroupID     = 64
	// Shared files: 10 MB each, 10 000 a group.
	maxSharedFileBytes = 10 << 20
	maxSharedFiles     = 10000
	// Member attributes, in bytes.
	maxMemberAttrKey   = 16
	maxMemberAttrValue = 512
	maxMemberAttrTotal = 4 << 10
	// Page defaults.
	defaultJoinedPage    = 5
	defaultJoinedPageOld = 10
	defaultMembersPage   = 1000
	// newestJoinedOld is what the legacy list answers without paging.
	newestJoinedOld = 500
)

// Error texts of the group pages.
const (
	descGroupFull  = "members size is greater than max user size !"
	descOnOwner    = "forbidden operation on group owner!"
	exceptionGroup = "EasemobForbiddenOpException"
)

func errGroupNotFound(id string) *apiError {
	return &apiError{http.StatusNotFound, "resource_not_found", "ResourceNotFoundException", "grpID " + id + " does not exist!"}
}

func errGroupUserNotFound(name string) *apiError {
	return &apiError{http.StatusNotFound, "resource_not_found", "ResourceNotFoundException", "username " + name + " doesn't exist!"}
}

func errForbiddenOp(desc string) *apiError {
	return &apiError{http.StatusForbidden, "forbidden_op", exceptionGroup, desc}
}

func errExceed(desc string) *apiError {
	return &apiError{http.StatusForbidden, "exceed_limit", "EasemobExceedLimitException", desc}
}

func errInvalidParameter(desc string) *apiError {
	return &apiError{http.StatusBadRequest, "invalid_parameter", "InvalidParameterException", desc}
}

func errNotMembers(names []string) *apiError {
	return errForbiddenOp("users [" + strings.Join(names, ", ") + "] are not members of this group!")
}

// notInGroup is the per-user reason of a batch call on a non-member.
func notInGroup(user, id string) string { return "user: " + user + " doesn't exist in group: " + id }

// group finds the group of the path, or answers the documented 404.
func (q *request) group() (*chatGroup, *apiError) {
	id := q.param("group_id")
	if g := q.w.groups.get(id); g != nil {
		return g, nil
	}
	return nil, errGroupNotFound(id)
}

// groupAnswer is the envelope of a group op with data: the frame fields
// its documented example shows (action, application, uri, entities,
// properties...), and no other.
func (q *request) groupAnswer(data any) *envelope {
	env := q.envelope(strings.ToLower(q.r.Method)).withURI(q).withApp(q)
	env.Entities, env.Data, env.Properties = []any{}, data, map[string]any{}
	shown := exampleFields(q.op)
	for name, field := range map[string]func(){
		"application":     func() { env.Application = "" },
		"organization":    func() { env.Organization = "" },
		"applicationName": func() { env.ApplicationName = "" },
		"uri":             func() { env.URI = "" },
		"entities":        func() { env.Entities = nil },
		"properties":      func() { env.Properties = nil },
	} {
		if !shown[name] {
			field()
		}
	}
	return env
}

// exampleKeys caches the top-level fields of each op's documented example.
var exampleKeys sync.Map // *catalog.Op -> map[string]bool

func exampleFields(op *catalog.Op) map[string]bool {
	if v, ok := exampleKeys.Load(op); ok {
		return v.(map[string]bool)
	}
	var ex map[string]json.RawMessage
	_ = json.Unmarshal([]byte(op.Example), &ex)
	fields := make(map[string]bool, len(ex))
	for k := range ex {
		fields[k] = true
	}
	exampleKeys.Store(op, fields)
	return fields
}

// intQuery reads an integer query parameter; def when absent or not a
// number (the server falls back to its default).
func (q *request) intQuery(name string, def int) int {
	n, err := strconv.Atoi(q.r.URL.Query().Get(name))
	if err != nil {
		return def
	}
	return n
}

// pageSize reads pagesize (or limit): def when absent, capped at max.
func (q *request) pageSize(name string, def, limit int) int {
	n := q.intQuery(name, def)
	if n < 1 {
		n = def
	}
	return min(n, limit)
}

// pageOf returns page num (numbered from first) of size items of all.
func pageOf[T any](all []T, num, first, size int) []T {
	start, end := pageBounds(len(all), num, first, size)
	return append([]T{}, all[start:end]...)
}

// pageBounds returns the index range of page num (numbered from first) of
// size items out of n; empty past the end.
func pageBounds(n, num, first, size int) (start, end int) {
	start = (num - first) * size
	if num < first || start >= n {
		return 0, 0
	}
	return start, min(start+size, n)
}

func textTooLong(field, v string, limit int) *apiError {
	if utf8.RuneCountInString(v) > limit {
		return errInvalidParameter(field + " length is too big")
	}
	return nil
}

func validUser(name string) bool { return rules.Username(name) == nil }
