package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/store"
)

func testUsers(t *testing.T, s store.Store) {
	ctx := t.Context()
	_, err := s.User(ctx, "T1", "U1")
	wantErr(t, "User(missing)", err, bot.ErrNotFound)

	u := bot.User{Tenant: "T1", ID: "U1", Zone: "Europe/Paris", LastBreak: T0, LastBreakKey: "break:1"}
	must(t, "SaveUser", s.SaveUser(ctx, u))
	got, err := s.User(ctx, "T1", "U1")
	must(t, "User", err)
	if d := diff(got, u); d != "" {
		t.Errorf("User after save:\n%s", d)
	}

	// Replace, including going back to zero values.
	u2 := bot.User{Tenant: "T1", ID: "U1"}
	must(t, "SaveUser(replace)", s.SaveUser(ctx, u2))
	got, err = s.User(ctx, "T1", "U1")
	must(t, "User", err)
	if d := diff(got, u2); d != "" {
		t.Errorf("User after replace:\n%s", d)
	}

	// Same user id in another tenant is another user.
	_, err = s.User(ctx, "T2", "U1")
	wantErr(t, "User(other tenant)", err, bot.ErrNotFound)
	must(t, "SaveUser(T2)", s.SaveUser(ctx, bot.User{Tenant: "T2", ID: "U1", Zone: "Asia/Tokyo"}))
	got, _ = s.User(ctx, "T1", "U1")
	if got.Zone != "" {
		t.Errorf("T1 user zone = %q after saving T2's, want empty", got.Zone)
	}
}

func testCompletions(t *testing.T, s store.Store) {
	ctx := t.Context()
	add := func(c bot.Completion, want bool) {
		t.Helper()
		added, err := s.AddCompletion(ctx, c)
		if err != nil || added != want {
			t.Fatalf("AddCompletion(%+v) = %v, %v; want %v", c, added, err, want)
		}
	}
	c := func(tenant bot.TenantID, user bot.UserID, ch bot.ChannelID, key, kind string, at time.Time) bot.Completion {
		return bot.Completion{Tenant: tenant, User: user, Channel: ch, Key: key, Kind: kind, Reminder: "r1", At: at}
	}
	// Inserted out of time order on purpose.
	c1 := c("T1", "U1", "C1", "k1", bot.KindDone, T0.Add(2*time.Minute))
	c2 := c("T1", "U2", "C1", "k1", bot.KindDone, T0)
	c3 := c("T1", "U1", "C1", "k1", bot.KindJoin, T0.Add(time.Minute))
	c4 := c("T1", "U1", "C2", "k2", bot.KindDone, T0.Add(3*time.Minute))
	c5 := c("T2", "U1", "C1", "k1", bot.KindDone, T0)
	c4.Reminder = ""
	for _, x := range []bot.Completion{c1, c2, c3, c4, c5} {
		add(x, true)
	}
	// Dedupe on user+key+kind, whatever the other fields.
	dup := c1
	dup.At, dup.Channel = T0.Add(time.Hour), "C9"
	add(dup, false)

	for _, tt := range []struct {
		tenant    bot.TenantID
		key, kind string
		want      int
	}{
		{"T1", "k1", bot.KindDone, 2},
		{"T1", "k1", bot.KindJoin, 1},
		{"T1", "k2", bot.KindDone, 1},
		{"T1", "k3", bot.KindDone, 0},
		{"T2", "k1", bot.KindDone, 1},
	} {
		n, err := s.CountCompletions(ctx, tt.tenant, tt.key, tt.kind)
		if err != nil || n != tt.want {
			t.Errorf("CountCompletions(%s, %s, %s) = %d, %v; want %d", tt.tenant, tt.key, tt.kind, n, err, tt.want)
		}
	}

	for _, tt := range []struct {
		name string
		f    bot.CompletionFilter
		want []bot.Completion
	}{
		{"tenant", bot.CompletionFilter{Tenant: "T1"}, []bot.Completion{c2, c3, c1, c4}},
		{"user", bot.CompletionFilter{Tenant: "T1", User: "U1"}, []bot.Completion{c3, c1, c4}},
		{"channel", bot.CompletionFilter{Tenant: "T1", Channel: "C2"}, []bot.Completion{c4}},
		{"kind", bot.CompletionFilter{Tenant: "T1", Kind: bot.KindDone}, []bot.Completion{c2, c1, c4}},
		{"since inclusive", bot.CompletionFilter{Tenant: "T1", Since: T0.Add(2 * time.Minute)}, []bot.Completion{c1, c4}},
		{"combined", bot.CompletionFilter{Tenant: "T1", User: "U1", Channel: "C1", Kind: bot.KindDone}, []bot.Completion{c1}},
		{"other tenant", bot.CompletionFilter{Tenant: "T2"}, []bot.Completion{c5}},
		{"none", bot.CompletionFilter{Tenant: "T3"}, []bot.Completion{}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Completions(ctx, tt.f)
			must(t, "Completions", err)
			if got == nil {
				got = []bot.Completion{}
			}
			if d := diff(got, tt.want); d != "" {
				t.Errorf("Completions(%+v):\n%s", tt.f, d)
			}
		})
	}
}

func testRotations(t *testing.T, s store.Store) {
	ctx := t.Context()
	got, err := s.Rotation(ctx, "T1", "user:U1")
	if err != nil || got != nil {
		t.Fatalf("Rotation(none) = %#v, %v; want nil", got, err)
	}
	must(t, "SaveRotation", s.SaveRotation(ctx, "T1", "user:U1", []string{"cat-cow", "child-pose"}))
	must(t, "SaveRotation(other scope)", s.SaveRotation(ctx, "T1", "channel:C1", []string{"x"}))
	must(t, "SaveRotation(other tenant)", s.SaveRotation(ctx, "T2", "user:U1", []string{"y"}))
	got, err = s.Rotation(ctx, "T1", "user:U1")
	if err != nil || !slices.Equal(got, []string{"cat-cow", "child-pose"}) {
		t.Errorf("Rotation = %q, %v; want [cat-cow child-pose]", got, err)
	}
	must(t, "SaveRotation(replace)", s.SaveRotation(ctx, "T1", "user:U1", []string{"bridge"}))
	got, err = s.Rotation(ctx, "T1", "user:U1")
	if err != nil || !slices.Equal(got, []string{"bridge"}) {
		t.Errorf("Rotation after replace = %q, %v; want [bridge]", got, err)
	}
	must(t, "SaveRotation(empty)", s.SaveRotation(ctx, "T1", "user:U1", nil))
	got, err = s.Rotation(ctx, "T1", "user:U1")
	if err != nil || len(got) != 0 {
		t.Errorf("Rotation after reset = %q, %v; want empty", got, err)
	}
	got, _ = s.Rotation(ctx, "T2", "user:U1")
	if !slices.Equal(got, []string{"y"}) {
		t.Errorf("Rotation(T2) = %q, want [y]", got)
	}
}

func testCreateReminder(t *testing.T, s store.Store) {
	ctx := t.Context()
	r := Reminder("abc1", "T1", bot.ChannelSchedule, "U1", "C1", T0, T0.Add(time.Hour))
	r.Paused, r.PausedUntil = true, T0.Add(48*time.Hour)
	r.LastRun, r.LastMessage = T0.Add(-time.Hour), "1700000000.000100"
	MustCreate(t, s, r)

	got, err := s.Reminder(ctx, "T1", "abc1")
	must(t, "Reminder", err)
	if d := diff(got, r); d != "" {
		t.Errorf("Reminder round trip:\n%s", d)
	}
	got, err = s.ReminderByID(ctx, "abc1")
	must(t, "ReminderByID", err)
	if d := diff(got, r); d != "" {
		t.Errorf("ReminderByID round trip:\n%s", d)
	}

	// Ids are unique across tenants.
	other := Reminder("abc1", "T2", bot.Personal, "U9", "C9", T0, T0)
	wantErr(t, "CreateReminder(dup in other tenant)", s.CreateReminder(ctx, other), bot.ErrConflict)
	wantErr(t, "CreateReminder(dup)", s.CreateReminder(ctx, r), bot.ErrConflict)
	if got, _ := s.ReminderByID(ctx, "abc1"); got.Tenant != "T1" {
		t.Errorf("after conflicts, tenant = %q, want T1", got.Tenant)
	}

	_, err = s.Reminder(ctx, "T2", "abc1")
	wantErr(t, "Reminder(wrong tenant)", err, bot.ErrNotFound)
	_, err = s.Reminder(ctx, "T1", "nope")
	wantErr(t, "Reminder(missing)", err, bot.ErrNotFound)
	_, err = s.ReminderByID(ctx, "nope")
	wantErr(t, "ReminderByID(missing)", err, bot.ErrNotFound)
}

func testReminders(t *testing.T, s store.Store) {
	ctx := t.Context()
	next := T0.Add(time.Hour)
	// Created out of id and insertion order.
	for _, r := range []bot.Reminder{
		Reminder("p2", "T1", bot.Personal, "U1", "C2", T0.Add(2*time.Second), next),
		Reminder("p1", "T1", bot.Personal, "U1", "C1", T0.Add(1*time.Second), next),
		Reminder("pfin", "T1", bot.Personal, "U1", "C1", T0.Add(3*time.Second), time.Time{}),
		Reminder("pu2", "T1", bot.Personal, "U2", "C1", T0, next), // someone else's personal, in C1
		Reminder("ch1", "T1", bot.ChannelSchedule, "U2", "C1", T0.Add(4*time.Second), next),
		Reminder("ch2", "T1", bot.ChannelSchedule, "U1", "C2", T0.Add(5*time.Second), next), // U1's team schedule in C2: listed for U1 anywhere
		Reminder("chfin", "T1", bot.ChannelSchedule, "U2", "C1", T0.Add(6*time.Second), time.Time{}),
		Reminder("x1", "T2", bot.Personal, "U1", "C1", T0, next),
		Reminder("x2", "T2", bot.ChannelSchedule, "U1", "C1", T0, next),
	} {
		MustCreate(t, s, r)
	}
	for _, tt := range []struct {
		name string
		f    bot.ReminderFilter
		want []bot.ReminderID
	}{
		{"owner and channel", bot.ReminderFilter{Tenant: "T1", Owner: "U1", Channel: "C1"}, []bot.ReminderID{"p1", "p2", "ch1", "ch2"}},
		{"include finished", bot.ReminderFilter{Tenant: "T1", Owner: "U1", Channel: "C1", IncludeFinished: true}, []bot.ReminderID{"p1", "p2", "pfin", "ch1", "ch2", "chfin"}},
		{"owner only", bot.ReminderFilter{Tenant: "T1", Owner: "U1"}, []bot.ReminderID{"p1", "p2", "ch2"}},
		{"owner's team schedule in its channel once", bot.ReminderFilter{Tenant: "T1", Owner: "U1", Channel: "C2"}, []bot.ReminderID{"p1", "p2", "ch2"}},
		{"channel only", bot.ReminderFilter{Tenant: "T1", Channel: "C2"}, []bot.ReminderID{"ch2"}},
		{"neither", bot.ReminderFilter{Tenant: "T1"}, []bot.ReminderID{}},
		{"other tenant", bot.ReminderFilter{Tenant: "T2", Owner: "U1", Channel: "C1"}, []bot.ReminderID{"x1", "x2"}},
		{"unknown tenant", bot.ReminderFilter{Tenant: "T3", Owner: "U1", Channel: "C1"}, []bot.ReminderID{}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rs, err := s.Reminders(ctx, tt.f)
			must(t, "Reminders", err)
			if got := ids(rs); !slices.Equal(got, tt.want) {
				t.Errorf("Reminders(%+v) = %v, want %v", tt.f, got, tt.want)
			}
		})
	}
}

func testDeleteReminder(t *testing.T, s store.Store) {
	ctx := t.Context()
	MustCreate(t, s, Reminder("del", "T1", bot.Personal, "U1", "C1", T0, T0))
	MustCreate(t, s, Reminder("keep", "T1", bot.Personal, "U1", "C1", T0, T0))
	for _, id := range []bot.ReminderID{"del", "keep"} {
		mustClaim(t, s, claim(id, T0, T0.Add(time.Hour), "i1"))
		must(t, "AddOccurrence", s.AddOccurrence(ctx, snooze(id, T0.Add(10*time.Minute))))
	}
	if n := len(MustOpen(t, s, T0.Add(time.Hour))); n != 4 {
		t.Fatalf("open occurrences = %d, want 4", n)
	}

	wantErr(t, "DeleteReminder(wrong tenant)", s.DeleteReminder(ctx, "T2", "del"), bot.ErrNotFound)
	must(t, "DeleteReminder", s.DeleteReminder(ctx, "T1", "del"))
	_, err := s.ReminderByID(ctx, "del")
	wantErr(t, "ReminderByID(deleted)", err, bot.ErrNotFound)
	for _, o := range MustOpen(t, s, T0.Add(time.Hour)) {
		if o.Reminder == "del" {
			t.Errorf("occurrence %+v survived its reminder", o)
		}
	}
	if n := len(MustOpen(t, s, T0.Add(time.Hour))); n != 2 {
		t.Errorf("open occurrences after delete = %d, want 2", n)
	}
	wantErr(t, "DeleteReminder(again)", s.DeleteReminder(ctx, "T1", "del"), bot.ErrNotFound)
	// The id can be reused once deleted, and old occurrences do not haunt it.
	MustCreate(t, s, Reminder("del", "T1", bot.Personal, "U1", "C1", T0, T0))
	mustClaim(t, s, claim("del", T0, T0.Add(time.Hour), "i1"))
}

func testSetPaused(t *testing.T, s store.Store) {
	ctx := t.Context()
	MustCreate(t, s, Reminder("p", "T1", bot.Personal, "U1", "C1", T0, T0))
	wantErr(t, "SetPaused(wrong tenant)", s.SetPaused(ctx, "T2", "p", true, time.Time{}), bot.ErrNotFound)
	wantErr(t, "SetPaused(missing)", s.SetPaused(ctx, "T1", "nope", true, time.Time{}), bot.ErrNotFound)

	must(t, "SetPaused(true)", s.SetPaused(ctx, "T1", "p", true, time.Time{}))
	if r := mustReminder(t, s, "p"); !r.Paused || !r.PausedUntil.IsZero() {
		t.Errorf("after pause: Paused=%v PausedUntil=%v", r.Paused, r.PausedUntil)
	}
	// Setting the same value again is not "not found".
	must(t, "SetPaused(true again)", s.SetPaused(ctx, "T1", "p", true, time.Time{}))
	must(t, "SetPaused(until)", s.SetPaused(ctx, "T1", "p", false, T0.Add(24*time.Hour)))
	if r := mustReminder(t, s, "p"); r.Paused || !r.PausedUntil.Equal(T0.Add(24*time.Hour)) {
		t.Errorf("after resume-until: Paused=%v PausedUntil=%v", r.Paused, r.PausedUntil)
	}
}

func testAdvanceReminder(t *testing.T, s store.Store) {
	ctx := t.Context()
	MustCreate(t, s, Reminder("a", "T1", bot.Personal, "U1", "C1", T0, T0))
	must(t, "AdvanceReminder", s.AdvanceReminder(ctx, "a", T0, T0.Add(time.Hour)))
	if r := mustReminder(t, s, "a"); !r.NextRun.Equal(T0.Add(time.Hour)) {
		t.Errorf("NextRun = %v, want %v", r.NextRun, T0.Add(time.Hour))
	}
	wantErr(t, "AdvanceReminder(stale expect)", s.AdvanceReminder(ctx, "a", T0, T0.Add(2*time.Hour)), bot.ErrConflict)
	if r := mustReminder(t, s, "a"); !r.NextRun.Equal(T0.Add(time.Hour)) {
		t.Errorf("after conflict NextRun = %v, want unchanged %v", r.NextRun, T0.Add(time.Hour))
	}
	// Advancing to zero finishes the reminder.
	must(t, "AdvanceReminder(finish)", s.AdvanceReminder(ctx, "a", T0.Add(time.Hour), time.Time{}))
	if r := mustReminder(t, s, "a"); !r.Finished() {
		t.Errorf("NextRun = %v, want finished", r.NextRun)
	}
	wantErr(t, "AdvanceReminder(missing)", s.AdvanceReminder(ctx, "nope", T0, T0), bot.ErrNotFound)
}

func testAddOccurrence(t *testing.T, s store.Store) {
	ctx := t.Context()
	MustCreate(t, s, Reminder("s", "T1", bot.Personal, "U1", "C1", T0, T0.Add(24*time.Hour)))
	o := snooze("s", T0.Add(10*time.Minute))
	must(t, "AddOccurrence", s.AddOccurrence(ctx, o))
	got := MustOpen(t, s, T0.Add(10*time.Minute))
	if d := diff(got, []bot.Occurrence{o}); d != "" {
		t.Errorf("OpenOccurrences after AddOccurrence:\n%s", d)
	}
	wantErr(t, "AddOccurrence(dup)", s.AddOccurrence(ctx, o), bot.ErrConflict)
	// Same instant but another kind is another occurrence.
	run := o
	run.Kind = bot.RunOccurrence
	must(t, "AddOccurrence(other kind)", s.AddOccurrence(ctx, run))
	missing := snooze("nope", T0)
	wantErr(t, "AddOccurrence(missing reminder)", s.AddOccurrence(ctx, missing), bot.ErrNotFound)
}

// snooze is a pending snooze occurrence of id due at at.
func snooze(id bot.ReminderID, at time.Time) bot.Occurrence {
	return bot.Occurrence{Reminder: id, Tenant: "T1", At: at, Kind: bot.SnoozeOccurrence, State: bot.Pending, LeaseUntil: at}
}
