package easemobtest

import (
	"crypto/rand"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/emquota/easemob/internal/catalog"
)

// moderationOps are the operations of text moderation and keyword lists.
var moderationOps = ops{
	catalog.ModerationCheckText:   {check: checkTextBody, serve: checkText},
	catalog.ModerationCreateList:  {check: checkCreateList, serve: createKeywordList},
	catalog.ModerationUpdateList:  {check: checkUpdateList, serve: updateKeywordList},
	catalog.ModerationSearchLists: {checked: kwPaging, check: checkSearchLists, serve: searchKeywordLists},
	catalog.ModerationDeleteList:  {serve: deleteKeywordList},
	catalog.ModerationAddWords:    {check: checkAddWords, serve: addKeywords},
	catalog.ModerationUpdateWord:  {check: checkUpdateWord, serve: updateKeyword},
	catalog.ModerationSearchWords: {checked: kwPaging, check: checkSearchWords, serve: searchKeywords},
	catalog.ModerationDeleteWord:  {serve: deleteKeyword},
	catalog.ModerationDeleteWords: {check: checkDeleteWords, serve: deleteKeywords},
}

// The docs' curl sends page and size as strings although they are typed
// Int: the server takes both.
var kwPaging = []string{"page", "size"}

// Documented keyword-list bounds (keyword_list_create.md@0963a035).
const (
	maxKeywordLists  = 100
	maxWordsPerList  = 10000
	maxWordsPerApp   = 1000000
	maxListNameChars = 32
	maxWordChars     = 128
	kwPageDefault    = 10
	kwPageMax        = 200
)

// How the answers write a list: its category, and its times in the update
// and search answers (ISO-8601 with milliseconds).
const (
	kwDefaultCategory = "DEFAULT"
	isoMillis         = "2006-01-02T15:04:05.000-07:00"
)

var (
	maxCreateWords = catalog.ModerationCreateList.MaxItems("textContexts")
	maxAddWords    = catalog.ModerationAddWords.MaxItems("wordContents")
)

// moderationState is the world's state of keyword lists.
type moderationState struct {
	lists []*kwList // creation order
	words int       // words in all lists
}

type kwList struct {
	id, name, scope, tagID, disposition, userID string
	fullMatch                                   bool
	created, updated                            int64 // ms
	words                                       []*kwWord
}

type kwWord struct {
	id, word, userID string
	created, updated int64
}

func (s *moderationState) list(id string) *kwList {
	i := slices.IndexFunc(s.lists, func(l *kwList) bool { return l.id == id })
	if i < 0 {
		return nil
	}
	return s.lists[i]
}

func (s *moderationState) named(name string) *kwList {
	i := slices.IndexFunc(s.lists, func(l *kwList) bool { return l.name == name })
	if i < 0 {
		return nil
	}
	return s.lists[i]
}

func (l *kwList) word(id string) int {
	return slices.IndexFunc(l.words, func(w *kwWord) bool { return w.id == id })
}

// kwID makes an id in the shape of the docs' (27 letters and digits).
func kwID() string {
	const digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	b := make([]byte, 25)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = digits[int(b[i])%len(digits)]
	}
	return "1x" + string(b)
}

// errModeration is a keyword-list error; the pages write its code "Bad
// Request" for some calls and "Bad request" for others, as kept here.
func errModeration(code, desc string) *apiError {
	return &apiError{http.StatusBadRequest, code, "ModerationException", desc}
}

const (
	badRequest      = "Bad Request" // create list, add words, delete word(s)
	badRequestLower = "Bad request" // update list, delete list, update word, search words, check text
)

// kwListEntity is a list as the answers show it; times are numbers in the
// create and add answers and ISO-8601 strings in the update and search ones.
type kwListEntity struct {
	ID           string         `json:"id"`
	Name         string         `json:"name"`
	ModerationID string         `json:"moderationId"`
	AppKey       string         `json:"appkey"`
	Category     string         `json:"category"`
	Scope        string         `json:"scope"`
	TagID        *string        `json:"tagId"`
	FullMatch    bool           `json:"fullMatch"`
	Suggestion   string         `json:"suggestion"`
	Disposition  string         `json:"disposition"`
	Quantity     int            `json:"quantity"`
	Status       string         `json:"status"`
	Created      any            `json:"createDataTime"`
	Updated      any            `json:"updateDataTime"`
	TextList     []kwWordEntity `json:"textList,omitempty"`
}

type kwWordEntity struct {
	ID      string `json:"id"`
	AppID   string `json:"appId"`
	Word    string `json:"word"`
	UserID  string `json:"userId"`
	ListID  string `json:"listId"`
	Status  bool   `json:"status"`
	Created int64  `json:"createDateTime"`
	Updated int64  `json:"updateDateTime"`
}

// listEntity shows l; iso writes its times as strings, words adds textList.
func (q *request) listEntity(l *kwList, iso, words bool) kwListEntity {
	e := kwListEntity{ID: l.id, Name: l.name, ModerationID: "mod-" + q.e.appUUID, AppKey: q.e.cfg.appKey,
		Category: kwDefaultCategory, Scope: l.scope, FullMatch: l.fullMatch, Suggestion: l.disposition,
		Disposition: l.disposition, Quantity: len(l.words), Status: "ACTIVE", Created: l.created, Updated: l.updated}
	if l.tagID != "" {
		e.TagID = &l.tagID
	}
	if iso {
		e.Created = time.UnixMilli(l.created).UTC().Format(isoMillis)
		e.Updated = time.UnixMilli(l.updated).UTC().Format(isoMillis)
	}
	if words {
		e.TextList = make([]kwWordEntity, len(l.words))
		for i, w := range l.words {
			e.TextList[i] = q.wordEntity(l, w)
		}
	}
	return e
}

func (q *request) wordEntity(l *kwList, w *kwWord) kwWordEntity {
	return kwWordEntity{ID: w.id, AppID: q.e.appUUID, Word: w.word, UserID: w.userID, ListID: l.id,
		Status: true, Created: w.created, Updated: w.updated}
}

// kwAnswer is a keyword-list answer: {"status":"OK"} with an entity or
// entities and the page fields.
type kwAnswer struct {
	Status   string `json:"status"`
	Entity   any    `json:"entity,omitempty"`
	Entities any    `json:"entities,omitempty"`
	*kwPage
}

type kwPage struct {
	First            bool `json:"first"`
	Last             bool `json:"last"`
	Size             int  `json:"size"`
	Number           int  `json:"number"`
	NumberOfElements int  `json:"numberOfElements"`
	TotalPages       int  `json:"totalPages"`
	TotalElements    int  `json:"totalElements"`
}

func kwOK(entity any) kwAnswer { return kwAnswer{Status: "OK", Entity: entity} }

// kwPaged cuts items to one page and answers it with the page fields.
func kwPaged[T any](items []T, page, size int) kwAnswer {
	from, to := min(page*size, len(items)), min((page+1)*size, len(items))
	pages := (len(items) + size - 1) / size
	return kwAnswer{Status: "OK", Entities: append([]T{}, items[from:to]...), kwPage: &kwPage{
		First: page == 0, Last: page >= pages-1, Size: size, Number: page,
		NumberOfElements: to - from, TotalPages: pages, TotalElements: len(items)}}
}

// kwQuery reads page (from 0) and size of a search, as numbers or strings.
type kwQuery struct {
	Page flexInt `json:"page"`
	Size flexInt `json:"size"`
}

func (k kwQuery) bounds() (page, size int, aerr *apiError) {
	page, size = int(k.Page.n), kwPageDefault
	if k.Size.set {
		size = int(k.Size.n)
	}
	if page < 0 || size < 1 || size > kwPageMax {
		return 0, 0, errIllegalArgument("page must be at least 0 and size 1 to 200")
	}
	return page, size, nil
}

func checkTextBody(q *request) *apiError {
	body, aerr := decodeBody[struct {
		Content string `json:"content"`
	}](q)
	if aerr == nil && body.Content == "" {
		return errModeration(badRequestLower, "message content is empty or null")
	}
	return aerr
}

type textVerdict struct {
	Type           string   `json:"type"`
	RiskType       string   `json:"riskType"`
	RiskLabel      string   `json:"riskLabel"`
	ExchangeText   string   `json:"exchangeText"`
	SensitiveWords []string `json:"sensitiveWords"`
}

// checkText answers a text check by the app's keyword lists of scope ALL
// (the call has no conversation): an allow list's match passes the text,
// a block list's rejects it, a replace list's passes it with the matches
// replaced by ***. The risk fields name the emulator's keyword source,
// not a real vendor's labels.
func checkText(q *request) (any, *apiError) {
	body, _ := decodeBody[struct {
		Content string `json:"content"`
	}](q)
	text := body.Content
	v := textVerdict{Type: "PASS", ExchangeText: text, SensitiveWords: []string{}}
	for _, disposition := range []string{"PASS", "REJECT", "EXCHANGE"} {
		for _, l := range q.w.moderation.lists {
			if l.scope != "ALL" || l.disposition != disposition {
				continue
			}
			hits := l.matches(text)
			if len(hits) == 0 {
				continue
			}
			switch disposition {
			case "PASS":
				return textAnswer(q, v), nil
			case "REJECT":
				v.Type, v.RiskType, v.RiskLabel, v.SensitiveWords = "REJECT", "keyword:"+l.name, "KEYWORD", hits
				v.ExchangeText = strings.Repeat("*", utf8.RuneCountInString(text))
				return textAnswer(q, v), nil
			case "EXCHANGE":
				v.SensitiveWords = append(v.SensitiveWords, hits...)
				for _, h := range hits {
					v.ExchangeText = strings.ReplaceAll(v.ExchangeText, h, "***")
				}
			}
		}
	}
	return textAnswer(q, v), nil
}

func textAnswer(q *request, v textVerdict) any {
	return map[string]any{"code": 200, "data": v,
		"meta": map[string]any{"timestamp": q.now.UnixMilli(), "requestId": newUUID()}}
}

// matches returns the list's words found in text: the whole text when the
// list matches fully, else substrings (case-insensitively).
func (l *kwList) matches(text string) []string {
	var hits []string
	for _, w := range l.words {
		if l.fullMatch && strings.EqualFold(text, w.word) || !l.fullMatch && strings.Contains(strings.ToLower(text), strings.ToLower(w.word)) {
			hits = append(hits, w.word)
		}
	}
	return hits
}

type kwListBody struct {
	Name        string   `json:"name"`
	Scope       string   `json:"scope"`
	TagID       string   `json:"tagId"`
	Disposition string   `json:"disposition"`
	FullMatch   *bool    `json:"fullMatch"`
	UserID      string   `json:"userId"`
	Words       []string `json:"textContexts"`
}

// checkListBody applies the documented rules of a list's settings.
func checkListBody(b *kwListBody, code string) *apiError {
	switch {
	case b.Name == "" || b.Scope == "" || b.Disposition == "" || b.Scope == "TAG" && b.TagID == "":
		return errModeration(code, "request param is empty")
	case utf8.RuneCountInString(b.Name) > maxListNameChars:
		return errIllegalArgument("name: at most 32 characters")
	}
	return nil
}

func checkCreateList(q *request) *apiError {
	body, aerr := decodeBody[kwListBody](q)
	if aerr != nil {
		return aerr
	}
	if aerr := checkListBody(body, badRequest); aerr != nil {
		return aerr
	}
	if len(body.Words) > maxCreateWords {
		return errModeration(badRequest, "The text count exceeds the maximum number")
	}
	return checkWordLengths(body.Words)
}

func checkWordLengths(words []string) *apiError {
	for _, w := range words {
		if utf8.RuneCountInString(w) > maxWordChars {
			return errIllegalArgument("a word is at most 128 characters")
		}
	}
	return nil
}

// addWords adds words to l, refusing duplicates and the list and app limits.
func (s *moderationState) addWords(l *kwList, words []string, user string, now int64) *apiError {
	seen := map[string]bool{}
	for _, w := range l.words {
		seen[w.word] = true
	}
	for _, w := range words {
		if seen[w] {
			return errModeration(badRequest, "The textList already contains the text")
		}
		seen[w] = true
	}
	if len(l.words)+len(words) > maxWordsPerList || s.words+len(words) > maxWordsPerApp {
		return errModeration(badRequest, "the number of words exceeds the limit")
	}
	for _, w := range words {
		l.words = append(l.words, &kwWord{id: kwID(), word: w, userID: user, created: now, updated: now})
	}
	s.words += len(words)
	l.updated = now
	return nil
}

func createKeywordList(q *request) (any, *apiError) {
	body, _ := decodeBody[kwListBody](q)
	s := &q.w.moderation
	switch {
	case len(s.lists) >= maxKeywordLists:
		return nil, errModeration(badRequest, "The textList count exceeds the maximum number")
	case s.named(body.Name) != nil:
		return nil, errModeration(badRequest, "The textList already exists")
	}
	now := q.now.UnixMilli()
	l := &kwList{id: kwID(), name: body.Name, scope: body.Scope, tagID: body.TagID, disposition: body.Disposition,
		userID: body.UserID, fullMatch: body.FullMatch != nil && *body.FullMatch, created: now, updated: now}
	if aerr := s.addWords(l, body.Words, body.UserID, now); aerr != nil {
		return nil, aerr
	}
	s.lists = append(s.lists, l)
	return kwOK(q.listEntity(l, false, true)), nil
}

func checkUpdateList(q *request) *apiError {
	body, aerr := decodeBody[kwListBody](q)
	if aerr != nil {
		return aerr
	}
	return checkListBody(body, badRequestLower)
}

func updateKeywordList(q *request) (any, *apiError) {
	body, _ := decodeBody[kwListBody](q)
	s := &q.w.moderation
	l := s.list(q.param("list_id"))
	if l == nil {
		return nil, errModeration(badRequestLower, "textList data is empty")
	}
	if other := s.named(body.Name); other != nil && other != l {
		return nil, errModeration(badRequestLower, "The textList already exists")
	}
	l.name, l.scope, l.tagID, l.disposition = body.Name, body.Scope, body.TagID, body.Disposition
	if body.FullMatch != nil {
		l.fullMatch = *body.FullMatch
	}
	if body.UserID != "" {
		l.userID = body.UserID
	}
	l.updated = q.now.UnixMilli()
	return kwOK(q.listEntity(l, true, false)), nil
}

type kwListQuery struct {
	Name  string `json:"name"`
	TagID string `json:"tagId"`
	kwQuery
}

func checkSearchLists(q *request) *apiError {
	body, aerr := decodeBody[kwListQuery](q)
	if aerr == nil {
		_, _, aerr = body.bounds()
	}
	return aerr
}

func searchKeywordLists(q *request) (any, *apiError) {
	body, _ := decodeBody[kwListQuery](q)
	page, size, _ := body.bounds()
	var found []kwListEntity
	for _, l := range q.w.moderation.lists {
		if (body.Name == "" || l.name == body.Name) && (body.TagID == "" || l.tagID == body.TagID) {
			found = append(found, q.listEntity(l, true, false))
		}
	}
	return kwPaged(found, page, size), nil
}

func deleteKeywordList(q *request) (any, *apiError) {
	s := &q.w.moderation
	l := s.list(q.param("list_id"))
	if l == nil {
		return nil, errModeration(badRequestLower, "textList data is empty")
	}
	s.words -= len(l.words)
	s.lists = slices.DeleteFunc(s.lists, func(x *kwList) bool { return x == l })
	return kwAnswer{Status: "OK"}, nil
}

type kwWords struct {
	Words  []string `json:"wordContents"`
	UserID string   `json:"userId"`
}

func checkAddWords(q *request) *apiError {
	body, aerr := decodeBody[kwWords](q)
	switch {
	case aerr != nil:
		return aerr
	case len(body.Words) == 0:
		return errModeration(badRequest, "request data is empty")
	case len(body.Words) > maxAddWords:
		return errModeration(badRequest, "The text count exceeds the maximum number")
	}
	return checkWordLengths(body.Words)
}

func addKeywords(q *request) (any, *apiError) {
	body, _ := decodeBody[kwWords](q)
	s := &q.w.moderation
	l := s.list(q.param("list_id"))
	if l == nil {
		return nil, errModeration(badRequest, "textList data is empty")
	}
	if aerr := s.addWords(l, body.Words, body.UserID, q.now.UnixMilli()); aerr != nil {
		return nil, aerr
	}
	return kwOK(q.listEntity(l, false, true)), nil
}

type kwWordChange struct {
	ID     string `json:"id"`
	Word   string `json:"word"`
	UserID string `json:"userId"`
}

func checkUpdateWord(q *request) *apiError {
	body, aerr := decodeBody[kwWordChange](q)
	switch {
	case aerr != nil:
		return aerr
	case body.ID == "" || body.Word == "":
		return errModeration(badRequestLower, "the param can not be empty")
	}
	return checkWordLengths([]string{body.Word})
}

func updateKeyword(q *request) (any, *apiError) {
	body, _ := decodeBody[kwWordChange](q)
	l := q.w.moderation.list(q.param("list_id"))
	if l == nil {
		return nil, errModeration(badRequestLower, "textList id is empty")
	}
	i := l.word(body.ID)
	if i < 0 {
		return nil, errModeration(badRequestLower, "the param can not be empty")
	}
	w := l.words[i]
	w.word, w.userID, w.updated = body.Word, body.UserID, q.now.UnixMilli()
	return kwOK(q.wordEntity(l, w)), nil
}

type kwWordQuery struct {
	Word string `json:"word"`
	kwQuery
}

func checkSearchWords(q *request) *apiError {
	body, aerr := decodeBody[kwWordQuery](q)
	if aerr == nil {
		_, _, aerr = body.bounds()
	}
	return aerr
}

// searchKeywords finds the list's words containing the query, newest first
// as the docs' example shows them.
func searchKeywords(q *request) (any, *apiError) {
	body, _ := decodeBody[kwWordQuery](q)
	page, size, _ := body.bounds()
	l := q.w.moderation.list(q.param("list_id"))
	if l == nil {
		return nil, errModeration(badRequestLower, "textList data is empty")
	}
	var found []kwWordEntity
	for i := len(l.words) - 1; i >= 0; i-- {
		if w := l.words[i]; strings.Contains(w.word, body.Word) {
			found = append(found, q.wordEntity(l, w))
		}
	}
	return kwPaged(found, page, size), nil
}

func deleteKeyword(q *request) (any, *apiError) {
	l := q.w.moderation.list(q.param("list_id"))
	if l == nil {
		return nil, errModeration(badRequest, "request data is empty")
	}
	return kwOK(q.w.moderation.dropWords(l, []string{q.r.URL.Query().Get("wordId")})), nil
}

// dropWords deletes the words of l with the given ids and reports whether
// every one was there.
func (s *moderationState) dropWords(l *kwList, ids []string) bool {
	all := true
	for _, id := range ids {
		i := l.word(id)
		if i < 0 {
			all = false
			continue
		}
		l.words = slices.Delete(l.words, i, i+1)
		s.words--
	}
	return all
}

type kwWordIDs struct {
	IDs []string `json:"wordIds"`
}

func checkDeleteWords(q *request) *apiError {
	body, aerr := decodeBody[kwWordIDs](q)
	if aerr == nil && len(body.IDs) == 0 {
		return errModeration(badRequest, "request data is empty")
	}
	return aerr
}

// deleteKeywords answers entity 0 when every word was deleted, 1 when some
// id was not in the list (the others are deleted all the same).
func deleteKeywords(q *request) (any, *apiError) {
	body, _ := decodeBody[kwWordIDs](q)
	l := q.w.moderation.list(q.param("list_id"))
	if l == nil {
		return nil, errModeration(badRequest, "textList data is empty")
	}
	if q.w.moderation.dropWords(l, body.IDs) {
		return kwOK(0), nil
	}
	return kwOK(1), nil
}
