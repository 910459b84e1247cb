package easemobtest

import (
	"encoding/json"

	"github.com/emquota/easemob/internal/catalog"
)

// INTERIM, until the generated catalog fills Op.Select and Op.Auth (branch
// catalog): these transcribe endpoints.json's "select" and "auth" for the
// ops where the zero value is wrong, and messageUnits stands for the
// Messages caps. Delete this file after the merge; read op.Select and
// op.Auth directly and use schema.MessageUnits.

var interimSelect = map[*catalog.Op]catalog.Selector{
	catalog.AuthGetAppToken:          {By: catalog.SelectBodyFieldValue, Field: "grant_type", Value: "client_credentials"},
	catalog.AuthGetUserTokenPassword: {By: catalog.SelectBodyFieldValue, Field: "grant_type", Value: "password"},
	catalog.AuthGetUserTokenInherit:  {By: catalog.SelectBodyFieldValue, Field: "grant_type", Value: "inherit"},
	catalog.UsersRegisterOpen:        {By: catalog.SelectNoAuth},
	catalog.UsersRegister:            {By: catalog.SelectDefault},
	catalog.UsersRegisterBatch:       {By: catalog.SelectBodyKind, Value: "array"},
	catalog.PushSetNickname:          {By: catalog.SelectBodyHasAny, Fields: []string{"nickname"}},
	catalog.PushSetDisplayStyle:      {By: catalog.SelectBodyHasAny, Fields: []string{"notification_display_style"}},
	catalog.PushSetNoDisturbLegacy: {By: catalog.SelectBodyHasAny, Fields: []string{"notification_no_disturbing",
		"notification_no_disturbing_start", "notification_no_disturbing_end"}},
	catalog.FilesDownload:           {By: catalog.SelectDefault},
	catalog.FilesDownloadThumbnail:  {By: catalog.SelectHeader, Field: "thumbnail", Value: "true"},
	catalog.GroupsUpdate:            {By: catalog.SelectDefault},
	catalog.GroupsTransferOwner:     {By: catalog.SelectBodyHasAny, Fields: []string{"newowner"}},
	catalog.GroupsRemoveMember:      {By: catalog.SelectPathHasComma, Field: "username", Value: "false"},
	catalog.GroupsRemoveMembers:     {By: catalog.SelectPathHasComma, Field: "usernames", Value: "true"},
	catalog.GroupsUnblockMember:     {By: catalog.SelectPathHasComma, Field: "username", Value: "false"},
	catalog.GroupsUnblockMembers:    {By: catalog.SelectPathHasComma, Field: "usernames", Value: "true"},
	catalog.ChatroomsUpdate:         {By: catalog.SelectDefault},
	catalog.ChatroomsTransferOwner:  {By: catalog.SelectBodyHasAny, Fields: []string{"newowner"}},
	catalog.ChatroomsRemoveMember:   {By: catalog.SelectPathHasComma, Field: "username", Value: "false"},
	catalog.ChatroomsRemoveMembers:  {By: catalog.SelectPathHasComma, Field: "usernames", Value: "true"},
	catalog.ChatroomsUnblockMember:  {By: catalog.SelectPathHasComma, Field: "username", Value: "false"},
	catalog.ChatroomsUnblockMembers: {By: catalog.SelectPathHasComma, Field: "usernames", Value: "true"},
}

var interimAuth = map[*catalog.Op]catalog.Auth{
	catalog.AuthGetAppToken:          catalog.AuthNone,
	catalog.AuthGetUserTokenPassword: catalog.AuthNone,
	catalog.UsersRegisterOpen:        catalog.AuthNone,
	catalog.PushSetReceiverTemplate:  catalog.AuthUser,
	catalog.PushSetSettings:          catalog.AuthAppOrUser,
	catalog.PushGetSettings:          catalog.AuthAppOrUser,
	catalog.MetadataSet:              catalog.AuthAppOrUser,
	catalog.MetadataGet:              catalog.AuthAppOrUser,
	catalog.MetadataDelete:           catalog.AuthAppOrUser,
	catalog.FilesDownload:            catalog.AuthAppOrUser,
	catalog.FilesDownloadThumbnail:   catalog.AuthAppOrUser,
}

func selectorOf(op *catalog.Op) catalog.Selector {
	if s, ok := interimSelect[op]; ok && op.Select.By == catalog.SelectNone {
		return s
	}
	return op.Select
}

func authOf(op *catalog.Op) catalog.Auth {
	if a, ok := interimAuth[op]; ok && op.Auth == catalog.AuthApp {
		return a
	}
	return op.Auth
}

// messageUnits is what a call costs against a Messages limit: the number of
// targets in the body's "to" array (the docs: N users = N messages).
func messageUnits(body []byte) int {
	var b struct {
		To []json.RawMessage `json:"to"`
	}
	if json.Unmarshal(body, &b) != nil {
		return 1
	}
	return max(len(b.To), 1)
}
