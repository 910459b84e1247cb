package schema_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/schema"
)

func TestBody(t *testing.T) {
	many := `{"usernames":["u` + strings.Repeat(`","u`, 100) + `"]}` // 101 names
	for _, tc := range []struct {
		op    *catalog.Op
		body  string
		field string // "" when the body is valid
	}{
		{catalog.UsersRegister, `{"username":"a","password":"p"}`, ""},
		{catalog.UsersRegister, `{"username":"a"}`, "password"},
		{catalog.UsersRegister, `{"username":1,"password":"p"}`, "username"},
		{catalog.UsersRegister, `[{"username":"a","password":"p"}]`, "body"},
		{catalog.UsersRegisterBatch, `[{"username":"a","password":"p"}]`, ""},
		{catalog.UsersRegisterBatch, `[]`, "body"},
		{catalog.UsersRegisterBatch, `[{"username":"a"}]`, "[0].password"},
		{catalog.UsersGetStatusBatch, `{"usernames":["a","b"]}`, ""},
		{catalog.UsersGetStatusBatch, many, "usernames"},
		{catalog.UsersGetStatusBatch, `{"usernames":"a"}`, "usernames"},
		{catalog.MessagesSendToUsers, `{"to":["a"],"type":"txt","body":{"msg":"hi"}}`, ""},
		{catalog.MessagesSendToUsers, `{"to":["a"],"type":"sms","body":{"msg":"hi"}}`, "type"},
		{catalog.MessagesSendToUsers, `{"to":["a"],"type":"txt","body":{},"from":""}`, "from"},
		{catalog.UsersChangePassword, `not json`, "body"},
	} {
		p := schema.Body(tc.op, []byte(tc.body))
		if tc.field == "" {
			assert.Nil(t, p, "%s %s", tc.op.ID, tc.body)
			continue
		}
		if assert.NotNil(t, p, "%s %s", tc.op.ID, tc.body) {
			assert.Equal(t, tc.field, p.Field, "%s %s: %s", tc.op.ID, tc.body, p.Reason)
		}
	}
}

func TestQuery(t *testing.T) {
	assert.Nil(t, schema.Query(catalog.UsersList, url.Values{"limit": {"100"}}))
	assert.NotNil(t, schema.Query(catalog.UsersList, url.Values{"limit": {"101"}}), "above the cap")
	assert.NotNil(t, schema.Query(catalog.UsersList, url.Values{"limit": {"ten"}}), "not an integer")
	assert.Nil(t, schema.Query(catalog.UsersList, nil))
}

func TestMessageUnits(t *testing.T) {
	assert.Equal(t, 3, schema.MessageUnits(catalog.MessagesSendToUsers, []byte(`{"to":["a","b","c"]}`)))
	assert.Equal(t, 0, schema.MessageUnits(catalog.UsersRegister, []byte(`{"username":"a"}`)), "not a send")
}
