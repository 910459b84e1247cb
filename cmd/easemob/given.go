package main

import "flag"

// givenFlags are the names of the flags set on the command line: a
// setting left unchanged and one set to its zero value look alike otherwise.
func givenFlags(fs *flag.FlagSet) map[string]bool {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	return set
}

// ifGiven is v when the flag was given, else nil (left as it is).
func ifGiven[T any](set map[string]bool, name string, v *T) *T {
	if set[name] {
		return v
	}
	return nil
}
