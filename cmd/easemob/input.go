package main

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// inputItem is one decoded item of a job's input and where it was.
type inputItem[T any] struct {
	line int
	key  string
	item T
}

// readItems decodes a job's input into items of T by their JSON field
// names: CSV with a header row naming the fields, or JSON Lines (one object
// per line). format "" picks by the file's extension (.csv, else JSONL).
// Any bad line, or two lines with one key, is an error naming the lines:
// the input is checked whole before anything is sent.
func readItems[T any](path, format string, key func(T) string) ([]inputItem[T], error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, usagef("input: %v", err)
	}
	defer func() { _ = f.Close() }() // read only
	if format == "" {
		format = "jsonl"
		if strings.EqualFold(filepath.Ext(path), ".csv") {
			format = "csv"
		}
	}
	var items []inputItem[T]
	var problems []string
	switch format {
	case "csv":
		items, problems, err = readCSV[T](f)
	case "jsonl", "ndjson":
		items, problems, err = readJSONL[T](f)
	default:
		return nil, usagef("--format %q: want csv or jsonl", format)
	}
	if err != nil {
		return nil, usagef("input %s: %v", path, err)
	}
	first := map[string]int{}
	for i := range items {
		items[i].key = key(items[i].item)
		switch j, dup := first[items[i].key]; {
		case items[i].key == "":
			problems = append(problems, fmt.Sprintf("line %d: no key", items[i].line))
		case dup:
			problems = append(problems, fmt.Sprintf("line %d: %q again (first on line %d)", items[i].line, items[i].key, j))
		default:
			first[items[i].key] = items[i].line
		}
	}
	if len(problems) > 0 {
		return nil, inputError(path, problems)
	}
	if len(items) == 0 {
		return nil, usagef("input %s: no items", path)
	}
	return items, nil
}

func inputError(path string, problems []string) error {
	const shown = 10
	more := ""
	if len(problems) > shown {
		more = fmt.Sprintf("\n  ... and %d more", len(problems)-shown)
		problems = problems[:shown]
	}
	return usagef("input %s:\n  %s%s", path, strings.Join(problems, "\n  "), more)
}

func readJSONL[T any](r io.Reader) ([]inputItem[T], []string, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	var items []inputItem[T]
	var problems []string
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var it T
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&it); err != nil {
			problems = append(problems, fmt.Sprintf("line %d: %v", n, err))
			continue
		}
		items = append(items, inputItem[T]{line: n, item: it})
	}
	return items, problems, sc.Err()
}

func readCSV[T any](r io.Reader) ([]inputItem[T], []string, error) {
	cr := csv.NewReader(r)
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if err != nil {
		return nil, nil, fmt.Errorf("CSV header: %w", err)
	}
	for i := range header {
		header[i] = strings.TrimSpace(strings.TrimPrefix(header[i], "\ufeff"))
	}
	var items []inputItem[T]
	var problems []string
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		it, err := decodeRecord[T](header, rec)
		if err != nil {
			problems = append(problems, fmt.Sprintf("line %d: %v", line, err))
			continue
		}
		items = append(items, inputItem[T]{line: line, item: it})
	}
	return items, problems, nil
}

// decodeRecord decodes one CSV row as the JSON object of its fields: as
// strings, or, where T wants a number, boolean or nested value, as the
// JSON literal the cell holds. Empty cells are left out.
func decodeRecord[T any](header, rec []string) (T, error) {
	var it T
	obj := map[string]json.RawMessage{}
	for i, name := range header {
		if i >= len(rec) || rec[i] == "" || name == "" {
			continue
		}
		s, _ := json.Marshal(rec[i])
		obj[name] = s
	}
	if err := decodeStrict(obj, &it); err == nil {
		return it, nil
	} else if !errors.As(err, new(*json.UnmarshalTypeError)) {
		return it, err
	}
	for i, name := range header {
		if i < len(rec) && json.Valid([]byte(rec[i])) && !strings.HasPrefix(rec[i], `"`) {
			obj[name] = json.RawMessage(rec[i])
		}
	}
	err := decodeStrict(obj, &it)
	return it, err
}

func decodeStrict(obj map[string]json.RawMessage, into any) error {
	b, err := json.Marshal(obj)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	return dec.Decode(into)
}
