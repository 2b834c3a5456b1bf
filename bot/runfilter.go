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
	b.countSkip(ctx, r, at, reason)
	b.countChannelSkip(ctx, r, at, reason)
}
