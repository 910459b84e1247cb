package core

import (
	"io"
	"mime/multipart"
	"sort"
)

// streamMultipart returns a body that encodes u as multipart/form-data
// while the transport reads it, and its content type. When the transport
// stops reading (an error, a cancelled context) it closes the body and the
// writer stops.
func streamMultipart(u *Upload) (io.Reader, string) {
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		pw.CloseWithError(writeParts(mw, u))
	}()
	return pr, mw.FormDataContentType()
}

func writeParts(mw *multipart.Writer, u *Upload) error {
	keys := make([]string, 0, len(u.Fields))
	for k := range u.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys) // a stable body for the wire snapshots
	for _, k := range keys {
		if err := mw.WriteField(k, u.Fields[k]); err != nil {
			return err
		}
	}
	w, err := mw.CreateFormFile(u.Field, u.Name)
	if err != nil {
		return err
	}
	if _, err := io.Copy(w, u.Content); err != nil {
		return err
	}
	return mw.Close()
}
