// Command moderation walks through the moderation module: make a block
// list and a replace list, check texts against them, add, find, change and
// delete words, and delete the lists.
//
// It runs against an embedded emulator unless EASEMOB_BASE_URL,
// EASEMOB_APP_KEY, EASEMOB_CLIENT_ID and EASEMOB_CLIENT_SECRET name a
// server (then it makes, and deletes, keyword lists named
// "example-moderation-*"; the app needs text moderation with a rule).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/examples/internal/exampleenv"
	"github.com/emquota/easemob/moderation"
)

func main() { exampleenv.Main(run) }

func run(ctx context.Context, cfg easemob.Config, out io.Writer) (err error) {
	c, err := easemob.New(cfg)
	if err != nil {
		return err
	}
	defer func() { _ = c.Close() }()

	// Texts that match the block list are rejected; the replace list's
	// words are starred out and the text passes.
	block, err := c.Moderation.CreateList(ctx, moderation.NewList{Name: "example-moderation-block",
		Scope: moderation.AllScopes, Disposition: moderation.Reject, Words: []string{"scam", "spam"}})
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, c.Moderation.DeleteList(ctx, block.ID)) }()
	replace, err := c.Moderation.CreateList(ctx, moderation.NewList{Name: "example-moderation-replace",
		Scope: moderation.AllScopes, Disposition: moderation.Exchange, Words: []string{"darn"}})
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, c.Moderation.DeleteList(ctx, replace.ID)) }()
	for _, text := range []string{"cheap spam here", "darn, missed the bus"} {
		check, err := c.Moderation.CheckText(ctx, text)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "%q: %s, found %v, shown as %q\n", text, check.Verdict, check.SensitiveWords, check.ExchangeText)
	}

	// Words can be added in calls of up to 100; one the list has already
	// fails the whole call with the server's *easemob.Error.
	if _, err := c.Moderation.AddWords(ctx, block.ID, "", []string{"phishing"}); err != nil {
		return err
	}
	_, err = c.Moderation.AddWords(ctx, block.ID, "", []string{"spam"})
	var apiErr *easemob.Error
	if !errors.As(err, &apiErr) {
		return fmt.Errorf("a word the list has should be refused: %w", err)
	}
	fmt.Fprintf(out, "adding spam again: %d %s: %s\n", apiErr.StatusCode, apiErr.Code, apiErr.Description)

	// Find words by substring, change one, delete one.
	found, err := c.Moderation.SearchWords(ctx, block.ID, moderation.WordQuery{Word: "phish"})
	if err != nil {
		return err
	}
	w, err := c.Moderation.UpdateWord(ctx, block.ID, found.Words[0].ID, "phish", "")
	if err != nil {
		return err
	}
	if _, err := c.Moderation.DeleteWord(ctx, block.ID, w.ID); err != nil {
		return err
	}
	var words []string
	for k, err := range c.Moderation.AllWords(ctx, block.ID, moderation.WordQuery{}) {
		if err != nil {
			return err
		}
		words = append(words, k.Word)
	}
	fmt.Fprintf(out, "changed phishing to %s and deleted it; the block list has %s\n", w.Word, strings.Join(words, ", "))
	return nil
}
