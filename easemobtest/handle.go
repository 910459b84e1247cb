package easemobtest

import (
	"bytes"
	"fmt"
	"io"
	"maps"
	"net/http"

	"github.com/emquota/easemob/internal/catalog"
)

// Handle replaces the handler of the op named opID (e.g. "users.Get") with
// h; nil restores the emulator's own. h runs after routing, auth, injected
// faults and the quota check, instead of validation and the built-in
// handler, so it sees every call the server would have served. The request
// body can be read again, r.PathValue gives the op's path parameters, and
// what h writes is sent as written (no timestamp or duration is added),
// after WithLatency's toClient delay. It is an error to name an unknown op.
//
// h runs on the request's goroutine, outside the emulator's locks, so it
// may call the emulator's methods (AddUser, ...) and must be safe for
// concurrent use.
func (e *Emulator) Handle(opID string, h func(http.ResponseWriter, *http.Request)) error {
	op, ok := opByID(e.ops, opID)
	if !ok {
		return fmt.Errorf("easemobtest: Handle: unknown op %q", opID)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if h == nil {
		delete(e.custom, op)
	} else {
		e.custom[op] = h
	}
	return nil
}

func (e *Emulator) customHandler(op *catalog.Op) func(http.ResponseWriter, *http.Request) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.custom[op]
}

// runCustom calls h with the request as the op sees it and keeps what h
// writes, so the pipeline can delay or drop it like any answer.
func runCustom(q *request, h func(http.ResponseWriter, *http.Request)) reply {
	r := q.r.Clone(q.r.Context())
	if !q.streamed { // a multipart body is still unread in r.Body
		r.Body = io.NopCloser(bytes.NewReader(q.body))
	}
	for name, v := range q.params {
		r.SetPathValue(name, v)
	}
	rec := &recorder{header: http.Header{}}
	h(rec, r)
	return reply{status: statusOr200(rec.status), raw: rec}
}

// recorder is an http.ResponseWriter that keeps the answer.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	r.WriteHeader(http.StatusOK)
	return r.body.Write(b)
}

// send writes the kept answer to w.
func (r *recorder) send(w http.ResponseWriter) {
	maps.Copy(w.Header(), r.header)
	w.WriteHeader(statusOr200(r.status))
	_, _ = w.Write(r.body.Bytes())
}

// statusOr200 is the status of an answer that never set one: 200.
func statusOr200(s int) int {
	if s == 0 {
		return http.StatusOK
	}
	return s
}
