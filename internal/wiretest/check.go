package wiretest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/schema"
)

// checkRequest holds the recorded request to the op: method, path shape,
// credential, required headers, body encoding, documented schema and the
// selector that tells the op apart from the others on its route.
func checkRequest(tb testing.TB, op *catalog.Op, rec *Request) {
	tb.Helper()
	if rec.unreadable != "" {
		tb.Errorf("%s: the body does not parse as its Content-Type says: %s", op.ID, rec.unreadable)
	}
	if rec.Method != op.Method {
		tb.Errorf("%s: method %s, documented %s", op.ID, rec.Method, op.Method)
	}
	if _, ok := pathParams(op.Path, rec.Path); !ok {
		tb.Errorf("%s: path %s does not have the documented shape %s", op.ID, rec.Path, op.Path)
	}
	auth := rec.Header.Get("Authorization")
	switch {
	case op.Auth == catalog.AuthApp && auth != "Bearer <app token>":
		tb.Errorf("%s: Authorization %q, want the app token", op.ID, auth)
	case op.Auth == catalog.AuthNone && auth != "":
		tb.Errorf("%s: sends Authorization, the op takes none", op.ID)
	case (op.Auth == catalog.AuthUser || op.Auth == catalog.AuthAppOrUser) && auth == "":
		tb.Errorf("%s: sends no Authorization", op.ID)
	}
	for _, h := range op.Headers {
		if h.Required && rec.Header.Get(h.Name) == "" {
			tb.Errorf("%s: no header %s, documented required", op.ID, h.Name)
		}
	}
	if p := contentProblem(op, rec); p != "" {
		tb.Errorf("%s: %s", op.ID, p)
	}
	if len(rec.JSON) > 0 {
		if p := schema.Body(op, rec.JSON); p != nil {
			tb.Errorf("%s: the body breaks the documented schema: %v", op.ID, p)
		}
	}
	if p := schema.Query(op, rec.Query); p != nil {
		tb.Errorf("%s: the query breaks the documented schema: %v", op.ID, p)
	}
	if !selects(op, rec) {
		tb.Errorf("%s: the request does not meet the op's selector %+v", op.ID, op.Select)
	}
	for _, other := range catalog.Ops {
		if other.ID == op.ID || other.Method != op.Method || other.Path != op.Path {
			continue
		}
		if by := other.Select.By; by != catalog.SelectNone && by != catalog.SelectDefault && selects(other, rec) {
			tb.Errorf("%s: the server would take the request as %s", op.ID, other.ID)
		}
	}
}

// contentProblem says how the body's encoding differs from the op's.
func contentProblem(op *catalog.Op, rec *Request) string {
	has := map[catalog.Content]bool{
		catalog.ContentJSON:      len(rec.JSON) > 0,
		catalog.ContentForm:      rec.Form != nil,
		catalog.ContentMultipart: rec.Parts != nil,
	}
	if rec.Text != "" {
		return fmt.Sprintf("a body of Content-Type %q, documented %s", rec.Header.Get("Content-Type"), contentName[op.Content])
	}
	for c, present := range has {
		if present && c != op.Content {
			return fmt.Sprintf("a %s body, documented %s", contentName[c], contentName[op.Content])
		}
	}
	if op.Content != catalog.ContentNone && !op.BodyOptional && !has[op.Content] {
		return "no body, documented " + contentName[op.Content]
	}
	for _, name := range op.Parts {
		if !slices.ContainsFunc(rec.Parts, func(p Part) bool { return p.Name == name }) {
			return "no part " + name
		}
	}
	return ""
}

var contentName = map[catalog.Content]string{
	catalog.ContentNone: "none", catalog.ContentJSON: "JSON",
	catalog.ContentForm: "form", catalog.ContentMultipart: "multipart",
}

// pathParams matches an escaped path to a template such as
// /users/{username}, returning the parameters' escaped values.
func pathParams(template, path string) (map[string]string, bool) {
	want, got := strings.Split(template, "/"), strings.Split(path, "/")
	if len(want) != len(got) {
		return nil, false
	}
	params := map[string]string{}
	for i, w := range want {
		if name, ok := strings.CutPrefix(w, "{"); ok {
			if got[i] == "" {
				return nil, false
			}
			params[strings.TrimSuffix(name, "}")] = got[i]
		} else if w != got[i] {
			return nil, false
		}
	}
	return params, true
}

// selects reports whether the request meets op's selector; a default or
// absent selector is met by any request.
func selects(op *catalog.Op, rec *Request) bool {
	s := op.Select
	var body any
	if len(rec.JSON) > 0 {
		body, _ = decodeJSON(rec.JSON)
	}
	obj, _ := body.(map[string]any)
	switch s.By {
	case catalog.SelectBodyFieldValue:
		v, ok := obj[s.Field]
		return ok && fmt.Sprint(v) == s.Value
	case catalog.SelectBodyKind:
		_, isArray := body.([]any)
		return isArray == (s.Value == "array") && body != nil
	case catalog.SelectBodyHasAny:
		return slices.ContainsFunc(s.Fields, func(f string) bool { _, ok := obj[f]; return ok })
	case catalog.SelectNoAuth:
		return rec.Header.Get("Authorization") == ""
	case catalog.SelectPathHasComma:
		params, _ := pathParams(op.Path, rec.Path)
		return strings.Contains(params[s.Field], ",") == (s.Value == "true")
	case catalog.SelectHeader:
		return rec.Header.Get(s.Field) == s.Value
	}
	return true
}

// checkGolden compares the request with its golden file, or writes it.
func checkGolden(tb testing.TB, file string, update bool, rec *Request) {
	tb.Helper()
	got, err := rec.canonical()
	if err != nil {
		tb.Errorf("%s: %v", file, err)
		return
	}
	if update {
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
			tb.Fatal(err)
		}
		return
	}
	b, err := os.ReadFile(file)
	if errors.Is(err, fs.ErrNotExist) {
		tb.Errorf("%s: no golden; run the test with -update to write it", file)
		return
	}
	if err != nil {
		tb.Fatal(err)
	}
	var golden Request
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields() // a misspelt key would compare as absent
	if err := dec.Decode(&golden); err != nil {
		tb.Errorf("%s: %v", file, err)
		return
	}
	want, err := golden.canonical()
	if err != nil {
		tb.Errorf("%s: %v", file, err)
		return
	}
	assert.Equal(tb, want, got, "%s: the request differs from its golden (-update rewrites it)", file)
}
