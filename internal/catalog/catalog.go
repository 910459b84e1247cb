// Package catalog holds the operation model: every documented operation
// with its path parameters, auth, selector, caps, body and query schema,
// documented example response and quota group. It is generated from
// data/quotas.json and data/endpoints.json; run `go generate ./...` after
// editing either. The SDK, the emulator and the tests all read it.
package catalog

import "github.com/emquota/easemob/ratelimit"

// GroupID indexes Groups.
type GroupID int

// CapIn says where a per-call cap applies.
type CapIn uint8

// Where a cap applies.
const (
	InBody CapIn = iota
	InPath
	InQuery
)

// CapKind says what a cap bounds.
type CapKind uint8

// Cap kinds.
const (
	// CapCount bounds a length: array items, object keys or comma-separated values.
	CapCount CapKind = iota
	// CapValue bounds an integer value (e.g. a page size).
	CapValue
)

// Cap is a documented per-call bound. Min and Max are 0 when not documented
// (Min 0 also for a documented 0). A Warn cap is advice the server does not
// enforce; the SDK keeps to it all the same.
type Cap struct {
	In        CapIn
	Name      string // field, path or query parameter; "$" is a top-level array body
	Kind      CapKind
	Min, Max  int
	WarnAbove int  // above this the docs warn (0: none)
	Warn      bool // severity warn: the server does not fail the call
	// Messages marks the cap whose count is the call's message units (the
	// targets of a send): the SDK charges that many Messages.
	Messages bool
}

// Auth is the credential an op takes.
type Auth uint8

// Auth kinds.
const (
	AuthApp Auth = iota
	AuthNone
	AuthUser
	AuthAppOrUser
)

// Content is the request body's encoding.
type Content uint8

// Body encodings.
const (
	ContentNone Content = iota
	ContentJSON
	ContentForm
	ContentMultipart
)

// SelectBy names how an op is told apart from others sharing its method and
// path (the "select" rules of endpoints.json).
type SelectBy uint8

// Selectors.
const (
	SelectNone SelectBy = iota // the op alone on its route
	SelectDefault
	SelectBodyFieldValue // Field == Value in the JSON body
	SelectBodyKind       // body is a JSON array (Value "array") or object
	SelectBodyHasAny     // the body has any of Fields
	SelectNoAuth         // no Authorization header
	SelectPathHasComma   // path parameter Field holds a comma iff Value == "true"
	SelectHeader         // header Field == Value
)

// Selector tells an op apart from the others on its route.
type Selector struct {
	By     SelectBy
	Field  string // body field, path parameter or header name
	Value  string
	Fields []string
}

// Type is a JSON type named by the docs.
type Type string

// JSON types of schema fields ("list" is a comma-separated query value).
const (
	TypeString  Type = "string"
	TypeInteger Type = "integer"
	TypeNumber  Type = "number"
	TypeBoolean Type = "boolean"
	TypeObject  Type = "object"
	TypeArray   Type = "array"
	TypeStrings Type = "string[]"
	TypeObjects Type = "object[]"
	TypeList    Type = "list"
)

// Field is one body field or query parameter.
type Field struct {
	Name     string
	Type     Type
	Required bool
	// WarnIfMissing: the docs mark it required, but its absence only warns.
	WarnIfMissing bool
	NonEmpty      bool
	// Enum lists the allowed values as text; a number field's are its JSON
	// literals ("0", "1").
	Enum []string
	// Nested is the spec of an object or object[] field, when documented.
	Nested *Schema
}

// Schema is a documented request body or query.
type Schema struct {
	Kind     string // "object" or "array" (bodies); "" for a query
	Fields   []Field
	Items    *Schema // element spec of an array body
	ItemType Type    // scalar element type of an array body
	Checks   []string
	// Open: any other parameter is allowed (queries).
	Open bool
	// RequiredIf lists parameters required when another has a value.
	RequiredIf []Condition
	// Alt is a second accepted shape, which the server takes with a warning.
	Alt *Schema
}

// Condition is "Param is required when When equals Equals".
type Condition struct{ Param, When, Equals string }

// Field returns the named field, or nil.
func (s *Schema) Field(name string) *Field {
	if s == nil {
		return nil
	}
	for i := range s.Fields {
		if s.Fields[i].Name == name {
			return &s.Fields[i]
		}
	}
	return nil
}

// PathParam is a {name} segment of an op's path.
type PathParam struct {
	Name    string
	Enum    []string // allowed values, when documented
	Pattern string   // regular expression a value matches, when documented (e.g. a date)
	List    bool     // the value is a comma-separated list (caps count its items)
}

// Op describes one documented operation.
type Op struct {
	ID     string // e.g. "users.Get", as in the fact sheets
	Title  string // the docs' name, e.g. "获取单个用户详情"
	Method string
	Path   string // relative to /{org_name}/{app_name}
	Params []PathParam
	Group  GroupID
	Auth   Auth
	// Content is the body's encoding; BodyOptional: the body may be left out.
	Content      Content
	BodyOptional bool
	Select       Selector
	Caps         []Cap
	Body         *Schema
	Query        *Schema
	// Headers are documented request headers (required and optional).
	Headers []Field
	// Parts are the required parts of a multipart body.
	Parts []string
	// Binary: the success answer is a file, not JSON.
	Binary bool
	// Example is the docs' example success response, as JSON.
	Example string
	// Synthesized: the docs show no example; Example was built from the fact sheet.
	Synthesized bool
	// Method of the SDK that implements the op, e.g. "Users.Get" (a field of
	// easemob.Client and its method); "" while none does.
	SDK string
}

// Cap returns the op's cap on the named field or parameter, or nil.
func (o *Op) Cap(name string) *Cap {
	for i := range o.Caps {
		if o.Caps[i].Name == name {
			return &o.Caps[i]
		}
	}
	return nil
}

// MaxItems returns the documented per-call maximum for the named field, or
// 0 when the op has none.
func (o *Op) MaxItems(name string) int {
	if c := o.Cap(name); c != nil {
		return c.Max
	}
	return 0
}

// HasParam reports whether the op's path has the named parameter.
func (o *Op) HasParam(name string) bool {
	for _, p := range o.Params {
		if p.Name == name {
			return true
		}
	}
	return false
}

// Pool is a budget several groups share in a quota profile.
type Pool struct {
	Name   string // e.g. "users.account"; no group has it
	Limits []ratelimit.Limit
	Groups []GroupID
}

// Profile is the quota table of another docs version than the seed's: the
// default groups, with the groups of each pool sharing its budget.
type Profile struct {
	Name  string // e.g. "newest_docs"
	About string // the sources and what differs from the default table
	Pools []Pool
}
