package easemobtest

import (
	"encoding/json"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/rules"
	"github.com/emquota/easemob/internal/schema"
)

// validate holds a call to its op's documented input rules, in the order
// the server reads the request: path values, then the op's own documented
// checks, then the body and query schema. Every finding is a 400, in the
// server's words where the docs give them.
func validate(q *request, im impl) *apiError {
	op := enforced(q.op)
	for _, p := range op.Params {
		if aerr := pathValue(op, p, q.param(p.Name)); aerr != nil {
			return aerr
		}
	}
	if im.check != nil {
		if aerr := im.check(q); aerr != nil {
			return aerr
		}
	}
	if op.Content == catalog.ContentJSON && (len(q.body) > 0 || !op.BodyOptional) {
		if !json.Valid(q.body) {
			return errJSONParse()
		}
		if p := schema.Body(unchecked(op, im.checked), q.body); p != nil {
			return errIllegalArgument(p.Error())
		}
	}
	if p := schema.Query(op, q.r.URL.Query()); p != nil {
		return errIllegalArgument(p.Error())
	}
	return nil
}

// enforced is op without the caps the docs only warn about: the server
// takes a larger page size and caps it, where the SDK keeps to it.
func enforced(op *catalog.Op) *catalog.Op {
	if !slices.ContainsFunc(op.Caps, func(c catalog.Cap) bool { return c.Warn }) {
		return op
	}
	strict := *op
	strict.Caps = slices.DeleteFunc(slices.Clone(op.Caps), func(c catalog.Cap) bool { return c.Warn })
	return &strict
}

// unchecked is op without the body fields its own check validates, in
// shapes wider than the schema's: the schema neither types them nor
// requires them (the check does).
func unchecked(op *catalog.Op, fields []string) *catalog.Op {
	if len(fields) == 0 || op.Body == nil {
		return op
	}
	body := *op.Body
	body.Fields = slices.DeleteFunc(slices.Clone(body.Fields), func(f catalog.Field) bool { return slices.Contains(fields, f.Name) })
	loose := *op
	loose.Body = &body
	return &loose
}

// pathValue checks one path parameter: each of its values (a list
// parameter holds several, comma-separated) by rules.PathValue, the
// documented values or pattern, and the documented count of a list.
func pathValue(op *catalog.Op, p catalog.PathParam, v string) *apiError {
	values := []string{v}
	if p.List {
		values = strings.Split(v, ",")
	}
	for _, x := range values {
		err := rules.PathValue(p.Name, x)
		switch {
		case err != nil && rules.IsUsernameParam(p.Name):
			// The docs' wording for a bad user ID anywhere in a call.
			return errIllegalArgument("username " + x + " is not legal")
		case err != nil:
			return errIllegalArgument(p.Name + ": " + err.Error())
		case len(p.Enum) > 0 && !slices.Contains(p.Enum, x):
			return errIllegalArgument(p.Name + ": " + x + " is not one of " + strings.Join(p.Enum, ", "))
		case p.Pattern != "" && !pattern(p.Pattern).MatchString(x):
			return errIllegalArgument(p.Name + ": " + x + " is not of the documented form")
		}
	}
	if c := op.Cap(p.Name); c != nil && c.In == catalog.InPath {
		if n := len(values); n < c.Min || c.Max > 0 && n > c.Max {
			return errIllegalArgument(p.Name + ": " + strconv.Itoa(n) + " values, at most " + strconv.Itoa(c.Max) + " allowed")
		}
	}
	return nil
}

// patterns caches the compiled path patterns of the catalog.
var patterns sync.Map // string -> *regexp.Regexp

func pattern(expr string) *regexp.Regexp {
	if re, ok := patterns.Load(expr); ok {
		return re.(*regexp.Regexp)
	}
	re := regexp.MustCompile(expr)
	patterns.Store(expr, re)
	return re
}
