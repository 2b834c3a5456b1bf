package discord

import (
	"log/slog"
	"net/http"
	"testing"
	"time"
)

// TestNilOptionsKeepDefaults checks the rule every adapter follows: a nil
// argument to a With* option is the same as not giving the option.
func TestNilOptionsKeepDefaults(t *testing.T) {
	a, err := New(Config{Token: "tok"}, WithNow(nil), WithLogger(nil), WithHTTPClient(nil), withSleep(nil))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if a.now == nil || a.log != slog.Default() || a.sleep == nil || a.httpClient == nil || a.httpClient.Timeout != 30*time.Second {
		t.Errorf("defaults not kept: now=%v log=%v sleep=%v http=%v", a.now != nil, a.log, a.sleep != nil, a.httpClient)
	}
	clock := func() time.Time { return time.Unix(7, 0) }
	a, err = New(Config{Token: "tok"}, WithNow(clock), WithHTTPClient(&http.Client{Timeout: time.Second}))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if a.now().Unix() != 7 || a.httpClient.Timeout != time.Second {
		t.Error("options not applied")
	}
}
