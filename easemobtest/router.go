package easemobtest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/emquota/easemob/internal/catalog"
)

// handler serves one op; a nil error answers 200 with the value as JSON.
type handler func(q *request) (any, *apiError)

// handlers lists the emulated ops. Every other catalog op is routed, pays
// its quota and then answers 501.
var handlers = map[string]handler{
	"auth.GetAppToken":          getAppToken,
	"auth.GetUserTokenPassword": getUserTokenPassword,
	"auth.GetUserTokenInherit":  getUserTokenInherit,
	"users.RegisterOpen":        registerUsers,
	"users.Register":            registerUsers,
	"users.RegisterBatch":       registerUsers,
	"users.Get":                 getUser,
	"users.List":                listUsers,
	"users.Delete":              deleteUser,
	"users.DeleteBatch":         deleteUsers,
	"users.ChangePassword":      changePassword,
	"users.GetStatus":           getStatus,
	"users.GetStatusBatch":      getStatusBatch,
	"users.GetOfflineMsgCount":  getOfflineMsgCount,
	"users.GetOfflineMsgStatus": getOfflineMsgStatus,
	"users.Deactivate":          deactivateUser,
	"users.Activate":            activateUser,
	"users.Disconnect":          disconnectUser,
	"users.DisconnectDevice":    disconnectDevice,
	"users.ListResources":       listResources,
}

// request is one call on its way through the pipeline.
type request struct {
	e      *Emulator
	r      *http.Request
	now    time.Time
	body   []byte
	op     *catalog.Op
	params map[string]string
}

func (q *request) param(name string) string { return q.params[name] }

// selectors choose among ops sharing a method and path, transcribing the
// "select" rules of endpoints.json. The op of a route without a selector is
// its default.
var selectors = map[string]func(q *request) bool{
	"auth.GetAppToken":          bodyField("grant_type", "client_credentials"),
	"auth.GetUserTokenPassword": bodyField("grant_type", "password"),
	"auth.GetUserTokenInherit":  bodyField("grant_type", "inherit"),
	"users.RegisterOpen":        func(q *request) bool { return q.r.Header.Get("Authorization") == "" },
	"users.RegisterBatch":       func(q *request) bool { return bytes.HasPrefix(bytes.TrimSpace(q.body), []byte("[")) },
	"push.SetNickname":          bodyHasAny("nickname"),
	"push.SetDisplayStyle":      bodyHasAny("notification_display_style"),
	"push.SetNoDisturbLegacy": bodyHasAny("notification_no_disturbing",
		"notification_no_disturbing_start", "notification_no_disturbing_end"),
	"groups.TransferOwner":    bodyHasAny("newowner"),
	"chatrooms.TransferOwner": bodyHasAny("newowner"),
	"files.DownloadThumbnail": func(q *request) bool { return q.r.Header.Get("thumbnail") == "true" },
}

func bodyObject(q *request) map[string]json.RawMessage {
	var m map[string]json.RawMessage
	_ = json.Unmarshal(q.body, &m)
	return m
}

func bodyField(field, value string) func(*request) bool {
	want, _ := json.Marshal(value)
	return func(q *request) bool { return bytes.Equal(bodyObject(q)[field], want) }
}

func bodyHasAny(fields ...string) func(*request) bool {
	return func(q *request) bool {
		m := bodyObject(q)
		for _, f := range fields {
			if _, ok := m[f]; ok {
				return true
			}
		}
		return false
	}
}

// route is the set of ops sharing one method and path shape.
type route struct {
	method string
	segs   []string // of the first op; "{...}" is a parameter
	ops    []*catalog.Op
}

func isParam(seg string) bool { return strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") }

func splitPath(p string) []string { return strings.Split(strings.Trim(p, "/"), "/") }

// shape is the path with parameter names erased: ops that differ only in
// parameter names are one route.
func shape(segs []string) string {
	out := make([]string, len(segs))
	for i, s := range segs {
		if isParam(s) {
			s = "{}"
		}
		out[i] = s
	}
	return strings.Join(out, "/")
}

type router struct{ routes []*route }

func newRouter(ops []*catalog.Op) *router {
	rt := &router{}
	index := map[string]*route{}
	for _, op := range ops {
		segs := splitPath(op.Path)
		key := op.Method + " " + shape(segs)
		r := index[key]
		if r == nil {
			r = &route{method: op.Method, segs: segs}
			index[key] = r
			rt.routes = append(rt.routes, r)
		}
		r.ops = append(r.ops, op)
	}
	return rt
}

func (r *route) matches(segs []string) bool {
	if len(segs) != len(r.segs) {
		return false
	}
	for i, s := range r.segs {
		if !isParam(s) && s != segs[i] {
			return false
		}
	}
	return true
}

// moreSpecific reports whether a beats b: at the first segment where one is
// a literal and the other a parameter, the literal wins.
func moreSpecific(a, b *route) bool {
	for i := range a.segs {
		if pa, pb := isParam(a.segs[i]), isParam(b.segs[i]); pa != pb {
			return pb
		}
	}
	return false
}

// match finds the route for method and path segments. When only another
// method matches, pathKnown is true.
func (rt *router) match(method string, segs []string) (best *route, pathKnown bool) {
	for _, r := range rt.routes {
		if !r.matches(segs) {
			continue
		}
		pathKnown = true
		if r.method == method && (best == nil || moreSpecific(r, best)) {
			best = r
		}
	}
	return best, pathKnown
}

// pick selects the op of the route that the request is, and binds its path
// parameters.
func (r *route) pick(q *request, segs []string) *catalog.Op {
	var def *catalog.Op
	for _, op := range r.ops {
		sel, ok := selectors[op.ID]
		if !ok {
			if def == nil {
				def = op
			}
			continue
		}
		if sel(q) {
			def = op
			break
		}
	}
	if def == nil {
		def = r.ops[0]
	}
	q.params = map[string]string{}
	for i, s := range splitPath(def.Path) {
		if isParam(s) {
			q.params[s[1:len(s)-1]] = segs[i]
		}
	}
	return def
}

// maxBody bounds what the emulator reads; the real limits are far lower.
const maxBody = 16 << 20

// messageUnits is what a call costs against a Messages limit: the number of
// targets in the body's "to" array (the docs: N users = N messages).
func messageUnits(body []byte) int {
	var b struct {
		To []json.RawMessage `json:"to"`
	}
	if json.Unmarshal(body, &b) != nil {
		return 1
	}
	return max(len(b.To), 1)
}

// serveHTTP is the request pipeline: App Key, route, auth, fault injection,
// quota, handler.
func (e *Emulator) serveHTTP(w http.ResponseWriter, r *http.Request) {
	now := e.now()
	ms := now.UnixMilli()
	e.mu.Lock()
	hook := e.onRequest
	e.mu.Unlock()
	if hook != nil {
		hook(r)
	}

	segs, err := pathSegments(r.URL)
	if err != nil || len(segs) < 2 || segs[0] != e.org || segs[1] != e.app {
		org, app := "", ""
		if len(segs) >= 2 {
			org, app = segs[0], segs[1]
		}
		errOrgAppNotFound(org, app, r.URL.String()).write(w, ms)
		return
	}
	segs = segs[2:]
	rt, pathKnown := e.router.match(r.Method, segs)
	if rt == nil {
		status := http.StatusNotFound
		if pathKnown {
			status = http.StatusMethodNotAllowed
		}
		errNoRoute(status).write(w, ms)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		errIllegalArgument("cannot read request body").write(w, ms)
		return
	}
	q := &request{e: e, r: r, now: now, body: body}
	q.op = rt.pick(q, segs)
	isToken := q.op.Path == "/token"
	if isToken {
		e.mu.Lock()
		e.tokenReqs++
		e.mu.Unlock()
	}
	if aerr := e.authenticate(q); aerr != nil {
		aerr.write(w, ms)
		return
	}

	g, units := int(q.op.Group), 1
	if e.quota.countsMessages(g) {
		units = messageUnits(body)
	}
	if !isToken {
		if status := e.takeFault(); status != 0 {
			e.quota.injected(g, now, q.param, units, status)
			errInjected(status).write(w, ms)
			return
		}
	}
	switch e.quota.admit(g, now, q.param, units) {
	case overCalls:
		errReachLimit().write(w, ms)
		return
	case overMessages:
		errMessageLimit().write(w, ms)
		return
	}

	h := handlers[q.op.ID]
	if h == nil {
		errNotEmulated(q.op.ID).write(w, ms)
		return
	}
	v, aerr := h(q)
	if aerr != nil {
		aerr.write(w, ms)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// pathSegments splits the escaped path and unescapes each segment, so an
// escaped "/" inside a value stays in its segment.
func pathSegments(u *url.URL) ([]string, error) {
	segs := splitPath(u.EscapedPath())
	for i, s := range segs {
		v, err := url.PathUnescape(s)
		if err != nil {
			return nil, err
		}
		segs[i] = v
	}
	return segs, nil
}
