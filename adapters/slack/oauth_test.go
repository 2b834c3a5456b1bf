package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/internal/secretbox"
)

const (
	testClientID     = "111.222"
	testClientSecret = "client-secret-1"
)

// memInstalls is an InstallStore in memory, behaving like the drivers.
type memInstalls struct {
	mu sync.Mutex
	m  map[bot.TenantID]bot.Installation
}

func newMemInstalls() *memInstalls { return &memInstalls{m: map[bot.TenantID]bot.Installation{}} }

func (s *memInstalls) SaveInstallation(_ context.Context, in bot.Installation) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[in.Tenant] = in
	return nil
}

func (s *memInstalls) Installation(_ context.Context, _ bot.Platform, t bot.TenantID) (bot.Installation, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	in, ok := s.m[t]
	if !ok {
		return bot.Installation{}, bot.ErrNotFound
	}
	return in, nil
}

func (s *memInstalls) DeleteInstallation(_ context.Context, _ bot.Platform, t bot.TenantID) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, t)
	return nil
}

func (s *memInstalls) Installations(_ context.Context, _ bot.Platform) ([]bot.Installation, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []bot.Installation
	for _, in := range s.m {
		out = append(out, in)
	}
	slices.SortFunc(out, func(a, b bot.Installation) int { return strings.Compare(string(a.Tenant), string(b.Tenant)) })
	return out, nil
}

func (s *memInstalls) has(t bot.TenantID) bool {
	_, err := s.Installation(context.Background(), bot.Slack, t)
	return err == nil
}

// appHandler is a core that also hears about installs and builds homes.
type appHandler struct {
	funcHandler
	mu                     sync.Mutex
	installed, uninstalled []bot.TenantID
}

func (h *appHandler) Installed(_ context.Context, p bot.Platform, t bot.TenantID) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.installed = append(h.installed, t)
	return nil
}

func (h *appHandler) Uninstalled(_ context.Context, p bot.Platform, t bot.TenantID) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.uninstalled = append(h.uninstalled, t)
	return nil
}

func (h *appHandler) Home(_ context.Context, m bot.Message) (bot.Home, error) {
	return bot.Home{
		Title:    "Home of " + string(m.User),
		Sections: []bot.HomeSection{{Heading: "Your next reminders", Lines: []string{"#k3f9 · every day at 10:30 <b>"}}},
		Actions:  []bot.Action{{ID: bot.ActionHomeBreak, Label: "Take a break now", Value: "break"}},
		Note:     "Send me help",
	}, nil
}

func (h *appHandler) events() (installed, uninstalled []bot.TenantID) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.installed), slices.Clone(h.uninstalled)
}

// oauthEnv is an adapter with the OAuth install over a fake Slack.
type oauthEnv struct {
	*testEnv
	store  *memInstalls
	box    *secretbox.Box
	h      *appHandler
	logs   *syncBuffer
	tokens []string // every token Slack handed out
}

func testBox(t testing.TB, fill byte, previous ...secretbox.Key) *secretbox.Box {
	t.Helper()
	k, err := secretbox.NewKey(bytes.Repeat([]byte{fill}, secretbox.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	b, err := secretbox.New(k, previous...)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// newOAuthEnv builds an OAuth adapter without a configured bot token. At
// the end of the test it checks that no token Slack handed out reached
// the logs or the store in clear.
func newOAuthEnv(t *testing.T, cfg ...func(*Config)) *oauthEnv {
	t.Helper()
	return newOAuthEnvKey(t, 1, cfg...)
}

// newOAuthEnvKey is newOAuthEnv with a secret key made of the byte fill.
func newOAuthEnvKey(t *testing.T, fill byte, cfg ...func(*Config)) *oauthEnv {
	t.Helper()
	return newOAuthEnvWith(t, fill, nil, cfg...)
}

// newOAuthEnvWith is newOAuthEnvKey with more options for New.
func newOAuthEnvWith(t *testing.T, fill byte, opts []Option, cfg ...func(*Config)) *oauthEnv {
	t.Helper()
	e := &oauthEnv{store: newMemInstalls(), box: testBox(t, fill), h: &appHandler{}, logs: &syncBuffer{}}
	log := slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	cfg = append([]func(*Config){func(c *Config) {
		c.BotToken, c.ClientID, c.ClientSecret = "", testClientID, testClientSecret
		c.PublicURL, c.OAuthURL = "https://bot.example.com", "https://slack.example/oauth/v2/authorize"
	}}, cfg...)
	e.testEnv = newTestEnvWith(t, e.h, append([]Option{WithLogger(log), WithInstalls(e.store, e.box)}, opts...), cfg...)
	e.a.h.Store(ptr[bot.Handler](e.h))
	t.Cleanup(func() {
		logs := e.logs.String()
		stored, _ := e.store.Installations(context.Background(), bot.Slack)
		for _, tok := range e.tokens {
			if strings.Contains(logs, tok) {
				t.Errorf("a token reached the logs: %s", tok)
			}
			for _, in := range stored {
				if strings.Contains(in.SealedToken, tok) || strings.Contains(in.SealedToken, "xoxb-") {
					t.Errorf("installation %s keeps its token in clear", in.Tenant)
				}
			}
		}
	})
	return e
}

func ptr[T any](v T) *T { return &v }

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// get sends a browser's GET to path with cookies.
func (e *oauthEnv) get(path string, cookies ...*http.Cookie) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for _, c := range cookies {
		req.AddCookie(c)
	}
	w := httptest.NewRecorder()
	e.mux.ServeHTTP(w, req)
	e.a.wg.Wait()
	return w
}

// start opens /slack/install and returns the state Slack would send back
// and the browser's cookie.
func (e *oauthEnv) start(t *testing.T) (string, *http.Cookie) {
	t.Helper()
	w := e.get("/slack/install")
	if w.Code != http.StatusFound {
		t.Fatalf("install = %d, want a redirect", w.Code)
	}
	loc, err := url.Parse(w.Header().Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	cookies := w.Result().Cookies()
	if len(cookies) != 1 {
		t.Fatalf("install set cookies %v, want one", cookies)
	}
	return loc.Query().Get("state"), cookies[0]
}

// callback returns the browser to the bot as Slack would.
func (e *oauthEnv) callback(state, code string, cookie *http.Cookie) *httptest.ResponseRecorder {
	q := url.Values{"code": {code}, "state": {state}}
	if cookie == nil {
		return e.get("/slack/oauth/callback?" + q.Encode())
	}
	return e.get("/slack/oauth/callback?"+q.Encode(), cookie)
}

// install runs the whole install of team, which Slack grants token.
func (e *oauthEnv) install(t *testing.T, team, token string) {
	t.Helper()
	e.tokens = append(e.tokens, token)
	state, cookie := e.start(t)
	e.f.grant("code-"+team+token, team, token)
	w := e.callback(state, "code-"+team+token, cookie)
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "stretchbot is installed") {
		t.Fatalf("callback = %d:\n%s", w.Code, w.Body.String())
	}
}

// tokensOf lists the tokens of the recorded calls of method, in order.
func (e *oauthEnv) tokensOf(method string) []string {
	var out []string
	for _, c := range e.f.callsTo(method) {
		out = append(out, c.Token)
	}
	return out
}

func TestInstallRedirectsToSlackWithAOneTimeStateBoundToTheBrowser(t *testing.T) {
	e := newOAuthEnv(t)
	w := e.get("/slack/install")
	loc, _ := url.Parse(w.Header().Get("Location"))
	q := loc.Query()
	if w.Code != http.StatusFound || loc.Host != "slack.example" || loc.Path != "/oauth/v2/authorize" {
		t.Fatalf("install = %d to %s", w.Code, loc)
	}
	if q.Get("client_id") != testClientID || q.Get("redirect_uri") != "https://bot.example.com/slack/oauth/callback" {
		t.Errorf("authorize query = %v", q)
	}
	scopes := strings.Split(q.Get("scope"), ",")
	if !slices.Equal(scopes, botScopes) {
		t.Errorf("scope = %v, want the manifest's %v", scopes, botScopes)
	}
	c := w.Result().Cookies()[0]
	if len(q.Get("state")) < 20 || !strings.HasPrefix(c.Value, q.Get("state")+".") {
		t.Errorf("state %q is not bound to the cookie %q", q.Get("state"), c.Value)
	}
	if !c.HttpOnly || !c.Secure || c.SameSite != http.SameSiteLaxMode || c.Path != "/slack/oauth/callback" || c.MaxAge != 600 {
		t.Errorf("cookie = %+v, want HttpOnly, Secure, Lax, scoped to the callback, 10 minutes", c)
	}
	if state2, _ := e.start(t); state2 == q.Get("state") {
		t.Error("two installs got the same state")
	}
}

func TestInstallKeepsTheTokenSealedAndTheFirstCommandUsesIt(t *testing.T) {
	e := newOAuthEnv(t)
	e.install(t, "T1", "xoxb-T1-first-token")

	ex := e.f.callsTo("oauth.v2.access")
	if len(ex) != 1 || ex[0].Params.Get("client_id") != testClientID || ex[0].Params.Get("redirect_uri") != "https://bot.example.com/slack/oauth/callback" {
		t.Fatalf("oauth.v2.access calls = %+v", ex)
	}
	in, err := e.store.Installation(context.Background(), bot.Slack, "T1")
	if err != nil {
		t.Fatal(err)
	}
	if in.BotUserID != "UBOTT1" || in.TeamName != "Team T1" || in.Installer != "U1" || in.Scopes == "" || !in.InstalledAt.Equal(e.clock.Now()) {
		t.Errorf("installation = %+v", in)
	}
	if kid, err := secretbox.SealedWith(in.SealedToken); err != nil || kid != e.box.KeyID() {
		t.Errorf("token sealed with %q, %v; want the current key", kid, err)
	}
	if installed, _ := e.h.events(); !slices.Equal(installed, []bot.TenantID{"T1"}) {
		t.Errorf("the core heard of installs %v, want T1", installed)
	}

	w := e.postCommandIn(t, "T1", "", "U1", "C1", "break")
	if !strings.Contains(w.Body.String(), "echo: break") {
		t.Fatalf("command answer = %s", w.Body.String())
	}
	if got := e.tokensOf("users.info"); !slices.Equal(got, []string{"xoxb-T1-first-token"}) {
		t.Errorf("users.info tokens = %v, want the new workspace's", got)
	}
	e.postEnvelope(t, map[string]any{"type": "event_callback", "team_id": "T1", "event_id": "Ev1",
		"event": map[string]any{"type": "message", "channel_type": "im", "channel": "D1", "user": "U2", "text": "help", "ts": "1.1"}})
	if got := e.tokensOf("chat.postMessage"); !slices.Equal(got, []string{"xoxb-T1-first-token"}) {
		t.Errorf("reply tokens = %v", got)
	}
	// Its own messages are recognised by the bot user id of the install.
	e.postEnvelope(t, map[string]any{"type": "event_callback", "team_id": "T1", "event_id": "Ev2",
		"event": map[string]any{"type": "message", "channel_type": "im", "channel": "D1", "user": "UBOTT1", "text": "help", "ts": "1.2"}})
	if n := len(e.f.callsTo("chat.postMessage")); n != 1 {
		t.Errorf("the bot answered itself: %d posts", n)
	}
	if n := len(e.f.callsTo("auth.test")); n != 0 {
		t.Errorf("auth.test called %d times; the install names the bot user", n)
	}
}

func TestInstallRefusesAForgedReplayedOrForeignState(t *testing.T) {
	tests := []struct {
		name string
		run  func(t *testing.T, e *oauthEnv) *httptest.ResponseRecorder
	}{
		{"no cookie", func(t *testing.T, e *oauthEnv) *httptest.ResponseRecorder {
			state, _ := e.start(t)
			return e.callback(state, "code-1", nil)
		}},
		{"state of another browser", func(t *testing.T, e *oauthEnv) *httptest.ResponseRecorder {
			theirs, _ := e.start(t)
			_, mine := e.start(t)
			return e.callback(theirs, "code-1", mine)
		}},
		{"forged cookie", func(t *testing.T, e *oauthEnv) *httptest.ResponseRecorder {
			return e.callback("abc", "code-1", &http.Cookie{Name: stateCookie, Value: "abc.99999999999.AAAA"})
		}},
		{"cookie signed with another key", func(t *testing.T, e *oauthEnv) *httptest.ResponseRecorder {
			other := newOAuthEnvKey(t, 9)
			state, cookie := other.start(t)
			return e.callback(state, "code-1", cookie)
		}},
		{"tampered expiry", func(t *testing.T, e *oauthEnv) *httptest.ResponseRecorder {
			state, c := e.start(t)
			parts := strings.Split(c.Value, ".")
			c.Value = parts[0] + ".99999999999." + parts[2]
			return e.callback(state, "code-1", c)
		}},
		{"expired", func(t *testing.T, e *oauthEnv) *httptest.ResponseRecorder {
			state, c := e.start(t)
			e.clock.Advance(stateTTL + time.Second)
			return e.callback(state, "code-1", c)
		}},
		{"missing state", func(t *testing.T, e *oauthEnv) *httptest.ResponseRecorder {
			_, c := e.start(t)
			return e.callback("", "code-1", c)
		}},
		{"replayed", func(t *testing.T, e *oauthEnv) *httptest.ResponseRecorder {
			state, c := e.start(t)
			e.f.grant("code-0", "T0", "xoxb-T0-token")
			e.tokens = append(e.tokens, "xoxb-T0-token")
			if w := e.callback(state, "code-0", c); w.Code != http.StatusOK {
				t.Fatalf("first callback = %d", w.Code)
			}
			e.store.DeleteInstallation(context.Background(), bot.Slack, "T0")
			return e.callback(state, "code-1", c)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newOAuthEnv(t)
			e.f.grant("code-1", "T1", "xoxb-T1-token")
			e.tokens = append(e.tokens, "xoxb-T1-token")
			w := tt.run(t, e)
			if w.Code != http.StatusForbidden || !strings.Contains(w.Body.String(), "This install link cannot be used") {
				t.Errorf("callback = %d:\n%s", w.Code, w.Body.String())
			}
			if ct := w.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" {
				t.Errorf("Content-Type = %q", ct)
			}
			exchanged := slices.ContainsFunc(e.f.callsTo("oauth.v2.access"), func(c call) bool { return c.Params.Get("code") == "code-1" })
			if e.store.has("T1") || exchanged {
				t.Error("a refused callback exchanged the code or stored a token")
			}
			if !strings.Contains(e.logs.String(), "install refused") {
				t.Error("the refusal was not logged")
			}
		})
	}
}

func TestCancelledOrFailedInstallStoresNothing(t *testing.T) {
	e := newOAuthEnv(t)
	state, c := e.start(t)
	w := e.get("/slack/oauth/callback?error=access_denied&state="+state, c)
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "Installation cancelled") {
		t.Errorf("cancel = %d:\n%s", w.Code, w.Body.String())
	}
	state, c = e.start(t)
	w = e.callback(state, "unknown-code", c)
	if w.Code != http.StatusBadGateway || !strings.Contains(w.Body.String(), "invalid_code") {
		t.Errorf("bad code = %d:\n%s", w.Code, w.Body.String())
	}
	if all, _ := e.store.Installations(context.Background(), bot.Slack); len(all) != 0 {
		t.Errorf("stored %v", all)
	}
}

func TestPagesEscapeWhatSlackSends(t *testing.T) {
	e := newOAuthEnv(t)
	state, c := e.start(t)
	e.f.grant("code-x", "T1", "xoxb-T1-x")
	e.tokens = append(e.tokens, "xoxb-T1-x")
	e.f.mu.Lock()
	e.f.grants["code-x"]["team"] = map[string]any{"id": "T1", "name": `<script>alert(1)</script>`}
	e.f.mu.Unlock()
	w := e.callback(state, "code-x", c)
	if strings.Contains(w.Body.String(), "<script>") || !strings.Contains(w.Body.String(), "&lt;script&gt;") {
		t.Errorf("team name not escaped:\n%s", w.Body.String())
	}
	if w.Header().Get("Referrer-Policy") != "no-referrer" || w.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("headers = %v", w.Header())
	}
}

func TestTwoWorkspacesEachUseTheirOwnTokenOnEveryCall(t *testing.T) {
	e := newOAuthEnv(t)
	e.install(t, "T1", "xoxb-one")
	e.install(t, "T2", "xoxb-two")
	e.f.mu.Lock()
	e.f.channels["C22"] = map[string]any{"id": "C22", "is_channel": true, "is_member": true, "context_team_id": "T2"}
	e.f.mu.Unlock()
	ctx := context.Background()

	e.postCommandIn(t, "T2", "", "U1", "C2", "list")
	e.postCommandIn(t, "T1", "", "U2", "C1", "list")
	for _, team := range []string{"T2", "T1"} {
		e.postEnvelope(t, map[string]any{"type": "event_callback", "team_id": team, "event_id": "Ev" + team,
			"event": map[string]any{"type": "app_mention", "channel": "C9", "user": "U1", "text": "<@UBOT" + team + "> break", "ts": "1.1"}})
	}
	for _, team := range []string{"T1", "T2"} {
		if _, err := e.a.Send(ctx, bot.Outgoing{Platform: bot.Slack, Tenant: bot.TenantID(team), User: "U1", Reply: bot.Reply{Title: "due"}}); err != nil {
			t.Fatalf("Send to %s: %v", team, err)
		}
	}
	if err := e.a.VerifyChannel(ctx, "T2", "C22"); err != nil {
		t.Errorf("VerifyChannel: %v", err)
	}
	e.postInteraction(t, map[string]any{"type": "block_actions", "team": map[string]any{"id": "T2"}, "user": map[string]any{"id": "U1"},
		"channel": map[string]any{"id": "C2"}, "container": map[string]any{"type": "message", "message_ts": "1.5", "channel_id": "C2"},
		"actions": []any{map[string]any{"action_id": "done", "value": "k3f9@1"}}})

	for method, want := range map[string][]string{
		"users.info":         {"xoxb-two", "xoxb-one", "xoxb-one"}, // U1 of T1 first seen in a mention
		"chat.postMessage":   {"xoxb-two", "xoxb-one", "xoxb-one", "xoxb-two"},
		"conversations.open": nil, // the DMs are posted to the user id
		"conversations.info": {"xoxb-two"},
	} {
		got := e.tokensOf(method)
		// The two mentions are answered in the background in any order.
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s tokens = %v, want %v", method, got, want)
		}
	}
	for _, c := range e.f.calls {
		if c.Token != "xoxb-one" && c.Token != "xoxb-two" && c.Method != "oauth.v2.access" && c.Method != "response_url" {
			t.Errorf("%s called with token %q", c.Method, c.Token)
		}
	}
	// A workspace that never installed the app gets nothing.
	_, err := e.a.Send(ctx, bot.Outgoing{Platform: bot.Slack, Tenant: "T3", Channel: "C3", Reply: bot.Reply{Title: "due"}})
	var de *bot.DeliveryError
	if !errors.As(err, &de) || de.Permanent || de.RetryAfter <= 0 || !strings.Contains(de.Reason, "not installed") {
		t.Errorf("Send to a workspace without a token = %v, want a transient not-installed error", err)
	}
}

func TestUninstallDeletesTheTokenAndReinstallResumes(t *testing.T) {
	e := newOAuthEnv(t)
	e.install(t, "T1", "xoxb-one")
	e.install(t, "T2", "xoxb-two")
	ctx := context.Background()
	send := func(team bot.TenantID) error {
		_, err := e.a.Send(ctx, bot.Outgoing{Platform: bot.Slack, Tenant: team, Channel: "C1", Reply: bot.Reply{Title: "due"}})
		return err
	}
	e.clock.Advance(time.Minute)
	// Only user tokens revoked: the bot keeps its own.
	e.postEnvelope(t, map[string]any{"type": "event_callback", "team_id": "T1", "event_id": "EvR0", "event_time": e.clock.Now().Unix(),
		"event": map[string]any{"type": "tokens_revoked", "tokens": map[string]any{"oauth": []string{"U1"}}}})
	if !e.store.has("T1") {
		t.Fatal("revoking a user token deleted the bot's")
	}
	e.postEnvelope(t, map[string]any{"type": "event_callback", "team_id": "T1", "event_id": "EvU1", "event_time": e.clock.Now().Unix(),
		"event": map[string]any{"type": "app_uninstalled"}})
	e.postEnvelope(t, map[string]any{"type": "event_callback", "team_id": "T1", "event_id": "EvR1", "event_time": e.clock.Now().Unix(),
		"event": map[string]any{"type": "tokens_revoked", "tokens": map[string]any{"bot": []string{"UBOTT1"}}}})
	if e.store.has("T1") || !e.store.has("T2") {
		t.Fatal("uninstall did not delete exactly T1's token")
	}
	if _, un := e.h.events(); !slices.Equal(un, []bot.TenantID{"T1", "T1"}) {
		t.Errorf("the core heard of uninstalls %v, want T1 (twice: both events)", un)
	}
	if err := send("T1"); bot.IsPermanent(err) || err == nil {
		t.Errorf("Send after uninstall = %v, want a transient error", err)
	}
	if err := send("T2"); err != nil {
		t.Errorf("the other workspace stopped: %v", err)
	}

	e.install(t, "T1", "xoxb-one-again")
	if installed, _ := e.h.events(); !slices.Equal(installed, []bot.TenantID{"T1", "T2", "T1"}) {
		t.Errorf("the core heard of installs %v", installed)
	}
	if err := send("T1"); err != nil {
		t.Fatalf("Send after reinstall: %v", err)
	}
	got := e.tokensOf("chat.postMessage")
	if got[len(got)-1] != "xoxb-one-again" {
		t.Errorf("after reinstall posted with %q", got[len(got)-1])
	}
	// A revocation older than the reinstall (its old token) keeps the new one.
	e.postEnvelope(t, map[string]any{"type": "event_callback", "team_id": "T1", "event_id": "EvR2", "event_time": e.clock.Now().Add(-time.Minute).Unix(),
		"event": map[string]any{"type": "tokens_revoked", "tokens": map[string]any{"bot": []string{"UBOTT1"}}}})
	if !e.store.has("T1") {
		t.Error("a late revocation of the old token deleted the new one")
	}
}

func TestResealMovesEveryTokenToTheNewKey(t *testing.T) {
	e := newOAuthEnv(t)
	e.install(t, "T1", "xoxb-one")
	e.install(t, "T2", "xoxb-two")
	ctx := context.Background()
	oldKey, _ := secretbox.NewKey(bytes.Repeat([]byte{1}, secretbox.KeySize))
	rotated := testBox(t, 2, oldKey)

	n, err := Reseal(ctx, e.store, rotated)
	if err != nil || n != 2 {
		t.Fatalf("Reseal = %d, %v; want 2", n, err)
	}
	all, _ := e.store.Installations(ctx, bot.Slack)
	for _, in := range all {
		if kid, _ := secretbox.SealedWith(in.SealedToken); kid != rotated.KeyID() {
			t.Errorf("%s still sealed with %s", in.Tenant, kid)
		}
	}
	if n, err := Reseal(ctx, e.store, rotated); err != nil || n != 0 {
		t.Errorf("Reseal again = %d, %v; want nothing to do", n, err)
	}
	// The new key alone now opens every token.
	a, err := New(Config{SigningSecret: testSecret, ClientID: testClientID, ClientSecret: testClientSecret, APIURL: e.f.apiURL()},
		WithInstalls(e.store, testBox(t, 2)), WithHTTPClient(e.f.srv.Client()), WithLogger(slog.New(slog.NewTextHandler(e.logs, nil))))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Send(ctx, bot.Outgoing{Platform: bot.Slack, Tenant: "T2", Channel: "C1", Reply: bot.Reply{Title: "x"}}); err != nil {
		t.Errorf("Send with the new key: %v", err)
	}
	if got := e.tokensOf("chat.postMessage"); !slices.Equal(got, []string{"xoxb-two"}) {
		t.Errorf("tokens = %v", got)
	}
	// A key that was dropped too early is reported, without the token.
	_, err = Reseal(ctx, e.store, testBox(t, 3))
	if err == nil || !strings.Contains(err.Error(), "T1") || strings.Contains(err.Error(), "xoxb") {
		t.Errorf("Reseal without the key that sealed them = %v", err)
	}
}

func TestOrgWideInstallServesEveryWorkspaceOfTheOrganisation(t *testing.T) {
	e := newOAuthEnv(t)
	state, c := e.start(t)
	e.f.grant("code-org", "", "xoxb-org")
	e.tokens = append(e.tokens, "xoxb-org")
	e.f.mu.Lock()
	g := e.f.grants["code-org"]
	g["team"], g["enterprise"], g["is_enterprise_install"] = nil, map[string]any{"id": "E1", "name": "Big Org"}, true
	e.f.mu.Unlock()
	if w := e.callback(state, "code-org", c); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "Big Org") {
		t.Fatalf("org install = %d:\n%s", w.Code, w.Body.String())
	}
	if in, err := e.store.Installation(context.Background(), bot.Slack, "E1"); err != nil || !in.OrgWide {
		t.Fatalf("org installation = %+v, %v", in, err)
	}

	e.postCommandIn(t, "T7", "E1", "U1", "C1", "list")
	if got := e.tokensOf("users.info"); !slices.Equal(got, []string{"xoxb-org"}) {
		t.Errorf("users.info tokens = %v, want the organisation's", got)
	}
	if !e.store.has("T7") {
		t.Fatal("the workspace did not keep a copy of the organisation's token for its deliveries")
	}
	if _, err := e.a.Send(context.Background(), bot.Outgoing{Platform: bot.Slack, Tenant: "T7", Channel: "C1", Reply: bot.Reply{Title: "due"}}); err != nil {
		t.Errorf("delivery in the organisation's workspace: %v", err)
	}

	e.postEnvelope(t, map[string]any{"type": "event_callback", "enterprise_id": "E1", "event_id": "EvU",
		"authorizations": []any{map[string]any{"enterprise_id": "E1", "is_enterprise_install": true}},
		"event":          map[string]any{"type": "app_uninstalled"}})
	if e.store.has("E1") || e.store.has("T7") {
		t.Error("the organisation's uninstall left tokens")
	}
	if _, un := e.h.events(); !slices.Contains(un, "T7") {
		t.Errorf("uninstalls %v, want the workspace's reminders paused too", un)
	}
}

func TestHomeIsPublishedWhenOpenedAndRefreshedAfterChanges(t *testing.T) {
	e := newOAuthEnv(t)
	e.install(t, "T1", "xoxb-one")
	open := func(id, tab string) {
		e.postEnvelope(t, map[string]any{"type": "event_callback", "team_id": "T1", "event_id": id,
			"event": map[string]any{"type": "app_home_opened", "user": "U1", "channel": "DU1", "tab": tab}})
	}
	open("Ev1", "messages")
	if n := len(e.f.callsTo("views.publish")); n != 0 {
		t.Fatalf("the Messages tab published a home: %d", n)
	}
	open("Ev2", "home")
	pubs := e.f.callsTo("views.publish")
	if len(pubs) != 1 || pubs[0].Token != "xoxb-one" || pubs[0].JSON["user_id"] != "U1" {
		t.Fatalf("views.publish calls = %+v", pubs)
	}
	view, _ := pubs[0].JSON["view"].(map[string]any)
	if view["type"] != "home" || !strings.Contains(mustJSON(t, view), "Home of U1") || !strings.Contains(mustJSON(t, view), "home_break") {
		t.Errorf("view = %v", view)
	}
	if strings.Contains(mustJSON(t, view), "<b>") {
		t.Errorf("home text not escaped: %v", view)
	}

	e.a.RefreshHome(context.Background(), "T1", "U1")
	e.a.RefreshHome(context.Background(), "T1", "U2") // never opened it
	e.a.wg.Wait()
	if pubs := e.f.callsTo("views.publish"); len(pubs) != 2 || pubs[1].JSON["user_id"] != "U1" {
		t.Errorf("after refreshes: %d publishes, want one more for U1", len(pubs))
	}

	// A button on the home page is answered in the user's direct messages.
	e.h.action = func(_ context.Context, ev bot.ActionEvent) bot.ActionResult {
		return bot.ActionResult{Ephemeral: &bot.Reply{Blocks: []string{"Your 5-minute stretch break"}}}
	}
	e.postInteraction(t, map[string]any{"type": "block_actions", "team": map[string]any{"id": "T1"}, "user": map[string]any{"id": "U1"},
		"container": map[string]any{"type": "view", "view_id": "V1"}, "view": map[string]any{"type": "home"},
		"actions": []any{map[string]any{"action_id": "home_break", "value": "break"}}})
	acts := e.h.Actions()
	if len(acts) != 1 || acts[0].ID != bot.ActionHomeBreak || acts[0].Channel != "" || acts[0].Tenant != "T1" {
		t.Fatalf("actions = %+v", acts)
	}
	posts := e.f.callsTo("chat.postMessage")
	if len(posts) != 1 || posts[0].Params.Get("channel") != "DU1" || !strings.Contains(posts[0].Params.Get("text"), "5-minute") {
		t.Errorf("home button answer = %+v, want it in the DM", posts)
	}
}

func TestSingleTokenModeKeepsItsTokenIgnoresUninstallAndHasNoInstallPage(t *testing.T) {
	h := &appHandler{}
	e := newTestEnv(t, h)
	e.postEnvelope(t, map[string]any{"type": "event_callback", "team_id": "T1", "event_id": "EvU",
		"event": map[string]any{"type": "app_uninstalled"}})
	if _, un := h.events(); len(un) != 0 {
		t.Errorf("single-token mode paused %v; nothing would resume it", un)
	}
	req := httptest.NewRequest(http.MethodGet, "/slack/install", nil)
	w := httptest.NewRecorder()
	e.mux.ServeHTTP(w, req)
	if w.Code != http.StatusNotFound {
		t.Errorf("/slack/install without OAuth = %d, want 404", w.Code)
	}
	if _, err := e.a.Send(context.Background(), bot.Outgoing{Platform: bot.Slack, Tenant: "T1", Channel: "C1", Reply: bot.Reply{Title: "x"}}); err != nil {
		t.Fatal(err)
	}
	if got := e.f.callsTo("chat.postMessage"); got[0].Token != "xoxb-test" {
		t.Errorf("single-token mode posted with %q", got[0].Token)
	}
	// The Home tab works with the one token too.
	e.postEnvelope(t, map[string]any{"type": "event_callback", "team_id": "T1", "event_id": "EvH",
		"event": map[string]any{"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home"}})
	if pubs := e.f.callsTo("views.publish"); len(pubs) != 1 || pubs[0].Token != "xoxb-test" {
		t.Errorf("views.publish = %+v", pubs)
	}
}

func TestOAuthNeedsAStoreAndAKey(t *testing.T) {
	cfg := Config{SigningSecret: "s", ClientID: testClientID, ClientSecret: testClientSecret}
	if _, err := New(cfg); err == nil || !strings.Contains(err.Error(), "STRETCHBOT_SECRET_KEY") {
		t.Errorf("New without installs = %v", err)
	}
	if _, err := New(cfg, WithInstalls(newMemInstalls(), nil)); err == nil {
		t.Error("New accepted installs without a key")
	}
	cfg.ClientSecret = ""
	if _, err := New(cfg, WithInstalls(newMemInstalls(), testBox(t, 1))); err == nil || !strings.Contains(err.Error(), "STRETCHBOT_SLACK_CLIENT_SECRET") {
		t.Errorf("New without the client secret = %v", err)
	}
}
