package discord

import (
	"net/http"
	"testing"
)

// Releasing memory forgets only what has expired: a signature seen a
// moment ago is still refused after it.
func TestReleaseMemoryKeepsReplaysRefused(t *testing.T) {
	e := newEnv(t, &funcHandler{})
	body := commandBody("G", "help", "")
	hdr := map[string]string{"X-Signature-Ed25519": sign(t, vecTimestamp, body), "X-Signature-Timestamp": vecTimestamp}
	if rec := e.do(t, body, hdr); rec.Code != http.StatusOK {
		t.Fatalf("first request: %d %s", rec.Code, rec.Body)
	}
	e.a.ReleaseMemory(t.Context())
	if rec := e.do(t, body, hdr); rec.Code != http.StatusUnauthorized {
		t.Errorf("replay after ReleaseMemory: %d, want 401", rec.Code)
	}
	if n := e.h.calls(); n != 1 {
		t.Errorf("ran %d times, want once", n)
	}
	// Without a public key there is nothing to refuse, and nothing to
	// release.
	a, err := New(Config{Token: "tok", AppID: "APP"})
	if err != nil {
		t.Fatal(err)
	}
	a.ReleaseMemory(t.Context())
}
