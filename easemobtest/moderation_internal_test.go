package easemobtest

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A list holds at most 10,000 words: the state is filled directly, as
// 10,000 words through the API would echo the growing list 100 times.
func TestKeywordListWordLimit(t *testing.T) {
	e := New()
	status, body := serveRaw(t, e, "POST", "/moderation/text/list", `{"name":"big","scope":"ALL","disposition":"REJECT","textContexts":[]}`)
	require.Equal(t, http.StatusOK, status, body)
	var id string
	e.world.locked(func() {
		s := &e.world.moderation
		l := s.lists[0]
		id = l.id
		words := make([]string, maxWordsPerList-1)
		for i := range words {
			words[i] = fmt.Sprint("w", i)
		}
		require.Nil(t, s.addWords(l, words, "v", 0))
	})
	status, body = serveRaw(t, e, "POST", "/moderation/text/list/"+id+"/word/batch", `{"wordContents":["last"],"userId":"v"}`)
	require.Equal(t, http.StatusOK, status, body)
	status, body = serveRaw(t, e, "POST", "/moderation/text/list/"+id+"/word/batch", `{"wordContents":["over"],"userId":"v"}`)
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Contains(t, body, `"error_description":"the number of words exceeds the limit"`)

	// Deleting the list gives its words back to the app's count.
	status, body = serveRaw(t, e, "DELETE", "/moderation/text/list/"+id, "")
	require.Equal(t, http.StatusOK, status, body)
	assert.JSONEq(t, `{"status":"OK"}`, body)
	e.world.locked(func() { assert.Zero(t, e.world.moderation.words) })
}
