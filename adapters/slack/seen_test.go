package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/slack-go/slack/socketmode"

	"github.com/stretchbot/stretchbot/bot"
)

// sharedSeen is a SeenStore over a map: the database several instances
// share.
type sharedSeen struct {
	mu   sync.Mutex
	keys map[string]time.Time
	err  error
}

func (s *sharedSeen) FirstSeen(_ context.Context, key string, now, expires time.Time) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return false, s.err
	}
	if exp, ok := s.keys[key]; ok && exp.After(now) {
		return false, nil
	}
	s.keys[key] = expires
	return true, nil
}

func (s *sharedSeen) fail(err error) {
	s.mu.Lock()
	s.err = err
	s.mu.Unlock()
}

// twoInstances are two adapters sharing db, as two processes sharing one
// database; B's fake Slack and clock are A's.
func twoInstances(t *testing.T, db *sharedSeen) (a, b *testEnv, ha, hb *funcHandler) {
	ha, hb = &funcHandler{}, &funcHandler{}
	a = newTestEnvWith(t, ha, []Option{WithSeenStore(db)})
	b = newTestEnvWith(t, hb, []Option{WithSeenStore(db), WithNow(a.clock.Now)}, func(c *Config) { c.APIURL = a.f.apiURL() })
	return a, b, ha, hb
}

func TestReplayRefusedByAnotherInstance(t *testing.T) {
	db := &sharedSeen{keys: map[string]time.Time{}}
	a, b, ha, hb := twoInstances(t, db)
	for _, path := range []string{"/slack/commands", "/slack/interactions"} {
		body := []byte("command=%2Fstretch&text=list&team_id=T1&channel_id=C1&user_id=U1")
		if path == "/slack/interactions" {
			p, _ := json.Marshal(map[string]any{"type": "block_actions", "team": map[string]any{"id": "T1"}, "user": map[string]any{"id": "U1"},
				"channel": map[string]any{"id": "C1"}, "actions": []any{map[string]any{"action_id": "done", "value": "k3f9@1"}}})
			body = []byte(url.Values{"payload": {string(p)}}.Encode())
		}
		// One signed request, captured and sent to the other instance.
		req := func(e *testEnv) int {
			return e.postAt(t, "1700000000", path, "application/x-www-form-urlencoded", body).Code
		}
		if code := req(a); code != http.StatusOK {
			t.Fatalf("%s on A: %d", path, code)
		}
		if code := req(b); code != http.StatusUnauthorized {
			t.Errorf("%s replayed to B: %d, want 401", path, code)
		}
	}
	if n := len(hb.Messages()) + len(hb.Actions()); n != 0 {
		t.Errorf("instance B ran %d replays", n)
	}
	if n := len(ha.Messages()) + len(ha.Actions()); n != 2 {
		t.Errorf("instance A ran %d requests, want 2", n)
	}
}

func TestEventHandledByOneInstanceOnly(t *testing.T) {
	db := &sharedSeen{keys: map[string]time.Time{}}
	a, b, ha, hb := twoInstances(t, db)
	ev := map[string]any{"type": "app_mention", "channel": "C1", "user": "U1", "text": "<@UBOT> stats"}
	if w := a.postEvent(t, "Ev1", ev); w.Code != http.StatusOK {
		t.Fatalf("A: %d", w.Code)
	}
	// Slack's retry of the same event reaches B, freshly signed.
	if w := b.postEvent(t, "Ev1", ev, "X-Slack-Retry-Num", "1"); w.Code != http.StatusOK {
		t.Errorf("B: %d, want 200 (acknowledged, not handled)", w.Code)
	}
	if len(ha.Messages()) != 1 || len(hb.Messages()) != 0 {
		t.Errorf("handled by A %d times, by B %d; want once by A", len(ha.Messages()), len(hb.Messages()))
	}
}

func TestSeenStoreDownFailsClosed(t *testing.T) {
	db := &sharedSeen{keys: map[string]time.Time{}}
	h := &funcHandler{}
	e := newTestEnvWith(t, h, []Option{WithSeenStore(db)})
	db.fail(errors.New("database down"))
	ev := map[string]any{"type": "app_mention", "channel": "C1", "user": "U1", "text": "<@UBOT> stats"}
	if w := e.postEvent(t, "Ev2", ev); w.Code != http.StatusServiceUnavailable {
		t.Errorf("event while the store is down: %d, want 503 (Slack sends it again)", w.Code)
	}
	if w := e.postCommand(t, "U1", "C1", "list"); w.Code != http.StatusServiceUnavailable {
		t.Errorf("command while the store is down: %d, want 503", w.Code)
	}
	// Socket Mode: the event is acknowledged, then dropped.
	payload, _ := json.Marshal(map[string]any{"type": "event_callback", "team_id": "T1", "event_id": "Ev3", "event": ev})
	e.a.envelope(context.Background(), socketmode.Request{Type: socketmode.RequestTypeEventsAPI, EnvelopeID: "env", Payload: payload}, h,
		func(any) error { return nil })
	e.a.wg.Wait()
	if n := len(h.Messages()); n != 0 {
		t.Fatalf("ran %d requests while the store was down", n)
	}
	// Slack's retry, once the store answers, is handled.
	db.fail(nil)
	if w := e.postEvent(t, "Ev2", ev); w.Code != http.StatusOK || len(h.Messages()) != 1 {
		t.Errorf("retry after the outage: %d, %d handled; want 200 and one", w.Code, len(h.Messages()))
	}
}

// quickHandler answers "help" at once with a Fixed reply, like the core.
type quickHandler struct {
	funcHandler
	quick int
}

func (h *quickHandler) Quick(m bot.Message) (bot.Reply, bool) {
	if m.Text != "help" {
		return bot.Reply{}, false
	}
	h.mu.Lock()
	h.quick++
	h.mu.Unlock()
	return bot.Reply{Title: "Help", Blocks: []string{"one line a command"}, Fixed: "help"}, true
}

// A Fixed answer is written from its cached bytes without running the
// handler or writing to the seen store; a replay of it is still refused
// by the instance that answered it.
func TestFixedAnswerIsQuick(t *testing.T) {
	db := &sharedSeen{keys: map[string]time.Time{}}
	h := &quickHandler{}
	e := newTestEnvWith(t, h, []Option{WithSeenStore(db)})
	body := []byte(url.Values{"team_id": {"T1"}, "channel_id": {"C1"}, "user_id": {"U1"}, "command": {"/stretch"}, "text": {"help"}}.Encode())
	var first string
	for i := range 3 {
		w := e.post(t, "/slack/commands", "application/x-www-form-urlencoded", append(body, fmt.Sprintf("&trigger_id=%d", i)...))
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "one line a command") {
			t.Fatalf("help: %d %s", w.Code, w.Body)
		}
		if first == "" {
			first = w.Body.String()
		} else if w.Body.String() != first {
			t.Errorf("the same Fixed answer changed: %s, then %s", first, w.Body)
		}
		if got, want := w.Header().Get("Content-Length"), strconv.Itoa(w.Body.Len()); got != want {
			t.Errorf("Content-Length = %s, want %s", got, want)
		}
	}
	if len(h.Messages()) != 0 || h.quick != 3 || len(db.keys) != 0 {
		t.Errorf("handled %d, quick %d, seen store keys %d; want 0, 3, 0", len(h.Messages()), h.quick, len(db.keys))
	}
	ts := strconv.FormatInt(e.clock.Now().Unix(), 10)
	replay := func() int {
		r := httptest.NewRequest(http.MethodPost, "/slack/commands", bytes.NewReader(body))
		r.Header.Set("X-Slack-Request-Timestamp", ts)
		r.Header.Set("X-Slack-Signature", sign(testSecret, ts, body))
		w := httptest.NewRecorder()
		e.mux.ServeHTTP(w, r)
		return w.Code
	}
	if code := replay(); code != http.StatusOK {
		t.Fatalf("first: %d", code)
	}
	if code := replay(); code != http.StatusUnauthorized {
		t.Errorf("replayed help: %d, want 401", code)
	}
	// Anything else still goes through the handler and the seen store.
	if w := e.postCommand(t, "U1", "C1", "list"); w.Code != http.StatusOK || len(h.Messages()) != 1 || len(db.keys) != 1 {
		t.Errorf("list: %d, handled %d, seen keys %d", w.Code, len(h.Messages()), len(db.keys))
	}
}

// The same signature in upper-case hex verifies too; it is the same
// request, and refused as a replay by every instance.
func TestReplayInUpperCaseRefused(t *testing.T) {
	db := &sharedSeen{keys: map[string]time.Time{}}
	a, b, ha, hb := twoInstances(t, db)
	body := []byte("command=%2Fstretch&text=list&team_id=T1&channel_id=C1&user_id=U1")
	ts := "1700000000"
	req := func(e *testEnv, sig string) int {
		r, _ := http.NewRequest(http.MethodPost, "/slack/commands", bytes.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("X-Slack-Request-Timestamp", ts)
		r.Header.Set("X-Slack-Signature", sig)
		w := httptest.NewRecorder()
		e.mux.ServeHTTP(w, r)
		e.a.wg.Wait()
		return w.Code
	}
	sig := sign(testSecret, ts, body)
	upper := "v0=" + strings.ToUpper(strings.TrimPrefix(sig, "v0="))
	if code := req(a, sig); code != http.StatusOK {
		t.Fatalf("on A: %d", code)
	}
	if code := req(a, upper); code != http.StatusUnauthorized {
		t.Errorf("upper case to A: %d, want 401", code)
	}
	if code := req(b, upper); code != http.StatusUnauthorized {
		t.Errorf("upper case to B: %d, want 401", code)
	}
	if n := len(ha.Messages()) + len(hb.Messages()); n != 1 {
		t.Errorf("ran %d times, want once", n)
	}
}

// readyHandler answers list from memory (bot.Bot's Ready), counting the
// answers it gave so; Handle is never needed for it.
type readyHandler struct {
	funcHandler
	ready atomic.Int32
}

func (h *readyHandler) Pure(m bot.Message) bool { return m.Text == "list" }

func (h *readyHandler) Ready(m bot.Message) (bot.Reply, bool) {
	if m.Text != "list" {
		return bot.Reply{}, false
	}
	h.ready.Add(1)
	return bot.Reply{Blocks: []string{"ready list"}, Visibility: bot.Private}, true
}

// A list answered from memory on the request's goroutine is still sent
// only once its replay record is durable: a replay to another instance is
// refused, and while the store cannot tell, nothing is answered.
func TestReadyAnswerWaitsForTheReplayRecord(t *testing.T) {
	db := &sharedSeen{keys: map[string]time.Time{}}
	ha, hb := &readyHandler{}, &readyHandler{}
	a := newTestEnvWith(t, ha, []Option{WithSeenStore(db)})
	b := newTestEnvWith(t, hb, []Option{WithSeenStore(db), WithNow(a.clock.Now)}, func(c *Config) { c.APIURL = a.f.apiURL() })
	// The user's profile, asked once, is what lets the answer come from
	// memory: the first list runs the usual way.
	a.postCommand(t, "U1", "C1", "list")
	a.a.wg.Wait()
	body := []byte("command=%2Fstretch&text=list&team_id=T1&channel_id=C1&user_id=U1&response_url=" + url.QueryEscape(a.f.responseURL()))
	req := func(e *testEnv) *httptest.ResponseRecorder {
		ts := strconv.FormatInt(a.clock.Now().Unix(), 10)
		return e.postAt(t, ts, "/slack/commands", "application/x-www-form-urlencoded", body)
	}
	before := ha.ready.Load()
	if w := req(a); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "ready list") {
		t.Fatalf("list on A: %d %s", w.Code, w.Body)
	}
	if ha.ready.Load() == before || len(db.keys) != 2 {
		t.Fatalf("A answered from memory %d times, seen keys %d", ha.ready.Load()-before, len(db.keys))
	}
	b.postCommand(t, "U1", "C1", "list") // B learns the profile too
	b.a.wg.Wait()
	if w := req(b); w.Code != http.StatusUnauthorized || strings.Contains(w.Body.String(), "ready list") {
		t.Errorf("replayed to B: %d %q, want 401 without the list", w.Code, w.Body)
	}
	db.fail(errors.New("database down"))
	if w := a.postCommand(t, "U1", "C2", "list"); w.Code != http.StatusServiceUnavailable || strings.Contains(w.Body.String(), "ready list") {
		t.Errorf("list while the store is down: %d %q, want 503 without the list", w.Code, w.Body)
	}
	if n := len(ha.Messages()) + len(hb.Messages()); n != 2 {
		t.Errorf("Handle ran %d times, want only the two first lists", n)
	}
}
