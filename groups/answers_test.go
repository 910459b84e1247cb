package groups_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/batch"
	"github.com/emquota/easemob/easemobtest"
	"github.com/emquota/easemob/groups"
	"github.com/emquota/easemob/internal/emutest"
)

// The docs give one field as a boolean in one answer and a string in the
// next, rename fields across versions and send numbers as strings.
func TestLooseTypesDecode(t *testing.T) {
	var g groups.Group
	require.NoError(t, json.Unmarshal([]byte(`{"owner":"org#app_user_1","groupid":"1","affiliations":"2","last_modified":1441021038124,"groupname":"g","type":"group"}`), &g))
	assert.Equal(t, groups.Group{ID: "1", Name: "g", Owner: "user_1", QualifiedOwner: "org#app_user_1", Members: 2,
		Modified: time.UnixMilli(1441021038124)}, g)

	var d groups.Details
	require.NoError(t, json.Unmarshal([]byte(`{"id":"1","membersonly":"true","public":"false","maxusers":"300","mute":"true",
		"disabled":false,"created":"1682588716646","affiliations_count":"2","affiliations":[{"owner":"a"},{"member":"b"}]}`), &d))
	assert.True(t, d.MembersOnly)
	assert.False(t, d.Public)
	assert.True(t, d.AllMuted)
	assert.Equal(t, 300, d.MaxUsers)
	assert.Equal(t, 2, d.MemberCount)
	assert.Equal(t, time.UnixMilli(1682588716646), d.Created)
	assert.Equal(t, []groups.Member{{Username: "a", Role: groups.Owner}, {Username: "b", Role: groups.Plain}}, d.Members)

	var j groups.JoinedGroup
	require.NoError(t, json.Unmarshal([]byte(`{"id":"7","disabled":"false","public":"true","maxusers":"20"}`), &j))
	assert.Equal(t, "7", j.ID, "id stands in for a missing groupId")
	assert.True(t, j.Public)
	assert.Equal(t, 20, j.MaxUsers)

	var ms []groups.Member
	require.NoError(t, json.Unmarshal([]byte(`[{"owner":"a","joined_time":"1700000000000"},{"member":"b","joined_time":1700000000001}]`), &ms))
	assert.Equal(t, time.UnixMilli(1700000000000), ms[0].Joined, "joined_time as the table types it, a string")
	assert.Equal(t, time.UnixMilli(1700000000001), ms[1].Joined, "and as its example shows it, a number")

	var mutes []groups.Mute
	require.NoError(t, json.Unmarshal([]byte(`[{"user":"a","expire":-1},{"user":"b","expire":"1489158589481"}]`), &mutes))
	assert.Equal(t, []groups.Mute{{Username: "a", Forever: true}, {Username: "b", Expire: time.UnixMilli(1489158589481)}}, mutes)

	var f groups.SharedFile
	require.NoError(t, json.Unmarshal([]byte(`{"file_id":"x","file_size":"13512","created":"1599050554954"}`), &f))
	assert.Equal(t, int64(13512), f.Size)
}

// rewriting serves the emulator but answers the requests match picks
// with edit's body, under the emulator's status.
func rewriting(t *testing.T, match func(*http.Request) bool, edit func(body []byte) []byte) (*groups.Service, *easemobtest.Emulator) {
	c, emu := emutest.Rewriting(t, match, func(status int, body []byte) (int, []byte) { return status, edit(body) })
	return c.Groups, emu
}

func isCall(method, part string) func(*http.Request) bool {
	return func(r *http.Request) bool { return r.Method == method && strings.Contains(r.URL.Path, part) }
}

// seed registers n users u0.. and a group of all but the last, owned by u0.
func seed(t *testing.T, emu *easemobtest.Emulator, n int) ([]string, string) {
	t.Helper()
	names, err := emu.AddUsers(n, "u", "pw")
	require.NoError(t, err)
	id, err := emu.AddGroup(names[0], names[1:n-1]...)
	require.NoError(t, err)
	return names, id
}

// A per-user answer that leaves a name out reports it failed; it is not lost.
func TestPerUserAnswerThatOmitsANameReportsIt(t *testing.T) {
	g, emu := rewriting(t, isCall(http.MethodPost, "/mute"), func(body []byte) []byte {
		var m map[string]any
		_ = json.Unmarshal(body, &m)
		items := m["data"].([]any)
		m["data"] = items[1:] // the server forgets the first name of each call
		out, _ := json.Marshal(m)
		return out
	})
	names, id := seed(t, emu, 80)
	res, err := g.MuteMembers(context.Background(), id, names[1:71], time.Hour)
	var be *batch.Error
	require.ErrorAs(t, err, &be)
	assert.Equal(t, [2]int{68, 2}, [2]int{be.Done, be.Failed})
	for _, i := range []int{0, 60} {
		assert.Equal(t, batch.Failed, res.Items[i].Status, i)
		assert.Equal(t, "not in the server's answer", res.Items[i].Reason)
	}
}

// The batch attribute answer decodes with the table's key spelling too,
// and a failed member carries its reason.
func TestAttributeBatchAnswerSpellings(t *testing.T) {
	g, emu := rewriting(t, isCall(http.MethodPut, "/users/batch"), func([]byte) []byte {
		return []byte(`{"timestamp":1,"duration":0,"data":{"updateMetadataFailed":[{"username":"u2","reason":"too big"}],
			"updateMetadataSucceeded":[{"username":"u1","metadata":{"a":"1"}}]}}`)
	})
	_, id := seed(t, emu, 5)
	res, err := g.SetMemberAttributesBatch(context.Background(), id, []groups.MemberAttributes{
		{Username: "u1", Attributes: map[string]string{"a": "1"}},
		{Username: "u2", Attributes: map[string]string{"a": "2"}},
		{Username: "u3", Attributes: map[string]string{"a": "3"}},
	})
	require.Error(t, err)
	assert.Equal(t, map[string]string{"a": "1"}, res.Items[0].Value)
	assert.Equal(t, "too big", res.Items[1].Reason)
	assert.Equal(t, "not in the server's answer", res.Items[2].Reason)
}

// Admin calls answer "success" and "failure" as strings.
func TestAdminResultStrings(t *testing.T) {
	g, emu := rewriting(t, isCall(http.MethodDelete, "/admin/"), func([]byte) []byte {
		return []byte(`{"data":{"result":"failure","oldadmin":"u1"}}`)
	})
	names, id := seed(t, emu, 3)
	ok, err := g.AddAdmin(context.Background(), id, names[1])
	require.NoError(t, err)
	assert.True(t, ok, `"success"`)
	ok, err = g.RemoveAdmin(context.Background(), id, names[1])
	require.NoError(t, err)
	assert.False(t, ok, `"failure"`)
}

// A 2xx answer without what the op documents is a decoding error, never a
// made-up server error.
func TestAnswersWithoutTheDocumentedShape(t *testing.T) {
	ctx := context.Background()
	for name, tc := range map[string]struct {
		match func(*http.Request) bool
		body  string
		call  func(g *groups.Service, id string, names []string) error
	}{
		"create without groupid": {isCall(http.MethodPost, "/chatgroups"), `{"data":{}}`, func(g *groups.Service, id string, names []string) error {
			_, err := g.Create(ctx, groups.NewGroup{Owner: names[0]})
			return err
		}},
		"list without data": {isCall(http.MethodGet, "/chatgroups"), `{"entities":[]}`, func(g *groups.Service, id string, names []string) error {
			_, err := g.List(ctx, groups.ListParams{})
			return err
		}},
		"disable not confirmed": {isCall(http.MethodPost, "/disable"), `{"data":{"disabled":false}}`, func(g *groups.Service, id string, names []string) error {
			return g.Disable(ctx, id)
		}},
		"add members without newmembers": {isCall(http.MethodPost, "/users"), `{"data":{"groupid":"1"}}`, func(g *groups.Service, id string, names []string) error {
			_, err := g.AddMembers(ctx, id, names[len(names)-1:])
			var be *batch.Error
			if errors.As(err, &be) && len(be.Errs) > 0 {
				return be.Errs[0]
			}
			return err
		}},
		"joined without entities": {isCall(http.MethodGet, "/chatgroups/user/"), `{"total":3}`, func(g *groups.Service, id string, names []string) error {
			_, err := g.ListJoined(ctx, names[0], groups.JoinedParams{})
			return err
		}},
	} {
		g, emu := rewriting(t, tc.match, func([]byte) []byte { return []byte(tc.body) })
		names, id := seed(t, emu, 3)
		err := tc.call(g, id, names)
		assert.ErrorIs(t, err, easemob.ErrUnexpectedResponse, name)
		var apiErr *easemob.Error
		assert.False(t, errors.As(err, &apiErr), "%s: no fabricated server error", name)
	}
}
