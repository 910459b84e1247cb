package easemobtest

import "net/http"

func listSuperAdmins(q *request) (any, *apiError) {
	s := &q.w.chatrooms
	pageNum, size, _ := numbered(q, defaultSuperPageSize)
	data := pageOf(s.supers.items(), pageNum, 1, size)
	return q.pagedEnvelope(data, len(data)), nil
}

type superAdmin struct {
	SuperAdmin string `json:"superadmin"`
}

func addSuperAdmin(q *request) (any, *apiError) {
	b, _ := decodeBody[superAdmin](q)
	u := fold(b.SuperAdmin)
	if _, ok := q.w.users.get(u); !ok {
		return nil, errNoSuchUser(u)
	}
	q.w.chatrooms.supers.add(u)
	return q.roomEnvelope("post", map[string]string{"result": "success", "resource": ""}), nil
}

// removeSuperAdmin revokes the role; the answer names the user
// newSuperAdmin. Revoking a user who has no role is refused: the docs
// give no words for it.
func removeSuperAdmin(q *request) (any, *apiError) {
	u := fold(q.param("superAdmin"))
	if _, ok := q.w.users.get(u); !ok {
		return nil, errNoSuchUser(u)
	}
	if !q.w.chatrooms.supers.remove(u) {
		return nil, errRoomForbidden(http.StatusForbidden, "user "+u+" is not a super admin")
	}
	return &propsEnvelope{envelope: q.roomEnvelope("delete", map[string]string{"newSuperAdmin": u, "resource": ""})}, nil
}
