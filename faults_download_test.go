package easemob_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob/easemobtest"
	"github.com/emquota/easemob/internal/catalog"
)

// A download whose answer broke off after some bytes is not resent into
// the same writer: the caller's writer would hold the partial bytes and
// then the whole file. The call fails, and the writer holds only what
// the one answer carried.
func TestDownloadCutOffIsNotResentIntoTheWriter(t *testing.T) {
	rig := newFaultRig(t, catalog.FilesDownload)
	file := strings.Repeat("0123456789", 100)
	cut := true
	require.NoError(t, rig.srv.Handle(catalog.FilesDownload.ID, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		if cut {
			cut = false // the handler runs on one goroutine at a time here
			w.Header().Set("Content-Length", "1000")
			_, _ = w.Write([]byte(file[:300]))
			return
		}
		_, _ = w.Write([]byte(file))
	}))
	var buf bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	n, err := rig.c.Messages.Download(ctx, "f1", &buf, "")
	require.Error(t, err, "the answer broke off after bytes reached the writer")
	attempts, _, _ := rig.tr.counts()
	assert.Equal(t, 1, attempts, "not resent once the writer has bytes")
	assert.Equal(t, file[:300], buf.String(), "the writer holds the one answer's bytes, no second copy")
	assert.Equal(t, int64(300), n)
}

// A download that failed before any byte reached the writer is a GET like
// any other: resent.
func TestDownloadFailedBeforeBytesIsResent(t *testing.T) {
	rig := newFaultRig(t, catalog.FilesDownload)
	require.NoError(t, rig.srv.Handle(catalog.FilesDownload.ID, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		_, _ = w.Write([]byte("whole file"))
	}))
	require.NoError(t, rig.srv.InjectFault(catalog.FilesDownload.ID, easemobtest.Fault{Status: 503, Count: 1}))
	var buf bytes.Buffer
	_, err := rig.c.Messages.Download(context.Background(), "f1", &buf, "")
	require.NoError(t, err)
	assert.Equal(t, "whole file", buf.String())
	attempts, _, _ := rig.tr.counts()
	assert.Equal(t, 2, attempts)
}
