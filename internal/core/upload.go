package core

import (
	"context"
	"net/http"
)

// sendUpload sends a call carrying an Upload, its multipart body encoded
// while the transport reads it: the file is never held in memory, and the
// body, read once, cannot be replayed (such a call is never resent).
func (c *Client) sendUpload(ctx context.Context, r *Request, p *prepared, tok string) (*http.Response, error) {
	body, contentType := streamMultipart(r.Upload)
	return c.do(ctx, r, p, tok, body, contentType)
}
