package easemobtest

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/emquota/easemob/internal/schema"
)

// Message search answers, errors included, in its own shape: {data, meta}
// on success, {code, message, meta} on failure with its seven-digit code.

// searchErrorBody is the emulator's rendering of a search error: the page
// names the code, its text and meta.retryAfter, not the layout.
type searchErrorBody struct {
	Code    int        `json:"code"`
	Message string     `json:"message"`
	Meta    searchMeta `json:"meta"`
}

type searchMeta struct {
	Timestamp  int64  `json:"timestamp"`
	RequestID  string `json:"requestId"`
	RetryAfter int    `json:"retryAfter,omitempty"`
}

func (q *request) searchMeta() searchMeta {
	id := q.r.Header.Get("X-Request-Id")
	if id == "" {
		id = newUUID()
	}
	return searchMeta{Timestamp: q.now.UnixMilli(), RequestID: id}
}

func errSearch(q *request, status, code int, msg string) *apiError {
	q.errorBody = searchErrorBody{Code: code, Message: msg, Meta: q.searchMeta()}
	return &apiError{status: status, code: strconv.Itoa(code), description: msg}
}

// searchRefusal is the documented 429 4290501 with a suggested wait.
func searchRefusal(q *request, _ verdict) *apiError {
	e := errSearch(q, http.StatusTooManyRequests, 4290501, "API 调用频率超出限制")
	body := q.errorBody.(searchErrorBody)
	body.Meta.RetryAfter = 1
	q.errorBody = body
	return e
}

type searchRequest struct {
	Data *struct {
		Keyword          string   `json:"keyword"`
		Keywords         []string `json:"keywords"`
		KeywordMatch     string   `json:"keywordMatch"`
		ConversationType string   `json:"conversationType"`
		Pairs            []struct {
			User1 string `json:"userId1"`
			User2 string `json:"userId2"`
		} `json:"participantPairs"`
		Groups      []string `json:"groupIds"`
		Chatrooms   []string `json:"chatroomIds"`
		ContentType string   `json:"contentType"`
		Start       *int64   `json:"startTime"`
		End         *int64   `json:"endTime"`
		Sort        string   `json:"sort"`
		Page        *int     `json:"page"`
		Size        *int     `json:"size"`
		SearchExt   string   `json:"searchExt"`
	} `json:"data"`
}

// keywords are the request's keywords, de-duplicated; keywords wins.
func (r *searchRequest) keywords() []string {
	words := r.Data.Keywords
	if len(words) == 0 && r.Data.Keyword != "" {
		words = []string{r.Data.Keyword}
	}
	var out []string
	for _, w := range words {
		if !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

func (r *searchRequest) page() (page, size int) {
	page, size = 1, 20
	if r.Data.Page != nil {
		page = *r.Data.Page
	}
	if r.Data.Size != nil {
		size = *r.Data.Size
	}
	return page, size
}

// searchProblem is the first documented rule the request breaks.
func (r *searchRequest) problem(user string) string {
	d := r.Data
	words := r.keywords()
	total := 0
	for _, w := range words {
		n := utf8.RuneCountInString(w)
		if strings.TrimSpace(w) == "" || n > 120 {
			return "keyword must be 1-120 characters and not blank"
		}
		total += n
	}
	page, size := r.page()
	switch {
	case len(words) == 0:
		return "keyword or keywords is required"
	case len(words) > 5 || total > 120:
		return "keywords exceed the limit"
	case (d.Start == nil) != (d.End == nil):
		return "startTime and endTime must be set together"
	case d.Start != nil && (*d.End < *d.Start || *d.End-*d.Start > (90*24*time.Hour).Milliseconds()):
		return "the time range must be 0 to 90 days"
	case len(d.Pairs) > 20 || len(d.Groups) > 20 || len(d.Chatrooms) > 20 || len(d.Pairs)+len(d.Groups)+len(d.Chatrooms) > 20:
		return "at most 20 conversations"
	case page < 1 || size < 1 || size > 100:
		return "page must be at least 1 and size 1-100"
	case page*size > 10000:
		return "page x size must be at most 10000"
	}
	for _, p := range d.Pairs {
		if fold(p.User1) != user && fold(p.User2) != user {
			return "participantPairs must include the searching user"
		}
	}
	return ""
}

func checkSearch(q *request) *apiError {
	bad := func(msg string) *apiError {
		return errSearch(q, http.StatusBadRequest, 4000005, "请求体格式错误或缺少必需参数: "+msg)
	}
	if p := schema.Body(q.op, q.body); p != nil {
		return bad(p.Error())
	}
	req, aerr := decodeBody[searchRequest](q)
	if aerr != nil {
		return bad(aerr.description)
	}
	if p := req.problem(fold(q.param("username"))); p != "" {
		return bad(p)
	}
	return nil
}

// searchContentType is the search name of a message type; "" for the
// types search does not cover (custom, voice, command).
var searchContentType = map[string]string{"txt": "text", "img": "image", "video": "video", "file": "file", "loc": "location"}

// content is a message's content as search shows it, and its searchable text.
func (m *message) content() (map[string]any, string) {
	b := m.body
	str := func(k string) string { s, _ := b[k].(string); return s }
	switch m.typ {
	case "txt":
		return map[string]any{"message": str("msg")}, str("msg")
	case "loc":
		coords := str("lat") + "," + str("lng")
		return map[string]any{"address": str("addr"), "coordinates": coords}, str("addr")
	}
	c := map[string]any{"filename": str("filename"), "url": str("url")}
	if s := str("secret"); s != "" {
		c["secret"] = s
	}
	return c, str("filename")
}

// searchHit is one message in a search answer.
type searchHit struct {
	MessageID        json.Number    `json:"messageId"`
	AppKey           string         `json:"appKey"`
	ConversationType string         `json:"conversationType"`
	ContentType      string         `json:"contentType"`
	SentTime         int64          `json:"sentTime"`
	SenderID         string         `json:"senderId"`
	ReceiverID       string         `json:"receiverId"`
	Content          map[string]any `json:"content"`
	Ext              map[string]any `json:"ext,omitempty"`
	RelevanceScore   *float64       `json:"relevanceScore,omitempty"`
}

func searchMessages(q *request) (any, *apiError) {
	req, _ := decodeBody[searchRequest](q)
	d, user, s := req.Data, fold(q.param("username")), &q.w.messages
	words, all := req.keywords(), d.KeywordMatch == "all"
	convTypes, contentTypes := splitSet(d.ConversationType), splitSet(d.ContentType)
	type scored struct {
		m     *message
		score float64
	}
	var found []scored
	for _, m := range s.order {
		ct := searchContentType[m.typ]
		if ct == "" || !s.visibleTo(m, user) || !inScope(m, user, req) ||
			convTypes != nil && !convTypes[m.chatType] || contentTypes != nil && !contentTypes[ct] ||
			d.Start != nil && (m.at < *d.Start || m.at > *d.End) {
			continue
		}
		_, text := m.content()
		if d.SearchExt == "only" {
			text = ""
		}
		if d.SearchExt == "with" || d.SearchExt == "only" {
			ext, _ := json.Marshal(m.ext)
			text += " " + string(ext)
		}
		if n := matches(text, words, all); n > 0 {
			found = append(found, scored{m, float64(n)})
		}
	}
	relevance := d.Sort == "" || d.Sort == "relevance:desc"
	slices.SortStableFunc(found, func(a, b scored) int {
		switch {
		case relevance && a.score != b.score:
			return int(b.score - a.score)
		case d.Sort == "sentTime:asc":
			return int(a.m.at - b.m.at)
		}
		return int(b.m.at - a.m.at)
	})
	page, size := req.page()
	from, to := min((page-1)*size, len(found)), min(page*size, len(found))
	list := make([]searchHit, 0, to-from)
	for _, f := range found[from:to] {
		content, _ := f.m.content()
		hit := searchHit{MessageID: json.Number(f.m.id), AppKey: q.e.cfg.appKey, ConversationType: f.m.chatType,
			ContentType: searchContentType[f.m.typ], SentTime: f.m.at, SenderID: f.m.from, ReceiverID: f.m.to,
			Content: content, Ext: cloneMap(f.m.ext)}
		if relevance {
			hit.RelevanceScore = &f.score
		}
		list = append(list, hit)
	}
	finished := 0
	if to >= len(found) {
		finished = 1
	}
	return map[string]any{
		"data": map[string]any{"list": list, "pagination": map[string]int{
			"totalPages": (len(found) + size - 1) / size, "page": page, "count": len(list), "isFinished": finished}},
		"meta": q.searchMeta(),
	}, nil
}

// inScope applies the conversation filters: one-to-one messages of the
// named pairs (all of the user's when none is named), group and chatroom
// messages only of the named ones.
func inScope(m *message, user string, req *searchRequest) bool {
	d := req.Data
	switch m.chatType {
	case "chat":
		if len(d.Pairs) == 0 {
			return true
		}
		a, b := fold(m.from), fold(m.to)
		for _, p := range d.Pairs {
			x, y := fold(p.User1), fold(p.User2)
			if x == a && y == b || x == b && y == a {
				return true
			}
		}
		return false
	case "groupchat":
		return slices.Contains(d.Groups, m.to)
	}
	return slices.Contains(d.Chatrooms, m.to)
}

// matches counts the keywords found in text, ignoring case; with all, 0
// unless every keyword is.
func matches(text string, words []string, all bool) int {
	text = strings.ToLower(text)
	n := 0
	for _, w := range words {
		if strings.Contains(text, strings.ToLower(w)) {
			n++
		} else if all {
			return 0
		}
	}
	return n
}

func splitSet(csv string) map[string]bool {
	if csv == "" {
		return nil
	}
	set := map[string]bool{}
	for _, v := range strings.Split(csv, ",") {
		set[strings.TrimSpace(v)] = true
	}
	return set
}

func cloneMap(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	b, _ := json.Marshal(m)
	var out map[string]any
	_ = json.Unmarshal(b, &out)
	return out
}

// Translation: the emulator does not translate; each translation repeats
// the text, so tests can check what went where.

// languages is the emulator's list of supported languages.
var languages = []map[string]string{
	{"code": "en", "name": "English", "nativeName": "English"},
	{"code": "zh-Hans", "name": "Chinese Simplified", "nativeName": "中文 (简体)"},
	{"code": "zh-Hant", "name": "Chinese Traditional", "nativeName": "繁體中文 (繁體)"},
	{"code": "ja", "name": "Japanese", "nativeName": "日本語"},
	{"code": "ko", "name": "Korean", "nativeName": "한국어"},
	{"code": "fr", "name": "French", "nativeName": "Français"},
	{"code": "de", "name": "German", "nativeName": "Deutsch"},
	{"code": "es", "name": "Spanish", "nativeName": "Español"},
	{"code": "el", "name": "Greek", "nativeName": "Ελληνικά"},
	{"code": "dv", "name": "Divehi", "nativeName": "ދިވެހިބަސް"},
}

func supported(code string) bool {
	return slices.ContainsFunc(languages, func(l map[string]string) bool { return l["code"] == code })
}

// errTranslate is a translation 400 with the page's text.
func errTranslate(desc string) *apiError {
	return &apiError{http.StatusBadRequest, "illegal_argument", "TranslateException", desc}
}

// translateRefusal is translation's answer over its rate: 400, not 429.
func translateRefusal(*request, verdict) *apiError {
	return errTranslate("The request has reached the maximum limit")
}

type translateRequest struct {
	From string   `json:"from"`
	Text *string  `json:"text"`
	To   []string `json:"to"`
}

const maxTranslateChars = 10000

func checkTranslate(q *request) *apiError {
	req, aerr := decodeBody[translateRequest](q)
	if aerr != nil {
		return aerr
	}
	if req.Text == nil || strings.TrimSpace(*req.Text) == "" {
		return errTranslate("An input text is missing or invalid")
	}
	if len(req.To) == 0 || slices.ContainsFunc(req.To, func(c string) bool { return !supported(c) }) {
		return errTranslate("The target language is missing or invalid")
	}
	if utf8.RuneCountInString(*req.Text)*len(req.To) > maxTranslateChars {
		return errTranslate("The input text is too long")
	}
	return nil
}

func translate(q *request) (any, *apiError) {
	req, _ := decodeBody[translateRequest](q)
	out := make([]map[string]string, len(req.To))
	for i, to := range req.To {
		out[i] = map[string]string{"text": *req.Text, "to": to}
	}
	return []map[string]any{{"translations": out}}, nil
}

func checkDetect(q *request) *apiError {
	req, aerr := decodeBody[translateRequest](q)
	switch {
	case aerr != nil:
		return aerr
	case req.Text == nil || strings.TrimSpace(*req.Text) == "":
		return errTranslate("An input text is missing or invalid")
	case utf8.RuneCountInString(*req.Text) > maxTranslateChars:
		return errTranslate("The input text is too long")
	}
	return nil
}

// detectLanguage guesses by script: Han is zh-Hans, kana ja, Hangul ko,
// Greek el, anything else en.
func detectLanguage(q *request) (any, *apiError) {
	req, _ := decodeBody[translateRequest](q)
	lang := "en"
	for _, r := range *req.Text {
		switch {
		case unicode.Is(unicode.Hiragana, r), unicode.Is(unicode.Katakana, r):
			lang = "ja"
		case unicode.Is(unicode.Hangul, r):
			lang = "ko"
		case unicode.Is(unicode.Greek, r):
			lang = "el"
		case unicode.Is(unicode.Han, r) && lang == "en":
			lang = "zh-Hans"
		default:
			continue
		}
		if lang != "zh-Hans" {
			break
		}
	}
	return map[string]any{"language": lang, "score": 1.0, "isTranslationSupported": true}, nil
}

func listLanguages(*request) (any, *apiError) { return languages, nil }
