package easemobtest_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob/easemobtest"
)

var kwListKeys = []string{"id", "name", "moderationId", "appkey", "category", "scope", "tagId", "fullMatch",
	"suggestion", "disposition", "quantity", "status", "createDataTime", "updateDataTime"}

func TestKeywordListAnswersAsDocumented(t *testing.T) {
	c := newClient(t, easemobtest.NewServer(t))
	status, body := c.call("POST", "/moderation/text/list", map[string]any{
		"name": "list_1", "scope": "ALL", "disposition": "PASS", "fullMatch": true, "userId": "v1",
		"textContexts": []string{"music", "sport"}})
	require.Equal(t, http.StatusOK, status, body)
	assertKeys(t, body, "status", "entity")
	ent := body["entity"].(map[string]any)
	assertKeys(t, ent, append(kwListKeys, "textList")...)
	assert.IsType(t, json.Number(""), ent["createDataTime"], "the create answer's times are numbers")
	assert.Nil(t, ent["tagId"])
	words := ent["textList"].([]any)
	require.Len(t, words, 2)
	assertKeys(t, words[0].(map[string]any), "id", "appId", "word", "userId", "listId", "status", "createDateTime", "updateDateTime")
	id := ent["id"].(string)

	status, body = c.call("PUT", "/moderation/text/list/"+id, map[string]any{"name": "list_2", "scope": "ALL", "disposition": "REJECT"})
	require.Equal(t, http.StatusOK, status, body)
	ent = body["entity"].(map[string]any)
	assertKeys(t, ent, kwListKeys...)
	assert.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$`, ent["updateDataTime"], "the update answer's times are ISO-8601")

	// The docs' curl sends page and size as strings.
	status, body = c.call("POST", "/moderation/text/list/"+id+"/word", map[string]any{"word": "spo", "size": "3", "page": "0"})
	require.Equal(t, http.StatusOK, status, body)
	assertKeys(t, body, "status", "entities", "first", "last", "size", "number", "numberOfElements", "totalPages", "totalElements")
	assert.Equal(t, json.Number("3"), body["size"])
	assert.Len(t, body["entities"], 1)

	status, body = c.call("POST", "/moderation/txt/check", map[string]any{"content": "hello"})
	require.Equal(t, http.StatusOK, status, body)
	assertKeys(t, body, "code", "data", "meta")
	assertKeys(t, body["data"].(map[string]any), "type", "riskType", "riskLabel", "exchangeText", "sensitiveWords")
	assertKeys(t, body["meta"].(map[string]any), "timestamp", "requestId")
}

func TestKeywordListDocumentedErrors(t *testing.T) {
	c := newClient(t, easemobtest.NewServer(t))
	status, body := c.call("POST", "/moderation/text/list", map[string]any{"name": "l", "scope": "ALL", "disposition": "PASS", "textContexts": []string{"a"}})
	require.Equal(t, http.StatusOK, status, body)
	id := body["entity"].(map[string]any)["id"].(string)
	for _, tc := range []struct {
		method, path string
		body         any
		code, desc   string
	}{
		{"POST", "/moderation/txt/check", map[string]any{"content": ""}, "Bad request", "message content is empty or null"},
		{"POST", "/moderation/text/list", map[string]any{"name": "l", "scope": "ALL", "disposition": "PASS", "textContexts": []string{}}, "Bad Request", "The textList already exists"},
		{"POST", "/moderation/text/list", map[string]any{"name": "t", "scope": "TAG", "disposition": "PASS", "textContexts": []string{}}, "Bad Request", "request param is empty"},
		{"PUT", "/moderation/text/list/none", map[string]any{"name": "x", "scope": "ALL", "disposition": "PASS"}, "Bad request", "textList data is empty"},
		{"DELETE", "/moderation/text/list/none", nil, "Bad request", "textList data is empty"},
		{"POST", "/moderation/text/list/" + id + "/word/batch", map[string]any{"wordContents": []string{}, "userId": "u"}, "Bad Request", "request data is empty"},
		{"POST", "/moderation/text/list/" + id + "/word/batch", map[string]any{"wordContents": []string{"a"}, "userId": "u"}, "Bad Request", "The textList already contains the text"},
		{"PUT", "/moderation/text/list/none/word", map[string]any{"id": "w", "word": "x", "userId": "u"}, "Bad request", "textList id is empty"},
		{"PUT", "/moderation/text/list/" + id + "/word", map[string]any{"id": "w", "word": "x", "userId": "u"}, "Bad request", "the param can not be empty"},
		{"POST", "/moderation/text/list/none/word", map[string]any{"word": "x"}, "Bad request", "textList data is empty"},
		{"DELETE", "/moderation/text/list/none/word?wordId=w", nil, "Bad Request", "request data is empty"},
		{"DELETE", "/moderation/text/list/" + id + "/word/batch", map[string]any{"wordIds": []string{}}, "Bad Request", "request data is empty"},
		{"DELETE", "/moderation/text/list/none/word/batch", map[string]any{"wordIds": []string{"w"}}, "Bad Request", "textList data is empty"},
	} {
		status, body := c.call(tc.method, tc.path, tc.body)
		assertError(t, status, body, http.StatusBadRequest, tc.code, tc.desc)
	}
}
