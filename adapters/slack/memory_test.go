package slack

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"
)

// Releasing memory forgets only what has expired: a signature seen a
// moment ago is still refused after it.
func TestReleaseMemoryKeepsReplaysRefused(t *testing.T) {
	h := &funcHandler{}
	e := newTestEnvWith(t, h, nil)
	body := []byte("command=%2Fstretch&text=list&team_id=T1&channel_id=C1&user_id=U1")
	ts := "1700000000"
	req := func() int {
		r, _ := http.NewRequest(http.MethodPost, "/slack/commands", bytes.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("X-Slack-Request-Timestamp", ts)
		r.Header.Set("X-Slack-Signature", sign(testSecret, ts, body))
		w := httptest.NewRecorder()
		e.mux.ServeHTTP(w, r)
		e.a.wg.Wait()
		return w.Code
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
