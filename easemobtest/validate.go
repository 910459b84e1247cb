package easemobtest

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/rules"
	"github.com/emquota/easemob/internal/schema"
)

// validate holds a call to its op's documented input rules, in the order
// the server reads the request: path values, then the op's own documented
// checks (check may be nil), then the body and query schema. Every finding
// is a 400 in the server's words where the docs give them.
func validate(q *request, check func(*request) *apiError) *apiError {
	for _, p := range q.op.Params {
		if aerr := pathValue(p, q.param(p.Name)); aerr != nil {
			return aerr
		}
	}
	if check != nil {
		if aerr := check(q); aerr != nil {
			return aerr
		}
	}
	if q.op.Content == catalog.ContentJSON && (len(q.body) > 0 || !q.op.BodyOptional) {
		if !json.Valid(q.body) {
			return errJSONParse()
		}
		if p := schema.Body(q.op, q.body); p != nil {
			return errIllegalArgument(p.Error())
		}
	}
	if p := schema.Query(q.op, q.r.URL.Query()); p != nil {
		return errIllegalArgument(p.Error())
	}
	return nil
}

// pathValue applies rules.PathValue to each value of a path parameter.
func pathValue(p catalog.PathParam, v string) *apiError {
	values := []string{v}
	if strings.Contains(v, ",") && rules.IsUsernameParam(p.Name) {
		values = strings.Split(v, ",") // a list of user IDs
	}
	if len(p.Enum) > 0 && !slices.Contains(p.Enum, v) {
		return errIllegalArgument(p.Name + ": " + v + " is not one of " + strings.Join(p.Enum, ", "))
	}
	for _, x := range values {
		if err := rules.PathValue(p.Name, x); err != nil {
			if rules.IsUsernameParam(p.Name) {
				// The docs' wording for a bad user ID anywhere in a call.
				return errIllegalArgument("username " + x + " is not legal")
			}
			return errIllegalArgument(p.Name + ": " + err.Error())
		}
	}
	return nil
}
