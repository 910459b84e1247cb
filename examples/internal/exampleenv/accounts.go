package exampleenv

import (
	"context"
	"errors"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/users"
)

// Register makes the accounts an example needs, prefix+name each, in one
// batch, and returns their usernames in the order of names.
func Register(ctx context.Context, c *easemob.Client, prefix string, names ...string) ([]string, error) {
	accounts := make([]users.NewUser, len(names))
	for i, name := range names {
		accounts[i] = users.NewUser{Username: prefix + name, Password: "s3cret"}
	}
	res, err := c.Users.RegisterBatch(ctx, accounts)
	var made []string
	for _, u := range res.Done() {
		made = append(made, u.Username)
	}
	if err != nil {
		// Leave nothing behind: delete the accounts that were made.
		return nil, errors.Join(err, Unregister(ctx, c, made))
	}
	return made, nil
}

// Unregister deletes the accounts Register made; with them go the groups
// and rooms they still own.
func Unregister(ctx context.Context, c *easemob.Client, usernames []string) error {
	var errs []error
	for _, name := range usernames {
		if _, err := c.Users.Delete(ctx, name); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
