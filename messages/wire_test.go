package messages_test

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/wiretest"
	"github.com/emquota/easemob/messages"
)

// statusDrop is the status envelope's word, which the methods check.
var statusDrop = map[string]string{"requestStatusCode": "the envelope's ok, checked and not returned"}

func withStatus(more map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range statusDrop {
		out[k] = v
	}
	for k, v := range more {
		out[k] = v
	}
	return out
}

type call = func(ctx context.Context, c *easemob.Client) (any, error)

// send is a case calling Send with the documented example's targets.
func send(to messages.Target, m messages.Message) call {
	return func(ctx context.Context, c *easemob.Client) (any, error) { return c.Messages.Send(ctx, to, m) }
}

func broadcast(to messages.BroadcastTarget, m messages.Message) call {
	return func(ctx context.Context, c *easemob.Client) (any, error) { return c.Messages.Broadcast(ctx, to, m) }
}

// The documented examples name their targets ("user2", group
// "184524748161025", ...): the calls use those names where a method looks
// its answer up by input.
func TestWire(t *testing.T) {
	img := messages.Image("https://XXXX/XXXX/XXXX/chatfiles/55f12940-64af-11ea-8e5c-5b7a2b5b2b6b", "test.png")
	img.Secret, img.Size = "DRGM8OZrEeqHdyrm", &messages.ImageSize{Width: 480, Height: 720}
	txt := messages.Text("testmessage")
	txt.Ext = map[string]any{"em_ignore_notification": true}
	video := messages.Video("https://XXXX/chatfiles/671dfe30", "1418105136313.mp4", 3)
	video.Thumb, video.ThumbSecret, video.FileLength = "https://XXXX/chatfiles/67279b20", "ZyebKn9pEeSSfY03ROk7ND24zUf74s7HpPN1oMV-1JxN2O2I", 58103
	recall := messages.RecallItem{MsgID: "1028442084794698104", To: "XXXX", ChatType: messages.Chat, From: "XXXX", Force: true}
	wiretest.Run(t, []wiretest.Case{
		{Name: "SendToUsersText", Op: catalog.MessagesSendToUsers, Call: send(func() messages.Target {
			to := messages.ToUsers("user1", "user2")
			to.SyncDevice, to.RoamIgnoreUsers, to.Env = true, []string{"user3"}, "prod1"
			return to
		}(), txt)},
		{Name: "SendToUsersImage", Op: catalog.MessagesSendToUsers, Call: send(messages.ToUsers("", "user2"), img)},
		{Name: "SendToUsersVoice", Op: catalog.MessagesSendToUsers,
			Call: send(messages.ToUsers("user1", "user2"), messages.Voice("https://XXXX/chatfiles/1dfc7f50", "testaudio.amr", 3))},
		{Name: "SendToUsersVideo", Op: catalog.MessagesSendToUsers, Call: send(messages.ToUsers("user1", "user2"), video)},
		{Name: "SendToUsersFile", Op: catalog.MessagesSendToUsers,
			Call: send(messages.ToUsers("user1", "user2"), messages.File("https://XXXX/chatfiles/d7eXXXX7444", "test.txt"))},
		{Name: "SendToUsersLocation", Op: catalog.MessagesSendToUsers,
			Call: send(messages.UsersTarget{From: "user1", Users: []string{"user2"}, OnlineOnly: true}, messages.Location(39.966, 116.322, "中国北京市海淀区中关村"))},
		{Name: "SendToUsersCommand", Op: catalog.MessagesSendToUsers, Call: send(messages.ToUsers("user1", "user2"), messages.Command("action1"))},
		{Name: "SendToUsersCustom", Op: catalog.MessagesSendToUsers,
			Call: send(messages.ToUsers("user1", "user2"), messages.Custom("custom_event", map[string]string{"ext_key1": "ext_value1"}))},
		{Name: "SendToGroups", Op: catalog.MessagesSendToGroups, Call: send(messages.GroupsTarget{
			From: "user1", Groups: []string{"184524748161025"}, NeedAck: true, OnlineOnly: true, RoamIgnoreUsers: []string{"user3"}, Env: "test"}, txt)},
		{Name: "SendToGroupMembers", Op: catalog.MessagesSendToGroupMembers,
			Call: send(messages.ToGroupMembers("user1", "184524748161025", "user2", "user3"), messages.Text("hello"))},
		{Name: "SendToChatrooms", Op: catalog.MessagesSendToChatrooms, Call: send(messages.ChatroomsTarget{
			From: "user1", Chatrooms: []string{"185145305923585"}, Level: messages.High, RoamIgnoreUsers: []string{"user3"}}, messages.Text("hello"))},
		{Name: "SendToChatroomMembers", Op: catalog.MessagesSendToChatroomMembers, Call: send(messages.ChatroomMembersTarget{
			From: "user1", Chatroom: "185145305923585", Users: []string{"user2"}, Level: messages.Low}, messages.Text("hello"))},
		{Name: "BroadcastToChatrooms", Op: catalog.MessagesBroadcastToChatrooms,
			Call: broadcast(messages.ChatroomsBroadcast{From: "admin", Level: messages.Normal}, txt)},
		{Name: "BroadcastToAllUsers", Op: catalog.MessagesBroadcastToAllUsers, Call: broadcast(messages.AllUsers("admin"), img)},
		{Name: "BroadcastToOnlineUsers", Op: catalog.MessagesBroadcastToOnlineUsers, Call: broadcast(messages.OnlineUsers(""), messages.Text("hi"))},
		{Name: "StreamToUser", Op: catalog.MessagesSendStreamToUser, Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			st, err := c.Messages.StreamToUser(ctx, messages.StreamParams{From: "admin", To: "user2", Markdown: true,
				Ext: map[string]any{"k": "v"}}, "Hello, ")
			if err != nil {
				return nil, err
			}
			return st.MsgID(), nil
		}},
		{Name: "StreamToGroup", Op: catalog.MessagesSendStreamToGroup, Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			st, err := c.Messages.StreamToGroup(ctx, messages.StreamParams{To: "184524748161025"}, "Hello")
			if err != nil {
				return nil, err
			}
			return st.MsgID(), nil
		}},
		{Name: "Upload", Op: catalog.FilesUpload, Drops: map[string]string{"entities.type": `always "chatfile"`},
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return c.Messages.Upload(ctx, messages.Upload{Name: "a.png", Content: strings.NewReader("png bytes"),
					Restrict: true, ThumbWidth: 100, ThumbHeight: 80})
			}},
		{Name: "Download", Op: catalog.FilesDownload, Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Messages.Download(ctx, "5fd74830-XXXX-XXXX-822a-81ea50bb049d", io.Discard, "X9dXXXX7Yc")
		}},
		{Name: "DownloadThumbnail", Op: catalog.FilesDownloadThumbnail, Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Messages.DownloadThumbnail(ctx, "5fd74830-XXXX-XXXX-822a-81ea50bb049d", io.Discard, "")
		}},
		{Name: "SetLifetime", Op: catalog.FilesSetLifetime, Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Messages.SetLifetime(ctx, "test", messages.LifetimeForever, []string{"359f9c50-XXXX-XXXX-92cd-07eff71e8a37"})
		}},
		{Name: "HistoryFile", Op: catalog.MessagesGetHistoryFile, Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Messages.HistoryFile(ctx, time.Date(2018, 11, 27, 9, 30, 0, 0, time.UTC), nil) // 17:30 in Beijing
		}},
		{Name: "Recall", Op: catalog.MessagesRecall, Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Messages.Recall(ctx, recall, `{"reason":"spam"}`)
		}},
		{Name: "RecallNoSync", Op: catalog.MessagesRecall, Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			it := recall
			it.From, it.Force, it.NoSync = "", false, true
			return c.Messages.Recall(ctx, it, "")
		}},
		{Name: "RecallBatch", Op: catalog.MessagesRecallBatch, Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			a, b := recall, recall
			a.MsgID, b.MsgID, b.ChatType, b.To = "1028442XXXX94698104", "104367XXXX564398104", messages.GroupChat, "184524748161025"
			return c.Messages.RecallBatch(ctx, []messages.RecallItem{a, b}, "")
		}},
		{Name: "Modify", Op: catalog.MessagesModify, Drops: map[string]string{"data": `Modify returns nil for "success"`},
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				m := messages.Text("edited")
				m.Ext = map[string]any{"key": "value"}
				return nil, c.Messages.Modify(ctx, "1235807318835202004", messages.Edit{User: "user1", Msg: m, ReplaceExt: true})
			}},
		{Name: "ModifyCustom", Op: catalog.MessagesModify, Drops: map[string]string{"data": `Modify returns nil for "success"`},
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return nil, c.Messages.Modify(ctx, "1235807318835202004", messages.Edit{Msg: messages.Custom("ev", map[string]string{"a": "b"})})
			}},
		{Name: "DeleteConversation", Op: catalog.ConversationsDeleteForUser, Drops: map[string]string{"data.result": "ok, checked"},
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return nil, c.Messages.DeleteConversation(ctx, "u1", "u2", messages.Chat, true)
			}},
		{Name: "Conversations", Op: catalog.ConversationsList, Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Messages.Conversations(ctx, "u1")
		}},
		{Name: "DeleteChatRoaming", Op: catalog.RoamingDeleteChatMessages, Drops: statusDrop,
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return c.Messages.DeleteChatRoaming(ctx, "user1", "user2", []string{"1200580127407031944", "1200580127407031945"}, true)
			}},
		{Name: "DeleteGroupRoaming", Op: catalog.RoamingDeleteGroupMessages, Drops: statusDrop,
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return c.Messages.DeleteGroupRoaming(ctx, "user1", "184524748161025", []string{"1200580127407031944"}, false)
			}},
		{Name: "ClearRoaming", Op: catalog.RoamingClearUser, Drops: statusDrop,
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return nil, c.Messages.ClearRoaming(ctx, "user1")
			}},
		{Name: "ClearChatRoamingBefore", Op: catalog.RoamingClearChatBefore, Drops: statusDrop,
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return nil, c.Messages.ClearChatRoamingBefore(ctx, "user1", "user2", time.UnixMilli(1710309184114), true)
			}},
		{Name: "ClearGroupRoamingBefore", Op: catalog.RoamingClearGroupBefore, Drops: statusDrop,
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return nil, c.Messages.ClearGroupRoamingBefore(ctx, "user1", "184524748161025", time.UnixMilli(1710309184114), false)
			}},
		{Name: "ImportToUser", Op: catalog.MessagesImportToUser, Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Messages.ImportToUser(ctx, messages.Import{From: "user1", To: "user2", Msg: txt,
				Time: time.UnixMilli(1638440544078), NeedDownload: true})
		}},
		{Name: "ImportToGroup", Op: catalog.MessagesImportToGroup, Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Messages.ImportToGroup(ctx, messages.Import{From: "user1", To: "184524748161025", Msg: messages.Text("old"), AckRead: true})
		}},
		{Name: "Search", Op: catalog.MessagesSearch,
			Drops: map[string]string{"data.pagination.isFinished": "kept as Last (0: more pages)"},
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				frags := 2
				return c.Messages.Search(ctx, "user01", messages.SearchQuery{
					Keywords: []string{"苹果手机"}, ConversationTypes: []messages.ChatType{messages.Chat},
					Pairs: []messages.Pair{{User1: "user01", User2: "user02"}}, ContentTypes: []string{"text"},
					Start: time.UnixMilli(1740787200000), End: time.UnixMilli(1741305599000),
					Sort: "relevance:desc", Page: 1, Size: 20, Mode: "default", Ext: "none",
					Highlight: &messages.Highlight{PreTag: "<em>", PostTag: "</em>", Fragments: &frags}})
			}},
		{Name: "SearchKeywords", Op: catalog.MessagesSearch,
			Drops: map[string]string{"data.pagination.isFinished": "kept as Last (0: more pages)"},
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return c.Messages.Search(ctx, "user01", messages.SearchQuery{Keywords: []string{"项目会议", "预算"}, MatchAll: true,
					ConversationTypes: []messages.ChatType{messages.GroupChat}, Groups: []string{"group01"}})
			}},
		{Name: "Translate", Op: catalog.TranslateText, Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Messages.Translate(ctx, "学习", []string{"en", "zh-Hant"}, "zh-Hans")
		}},
		{Name: "DetectLanguage", Op: catalog.TranslateDetect, Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Messages.DetectLanguage(ctx, "学习")
		}},
		{Name: "Languages", Op: catalog.TranslateListLanguages, Call: func(ctx context.Context, c *easemob.Client) (any, error) {
			return c.Messages.Languages(ctx)
		}},
		{Name: "AddReaction", Op: catalog.ReactionsAdd,
			Drops: withStatus(map[string]string{"data.createdAt": "parsed into Reaction.Created", "data.updatedAt": "parsed into Reaction.Updated"}),
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return c.Messages.AddReaction(ctx, "user1", "msg3333", "emoji_40")
			}},
		{Name: "Reactions", Op: catalog.ReactionsListByMessages, Drops: statusDrop,
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return c.Messages.Reactions(ctx, "test123", "", []string{"msg123", "msg1234"})
			}},
		{Name: "ReactionsInGroup", Op: catalog.ReactionsListByMessages, Drops: statusDrop,
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return c.Messages.Reactions(ctx, "test123", "184524748161025", []string{"msg123"})
			}},
		{Name: "DeleteReaction", Op: catalog.ReactionsDelete, Drops: statusDrop,
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return nil, c.Messages.DeleteReaction(ctx, "user1", "msg3333", "emoji 40/🙂")
			}},
		{Name: "ReactionDetail", Op: catalog.ReactionsGetDetail, Drops: statusDrop,
			Call: func(ctx context.Context, c *easemob.Client) (any, error) {
				return c.Messages.ReactionDetail(ctx, "wz1", "msg123", "message123456", messages.DetailParams{Limit: 1, Cursor: "946463471296555190"})
			}},
	})
}
