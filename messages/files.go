package messages

import (
	"context"
	"io"
	"net/http"
	"strconv"

	"github.com/emquota/easemob/batch"
	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/core"
	"github.com/emquota/easemob/option"
)

// Attachment is an uploaded file, to send in an image, voice, video or
// file message.
type Attachment struct {
	UUID string
	// ShareSecret must go with downloads of a file uploaded with Restrict
	// (and in the message body's Secret).
	ShareSecret string
	// URL is the file's URL for message bodies.
	URL string
}

// Upload is a file to upload.
type Upload struct {
	// Name is the file name the server records.
	Name string
	// Content is read while it is sent, never held whole in memory.
	Content io.Reader
	// Restrict makes downloads need the share secret (restrict-access;
	// the feature must be enabled for the app).
	Restrict bool
	// ThumbWidth and ThumbHeight size an image's thumbnail in pixels
	// (0: the server's default, 170).
	ThumbWidth, ThumbHeight int
}

type uploadEntity struct {
	UUID        string `json:"uuid"`
	ShareSecret string `json:"share-secret"`
}

// Upload uploads a file (上传文件), streamed as multipart/form-data. Files
// are at most 10 MB unless the app's limit was raised (413 beyond), and
// are kept 7 days by default (see SetLifetime). An upload is never resent:
// its content was read while it was sent.
//
//meta:operation POST /chatfiles (files.Upload)
func (s *Service) Upload(ctx context.Context, f Upload, opts ...option.Call) (*Attachment, error) {
	op := catalog.FilesUpload
	switch {
	case f.Content == nil:
		return nil, core.Invalid(op.ID, "Content", "nil")
	case f.Name == "":
		return nil, core.Invalid(op.ID, "Name", "empty")
	case f.ThumbWidth < 0 || f.ThumbHeight < 0:
		return nil, core.Invalid(op.ID, "ThumbWidth", "negative thumbnail size")
	}
	h := http.Header{}
	if f.Restrict {
		h.Set("restrict-access", "true")
	}
	if f.ThumbWidth > 0 {
		h.Set("thumbnail-width", strconv.Itoa(f.ThumbWidth))
	}
	if f.ThumbHeight > 0 {
		h.Set("thumbnail-height", strconv.Itoa(f.ThumbHeight))
	}
	r := &core.Request{Op: op, Header: h, Opts: option.Resolve(opts...),
		Upload: &core.Upload{Field: "file", Name: f.Name, Content: f.Content}}
	e, err := core.Entity[uploadEntity](ctx, s.c, r)
	if err != nil {
		return nil, err
	}
	if e.UUID == "" {
		return nil, &core.DecodeError{Op: op.ID, StatusCode: 200, Reason: "no uuid in the answer"}
	}
	return &Attachment{UUID: e.UUID, ShareSecret: e.ShareSecret, URL: s.c.AppURL("/chatfiles/" + e.UUID)}, nil
}

// Download writes a file to w as it arrives (下载文件) and returns the
// number of bytes written. secret is the share secret of a file uploaded
// with Restrict, "" otherwise.
//
//meta:operation GET /chatfiles/{file_uuid} (files.Download)
func (s *Service) Download(ctx context.Context, uuid string, w io.Writer, secret string, opts ...option.Call) (int64, error) {
	return s.download(ctx, catalog.FilesDownload, uuid, w, secret, opts)
}

// DownloadThumbnail writes an image's thumbnail to w (下载缩略图). Videos
// have none: their thumbnail is a file of its own.
//
//meta:operation GET /chatfiles/{file_uuid} (files.DownloadThumbnail)
func (s *Service) DownloadThumbnail(ctx context.Context, uuid string, w io.Writer, secret string, opts ...option.Call) (int64, error) {
	return s.download(ctx, catalog.FilesDownloadThumbnail, uuid, w, secret, opts)
}

func (s *Service) download(ctx context.Context, op *catalog.Op, uuid string, w io.Writer, secret string, opts []option.Call) (int64, error) {
	if w == nil {
		return 0, core.Invalid(op.ID, "w", "nil")
	}
	h := http.Header{}
	if secret != "" {
		h.Set("share-secret", secret)
	}
	if op == catalog.FilesDownloadThumbnail {
		h.Set("thumbnail", "true")
	}
	cw := &countingWriter{w: w}
	r := &core.Request{Op: op, Path: core.P("file_uuid", uuid), Header: h, Download: cw, Opts: option.Resolve(opts...)}
	err := s.c.Do(ctx, r)
	return cw.n, err
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// Lifetime is how long attachments are kept.
type Lifetime string

// Attachment lifetimes.
const (
	// LifetimeDefault is the app's configured lifetime (7 days unless raised).
	LifetimeDefault Lifetime = "default"
	// LifetimeRefresh restarts the lifetime from now.
	LifetimeRefresh Lifetime = "refresh"
	// LifetimeForever keeps the attachment for good.
	LifetimeForever Lifetime = "forever"
)

// SetLifetime sets how long attachments (and their thumbnails) are kept
// (设置指定消息附件的存储方式), split into calls of at most 100 files. The
// result has one item per file UUID in input order: Done with the
// server's word (success), Failed when it answered failed or left the file
// out. username is the user on whose behalf it is done. The feature must
// be enabled for the app.
//
//meta:operation PUT /users/{username}/chatfiles/lifetime (files.SetLifetime)
func (s *Service) SetLifetime(ctx context.Context, username string, lifetime Lifetime, uuids []string, opts ...option.Call) (*batch.Result[string, string], error) {
	op := catalog.FilesSetLifetime
	if err := checkUser(op.ID, "username", username); err != nil {
		return nil, err
	}
	switch lifetime {
	case LifetimeDefault, LifetimeRefresh, LifetimeForever:
	default:
		return nil, core.Invalid(op.ID, "lifetime", "%q is not default, refresh or forever", lifetime)
	}
	set := option.Resolve(opts...)
	b := core.Batch[string, string]{
		Op: op, Cap: "chatfile_ids", Field: "uuids",
		Key:   func(id string) string { return id },
		Check: func(id string) error { return checkID(op.ID, "uuid", id) },
		Send: func(ctx context.Context, chunk []string) ([]core.Outcome[string], *core.Request, error) {
			body := map[string]any{"lifetime": lifetime, "chatfile_ids": chunk}
			var out struct {
				Data *map[string]string `json:"data"`
			}
			r := &core.Request{Op: op, Path: core.P("username", username), Body: body, Result: &out, Opts: set}
			if err := s.c.Do(ctx, r); err != nil {
				return nil, r, err
			}
			if out.Data == nil {
				return nil, r, &core.DecodeError{Op: op.ID, StatusCode: 200, Reason: "no data in the answer"}
			}
			outcomes := make([]core.Outcome[string], len(chunk))
			for i, id := range chunk {
				switch word, ok := (*out.Data)[id]; {
				case !ok:
					outcomes[i] = core.Refused[string](core.Omitted)
				case word == "success":
					outcomes[i] = core.Accepted(word)
				default:
					outcomes[i] = core.Refused[string](word)
				}
			}
			return outcomes, r, nil
		},
	}
	return b.Run(ctx, s.c, set.Concurrency, uuids)
}
