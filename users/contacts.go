package users

import (
	"cmp"
	"context"
	"iter"
	"net/url"
	"strconv"
	"unicode/utf8"

	"github.com/emquota/easemob/batch"
	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/core"
	"github.com/emquota/easemob/option"
)

// AddContact makes owner and friend friends (添加好友): each appears in the
// other's list. It returns the friend. Either side at its plan's friend cap
// is a 403 exceed_limit.
//
//meta:operation POST /users/{owner_username}/contacts/users/{friend_username} (contacts.Add)
func (s *Service) AddContact(ctx context.Context, owner, friend string, opts ...option.Call) (*User, error) {
	return s.pair(ctx, catalog.ContactsAdd, owner, "friend_username", friend, opts)
}

// RemoveContact ends the friendship of owner and friend (移除好友) and
// returns the friend.
//
//meta:operation DELETE /users/{owner_username}/contacts/users/{friend_username} (contacts.Remove)
func (s *Service) RemoveContact(ctx context.Context, owner, friend string, opts ...option.Call) (*User, error) {
	return s.pair(ctx, catalog.ContactsRemove, owner, "friend_username", friend, opts)
}

// pair runs a call on a user and another user of its path, whose answer
// carries the other.
func (s *Service) pair(ctx context.Context, op *catalog.Op, owner, param, other string, opts []option.Call) (*User, error) {
	r, err := userRequest(op, owner, opts, param, other)
	if err != nil {
		return nil, err
	}
	return core.Entity[User](ctx, s.c, r)
}

// RemoveAllContacts ends every friendship of the user, both ways, and
// drops its friend remarks (删除用户的所有好友); the blocklist stays.
//
//meta:operation DELETE /contacts/users/{username} (contacts.RemoveAll)
func (s *Service) RemoveAllContacts(ctx context.Context, username string, opts ...option.Call) error {
	r, err := userRequest(catalog.ContactsRemoveAll, username, opts)
	if err != nil {
		return err
	}
	_, _, err = core.Entities[User](ctx, s.c, r)
	return err
}

// Contacts returns the user's whole friend list in one call (一次性获取好友列表).
//
//meta:operation GET /users/{owner_username}/contacts/users (contacts.ListAll)
func (s *Service) Contacts(ctx context.Context, owner string, opts ...option.Call) ([]string, error) {
	return userData[[]string](ctx, s, catalog.ContactsListAll, owner, opts)
}

// Contact is a friend and the owner's remark on them.
type Contact struct {
	Username string `json:"username"`
	// Remark is "" when none was set or it was not asked for.
	Remark string `json:"remark"`
}

// ContactListParams page through a friend list, newest friend first.
type ContactListParams struct {
	// Limit is the page size, 1 to 50; 0 means the server default (10).
	Limit int
	// Cursor continues from a previous page; empty starts at the beginning.
	Cursor string
	// Remarks asks for the friend remarks too.
	Remarks bool
}

func (p ContactListParams) query() url.Values {
	q := pageQuery("limit", p.Limit, p.Cursor)
	q.Set("needReturnRemark", strconv.FormatBool(p.Remarks)) // sent always: the vendor's SDKs disagree on its default
	return q
}

// ContactPage is one page of a friend list.
type ContactPage struct {
	Contacts []Contact
	// Cursor fetches the next page; empty on the last one.
	Cursor string
}

// ContactsPage returns one page of the user's friends (分页获取好友列表).
//
//meta:operation GET /user/{username}/contacts (contacts.ListPaged)
func (s *Service) ContactsPage(ctx context.Context, username string, p ContactListParams, opts ...option.Call) (*ContactPage, error) {
	r, err := userRequest(catalog.ContactsListPaged, username, opts)
	if err != nil {
		return nil, err
	}
	r.Query = p.query()
	var out contactsAnswer
	if err := s.answer(ctx, r, &out); err != nil {
		return nil, err
	}
	// The vendor's SDK reads the cursor in data; the envelope's is the fallback.
	return &ContactPage{Contacts: out.Data.Contacts, Cursor: cmp.Or(out.Data.Cursor, out.Cursor)}, nil
}

type contactsAnswer struct {
	Data *struct {
		Contacts []Contact `json:"contacts"`
		Cursor   string    `json:"cursor"`
	} `json:"data"`
	Cursor string `json:"cursor"`
}

func (a *contactsAnswer) missing() string { return when(a.Data == nil, "data") }

// AllContacts walks the user's friends from p.Cursor on, page after page,
// each page paying its quota, until the last page or the first error.
func (s *Service) AllContacts(ctx context.Context, username string, p ContactListParams, opts ...option.Call) iter.Seq2[Contact, error] {
	return core.CursorPages(ctx, p.Cursor, func(ctx context.Context, cursor string) ([]Contact, string, error) {
		q := p
		q.Cursor = cursor
		page, err := s.ContactsPage(ctx, username, q, opts...)
		if err != nil {
			return nil, "", err
		}
		return page.Contacts, page.Cursor, nil
	})
}

// maxRemarkChars is the documented bound of a friend remark.
const maxRemarkChars = 100

// SetContactRemark sets owner's remark on a friend (设置好友备注), at most
// 100 characters. The two must be friends (400 otherwise).
//
//meta:operation PUT /user/{owner_username}/contacts/users/{friend_username} (contacts.SetRemark)
func (s *Service) SetContactRemark(ctx context.Context, owner, friend, remark string, opts ...option.Call) error {
	op := catalog.ContactsSetRemark
	if n := utf8.RuneCountInString(remark); n > maxRemarkChars {
		return core.Invalid(op.ID, "remark", "%d characters, at most %d allowed", n, maxRemarkChars)
	}
	r, err := userRequest(op, owner, opts, "friend_username", friend)
	if err != nil {
		return err
	}
	r.Body = map[string]string{"remark": remark}
	return statusOK(ctx, s, r)
}

// statusOK runs r, whose documented answer says "status":"ok".
func statusOK(ctx context.Context, s *Service, r *core.Request) error {
	return s.answer(ctx, r, &okStatus{})
}

type okStatus struct {
	Status string `json:"status"`
}

func (a *okStatus) missing() string {
	return when(a.Status != "ok", `status "ok"`)
}

// importAnswer is the data of contacts.Import, keys as the server spells them.
type importAnswer struct {
	Success  []string `json:"success"`
	NotExist []string `json:"NotExistFailed"`
	MaxLimit []string `json:"maxLimitFailed"`
	Unknown  []string `json:"UnKnowFailed"`
}

// Reasons of a friend import refused by name, after the server's lists.
const (
	ReasonNotExist = "NotExistFailed: no such user"
	ReasonMaxLimit = "maxLimitFailed: the friend is at its friend cap"
	ReasonUnknown  = "UnKnowFailed"
)

// ImportContacts adds many friends to owner (导入好友列表), split into
// calls of at most 10; notify tells owner's client SDKs. The result has one
// item per friend in input order: done, or failed with one of the
// Reason constants, or not in the answer.
//
//meta:operation POST /users/{username}/contacts/import (contacts.Import)
func (s *Service) ImportContacts(ctx context.Context, owner string, friends []string, notify bool, opts ...option.Call) (*batch.Result[string, struct{}], error) {
	op := catalog.ContactsImport
	if err := checkUsername(op.ID, "owner", owner); err != nil {
		return nil, err
	}
	set := option.Resolve(opts...)
	b := core.Batch[string, struct{}]{
		Op: op, Cap: "usernames", Field: "friends",
		Key:   core.FoldKey,
		Check: func(u string) error { return checkUsername(op.ID, "username", u) },
		Send: func(ctx context.Context, chunk []string) ([]core.Outcome[struct{}], *core.Request, error) {
			r := &core.Request{Op: op, Path: core.P("username", owner), Query: url.Values{"isSendNotice": {strconv.FormatBool(notify)}},
				Body: map[string][]string{"usernames": chunk}, Opts: set}
			res, err := core.Data[importAnswer](ctx, s.c, r)
			if err != nil {
				return nil, r, err
			}
			return importOutcomes(chunk, res), r, nil
		},
	}
	return b.Run(ctx, s.c, set.Concurrency, friends)
}

func importOutcomes(chunk []string, res importAnswer) []core.Outcome[struct{}] {
	by := map[string]core.Outcome[struct{}]{}
	for _, l := range []struct {
		names  []string
		reason string
	}{{res.NotExist, ReasonNotExist}, {res.MaxLimit, ReasonMaxLimit}, {res.Unknown, ReasonUnknown}} {
		for _, n := range l.names {
			by[core.FoldKey(n)] = core.Refused[struct{}](l.reason)
		}
	}
	for _, n := range res.Success {
		by[core.FoldKey(n)] = core.Accepted(struct{}{})
	}
	return outcomes(chunk, by)
}

// CheckContacts tells, for each name, whether it is owner's friend (校验好友),
// split into calls of at most 100. The result has one item per name in
// input order, its Value true for a friend.
//
//meta:operation POST /contacts/check (contacts.Check)
func (s *Service) CheckContacts(ctx context.Context, owner string, names []string, opts ...option.Call) (*batch.Result[string, bool], error) {
	return s.checkRelation(ctx, catalog.ContactsCheck, owner, names, "friend", "not_friend", opts)
}

// relation is one entity of a check answer.
type relation struct {
	Username string `json:"username"`
	Relation string `json:"relation"`
}

// checkRelation runs a relation check (friends, blocklist) in batches: the
// Value of each name is whether its relation is yes; a relation that is
// neither yes nor no is reported failed with the server's word.
func (s *Service) checkRelation(ctx context.Context, op *catalog.Op, owner string, names []string, yes, no string, opts []option.Call) (*batch.Result[string, bool], error) {
	if err := checkUsername(op.ID, "owner", owner); err != nil {
		return nil, err
	}
	set := option.Resolve(opts...)
	b := core.Batch[string, bool]{
		Op: op, Cap: "check_list", Field: "names",
		Key:   core.FoldKey,
		Check: func(u string) error { return checkUsername(op.ID, "username", u) },
		Send: func(ctx context.Context, chunk []string) ([]core.Outcome[bool], *core.Request, error) {
			r := &core.Request{Op: op, Body: map[string]any{"username": owner, "check_list": chunk}, Opts: set}
			rels, _, err := core.Entities[relation](ctx, s.c, r)
			if err != nil {
				return nil, r, err
			}
			found := byUsername(chunk, rels, func(r relation) string { return r.Username })
			out := make([]core.Outcome[bool], len(chunk))
			for i, f := range found {
				switch {
				case !f.Done:
					out[i] = core.Refused[bool](f.Reason)
				case f.Value.Relation == yes || f.Value.Relation == no:
					out[i] = core.Accepted(f.Value.Relation == yes)
				default:
					out[i] = core.Refused[bool]("relation " + strconv.Quote(f.Value.Relation))
				}
			}
			return out, r, nil
		},
	}
	return b.Run(ctx, s.c, set.Concurrency, names)
}
