package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/redis/go-redis/v9"

	"github.com/emquota/easemob"
	"github.com/emquota/easemob/internal/catalog"
	"github.com/emquota/easemob/observe"
	"github.com/emquota/easemob/ratelimit"
	"github.com/emquota/easemob/ratelimit/redisstore"
)

const connectionHelp = `Connection: each setting comes from its flag, else the environment, else the
config file (--config, else $EASEMOB_CONFIG, else ~/.config/easemob/config.json
when it exists):
  --app-key        EASEMOB_APP_KEY        app_key         org#app
  --base-url       EASEMOB_BASE_URL       base_url        e.g. https://a1.easemob.com
  --client-id      EASEMOB_CLIENT_ID      client_id
  --client-secret  EASEMOB_CLIENT_SECRET  client_secret   never printed
  --token          EASEMOB_TOKEN          token           a fixed app token instead; never printed
  --redis-url      REDIS_URL              redis_url       share the App Key's budget with other processes
  --quota G=LIMITS                        quotas          {"users.get": "200/s"}: a plan's own figures
  --profile        EASEMOB_QUOTA_PROFILE  profile         the quota table kept to (default documented)
  --log-level      EASEMOB_LOG_LEVEL      log_level       debug, info, warn (default), error or off
The file is JSON with the keys above.`

// settings are what a command needs to reach a server.
type settings struct {
	AppKey       string            `json:"app_key,omitempty"`
	BaseURL      string            `json:"base_url,omitempty"`
	ClientID     string            `json:"client_id,omitempty"`
	ClientSecret string            `json:"client_secret,omitempty"`
	Token        string            `json:"token,omitempty"`
	RedisURL     string            `json:"redis_url,omitempty"`
	Quotas       map[string]string `json:"quotas,omitempty"`
	LogLevel     string            `json:"log_level,omitempty"`
	Profile      string            `json:"profile,omitempty"`
}

// setting names one field of settings with its flag and variable.
type setting struct {
	flag, env string
	field     func(*settings) *string
	secret    bool
}

var settingList = []setting{
	{"app-key", "EASEMOB_APP_KEY", func(s *settings) *string { return &s.AppKey }, false},
	{"base-url", "EASEMOB_BASE_URL", func(s *settings) *string { return &s.BaseURL }, false},
	{"client-id", "EASEMOB_CLIENT_ID", func(s *settings) *string { return &s.ClientID }, false},
	{"client-secret", "EASEMOB_CLIENT_SECRET", func(s *settings) *string { return &s.ClientSecret }, true},
	{"token", "EASEMOB_TOKEN", func(s *settings) *string { return &s.Token }, true},
	{"redis-url", "REDIS_URL", func(s *settings) *string { return &s.RedisURL }, true},
	{"log-level", "EASEMOB_LOG_LEVEL", func(s *settings) *string { return &s.LogLevel }, false},
	{"profile", "EASEMOB_QUOTA_PROFILE", func(s *settings) *string { return &s.Profile }, false},
}

// connection is how a command reaches the server: the settings resolved
// from flags, environment and file, and what is built from them.
type connection struct {
	flags      settings
	configPath string
	quotaFlags quotaFlag

	settings settings
	sources  map[string]string // flag name -> where its value came from
	stderr   io.Writer

	reg     *ratelimit.Registry
	redis   *redis.Client
	store   *redisstore.Store
	clients []*easemob.Client
}

// connectionFlags declares the connection flags on fs.
func connectionFlags(fs *flag.FlagSet) *connection {
	c := &connection{quotaFlags: quotaFlag{}}
	for _, s := range settingList {
		fs.StringVar(s.field(&c.flags), s.flag, "", "see Connection below")
	}
	fs.StringVar(&c.configPath, "config", "", "JSON config file")
	fs.Var(c.quotaFlags, "quota", "GROUP=LIMITS: the quota the client keeps to for a group, e.g. users.get=200/s (repeatable)")
	return c
}

// resolve fills c.settings: each from its flag, else the environment, else
// the config file.
func (c *connection) resolve(env func(string) string, stderr io.Writer) error {
	c.stderr = stderr
	c.sources = map[string]string{}
	path, explicit := c.configPath, c.configPath != ""
	if !explicit {
		path, explicit = env("EASEMOB_CONFIG"), env("EASEMOB_CONFIG") != ""
	}
	if !explicit {
		path = defaultConfigPath(env)
	}
	var file settings
	if path != "" {
		err := readConfig(path, &file, stderr)
		switch {
		case err == nil:
		case !explicit && errors.Is(err, fs.ErrNotExist):
			path = ""
		case errors.As(err, new(*configError)):
			return err
		default:
			return configf("%v", err)
		}
	}
	for _, s := range settingList {
		dst := s.field(&c.settings)
		switch {
		case *s.field(&c.flags) != "":
			*dst, c.sources[s.flag] = *s.field(&c.flags), "flag --"+s.flag
		case env(s.env) != "":
			*dst, c.sources[s.flag] = env(s.env), "environment "+s.env
		case *s.field(&file) != "":
			*dst, c.sources[s.flag] = *s.field(&file), "file "+path
		}
	}
	c.settings.Quotas = map[string]string{}
	for g, q := range file.Quotas {
		c.settings.Quotas[g] = q
		c.sources["quota "+g] = "file " + path
	}
	for g, q := range c.quotaFlags {
		c.settings.Quotas[g] = q
		c.sources["quota "+g] = "flag --quota"
	}
	if _, err := quotas(c.settings.Quotas, knownGroup); err != nil {
		return configf("%v", err)
	}
	if _, err := profileOf(c.settings.Profile); err != nil {
		return err
	}
	_, err := c.logger()
	return err
}

func knownGroup(g string) bool { _, ok := catalog.GroupByName(g); return ok }

func defaultConfigPath(env func(string) string) string {
	if dir := env("XDG_CONFIG_HOME"); dir != "" {
		return filepath.Join(dir, "easemob", "config.json")
	}
	if home := env("HOME"); home != "" {
		return filepath.Join(home, ".config", "easemob", "config.json")
	}
	return ""
}

func readConfig(path string, into *settings, stderr io.Writer) error {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("config file %s: %w", path, err)
		}
		return configf("config file: %v", err)
	}
	defer func() { _ = f.Close() }() // read only
	dec := json.NewDecoder(f)
	dec.DisallowUnknownFields()
	if err := dec.Decode(into); err != nil {
		return configf("config file %s: %v", path, err)
	}
	if st, err := f.Stat(); err == nil && st.Mode().Perm()&0o077 != 0 && (into.ClientSecret != "" || into.Token != "") {
		fmt.Fprintf(stderr, "easemob: warning: %s holds a credential and is readable by others (chmod 600 it)\n", path)
	}
	return nil
}

// logger returns the SDK's logger at the configured level (warn by
// default; "off" logs nothing), writing text to stderr.
func (c *connection) logger() (*slog.Logger, error) {
	var level slog.Level
	switch strings.ToLower(c.settings.LogLevel) {
	case "off", "none":
		return slog.New(slog.DiscardHandler), nil
	case "", "warn":
		level = slog.LevelWarn
	default:
		if err := level.UnmarshalText([]byte(c.settings.LogLevel)); err != nil {
			return nil, configf("log level %q: want debug, info, warn, error or off", c.settings.LogLevel)
		}
	}
	return slog.New(slog.NewTextHandler(c.stderr, &slog.HandlerOptions{Level: level})), nil
}

// registry returns the quota registry every client of the command shares:
// in-process, or through Redis when a Redis URL is set, with the
// configured overrides.
func (c *connection) registry() (*ratelimit.Registry, error) {
	if c.reg != nil {
		return c.reg, nil
	}
	var opts []ratelimit.Option
	if c.settings.RedisURL != "" {
		ro, err := redis.ParseURL(c.settings.RedisURL)
		if err != nil {
			return nil, configf("Redis URL: %v", redacted(err.Error(), c.settings.RedisURL))
		}
		c.redis = redis.NewClient(ro)
		c.store = redisstore.New(c.redis)
		log, _ := c.logger()
		// Fail closed: a job that cannot see the shared budget must not spend it alone.
		opts = append(opts, ratelimit.WithStore(c.store, ratelimit.FailurePolicy{}), ratelimit.WithLogger(log))
	}
	profile, err := profileOf(c.settings.Profile)
	if err != nil {
		return nil, err
	}
	// The profile seeds the registry, so pooled groups share one limiter.
	reg := easemob.NewRegistryFor(profile, opts...)
	qs, err := quotas(c.settings.Quotas, knownGroup)
	if err != nil {
		return nil, configf("%v", err)
	}
	for _, q := range qs {
		if err := reg.Override(c.settings.AppKey, q); err != nil {
			return nil, configf("%v", err)
		}
	}
	c.reg = reg
	return reg, nil
}

// client returns a client of the configured server; obs may be nil.
func (c *connection) client(obs observe.Observer) (*easemob.Client, error) {
	s := c.settings
	var missing []string
	for _, need := range []struct{ name, val string }{{"--app-key", s.AppKey}, {"--base-url", s.BaseURL}} {
		if need.val == "" {
			missing = append(missing, need.name)
		}
	}
	if s.Token == "" && (s.ClientID == "" || s.ClientSecret == "") {
		missing = append(missing, "--client-id and --client-secret (or --token)")
	}
	if len(missing) > 0 {
		return nil, configf("missing %s (flags, environment or config file: see --help)", strings.Join(missing, ", "))
	}
	reg, err := c.registry()
	if err != nil {
		return nil, err
	}
	log, err := c.logger()
	if err != nil {
		return nil, err
	}
	cl, err := easemob.New(easemob.Config{
		AppKey: s.AppKey, BaseURL: s.BaseURL, ClientID: s.ClientID, ClientSecret: s.ClientSecret, Token: s.Token,
		Registry: reg, Observer: obs, Logger: log, UserAgent: "easemob-cli",
	})
	if err != nil {
		return nil, configf("%v", err)
	}
	c.clients = append(c.clients, cl)
	return cl, nil
}

// close releases the clients and the Redis connection.
func (c *connection) close() {
	for _, cl := range c.clients {
		_ = cl.Close()
	}
	if c.redis != nil {
		if c.reg != nil {
			_ = c.reg.Warm(context.Background()) // bounded by the warm-up's own deadline
		}
		_ = c.redis.Close()
	}
}

// redacted removes the secret values from text.
func redacted(text string, secrets ...string) string {
	for _, s := range secrets {
		if s != "" {
			text = strings.ReplaceAll(text, s, "[redacted]")
		}
	}
	return text
}
