package catalog_test

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/ratelimit"
)

// The tests below read data/endpoints.json as plain maps, not through the
// generator's ordered decoding, so a slip in the generator shows as a
// difference rather than being repeated.

type endpointCap struct {
	In        string `json:"in"`
	Name      string `json:"name"`
	Kind      string `json:"kind"`
	Min       *int   `json:"min"`
	Max       *int   `json:"max"`
	WarnAbove *int   `json:"warn_above"`
	Severity  string `json:"severity"`
}

type endpointSchema struct {
	Required map[string]string `json:"required"`
	Optional map[string]string `json:"optional"`
}

type endpointOp struct {
	Op              string                       `json:"op"`
	Title           string                       `json:"title"`
	Method          string                       `json:"method"`
	Path            string                       `json:"path"`
	PathParams      map[string]catalog.PathParam `json:"path_params"`
	Auth            string                       `json:"auth"`
	ContentType     string                       `json:"content_type"`
	Caps            []endpointCap                `json:"caps"`
	Body            *endpointSchema              `json:"body"`
	Query           *endpointSchema              `json:"query"`
	ResponseKind    string                       `json:"response_kind"`
	ExampleResponse json.RawMessage              `json:"example_response"`
	Synthesized     bool                         `json:"synthesized"`
}

func loadEndpoints(t *testing.T) []endpointOp {
	t.Helper()
	raw, err := os.ReadFile(dataFile(t, "endpoints.json"))
	require.NoError(t, err)
	var doc struct {
		Operations []endpointOp `json:"operations"`
	}
	require.NoError(t, json.Unmarshal(raw, &doc))
	require.NotEmpty(t, doc.Operations)
	return doc.Operations
}

// jsonValue decodes s keeping numbers exact, for comparison by meaning.
func jsonValue(t *testing.T, s []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(s))
	dec.UseNumber()
	var v any
	require.NoError(t, dec.Decode(&v), "%s", s)
	return v
}

func TestEndpointsAreInTheCatalog(t *testing.T) {
	ops := opsByID(t)
	units := map[string]string{} // op -> its message_units cap
	for _, o := range loadDataOps(t) {
		units[o.Op] = o.MessageUnits
	}
	auths := map[string]catalog.Auth{"app": catalog.AuthApp, "none": catalog.AuthNone, "user": catalog.AuthUser, "app_or_user": catalog.AuthAppOrUser}
	contents := map[string]catalog.Content{"none": catalog.ContentNone, "json": catalog.ContentJSON, "form": catalog.ContentForm, "multipart": catalog.ContentMultipart}
	ins := map[string]catalog.CapIn{"body": catalog.InBody, "path": catalog.InPath, "query": catalog.InQuery}
	kinds := map[string]catalog.CapKind{"count": catalog.CapCount, "value": catalog.CapValue}
	deref := func(p *int) int {
		if p == nil {
			return 0
		}
		return *p
	}

	seen := map[string]bool{}
	for _, e := range loadEndpoints(t) {
		seen[e.Op] = true
		op, ok := ops[e.Op]
		if !assert.True(t, ok, "endpoints.json op %s has no catalog.Op", e.Op) {
			continue
		}
		assert.Equal(t, e.Title, op.Title, e.Op)
		assert.Equal(t, e.Method+" "+e.Path, op.Method+" "+op.Path, "method and path of %s", e.Op)
		for _, p := range op.Params {
			want := e.PathParams[p.Name] // fields enum, pattern and list match by name
			want.Name = p.Name
			assert.Equal(t, want, p, "path parameter %s of %s", p.Name, e.Op)
		}
		assert.Equal(t, auths[e.Auth], op.Auth, "auth of %s", e.Op)
		assert.Equal(t, contents[e.ContentType], op.Content, "content of %s", e.Op)

		var want []catalog.Cap
		for _, c := range e.Caps {
			want = append(want, catalog.Cap{In: ins[c.In], Name: c.Name, Kind: kinds[c.Kind],
				Min: deref(c.Min), Max: deref(c.Max), WarnAbove: deref(c.WarnAbove), Warn: c.Severity == "warn",
				Messages: c.In == "body" && c.Name == units[e.Op]})
		}
		assert.Equal(t, want, op.Caps, "caps of %s", e.Op)

		assert.Equal(t, schemaFields(e.Body), fieldsOf(op.Body), "body of %s", e.Op)
		assert.Equal(t, schemaFields(e.Query), fieldsOf(op.Query), "query of %s", e.Op)

		assert.Equal(t, e.ResponseKind == "binary", op.Binary, "binary answer of %s", e.Op)
		assert.Equal(t, e.Synthesized, op.Synthesized, "synthesized example of %s", e.Op)
		if string(e.ExampleResponse) == "null" {
			assert.Empty(t, op.Example, "example of %s", e.Op)
		} else {
			assert.Equal(t, jsonValue(t, e.ExampleResponse), jsonValue(t, []byte(op.Example)), "example of %s", e.Op)
		}
	}
	for id := range ops {
		assert.True(t, seen[id], "catalog op %s is not in endpoints.json", id)
	}
}

// schemaFields and fieldsOf reduce both sides to name -> "type" or
// "type required".
func schemaFields(s *endpointSchema) map[string]string {
	if s == nil {
		return nil
	}
	out := map[string]string{}
	for n, typ := range s.Required {
		out[n] = typ + " required"
	}
	for n, typ := range s.Optional {
		out[n] = typ
	}
	return out
}

func fieldsOf(s *catalog.Schema) map[string]string {
	if s == nil {
		return nil
	}
	out := map[string]string{}
	for _, f := range s.Fields {
		out[f.Name] = string(f.Type)
		if f.Required {
			out[f.Name] += " required"
		}
	}
	return out
}

func TestParamsMatchPath(t *testing.T) {
	for _, op := range catalog.Ops {
		var want []string
		for _, m := range paramRE.FindAllString(op.Path, -1) {
			want = append(want, m[1:len(m)-1])
		}
		var got []string
		for _, p := range op.Params {
			got = append(got, p.Name)
			assert.True(t, op.HasParam(p.Name), op.ID)
		}
		assert.Equal(t, want, got, "params of %s (%s)", op.ID, op.Path)
	}
}

// TestMessageCaps: a cap is charged as messages only where the group counts
// messages, at most once per op, and always counts a body field.
func TestMessageCaps(t *testing.T) {
	n := 0
	for _, op := range catalog.Ops {
		counted := 0
		for _, c := range op.Caps {
			if !c.Messages {
				continue
			}
			counted++
			n++
			assert.True(t, c.In == catalog.InBody && c.Kind == catalog.CapCount, "%s: Messages cap %s must count a body field", op.ID, c.Name)
			hasMessages := false
			for _, l := range catalog.Groups[op.Group].Limits {
				hasMessages = hasMessages || l.Unit == ratelimit.Messages
			}
			assert.True(t, hasMessages, "%s: cap %s counts messages but group %s has no messages limit", op.ID, c.Name, catalog.Groups[op.Group].Group)
		}
		assert.LessOrEqual(t, counted, 1, "%s has several Messages caps", op.ID)
	}
	assert.Equal(t, 4, n, "the sends to users, groups, chatrooms and group members")
	assert.True(t, catalog.MessagesSendToUsers.Cap("to").Messages)
}

func TestOpByID(t *testing.T) {
	for _, op := range catalog.Ops {
		got, ok := catalog.OpByID(op.ID)
		assert.True(t, ok, op.ID)
		assert.Same(t, op, got, op.ID)
	}
	got, ok := catalog.OpByID("users.Nothing")
	assert.False(t, ok)
	assert.Nil(t, got)
}
