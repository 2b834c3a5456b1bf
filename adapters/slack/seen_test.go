package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack/socketmode"
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
			ts := "1700000000"
			r, _ := http.NewRequest(http.MethodPost, path, bytes.NewReader(body))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			r.Header.Set("X-Slack-Request-Timestamp", ts)
			r.Header.Set("X-Slack-Signature", sign(testSecret, ts, body))
			w := httptest.NewRecorder()
			e.mux.ServeHTTP(w, r)
			e.a.wg.Wait()
			return w.Code
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
