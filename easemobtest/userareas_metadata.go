package easemobtest

import (
	"mime"
	"net/http"
	"net/url"
	"strconv"
)

// Documented totals of user attributes (userprofile.md): 2 KB per user and
// 10 GB per app, keys and values counted in bytes.
const (
	maxMetadataPerUser = 2 << 10
	maxMetadataPerApp  = 10 << 30
	maxMetadataBatch   = 100
)

// metadataState holds user attributes and the app's total size.
type metadataState struct {
	byUser map[string]map[string]string
	total  int
}

func metadataSize(m map[string]string) int {
	n := 0
	for k, v := range m {
		n += len(k) + len(v)
	}
	return n
}

func (s *metadataState) drop(user string) {
	s.total -= metadataSize(s.byUser[user])
	delete(s.byUser, user)
}

func errMetadataForbidden(desc string) *apiError {
	return &apiError{http.StatusForbidden, "FORBIDDEN", "MetadataException", desc}
}

// metadataUser is the user a metadata call names; a user token may act
// only for its own user (401 metadata_error otherwise).
func (q *request) metadataUser() (string, *apiError) {
	name := fold(q.param("username"))
	if u := q.tokenUser(); u != "" && u != name {
		return "", &apiError{http.StatusUnauthorized, "metadata_error", "MetadataException", "auth error"}
	}
	return name, nil
}

// metadataEnvelope is envelope B of the docs: timestamp, data, duration.
func (q *request) metadataEnvelope(data any) *envelope {
	env := q.envelope("")
	env.Data = data
	return env
}

// checkSetMetadata refuses a JSON body as the server does (415); the form
// is read by the handler.
func checkSetMetadata(q *request) *apiError {
	media, _, _ := mime.ParseMediaType(q.r.Header.Get("Content-Type"))
	if media != "application/x-www-form-urlencoded" {
		return &apiError{http.StatusUnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE", "HttpMediaTypeNotSupportedException",
			"Content-Type '" + q.r.Header.Get("Content-Type") + "' is not supported."}
	}
	if _, err := url.ParseQuery(string(q.body)); err != nil {
		return errIllegalArgument("the form does not parse: " + err.Error())
	}
	return nil
}

func setMetadata(q *request) (any, *apiError) {
	name, aerr := q.metadataUser()
	if aerr != nil {
		return nil, aerr
	}
	form, _ := url.ParseQuery(string(q.body))
	s := &q.w.areas.metadata
	old := s.byUser[name]
	merged := make(map[string]string, len(old)+len(form))
	for k, v := range old {
		merged[k] = v
	}
	set := map[string]string{}
	for k, vs := range form {
		merged[k], set[k] = vs[len(vs)-1], vs[len(vs)-1]
	}
	size := metadataSize(merged)
	switch {
	case size > maxMetadataPerUser:
		return nil, errMetadataForbidden("size of metadata for this single user exceeds the user defined limit, " + strconv.Itoa(maxMetadataPerUser) + "Bytes")
	case s.total-metadataSize(old)+size > maxMetadataPerApp:
		return nil, errMetadataForbidden("total size of user metadata for this app exceeds the user defined limit, " + strconv.Itoa(maxMetadataPerApp) + "Bytes")
	}
	s.total += size - metadataSize(old)
	made(&s.byUser)[name] = merged
	return q.metadataEnvelope(set), nil
}

// getMetadata answers {} for a user without attributes or not registered.
func getMetadata(q *request) (any, *apiError) {
	name, aerr := q.metadataUser()
	if aerr != nil {
		return nil, aerr
	}
	out := map[string]string{}
	for k, v := range q.w.areas.metadata.byUser[name] {
		out[k] = v
	}
	return q.metadataEnvelope(out), nil
}

type metadataBatch struct {
	Targets    []string `json:"targets"`
	Properties []string `json:"properties"`
}

func checkMetadataBatch(q *request) *apiError {
	b, aerr := decodeBody[metadataBatch](q)
	if aerr == nil && len(b.Targets) > maxMetadataBatch {
		aerr = &apiError{http.StatusBadRequest, "BAD_REQUEST", "MetadataException", "exceed allowed batch size " + strconv.Itoa(maxMetadataBatch)}
	}
	return aerr
}

// getMetadataBatch answers the listed keys of the listed users; users and
// keys without a value are left out.
func getMetadataBatch(q *request) (any, *apiError) {
	b, _ := decodeBody[metadataBatch](q)
	out := map[string]map[string]string{}
	for _, t := range b.Targets {
		attrs := q.w.areas.metadata.byUser[fold(t)]
		for _, p := range b.Properties {
			if v, ok := attrs[p]; ok {
				mapOf(&out, fold(t))[p] = v
			}
		}
	}
	return q.metadataEnvelope(out), nil
}

func deleteMetadata(q *request) (any, *apiError) {
	name, aerr := q.metadataUser()
	if aerr != nil {
		return nil, aerr
	}
	q.w.areas.metadata.drop(name)
	return q.metadataEnvelope(true), nil
}

func getMetadataCapacity(q *request) (any, *apiError) {
	return q.metadataEnvelope(q.w.areas.metadata.total), nil
}
