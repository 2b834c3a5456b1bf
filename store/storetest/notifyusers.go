package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/store"
)

// NotifyUserChanges checks a store that is a bot.UserChangeNotifier: a
// listens while b, another handle on the same database (another
// instance), writes users. A new user and a changed setting name the
// user, whatever its ids hold; saving a user unchanged, a new last break
// (which `break` writes on every request, and the Bot reads from the
// store where it matters) and counting a run passed over (shown by stats
// alone) are not heard. A store may report several users at once.
func NotifyUserChanges(t *testing.T, a bot.UserChangeNotifier, b store.Store) {
	t.Helper()
	got := make(chan []bot.UserRef, 4096)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		done <- a.NotifyUserChanges(ctx, func(us ...bot.UserRef) { got <- us })
	}()
	// want waits for a report naming every user of us.
	want := func(what string, us ...bot.UserRef) {
		t.Helper()
		missing := map[bot.UserRef]bool{}
		for _, u := range us {
			missing[u] = true
		}
		timeout := time.After(5 * time.Second)
		for first := true; first || len(missing) > 0; first = false {
			select {
			case heard := <-got:
				for _, u := range heard {
					delete(missing, u)
				}
			case <-timeout:
				t.Fatalf("no notification %s (missing %v)", what, missing)
			}
		}
	}
	quiet := func(what string) {
		t.Helper()
		select {
		case us := <-got:
			t.Errorf("%s notified %v", what, us)
		case <-time.After(300 * time.Millisecond):
		}
	}
	save := func(u bot.User) {
		t.Helper()
		if err := b.SaveUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	want("when listening starts")
	u1 := bot.User{Tenant: "T1", ID: "U1", Zone: "Europe/Berlin"}
	ref1 := bot.UserRef{Tenant: "T1", ID: "U1"}
	save(u1)
	want("for a new user", ref1)
	save(u1)
	quiet("saving a user unchanged")
	u1.Zone = "Asia/Tokyo"
	save(u1)
	want("for a new zone", ref1)
	u1.AwayUntil = T0.Add(24 * time.Hour)
	u1.Hours, u1.Quiet, u1.Prefer, u1.Level = "mon,tue 09:00-17:00", "12:00-13:00", "desk", "medium"
	save(u1)
	want("for time away and settings", ref1)
	u1.LastBreak, u1.LastBreakKey = T0, "break:U1:1"
	save(u1)
	quiet("a last break")
	if err := b.CountSkip(ctx, "T1", "U1"); err != nil {
		t.Fatal(err)
	}
	quiet("a run passed over")

	odd := bot.UserRef{Tenant: `T "2"`, ID: `U 1\x`}
	save(bot.User{Tenant: odd.Tenant, ID: odd.ID})
	want("for ids holding spaces and quotes", odd)
	if bs, ok := b.(bot.BreakStore); ok {
		u1.LastBreak, u1.LastBreakKey = T0.Add(time.Minute), "break:U1:2"
		u2 := bot.User{Tenant: "T1", ID: "U2", LastBreak: T0, LastBreakKey: "break:U2:1"}
		if err := bs.SaveBreaks(ctx, []bot.BreakRecord{{User: u1, Scope: "user:U1"}, {User: u2, Scope: "user:U2"}}); err != nil {
			t.Fatal(err)
		}
		want("for a first break, which adds the user", bot.UserRef{Tenant: "T1", ID: "U2"})
		u1.LastBreak, u1.LastBreakKey = T0.Add(2*time.Minute), "break:U1:3"
		if err := bs.SaveBreaks(ctx, []bot.BreakRecord{{User: u1, Scope: "user:U1"}}); err != nil {
			t.Fatal(err)
		}
		quiet("a break")
		// A break's copy of the settings is never written over stored
		// ones (bot.BreakStore), so it changes nothing to report.
		u1.Zone = "America/Chicago"
		if err := bs.SaveBreaks(ctx, []bot.BreakRecord{{User: u1, Scope: "user:U1"}}); err != nil {
			t.Fatal(err)
		}
		quiet("a break carrying another zone")
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("NotifyUserChanges after cancel = %v", err)
	}
}
