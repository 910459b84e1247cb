package easemobtest

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/schema"
)

// maxBody bounds what the emulator reads; the real limits are far lower.
const maxBody = 16 << 20

// request is one call on its way through the pipeline.
type request struct {
	e   *Emulator
	w   *world // set, and locked, while a built-in handler runs
	r   *http.Request
	now time.Time // arrival: the timestamp of the answer
	// handled is when the handling began, the start of the duration the
	// answer gives: the arrival; on the emulated network, the quota count
	// (before one, when the request's goroutine woke after its arrival).
	handled time.Time
	ticket  *ticket // its place in the arrival order, or nil
	body    []byte
	op      *catalog.Op
	params  map[string]string
	parsed  any // the body as a check decoded it, for the handler
	// toClient is the delay of this request's answer on its way back.
	toClient time.Duration
	// streamed: the op takes a multipart body, left unread in r.Body for
	// its check to stream (a file may be larger than maxBody).
	streamed bool
	// An error answer's numeric error_code, or a body of another shape
	// (message search's), set with the error that needs it.
	errorCode int
	errorBody any
}

func (q *request) param(name string) string { return q.params[name] }

// isTokenOp reports a POST /token op: counted by TokenRequests, never
// failed by FailNext.
func isTokenOp(op *catalog.Op) bool { return op.Path == "/token" }

// decodeBody decodes the JSON body into a T once per request, so an op's
// check and handler share the work. A body that is not JSON is json_parse;
// a field of the wrong type is illegal_argument, as the schema words it.
func decodeBody[T any](q *request) (*T, *apiError) {
	if v, ok := q.parsed.(*T); ok {
		return v, nil
	}
	v := new(T)
	if err := json.Unmarshal(q.body, v); err != nil {
		var te *json.UnmarshalTypeError
		if !errors.As(err, &te) {
			return nil, errJSONParse()
		}
		if p := schema.Body(enforced(q.op), q.body); p != nil {
			return nil, errIllegalArgument(p.Error())
		}
		return nil, errIllegalArgument(te.Field + ": must not be a JSON " + te.Value)
	}
	q.parsed = v
	return v, nil
}

// reply is what the pipeline answers.
type reply struct {
	status int
	v      any       // the JSON body; an *apiError for an error
	raw    *recorder // a Handle handler's answer, sent as written
	delay  time.Duration
	drop   bool // close the connection instead of answering
}

func fail(aerr *apiError) reply { return reply{status: aerr.status, v: aerr} }

// serveHTTP delays the request as the network would, runs the pipeline and
// delivers its reply.
func (e *Emulator) serveHTTP(w http.ResponseWriter, r *http.Request) {
	toServer, toClient := e.cfg.legs()
	q := &request{e: e, r: r, toClient: toClient}
	if !e.reach(q, toServer) {
		return // the client gave up before the request arrived
	}
	defer q.ticket.drop() // answered without a quota check
	e.mu.Lock()
	hook := e.onRequest
	e.mu.Unlock()
	if hook != nil {
		hook(r.WithContext(context.WithValue(r.Context(), arrivalKey{}, q.now)))
	}
	if e.serveFile(w, r) {
		return // a download link the API handed out, not an API call
	}
	e.deliver(w, q, e.process(q))
}

// process is the server's part: App Key, route, auth, faults, quota,
// validation, handler. The quota is charged before validation: the server
// counts a call it then refuses as malformed.
func (e *Emulator) process(q *request) reply {
	segs, err := pathSegments(q.r.URL)
	if err != nil || len(segs) < 2 || segs[0] != e.org || segs[1] != e.app {
		org, app := "", ""
		if len(segs) >= 2 {
			org, app = segs[0], segs[1]
		}
		return fail(errOrgAppNotFound(org, app, q.r.URL.String()))
	}
	segs = segs[2:]
	rt, pathKnown := e.router.match(q.r.Method, segs)
	if rt == nil {
		if pathKnown {
			return fail(errNoRoute(http.StatusMethodNotAllowed))
		}
		return fail(errNoRoute(http.StatusNotFound))
	}
	if q.streamed = rt.multipart(); !q.streamed {
		if q.body, err = io.ReadAll(io.LimitReader(q.r.Body, maxBody)); err != nil {
			return fail(errIllegalArgument("cannot read request body"))
		}
	}
	q.op = rt.pick(q, segs)
	if f, ok := e.faults.take(q.op, beforeServer); ok {
		return reply{drop: true, delay: f.Latency}
	}
	if isTokenOp(q.op) {
		e.mu.Lock()
		e.tokenReqs++
		e.mu.Unlock()
	}
	if aerr := e.authenticate(q); aerr != nil {
		return fail(aerr)
	}

	f, faulty := e.faults.take(q.op, afterAuth)
	g, units := int(q.op.Group), 1
	if e.quota.countsMessages(g) {
		units = schema.MessageUnits(q.op, q.body)
	}
	if faulty && f.Drop == NoDrop && f.Status != 0 {
		e.countArrival(q, func(now time.Time) { e.quota.injected(g, now, q.param, units, f.Status) })
		e.opStats.injected(q.op, f.Status)
		rep := fail(errInjected(f.Status))
		rep.delay = f.Latency
		return rep
	}
	// Counted when checked, after the arrival the answer's timestamp
	// gives and within the duration it says, as a server counts.
	var v verdict
	e.countArrival(q, func(now time.Time) { v = e.quota.admit(g, now, q.param, units) })
	e.opStats.verdict(q.op, v)
	var rep reply
	switch v {
	case overCalls, overMessages:
		rep = fail(e.refusal(q, v))
	default:
		rep = e.serveOp(q)
	}
	if faulty {
		rep.delay, rep.drop = f.Latency, f.Drop == DropAfterServer
	}
	return rep
}

// refusal is the answer to a call over its quota: the op's own, where the
// docs give one (translation answers 400, message search its own 429),
// else 429 reach_limit for a call rate and 403 for a message quota.
func (e *Emulator) refusal(q *request, v verdict) *apiError {
	if im, ok := e.impls[q.op]; ok && im.refuse != nil {
		return im.refuse(q, v)
	}
	if v == overCalls {
		return errReachLimit()
	}
	return errMessageLimit()
}

// serveOp runs the op's handler: a Handle replacement, or validation and
// the built-in handler, or 501 for an op not emulated yet.
func (e *Emulator) serveOp(q *request) reply {
	if h := e.customHandler(q.op); h != nil {
		return runCustom(q, h)
	}
	im, ok := e.impls[q.op]
	if aerr := validate(q, im); aerr != nil {
		return fail(aerr)
	}
	if !ok {
		return fail(errNotEmulated(q.op.ID))
	}
	var v any
	var aerr *apiError
	e.world.locked(func() {
		q.w = e.world
		v, aerr = im.serve(q)
		q.w = nil
	})
	if aerr != nil {
		return fail(aerr)
	}
	countServed(q.op)
	if rec, ok := v.(*recorder); ok {
		return reply{status: statusOr200(rec.status), raw: rec} // a file, not JSON
	}
	return reply{status: http.StatusOK, v: v}
}

// errorAnswer is the body of an error answer.
func (q *request) errorAnswer(e *apiError, ms int) any {
	if q.errorBody != nil {
		return q.errorBody
	}
	b := e.body(q.now, ms)
	b.ErrorCode = q.errorCode
	return b
}

// deliver stamps the reply with the time spent handling it, waits out the
// way back to the client and sends it, or closes the connection.
func (e *Emulator) deliver(w http.ResponseWriter, q *request, rep reply) {
	if q.op != nil {
		e.opStats.answered(q.op, rep.status, rep.drop)
	}
	ms := int(e.now().Sub(q.handled) / time.Millisecond)
	switch v := rep.v.(type) {
	case *apiError:
		rep.v = q.errorAnswer(v, ms)
	case *envelope:
		v.Duration = ms
	}
	if !sleep(q.r.Context(), q.toClient+rep.delay) {
		return
	}
	switch {
	case rep.drop:
		// net/http closes the connection without writing anything.
		panic(http.ErrAbortHandler)
	case rep.raw != nil:
		rep.raw.send(w)
	case rep.status == http.StatusOK && isBinary(rep.v):
		rep.v.(binaryAnswer).send(w)
	default:
		writeJSON(w, rep.status, rep.v)
	}
}
