package easemob_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/messages"
)

// An upload cannot be resent after a 401 (its body was read), but the
// expired token must not outlive it: the next upload fetches a new token
// and succeeds, instead of meeting the same 401 for ever.
func TestUploadAfterTokenExpiryRefreshesForTheNext(t *testing.T) {
	rig := newFaultRig(t, catalog.FilesUpload)
	rig.warm(t, catalog.FilesUpload, newSlots())
	rig.srv.ExpireTokens()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	up := func() error {
		_, err := rig.c.Messages.Upload(ctx, messages.Upload{Name: "a.txt", Content: strings.NewReader("bytes")})
		return err
	}
	require.ErrorIs(t, up(), easemob.ErrUnauthorized, "the upload that met the expiry fails: it cannot be replayed")
	require.NoError(t, up(), "the next upload has a fresh token")
	_, fetches, _ := rig.tr.counts()
	assert.Equal(t, 1, fetches, "one token fetch after the expiry")
}
