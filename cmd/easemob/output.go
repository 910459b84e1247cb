package main

import (
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"sort"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"
)

// printer writes a command's result as a table or as JSON.
type printer struct {
	w    io.Writer
	json bool
}

func newPrinter(format string, w io.Writer) (printer, error) {
	switch format {
	case "table", "":
		return printer{w: w}, nil
	case "json":
		return printer{w: w, json: true}, nil
	}
	return printer{}, usagef("--output %q: want table or json", format)
}

// print writes v: JSON as it marshals; a table with one row per element of
// a slice (columns from the struct fields), or one row per field of a
// struct or key of a map, or the value alone.
func (p printer) print(v any) error {
	if v == nil {
		return nil
	}
	if p.json {
		enc := json.NewEncoder(p.w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(v)
	}
	tw := tabwriter.NewWriter(p.w, 2, 4, 2, ' ', 0)
	writeTable(tw, reflect.ValueOf(v))
	return tw.Flush()
}

func writeTable(w io.Writer, v reflect.Value) {
	v = deref(v)
	switch {
	case !v.IsValid():
	case v.Kind() == reflect.Slice && isRecord(elemType(v.Type())):
		fields := columns(elemType(v.Type()))
		names := make([]string, len(fields))
		for i, f := range fields {
			names[i] = strings.ToUpper(f.name)
		}
		fmt.Fprintln(w, strings.Join(names, "\t"))
		for i := range v.Len() {
			row := deref(v.Index(i))
			cells := make([]string, len(fields))
			for j, f := range fields {
				cells[j] = cell(row.FieldByIndex(f.index))
			}
			fmt.Fprintln(w, strings.Join(cells, "\t"))
		}
	case v.Kind() == reflect.Slice:
		for i := range v.Len() {
			fmt.Fprintln(w, cell(v.Index(i)))
		}
	case isRecord(v.Type()):
		for _, f := range columns(v.Type()) {
			fmt.Fprintf(w, "%s\t%s\n", f.name, cell(v.FieldByIndex(f.index)))
		}
	case v.Kind() == reflect.Map:
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return fmt.Sprint(keys[i]) < fmt.Sprint(keys[j]) })
		for _, k := range keys {
			fmt.Fprintf(w, "%v\t%s\n", k, cell(v.MapIndex(k)))
		}
	default:
		fmt.Fprintln(w, cell(v))
	}
}

func deref(v reflect.Value) reflect.Value {
	for v.IsValid() && (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface) {
		if v.IsNil() {
			return reflect.Value{}
		}
		v = v.Elem()
	}
	return v
}

func elemType(t reflect.Type) reflect.Type {
	t = t.Elem()
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

var timeType = reflect.TypeFor[time.Time]()

// isRecord reports a struct shown field by field (time.Time is a value).
func isRecord(t reflect.Type) bool { return t.Kind() == reflect.Struct && t != timeType }

type column struct {
	name  string
	index []int
}

// columns are the exported fields of a struct, named in snake case.
func columns(t reflect.Type) []column {
	var out []column
	for _, f := range reflect.VisibleFields(t) {
		if !f.IsExported() || f.Anonymous {
			continue
		}
		name := snake(f.Name)
		if tag, _, _ := strings.Cut(f.Tag.Get("json"), ","); tag != "" && tag != "-" {
			name = tag
		}
		out = append(out, column{name: name, index: f.Index})
	}
	return out
}

// cell formats one value: times in RFC 3339, nil and zero times empty,
// nested values as compact JSON.
func cell(v reflect.Value) string {
	v = deref(v)
	if !v.IsValid() {
		return ""
	}
	if v.Type() == timeType {
		t := v.Interface().(time.Time)
		if t.IsZero() {
			return ""
		}
		return t.Format(time.RFC3339)
	}
	if s, ok := v.Interface().(fmt.Stringer); ok {
		return s.String()
	}
	switch v.Kind() {
	case reflect.Map, reflect.Slice, reflect.Struct, reflect.Array:
		if (v.Kind() == reflect.Map || v.Kind() == reflect.Slice) && v.Len() == 0 {
			return ""
		}
		b, err := json.Marshal(v.Interface())
		if err != nil {
			return fmt.Sprint(v.Interface())
		}
		return string(b)
	}
	return fmt.Sprint(v.Interface())
}

// snake turns a Go field name into snake case: UUID -> uuid, OfflineCount -> offline_count.
func snake(name string) string {
	var b strings.Builder
	rs := []rune(name)
	for i, r := range rs {
		if unicode.IsUpper(r) && i > 0 && (unicode.IsLower(rs[i-1]) || (i+1 < len(rs) && unicode.IsLower(rs[i+1]))) {
			b.WriteByte('_')
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}
