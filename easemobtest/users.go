package easemobtest

import (
	"bytes"
	"encoding/json"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/rules"
)

// usersOps are the user-account operations.
var usersOps = ops{
	catalog.UsersRegisterOpen:        {check: checkRegister, serve: registerUsers},
	catalog.UsersRegister:            {check: checkRegister, serve: registerUsers},
	catalog.UsersRegisterBatch:       {check: checkRegister, serve: registerUsers},
	catalog.UsersGet:                 {serve: getUser},
	catalog.UsersList:                {check: checkPage, serve: listUsers},
	catalog.UsersDelete:              {serve: deleteUser},
	catalog.UsersDeleteBatch:         {check: checkPage, serve: deleteUsers},
	catalog.UsersChangePassword:      {check: checkChangePassword, serve: changePassword},
	catalog.UsersGetStatus:           {serve: getStatus},
	catalog.UsersGetStatusBatch:      {check: checkStatusBatch, serve: getStatusBatch},
	catalog.UsersGetOfflineMsgCount:  {serve: getOfflineMsgCount},
	catalog.UsersGetOfflineMsgStatus: {serve: getOfflineMsgStatus},
	catalog.UsersDeactivate:          {serve: deactivateUser},
	catalog.UsersActivate:            {serve: activateUser},
	catalog.UsersDisconnect:          {serve: disconnectUser},
	catalog.UsersDisconnectDevice:    {serve: disconnectDevice},
	catalog.UsersListResources:       {serve: listResources},
}

// Documented per-call caps of the user APIs.
var (
	maxRegisterBatch = catalog.UsersRegisterBatch.MaxItems("$")
	maxStatusBatch   = catalog.UsersGetStatusBatch.MaxItems("usernames")
	maxPageLimit     = catalog.UsersList.MaxItems("limit")
)

// defaultPageLimit is the page size of a list without limit.
const defaultPageLimit = 10

type regEntry struct {
	Username string `json:"username"`
	Password string `json:"password"`
	Nickname string `json:"nickname"`
}

// regFailure is one entry of a batch registration's data[].
type regFailure struct {
	Username string `json:"username"`
	Reason   string `json:"registerUserFailReason"`
}

func validateEntry(en regEntry) *apiError {
	switch {
	case en.Username == "":
		return errIllegalArgument("username must be provided")
	case rules.Username(en.Username) != nil:
		return errIllegalArgument("username " + en.Username + " is not legal")
	case en.Password == "":
		return errIllegalArgument("password or pin must provided")
	case utf8.RuneCountInString(en.Password) > rules.MaxPasswordChars:
		return errIllegalArgument("PASSWORD_TOO_LONG")
	case utf8.RuneCountInString(en.Nickname) > rules.MaxNicknameChars:
		return errIllegalArgument("NICKNAME_TOO_LONG")
	}
	return nil
}

// checkRegistration applies the stateless rules of registration.
func checkRegistration(entries []regEntry, batch bool) *apiError {
	if batch && len(entries) == 0 {
		return errIllegalArgument("Request body array is empty")
	}
	if len(entries) > maxRegisterBatch {
		return errIllegalArgument("Request body array size[" + strconv.Itoa(len(entries)) +
			"] had almost reached or been greater than the upper range value[" + strconv.Itoa(maxRegisterBatch) + "]")
	}
	return checkEntries(entries)
}

// checkEntries applies the per-user rules, and refuses one name given
// twice with different passwords.
func checkEntries(entries []regEntry) *apiError {
	passwords := map[string]string{}
	for _, en := range entries {
		if aerr := validateEntry(en); aerr != nil {
			return aerr
		}
		name := fold(en.Username)
		if p, dup := passwords[name]; dup && p != en.Password {
			return &apiError{400, "duplicate_unique_property_exists", "DuplicateUniquePropertyExistsException",
				"the same user " + name + " has a different password, the passwords are " + p + ", " + en.Password}
		}
		passwords[name] = en.Password
	}
	return nil
}

// register creates checked entries. A single registration of an existing
// name fails; a batch reports it in failures (partial success).
func (w *world) register(entries []regEntry, batch bool, now time.Time, appUUID string) ([]userEntity, []regFailure, *apiError) {
	created, failed, aerr := w.users.create(entries, now)
	if aerr != nil {
		return nil, nil, aerr
	}
	if !batch && len(failed) > 0 {
		return nil, nil, &apiError{400, "duplicate_unique_property_exists", "DuplicateUniquePropertyExistsException",
			"Application " + appUUID + " Entity user requires that property named username be unique, value of " +
				failed[0].Username + " exists"}
	}
	return created, failed, nil
}

// registration is the body of POST /users: an object registers one user,
// an array is a batch (users.RegisterBatch) with partial success.
type registration struct {
	entries []regEntry
	batch   bool
}

func (r *registration) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	r.batch = len(b) > 0 && b[0] == '['
	if r.batch {
		return json.Unmarshal(b, &r.entries)
	}
	r.entries = make([]regEntry, 1)
	return json.Unmarshal(b, &r.entries[0])
}

func checkRegister(q *request) *apiError {
	reg, aerr := decodeBody[registration](q)
	if aerr != nil {
		return aerr
	}
	return checkRegistration(reg.entries, reg.batch)
}

func registerUsers(q *request) (any, *apiError) {
	reg, _ := decodeBody[registration](q)
	created, failed, aerr := q.w.register(reg.entries, reg.batch, q.now, q.e.appUUID)
	if aerr != nil {
		return nil, aerr
	}
	env := q.envelope("post").withURI(q).withApp(q)
	env.Path, env.Entities = "/users", created
	if reg.batch {
		env.Data = append([]regFailure{}, failed...)
	}
	return env, nil
}

// page is the query of GET and DELETE /users.
type page struct {
	limit int
	after uint64
}

// pageQuery reads limit and cursor of GET and DELETE /users.
func pageQuery(q *request) (page, *apiError) { return cursorPage(q, defaultPageLimit, maxPageLimit) }

func checkPage(q *request) *apiError {
	_, aerr := pageQuery(q)
	return aerr
}

// pageEnvelope fills the paging fields shared by List and DeleteBatch.
func (q *request) pageEnvelope(action string, users []userEntity, next uint64) *envelope {
	env := q.envelope(action).withURI(q)
	env.Path, env.Entities = "/users", users
	if query := q.r.URL.Query(); len(query) > 0 {
		env.Params = query
	}
	if next != 0 {
		env.Cursor = encodeCursor(next)
	}
	return env
}

func listUsers(q *request) (any, *apiError) {
	p, _ := pageQuery(q)
	users, next := q.w.users.page(p.after, p.limit)
	return q.pageEnvelope("get", users, next).withCount(len(users)), nil
}

func deleteUsers(q *request) (any, *apiError) {
	p, _ := pageQuery(q)
	users, next := q.w.deleteUserPage(p.after, p.limit)
	return q.pageEnvelope("delete", users, next).withApp(q), nil
}

func getUser(q *request) (any, *apiError) {
	u, ok := q.w.users.get(q.param("username"))
	if !ok {
		return nil, errUserNotFound()
	}
	env := q.envelope("get").withURI(q).withCount(1)
	env.Path, env.Entities = "/users", []userEntity{u}
	return env, nil
}

func deleteUser(q *request) (any, *apiError) {
	u, ok := q.w.deleteUser(q.param("username"))
	if !ok {
		return nil, errUserNotFound()
	}
	env := q.envelope("delete").withURI(q).withApp(q)
	env.Path, env.Entities = "/users", []userEntity{u}
	return env, nil
}

type newPassword struct {
	NewPassword string `json:"newpassword"`
}

func checkChangePassword(q *request) *apiError {
	body, aerr := decodeBody[newPassword](q)
	switch {
	case aerr != nil:
		return aerr
	case body.NewPassword == "":
		return errIllegalArgument("newpassword is required")
	case utf8.RuneCountInString(body.NewPassword) > rules.MaxPasswordChars:
		return errIllegalArgument("PASSWORD_TOO_LONG")
	}
	return nil
}

func changePassword(q *request) (any, *apiError) {
	body, _ := decodeBody[newPassword](q)
	u, ok := q.w.users.update(q.param("username"), func(u *user) {
		u.password, u.Modified = body.NewPassword, q.now.UnixMilli()
		u.resources = nil // online devices are kicked
	})
	if !ok {
		return nil, &apiError{404, "entity_not_found", "EntityNotFoundException", "User null not found"}
	}
	// The docs: the old password and all the user's tokens stop working.
	q.w.revokeTokens(u.Username)
	return q.envelope("set user password"), nil
}

func status(online bool) string {
	if online {
		return "online"
	}
	return "offline"
}

func getStatus(q *request) (any, *apiError) {
	name := q.param("username")
	res, ok := q.w.users.resources(name)
	if !ok {
		return nil, errUserNotFound()
	}
	env := q.envelope("get").withURI(q).withCount(0)
	env.Entities, env.Data = []userEntity{}, map[string]string{fold(name): status(len(res) > 0)}
	return env, nil
}

type statusBatch struct {
	Usernames []string `json:"usernames"`
}

func checkStatusBatch(q *request) *apiError {
	body, aerr := decodeBody[statusBatch](q)
	switch {
	case aerr != nil:
		return aerr
	case len(body.Usernames) == 0:
		return errIllegalArgument("usernames must be provided")
	case len(body.Usernames) > maxStatusBatch:
		return errIllegalArgument("request body exceeds maximum limit, maximum limit is " + strconv.Itoa(maxStatusBatch))
	}
	return nil
}

func getStatusBatch(q *request) (any, *apiError) {
	body, _ := decodeBody[statusBatch](q)
	data := make([]map[string]string, 0, len(body.Usernames))
	for _, name := range body.Usernames {
		// Names are not validated: an unknown user is simply offline.
		res, _ := q.w.users.resources(name)
		data = append(data, map[string]string{name: status(len(res) > 0)})
	}
	env := q.envelope("get batch user status")
	env.Data = data
	return env, nil
}

func getOfflineMsgCount(q *request) (any, *apiError) {
	u, ok := q.w.users.get(q.param("owner_username"))
	if !ok {
		return nil, errUserNotFound()
	}
	// What the messages module keeps for the user while offline.
	env := q.envelope("get").withURI(q).withCount(0)
	env.Entities, env.Data = []userEntity{}, map[string]int{u.Username: q.w.offlineCount(u.Username)}
	return env, nil
}

func getOfflineMsgStatus(q *request) (any, *apiError) {
	if _, ok := q.w.users.get(q.param("username")); !ok {
		return nil, errUserNotFound()
	}
	env := q.envelope("get").withURI(q).withCount(0)
	env.Entities, env.Data = []userEntity{}, map[string]string{q.param("msg_id"): q.w.offlineStatus(q.param("username"), q.param("msg_id"))}
	return env, nil
}

func deactivateUser(q *request) (any, *apiError) {
	u, ok := q.w.users.update(q.param("username"), func(u *user) {
		u.Activated, u.Modified = false, q.now.UnixMilli()
		u.resources = nil // kicked offline at once
	})
	if !ok {
		return nil, errUserNotFound()
	}
	env := q.envelope("Deactivate user")
	env.Entities = []userEntity{u}
	return env, nil
}

func activateUser(q *request) (any, *apiError) {
	_, ok := q.w.users.update(q.param("username"), func(u *user) {
		u.Activated, u.Modified = true, q.now.UnixMilli()
	})
	if !ok {
		return nil, errUserNotFound()
	}
	return q.envelope("activate user"), nil
}

func disconnectUser(q *request) (any, *apiError) {
	if !q.w.users.setResources(q.param("username"), nil) {
		return nil, errUserNotFound()
	}
	env := q.envelope("get").withURI(q).withCount(0)
	env.Entities, env.Data = []userEntity{}, map[string]bool{"result": true}
	return env, nil
}

func disconnectDevice(q *request) (any, *apiError) {
	res := q.param("resourceId")
	_, ok := q.w.users.update(q.param("username"), func(u *user) {
		for i, r := range u.resources {
			if r == res {
				u.resources = append(u.resources[:i:i], u.resources[i+1:]...)
				break
			}
		}
	})
	if !ok {
		return nil, errUserNotFound()
	}
	env := q.envelope("delete").withURI(q).withApp(q)
	env.Entities, env.Data = []userEntity{}, map[string]bool{"result": true}
	return env, nil
}

// resource is one entry of users.ListResources' data[].
type resource struct {
	Res        string `json:"res"`
	DeviceUUID string `json:"device_uuid"`
	DeviceName string `json:"device_name"`
}

func listResources(q *request) (any, *apiError) {
	name := q.param("username")
	res, ok := q.w.users.resources(name)
	if !ok {
		return nil, errUserNotFound()
	}
	data := make([]resource, 0, len(res))
	for _, r := range res {
		data = append(data, resource{Res: r, DeviceUUID: r + "-uuid", DeviceName: "emulator"})
	}
	env := q.envelope("get").withURI(q).withApp(q)
	env.Path, env.Entities, env.Data = "/users/"+fold(name)+"/resources", []userEntity{}, data
	return env, nil
}
