package messages_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/easemobtest"
	"github.com/emquota/easemob/messages"
	"github.com/emquota/easemob/option"
	"github.com/emquota/easemob/ratelimit"
)

// Search finds the user's messages by keyword, sorted and paged as asked;
// group messages only of the groups named.
func TestSearch(t *testing.T) {
	c, _ := newClient(t, nil)
	for i := range 25 {
		sendOne(t, c, "alice", "bob", messages.Text("apple pie #"+names("", 25)[i]))
	}
	sendOne(t, c, "carl", "dave", messages.Text("apple elsewhere"))
	_, err := c.Messages.Send(ctx, messages.ToGroups("carl", "g1"), messages.Text("apple in the group"))
	require.NoError(t, err)
	img := messages.Image("https://h/f", "apple.png")
	img.Ext = map[string]any{"tag": "fruit"}
	sendOne(t, c, "bob", "alice", img)

	page, err := c.Messages.Search(ctx, "alice", messages.SearchQuery{Keywords: []string{"apple"}, Sort: "sentTime:asc", Size: 10})
	require.NoError(t, err)
	assert.Len(t, page.Hits, 10)
	assert.Equal(t, 3, page.TotalPages)
	assert.False(t, page.Last)
	first := page.Hits[0]
	assert.Equal(t, "alice", first.Sender)
	assert.Equal(t, "bob", first.Receiver)
	assert.Equal(t, messages.Chat, first.ConversationType)
	assert.JSONEq(t, `{"message":"apple pie #0000"}`, string(first.Content))
	assert.False(t, first.Sent.IsZero())
	assert.NotEmpty(t, page.RequestID)

	var all []messages.SearchHit
	for h, err := range c.Messages.SearchAll(ctx, "alice", messages.SearchQuery{Keywords: []string{"apple"}, Size: 10}) {
		require.NoError(t, err)
		all = append(all, h)
	}
	assert.Len(t, all, 26, "25 texts and the image; not carl's")
	withGroup := searchAll(t, c, "alice", "group")
	assert.Len(t, withGroup, 1, "named, the group is searched")

	imgs, err := c.Messages.Search(ctx, "alice", messages.SearchQuery{Keywords: []string{"fruit"}, Ext: "only", ContentTypes: []string{"image"}})
	require.NoError(t, err)
	require.Len(t, imgs.Hits, 1)
	assert.Equal(t, "image", imgs.Hits[0].ContentType)
	assert.JSONEq(t, `{"tag":"fruit"}`, string(imgs.Hits[0].Ext))

	both, err := c.Messages.Search(ctx, "alice", messages.SearchQuery{Keywords: []string{"apple", "#0007"}, MatchAll: true,
		Pairs: []messages.Pair{{User1: "alice", User2: "bob"}}})
	require.NoError(t, err)
	require.Len(t, both.Hits, 1)
	assert.Positive(t, both.Hits[0].Relevance)
}

// Bad queries are refused before any quota.
func TestSearchRefusesBadQueries(t *testing.T) {
	c, srv := newClient(t, nil)
	now := time.Now()
	frags := 101
	for name, q := range map[string]messages.SearchQuery{
		"no keyword":    {},
		"blank":         {Keywords: []string{"  "}},
		"long":          {Keywords: []string{strings.Repeat("字", 121)}},
		"too many":      {Keywords: []string{"a", "b", "c", "d", "e", "f"}},
		"total":         {Keywords: []string{strings.Repeat("a", 70), strings.Repeat("b", 70)}},
		"half a range":  {Keywords: []string{"a"}, Start: now},
		"backwards":     {Keywords: []string{"a"}, Start: now, End: now.Add(-time.Hour)},
		"91 days":       {Keywords: []string{"a"}, Start: now, End: now.Add(91 * 24 * time.Hour)},
		"size":          {Keywords: []string{"a"}, Size: 101},
		"deep":          {Keywords: []string{"a"}, Page: 101, Size: 100},
		"pair":          {Keywords: []string{"a"}, Pairs: []messages.Pair{{User1: "x", User2: "y"}}},
		"conversations": {Keywords: []string{"a"}, Groups: names("g", 21)},
		"type":          {Keywords: []string{"a"}, ConversationTypes: []messages.ChatType{"dm"}},
		"fragments":     {Keywords: []string{"a"}, Highlight: &messages.Highlight{Fragments: &frags}},
	} {
		_, err := c.Messages.Search(ctx, "alice", q)
		invalid(t, err, name)
	}
	assert.Zero(t, srv.TokenRequests())
}

// The server's own 400 4000005 and 429 4290501 come in search's shape;
// the 429's meta.retryAfter is waited out before the resend.
func TestSearchErrorsOfTheServer(t *testing.T) {
	srv := easemobtest.NewServer(t, easemobtest.WithQuotas(ratelimit.Quota{Group: easemob.GroupMessagesSearch,
		Limits: []ratelimit.Limit{{Count: 1, Window: time.Second}}}))
	status, body := postJSON(t, srv.AppURL()+"/users/alice/messages/search/get", appToken(t, srv), `{"data":{"keyword":"a","size":500}}`)
	assert.Equal(t, http.StatusBadRequest, status)
	assert.EqualValues(t, 4000005, body["code"])

	c := clientFor(t, srv.URL, srv.AppKey, srv.ClientID, srv.ClientSecret,
		ratelimit.Quota{Group: easemob.GroupMessagesSearch, Limits: []ratelimit.Limit{{Count: 100, Window: time.Second}}})
	time.Sleep(time.Second) // the raw call above spent the server's second
	start := time.Now()
	for range 2 {
		_, err := c.Messages.Search(ctx, "alice", messages.SearchQuery{Keywords: []string{"a"}})
		require.NoError(t, err)
	}
	assert.GreaterOrEqual(t, time.Since(start), time.Second, "the second waited the suggested second")
	assert.Equal(t, 1, srv.Stats(easemob.GroupMessagesSearch).RateLimited)

	_, err := c.Messages.Search(ctx, "alice", messages.SearchQuery{Keywords: []string{"a"}}, option.Retry(option.RetryPolicy{MaxAttempts: 1}))
	e := apiError(t, err, http.StatusTooManyRequests, "", "4290501")
	assert.Equal(t, time.Second, e.RetryAfter)
	assert.ErrorIs(t, err, ratelimit.ErrRateLimited)
}

// Translation repeats the text per target in the emulator; over its rate
// the server answers 400, which is a rate limit to the SDK.
func TestTranslation(t *testing.T) {
	c, srv := newClient(t, []easemobtest.Option{easemobtest.WithQuotas(ratelimit.Quota{Group: easemob.GroupTranslateText,
		Limits: []ratelimit.Limit{{Count: 3, Window: time.Minute}}})},
		ratelimit.Quota{Group: easemob.GroupTranslateText, Limits: []ratelimit.Limit{{Count: 100, Window: time.Second}}})
	tr, err := c.Messages.Translate(ctx, "学习", []string{"en", "ja"}, "")
	require.NoError(t, err)
	assert.Equal(t, []messages.Translation{{To: "en", Text: "学习"}, {To: "ja", Text: "学习"}}, tr)
	_, err = c.Messages.Translate(ctx, "x", []string{"xx"}, "")
	_ = apiError(t, err, 400, "", "The target language is missing or invalid")

	d, err := c.Messages.DetectLanguage(ctx, "こんにちは")
	require.NoError(t, err)
	assert.Equal(t, "ja", d.Language)
	assert.True(t, d.Translatable)

	_, err = c.Messages.DetectLanguage(ctx, "one too many", option.Retry(option.RetryPolicy{MaxAttempts: 1}))
	_ = apiError(t, err, 400, "", "The request has reached the maximum limit")
	assert.ErrorIs(t, err, ratelimit.ErrRateLimited)
	assert.Equal(t, 1, srv.Stats(easemob.GroupTranslateText).RateLimited)

	langs, err := c.Messages.Languages(ctx)
	require.NoError(t, err)
	assert.Contains(t, langs, messages.Language{Code: "en", Name: "English", NativeName: "English"})

	_, err = c.Messages.Translate(ctx, strings.Repeat("x", 5001), []string{"en", "ja"}, "")
	invalid(t, err, "characters × languages")
	_, err = c.Messages.Translate(ctx, "", []string{"en"}, "")
	invalid(t, err, "no text")
	_, err = c.Messages.Translate(ctx, "x", nil, "")
	invalid(t, err, "no language")
	_, err = c.Messages.DetectLanguage(ctx, "")
	invalid(t, err, "no text to detect")
}

// A detection answer may type the flag as a string, as the docs' table does.
func TestDetectionDecodesTheTablesTypes(t *testing.T) {
	var d messages.Detection
	require.NoError(t, json.Unmarshal([]byte(`{"language":"en","score":"1","isTranslationSupported":"true"}`), &d))
	assert.Equal(t, messages.Detection{Language: "en", Score: 1, Translatable: true}, d)
}
