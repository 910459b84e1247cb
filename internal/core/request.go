package core

import (
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/rules"
	"github.com/emquota/easemob/option"
)

// Path holds the values of an op's path parameters by name. A list
// parameter (one with a count cap, such as "usernames") takes its values
// joined by commas; each is checked and escaped on its own.
type Path map[string]string

// P builds a Path from name, value pairs.
func P(nameValues ...string) Path {
	p := make(Path, len(nameValues)/2)
	for i := 0; i+1 < len(nameValues); i += 2 {
		p[nameValues[i]] = nameValues[i+1]
	}
	return p
}

// Request is one call as a module describes it.
type Request struct {
	Op    *catalog.Op
	Path  Path
	Query url.Values
	// Body is sent as JSON; Form, when set, as application/x-www-form-urlencoded.
	Body any
	Form url.Values
	// Messages is the number of messages the call sends (for Messages-unit
	// limits); 0 takes the length of the op's message-unit field in Body.
	Messages int
	// Result receives the decoded 2xx body; nil discards it.
	Result any
	// NoAuth sends no Authorization header (token requests).
	NoAuth bool
	// Upload, when set, is sent as a streamed multipart/form-data body.
	Upload *Upload
	// Download, when set, receives a 2xx body as it arrives, instead of
	// Result: files are never held whole in memory.
	Download io.Writer
	// Header holds headers the op documents (e.g. share-secret).
	Header http.Header
	// Opts are the caller's per-call options.
	Opts option.Settings

	sent bool // a request reached the wire
	// downloaded counts the bytes written to Download: once there are
	// some, the call cannot be resent into the same writer.
	downloaded int64
}

// Upload is a file sent as multipart/form-data, read from Content while it
// is sent. It cannot be replayed, so a call carrying one is never resent.
type Upload struct {
	Field   string // the form field of the file, e.g. "file"
	Name    string // the file name the server records
	Content io.Reader
	// Fields are other form fields, sent before the file.
	Fields map[string]string
}

// Sent reports whether Do put a request on the wire: when not, the server
// surely did nothing.
func (r *Request) Sent() bool { return r.sent }

// buildPath checks every path value against its parameter and returns
// the escaped path, relative to the app root.
func buildPath(op *catalog.Op, values Path) (string, error) {
	for name := range values {
		if !op.HasParam(name) {
			return "", Invalid(op.ID, name, "%s has no path parameter %q", op.Path, name)
		}
	}
	var b strings.Builder
	rest := op.Path
	for {
		open := strings.IndexByte(rest, '{')
		if open < 0 {
			b.WriteString(rest)
			return b.String(), nil
		}
		end := strings.IndexByte(rest[open:], '}') + open
		b.WriteString(rest[:open])
		name := rest[open+1 : end]
		v, ok := values[name]
		if !ok {
			return "", Invalid(op.ID, name, "missing path value")
		}
		escaped, err := pathValue(op, name, v)
		if err != nil {
			return "", err
		}
		b.WriteString(escaped)
		rest = rest[end+1:]
	}
}

// pathValue checks and escapes one parameter's value.
func pathValue(op *catalog.Op, name, v string) (string, error) {
	parts := []string{v}
	if c := op.Cap(name); c != nil && c.In == catalog.InPath && c.Kind == catalog.CapCount {
		parts = strings.Split(v, ",")
		if c.Max > 0 && len(parts) > c.Max || len(parts) < c.Min {
			return "", Invalid(op.ID, name, "%d values, allowed %d to %d per call", len(parts), max(c.Min, 1), c.Max)
		}
	}
	for i, p := range parts {
		if err := rules.PathValue(name, p); err != nil {
			return "", &ValidationError{Op: op.ID, Field: name, Reason: err.Error()}
		}
		parts[i] = url.PathEscape(p)
	}
	for _, param := range op.Params {
		if param.Name == name && len(param.Enum) > 0 && !slices.Contains(param.Enum, v) {
			return "", Invalid(op.ID, name, "%q is not one of %v", v, param.Enum)
		}
	}
	return strings.Join(parts, ","), nil
}

// checkQuery bounds every query value.
func checkQuery(op *catalog.Op, q url.Values) error {
	for k, vs := range q {
		for _, v := range vs {
			if err := rules.QueryValue(v); err != nil {
				return &ValidationError{Op: op.ID, Field: k, Reason: err.Error()}
			}
		}
	}
	return nil
}
