package moderation

import (
	"context"

	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/core"
	"github.com/emquota/easemob/option"
)

// CheckText moderates a text (主动文本审核): the verdict, what was found,
// and the text with it replaced. The content's length limit is set by the
// moderation vendor.
//
//meta:operation POST /moderation/txt/check (moderation.CheckText)
func (s *Service) CheckText(ctx context.Context, content string, opts ...option.Call) (*TextCheck, error) {
	op := catalog.ModerationCheckText
	if content == "" {
		return nil, core.Invalid(op.ID, "content", "empty")
	}
	var out *TextCheck
	if err := s.c.Do(ctx, &core.Request{Op: op, Body: map[string]string{"content": content}, Result: &out, Opts: option.Resolve(opts...)}); err != nil {
		return nil, err
	}
	if out == nil || out.Verdict == "" {
		return nil, &core.DecodeError{Op: op.ID, StatusCode: 200, Reason: "no data.type in the answer"}
	}
	return out, nil
}
