package main

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
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

// pngMagic starts every PNG file.
const pngMagic = "\x89PNG\r\n\x1a\n"

var summaryID = regexp.MustCompile(`#([a-z0-9]{3,8})`)

// A channel's summary reaches Slack as a message followed by its
// chart, uploaded with the external upload flow into the same channel.
func TestSlackSummaryWithChartEndToEnd(t *testing.T) {
	var mu sync.Mutex
	n := 0
	var fake *recorder
	var api *httptest.Server
	fake = &recorder{answer: func(method, path string, body []byte) (int, string) {
		mu.Lock()
		defer mu.Unlock()
		n++
		switch {
		case strings.HasSuffix(path, "/chat.postMessage"):
			return 200, fmt.Sprintf(`{"ok":true,"channel":"C1","ts":"1800000000.%06d"}`, n)
		case strings.HasSuffix(path, "/users.info"):
			return 200, `{"ok":true,"user":{"id":"U1","tz":"Europe/Berlin","is_admin":false}}`
		case strings.HasSuffix(path, "/auth.test"):
			return 200, `{"ok":true,"user_id":"UBOT","bot_id":"BBOT","team_id":"T1"}`
		case strings.HasSuffix(path, "/files.getUploadURLExternal"):
			return 200, `{"ok":true,"upload_url":"` + api.URL + `/upload/F123","file_id":"F123"}`
		case strings.HasPrefix(path, "/upload/"):
			return 200, `OK`
		case strings.HasSuffix(path, "/files.completeUploadExternal"):
			return 200, `{"ok":true,"files":[{"id":"F123","title":"Team breaks per day"}]}`
		}
		return 200, `{"ok":true}`
	}}
	api = httptest.NewServer(fake)
	defer api.Close()

	start := time.Unix(1_800_000_000, 0).UTC()
	clock := bottest.NewClock(start)
	cfg := config.Default()
	cfg.Slack.SigningSecret = slackSecret
	cfg.Slack.BotToken = "xoxb-test"
	cfg.Slack.APIURL = api.URL + "/api/"
	m := bootMain(t, cfg, clock)

	slash := func(text string, at time.Time) (int, string) {
		t.Helper()
		form := url.Values{"command": {"/stretch"}, "text": {text}, "team_id": {"T1"}, "channel_id": {"C1"}, "channel_name": {"general"},
			"user_id": {"U1"}, "user_name": {"ana"}, "response_url": {api.URL + "/response"}, "trigger_id": {"x"}}
		code, b := postSlack(t, m, "/slack/commands", form, at)
		return code, string(b)
	}

	if code, body := slash("holidays DE", start); code != 200 || !strings.Contains(body, "Germany") {
		t.Fatalf("holidays DE = %d %s", code, body)
	}
	if code, body := slash("stats public", start); code != 200 || !strings.Contains(body, "name you") {
		t.Fatalf("stats public = %d %s", code, body)
	}
	// start is 09:00:00 in Berlin, the user's zone; a summary comes at
	// most once a day.
	code, body := slash("summary every day at 09:01", start)
	id := summaryID.FindString(body)
	if code != 200 || id == "" || !strings.Contains(body, "in_channel") {
		t.Fatalf("summary = %d %s", code, body)
	}

	clock.Advance(time.Minute)
	msg := fake.waitRecorded(t, "/chat.postMessage", "Daily stretch summary "+id, 1)[0]
	if !strings.Contains(msg.Body, "C1") || !strings.Contains(msg.Body, "0 team breaks held") {
		t.Errorf("summary message: %s", msg.Body)
	}
	get := fake.waitRecorded(t, "/files.getUploadURLExternal", "filename=stretch-summary-", 1)[0]
	upload := fake.waitRecorded(t, "/upload/F123", pngMagic, 1)[0]
	done := fake.waitRecorded(t, "/files.completeUploadExternal", "F123", 1)[0]
	if !strings.Contains(done.Body, "channel_id=C1") {
		t.Errorf("chart shared elsewhere than C1: %s", done.Body)
	}
	length := regexp.MustCompile(`length=(\d+)`).FindStringSubmatch(get.Body)
	if length == nil || length[1] == "0" || !strings.Contains(upload.Body, `name="file"`) {
		t.Errorf("upload: announced length %v, sent %q…", length, upload.Body[:min(len(upload.Body), 200)])
	}
}

// On Discord the chart is an attachment of the summary's message: one
// multipart request with payload_json and files[0].
func TestDiscordSummaryWithChartEndToEnd(t *testing.T) {
	fake := &recorder{answer: func(method, path string, body []byte) (int, string) {
		switch {
		case strings.Contains(path, "/channels/") && strings.HasSuffix(path, "/messages"):
			return 200, `{"id":"` + strconv.Itoa(int(time.Now().UnixNano()%1e9)) + `","channel_id":"55"}`
		}
		return 200, `{}`
	}}
	api := httptest.NewServer(fake)
	defer api.Close()

	start := time.Unix(1_800_000_000, 0).UTC()
	clock := bottest.NewClock(start)
	m, key := bootDiscord(t, api.URL, clock)

	command := func(sub string, opts map[string]string) string {
		t.Helper()
		var o []map[string]any
		for k, v := range opts {
			o = append(o, map[string]any{"name": k, "type": 3, "value": v})
		}
		b, _ := json.Marshal(map[string]any{
			"type": 2, "id": "1", "application_id": "424242", "token": "itoken-" + sub, "guild_id": "77", "channel_id": "55",
			"member": map[string]any{"user": map[string]any{"id": "1001", "username": "ana"}, "permissions": "0"},
			"data":   map[string]any{"id": "9", "name": "stretch", "type": 1, "options": []any{map[string]any{"name": sub, "type": 1, "options": o}}},
		})
		stamp := strconv.FormatInt(start.Unix(), 10)
		req, _ := http.NewRequest("POST", "http://"+m.Addr()+"/discord/interactions", strings.NewReader(string(b)))
		req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(key, []byte(stamp+string(b)))))
		req.Header.Set("X-Signature-Timestamp", stamp)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("%s = %d %s", sub, resp.StatusCode, raw)
		}
		if summaryID.Match(raw) || strings.Contains(string(raw), `"type":4`) {
			return string(raw)
		}
		// A deferred answer arrives as an edit of the original response.
		return fake.waitRecorded(t, "/webhooks/424242/itoken-"+sub, "", 1)[0].Body
	}

	if out := command("holidays", map[string]string{"country": "US"}); !strings.Contains(out, "United States") {
		t.Fatalf("holidays US = %s", out)
	}
	out := command("summary", map[string]string{"when": "every day at 08:01"}) // start is 08:00:00 UTC
	id := summaryID.FindString(out)
	if id == "" {
		t.Fatalf("summary = %s", out)
	}

	clock.Advance(time.Minute)
	got := fake.waitRecorded(t, "/api/v10/channels/55/messages", "Daily stretch summary "+id, 1)[0]
	for _, want := range []string{`name="payload_json"`, `"attachments":[{"id":0,"filename":"stretch-summary-`, `name="files[0]"; filename="stretch-summary-`, "Content-Type: image/png", pngMagic} {
		if !strings.Contains(got.Body, want) {
			t.Errorf("summary request lacks %q", want)
		}
	}
}

// On the console the chart is written next to the database and the
// summary prints its path; a team break on a public holiday is passed
// over and counted.
func TestConsoleSummaryWritesTheChartNextToTheDatabase(t *testing.T) {
	dir := t.TempDir()
	cfg := config.Default()
	cfg.DatabaseURL = "sqlite://" + filepath.Join(dir, "team.db")
	cfg.MinInterval = time.Second
	// Christmas Eve, 09:59:58 UTC: the team break at 10:00 runs, the one
	// on Christmas Day does not.
	clock := bottest.NewClock(time.Date(2026, 12, 24, 9, 59, 58, 0, time.UTC))
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

	io.WriteString(inW, "holidays DE\n")
	waitFor(t, out, "Germany, code DE")
	io.WriteString(inW, "schedule every day at 10:00\n")
	waitFor(t, out, "Team break #")
	team := regexp.MustCompile(`Team break (#[a-z0-9]+)`).FindStringSubmatch(out.String())[1]
	clock.Advance(2 * time.Second)
	waitFor(t, out, "Team stretch break "+team)
	io.WriteString(inW, "done\n")
	waitFor(t, out, "break done")
	// Each day's run is passed over before the clock moves on (the engine
	// runs on its own goroutine).
	for range 2 {
		clock.Advance(24 * time.Hour)
		waitNextRunAfter(t, m, team, clock.Now())
	}
	// Saturday 26 Dec, 10:00:00 has passed: two holidays skipped, as the
	// channel's stats say once both are recorded.
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(out.String(), "1 team break held, 2 skipped"); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("stats never showed the two skipped runs:\n%s", out.String())
		}
		io.WriteString(inW, "stats\n")
	}
	io.WriteString(inW, "summary every day at 11:00\n")
	waitFor(t, out, "Daily summary #")
	sum := regexp.MustCompile(`Daily summary (#[a-z0-9]+)`).FindStringSubmatch(out.String())[1]
	clock.Advance(time.Hour)
	waitFor(t, out, "Daily stretch summary "+sum)
	waitFor(t, out, "Team breaks per day: ")
	text := out.String()
	for _, want := range []string{"1 team break held, 2 skipped (public holiday: Christmas Day; public holiday: Second Day of Christmas)", "1 person took part"} {
		if !strings.Contains(text, want) {
			t.Errorf("summary lacks %q:\n%s", want, text)
		}
	}
	path := regexp.MustCompile(`Team breaks per day: (\S+\.png)`).FindStringSubmatch(text)[1]
	if filepath.Dir(path) != dir {
		t.Errorf("chart written to %s, want next to the database in %s", path, dir)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if b := img.Bounds(); b.Dx() < 600 {
		t.Errorf("chart is %dx%d", b.Dx(), b.Dy())
	}
	inW.Close()
	if err := <-done; err != nil {
		t.Fatalf("Run: %v", err)
	}
}

// waitNextRunAfter waits until the scheduler has moved reminder id (as
// "#id") past at.
func waitNextRunAfter(t *testing.T, m *Main, id string, at time.Time) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		r, err := m.Store.ReminderByID(context.Background(), bot.ReminderID(strings.TrimPrefix(id, "#")))
		if err == nil && r.NextRun.After(at) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s never moved past %s", id, at)
		}
	}
}
