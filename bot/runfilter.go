package bot

import (
	"context"
	"time"
)

// SkipRun tells the scheduler whether the run of r at at should be passed
// over instead of delivered, and why ("" delivers it). Only repeating rules
// are asked: a one-shot set for an explicit time always fires. Personal
// reasons (working hours, quiet periods, time away) are checked before the
// channel's (public holidays).
//
// The scheduler hands r with only its ID, Tenant, Platform, Kind, Owner,
// Channel, Rule, Zone and NextRun set: what it keeps of a reminder between
// reading it and claiming its run. SkipRun and RunSkipped, and everything
// they pass r to, must read nothing else of it (its other fields are
// empty); TestSkipRunReadsOnlyThePromisedFields compares both.
func (b *Bot) SkipRun(ctx context.Context, r Reminder, at time.Time) string {
	if reason := b.personalSkip(ctx, r, at); reason != "" {
		return reason
	}
	return b.channelSkip(ctx, r, at)
}

// RunSkipped is told once for every run SkipRun passed over (the scheduler
// calls it only from the instance that moved the reminder on), so the run
// can be counted in stats and summaries.
func (b *Bot) RunSkipped(ctx context.Context, r Reminder, at time.Time, reason string) {
	if reason != SkippedByPause && reason != SkippedMissed {
		b.countSkip(ctx, r, at, reason)
	}
	b.countChannelSkip(ctx, r, at, reason)
}

// firstFiring is the first run of r at or after t that will really go out:
// a personal one passes its owner's stored settings u (working hours,
// quiet periods, time away), a team break its channel's public holidays.
// t itself when r does not repeat; zero when no run within a year goes
// out.
func (b *Bot) firstFiring(ctx context.Context, r Reminder, u User, t time.Time) time.Time {
	rule, _, err := b.rule(r)
	if err != nil || t.IsZero() || !rule.Repeats() {
		return t
	}
	if r.Kind == Personal {
		r.NextRun = t
		f, _ := b.nextFiring(r, u)
		return f
	}
	// Holidays are whole days, so a year of them is a few hundred runs
	// of even a frequent schedule; stop at the year or this many.
	const most = 2000
	holidays := b.channelHolidays(ctx, r)
	horizon := t.AddDate(1, 0, 0)
	for i := 0; i < most && !t.IsZero() && t.Before(horizon); i++ {
		if holidays.skip(t) == "" {
			return t
		}
		t = rule.Next(t)
	}
	return time.Time{}
}
