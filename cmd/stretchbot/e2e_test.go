package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/bot/bottest"
	"github.com/stretchbot/stretchbot/config"
)

// recorder is a fake platform API that records every request.
type recorder struct {
	mu   sync.Mutex
	reqs []recorded
	// answer returns the status and JSON body for a request.
	answer func(method, path string, body []byte) (int, string)
}

type recorded struct {
	Method, Path string
	Body         string
}

func (rc *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	text := string(body)
	if unq, err := url.QueryUnescape(text); err == nil && strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		text = unq // Slack's Web API takes form bodies
	}
	rc.reqs = append(rc.reqs, recorded{r.Method, r.URL.Path, text})
	rc.mu.Unlock()
	code, resp := rc.answer(r.Method, r.URL.Path, body)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	io.WriteString(w, resp)
}

func (rc *recorder) find(pathPart, bodyPart string) []recorded {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	var out []recorded
	for _, r := range rc.reqs {
		if strings.Contains(r.Path, pathPart) && strings.Contains(r.Body, bodyPart) {
			out = append(out, r)
		}
	}
	return out
}

// waitRecorded polls the fake until n matching requests arrived.
func (rc *recorder) waitRecorded(t *testing.T, pathPart, bodyPart string, n int) []recorded {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if got := rc.find(pathPart, bodyPart); len(got) >= n {
			return got
		}
		time.Sleep(5 * time.Millisecond)
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	t.Fatalf("fake API never got %d request(s) to %q containing %q; got %+v", n, pathPart, bodyPart, rc.reqs)
	return nil
}

// bootMain starts the whole program with cfg on a fake clock and a fresh
// database.
// bootDiscord boots the program with Discord's HTTP interactions (no
// gateway) against a fake API at apiURL, and returns the key that signs
// requests for it.
func bootDiscord(t *testing.T, apiURL string, clock *bottest.Clock) (*Main, ed25519.PrivateKey) {
	t.Helper()
	cfg := config.Default()
	cfg.Discord.PublicKey = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
	cfg.Discord.Token = "test-token"
	cfg.Discord.AppID = "424242"
	cfg.Discord.APIURL = apiURL
	off := false
	cfg.Discord.Gateway = &off
	return bootMain(t, cfg, clock), ed25519.NewKeyFromSeed(discordSeed)
}

func bootMain(t *testing.T, cfg config.Config, clock *bottest.Clock) *Main {
	t.Helper()
	return bootMainOn(t, cfg, clock, "sqlite://"+filepath.Join(t.TempDir(), "e2e.db"))
}

// bootMainOn is bootMain on the database at url, which other instances
// may share.
func bootMainOn(t *testing.T, cfg config.Config, clock *bottest.Clock, url string) *Main {
	t.Helper()
	return bootMainLogged(t, cfg, clock, url, nil)
}

// bootMainLogged is bootMainOn logging to log (nil: slog's default).
func bootMainLogged(t *testing.T, cfg config.Config, clock *bottest.Clock, url string, log *slog.Logger) *Main {
	t.Helper()
	cfg.DatabaseURL = url
	cfg.MinInterval = time.Second
	cfg.HTTPAddr = "127.0.0.1:0"
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	m := &Main{Config: cfg, Clock: clock, Stdin: strings.NewReader(""), Stdout: io.Discard, Logger: log}
	if err := m.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
		m.Close()
	})
	return m
}

var discordSeed, _ = hex.DecodeString("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")

func TestDiscordEndToEndThroughHTTP(t *testing.T) {
	fake := &recorder{answer: func(method, path string, body []byte) (int, string) {
		switch {
		case strings.HasSuffix(path, "/users/@me/channels"):
			return 200, `{"id":"900","type":1}`
		case method == "GET" && strings.HasPrefix(path, "/api/v10/channels/"):
			// The channel a schedule names belongs to the caller's guild.
			return 200, `{"id":"` + strings.TrimPrefix(path, "/api/v10/channels/") + `","guild_id":"77","type":0}`
		case strings.Contains(path, "/channels/") && strings.HasSuffix(path, "/messages"):
			return 200, `{"id":"` + strconv.Itoa(int(time.Now().UnixNano()%1e9)) + `","channel_id":"1"}`
		}
		return 200, `{}`
	}}
	api := httptest.NewServer(fake)
	defer api.Close()

	start := time.Unix(1_800_000_000, 0).UTC()
	clock := bottest.NewClock(start)
	m, key := bootDiscord(t, api.URL, clock)

	post := func(body string, ts time.Time, forge bool) (int, map[string]any) {
		t.Helper()
		stamp := strconv.FormatInt(ts.Unix(), 10)
		sig := ed25519.Sign(key, []byte(stamp+body))
		if forge {
			sig[0] ^= 1
		}
		req, _ := http.NewRequest("POST", "http://"+m.Addr()+"/discord/interactions", strings.NewReader(body))
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
		return resp.StatusCode, out
	}
	command := func(sub string, opts map[string]string) string {
		var o []map[string]any
		for k, v := range opts {
			typ := 3
			if k == "channel" {
				typ = 7
			}
			o = append(o, map[string]any{"name": k, "type": typ, "value": v})
		}
		b, _ := json.Marshal(map[string]any{
			"type": 2, "id": "1", "application_id": "424242", "token": "itoken", "guild_id": "77", "channel_id": "55",
			"member": map[string]any{"user": map[string]any{"id": "1001", "username": "ana"}, "permissions": "0"},
			"data":   map[string]any{"id": "9", "name": "stretch", "type": 1, "options": []any{map[string]any{"name": sub, "type": 1, "options": o}}},
		})
		return string(b)
	}

	if code, out := post(`{"type":1}`, start, false); code != 200 || out["type"] != float64(1) {
		t.Fatalf("PING = %d %v", code, out)
	}
	if code, _ := post(`{"type":1}`, start, true); code != 401 {
		t.Errorf("forged signature = %d, want 401", code)
	}
	if code, _ := post(command("remind", map[string]string{"when": "in 3 seconds"}), start.Add(-6*time.Minute), false); code != 401 {
		t.Errorf("stale timestamp = %d, want 401", code)
	}

	remind := command("remind", map[string]string{"when": "in 3 seconds to stretch"})
	code, out := post(remind, start, false)
	if code != 200 || out["type"] != float64(4) {
		t.Fatalf("remind = %d %v", code, out)
	}
	if code, _ := post(remind, start, false); code != 401 {
		t.Errorf("replayed interaction = %d, want 401", code)
	}
	data, _ := json.Marshal(out["data"])
	id := regexp.MustCompile(`#([a-z0-9]{3,8})`).FindString(string(data))
	if id == "" || !strings.Contains(string(data), `"flags":64`) {
		t.Fatalf("remind reply lacks an id or is not ephemeral: %s", data)
	}

	code, out = post(command("schedule", map[string]string{"when": "in 5 seconds", "channel": "4242"}), start, false)
	data, _ = json.Marshal(out["data"])
	team := regexp.MustCompile(`#([a-z0-9]{3,8})`).FindString(string(data))
	if code != 200 || team == "" {
		t.Fatalf("schedule = %d %s", code, data)
	}

	// Zones by the names people use, through a slash command option.
	code, out = post(command("timezone", map[string]string{"zone": "new york"}), start, false)
	if data, _ := json.Marshal(out["data"]); code != 200 || !strings.Contains(string(data), "(EST, UTC-05:00)") {
		t.Errorf("timezone new york = %d %s", code, data)
	}

	clock.Advance(3 * time.Second)
	fake.waitRecorded(t, "/api/v10/users/@me/channels", "1001", 1)
	fake.waitRecorded(t, "/api/v10/channels/900/messages", id, 1)
	clock.Advance(2 * time.Second)
	fake.waitRecorded(t, "/api/v10/channels/4242/messages", team, 1)

	// Exactly once, even as time goes on.
	for i := 0; i < 5; i++ {
		clock.Advance(10 * time.Second)
	}
	time.Sleep(50 * time.Millisecond)
	if n := len(fake.find("/channels/900/messages", id)); n != 1 {
		t.Errorf("personal reminder delivered %d times, want 1", n)
	}
	if n := len(fake.find("/channels/4242/messages", team)); n != 1 {
		t.Errorf("team break delivered %d times, want 1", n)
	}
}

const slackSecret = "8f742231b10e8888abcd99yyyzzz85a5"

func TestSlackEndToEndThroughHTTP(t *testing.T) {
	var mu sync.Mutex
	n := 0
	fake := &recorder{answer: func(method, path string, body []byte) (int, string) {
		mu.Lock()
		defer mu.Unlock()
		n++
		switch {
		case strings.HasSuffix(path, "/conversations.open"):
			return 200, `{"ok":true,"channel":{"id":"D900"}}`
		case strings.HasSuffix(path, "/chat.postMessage"):
			return 200, fmt.Sprintf(`{"ok":true,"channel":"C1","ts":"1800000000.%06d"}`, n)
		case strings.HasSuffix(path, "/users.info"):
			return 200, `{"ok":true,"user":{"id":"U1","tz":"Europe/Berlin","is_admin":false}}`
		case strings.HasSuffix(path, "/conversations.info"):
			return 200, `{"ok":true,"channel":{"id":"C777","is_channel":true,"is_member":true,"context_team_id":"T1"}}`
		case strings.HasSuffix(path, "/auth.test"):
			return 200, `{"ok":true,"user_id":"UBOT","bot_id":"BBOT","team_id":"T1"}`
		}
		return 200, `{"ok":true}`
	}}
	api := httptest.NewServer(fake)
	defer api.Close()

	start := time.Unix(1_800_000_000, 0).UTC()
	clock := bottest.NewClock(start)
	cfg := config.Default()
	cfg.Slack.SigningSecret = slackSecret
	cfg.Slack.BotToken = "xoxb-test"
	cfg.Slack.APIURL = api.URL + "/api/"
	m := bootMain(t, cfg, clock)

	post := func(path string, form url.Values, ts time.Time, forge bool) (int, []byte) {
		t.Helper()
		body := form.Encode()
		stamp := strconv.FormatInt(ts.Unix(), 10)
		mac := hmac.New(sha256.New, []byte(slackSecret))
		io.WriteString(mac, "v0:"+stamp+":"+body)
		sig := "v0=" + hex.EncodeToString(mac.Sum(nil))
		if forge {
			sig = "v0=" + strings.Repeat("0", 64)
		}
		req, _ := http.NewRequest("POST", "http://"+m.Addr()+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Slack-Request-Timestamp", stamp)
		req.Header.Set("X-Slack-Signature", sig)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b
	}
	slash := func(text string) url.Values {
		return url.Values{"command": {"/stretch"}, "text": {text}, "team_id": {"T1"}, "channel_id": {"C1"}, "channel_name": {"general"},
			"user_id": {"U1"}, "user_name": {"ana"}, "response_url": {api.URL + "/response"}, "trigger_id": {"x"}}
	}

	if code, _ := post("/slack/commands", slash("break"), start, true); code != 401 {
		t.Errorf("forged = %d, want 401", code)
	}
	if code, _ := post("/slack/commands", slash("break"), start.Add(-10*time.Minute), false); code != 401 {
		t.Errorf("stale = %d, want 401", code)
	}
	code, body := post("/slack/commands", slash("break"), start, false)
	// Slack says the user is in Europe/Berlin, so the safety note names 112.
	if code != 200 || !bytes.Contains(body, []byte("stretch break")) || !bytes.Contains(body, []byte("call 112")) {
		t.Fatalf("break = %d %s", code, body)
	}
	if code, _ := post("/slack/commands", slash("break"), start, false); code != 401 {
		t.Errorf("replayed command = %d, want 401", code)
	}
	code, body = post("/slack/commands", slash("remind me in 3 seconds"), start, false)
	id := regexp.MustCompile(`#([a-z0-9]{3,8})`).FindString(string(body))
	if code != 200 || id == "" {
		t.Fatalf("remind = %d %s", code, body)
	}
	code, body = post("/slack/commands", slash("schedule in 5 seconds in <#C777|team>"), start, false)
	team := regexp.MustCompile(`#([a-z0-9]{3,8})`).FindString(string(body))
	if code != 200 || team == "" || !bytes.Contains(body, []byte("in_channel")) {
		t.Fatalf("schedule = %d %s", code, body)
	}
	clock.Advance(3 * time.Second)
	fake.waitRecorded(t, "/chat.postMessage", id, 1)
	clock.Advance(2 * time.Second)
	got := fake.waitRecorded(t, "/chat.postMessage", team, 1)
	if !strings.Contains(got[0].Body, "C777") {
		t.Errorf("team break posted to the wrong channel: %s", got[0].Body)
	}
	// Pressing Done on the team break counts the presser in place (once the
	// delivery is recorded, as it is long before anyone can click).
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		r, err := m.Store.ReminderByID(context.Background(), bot.ReminderID(strings.TrimPrefix(team, "#")))
		if err == nil && !r.LastRun.IsZero() {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the team break's delivery was never recorded")
		}
	}
	value := regexp.MustCompile(`"value":"(` + strings.TrimPrefix(team, "#") + `@\d+)"`).FindStringSubmatch(got[0].Body)
	if value == nil {
		t.Fatalf("team break has no Done button: %s", got[0].Body)
	}
	payload, _ := json.Marshal(map[string]any{
		"type": "block_actions", "team": map[string]any{"id": "T1"}, "user": map[string]any{"id": "U2", "username": "bo"},
		"channel": map[string]any{"id": "C777"}, "container": map[string]any{"message_ts": "1800000000.000005", "channel_id": "C777"},
		"message":      map[string]any{"ts": "1800000000.000005", "blocks": []any{map[string]any{"type": "header", "text": map[string]any{"type": "plain_text", "text": "Team stretch break"}}}},
		"response_url": api.URL + "/response",
		"actions":      []any{map[string]any{"action_id": "done", "block_id": "stretchbot_actions", "value": value[1]}},
	})
	if code, body := post("/slack/interactions", url.Values{"payload": {string(payload)}}, clock.Now(), false); code != 200 {
		t.Fatalf("interaction = %d %s", code, body)
	}
	fake.waitRecorded(t, "/response", "1 person did this break", 1)

	for i := 0; i < 5; i++ {
		clock.Advance(10 * time.Second)
	}
	time.Sleep(50 * time.Millisecond)
	if n := len(fake.find("/chat.postMessage", id)); n != 1 {
		t.Errorf("personal reminder posted %d times, want 1", n)
	}
	if n := len(fake.find("/chat.postMessage", team)); n != 1 {
		t.Errorf("team break posted %d times, want 1", n)
	}
}

// TestSlackMentionsEndToEnd sends Events API mentions through the whole
// program: answers stay where the mention was made, public ones in the
// channel (in its thread), private ones and refusals ephemeral to the asker.
func TestSlackMentionsEndToEnd(t *testing.T) {
	fake := &recorder{answer: func(method, path string, body []byte) (int, string) {
		switch {
		case strings.HasSuffix(path, "/chat.postMessage"):
			return 200, `{"ok":true,"channel":"C1","ts":"1800000000.000001"}`
		case strings.HasSuffix(path, "/chat.postEphemeral"):
			return 200, `{"ok":true,"message_ts":"1800000000.000002"}`
		case strings.HasSuffix(path, "/users.info"):
			return 200, `{"ok":true,"user":{"id":"U1","tz":"Europe/Berlin","is_admin":false}}`
		case strings.HasSuffix(path, "/auth.test"):
			return 200, `{"ok":true,"user_id":"UBOT","bot_id":"BBOT","team_id":"T1"}`
		}
		return 200, `{"ok":true}`
	}}
	api := httptest.NewServer(fake)
	defer api.Close()
	start := time.Unix(1_800_000_000, 0).UTC()
	cfg := config.Default()
	cfg.Slack.SigningSecret = slackSecret
	cfg.Slack.BotToken = "xoxb-test"
	cfg.Slack.APIURL = api.URL + "/api/"
	m := bootMain(t, cfg, bottest.NewClock(start))

	n := 0
	mention := func(text, thread string) {
		t.Helper()
		n++
		ev := map[string]any{"type": "app_mention", "channel": "C1", "user": "U1", "text": text, "ts": fmt.Sprintf("1800000000.%06d", 100+n)}
		if thread != "" {
			ev["thread_ts"] = thread
		}
		body, _ := json.Marshal(map[string]any{"type": "event_callback", "team_id": "T1", "event_id": fmt.Sprintf("Ev%d", n), "event": ev})
		stamp := strconv.FormatInt(start.Unix(), 10)
		mac := hmac.New(sha256.New, []byte(slackSecret))
		io.WriteString(mac, "v0:"+stamp+":"+string(body))
		req, _ := http.NewRequest("POST", "http://"+m.Addr()+"/slack/events", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Slack-Request-Timestamp", stamp)
		req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("event = %d", resp.StatusCode)
		}
	}
	const thread = "1800000000.000050"

	mention("hey <@UBOT> break 2 min", thread)
	got := fake.waitRecorded(t, "/chat.postMessage", "2-minute", 1)
	if !strings.Contains(got[0].Body, "thread_ts="+thread) || !strings.Contains(got[0].Body, "channel=C1") {
		t.Errorf("break not posted in the mention's thread: %s", got[0].Body)
	}

	mention("<@UBOT> list", "")
	got = fake.waitRecorded(t, "/chat.postEphemeral", "no reminders", 1)
	if !strings.Contains(got[0].Body, "user=U1") || !strings.Contains(got[0].Body, "channel=C1") {
		t.Errorf("list not ephemeral to the asker in the channel: %s", got[0].Body)
	}

	mention("<@UBOT> brake", thread)
	got = fake.waitRecorded(t, "/chat.postEphemeral", "Did you mean `break`", 1)
	if !strings.Contains(got[0].Body, "thread_ts="+thread) || !strings.Contains(got[0].Body, "user=U1") {
		t.Errorf("refusal not ephemeral in the thread: %s", got[0].Body)
	}

	mention("<@UBOT>", "")
	fake.waitRecorded(t, "/chat.postMessage", "I'm stretchbot", 1)

	if n := len(fake.find("/conversations.open", "")); n != 0 {
		t.Errorf("a mention was answered by DM (%d conversations.open calls)", n)
	}
}
