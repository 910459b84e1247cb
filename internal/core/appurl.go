package core

// AppURL returns the absolute URL of path (relative to the app root, e.g.
// "/chatfiles/uuid"), as message bodies that point at a file need it.
func (c *Client) AppURL(path string) string { return c.root + path }
