package core

import (
	"context"
	"net/http"
)

// sendUpload sends a call carrying an Upload straight to the HTTP client,
// its multipart body encoded while the transport reads it. resty would
// read an io.Reader body whole first, to replay it on a redirect
// (http.Request.GetBody), holding the file in memory.
func (c *Client) sendUpload(ctx context.Context, r *Request, p *prepared, tok string) (*http.Response, error) {
	body, contentType := streamMultipart(r.Upload)
	req, err := http.NewRequestWithContext(ctx, r.Op.Method, p.url, body)
	if err != nil {
		return nil, err
	}
	for k, vs := range c.http.Header { // the client's own: Accept, User-Agent
		req.Header[k] = append([]string(nil), vs...)
	}
	for k, vs := range callHeader(r, tok) {
		req.Header[k] = vs
	}
	req.Header.Set("Content-Type", contentType)
	if r.Query != nil {
		req.URL.RawQuery = r.Query.Encode()
	}
	return c.http.GetClient().Do(req)
}
