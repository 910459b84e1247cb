package users

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"time"

	"github.com/emquota/easemob/batch"
	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/core"
	"github.com/emquota/easemob/internal/rules"
	"github.com/emquota/easemob/option"
)

// SetPushNickname sets the name offline pushes show for the user
// (设置离线推送时显示的昵称), at most 100 characters, and returns the user.
// It is not the user attribute "nickname"; the docs advise keeping both in step.
//
//meta:operation PUT /users/{username} (push.SetNickname)
func (s *Service) SetPushNickname(ctx context.Context, username, nickname string, opts ...option.Call) (*User, error) {
	op := catalog.PushSetNickname
	if err := rules.Nickname(nickname); err != nil {
		return nil, core.Invalid(op.ID, "nickname", "%s", err)
	}
	return s.putUser(ctx, op, username, map[string]any{"nickname": nickname}, opts)
}

// DisplayStyle is how an offline push shows a message.
type DisplayStyle int

// Display styles.
const (
	// StyleSummary shows "您有一条新消息" / "请点击查看" (the default).
	StyleSummary DisplayStyle = 0
	// StyleDetail shows the sender's nickname and the message.
	StyleDetail DisplayStyle = 1
)

// SetPushDisplayStyle sets how offline pushes show messages
// (设置离线推送通知的展示方式) and returns the user.
//
//meta:operation PUT /users/{username} (push.SetDisplayStyle)
func (s *Service) SetPushDisplayStyle(ctx context.Context, username string, style DisplayStyle, opts ...option.Call) (*User, error) {
	op := catalog.PushSetDisplayStyle
	if style != StyleSummary && style != StyleDetail {
		return nil, core.Invalid(op.ID, "style", "%d is not 0 or 1", style)
	}
	return s.putUser(ctx, op, username, map[string]any{"notification_display_style": int(style)}, opts)
}

// NoDisturb is the legacy do-not-disturb window, in whole hours 0 to 23.
// Start equal to End is all day; End before Start runs overnight.
type NoDisturb struct {
	On         bool
	Start, End int
}

// SetNoDisturbLegacy sets the legacy do-not-disturb window (设置免打扰,
// 旧版) and returns the user. Prefer SetPushSettings with an
// IgnoreInterval or IgnoreDuration, which replaced it.
//
//meta:operation PUT /users/{username} (push.SetNoDisturbLegacy)
func (s *Service) SetNoDisturbLegacy(ctx context.Context, username string, d NoDisturb, opts ...option.Call) (*User, error) {
	op := catalog.PushSetNoDisturbLegacy
	body := map[string]any{"notification_no_disturbing": d.On}
	if d.On {
		for field, h := range map[string]int{"Start": d.Start, "End": d.End} {
			if h < 0 || h > 23 {
				return nil, core.Invalid(op.ID, field, "hour %d is not 0 to 23", h)
			}
		}
		// The docs send the hours as strings.
		body["notification_no_disturbing_start"] = strconv.Itoa(d.Start)
		body["notification_no_disturbing_end"] = strconv.Itoa(d.End)
	}
	return s.putUser(ctx, op, username, body, opts)
}

// putUser runs one of the PUT /users/{username} settings; the body's keys
// tell the server which.
func (s *Service) putUser(ctx context.Context, op *catalog.Op, username string, body map[string]any, opts []option.Call) (*User, error) {
	r, err := userRequest(op, username, opts)
	if err != nil {
		return nil, err
	}
	r.Body = body
	return core.Entity[User](ctx, s.c, r)
}

// ChatKind names the conversations of a push setting.
type ChatKind string

// Conversation kinds of push settings.
const (
	// UserChat is a one-to-one chat, keyed by the peer's ID; keyed by the
	// user's own ID it is the user's app-wide setting.
	UserChat ChatKind = "user"
	// GroupChat is a group chat, keyed by group ID.
	GroupChat ChatKind = "chatgroup"
)

// PushType says which messages push offline.
type PushType string

// Push types.
const (
	// PushDefault follows the app-wide setting (conversations only).
	PushDefault PushType = "DEFAULT"
	PushAll     PushType = "ALL"
	// PushMentions pushes only messages that mention the user (ext.em_at_list).
	PushMentions PushType = "AT"
	PushNone     PushType = "NONE"
)

// PushUpdate changes offline push settings; nil and empty fields are left
// as they are.
type PushUpdate struct {
	Type PushType
	// IgnoreInterval is a daily quiet window "HH:MM-HH:MM" (app-wide only);
	// "" clears it.
	IgnoreInterval *string
	// IgnoreDuration is a quiet period from now, at most 7 days, counted in
	// milliseconds; 0 clears it.
	IgnoreDuration *time.Duration
}

// PushSettings are offline push settings as the server holds them.
type PushSettings struct {
	Type           PushType
	IgnoreInterval string
	// IgnoreUntil ends the quiet period; the server answers the end, not the
	// duration that was set. Zero when none.
	IgnoreUntil time.Time
}

// UnmarshalJSON reads ignoreDuration, an end in milliseconds, loosely.
func (p *PushSettings) UnmarshalJSON(b []byte) error {
	o, err := core.DecodeObject(b)
	if err != nil {
		return err
	}
	*p = PushSettings{Type: PushType(o.String("type")), IgnoreInterval: o.String("ignoreInterval"), IgnoreUntil: o.Millis("ignoreDuration")}
	return nil
}

var intervalRE = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]$`)

// maxIgnoreDuration is the documented bound of ignoreDuration.
const maxIgnoreDuration = 7 * 24 * time.Hour

// SetPushSettings changes the offline push settings of one conversation of
// the user (设置离线推送): the chat with key (a user ID) or the group key. With
// kind UserChat and key the user's own ID it changes the app-wide setting.
// It returns the settings now in force.
//
//meta:operation PUT /users/{username}/notification/{chattype}/{key} (push.SetSettings)
func (s *Service) SetPushSettings(ctx context.Context, username string, kind ChatKind, key string, u PushUpdate, opts ...option.Call) (*PushSettings, error) {
	op := catalog.PushSetSettings
	r, err := pushSettingsRequest(op, username, kind, key, opts)
	if err != nil {
		return nil, err
	}
	global := kind == UserChat && core.FoldKey(key) == core.FoldKey(username)
	body := map[string]any{}
	if u.Type != "" {
		if u.Type == PushDefault && global {
			return nil, core.Invalid(op.ID, "Type", "DEFAULT is for conversations, not the app-wide setting")
		}
		body["type"] = u.Type
	}
	if u.IgnoreInterval != nil {
		if !global {
			return nil, core.Invalid(op.ID, "IgnoreInterval", "only the app-wide setting has one (kind UserChat, key the user's own ID)")
		}
		if v := *u.IgnoreInterval; v != "" && !intervalRE.MatchString(v) {
			return nil, core.Invalid(op.ID, "IgnoreInterval", "%q is not HH:MM-HH:MM", v)
		}
		body["ignoreInterval"] = *u.IgnoreInterval
	}
	if u.IgnoreDuration != nil {
		d := *u.IgnoreDuration
		if d < 0 || d > maxIgnoreDuration {
			return nil, core.Invalid(op.ID, "IgnoreDuration", "%v is not 0 to 7 days", d)
		}
		body["ignoreDuration"] = d.Milliseconds()
	}
	r.Body = body
	return core.Data[*PushSettings](ctx, s.c, r)
}

// PushSettings returns the offline push settings of one conversation of
// the user, or its app-wide ones (查询离线推送设置); see SetPushSettings.
//
//meta:operation GET /users/{username}/notification/{chattype}/{key} (push.GetSettings)
func (s *Service) PushSettings(ctx context.Context, username string, kind ChatKind, key string, opts ...option.Call) (*PushSettings, error) {
	r, err := pushSettingsRequest(catalog.PushGetSettings, username, kind, key, opts)
	if err != nil {
		return nil, err
	}
	return core.Data[*PushSettings](ctx, s.c, r)
}

func pushSettingsRequest(op *catalog.Op, username string, kind ChatKind, key string, opts []option.Call) (*core.Request, error) {
	if kind == UserChat {
		if err := checkUsername(op.ID, "key", key); err != nil {
			return nil, err
		}
	}
	// core checks chattype against the documented values.
	return userRequest(op, username, opts, "chattype", string(kind), "key", key)
}

type language struct {
	Language string `json:"language"`
}

// SetPushLanguage sets the language offline pushes are translated into
// (设置推送通知的首选语言), a code such as "EU"; "" turns translation off.
// It returns the language now set.
//
//meta:operation PUT /users/{username}/notification/language (push.SetLanguage)
func (s *Service) SetPushLanguage(ctx context.Context, username, lang string, opts ...option.Call) (string, error) {
	r, err := userRequest(catalog.PushSetLanguage, username, opts)
	if err != nil {
		return "", err
	}
	r.Body = map[string]string{"translationLanguage": lang}
	res, err := core.Data[language](ctx, s.c, r)
	return res.Language, err
}

// PushLanguage returns the language offline pushes are translated into
// (获取推送通知的首选语言); "" when none.
//
//meta:operation GET /users/{username}/notification/language (push.GetLanguage)
func (s *Service) PushLanguage(ctx context.Context, username string, opts ...option.Call) (string, error) {
	res, err := userData[language](ctx, s, catalog.PushGetLanguage, username, opts)
	return res.Language, err
}

// PushTemplate is an offline push template. Patterns mix fixed text, the
// built-ins {$dynamicFrom}, {$fromNickname} and {$msg}, and positional
// {0}…{n} filled at send time from ext.em_push_template.
type PushTemplate struct {
	// Name is 1 to 64 letters and digits; "default" is the default template.
	Name           string `json:"name"`
	TitlePattern   string `json:"title_pattern"`
	ContentPattern string `json:"content_pattern"`
	// Created and Updated are set by the server.
	Created time.Time `json:"-"`
	Updated time.Time `json:"-"`
}

// UnmarshalJSON reads createAt and updateAt (milliseconds) loosely.
func (t *PushTemplate) UnmarshalJSON(b []byte) error {
	o, err := core.DecodeObject(b)
	if err != nil {
		return err
	}
	*t = PushTemplate{Name: o.String("name"), TitlePattern: o.String("title_pattern"), ContentPattern: o.String("content_pattern"),
		Created: o.Millis("createAt"), Updated: o.Millis("updateAt")}
	return nil
}

var templateNameRE = regexp.MustCompile(`^[A-Za-z0-9]{1,64}$`)

func checkTemplateName(op, name string) error {
	if !templateNameRE.MatchString(name) {
		return core.Invalid(op, "name", "%q is not 1 to 64 letters and digits", name)
	}
	return nil
}

// CreatePushTemplate creates an offline push template (创建离线推送模板)
// and returns it as stored.
//
//meta:operation POST /notification/template (push.CreateTemplate)
func (s *Service) CreatePushTemplate(ctx context.Context, t PushTemplate, opts ...option.Call) (*PushTemplate, error) {
	op := catalog.PushCreateTemplate
	if err := checkTemplateName(op.ID, t.Name); err != nil {
		return nil, err
	}
	return core.Data[*PushTemplate](ctx, s.c, &core.Request{Op: op, Body: t, Opts: option.Resolve(opts...)})
}

// PushTemplate returns one offline push template (查询离线推送模板).
//
//meta:operation GET /notification/template/{name} (push.GetTemplate)
func (s *Service) PushTemplate(ctx context.Context, name string, opts ...option.Call) (*PushTemplate, error) {
	return s.template(ctx, catalog.PushGetTemplate, name, opts)
}

// DeletePushTemplate deletes an offline push template (删除离线推送模板)
// and returns it as it was.
//
//meta:operation DELETE /notification/template/{name} (push.DeleteTemplate)
func (s *Service) DeletePushTemplate(ctx context.Context, name string, opts ...option.Call) (*PushTemplate, error) {
	return s.template(ctx, catalog.PushDeleteTemplate, name, opts)
}

func (s *Service) template(ctx context.Context, op *catalog.Op, name string, opts []option.Call) (*PushTemplate, error) {
	if err := checkTemplateName(op.ID, name); err != nil {
		return nil, err
	}
	return core.Data[*PushTemplate](ctx, s.c, &core.Request{Op: op, Path: core.P("name", name), Opts: option.Resolve(opts...)})
}

type templateName struct {
	TemplateName string `json:"templateName"`
}

// SetReceiverTemplate sets the push template the user receives with
// (接收方配置模板名称). The docs require the user's own token here, not the
// app token: pass one from Token or InheritToken. It returns the name set.
//
//meta:operation PUT /users/{username}/notification/template (push.SetReceiverTemplate)
func (s *Service) SetReceiverTemplate(ctx context.Context, username, userToken, template string, opts ...option.Call) (string, error) {
	op := catalog.PushSetReceiverTemplate
	if err := checkTemplateName(op.ID, template); err != nil {
		return "", err
	}
	if userToken == "" {
		return "", core.Invalid(op.ID, "userToken", "empty; the op takes the user's token")
	}
	r, err := userRequest(op, username, opts)
	if err != nil {
		return "", err
	}
	// The app token is not sent: the user's goes in its place.
	r.NoAuth, r.Header = true, http.Header{"Authorization": {"Bearer " + userToken}}
	r.Body = templateName{template}
	res, err := core.Data[templateName](ctx, s.c, r)
	return res.TemplateName, err
}

// PushNickname is one user's push nickname, for SetPushNicknames.
type PushNickname struct {
	Username string `json:"username"`
	Nickname string `json:"push_nickname"`
}

// SetPushNicknames sets the push nicknames of many users (批量设置离线推送时
// 显示的昵称), split into calls of at most 50. The result has one item per
// input in input order; a user the answer leaves out is reported failed.
//
//meta:operation PUT /push/nickname (push.SetNicknameBatch)
func (s *Service) SetPushNicknames(ctx context.Context, nicknames []PushNickname, opts ...option.Call) (*batch.Result[PushNickname, PushNickname], error) {
	op := catalog.PushSetNicknameBatch
	set := option.Resolve(opts...)
	b := core.Batch[PushNickname, PushNickname]{
		Op: op, Cap: "$", Field: "nicknames",
		Key: func(n PushNickname) string { return core.FoldKey(n.Username) },
		Check: func(n PushNickname) error {
			if err := checkUsername(op.ID, "Username", n.Username); err != nil {
				return err
			}
			if err := rules.Nickname(n.Nickname); err != nil {
				return core.Invalid(op.ID, "Nickname", "%s (user %q)", err, n.Username)
			}
			return nil
		},
		Send: func(ctx context.Context, chunk []PushNickname) ([]core.Outcome[PushNickname], *core.Request, error) {
			r := &core.Request{Op: op, Body: chunk, Opts: set}
			done, _, err := core.Entities[PushNickname](ctx, s.c, r)
			if err != nil {
				return nil, r, err
			}
			names := make([]string, len(chunk))
			for i, n := range chunk {
				names[i] = n.Username
			}
			return byUsername(names, done, func(n PushNickname) string { return n.Username }), r, nil
		},
	}
	return b.Run(ctx, s.c, set.Concurrency, nicknames)
}

// PushBinding binds a device to a push certificate.
type PushBinding struct {
	DeviceID    string `json:"device_id"`
	DeviceToken string `json:"device_token"`
	// NotifierName is the certificate's name in the console.
	NotifierName string `json:"notifier_name"`
}

// BindPush binds or unbinds a device of the user for offline push
// (绑定和解绑推送信息): an empty DeviceToken unbinds the device from the
// certificate NotifierName, an empty NotifierName from every certificate.
// It returns the binding now in force, none after an unbind.
//
//meta:operation PUT /users/{username}/push/binding (push.Bind)
func (s *Service) BindPush(ctx context.Context, username string, b PushBinding, opts ...option.Call) ([]PushBinding, error) {
	op := catalog.PushBind
	if b.DeviceID == "" {
		return nil, core.Invalid(op.ID, "DeviceID", "empty")
	}
	r, err := userRequest(op, username, opts)
	if err != nil {
		return nil, err
	}
	r.Body = b
	out, _, err := core.Entities[PushBinding](ctx, s.c, r)
	return out, err
}

// PushBindings lists the user's push bindings (查询推送绑定信息).
//
//meta:operation GET /users/{username}/push/binding (push.GetBindings)
func (s *Service) PushBindings(ctx context.Context, username string, opts ...option.Call) ([]PushBinding, error) {
	r, err := userRequest(catalog.PushGetBindings, username, opts)
	if err != nil {
		return nil, err
	}
	out, _, err := core.Entities[PushBinding](ctx, s.c, r)
	return out, err
}

// PushPlatform names a push service in the statistics.
type PushPlatform string

// Push platforms of the statistics.
const (
	AllPlatforms PushPlatform = "ALL"
	APNs         PushPlatform = "APNS"
	// FCM is the platform the docs call ANDROID.
	FCM    PushPlatform = "ANDROID"
	Xiaomi PushPlatform = "XIAOMIPUSH"
	Huawei PushPlatform = "HUAWEIPUSH"
	Meizu  PushPlatform = "MEIZUPUSH"
	OPPO   PushPlatform = "OPPOPUSH"
	Vivo   PushPlatform = "VIVOPUSH"
	Honor  PushPlatform = "HONOR"
)

// PushCounts are one day's results on one platform; a count the server
// does not report is 0.
type PushCounts struct {
	Success int64 `json:"successCount"`
	Fail    int64 `json:"failCount"`
	Arrive  int64 `json:"arriveCount"`
}

// PushStatistics are offline push results by day ("2024-04-01") and platform.
type PushStatistics map[string]map[PushPlatform]PushCounts

// dateLayout is the docs' yyyy-MM-dd.
const dateLayout = "2006-01-02"

// PushStatistics returns offline push results per day from the day of
// from to the day of to, both in their own time zone (查询离线推送结果统计数据);
// platform "" means AllPlatforms. The feature must be enabled by sales.
//
//meta:operation GET /push/data/offline-push/begin/{startTime}/end/{endTime} (push.GetStatistics)
func (s *Service) PushStatistics(ctx context.Context, from, to time.Time, platform PushPlatform, opts ...option.Call) (PushStatistics, error) {
	op := catalog.PushGetStatistics
	begin, end := from.Format(dateLayout), to.Format(dateLayout)
	if end < begin {
		return nil, core.Invalid(op.ID, "to", "%s is before %s", end, begin)
	}
	if platform == "" {
		platform = AllPlatforms
	}
	r := &core.Request{Op: op, Path: core.P("startTime", begin, "endTime", end),
		Query: url.Values{"platform": {string(platform)}}, Opts: option.Resolve(opts...)}
	return core.Data[PushStatistics](ctx, s.c, r)
}
