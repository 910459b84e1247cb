package messages

import (
	"context"
	"encoding/json"
	"net/url"
	"strconv"
	"time"

	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/core"
	"github.com/emquota/easemob/option"
)

// Beijing is the zone history hours are read in on the China clusters
// (UTC+8, the newer docs and the official Java SDK); overseas clusters
// read them in time.UTC.
var Beijing = time.FixedZone("UTC+8", 8*60*60)

// HistoryHour is the documented yyyyMMddHH of the hour holding t in zone
// (nil: Beijing).
func HistoryHour(t time.Time, zone *time.Location) string {
	if zone == nil {
		zone = Beijing
	}
	return t.In(zone).Format("2006010215")
}

// HistoryLink is a signed download link of one history file.
type HistoryLink struct {
	URL string
	// Expires is when the link stops working (its Expires parameter);
	// zero when the URL has none. Ask again for a fresh link.
	Expires time.Time
}

// HistoryFile returns the links of the history file of the hour holding
// hour, read in zone (nil: Beijing; time.UTC on overseas clusters)
// (获取历史消息记录文件). The file is gzipped JSON, one record per message;
// only the last 3 days can be fetched, and an hour is complete about a
// day later.
//
//meta:operation GET /chatmessages/{time} (messages.GetHistoryFile)
func (s *Service) HistoryFile(ctx context.Context, hour time.Time, zone *time.Location, opts ...option.Call) ([]HistoryLink, error) {
	op := catalog.MessagesGetHistoryFile
	if hour.IsZero() {
		return nil, core.Invalid(op.ID, "hour", "zero time")
	}
	r := &core.Request{Op: op, Path: core.P("time", HistoryHour(hour, zone)), Opts: option.Resolve(opts...)}
	raw, err := core.Data[json.RawMessage](ctx, s.c, r)
	if err != nil {
		return nil, err
	}
	// The docs' table says data is {url}; their example, an array of them.
	var links []struct {
		URL string `json:"url"`
	}
	if json.Unmarshal(raw, &links) != nil {
		links = links[:0]
		var one struct {
			URL string `json:"url"`
		}
		if err := json.Unmarshal(raw, &one); err != nil {
			return nil, &core.DecodeError{Op: op.ID, StatusCode: 200, Reason: "data is neither {url} nor a list of them", Err: err}
		}
		links = append(links, one)
	}
	out := make([]HistoryLink, 0, len(links))
	for _, l := range links {
		if l.URL == "" {
			return nil, &core.DecodeError{Op: op.ID, StatusCode: 200, Reason: "a history link without url"}
		}
		out = append(out, HistoryLink{URL: l.URL, Expires: linkExpiry(l.URL)})
	}
	return out, nil
}

// linkExpiry reads the Unix seconds of a signed URL's Expires parameter.
func linkExpiry(raw string) time.Time {
	u, err := url.Parse(raw)
	if err != nil {
		return time.Time{}
	}
	n, err := strconv.ParseInt(u.Query().Get("Expires"), 10, 64)
	if err != nil || n <= 0 {
		return time.Time{}
	}
	return time.Unix(n, 0)
}
