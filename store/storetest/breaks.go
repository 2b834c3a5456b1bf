package storetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/store"
)

func testSaveBreaks(t *testing.T, s store.Store) {
	ctx := t.Context()
	bs, ok := s.(bot.BreakStore)
	if !ok {
		t.Fatalf("%T has no SaveBreaks: every break would pay its own commits", s)
	}
	must(t, "SaveBreaks(none)", bs.SaveBreaks(ctx, nil))
	u1 := bot.User{Tenant: "T1", ID: "U1", Zone: "Europe/Berlin", LastBreak: T0, LastBreakKey: "break:U1:1", Prefer: "desk"}
	u2 := bot.User{Tenant: "T1", ID: "U2", LastBreak: T0, LastBreakKey: "break:U2:1"}
	later := u1
	later.LastBreak, later.LastBreakKey = T0.Add(time.Second), "break:U1:2"
	must(t, "SaveBreaks", bs.SaveBreaks(ctx, []bot.BreakRecord{
		{User: u1, Scope: "user:U1", Used: []string{"cat-cow"}},
		{User: u2, Scope: "user:U2", Used: nil},
		// The same user again: the later record wins.
		{User: later, Scope: "user:U1", Used: []string{"cat-cow", "bridge"}},
	}))
	got, err := s.User(ctx, "T1", "U1")
	if err != nil {
		t.Fatalf("User(U1): %v", err)
	}
	if !got.LastBreak.Equal(later.LastBreak) || got.LastBreakKey != "break:U1:2" || got.Zone != "Europe/Berlin" || got.Prefer != "desk" {
		t.Errorf("User(U1) = %+v, want the later break and the settings saved", got)
	}
	if got, err := s.User(ctx, "T1", "U2"); err != nil || got.LastBreakKey != "break:U2:1" {
		t.Errorf("User(U2) = %+v, %v; want its break", got, err)
	}
	if used, err := s.Rotation(ctx, "T1", "user:U1"); err != nil || !slices.Equal(used, []string{"cat-cow", "bridge"}) {
		t.Errorf("Rotation(U1) = %q, %v; want [cat-cow bridge]", used, err)
	}
	if used, err := s.Rotation(ctx, "T1", "user:U2"); err != nil || len(used) != 0 {
		t.Errorf("Rotation(U2) = %q, %v; want empty", used, err)
	}

	// Another instance changes U1's settings while a break is answered
	// from an older copy of them: the break records its last break and
	// leaves the new settings alone.
	changed := got
	changed.Zone, changed.Prefer, changed.AwayUntil = "Asia/Tokyo", "floor", T0.Add(48*time.Hour)
	must(t, "SaveUser", s.SaveUser(ctx, changed))
	must(t, "CountSkip", s.CountSkip(ctx, "T1", "U1"))
	stale := later
	stale.LastBreak, stale.LastBreakKey = T0.Add(time.Minute), "break:U1:3"
	must(t, "SaveBreaks", bs.SaveBreaks(ctx, []bot.BreakRecord{{User: stale, Scope: "user:U1", Used: []string{"bridge"}}}))
	got, err = s.User(ctx, "T1", "U1")
	if err != nil {
		t.Fatalf("User(U1): %v", err)
	}
	if got.LastBreakKey != "break:U1:3" || !got.LastBreak.Equal(stale.LastBreak) || got.Zone != "Asia/Tokyo" ||
		got.Prefer != "floor" || !got.AwayUntil.Equal(changed.AwayUntil) || got.Skipped != 1 {
		t.Errorf("User(U1) after a break from an older copy = %+v, want its break with the settings and the skip count saved since", got)
	}

	// A batch of many users, each twice and not side by side: a new user
	// is saved whole from its first record, with the last record's break;
	// the last record's rotation wins.
	var rs []bot.BreakRecord
	for round := range 2 {
		for i := range 20 {
			id := bot.UserID(fmt.Sprintf("B%02d", i))
			u := bot.User{Tenant: "T2", ID: id, Zone: "Europe/Paris", Prefer: "floor",
				LastBreak: T0.Add(time.Duration(round) * time.Minute), LastBreakKey: fmt.Sprintf("break:%s:%d", id, round)}
			if round == 1 {
				u.Zone, u.Prefer = "Asia/Tokyo", "gym"
			}
			rs = append(rs, bot.BreakRecord{User: u, Scope: "user:" + string(id), Used: []string{fmt.Sprint("round-", round)}})
		}
	}
	must(t, "SaveBreaks(many)", bs.SaveBreaks(ctx, rs))
	for i := range 20 {
		id := bot.UserID(fmt.Sprintf("B%02d", i))
		got, err := s.User(ctx, "T2", id)
		if err != nil || got.Zone != "Europe/Paris" || got.Prefer != "floor" || got.LastBreakKey != fmt.Sprintf("break:%s:1", id) ||
			!got.LastBreak.Equal(T0.Add(time.Minute)) {
			t.Errorf("User(%s) = %+v, %v; want the first record's settings and the last record's break", id, got, err)
		}
		if used, err := s.Rotation(ctx, "T2", "user:"+string(id)); err != nil || !slices.Equal(used, []string{"round-1"}) {
			t.Errorf("Rotation(%s) = %q, %v; want [round-1]", id, used, err)
		}
	}
}
