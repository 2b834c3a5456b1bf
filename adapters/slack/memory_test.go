package slack

import (
	"net/http"
	"testing"
)

// Releasing memory forgets only what has expired: a signature seen a
// moment ago is still refused after it.
func TestReleaseMemoryKeepsReplaysRefused(t *testing.T) {
	h := &funcHandler{}
	e := newTestEnvWith(t, h, nil)
	body := []byte("command=%2Fstretch&text=list&team_id=T1&channel_id=C1&user_id=U1")
	// The same signed request twice: the second is a replay.
	req := func() int {
		return e.post(t, "/slack/commands", "application/x-www-form-urlencoded", body).Code
	}
	if code := req(); code != http.StatusOK {
		t.Fatalf("first request: %d", code)
	}
	e.a.ReleaseMemory(t.Context())
	if code := req(); code != http.StatusUnauthorized {
		t.Errorf("replay after ReleaseMemory: %d, want 401", code)
	}
	if n := len(h.Messages()); n != 1 {
		t.Errorf("ran %d times, want once", n)
	}
}
