package bot_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/internal/testkit"
)

// promised is r as the scheduler hands it to SkipRun and RunSkipped (see
// schedule.Skipper): these fields, nothing else.
func promised(r bot.Reminder) bot.Reminder {
	return bot.Reminder{ID: r.ID, Tenant: r.Tenant, Platform: r.Platform, Kind: r.Kind, Owner: r.Owner,
		Channel: r.Channel, Rule: r.Rule, Zone: r.Zone, NextRun: r.NextRun}
}

// SkipRun and RunSkipped judge and count a run by the fields the scheduler
// promises to hand them: working hours, a windowed rule, time away and a
// channel's holidays come out the same from the whole reminder and from
// those fields alone.
func TestSkipRunReadsOnlyThePromisedFields(t *testing.T) {
	ctx := context.Background()
	start := time.Date(2026, 12, 24, 9, 0, 0, 0, time.UTC) // a Thursday; Christmas Day is a holiday in DE
	k := testkit.New(t, testkit.WithStart(start))
	k.SendAs("U1", "D1", "hours 13:00-15:00 mon-fri")
	createdID(t, k.SendAs("U1", "D1", "remind me every hour"))
	createdID(t, k.SendAs("U1", "D1", "remind me every 30 minutes between 9:00 and 12:00"))
	k.SendAs("U2", "D2", "away for 1 day")
	createdID(t, k.SendAs("U2", "D2", "remind me every hour"))
	k.SendAs("U1", "C1", "holidays de")
	createdID(t, k.SendAs("U1", "C1", "schedule every day at 10:00"))
	rs, err := k.DB.DueReminders(ctx, start.AddDate(1, 0, 0), 100)
	if err != nil || len(rs) != 4 {
		t.Fatalf("DueReminders = %d reminders, %v; want 4", len(rs), err)
	}
	reasons := map[string]bool{}
	for _, r := range rs {
		for at := start; at.Before(start.Add(72 * time.Hour)); at = at.Add(30 * time.Minute) {
			whole := k.Bot.SkipRun(ctx, r, at)
			if got := k.Bot.SkipRun(ctx, promised(r), at); got != whole {
				t.Errorf("run of #%s at %s: SkipRun on the promised fields = %q, on the whole reminder %q", r.ID, at, got, whole)
			}
			reasons[strings.SplitN(whole, ":", 2)[0]] = true
		}
	}
	for _, want := range []string{bot.SkipOutsideHours, bot.SkipAway, "public holiday", ""} {
		if !reasons[want] {
			t.Errorf("no run judged %q: the test no longer covers it", want)
		}
	}
	// RunSkipped counts a personal run against its owner, and records a
	// team break's in its channel, from the promised fields.
	for _, r := range rs {
		k.Bot.RunSkipped(ctx, promised(r), start, "test")
	}
	runs, err := k.DB.TeamRuns(ctx, "console", "C1", start)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(runs, func(tr bot.TeamRun) bool { return tr.Skipped == "test" && tr.At.Equal(start) }) {
		t.Errorf("the team break passed over was not recorded: %+v", runs)
	}
	for _, u := range []bot.UserID{"U1", "U2"} {
		if r := k.SendAs(u, "D1", "stats"); !strings.Contains(r.PlainText(), "passed over") {
			t.Errorf("%s's stats count no run passed over:\n%s", u, r.PlainText())
		}
	}
}
