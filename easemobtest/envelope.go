package easemobtest

import "net/url"

// envelope is the "usergrid" success body (envelope A of the docs). Every
// field but timestamp and duration is omitted when unset, so each handler
// fills exactly the fields its documented example shows; a non-nil empty
// slice in Entities or Data is kept as [].
type envelope struct {
	Action          string     `json:"action,omitempty"`
	Application     string     `json:"application,omitempty"`
	Params          url.Values `json:"params,omitempty"`
	Path            string     `json:"path,omitempty"`
	URI             string     `json:"uri,omitempty"`
	Entities        any        `json:"entities,omitempty"`
	Data            any        `json:"data,omitempty"`
	Timestamp       int64      `json:"timestamp"`
	Duration        int        `json:"duration"`
	Organization    string     `json:"organization,omitempty"`
	ApplicationName string     `json:"applicationName,omitempty"`
	Count           *int       `json:"count,omitempty"`
	Cursor          string     `json:"cursor,omitempty"`
	// Properties is sent as {} where the op's example shows it, and holds
	// the cursor of the lists that put it there (threads); nil omits it.
	Properties any `json:"properties,omitempty"`
	// Status is "ok" in the answers that carry one (contact remark, import).
	Status string `json:"status,omitempty"`
}

// envelope starts a success body with action and timestamp.
func (q *request) envelope(action string) *envelope {
	return &envelope{Action: action, Timestamp: q.now.UnixMilli()}
}

// withURI adds the request's absolute URI, as the server echoes it.
func (env *envelope) withURI(q *request) *envelope {
	scheme := "http"
	if q.r.TLS != nil {
		scheme = "https"
	}
	env.URI = scheme + "://" + q.r.Host + q.r.URL.EscapedPath()
	return env
}

// withApp adds application, organization and applicationName.
func (env *envelope) withApp(q *request) *envelope {
	env.Application, env.Organization, env.ApplicationName = q.e.appUUID, q.e.org, q.e.app
	return env
}

// withCount sets count.
func (env *envelope) withCount(n int) *envelope {
	env.Count = &n
	return env
}
