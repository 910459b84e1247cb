package messages

import (
	"encoding/json"
	"regexp"
	"strconv"
)

// Message is one message: a body of one type and its extension fields.
// Build one with Text, Image, Voice, Video, File, Location, Command or
// Custom, and set Ext on it when needed:
//
//	m := messages.Text("hello")
//	m.Ext = map[string]any{"em_ignore_notification": true} // no offline push
//
// The interface is sealed: only the body types of this package implement it.
type Message interface {
	// Type is the message type on the wire: txt, img, audio, video, file,
	// loc, cmd or custom.
	Type() string
	extension() map[string]any
	check() string // the first broken documented rule, or ""
}

// Extension holds a message's extension fields (ext), sent beside the
// body. Every body type embeds it.
type Extension struct {
	// Ext is a JSON object of any fields; nil sends none.
	// "em_ignore_notification": true sends the message without offline push.
	Ext map[string]any `json:"-"`
}

func (e Extension) extension() map[string]any { return e.Ext }

// TextBody is a text message (txt).
type TextBody struct {
	Extension
	Msg string `json:"msg"`
}

// Text is a text message.
func Text(msg string) TextBody { return TextBody{Msg: msg} }

// Type returns "txt".
func (TextBody) Type() string { return "txt" }

func (b TextBody) check() string { return required("msg", b.Msg) }

// ImageSize is an image's size in pixels.
type ImageSize struct {
	Width  int `json:"width"`
	Height int `json:"height"`
}

// ImageBody is an image message (img).
type ImageBody struct {
	Extension
	// URL is the uploaded file's, e.g. Attachment.URL.
	URL string `json:"url"`
	// Filename is shown by clients; without it they show no name.
	Filename string `json:"filename,omitempty"`
	// Secret is the share secret of a file uploaded with restricted access.
	Secret string     `json:"secret,omitempty"`
	Size   *ImageSize `json:"size,omitempty"`
}

// Image is an image message of an uploaded file.
func Image(url, filename string) ImageBody { return ImageBody{URL: url, Filename: filename} }

// Type returns "img".
func (ImageBody) Type() string { return "img" }

func (b ImageBody) check() string { return required("url", b.URL) }

// VoiceBody is a voice message (audio).
type VoiceBody struct {
	Extension
	URL      string `json:"url"`
	Filename string `json:"filename,omitempty"`
	Secret   string `json:"secret,omitempty"`
	// Length is the duration in seconds.
	Length int `json:"length,omitempty"`
}

// Voice is a voice message of an uploaded file lasting seconds.
func Voice(url, filename string, seconds int) VoiceBody {
	return VoiceBody{URL: url, Filename: filename, Length: seconds}
}

// Type returns "audio".
func (VoiceBody) Type() string { return "audio" }

func (b VoiceBody) check() string { return required("url", b.URL) }

// VideoBody is a video message (video).
type VideoBody struct {
	Extension
	URL      string `json:"url"`
	Filename string `json:"filename,omitempty"`
	Secret   string `json:"secret,omitempty"`
	// Thumb is the URL of a thumbnail uploaded as a file of its own;
	// ThumbSecret its share secret.
	Thumb       string `json:"thumb,omitempty"`
	ThumbSecret string `json:"thumb_secret,omitempty"`
	// Length is the duration in seconds, FileLength the size in bytes.
	Length     int   `json:"length,omitempty"`
	FileLength int64 `json:"file_length,omitempty"`
}

// Video is a video message of an uploaded file lasting seconds.
func Video(url, filename string, seconds int) VideoBody {
	return VideoBody{URL: url, Filename: filename, Length: seconds}
}

// Type returns "video".
func (VideoBody) Type() string { return "video" }

func (b VideoBody) check() string { return required("url", b.URL) }

// FileBody is a file message (file).
type FileBody struct {
	Extension
	URL      string `json:"url"`
	Filename string `json:"filename,omitempty"`
	Secret   string `json:"secret,omitempty"`
}

// File is a file message of an uploaded file.
func File(url, filename string) FileBody { return FileBody{URL: url, Filename: filename} }

// Type returns "file".
func (FileBody) Type() string { return "file" }

func (b FileBody) check() string { return required("url", b.URL) }

// LocationBody is a location message (loc).
type LocationBody struct {
	Extension
	// Lat and Lng are in degrees; they go on the wire as strings, as
	// documented.
	Lat, Lng float64
	Addr     string
}

// Location is a location message.
func Location(lat, lng float64, addr string) LocationBody {
	return LocationBody{Lat: lat, Lng: lng, Addr: addr}
}

// Type returns "loc".
func (LocationBody) Type() string { return "loc" }

func (b LocationBody) check() string { return required("addr", b.Addr) }

// MarshalJSON writes lat and lng as the documented strings.
func (b LocationBody) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]string{
		"lat": strconv.FormatFloat(b.Lat, 'f', -1, 64), "lng": strconv.FormatFloat(b.Lng, 'f', -1, 64), "addr": b.Addr,
	})
}

// CommandBody is a command message (cmd): delivered to clients, never shown.
type CommandBody struct {
	Extension
	Action string `json:"action"`
}

// Command is a command message.
func Command(action string) CommandBody { return CommandBody{Action: action} }

// Type returns "cmd".
func (CommandBody) Type() string { return "cmd" }

func (b CommandBody) check() string { return required("action", b.Action) }

// CustomBody is a custom message (custom).
type CustomBody struct {
	Extension
	// Event is the custom event: 1 to 32 of a-z A-Z 0-9 - _ / . (optional).
	Event string `json:"customEvent,omitempty"`
	// Exts are at most 16 string fields.
	Exts map[string]string `json:"customExts,omitempty"`
}

// Custom is a custom message.
func Custom(event string, exts map[string]string) CustomBody {
	return CustomBody{Event: event, Exts: exts}
}

// Type returns "custom".
func (CustomBody) Type() string { return "custom" }

// Documented bounds of custom messages.
const (
	MaxCustomExts = 16
)

var customEvent = regexp.MustCompile(`^[a-zA-Z0-9\-_/.]{1,32}$`)

func (b CustomBody) check() string {
	switch {
	case b.Event != "" && !customEvent.MatchString(b.Event):
		return "customEvent " + strconv.Quote(b.Event) + " is not 1 to 32 of a-z A-Z 0-9 - _ / ."
	case len(b.Exts) > MaxCustomExts:
		return "customExts has " + strconv.Itoa(len(b.Exts)) + " entries, at most " + strconv.Itoa(MaxCustomExts) + " allowed"
	}
	return ""
}

func required(field, v string) string {
	if v == "" {
		return field + " is required"
	}
	return ""
}
