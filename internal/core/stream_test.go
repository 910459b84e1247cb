package core

import (
	"bytes"
	"context"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/ratelimit"
)

// An upload is streamed as multipart/form-data with its fields and file;
// a download is copied to the writer as it arrives.
func TestUploadAndDownloadStream(t *testing.T) {
	var got struct {
		restrict, name, content, secret string
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodPost:
			_, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
			require.NoError(t, err)
			mr := multipart.NewReader(r.Body, params["boundary"])
			for {
				p, err := mr.NextPart()
				if err == io.EOF {
					break
				}
				require.NoError(t, err)
				b, _ := io.ReadAll(p)
				if p.FormName() == "file" {
					got.name, got.content = p.FileName(), string(b)
				} else {
					got.restrict = string(b)
				}
			}
			_, _ = io.WriteString(w, `{"entities":[{"uuid":"u1"}]}`)
		default:
			got.secret = r.Header.Get("share-secret")
			_, _ = io.WriteString(w, strings.Repeat("z", 1<<16))
		}
	}))
	defer srv.Close()
	c := newTestClient(t, Options{BaseURL: srv.URL, AppKey: testAppKey, Token: "static",
		Limits: ratelimit.NewRegistry(highQuotas()).App(testAppKey)})
	ctx := context.Background()

	up := &Request{Op: catalog.FilesUpload, Upload: &Upload{Field: "file", Name: "a.txt",
		Content: strings.NewReader("hello"), Fields: map[string]string{"restrict-access": "true"}}, Result: new(map[string]any)}
	require.NoError(t, c.Do(ctx, up))
	assert.Equal(t, "a.txt", got.name)
	assert.Equal(t, "hello", got.content)
	assert.Equal(t, "true", got.restrict)

	var out bytes.Buffer
	down := &Request{Op: catalog.FilesDownload, Path: P("file_uuid", "f1"), Download: &out, Header: http.Header{"share-secret": {"s"}}}
	require.NoError(t, c.Do(ctx, down))
	assert.Equal(t, 1<<16, out.Len())
	assert.Equal(t, "s", got.secret)
}

// An upload is never held whole in memory: the bytes allocated while a
// file is sent stay far below its size.
func TestUploadIsNotBuffered(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		_, _ = io.WriteString(w, `{"entities":[{"uuid":"u1"}]}`)
	}))
	defer srv.Close()
	c := newTestClient(t, Options{BaseURL: srv.URL, AppKey: testAppKey, Token: "static",
		Limits: ratelimit.NewRegistry(highQuotas()).App(testAppKey)})
	const size = 16 << 20
	upload := func() {
		up := &Request{Op: catalog.FilesUpload, Upload: &Upload{Field: "file", Name: "big.bin",
			Content: io.LimitReader(zeros{}, size)}, Result: new(map[string]any)}
		require.NoError(t, c.Do(context.Background(), up))
	}
	upload() // warm the connection and the pools
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	upload()
	runtime.ReadMemStats(&after)
	assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(size/8), "allocated while uploading %d bytes", size)
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
