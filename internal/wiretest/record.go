package wiretest

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
)

// Request is one recorded request as its golden file holds it: what the
// SDK put on the wire, with credentials and transport noise removed.
type Request struct {
	// Op is the id of the op the case calls; the coverage test reads it.
	Op     string      `json:"op"`
	Method string      `json:"method"`
	Path   string      `json:"path"` // escaped, relative to /{org}/{app}
	Query  url.Values  `json:"query,omitempty"`
	Header http.Header `json:"header,omitempty"`
	// One of these holds the body, by its encoding.
	JSON  json.RawMessage `json:"json,omitempty"`
	Form  url.Values      `json:"form,omitempty"`
	Parts []Part          `json:"parts,omitempty"`
	Text  string          `json:"text,omitempty"`

	unreadable string // why the body could not be parsed by its type
}

// Part is one part of a multipart body.
type Part struct {
	Name        string `json:"name"`
	FileName    string `json:"filename,omitempty"`
	ContentType string `json:"content_type,omitempty"`
	Body        string `json:"body"`
}

// AppToken is the token the harness's server hands out; recorded requests
// show it as "Bearer <app token>".
const AppToken = "YWMt-wiretest-app-token"

// Headers that vary with the transport, not with the SDK's choices.
var noiseHeaders = []string{"User-Agent", "Content-Length", "Accept-Encoding"}

// record turns an HTTP request into its golden form; prefix is /{org}/{app}.
func record(r *http.Request, body []byte, prefix string) (*Request, error) {
	rec := &Request{
		Method: r.Method,
		Path:   strings.TrimPrefix(r.URL.EscapedPath(), prefix),
		Header: r.Header.Clone(),
	}
	if q := r.URL.Query(); len(q) > 0 {
		rec.Query = q
	}
	for _, h := range noiseHeaders {
		rec.Header.Del(h)
	}
	if a := rec.Header.Get("Authorization"); a != "" {
		if a == "Bearer "+AppToken {
			a = "Bearer <app token>"
		} else {
			a = "<redacted>" // some other credential: never into a golden
		}
		rec.Header.Set("Authorization", a)
	}
	if len(body) == 0 {
		return rec, nil
	}
	media, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch {
	case media == "application/json":
		v, err := decodeJSON(body)
		if err != nil {
			rec.Text = string(body) // not JSON after all: recorded as it is
			return rec, nil         //nolint:nilerr // the golden shows the bad body
		}
		rec.JSON, err = json.Marshal(v)
		return rec, err
	case media == "application/x-www-form-urlencoded":
		form, err := url.ParseQuery(string(body))
		rec.Form = form
		return rec, err
	case strings.HasPrefix(media, "multipart/"):
		rec.Header.Set("Content-Type", media) // the boundary is random
		return rec, readParts(rec, body, params["boundary"])
	}
	rec.Text = string(body)
	return rec, nil
}

func readParts(rec *Request, body []byte, boundary string) error {
	mr := multipart.NewReader(bytes.NewReader(body), boundary)
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		b, err := io.ReadAll(p)
		if err != nil {
			return err
		}
		rec.Parts = append(rec.Parts, Part{
			Name: p.FormName(), FileName: p.FileName(),
			ContentType: p.Header.Get("Content-Type"), Body: string(b),
		})
	}
}

// decodeJSON decodes keeping numbers exact, so 1542795196504 stays itself.
func decodeJSON(b []byte) (any, error) {
	var v any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

// canonical is the golden's text: indented, keys sorted (maps marshal
// sorted), the JSON body re-encoded, so two requests that mean the same
// give the same text.
func (r *Request) canonical() (string, error) {
	c := *r
	if len(c.JSON) > 0 {
		v, err := decodeJSON(c.JSON)
		if err != nil {
			return "", err
		}
		if c.JSON, err = json.Marshal(v); err != nil {
			return "", err
		}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // keep "<app token>" readable
	enc.SetIndent("", "  ")
	err := enc.Encode(&c)
	return b.String(), err
}
