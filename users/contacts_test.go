package users_test

import (
	"context"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/wiretest"
	"github.com/emquota/easemob/users"
)

var contactWire = []wiretest.Case{
	{Name: "AddContact", Op: catalog.ContactsAdd, Drops: userDrops,
		Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Users.AddContact(ctx, "user1", "user2")
		}},
	{Name: "RemoveContact", Op: catalog.ContactsRemove, Drops: userDrops,
		Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Users.RemoveContact(ctx, "user1", "user2")
		}},
	{Name: "RemoveAllContacts", Op: catalog.ContactsRemoveAll,
		Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return nil, c.Users.RemoveAllContacts(ctx, "XXXX")
		}},
	{Name: "Contacts", Op: catalog.ContactsListAll,
		Call: func(ctx context.Context, c *easemob.Client) (any, error) { return c.Users.Contacts(ctx, "user1") }},
	{Name: "ContactsPage", Op: catalog.ContactsListPaged,
		Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Users.ContactsPage(ctx, "XXXX", users.ContactListParams{Limit: 10, Remarks: true})
		}},
	{Name: "SetContactRemark", Op: catalog.ContactsSetRemark,
		Drops: map[string]string{"status": `SetContactRemark returns only an error; "ok" is its nil`},
		Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return nil, c.Users.SetContactRemark(ctx, "user1", "user2", "colleague")
		}},
	{Name: "ImportContacts", Op: catalog.ContactsImport,
		Drops: map[string]string{"status": `the batch result's statuses say it`},
		Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Users.ImportContacts(ctx, "XXXX", []string{"username1", "username2", "username3"}, false)
		}},
	{Name: "CheckContacts", Op: catalog.ContactsCheck,
		Drops: map[string]string{"entities.relation": "kept as each item's bool (friend is true)"},
		Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Users.CheckContacts(ctx, "user1", []string{"user2", "user3"})
		}},
}
