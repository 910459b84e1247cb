package easemob_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/emquota/easemob"
)

func TestConfigPrintsRedacted(t *testing.T) {
	cfg := easemob.Config{AppKey: "o#a", BaseURL: "https://h", ClientID: "id", ClientSecret: "s3cr3t-value", Token: "YWMt-token-value"}
	var logged bytes.Buffer
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("config", "cfg", cfg)
	for _, text := range []string{fmt.Sprint(cfg), fmt.Sprintf("%v", cfg), fmt.Sprintf("%+v", cfg), fmt.Sprintf("%#v", cfg), logged.String()} {
		assert.NotContains(t, text, "s3cr3t-value")
		assert.NotContains(t, text, "YWMt-token-value")
		assert.Contains(t, text, "o#a")
	}
}
