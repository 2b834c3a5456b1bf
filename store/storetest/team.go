package storetest

import (
	"reflect"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/store"
)

func testTeam(t *testing.T, s store.Store) {
	ctx := t.Context()
	ts, ok := s.(bot.TeamStore)
	if !ok {
		t.Fatalf("%T is no bot.TeamStore: holidays and summaries would be unavailable", s)
	}

	// Settings: none is the zero value; saved ones come back, per tenant.
	got, err := ts.ChannelSettings(ctx, "T1", "C1")
	if err != nil || got != (bot.ChannelSettings{Tenant: "T1", Channel: "C1"}) {
		t.Fatalf("ChannelSettings of a new channel = %+v, %v; want zero settings", got, err)
	}
	set := bot.ChannelSettings{Tenant: "T1", Channel: "C1", Holidays: "DE-BY", Summary: "sum1"}
	if err := ts.SaveChannelSettings(ctx, set); err != nil {
		t.Fatal(err)
	}
	if got, _ := ts.ChannelSettings(ctx, "T1", "C1"); got != set {
		t.Errorf("ChannelSettings = %+v, want %+v", got, set)
	}
	if got, _ := ts.ChannelSettings(ctx, "T2", "C1"); got.Holidays != "" {
		t.Errorf("another tenant's channel sees %+v", got)
	}
	set.Holidays = ""
	if err := ts.SaveChannelSettings(ctx, set); err != nil {
		t.Fatal(err)
	}
	if got, _ := ts.ChannelSettings(ctx, "T1", "C1"); got != set {
		t.Errorf("after clearing, ChannelSettings = %+v, want %+v", got, set)
	}

	// Runs: recorded once per (reminder, at), listed per channel from since.
	runs := []bot.TeamRun{
		{Tenant: "T1", Channel: "C1", Reminder: "r1", At: T0.Add(2 * time.Hour)},
		{Tenant: "T1", Channel: "C1", Reminder: "r1", At: T0, Skipped: "public holiday: Christmas"},
		{Tenant: "T1", Channel: "C1", Reminder: "r2", At: T0.Add(2 * time.Hour)},
		{Tenant: "T1", Channel: "C2", Reminder: "r3", At: T0},
		{Tenant: "T2", Channel: "C1", Reminder: "r4", At: T0},
	}
	for _, r := range runs {
		if err := ts.AddTeamRun(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	again := runs[0]
	again.Skipped = "changed"
	if err := ts.AddTeamRun(ctx, again); err != nil {
		t.Fatalf("recording a run again: %v", err)
	}
	list, err := ts.TeamRuns(ctx, "T1", "C1", T0)
	if err != nil {
		t.Fatal(err)
	}
	want := []bot.TeamRun{runs[1], runs[0], runs[2]}
	if !runsEqual(list, want) {
		t.Errorf("TeamRuns = %+v, want %+v", list, want)
	}
	if list, _ := ts.TeamRuns(ctx, "T1", "C1", T0.Add(time.Hour)); len(list) != 2 {
		t.Errorf("TeamRuns since an hour later = %+v, want the two later runs", list)
	}

	// Consent: set, renamed, listed per tenant, withdrawn.
	for _, u := range []bot.PublicUser{{Tenant: "T1", User: "U2", Name: "Bea"}, {Tenant: "T1", User: "U1", Name: "Al"},
		{Tenant: "T1", User: "U1", Name: "Alan"}, {Tenant: "T2", User: "U3"}} {
		if err := ts.SetPublic(ctx, u, true); err != nil {
			t.Fatal(err)
		}
	}
	pub, err := ts.PublicUsers(ctx, "T1")
	wantPub := []bot.PublicUser{{Tenant: "T1", User: "U1", Name: "Alan"}, {Tenant: "T1", User: "U2", Name: "Bea"}}
	if err != nil || !reflect.DeepEqual(pub, wantPub) {
		t.Errorf("PublicUsers = %+v, %v; want %+v", pub, err, wantPub)
	}
	if err := ts.SetPublic(ctx, bot.PublicUser{Tenant: "T1", User: "U1"}, false); err != nil {
		t.Fatal(err)
	}
	if err := ts.SetPublic(ctx, bot.PublicUser{Tenant: "T1", User: "U9"}, false); err != nil {
		t.Errorf("withdrawing consent never given: %v", err)
	}
	if pub, _ := ts.PublicUsers(ctx, "T1"); len(pub) != 1 || pub[0].User != "U2" {
		t.Errorf("after U1 withdrew, PublicUsers = %+v", pub)
	}
}

func runsEqual(a, b []bot.TeamRun) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !a[i].At.Equal(b[i].At) {
			return false
		}
		x, y := a[i], b[i]
		x.At, y.At = time.Time{}, time.Time{}
		if x != y {
			return false
		}
	}
	return true
}
