package bot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/stretchbot/stretchbot/internal/quote"
	"github.com/stretchbot/stretchbot/internal/timewords"
	"github.com/stretchbot/stretchbot/internal/zones"
	"github.com/stretchbot/stretchbot/routines"
)

func secondsDur(s int) time.Duration { return time.Duration(s) * time.Second }

func (b *Bot) timezoneCmd(ctx context.Context, req *Request) (Reply, error) {
	if req.Args == "" {
		source := "the bot's default"
		switch {
		case req.User.Zone != "":
			source = "your setting"
		case req.ZoneHint != "":
			source = "your " + categoryLabel(routines.Category(req.Platform)) + " profile"
		}
		other := "Europe/Berlin" // the example names a zone other than the one set
		if req.Zone.String() == other {
			other = "America/New_York"
		}
		return Reply{Blocks: []string{fmt.Sprintf("Your time zone is %s (%s, from %s); it is %s there now. Change it with `timezone %s`.",
			req.Zone.String(), zoneOffset(req.Now, req.Zone), source, req.Now.In(req.Zone).Format("Mon 15:04"), other)}, Visibility: Private}, nil
	}
	if w, rest := splitWord(req.Args); rest != "" && (strings.EqualFold(w, "to") || strings.EqualFold(w, "is") || w == "=") {
		req.Args = rest // "timezone to Berlin"
	}
	req.Args = strings.TrimLeft(req.Args, ":= ")
	if req.Args == "" {
		return b.timezoneCmd(ctx, req)
	}
	switch settingArg(req.Args) {
	case "off", "reset", "default", "auto", "automatic", "unset":
		return b.clearZone(ctx, req)
	}
	m, err := lookupZone(req.Args)
	if err != nil {
		return Reply{}, err
	}
	u, err := b.storedUser(ctx, req.Tenant, req.Message.User)
	if err != nil {
		return Reply{}, err
	}
	u.Zone = m.Name
	u.Hours, u.Quiet = rezone(u.Hours, m.Name), rezone(u.Quiet, m.Name)
	if err := b.saveUser(ctx, u); err != nil {
		return Reply{}, fmt.Errorf("bot: save zone: %w", err)
	}
	var blocks []string
	if req.Args != m.Name {
		// Say how the words were read, so a wrong guess is seen at once.
		how := "no daylight saving"
		if zones.ObservesDST(m.Loc, req.Now) {
			how = "follows daylight saving"
		}
		if m.Label != "" {
			how = m.Label + ", " + how
		}
		blocks = append(blocks, fmt.Sprintf("%s → %s (%s).", quote.Cut(req.Args, 40), m.Name, how))
	}
	blocks = append(blocks, fmt.Sprintf("Time zone set to %s (%s); it is %s there now. New reminders use it.",
		m.Name, zoneOffset(req.Now, m.Loc), req.Now.In(m.Loc).Format("Mon 15:04")))
	if m.Note != "" {
		blocks = append(blocks, strings.ToUpper(m.Note[:1])+m.Note[1:]+".")
	}
	if u.Hours != "" || u.Quiet != "" {
		blocks = append(blocks, "Your working hours and quiet periods keep their times in the new zone.")
	}
	note, err := b.keptZoneNote(ctx, req, m.Name)
	if err != nil {
		return Reply{}, err
	}
	if note != "" {
		blocks = append(blocks, note)
	}
	return Reply{Blocks: blocks, Visibility: Private}, nil
}

// clearZone drops the caller's chosen zone, so that the platform's
// profile zone, else the bot's default, is theirs again. Working hours and
// quiet periods keep their clock times, as with any change of zone.
func (b *Bot) clearZone(ctx context.Context, req *Request) (Reply, error) {
	u, err := b.storedUser(ctx, req.Tenant, req.Message.User)
	if err != nil {
		return Reply{}, err
	}
	source := "the bot's default"
	if req.ZoneHint != "" {
		source = "your " + categoryLabel(routines.Category(req.Platform)) + " profile"
	}
	if u.Zone == "" {
		return Reply{Blocks: []string{fmt.Sprintf("You have no time zone set; yours is %s, from %s.", b.zoneOf(u, req.Message), source)}, Visibility: Private}, nil
	}
	u.Zone = ""
	loc := b.zoneOf(u, req.Message)
	u.Hours, u.Quiet = rezone(u.Hours, loc.String()), rezone(u.Quiet, loc.String())
	if err := b.saveUser(ctx, u); err != nil {
		return Reply{}, fmt.Errorf("bot: clear zone: %w", err)
	}
	blocks := []string{fmt.Sprintf("Time zone setting cleared: yours is now %s (%s, from %s); it is %s there now. New reminders use it.",
		loc, zoneOffset(req.Now, loc), source, req.Now.In(loc).Format("Mon 15:04"))}
	if u.Hours != "" || u.Quiet != "" {
		blocks = append(blocks, "Your working hours and quiet periods keep their times in the new zone.")
	}
	note, err := b.keptZoneNote(ctx, req, loc.String())
	if err != nil {
		return Reply{}, err
	}
	if note != "" {
		blocks = append(blocks, note)
	}
	return Reply{Blocks: blocks, Visibility: Private}, nil
}

// keptZoneNote tells someone who changed zone that what they set before
// still runs in the zone it was set in (a reminder's rule carries its
// zone), so "every day at 10:00" set in Berlin stays 10:00 Berlin time.
// "" when nothing they own is in another zone than zone.
func (b *Bot) keptZoneNote(ctx context.Context, req *Request, zone string) (string, error) {
	rs, err := b.store.Reminders(ctx, ReminderFilter{Tenant: req.Tenant, Owner: req.Message.User})
	if err != nil {
		return "", fmt.Errorf("bot: reminders kept in their zone: %w", err)
	}
	var ids, other []string
	byZone := map[string][]string{}
	for _, r := range rs {
		if r.Owner != req.Message.User || r.Zone == "" || r.Zone == zone || r.NextRun.IsZero() {
			continue
		}
		if rule, _, err := b.rule(r); err == nil {
			if z := runZone(rule); z != "" && z != r.Zone {
				continue // its own CRON_TZ: it never ran on the zone it was set in
			}
		}
		ids = append(ids, "#"+string(r.ID))
		byZone[r.Zone] = append(byZone[r.Zone], "#"+string(r.ID))
		if !slices.Contains(other, r.Zone) {
			other = append(other, r.Zone)
		}
	}
	if len(ids) == 0 {
		return "", nil
	}
	sort.Strings(other)
	which := timewords.JoinAnd(ids)
	switch {
	case len(ids) > 5 && len(other) > 1:
		return fmt.Sprintf("Your %d reminders set before stay on the zone each was set in (%s); to move one to %s, cancel it and set it again.",
			len(ids), timewords.JoinAnd(other), zone), nil
	case len(ids) > 5:
		which = fmt.Sprintf("Your %d reminders set before", len(ids))
	case len(other) > 1:
		// Which keeps which zone: "#a and #b on UTC time, #c on ...".
		groups := make([]string, len(other))
		for i, z := range other {
			groups[i] = timewords.JoinAnd(byZone[z]) + " on " + z + " time"
		}
		return fmt.Sprintf("Each reminder set before stays on the zone it was set in: %s; to move one to %s, cancel it and set it again.",
			strings.Join(groups, ", "), zone), nil
	}
	return fmt.Sprintf("%s %s on %s time; to move one to %s, cancel it and set it again.",
		which, oneOrMany(len(ids), "stays", "stay"), timewords.JoinAnd(other), zone), nil
}

func zoneOffset(now time.Time, loc *time.Location) string {
	name, off := now.In(loc).Zone()
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	utc := fmt.Sprintf("UTC%c%02d:%02d", sign, off/3600, off%3600/60)
	if name == "" || name[0] == '+' || name[0] == '-' {
		return utc // tzdata's "+04" says the offset again, less clearly
	}
	return name + ", " + utc
}

// LoadZone reads a time zone the way people name it: an IANA name in any
// case ("europe/berlin"), a city ("Berlin", "new york"), a country with one
// zone, or an abbreviation ("PST", "CET") mapped to a representative zone
// that follows daylight saving when the time does. Anything else,
// including "Local" and paths, is an EINVALID error naming the closest
// zone when one is near.
func LoadZone(name string) (*time.Location, error) {
	m, err := lookupZone(name)
	if err != nil {
		return nil, err
	}
	return m.Loc, nil
}

// lookupZone is LoadZone with how the name was read.
func lookupZone(name string) (zones.Match, error) {
	name = strings.TrimSpace(name)
	m, err := zones.Lookup(name)
	var miss *zones.Miss
	switch {
	case err == nil:
		return m, nil
	case !errors.As(err, &miss):
		return zones.Match{}, fmt.Errorf("bot: time zone: %w", err)
	case miss.Ambiguous:
		return zones.Match{}, Invalid("timezone "+miss.Suggestions[0], "%s has several time zones: %s. Say which, or name your city.",
			quote.Short(name, 40), joinOr(miss.Suggestions))
	case len(miss.Suggestions) > 0:
		return zones.Match{}, Invalid("timezone "+miss.Suggestions[0], "I don't know the time zone %s. Did you mean %s?",
			quote.Short(name, 40), joinOr(miss.Suggestions))
	}
	return zones.Match{}, Invalid("timezone Europe/Berlin", "%s is not a time zone I know. Name a city (Berlin, New York, Kolkata), an abbreviation (PST, CET) or an IANA zone such as Europe/Berlin.", quote.Short(name, 40))
}

// doneJustCounted is how long after a break is counted a typed `done`
// still means that break rather than another one.
const doneJustCounted = 30 * time.Minute

func (b *Bot) doneCmd(ctx context.Context, req *Request) (Reply, error) {
	// The break to credit may have come from another instance.
	u, err := b.storedUser(ctx, req.Tenant, req.Message.User)
	if err != nil {
		return Reply{}, err
	}
	self := fmt.Sprintf("self:%s:%d", req.Message.User, req.Now.Unix()/60)
	key := u.LastBreakKey
	if key == "" || req.Now.Sub(u.LastBreak) > 24*time.Hour {
		// No recent break from us: count a self-directed one, once a minute.
		key = self
	}
	add := func(key string) (bool, error) {
		added, err := b.store.AddCompletion(ctx, Completion{
			Tenant: req.Tenant, User: req.Message.User, Channel: req.Channel, Key: key, Kind: KindDone, At: req.Now,
		})
		if err != nil {
			return false, fmt.Errorf("bot: add completion: %w", err)
		}
		return added, nil
	}
	var added bool
	if key == self {
		// A break of the bot's counted a moment ago (Done pressed on a team
		// break's post) is the one a typed `done` right after it means;
		// breaks taken on one's own count once a minute, as before.
		recent, err := b.store.Completions(ctx, CompletionFilter{Tenant: req.Tenant, User: req.Message.User, Kind: KindDone, Since: req.Now.Add(-doneJustCounted)})
		if err != nil {
			return Reply{}, fmt.Errorf("bot: recent completions: %w", err)
		}
		counted := slices.ContainsFunc(recent, func(c Completion) bool { return !strings.HasPrefix(c.Key, "self:") })
		if !counted {
			if added, err = add(key); err != nil {
				return Reply{}, err
			}
		}
	} else if added, err = add(key); err != nil {
		return Reply{}, err
	}
	if !added && key != self && !sameDay(u.LastBreak, req.Now, req.Zone) {
		// Yesterday's break is counted already: this one, taken today
		// without asking, is a break of its own.
		if added, err = add(self); err != nil {
			return Reply{}, err
		}
	}
	st, err := b.personalStats(ctx, req.Tenant, req.Message.User, req.Zone, req.Now)
	if err != nil {
		return Reply{}, err
	}
	if !added {
		return Reply{Blocks: []string{fmt.Sprintf("That break is already counted. You have %s, streak %s.", plural(st.total, "break", "breaks"), plural(st.streak, "day", "days"))}, Visibility: Private}, nil
	}
	blocks := []string{fmt.Sprintf("Nice work! That's %s done, streak %s.", plural(st.total, "break", "breaks"), plural(st.streak, "day", "days"))}
	if offer := b.levelOffer(ctx, req.Tenant, req.Message.User, req.Now); offer != "" {
		blocks = append(blocks, offer)
	}
	return Reply{Blocks: blocks, Visibility: Private}, nil
}

type userStats struct {
	total, week, streak, best int
	last                      time.Time
}

// personalStats counts a user's breaks and streaks in their zone. A streak
// is consecutive days with at least one break, ending today or yesterday.
func (b *Bot) personalStats(ctx context.Context, tenant TenantID, user UserID, loc *time.Location, now time.Time) (userStats, error) {
	cs, err := b.store.Completions(ctx, CompletionFilter{Tenant: tenant, User: user, Kind: KindDone})
	if err != nil {
		return userStats{}, fmt.Errorf("bot: list completions: %w", err)
	}
	var st userStats
	days := map[string]bool{}
	// A week on the clock of loc: 167 or 169 hours in the weeks the
	// clocks change, so a daily break counts 7 times in any of them.
	weekAgo := now.In(loc).AddDate(0, 0, -7)
	for _, c := range cs {
		st.total++
		if c.At.After(weekAgo) {
			st.week++
		}
		if c.At.After(st.last) {
			st.last = c.At
		}
		days[c.At.In(loc).Format("2006-01-02")] = true // the day in loc
	}
	// Step back through calendar days in UTC (see below for why not in
	// loc), starting from today's date in loc.
	day := func(t time.Time) string { return t.Format("2006-01-02") }
	y, m, dd := now.In(loc).Date()
	today := time.Date(y, m, dd, 0, 0, 0, 0, time.UTC)
	start := today
	if !days[day(start)] {
		start = today.AddDate(0, 0, -1)
	}
	for d := start; days[day(d)]; d = d.AddDate(0, 0, -1) {
		st.streak++
	}
	// Longest streak over all recorded days.
	sorted := make([]string, 0, len(days))
	for d := range days {
		sorted = append(sorted, d)
	}
	sort.Strings(sorted)
	run := 0
	var prev time.Time
	for _, s := range sorted {
		// Days are stepped on the calendar, in UTC, where every day has
		// a midnight: in zones whose clocks jump at midnight (Chile,
		// Cuba) that day's midnight does not exist in loc, and stepping
		// from the day before in loc lands an hour off and breaks the
		// streak.
		d, _ := time.Parse("2006-01-02", s)
		if !prev.IsZero() && prev.AddDate(0, 0, 1).Equal(d) {
			run++
		} else {
			run = 1
		}
		st.best = max(st.best, run)
		prev = d
	}
	return st, nil
}

func (b *Bot) statsCmd(ctx context.Context, req *Request) (Reply, error) {
	if arg := strings.TrimSpace(req.Args); arg != "" {
		return b.statsPrivacy(ctx, req, arg)
	}
	st, err := b.personalStats(ctx, req.Tenant, req.Message.User, req.Zone, req.Now)
	if err != nil {
		return Reply{}, err
	}
	var blocks []string
	if st.total == 0 {
		blocks = append(blocks, "No breaks recorded yet. Try `break`, then say `done` when you finish.")
	} else {
		blocks = append(blocks, fmt.Sprintf("You: %s done, %s in the last 7 days. Current streak %s, best %s. Last one %s.",
			plural(st.total, "break", "breaks"), plural(st.week, "break", "breaks"), plural(st.streak, "day", "days"), plural(st.best, "day", "days"), FormatTime(st.last, req.Now, req.Zone)))
	}
	if n := req.User.Skipped; n > 0 {
		blocks = append(blocks, fmt.Sprintf("%s passed over (outside working hours / away / quiet).", plural(n, "reminder run", "reminder runs")))
	}
	if !req.DM && req.Channel != "" {
		if _, err := b.teamStore(); err == nil {
			w, err := b.teamWeek(ctx, req.Tenant, req.Channel, req.Zone, req.Now)
			if err != nil {
				return Reply{}, err
			}
			blocks = append(blocks, w.lines(req.ChannelName)...)
		}
	}
	return Reply{Title: "Stretch stats", Blocks: blocks, Visibility: Private}, nil
}

// sameDay reports whether a and b fall on one date in loc.
func sameDay(a, b time.Time, loc *time.Location) bool {
	ya, ma, da := a.In(loc).Date()
	yb, mb, db := b.In(loc).Date()
	return ya == yb && ma == mb && da == db
}
