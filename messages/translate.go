package messages

import (
	"context"
	"fmt"
	"strconv"
	"unicode/utf8"

	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/core"
	"github.com/emquota/easemob/option"
)

// MaxTranslateChars bounds a translation: the text's characters times the
// number of target languages (500 characters into 4 languages count 2000).
const MaxTranslateChars = 10000

// Translation is a text in one language.
type Translation struct {
	// To is the language code, e.g. "en", "zh-Hant".
	To   string `json:"to"`
	Text string `json:"text"`
}

// Translate translates text into each language of to (翻译消息内容); from
// names the source language, "" to have it detected. Translation is a
// value-added service; over its rate the server answers 400, which the
// SDK treats as the rate limit it is.
//
//meta:operation POST /translate (translate.Text)
func (s *Service) Translate(ctx context.Context, text string, to []string, from string, opts ...option.Call) ([]Translation, error) {
	op := catalog.TranslateText
	n := utf8.RuneCountInString(text)
	switch {
	case n == 0:
		return nil, core.Invalid(op.ID, "text", "empty")
	case len(to) == 0:
		return nil, core.Invalid(op.ID, "to", "no target language")
	case n*len(to) > MaxTranslateChars:
		return nil, core.Invalid(op.ID, "text", "%d characters × %d languages is above %d", n, len(to), MaxTranslateChars)
	}
	body := struct {
		From string   `json:"from,omitempty"`
		Text string   `json:"text"`
		To   []string `json:"to"`
	}{from, text, to}
	var out []struct {
		Translations []Translation `json:"translations"`
	}
	if err := s.c.Do(ctx, &core.Request{Op: op, Body: body, Result: &out, Opts: option.Resolve(opts...)}); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, &core.DecodeError{Op: op.ID, StatusCode: 200, Reason: "no translations in the answer"}
	}
	var res []Translation
	for _, o := range out {
		res = append(res, o.Translations...)
	}
	return res, nil
}

// Detection is the detected language of a text.
type Detection struct {
	Language string
	Score    float64
	// Translatable reports that the language can be translated.
	Translatable bool
}

// UnmarshalJSON reads the documented fields, the flag as a boolean or
// the string the docs' table types it as.
func (d *Detection) UnmarshalJSON(b []byte) error {
	o, err := core.DecodeObject(b)
	if err != nil {
		return err
	}
	d.Language = o.String("language")
	d.Translatable, _ = o.Bool("isTranslationSupported")
	if s := o.String("score"); s != "" {
		if d.Score, err = strconv.ParseFloat(s, 64); err != nil {
			return fmt.Errorf("score: %w", err)
		}
	}
	return nil
}

// DetectLanguage detects the language of text (检测文本的源语言), at most
// MaxTranslateChars characters; it draws on the translation quota.
//
//meta:operation POST /translate/detect (translate.Detect)
func (s *Service) DetectLanguage(ctx context.Context, text string, opts ...option.Call) (*Detection, error) {
	op := catalog.TranslateDetect
	if n := utf8.RuneCountInString(text); n == 0 || n > MaxTranslateChars {
		return nil, core.Invalid(op.ID, "text", "%d characters, 1 to %d allowed", n, MaxTranslateChars)
	}
	var out Detection
	if err := s.c.Do(ctx, &core.Request{Op: op, Body: map[string]string{"text": text}, Result: &out, Opts: option.Resolve(opts...)}); err != nil {
		return nil, err
	}
	if out.Language == "" {
		return nil, &core.DecodeError{Op: op.ID, StatusCode: 200, Reason: "no language in the answer"}
	}
	return &out, nil
}

// Language is a language translation supports.
type Language struct {
	Code       string `json:"code"`
	Name       string `json:"name"`
	NativeName string `json:"nativeName"`
}

// Languages lists the languages translation supports (获取翻译语言列表).
//
//meta:operation GET /translate/support/language (translate.ListLanguages)
func (s *Service) Languages(ctx context.Context, opts ...option.Call) ([]Language, error) {
	op := catalog.TranslateListLanguages
	var out []Language
	if err := s.c.Do(ctx, &core.Request{Op: op, Result: &out, Opts: option.Resolve(opts...)}); err != nil {
		return nil, err
	}
	if out == nil {
		return nil, &core.DecodeError{Op: op.ID, StatusCode: 200, Reason: "no language list in the answer"}
	}
	return out, nil
}
