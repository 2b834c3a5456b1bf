package storetest

import (
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/store"
)

// testPersonalSettings: working hours, quiet periods, time away, level and
// place preference round-trip; the skip count is only CountSkip's, and a
// SaveUser from a stale read never resets it.
func testPersonalSettings(t *testing.T, s store.Store) {
	ctx := t.Context()
	u := bot.User{Tenant: "T1", ID: "U1", Zone: "Europe/Berlin",
		Hours: "mon,tue,wed,thu,fri 09:00-12:00 13:00-17:30", Quiet: "12:00-13:00",
		AwayUntil: T0.Add(14 * 24 * time.Hour), Level: "medium", LevelSince: T0, LevelOffered: T0.Add(time.Hour),
		Prefer: "floor"}
	must(t, "SaveUser", s.SaveUser(ctx, u))
	got, err := s.User(ctx, "T1", "U1")
	must(t, "User", err)
	if d := diff(got, u); d != "" {
		t.Errorf("User after save:\n%s", d)
	}

	// Counting creates a user who has none yet, and adds up.
	must(t, "CountSkip(new)", s.CountSkip(ctx, "T1", "U2"))
	must(t, "CountSkip(new, again)", s.CountSkip(ctx, "T1", "U2"))
	got, err = s.User(ctx, "T1", "U2")
	must(t, "User(U2)", err)
	if got.Skipped != 2 {
		t.Errorf("Skipped = %d after two counts, want 2", got.Skipped)
	}

	stale := u
	must(t, "CountSkip", s.CountSkip(ctx, "T1", "U1"))
	stale.Hours = ""
	must(t, "SaveUser(stale)", s.SaveUser(ctx, stale))
	got, err = s.User(ctx, "T1", "U1")
	must(t, "User", err)
	if got.Skipped != 1 || got.Hours != "" {
		t.Errorf("after count then save: Skipped = %d, Hours = %q; want 1 and empty", got.Skipped, got.Hours)
	}

	// Other tenants count apart.
	must(t, "CountSkip(T2)", s.CountSkip(ctx, "T2", "U1"))
	got, _ = s.User(ctx, "T1", "U1")
	if got.Skipped != 1 {
		t.Errorf("T1 Skipped = %d after counting T2's, want 1", got.Skipped)
	}
}
