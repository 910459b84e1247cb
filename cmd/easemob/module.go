package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/emquota/easemob"
)

// apiCommand is one everyday command of an API module: its flags and the
// call it makes. addModule turns it into a command that connects, calls
// and prints the result; a module's file is a table of these.
type apiCommand struct {
	name    string // e.g. "get"; the command is "MODULE NAME"
	args    string // e.g. "USERNAME"
	minArgs int
	maxArgs int // < 0: any number
	summary string
	help    string
	// setup declares the command's flags and returns the call, which
	// reads them.
	setup func(fs *flag.FlagSet) apiCall
}

// apiCall makes the command's call; the result (nil for none) is printed.
type apiCall func(ctx context.Context, c *easemob.Client, x *call) (any, error)

// addModule registers the commands of one API module ("users", "groups", ...).
func addModule(module string, cmds ...apiCommand) {
	for _, a := range cmds {
		addCommand(&command{
			path: module + " " + a.name, args: a.args, minArgs: a.minArgs, maxArgs: a.maxArgs,
			summary: a.summary, help: a.help, client: true,
			setup: func(fs *flag.FlagSet) runner {
				timeout := fs.Duration("timeout", 0, "give up after this long, quota wait included (0: never); a wait for quota it cannot meet is refused at once")
				do := a.setup(fs)
				return func(ctx context.Context, x *call) error {
					c, err := x.conn.client(nil)
					if err != nil {
						return err
					}
					if *timeout > 0 {
						var cancel context.CancelFunc
						ctx, cancel = context.WithTimeout(ctx, *timeout)
						defer cancel()
					}
					res, err := do(ctx, c, x)
					if err != nil {
						return err
					}
					return x.show(res)
				}
			},
		})
	}
}

// noFlags is the setup of a command without flags of its own.
func noFlags(do apiCall) func(*flag.FlagSet) apiCall {
	return func(*flag.FlagSet) apiCall { return do }
}

// paged is a result with a cursor to the next page.
type paged interface {
	pageItems() any
	nextCursor() string
}

// page is one page of a list: JSON shows items and cursor, a table the
// items, with the cursor of the next page said on stderr.
type page[T any] struct {
	Items  []T    `json:"items"`
	Cursor string `json:"cursor,omitempty"`
}

func (p page[T]) pageItems() any     { return p.Items }
func (p page[T]) nextCursor() string { return p.Cursor }

// show prints a command's result.
func (x *call) show(res any) error {
	if p, ok := res.(paged); ok && !x.out.json {
		if err := x.out.print(p.pageItems()); err != nil {
			return err
		}
		if c := p.nextCursor(); c != "" {
			fmt.Fprintf(x.stderr, "more: --cursor %s\n", c)
		}
		return nil
	}
	return x.out.print(res)
}

// secretArg returns a secret given by flag, or read from the first line of
// stdin when fromStdin is set (so it stays out of the process list).
func (x *call) secretArg(name, flagValue string, fromStdin bool) (string, error) {
	if !fromStdin {
		if flagValue == "" {
			return "", usagef("--%s or --%s-stdin is required", name, name)
		}
		return flagValue, nil
	}
	line, err := bufio.NewReader(x.stdin).ReadString('\n')
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", usagef("--%s-stdin: no %s on stdin (%v)", name, name, err)
	}
	return line, nil
}

// secretFlags declares --NAME and --NAME-stdin.
func secretFlags(fs *flag.FlagSet, name, usage string) (value *string, stdin *bool) {
	value = fs.String(name, "", usage+" (visible to other local users: prefer --"+name+"-stdin)")
	stdin = fs.Bool(name+"-stdin", false, "read the "+name+" from the first line of stdin")
	return value, stdin
}
