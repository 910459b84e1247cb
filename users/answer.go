package users

import (
	"context"

	"github.com/emquota/easemob/internal/core"
)

// documented is an answer shape core has no helper for; missing names
// what the op documents that the answer lacks, "" when nothing.
type documented interface{ missing() string }

// answer runs r into out; a 2xx without what the op documents is a
// *core.DecodeError, never a made-up server error.
func (s *Service) answer(ctx context.Context, r *core.Request, out documented) error {
	r.Result = out
	if err := s.c.Do(ctx, r); err != nil {
		return err
	}
	if what := out.missing(); what != "" {
		return &core.DecodeError{Op: r.Op.ID, StatusCode: 200, Reason: what}
	}
	return nil
}

// when returns "no <field> in the answer" when absent holds.
func when(absent bool, field string) string {
	if absent {
		return "no " + field + " in the answer"
	}
	return ""
}
