package moderation

import (
	"unicode/utf8"

	"github.com/emquota/easemob/internal/core"
)

// Documented bounds of keyword lists.
const (
	MaxListNameChars = 32
	MaxWordChars     = 128
)

func checkListFields(op, name string, scope Scope, tagID string) error {
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		return core.Invalid(op, "Name", "empty")
	case n > MaxListNameChars:
		return core.Invalid(op, "Name", "%d characters, at most %d allowed", n, MaxListNameChars)
	case scope == Tagged && tagID == "":
		return core.Invalid(op, "TagID", "required when the scope is TAG")
	}
	return nil
}

func checkWords(op, field string, words []string) error {
	for i, w := range words {
		if n := utf8.RuneCountInString(w); n == 0 || n > MaxWordChars {
			return core.Invalid(op, field, "word %d has %d characters, allowed 1 to %d", i, n, MaxWordChars)
		}
	}
	return nil
}

func checkID(op, field, id string) error {
	if id == "" {
		return core.Invalid(op, field, "empty")
	}
	return nil
}
