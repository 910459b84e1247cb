package core

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/emquota/easemob/internal/catalog"
)

// FuzzBuildPath: a path value either is refused or lands whole in its own
// segment: the built path has as many segments as the op's, and the value
// decodes back unchanged. Nothing can add a segment, a dot segment, a
// query or a fragment.
func FuzzBuildPath(f *testing.F) {
	for _, v := range []string{"alice", "..", "a/b", "a%2Fb", "a?b", "a#b", "a b", "用户", "a,b", "\x00", strings.Repeat("x", 300)} {
		f.Add(v, "123")
	}
	f.Fuzz(func(t *testing.T, user, msg string) {
		op := catalog.UsersGetOfflineMsgStatus
		path, err := buildPath(op, P("username", user, "msg_id", msg))
		if err != nil {
			return
		}
		u, perr := url.Parse("https://h/o/a" + path)
		if perr != nil || u.RawQuery != "" || u.Fragment != "" {
			t.Fatalf("%q, %q built %q: not a plain path", user, msg, path)
		}
		segs := strings.Split(strings.TrimPrefix(u.EscapedPath(), "/o/a/"), "/")
		if len(segs) != 4 {
			t.Fatalf("%q, %q built %q: %d segments", user, msg, path, len(segs))
		}
		for i, want := range map[int]string{1: user, 3: msg} {
			got, uerr := url.PathUnescape(segs[i])
			if uerr != nil || got != want || got == "." || got == ".." {
				t.Fatalf("segment %d of %q is %q, want %q", i, path, got, want)
			}
		}
	})
}

// FuzzDecodeError: any error body decodes without panicking into bounded
// text that carries neither the secret nor a token.
func FuzzDecodeError(f *testing.F) {
	for _, b := range []string{
		`{"error":"reach_limit","error_description":"This request has reached api limit","timestamp":1,"duration":0}`,
		`{"error":"x","error_description":"secret-value YWMtAAAAAAAAAAAAAAAA"}`, `<html>`, ``, `{"timestamp":"abc"}`, `[1,2]`,
	} {
		f.Add(b, 429)
	}
	c := &Client{secrets: redactor{secret: "secret-value", static: "static-token"}}
	f.Fuzz(func(t *testing.T, body string, status int) {
		e := c.decodeError(catalog.UsersGet, &answer{status: status, header: http.Header{}, body: []byte(body)})
		text := e.Error()
		if strings.Contains(text, "secret-value") || strings.Contains(text, "static-token") {
			t.Fatalf("credential in %q", text)
		}
		for _, s := range []string{e.Code, e.Description, e.Exception} {
			if len(s) > maxErrorText+len("…") {
				t.Fatalf("unbounded text: %d bytes", len(s))
			}
			if utf8.ValidString(body) && !utf8.ValidString(s) {
				t.Fatalf("bounding split a character: %q", s)
			}
		}
	})
}

// FuzzAnswerStamp never panics and finds only positive stamps and
// durations that are either said (>= 0) or not (-1).
func FuzzAnswerStamp(f *testing.F) {
	f.Add(`{"timestamp":1700000000000,"duration":3}`)
	f.Add(`"timestamp":`)
	f.Fuzz(func(t *testing.T, body string) {
		if s, ok := stampOf([]byte(body)); ok && (s.ms <= 0 || s.durMs < -1) {
			t.Fatalf("stamp %+v from %q", s, body)
		}
	})
}
