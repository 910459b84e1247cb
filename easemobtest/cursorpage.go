package easemobtest

import "strconv"

// cursorPage reads limit and cursor of a cursor-paged list: limit def when
// absent or below 1, larger values capped at max as the server does.
func cursorPage(q *request, def, max int) (page, *apiError) {
	p := page{limit: def}
	if s := q.r.URL.Query().Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			return p, errIllegalArgument("limit must be an integer: " + s)
		}
		if n >= 1 {
			p.limit = min(n, max)
		}
	}
	if c := q.r.URL.Query().Get("cursor"); c != "" {
		var ok bool
		if p.after, ok = decodeCursor(c); !ok {
			return p, errIllegalArgument("cursor is illegal: " + c)
		}
	}
	return p, nil
}
