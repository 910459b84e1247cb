// Command quotagen turns data/quotas.json (quota groups and the op of each
// seed row) and data/endpoints.json (the facts of every op) into the
// operation catalog and the quota tables of the SDK. It is run by go
// generate from the module root:
//
//	go run ./internal/cmd/quotagen [-data data/quotas.json] [-endpoints data/endpoints.json] [-root .]
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
	endpointsPath := flag.String("endpoints", "data/endpoints.json", "operation facts file")
	root := flag.String("root", ".", "module root the generated files are written under")
	flag.Parse()

	var in [2]source
	for i, path := range []string{*dataPath, *endpointsPath} {
		data, err := os.ReadFile(path)
		if err != nil {
			fail(err)
		}
		in[i] = source{name: path, data: data}
	}
	files, err := generate(in[0], in[1])
	if err != nil {
		fail(err)
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
