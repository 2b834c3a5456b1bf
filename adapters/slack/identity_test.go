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
	if last := msgs[len(msgs)-1]; last.ZoneHint != "" || last.Admin {
		t.Errorf("failed lookup still gave hints: %+v", last)
	}
}
