package easemobtest

import (
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob/internal/catalog"
)

func TestLiteralSegmentBeatsParameter(t *testing.T) {
	param := &catalog.Op{ID: "param", Method: "POST", Path: "/users/{username}/status"}
	literal := &catalog.Op{ID: "literal", Method: "POST", Path: "/users/batch/status"}
	deep := &catalog.Op{ID: "deep", Method: "POST", Path: "/{a}/batch/{b}"}
	for _, ops := range [][]*catalog.Op{{param, literal, deep}, {deep, literal, param}} {
		rt := newRouter(ops)
		r, _ := rt.match("POST", splitPath("/users/batch/status"))
		require.NotNil(t, r)
		assert.Equal(t, "literal", r.ops[0].ID)
		r, _ = rt.match("POST", splitPath("/users/alice/status"))
		assert.Equal(t, "param", r.ops[0].ID)
		r, _ = rt.match("POST", splitPath("/x/batch/y"))
		assert.Equal(t, "deep", r.ops[0].ID)
		r, known := rt.match("GET", splitPath("/users/alice/status"))
		assert.Nil(t, r)
		assert.True(t, known)
	}
}

func TestPickBindsParamsOfChosenOp(t *testing.T) {
	rt := newRouter(catalog.Ops)
	segs := splitPath("/users/Bob")
	r, _ := rt.match("PUT", segs)
	require.NotNil(t, r)
	q := &request{r: httptest.NewRequest("PUT", "/", nil), body: []byte(`{"notification_display_style":1}`)}
	op := r.pick(q, segs)
	assert.Equal(t, "push.SetDisplayStyle", op.ID)
	assert.Equal(t, "Bob", q.param("username"))

	r, _ = rt.match("POST", splitPath("/token"))
	q = &request{r: httptest.NewRequest("POST", "/", nil), body: []byte(`{"grant_type":"weird"}`)}
	assert.Equal(t, "auth.GetAppToken", r.pick(q, nil).ID, "the first op is the fallback")
}
