package wiretest

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
)

// envelope holds the top-level fields of a success answer that frame it
// rather than carry what the call returns; no method needs to keep them.
var envelope = map[string]bool{
	"action": true, "uri": true, "path": true, "timestamp": true, "duration": true,
	"organization": true, "application": true, "applicationName": true, "params": true, "count": true,
}

// leaf is one scalar of the documented example.
type leaf struct {
	path string   // dotted, array indices left out: "entities.username" (for Drops)
	at   string   // with indices, for messages: "entities[1].username"
	raw  any      // the decoded value
	keys []string // the forms a result may keep it in, preferred first
}

// exampleLeaves returns the scalars of the example outside its envelope.
func exampleLeaves(example string) ([]leaf, error) {
	v, err := decodeJSON([]byte(example))
	if err != nil {
		return nil, fmt.Errorf("documented example is not JSON: %w", err)
	}
	var out []leaf
	obj, ok := v.(map[string]any)
	if !ok {
		walkJSON(v, "", "", &out)
		return out, nil
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	slices.Sort(keys) // messages in a stable order
	for _, k := range keys {
		if !envelope[k] {
			walkJSON(obj[k], k, k, &out)
		}
	}
	return out, nil
}

func walkJSON(v any, path, at string, out *[]leaf) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			walkJSON(e, join(path, k), join(at, k), out)
		}
	case []any:
		for i, e := range x {
			walkJSON(e, path, fmt.Sprintf("%s[%d]", at, i), out)
		}
	case nil:
		// null documents no value to keep
	default:
		*out = append(*out, leaf{path: path, at: at, raw: x, keys: exampleKeys(x)})
	}
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// exampleKeys lists the forms a documented scalar may be kept in: as
// itself, and across the string/number/bool line, since the docs show
// numbers as strings and the SDK decodes both.
func exampleKeys(v any) []string {
	switch x := v.(type) {
	case string:
		keys := []string{"s:" + x}
		if n, ok := number(x); ok {
			keys = append(keys, "n:"+n)
		}
		if x == "true" || x == "false" {
			keys = append(keys, "b:"+x)
		}
		return keys
	case json.Number:
		n, _ := number(x.String())
		return []string{"n:" + n, "s:" + x.String()}
	case bool:
		b := strconv.FormatBool(x)
		return []string{"b:" + b, "s:" + b}
	}
	return nil
}

// number returns the canonical text of a numeric string: integers as
// such, other values in the shortest float form.
func number(s string) (string, bool) {
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		return strconv.FormatInt(i, 10), true
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return "", false
	}
	return floatKey(f), true
}

func floatKey(f float64) string {
	if f == float64(int64(f)) {
		return strconv.FormatInt(int64(f), 10)
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

var (
	timeType     = reflect.TypeFor[time.Time]()
	durationType = reflect.TypeFor[time.Duration]()
	rawType      = reflect.TypeFor[json.RawMessage]()
)

// resultValues counts the scalars a result holds, by key. It walks
// exported fields, elements, map keys and values; times count as Unix
// milliseconds, durations as milliseconds and seconds, and raw JSON by
// the scalars it holds.
func resultValues(v any) map[string]int {
	got := map[string]int{}
	collect(reflect.ValueOf(v), got, 0)
	return got
}

// maxDepth stops a cyclic value from walking forever.
const maxDepth = 32

func collect(v reflect.Value, got map[string]int, depth int) {
	if !v.IsValid() || depth > maxDepth {
		return
	}
	switch v.Type() {
	case timeType:
		if t := v.Interface().(time.Time); !t.IsZero() {
			got["n:"+strconv.FormatInt(t.UnixMilli(), 10)]++
		}
		return
	case durationType:
		d := time.Duration(v.Int())
		got["n:"+floatKey(float64(d)/float64(time.Millisecond))]++
		got["n:"+floatKey(d.Seconds())]++
		return
	case rawType:
		var leaves []leaf
		if x, err := decodeJSON(v.Bytes()); err == nil {
			walkJSON(x, "", "", &leaves)
		}
		for _, l := range leaves {
			got[l.keys[0]]++
		}
		return
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		collect(v.Elem(), got, depth+1)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				collect(v.Field(i), got, depth+1)
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			collect(v.Index(i), got, depth+1)
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			collect(it.Key(), got, depth+1)
			collect(it.Value(), got, depth+1)
		}
	case reflect.String:
		got["s:"+v.String()]++
	case reflect.Bool:
		got["b:"+strconv.FormatBool(v.Bool())]++
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		got["n:"+strconv.FormatInt(v.Int(), 10)]++
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		got["n:"+strconv.FormatUint(v.Uint(), 10)]++
	case reflect.Float32, reflect.Float64:
		got["n:"+floatKey(v.Float())]++
	}
}

// droppedFields returns the example's scalars the result does not hold,
// each result value standing for one documented value only, and the
// drops that name no field of the example.
func droppedFields(example string, result any, drops map[string]string) (lost, stale []string, err error) {
	leaves, err := exampleLeaves(example)
	if err != nil {
		return nil, nil, err
	}
	got := resultValues(result)
	used := map[string]bool{}
	for _, l := range leaves {
		if d, ok := dropFor(l.path, drops); ok {
			used[d] = true
			continue
		}
		if !take(got, l.keys) {
			lost = append(lost, fmt.Sprintf("%s = %v", l.at, l.raw))
		}
	}
	for d := range drops {
		if !used[d] {
			stale = append(stale, d)
		}
	}
	slices.Sort(stale)
	return lost, stale, nil
}

// dropFor returns the drop covering path: the path itself or a parent.
func dropFor(path string, drops map[string]string) (string, bool) {
	for d := range drops {
		if path == d || strings.HasPrefix(path, d+".") {
			return d, true
		}
	}
	return "", false
}

func take(got map[string]int, keys []string) bool {
	for _, k := range keys {
		if got[k] > 0 {
			got[k]--
			return true
		}
	}
	return false
}
