package main

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot/bottest"
	"github.com/stretchbot/stretchbot/config"
)

// A console session sets working hours while "now" is outside them: the
// repeating reminder set next is passed over (stats counts it), and list
// names the first run inside the hours, which is then delivered.
func TestConsoleWorkingHoursThroughTheProgram(t *testing.T) {
	cfg := config.Default()
	cfg.DatabaseURL = "sqlite://" + filepath.Join(t.TempDir(), "d.db")
	cfg.MinInterval = time.Second
	clock := bottest.NewClock(bottest.Start) // Monday 09:00 UTC
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
	say := func(line, want string) {
		t.Helper()
		io.WriteString(inW, line+"\n")
		waitFor(t, out, want)
	}

	say("hours 11:00-12:00 and 14:00-17:00 weekdays", "It is outside them now")
	say("remind me every hour to stretch", "Reminder #")
	id := regexp.MustCompile(`Reminder (#[a-z0-9]+)`).FindStringSubmatch(out.String())[1]
	say("list", "next Mon 30 Nov 11:00 UTC (earlier runs are passed over)")

	// 10:00 is outside the hours: passed over, and counted.
	clock.Advance(time.Hour)
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(out.String(), "1 reminder run passed over"); {
		if time.Now().After(deadline) {
			t.Fatalf("stats never counted the run passed over:\n%s", out.String())
		}
		io.WriteString(inW, "stats\n")
		time.Sleep(20 * time.Millisecond)
	}
	if strings.Contains(out.String(), "Stretch break time! "+id) {
		t.Fatalf("the 10:00 run, outside working hours, was delivered:\n%s", out.String())
	}
	// 11:00 is inside: delivered.
	clock.Advance(time.Hour)
	waitFor(t, out, "Stretch break time! "+id)
	// 12:00 and 13:00 fall in the lunch gap; list says 14:00.
	say("list", "next Mon 30 Nov 14:00 UTC (earlier runs are passed over)")

	inW.Close()
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

// The personal settings work as Slack slash commands, and a personal
// reminder due while Slack says the person is in do-not-disturb is passed
// over and counted.
func TestSlackPersonalSettingsAndDoNotDisturb(t *testing.T) {
	start := time.Unix(1_800_000_000, 0).UTC() // Friday 09:00 in Berlin
	fake := &recorder{answer: func(method, path string, body []byte) (int, string) {
		switch {
		case strings.HasSuffix(path, "/conversations.open"):
			return 200, `{"ok":true,"channel":{"id":"D900"}}`
		case strings.HasSuffix(path, "/chat.postMessage"):
			return 200, `{"ok":true,"channel":"D900","ts":"1800000000.000100"}`
		case strings.HasSuffix(path, "/users.info"):
			return 200, `{"ok":true,"user":{"id":"U1","tz":"Europe/Berlin","is_admin":false}}`
		case strings.HasSuffix(path, "/dnd.info"):
			return 200, fmt.Sprintf(`{"ok":true,"dnd_enabled":false,"snooze_enabled":true,"snooze_endtime":%d}`, start.Add(time.Hour).Unix())
		case strings.HasSuffix(path, "/auth.test"):
			return 200, `{"ok":true,"user_id":"UBOT","bot_id":"BBOT","team_id":"T1"}`
		}
		return 200, `{"ok":true}`
	}}
	api := httptest.NewServer(fake)
	defer api.Close()
	clock := bottest.NewClock(start)
	cfg := config.Default()
	cfg.Slack.SigningSecret = slackSecret
	cfg.Slack.BotToken = "xoxb-test"
	cfg.Slack.APIURL = api.URL + "/api/"
	m := bootMain(t, cfg, clock)

	n := 0
	slash := func(text string) string {
		t.Helper()
		n++
		form := url.Values{"command": {"/stretch"}, "text": {text}, "team_id": {"T1"}, "channel_id": {"C1"}, "channel_name": {"general"},
			"user_id": {"U1"}, "user_name": {"ana"}, "response_url": {api.URL + "/response"}, "trigger_id": {strconv.Itoa(n)}}
		return string(signedSlack(t, m, "/slack/commands", form, clock.Now()))
	}
	for _, tt := range []struct{ cmd, want string }{
		{"hours 9:00-17:30 mon-fri", "09:00-17:30 on weekdays (Europe/Berlin)"},
		{"hours 17-9", "night shift"},
		{"quiet 12:00-13:00", "12:00-13:00 (Europe/Berlin)"},
		{"away for 2 weeks", "passed over until"},
		{"away until yesterday", "in the past"},
		{"back", "Welcome back"},
		{"level medium", "Level set to medium"},
		{"prefer floor", "now for: floor"},
		{"break", "floor stretch break"},
	} {
		if got := slash(tt.cmd); !strings.Contains(got, tt.want) {
			t.Errorf("%s = %s, want %q", tt.cmd, got, tt.want)
		}
	}

	id := regexp.MustCompile(`#([a-z0-9]{3,8})`).FindString(slash("remind me every 2 seconds"))
	if id == "" {
		t.Fatal("no reminder id")
	}
	clock.Advance(2 * time.Second)
	fake.waitRecorded(t, "/dnd.info", "U1", 1)
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if strings.Contains(slash("stats"), "reminder run passed over") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("stats never counted the run passed over in do-not-disturb")
		}
	}
	if n := len(fake.find("/chat.postMessage", id)); n != 0 {
		t.Errorf("reminder posted %d times during do-not-disturb, want 0", n)
	}
}

// The personal settings work as Discord slash commands.
func TestDiscordPersonalSettings(t *testing.T) {
	fake := &recorder{answer: func(method, path string, body []byte) (int, string) { return 200, `{}` }}
	api := httptest.NewServer(fake)
	defer api.Close()
	start := time.Unix(1_800_000_000, 0).UTC()
	clock := bottest.NewClock(start)
	m, key := bootDiscord(t, api.URL, clock)

	n := 0
	command := func(sub string, opts map[string]string) string {
		t.Helper()
		n++
		var o []map[string]any
		for k, v := range opts {
			o = append(o, map[string]any{"name": k, "type": 3, "value": v})
		}
		b, _ := json.Marshal(map[string]any{
			"type": 2, "id": strconv.Itoa(n), "application_id": "424242", "token": "itoken", "guild_id": "77", "channel_id": "55",
			"member": map[string]any{"user": map[string]any{"id": "1001", "username": "ana"}, "permissions": "0"},
			"data":   map[string]any{"id": "9", "name": "stretch", "type": 1, "options": []any{map[string]any{"name": sub, "type": 1, "options": o}}},
		})
		stamp := strconv.FormatInt(clock.Now().Unix(), 10)
		sig := ed25519.Sign(key, append([]byte(stamp), b...))
		req, _ := http.NewRequest("POST", "http://"+m.Addr()+"/discord/interactions", strings.NewReader(string(b)))
		req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(sig))
		req.Header.Set("X-Signature-Timestamp", stamp)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]any
		json.NewDecoder(resp.Body).Decode(&out)
		data, _ := json.Marshal(out["data"])
		if resp.StatusCode != 200 {
			t.Fatalf("%s = %d %s", sub, resp.StatusCode, data)
		}
		return string(data)
	}
	for _, tt := range []struct {
		sub  string
		opts map[string]string
		want string
	}{
		{"hours", map[string]string{"hours": "8-12 and 13-17 weekdays"}, "08:00-12:00 and 13:00-17:00 on weekdays"},
		{"hours", nil, "Your working hours"},
		{"hours", map[string]string{"hours": "9-17 funday"}, "funday"},
		{"quiet", map[string]string{"period": "12:00-13:00"}, "Quiet: 12:00-13:00"},
		{"away", map[string]string{"until": "2027-02-01"}, "passed over until"},
		{"back", nil, "Welcome back"},
		{"level", map[string]string{"level": "hard"}, "Level set to hard"},
		{"prefer", map[string]string{"place": "gym"}, "now for: gym"},
		{"prefer", map[string]string{"place": "off"}, "cleared"},
	} {
		if got := command(tt.sub, tt.opts); !strings.Contains(got, tt.want) {
			t.Errorf("/stretch %s %v = %s, want %q", tt.sub, tt.opts, got, tt.want)
		}
	}
}
