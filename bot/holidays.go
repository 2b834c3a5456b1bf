package bot

import (
	"context"
	"fmt"
	"strings"

	"github.com/stretchbot/stretchbot/internal/timewords"
)

// upcomingHolidays is how many holidays `holidays` lists.
const upcomingHolidays = 5

var errNoHolidays = &Error{Code: EINTERNAL, Message: "Holiday calendars are not available in this bot instance."}

// holidaysCmd shows, sets or clears the channel's public-holiday calendar.
func (b *Bot) holidaysCmd(ctx context.Context, req *Request) (Reply, error) {
	if req.DM || req.Channel == "" {
		return Reply{}, Invalid("holidays DE", "Holidays are set per channel: say `holidays DE` in the channel whose team breaks should skip them.")
	}
	if b.holidays == nil {
		return Reply{}, errNoHolidays
	}
	ts, err := b.teamStore()
	if err != nil {
		return Reply{}, err
	}
	set, err := b.channelSettings(ctx, req.Tenant, req.Channel)
	if err != nil {
		return Reply{}, fmt.Errorf("bot: channel settings: %w", err)
	}
	arg := strings.TrimSpace(req.Args)
	if rest, channel, ok := namedChannel(arg); ok {
		// Holidays belong to the channel they are said in.
		example := "holidays DE"
		switch _, err := b.holidays.HolidayCalendar(rest); {
		case rest == "":
			example = "holidays"
		case settingArg(rest) == "off":
			example = "holidays off"
		case err == nil:
			example = "holidays " + rest
		}
		return Reply{}, Invalid(example, "A holiday calendar is set in the channel whose team breaks skip the holidays: say `%s` in %s.", example, channel)
	}
	if settingArg(arg) != "" {
		if err := b.mayChangeHolidays(ctx, req); err != nil {
			return Reply{}, err
		}
	}
	switch settingArg(arg) {
	case "":
		if set.Holidays == "" {
			return Reply{Blocks: []string{"This channel has no holiday calendar: team breaks run on public holidays too. Set one with `holidays DE` (a country code, or with a region: `holidays DE-BY`)."},
				Visibility: Private}, nil
		}
		cal, err := b.holidays.HolidayCalendar(set.Holidays)
		if err != nil {
			return Reply{}, err
		}
		return b.holidayList(cal, req, "Team breaks here skip the public holidays of %s, code %s."), nil
	case "off":
		set.Holidays = ""
		if err := ts.SaveChannelSettings(ctx, set); err != nil {
			return Reply{}, fmt.Errorf("bot: save channel settings: %w", err)
		}
		return Reply{Blocks: []string{"Holiday calendar removed: team breaks here run on public holidays too."}, Visibility: Public}, nil
	}
	cal, err := b.holidays.HolidayCalendar(arg)
	if err != nil {
		return Reply{}, err
	}
	set.Holidays = cal.Code()
	if err := ts.SaveChannelSettings(ctx, set); err != nil {
		return Reply{}, fmt.Errorf("bot: save channel settings: %w", err)
	}
	r := b.holidayList(cal, req, "Team breaks here now skip the public holidays of %s, code %s. `holidays off` undoes it.")
	r.Visibility = Public
	return r, nil
}

// mayChangeHolidays refuses a change to the channel's holiday calendar by
// a member while team breaks that others set run here: the calendar
// decides on which days those run, so like the team breaks themselves it
// is for their creators and admins, and where several people set them,
// for admins alone.
func (b *Bot) mayChangeHolidays(ctx context.Context, req *Request) error {
	if req.Message.Admin {
		return nil
	}
	rs, err := b.store.Reminders(ctx, ReminderFilter{Tenant: req.Tenant, Channel: req.Channel})
	if err != nil {
		return fmt.Errorf("bot: channel's team breaks: %w", err)
	}
	var others []string
	for _, r := range rs {
		if r.Kind == ChannelSchedule && r.Channel == req.Channel && !r.Finished() && !canManage(r, req.Message) {
			others = append(others, "#"+string(r.ID))
		}
	}
	if len(others) == 0 {
		return nil
	}
	shown := others
	if len(shown) > 3 {
		shown = append(shown[:3:3], fmt.Sprintf("%d more", len(others)-3))
	}
	return &Error{Code: EFORBIDDEN, Example: "holidays",
		Message: fmt.Sprintf("The holiday calendar decides when the team breaks here run, and %s %s set by someone else: ask them or an admin to change it.",
			timewords.JoinAnd(shown), oneOrMany(len(others), "was", "were"))}
}

// holidayList is a reply with headline (given the calendar's name and
// code) and the next holidays.
func (b *Bot) holidayList(cal HolidayCalendar, req *Request, headline string) Reply {
	lines := []string{fmt.Sprintf(headline, withThe(cal.Name()), cal.Code())}
	now := req.Now.In(req.Zone)
	for _, h := range cal.Next(now, upcomingHolidays) {
		lines = append(lines, fmt.Sprintf("• %s: %s", h.Date.Format("Mon 2 Jan 2006"), h.Name))
	}
	return Reply{Title: "Public holidays", Blocks: lines, Visibility: Private}
}

// withThe puts "the" before a country whose English name takes it, as it
// reads after "the public holidays of": the United States, the
// Netherlands.
func withThe(country string) string {
	for _, p := range []string{"United ", "Netherlands", "Czech Republic", "Philippines"} {
		if strings.HasPrefix(country, p) {
			return "the " + country
		}
	}
	return country
}
