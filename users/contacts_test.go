package users_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/batch"
	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/wiretest"
	"github.com/emquota/easemob/option"
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

func TestContactsGoBothWays(t *testing.T) {
	c, _ := newClient(t)
	ctx := context.Background()
	register(t, c, "ann", "ben", "cat")

	friend, err := c.Users.AddContact(ctx, "ann", "BEN")
	require.NoError(t, err)
	assert.Equal(t, "ben", friend.Username)
	_, err = c.Users.AddContact(ctx, "cat", "ann")
	require.NoError(t, err)
	list, err := c.Users.Contacts(ctx, "ann")
	require.NoError(t, err)
	assert.Equal(t, []string{"cat", "ben"}, list, "newest first")
	list, err = c.Users.Contacts(ctx, "ben")
	require.NoError(t, err)
	assert.Equal(t, []string{"ann"}, list, "each appears in the other's list")

	check, err := c.Users.CheckContacts(ctx, "ann", []string{"ben", "cat", "ghost"})
	require.NoError(t, err)
	assert.Equal(t, []bool{true, true, false}, check.Done())

	require.NoError(t, c.Users.SetContactRemark(ctx, "ann", "ben", "office"))
	page, err := c.Users.ContactsPage(ctx, "ann", users.ContactListParams{Remarks: true})
	require.NoError(t, err)
	assert.ElementsMatch(t, []users.Contact{{Username: "ben", Remark: "office"}, {Username: "cat"}}, page.Contacts)
	page, err = c.Users.ContactsPage(ctx, "ben", users.ContactListParams{Remarks: true})
	require.NoError(t, err)
	assert.Equal(t, []users.Contact{{Username: "ann"}}, page.Contacts, "a remark is one side's")

	_, err = c.Users.RemoveContact(ctx, "ben", "ann")
	require.NoError(t, err)
	list, err = c.Users.Contacts(ctx, "ann")
	require.NoError(t, err)
	assert.Equal(t, []string{"cat"}, list)
	err = c.Users.SetContactRemark(ctx, "ann", "ben", "again")
	assert.Equal(t, "updateRemark they are not friends, please add as a friend first.", apiCode(t, err, 400, "illegal_argument"))

	_, err = c.Users.AddContact(ctx, "ann", "ghost")
	assert.ErrorIs(t, err, easemob.ErrNotFound)
	_, err = c.Users.Contacts(ctx, "ghost")
	assert.ErrorIs(t, err, easemob.ErrNotFound)
	assert.ErrorIs(t, c.Users.SetContactRemark(ctx, "ann", "cat", strings.Repeat("r", 101)), easemob.ErrInvalidArgument)
}

func TestImportAndPageContacts(t *testing.T) {
	c, srv := newClient(t)
	ctx := context.Background()
	names, err := srv.AddUsers(25, "f", "pw")
	require.NoError(t, err)
	register(t, c, "owner")

	// One call at a time, so that the import order is the input's.
	res, err := c.Users.ImportContacts(ctx, "owner", append(names, "ghost", "owner"), true, option.Concurrency(1))
	var be *batch.Error
	require.ErrorAs(t, err, &be)
	assert.Equal(t, [2]int{25, 2}, [2]int{be.Done, be.Failed})
	assert.Equal(t, users.ReasonNotExist, res.Items[25].Reason)
	assert.Equal(t, users.ReasonUnknown, res.Items[26].Reason, "no friendship with oneself")
	assert.Equal(t, 3, srv.Stats(easemob.GroupContactsImport).Received, "10 + 10 + 7")

	var walked []string
	for _, f := range collect(t, c.Users.AllContacts(ctx, "owner", users.ContactListParams{Limit: 7})) {
		walked = append(walked, f.Username)
	}
	assert.Len(t, walked, 25)
	assert.Equal(t, "f24", walked[0], "newest first")
	assert.ElementsMatch(t, names, walked)
	assert.Equal(t, 4, srv.Stats(easemob.GroupContactsListPaged).Received, "7 + 7 + 7 + 4")

	_, err = c.Users.ContactsPage(ctx, "owner", users.ContactListParams{Limit: 51})
	assert.ErrorIs(t, err, easemob.ErrInvalidArgument)

	require.NoError(t, c.Users.RemoveAllContacts(ctx, "owner"))
	list, err := c.Users.Contacts(ctx, "owner")
	require.NoError(t, err)
	assert.Empty(t, list)
	list, err = c.Users.Contacts(ctx, "f3")
	require.NoError(t, err)
	assert.Empty(t, list, "both ways")
}

// Either side at the friend cap refuses a new friend; import reports the
// inviter's cap for the whole call.
func TestContactCap(t *testing.T) {
	c, srv := newClient(t)
	ctx := context.Background()
	names, err := srv.AddUsers(3002, "u", "pw")
	require.NoError(t, err)
	require.NoError(t, srv.AddContacts("u0", names[1:3001]...))

	_, err = c.Users.AddContact(ctx, "u3001", "u0")
	assert.Equal(t, "user contact number exceed limit", apiCode(t, err, 403, "exceed_limit"))
	_, err = c.Users.AddContact(ctx, "u0", "u1")
	assert.NoError(t, err, "friends already: nothing is added")

	res, err := c.Users.ImportContacts(ctx, "u0", []string{"u3001"}, false)
	assert.Equal(t, "Inviter's contact max count.", apiCode(t, err, 403, "exceed_limit"))
	assert.Equal(t, batch.Failed, res.Items[0].Status)

	res, err = c.Users.ImportContacts(ctx, "u3001", []string{"u0", "u1"}, false)
	require.Error(t, err)
	assert.Equal(t, users.ReasonMaxLimit, res.Items[0].Reason, "the friend is at its cap")
	assert.Equal(t, batch.Done, res.Items[1].Status)
	assert.Error(t, srv.AddContacts("u0", "u3001"), "seeding keeps the cap too")
	assert.Error(t, srv.AddContacts("u0", "ghost"))
}

func TestContactInputIsCheckedFirst(t *testing.T) {
	c, srv := newClient(t)
	ctx := context.Background()
	for name, err := range map[string]error{
		"friend": func() error { _, err := c.Users.AddContact(ctx, "a", "b c"); return err }(),
		"import": func() error { _, err := c.Users.ImportContacts(ctx, "a", []string{"b", "B"}, false); return err }(),
		"check":  func() error { _, err := c.Users.CheckContacts(ctx, "a", nil); return err }(),
		"owner":  func() error { _, err := c.Users.CheckContacts(ctx, "", []string{"b"}); return err }(),
		"page":   func() error { _, err := c.Users.ContactsPage(ctx, "a", users.ContactListParams{Limit: -1}); return err }(),
		"many": func() error {
			_, err := c.Users.CheckContacts(ctx, "a", []string{fmt.Sprint("x", strings.Repeat("y", 70))})
			return err
		}(),
	} {
		assert.ErrorIs(t, err, easemob.ErrInvalidArgument, name)
	}
	assert.Zero(t, srv.TokenRequests())
}
