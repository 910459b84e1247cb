package easemobtest

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"os"
	"strconv"
	"time"
)

// storedFile is an uploaded file: its content in memory, or in a file of
// WithFileDir's directory.
type storedFile struct {
	name       string
	secret     string
	restricted bool
	data       []byte
	path       string
	size       int64
	uploaded   time.Time
	expires    time.Time // zero: kept for good
	deleted    bool      // its message was recalled
}

// received is an upload read by receiveFile, before it is stored.
type received struct {
	name       string
	data       []byte
	path       string
	size       int64
	restricted bool
}

func errFileTooLarge() *apiError {
	return &apiError{http.StatusRequestEntityTooLarge, "file exceeding maximum limit", "FileExceedingMaximumLimitException",
		"the file size exceeds the maximum limit."}
}

// receiveFile reads the multipart body as it arrives, before the world is
// locked: a file may be large. It keeps at most the file limit.
func receiveFile(q *request) *apiError {
	cfg := q.e.cfg.messages
	noFile := errIllegalArgument("file must be provided.")
	mr, err := q.r.MultipartReader()
	if err != nil {
		return noFile
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return noFile
		}
		if err != nil {
			return errIllegalArgument("cannot read the multipart body: " + err.Error())
		}
		if part.FormName() != "file" {
			continue
		}
		rec := &received{name: part.FileName(), restricted: q.r.Header.Get("restrict-access") == "true"}
		if aerr := rec.read(part, cfg); aerr != nil {
			return aerr
		}
		q.parsed = rec
		return nil
	}
}

// read copies the file into memory or into the file directory.
func (rec *received) read(r io.Reader, cfg messageConfig) *apiError {
	limited := io.LimitReader(r, cfg.fileLimit+1)
	if cfg.fileDir == "" {
		var buf bytes.Buffer
		n, err := buf.ReadFrom(limited)
		if err != nil {
			return errIllegalArgument("cannot read the file: " + err.Error())
		}
		if n > cfg.fileLimit {
			return errFileTooLarge()
		}
		rec.data, rec.size = buf.Bytes(), n
		return nil
	}
	f, err := os.CreateTemp(cfg.fileDir, "chatfile-*")
	if err != nil {
		return &apiError{http.StatusInternalServerError, "server_error", "IOException", err.Error()}
	}
	defer func() { _ = f.Close() }() // best effort: the copy's own error is what is reported
	n, err := io.Copy(f, limited)
	if err == nil && n > cfg.fileLimit {
		_ = os.Remove(f.Name())
		return errFileTooLarge()
	}
	if err != nil {
		_ = os.Remove(f.Name())
		return errIllegalArgument("cannot read the file: " + err.Error())
	}
	rec.path, rec.size = f.Name(), n
	return nil
}

// fileEntity is an upload's entity in the answer.
type fileEntity struct {
	UUID        string `json:"uuid"`
	Type        string `json:"type"`
	ShareSecret string `json:"share-secret"`
}

func storeFile(q *request) (any, *apiError) {
	rec := q.parsed.(*received)
	s := &q.w.messages
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	id := newUUID()
	s.files[id] = &storedFile{name: rec.name, secret: base64.RawURLEncoding.EncodeToString(b), restricted: rec.restricted,
		data: rec.data, path: rec.path, size: rec.size, uploaded: q.now, expires: q.now.Add(s.cfg.fileLifetime)}
	env := q.envelope("post").withURI(q).withApp(q)
	env.Path, env.Entities = "/chatfiles", []fileEntity{{UUID: id, Type: "chatfile", ShareSecret: s.files[id].secret}}
	return env, nil
}

// binaryAnswer is a success answer that is not JSON: a file.
type binaryAnswer interface{ send(w http.ResponseWriter) }

func isBinary(v any) bool {
	_, ok := v.(binaryAnswer)
	return ok
}

// fileContent sends a stored file; the content never changes once
// stored, so it is sent after the world's lock is released.
type fileContent struct {
	data []byte
	path string
	size int64
}

func (f fileContent) send(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Length", strconv.FormatInt(f.size, 10))
	if f.path == "" {
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(f.data)
		return
	}
	file, err := os.Open(f.path)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer func() { _ = file.Close() }() // read only
	w.WriteHeader(http.StatusOK)
	_, _ = io.Copy(w, file)
}

func downloadFile(q *request) (any, *apiError) {
	id := q.param("file_uuid")
	f := q.w.messages.files[id]
	switch {
	case f == nil || f.deleted:
		return nil, &apiError{http.StatusNotFound, "entity_not_found", "EntityNotFoundException", "file may not exists"}
	case !f.expires.IsZero() && !q.now.Before(f.expires):
		return nil, &apiError{http.StatusNotFound, "file_expired", "FileExpiredException", "file " + id + " is expired"}
	case f.restricted && q.r.Header.Get("share-secret") != f.secret:
		return nil, errBadToken()
	}
	// Thumbnails: the emulator answers the original, as the server does
	// for images up to 10 KB.
	return fileContent{data: f.data, path: f.path, size: f.size}, nil
}

type lifetimeRequest struct {
	Lifetime string   `json:"lifetime"`
	IDs      []string `json:"chatfile_ids"`
}

func setLifetime(q *request) (any, *apiError) {
	req, aerr := decodeBody[lifetimeRequest](q)
	if aerr != nil {
		return nil, aerr
	}
	s := &q.w.messages
	data := make(map[string]string, len(req.IDs))
	for _, id := range req.IDs {
		f := s.files[id]
		if f == nil || f.deleted {
			data[id] = "failed"
			continue
		}
		switch req.Lifetime {
		case "forever":
			f.expires = time.Time{}
		case "refresh":
			f.expires = q.now.Add(s.cfg.fileLifetime)
		default:
			f.expires = f.uploaded.Add(s.cfg.fileLifetime)
		}
		data[id] = "success"
	}
	env := q.envelope("put").withURI(q).withApp(q)
	env.Path, env.Data = "/users/"+fold(q.param("username"))+"/chatfiles/lifetime", data
	return env, nil
}

// checkLifetime answers in the documented words before the schema does.
func checkLifetime(q *request) *apiError {
	req, aerr := decodeBody[lifetimeRequest](q)
	switch {
	case aerr != nil:
		return aerr
	case len(req.IDs) > q.op.MaxItems("chatfile_ids"):
		return errIllegalArgument("chatfile_ids size is too large")
	case req.Lifetime != "default" && req.Lifetime != "refresh" && req.Lifetime != "forever":
		return errIllegalArgument("lifetime must be either 'forever' or 'default' or 'refresh'。")
	}
	return nil
}
