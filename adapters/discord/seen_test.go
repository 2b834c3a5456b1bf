package discord

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

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

func TestReplayRefusedByAnotherInstance(t *testing.T) {
	db := &sharedSeen{keys: map[string]time.Time{}}
	a, b := newEnv(t, &funcHandler{}, WithSeenStore(db)), newEnv(t, &funcHandler{}, WithSeenStore(db))
	body := commandBody("G", "help", "")
	hdr := map[string]string{"X-Signature-Ed25519": sign(t, vecTimestamp, body), "X-Signature-Timestamp": vecTimestamp}
	if rec := a.do(t, body, hdr); rec.Code != http.StatusOK {
		t.Fatalf("instance A: %d %s", rec.Code, rec.Body)
	}
	if rec := b.do(t, body, hdr); rec.Code != http.StatusUnauthorized {
		t.Errorf("replay to instance B: %d, want 401", rec.Code)
	}
	if n := b.h.calls(); n != 0 {
		t.Errorf("instance B ran the replay: %d calls", n)
	}
}

// The same signature in upper-case hex verifies too; it is the same
// request, and refused as a replay by every instance.
func TestReplayInUpperCaseRefused(t *testing.T) {
	db := &sharedSeen{keys: map[string]time.Time{}}
	a, b := newEnv(t, &funcHandler{}, WithSeenStore(db)), newEnv(t, &funcHandler{}, WithSeenStore(db))
	body := commandBody("G", "help", "")
	sig := sign(t, vecTimestamp, body)
	if rec := a.do(t, body, map[string]string{"X-Signature-Ed25519": sig, "X-Signature-Timestamp": vecTimestamp}); rec.Code != http.StatusOK {
		t.Fatalf("instance A: %d %s", rec.Code, rec.Body)
	}
	upper := map[string]string{"X-Signature-Ed25519": strings.ToUpper(sig), "X-Signature-Timestamp": vecTimestamp}
	for name, e := range map[string]*testEnv{"A": a, "B": b} {
		if rec := e.do(t, body, upper); rec.Code != http.StatusUnauthorized {
			t.Errorf("upper case to %s: %d, want 401", name, rec.Code)
		}
	}
	if n := a.h.calls() + b.h.calls(); n != 1 {
		t.Errorf("ran %d times, want once", n)
	}
}

func TestSeenStoreDownFailsClosed(t *testing.T) {
	db := &sharedSeen{keys: map[string]time.Time{}, err: errors.New("database down")}
	e := newEnv(t, &funcHandler{}, WithSeenStore(db))
	body := commandBody("G", "help", "")
	hdr := map[string]string{"X-Signature-Ed25519": sign(t, vecTimestamp, body), "X-Signature-Timestamp": vecTimestamp}
	if rec := e.do(t, body, hdr); rec.Code != http.StatusServiceUnavailable {
		t.Errorf("store down: %d, want 503", rec.Code)
	}
	if n := e.h.calls(); n != 0 {
		t.Errorf("ran while the store was down: %d calls", n)
	}
	// Once the store answers, the same request is accepted.
	db.mu.Lock()
	db.err = nil
	db.mu.Unlock()
	if rec := e.do(t, body, hdr); rec.Code != http.StatusOK || e.h.calls() != 1 {
		t.Errorf("after the outage: %d, %d calls; want 200 and one", rec.Code, e.h.calls())
	}
	// PING needs no store.
	db.mu.Lock()
	db.err = errors.New("down again")
	db.mu.Unlock()
	if rec := e.do(t, vecBody, map[string]string{"X-Signature-Ed25519": vecSignature, "X-Signature-Timestamp": vecTimestamp}); rec.Code != http.StatusOK {
		t.Errorf("PING while the store is down: %d", rec.Code)
	}
}

func TestInteractionWithoutUserRefused(t *testing.T) {
	tests := []struct{ name, body string }{
		{"neither", `{"type":2,"id":"1","token":"T","guild_id":"G","channel_id":"C","data":{"name":"stretch","options":[{"name":"remind","type":1,"options":[{"name":"when","type":3,"value":"in 5 minutes"}]}]}}`},
		{"member without user", `{"type":2,"id":"1","token":"T","guild_id":"G","channel_id":"C","member":{"permissions":"8"},"data":{"name":"stretch","options":[{"name":"help","type":1}]}}`},
		{"user without id", `{"type":3,"id":"1","token":"T","channel_id":"C","user":{},"data":{"custom_id":"done:k3f9:1","component_type":2}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, &funcHandler{})
			if rec := e.post(t, tt.body); rec.Code != http.StatusBadRequest {
				t.Errorf("status %d, want 400", rec.Code)
			}
			if n := e.h.calls(); n != 0 {
				t.Errorf("the core got %d calls", n)
			}
		})
	}
}

// quickHandler answers help at once with a Fixed reply, like the core.
type quickHandler struct {
	*funcHandler
	quick atomic.Int32
}

func (h *quickHandler) Quick(m bot.Message) (bot.Reply, bool) {
	if m.Text != "help" {
		return bot.Reply{}, false
	}
	h.quick.Add(1)
	return bot.Reply{Title: "Help", Blocks: []string{"one line a command"}, Visibility: bot.Private, Fixed: "help"}, true
}

// A Fixed answer is written from its cached bytes without running the
// handler or writing to the seen store; a replay is still refused by the
// instance that answered it.
func TestFixedInteractionIsQuick(t *testing.T) {
	db := &sharedSeen{keys: map[string]time.Time{}}
	h := &quickHandler{funcHandler: &funcHandler{}}
	fake := newFakeDiscord(t)
	a, err := New(Config{PublicKey: vecPublicKey, Token: "tok", AppID: "APP", APIURL: fake.srv.URL},
		WithNow(func() time.Time { return vecTime }), WithSeenStore(db))
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	a.Mount(mux, h)
	e := &testEnv{a: a, fake: fake, mux: mux, h: h.funcHandler, now: vecTime}
	var first string
	for i := range 3 {
		body := strings.Replace(commandBody("G1", "help", ""), `"id":"I1"`, fmt.Sprintf(`"id":"I%d"`, i+10), 1)
		rec := e.post(t, body)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "one line a command") || !strings.Contains(rec.Body.String(), `"flags":64`) {
			t.Fatalf("help: %d %s", rec.Code, rec.Body)
		}
		if first == "" {
			first = rec.Body.String()
		} else if rec.Body.String() != first {
			t.Errorf("the same Fixed answer changed: %s, then %s", first, rec.Body)
		}
		if got := rec.Header().Get("Content-Length"); got != strconv.Itoa(rec.Body.Len()) {
			t.Errorf("Content-Length = %s for %d bytes", got, rec.Body.Len())
		}
	}
	if h.calls() != 0 || h.quick.Load() != 3 || len(db.keys) != 0 {
		t.Errorf("handled %d, quick %d, seen keys %d; want 0, 3, 0", h.calls(), h.quick.Load(), len(db.keys))
	}
	body := commandBody("G1", "help", "")
	if rec := e.post(t, body); rec.Code != http.StatusOK {
		t.Fatalf("first: %d", rec.Code)
	}
	if rec := e.post(t, body); rec.Code != http.StatusUnauthorized {
		t.Errorf("replayed help: %d, want 401", rec.Code)
	}
	if rec := e.post(t, commandBody("G1", "list", "")); rec.Code != http.StatusOK || h.calls() != 1 || len(db.keys) != 1 {
		t.Errorf("list: %d, handled %d, seen keys %d", rec.Code, h.calls(), len(db.keys))
	}
}
