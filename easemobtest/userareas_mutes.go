package easemobtest

import (
	"net/http"
	"sort"
	"strconv"
	"time"
)

// The kinds of conversation a global mute applies to, in the docs' order.
var muteKinds = []string{"chat", "groupchat", "chatroom"}

// maxMutePage bounds the mute list's page size; larger ones are capped.
const maxMutePage = 50

// muteState holds global mutes per user and kind; seq orders the list,
// the latest mute first.
type muteState struct {
	byUser map[string]map[string]globalMute
	seq    uint64
}

type globalMute struct {
	until   time.Time
	forever bool
	seq     uint64
}

// left is the seconds a mute has left at now: -1 without end, 0 when over.
func (m globalMute) left(now time.Time) int64 {
	if m.forever {
		return -1
	}
	d := m.until.Sub(now)
	if d <= 0 {
		return 0
	}
	return int64((d + time.Second - 1) / time.Second)
}

// globallyMuted reports whether the user may not send in conversations of
// kind ("chat", "groupchat" or "chatroom") at now: the check a send makes
// (mutes.Set); mu held.
func (w *world) globallyMuted(user, kind string, now time.Time) bool {
	m, ok := w.areas.mutes.byUser[fold(user)][kind]
	return ok && m.left(now) != 0
}

func errMuteNoUser() *apiError {
	return &apiError{http.StatusBadRequest, "required_property_not_found", "RequiredPropertyNotFoundException",
		"Entity user requires a property named username"}
}

type globalMuteBody struct {
	Username  string `json:"username"`
	Chat      *int64 `json:"chat"`
	GroupChat *int64 `json:"groupchat"`
	Chatroom  *int64 `json:"chatroom"`
}

// muteEnvelope is the envelope of the mute answers.
func (q *request) muteEnvelope(action string, data any) *envelope {
	env := q.envelope(action).withURI(q).withApp(q)
	env.Path, env.Data = "/mutes", data
	return env
}

// setMute applies each kind given: seconds from now, 0 to lift, -1 for
// good. A body with no kind changes nothing and succeeds.
func setMute(q *request) (any, *apiError) {
	b, _ := decodeBody[globalMuteBody](q)
	name := fold(b.Username)
	if !q.userExists(name) {
		return nil, errMuteNoUser()
	}
	s := &q.w.areas.mutes
	for i, secs := range []*int64{b.Chat, b.GroupChat, b.Chatroom} {
		kind := muteKinds[i]
		switch {
		case secs == nil:
		case *secs == 0:
			delete(s.byUser[name], kind)
		default:
			s.seq++
			mapOf(&s.byUser, name)[kind] = globalMute{until: q.now.Add(time.Duration(*secs) * time.Second), forever: *secs < 0, seq: s.seq}
		}
	}
	return q.muteEnvelope("post", map[string]string{"result": "ok"}), nil
}

type muteStatus struct {
	UserID    string `json:"userid"`
	Chat      int64  `json:"chat"`
	GroupChat int64  `json:"groupchat"`
	Chatroom  int64  `json:"chatroom"`
	Unixtime  int64  `json:"unixtime"`
}

func getMute(q *request) (any, *apiError) {
	name := fold(q.param("username"))
	if !q.userExists(name) {
		return nil, errMuteNoUser()
	}
	m := q.w.areas.mutes.byUser[name]
	return q.muteEnvelope("get", muteStatus{
		UserID: q.e.cfg.appKey + "_" + name,
		Chat:   m["chat"].left(q.now), GroupChat: m["groupchat"].left(q.now), Chatroom: m["chatroom"].left(q.now),
		Unixtime: q.now.Unix(),
	}), nil
}

// numberQuery reads a positive integer query parameter: def when absent,
// at most most.
func numberQuery(q *request, param string, def, most int) (int, *apiError) {
	s := q.r.URL.Query().Get(param)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, errIllegalArgument(param + " must be a positive integer: " + s)
	}
	return min(n, most), nil
}

func mutesPage(q *request) (num, size int, aerr *apiError) {
	if num, aerr = numberQuery(q, "pageNum", 1, 1<<30); aerr != nil {
		return 0, 0, aerr
	}
	size, aerr = numberQuery(q, "pageSize", defaultPageLimit, maxMutePage)
	return num, size, aerr
}

func checkMutesPage(q *request) *apiError {
	_, _, aerr := mutesPage(q)
	return aerr
}

// listMutes answers one row per user and kind still muted, latest first,
// paged by number; seconds left and the server's unixtime as in mutes.Get.
func listMutes(q *request) (any, *apiError) {
	num, size, _ := mutesPage(q)
	type row struct {
		user, kind string
		m          globalMute
	}
	var rows []row
	for user, kinds := range q.w.areas.mutes.byUser {
		for kind, m := range kinds {
			if m.left(q.now) != 0 {
				rows = append(rows, row{user, kind, m})
			}
		}
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].m.seq > rows[j].m.seq })
	from := min((num-1)*size, len(rows))
	page := rows[from:min(from+size, len(rows))]
	data := make([]map[string]any, len(page))
	for i, r := range page {
		data[i] = map[string]any{"username": r.user, r.kind: r.m.left(q.now)}
	}
	return q.muteEnvelope("get", map[string]any{"data": data, "unixtime": q.now.Unix()}), nil
}
