package easemob_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/batch"
	"github.com/emquota/easemob/easemobtest"
	"github.com/emquota/easemob/option"
	"github.com/emquota/easemob/ratelimit"
	"github.com/emquota/easemob/ratelimit/redisstore"
	"github.com/emquota/easemob/users"
)

// A batch job waits in the bulk lane, so interactive calls of the same
// group never queue behind it.
func ExampleWithPriority() {
	c, stop := emulatedClient(easemob.NewRegistry())
	defer stop()

	bulk := ratelimit.WithPriority(context.Background(), ratelimit.Bulk)
	res, err := c.Users.RegisterBatch(bulk, []users.NewUser{{Username: "u1", Password: "p"}, {Username: "u2", Password: "p"}})
	fmt.Println(res.Count(batch.Done), err)
	// Output: 2 <nil>
}

// A caller can ask how long a call would wait, or spend quota only if it is
// free now, and read what the limiter knows of its group.
func ExampleClient_Limiter() {
	c, _ := easemob.New(easemob.Config{AppKey: "org#app", BaseURL: "https://a1.easemob.com",
		Token: "app-token", Registry: easemob.NewRegistry()})
	defer c.Close()
	lim, _ := c.Limiter(easemob.GroupUsersDeleteBatch)
	wait, _ := lim.Delay(ratelimit.Cost{})
	fmt.Println(wait, lim.Allow(ratelimit.Cost{}), lim.Status().Configured)
	// Output: 0s true [30 calls/s per App Key]
}

// Plans with raised quotas override a group per App Key; a safety factor
// keeps part of every quota for other callers.
func ExampleNewRegistry() {
	reg := easemob.NewRegistry(ratelimit.WithSafetyFactor(0.9))
	err := reg.Override("1122334455#demo", ratelimit.Quota{Group: easemob.GroupUsersGet,
		Limits: []ratelimit.Limit{{Count: 200, Window: time.Second}}})
	fmt.Println(err, reg.App("1122334455#demo").Limiter(easemob.GroupUsersGet).Limits())
	// Output: <nil> [180 calls/s per App Key]
}

// The README's first snippet, past New and Get: a batch reports what
// became of each input, a list is walked page after page, and errors are
// matched by sentinel.
func ExampleClient() {
	c, stop := emulatedClient(easemob.NewRegistry())
	defer stop()
	ctx := context.Background()

	accounts := []users.NewUser{{Username: "alice", Password: "s3cret"}, {Username: "bob", Password: "s3cret"}, {Username: "alice", Password: "again"}}
	res, err := c.Users.RegisterBatch(ctx, accounts[:2], option.Bulk()) // calls of 60, sent concurrently within the quota
	fmt.Println(res.Count(batch.Done), err)
	res, err = c.Users.RegisterBatch(ctx, accounts[2:], option.Bulk())
	fmt.Println(errors.As(err, new(*batch.Error))) // some items are not done
	for _, it := range res.NotDone() {
		fmt.Println(it.Input.Username, it.Status, it.Reason)
	}
	for u, err := range c.Users.All(ctx, users.ListParams{Limit: 100}) {
		fmt.Println(u.Username, err)
	}
	_, err = c.Users.Get(ctx, "carol")
	fmt.Println(errors.Is(err, easemob.ErrNotFound), errors.Is(err, easemob.ErrRateLimited))
	// Output:
	// 2 <nil>
	// true
	// alice failed the alice already exists
	// alice <nil>
	// bob <nil>
	// true false
}

// A registry for the newest docs' table spends one budget for the pooled
// groups, and an emulator can serve by the same table.
func ExampleNewRegistryFor() {
	reg := easemob.NewRegistryFor(easemob.NewestDocs) // the pooled groups spend one limiter
	c, stop := emulatedClient(reg, easemobtest.WithQuotas(easemob.Quotas(easemob.NewestDocs)...))
	defer stop()

	_, err := c.Users.Register(context.Background(), users.NewUser{Username: "alice", Password: "s3cret"})
	get, account := reg.App(easemobtest.DefaultAppKey).Limiter(easemob.GroupUsersGet), reg.App(easemobtest.DefaultAppKey).Limiter(easemob.GroupUsersAccountWrite)
	fmt.Println(err, get == account, get.Limits())
	// Output: <nil> true [100 calls/s per App Key]
}

// Replicas of a service share an App Key's quota through Redis.
func Example_redis() {
	store := redisstore.New(redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"}))
	reg := easemob.NewRegistry(ratelimit.WithStore(store, ratelimit.FailurePolicy{
		Share: 0.25, // while Redis is down each of 4 replicas keeps to a quarter (0: fail closed)
	}))
	c, err := easemob.New(easemob.Config{AppKey: "1122334455#demo", BaseURL: "https://a1.easemob.com",
		ClientID: "id", ClientSecret: "secret", Registry: reg})
	_, _ = c, err
}

// The client logs the server's rate refusals and the changes of a group's
// rate through Config.Logger, never through slog's default logger, and
// never with a credential.
func ExampleConfig_logger() {
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	c, err := easemob.New(easemob.Config{AppKey: "1122334455#demo", BaseURL: "https://a1.easemob.com",
		ClientID: "id", ClientSecret: "secret", Logger: logger})
	fmt.Println(err)
	_ = c.Close()
	// Output: <nil>
}

// emulatedClient starts an emulator configured by opts and a client of it
// on reg; stop closes both.
func emulatedClient(reg *ratelimit.Registry, opts ...easemobtest.Option) (c *easemob.Client, stop func()) {
	emu := easemobtest.New(opts...)
	ts := httptestServer(emu)
	c, err := easemob.New(easemob.Config{AppKey: emu.AppKey(), BaseURL: ts.URL,
		ClientID: emu.ClientID(), ClientSecret: emu.ClientSecret(), Registry: reg})
	if err != nil {
		panic(err)
	}
	return c, func() { _ = c.Close(); ts.Close() }
}
