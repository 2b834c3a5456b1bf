package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot/bottest"
	"github.com/stretchbot/stretchbot/config"
)

// envMap makes an environment lookup from pairs.
func envMap(kv ...string) func(string) (string, bool) {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

// runConsole runs the program on input and returns stdout, stderr and the
// exit code.
func runConsole(t *testing.T, input string, env func(string) (string, bool), args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	code := run(ctx, args, strings.NewReader(input), &out, &errOut, env)
	return out.String(), errOut.String(), code
}

func TestConsoleSessionThroughTheProgram(t *testing.T) {
	db := "sqlite://" + filepath.Join(t.TempDir(), "s.db")
	env := envMap("STRETCHBOT_DATABASE_URL", db)
	input := strings.Join([]string{
		"help", "break", "break 2 min", "break desk", "break strengthening", "exercises",
		"exercise child's pose", "timezone Europe/Berlin", "done", "stats", "",
		"\x00\x01", strings.Repeat("y", 100_000), "exercise unicorn", "timezone Mars/Olympus",
	}, "\n") + "\n"
	out, errOut, code := runConsole(t, input, env)
	if code != 0 {
		t.Fatalf("exit %d; stderr:\n%s", code, errOut)
	}
	for _, want := range []string{
		"remind me", "5-minute stretch break", "2-minute stretch break", "Strengthening", "Exercise library",
		"Child's pose", "Time zone set to Europe/Berlin", "1 break done", "Stretch stats", "911",
		"too long", "Mars/Olympus", "Try: timezone Europe/Berlin", "I don't have an exercise called",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if strings.Contains(out, "\x1b[") || regexp.MustCompile(`(?m)^> `).MatchString(out) {
		t.Error("piped output has a prompt or escape codes")
	}

	// A restart keeps the zone, the completions and the rotation.
	out2, _, code := runConsole(t, "timezone\nstats\n", env)
	if code != 0 || !strings.Contains(out2, "Europe/Berlin") || !strings.Contains(out2, "1 break done") {
		t.Fatalf("after restart (exit %d):\n%s", code, out2)
	}
}

// TestConsoleSaysItTheWayPeopleSayIt types what people type: misspelt
// commands get the command that reads them, full-width letters and curly
// quotes work, zones go by city and abbreviation, and text before the
// bot's name is ignored.
func TestConsoleSaysItTheWayPeopleSayIt(t *testing.T) {
	env := envMap("STRETCHBOT_DATABASE_URL", "memory://")
	input := strings.Join([]string{
		"brake", "reminder in 5 minutes", "help bogus", "ｂｒｅａｋ １ ｍｉｎ", `remind me cron “*/30 * * * *”`,
		"timezone Berlin", "timezone PST", "timezone Europe/Berln", "hey @stretchbot stats", "@stretchbot",
	}, "\n") + "\n"
	out, errOut, code := runConsole(t, input, env)
	if code != 0 {
		t.Fatalf("exit %d; stderr:\n%s", code, errOut)
	}
	for _, want := range []string{
		"Did you mean `break`?\nTry: break", "Try: remind me in 5 minutes", `There is no command “bogus”`, "1-minute stretch break",
		"cron */30 * * * *", "Berlin → Europe/Berlin (follows daylight saving)",
		"PST → America/Los_Angeles (Pacific time, follows daylight saving)", "Did you mean Europe/Berlin?",
		"Stretch stats", "I'm stretchbot",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// The phrasings people use work through the console, each reply naming the
// rule in words and its next runs in the caller's zone, and the default
// time is the configured one.
func TestConsolePhrasings(t *testing.T) {
	env := envMap("STRETCHBOT_DATABASE_URL", "memory://", "STRETCHBOT_DEFAULT_TIME", "8:30")
	tests := []struct{ in, want string }{
		{"remind me tomorrow", "(the default time, as none was given)"},
		{"remind me on friday", "at 08:30 E"},
		{"remind me every weekday", "every weekday at 08:30 (the default time, as none was given)"},
		{"remind me in one hour", "Reminder #"},
		{"remind me in half an hour", "Reminder #"},
		{"remind me at 3pm every day", "every day at 15:00"},
		{"remind me every other Wednesday at 10", "every other Wednesday at 10:00"},
		{"remind me every 2 days at 9", "every 2 days at 09:00"},
		{"remind me on the first of every month", "on the 1st of every month at 08:30"},
		{"remind me on the last friday of every month at 16:00", "on the last Friday of every month at 16:00"},
		{"remind me every year on 1 march", "every year on 1 March at 08:30"},
		{"remind me every 30 min from 9 to 5", "every 30 minutes between 09:00 and 17:00"},
		{"remind me every 30 minutes between 9 and 5", "every 30 minutes between 09:00 and 17:00"},
		{"remind me to stretch at 3pm tomorrow", "Note: stretch"},
		{"remind me tomorrow at 9 to stretch", "Note: stretch"},
		{"remind me every day at 9 for 3 weeks", "every day at 09:00 until"},
		{"remind me every day at 9 10 times", "10 times, the last on"},
		{"remind me every 0 days", "Try: remind me every 1 day"},
		{"remind me on 12/25", "Try: remind me on december 25"},
		{"remind me every month", "Try: remind me every month on the"},
		{"remind me 10 times", "needs a repeating reminder"},
		{"schedule every weekday at 15:00 until friday", "every weekday at 15:00 until"},
	}
	var in strings.Builder
	in.WriteString("timezone America/New_York\n")
	for _, tt := range tests {
		in.WriteString(tt.in + "\n")
	}
	out, errOut, code := runConsole(t, in.String(), env)
	if code != 0 {
		t.Fatalf("exit %d; stderr:\n%s", code, errOut)
	}
	replies := strings.Split(strings.TrimSpace(out), "\n\n")[1:]
	if len(replies) != len(tests) {
		t.Fatalf("%d replies to %d commands:\n%s", len(replies), len(tests), out)
	}
	for i, tt := range tests {
		if !strings.Contains(replies[i], tt.want) {
			t.Errorf("%q answered\n%s\nwant it to contain %q", tt.in, replies[i], tt.want)
		}
		if strings.Contains(replies[i], "Reminder #") && !strings.Contains(replies[i], "Next: ") {
			t.Errorf("%q does not show the next runs:\n%s", tt.in, replies[i])
		}
		if strings.Contains(replies[i], "Next: ") && !regexp.MustCompile(`Next: [^\n]*E[SD]T`).MatchString(replies[i]) {
			t.Errorf("%q shows its runs outside the caller's zone:\n%s", tt.in, replies[i])
		}
	}
}

func TestRotationSurvivesRestart(t *testing.T) {
	db := "sqlite://" + filepath.Join(t.TempDir(), "s.db")
	env := envMap("STRETCHBOT_DATABASE_URL", db)
	first, _, _ := runConsole(t, "break 2 min\n", env)
	second, _, _ := runConsole(t, "break 2 min\n", env)
	names := regexp.MustCompile(`(?m)^\d+\. (.+?) — `)
	a, b := names.FindAllStringSubmatch(first, -1), names.FindAllStringSubmatch(second, -1)
	if len(a) == 0 || len(b) == 0 {
		t.Fatalf("no exercises in output:\n%s\n%s", first, second)
	}
	for _, x := range a {
		for _, y := range b {
			if x[1] == y[1] {
				t.Errorf("exercise %q repeated across a restart", x[1])
			}
		}
	}
}

func TestBadConfigurationExitsTwoNamingTheSetting(t *testing.T) {
	tests := []struct {
		name string
		env  []string
		want string
	}{
		{"zone", []string{"STRETCHBOT_TIMEZONE", "Mars/Olympus"}, "STRETCHBOT_TIMEZONE"},
		{"duration", []string{"STRETCHBOT_MIN_INTERVAL", "often"}, "STRETCHBOT_MIN_INTERVAL"},
		{"catchup", []string{"STRETCHBOT_CATCHUP_WINDOW", "-5m"}, "STRETCHBOT_CATCHUP_WINDOW"},
		{"database scheme", []string{"STRETCHBOT_DATABASE_URL", "mysql://x"}, "STRETCHBOT_DATABASE_URL"},
		{"unreachable database", []string{"STRETCHBOT_DATABASE_URL", "postgres://postgres:hunter2@127.0.0.1:1/x?connect_timeout=2"}, "STRETCHBOT_DATABASE_URL"},
		{"missing directory", []string{"STRETCHBOT_DATABASE_URL", "sqlite:///nonexistent/dir/x.db"}, "STRETCHBOT_DATABASE_URL"},
		{"log level", []string{"STRETCHBOT_LOG_LEVEL", "loud"}, "STRETCHBOT_LOG_LEVEL"},
		{"default time", []string{"STRETCHBOT_DEFAULT_TIME", "9am"}, "STRETCHBOT_DEFAULT_TIME"},
		{"http addr", []string{"STRETCHBOT_HTTP_ADDR", "nope"}, "STRETCHBOT_HTTP_ADDR"},
		{"discord key", []string{"STRETCHBOT_DISCORD_PUBLIC_KEY", "xyz"}, "STRETCHBOT_DISCORD_PUBLIC_KEY"},
		{"gateway", []string{"STRETCHBOT_DISCORD_GATEWAY", "maybe"}, "STRETCHBOT_DISCORD_GATEWAY"},
		{"key-value DSN hides its password", []string{"STRETCHBOT_DATABASE_URL", "host=127.0.0.1 user=bob password=hunter2"}, "STRETCHBOT_DATABASE_URL"},
		{"slack without bot token", []string{"STRETCHBOT_SLACK_SIGNING_SECRET", "s", "STRETCHBOT_DATABASE_URL", "sqlite:///tmp/x.db"}, "STRETCHBOT_SLACK_BOT_TOKEN"},
		{"slack oauth without a secret key", []string{"STRETCHBOT_SLACK_SIGNING_SECRET", "s", "STRETCHBOT_SLACK_CLIENT_ID", "1.2",
			"STRETCHBOT_SLACK_CLIENT_SECRET", "hunter2", "STRETCHBOT_DATABASE_URL", "sqlite:///tmp/x.db"}, "STRETCHBOT_SECRET_KEY"},
		{"secret key of the wrong length", []string{"STRETCHBOT_SECRET_KEY", "aHVudGVyMg=="}, "STRETCHBOT_SECRET_KEY"},
		{"previous key not base64", []string{"STRETCHBOT_SECRET_KEY", testSecretKey, "STRETCHBOT_SECRET_KEY_PREVIOUS", "hunter2!"}, "STRETCHBOT_SECRET_KEY_PREVIOUS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errOut, code := runConsole(t, "", envMap(tt.env...))
			if code != 2 {
				t.Errorf("exit %d, want 2; stderr %q", code, errOut)
			}
			if !strings.Contains(errOut, tt.want) || strings.Count(strings.TrimSpace(errOut), "\n") > 0 {
				t.Errorf("stderr = %q, want one line naming %s", errOut, tt.want)
			}
			if strings.Contains(errOut, "hunter2") {
				t.Errorf("stderr leaks a password: %q", errOut)
			}
		})
	}
}

func TestSubcommands(t *testing.T) {
	out, _, code := runConsole(t, "", envMap(), "version")
	if code != 0 || !strings.HasPrefix(out, "stretchbot ") {
		t.Errorf("version: exit %d, %q", code, out)
	}
	db := "sqlite://" + filepath.Join(t.TempDir(), "m.db")
	out, errOut, code := runConsole(t, "", envMap("STRETCHBOT_DATABASE_URL", db), "migrate")
	if code != 0 || !strings.Contains(out, "Migrations applied") {
		t.Errorf("migrate: exit %d, %q %q", code, out, errOut)
	}
	_, errOut, code = runConsole(t, "", envMap(), "frobnicate")
	if code != 2 || !strings.Contains(errOut, "unknown command") {
		t.Errorf("unknown command: exit %d, %q", code, errOut)
	}
	_, errOut, code = runConsole(t, "", envMap(), "discord", "register")
	if code != 2 || !strings.Contains(errOut, "STRETCHBOT_DISCORD_APP_ID") {
		t.Errorf("discord register without credentials: exit %d, %q", code, errOut)
	}
	out, errOut, code = runConsole(t, "", envMap("STRETCHBOT_SLACK_APP_TOKEN", "xapp-placeholder"), "slack", "manifest")
	if code != 0 || !strings.Contains(out, "socket_mode_enabled") {
		t.Errorf("slack manifest before the bot token exists: exit %d, %q %q", code, out, errOut)
	}
	out, errOut, code = runConsole(t, "", envMap(), "slack", "manifest")
	if code != 0 || !strings.Contains(out, `"socket_mode_enabled": true`) || !strings.Contains(errOut, "Socket Mode") {
		t.Errorf("slack manifest without a URL: exit %d, %q %q", code, out, errOut)
	}
	out, _, code = runConsole(t, "", envMap("STRETCHBOT_PUBLIC_URL", "https://bot.example.com"), "slack", "manifest")
	if code != 0 || !strings.Contains(out, "https://bot.example.com/slack/oauth/callback") || !strings.Contains(out, `"home_tab_enabled": true`) {
		t.Errorf("slack manifest with a URL: exit %d, %q", code, out)
	}
	out, _, code = runConsole(t, "", envMap("STRETCHBOT_DISCORD_APP_ID", "424242"), "discord", "invite")
	if code != 0 || strings.TrimSpace(out) != "https://discord.com/oauth2/authorize?client_id=424242&permissions=274877991936&scope=bot+applications.commands" {
		t.Errorf("discord invite: exit %d, %q", code, out)
	}
	_, errOut, code = runConsole(t, "", envMap(), "discord", "invite")
	if code != 2 || !strings.Contains(errOut, "STRETCHBOT_DISCORD_APP_ID") {
		t.Errorf("discord invite without an app id: exit %d, %q", code, errOut)
	}
	// An empty variable is unset, not invalid.
	_, errOut, code = runConsole(t, "help\n", envMap("STRETCHBOT_MIN_INTERVAL", "", "STRETCHBOT_DATABASE_URL", "sqlite://"+filepath.Join(t.TempDir(), "e.db")))
	if code != 0 {
		t.Errorf("empty STRETCHBOT_MIN_INTERVAL: exit %d, %q", code, errOut)
	}
	_, errOut, code = runConsole(t, "", envMap(), "--config", "/nonexistent.yaml")
	if code != 2 || !strings.Contains(errOut, "--config") {
		t.Errorf("missing config file: exit %d, %q", code, errOut)
	}
}

// testSecretKey is a valid STRETCHBOT_SECRET_KEY.
const testSecretKey = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="

func TestEveryCommandExplainsItself(t *testing.T) {
	for cmd, want := range map[string]string{
		"run": "usage: stretchbot [run]", "console": "usage: stretchbot console", "slack manifest": "OAuth redirect URL",
		"discord register": "bulk-overwrites", "discord invite": "only the permissions", "migrate": "Applies pending migrations",
		"rotate-key": "STRETCHBOT_SECRET_KEY_PREVIOUS", "version": "Prints the version",
	} {
		for _, args := range [][]string{append(strings.Fields(cmd), "--help"), append([]string{"help"}, strings.Fields(cmd)...), append([]string{"-h"}, strings.Fields(cmd)...)} {
			out, errOut, code := runConsole(t, "", envMap(), args...)
			if code != 0 || !strings.Contains(out, want) {
				t.Errorf("%v: exit %d, %q %q", args, code, out, errOut)
			}
		}
	}
	out, _, code := runConsole(t, "", envMap(), "--help")
	if code != 0 || !strings.Contains(out, "rotate-key") || !strings.Contains(out, "discord invite") || !strings.Contains(out, "--help") {
		t.Errorf("--help: exit %d, %q", code, out)
	}
	_, errOut, code := runConsole(t, "", envMap(), "slack", "frobnicate", "--help")
	if code != 2 || !strings.Contains(errOut, "unknown command") {
		t.Errorf("help for an unknown command: exit %d, %q", code, errOut)
	}
}

func TestConfigFileWithEnvironmentOverride(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "c.yaml")
	yaml := "database_url: sqlite://" + filepath.Join(dir, "y.db") + "\ntimezone: Asia/Tokyo\nmin_interval: 1s\ndiscord_gateway: false\n"
	if err := writeFile(path, yaml); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(path, envMap("STRETCHBOT_TIMEZONE", "Europe/Paris"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Timezone != "Europe/Paris" || cfg.MinInterval != time.Second {
		t.Errorf("cfg = %+v", cfg)
	}
	out, _, code := runConsole(t, "timezone\n", envMap(), "--config", path)
	if code != 0 || !strings.Contains(out, "Asia/Tokyo") {
		t.Errorf("exit %d, %q", code, out)
	}
}

// syncBuffer is a goroutine-safe output sink that can be polled.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// waitFor polls out until it contains want (the work happens on other
// goroutines; the fake clock, not this wait, decides when things are due).
func waitFor(t *testing.T, out *syncBuffer, want string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if strings.Contains(out.String(), want) {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("output never contained %q:\n%s", want, out.String())
}

func TestMainDeliversOnTheFakeClockAndServesHTTP(t *testing.T) {
	cfg := config.Default()
	cfg.DatabaseURL = "sqlite://" + filepath.Join(t.TempDir(), "d.db")
	cfg.MinInterval = time.Second
	cfg.HTTPAddr = "127.0.0.1:0"
	clock := bottest.NewClock(bottest.Start)
	inR, inW := io.Pipe()
	out := &syncBuffer{}
	no := false
	m := &Main{Config: cfg, Stdin: inR, Stdout: out, Clock: clock, Interactive: &no}
	ctx := context.Background()
	if err := m.Open(ctx); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()

	io.WriteString(inW, "remind me in 3 seconds to drink water\n")
	waitFor(t, out, "Reminder #")
	id := regexp.MustCompile(`Reminder (#[a-z0-9]+)`).FindStringSubmatch(out.String())[1]
	clock.Advance(3 * time.Second)
	waitFor(t, out, "Stretch break time! "+id)
	if !strings.Contains(out.String(), "drink water") {
		t.Errorf("delivery lacks the note:\n%s", out.String())
	}

	base := "http://" + m.Addr()
	// The delivery is recorded (and counted) just after it is printed.
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get(base + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if strings.Contains(string(body), "stretchbot_scheduler_delivered_total 1") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("metrics lack the delivery:\n%.2000s", body)
		}
		time.Sleep(5 * time.Millisecond)
	}
	for path, want := range map[string]int{"/healthz": 200, "/readyz": 200, "/metrics": 200, "/slack/commands": 404} {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("GET %s = %d, want %d", path, resp.StatusCode, want)
		}
		if path == "/metrics" && !strings.Contains(string(body), "go_goroutines") {
			t.Errorf("metrics lack the Go collector:\n%.2000s", body)
		}
	}

	inW.Close() // EOF ends the program cleanly
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after EOF")
	}
	if n := strings.Count(out.String(), "Stretch break time! "+id); n != 1 {
		t.Errorf("delivered %d times, want 1", n)
	}
}

func writeFile(path, s string) error { return os.WriteFile(path, []byte(s), 0o600) }
