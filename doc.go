// Package easemob is a client for the Easemob (环信) IM REST API that keeps
// every call within the documented quotas.
//
// Each operation belongs to a quota group (see the Group* constants and
// DefaultQuotas). Before a request goes out, the client waits for every side
// of its group's quota at once: calls per second, messages per minute (a
// send to N users costs N), calls per user ID per minute. It never sends
// more than a quota allows in any window of that quota's length, so a
// well-configured client meets no 429 while using the whole quota.
//
// The quota state lives in a ratelimit.Registry keyed by App Key: every
// Client of one App Key in a process shares one budget.
//
// The figures are the seed rate table's (SeedTable). The newest docs pool
// every user-account API into one budget of 100 calls/s; a registry from
// NewRegistryFor(NewestDocs) budgets by that table, and an emulator given
// easemobtest.WithQuotas(Quotas(NewestDocs)...) counts by it.
//
//	c, err := easemob.New(easemob.Config{
//		AppKey:       "1122334455#demo",
//		BaseURL:      "https://a1.easemob.com",
//		ClientID:     os.Getenv("EASEMOB_CLIENT_ID"),
//		ClientSecret: os.Getenv("EASEMOB_CLIENT_SECRET"),
//	})
//	u, err := c.Users.Get(ctx, "alice")
//	if errors.Is(err, easemob.ErrRateLimited) { ... } // local refusal or server 429
//
// Every method takes a context: its deadline bounds the wait for quota, and
// a call that cannot get quota before the deadline fails at once with a
// *ratelimit.WaitError, without spending anything.
package easemob
