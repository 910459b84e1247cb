package easemobtest

import (
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"slices"
	"strings"
)

// errGroupFile is the 404 of the shared-file pages.
func errGroupFile(desc string) *apiError {
	return &apiError{http.StatusNotFound, "resource_not_found", "RestGroupFeignException", desc}
}

// fileGroup is q.group with the shared-file pages' 404.
func (q *request) fileGroup() (*chatGroup, *apiError) {
	g, aerr := q.group()
	if aerr != nil {
		aerr = errGroupFile(aerr.description)
	}
	return g, aerr
}

func listSharedFiles(q *request) (any, *apiError) {
	g, aerr := q.fileGroup()
	if aerr != nil {
		return nil, aerr
	}
	// Newest first, as the documented example lists them.
	all := slices.Clone(g.files)
	slices.Reverse(all)
	page := pageOf(all, q.intQuery("pagenum", 1), 1, q.pageSize("pagesize", maxFilesPage, maxFilesPage))
	env := q.groupAnswer(page)
	env.Params = q.r.URL.Query()
	return env, nil
}

// upload is the file part of a multipart upload.
type upload struct {
	name    string
	content []byte
}

// readUpload reads the "file" part of a multipart body.
// uploadReader reads a multipart body: streamed from the request when the
// route takes only multipart bodies, else from the body already read.
func uploadReader(q *request) (*multipart.Reader, error) {
	if q.streamed {
		return q.r.MultipartReader()
	}
	_, params, err := mime.ParseMediaType(q.r.Header.Get("Content-Type"))
	if err != nil || params["boundary"] == "" {
		return nil, http.ErrNotMultipart
	}
	return multipart.NewReader(bytes.NewReader(q.body), params["boundary"]), nil
}

func readUpload(q *request) (*upload, *apiError) {
	if u, ok := q.parsed.(*upload); ok {
		return u, nil
	}
	missing := &apiError{http.StatusBadRequest, "illegal_argument", "IllegalArgumentException", "file must be provided."}
	mr, err := uploadReader(q)
	if err != nil {
		return nil, missing
	}
	for {
		p, err := mr.NextPart()
		if err != nil {
			return nil, missing
		}
		if p.FormName() != "file" {
			continue
		}
		b, err := io.ReadAll(io.LimitReader(p, maxSharedFileBytes+1))
		if err != nil {
			return nil, missing
		}
		if len(b) > maxSharedFileBytes {
			return nil, &apiError{http.StatusBadRequest, "illegal_argument", "IllegalArgumentException", "file size exceeds the limit of 10 MB"}
		}
		u := &upload{name: p.FileName(), content: b}
		q.parsed = u
		return u, nil
	}
}

func checkUpload(q *request) *apiError {
	_, aerr := readUpload(q)
	return aerr
}

func uploadSharedFile(q *request) (any, *apiError) {
	g, aerr := q.fileGroup()
	if aerr != nil {
		return nil, aerr
	}
	if len(g.files) >= maxSharedFiles {
		return nil, errExceed("group share files number more than max limit : 10000")
	}
	u, _ := readUpload(q)
	f := &sharedFile{ID: newUUID(), Name: u.name, Owner: g.owner, Size: len(u.content), Created: q.now.UnixMilli(), content: u.content}
	g.files = append(g.files, f)
	env := q.groupAnswer(nil).withURI(q)
	env.Data = map[string]any{"file_url": env.URI + "/" + f.ID, "group_id": g.id, "file_name": f.Name,
		"created": f.Created, "file_id": f.ID, "file_size": f.Size}
	return env, nil
}

// file finds the shared file of the path.
func (q *request) file() (*chatGroup, int, *apiError) {
	g, aerr := q.fileGroup()
	if aerr != nil {
		return nil, 0, aerr
	}
	id := q.param("file_id")
	i := slices.IndexFunc(g.files, func(f *sharedFile) bool { return f.ID == id })
	if i < 0 {
		return nil, 0, errGroupFile("file " + id + " does not exist!")
	}
	return g, i, nil
}

// downloadSharedFile answers the file's bytes, not JSON.
func downloadSharedFile(q *request) (any, *apiError) {
	g, i, aerr := q.file()
	if aerr != nil {
		return nil, aerr
	}
	rec := &recorder{header: http.Header{}}
	rec.header.Set("Content-Type", "application/octet-stream")
	_, _ = rec.Write(g.files[i].content)
	return rec, nil
}

func deleteSharedFile(q *request) (any, *apiError) {
	g, i, aerr := q.file()
	if aerr != nil {
		return nil, aerr
	}
	id := g.files[i].ID
	g.files = slices.Delete(g.files, i, i+1)
	return q.groupAnswer(map[string]any{"group_id": g.id, "file_id": id, "result": true}), nil
}

// Member attributes answer in their own envelope: timestamp, data, duration.
func (q *request) metadataAnswer(data any) *envelope {
	env := &envelope{Timestamp: q.now.UnixMilli()}
	env.Data = data
	return env
}

func errMetadata(status int, desc string) *apiError {
	return &apiError{status, "metadata_error", "MetadataException", desc}
}

// checkAttrs applies the documented bounds of one member's attributes.
func checkAttrs(attrs map[string]string) *apiError {
	total := 0
	for k, v := range attrs {
		switch {
		case k == "" || len(k) > maxMemberAttrKey:
			return errMetadata(http.StatusBadRequest, "exceeds chatgroup user metadata single key limit")
		case len(v) > maxMemberAttrValue:
			return errMetadata(http.StatusBadRequest, "exceeds chatgroup user metadata single value limit")
		}
		total += len(k) + len(v)
	}
	if total > maxMemberAttrTotal {
		return errMetadata(http.StatusBadRequest, "exceeds chatgroup user metadata total size limit")
	}
	return nil
}

type memberAttrsBody struct {
	MetaData map[string]string `json:"metaData"`
}

func checkMemberAttributes(q *request) *apiError {
	b, aerr := decodeBody[memberAttrsBody](q)
	if aerr != nil {
		return aerr
	}
	if b.MetaData == nil {
		return errMetadata(http.StatusBadRequest, "metaData must be provided")
	}
	return checkAttrs(b.MetaData)
}

// attrGroup is q.group with the attribute pages' 404.
func (q *request) attrGroup() (*chatGroup, *apiError) {
	g, aerr := q.group()
	if aerr != nil {
		aerr = errMetadata(http.StatusNotFound, "group not exists")
	}
	return g, aerr
}

// setAttrs merges attrs into a member's: an empty value deletes its key.
// The merged set must stay within the total bound.
func (g *chatGroup) setAttrs(user string, attrs map[string]string) *apiError {
	merged := map[string]string{}
	for k, v := range g.attrs[user] {
		merged[k] = v
	}
	for k, v := range attrs {
		if v == "" {
			delete(merged, k)
		} else {
			merged[k] = v
		}
	}
	if aerr := checkAttrs(merged); aerr != nil {
		return aerr
	}
	g.attrs[user] = merged
	return nil
}

// notInGroupError is the attribute pages' 400 for users outside the group.
func notInGroupError(users []string) *apiError {
	return errMetadata(http.StatusBadRequest, "Some users are not in the group: "+strings.Join(users, ","))
}

func setMemberAttributes(q *request) (any, *apiError) {
	g, aerr := q.attrGroup()
	if aerr != nil {
		return nil, aerr
	}
	user := fold(q.param("username"))
	if !g.isMember(user) {
		return nil, notInGroupError([]string{user})
	}
	b, _ := decodeBody[memberAttrsBody](q)
	if aerr := g.setAttrs(user, b.MetaData); aerr != nil {
		return nil, aerr
	}
	return q.metadataAnswer(b.MetaData), nil
}

type memberAttrsItem struct {
	Username string            `json:"username"`
	Metadata map[string]string `json:"metadata"`
}

func checkMemberAttributesBatch(q *request) *apiError {
	items, aerr := decodeBody[[]memberAttrsItem](q)
	switch {
	case aerr != nil:
		return aerr
	case len(*items) > maxAttrBatch:
		return errMetadata(http.StatusBadRequest, "exceeds chatgroup metadata batch put users limit")
	}
	for _, it := range *items {
		if !validUser(it.Username) {
			return errIllegalArgument("username " + it.Username + " is not legal")
		}
		if aerr := checkAttrs(it.Metadata); aerr != nil {
			return aerr
		}
	}
	return nil
}

// setMemberAttributesBatch sets each member's attributes; a user given
// twice is merged. The answer spells its keys as the documented example
// does, with a trailing colon.
func setMemberAttributesBatch(q *request) (any, *apiError) {
	g, aerr := q.attrGroup()
	if aerr != nil {
		return nil, aerr
	}
	items, _ := decodeBody[[]memberAttrsItem](q)
	var outside []string
	for _, it := range *items {
		if u := fold(it.Username); !g.isMember(u) && !slices.Contains(outside, u) {
			outside = append(outside, u)
		}
	}
	if len(outside) > 0 {
		return nil, notInGroupError(outside)
	}
	done := []memberAttrsItem{}
	failed := []map[string]string{}
	for _, it := range *items {
		u := fold(it.Username)
		if aerr := g.setAttrs(u, it.Metadata); aerr != nil {
			failed = append(failed, map[string]string{"username": u, "reason": aerr.description})
			continue
		}
		done = append(done, memberAttrsItem{u, it.Metadata})
	}
	return q.metadataAnswer(map[string]any{"updateMetadataFailed:": failed, "updateMetadataSucceeded:": done}), nil
}

func getMemberAttributes(q *request) (any, *apiError) {
	g, aerr := q.attrGroup()
	if aerr != nil {
		return nil, aerr
	}
	user := fold(q.param("username"))
	if !g.isMember(user) {
		return nil, errMetadata(http.StatusNotFound, "user not in group")
	}
	return q.metadataAnswer(attrsOf(g, user, nil)), nil
}

// attrsOf returns a member's attributes, only the keys named when any are.
func attrsOf(g *chatGroup, user string, keys []string) map[string]string {
	out := map[string]string{}
	for k, v := range g.attrs[user] {
		if len(keys) == 0 || slices.Contains(keys, k) {
			out[k] = v
		}
	}
	return out
}

type attrTargets struct {
	Targets    []string `json:"targets"`
	Properties []string `json:"properties"`
}

func checkAttributeTargets(q *request) *apiError {
	b, aerr := decodeBody[attrTargets](q)
	switch {
	case aerr != nil:
		return aerr
	case len(b.Targets) == 0:
		return errMetadata(http.StatusBadRequest, "targets must be provided")
	case len(b.Targets) > maxAttrTargets:
		return errMetadata(http.StatusBadRequest, "query param reaches limit.")
	}
	return nil
}

// getMembersAttributes answers the members among the targets; others are
// left out.
func getMembersAttributes(q *request) (any, *apiError) {
	g, aerr := q.attrGroup()
	if aerr != nil {
		return nil, aerr
	}
	b, _ := decodeBody[attrTargets](q)
	data := map[string]map[string]string{}
	for _, u := range b.Targets {
		if u = fold(u); g.isMember(u) {
			data[u] = attrsOf(g, u, b.Properties)
		}
	}
	return q.metadataAnswer(data), nil
}
