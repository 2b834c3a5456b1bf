package bot

import (
	"context"
	"time"

	"github.com/stretchbot/stretchbot/internal/zones"
)

// channelSkip passes over team breaks that fall on a public holiday of the
// channel's calendar, on the date as read in the schedule's zone.
func (b *Bot) channelSkip(ctx context.Context, r Reminder, at time.Time) string {
	return b.channelHolidays(ctx, r).skip(at)
}

// holidayCheck is a team break's channel calendar, read once to judge
// many runs; its zero value passes every run.
type holidayCheck struct {
	cal HolidayCalendar
	loc *time.Location
}

// channelHolidays reads r's channel calendar: the zero holidayCheck for a
// personal reminder, a channel without one, or one that cannot be read.
func (b *Bot) channelHolidays(ctx context.Context, r Reminder) holidayCheck {
	if r.Kind != ChannelSchedule || b.holidays == nil {
		return holidayCheck{}
	}
	ts, ok := b.store.(TeamStore)
	if !ok {
		return holidayCheck{}
	}
	set, err := ts.ChannelSettings(ctx, r.Tenant, r.Channel)
	if err != nil || set.Holidays == "" {
		if err != nil && ErrorCode(err) != ENOTFOUND {
			b.runWarn("could not read the channel's holiday calendar", "reminder", r.ID, "err", err)
		}
		return holidayCheck{}
	}
	cal, err := b.holidays.HolidayCalendar(set.Holidays)
	if err != nil {
		b.log.Warn("stored holiday calendar is unknown", "channel", r.Channel, "code", set.Holidays, "err", err)
		return holidayCheck{}
	}
	loc, err := zones.Load(r.Zone)
	if err != nil {
		loc = b.zone
	}
	return holidayCheck{cal: cal, loc: loc}
}

// skip is "public holiday: <name>" when at falls on one, else "".
func (h holidayCheck) skip(at time.Time) string {
	if h.cal == nil {
		return ""
	}
	if name, ok := h.cal.On(at.In(h.loc)); ok {
		return "public holiday: " + name
	}
	return ""
}

// countChannelSkip records a team break passed over, for channel stats
// and summaries.
func (b *Bot) countChannelSkip(ctx context.Context, r Reminder, at time.Time, reason string) {
	if r.Kind != ChannelSchedule {
		return
	}
	b.recordTeamRun(ctx, r, at, reason)
}

// mostPausedRuns bounds the runs of one pause counted as skipped: a
// frequent team break paused for long has more than any summary shows.
const mostPausedRuns = 2000

// countPausedRuns records the runs of team break r from from up to and
// including to, held back by a pause, as skipped. Only those within the
// days a summary shows are counted.
func (b *Bot) countPausedRuns(ctx context.Context, r Reminder, rule Rule, from, to time.Time) {
	if r.Kind != ChannelSchedule || from.IsZero() || from.After(to) {
		return
	}
	if floor := to.AddDate(0, 0, -chartDays); from.Before(floor) {
		from = rule.Next(floor)
	}
	for n := 0; n < mostPausedRuns && !from.IsZero() && !from.After(to); n++ {
		b.recordTeamRun(ctx, r, from, SkippedByPause)
		from = rule.Next(from)
	}
}

// recordTeamRun records a held (reason "") or skipped run of a team break.
func (b *Bot) recordTeamRun(ctx context.Context, r Reminder, at time.Time, reason string) {
	ts, ok := b.store.(TeamStore)
	if !ok {
		return
	}
	run := TeamRun{Tenant: r.Tenant, Channel: r.Channel, Reminder: r.ID, At: at, Skipped: reason}
	if err := ts.AddTeamRun(ctx, run); err != nil {
		b.runWarn("could not record a team break run", "reminder", r.ID, "err", err)
	}
}
