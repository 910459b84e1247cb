package users

import (
	"context"
	"iter"
	"net/url"
	"strconv"
	"time"

	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/core"
	"github.com/emquota/easemob/option"
)

// MuteForever is a global mute without end, as SetMute takes it and the
// mute reads return it.
const MuteForever time.Duration = -time.Second

// maxMute is the documented bound of a mute, in seconds.
const maxMute = 2147483647 * time.Second

// MuteFor returns d for a field of MuteUpdate: a duration of whole seconds up
// to 2147483647 s, 0 to lift the mute, or MuteForever.
func MuteFor(d time.Duration) *time.Duration { return &d }

// MuteUpdate sets a user's global mute per kind of conversation; nil
// leaves a kind as it is.
type MuteUpdate struct {
	// Chat is one-to-one chats, GroupChat groups, Chatroom chatrooms.
	Chat, GroupChat, Chatroom *time.Duration
}

// MuteKind names the conversations a global mute applies to.
type MuteKind string

// Kinds of global mutes, as the server names them.
const (
	MuteChat      MuteKind = "chat"
	MuteGroupChat MuteKind = "groupchat"
	MuteChatroom  MuteKind = "chatroom"
)

var muteKinds = []MuteKind{MuteChat, MuteGroupChat, MuteChatroom}

// SetMute mutes or unmutes a user in every conversation of the kinds
// given (设置用户全局禁言). A MuteUpdate with no kind set changes nothing.
//
//meta:operation POST /mutes (mutes.Set)
func (s *Service) SetMute(ctx context.Context, username string, m MuteUpdate, opts ...option.Call) error {
	op := catalog.MutesSet
	if err := checkUsername(op.ID, "username", username); err != nil {
		return err
	}
	body := map[string]any{"username": username}
	for i, d := range []*time.Duration{m.Chat, m.GroupChat, m.Chatroom} {
		if d == nil {
			continue
		}
		kind := string(muteKinds[i])
		switch {
		case *d == MuteForever:
			body[kind] = -1
		case *d < 0 || *d > maxMute || *d%time.Second != 0:
			return core.Invalid(op.ID, kind, "%v is not whole seconds from 0 to %d s, or MuteForever", *d, int64(maxMute/time.Second))
		default:
			body[kind] = int64(*d / time.Second)
		}
	}
	res, err := core.Data[struct {
		Result string `json:"result"`
	}](ctx, s.c, &core.Request{Op: op, Body: body, Opts: option.Resolve(opts...)})
	if err == nil && res.Result != "ok" {
		err = &core.DecodeError{Op: op.ID, StatusCode: 200, Reason: "result is " + strconv.Quote(res.Result) + ", not \"ok\""}
	}
	return err
}

// secondsLeft reads a remaining mute, -1 meaning MuteForever.
func secondsLeft(o core.Object, k string) time.Duration {
	n, _ := o.Int64(k)
	if n < 0 {
		return MuteForever
	}
	return time.Duration(n) * time.Second
}

// MuteStatus is a user's global mute: the time left per kind, 0 when not
// muted, MuteForever when muted without end.
type MuteStatus struct {
	// UserID is the user's App-Key-qualified ID, "org#app_username".
	UserID                    string
	Chat, GroupChat, Chatroom time.Duration
	// ServerTime is when the server measured what is left.
	ServerTime time.Time
}

// UnmarshalJSON reads the seconds left and unixtime (seconds) loosely.
func (m *MuteStatus) UnmarshalJSON(b []byte) error {
	o, err := core.DecodeObject(b)
	if err != nil {
		return err
	}
	*m = MuteStatus{UserID: o.String("userid"), Chat: secondsLeft(o, "chat"), GroupChat: secondsLeft(o, "groupchat"),
		Chatroom: secondsLeft(o, "chatroom"), ServerTime: unixSeconds(o, "unixtime")}
	return nil
}

func unixSeconds(o core.Object, k string) time.Time {
	n, _ := o.Int64(k)
	return unixTime(n)
}

// unixTime reads seconds since the epoch; 0 is the zero time.
func unixTime(sec int64) time.Time {
	if sec == 0 {
		return time.Time{}
	}
	return time.Unix(sec, 0)
}

// Mute returns a user's global mute (查询单个用户 ID 全局禁言).
//
//meta:operation GET /mutes/{username} (mutes.Get)
func (s *Service) Mute(ctx context.Context, username string, opts ...option.Call) (*MuteStatus, error) {
	r, err := userRequest(catalog.MutesGet, username, opts)
	if err != nil {
		return nil, err
	}
	return core.Data[*MuteStatus](ctx, s.c, r)
}

// MuteRow is one row of the app's mute list: one user and one kind. A user
// muted in several kinds has several rows.
type MuteRow struct {
	Username string
	Kind     MuteKind
	// Left is the time left, MuteForever when muted without end.
	Left time.Duration
}

// UnmarshalJSON finds the row's kind by its key.
func (m *MuteRow) UnmarshalJSON(b []byte) error {
	o, err := core.DecodeObject(b)
	if err != nil {
		return err
	}
	*m = MuteRow{Username: o.String("username")}
	for _, k := range muteKinds {
		if _, ok := o[string(k)]; ok {
			m.Kind, m.Left = k, secondsLeft(o, string(k))
			break
		}
	}
	return nil
}

// MuteListParams page through the app's mute list by page number.
type MuteListParams struct {
	// PageNum is 1-based; 0 means 1.
	PageNum int
	// PageSize is 1 to 50; 0 means 50 (the docs give no default).
	PageSize int
}

func (p MuteListParams) query() url.Values {
	return url.Values{"pageNum": {strconv.Itoa(max(p.PageNum, 1))}, "pageSize": {strconv.Itoa(p.size())}}
}

func (p MuteListParams) size() int {
	if p.PageSize == 0 {
		return catalog.MutesList.MaxItems("pageSize")
	}
	return p.PageSize
}

// MutePage is one page of the app's mute list.
type MutePage struct {
	Rows []MuteRow
	// ServerTime is when the server measured what is left.
	ServerTime time.Time
}

type mutePage struct {
	Rows     []MuteRow  `json:"data"`
	Unixtime core.Int64 `json:"unixtime"`
}

// Mutes returns one page of the app's globally muted users (查询 app 下的
// 所有全局禁言的用户). The answer carries no total.
//
//meta:operation GET /mutes (mutes.List)
func (s *Service) Mutes(ctx context.Context, p MuteListParams, opts ...option.Call) (*MutePage, error) {
	r := &core.Request{Op: catalog.MutesList, Query: p.query(), Opts: option.Resolve(opts...)}
	page, err := core.Data[mutePage](ctx, s.c, r)
	if err != nil {
		return nil, err
	}
	return &MutePage{Rows: page.Rows, ServerTime: unixTime(int64(page.Unixtime))}, nil
}

// AllMutes walks the app's mute list from p.PageNum on, page after page,
// each page paying its quota, until a short or empty page or the first error.
func (s *Service) AllMutes(ctx context.Context, p MuteListParams, opts ...option.Call) iter.Seq2[MuteRow, error] {
	return core.NumberedPages(ctx, max(p.PageNum, 1), p.size(), nil, func(ctx context.Context, num int) ([]MuteRow, error) {
		q := p
		q.PageNum = num
		page, err := s.Mutes(ctx, q, opts...)
		if err != nil {
			return nil, err
		}
		return page.Rows, nil
	})
}
