package easemobtest

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// beijing is the zone of history hours: the China clusters read them in
// Beijing time (the newer docs; doc-v2 says UTC, overseas clusters use it).
var beijing = time.FixedZone("UTC+8", 8*60*60)

// Documented bounds of history files: the last 3 days; a signed link
// lives for half an hour (the docs' example: Expires 1800 s after the call).
const (
	historyKept = 72 * time.Hour
	historyLink = 30 * time.Minute
)

// historyPrefix is the path of the emulator's signed history links.
const historyPrefix = "/_emulator/history/"

func (q *request) errHistory(extra string) *apiError {
	return errIllegalArgument("illegal arguments: appkey: " + q.e.cfg.appKey + ", time: " + q.param("time") + extra)
}

// historyHour parses the time parameter, yyyyMMddHH in Beijing time.
func historyHour(q *request) (time.Time, *apiError) {
	t, err := time.ParseInLocation("2006010215", q.param("time"), beijing)
	if err != nil {
		return time.Time{}, q.errHistory("")
	}
	return t, nil
}

func checkHistoryHour(q *request) *apiError {
	t, aerr := historyHour(q)
	if aerr != nil {
		return aerr
	}
	if t.Add(time.Hour).Before(q.now.Add(-historyKept)) {
		return q.errHistory(", maybe chat message history is expired or unstored")
	}
	return nil
}

func historyFile(q *request) (any, *apiError) {
	t, _ := historyHour(q)
	if len(q.w.messages.hour(t)) == 0 {
		return nil, &apiError{http.StatusNotFound, "storage_object_not_found", "StorageObjectNotFoundException",
			"Failed to find chat message history download url for appkey: " + q.e.cfg.appKey + ", time: " + q.param("time")}
	}
	scheme := "http"
	if q.r.TLS != nil {
		scheme = "https"
	}
	expires := strconv.FormatInt(q.now.Add(historyLink).Unix(), 10)
	link := scheme + "://" + q.r.Host + historyPrefix + q.e.org + "/" + q.e.app + "/" + q.param("time") +
		"?Expires=" + expires + "&OSSAccessKeyId=emulator&Signature=" + q.e.sign(q.param("time"), expires)
	env := q.envelope("get").withURI(q).withApp(q)
	env.Data = []map[string]string{{"url": link}}
	return env, nil
}

// sign is the signature of a history link, so only links the API handed
// out download.
func (e *Emulator) sign(hour, expires string) string {
	sum := sha256.Sum256([]byte(e.appUUID + "|" + hour + "|" + expires))
	return hex.EncodeToString(sum[:8])
}

// hour returns the messages stored in the hour from t, in order. Recalled
// messages are gone from history too; one-way deletions do not change it.
func (s *messageState) hour(t time.Time) []*message {
	from, to := t.UnixMilli(), t.Add(time.Hour).UnixMilli()
	var out []*message
	for _, m := range s.order {
		if m.at >= from && m.at < to && !m.recalled {
			out = append(out, m)
		}
	}
	return out
}

// historyRecord is one line of a history file.
type historyRecord struct {
	MsgID     string         `json:"msg_id"`
	Timestamp int64          `json:"timestamp"`
	Direction string         `json:"direction"`
	To        string         `json:"to"`
	From      string         `json:"from"`
	ChatType  string         `json:"chat_type"`
	Payload   historyPayload `json:"payload"`
}

type historyPayload struct {
	From   string           `json:"from"`
	To     string           `json:"to"`
	Ext    map[string]any   `json:"ext"`
	Bodies []map[string]any `json:"bodies"`
}

func (m *message) record() historyRecord {
	body := map[string]any{"type": m.typ}
	for k, v := range m.body {
		body[k] = v
	}
	ext := m.ext
	if ext == nil {
		ext = map[string]any{}
	}
	return historyRecord{MsgID: m.id, Timestamp: m.at, Direction: "outgoing", To: m.to, From: m.from, ChatType: m.chatType,
		Payload: historyPayload{From: m.from, To: m.to, Ext: ext, Bodies: []map[string]any{body}}}
}

// serveFile answers a history link the API handed out: the hour's
// records, gzipped JSON, one per line. It reports whether r was one.
func (e *Emulator) serveFile(w http.ResponseWriter, r *http.Request) bool {
	rest, ok := strings.CutPrefix(r.URL.Path, historyPrefix+e.org+"/"+e.app+"/")
	if !ok {
		return false
	}
	query := r.URL.Query()
	expires, err := strconv.ParseInt(query.Get("Expires"), 10, 64)
	switch {
	case err != nil || query.Get("Signature") != e.sign(rest, query.Get("Expires")):
		http.Error(w, "SignatureDoesNotMatch", http.StatusForbidden)
		return true
	case e.now().Unix() > expires:
		http.Error(w, "AccessDenied: Request has expired", http.StatusForbidden)
		return true
	}
	t, err := time.ParseInLocation("2006010215", rest, beijing)
	if err != nil {
		http.NotFound(w, r)
		return true
	}
	// Encoded under the lock: the records share the messages' maps.
	var lines bytes.Buffer
	e.world.locked(func() {
		enc := json.NewEncoder(&lines)
		for _, m := range e.world.messages.hour(t) {
			_ = enc.Encode(m.record())
		}
	})
	w.Header().Set("Content-Type", "application/octet-stream")
	gz := gzip.NewWriter(w)
	_, _ = gz.Write(lines.Bytes())
	_ = gz.Close()
	return true
}
