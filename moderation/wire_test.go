package moderation_test

import (
	"context"
	"maps"
	"testing"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/wiretest"
	"github.com/emquota/easemob/moderation"
)

// drops returns the drop of the answers' "status":"OK", which the methods
// check and do not return, and more.
func drops(more map[string]string) map[string]string {
	d := map[string]string{"status": `"OK" is checked, not returned`}
	maps.Copy(d, more)
	return d
}

// isoTimes drops the ISO-8601 times the update and search examples give:
// they are kept as Created and Updated, which the harness compares as
// Unix milliseconds only.
func isoTimes(prefix string) map[string]string {
	why := "an ISO-8601 string, kept as a time.Time"
	return drops(map[string]string{prefix + ".createDataTime": why, prefix + ".updateDataTime": why})
}

const listID = "1r14SOXXXXiSBbR3WTczWj92qsq"

func TestWire(t *testing.T) {
	yes := true
	wiretest.Run(t, []wiretest.Case{
		{Name: "CheckText", Op: catalog.ModerationCheckText,
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return c.Moderation.CheckText(ctx, "【放心借】新户福利！")
			}},
		{Name: "CreateList", Op: catalog.ModerationCreateList, Drops: drops(nil),
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return c.Moderation.CreateList(ctx, moderation.NewList{Name: "list_1", Scope: moderation.AllScopes,
					Disposition: moderation.Pass, FullMatch: true, UserID: "v1", Words: []string{"music", "entertainment", "sport"}})
			}},
		{Name: "CreateTaggedList", Op: catalog.ModerationCreateList, Drops: drops(nil),
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return c.Moderation.CreateList(ctx, moderation.NewList{Name: "list_1", Scope: moderation.Tagged, TagID: "tag1",
					Disposition: moderation.Exchange, Words: []string{"music"}})
			}},
		{Name: "UpdateList", Op: catalog.ModerationUpdateList, Drops: isoTimes("entity"),
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return c.Moderation.UpdateList(ctx, "1xXXXXVlodF52URYQk7rZmd5s8k", moderation.ListChange{Name: "list_1",
					Scope: moderation.AllScopes, Disposition: moderation.Pass, FullMatch: &yes})
			}},
		{Name: "SearchLists", Op: catalog.ModerationSearchLists, Drops: isoTimes("entities"),
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return c.Moderation.SearchLists(ctx, moderation.ListQuery{Name: "14"})
			}},
		{Name: "SearchListsPage", Op: catalog.ModerationSearchLists, Drops: isoTimes("entities"),
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return c.Moderation.SearchLists(ctx, moderation.ListQuery{Page: 2, Size: 10})
			}},
		{Name: "DeleteList", Op: catalog.ModerationDeleteList, Drops: drops(nil),
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return nil, c.Moderation.DeleteList(ctx, listID)
			}},
		{Name: "AddWords", Op: catalog.ModerationAddWords, Drops: drops(nil),
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return c.Moderation.AddWords(ctx, listID, "v1", []string{"musicradio", "musicvideo"})
			}},
		{Name: "UpdateWord", Op: catalog.ModerationUpdateWord, Drops: drops(nil),
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return c.Moderation.UpdateWord(ctx, listID, "1xDQ86NiiXXXXmGNMBGgNEZ6jj9", "music", "v1")
			}},
		{Name: "SearchWords", Op: catalog.ModerationSearchWords, Drops: drops(nil),
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return c.Moderation.SearchWords(ctx, listID, moderation.WordQuery{Word: "music", Size: 3})
			}},
		{Name: "DeleteWord", Op: catalog.ModerationDeleteWord, Drops: drops(nil),
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return c.Moderation.DeleteWord(ctx, listID, "1xDQ86NiiXXXXmGNMBGgNEZ6jj9")
			}},
		{Name: "DeleteWords", Op: catalog.ModerationDeleteWords,
			Drops: drops(map[string]string{"entity": "0 (success) is reported as true"}),
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return c.Moderation.DeleteWords(ctx, listID, []string{"1xDQ86NiiXXXXmGNMBGgNEZ6jj9", "1xXXXXUjdvN1LE68wFeILywpks2"})
			}},
	})
}
