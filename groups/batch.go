package groups

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/emquota/easemob/batch"
	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/core"
	"github.com/emquota/easemob/option"
)

// NotAdded is the reason given for a name a batch add sent that the
// server's list of new members leaves out: it did not add the user (most
// often one already in the group).
const NotAdded = "not among the server's new members"

// joinNames joins the values of a list path parameter; core checks and
// escapes each one.
func joinNames(names []string) string { return strings.Join(names, ",") }

// nameBatch is a batch over usernames on one group whose answer says, name
// by name, whether the server did it ({"result","reason","user"} items).
type nameBatch[Out any] struct {
	op *catalog.Op
	// body builds the body of a chunk; nil puts the names in the path
	// parameter "usernames" instead.
	body func(chunk []string) any
	// value is what a done name reports.
	value func(core.NameResult) Out
}

// run checks the group ID and every name before anything is sent, then
// sends the chunks the op's cap allows and maps each answer back by name.
func (nb nameBatch[Out]) run(ctx context.Context, s *Service, groupID string, names []string, opts []option.Call) (*batch.Result[string, Out], error) {
	op := nb.op
	if err := checkGroupID(op.ID, groupID); err != nil {
		return nil, err
	}
	set := option.Resolve(opts...)
	b := core.Batch[string, Out]{
		Op: op, Cap: "usernames", Field: "usernames", Key: core.FoldKey,
		Check: func(u string) error { return checkUser(op.ID, "username", u) },
		Send: func(ctx context.Context, chunk []string) ([]core.Outcome[Out], *core.Request, error) {
			var env struct {
				Data json.RawMessage `json:"data"`
			}
			r := &core.Request{Op: op, Path: core.P("group_id", groupID), Result: &env, Opts: set}
			if nb.body != nil {
				r.Body = nb.body(chunk)
			} else {
				r.Path["usernames"] = joinNames(chunk)
			}
			if err := s.c.Do(ctx, r); err != nil {
				return nil, r, err
			}
			items, err := core.DecodeNameResults(env.Data)
			if err != nil || len(env.Data) == 0 {
				return nil, r, &core.DecodeError{Op: op.ID, StatusCode: http.StatusOK, Reason: "data is not the documented per-user results", Err: err}
			}
			return core.ByName(chunk, items, nb.value), r, nil
		},
	}
	return b.Run(ctx, s.c, set.Concurrency, names)
}

// done is the value of a name the server did: nothing more to say.
func done(core.NameResult) struct{} { return struct{}{} }

// usernamesBody is the body of the batch calls that take {"usernames": [...]}.
func usernamesBody(chunk []string) any { return map[string][]string{"usernames": chunk} }
