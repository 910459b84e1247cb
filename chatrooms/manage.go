package chatrooms

import (
	"context"
	"iter"

	"github.com/emquota/easemob/batch"
	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/core"
	"github.com/emquota/easemob/internal/rules"
	"github.com/emquota/easemob/option"
)

// List returns one page of the app's rooms (获取 app 中的聊天室).
//
//meta:operation GET /chatrooms (chatrooms.List)
func (s *Service) List(ctx context.Context, p ListParams, opts ...option.Call) (*Page, error) {
	var env struct {
		Data   *core.OneOrMany[Summary] `json:"data"`
		Cursor string                   `json:"cursor"`
	}
	r := &core.Request{Op: catalog.ChatroomsList, Query: p.query(), Result: &env, Opts: option.Resolve(opts...)}
	if err := s.c.Do(ctx, r); err != nil {
		return nil, err
	}
	if env.Data == nil {
		return nil, &core.DecodeError{Op: r.Op.ID, StatusCode: 200, Reason: "no data in the answer"}
	}
	return &Page{Chatrooms: *env.Data, Cursor: env.Cursor}, nil
}

// All walks every room of the app from p.Cursor on, page after page, each
// page paying its quota. It stops at the last page, at a cursor seen
// before, or at the first error.
func (s *Service) All(ctx context.Context, p ListParams, opts ...option.Call) iter.Seq2[Summary, error] {
	return core.CursorPages(ctx, p.Cursor, func(ctx context.Context, cursor string) ([]Summary, string, error) {
		q := p
		q.Cursor = cursor
		page, err := s.List(ctx, q, opts...)
		if err != nil {
			return nil, "", err
		}
		return page.Chatrooms, page.Cursor, nil
	})
}

// ListJoinedByUser returns one page of the rooms a user is in
// (获取用户加入的聊天室). The server's page size is 1000; with p zero it
// returns the user's newest 500 rooms.
//
//meta:operation GET /users/{username}/joined_chatrooms (chatrooms.ListJoinedByUser)
func (s *Service) ListJoinedByUser(ctx context.Context, username string, p PageParams, opts ...option.Call) ([]Summary, error) {
	r := &core.Request{Op: catalog.ChatroomsListJoinedByUser, Path: core.P("username", username), Query: p.query(), Opts: option.Resolve(opts...)}
	return core.Data[core.OneOrMany[Summary]](ctx, s.c, r)
}

// AllJoinedByUser walks every room a user is in, from page p.Page on (the
// first when 0), p.Size a page (1000 when 0).
func (s *Service) AllJoinedByUser(ctx context.Context, username string, p PageParams, opts ...option.Call) iter.Seq2[Summary, error] {
	first, size, at := p.walk()
	return core.NumberedPages(ctx, first, size, func(s Summary) string { return s.ID }, func(ctx context.Context, page int) ([]Summary, error) {
		return s.ListJoinedByUser(ctx, username, at(page), opts...)
	})
}

// Get returns the details of rooms (查询聊天室详情), split into calls of
// at most 100 IDs. The result has one item per ID in input order: its
// details, or failed when its call failed (a room that does not exist
// answers 404 when alone in its call) or the answer left it out.
//
//meta:operation GET /chatrooms/{chatroom_ids} (chatrooms.Get)
func (s *Service) Get(ctx context.Context, ids []string, opts ...option.Call) (*batch.Result[string, Chatroom], error) {
	op := catalog.ChatroomsGet
	set := option.Resolve(opts...)
	b := core.Batch[string, Chatroom]{
		Op: op, Cap: "chatroom_ids", Field: "ids",
		Key: func(id string) string { return id },
		Check: func(id string) error {
			if err := rules.PathValue("chatroom_ids", id); err != nil {
				return core.Invalid(op.ID, "id", "%v", err)
			}
			return nil
		},
		Send: func(ctx context.Context, chunk []string) ([]core.Outcome[Chatroom], *core.Request, error) {
			r := &core.Request{Op: op, Path: core.P("chatroom_ids", joinIDs(chunk)), Opts: set}
			rooms, err := core.Data[core.OneOrMany[Chatroom]](ctx, s.c, r)
			if err != nil {
				return nil, r, err
			}
			byID := make(map[string]Chatroom, len(rooms))
			for _, room := range rooms {
				byID[room.ID] = room
			}
			out := make([]core.Outcome[Chatroom], len(chunk))
			for i, id := range chunk {
				room, ok := byID[id]
				out[i] = core.Accepted(room)
				if !ok {
					out[i] = core.Refused[Chatroom](core.Omitted)
				}
			}
			return out, r, nil
		},
	}
	return b.Run(ctx, s.c, set.Concurrency, ids)
}

// Create creates a room (创建聊天室) and returns its ID.
//
//meta:operation POST /chatrooms (chatrooms.Create)
func (s *Service) Create(ctx context.Context, room NewChatroom, opts ...option.Call) (string, error) {
	op := catalog.ChatroomsCreate
	if err := checkNewChatroom(op.ID, room); err != nil {
		return "", err
	}
	res, err := core.Data[struct {
		ID string `json:"id"`
	}](ctx, s.c, &core.Request{Op: op, Body: room, Opts: option.Resolve(opts...)})
	if err == nil && res.ID == "" {
		err = &core.DecodeError{Op: op.ID, StatusCode: 200, Reason: "no id in the answer's data"}
	}
	return res.ID, err
}

// Update changes a room's name, description or member limit (修改聊天室信息)
// and reports which of the fields sent the server changed.
//
//meta:operation PUT /chatrooms/{chatroom_id} (chatrooms.Update)
func (s *Service) Update(ctx context.Context, roomID string, ch Changes, opts ...option.Call) (*Updated, error) {
	op := catalog.ChatroomsUpdate
	if err := checkChanges(op.ID, ch); err != nil {
		return nil, err
	}
	r := roomRequest(op, roomID, option.Resolve(opts...))
	r.Body = ch
	u, err := core.Data[Updated](ctx, s.c, r)
	if err != nil {
		return nil, err
	}
	return &u, nil
}

// TransferOwner makes another user the room's owner (转让聊天室); the old
// owner stays a member.
//
//meta:operation PUT /chatrooms/{chatroom_id} (chatrooms.TransferOwner)
func (s *Service) TransferOwner(ctx context.Context, roomID, newOwner string, opts ...option.Call) (bool, error) {
	op := catalog.ChatroomsTransferOwner
	if err := checkUser(op.ID, "newOwner", newOwner); err != nil {
		return false, err
	}
	r := roomRequest(op, roomID, option.Resolve(opts...))
	r.Body = map[string]string{"newowner": newOwner}
	return s.flag(ctx, r, "newowner")
}

// Delete dissolves a room (解散聊天室) and reports the server's success flag.
//
//meta:operation DELETE /chatrooms/{chatroom_id} (chatrooms.Delete)
func (s *Service) Delete(ctx context.Context, roomID string, opts ...option.Call) (bool, error) {
	return s.flag(ctx, roomRequest(catalog.ChatroomsDelete, roomID, option.Resolve(opts...)), "success")
}

// GetAnnouncement returns a room's announcement (获取聊天室公告).
//
//meta:operation GET /chatrooms/{chatroom_id}/announcement (chatrooms.GetAnnouncement)
func (s *Service) GetAnnouncement(ctx context.Context, roomID string, opts ...option.Call) (string, error) {
	r := roomRequest(catalog.ChatroomsGetAnnouncement, roomID, option.Resolve(opts...))
	res, err := core.Data[struct {
		Announcement *string `json:"announcement"`
	}](ctx, s.c, r)
	switch {
	case err != nil:
		return "", err
	case res.Announcement == nil:
		return "", &core.DecodeError{Op: r.Op.ID, StatusCode: 200, Reason: "no announcement in the answer's data"}
	}
	return *res.Announcement, nil
}

// SetAnnouncement replaces a room's announcement (修改聊天室公告), at most
// 512 characters.
//
//meta:operation POST /chatrooms/{chatroom_id}/announcement (chatrooms.SetAnnouncement)
func (s *Service) SetAnnouncement(ctx context.Context, roomID, text string, opts ...option.Call) (bool, error) {
	op := catalog.ChatroomsSetAnnouncement
	if err := checkText(op.ID, "announcement", text, rules.MaxChatroomAnnouncementChars); err != nil {
		return false, err
	}
	r := roomRequest(op, roomID, option.Resolve(opts...))
	r.Body = map[string]string{"announcement": text}
	return s.result(ctx, r)
}
