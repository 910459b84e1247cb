package messages_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/batch"
	"github.com/emquota/easemob/easemobtest"
	"github.com/emquota/easemob/messages"
)

// An uploaded file downloads as it was; its thumbnail too. A restricted
// one needs its share secret.
func TestUploadAndDownload(t *testing.T) {
	for name, opts := range map[string][]easemobtest.Option{
		"memory": nil,
		"dir":    {easemobtest.WithFileDir(t.TempDir())},
	} {
		t.Run(name, func(t *testing.T) {
			c, srv := newClient(t, opts)
			content := strings.Repeat("0123456789", 10_000)
			att, err := c.Messages.Upload(ctx, messages.Upload{Name: "a.txt", Content: strings.NewReader(content)})
			require.NoError(t, err)
			assert.NotEmpty(t, att.UUID)
			assert.Equal(t, srv.AppURL()+"/chatfiles/"+att.UUID, att.URL)

			var out bytes.Buffer
			n, err := c.Messages.Download(ctx, att.UUID, &out, "")
			require.NoError(t, err)
			assert.EqualValues(t, len(content), n)
			assert.Equal(t, content, out.String())
			out.Reset()
			_, err = c.Messages.DownloadThumbnail(ctx, att.UUID, &out, "")
			require.NoError(t, err)
			assert.Equal(t, content, out.String(), "the emulator's thumbnail is the original")
			assert.Equal(t, 1, srv.OpStats("files.DownloadThumbnail").Accepted, "the thumbnail header selects the op")

			secret, err := c.Messages.Upload(ctx, messages.Upload{Name: "s.png", Content: strings.NewReader("img"), Restrict: true})
			require.NoError(t, err)
			_, err = c.Messages.Download(ctx, secret.UUID, &out, "")
			_ = apiError(t, err, 401, "auth_bad_access_token", "")
			out.Reset()
			_, err = c.Messages.Download(ctx, secret.UUID, &out, secret.ShareSecret)
			require.NoError(t, err)
			assert.Equal(t, "img", out.String())

			_, err = c.Messages.Download(ctx, "no-such-file", &out, "")
			_ = apiError(t, err, 404, "entity_not_found", "file may not exists")
			assert.ErrorIs(t, err, easemob.ErrNotFound)
		})
	}
}

// Above the file limit the server answers 413; the SDK does not resend an
// upload (its content was read while it was sent).
func TestUploadOverTheLimit(t *testing.T) {
	c, srv := newClient(t, []easemobtest.Option{easemobtest.WithFileLimit(1000)})
	_, err := c.Messages.Upload(ctx, messages.Upload{Name: "big", Content: strings.NewReader(strings.Repeat("x", 1001))})
	_ = apiError(t, err, 413, "file exceeding maximum limit", "the file size exceeds the maximum limit.")
	assert.Equal(t, 1, srv.OpStats("files.Upload").Received)
	_, err = c.Messages.Upload(ctx, messages.Upload{Name: "ok", Content: strings.NewReader(strings.Repeat("x", 1000))})
	require.NoError(t, err)

	for name, u := range map[string]messages.Upload{
		"no content": {Name: "a"},
		"no name":    {Content: strings.NewReader("x")},
		"negative":   {Name: "a", Content: strings.NewReader("x"), ThumbWidth: -1},
	} {
		_, err := c.Messages.Upload(ctx, u)
		invalid(t, err, name)
	}
	_, err = c.Messages.Download(ctx, "a", nil, "")
	invalid(t, err, "nil writer")
}

// Attachments expire after 7 days unless kept forever; a refresh restarts
// the lifetime. Unknown files are reported failed.
func TestAttachmentLifetime(t *testing.T) {
	clk, opt := newClock(time.Now())
	c, _ := newClient(t, []easemobtest.Option{opt})
	up := func() string {
		att, err := c.Messages.Upload(ctx, messages.Upload{Name: "f", Content: strings.NewReader("x")})
		require.NoError(t, err)
		return att.UUID
	}
	keep, plain, refreshed := up(), up(), up()
	res, err := c.Messages.SetLifetime(ctx, "alice", messages.LifetimeForever, []string{keep, "missing"})
	var be *batch.Error
	require.ErrorAs(t, err, &be)
	assert.Equal(t, "success", res.Items[0].Value)
	assert.Equal(t, batch.Failed, res.Items[1].Status)
	assert.Equal(t, "failed", res.Items[1].Reason)

	clk.add(5 * 24 * time.Hour)
	_, err = c.Messages.SetLifetime(ctx, "alice", messages.LifetimeRefresh, []string{refreshed})
	require.NoError(t, err)
	clk.add(3 * 24 * time.Hour)
	var sink bytes.Buffer
	_, err = c.Messages.Download(ctx, plain, &sink, "")
	_ = apiError(t, err, 404, "file_expired", "file "+plain+" is expired")
	for _, id := range []string{keep, refreshed} {
		_, err = c.Messages.Download(ctx, id, &sink, "")
		assert.NoError(t, err)
	}

	_, err = c.Messages.SetLifetime(ctx, "alice", "a week", []string{keep})
	invalid(t, err, "lifetime")
	_, err = c.Messages.SetLifetime(ctx, "alice", messages.LifetimeDefault, nil)
	invalid(t, err, "no files")
}

// SetLifetime splits above 100 files.
func TestSetLifetimeSplits(t *testing.T) {
	c, srv := newClient(t, nil)
	var ids []string
	for range 101 {
		att, err := c.Messages.Upload(ctx, messages.Upload{Name: "f", Content: strings.NewReader("x")})
		require.NoError(t, err)
		ids = append(ids, att.UUID)
	}
	res, err := c.Messages.SetLifetime(ctx, "alice", messages.LifetimeForever, ids)
	require.NoError(t, err)
	assert.Equal(t, 101, res.Count(batch.Done))
	assert.Equal(t, 2, srv.OpStats("files.SetLifetime").Accepted)
}
