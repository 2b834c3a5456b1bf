// Package config loads stretchbot's settings from an optional YAML file and
// the environment (which wins), and validates them. A bad value is reported
// as one line naming the setting and what it accepts.
package config

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/stretchbot/stretchbot/internal/dburl"
	"github.com/stretchbot/stretchbot/internal/secretbox"
	"github.com/stretchbot/stretchbot/internal/zones"
)

// Config is every setting. YAML keys are the environment names in
// snake_case without the STRETCHBOT_ prefix (see yamlConfig).
type Config struct {
	DatabaseURL string
	HTTPAddr    string
	PublicURL   string
	// Timezone is the IANA name of the default zone. Validate reads it as
	// the timezone command does (a city, an abbreviation, an offset) and
	// stores the name, keeping the words given in TimezoneFrom when they
	// differ ("berlin" → Europe/Berlin), for the start-up log.
	Timezone      string
	TimezoneFrom  string
	MinInterval   time.Duration
	CatchupWindow time.Duration
	// Lease is how long an instance holds a claimed run before another
	// instance on the same database may take it over: the longest a run
	// waits after its instance died. A delivery outlasting it may be sent
	// twice, so it stays well above a delivery's time (tests shorten it).
	Lease time.Duration
	// DefaultTime is the time of day, "15:04", given to a date or day said
	// without one ("remind me tomorrow").
	DefaultTime string
	LogLevel    string
	LogFormat   string
	// SecretKey encrypts stored tokens (32 bytes, base64); required with
	// Slack OAuth. SecretKeyPrevious still decrypts during a rotation.
	SecretKey         Secret
	SecretKeyPrevious Secret
	Slack             Slack
	Discord           Discord
	httpAddrWasSet    bool
}

// Slack holds the Slack settings (STRETCHBOT_SLACK_*).
type Slack struct {
	SigningSecret Secret
	BotToken      Secret
	AppToken      Secret
	APIURL        string
	Command       string
	// ClientID and ClientSecret turn on the OAuth install for many
	// workspaces; OAuthURL is Slack's authorize page (tests point it at a
	// fake).
	ClientID     string
	ClientSecret Secret
	OAuthURL     string
}

// OAuth reports whether the Slack OAuth install is configured.
func (s Slack) OAuth() bool { return s.ClientID != "" || s.ClientSecret != "" }

// Discord holds the Discord settings (STRETCHBOT_DISCORD_*).
type Discord struct {
	PublicKey string
	Token     Secret
	AppID     string
	APIURL    string
	GuildID   string
	// Gateway is nil when not set: then it defaults to "a token is set".
	Gateway *bool
}

// Secret is a string that never prints: fmt and slog show "[redacted]".
type Secret string

// String hides the value.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return "[redacted]"
}

// LogValue hides the value from slog (it implements slog.LogValuer).
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// MarshalText hides the value from encoders (JSON logs of a whole struct).
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

var _ slog.LogValuer = Secret("")

// Reveal returns the secret itself, for the one place that needs it.
func (s Secret) Reveal() string { return string(s) }

// SlackEnabled reports whether any Slack transport is configured.
func (c *Config) SlackEnabled() bool {
	return c.Slack.SigningSecret != "" || c.Slack.AppToken != "" || c.Slack.BotToken != "" || c.Slack.OAuth()
}

// DiscordEnabled reports whether Discord is configured.
func (c *Config) DiscordEnabled() bool {
	return c.Discord.PublicKey != "" || c.Discord.Token != ""
}

// DiscordGateway reports whether to open the Discord gateway.
func (c *Config) DiscordGateway() bool {
	if c.Discord.Gateway != nil {
		return *c.Discord.Gateway && c.Discord.Token != ""
	}
	return c.Discord.Token != ""
}

// NeedsHTTP reports whether a configured platform receives webhooks (or,
// for the Slack OAuth install, browsers).
func (c *Config) NeedsHTTP() bool {
	return c.Slack.SigningSecret != "" || c.Discord.PublicKey != "" || c.Slack.OAuth()
}

// SecretBox returns the box that seals stored tokens, or nil when no
// STRETCHBOT_SECRET_KEY is set. Valid after Validate.
func (c *Config) SecretBox() (*secretbox.Box, error) {
	if c.SecretKey == "" {
		return nil, nil
	}
	cur, err := secretbox.ParseKey(c.SecretKey.Reveal())
	if err != nil {
		return nil, &Error{Setting: "STRETCHBOT_SECRET_KEY", Problem: err.Error()}
	}
	var prev []secretbox.Key
	if c.SecretKeyPrevious != "" {
		k, err := secretbox.ParseKey(c.SecretKeyPrevious.Reveal())
		if err != nil {
			return nil, &Error{Setting: "STRETCHBOT_SECRET_KEY_PREVIOUS", Problem: err.Error()}
		}
		prev = append(prev, k)
	}
	return secretbox.New(cur, prev...)
}

// Default returns the documented defaults.
func Default() Config {
	return Config{
		DatabaseURL:   "sqlite://stretchbot.db",
		Timezone:      "UTC",
		MinInterval:   10 * time.Minute,
		CatchupWindow: 15 * time.Minute,
		Lease:         2 * time.Minute,
		DefaultTime:   "09:00",
		LogLevel:      "info",
		LogFormat:     "text",
		Slack:         Slack{APIURL: "https://slack.com/api/", Command: "/stretch", OAuthURL: "https://slack.com/oauth/v2/authorize"},
		Discord:       Discord{APIURL: "https://discord.com"},
	}
}

// Error is a configuration problem; its message names the setting.
type Error struct {
	Setting string
	Problem string
}

func (e *Error) Error() string { return e.Setting + ": " + e.Problem }

// Load reads path (if not empty), then the environment, and validates.
func Load(path string, env func(string) (string, bool)) (Config, error) {
	c := Default()
	var fromFile map[string]bool // STRETCHBOT_ names of the settings the file sets
	if path != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			return c, &Error{Setting: "--config", Problem: fmt.Sprintf("cannot read %s: %v", path, errors.Unwrap(err))}
		}
		if err := scalarValues(data, path); err != nil {
			return c, err
		}
		dec := yaml.NewDecoder(strings.NewReader(string(data)))
		dec.KnownFields(true)
		var y yamlConfig
		if err := dec.Decode(&y); err != nil && !errors.Is(err, io.EOF) {
			msg := oneLine(err.Error())
			if i := strings.Index(msg, " in type config.yamlConfig"); i >= 0 {
				msg = msg[:i] + " (not a known setting)"
			}
			return c, &Error{Setting: "--config", Problem: fmt.Sprintf("%s is not valid: %s", path, strings.TrimPrefix(msg, "yaml: "))}
		}
		if err := y.apply(&c, path); err != nil {
			return c, err
		}
		fromFile = y.set()
	}
	if env == nil {
		env = os.LookupEnv
	}
	env = nonEmpty(env)
	if err := c.applyEnv(env); err != nil {
		return c, err
	}
	err := c.Validate()
	var ce *Error
	if errors.As(err, &ce) && fromFile[ce.Setting] {
		// The value checked is the file's (the environment did not set
		// it): name it as the file spells it.
		if _, inEnv := env(ce.Setting); !inEnv {
			ce.Setting = fileKey(path, ce.Setting)
		}
	}
	return c, err
}

// fileKey names the environment variable setting as the YAML file at path
// spells it: "c.yaml: min_interval".
func fileKey(path, setting string) string {
	return path + ": " + strings.ToLower(strings.TrimPrefix(setting, "STRETCHBOT_"))
}

// scalarValues refuses a setting in the file whose value is a list or a
// map, naming it; the YAML decoder's own message names only a line and
// Go types.
func scalarValues(data []byte, path string) error {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil || len(doc.Content) == 0 {
		return nil // the decoder reports it
	}
	m := doc.Content[0]
	if m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		for v.Kind == yaml.AliasNode && v.Alias != nil {
			v = v.Alias
		}
		if v.Kind != yaml.ScalarNode {
			return &Error{Setting: path + ": " + k.Value, Problem: fmt.Sprintf("line %d: must be one value written after the colon, not a list or a map", v.Line)}
		}
	}
	return nil
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// nonEmpty treats a variable set to "" (or only spaces) as unset, as
// compose files and ${VAR} templates produce.
func nonEmpty(env func(string) (string, bool)) func(string) (string, bool) {
	return func(k string) (string, bool) {
		v, ok := env(k)
		if strings.TrimSpace(v) == "" {
			return "", false
		}
		return v, ok
	}
}

// yamlConfig mirrors Config with strings for durations and booleans so
// that YAML and the environment accept the same spellings.
type yamlConfig struct {
	DatabaseURL        *string `yaml:"database_url"`
	HTTPAddr           *string `yaml:"http_addr"`
	PublicURL          *string `yaml:"public_url"`
	Timezone           *string `yaml:"timezone"`
	MinInterval        *string `yaml:"min_interval"`
	CatchupWindow      *string `yaml:"catchup_window"`
	Lease              *string `yaml:"lease"`
	DefaultTime        *string `yaml:"default_time"`
	LogLevel           *string `yaml:"log_level"`
	LogFormat          *string `yaml:"log_format"`
	SlackSigningSecret *string `yaml:"slack_signing_secret"`
	SlackBotToken      *string `yaml:"slack_bot_token"`
	SlackAppToken      *string `yaml:"slack_app_token"`
	SlackAPIURL        *string `yaml:"slack_api_url"`
	SlackCommand       *string `yaml:"slack_command"`
	SlackClientID      *string `yaml:"slack_client_id"`
	SlackClientSecret  *string `yaml:"slack_client_secret"`
	SlackOAuthURL      *string `yaml:"slack_oauth_url"`
	SecretKey          *string `yaml:"secret_key"`
	SecretKeyPrevious  *string `yaml:"secret_key_previous"`
	DiscordPublicKey   *string `yaml:"discord_public_key"`
	DiscordToken       *string `yaml:"discord_token"`
	DiscordAppID       *string `yaml:"discord_app_id"`
	DiscordAPIURL      *string `yaml:"discord_api_url"`
	DiscordGuildID     *string `yaml:"discord_guild_id"`
	DiscordGateway     *string `yaml:"discord_gateway"`
}

// fields maps each setting's environment name, without the prefix, to the
// file's value.
func (y yamlConfig) fields() map[string]*string {
	return map[string]*string{
		"DATABASE_URL": y.DatabaseURL, "HTTP_ADDR": y.HTTPAddr, "PUBLIC_URL": y.PublicURL, "TIMEZONE": y.Timezone,
		"MIN_INTERVAL": y.MinInterval, "CATCHUP_WINDOW": y.CatchupWindow, "LEASE": y.Lease, "DEFAULT_TIME": y.DefaultTime, "LOG_LEVEL": y.LogLevel, "LOG_FORMAT": y.LogFormat,
		"SLACK_SIGNING_SECRET": y.SlackSigningSecret, "SLACK_BOT_TOKEN": y.SlackBotToken, "SLACK_APP_TOKEN": y.SlackAppToken,
		"SLACK_API_URL": y.SlackAPIURL, "SLACK_COMMAND": y.SlackCommand, "SLACK_CLIENT_ID": y.SlackClientID,
		"SLACK_CLIENT_SECRET": y.SlackClientSecret, "SLACK_OAUTH_URL": y.SlackOAuthURL,
		"SECRET_KEY": y.SecretKey, "SECRET_KEY_PREVIOUS": y.SecretKeyPrevious,
		"DISCORD_PUBLIC_KEY": y.DiscordPublicKey, "DISCORD_TOKEN": y.DiscordToken, "DISCORD_APP_ID": y.DiscordAppID,
		"DISCORD_API_URL": y.DiscordAPIURL, "DISCORD_GUILD_ID": y.DiscordGuildID, "DISCORD_GATEWAY": y.DiscordGateway,
	}
}

func (y yamlConfig) apply(c *Config, path string) error {
	get := y.fields()
	err := c.applyEnv(func(k string) (string, bool) {
		p := get[strings.TrimPrefix(k, "STRETCHBOT_")]
		if p == nil {
			return "", false
		}
		return os.ExpandEnv(*p), strings.TrimSpace(os.ExpandEnv(*p)) != ""
	})
	var ce *Error
	if errors.As(err, &ce) {
		// Name the setting as the file spells it.
		ce.Setting = fileKey(path, ce.Setting)
	}
	return err
}

// set returns the STRETCHBOT_ names of the settings the file gives a
// value.
func (y yamlConfig) set() map[string]bool {
	out := map[string]bool{}
	for k, p := range y.fields() {
		if p != nil && strings.TrimSpace(os.ExpandEnv(*p)) != "" {
			out["STRETCHBOT_"+k] = true
		}
	}
	return out
}

// applyEnv reads every STRETCHBOT_* variable that is set.
func (c *Config) applyEnv(env func(string) (string, bool)) error {
	str := func(key string, dst *string) {
		if v, ok := env("STRETCHBOT_" + key); ok {
			*dst = strings.TrimSpace(v)
		}
	}
	sec := func(key string, dst *Secret) {
		if v, ok := env("STRETCHBOT_" + key); ok {
			*dst = Secret(strings.TrimSpace(v))
		}
	}
	dur := func(key string, dst *time.Duration) error {
		v, ok := env("STRETCHBOT_" + key)
		if !ok {
			return nil
		}
		d, err := time.ParseDuration(strings.TrimSpace(v))
		if err != nil {
			return &Error{Setting: "STRETCHBOT_" + key, Problem: fmt.Sprintf("%q is not a duration; use Go syntax like 10m, 90s or 1h30m", v)}
		}
		*dst = d
		return nil
	}
	str("DATABASE_URL", &c.DatabaseURL)
	if v, ok := env("STRETCHBOT_HTTP_ADDR"); ok {
		c.HTTPAddr, c.httpAddrWasSet = strings.TrimSpace(v), true
	}
	str("PUBLIC_URL", &c.PublicURL)
	str("TIMEZONE", &c.Timezone)
	str("DEFAULT_TIME", &c.DefaultTime)
	str("LOG_LEVEL", &c.LogLevel)
	str("LOG_FORMAT", &c.LogFormat)
	sec("SLACK_SIGNING_SECRET", &c.Slack.SigningSecret)
	sec("SLACK_BOT_TOKEN", &c.Slack.BotToken)
	sec("SLACK_APP_TOKEN", &c.Slack.AppToken)
	str("SLACK_API_URL", &c.Slack.APIURL)
	str("SLACK_COMMAND", &c.Slack.Command)
	str("SLACK_CLIENT_ID", &c.Slack.ClientID)
	sec("SLACK_CLIENT_SECRET", &c.Slack.ClientSecret)
	str("SLACK_OAUTH_URL", &c.Slack.OAuthURL)
	sec("SECRET_KEY", &c.SecretKey)
	sec("SECRET_KEY_PREVIOUS", &c.SecretKeyPrevious)
	str("DISCORD_PUBLIC_KEY", &c.Discord.PublicKey)
	sec("DISCORD_TOKEN", &c.Discord.Token)
	str("DISCORD_APP_ID", &c.Discord.AppID)
	str("DISCORD_API_URL", &c.Discord.APIURL)
	str("DISCORD_GUILD_ID", &c.Discord.GuildID)
	if v, ok := env("STRETCHBOT_DISCORD_GATEWAY"); ok {
		b, err := strconv.ParseBool(strings.TrimSpace(v))
		if err != nil {
			return &Error{Setting: "STRETCHBOT_DISCORD_GATEWAY", Problem: fmt.Sprintf("%q is not true or false", v)}
		}
		c.Discord.Gateway = &b
	}
	if err := dur("MIN_INTERVAL", &c.MinInterval); err != nil {
		return err
	}
	if err := dur("LEASE", &c.Lease); err != nil {
		return err
	}
	return dur("CATCHUP_WINDOW", &c.CatchupWindow)
}

// Location returns the default zone (valid after Validate).
func (c *Config) Location() *time.Location {
	loc, err := time.LoadLocation(c.Timezone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// Validate checks every setting and fills derived defaults (the HTTP
// address when a webhook platform is configured).
func (c *Config) Validate() error {
	if !c.httpAddrWasSet && c.HTTPAddr == "" && c.NeedsHTTP() {
		c.HTTPAddr = ":8080"
	}
	// The store opens exactly what dburl accepts, so checking here means a
	// URL refused at start-up is refused with the setting's name.
	if _, err := dburl.Parse(c.DatabaseURL); err != nil {
		return &Error{Setting: "STRETCHBOT_DATABASE_URL", Problem: err.Error()}
	}
	if c.HTTPAddr != "" {
		if _, _, err := net.SplitHostPort(c.HTTPAddr); err != nil {
			return &Error{Setting: "STRETCHBOT_HTTP_ADDR", Problem: fmt.Sprintf("%q is not host:port; use :8080 or 127.0.0.1:8080", c.HTTPAddr)}
		}
	}
	if c.PublicURL != "" {
		if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return &Error{Setting: "STRETCHBOT_PUBLIC_URL", Problem: "must be an http(s) URL such as https://stretch.example.com"}
		}
	}
	if c.Timezone == "" || strings.EqualFold(c.Timezone, "local") {
		return &Error{Setting: "STRETCHBOT_TIMEZONE", Problem: "must be an IANA zone such as UTC or Europe/Berlin"}
	}
	// The words `timezone` takes work here too ("berlin", "PST"); the
	// IANA name they stand for is what is kept.
	m, err := zones.Lookup(c.Timezone)
	var miss *zones.Miss
	switch {
	case errors.As(err, &miss) && len(miss.Suggestions) > 0:
		return &Error{Setting: "STRETCHBOT_TIMEZONE", Problem: fmt.Sprintf("%q is not a time zone; did you mean %s?", c.Timezone, strings.Join(miss.Suggestions, " or "))}
	case err != nil:
		return &Error{Setting: "STRETCHBOT_TIMEZONE", Problem: fmt.Sprintf("%q is not a time zone; use an IANA name such as UTC or Europe/Berlin, a city or an abbreviation", c.Timezone)}
	}
	if m.Name != c.Timezone {
		c.TimezoneFrom = c.Timezone
	}
	c.Timezone = m.Name
	if c.MinInterval < time.Second || c.MinInterval > 24*time.Hour {
		return &Error{Setting: "STRETCHBOT_MIN_INTERVAL", Problem: fmt.Sprintf("%s is out of range; use 1s to 24h", c.MinInterval)}
	}
	t, err := time.Parse("15:04", c.DefaultTime)
	if err != nil {
		return &Error{Setting: "STRETCHBOT_DEFAULT_TIME", Problem: fmt.Sprintf("%q is not a time of day; use 24-hour HH:MM like 09:00", c.DefaultTime)}
	}
	c.DefaultTime = t.Format("15:04")
	if c.CatchupWindow < 0 || c.CatchupWindow > 7*24*time.Hour {
		return &Error{Setting: "STRETCHBOT_CATCHUP_WINDOW", Problem: fmt.Sprintf("%s is out of range; use 0s to 168h", c.CatchupWindow)}
	}
	// Below a few seconds a slow post could outlast its claim and be sent
	// twice; above an hour a crashed instance's runs wait that long.
	if c.Lease < 2*time.Second || c.Lease > time.Hour {
		return &Error{Setting: "STRETCHBOT_LEASE", Problem: fmt.Sprintf("%s is out of range; use 2s to 1h", c.Lease)}
	}
	switch strings.ToLower(c.LogLevel) {
	case "debug", "info", "warn", "warning", "error":
	default:
		return &Error{Setting: "STRETCHBOT_LOG_LEVEL", Problem: fmt.Sprintf("%q is not debug, info, warn or error", c.LogLevel)}
	}
	switch strings.ToLower(c.LogFormat) {
	case "text", "json":
	default:
		return &Error{Setting: "STRETCHBOT_LOG_FORMAT", Problem: fmt.Sprintf("%q is not text or json", c.LogFormat)}
	}
	for _, u := range []struct{ key, val string }{{"STRETCHBOT_SLACK_API_URL", c.Slack.APIURL}, {"STRETCHBOT_SLACK_OAUTH_URL", c.Slack.OAuthURL}, {"STRETCHBOT_DISCORD_API_URL", c.Discord.APIURL}} {
		if p, err := url.Parse(u.val); err != nil || (p.Scheme != "https" && p.Scheme != "http") || p.Host == "" {
			return &Error{Setting: u.key, Problem: fmt.Sprintf("%q is not an http(s) URL", u.val)}
		}
	}
	if c.Slack.Command == "" || !strings.HasPrefix(c.Slack.Command, "/") || strings.ContainsAny(c.Slack.Command, " \t") {
		return &Error{Setting: "STRETCHBOT_SLACK_COMMAND", Problem: "must start with / and have no spaces, like /stretch"}
	}
	if c.Slack.BotToken != "" && !strings.HasPrefix(string(c.Slack.BotToken), "xoxb-") {
		return &Error{Setting: "STRETCHBOT_SLACK_BOT_TOKEN", Problem: "must be a bot token starting with xoxb-"}
	}
	if c.Slack.AppToken != "" && !strings.HasPrefix(string(c.Slack.AppToken), "xapp-") {
		return &Error{Setting: "STRETCHBOT_SLACK_APP_TOKEN", Problem: "must be an app-level token starting with xapp-"}
	}
	if _, err := c.SecretBox(); err != nil {
		return err
	}
	if c.Discord.PublicKey != "" {
		if k := c.Discord.PublicKey; len(k) != 64 || strings.Trim(strings.ToLower(k), "0123456789abcdef") != "" {
			return &Error{Setting: "STRETCHBOT_DISCORD_PUBLIC_KEY", Problem: "must be the 64-character hex public key from the Discord developer portal"}
		}
	}
	if c.Discord.AppID != "" {
		if _, err := strconv.ParseUint(c.Discord.AppID, 10, 64); err != nil {
			return &Error{Setting: "STRETCHBOT_DISCORD_APP_ID", Problem: "must be the numeric application id"}
		}
	}
	return nil
}

// CheckRun checks what running the bot needs beyond valid values: the
// settings that only work together. Sub-commands such as `slack manifest`
// skip it, because the manifest is how one gets the tokens.
func (c *Config) CheckRun() error {
	if c.Slack.OAuth() {
		switch {
		case c.Slack.ClientID == "":
			return &Error{Setting: "STRETCHBOT_SLACK_CLIENT_ID", Problem: "is required with STRETCHBOT_SLACK_CLIENT_SECRET (Basic Information → App Credentials)"}
		case c.Slack.ClientSecret == "":
			return &Error{Setting: "STRETCHBOT_SLACK_CLIENT_SECRET", Problem: "is required with STRETCHBOT_SLACK_CLIENT_ID (Basic Information → App Credentials)"}
		case c.SecretKey == "":
			return &Error{Setting: "STRETCHBOT_SECRET_KEY", Problem: "is required with the Slack OAuth install, to encrypt stored tokens; generate one with: openssl rand -base64 32"}
		case c.Slack.SigningSecret == "" && c.Slack.AppToken == "":
			return &Error{Setting: "STRETCHBOT_SLACK_SIGNING_SECRET", Problem: "is required with the Slack OAuth install (or STRETCHBOT_SLACK_APP_TOKEN for Socket Mode), to receive commands"}
		}
		return nil
	}
	if (c.Slack.SigningSecret != "" || c.Slack.AppToken != "") && c.Slack.BotToken == "" {
		return &Error{Setting: "STRETCHBOT_SLACK_BOT_TOKEN", Problem: "is required with the signing secret or app token (replies and deliveries are posted with it), unless STRETCHBOT_SLACK_CLIENT_ID and _CLIENT_SECRET install the app per workspace"}
	}
	return nil
}
