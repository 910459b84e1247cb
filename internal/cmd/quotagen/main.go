// Command quotagen turns data/quotas.json into the quota tables and endpoint
// descriptors of the SDK. It is run by go generate from the module root:
//
//	go run ./internal/cmd/quotagen [-data data/quotas.json] [-root .]
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

func main() {
	dataPath := flag.String("data", "data/quotas.json", "quota data file")
	root := flag.String("root", ".", "module root the generated files are written under")
	flag.Parse()

	data, err := os.ReadFile(*dataPath)
	if err != nil {
		fail(err)
	}
	files, err := generate(data)
	if err != nil {
		fail(fmt.Errorf("%s: %w", *dataPath, err))
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if err := os.WriteFile(filepath.Join(*root, filepath.FromSlash(name)), files[name], 0o644); err != nil {
			fail(err)
		}
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "quotagen:", err)
	os.Exit(1)
}
