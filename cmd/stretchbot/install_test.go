package main

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
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

// slackCall is one Web API call the fake Slack received, with its token.
type slackCall struct {
	Method, Token, Body string
}

// oauthSlack is a fake Slack that installs workspaces: oauth.v2.access
// hands out the token granted for a code, and every call is recorded with
// the token it was made with.
type oauthSlack struct {
	mu     sync.Mutex
	calls  []slackCall
	grants map[string][2]string // code → team, token
	n      int
}

func (f *oauthSlack) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	form, _ := url.ParseQuery(string(body))
	token := form.Get("token")
	if b, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		token = b
	}
	method := strings.TrimPrefix(r.URL.Path, "/api/")
	text := string(body)
	if unq, err := url.QueryUnescape(text); err == nil {
		text = unq
	}
	f.mu.Lock()
	f.calls = append(f.calls, slackCall{method, token, text})
	f.n++
	n := f.n
	grant, granted := f.grants[form.Get("code")]
	delete(f.grants, form.Get("code"))
	f.mu.Unlock()

	w.Header().Set("Content-Type", "application/json")
	switch method {
	case "oauth.v2.access":
		if !granted || form.Get("client_secret") != "e2e-client-secret" {
			io.WriteString(w, `{"ok":false,"error":"invalid_code"}`)
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"ok": true, "access_token": grant[1], "token_type": "bot", "scope": "commands,chat:write",
			"bot_user_id": "UBOT" + grant[0], "app_id": "A1", "team": map[string]any{"id": grant[0], "name": "Team " + grant[0]},
			"is_enterprise_install": false, "authed_user": map[string]any{"id": "U1"}})
	case "users.info":
		fmt.Fprintf(w, `{"ok":true,"user":{"id":%q,"tz":"Europe/Berlin"}}`, form.Get("user"))
	case "conversations.open":
		fmt.Fprintf(w, `{"ok":true,"channel":{"id":"D%s"}}`, form.Get("users"))
	case "chat.postMessage":
		fmt.Fprintf(w, `{"ok":true,"channel":%q,"ts":"1800000000.%06d"}`, form.Get("channel"), n)
	default:
		io.WriteString(w, `{"ok":true}`)
	}
}

func (f *oauthSlack) grant(code, team, token string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.grants == nil {
		f.grants = map[string][2]string{}
	}
	f.grants[code] = [2]string{team, token}
}

// find returns the calls of method whose body contains part.
func (f *oauthSlack) find(method, part string) []slackCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []slackCall
	for _, c := range f.calls {
		if c.Method == method && strings.Contains(c.Body, part) {
			out = append(out, c)
		}
	}
	return out
}

// wait polls until n calls of method contain part.
func (f *oauthSlack) wait(t *testing.T, method, part string, n int) []slackCall {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if got := f.find(method, part); len(got) >= n {
			return got
		}
	}
	t.Fatalf("fake Slack never got %d %s call(s) containing %q", n, method, part)
	return nil
}

// installEnv is the whole program with Slack OAuth over the fake.
type installEnv struct {
	t     *testing.T
	slack *oauthSlack
	clock *bottest.Clock
	m     *Main
	base  string
	logs  *syncBuffer
	n     int
}

const e2eSigningSecret = "e2e-signing-secret"

// post sends a correctly signed Slack request.
func (e *installEnv) post(path, contentType, body string) (int, string) {
	e.t.Helper()
	stamp := strconv.FormatInt(e.clock.Now().Unix(), 10)
	mac := hmac.New(sha256.New, []byte(e2eSigningSecret))
	io.WriteString(mac, "v0:"+stamp+":"+body)
	req, _ := http.NewRequest("POST", e.base+path, strings.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("X-Slack-Request-Timestamp", stamp)
	req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// command runs a slash command as user of team and returns the answer.
func (e *installEnv) command(team, user, text string) string {
	e.t.Helper()
	form := url.Values{"command": {"/stretch"}, "text": {text}, "team_id": {team}, "channel_id": {"C" + team}, "channel_name": {"general"},
		"user_id": {user}, "user_name": {"ana"}, "response_url": {"http://127.0.0.1:1/unused"}}
	code, body := e.post("/slack/commands", "application/x-www-form-urlencoded", form.Encode())
	if code != 200 {
		e.t.Fatalf("%s from %s = %d %s", text, team, code, body)
	}
	return body
}

// event sends an Events API callback from team.
func (e *installEnv) event(team string, ev map[string]any) {
	e.t.Helper()
	e.n++
	b, _ := json.Marshal(map[string]any{"type": "event_callback", "team_id": team, "event_id": fmt.Sprintf("Ev%d", e.n),
		"event_time": e.clock.Now().Unix(), "event": ev})
	if code, body := e.post("/slack/events", "application/json", string(b)); code != 200 {
		e.t.Fatalf("event = %d %s", code, body)
	}
}

// install goes through /slack/install in a browser with cookies, Slack
// granting token to team.
func (e *installEnv) install(team, token string) {
	e.t.Helper()
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := browser.Get(e.base + "/slack/install")
	if err != nil {
		e.t.Fatal(err)
	}
	resp.Body.Close()
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusFound || loc.Query().Get("client_id") != "123.456" {
		e.t.Fatalf("install = %d to %s", resp.StatusCode, loc)
	}
	code := "code-" + token
	e.slack.grant(code, team, token)
	resp, err = browser.Get(e.base + "/slack/oauth/callback?" + url.Values{"code": {code}, "state": {loc.Query().Get("state")}}.Encode())
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	page, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !bytes.Contains(page, []byte("stretchbot is installed")) || !bytes.Contains(page, []byte("/stretch help")) {
		e.t.Fatalf("callback = %d:\n%s", resp.StatusCode, page)
	}
}

var idPattern = regexp.MustCompile(`#([a-z0-9]{3,8})`)

func (e *installEnv) id(answer string) string {
	e.t.Helper()
	m := idPattern.FindString(answer)
	if m == "" {
		e.t.Fatalf("no id in %s", answer)
	}
	return m
}

func TestTwoWorkspacesInstallThroughTheBinaryAndKeepTheirTokensSecret(t *testing.T) {
	fake := &oauthSlack{}
	api := httptest.NewServer(fake)
	defer api.Close()
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "install.db")
	const oldKey = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="
	const newKey = "ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA="
	env := []string{
		"STRETCHBOT_DATABASE_URL", "sqlite://" + dbPath, "STRETCHBOT_MIN_INTERVAL", "1s", "STRETCHBOT_HTTP_ADDR", "127.0.0.1:0",
		"STRETCHBOT_SLACK_SIGNING_SECRET", e2eSigningSecret, "STRETCHBOT_SLACK_CLIENT_ID", "123.456",
		"STRETCHBOT_SLACK_CLIENT_SECRET", "e2e-client-secret", "STRETCHBOT_SLACK_API_URL", api.URL + "/api/",
		"STRETCHBOT_SLACK_OAUTH_URL", api.URL + "/oauth/v2/authorize", "STRETCHBOT_LOG_LEVEL", "debug",
	}
	cfg, err := config.Load("", envMap(append(env, "STRETCHBOT_SECRET_KEY", oldKey)...))
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.CheckRun(); err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	clock := bottest.NewClock(time.Unix(1_800_000_000, 0).UTC())
	m := &Main{Config: cfg, Clock: clock, Stdin: strings.NewReader(""), Stdout: io.Discard, Logger: newLogger(cfg, logs)}
	if err := m.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	stopped := false
	stop := func() {
		if !stopped {
			stopped = true
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Run: %v", err)
			}
			m.Close()
		}
	}
	defer stop()
	e := &installEnv{t: t, slack: fake, clock: clock, m: m, base: "http://" + m.Addr(), logs: logs}
	tokens := []string{"xoxb-e2e-one-first", "xoxb-e2e-two", "xoxb-e2e-one-again"}

	// Two workspaces install; the first command of each uses its token.
	e.install("T1", tokens[0])
	e.install("T2", tokens[1])
	mine1 := e.id(e.command("T1", "U1", "remind me every 2 seconds"))
	team1 := e.id(e.command("T1", "U1", "schedule every 2 seconds"))
	mine2 := e.id(e.command("T2", "U7", "remind me every 2 seconds"))
	for _, c := range fake.find("users.info", "") {
		want := map[string]string{"U1": tokens[0], "U7": tokens[1]}[regexp.MustCompile(`user=(U\d)`).FindStringSubmatch(c.Body)[1]]
		if c.Token != want {
			t.Errorf("users.info %s with %q, want %q", c.Body, c.Token, want)
		}
	}

	// Deliveries, each with its workspace's own token.
	clock.Advance(2 * time.Second)
	for id, token := range map[string]string{mine1: tokens[0], team1: tokens[0], mine2: tokens[1]} {
		for _, c := range fake.wait(t, "chat.postMessage", id, 1) {
			if c.Token != token {
				t.Errorf("%s delivered with %q, want %q", id, c.Token, token)
			}
		}
	}

	// The App Home shows the user's reminders and follows their changes.
	e.event("T1", map[string]any{"type": "app_home_opened", "user": "U1", "channel": "DU1", "tab": "home"})
	pub := fake.wait(t, "views.publish", mine1, 1)[0]
	if pub.Token != tokens[0] || !strings.Contains(pub.Body, team1) || !strings.Contains(pub.Body, "Europe/Berlin") {
		t.Errorf("home = %+v", pub)
	}
	daily := e.id(e.command("T1", "U1", "remind me every day at 10:30 to drink water"))
	fake.wait(t, "views.publish", daily, 1)
	e.command("T1", "U1", "pause "+daily)
	fake.wait(t, "views.publish", "paused", 1)
	paused := func(id string) bool {
		t.Helper()
		r, err := m.Store.ReminderByID(context.Background(), bot.ReminderID(strings.TrimPrefix(id, "#")))
		if err != nil {
			t.Fatal(err)
		}
		return r.Paused
	}

	// T1 uninstalls: its schedules pause, T2's go on.
	before1, before2 := len(fake.find("chat.postMessage", mine1)), len(fake.find("chat.postMessage", mine2))
	e.event("T1", map[string]any{"type": "app_uninstalled"})
	e.event("T1", map[string]any{"type": "tokens_revoked", "tokens": map[string]any{"bot": []string{"UBOTT1"}}})
	waitFor(t, logs, "token deleted and reminders paused")
	if !paused(mine1) || !paused(team1) || paused(mine2) {
		t.Errorf("after T1 uninstalled: paused %v %v %v, want T1's only", paused(mine1), paused(team1), paused(mine2))
	}
	for i := 1; i <= 3; i++ {
		// T2's delivery of each run shows the scheduler reached it; T1's
		// of the same instant would have been made by then.
		clock.Advance(2 * time.Second)
		fake.wait(t, "chat.postMessage", mine2, before2+i)
	}
	if n := len(fake.find("chat.postMessage", mine1)); n > before1+1 {
		// One delivery may have been under way when the event came.
		t.Errorf("T1 kept getting deliveries after uninstalling: %d, was %d", n, before1)
	}
	paused1 := len(fake.find("chat.postMessage", mine1))

	// T1 installs again: exactly its paused schedules resume, with the new token.
	e.install("T1", tokens[2])
	if paused(mine1) || paused(team1) || !paused(daily) {
		t.Errorf("after reinstall: paused %v %v %v, want only the one its user paused", paused(mine1), paused(team1), paused(daily))
	}
	clock.Advance(2 * time.Second)
	got := fake.wait(t, "chat.postMessage", mine1, paused1+1)
	if last := got[len(got)-1]; last.Token != tokens[2] {
		t.Errorf("after reinstall delivered with %q", last.Token)
	}
	stop()

	// Rotate the key through the binary: old tokens open, all get the new key.
	rotEnv := envMap(append(env, "STRETCHBOT_SECRET_KEY", newKey, "STRETCHBOT_SECRET_KEY_PREVIOUS", oldKey)...)
	out, errOut, code := runConsole(t, "", rotEnv, "rotate-key")
	if code != 0 || !strings.Contains(out, "Re-encrypted 2 Slack token(s)") {
		t.Fatalf("rotate-key: exit %d, %q %q", code, out, errOut)
	}
	out, _, code = runConsole(t, "", rotEnv, "rotate-key")
	if code != 0 || !strings.Contains(out, "Re-encrypted 0") {
		t.Errorf("rotate-key again: exit %d, %q", code, out)
	}
	_, errOut, code = runConsole(t, "", envMap(append(env, "STRETCHBOT_SECRET_KEY", oldKey)...), "rotate-key")
	if code != 1 || !strings.Contains(errOut, "STRETCHBOT_SECRET_KEY_PREVIOUS") {
		t.Errorf("rotate-key without the key that sealed them: exit %d, %q", code, errOut)
	}

	// No token anywhere in clear: not in the database, not in the logs.
	var stored []byte
	for _, suffix := range []string{"", "-wal", "-shm"} {
		b, err := os.ReadFile(dbPath + suffix)
		if err == nil {
			stored = append(stored, b...)
		}
	}
	if len(stored) == 0 {
		t.Fatal("no database file to check")
	}
	if bytes.Contains(stored, []byte("xoxb-")) {
		t.Error("the database holds a bot token in clear")
	}
	for _, tok := range append(tokens, "e2e-client-secret") {
		if bytes.Contains(stored, []byte(tok)) {
			t.Errorf("the database holds %s", tok)
		}
		if strings.Contains(logs.String(), tok) || strings.Contains(errOut, tok) {
			t.Errorf("the logs hold %s", tok)
		}
	}
	if !strings.Contains(logs.String(), "slack: installed") {
		t.Errorf("logs were not captured:\n%.2000s", logs.String())
	}
}
