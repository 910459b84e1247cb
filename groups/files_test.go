package groups_test

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/groups"
)

// onlyReader hides a reader's size, as a network stream would.
type onlyReader struct{ io.Reader }

func TestSharedFiles(t *testing.T) {
	g, srv := newClient(t)
	ctx := context.Background()
	u := users(t, srv, "s", 1)
	id, err := srv.AddGroup(u[0])
	require.NoError(t, err)

	content := bytes.Repeat([]byte("0123456789"), 100_000) // 1 MB
	up, err := g.UploadSharedFile(ctx, id, "big.bin", onlyReader{bytes.NewReader(content)})
	require.NoError(t, err)
	assert.Equal(t, "big.bin", up.Name)
	assert.Equal(t, int64(len(content)), up.Size)
	assert.Equal(t, id, up.GroupID)
	assert.True(t, strings.HasSuffix(up.URL, "/share_files/"+up.ID))
	second, err := g.UploadSharedFile(ctx, id, "small.txt", strings.NewReader("hi"))
	require.NoError(t, err)

	files, err := g.SharedFiles(ctx, id, groups.FilesParams{})
	require.NoError(t, err)
	require.Len(t, files, 2)
	assert.Equal(t, second.ID, files[0].ID, "newest first")
	assert.Equal(t, u[0], files[0].Owner)
	var all []string
	for f, err := range g.AllSharedFiles(ctx, id, groups.FilesParams{PageSize: 1}) {
		require.NoError(t, err)
		all = append(all, f.Name)
	}
	assert.Equal(t, []string{"small.txt", "big.bin"}, all)

	var got bytes.Buffer
	require.NoError(t, g.DownloadSharedFile(ctx, id, up.ID, &got))
	assert.Equal(t, content, got.Bytes(), "streamed back byte for byte")

	ok, err := g.DeleteSharedFile(ctx, id, up.ID)
	require.NoError(t, err)
	assert.True(t, ok)
	err = g.DownloadSharedFile(ctx, id, up.ID, io.Discard)
	assert.ErrorIs(t, err, easemob.ErrNotFound)
	_, err = g.DeleteSharedFile(ctx, id, up.ID)
	assert.ErrorIs(t, err, easemob.ErrNotFound)

	// Over 10 MB: refused before any quota when the size is known, cut
	// off while sending when it is not.
	big := bytes.NewReader(make([]byte, 10<<20+1))
	_, err = g.UploadSharedFile(ctx, id, "huge", big)
	assert.ErrorIs(t, err, easemob.ErrInvalidArgument)
	assert.Equal(t, 2, srv.Stats(easemob.GroupGroupsUploadSharedFile).Received)
	_, err = g.UploadSharedFile(ctx, id, "huge", onlyReader{bytes.NewReader(make([]byte, 10<<20+1))})
	require.Error(t, err)
	files, err = g.SharedFiles(ctx, id, groups.FilesParams{})
	require.NoError(t, err)
	assert.Len(t, files, 1, "nothing was stored")

	_, err = g.UploadSharedFile(ctx, "404404", "x", strings.NewReader("x"))
	assert.ErrorIs(t, err, easemob.ErrNotFound)
}
