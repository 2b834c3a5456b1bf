package discord

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
)

// pureHandler is a funcHandler whose list only reads, as the core's.
type pureHandler struct{ *funcHandler }

func (pureHandler) Pure(m bot.Message) bool { return m.Text == "list" }

// mountPure is newEnv with a pureHandler in front of h.
func mountPure(t *testing.T, h *funcHandler, opts ...Option) *testEnv {
	e := newEnv(t, h, opts...)
	e.mux = http.NewServeMux()
	e.a.Mount(e.mux, pureHandler{h})
	return e
}

// A command that only reads runs beside its replay check, but its answer
// still waits for the check: a replay to another instance, or a request
// while the store cannot tell, is refused and answered nothing more.
func TestPureCommandWaitsForTheReplayCheck(t *testing.T) {
	db := &sharedSeen{keys: map[string]time.Time{}}
	a, b := mountPure(t, &funcHandler{}, WithSeenStore(db)), mountPure(t, &funcHandler{}, WithSeenStore(db))
	body := commandBody("G", "list", "")
	hdr := map[string]string{"X-Signature-Ed25519": sign(t, vecTimestamp, body), "X-Signature-Timestamp": vecTimestamp}
	if rec := a.do(t, body, hdr); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "echo: list") {
		t.Fatalf("instance A: %d %s", rec.Code, rec.Body)
	}
	for name, e := range map[string]*testEnv{"A": a, "B": b} {
		if rec := e.do(t, body, hdr); rec.Code != http.StatusUnauthorized || strings.Contains(rec.Body.String(), "echo") {
			t.Errorf("replay to %s: %d %q, want 401 without the answer", name, rec.Code, rec.Body)
		}
		e.a.wg.Wait()
	}
	// B read while it checked; nothing it read went out.
	if n := b.h.calls(); n != 1 {
		t.Errorf("B ran the read %d times, want 1 (beside the check)", n)
	}
	db.mu.Lock()
	db.err = errors.New("database down")
	db.mu.Unlock()
	// The same command, another interaction.
	body = strings.Replace(commandBody("G", "list", ""), `"id":"I1"`, `"id":"I2"`, 1)
	hdr = map[string]string{"X-Signature-Ed25519": sign(t, vecTimestamp, body), "X-Signature-Timestamp": vecTimestamp}
	if rec := a.do(t, body, hdr); rec.Code != http.StatusServiceUnavailable || strings.Contains(rec.Body.String(), "echo") {
		t.Errorf("while the store is down: %d %q, want 503 without the answer", rec.Code, rec.Body)
	}
}
