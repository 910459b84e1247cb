package moderation

import (
	"encoding/json"
	"time"

	"github.com/emquota/easemob/internal/core"
)

// Scope is where a keyword list applies.
type Scope string

// Scopes of a keyword list.
const (
	AllScopes Scope = "ALL"
	Chats     Scope = "CHAT"
	Groups    Scope = "GROUP"
	Rooms     Scope = "ROOM"
	// Tagged applies to the conversations of one tag (TagID).
	Tagged Scope = "TAG"
)

// Disposition is what happens to a text that matches a keyword list.
type Disposition string

// Dispositions of a keyword list.
const (
	Pass   Disposition = "PASS"
	Reject Disposition = "REJECT"
	// Exchange replaces the matched words with ***.
	Exchange Disposition = "EXCHANGE"
)

// KeywordList is a keyword list as the server returns it.
type KeywordList struct {
	ID           string
	Name         string
	ModerationID string
	AppKey       string
	Category     string // "DEFAULT"
	Scope        Scope
	TagID        string
	FullMatch    bool
	Suggestion   string
	Disposition  Disposition
	// Quantity is the number of words in the list.
	Quantity int
	// Status is "ACTIVE" or "CLOSE".
	Status string
	// Created and Updated come as Unix milliseconds or ISO-8601 strings.
	Created, Updated time.Time
	// Words are the list's words, when the answer carries them (textList).
	Words []Keyword
}

// UnmarshalJSON reads the times in either form the docs show.
func (l *KeywordList) UnmarshalJSON(b []byte) error {
	o, err := core.DecodeObject(b)
	if err != nil {
		return err
	}
	full, _ := o.Bool("fullMatch")
	n, _ := o.Int64("quantity")
	*l = KeywordList{
		ID: o.String("id"), Name: o.String("name"), ModerationID: o.String("moderationId"),
		AppKey: o.String("appkey"), Category: o.String("category"), Scope: Scope(o.String("scope")),
		TagID: o.String("tagId"), FullMatch: full, Suggestion: o.String("suggestion"),
		Disposition: Disposition(o.String("disposition")), Quantity: int(n), Status: o.String("status"),
		Created: when(o, "createDataTime"), Updated: when(o, "updateDataTime"),
	}
	if raw, ok := o["textList"]; ok {
		return json.Unmarshal(raw, &l.Words)
	}
	return nil
}

// Keyword is one word of a keyword list.
type Keyword struct {
	ID     string
	AppID  string
	Word   string
	UserID string
	ListID string
	// Status is whether the word is in force.
	Status           bool
	Created, Updated time.Time
}

// UnmarshalJSON reads the times in either form.
func (k *Keyword) UnmarshalJSON(b []byte) error {
	o, err := core.DecodeObject(b)
	if err != nil {
		return err
	}
	status, _ := o.Bool("status")
	*k = Keyword{
		ID: o.String("id"), AppID: o.String("appId"), Word: o.String("word"), UserID: o.String("userId"),
		ListID: o.String("listId"), Status: status,
		Created: when(o, "createDateTime"), Updated: when(o, "updateDateTime"),
	}
	return nil
}

// when reads a time given as Unix milliseconds or as an ISO-8601 string
// (the docs show both for the same field); the zero time when neither.
func when(o core.Object, k string) time.Time {
	if _, isNumber := o.Int64(k); isNumber {
		return o.Millis(k)
	}
	t, err := time.Parse(time.RFC3339Nano, o.String(k))
	if err != nil {
		return time.Time{}
	}
	return t
}

// Paging describes one page of a search (page numbers count from 0).
type Paging struct {
	First, Last bool
	// Size is the page size asked for; Number the page's number.
	Size, Number int
	// NumberOfElements is the number of items on this page.
	NumberOfElements int
	TotalPages       int
	TotalElements    int
}

// ListPage is one page of keyword lists.
type ListPage struct {
	Lists []KeywordList
	Paging
}

// WordPage is one page of keywords.
type WordPage struct {
	Words []Keyword
	Paging
}

// Verdict is the outcome of a text check.
type Verdict string

// Verdicts of CheckText.
const (
	Passed   Verdict = "PASS"
	Reviewed Verdict = "REVIEWED"
	Rejected Verdict = "REJECT"
	Unknown  Verdict = "UNKNOWN"
)

// TextCheck is the answer to CheckText.
type TextCheck struct {
	// Code is the answer's code (200).
	Code    int
	Verdict Verdict
	// RiskType and RiskLabel name the risk found, e.g. "AD".
	RiskType, RiskLabel string
	// ExchangeText is the text with what was found replaced by *.
	ExchangeText   string
	SensitiveWords []string
	// Probability is given by the Microsoft vendor only.
	Probability *float64
	RequestID   string
	Timestamp   time.Time
}

// UnmarshalJSON reads the answer {"code", "data", "meta"}.
func (t *TextCheck) UnmarshalJSON(b []byte) error {
	var raw struct {
		Code core.Int64 `json:"code"`
		Data *struct {
			Type           string   `json:"type"`
			RiskType       string   `json:"riskType"`
			RiskLabel      string   `json:"riskLabel"`
			ExchangeText   string   `json:"exchangeText"`
			SensitiveWords []string `json:"sensitiveWords"`
			Probability    *float64 `json:"probability"`
		} `json:"data"`
		Meta struct {
			Timestamp core.Int64 `json:"timestamp"`
			RequestID string     `json:"requestId"`
		} `json:"meta"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	*t = TextCheck{Code: int(raw.Code), RequestID: raw.Meta.RequestID}
	if raw.Meta.Timestamp != 0 {
		t.Timestamp = time.UnixMilli(int64(raw.Meta.Timestamp))
	}
	if d := raw.Data; d != nil {
		t.Verdict, t.RiskType, t.RiskLabel, t.ExchangeText = Verdict(d.Type), d.RiskType, d.RiskLabel, d.ExchangeText
		t.SensitiveWords, t.Probability = d.SensitiveWords, d.Probability
	}
	return nil
}
