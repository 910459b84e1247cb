package core

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob/internal/catalog"
)

// Where the docs disagree on a cap (60 on one page, 100 on a newer one),
// a batch sends no more than the lower count per call.
func TestBatchChunksAtTheCountEveryPageAccepts(t *testing.T) {
	require.Equal(t, 100, catalog.ChatroomsAddMembers.MaxItems("usernames"))
	var sizes []int
	b := &Batch[string, bool]{
		Op: catalog.ChatroomsAddMembers, Cap: "usernames", Field: "usernames", Key: FoldKey,
		Send: func(_ context.Context, chunk []string) ([]Outcome[bool], *Request, error) {
			sizes = append(sizes, len(chunk))
			out := make([]Outcome[bool], len(chunk))
			for i := range out {
				out[i] = Accepted(true)
			}
			return out, &Request{sent: true}, nil
		},
	}
	_, err := b.Run(context.Background(), nil, 1, names(130))
	require.NoError(t, err)
	assert.Equal(t, []int{60, 60, 10}, sizes)
}
