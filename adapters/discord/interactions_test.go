package discord

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/adapters/internal/respond"
	"github.com/stretchbot/stretchbot/bot"
)

// A known-good signature: the key of RFC 8032's first Ed25519 test vector
// signing a PING at vecTimestamp.
const (
	vecSeed      = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
	vecPublicKey = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
	vecTimestamp = "1700000000"
	vecBody      = `{"type":1}`
	vecSignature = "1695961a47c91a1ec033b819b7e87e3dbc583dd0cee6d1fd0216f58ac87b6228ae531ddbf91fb7bc28d7edf7f08604da16f54624f38a6bc0614e4dc13cd47f0f"
)

var vecTime = time.Unix(1700000000, 0)

func mustHex(tb testing.TB, s string) []byte {
	tb.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func sign(tb testing.TB, ts, body string) string {
	tb.Helper()
	key := ed25519.NewKeyFromSeed(mustHex(tb, vecSeed))
	return hex.EncodeToString(ed25519.Sign(key, []byte(ts+body)))
}

// funcHandler is a bot.Handler made of functions, recording its calls.
type funcHandler struct {
	mu      sync.Mutex
	msgs    []bot.Message
	actions []bot.ActionEvent
	handle  func(bot.Message) bot.Reply
	action  func(bot.ActionEvent) bot.ActionResult
}

func (h *funcHandler) Handle(_ context.Context, m bot.Message) bot.Reply {
	h.mu.Lock()
	h.msgs = append(h.msgs, m)
	h.mu.Unlock()
	if h.handle != nil {
		return h.handle(m)
	}
	return bot.Reply{Blocks: []string{"echo: " + m.Text}, Visibility: bot.Private}
}

func (h *funcHandler) HandleAction(_ context.Context, e bot.ActionEvent) bot.ActionResult {
	h.mu.Lock()
	h.actions = append(h.actions, e)
	h.mu.Unlock()
	if h.action != nil {
		return h.action(e)
	}
	return bot.ActionResult{}
}

func (h *funcHandler) calls() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.msgs) + len(h.actions)
}

type testEnv struct {
	a    *Adapter
	fake *fakeDiscord
	mux  *http.ServeMux
	h    *funcHandler
	now  time.Time
}

func newEnv(t *testing.T, h *funcHandler, opts ...Option) *testEnv {
	t.Helper()
	fake := newFakeDiscord(t)
	sl := &noSleep{}
	opts = append([]Option{WithNow(func() time.Time { return vecTime }), withSleep(sl.sleep)}, opts...)
	a, err := New(Config{PublicKey: vecPublicKey, Token: "tok", AppID: "APP", APIURL: fake.srv.URL}, opts...)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	a.Mount(mux, h)
	t.Cleanup(a.wg.Wait)
	return &testEnv{a: a, fake: fake, mux: mux, h: h, now: vecTime}
}

// post sends a correctly signed interaction body.
func (e *testEnv) post(t *testing.T, body string) *httptest.ResponseRecorder {
	t.Helper()
	ts := strconv.FormatInt(e.now.Unix(), 10)
	return e.do(t, body, map[string]string{"X-Signature-Ed25519": sign(t, ts, body), "X-Signature-Timestamp": ts})
}

func (e *testEnv) do(t *testing.T, body string, hdr map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/discord/interactions", strings.NewReader(body))
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	e.mux.ServeHTTP(rec, req)
	return rec
}

func decode(t *testing.T, rec *httptest.ResponseRecorder) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
		t.Fatalf("response %d %q is not JSON: %v", rec.Code, rec.Body, err)
	}
	return m
}

func TestVectorPing(t *testing.T) {
	e := newEnv(t, &funcHandler{})
	rec := e.do(t, vecBody, map[string]string{"X-Signature-Ed25519": vecSignature, "X-Signature-Timestamp": vecTimestamp})
	if rec.Code != http.StatusOK || strings.TrimSpace(rec.Body.String()) != `{"type":1}` {
		t.Fatalf("PING = %d %q, want 200 {\"type\":1}", rec.Code, rec.Body)
	}
}

func TestSignatureRejected(t *testing.T) {
	cmd := `{"type":2,"id":"1","token":"T","guild_id":"G","channel_id":"C","member":{"user":{"id":"U"},"permissions":"0"},"data":{"name":"stretch","options":[{"name":"help","type":1}]}}`
	otherKey := ed25519.NewKeyFromSeed(make([]byte, 32))
	wrongKeySig := hex.EncodeToString(ed25519.Sign(otherKey, []byte(vecTimestamp+cmd)))
	stale := strconv.FormatInt(vecTime.Add(-5*time.Minute-time.Second).Unix(), 10)
	future := strconv.FormatInt(vecTime.Add(5*time.Minute+time.Second).Unix(), 10)
	big := `{"type":2,"pad":"` + strings.Repeat("x", maxBody) + `"}`
	tests := []struct {
		name string
		body string
		hdr  map[string]string
		want int
	}{
		{"wrong key", cmd, map[string]string{"X-Signature-Ed25519": wrongKeySig, "X-Signature-Timestamp": vecTimestamp}, 401},
		{"wrong signature", cmd, map[string]string{"X-Signature-Ed25519": vecSignature, "X-Signature-Timestamp": vecTimestamp}, 401},
		{"body changed", cmd + " ", map[string]string{"X-Signature-Ed25519": sign(t, vecTimestamp, cmd), "X-Signature-Timestamp": vecTimestamp}, 401},
		{"stale", cmd, map[string]string{"X-Signature-Ed25519": sign(t, stale, cmd), "X-Signature-Timestamp": stale}, 401},
		{"future", cmd, map[string]string{"X-Signature-Ed25519": sign(t, future, cmd), "X-Signature-Timestamp": future}, 401},
		{"malformed hex", cmd, map[string]string{"X-Signature-Ed25519": "zz" + vecSignature[2:], "X-Signature-Timestamp": vecTimestamp}, 401},
		{"short signature", cmd, map[string]string{"X-Signature-Ed25519": vecSignature[:64], "X-Signature-Timestamp": vecTimestamp}, 401},
		{"bad timestamp", cmd, map[string]string{"X-Signature-Ed25519": sign(t, "17e8", cmd), "X-Signature-Timestamp": "17e8"}, 401},
		{"missing signature", cmd, map[string]string{"X-Signature-Timestamp": vecTimestamp}, 401},
		{"missing timestamp", cmd, map[string]string{"X-Signature-Ed25519": sign(t, vecTimestamp, cmd)}, 401},
		{"missing headers", cmd, nil, 401},
		{"oversized", big, map[string]string{"X-Signature-Ed25519": sign(t, vecTimestamp, big), "X-Signature-Timestamp": vecTimestamp}, 413},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := &funcHandler{}
			e := newEnv(t, h)
			rec := e.do(t, tt.body, tt.hdr)
			if rec.Code != tt.want {
				t.Errorf("status = %d, want %d", rec.Code, tt.want)
			}
			if h.calls() != 0 || len(e.fake.requests()) != 0 {
				t.Errorf("side effects: %d handler calls, %d REST calls", h.calls(), len(e.fake.requests()))
			}
		})
	}
	t.Run("edges of the window are accepted", func(t *testing.T) {
		for _, d := range []time.Duration{-5 * time.Minute, 5 * time.Minute} {
			e := newEnv(t, &funcHandler{})
			ts := strconv.FormatInt(vecTime.Add(d).Unix(), 10)
			rec := e.do(t, vecBody, map[string]string{"X-Signature-Ed25519": sign(t, ts, vecBody), "X-Signature-Timestamp": ts})
			if rec.Code != 200 {
				t.Errorf("offset %v: status %d, want 200", d, rec.Code)
			}
		}
	})
}

func TestMalformedJSON(t *testing.T) {
	h := &funcHandler{}
	e := newEnv(t, h)
	for _, body := range []string{`{"type":2`, `[]`, `{"type":2,"data":7}`, `{"type":99}`} {
		rec := e.post(t, body)
		if rec.Code < 400 || rec.Code >= 500 {
			t.Errorf("%s: status %d, want 4xx", body, rec.Code)
		}
	}
	if h.calls() != 0 {
		t.Errorf("handler called %d times", h.calls())
	}
}

func TestNotMountedWithoutPublicKey(t *testing.T) {
	a, err := New(Config{Token: "tok"})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	a.Mount(mux, &funcHandler{})
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/discord/interactions", strings.NewReader(vecBody)))
	if rec.Code != http.StatusNotFound {
		t.Errorf("status = %d, want 404", rec.Code)
	}
}

func commandBody(guild, sub string, opts string) string {
	who := `"member":{"user":{"id":"U1","username":"ann"},"permissions":"32"}`
	if guild == "" {
		who = `"user":{"id":"U1","username":"ann"}`
	}
	return `{"type":2,"id":"I1","application_id":"APP","token":"TOK","guild_id":"` + guild + `","channel_id":"C1",` + who +
		`,"data":{"name":"stretch","options":[{"name":"` + sub + `","type":1,"options":[` + opts + `]}]}}`
}

func TestApplicationCommand(t *testing.T) {
	h := &funcHandler{}
	e := newEnv(t, h)
	rec := e.post(t, commandBody("G1", "pause", `{"name":"id","type":3,"value":"#k3f9"},{"name":"for","type":3,"value":"2h"}`))
	got := decode(t, rec)
	if got["type"] != float64(4) {
		t.Fatalf("type = %v, want 4; body %s", got["type"], rec.Body)
	}
	data := got["data"].(map[string]any)
	if data["flags"] != float64(64) || !strings.Contains(data["content"].(string), "echo: pause k3f9 for 2h") {
		t.Errorf("data = %v, want ephemeral echo", data)
	}
	m := h.msgs[0]
	want := bot.Message{Platform: bot.Discord, Tenant: "G1", Channel: "C1", User: "U1", UserName: "ann", Text: "pause k3f9 for 2h", Admin: true}
	if m != want {
		t.Errorf("message = %+v\nwant      %+v", m, want)
	}
}

func TestApplicationCommandDMAndPublic(t *testing.T) {
	h := &funcHandler{handle: func(m bot.Message) bot.Reply {
		return bot.Reply{Title: "Stretch", Blocks: []string{"go"}, Visibility: bot.Public}
	}}
	e := newEnv(t, h)
	data := decode(t, e.post(t, commandBody("", "break", `{"name":"minutes","type":4,"value":10}`)))["data"].(map[string]any)
	if _, ok := data["flags"]; ok {
		t.Errorf("public reply has flags %v", data["flags"])
	}
	m := h.msgs[0]
	if !m.DM || m.Tenant != "U1" || m.Admin || m.Text != "break 10 min" {
		t.Errorf("DM message = %+v, want DM tenant U1 non-admin 'break 10 min'", m)
	}
}

func TestDeferredCommand(t *testing.T) {
	for _, tt := range []struct {
		name, sub  string
		vis        bot.Visibility
		wantFlags  float64
		wantFollow bool
	}{
		{"private", "list", bot.Private, 64, false},
		{"public", "break", bot.Public, 0, false},
		{"private behind public deferral", "break", bot.Private, 0, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			release := make(chan struct{})
			h := &funcHandler{handle: func(m bot.Message) bot.Reply {
				<-release
				return bot.Reply{Blocks: []string{"slow answer"}, Visibility: tt.vis}
			}}
			e := newEnv(t, h)
			e.a.work.After = respond.ExpireNow(nil)
			rec := e.post(t, commandBody("G1", tt.sub, ""))
			got := decode(t, rec)
			if got["type"] != float64(5) {
				t.Fatalf("type = %v, want 5 (deferred)", got["type"])
			}
			flags, _ := got["data"].(map[string]any)["flags"].(float64)
			if flags != tt.wantFlags {
				t.Errorf("deferred flags = %v, want %v", flags, tt.wantFlags)
			}
			close(release)
			patch := e.fake.waitFor(t, "PATCH @original", func(r request) bool {
				return r.Method == http.MethodPatch && r.Path == "/api/v10/webhooks/APP/TOK/messages/@original"
			})
			if patch.Header.Get("Authorization") != "" {
				t.Error("webhook call carries the bot token")
			}
			if tt.wantFollow {
				f := e.fake.waitFor(t, "ephemeral follow-up", func(r request) bool {
					return r.Method == http.MethodPost && r.Path == "/api/v10/webhooks/APP/TOK"
				})
				if j := f.JSON(); j["flags"] != float64(64) || !strings.Contains(j["content"].(string), "slow answer") {
					t.Errorf("follow-up = %s", f.Body)
				}
				if strings.Contains(string(patch.Body), "slow answer") {
					t.Errorf("private answer leaked into the public original: %s", patch.Body)
				}
			} else if !strings.Contains(string(patch.Body), "slow answer") {
				t.Errorf("PATCH body = %s, want the answer", patch.Body)
			}
		})
	}
}

func TestHandlerPanicIsPolite(t *testing.T) {
	h := &funcHandler{handle: func(bot.Message) bot.Reply { panic("boom") }}
	e := newEnv(t, h)
	got := decode(t, e.post(t, commandBody("G1", "help", "")))
	data := got["data"].(map[string]any)
	if got["type"] != float64(4) || !strings.Contains(data["content"].(string), "went wrong") {
		t.Errorf("panic answer = %v", got)
	}
}

func TestUnknownSubcommandAnswersPrivately(t *testing.T) {
	h := &funcHandler{}
	e := newEnv(t, h)
	got := decode(t, e.post(t, commandBody("G1", "dance", "")))
	if data := got["data"].(map[string]any); data["flags"] != float64(64) || !strings.Contains(data["content"].(string), "dance") {
		t.Errorf("answer = %v", got)
	}
	if h.calls() != 0 {
		t.Error("handler called for an unknown subcommand")
	}
}

func rawJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestScrubHidesURLs(t *testing.T) {
	err := &url.Error{Op: "Post", URL: "https://discord.com/api/v10/interactions/1/SECRET/callback", Err: errors.New("refused")}
	if s := scrub(fmt.Errorf("x: %w", err)).Error(); strings.Contains(s, "SECRET") {
		t.Errorf("scrub = %q", s)
	}
}

func TestRejectionsAreLogged(t *testing.T) {
	var buf bytes.Buffer
	var mu sync.Mutex
	logger := slog.New(slog.NewTextHandler(&lockedWriter{w: &buf, mu: &mu}, nil))
	cmd := `{"type":2,"id":"1","token":"SECRETTOKEN","guild_id":"G","channel_id":"C","member":{"user":{"id":"U"},"permissions":"0"},"data":{"name":"stretch","options":[{"name":"help","type":1}]}}`
	stale := strconv.FormatInt(vecTime.Add(-10*time.Minute).Unix(), 10)
	big := `{"type":2,"pad":"` + strings.Repeat("x", maxBody) + `"}`
	good := sign(t, vecTimestamp, cmd)
	tests := []struct {
		name, body string
		hdr        map[string]string
		reason     string
	}{
		{"bad signature", cmd, map[string]string{"X-Signature-Ed25519": vecSignature, "X-Signature-Timestamp": vecTimestamp}, "bad signature"},
		{"missing", cmd, nil, "missing signature headers"},
		{"malformed", cmd, map[string]string{"X-Signature-Ed25519": "zz", "X-Signature-Timestamp": vecTimestamp}, "malformed signature"},
		{"stale", cmd, map[string]string{"X-Signature-Ed25519": sign(t, stale, cmd), "X-Signature-Timestamp": stale}, "timestamp outside"},
		{"oversized", big, map[string]string{"X-Signature-Ed25519": sign(t, vecTimestamp, big), "X-Signature-Timestamp": vecTimestamp}, "body too large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mu.Lock()
			buf.Reset()
			mu.Unlock()
			e := newEnv(t, &funcHandler{}, WithLogger(logger))
			e.do(t, tt.body, tt.hdr)
			mu.Lock()
			out := buf.String()
			mu.Unlock()
			if !strings.Contains(out, "level=WARN") || !strings.Contains(out, "rejected interaction") || !strings.Contains(out, tt.reason) {
				t.Errorf("log = %q, want a WARN with %q", out, tt.reason)
			}
			for _, secret := range []string{"SECRETTOKEN", vecSignature[:16], good[:16], "xxxxxxxx"} {
				if strings.Contains(out, secret) {
					t.Errorf("log leaks %q: %s", secret, out)
				}
			}
		})
	}
	t.Run("replayed", func(t *testing.T) {
		mu.Lock()
		buf.Reset()
		mu.Unlock()
		e := newEnv(t, &funcHandler{}, WithLogger(logger))
		hdr := map[string]string{"X-Signature-Ed25519": good, "X-Signature-Timestamp": vecTimestamp}
		if rec := e.do(t, cmd, hdr); rec.Code != http.StatusOK {
			t.Fatalf("first = %d", rec.Code)
		}
		if rec := e.do(t, cmd, hdr); rec.Code != http.StatusUnauthorized {
			t.Fatalf("replay = %d", rec.Code)
		}
		mu.Lock()
		out := buf.String()
		mu.Unlock()
		if !strings.Contains(out, "level=WARN") || !strings.Contains(out, "replayed") || strings.Contains(out, good[:16]) {
			t.Errorf("log = %q", out)
		}
	})
}
