package config

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func env(kv ...string) func(string) (string, bool) {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestDefaults(t *testing.T) {
	c, err := Load("", env())
	if err != nil {
		t.Fatal(err)
	}
	if c.DatabaseURL != "sqlite://stretchbot.db" || c.Timezone != "UTC" || c.MinInterval != 10*time.Minute ||
		c.CatchupWindow != 15*time.Minute || c.Lease != 2*time.Minute || c.DefaultTime != "09:00" || c.HTTPAddr != "" || c.Slack.Command != "/stretch" || c.SlackEnabled() || c.DiscordEnabled() {
		t.Errorf("defaults = %+v", c)
	}
}

func TestEnvironment(t *testing.T) {
	tests := []struct {
		name    string
		env     []string
		check   func(Config) bool
		wantErr string
	}{
		{"http on with slack", []string{"STRETCHBOT_SLACK_SIGNING_SECRET", "s", "STRETCHBOT_SLACK_BOT_TOKEN", "xoxb-1"},
			func(c Config) bool { return c.HTTPAddr == ":8080" && c.SlackEnabled() }, ""},
		{"socket mode needs no http", []string{"STRETCHBOT_SLACK_APP_TOKEN", "xapp-1", "STRETCHBOT_SLACK_BOT_TOKEN", "xoxb-1"},
			func(c Config) bool { return c.HTTPAddr == "" }, ""},
		{"discord gateway defaults on with a token", []string{"STRETCHBOT_DISCORD_TOKEN", "t"},
			func(c Config) bool { return c.DiscordGateway() }, ""},
		{"discord gateway off", []string{"STRETCHBOT_DISCORD_TOKEN", "t", "STRETCHBOT_DISCORD_GATEWAY", "false"},
			func(c Config) bool { return !c.DiscordGateway() }, ""},
		{"empty means unset", []string{"STRETCHBOT_TIMEZONE", "  ", "STRETCHBOT_MIN_INTERVAL", ""},
			func(c Config) bool { return c.Timezone == "UTC" && c.MinInterval == 10*time.Minute }, ""},
		{"min interval", []string{"STRETCHBOT_MIN_INTERVAL", "1s"}, func(c Config) bool { return c.MinInterval == time.Second }, ""},
		{"bad duration", []string{"STRETCHBOT_CATCHUP_WINDOW", "soon"}, nil, "STRETCHBOT_CATCHUP_WINDOW"},
		{"lease", []string{"STRETCHBOT_LEASE", "3s"}, func(c Config) bool { return c.Lease == 3*time.Second }, ""},
		{"lease not a duration", []string{"STRETCHBOT_LEASE", "3"}, nil, "STRETCHBOT_LEASE"},
		{"lease too short", []string{"STRETCHBOT_LEASE", "500ms"}, nil, "STRETCHBOT_LEASE"},
		{"lease too long", []string{"STRETCHBOT_LEASE", "2h"}, nil, "STRETCHBOT_LEASE"},
		{"default time", []string{"STRETCHBOT_DEFAULT_TIME", "8:30"}, func(c Config) bool { return c.DefaultTime == "08:30" }, ""},
		{"default time midnight", []string{"STRETCHBOT_DEFAULT_TIME", "00:00"}, func(c Config) bool { return c.DefaultTime == "00:00" }, ""},
		{"bad default time", []string{"STRETCHBOT_DEFAULT_TIME", "25:00"}, nil, "STRETCHBOT_DEFAULT_TIME"},
		{"default time in words", []string{"STRETCHBOT_DEFAULT_TIME", "9am"}, nil, "STRETCHBOT_DEFAULT_TIME"},
		{"bad zone", []string{"STRETCHBOT_TIMEZONE", "Mars/Olympus"}, nil, "STRETCHBOT_TIMEZONE"},
		{"local zone refused", []string{"STRETCHBOT_TIMEZONE", "Local"}, nil, "STRETCHBOT_TIMEZONE"},
		{"zone as a city", []string{"STRETCHBOT_TIMEZONE", "berlin"},
			func(c Config) bool { return c.Timezone == "Europe/Berlin" && c.TimezoneFrom == "berlin" }, ""},
		{"zone as an abbreviation", []string{"STRETCHBOT_TIMEZONE", "PST"},
			func(c Config) bool { return c.Timezone == "America/Los_Angeles" }, ""},
		{"zone in any case", []string{"STRETCHBOT_TIMEZONE", "europe/berlin"},
			func(c Config) bool { return c.Timezone == "Europe/Berlin" && c.Location().String() == "Europe/Berlin" }, ""},
		{"zone typo", []string{"STRETCHBOT_TIMEZONE", "Europe/Berln"}, nil, "STRETCHBOT_TIMEZONE"},
		{"bad bot token", []string{"STRETCHBOT_SLACK_BOT_TOKEN", "xoxp-user"}, nil, "STRETCHBOT_SLACK_BOT_TOKEN"},
		{"bad api url", []string{"STRETCHBOT_SLACK_API_URL", "ftp://x"}, nil, "STRETCHBOT_SLACK_API_URL"},
		{"bad command", []string{"STRETCHBOT_SLACK_COMMAND", "stretch"}, nil, "STRETCHBOT_SLACK_COMMAND"},
		{"bad app id", []string{"STRETCHBOT_DISCORD_APP_ID", "abc"}, nil, "STRETCHBOT_DISCORD_APP_ID"},
		{"bad public url", []string{"STRETCHBOT_PUBLIC_URL", "bot.example.com"}, nil, "STRETCHBOT_PUBLIC_URL"},
		{"bad database", []string{"STRETCHBOT_DATABASE_URL", "mysql://u:pw@h/db"}, nil, "STRETCHBOT_DATABASE_URL"},
		{"oauth turns on slack and http", []string{"STRETCHBOT_SLACK_CLIENT_ID", "1.2", "STRETCHBOT_SLACK_CLIENT_SECRET", "cs", "STRETCHBOT_SECRET_KEY", testKey},
			func(c Config) bool { return c.SlackEnabled() && c.Slack.OAuth() && c.HTTPAddr == ":8080" }, ""},
		{"secret key of the wrong length", []string{"STRETCHBOT_SECRET_KEY", "c2hvcnQ="}, nil, "STRETCHBOT_SECRET_KEY"},
		{"secret key not base64", []string{"STRETCHBOT_SECRET_KEY", "not a key"}, nil, "STRETCHBOT_SECRET_KEY"},
		{"bad previous key", []string{"STRETCHBOT_SECRET_KEY", testKey, "STRETCHBOT_SECRET_KEY_PREVIOUS", "c2hvcnQ="}, nil, "STRETCHBOT_SECRET_KEY_PREVIOUS"},
		{"bad oauth url", []string{"STRETCHBOT_SLACK_OAUTH_URL", "slack.com/oauth"}, nil, "STRETCHBOT_SLACK_OAUTH_URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load("", env(tt.env...))
			if tt.wantErr != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr+":") {
					t.Fatalf("err = %v, want one naming %s", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "\n") {
					t.Errorf("error is not one line: %q", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !tt.check(c) {
				t.Errorf("config = %+v", c)
			}
		})
	}
}

// testKey is a valid STRETCHBOT_SECRET_KEY.
const testKey = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="

func TestCheckRunForOAuth(t *testing.T) {
	oauth := []string{"STRETCHBOT_SLACK_CLIENT_ID", "1.2", "STRETCHBOT_SLACK_CLIENT_SECRET", "cs", "STRETCHBOT_SLACK_SIGNING_SECRET", "s"}
	tests := []struct {
		name string
		env  []string
		want string // the setting named, "" for none
	}{
		{"complete, without a bot token", append([]string{"STRETCHBOT_SECRET_KEY", testKey}, oauth...), ""},
		{"no secret key", oauth, "STRETCHBOT_SECRET_KEY"},
		{"client id alone", []string{"STRETCHBOT_SLACK_CLIENT_ID", "1.2", "STRETCHBOT_SECRET_KEY", testKey}, "STRETCHBOT_SLACK_CLIENT_SECRET"},
		{"client secret alone", []string{"STRETCHBOT_SLACK_CLIENT_SECRET", "cs", "STRETCHBOT_SECRET_KEY", testKey}, "STRETCHBOT_SLACK_CLIENT_ID"},
		{"no way to receive commands", []string{"STRETCHBOT_SLACK_CLIENT_ID", "1.2", "STRETCHBOT_SLACK_CLIENT_SECRET", "cs", "STRETCHBOT_SECRET_KEY", testKey}, "STRETCHBOT_SLACK_SIGNING_SECRET"},
		{"single token mode still needs its token", []string{"STRETCHBOT_SLACK_SIGNING_SECRET", "s"}, "STRETCHBOT_SLACK_BOT_TOKEN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load("", env(tt.env...))
			if err != nil {
				t.Fatal(err)
			}
			err = c.CheckRun()
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("CheckRun = %v, want nil", err)
			case tt.want != "" && (err == nil || !strings.HasPrefix(err.Error(), tt.want+":")):
				t.Errorf("CheckRun = %v, want one naming %s", err, tt.want)
			}
		})
	}
}

func TestSecretBoxFromKeys(t *testing.T) {
	c, err := Load("", env())
	if err != nil {
		t.Fatal(err)
	}
	if box, err := c.SecretBox(); err != nil || box != nil {
		t.Errorf("SecretBox without a key = %v, %v; want none", box, err)
	}
	const other = "ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA="
	old, err := Load("", env("STRETCHBOT_SECRET_KEY", other))
	if err != nil {
		t.Fatal(err)
	}
	oldBox, _ := old.SecretBox()
	sealed, _ := oldBox.Seal("xoxb-1", "x")
	c, err = Load("", env("STRETCHBOT_SECRET_KEY", testKey, "STRETCHBOT_SECRET_KEY_PREVIOUS", other))
	if err != nil {
		t.Fatal(err)
	}
	box, err := c.SecretBox()
	if err != nil {
		t.Fatal(err)
	}
	if got, err := box.Open(sealed, "x"); err != nil || got != "xoxb-1" {
		t.Errorf("the previous key does not open: %q, %v", got, err)
	}
	if box.KeyID() == oldBox.KeyID() {
		t.Error("new seals use the previous key")
	}
	if s := fmt.Sprintf("%+v", c); strings.Contains(s, testKey) || strings.Contains(s, other) {
		t.Errorf("a key printed: %s", s)
	}
}

func TestSecretsNeverPrint(t *testing.T) {
	c, err := Load("", env("STRETCHBOT_SLACK_BOT_TOKEN", "xoxb-very-secret", "STRETCHBOT_DISCORD_TOKEN", "disc-secret"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{fmt.Sprint(c), fmt.Sprintf("%+v", c), fmt.Sprintf("%v", c.Slack)} {
		if strings.Contains(s, "very-secret") || strings.Contains(s, "disc-secret") {
			t.Errorf("a secret printed: %s", s)
		}
	}
	var logged strings.Builder
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("config", "token", c.Slack.BotToken, "slack", c.Slack)
	if strings.Contains(logged.String(), "very-secret") {
		t.Errorf("a secret reached the log: %s", logged.String())
	}
	if c.Slack.BotToken.Reveal() != "xoxb-very-secret" {
		t.Error("Reveal lost the token")
	}
	_, err = Load("", env("STRETCHBOT_DATABASE_URL", "host=h user=u password=hunter2"))
	if err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("err = %v, want a refusal without the password", err)
	}
}

// TestDatabaseURL checks that configuration accepts exactly the URLs the
// store opens and names none of their passwords.
func TestDatabaseURL(t *testing.T) {
	for _, tt := range []struct {
		url     string
		wantErr string // "" when accepted
	}{
		{"sqlite://stretchbot.db", ""},
		{"sqlite:///var/lib/stretchbot/x.db", ""},
		{"sqlite::memory:", ""},
		{"postgres://bob:s3cret@db/x?sslmode=disable", ""},
		{"postgresql://db/x", ""},
		{"memory://", ""},
		{"sqlite:///", "missing file path"},
		{"sqlite://", "want sqlite://"},
		{"postgres://db/x?password=s3cret&x=y", ""},
		{"postgres:db?password=s3cret", `"postgres:…" is not a valid PostgreSQL URL`},
		{"mysql://db/x?password=s3cret", `"mysql://db/x?password=xxxxx" is not a supported database URL`},
		{"postgres://postgres:s3cret%zz@host/db", `"postgres:…" is not a valid PostgreSQL URL`},
		{"host=db password=s3cret", `"host=db password=xxxxx" is not a database URL`},
	} {
		t.Run(tt.url, func(t *testing.T) {
			c, err := Load("", env("STRETCHBOT_DATABASE_URL", tt.url))
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				if c.DatabaseURL != tt.url {
					t.Errorf("DatabaseURL = %q", c.DatabaseURL)
				}
				return
			}
			if err == nil || !strings.HasPrefix(err.Error(), "STRETCHBOT_DATABASE_URL: ") || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want STRETCHBOT_DATABASE_URL: …%s…", err, tt.wantErr)
			}
			if strings.Contains(err.Error(), "s3cret") {
				t.Errorf("error shows the password: %v", err)
			}
		})
	}
}

func TestYAMLFileWithEnvironmentOverrides(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "c.yaml")
	os.Setenv("STRETCHBOT_TEST_WINDOW", "20m")
	defer os.Unsetenv("STRETCHBOT_TEST_WINDOW")
	yaml := "timezone: Asia/Tokyo\nmin_interval: 1s\ncatchup_window: ${STRETCHBOT_TEST_WINDOW}\nlog_level: ${UNSET_VARIABLE_X}\ndiscord_gateway: false\nlease: 5s\n"
	os.WriteFile(path, []byte(yaml), 0o600)
	c, err := Load(path, env("STRETCHBOT_TIMEZONE", "Europe/Paris"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Timezone != "Europe/Paris" || c.MinInterval != time.Second || c.CatchupWindow != 20*time.Minute || c.Lease != 5*time.Second || c.LogLevel != "info" || c.Discord.Gateway == nil || *c.Discord.Gateway {
		t.Errorf("config = %+v", c)
	}

	os.WriteFile(path, []byte("min_interval: often\n"), 0o600)
	if _, err := Load(path, env()); err == nil || !strings.Contains(err.Error(), path+": min_interval") {
		t.Errorf("err = %v, want it to name the YAML key", err)
	}
	os.WriteFile(path, []byte("min_intervall: 1s\n"), 0o600)
	if _, err := Load(path, env()); err == nil || strings.Contains(err.Error(), "yamlConfig") || !strings.Contains(err.Error(), "min_intervall") {
		t.Errorf("err = %v, want the unknown key named without Go types", err)
	}
}

func FuzzEnvironment(f *testing.F) {
	f.Add("STRETCHBOT_MIN_INTERVAL", "1s")
	f.Add("STRETCHBOT_TIMEZONE", "Europe/Berlin")
	f.Add("STRETCHBOT_DATABASE_URL", "postgres://u:p@h/db")
	f.Add("STRETCHBOT_DISCORD_PUBLIC_KEY", "zz")
	f.Add("STRETCHBOT_HTTP_ADDR", "[::1]:80")
	f.Fuzz(func(t *testing.T, key, value string) {
		_, err := Load("", env(key, value))
		if err != nil && strings.TrimSpace(err.Error()) == "" {
			t.Fatal("empty error")
		}
	})
}

// A bad value written in the file is named as the file spells it, whether
// it is refused while read (a list for a duration) or when checked (an
// unknown zone, a lease out of range), so the operator looks in the file
// and not for an environment variable they never set. One set in the
// environment keeps its variable's name.
func TestYAMLBadValueNamesTheFileKey(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "c.yaml")
	for yaml, want := range map[string]string{
		"min_interval: [1, 2]\n":       path + ": min_interval",
		"timezone:\n  zone: Berlin\n":  path + ": timezone",
		"timezone: Mars/Base\n":        path + ": timezone",
		"lease: 1s\n":                  path + ": lease",
		"log_level: loud\n":            path + ": log_level",
		"discord_public_key: zz\n":     path + ": discord_public_key",
		"slack_bot_token: xoxp-1234\n": path + ": slack_bot_token",
	} {
		os.WriteFile(path, []byte(yaml), 0o600)
		_, err := Load(path, env())
		if err == nil || !strings.HasPrefix(err.Error(), want+": ") || strings.Contains(err.Error(), "\n") || strings.Contains(err.Error(), "!!") {
			t.Errorf("%q: err = %v, want one line starting %q", yaml, err, want)
		}
	}
	os.WriteFile(path, []byte("timezone: Europe/Berlin\n"), 0o600)
	if _, err := Load(path, env("STRETCHBOT_TIMEZONE", "Mars/Base")); err == nil || !strings.HasPrefix(err.Error(), "STRETCHBOT_TIMEZONE: ") {
		t.Errorf("environment value: err = %v, want the variable named", err)
	}
}
