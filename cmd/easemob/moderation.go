package main

import (
	"context"
	"flag"
	"slices"
	"strings"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/moderation"
)

// The moderation module: checking a text, and the keyword lists (allow,
// block and replace lists) the check applies.
func init() {
	addModule("moderation",
		apiCommand{name: "check", args: "TEXT", minArgs: 1, maxArgs: 1,
			summary: "moderate a text (主动文本审核): the verdict, what was found, the text with it replaced",
			setup: noFlags(func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
				return c.Moderation.CheckText(ctx, x.args[0])
			})},
		apiCommand{name: "lists", maxArgs: 0,
			summary: "list keyword lists, all or by --name or --tag: one page, or --all (查询关键词名单列表)",
			help:    "The cursor is the number of the next page (pages count from 0).",
			setup: func(fs *flag.FlagSet) apiCall {
				pf := listFlags(fs, 0, "page size, 1 to 200 (0: the server's 10)")
				name := fs.String("name", "", "only the list of this name")
				tag := fs.String("tag", "", "only the lists of this tag ID")
				return func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
					num, err := pageNumber(*pf.cursor, 0)
					if err != nil {
						return nil, err
					}
					q := moderation.ListQuery{Name: *name, TagID: *tag, Size: *pf.limit, Page: num}
					return listed(*pf.all, func() (*moderation.ListPage, error) { return c.Moderation.SearchLists(ctx, q) },
						func(pg *moderation.ListPage) ([]moderation.KeywordList, string) {
							return pg.Lists, nextPage(!pg.Last, num)
						},
						c.Moderation.AllLists(ctx, q))
				}
			}},
		apiCommand{name: "create-list", args: "NAME [WORD...]", minArgs: 1, maxArgs: -1,
			summary: "create a keyword list with its first words, at most 200 (创建关键词名单)",
			help:    "An app holds at most 100 lists of at most 10,000 words each.",
			setup: func(fs *flag.FlagSet) apiCall {
				s := listSettingFlags(fs)
				full := fs.Bool("full-match", false, "match whole texts only (default: substrings)")
				return func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
					scope, disp, err := s.parse("ALL")
					if err != nil {
						return nil, err
					}
					return c.Moderation.CreateList(ctx, moderation.NewList{Name: x.args[0], Scope: scope, TagID: *s.tag,
						Disposition: disp, FullMatch: *full, UserID: *s.userID, Words: x.args[1:]})
				}
			}},
		apiCommand{name: "update-list", args: "LIST_ID", minArgs: 1, maxArgs: 1,
			summary: "change a keyword list's settings (修改关键词名单); prints it without its words",
			help:    "The server replaces the name, scope and disposition: give all three.",
			setup: func(fs *flag.FlagSet) apiCall {
				s := listSettingFlags(fs)
				name := fs.String("name", "", "the list's name, 1 to 32 characters (required)")
				full := fs.Bool("full-match", false, "match whole texts only; --full-match=false for substrings (unchanged when not given)")
				return func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
					scope, disp, err := s.parse("")
					if err != nil {
						return nil, err
					}
					return c.Moderation.UpdateList(ctx, x.args[0], moderation.ListChange{Name: *name, Scope: scope, TagID: *s.tag,
						Disposition: disp, UserID: *s.userID, FullMatch: ifGiven(givenFlags(fs), "full-match", full)})
				}
			}},
		apiCommand{name: "delete-list", args: "LIST_ID", minArgs: 1, maxArgs: 1,
			summary: "delete a keyword list and its words (删除关键词名单)",
			setup: noFlags(func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
				return nil, c.Moderation.DeleteList(ctx, x.args[0])
			})},
		apiCommand{name: "words", args: "LIST_ID", minArgs: 1, maxArgs: 1,
			summary: "list the words of a keyword list, or those containing --word (查询关键词)",
			help:    "The cursor is the number of the next page (pages count from 0).",
			setup: func(fs *flag.FlagSet) apiCall {
				pf := listFlags(fs, 0, "page size, 1 to 200 (0: the server's 10)")
				word := fs.String("word", "", "only words containing this")
				return func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
					num, err := pageNumber(*pf.cursor, 0)
					if err != nil {
						return nil, err
					}
					q := moderation.WordQuery{Word: *word, Size: *pf.limit, Page: num}
					return listed(*pf.all, func() (*moderation.WordPage, error) { return c.Moderation.SearchWords(ctx, x.args[0], q) },
						func(pg *moderation.WordPage) ([]moderation.Keyword, string) { return pg.Words, nextPage(!pg.Last, num) },
						c.Moderation.AllWords(ctx, x.args[0], q))
				}
			}},
		apiCommand{name: "add-words", args: "LIST_ID WORD...", minArgs: 2, maxArgs: -1,
			summary: "add at most 100 words to a keyword list (添加关键词); one it has fails them all",
			setup: func(fs *flag.FlagSet) apiCall {
				userID := fs.String("user-id", "", "who made the change, as the list records it")
				return func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
					return c.Moderation.AddWords(ctx, x.args[0], *userID, x.args[1:])
				}
			}},
		apiCommand{name: "update-word", args: "LIST_ID WORD_ID WORD", minArgs: 3, maxArgs: 3,
			summary: "change one word of a keyword list (修改关键词)",
			setup: func(fs *flag.FlagSet) apiCall {
				userID := fs.String("user-id", "", "who made the change, as the list records it")
				return func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
					return c.Moderation.UpdateWord(ctx, x.args[0], x.args[1], x.args[2], *userID)
				}
			}},
		apiCommand{name: "delete-words", args: "LIST_ID WORD_ID...", minArgs: 2, maxArgs: -1,
			summary: "delete words of a keyword list by ID (删除单个关键词; 批量删除关键词 for several, at most 100)",
			help:    "result is false when the server deleted nothing (a word ID not in the list).",
			setup: noFlags(func(ctx context.Context, c *easemob.Client, x *call) (any, error) {
				var ok bool
				var err error
				if ids := x.args[1:]; len(ids) == 1 {
					ok, err = c.Moderation.DeleteWord(ctx, x.args[0], ids[0])
				} else {
					ok, err = c.Moderation.DeleteWords(ctx, x.args[0], ids)
				}
				return wordsDeleted{ListID: x.args[0], WordIDs: x.args[1:], Result: ok}, err
			})},
	)
}

// listSettings are the flags create-list and update-list share.
type listSettings struct {
	scope, disposition, tag, userID *string
}

// listSettingFlags declares --scope, --disposition, --tag and --user-id.
func listSettingFlags(fs *flag.FlagSet) listSettings {
	return listSettings{
		scope:       fs.String("scope", "", "where the list applies: ALL, CHAT, GROUP, ROOM or TAG (with --tag)"),
		disposition: fs.String("disposition", "", "what a matching text gets: PASS, REJECT or EXCHANGE (words replaced by ***) (required)"),
		tag:         fs.String("tag", "", "the tag ID, for --scope TAG"),
		userID:      fs.String("user-id", "", "who made the change, as the list records it"),
	}
}

// parse checks --scope (defaultScope when not given; required when "")
// and --disposition against the documented values, in any case.
func (s listSettings) parse(defaultScope string) (moderation.Scope, moderation.Disposition, error) {
	scope := strings.ToUpper(*s.scope)
	if scope == "" {
		scope = defaultScope
	}
	disp := strings.ToUpper(*s.disposition)
	if !slices.Contains([]string{"ALL", "CHAT", "GROUP", "ROOM", "TAG"}, scope) {
		return "", "", usagef("--scope %q: want ALL, CHAT, GROUP, ROOM or TAG", *s.scope)
	}
	if !slices.Contains([]string{"PASS", "REJECT", "EXCHANGE"}, disp) {
		return "", "", usagef("--disposition %q: want PASS, REJECT or EXCHANGE", *s.disposition)
	}
	return moderation.Scope(scope), moderation.Disposition(disp), nil
}

// wordsDeleted is what delete-words prints: whether the server deleted.
type wordsDeleted struct {
	ListID  string   `json:"list_id"`
	WordIDs []string `json:"word_ids"`
	Result  bool     `json:"result"`
}
