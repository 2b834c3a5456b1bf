package slack

import (
	"bytes"
	"context"
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
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
)

// call is one request the fake Slack received.
type call struct {
	Method string     // Web API method ("chat.postMessage") or "response_url"
	Params url.Values // form parameters, token removed
	JSON   map[string]any
	TS     string    // ts the fake answered, for posts
	At     time.Time // the test clock's time at the call
	Token  string    // the token the call was made with, from the form or the Authorization header
}

// failure is a scripted answer: an HTTP status with Retry-After, or an
// ok:false error code.
type failure struct {
	status     int
	retryAfter string
	code       string
}

// fakeSlack is a local Slack Web API that records every call.
type fakeSlack struct {
	srv *httptest.Server

	mu     sync.Mutex
	calls  []call
	fail   map[string][]failure // method → queued failures, consumed in order
	always map[string]failure   // method → failure on every call
	gone   map[string]string    // channel → error code
	users  map[string]map[string]any
	// channels answers conversations.info; unknown ids are channel_not_found.
	channels map[string]map[string]any
	// dnd answers dnd.info by user; others are not in do-not-disturb.
	dnd     map[string]map[string]any
	ts      int
	openErr string // apps.connections.open error
	// before, when set, may fail any Web API call before the script does.
	before func(c call) (failure, bool)
	// now stamps calls; newTestEnv sets the test clock.
	now   func() time.Time
	wsURL string // when set, apps.connections.open succeeds with it
	ws    http.Handler
	// grants answers oauth.v2.access: code → its answer. A code works
	// once, as at Slack.
	grants map[string]map[string]any
	// lose counts, by method, the next calls the fake takes (a post is
	// posted) and then answers by dropping the connection, as when the
	// answer is lost on its way back.
	lose map[string]int
}

func newFakeSlack(t testing.TB) *fakeSlack {
	t.Helper()
	f := &fakeSlack{
		fail:   map[string][]failure{},
		always: map[string]failure{},
		gone:   map[string]string{"CGONE": "channel_not_found"},
		users: map[string]map[string]any{
			"U1": {"id": "U1", "name": "ann", "tz": "Europe/Berlin", "is_admin": true},
			"U2": {"id": "U2", "name": "bob", "tz": "America/New_York"},
		},
		channels: map[string]map[string]any{
			"C1":      {"id": "C1", "is_channel": true, "is_member": true, "context_team_id": "T1"},
			"CMEMBER": {"id": "CMEMBER", "is_channel": true, "is_member": true, "context_team_id": "T1"},
			"CPUB":    {"id": "CPUB", "is_channel": true, "is_member": false, "context_team_id": "T1"},
			"GPRIV":   {"id": "GPRIV", "is_channel": true, "is_private": true, "is_member": true, "context_team_id": "T1"},
			"CPRIV":   {"id": "CPRIV", "is_channel": true, "is_private": true, "is_member": false, "context_team_id": "T1"},
			"GOLD":    {"id": "GOLD", "is_group": true, "is_member": false},
			"CEXT":    {"id": "CEXT", "is_channel": true, "is_member": true, "context_team_id": "T9", "shared_team_ids": []string{"T9"}},
			"CSHARED": {"id": "CSHARED", "is_channel": true, "is_member": true, "is_ext_shared": true, "context_team_id": "T9", "shared_team_ids": []string{"T9", "T1"}},
			"CNOTEAM": {"id": "CNOTEAM", "is_channel": true, "is_member": false},
		},
		openErr: "invalid_auth",
	}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeSlack) apiURL() string      { return f.srv.URL + "/api" }
func (f *fakeSlack) responseURL() string { return f.srv.URL + "/response/1" }

func (f *fakeSlack) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	c := call{Params: url.Values{}}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") && len(body) > 0 {
		_ = json.Unmarshal(body, &c.JSON)
	} else {
		c.Params, _ = url.ParseQuery(string(body))
		for k, v := range r.URL.Query() {
			c.Params[k] = v
		}
	}
	c.Token = c.Params.Get("token")
	if bearer, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		c.Token = bearer
	}
	c.Params.Del("token")
	f.mu.Lock()
	ws := f.ws
	f.mu.Unlock()
	if r.URL.Path == "/ws" && ws != nil {
		ws.ServeHTTP(w, r)
		return
	}
	if strings.HasPrefix(r.URL.Path, "/response/") {
		c.Method = "response_url"
		f.record(c)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"ok":true}`))
		return
	}
	c.Method = strings.TrimPrefix(r.URL.Path, "/api/")

	f.mu.Lock()
	before := f.before
	f.mu.Unlock()
	var fl failure
	scripted := false
	if before != nil {
		fl, scripted = before(c)
	}
	f.mu.Lock()
	if !scripted {
		fl, scripted = f.always[c.Method]
	}
	if !scripted && len(f.fail[c.Method]) > 0 {
		fl, scripted = f.fail[c.Method][0], true
		f.fail[c.Method] = f.fail[c.Method][1:]
	}
	if code, ok := f.gone[c.Params.Get("channel")]; ok && !scripted {
		fl, scripted = failure{code: code}, true
	}
	f.mu.Unlock()

	if scripted {
		f.record(c)
		if fl.status != 0 {
			if fl.retryAfter != "" {
				w.Header().Set("Retry-After", fl.retryAfter)
			}
			w.WriteHeader(fl.status)
			_, _ = w.Write([]byte("<html>busy</html>"))
			return
		}
		writeJSON(w, map[string]any{"ok": false, "error": fl.code})
		return
	}

	switch c.Method {
	case "auth.test":
		f.record(c)
		writeJSON(w, map[string]any{"ok": true, "user_id": "UBOT", "team_id": "T1", "bot_id": "BBOT"})
	case "chat.postMessage", "chat.update":
		c.TS = f.nextTS()
		f.record(c)
		if f.lost(c.Method) {
			if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
				conn.Close()
				return
			}
		}
		channel := c.Params.Get("channel")
		if strings.HasPrefix(channel, "U") && c.Method == "chat.postMessage" {
			// A bot's post to a user id goes to its DM with the user,
			// and Slack answers with the DM's id, as conversations.open
			// would (below).
			channel = "D" + channel
		}
		writeJSON(w, map[string]any{"ok": true, "channel": channel, "ts": c.TS})
	case "conversations.history":
		f.record(c)
		msgs, next := f.history(c.Params)
		writeJSON(w, map[string]any{"ok": true, "messages": msgs, "has_more": next != "",
			"response_metadata": map[string]any{"next_cursor": next}})
	case "chat.postEphemeral":
		c.TS = f.nextTS()
		f.record(c)
		writeJSON(w, map[string]any{"ok": true, "message_ts": c.TS})
	case "conversations.open":
		f.record(c)
		writeJSON(w, map[string]any{"ok": true, "channel": map[string]any{"id": "D" + c.Params.Get("users")}})
	case "conversations.info":
		f.record(c)
		f.mu.Lock()
		ch, ok := f.channels[c.Params.Get("channel")]
		f.mu.Unlock()
		if !ok {
			writeJSON(w, map[string]any{"ok": false, "error": "channel_not_found"})
			return
		}
		writeJSON(w, map[string]any{"ok": true, "channel": ch})
	case "dnd.info":
		f.record(c)
		f.mu.Lock()
		d := map[string]any{"ok": true, "dnd_enabled": false}
		for k, v := range f.dnd[c.Params.Get("user")] {
			d[k] = v
		}
		f.mu.Unlock()
		writeJSON(w, d)
	case "users.info":
		f.record(c)
		f.mu.Lock()
		u, ok := f.users[c.Params.Get("user")]
		f.mu.Unlock()
		if !ok {
			writeJSON(w, map[string]any{"ok": false, "error": "user_not_found"})
			return
		}
		writeJSON(w, map[string]any{"ok": true, "user": u})
	case "views.publish":
		f.record(c)
		writeJSON(w, map[string]any{"ok": true, "view": map[string]any{"id": "V1"}})
	case "oauth.v2.access":
		f.record(c)
		f.mu.Lock()
		grant, ok := f.grants[c.Params.Get("code")]
		delete(f.grants, c.Params.Get("code"))
		f.mu.Unlock()
		if !ok || c.Params.Get("client_secret") != testClientSecret {
			writeJSON(w, map[string]any{"ok": false, "error": "invalid_code"})
			return
		}
		writeJSON(w, grant)
	case "apps.connections.open":
		f.record(c)
		f.mu.Lock()
		wsURL, openErr := f.wsURL, f.openErr
		f.mu.Unlock()
		if wsURL != "" {
			writeJSON(w, map[string]any{"ok": true, "url": wsURL})
			return
		}
		writeJSON(w, map[string]any{"ok": false, "error": openErr})
	default:
		f.record(c)
		writeJSON(w, map[string]any{"ok": false, "error": "unknown_method"})
	}
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func (f *fakeSlack) record(c call) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.now != nil {
		c.At = f.now()
	}
	f.calls = append(f.calls, c)
}

func (f *fakeSlack) nextTS() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.ts++
	// Slack's ts is the time it took the message, made unique.
	sec := int64(1700000000)
	if f.now != nil {
		sec = f.now().Unix()
	}
	return fmt.Sprintf("%d.%06d", sec, f.ts)
}

// loseNext makes the next n calls of method be taken and their answers
// lost.
func (f *fakeSlack) loseNext(method string, n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.lose == nil {
		f.lose = map[string]int{}
	}
	f.lose[method] += n
}

// lost reports whether this call of method loses its answer.
func (f *fakeSlack) lost(method string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.lose[method] == 0 {
		return false
	}
	f.lose[method]--
	return true
}

// history answers conversations.history from the posts the fake took
// and the chatter of others: the messages in the channel (a post to a
// user id is in the DM "D"+user), newest first, between oldest and latest
// (each included only when inclusive is set), a page of at most limit
// from cursor on, with the bot's metadata when include_all_metadata is
// set. next is the cursor of the next page, empty on the last.
func (f *fakeSlack) history(p url.Values) (msgs []map[string]any, next string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	limit, _ := strconv.Atoi(p.Get("limit"))
	if limit == 0 {
		limit = 100
	}
	from, _ := strconv.Atoi(p.Get("cursor"))
	oldest, latest, inclusive := p.Get("oldest"), p.Get("latest"), p.Get("inclusive") == "1"
	in := func(ts string) bool {
		if (oldest != "" && ts < oldest) || (latest != "" && ts > latest) {
			return false
		}
		return inclusive || (ts != oldest && ts != latest)
	}
	all := []map[string]any{}
	for i := len(f.calls) - 1; i >= 0; i-- {
		c := f.calls[i]
		channel := c.Params.Get("channel")
		if strings.HasPrefix(channel, "U") {
			channel = "D" + channel
		}
		if channel != p.Get("channel") || !in(c.TS) {
			continue
		}
		var m map[string]any
		switch c.Method {
		case "chat.postMessage":
			m = map[string]any{"type": "message", "user": "UBOT", "bot_id": "BBOT", "ts": c.TS, "text": c.Params.Get("text")}
			if md := c.Params.Get("metadata"); md != "" && p.Get("include_all_metadata") == "1" {
				var v any
				_ = json.Unmarshal([]byte(md), &v)
				m["metadata"] = v
			}
		case "chatter":
			m = map[string]any{"type": "message", "user": c.Params.Get("user"), "ts": c.TS, "text": "hello"}
		default:
			continue
		}
		all = append(all, m)
	}
	if from >= len(all) {
		return []map[string]any{}, ""
	}
	to := min(from+limit, len(all))
	if to < len(all) {
		next = strconv.Itoa(to)
	}
	return all[from:to], next
}

// chatter has user U2 say n things in channel, after everything so far.
func (f *fakeSlack) chatter(channel string, n int) {
	for range n {
		c := call{Method: "chatter", Params: url.Values{"channel": {channel}, "user": {"U2"}}, TS: f.nextTS()}
		f.record(c)
	}
}

// failNext queues failures for method.
func (f *fakeSlack) failNext(method string, fl ...failure) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fail[method] = append(f.fail[method], fl...)
}

// failAlways makes every call of method fail.
func (f *fakeSlack) failAlways(method string, fl failure) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.always[method] = fl
}

// grant makes code answer oauth.v2.access with a bot token for team.
func (f *fakeSlack) grant(code, team, token string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.grants == nil {
		f.grants = map[string]map[string]any{}
	}
	f.grants[code] = map[string]any{
		"ok": true, "access_token": token, "token_type": "bot", "scope": "commands,chat:write", "bot_user_id": "UBOT" + team,
		"app_id": "A1", "team": map[string]any{"id": team, "name": "Team " + team}, "enterprise": nil,
		"is_enterprise_install": false, "authed_user": map[string]any{"id": "U1"},
	}
}

// callsTo returns the recorded calls of method, in order.
func (f *fakeSlack) callsTo(method string) []call {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []call
	for _, c := range f.calls {
		if c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

// testClock is a settable clock; its sleep advances it instead of waiting.
type testClock struct {
	mu     sync.Mutex
	t      time.Time
	sleeps []time.Duration
}

func newTestClock(t time.Time) *testClock { return &testClock{t: t} }

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func (c *testClock) sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d <= 0 {
		return nil
	}
	c.mu.Lock()
	c.sleeps = append(c.sleeps, d)
	c.t = c.t.Add(d)
	c.mu.Unlock()
	return nil
}

func (c *testClock) Sleeps() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.sleeps...)
}

const testSecret = "8f742231b10e8888abcd99yyyzzz85a5"

// testEnv is an adapter wired to a fake Slack and a test clock.
type testEnv struct {
	a     *Adapter
	f     *fakeSlack
	clock *testClock
	mux   *http.ServeMux
}

// newTestEnv builds an adapter over a fake Slack whose handler is h.
func newTestEnv(t testing.TB, h bot.Handler, cfg ...func(*Config)) *testEnv {
	t.Helper()
	return newTestEnvWith(t, h, nil, cfg...)
}

// newTestEnvWith is newTestEnv with extra options for New.
func newTestEnvWith(t testing.TB, h bot.Handler, opts []Option, cfg ...func(*Config)) *testEnv {
	t.Helper()
	f := newFakeSlack(t)
	clock := newTestClock(time.Unix(1700000000, 0))
	f.now = clock.Now
	c := Config{SigningSecret: testSecret, BotToken: "xoxb-test", APIURL: f.apiURL()}
	for _, fn := range cfg {
		fn(&c)
	}
	opts = append([]Option{WithNow(clock.Now), WithHTTPClient(f.srv.Client()), WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil)))}, opts...)
	a, err := New(c, opts...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	a.sleep = clock.sleep
	a.retries.Policy.Min = time.Millisecond
	mux := http.NewServeMux()
	a.Mount(mux, h)
	return &testEnv{a: a, f: f, clock: clock, mux: mux}
}

// sign returns Slack's v0 signature of body at ts.
func sign(secret, ts string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(mac, "v0:%s:", ts)
	mac.Write(body)
	return "v0=" + hex.EncodeToString(mac.Sum(nil))
}

// post sends a correctly signed request to path and waits for the
// adapter's background work.
func (e *testEnv) post(t testing.TB, path, contentType string, body []byte, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	return e.postAt(t, strconv.FormatInt(e.clock.Now().Unix(), 10), path, contentType, body, hdr...)
}

// postAt is post signed with timestamp ts: the same ts and body give the
// same signature, as a captured request replayed to another instance has.
func (e *testEnv) postAt(t testing.TB, ts, path, contentType string, body []byte, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", sign(testSecret, ts, body))
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	e.mux.ServeHTTP(w, req)
	e.a.wg.Wait()
	return w
}

// postEvent sends an event_callback with inner event ev.
func (e *testEnv) postEvent(t testing.TB, eventID string, ev map[string]any, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	return e.postEnvelope(t, map[string]any{"type": "event_callback", "team_id": "T1", "event_id": eventID, "event": ev}, hdr...)
}

// postEnvelope sends an Events API body.
func (e *testEnv) postEnvelope(t testing.TB, env map[string]any, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	body, err := json.Marshal(env)
	if err != nil {
		t.Fatal(err)
	}
	return e.post(t, "/slack/events", "application/json", body, hdr...)
}

// postCommand sends a slash command with text.
func (e *testEnv) postCommand(t testing.TB, user, channel, text string) *httptest.ResponseRecorder {
	t.Helper()
	return e.postCommandIn(t, "T1", "", user, channel, text)
}

// postCommandIn sends a slash command from team (in enterprise, if not
// empty).
func (e *testEnv) postCommandIn(t testing.TB, team, enterprise, user, channel, text string) *httptest.ResponseRecorder {
	t.Helper()
	v := url.Values{
		"team_id": {team}, "channel_id": {channel}, "channel_name": {"general"}, "user_id": {user}, "user_name": {"ann"},
		"command": {"/stretch"}, "text": {text}, "response_url": {e.f.responseURL()},
	}
	if enterprise != "" {
		v.Set("enterprise_id", enterprise)
	}
	return e.post(t, "/slack/commands", "application/x-www-form-urlencoded", []byte(v.Encode()))
}

// postInteraction sends a block_actions payload.
func (e *testEnv) postInteraction(t testing.TB, payload map[string]any) *httptest.ResponseRecorder {
	t.Helper()
	b, err := json.Marshal(payload)
	if err != nil {
		t.Fatal(err)
	}
	v := url.Values{"payload": {string(b)}}
	return e.post(t, "/slack/interactions", "application/x-www-form-urlencoded", []byte(v.Encode()))
}

// funcHandler is a bot.Handler made of functions, recording what it got.
type funcHandler struct {
	mu      sync.Mutex
	msgs    []bot.Message
	actions []bot.ActionEvent
	handle  func(ctx context.Context, m bot.Message) bot.Reply
	action  func(ctx context.Context, e bot.ActionEvent) bot.ActionResult
}

func (h *funcHandler) Handle(ctx context.Context, m bot.Message) bot.Reply {
	h.mu.Lock()
	h.msgs = append(h.msgs, m)
	h.mu.Unlock()
	if h.handle != nil {
		return h.handle(ctx, m)
	}
	return bot.Reply{Blocks: []string{"echo: " + m.Text}, Visibility: bot.Public}
}

func (h *funcHandler) HandleAction(ctx context.Context, e bot.ActionEvent) bot.ActionResult {
	h.mu.Lock()
	h.actions = append(h.actions, e)
	h.mu.Unlock()
	if h.action != nil {
		return h.action(ctx, e)
	}
	return bot.ActionResult{}
}

func (h *funcHandler) Messages() []bot.Message {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]bot.Message(nil), h.msgs...)
}

func (h *funcHandler) Actions() []bot.ActionEvent {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]bot.ActionEvent(nil), h.actions...)
}
