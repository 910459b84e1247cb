// Package catalog holds the endpoint descriptors and quota groups generated
// from data/quotas.json. Run `go generate ./...` after editing the data file.
package catalog

// GroupID indexes Groups.
type GroupID int

// CapIn says where a per-call cap applies.
type CapIn uint8

const (
	InBody CapIn = iota
	InPath
	InQuery
)

// Cap is a documented per-call maximum: the SDK splits larger requests.
type Cap struct {
	In   CapIn
	Name string // field, path or query parameter; "$" is a top-level array body
	Max  int
}

// Op describes one documented operation.
type Op struct {
	ID     string // e.g. "users.Get", as in the fact sheets
	Method string
	Path   string // relative to /{org_name}/{app_name}
	Group  GroupID
	Caps   []Cap
}

// MaxItems returns the documented per-call maximum for the named field, or
// 0 when the op has none.
func (o *Op) MaxItems(name string) int {
	for _, c := range o.Caps {
		if c.Name == name {
			return c.Max
		}
	}
	return 0
}
