package easemobtest

import (
	"cmp"
	"net/url"
	"strings"

	"github.com/emquota/easemob/internal/catalog"
)

// route is the set of ops sharing one method and path shape.
type route struct {
	method string
	segs   []string // of the first op; "{...}" is a parameter
	ops    []*catalog.Op
}

func isParam(seg string) bool { return strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") }

func splitPath(p string) []string { return strings.Split(strings.Trim(p, "/"), "/") }

// shape is the path with parameter names erased: ops that differ only in
// parameter names are one route.
func shape(segs []string) string {
	out := make([]string, len(segs))
	for i, s := range segs {
		if isParam(s) {
			s = "{}"
		}
		out[i] = s
	}
	return strings.Join(out, "/")
}

type router struct{ routes []*route }

func newRouter(ops []*catalog.Op) *router {
	rt := &router{}
	index := map[string]*route{}
	for _, op := range ops {
		segs := splitPath(op.Path)
		key := op.Method + " " + shape(segs)
		r := index[key]
		if r == nil {
			r = &route{method: op.Method, segs: segs}
			index[key] = r
			rt.routes = append(rt.routes, r)
		}
		r.ops = append(r.ops, op)
	}
	return rt
}

func (r *route) matches(segs []string) bool {
	if len(segs) != len(r.segs) {
		return false
	}
	for i, s := range r.segs {
		if !isParam(s) && s != segs[i] {
			return false
		}
	}
	return true
}

// moreSpecific reports whether a beats b: at the first segment where one is
// a literal and the other a parameter, the literal wins.
func moreSpecific(a, b *route) bool {
	for i := range a.segs {
		if pa, pb := isParam(a.segs[i]), isParam(b.segs[i]); pa != pb {
			return pb
		}
	}
	return false
}

// match finds the route for method and path segments. When only another
// method matches, pathKnown is true.
func (rt *router) match(method string, segs []string) (best *route, pathKnown bool) {
	for _, r := range rt.routes {
		if !r.matches(segs) {
			continue
		}
		pathKnown = true
		if r.method == method && (best == nil || moreSpecific(r, best)) {
			best = r
		}
	}
	return best, pathKnown
}

// pick selects the op of the route that the request is, by each op's
// selector: the first op whose selector matches, else the route's default,
// else its first op (POST /token with an unknown grant_type is answered by
// auth.GetAppToken, as the server does). It binds the op's path parameters.
func (r *route) pick(q *request, segs []string) *catalog.Op {
	var def *catalog.Op
	for _, op := range r.ops {
		q.bind(op, segs)
		switch sel := op.Select; sel.By {
		case catalog.SelectNone:
			return op
		case catalog.SelectDefault:
			def = cmp.Or(def, op)
		default:
			if selects(sel, q) {
				return op
			}
		}
	}
	op := cmp.Or(def, r.ops[0])
	q.bind(op, segs)
	return op
}

// multipart reports a route whose ops all take multipart bodies.
func (r *route) multipart() bool {
	for _, op := range r.ops {
		if op.Content != catalog.ContentMultipart {
			return false
		}
	}
	return true
}

// bind sets the request's path parameters from op's path.
func (q *request) bind(op *catalog.Op, segs []string) {
	q.params = map[string]string{}
	for i, s := range splitPath(op.Path) {
		if isParam(s) {
			q.params[s[1:len(s)-1]] = segs[i]
		}
	}
}

// pathSegments splits the escaped path and unescapes each segment, so an
// escaped "/" inside a value stays in its segment.
func pathSegments(u *url.URL) ([]string, error) {
	segs := splitPath(u.EscapedPath())
	for i, s := range segs {
		v, err := url.PathUnescape(s)
		if err != nil {
			return nil, err
		}
		segs[i] = v
	}
	return segs, nil
}
