package exampleenv

import (
	"context"
	"errors"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/users"
)

// Start makes a client for cfg and the accounts an example needs,
// prefix+name each, registered in one batch; usernames are in the order of
// names. finish deletes the accounts (and with them the groups and rooms
// they still own) and closes the client: call it once, at the end, and
// keep its error.
func Start(ctx context.Context, cfg easemob.Config, prefix string, names ...string) (c *easemob.Client, usernames []string, finish func() error, err error) {
	if c, err = easemob.New(cfg); err != nil {
		return nil, nil, nil, err
	}
	accounts := make([]users.NewUser, len(names))
	for i, name := range names {
		accounts[i] = users.NewUser{Username: prefix + name, Password: "s3cret"}
	}
	res, err := c.Users.RegisterBatch(ctx, accounts)
	for _, u := range res.Done() { // none when the input was refused
		usernames = append(usernames, u.Username)
	}
	finish = func() error {
		errs := []error{}
		for _, name := range usernames {
			if _, err := c.Users.Delete(ctx, name); err != nil {
				errs = append(errs, err)
			}
		}
		return errors.Join(append(errs, c.Close())...)
	}
	if err != nil {
		// Leave nothing behind: delete the accounts that were made.
		return nil, nil, nil, errors.Join(err, finish())
	}
	return c, usernames, finish, nil
}
