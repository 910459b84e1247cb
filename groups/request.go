package groups

import (
	"context"
	"iter"
	"net/http"
	"net/url"
	"strconv"

	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/core"
	"github.com/emquota/easemob/option"
)

// groupRequest is a call on one group's path; more adds name, value pairs
// of other path parameters. Core checks every path value before any quota
// is spent.
func groupRequest(op *catalog.Op, groupID string, opts []option.Call, more ...string) *core.Request {
	return &core.Request{Op: op, Path: core.P(append([]string{"group_id", groupID}, more...)...), Opts: option.Resolve(opts...)}
}

// flag runs r and returns the boolean field of its data object; an answer
// without it is a *core.DecodeError.
func (s *Service) flag(ctx context.Context, r *core.Request, field string) (bool, error) {
	data, err := core.Data[core.Object](ctx, s.c, r)
	if err != nil {
		return false, err
	}
	v, ok := data.Bool(field)
	if !ok {
		return false, &core.DecodeError{Op: r.Op.ID, StatusCode: http.StatusOK, Reason: "no boolean data." + field + " in the answer"}
	}
	return v, nil
}

// expect runs r and requires its data flag to say want: the call set a
// state (disabled, muted) and the answer confirms it.
func (s *Service) expect(ctx context.Context, r *core.Request, field string, want bool) error {
	got, err := s.flag(ctx, r, field)
	if err == nil && got != want {
		err = &core.DecodeError{Op: r.Op.ID, StatusCode: http.StatusOK, Reason: "data." + field + " is " + strconv.FormatBool(got)}
	}
	return err
}

// pageQuery is the query of a page-numbered list; zero values are left out
// so that the server's defaults apply.
func pageQuery(num, size int) url.Values {
	q := url.Values{}
	if size != 0 {
		q.Set("pagesize", strconv.Itoa(size))
	}
	if num != 0 {
		q.Set("pagenum", strconv.Itoa(num))
	}
	return q
}

// names runs r and returns its data, a list of user IDs.
func (s *Service) names(ctx context.Context, r *core.Request) ([]string, error) {
	return core.Data[[]string](ctx, s.c, r)
}

// numbered walks a page-numbered list from page first, size items a page
// (def, the server's default, when size is not set).
func numbered[T any](ctx context.Context, first, size, def int, key func(T) string,
	fetch func(ctx context.Context, num int) ([]T, error)) iter.Seq2[T, error] {
	if size <= 0 {
		size = def
	}
	return core.NumberedPages(ctx, first, size, key, fetch)
}
