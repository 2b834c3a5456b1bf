package slack

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestUsersInfoCachedAndOptional(t *testing.T) {
	h := &funcHandler{}
	e := newTestEnv(t, h)
	e.postCommand(t, "U1", "C1", "a")
	e.postCommand(t, "U1", "C1", "b")
	if n := len(e.f.callsTo("users.info")); n != 1 {
		t.Errorf("users.info called %d times for one user, want 1 (cached)", n)
	}
	e.clock.Advance(userTTL + time.Second)
	e.postCommand(t, "U1", "C1", "c")
	if n := len(e.f.callsTo("users.info")); n != 2 {
		t.Errorf("users.info called %d times after the TTL, want 2", n)
	}
	e.f.failAlways("users.info", failure{status: 500})
	w := e.postCommand(t, "U9", "C1", "d")
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "echo: d") {
		t.Errorf("users.info failure blocked the command: %d %q", w.Code, w.Body.String())
	}
	msgs := h.Messages()
	if last := msgs[len(msgs)-1]; last.ZoneHint != "" || last.Admin || !last.ZoneUnread {
		t.Errorf("failed lookup still gave hints: %+v", last)
	}
}

// A look-up held back by the rate limit is skipped, not waited for, and
// not remembered as a failure.
func TestUsersInfoSkippedWhileRateLimited(t *testing.T) {
	h := &funcHandler{}
	e := newTestEnv(t, h)
	e.a.limits.Block("T1/users.info", e.clock.Now().Add(time.Minute))
	if w := e.postCommand(t, "U1", "C1", "a"); w.Code != http.StatusOK {
		t.Fatalf("command: %d", w.Code)
	}
	if n := len(e.f.callsTo("users.info")); n != 0 {
		t.Errorf("users.info called %d times during its Retry-After", n)
	}
	e.clock.Advance(time.Minute)
	e.postCommand(t, "U1", "C1", "b")
	if n := len(e.f.callsTo("users.info")); n != 1 {
		t.Errorf("users.info called %d times after the Retry-After, want 1", n)
	}
	if msgs := h.Messages(); msgs[1].ZoneHint != "Europe/Berlin" {
		t.Errorf("hints after the Retry-After: %+v", msgs[1])
	}
}

// A users.info that takes longer than a second still gives its zone to the
// command that asked: the command's answer may go to response_url, but a
// reminder set in the default zone instead of the user's would be wrong
// for as long as it lasts.
func TestUsersInfoSlowStillGivesTheZone(t *testing.T) {
	h := &funcHandler{}
	e := newTestEnv(t, h)
	e.f.mu.Lock()
	e.f.before = func(c call) (failure, bool) {
		if c.Method == "users.info" {
			time.Sleep(1200 * time.Millisecond) // a slow network, not a schedule
		}
		return failure{}, false
	}
	e.f.mu.Unlock()
	e.postCommand(t, "U1", "C1", "remind me every day at 9")
	if msgs := h.Messages(); len(msgs) != 1 || msgs[0].ZoneHint != "Europe/Berlin" || msgs[0].ZoneUnread {
		t.Errorf("hints after a slow users.info: %+v", msgs)
	}
}
