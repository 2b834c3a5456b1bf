package bot

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/stretchbot/stretchbot/internal/quote"
	"github.com/stretchbot/stretchbot/internal/timewords"
	"github.com/stretchbot/stretchbot/routines"
)

// maxAway is the longest time away one command sets.
const maxAway = 366 * 24 * time.Hour

// Levels people choose, easiest first, and the routine difficulty each
// draws.
var levels = []string{"easy", "medium", "hard"}

var levelDifficulty = map[string]string{"easy": routines.Easy, "medium": routines.Moderate, "hard": routines.Hard}

// offerAfter is how many breaks done at a level earn the offer of the next.
const offerAfter = 10

// saveSettings changes the caller's settings as the store has them (with
// the last break, which a cached copy may miss) and stores them.
func (b *Bot) saveSettings(ctx context.Context, req *Request, change func(u *User)) error {
	u, err := b.storedUser(ctx, req.Tenant, req.Message.User)
	if err != nil {
		return err
	}
	change(&u)
	if err := b.saveUser(ctx, u); err != nil {
		return fmt.Errorf("bot: save settings: %w", err)
	}
	req.User = u
	return nil
}

// settingArg reads a setting command's argument: lower-cased, with every
// word that clears a setting (`off`, `none`, `clear`) as "off", so that
// hours, quiet, prefer, holidays and summary accept the same ones.
func settingArg(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	switch s {
	case "none", "clear":
		return "off"
	}
	return s
}

func (b *Bot) hoursCmd(ctx context.Context, req *Request) (Reply, error) {
	args := strings.TrimSpace(req.Args)
	reply := func(lines ...string) (Reply, error) { return Reply{Blocks: lines, Visibility: Private}, nil }
	switch settingArg(args) {
	case "":
		w, ok := loadSpans(req.User.Hours)
		if !ok {
			return reply("No working hours set: repeating reminders fire at any hour. Set them with `hours 9:00-17:30 mon-fri`.")
		}
		return reply(fmt.Sprintf("Your working hours: %s. Repeating reminders outside them are passed over. `hours off` clears them.", w.describe()))
	case "off", "any":
		if req.User.Hours == "" {
			return reply("You have no working hours set: repeating reminders already fire at any hour.")
		}
		if err := b.saveSettings(ctx, req, func(u *User) { u.Hours = "" }); err != nil {
			return Reply{}, err
		}
		return reply("Working hours cleared: repeating reminders fire at any hour again.")
	}
	w, perr := parseSpans(args, "hours", timewords.WorkDays)
	if perr != nil {
		return Reply{}, Invalid(perr.example, "%s", perr.msg)
	}
	w.zone = req.Zone.String()
	typed := w
	w, _ = w.merged()
	before := req.User
	if err := b.saveSettings(ctx, req, func(u *User) { u.Hours = w.String() }); err != nil {
		return Reply{}, err
	}
	lines := []string{fmt.Sprintf("Working hours set: %s. Repeating reminders outside them are passed over; a one-off reminder at a time you chose still fires, and one with its own window (`every 45 minutes between 9 and 17`) keeps it.", w.describe())}
	if note := joinedNote(typed, w); note != "" {
		lines = append(lines, note)
	}
	if !w.contains(req.Now) {
		lines = append(lines, "It is outside them now, so repeating reminders wait until they start.")
	}
	silent, err := b.silenced(ctx, req, before, "inside")
	if err != nil {
		return Reply{}, err
	}
	return reply(append(lines, silent...)...)
}

func (b *Bot) quietCmd(ctx context.Context, req *Request) (Reply, error) {
	args := strings.TrimSpace(req.Args)
	reply := func(lines ...string) (Reply, error) { return Reply{Blocks: lines, Visibility: Private}, nil }
	switch settingArg(args) {
	case "":
		w, ok := loadSpans(req.User.Quiet)
		if !ok {
			return reply("No quiet periods set. Keep lunch free with `quiet 12:00-13:00`.")
		}
		return reply(fmt.Sprintf("Quiet: %s. Repeating reminders then are passed over; a one-off still comes. `quiet off` clears it.", w.describe()))
	case "off":
		if req.User.Quiet == "" {
			return reply("You have no quiet periods set; nothing to clear.")
		}
		if err := b.saveSettings(ctx, req, func(u *User) { u.Quiet = "" }); err != nil {
			return Reply{}, err
		}
		return reply("Quiet periods cleared.")
	}
	// Lunch is 12:00-13:00, alone or among other periods ("lunch and
	// 3pm-3:15pm"); the reply shows the hours, so a wrong guess is seen.
	args = lunchWords().ReplaceAllString(args, "12:00-13:00")
	w, perr := parseSpans(args, "quiet", timewords.AllDays)
	if perr != nil {
		return Reply{}, Invalid(perr.example, "%s", perr.msg)
	}
	w.zone = req.Zone.String()
	typed := w
	w, _ = w.merged()
	earlier, had := loadSpans(req.User.Quiet)
	before := req.User
	if err := b.saveSettings(ctx, req, func(u *User) { u.Quiet = w.String() }); err != nil {
		return Reply{}, err
	}
	lines := []string{fmt.Sprintf("Quiet: %s. Repeating reminders then are passed over; a one-off still comes.", w.describe())}
	if note := joinedNote(typed, w); note != "" {
		lines = append(lines, note)
	}
	silent, err := b.silenced(ctx, req, before, "outside")
	if err != nil {
		return Reply{}, err
	}
	return reply(append(append(lines, replacedQuiet(earlier, had, w)), silent...)...)
}

// silenced names the caller's repeating reminders that the settings just
// saved (req.User) leave no run within a year, where their settings
// before let some through: such a reminder would fall silent without a
// word. where is "inside" for working hours, "outside" for quiet periods.
func (b *Bot) silenced(ctx context.Context, req *Request, before User, where string) ([]string, error) {
	rs, err := b.store.Reminders(ctx, ReminderFilter{Tenant: req.Tenant, Owner: req.Message.User})
	if err != nil {
		return nil, fmt.Errorf("bot: reminders silenced: %w", err)
	}
	var lines []string
	for _, r := range rs {
		if r.Kind != Personal || r.Owner != req.Message.User || r.Paused || r.NextRun.IsZero() {
			continue
		}
		if next, _ := b.nextFiring(r, req.User); !next.IsZero() {
			continue
		}
		if was, _ := b.nextFiring(r, before); was.IsZero() {
			continue // silent already
		}
		rule, _, err := b.rule(r)
		if err != nil {
			continue
		}
		lines = append(lines, fmt.Sprintf("#%s (%s) has no run %s them, so it will not come while they stand; `cancel #%s` if you no longer want it.",
			r.ID, describeRule(rule, req.Now), where, r.ID))
	}
	return lines, nil
}

// replacedQuiet says that a new `quiet` replaces the periods set before,
// naming them, and how to keep both: the two joined, as `quiet` reads them.
func replacedQuiet(earlier timeSpans, had bool, now timeSpans) string {
	if !had {
		return "`quiet off` clears it."
	}
	if earlier.days == now.days && earlier.describeSpans() == now.describeSpans() {
		return "That is what you had already."
	}
	line := fmt.Sprintf("This replaces your earlier quiet periods, %s.", earlier.describe())
	if earlier.days != now.days {
		// One setting holds one set of days for all its periods.
		return line + " Quiet periods share one set of days, so the earlier ones cannot be kept beside these."
	}
	both := now
	both.spans = append(slices.Clone(earlier.spans), now.spans...)
	both, _ = both.merged()
	if both.describeSpans() == now.describeSpans() {
		return line + " The new ones take them in."
	}
	ranges := make([]string, len(both.spans))
	for i, s := range both.spans {
		ranges[i] = hhmm(s.from) + "-" + hhmm(s.to)
	}
	cmd := "quiet " + strings.Join(ranges, " and ") + strings.ToLower(strings.Replace(now.days.OnPhrase(), " on ", " ", 1))
	return fmt.Sprintf("%s To keep both: `%s`.", line, cmd)
}

var lunchWords = lazyRegexp(`(?i)\b(?:(?:at|during|over)\s+)?lunch(?:time)?\b`)

func (b *Bot) awayCmd(ctx context.Context, req *Request) (Reply, error) {
	if strings.TrimSpace(req.Args) == "" {
		if req.User.AwayUntil.After(req.Now) {
			return Reply{Blocks: []string{fmt.Sprintf("You are away until %s. Say `back` when you return sooner.", FormatTime(req.User.AwayUntil, req.Now, req.Zone))}, Visibility: Private}, nil
		}
		return Reply{Blocks: []string{"You are not away. Going somewhere? `away for 2 weeks` or `away until " + awayExampleDate(req.Now, req.Zone) + "`."}, Visibility: Private}, nil
	}
	var instant func(string) (time.Time, error)
	if b.rules != nil {
		instant = func(s string) (time.Time, error) { return b.instant(s, req) }
	}
	until, err := parseAway(req.Args, req.Now, req.Zone, instant)
	if err != nil {
		return Reply{}, err
	}
	if err := b.saveSettings(ctx, req, func(u *User) { u.AwayUntil = until }); err != nil {
		return Reply{}, err
	}
	blocks := []string{fmt.Sprintf("Enjoy! Your repeating reminders are passed over until %s. Say `back` if you return sooner.", FormatTime(until, req.Now, req.Zone))}
	note, err := b.oneOffsWhileAway(ctx, req, until)
	if err != nil {
		return Reply{}, err
	}
	if note != "" {
		blocks = append(blocks, note)
	}
	return Reply{Blocks: blocks, Visibility: Private}, nil
}

// oneOffsWhileAway names the caller's one-off reminders due before until:
// a one-off set for a time you chose still comes while you are away, so
// whoever leaves is told which, and how to hold them back. "" if none.
func (b *Bot) oneOffsWhileAway(ctx context.Context, req *Request, until time.Time) (string, error) {
	rs, err := b.store.Reminders(ctx, ReminderFilter{Tenant: req.Tenant, Owner: req.Message.User})
	if err != nil {
		return "", fmt.Errorf("bot: one-offs while away: %w", err)
	}
	var due []string
	var first ReminderID
	for _, r := range rs {
		if r.Kind != Personal || r.Owner != req.Message.User || r.Paused || r.NextRun.IsZero() ||
			!r.NextRun.Before(until) || r.PausedUntil.After(r.NextRun) {
			continue
		}
		if rule, _, err := b.rule(r); err != nil || rule.Repeats() {
			continue
		}
		if first == "" {
			first = r.ID
		}
		due = append(due, fmt.Sprintf("#%s (%s)", r.ID, FormatTime(r.NextRun, req.Now, req.Zone)))
	}
	switch len(due) {
	case 0:
		return "", nil
	case 1:
		return fmt.Sprintf("%s is a one-off and still comes; `cancel #%s` if you won't need it.", due[0], first), nil
	}
	return fmt.Sprintf("%s are one-offs and still come; `cancel #%s` and the like if you won't need them.", timewords.JoinAnd(due), first), nil
}

func (b *Bot) backCmd(ctx context.Context, req *Request) (Reply, error) {
	if painSaid(req.Args) {
		// "back pain" says something hurts; it does not end time away.
		return painReply(req.Zone.String()), nil
	}
	was := req.User.AwayUntil.After(req.Now)
	if err := b.saveSettings(ctx, req, func(u *User) { u.AwayUntil = time.Time{} }); err != nil {
		return Reply{}, err
	}
	if !was {
		return Reply{Blocks: []string{"You weren't away; your reminders are on."}, Visibility: Private}, nil
	}
	return Reply{Blocks: []string{"Welcome back! Your reminders reach you again."}, Visibility: Private}, nil
}

// timeOfDaySaid finds a time of day among a date's words: "at 3pm",
// "15:00", "noon", "midday", an hour alone ("until 8"); "jan 4" and
// "friday" have none.
var timeOfDaySaid = lazyRegexp(`(?i)(\d[:.]\d|\d\s*[ap]\.?m\b|\bnoon\b|\bmidday\b|\bmidnight\b|\bat\b|\b(morning|afternoon|evening|tonight|night|lunch)\b|^\s*\d{1,2}\s*$)`)

// startOfDay is the instant t's day begins in loc.
func startOfDay(t time.Time, loc *time.Location) time.Time {
	l := t.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
}

// restOfDay reports whether s means the rest of today ("today", "for
// today", "for the day", "for the rest of the day") or up to its end
// ("until the end of the day", "till eod").
func restOfDay(s string) (rest, end bool) {
	w := strings.Fields(strings.ToLower(strings.Trim(s, ".!? ")))
	until := len(w) > 0 && (w[0] == "until" || w[0] == "till" || w[0] == "til")
	if len(w) > 0 && (w[0] == "for" || until) {
		w = w[1:]
	}
	switch strings.Join(w, " ") {
	case "today", "the day", "the rest of the day", "rest of the day", "the rest of today", "rest of today":
		return !until, false // "until today" has passed
	case "the end of the day", "end of day", "end of the day", "end of today", "eod":
		return false, true
	}
	return false, false
}

// awayExampleDate is a date two weeks ahead, for examples that work.
func awayExampleDate(now time.Time, loc *time.Location) string {
	return now.In(loc).AddDate(0, 0, 14).Format("2006-01-02")
}

// parseAway reads how long someone is away: "until 2027-01-04" (back on
// that day), "for 2 weeks", "until friday". A day without a time means
// the start of that day. instant reads other points in time; nil reads
// only dates. The result is after now and at most a year ahead.
func parseAway(args string, now time.Time, loc *time.Location, instant func(string) (time.Time, error)) (time.Time, error) {
	example := "away until " + awayExampleDate(now, loc)
	if rest, end := restOfDay(args); rest || end {
		// "away today", "away for the rest of the day": back tomorrow.
		l := now.In(loc)
		return checkAway(time.Date(l.Year(), l.Month(), l.Day()+1, 0, 0, 0, 0, loc), now, loc, example)
	}
	kw, rest := splitWord(strings.ToLower(strings.Join(strings.Fields(args), " ")))
	switch kw {
	case "for":
	case "until", "till", "til", "to":
		kw = "until"
	default:
		rest = strings.TrimSpace(kw + " " + rest)
		kw = ""
	}
	if rest == "" {
		return time.Time{}, Invalid(example, "Until when? Say a date or a length of time.")
	}
	if kw != "until" {
		if d, err := timewords.ParseDuration(rest); err == nil {
			switch {
			case d <= 0:
				return time.Time{}, Invalid("away for 2 weeks", "Time away must last more than zero.")
			case d > maxAway:
				return time.Time{}, Invalid("away for 2 weeks", "Time away can last up to a year.")
			}
			// Whole minutes read better ("until Tue 15 Dec 10:42").
			if t := now.Add(d).Truncate(time.Minute); t.After(now) {
				return t, nil
			}
			return now.Add(d), nil
		} else if first, ok := lengthTwice(err); ok {
			return time.Time{}, Invalid("away for "+first, "Give the length once, like `%s`.", first)
		} else if kw == "for" {
			return time.Time{}, Invalid("away for 2 weeks", "I couldn't read %s as a length of time.", quote.Short(rest, 40))
		}
	}
	if kw == "" {
		if until, done, err := awayLater(rest, now, loc, instant); done {
			if err != nil {
				return time.Time{}, err
			}
			return checkAway(until, now, loc, example)
		}
	}
	var until time.Time
	if d, err := time.ParseInLocation("2006-01-02", rest, loc); err == nil {
		until = d
	} else {
		for _, w := range strings.Fields(rest) {
			if w == "yesterday" || w == "ago" || w == "last" {
				return time.Time{}, Invalid(example, "%s is in the past; say when you will be back.", quote.Short(rest, 40))
			}
		}
		if instant == nil {
			return time.Time{}, Invalid(example, "I couldn't read %s as a date; write it like 2027-01-04.", quote.Short(rest, 40))
		}
		t, err := instant(rest)
		if err != nil {
			if ErrorCode(err) == EUNREAD {
				// Nothing of it read: the grammar's answer speaks of a
				// reminder's time, not of coming back.
				return time.Time{}, Invalid(example, "I couldn't read %s as a day or a time; say when you'll be back.", quote.Short(rest, 40))
			}
			if IsInvalid(err) {
				// The grammar's own example mends what was typed ("12/25"
				// → "on december 25"); offered as time away when it reads
				// as one, so that it follows the advice given.
				ex := strings.TrimPrefix(strings.TrimPrefix(ErrorExample(err), "on "), "at ") // "until at 09:00 tomorrow" reads badly
				if ex != "" && ex != rest {
					if t, perr := instant(ex); perr == nil {
						if _, perr = checkAway(startOfDay(t, loc), now, loc, example); perr == nil {
							example = "away until " + ex
						}
					}
				}
				return time.Time{}, Invalid(example, "%s", ErrorMessage(err))
			}
			return time.Time{}, err
		}
		until = t
		if !timeOfDaySaid().MatchString(rest) {
			// A day named without a time: back at its start.
			until = startOfDay(t, loc)
		}
	}
	return checkAway(until, now, loc, example)
}

// checkAway refuses an end of time away in the past or over a year ahead.
func checkAway(until, now time.Time, loc *time.Location, example string) (time.Time, error) {
	switch {
	case !until.After(now):
		return time.Time{}, Invalid(example, "%s is in the past; say when you will be back.", until.In(loc).Format("Mon 2 Jan 2006"))
	case until.Sub(now) > maxAway:
		return time.Time{}, Invalid(example, "Time away can last up to a year.")
	}
	return until, nil
}

// awayLater reads time away said as a day or period rather than its end
// ("from monday to friday", "on friday", "next week"), which done
// reports. Time away starts when it is said: a range that starts today
// lasts through its last day; anything starting later is refused, since
// reading its day as the return would pass reminders over until that day
// and not on it.
func awayLater(rest string, now time.Time, loc *time.Location, instant func(string) (time.Time, error)) (time.Time, bool, error) {
	first, more := splitWord(rest)
	later := func(end time.Time) (time.Time, bool, error) {
		example := "away until " + awayExampleDate(now, loc)
		if !end.IsZero() {
			example = "away until " + end.In(loc).Format("2006-01-02")
		}
		return time.Time{}, true, Invalid(example, "Time away starts when you say it, not on a later day; on the day you leave, say until when you are away.")
	}
	switch first {
	case "on", "this", "next", "tomorrow", "starting":
		// The example is for the day named: back the day after it.
		day := rest
		if first == "on" || first == "starting" {
			day = more
		}
		if instant != nil {
			if t, err := instant(day); err == nil && t.After(now) {
				return later(startOfDay(t, loc).AddDate(0, 0, 1))
			}
		}
		return later(time.Time{})
	case "from":
	default:
		return time.Time{}, false, nil
	}
	var from, to string
	for _, sep := range []string{" to ", " until ", " till ", " through ", " thru ", " - "} {
		if a, b, ok := strings.Cut(" "+strings.ReplaceAll(more, "-", " - ")+" ", sep); ok {
			from, to = strings.TrimSpace(a), strings.TrimSpace(b)
			break
		}
	}
	if to == "" || instant == nil {
		return later(time.Time{})
	}
	end, err := instant(to)
	if err != nil {
		return later(time.Time{})
	}
	if !timeOfDaySaid().MatchString(to) {
		// Away through that day: back at the start of the next.
		l := end.In(loc)
		end = time.Date(l.Year(), l.Month(), l.Day()+1, 0, 0, 0, 0, loc)
	}
	today := startOfDay(now, loc)
	switch d, ok := timewords.LookupDay(from); {
	case from == "today" || from == "now":
	case ok && d.Single && d.Days.Has(now.In(loc).Weekday()):
		// "from monday" said on a Monday: today.
	default:
		if start, err := instant(from); err != nil || startOfDay(start, loc).After(today) {
			if err == nil {
				// "from monday to friday" said on a Thursday: the
				// Friday after that Monday, not this one.
				first := startOfDay(start, loc)
				for i := 0; i < 53 && !end.After(first); i++ {
					end = end.AddDate(0, 0, 7)
				}
			}
			return later(end)
		}
	}
	return end, true, nil
}

func (b *Bot) levelCmd(ctx context.Context, req *Request) (Reply, error) {
	cur := levelOf(req.User)
	arg := strings.ToLower(strings.TrimSpace(req.Args))
	if arg == "" {
		n, err := b.doneAtLevel(ctx, req.Tenant, req.User, req.Message.User)
		if err != nil {
			return Reply{}, err
		}
		line := fmt.Sprintf("Your level is %s (%s done at it).", cur, plural(n, "break", "breaks"))
		if next := nextLevel(cur); next != "" {
			line += fmt.Sprintf(" `level %s` draws harder variants.", next)
		}
		return Reply{Blocks: []string{line}, Visibility: Private}, nil
	}
	if same, ok := levelWords[arg]; ok {
		arg = same
	}
	switch arg {
	case "up", "higher", "harder", "next":
		arg = nextLevel(cur)
		if arg == "" {
			return Reply{}, Invalid("level medium", "You are at the hardest level already; a lower one draws easier variants.")
		}
	case "down", "lower", "easier":
		if i := slices.Index(levels, cur); i > 0 {
			arg = levels[i-1]
		} else {
			return Reply{}, Invalid("level medium", "You are at the easiest level already; a higher one draws harder variants.")
		}
	}
	if _, ok := levelDifficulty[arg]; !ok {
		return Reply{}, Invalid("level medium", "%s is not a level; choose easy, medium or hard.", quote.Short(req.Args, 20))
	}
	if err := b.saveSettings(ctx, req, func(u *User) {
		u.Level, u.LevelSince, u.LevelOffered = arg, req.Now, time.Time{}
	}); err != nil {
		return Reply{}, err
	}
	other := "easy" // the example names a level other than the one just set
	if arg == "easy" {
		other = "medium"
	}
	return Reply{Blocks: []string{fmt.Sprintf("Level set to %s: your breaks and reminders draw %s variants. Change it any time with `level %s`.",
		arg, map[string]string{"easy": "the gentlest", "medium": "harder", "hard": "the hardest"}[arg], other)}, Visibility: Private}, nil
}

// levelWords are other names people give the levels.
var levelWords = map[string]string{
	"moderate": "medium", "beginner": "easy", "gentle": "easy", "1": "easy",
	"intermediate": "medium", "2": "medium", "advanced": "hard", "difficult": "hard", "3": "hard",
}

// levelOf is the user's level, easy unless chosen.
func levelOf(u User) string {
	if u.Level == "" {
		return "easy"
	}
	return u.Level
}

func nextLevel(l string) string {
	for i, v := range levels {
		if v == l && i+1 < len(levels) {
			return levels[i+1]
		}
	}
	return ""
}

// doneAtLevel counts the breaks done since the user's level was set.
func (b *Bot) doneAtLevel(ctx context.Context, tenant TenantID, u User, id UserID) (int, error) {
	since := u.LevelSince
	if !since.IsZero() {
		// Breaks done at the instant the level was chosen were done before.
		since = since.Add(time.Nanosecond)
	}
	cs, err := b.store.Completions(ctx, CompletionFilter{Tenant: tenant, User: id, Kind: KindDone, Since: since})
	if err != nil {
		return 0, fmt.Errorf("bot: count breaks at level: %w", err)
	}
	return len(cs), nil
}

// levelOffer is the line `done` (or a Done button) adds once enough
// breaks are done at a level, asking (never deciding) whether to move on;
// "" if not due. It records the offer so that it is made once per level.
func (b *Bot) levelOffer(ctx context.Context, tenant TenantID, id UserID, now time.Time) string {
	u, err := b.storedUser(ctx, tenant, id)
	if err != nil {
		b.log.Warn("could not read a level", "err", err)
		return ""
	}
	cur := levelOf(u)
	next := nextLevel(cur)
	if next == "" || !u.LevelOffered.IsZero() {
		return ""
	}
	n, err := b.doneAtLevel(ctx, tenant, u, id)
	if err != nil || n < offerAfter {
		return ""
	}
	u.LevelOffered = now
	if err := b.saveUser(ctx, u); err != nil {
		b.log.Warn("could not record a level offer", "err", err)
		return ""
	}
	return fmt.Sprintf("You have done %d breaks at %s level. Ready for harder variants? Say `level %s` (or stay where you are; I won't ask again).", n, cur, next)
}

// routineLevel is what a user's level asks of the builder: the preferred
// difficulty, and a ceiling once the level was chosen.
func routineLevel(u User) (prefer, ceiling string) {
	prefer = levelDifficulty[levelOf(u)]
	if u.Level != "" && u.Level != "hard" {
		ceiling = prefer
	}
	return prefer, ceiling
}

func (b *Bot) preferCmd(ctx context.Context, req *Request) (Reply, error) {
	arg := settingArg(req.Args)
	switch arg {
	case "":
		if req.User.Prefer == "" {
			return Reply{Blocks: []string{"No standing place: plain breaks are for a desk. Set one with `prefer floor`."}, Visibility: Private}, nil
		}
		return Reply{Blocks: []string{fmt.Sprintf("Plain breaks and your reminders are for: %s. `prefer off` goes back to the desk.", req.User.Prefer)}, Visibility: Private}, nil
	case "off":
		if err := b.saveSettings(ctx, req, func(u *User) { u.Prefer = "" }); err != nil {
			return Reply{}, err
		}
		return Reply{Blocks: []string{"Place preference cleared: plain breaks are for a desk again."}, Visibility: Private}, nil
	}
	p, ok := routines.ParsePlace(arg)
	if !ok {
		return Reply{}, Invalid("prefer floor", "%s is not a place I know; choose %s, or off.", quote.Short(req.Args, 20), joinOr(placeNames()))
	}
	if err := b.saveSettings(ctx, req, func(u *User) { u.Prefer = string(p) }); err != nil {
		return Reply{}, err
	}
	return Reply{Blocks: []string{fmt.Sprintf("Plain breaks and your reminders are now for: %s. A place you name (`break desk`) still wins.", p)}, Visibility: Private}, nil
}
