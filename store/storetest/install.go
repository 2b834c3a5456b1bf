package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/store"
)

// installStore is what the Slack adapter keeps installations in (it
// declares the same methods); every driver implements it.
type installStore interface {
	SaveInstallation(ctx context.Context, in bot.Installation) error
	Installation(ctx context.Context, platform bot.Platform, tenant bot.TenantID) (bot.Installation, error)
	DeleteInstallation(ctx context.Context, platform bot.Platform, tenant bot.TenantID) error
	Installations(ctx context.Context, platform bot.Platform) ([]bot.Installation, error)
}

func testInstallations(t *testing.T, s store.Store) {
	ctx := t.Context()
	is, ok := s.(installStore)
	if !ok {
		t.Fatalf("%T does not keep installations", s)
	}
	_, err := is.Installation(ctx, bot.Slack, "T1")
	wantErr(t, "Installation(missing)", err, bot.ErrNotFound)

	t1 := bot.Installation{Platform: bot.Slack, Tenant: "T1", Enterprise: "E1", TeamName: "Acme", BotUserID: "UB1",
		Scopes: "chat:write,commands", Installer: "U1", SealedToken: "sb1.aaaaaaaa.one", InstalledAt: T0}
	org := bot.Installation{Platform: bot.Slack, Tenant: "E1", Enterprise: "E1", OrgWide: true, SealedToken: "sb1.aaaaaaaa.org", InstalledAt: T0}
	for _, in := range []bot.Installation{t1, org} {
		must(t, "SaveInstallation", is.SaveInstallation(ctx, in))
	}
	got, err := is.Installation(ctx, bot.Slack, "T1")
	must(t, "Installation", err)
	if d := diff(got, t1); d != "" {
		t.Errorf("Installation after save:\n%s", d)
	}
	// Another platform's tenant of the same id is another installation.
	_, err = is.Installation(ctx, bot.Discord, "T1")
	wantErr(t, "Installation(other platform)", err, bot.ErrNotFound)

	// Installing again replaces everything, back to zero values included.
	again := bot.Installation{Platform: bot.Slack, Tenant: "T1", SealedToken: "sb1.bbbbbbbb.two", InstalledAt: T0.Add(time.Hour)}
	must(t, "SaveInstallation(again)", is.SaveInstallation(ctx, again))
	got, _ = is.Installation(ctx, bot.Slack, "T1")
	if d := diff(got, again); d != "" {
		t.Errorf("Installation after reinstall:\n%s", d)
	}

	all, err := is.Installations(ctx, bot.Slack)
	must(t, "Installations", err)
	if d := diff(all, []bot.Installation{org, again}); d != "" {
		t.Errorf("Installations:\n%s", d)
	}
	if none, err := is.Installations(ctx, bot.Discord); err != nil || len(none) != 0 {
		t.Errorf("Installations(discord) = %v, %v; want none", none, err)
	}

	must(t, "DeleteInstallation", is.DeleteInstallation(ctx, bot.Slack, "T1"))
	_, err = is.Installation(ctx, bot.Slack, "T1")
	wantErr(t, "Installation(deleted)", err, bot.ErrNotFound)
	must(t, "DeleteInstallation(again)", is.DeleteInstallation(ctx, bot.Slack, "T1"))
	if _, err := is.Installation(ctx, bot.Slack, "E1"); err != nil {
		t.Errorf("deleting T1 touched E1: %v", err)
	}
}

func testPauseTenant(t *testing.T, s store.Store) {
	ctx := t.Context()
	tp, ok := s.(bot.TenantPauser)
	if !ok {
		t.Fatalf("%T cannot pause a tenant", s)
	}
	active := Reminder("act1", "T1", bot.Personal, "U1", "C1", T0, T0.Add(time.Hour))
	team := Reminder("team1", "T1", bot.ChannelSchedule, "U2", "C1", T0.Add(time.Second), T0.Add(time.Hour))
	userPaused := Reminder("usr1", "T1", bot.Personal, "U1", "C1", T0.Add(2*time.Second), T0.Add(time.Hour))
	userPaused.Paused = true
	other := Reminder("oth1", "T2", bot.Personal, "U1", "C1", T0, T0.Add(time.Hour))
	otherPlatform := Reminder("dis1", "T1", bot.Personal, "U1", "C1", T0, T0.Add(time.Hour))
	otherPlatform.Platform = bot.Discord
	for _, r := range []bot.Reminder{active, team, userPaused, other, otherPlatform} {
		MustCreate(t, s, r)
	}

	n, err := tp.PauseTenant(ctx, bot.Slack, "T1")
	if err != nil || n != 2 {
		t.Fatalf("PauseTenant = %d, %v; want 2", n, err)
	}
	for _, id := range []bot.ReminderID{"act1", "team1", "usr1"} {
		if !mustReminder(t, s, id).Paused {
			t.Errorf("#%s not paused after PauseTenant", id)
		}
	}
	for _, id := range []bot.ReminderID{"oth1", "dis1"} {
		if mustReminder(t, s, id).Paused {
			t.Errorf("#%s of another tenant or platform paused", id)
		}
	}
	due, err := s.DueReminders(ctx, T0.Add(24*time.Hour), 10)
	must(t, "DueReminders", err)
	if got := ids(due); !slices.Equal(got, []bot.ReminderID{"dis1", "oth1"}) {
		t.Errorf("due after PauseTenant = %v, want only the other tenant's and platform's", got)
	}
	// A second uninstall event changes nothing and keeps the marks.
	if n, err := tp.PauseTenant(ctx, bot.Slack, "T1"); err != nil || n != 0 {
		t.Errorf("PauseTenant again = %d, %v; want 0", n, err)
	}
	marked, err := tp.TenantPaused(ctx, bot.Slack, "T1")
	must(t, "TenantPaused", err)
	if got := ids(marked); !slices.Equal(got, []bot.ReminderID{"act1", "team1"}) {
		t.Errorf("TenantPaused = %v, want the two it paused, by creation", got)
	}

	n, err = tp.ResumeTenant(ctx, bot.Slack, "T1")
	if err != nil || n != 2 {
		t.Fatalf("ResumeTenant = %d, %v; want 2", n, err)
	}
	if mustReminder(t, s, "act1").Paused || mustReminder(t, s, "team1").Paused {
		t.Error("ResumeTenant left a reminder it paused paused")
	}
	if !mustReminder(t, s, "usr1").Paused {
		t.Error("ResumeTenant resumed a reminder its user had paused")
	}
	if marked, _ := tp.TenantPaused(ctx, bot.Slack, "T1"); len(marked) != 0 {
		t.Errorf("marks left after ResumeTenant: %v", ids(marked))
	}
	// Without marks, a user's later pause survives the next reinstall.
	must(t, "SetPaused", s.SetPaused(ctx, "T1", "act1", true, time.Time{}))
	if n, err := tp.ResumeTenant(ctx, bot.Slack, "T1"); err != nil || n != 0 || !mustReminder(t, s, "act1").Paused {
		t.Errorf("ResumeTenant without an uninstall = %d, %v; want 0 and #act1 still paused", n, err)
	}
}
