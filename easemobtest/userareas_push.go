package easemobtest

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/emquota/easemob/internal/rules"
)

// pushState holds push settings per user and the app's templates and
// offline-push results.
type pushState struct {
	settings  map[string]map[string]pushSetting // user -> chattype/key
	languages map[string]string
	receivers map[string]string        // user -> template name
	bindings  map[string][]pushBinding // user -> in binding order
	templates map[string]*pushTemplate
	results   map[string]map[string]pushCounts // yyyy-MM-dd -> platform
}

func (s *pushState) drop(user string) {
	delete(s.settings, user)
	delete(s.languages, user)
	delete(s.receivers, user)
	delete(s.bindings, user)
}

// pushSetting is one conversation's setting; until is when the quiet
// period ends (ms), 0 for none.
type pushSetting struct {
	typ, interval string
	until         int64
}

type pushBinding struct {
	DeviceID     string `json:"device_id"`
	DeviceToken  string `json:"device_token"`
	NotifierName string `json:"notifier_name"`
}

type pushTemplate struct {
	Name           string `json:"name"`
	CreateAt       int64  `json:"createAt"`
	UpdateAt       int64  `json:"updateAt"`
	TitlePattern   string `json:"title_pattern"`
	ContentPattern string `json:"content_pattern"`
}

type pushCounts struct {
	Success int `json:"successCount"`
	Fail    int `json:"failCount"`
	Arrive  int `json:"arriveCount,omitempty"`
}

// The push service words its errors with Java class names (push.md,
// 常见错误码).
func errPushNoUser() *apiError {
	return &apiError{http.StatusBadRequest, "RequiredPropertyNotFoundException", "RequiredPropertyNotFoundException",
		"Entity user requires a property named username"}
}

func errPushInvalid(what string) *apiError {
	return &apiError{http.StatusBadRequest, "IllegalArgumentException", "IllegalArgumentException", "parameters is invalid : " + what}
}

func errNoTemplate(name string) *apiError {
	return &apiError{http.StatusBadRequest, "EntityNotFoundException", "EntityNotFoundException", name + " template is not exist"}
}

// pushUser looks up the user of a push call; the push service answers a
// missing one with its own 400.
func (q *request) pushUser() (string, *apiError) {
	name := fold(q.param("username"))
	if !q.userExists(name) {
		return "", errPushNoUser()
	}
	return name, nil
}

// pushEnvelope is the envelope of the push settings answers.
func (q *request) pushEnvelope(action string, data any) *envelope {
	env := q.envelope(action).withURI(q).withApp(q)
	env.Path, env.Data = "/users", data
	return env
}

// userSettings is the body of PUT /users/{username}: the keys present
// select the settings (push.SetNickname, SetDisplayStyle, SetNoDisturbLegacy).
type userSettings struct {
	Nickname     *string `json:"nickname"`
	DisplayStyle *int    `json:"notification_display_style"`
	NoDisturbing *bool   `json:"notification_no_disturbing"`
	Start        *string `json:"notification_no_disturbing_start"`
	End          *string `json:"notification_no_disturbing_end"`
}

// hour reads a do-not-disturb hour, "0" to "23".
func hour(s *string) (*int, bool) {
	if s == nil {
		return nil, true
	}
	h, err := strconv.Atoi(*s)
	return &h, err == nil && h >= 0 && h <= 23
}

func checkPutUser(q *request) *apiError {
	b, aerr := decodeBody[userSettings](q)
	switch {
	case aerr != nil:
		return aerr
	case b.Nickname != nil && utf8.RuneCountInString(*b.Nickname) > rules.MaxNicknameChars:
		return errIllegalArgument("NICKNAME_TOO_LONG")
	case b.DisplayStyle != nil && *b.DisplayStyle != 0 && *b.DisplayStyle != 1:
		return errIllegalArgument("notification_display_style must be 0 or 1")
	}
	for _, h := range []*string{b.Start, b.End} {
		if _, ok := hour(h); !ok {
			return errIllegalArgument("notification_no_disturbing_start and _end are hours, 0 to 23")
		}
	}
	return nil
}

// putUser applies every setting the body names, as the server does, and
// answers the user as it is now.
func putUser(q *request) (any, *apiError) {
	b, _ := decodeBody[userSettings](q)
	u, ok := q.w.users.update(q.param("username"), func(u *user) {
		if b.Nickname != nil {
			u.Nickname = *b.Nickname
		}
		if b.DisplayStyle != nil {
			u.DisplayStyle = b.DisplayStyle
		}
		if b.NoDisturbing != nil {
			u.NoDisturbing = b.NoDisturbing
			if !*b.NoDisturbing {
				u.NoDisturbStart, u.NoDisturbEnd = nil, nil
			}
		}
		if u.NoDisturbing != nil && *u.NoDisturbing {
			// The entity echoes the hours as numbers.
			if h, _ := hour(b.Start); h != nil {
				u.NoDisturbStart = h
			}
			if h, _ := hour(b.End); h != nil {
				u.NoDisturbEnd = h
			}
		}
		u.Modified = q.now.UnixMilli()
	})
	if !ok {
		return nil, errUserNotFound()
	}
	env := q.pushEnvelope("put", nil)
	env.Entities = []userEntity{u}
	return env, nil
}

type pushSettingsBody struct {
	Type           *string `json:"type"`
	IgnoreInterval *string `json:"ignoreInterval"`
	IgnoreDuration *int64  `json:"ignoreDuration"`
}

var quietRE = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]$`)

// appLevel reports the app-wide setting: chattype user, key the user's own ID.
func (q *request) appLevel() bool {
	return q.param("chattype") == "user" && fold(q.param("key")) == fold(q.param("username"))
}

func checkPushSettings(q *request) *apiError {
	if len(q.body) == 0 {
		return nil
	}
	b, aerr := decodeBody[pushSettingsBody](q)
	switch {
	case aerr != nil:
		return aerr
	case b.Type != nil && *b.Type == "DEFAULT" && q.appLevel():
		return errPushInvalid("type DEFAULT is for conversations")
	case b.IgnoreInterval != nil && !q.appLevel():
		return errPushInvalid("ignoreInterval is for the app-wide setting")
	case b.IgnoreInterval != nil && *b.IgnoreInterval != "" && !quietRE.MatchString(*b.IgnoreInterval):
		return errPushInvalid("ignoreInterval " + *b.IgnoreInterval)
	}
	return nil
}

// setting returns the conversation's setting in force at now.
func (s *pushState) setting(user, conv string, appLevel bool, now time.Time) pushSetting {
	st, ok := s.settings[user][conv]
	if !ok {
		st.typ = "DEFAULT"
		if appLevel {
			st.typ = "ALL"
		}
	}
	if st.until != 0 && st.until <= now.UnixMilli() {
		st.until = 0 // the quiet period is over
	}
	return st
}

func (st pushSetting) data() map[string]any {
	return map[string]any{"type": st.typ, "ignoreInterval": st.interval, "ignoreDuration": st.until}
}

func (q *request) conversation() string { return q.param("chattype") + "/" + fold(q.param("key")) }

func setPushSettings(q *request) (any, *apiError) {
	user, aerr := q.pushUser()
	if aerr != nil {
		return nil, aerr
	}
	b := &pushSettingsBody{}
	if len(q.body) > 0 {
		b, _ = decodeBody[pushSettingsBody](q)
	}
	s := &q.w.areas.push
	st := s.setting(user, q.conversation(), q.appLevel(), q.now)
	if b.Type != nil {
		st.typ = *b.Type
	}
	if b.IgnoreInterval != nil {
		st.interval = *b.IgnoreInterval
	}
	if d := b.IgnoreDuration; d != nil {
		// Stored, and answered, as the end of the period.
		st.until = 0
		if *d > 0 {
			st.until = q.now.UnixMilli() + *d
		}
	}
	mapOf(&s.settings, user)[q.conversation()] = st
	return q.pushEnvelope("put", st.data()), nil
}

func getPushSettings(q *request) (any, *apiError) {
	user, aerr := q.pushUser()
	if aerr != nil {
		return nil, aerr
	}
	st := q.w.areas.push.setting(user, q.conversation(), q.appLevel(), q.now)
	return q.pushEnvelope("get", st.data()), nil
}

type languageBody struct {
	TranslationLanguage string `json:"translationLanguage"`
}

func setPushLanguage(q *request) (any, *apiError) {
	user, aerr := q.pushUser()
	if aerr != nil {
		return nil, aerr
	}
	b, _ := decodeBody[languageBody](q)
	made(&q.w.areas.push.languages)[user] = b.TranslationLanguage
	return q.pushEnvelope("put", map[string]string{"language": b.TranslationLanguage}), nil
}

func getPushLanguage(q *request) (any, *apiError) {
	user, aerr := q.pushUser()
	if aerr != nil {
		return nil, aerr
	}
	return q.pushEnvelope("get", map[string]string{"language": q.w.areas.push.languages[user]}), nil
}

var templateNameRE = regexp.MustCompile(`^[A-Za-z0-9]{1,64}$`)

func checkTemplate(q *request) *apiError {
	t, aerr := decodeBody[pushTemplate](q)
	if aerr == nil && !templateNameRE.MatchString(t.Name) {
		aerr = errPushInvalid("name " + t.Name)
	}
	return aerr
}

// templateEnvelope answers a template call.
func (q *request) templateEnvelope(action string, t pushTemplate) *envelope {
	env := q.envelope(action).withURI(q).withApp(q)
	env.Data = t
	return env
}

// createTemplate stores the template; a name taken is updated in place.
func createTemplate(q *request) (any, *apiError) {
	t, _ := decodeBody[pushTemplate](q)
	s := &q.w.areas.push
	ms := q.now.UnixMilli()
	stored := &pushTemplate{Name: t.Name, CreateAt: ms, UpdateAt: ms, TitlePattern: t.TitlePattern, ContentPattern: t.ContentPattern}
	if old := s.templates[t.Name]; old != nil {
		stored.CreateAt = old.CreateAt
	}
	made(&s.templates)[t.Name] = stored
	return q.templateEnvelope("post", *stored), nil
}

func getTemplate(q *request) (any, *apiError) {
	t := q.w.areas.push.templates[q.param("name")]
	if t == nil {
		return nil, errNoTemplate(q.param("name"))
	}
	return q.templateEnvelope("get", *t), nil
}

func deleteTemplate(q *request) (any, *apiError) {
	s := &q.w.areas.push
	t := s.templates[q.param("name")]
	if t == nil {
		return nil, errNoTemplate(q.param("name"))
	}
	delete(s.templates, t.Name)
	return q.templateEnvelope("delete", *t), nil
}

type pushNickname struct {
	Username     string `json:"username"`
	PushNickname string `json:"push_nickname"`
}

func checkPushNicknames(q *request) *apiError {
	list, aerr := decodeBody[[]pushNickname](q)
	switch {
	case aerr != nil:
		return aerr
	case len(*list) == 0:
		return errIllegalArgument("put user push nicknames illegal empty request body")
	case len(*list) > maxPushNicknames:
		return errIllegalArgument("put user push nicknames exceeds the limit")
	}
	for _, n := range *list {
		if utf8.RuneCountInString(n.PushNickname) > rules.MaxNicknameChars {
			return errIllegalArgument(n.Username + " push nickname length exceeds the limit")
		}
	}
	return nil
}

// maxPushNicknames is the documented per-call cap of push.SetNicknameBatch.
const maxPushNicknames = 50

// setPushNicknames sets the nickname of each registered user listed; the
// answer lists those it set.
func setPushNicknames(q *request) (any, *apiError) {
	list, _ := decodeBody[[]pushNickname](q)
	set := []pushNickname{}
	for _, n := range *list {
		u, ok := q.w.users.update(n.Username, func(u *user) { u.Nickname, u.Modified = n.PushNickname, q.now.UnixMilli() })
		if ok {
			set = append(set, pushNickname{Username: u.Username, PushNickname: n.PushNickname})
		}
	}
	env := q.envelope("put").withURI(q).withApp(q)
	env.Path, env.Entities = "/push", set
	return env, nil
}

func setReceiverTemplate(q *request) (any, *apiError) {
	user, aerr := q.pushUser()
	if aerr != nil {
		return nil, aerr
	}
	var b struct {
		TemplateName string `json:"templateName"`
	}
	_ = json.Unmarshal(q.body, &b) // the schema checked it
	made(&q.w.areas.push.receivers)[user] = b.TemplateName
	return q.pushEnvelope("put", map[string]string{"templateName": b.TemplateName}), nil
}

// bindPush binds, or with an empty token or certificate unbinds, a device;
// the user entity shows the latest binding's certificate and token.
func bindPush(q *request) (any, *apiError) {
	name, aerr := q.pushUser()
	if aerr != nil {
		return nil, aerr
	}
	b, _ := decodeBody[pushBinding](q)
	s := &q.w.areas.push
	kept := s.bindings[name][:0:0]
	for _, old := range s.bindings[name] {
		// An empty certificate unbinds the device from all of them.
		if old.DeviceID != b.DeviceID || b.NotifierName != "" && old.NotifierName != b.NotifierName {
			kept = append(kept, old)
		}
	}
	bound := []pushBinding{}
	if b.DeviceToken != "" && b.NotifierName != "" {
		kept = append(kept, *b)
		bound = append(bound, *b)
	}
	made(&s.bindings)[name] = kept
	q.w.users.update(name, func(u *user) {
		u.NotifierName, u.DeviceToken = "", ""
		if n := len(kept); n > 0 {
			u.NotifierName, u.DeviceToken = kept[n-1].NotifierName, kept[n-1].DeviceToken
		}
	})
	env := q.envelope("put")
	env.Entities = bound
	return env, nil
}

func getPushBindings(q *request) (any, *apiError) {
	user, aerr := q.pushUser()
	if aerr != nil {
		return nil, aerr
	}
	env := q.envelope("get")
	env.Entities = append([]pushBinding{}, q.w.areas.push.bindings[user]...)
	return env, nil
}

func checkPushStatistics(q *request) *apiError {
	if q.param("endTime") < q.param("startTime") {
		return errIllegalArgument("endTime is before startTime")
	}
	return nil
}

// pushStatistics is the answer of push.GetStatistics (no envelope).
type pushStatistics struct {
	Status string                           `json:"status"`
	Data   map[string]map[string]pushCounts `json:"data"`
}

// getPushStatistics answers the results recorded (AddPushResults) on the
// days asked, of the platform asked or all.
func getPushStatistics(q *request) (any, *apiError) {
	platform := q.r.URL.Query().Get("platform")
	data := map[string]map[string]pushCounts{}
	for day, byPlatform := range q.w.areas.push.results {
		if day < q.param("startTime") || day > q.param("endTime") {
			continue
		}
		for p, c := range byPlatform {
			if platform == "ALL" || p == platform {
				mapOf(&data, day)[p] = c
			}
		}
	}
	return pushStatistics{Status: "OK", Data: data}, nil
}

// AddPushResults records offline-push results of one day and platform
// (e.g. "APNS", "HUAWEIPUSH"), which push.GetStatistics then answers; the
// emulator delivers no pushes itself. Counts add up over calls.
func (e *Emulator) AddPushResults(day time.Time, platform string, success, fail, arrive int) {
	e.world.locked(func() {
		byPlatform := mapOf(&e.world.areas.push.results, day.Format("2006-01-02"))
		c := byPlatform[platform]
		c.Success, c.Fail, c.Arrive = c.Success+success, c.Fail+fail, c.Arrive+arrive
		byPlatform[platform] = c
	})
}
