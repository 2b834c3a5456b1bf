package storetest

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/store"
)

// NotifyRotationChanges checks a store that is a
// bot.RotationChangeNotifier: a listens while b, another handle on the
// same database (another instance), writes rotations. A new rotation and a
// changed one name it, whatever its ids hold, also when a break writes it
// (bot.BreakStore); writing a rotation unchanged is not heard. A store may
// report several rotations at once. It tells what was written (so that
// the instance that wrote it keeps its copy), unless that is too long for
// its reports.
func NotifyRotationChanges(t *testing.T, a bot.RotationChangeNotifier, b store.Store) {
	t.Helper()
	got := make(chan []bot.RotationRef, 4096)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		done <- a.NotifyRotationChanges(ctx, func(rs ...bot.RotationRef) { got <- rs })
	}()
	// want waits for a report naming each of rs, with its Used, which a
	// store may leave out only where mayOmit.
	mayOmit := false
	type named struct {
		tenant bot.TenantID
		scope  string
	}
	want := func(what string, rs ...bot.RotationRef) {
		t.Helper()
		missing := map[named][]string{}
		for _, r := range rs {
			missing[named{r.Tenant, r.Scope}] = r.Used
		}
		timeout := time.After(5 * time.Second)
		for first := true; first || len(missing) > 0; first = false {
			select {
			case heard := <-got:
				for _, r := range heard {
					k := named{r.Tenant, r.Scope}
					used, ok := missing[k]
					if !ok {
						continue
					}
					if r.Told && !slices.Equal(r.Used, used) {
						t.Errorf("%s: %v told as written %q, want %q", what, k, r.Used, used)
					}
					if !r.Told && !mayOmit {
						t.Errorf("%s: %v reported without what was written", what, k)
					}
					delete(missing, k)
				}
			case <-timeout:
				t.Fatalf("no notification %s (missing %v)", what, missing)
			}
		}
	}
	quiet := func(what string) {
		t.Helper()
		select {
		case rs := <-got:
			t.Errorf("%s notified %v", what, rs)
		case <-time.After(300 * time.Millisecond):
		}
	}
	save := func(r bot.RotationRef, used ...string) {
		t.Helper()
		if err := b.SaveRotation(ctx, r.Tenant, r.Scope, used); err != nil {
			t.Fatal(err)
		}
	}
	want("when listening starts")
	u1 := bot.RotationRef{Tenant: "T1", Scope: "user:U1"}
	save(u1, "neck-roll")
	u1.Used = []string{"neck-roll"}
	want("for a new rotation", u1)
	save(u1, "neck-roll")
	quiet("saving a rotation unchanged")
	save(u1, "neck-roll", "cat-cow")
	u1.Used = []string{"neck-roll", "cat-cow"}
	want("for a changed rotation", u1)
	odd := bot.RotationRef{Tenant: `T "2"`, Scope: `channel:C 1\x`, Used: []string{`neck "roll"`}}
	save(odd, odd.Used...)
	want("for ids holding spaces and quotes", odd)
	long := bot.RotationRef{Tenant: "T1", Scope: "channel:C9"}
	for i := range 400 {
		long.Used = append(long.Used, fmt.Sprintf("exercise-with-a-long-name-%d", i))
	}
	save(long, long.Used...)
	mayOmit = true
	want("for a rotation longer than a notification may tell", long)
	mayOmit = false
	if bs, ok := b.(bot.BreakStore); ok {
		u2 := bot.RotationRef{Tenant: "T1", Scope: "user:U2"}
		err := bs.SaveBreaks(ctx, []bot.BreakRecord{
			{User: bot.User{Tenant: "T1", ID: "U1", LastBreak: T0, LastBreakKey: "break:U1:1"}, Scope: u1.Scope, Used: []string{"neck-roll", "cat-cow", "wall-angel"}},
			{User: bot.User{Tenant: "T1", ID: "U2", LastBreak: T0, LastBreakKey: "break:U2:1"}, Scope: u2.Scope, Used: []string{"wall-angel"}},
		})
		if err != nil {
			t.Fatal(err)
		}
		u1.Used, u2.Used = []string{"neck-roll", "cat-cow", "wall-angel"}, []string{"wall-angel"}
		want("for breaks' rotations", u1, u2)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("NotifyRotationChanges after cancel = %v", err)
	}
}

// testRotationChangesWithUserChanges checks that a store reporting users
// written to other instances reports rotations too: both are kept in the
// same cache (bot.WithUserCache), and a store shared by instances that
// reported only users would leave each one drawing breaks from its own
// old copy of a rotation. A store for one process alone reports neither.
func testRotationChangesWithUserChanges(t *testing.T, s store.Store) {
	_, users := s.(bot.UserChangeNotifier)
	_, rotations := s.(bot.RotationChangeNotifier)
	if users != rotations {
		t.Errorf("%T reports user changes %v, rotation changes %v; want both or neither", s, users, rotations)
	}
}
