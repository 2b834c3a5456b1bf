package slack

import (
	"context"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
)

// InDND follows dnd.info: a snooze and a scheduled window both count, the
// answer is reused for a short while (following the clock meanwhile), and
// a failed look-up counts as "not in do-not-disturb".
func TestInDND(t *testing.T) {
	e := newTestEnv(t, &funcHandler{})
	ctx := context.Background()
	now := e.clock.Now()
	e.f.mu.Lock()
	e.f.dnd = map[string]map[string]any{
		"U1": {"snooze_enabled": true, "snooze_endtime": now.Add(time.Minute).Unix()},
		"U2": {"dnd_enabled": true, "next_dnd_start_ts": now.Add(-time.Hour).Unix(), "next_dnd_end_ts": now.Add(time.Hour).Unix()},
		"U3": {"dnd_enabled": true, "next_dnd_start_ts": now.Add(time.Hour).Unix(), "next_dnd_end_ts": now.Add(2 * time.Hour).Unix()},
	}
	e.f.mu.Unlock()
	check := func(user string, want bool) {
		t.Helper()
		got, err := e.a.InDND(ctx, "T1", bot.UserID(user))
		if err != nil || got != want {
			t.Errorf("InDND(%s) at +%s = %v, %v; want %v", user, e.clock.Now().Sub(now), got, err, want)
		}
	}
	check("U1", true)
	check("U2", true)
	check("U3", false)
	check("U4", false)
	if n := len(e.f.callsTo("dnd.info")); n != 4 {
		t.Errorf("%d dnd.info calls, want 4", n)
	}
	// Within the cache's life the snooze ends by the clock, without a call.
	e.clock.Advance(90 * time.Second)
	check("U1", false)
	check("U2", true)
	if n := len(e.f.callsTo("dnd.info")); n != 4 {
		t.Errorf("%d dnd.info calls after 90 s, want still 4", n)
	}
	if got := e.f.callsTo("dnd.info")[0].Params.Get("user"); got != "U1" {
		t.Errorf("dnd.info asked about %q, want U1", got)
	}

	// Without the scope: an error once, then "not in DND" from the cache.
	e.f.failAlways("dnd.info", failure{code: "missing_scope"})
	if on, err := e.a.InDND(ctx, "T1", "U5"); on || err == nil {
		t.Errorf("InDND without scope = %v, %v; want false and an error", on, err)
	}
	if on, err := e.a.InDND(ctx, "T1", "U5"); on || err != nil {
		t.Errorf("InDND without scope, cached = %v, %v; want false, nil", on, err)
	}
}
