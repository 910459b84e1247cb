package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"sort"
	"strings"
	"syscall"
	"text/tabwriter"
)

// command is one command of the tool, e.g. "users get" or "quotas". Module
// files (users.go, ...) and the job, quota, emulator and load-test files
// add theirs from init with addCommand.
type command struct {
	path    string // words that name it, e.g. "users get"
	args    string // positional arguments for the usage line, e.g. "USERNAME"
	minArgs int
	maxArgs int // < 0: any number
	summary string
	// help is more text for --help, after the summary.
	help string
	// client: the command talks to a server, so it takes the connection
	// flags and gets a client.
	client bool
	// setup declares the command's own flags and returns what runs it.
	setup func(fs *flag.FlagSet) runner
}

// runner runs a command once its flags and arguments are parsed.
type runner func(ctx context.Context, x *call) error

// call is one run of a command: its arguments, streams and, for commands
// that talk to a server, the client.
type call struct {
	args   []string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	out    printer
	conn   *connection // nil unless the command takes the connection flags
	env    func(string) string
}

var commands []*command

// addCommand registers a command; it panics on a duplicate, a program error.
func addCommand(c *command) {
	for _, o := range commands {
		if o.path == c.path {
			panic("easemob: command " + c.path + " registered twice")
		}
	}
	commands = append(commands, c)
}

// streams are what a run reads and writes; tests give their own.
type streams struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	env            func(string) string
}

// Main runs the tool on args (without the program name) and returns the
// exit code.
func Main(args []string, s streams) int {
	if s.env == nil {
		s.env = os.Getenv
	}
	if len(args) == 0 || isHelp(args[0]) || args[0] == "help" {
		topic := args
		if len(topic) > 0 {
			topic = topic[1:]
		}
		if len(topic) > 0 {
			return Main(append(topic, "--help"), s)
		}
		overview(s.stdout)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	cmd, rest := find(args)
	if cmd == nil {
		if sub := under(args[0]); len(sub) > 0 {
			groupHelp(s.stderr, args[0], sub)
			if len(args) > 1 && isHelp(args[1]) {
				groupHelp(s.stdout, args[0], sub)
				return exitOK
			}
			if len(args) > 1 {
				fmt.Fprintf(s.stderr, "easemob: unknown command %q\n", strings.Join(args[:2], " "))
			}
			return exitUsage
		}
		fmt.Fprintf(s.stderr, "easemob: unknown command %q; run 'easemob help'\n", args[0])
		return exitUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := cmd.run(ctx, rest, s)
	return report(err, s.stderr)
}

// run parses the command's flags and arguments and runs it.
func (c *command) run(ctx context.Context, args []string, s streams) error {
	fs := flag.NewFlagSet("easemob "+c.path, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported once, by report
	x := &call{stdin: s.stdin, stdout: s.stdout, stderr: s.stderr, env: s.env}
	format := fs.String("output", "table", "output format: table or json")
	fs.StringVar(format, "o", "table", "short for --output")
	var conn *connection
	if c.client {
		conn = connectionFlags(fs)
	}
	run := c.setup(fs)
	pos, err := parseInterleaved(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		c.usage(s.stdout, fs)
		return nil
	}
	if err != nil {
		return usagef("%v (see easemob %s --help)", err, c.path)
	}
	if len(pos) < c.minArgs || (c.maxArgs >= 0 && len(pos) > c.maxArgs) {
		return usagef("easemob %s takes %s (see --help)", c.path, argCount(c))
	}
	if x.out, err = newPrinter(*format, s.stdout); err != nil {
		return err
	}
	x.args = pos
	if conn != nil {
		if err := conn.resolve(s.env, s.stderr); err != nil {
			return err
		}
		defer conn.close()
		x.conn = conn
	}
	return run(ctx, x)
}

func argCount(c *command) string {
	switch {
	case c.maxArgs == 0:
		return "no arguments"
	case c.minArgs == c.maxArgs:
		return fmt.Sprintf("%d argument(s): %s", c.minArgs, c.args)
	}
	return "arguments " + c.args
}

// parseInterleaved parses flags placed before, between or after the
// positional arguments ("users get alice -o json"); everything after "--"
// is positional.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var tail []string
	if i := slices.Index(args, "--"); i >= 0 {
		args, tail = args[:i], args[i+1:]
	}
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return append(pos, tail...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func isHelp(a string) bool { return a == "-h" || a == "-help" || a == "--help" }

// find returns the command whose path is the longest prefix of args, and
// the rest of args.
func find(args []string) (*command, []string) {
	var best *command
	n := 0
	for _, c := range commands {
		words := strings.Fields(c.path)
		if len(words) > n && len(words) <= len(args) && slices.Equal(words, args[:len(words)]) {
			best, n = c, len(words)
		}
	}
	if best == nil {
		return nil, nil
	}
	return best, args[n:]
}

// under returns the commands of a group ("users"), sorted.
func under(group string) []*command {
	var out []*command
	for _, c := range commands {
		if strings.HasPrefix(c.path, group+" ") {
			out = append(out, c)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].path < out[j].path })
	return out
}

func (c *command) usage(w io.Writer, fs *flag.FlagSet) {
	line := "easemob " + c.path + " [flags]"
	if c.args != "" {
		line += " " + c.args
	}
	fmt.Fprintf(w, "Usage: %s\n\n%s\n", line, c.summary)
	if c.help != "" {
		fmt.Fprintf(w, "\n%s\n", strings.TrimSpace(c.help))
	}
	fmt.Fprintln(w, "\nFlags:")
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
	if c.client {
		fmt.Fprintf(w, "\n%s\n", connectionHelp)
	}
}

func overview(w io.Writer) {
	fmt.Fprint(w, `easemob: the Easemob IM REST API from the command line, within its quotas.

Usage: easemob COMMAND [flags] [arguments]

Commands:
`)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	sorted := slices.Clone(commands)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].path < sorted[j].path })
	for _, c := range sorted {
		fmt.Fprintf(tw, "  %s\t%s\n", c.path, c.summary)
	}
	_ = tw.Flush() // written to the command's output: nothing to report a failure to
	fmt.Fprintf(w, "\n%s\n\n%s\n\nRun 'easemob COMMAND --help' for a command's flags.\n", connectionHelp, exitHelp)
}

func groupHelp(w io.Writer, group string, cmds []*command) {
	fmt.Fprintf(w, "Commands of easemob %s:\n", group)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	for _, c := range cmds {
		fmt.Fprintf(tw, "  %s %s\t%s\n", c.path, c.args, c.summary)
	}
	_ = tw.Flush()
}
