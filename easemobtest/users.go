package easemobtest

import (
	"bytes"
	"encoding/json"
	"strconv"
	"time"
	"unicode/utf8"
)

// Documented per-call caps of the user APIs.
const (
	maxRegisterBatch = 60
	maxStatusBatch   = 100
	maxPageLimit     = 100
	defaultPageLimit = 10
	maxUsernameBytes = 64
	maxPasswordChars = 64
	maxNicknameChars = 100
)

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

func validUsername(s string) bool {
	if len(s) == 0 || len(s) > maxUsernameBytes {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-'
		if !ok {
			return false
		}
	}
	return true
}

func validateEntry(en regEntry) *apiError {
	switch {
	case en.Username == "":
		return errIllegalArgument("username must be provided")
	case !validUsername(en.Username):
		return errIllegalArgument("username " + en.Username + " is not legal")
	case en.Password == "":
		return errIllegalArgument("password or pin must provided")
	case utf8.RuneCountInString(en.Password) > maxPasswordChars:
		return errIllegalArgument("PASSWORD_TOO_LONG")
	case utf8.RuneCountInString(en.Nickname) > maxNicknameChars:
		return errIllegalArgument("NICKNAME_TOO_LONG")
	}
	return nil
}

// register validates and creates users. A single registration of an
// existing name fails; a batch reports it in failures (partial success).
func (e *Emulator) register(entries []regEntry, batch bool, now time.Time) ([]userEntity, []regFailure, *apiError) {
	if batch && len(entries) == 0 {
		return nil, nil, errIllegalArgument("Request body array is empty")
	}
	if len(entries) > maxRegisterBatch {
		return nil, nil, errIllegalArgument("Request body array size[" + strconv.Itoa(len(entries)) +
			"] had almost reached or been greater than the upper range value[" + strconv.Itoa(maxRegisterBatch) + "]")
	}
	passwords := map[string]string{}
	for _, en := range entries {
		if aerr := validateEntry(en); aerr != nil {
			return nil, nil, aerr
		}
		name := fold(en.Username)
		if p, dup := passwords[name]; dup && p != en.Password {
			return nil, nil, &apiError{400, "duplicate_unique_property_exists", "DuplicateUniquePropertyExistsException",
				"the same user " + name + " has a different password, the passwords are " + p + ", " + en.Password}
		}
		passwords[name] = en.Password
	}
	created, failed, aerr := e.users.create(entries, now)
	if aerr != nil {
		return nil, nil, aerr
	}
	if !batch && len(failed) > 0 {
		return nil, nil, &apiError{400, "duplicate_unique_property_exists", "DuplicateUniquePropertyExistsException",
			"Application " + e.appUUID + " Entity user requires that property named username be unique, value of " +
				failed[0].Username + " exists"}
	}
	return created, failed, nil
}

// registerUsers serves POST /users: an object registers one user, an array
// is a batch (users.RegisterBatch) with partial success.
func registerUsers(q *request) (any, *apiError) {
	body := bytes.TrimSpace(q.body)
	batch := len(body) > 0 && body[0] == '['
	var entries []regEntry
	var err error
	if batch {
		err = json.Unmarshal(body, &entries)
	} else {
		entries = make([]regEntry, 1)
		err = json.Unmarshal(body, &entries[0])
	}
	if err != nil {
		return nil, errJSONParse()
	}
	created, failed, aerr := q.e.register(entries, batch, q.now)
	if aerr != nil {
		return nil, aerr
	}
	env := q.envelope("post").withURI(q).withApp(q)
	env.Path, env.Entities = "/users", created
	if batch {
		env.Data = append([]regFailure{}, failed...)
	}
	return env, nil
}

// pageQuery reads limit and cursor of GET and DELETE /users.
func pageQuery(q *request) (limit int, after uint64, aerr *apiError) {
	limit = defaultPageLimit
	if s := q.r.URL.Query().Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			return 0, 0, errIllegalArgument("limit must be an integer: " + s)
		}
		if n >= 1 {
			limit = min(n, maxPageLimit) // the server caps larger values
		}
	}
	if c := q.r.URL.Query().Get("cursor"); c != "" {
		var ok bool
		if after, ok = decodeCursor(c); !ok {
			return 0, 0, errIllegalArgument("cursor is illegal: " + c)
		}
	}
	return limit, after, nil
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
	limit, after, aerr := pageQuery(q)
	if aerr != nil {
		return nil, aerr
	}
	users, next := q.e.users.page(after, limit)
	return q.pageEnvelope("get", users, next).withCount(len(users)), nil
}

func deleteUsers(q *request) (any, *apiError) {
	limit, after, aerr := pageQuery(q)
	if aerr != nil {
		return nil, aerr
	}
	users, next := q.e.users.removePage(after, limit)
	return q.pageEnvelope("delete", users, next).withApp(q), nil
}

func getUser(q *request) (any, *apiError) {
	u, ok := q.e.users.get(q.param("username"))
	if !ok {
		return nil, errUserNotFound()
	}
	env := q.envelope("get").withURI(q).withCount(1)
	env.Path, env.Entities = "/users", []userEntity{u}
	return env, nil
}

func deleteUser(q *request) (any, *apiError) {
	u, ok := q.e.users.remove(q.param("username"))
	if !ok {
		return nil, errUserNotFound()
	}
	q.e.tokens.revokeUser(u.Username)
	env := q.envelope("delete").withURI(q).withApp(q)
	env.Path, env.Entities = "/users", []userEntity{u}
	return env, nil
}

func changePassword(q *request) (any, *apiError) {
	var body struct {
		NewPassword string `json:"newpassword"`
	}
	if err := json.Unmarshal(q.body, &body); err != nil {
		return nil, errJSONParse()
	}
	switch {
	case body.NewPassword == "":
		return nil, errIllegalArgument("newpassword is required")
	case utf8.RuneCountInString(body.NewPassword) > maxPasswordChars:
		return nil, errIllegalArgument("PASSWORD_TOO_LONG")
	}
	u, ok := q.e.users.update(q.param("username"), func(u *user) {
		u.password, u.Modified = body.NewPassword, q.now.UnixMilli()
		u.resources = nil // online devices are kicked
	})
	if !ok {
		return nil, &apiError{404, "entity_not_found", "EntityNotFoundException", "User null not found"}
	}
	// The docs: the old password and all the user's tokens stop working.
	q.e.tokens.revokeUser(u.Username)
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
	res, ok := q.e.users.resources(name)
	if !ok {
		return nil, errUserNotFound()
	}
	env := q.envelope("get").withURI(q).withCount(0)
	env.Entities, env.Data = []userEntity{}, map[string]string{fold(name): status(len(res) > 0)}
	return env, nil
}

func getStatusBatch(q *request) (any, *apiError) {
	var body struct {
		Usernames []string `json:"usernames"`
	}
	if err := json.Unmarshal(q.body, &body); err != nil {
		return nil, errJSONParse()
	}
	switch {
	case len(body.Usernames) == 0:
		return nil, errIllegalArgument("usernames must be provided")
	case len(body.Usernames) > maxStatusBatch:
		return nil, errIllegalArgument("request body exceeds maximum limit, maximum limit is " + strconv.Itoa(maxStatusBatch))
	}
	data := make([]map[string]string, 0, len(body.Usernames))
	for _, name := range body.Usernames {
		// Names are not validated: an unknown user is simply offline.
		res, _ := q.e.users.resources(name)
		data = append(data, map[string]string{name: status(len(res) > 0)})
	}
	env := q.envelope("get batch user status")
	env.Data = data
	return env, nil
}

func getOfflineMsgCount(q *request) (any, *apiError) {
	u, ok := q.e.users.get(q.param("owner_username"))
	if !ok {
		return nil, errUserNotFound()
	}
	// No messages are stored yet, so nothing is ever waiting offline.
	env := q.envelope("get").withURI(q).withCount(0)
	env.Entities, env.Data = []userEntity{}, map[string]int{u.Username: 0}
	return env, nil
}

func getOfflineMsgStatus(q *request) (any, *apiError) {
	if _, ok := q.e.users.get(q.param("username")); !ok {
		return nil, errUserNotFound()
	}
	env := q.envelope("get").withURI(q).withCount(0)
	env.Entities, env.Data = []userEntity{}, map[string]string{q.param("msg_id"): "delivered"}
	return env, nil
}

func deactivateUser(q *request) (any, *apiError) {
	u, ok := q.e.users.update(q.param("username"), func(u *user) {
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
	_, ok := q.e.users.update(q.param("username"), func(u *user) {
		u.Activated, u.Modified = true, q.now.UnixMilli()
	})
	if !ok {
		return nil, errUserNotFound()
	}
	return q.envelope("activate user"), nil
}

func disconnectUser(q *request) (any, *apiError) {
	if !q.e.users.setResources(q.param("username"), nil) {
		return nil, errUserNotFound()
	}
	env := q.envelope("get").withURI(q).withCount(0)
	env.Entities, env.Data = []userEntity{}, map[string]bool{"result": true}
	return env, nil
}

func disconnectDevice(q *request) (any, *apiError) {
	res := q.param("resourceId")
	_, ok := q.e.users.update(q.param("username"), func(u *user) {
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
	res, ok := q.e.users.resources(name)
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
