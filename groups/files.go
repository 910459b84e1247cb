package groups

import (
	"context"
	"errors"
	"io"
	"iter"

	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/internal/core"
	"github.com/emquota/easemob/option"
)

// FilesParams page through a group's shared files: pages numbered from 1,
// 1 to 1000 files a page (default 1000).
type FilesParams struct {
	PageNum  int
	PageSize int
}

// SharedFiles returns one page of a group's shared files (分页获取群组共享文件).
//
//meta:operation GET /chatgroups/{group_id}/share_files (groups.ListSharedFiles)
func (s *Service) SharedFiles(ctx context.Context, groupID string, p FilesParams, opts ...option.Call) ([]SharedFile, error) {
	r := groupRequest(catalog.GroupsListSharedFiles, groupID, opts)
	r.Query = pageQuery(p.PageNum, p.PageSize)
	return core.Data[[]SharedFile](ctx, s.c, r)
}

// AllSharedFiles walks every shared file of a group from page p.PageNum
// (0 means 1) on.
func (s *Service) AllSharedFiles(ctx context.Context, groupID string, p FilesParams, opts ...option.Call) iter.Seq2[SharedFile, error] {
	return numbered(ctx, max(p.PageNum, 1), p.PageSize, defaultFilesPage, func(f SharedFile) string { return f.ID },
		func(ctx context.Context, num int) ([]SharedFile, error) {
			return s.SharedFiles(ctx, groupID, FilesParams{PageNum: num, PageSize: p.PageSize}, opts...)
		})
}

// UploadSharedFile shares a file in a group (上传群组共享文件), at most 10 MB,
// streamed from content as it is sent. A content that tells its size
// (Len or Size, as *bytes.Reader, *strings.Reader and *os.File's Stat do)
// is checked before any quota is spent; any other is cut off past 10 MB.
// The upload is never resent: its body cannot be read twice.
//
//meta:operation POST /chatgroups/{group_id}/share_files (groups.UploadSharedFile)
func (s *Service) UploadSharedFile(ctx context.Context, groupID, name string, content io.Reader, opts ...option.Call) (*SharedFile, error) {
	op := catalog.GroupsUploadSharedFile
	if name == "" {
		return nil, core.Invalid(op.ID, "name", "empty")
	}
	if content == nil {
		return nil, core.Invalid(op.ID, "content", "nil")
	}
	if n, ok := sizeOf(content); ok && n > maxFileBytes {
		return nil, core.Invalid(op.ID, "content", "%d bytes, at most %d allowed", n, maxFileBytes)
	}
	r := groupRequest(op, groupID, opts)
	r.Upload = &core.Upload{Field: "file", Name: name, Content: &capped{r: content, left: maxFileBytes}}
	data, err := core.Data[SharedFile](ctx, s.c, r)
	if err != nil {
		if errors.Is(err, errTooLarge) {
			return nil, core.Invalid(op.ID, "content", "more than %d bytes", maxFileBytes)
		}
		return nil, err
	}
	return &data, nil
}

// sizeOf returns the size a reader tells.
func sizeOf(r io.Reader) (int64, bool) {
	switch v := r.(type) {
	case interface{ Len() int }:
		return int64(v.Len()), true
	case interface{ Size() int64 }:
		return v.Size(), true
	}
	return 0, false
}

var errTooLarge = errors.New("file larger than the documented 10 MB")

// capped fails a read past left bytes, so an oversized stream stops.
type capped struct {
	r    io.Reader
	left int64
}

func (c *capped) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if c.left -= int64(n); c.left < 0 {
		return n, errTooLarge
	}
	return n, err
}

// DownloadSharedFile writes a shared file to w as it arrives (下载群组共享文件).
//
//meta:operation GET /chatgroups/{group_id}/share_files/{file_id} (groups.DownloadSharedFile)
func (s *Service) DownloadSharedFile(ctx context.Context, groupID, fileID string, w io.Writer, opts ...option.Call) error {
	if w == nil {
		return core.Invalid(catalog.GroupsDownloadSharedFile.ID, "w", "nil")
	}
	r := groupRequest(catalog.GroupsDownloadSharedFile, groupID, opts, "file_id", fileID)
	r.Download = w
	return s.c.Do(ctx, r)
}

// DeleteSharedFile deletes a shared file (删除群组共享文件).
//
//meta:operation DELETE /chatgroups/{group_id}/share_files/{file_id} (groups.DeleteSharedFile)
func (s *Service) DeleteSharedFile(ctx context.Context, groupID, fileID string, opts ...option.Call) (bool, error) {
	return s.flag(ctx, groupRequest(catalog.GroupsDeleteSharedFile, groupID, opts, "file_id", fileID), "result")
}
