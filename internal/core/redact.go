package core

import (
	"regexp"
	"strings"
	"sync"
)

// maxErrorText bounds text copied from a server body into an error: a huge
// body must not become a huge message.
const maxErrorText = 512

// tokenRE matches Easemob tokens (app and user tokens start with "YWMt"),
// so a token the server echoes is removed even when this client never saw it.
var tokenRE = regexp.MustCompile(`YWMt[A-Za-z0-9_\-]{8,}`)

// redactor removes credentials from text: the client secret, the static
// token and the last tokens fetched.
type redactor struct {
	secret, static string

	mu     sync.Mutex
	tokens []string
}

const keptTokens = 4

func (r *redactor) add(tok string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.tokens = append(r.tokens, tok)
	if len(r.tokens) > keptTokens {
		r.tokens = r.tokens[len(r.tokens)-keptTokens:]
	}
}

// clean returns s bounded and with every credential replaced.
func (r *redactor) clean(s string) string {
	r.mu.Lock()
	known := append([]string{r.secret, r.static}, r.tokens...)
	r.mu.Unlock()
	for _, k := range known {
		if k != "" {
			s = strings.ReplaceAll(s, k, "[redacted]")
		}
	}
	s = tokenRE.ReplaceAllString(s, "[redacted]")
	if len(s) > maxErrorText {
		cut := maxErrorText
		for cut > 0 && s[cut]&0xC0 == 0x80 { // keep whole UTF-8 characters
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}
