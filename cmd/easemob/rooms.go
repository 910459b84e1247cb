package main

import (
	"context"
	"flag"
	"iter"
	"time"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/batch"
	"github.com/emquota/easemob/option"
)

// room is what the commands groups and chatrooms share need of their
// module: the name of its ID argument and its SDK service S. The
// constructors below take S's methods as method expressions, such as
// (*groups.Service).Delete, as the two services have them alike.
type room[S any] struct {
	idArg string // GROUP_ID or ROOM_ID
	of    func(*easemob.Client) S
}

// created is the ID of what a create made.
type created struct {
	ID string `json:"id"`
}

// okResult is the server's success flag of a call on one group or room.
type okResult struct {
	ID     string `json:"id"`
	Result bool   `json:"result"`
}

// userResult is the server's success flag of a call about one member.
type userResult struct {
	ID       string `json:"id"`
	Username string `json:"username"`
	Result   bool   `json:"result"`
}

// getCommand is "get ID": one group or room of the batch get; exit code 4
// when there is none.
func getCommand[S, D any](r room[S], summary string,
	get func(S, context.Context, []string, ...option.Call) (*batch.Result[string, D], error)) apiCommand {
	return apiCommand{name: "get", args: r.idArg, minArgs: 1, maxArgs: 1, summary: summary,
		setup: noFlags(func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
			return firstDone(get(r.of(c), ctx, x.args))
		})}
}

// firstDone is the value of the one item of a batch call, or its error (a
// 404 for a group or room that does not exist).
func firstDone[Out any](res *batch.Result[string, Out], err error) (any, error) {
	if err != nil {
		return nil, err
	}
	return res.Items[0].Value, nil
}

// listParams is what groups.ListParams and chatrooms.ListParams are
// alike: a page's size and where it starts.
type listParams = struct {
	Limit  int
	Cursor string
}

// listCommand is "list", the app's groups or rooms paged by cursor: one
// page of --limit from --cursor, or --all; read gives the items and next
// cursor of the module's page.
func listCommand[S any, P ~listParams, Pg, T any](r room[S], summary string,
	list func(S, context.Context, P, ...option.Call) (*Pg, error), read func(*Pg) ([]T, string),
	all func(S, context.Context, P, ...option.Call) iter.Seq2[T, error]) apiCommand {
	return apiCommand{name: "list", maxArgs: 0, summary: summary,
		setup: func(fs *flag.FlagSet) apiCall {
			pf := listFlags(fs, 10, "page size, 1 to 1000")
			return func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
				p, s := P(listParams{Limit: *pf.limit, Cursor: *pf.cursor}), r.of(c)
				return listed(*pf.all, func() (*Pg, error) { return list(s, ctx, p) }, read, all(s, ctx, p))
			}
		}}
}

// okCommand is a command "NAME ID" of a call on one group or room that
// answers a success flag.
func okCommand[S any](r room[S], name, summary string, do func(S, context.Context, string, ...option.Call) (bool, error)) apiCommand {
	return apiCommand{name: name, args: r.idArg, minArgs: 1, maxArgs: 1, summary: summary,
		setup: noFlags(func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
			ok, err := do(r.of(c), ctx, x.args[0])
			return okResult{ID: x.args[0], Result: ok}, err
		})}
}

// transferCommand is "transfer ID NEW_OWNER".
func transferCommand[S any](r room[S], summary string, do func(S, context.Context, string, string, ...option.Call) (bool, error)) apiCommand {
	return apiCommand{name: "transfer", args: r.idArg + " NEW_OWNER", minArgs: 2, maxArgs: 2, summary: summary,
		setup: noFlags(func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
			ok, err := do(r.of(c), ctx, x.args[0], x.args[1])
			return okResult{ID: x.args[0], Result: ok}, err
		})}
}

// idCommand is a command "NAME ID" of a call on one group or room that
// answers what it prints.
func idCommand[S, R any](r room[S], name, summary string, do func(S, context.Context, string, ...option.Call) (R, error)) apiCommand {
	return apiCommand{name: name, args: r.idArg, minArgs: 1, maxArgs: 1, summary: summary,
		setup: noFlags(func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
			return do(r.of(c), ctx, x.args[0])
		})}
}

// namesCommand is a command "NAME ID USERNAME..." of a batch call on the
// members of one group or room.
func namesCommand[S, Out any](r room[S], name, summary string,
	do func(S, context.Context, string, []string, ...option.Call) (*batch.Result[string, Out], error)) apiCommand {
	return apiCommand{name: name, args: "ID USERNAME...", minArgs: 2, maxArgs: -1, summary: summary,
		help: "Prints one row per user: done, or failed with the server's reason. The exit code is 0\nwhen some were done.",
		setup: noFlags(func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
			return perNames(do(r.of(c), ctx, x.args[0], x.args[1:]))
		})}
}

// idUserCommand is a command "NAME ID USERNAME" of a call about one member
// that answers a success flag.
func idUserCommand[S any](r room[S], name, summary string, do func(S, context.Context, string, string, ...option.Call) (bool, error)) apiCommand {
	return apiCommand{name: name, args: "ID USERNAME", minArgs: 2, maxArgs: 2, summary: summary,
		setup: noFlags(func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
			ok, err := do(r.of(c), ctx, x.args[0], x.args[1])
			return userResult{ID: x.args[0], Username: x.args[1], Result: ok}, err
		})}
}

// muteCommand is "mute ID USERNAME..." with --duration; without it the
// mute is for good (forever, the SDK's value for that).
func muteCommand[S, Out any](r room[S], summary string, forever time.Duration,
	do func(S, context.Context, string, []string, time.Duration, ...option.Call) (*batch.Result[string, Out], error)) apiCommand {
	return apiCommand{name: "mute", args: "ID USERNAME...", minArgs: 2, maxArgs: -1, summary: summary,
		setup: func(fs *flag.FlagSet) apiCall {
			d := fs.Duration("duration", 0, "how long, e.g. 30m or 24h (default: until unmuted)")
			return func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
				if *d < 0 {
					return nil, usagef("--duration %v is negative", *d)
				}
				dur := *d
				if dur == 0 {
					dur = forever
				}
				return perNames(do(r.of(c), ctx, x.args[0], x.args[1:], dur))
			}
		}}
}
