// Command easemob is the SDK's tool for internal use:
//
//	easemob emulate [--listen ADDR] [--algorithm sliding-window|fixed-window|token-bucket] [--profile seed|newest]
//	easemob quotas [--profile seed|newest]
//
// emulate serves the in-memory emulator so that any client, in any
// language, can be tested against it; quotas prints the documented quota of
// every endpoint group. --profile picks the quota table: the seed table
// (the default) or the newest docs', which pools the user-account APIs.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"text/tabwriter"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/easemobtest"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "easemob:", err)
		os.Exit(2)
	}
}

func run(args []string, out io.Writer) error {
	if len(args) == 0 {
		return errors.New("usage: easemob emulate [--listen ADDR] [--algorithm NAME] [--profile NAME] | easemob quotas [--profile NAME]")
	}
	switch args[0] {
	case "emulate":
		return emulate(args[1:], out)
	case "quotas":
		return quotas(args[1:], out)
	}
	return fmt.Errorf("unknown command %q", args[0])
}

func emulate(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("emulate", flag.ContinueOnError)
	listen := fs.String("listen", "127.0.0.1:8080", "address to serve on")
	alg := fs.String("algorithm", easemobtest.SlidingWindow.String(), "how the emulator counts each quota")
	prof := fs.String("profile", easemob.SeedTable.String(), "quota table: seed or newest")
	if err := fs.Parse(args); err != nil {
		return err
	}
	a, err := parseAlgorithm(*alg)
	if err != nil {
		return err
	}
	p, err := parseProfile(*prof)
	if err != nil {
		return err
	}
	emu := easemobtest.New(easemobtest.WithAlgorithm(a), easemobtest.WithQuotas(easemob.Quotas(p)...))
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "emulating http://%s  AppKey %s  ClientID %s  ClientSecret %s  (%s)\n",
		ln.Addr(), emu.AppKey(), emu.ClientID(), emu.ClientSecret(), a)
	return http.Serve(ln, emu.Handler())
}

func parseAlgorithm(name string) (easemobtest.Algorithm, error) {
	for _, a := range []easemobtest.Algorithm{easemobtest.SlidingWindow, easemobtest.FixedWindow, easemobtest.TokenBucket} {
		if a.String() == name {
			return a, nil
		}
	}
	return 0, fmt.Errorf("unknown algorithm %q", name)
}

func parseProfile(name string) (easemob.QuotaProfile, error) {
	for _, p := range []easemob.QuotaProfile{easemob.SeedTable, easemob.NewestDocs} {
		if p.String() == name {
			return p, nil
		}
	}
	return 0, fmt.Errorf("unknown profile %q (seed or newest)", name)
}

func quotas(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("quotas", flag.ContinueOnError)
	prof := fs.String("profile", easemob.SeedTable.String(), "quota table: seed or newest")
	if err := fs.Parse(args); err != nil {
		return err
	}
	p, err := parseProfile(*prof)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(out, 2, 4, 2, ' ', 0)
	fmt.Fprintln(w, "group\tlimits\tpool")
	for _, q := range easemob.Quotas(p) {
		fmt.Fprintf(w, "%s\t", q.Group)
		for i, l := range q.Limits {
			if i > 0 {
				fmt.Fprint(w, "; ")
			}
			fmt.Fprint(w, l)
		}
		fmt.Fprintf(w, "\t%s\n", q.Pool)
	}
	return w.Flush()
}
