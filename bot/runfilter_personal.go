package bot

import (
	"context"
	"strings"
	"time"
)

// Reasons a personal run is passed over, as stats and logs say them.
const (
	SkipOutsideHours = "outside working hours"
	SkipAway         = "away"
	SkipQuiet        = "quiet"
	SkipDND          = "do not disturb"
)

// DNDChecker is an optional Sender capability: whether a person has paused
// notifications on the platform (Slack's do-not-disturb). Personal
// reminders due while it is on are passed over.
type DNDChecker interface {
	InDND(ctx context.Context, tenant TenantID, user UserID) (bool, error)
}

// personalSkip passes over runs of r that fall outside its owner's working
// hours, inside a quiet period, while they are away, or while the platform
// says they do not want to be disturbed. Team breaks post to a channel,
// not to people, so only personal reminders are checked.
func (b *Bot) personalSkip(ctx context.Context, r Reminder, at time.Time) string {
	if r.Kind != Personal {
		return ""
	}
	u, err := b.user(ctx, r.Tenant, r.Owner)
	if err != nil && ErrorCode(err) != ENOTFOUND {
		// Unknown settings never lose a break.
		b.runWarn("could not read settings for a run", "reminder", r.ID, "err", err)
	}
	if reason := b.settingsSkip(u, r, at); reason != "" {
		return reason
	}
	if d, ok := b.sender(r.Platform).(DNDChecker); ok {
		on, err := d.InDND(ctx, r.Tenant, r.Owner)
		if err != nil {
			b.runWarn("could not read do-not-disturb", "reminder", r.ID, "err", err)
		}
		if on {
			return SkipDND
		}
	}
	return ""
}

// settingsSkip is the part of personalSkip that depends only on stored
// settings, so `list` can find the next run that will fire.
func (b *Bot) settingsSkip(u User, r Reminder, at time.Time) string {
	rule, loc, err := b.rule(r)
	if err != nil {
		rule, loc = nil, nil // judged as a run standing for every skipped time
	}
	return readSettings(u).skip(r, ruleRun{rule, loc}, at)
}

// ruleRun is a reminder's rule as loaded, with the zone it is read in, so
// a run moved by a spring-forward gap is judged at the time it was set
// for; a zero ruleRun judges it at every time the gap skipped.
type ruleRun struct {
	rule Rule
	loc  *time.Location
}

// zone names the zone the rule's wall times are read in: a cron rule's
// own CRON_TZ, else the reminder's.
func (rr ruleRun) zone() string {
	if z, ok := rr.rule.(ZonedRule); ok && z.RunZone() != "" {
		return z.RunZone()
	}
	if rr.loc == nil {
		return ""
	}
	return rr.loc.String()
}

// settings are a user's stored hours, quiet periods and time away, read
// once for checking many runs.
type settings struct {
	away            time.Time
	quiet, hours    timeSpans
	isQuiet, isWork bool
}

func readSettings(u User) settings {
	s := settings{away: u.AwayUntil}
	s.quiet, s.isQuiet = loadSpans(u.Quiet)
	s.hours, s.isWork = loadSpans(u.Hours)
	return s
}

func (s settings) skip(r Reminder, rr ruleRun, at time.Time) string {
	if at.Before(s.away) {
		return SkipAway
	}
	// A run moved to the end of a spring-forward gap is quiet when a time
	// the gap skipped is, as it stands for one of them.
	if s.isQuiet && s.quiet.holdsRun(at, rr.rule, rr.zone()) {
		return SkipQuiet
	}
	// A rule with its own daily window keeps it.
	if s.isWork && !windowed(r) && !s.hours.holdsRun(at, rr.rule, rr.zone()) {
		return SkipOutsideHours
	}
	return ""
}

// windowed reports whether r's rule carries its own daily window (the
// stored form of "every 45 minutes between 9 and 17").
func windowed(r Reminder) bool { return strings.Contains(r.Rule, " between ") }

// nextFiring is the first run of r from r.NextRun on that its owner's
// settings u let through; zero if none within a year of runs, with the
// reasons that held the runs back.
func (b *Bot) nextFiring(r Reminder, u User) (time.Time, blocked) {
	runs, why := b.firingRuns(r, u, 1)
	if len(runs) == 0 {
		return time.Time{}, why
	}
	return runs[0], 0
}

// firingRuns is up to n runs of r from r.NextRun on that its owner's
// settings u let through, within a year of runs, with the reasons that
// held back the runs passed over on the way. A reminder the settings do
// not filter gives its runs as they come.
func (b *Bot) firingRuns(r Reminder, u User, n int) ([]time.Time, blocked) {
	rule, loc, err := b.rule(r)
	if err != nil || r.Kind != Personal || !rule.Repeats() {
		if r.NextRun.IsZero() {
			return nil, 0
		}
		return []time.Time{r.NextRun}, 0
	}
	s := readSettings(u)
	horizon := r.NextRun.AddDate(1, 0, 0)
	const most = 20000 // a run every 30 minutes for a year fits
	var why blocked
	var runs []time.Time
	awayFirst := false // time away passed over the first runs, not the year
	t := r.NextRun
	for i := 0; i < most && len(runs) < n && !t.IsZero() && t.Before(horizon); i++ {
		reason := s.skip(r, ruleRun{rule, loc}, t)
		switch reason {
		case "":
			runs = append(runs, t)
			t = rule.Next(t)
		case SkipAway:
			// Jump over the time away at once; it holds back the
			// whole year only if it lasts past it.
			t = rule.Next(s.away.Add(-time.Nanosecond))
			if t.IsZero() || !t.Before(horizon) || len(runs) > 0 {
				why |= blockedAway
			} else {
				awayFirst = true
			}
		case SkipQuiet:
			why |= blockedQuiet
			t = rule.Next(t)
		default:
			why |= blockedHours
			t = rule.Next(t)
		}
	}
	if awayFirst && len(runs) > 0 {
		why |= blockedAway
	}
	return runs, why
}

// blocked says which settings held back every run of a reminder for a
// year, so the words name the setting to change rather than guess.
type blocked uint8

const (
	blockedHours blocked = 1 << iota
	blockedQuiet
	blockedAway
)

// blockedSettings names each setting a run can be held by: in words, and
// the command that changes it.
var blockedSettings = []struct {
	bit           blocked
	word, command string
}{
	{blockedHours, "working hours", "`hours`"},
	{blockedQuiet, "quiet periods", "`quiet`"},
	{blockedAway, "time away", "`back`"},
}

// names lists the settings in why, by word or by command.
func (why blocked) names(command bool) []string {
	var parts []string
	for _, b := range blockedSettings {
		if why&b.bit == 0 {
			continue
		}
		if command {
			parts = append(parts, b.command)
		} else {
			parts = append(parts, b.word)
		}
	}
	return parts
}

// words names the settings in why: "your working hours", "your quiet
// periods", "your time away", joined with "and".
func (why blocked) words() string {
	if parts := why.names(false); len(parts) > 0 {
		return "your " + strings.Join(parts, " and ")
	}
	return "your settings"
}

// commands names the commands that change the settings in why.
func (why blocked) commands() string {
	if parts := why.names(true); len(parts) > 0 {
		return strings.Join(parts, " and ")
	}
	return "`hours`"
}

// countSkip records a run passed over: personal runs count toward their
// owner's stats.
func (b *Bot) countSkip(ctx context.Context, r Reminder, at time.Time, reason string) {
	b.log.Debug("run passed over", "reminder", r.ID, "at", at, "reason", reason)
	if r.Kind != Personal {
		return
	}
	c, ok := b.store.(SkipCounter)
	if !ok {
		return
	}
	err := c.CountSkip(ctx, r.Tenant, r.Owner)
	b.userChanged(r.Tenant, r.Owner)
	if err != nil {
		b.runWarn("could not count a run passed over", "reminder", r.ID, "err", err)
	}
}

// nextWords says r's next run for `list`: the next one that will really
// fire, given its owner's hours, quiet periods and time away, or its
// channel's public holidays.
func (b *Bot) nextWords(ctx context.Context, r Reminder, req *Request) string {
	if up := b.upcoming(r); !up.Equal(r.NextRun) {
		if up.IsZero() {
			return "no run left after the pause"
		}
		r.NextRun = up
	}
	next := r.NextRun
	var why blocked
	switch {
	case r.Kind == Personal && r.Owner == req.Message.User:
		next, why = b.nextFiring(r, req.User)
	case r.Kind == ChannelSchedule:
		if f := b.firstFiring(ctx, r, req.User, next); !f.IsZero() && !f.Equal(next) {
			return "next " + FormatTime(f, req.Now, req.Zone) + " (earlier runs fall on public holidays)"
		}
	}
	switch {
	case next.IsZero() && !r.NextRun.IsZero():
		return "every run within a year is passed over by " + why.words()
	case !next.Equal(r.NextRun):
		return "next " + FormatTime(next, req.Now, req.Zone) + " (earlier runs are passed over)"
	}
	if next.Before(req.Now) {
		// Due and not sent yet: the engine is catching up, after a
		// restart or a busy while. "next" would name a time gone by.
		return "due since " + FormatTime(next, req.Now, req.Zone) + ", not sent yet"
	}
	return "next " + FormatTime(next, req.Now, req.Zone)
}
