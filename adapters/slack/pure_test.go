package slack

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
)

// pureHandler is a funcHandler whose list only reads, as the core's.
type pureHandler struct{ funcHandler }

func (*pureHandler) Pure(m bot.Message) bool { return m.Text == "list" }

// A command that only reads runs beside its replay check, but its answer
// still waits for the check: a replay to another instance, or a request
// while the store cannot tell, is refused and answered nothing more.
func TestPureCommandWaitsForTheReplayCheck(t *testing.T) {
	db := &sharedSeen{keys: map[string]time.Time{}}
	ha, hb := &pureHandler{}, &pureHandler{}
	a := newTestEnvWith(t, ha, []Option{WithSeenStore(db)})
	b := newTestEnvWith(t, hb, []Option{WithSeenStore(db), WithNow(a.clock.Now)}, func(c *Config) { c.APIURL = a.f.apiURL() })
	body := []byte("command=%2Fstretch&text=list&team_id=T1&channel_id=C1&user_id=U1")
	send := func(e *testEnv) *httptest.ResponseRecorder {
		return e.postAt(t, "1700000000", "/slack/commands", "application/x-www-form-urlencoded", body)
	}
	if w := send(a); w.Code != http.StatusOK || !bytes.Contains(w.Body.Bytes(), []byte("echo: list")) {
		t.Fatalf("A: %d %s", w.Code, w.Body)
	}
	for name, e := range map[string]*testEnv{"A": a, "B": b} {
		if w := send(e); w.Code != http.StatusUnauthorized || bytes.Contains(w.Body.Bytes(), []byte("echo")) {
			t.Errorf("replay to %s: %d %q, want 401 without the answer", name, w.Code, w.Body)
		}
	}
	// B read while it checked; nothing it read went out.
	if n := len(hb.Messages()); n != 1 {
		t.Errorf("B ran the read %d times, want 1 (beside the check)", n)
	}
	db.fail(errors.New("database down"))
	if w := a.postCommand(t, "U1", "C1", "list"); w.Code != http.StatusServiceUnavailable || bytes.Contains(w.Body.Bytes(), []byte("echo")) {
		t.Errorf("while the store is down: %d %q, want 503 without the answer", w.Code, w.Body)
	}
	if got := len(a.f.callsTo("response_url")) + len(b.f.callsTo("response_url")); got != 0 {
		t.Errorf("%d answers posted to response_url, want none", got)
	}
}
