package bot

import (
	"context"
	"errors"
	"time"
)

// Holidays finds public-holiday calendars by ISO 3166 code ("DE", "US",
// "DE-BY", "GB-SCT"). cmd/stretchbot wires package calendar in.
type Holidays interface {
	// HolidayCalendar returns the calendar for code, as people type it. An
	// unknown or unsupported code is an EINVALID *Error naming the
	// supported ones.
	HolidayCalendar(code string) (HolidayCalendar, error)
}

// HolidayCalendar is one country's or region's public holidays.
type HolidayCalendar interface {
	Code() string // canonical: "DE-BY"
	Name() string // "Germany (Bavaria)"
	// On returns the holiday on day's date as read in day's location.
	On(day time.Time) (name string, ok bool)
	// Next returns up to n holidays on or after from's date, in order.
	Next(from time.Time, n int) []Holiday
}

// Holiday is one public holiday: its date (midnight UTC of that civil
// date) and its name.
type Holiday struct {
	Date time.Time
	Name string
}

// Charter draws the summary's chart. cmd/stretchbot wires package
// chart in.
type Charter interface {
	// BreaksPerDay draws one bar per day (held breaks, with skipped runs
	// stacked on top) and returns a PNG.
	BreaksPerDay(title string, days []DayCount) ([]byte, error)
}

// DayCount is one day of the summary chart.
type DayCount struct {
	Day     time.Time // midnight of the day in the channel's zone
	Held    int
	Skipped int
}

// ChannelSettings is what a channel chose for its team breaks.
type ChannelSettings struct {
	Tenant  TenantID
	Channel ChannelID
	// Holidays is the public-holiday calendar's code ("DE-BY"); empty for
	// none.
	Holidays string
	// Summary is the id of the channel's summary reminder; empty
	// for none.
	Summary ReminderID
}

// TeamRun is one run of a team break in a channel: delivered (Skipped
// empty) or passed over, with the reason.
type TeamRun struct {
	Tenant   TenantID
	Channel  ChannelID
	Reminder ReminderID
	At       time.Time
	Skipped  string
}

// PublicUser is someone who agreed to be named in summaries.
type PublicUser struct {
	Tenant TenantID
	User   UserID
	Name   string // display name when they agreed; may be empty
}

// TeamStore is an optional Store capability holding the team features:
// channel settings, the runs of team breaks for summaries, and who agreed
// to be named. Every store of this repository has it; without it those
// commands say they are unavailable.
type TeamStore interface {
	// ChannelSettings returns the channel's settings; the zero settings
	// (with Tenant and Channel set) when it has none.
	ChannelSettings(ctx context.Context, tenant TenantID, channel ChannelID) (ChannelSettings, error)
	// SaveChannelSettings inserts or replaces them.
	SaveChannelSettings(ctx context.Context, s ChannelSettings) error
	// AddTeamRun records a run; recording the same (Reminder, At) again
	// changes nothing.
	AddTeamRun(ctx context.Context, r TeamRun) error
	// TeamRuns lists a channel's runs at or after since, oldest first.
	TeamRuns(ctx context.Context, tenant TenantID, channel ChannelID, since time.Time) ([]TeamRun, error)
	// SetPublic records whether u may be named (a false deletes it).
	SetPublic(ctx context.Context, u PublicUser, public bool) error
	// PublicUsers lists who in tenant may be named.
	PublicUsers(ctx context.Context, tenant TenantID) ([]PublicUser, error)
}

// WithHolidays sets where holiday calendars come from; without it
// `holidays` answers that calendars are unavailable.
func WithHolidays(h Holidays) Option {
	return func(b *Bot) error { b.holidays = h; return nil }
}

// WithCharter sets the chart drawer for summaries; without it a
// summary is text only.
func WithCharter(c Charter) Option {
	return func(b *Bot) error { b.charter = c; return nil }
}

var errNoTeam = &Error{Code: EINTERNAL, Message: "Team settings are not available with this database."}

// teamStore returns the store's TeamStore, or errNoTeam.
func (b *Bot) teamStore() (TeamStore, error) {
	if ts, ok := b.store.(TeamStore); ok {
		return ts, nil
	}
	return nil, errNoTeam
}

// channelSettings loads the channel's settings; none is the zero value.
func (b *Bot) channelSettings(ctx context.Context, tenant TenantID, channel ChannelID) (ChannelSettings, error) {
	ts, err := b.teamStore()
	if err != nil {
		return ChannelSettings{}, err
	}
	s, err := ts.ChannelSettings(ctx, tenant, channel)
	if errors.Is(err, ErrNotFound) || ErrorCode(err) == ENOTFOUND {
		return ChannelSettings{Tenant: tenant, Channel: channel}, nil
	}
	return s, err
}
