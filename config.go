package easemob

import (
	"fmt"
	"log/slog"
)

// redacted stands for a credential in printed configs.
func redacted(s string) string {
	if s == "" {
		return ""
	}
	return "[redacted]"
}

// String prints the config with ClientSecret and Token redacted.
func (c Config) String() string {
	return fmt.Sprintf("easemob.Config{AppKey: %q, BaseURL: %q, ClientID: %q, ClientSecret: %q, Token: %q}",
		c.AppKey, c.BaseURL, c.ClientID, redacted(c.ClientSecret), redacted(c.Token))
}

// GoString is String, so %#v redacts too.
func (c Config) GoString() string { return c.String() }

// LogValue logs the config with its credentials redacted.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("app_key", c.AppKey), slog.String("base_url", c.BaseURL), slog.String("client_id", c.ClientID),
		slog.String("client_secret", redacted(c.ClientSecret)), slog.String("token", redacted(c.Token)))
}
